// Background jobs: enqueued inside the caller's transaction, run once, retried, failed visibly,
// on PGlite (one in-process connection shared with the app) and on PostgreSQL.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, findJob, JobRuntime, registerWorker } from '../src/jobs/index.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';
import { runCli, scratchDir, spawnCli } from './support/cli.ts';

declare module '../src/jobs/registry.ts' {
  interface JobTypes {
    'test.record': { text: string };
    'test.always-fails': { text: string };
  }
}

const ran: string[] = [];
let failures = 0;
registerWorker('test.record', async (data) => {
  ran.push(data.text);
});
registerWorker(
  'test.always-fails',
  async (data) => {
    failures++;
    throw new Error(`cannot handle ${data.text}`);
  },
  { retryLimit: 2 },
);

const silent = pino({ level: 'silent' });

describe.each(availableBackends())('jobs on %s', (kind) => {
  let database: TestDatabase;
  let jobs: JobRuntime;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    jobs = new JobRuntime({ database, logger: silent });
    await jobs.start();
  });
  afterAll(async () => {
    await jobs.stop();
    await database.close();
  });

  it('a job enqueued in a rolled-back transaction never runs', async () => {
    ran.length = 0;
    await expect(
      database.db.transaction().execute(async (tx) => {
        await enqueue(tx, 'test.record', { text: 'Καλημέρα — rolled back' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await jobs.drain()).toEqual({ completed: 0, failed: 0 });
    expect(ran).toEqual([]);
  });

  it('a committed job runs exactly once', async () => {
    ran.length = 0;
    const id = await database.db.transaction().execute((tx) => enqueue(tx, 'test.record', { text: 'مرحبا — committed' }));
    expect(id).toBeTruthy();
    expect(await jobs.drain()).toEqual({ completed: 1, failed: 0 });
    expect(await jobs.drain()).toEqual({ completed: 0, failed: 0 });
    expect(ran).toEqual(['مرحبا — committed']);
    expect((await findJob(jobs, 'test.record', id!))?.state).toBe('completed');
  });

  it('a singleton key queues one job while the first waits', async () => {
    ran.length = 0;
    const first = await database.db.transaction().execute((tx) => enqueue(tx, 'test.record', { text: 'one' }, { singletonKey: 'k' }));
    const second = await database.db.transaction().execute((tx) => enqueue(tx, 'test.record', { text: 'two' }, { singletonKey: 'k' }));
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    await jobs.drain();
    expect(ran).toEqual(['one']);
  });

  it('a job due later does not run before its time', async () => {
    ran.length = 0;
    const id = await database.db.transaction().execute((tx) =>
      enqueue(tx, 'test.record', { text: 'later' }, { startAfter: new Date(Date.now() + 3_600_000) }),
    );
    expect(await jobs.drain()).toEqual({ completed: 0, failed: 0 });
    expect((await findJob(jobs, 'test.record', id!))?.state).toBe('created');
    await database.pool.query(`DELETE FROM pgboss.job WHERE id = $1`, [id]);
  });

  it('a failing job is retried, then ends failed with its error visible', async () => {
    failures = 0;
    const id = await database.db.transaction().execute((tx) => enqueue(tx, 'test.always-fails', { text: 'Ωμέγα' }));
    const result = await jobs.drain();
    expect(result).toEqual({ completed: 0, failed: 3 });
    expect(failures).toBe(3);
    const job = await findJob(jobs, 'test.always-fails', id!);
    expect(job?.state).toBe('failed');
    expect(job?.retryCount).toBe(2);
    expect(job?.output).toMatchObject({ message: 'cannot handle Ωμέγα' });
  });

  it('the polling runtime runs jobs while the app keeps using the database, and stops cleanly', async () => {
    ran.length = 0;
    const poller = new JobRuntime({ database, logger: silent, poll: true, pollIntervalMs: 500 });
    await poller.start();
    try {
      // The app's own transactions keep going while pg-boss polls on the same (PGlite: single) connection.
      for (let i = 0; i < 20; i++) {
        await database.db.transaction().execute(async (tx) => {
          await sql`SELECT pg_sleep(0.01)`.execute(tx);
          await enqueue(tx, 'test.record', { text: `job ${i}` });
        });
        poller.notify();
      }
      const deadline = Date.now() + 15_000;
      while (ran.length < 20 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect([...ran].sort()).toEqual(Array.from({ length: 20 }, (_, i) => `job ${i}`).sort());
    } finally {
      await poller.stop();
    }
    // Nothing left half-done: every job completed, none active.
    const states = await database.pool.query<{ state: string; n: string }>(
      `SELECT state, count(*) AS n FROM pgboss.job WHERE name = 'test.record' GROUP BY state`,
    );
    expect(states.rows.find((r) => r.state === 'active')).toBeUndefined();
  });
});

describe('truthdesk worker', () => {
  it('runs the job workers alone and stops on SIGTERM', async () => {
    const cwd = scratchDir();
    // PostgreSQL when the run has it (several workers may share it); else an embedded database.
    const database = availableBackends().includes('postgres') ? await freshDatabase('postgres') : undefined;
    const env: Record<string, string> = database?.url ? { DATABASE_URL: database.url } : { TRUTHDESK_DATA: `${cwd}/data` };
    if (!database) expect((await runCli(['migrate'], env, cwd)).code).toBe(0);
    const child = spawnCli(['worker'], env, cwd);
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const deadline = Date.now() + 60_000;
    while (!stdout.includes('worker is running') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(stdout).toContain('TruthDesk worker is running');
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await database?.close();
  }, 120_000);
});
