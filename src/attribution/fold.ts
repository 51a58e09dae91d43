// Keeps the attribution rows and monthly sums (migration 068) up to date in the background:
// writers of review views and conversions queue their people (migration 077) and
//   attribution.refresh   every ATTRIBUTION_REFRESH_EVERY_MS recomputes the people queued.
// The report folds first (foldAttribution), so it is exact without this job; the job keeps
// what the first report after a burst of ingest has to do small.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { foldQueuedWorkspaces, registerPeriodicJob } from '../jobs/index.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'attribution.refresh': Record<string, never>;
  }
}

/** As the people refresh (src/journeys/people-fold.ts): each person once per fold, however many facts wait. */
export const ATTRIBUTION_REFRESH_EVERY_MS = 10_000;

/** Recomputes the attribution rows of a workspace's queued people; returns the queued rows taken. */
export async function foldAttribution(db: Kysely<DB>, workspaceId: string): Promise<number> {
  const r = await sql<{ n: string }>`SELECT attribution_fold(${workspaceId}::uuid) AS n`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/** Every workspace with people queued, one statement each. Returns the queued rows taken. */
export const foldAllAttribution = (db: Kysely<DB>) => foldQueuedWorkspaces(db, 'attribution_pending', foldAttribution);

/** Queues the refresh of the slot after `at` (a no-op when it is already queued). */
export const queueAttributionRefresh = registerPeriodicJob('attribution.refresh', ATTRIBUTION_REFRESH_EVERY_MS, async (ctx) => {
  const taken = await foldAllAttribution(ctx.db);
  if (taken) ctx.logger.debug({ taken }, 'queued attribution people recomputed');
});
