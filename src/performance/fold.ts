// Folds the team-performance deltas (migration 055: the triggers on tickets and SLA targets
// append them) into the rollups in the background:
//   performance.fold   every FOLD_EVERY_MS: queues the next fold first (one per slot however
//                      many processes ask), then folds every workspace that has deltas.
// The report reads rollups plus the deltas not yet folded, so a late or failed fold changes no
// figure; folding only keeps the deltas small. Reading never writes.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue, onPollingStart, registerWorker } from '../jobs/index.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'performance.fold': Record<string, never>;
  }
}

export const PERFORMANCE_FOLD_EVERY_MS = 60_000;

/** Queues the fold of the next slot (a no-op when it is already queued). */
export async function queuePerformanceFold(db: Kysely<DB>, at: Date): Promise<void> {
  const next = Math.floor(at.getTime() / PERFORMANCE_FOLD_EVERY_MS + 1) * PERFORMANCE_FOLD_EVERY_MS;
  await db.transaction().execute((tx) => enqueue(tx, 'performance.fold', {}, { startAfter: new Date(next), singletonKey: `performance-fold:${next}` }));
}

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

registerWorker(
  'performance.fold',
  async (_data, ctx) => {
    await queuePerformanceFold(ctx.db, new Date());
    const folded = await foldAllPerformance(ctx.db);
    if (folded) ctx.logger.debug({ workspaces: folded }, 'team performance deltas folded');
  },
  { retryLimit: 1, expireInSeconds: 10 * 60 },
);

// Every polling process makes sure the chain runs (a chain cut by a crash restarts here).
onPollingStart((db) => queuePerformanceFold(db, new Date()));
