// Touchpoint month partitions made ahead of need (migration 082), so that ingestion and help-desk
// activity find their month made and never wait for a partition to be created:
//   at start-up        (serve, worker, the CLI) this month and the next PARTITION_MONTHS_AHEAD;
//   touchpoints.partitions   the same, every day, on whichever process polls for jobs.
// History (months in the past) is made by ingestion, each batch's months in one step
// (ensureTouchpointPartitions, src/journeys/store.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { registerPeriodicJob } from '../jobs/index.ts';
import { makeTouchpointPartitions } from './store.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'touchpoints.partitions': Record<string, never>;
  }
}

/**
 * Months made ahead of the current one. Three: the daily job may fail or not run (no process
 * polling for jobs, a long outage) for about three months before help-desk activity and live
 * events start landing in the default partition; and a month is made long before anything is
 * written to it, so making it waits for no insert of its own. More would buy little: every
 * partition is one more table for the planner of each query it cannot prune before running.
 */
export const PARTITION_MONTHS_AHEAD = 3;

/** How often the job runs: daily (each run starts at a UTC midnight). */
export const PARTITIONS_EVERY_MS = 86_400_000;

/** The first instants of this month and the next PARTITION_MONTHS_AHEAD, UTC. */
export function monthsAhead(now: Date): Date[] {
  return Array.from({ length: PARTITION_MONTHS_AHEAD + 1 }, (_, n) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + n, 1)));
}

/** Makes this month's partition and the next PARTITION_MONTHS_AHEAD months' where missing; returns how many it made. */
export function ensureTouchpointPartitionsAhead(db: Kysely<DB>, now = new Date()): Promise<number> {
  return makeTouchpointPartitions(db, monthsAhead(now));
}

/** Queues the run of the slot after `at` (a no-op when it is already queued). */
export const queuePartitionsAhead = registerPeriodicJob('touchpoints.partitions', PARTITIONS_EVERY_MS, async (ctx) => {
  const made = await ensureTouchpointPartitionsAhead(ctx.db);
  if (made) ctx.logger.info({ made }, 'touchpoint partitions made ahead');
});
