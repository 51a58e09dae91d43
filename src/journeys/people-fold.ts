// Folds the person-gap deltas into touchpoint_person_gaps in the background (migration 064),
// as daily-fold.ts does for the daily counters:
//   touchpoints.people.fold   every FOLD_EVERY_MS: queues the next fold first (one per slot
//                             however many processes ask), then folds every workspace's deltas.
// Readers add the deltas not yet folded, so a late or failed fold changes no figure; it only
// keeps the deltas table small. One folder at a time (an advisory lock).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { registerPeriodicJob } from '../jobs/index.ts';
import { FOLD_EVERY_MS, foldEveryWorkspace } from './daily-fold.ts';
import { foldPersonGaps } from './store.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'touchpoints.people.fold': Record<string, never>;
  }
}

/** Folds every workspace's gap deltas; null when another folder holds the lock. Returns the deltas moved. */
export const foldAllPersonGaps = (db: Kysely<DB>) => foldEveryWorkspace(db, 'touchpoint_person_gaps_folder', 'touchpoint_person_gap_deltas', foldPersonGaps);

/** Queues the fold of the slot after `at` (a no-op when it is already queued). */
export const queuePeopleFold = registerPeriodicJob('touchpoints.people.fold', FOLD_EVERY_MS, async (ctx) => {
  const moved = await foldAllPersonGaps(ctx.db);
  if (moved) ctx.logger.debug({ moved }, 'touchpoint person-gap deltas folded');
});
