// The background folds (daily counters, person gaps, pending people, attribution) each work
// through the workspaces that have rows waiting in their table, one workspace at a time.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Tables of rows waiting for a fold, each with a workspace_id. */
export type QueueTable = 'touchpoint_daily_deltas' | 'touchpoint_person_gap_deltas' | 'touchpoint_people_pending' | 'attribution_pending';

/** Runs `foldOne` for every workspace with rows in `table`, in turn; returns the sum of what each reports. */
export async function foldQueuedWorkspaces(
  db: Kysely<DB>,
  table: QueueTable,
  foldOne: (db: Kysely<DB>, workspaceId: string) => Promise<number>,
): Promise<number> {
  const queued = await sql<{ workspace_id: string }>`SELECT DISTINCT workspace_id FROM ${sql.table(table)}`.execute(db);
  let total = 0;
  for (const w of queued.rows) total += await foldOne(db, w.workspace_id);
  return total;
}
