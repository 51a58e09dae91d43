// Background upkeep of the person rollups, as daily-fold.ts does for the daily counters:
//   touchpoints.people.refresh  every PEOPLE_REFRESH_EVERY_MS: recomputes the person-day rows of
//                               the people written since (migration 076).
//   touchpoints.people.fold     every FOLD_EVERY_MS: folds the person-gap deltas into
//                               touchpoint_person_gaps (migration 064).
// Each run queues the next first (one per slot however many processes ask).
// Readers add the deltas not yet folded, so a late or failed fold changes no figure; it only
// keeps the deltas table small. One folder at a time (an advisory lock).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { foldQueuedWorkspaces, registerPeriodicJob } from '../jobs/index.ts';
import { FOLD_EVERY_MS, foldEveryWorkspace } from './daily-fold.ts';
import { foldPendingPeople, foldPersonGaps } from './store.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'touchpoints.people.fold': Record<string, never>;
    'touchpoints.people.refresh': Record<string, never>;
  }
}

/** Folds every workspace's gap deltas; null when another folder holds the lock. Returns the deltas moved. */
export const foldAllPersonGaps = (db: Kysely<DB>) => foldEveryWorkspace(db, 'touchpoint_person_gaps_folder', 'touchpoint_person_gap_deltas', foldPersonGaps);

/** Queues the fold of the slot after `at` (a no-op when it is already queued). */
export const queuePeopleFold = registerPeriodicJob('touchpoints.people.fold', FOLD_EVERY_MS, async (ctx) => {
  const moved = await foldAllPersonGaps(ctx.db);
  if (moved) ctx.logger.debug({ moved }, 'touchpoint person-gap deltas folded');
});

/**
 * A refresh recomputes each pending person's history once, however many of their touchpoints
 * are pending, so under heavy ingest a longer interval costs less in all: at 12,000
 * touchpoints/s a refresh every 2 s took about 31 µs of PostgreSQL a touchpoint, one at the end
 * of the run 22 µs (bench/moments-ingest.ts, 100,000 touchpoints over 5,000 people). Readers
 * refresh first, so the interval never shows in a figure; it bounds what the first reader pays.
 */
export const PEOPLE_REFRESH_EVERY_MS = 10_000;

/**
 * Refreshes the pending people of every workspace that has some (migration 076), one
 * workspace per statement so no lock outlives its workspace. Returns the (who, stage) pairs.
 */
export const foldAllPendingPeople = (db: Kysely<DB>) => foldQueuedWorkspaces(db, 'touchpoint_people_pending', foldPendingPeople);

/**
 * touchpoints.people.refresh: keeps the pending people few, so a reader's own fold (see
 * foldPendingPeople) has little to do; readers stay exact without it.
 */
export const queuePeopleRefresh = registerPeriodicJob('touchpoints.people.refresh', PEOPLE_REFRESH_EVERY_MS, async (ctx) => {
  const refreshed = await foldAllPendingPeople(ctx.db);
  if (refreshed) ctx.logger.debug({ refreshed }, 'pending touchpoint people refreshed');
});
