// Folds the team-performance deltas (migration 055: the triggers on tickets and SLA targets
// append them) into the rollups in the background:
//   performance.fold   every FOLD_EVERY_MS: queues the next fold first (one per slot however
//                      many processes ask), then folds every workspace that has deltas.
// The report reads rollups plus the deltas not yet folded, so a late or failed fold changes no
// figure; folding only keeps the deltas small. Reading never writes.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { registerPeriodicJob } from '../jobs/index.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'performance.fold': Record<string, never>;
  }
}

export const PERFORMANCE_FOLD_EVERY_MS = 60_000;

/**
 * Folds the deltas of every workspace that has some, each in its own transaction (the SQL
 * function takes the workspace's advisory lock, so folds of one workspace take turns). Returns
 * the workspaces folded.
 */
export async function foldAllPerformance(db: Kysely<DB>): Promise<number> {
  const pending = await sql<{ workspace_id: string }>`
    SELECT workspace_id FROM ticket_performance_deltas
    UNION SELECT workspace_id FROM ticket_performance_histogram_deltas`.execute(db);
  for (const w of pending.rows) await sql`SELECT compact_ticket_performance(${w.workspace_id}::uuid)`.execute(db);
  return pending.rows.length;
}

/** Queues the fold of the slot after `at` (a no-op when it is already queued). */
export const queuePerformanceFold = registerPeriodicJob('performance.fold', PERFORMANCE_FOLD_EVERY_MS, async (ctx) => {
  const folded = await foldAllPerformance(ctx.db);
  if (folded) ctx.logger.debug({ workspaces: folded }, 'team performance deltas folded');
});
