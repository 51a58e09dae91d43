// Enqueue a job inside the caller's transaction: pg-boss `send` with a `db` executor bound to the
// Kysely transaction, so the job row commits or rolls back with the change that caused it.
import { CompiledQuery } from 'kysely';
import PgBoss from 'pg-boss';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { isValidJobName, workerFor } from './registry.ts';
import type { JobName, JobTypes, QueuePolicy } from './registry.ts';

export const JOBS_SCHEMA = 'pgboss';

export interface EnqueueOptions {
  /** Run no earlier than this moment (or this many seconds from now). */
  startAfter?: Date | number;
  /** At most one queued-or-active job per key in the queue; a second enqueue is a no-op. */
  singletonKey?: string;
  /** Overrides the queue's retry limit for this job. */
  retryLimit?: number;
}

type Executor = { executeSql(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }> };

function executorFor(tx: Kysely<DB>): Executor {
  return {
    executeSql: async (text, values) => {
      const result = await tx.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as Record<string, unknown>[] };
    },
  };
}

// pg-boss's send() only builds SQL and hands it to the executor we pass, so one unstarted
// instance serves every database. Its own executor is never used.
const sender = new PgBoss({
  schema: JOBS_SCHEMA,
  db: {
    executeSql: () => Promise.reject(new Error('jobs: enqueue must be given a transaction')),
  },
});

/** pg-boss queue options from our policy. */
export function queueOptions(policy: QueuePolicy): PgBoss.Queue {
  return {
    name: '',
    policy: 'standard',
    retryLimit: policy.retryLimit ?? 3,
    retryDelay: policy.retryDelaySeconds ?? 0,
    retryBackoff: policy.retryBackoff ?? false,
    expireInSeconds: policy.expireInSeconds ?? 15 * 60,
  };
}

/** Creates the queue (its pg-boss partition) on first use, inside the transaction. */
async function ensureQueue(executor: Executor, name: string): Promise<void> {
  const found = await executor.executeSql(`SELECT 1 FROM ${JOBS_SCHEMA}.queue WHERE name = $1`, [name]);
  if (found.rows.length) return;
  const { name: _ignored, ...options } = queueOptions(workerFor(name)?.policy ?? {});
  await executor.executeSql(`SELECT ${JOBS_SCHEMA}.create_queue($1, $2::json)`, [name, JSON.stringify(options)]);
}

/**
 * Writes the job in `tx`. Returns the job id, or null when `singletonKey` matched a job that is
 * already waiting (nothing new was queued).
 */
export async function enqueue<N extends JobName>(
  tx: Kysely<DB>,
  name: N,
  data: JobTypes[N],
  options: EnqueueOptions = {},
): Promise<string | null> {
  if (!isValidJobName(name)) throw new Error(`invalid job name ${name}`);
  // A job outside a transaction could exist without the change it is about (or vice versa).
  if (!tx.isTransaction) throw new Error(`jobs: enqueue ${name} inside a transaction (db.transaction().execute(tx => …))`);
  const executor = executorFor(tx);
  await ensureQueue(executor, name);
  if (options.singletonKey !== undefined) {
    // pg-boss's standard queues do not enforce a bare singletonKey; do it here. The advisory
    // lock serialises concurrent enqueues of the same key until their transactions end.
    await executor.executeSql('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${name}|${options.singletonKey}`]);
    const waiting = await executor.executeSql(
      `SELECT 1 FROM ${JOBS_SCHEMA}.job WHERE name = $1 AND singleton_key = $2 AND state < 'completed' LIMIT 1`,
      [name, options.singletonKey],
    );
    if (waiting.rows.length) return null;
  }
  const send: PgBoss.SendOptions & PgBoss.ConnectionOptions = { db: executor };
  if (options.startAfter !== undefined) send.startAfter = options.startAfter;
  if (options.singletonKey !== undefined) send.singletonKey = options.singletonKey;
  if (options.retryLimit !== undefined) send.retryLimit = options.retryLimit;
  const id = await sender.send(name, data as object, send);
  // pg-boss answers null when the queue is missing; with ensureQueue above this is a bug.
  if (id === null) throw new Error(`jobs: ${name} was not queued`);
  return id;
}
