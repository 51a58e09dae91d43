// Runs jobs: pg-boss keeps them (queues, retries, expiry, archive) in the application database;
// this loop fetches and completes them. We drive pg-boss's fetch/complete/fail ourselves rather
// than its work() so that every completion is awaited (work() fires complete() without awaiting,
// which races a closing database), stop() waits for the job in hand, and tests can drain().
//
// pg-boss talks through the application's own pool. On PGlite that pool has exactly one
// connection (PGlite is one session): pg-boss's queries queue behind the app's transactions
// instead of running inside them — calling PGlite directly would interleave pg-boss's
// statements with an open app transaction on the same session.
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import type { Database } from '../db/connection.ts';
import { JOBS_SCHEMA, queueOptions } from './enqueue.ts';
import { pollingStartHooksList, registeredWorkers, workerFor } from './registry.ts';
import type { JobSettings } from './registry.ts';

export interface JobRuntimeOptions {
  database: Database;
  logger: Logger;
  settings?: JobSettings;
  /** Poll for due jobs in the background (servers and `truthdesk worker`). Tests leave it off and drain(). */
  poll?: boolean;
  /** Milliseconds between polls when idle. Default 1000. */
  pollIntervalMs?: number;
  /** Run pg-boss maintenance (expire lost jobs, archive, delete). Default: same as poll. */
  supervise?: boolean;
}

export interface DrainResult {
  completed: number;
  failed: number;
}

type FetchedJob = PgBoss.JobWithMetadata<unknown>;

export function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return error.stack ? { message: error.message, stack: error.stack } : { message: error.message };
  return { message: String(error) };
}

export class JobRuntime {
  readonly boss: PgBoss;
  private readonly database: Database;
  private readonly logger: Logger;
  private readonly settings: JobSettings;
  private readonly poll: boolean;
  private readonly pollIntervalMs: number;
  private started = false;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: JobRuntimeOptions) {
    this.database = options.database;
    this.logger = options.logger;
    this.settings = options.settings ?? {};
    this.poll = options.poll ?? false;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    const pool = options.database.pool;
    this.boss = new PgBoss({
      schema: JOBS_SCHEMA,
      db: { executeSql: async (text: string, values: unknown[]) => pool.query(text, values) },
      supervise: options.supervise ?? this.poll,
      maintenanceIntervalSeconds: 60,
      schedule: false,
      migrate: true,
    });
    this.boss.on('error', (error: unknown) => {
      if (!this.stopping) this.logger.error({ err: error }, 'jobs: pg-boss error');
    });
  }

  /** Installs or upgrades pg-boss's schema if needed, creates every registered queue, starts polling. */
  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    for (const worker of registeredWorkers()) {
      const options = { ...queueOptions(worker.policy), name: worker.name };
      // Processes starting together on one PostgreSQL create the same queues at once, and
      // pg-boss's create_queue can deadlock with itself; PostgreSQL aborts one side, which
      // tries again and finds the queue made.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.boss.createQueue(worker.name, options);
          await this.boss.updateQueue(worker.name, options);
          break;
        } catch (error) {
          if ((error as { code?: string }).code !== '40P01' || attempt >= 8) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 200));
        }
      }
    }
    if (this.database.kind === 'pglite') await this.recoverOrphans();
    this.started = true;
    if (this.poll) {
      for (const hook of pollingStartHooksList()) await hook(this.database.db);
      this.loop = this.runLoop();
    }
  }

  /**
   * PGlite is locked to one process, so a job still `active` at start was cut off by a crash:
   * fail it now (it is retried if it has retries left) instead of waiting for it to expire.
   * On PostgreSQL other processes may be working, so pg-boss's expiry handles lost jobs.
   */
  private async recoverOrphans(): Promise<void> {
    const { rows } = await this.database.pool.query<{ id: string; name: string }>(
      `SELECT id, name FROM ${JOBS_SCHEMA}.job WHERE state = 'active'`,
    );
    for (const row of rows) {
      await this.boss.fail(row.name, row.id, { message: 'the process ended while this job was running' });
    }
    if (rows.length) this.logger.warn({ jobs: rows.length }, 'jobs: retrying jobs cut off by a previous crash');
  }

  /** Wakes the poller now (after a commit that queued work), instead of at the next interval. */
  notify(): void {
    this.wake?.();
  }

  /**
   * Runs every due job of every registered queue until none is left, including retries that
   * are due at once. Deterministic for tests: jobs run one at a time, in queue order.
   */
  async drain(): Promise<DrainResult> {
    const result: DrainResult = { completed: 0, failed: 0 };
    for (;;) {
      const ran = await this.runOnePass(result);
      if (!ran) return result;
    }
  }

  private async runOnePass(result: DrainResult): Promise<boolean> {
    let ran = false;
    for (const worker of registeredWorkers()) {
      if (this.stopping) return false;
      const jobs = (await this.boss.fetch(worker.name, { batchSize: 1, includeMetadata: true })) as FetchedJob[];
      for (const job of jobs) {
        ran = true;
        if (await this.runJob(job)) result.completed++;
        else result.failed++;
      }
    }
    return ran;
  }

  private async runJob(job: FetchedJob): Promise<boolean> {
    const worker = workerFor(job.name);
    if (!worker) {
      await this.boss.fail(job.name, job.id, { message: `no worker for ${job.name}` });
      return false;
    }
    const log = this.logger.child({ job: job.id, queue: job.name, attempt: job.retryCount + 1 });
    try {
      await worker.handler(job.data as never, {
        database: this.database,
        db: this.database.db,
        logger: log,
        settings: this.settings,
        job: { id: job.id, name: job.name, retryCount: job.retryCount, retryLimit: job.retryLimit },
      });
      await this.boss.complete(job.name, job.id);
      return true;
    } catch (error) {
      const described = describeError(error);
      const final = job.retryCount >= job.retryLimit;
      log[final ? 'error' : 'warn']({ err: error }, final ? 'jobs: job failed for good' : 'jobs: job failed, will retry');
      await this.boss.fail(job.name, job.id, described);
      return false;
    }
  }

  private async runLoop(): Promise<void> {
    while (!this.stopping) {
      let ran = false;
      try {
        ran = await this.runOnePass({ completed: 0, failed: 0 });
      } catch (error) {
        if (!this.stopping) this.logger.error({ err: error }, 'jobs: polling failed');
      }
      if (ran || this.stopping) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.pollIntervalMs);
      });
      clearTimeout(this.timer);
      this.wake = undefined;
    }
  }

  /** Stops polling, waits for the job in hand, stops pg-boss's maintenance. Leaves the database open. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake?.();
    await this.loop;
    if (this.started) await this.boss.stop({ graceful: false, close: false, wait: true });
    this.started = false;
  }
}

/** A job's state as pg-boss keeps it (queued, retried, active, completed, failed…), or null. */
export async function findJob(
  runtime: JobRuntime,
  name: string,
  id: string,
): Promise<{ state: string; retryCount: number; output: unknown } | null> {
  const job = await runtime.boss.getJobById(name, id, { includeArchive: true });
  return job ? { state: job.state, retryCount: job.retryCount, output: job.output } : null;
}
