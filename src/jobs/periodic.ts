// A job that runs every `everyMs` on whichever process polls for jobs (the background folds of
// appended deltas use it). Each run queues the next slot first — one job per slot however many
// processes ask (its singletonKey) — then does its work; every polling process starts the
// chain, so a chain cut by a crash restarts with the next process.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from './enqueue.ts';
import { onPollingStart, registerWorker } from './registry.ts';
import type { JobContext, JobName, JobTypes } from './registry.ts';

/** The jobs that carry no data: a periodic job's runs are told apart by their slot only. */
type DatalessJob = { [N in JobName]: JobTypes[N] extends Record<string, never> ? N : never }[JobName];

/** Registers the job and its chain; returns the function that queues the slot after `at`. */
export function registerPeriodicJob<N extends DatalessJob>(
  name: N,
  everyMs: number,
  work: (ctx: JobContext) => Promise<void>,
): (db: Kysely<DB>, at: Date) => Promise<void> {
  const queueNext = async (db: Kysely<DB>, at: Date): Promise<void> => {
    const next = Math.floor(at.getTime() / everyMs + 1) * everyMs;
    const data = {} as JobTypes[N];
    await db.transaction().execute((tx) => enqueue(tx, name, data, { startAfter: new Date(next), singletonKey: `${name}:${next}` }));
  };
  registerWorker(
    name,
    async (_data, ctx) => {
      await queueNext(ctx.db, new Date());
      await work(ctx);
    },
    { retryLimit: 1, expireInSeconds: 10 * 60 },
  );
  onPollingStart((db) => queueNext(db, new Date()));
  return queueNext;
}
