// Which tables make up a workspace, read from the database's own catalogue: every table of the
// public schema with a workspace_id column (plus `workspaces` itself), so a table added by a
// later migration is exported without anyone remembering to list it.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * Rows that describe a moment, not the workspace: who is signed in right now, which socket is
 * open, who is typing. They would be stale (or a security hole: live sessions) elsewhere.
 */
export const TRANSIENT_TABLES: ReadonlySet<string> = new Set(['sessions', 'agent_connections', 'agent_status']);

/**
 * Sums the database keeps by trigger from other tables (migrations 055 and 068): importing the
 * tickets and SLA targets, or the loop facts, rebuilds them, so copying them too would count
 * everything twice. The daily touchpoint deltas (migration 059) are not copied either: the
 * export's touchpoint_daily rows already have them added (src/portability/export.ts); likewise
 * the person-gap deltas (migration 064) in the exported touchpoint_person_gaps.
 */
export const DERIVED_TABLES: ReadonlySet<string> = new Set([
  'ticket_performance_rollups',
  'ticket_performance_deltas',
  'ticket_performance_histograms',
  'ticket_performance_histogram_deltas',
  'touchpoint_daily_deltas',
  'touchpoint_person_gap_deltas',
  'attribution_views',
  'attribution_credits',
  'attribution_reach_months',
  'attribution_people_months',
  'attribution_lost_months',
  'attribution_credit_months',
  // Queued by the loop_facts triggers as the import writes the facts (migration 077).
  'attribution_pending',
]);

export interface ColumnInfo {
  name: string;
  /** GENERATED ALWAYS AS IDENTITY: a surrogate number the importer may have to renumber. */
  identity: boolean;
}

export interface TableInfo {
  name: string;
  /** Insertable columns in table order (generated columns are recomputed, never copied). */
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Columns referencing this same table: written after every row of it is in. */
  selfReferences: string[];
}

interface ForeignKey {
  table: string;
  references: string;
  columns: string[];
}

/**
 * Tables in an order where every foreign key points at a table that came before (ties by
 * name, so two exports of the same data are byte-identical). A cycle between two tables
 * cannot be loaded row by row, so it is refused here rather than failing halfway.
 */
export function dependencyOrder(tables: readonly string[], keys: readonly ForeignKey[]): string[] {
  const pending = new Set(tables);
  const needs = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  for (const k of keys) {
    if (k.table !== k.references && pending.has(k.table) && pending.has(k.references)) needs.get(k.table)?.add(k.references);
  }
  const order: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((t) => [...(needs.get(t) ?? [])].every((d) => !pending.has(d))).sort();
    if (ready.length === 0) throw new Error(`these tables reference each other in a cycle: ${[...pending].sort().join(', ')}`);
    for (const t of ready) {
      order.push(t);
      pending.delete(t);
    }
  }
  return order;
}

export async function workspaceTables(db: Kysely<DB>): Promise<TableInfo[]> {
  const tables = await sql<{ name: string }>`
    SELECT c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      AND (c.relname = 'workspaces' OR EXISTS (
        SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped))`.execute(db);
  const names = tables.rows.map((r) => r.name).filter((t) => !TRANSIENT_TABLES.has(t) && !DERIVED_TABLES.has(t));
  const columns = await sql<{ table: string; name: string; identity: string; generated: string }>`
    SELECT c.relname AS table, a.attname AS name, a.attidentity AS identity, a.attgenerated AS generated
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relname = ANY(${names}::text[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`.execute(db);
  const primaryKeys = await sql<{ table: string; name: string }>`
    SELECT c.relname AS table, a.attname AS name
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE n.nspname = 'public' AND i.indisprimary AND c.relname = ANY(${names}::text[])
    ORDER BY c.relname, k.position`.execute(db);
  const foreignKeys = await sql<{ table: string; references: string; columns: string[] }>`
    SELECT c.relname AS table, r.relname AS references,
           ARRAY(SELECT a.attname::text FROM unnest(f.conkey) AS k(attnum) JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum) AS columns
    FROM pg_constraint f JOIN pg_class c ON c.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE f.contype = 'f' AND n.nspname = 'public' AND NOT c.relispartition AND c.relname = ANY(${names}::text[])`.execute(db);

  const byTable = new Map<string, TableInfo>(names.map((t) => [t, { name: t, columns: [], primaryKey: [], selfReferences: [] }]));
  for (const c of columns.rows) {
    if (c.generated !== '') continue;
    byTable.get(c.table)?.columns.push({ name: c.name, identity: c.identity !== '' });
  }
  for (const k of primaryKeys.rows) byTable.get(k.table)?.primaryKey.push(k.name);
  for (const f of foreignKeys.rows) {
    if (f.table === f.references) byTable.get(f.table)?.selfReferences.push(...f.columns);
  }
  for (const t of byTable.values()) {
    if (t.primaryKey.length === 0) throw new Error(`table ${t.name} has no primary key: it cannot be exported in a stable order`);
  }
  // Every workspace's rows load after the workspace, with or without a foreign key saying so
  // (the rows stored beside each touchpoint have none: migration 081).
  const ownedByWorkspace = names.filter((t) => t !== 'workspaces').map((t) => ({ table: t, references: 'workspaces', columns: ['workspace_id'] }));
  return dependencyOrder(names, [...foreignKeys.rows, ...ownedByWorkspace]).map((t) => byTable.get(t) as TableInfo);
}

export async function appliedMigrations(db: Kysely<DB>): Promise<string[]> {
  const r = await sql<{ version: string }>`SELECT version FROM schema_migrations ORDER BY version`.execute(db);
  return r.rows.map((x) => x.version);
}

/** A quoted SQL identifier; names come from the catalogue, but quoting keeps that a non-issue. */
export function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
