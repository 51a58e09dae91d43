// Folds the daily touchpoint deltas into touchpoint_daily in the background (migration 059):
//   touchpoints.daily.fold   every FOLD_EVERY_MS: queues the next fold first (one per slot
//                            however many processes ask), then folds every workspace's deltas.
// Readers add the deltas not yet folded, so a late or failed fold changes no figure; it only
// keeps the deltas table small. One folder at a time (an advisory lock): a second one finding
// it taken has nothing to do.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { foldQueuedWorkspaces, registerPeriodicJob } from '../jobs/index.ts';
import { foldDailyCounts } from './store.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'touchpoints.daily.fold': Record<string, never>;
  }
}

export const FOLD_EVERY_MS = 30_000;

/**
 * Folds the deltas of every workspace that has some in `deltas`, under one folder lock named
 * `folder` (null when another folder holds it). Returns the deltas moved.
 */
export async function foldEveryWorkspace(
  db: Kysely<DB>,
  folder: string,
  deltas: 'touchpoint_daily_deltas' | 'touchpoint_person_gap_deltas',
  foldOne: (tx: Kysely<DB>, workspaceId: string) => Promise<number>,
): Promise<number | null> {
  return db.transaction().execute(async (tx) => {
    const got = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${folder})) AS ok`.execute(tx);
    if (!got.rows[0]?.ok) return null;
    return foldQueuedWorkspaces(tx, deltas, foldOne);
  });
}

/** Folds every workspace's daily deltas; null when another folder holds the lock. Returns the deltas moved. */
export const foldAllDailyCounts = (db: Kysely<DB>) => foldEveryWorkspace(db, 'touchpoint_daily_folder', 'touchpoint_daily_deltas', foldDailyCounts);

/** Queues the fold of the slot after `at` (a no-op when it is already queued). */
export const queueDailyFold = registerPeriodicJob('touchpoints.daily.fold', FOLD_EVERY_MS, async (ctx) => {
  const moved = await foldAllDailyCounts(ctx.db);
  if (moved) ctx.logger.debug({ moved }, 'touchpoint daily deltas folded');
});
