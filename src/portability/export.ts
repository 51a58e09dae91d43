// `truthdesk export`: a whole workspace as JSON lines — a header, then one line per row in
// foreign-key order, then a trailer with the counts (so a cut-off file is recognised).
// Values are PostgreSQL's own JSON rendering (to_jsonb), which json_populate_record reads back
// to the identical value: timestamps to the microsecond, bytea as hex, jsonb and arrays as is.
import { sql } from 'kysely';
import type { Kysely, RawBuilder } from 'kysely';
import type { DB } from '../db/schema.ts';
import { foldPendingPeople } from '../journeys/store.ts';
import { notFound } from '../shared/errors.ts';
import { appliedMigrations, ident, workspaceTables } from './catalog.ts';
import type { TableInfo } from './catalog.ts';

export const EXPORT_FORMAT = 'truthdesk-workspace';
export const EXPORT_VERSION = 1;
const PAGE = 2000;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: number;
  workspaceId: string;
  slug: string;
  migrations: string[];
  exportedAt: string;
}

export interface ExportTrailer {
  end: true;
  rows: number;
  tables: Record<string, number>;
}

export type ExportLine = ExportHeader | { table: string; row: Record<string, unknown> } | ExportTrailer;

export interface ExportOptions {
  /** Called before each page with rows written so far and the total to write. */
  onProgress?: (done: number, total: number) => void;
  now?: Date;
}

function scope(table: TableInfo) {
  return sql.raw(table.name === 'workspaces' ? 'id' : 'workspace_id');
}

/**
 * Rollups kept as rows plus appended deltas a job folds into them (migrations 059 and 064):
 * exported as the reports read them, with the deltas not yet folded added, so the importer gets
 * the sums and no deltas.
 */
const ROLLUPS_WITH_DELTAS: Readonly<Record<string, { deltas: string; keys: string[]; value: string }>> = {
  touchpoint_daily: { deltas: 'touchpoint_daily_deltas', keys: ['day', 'stage', 'valence', 'channel'], value: 'touchpoints' },
  touchpoint_person_gaps: { deltas: 'touchpoint_person_gap_deltas', keys: ['day', 'stage', 'prev_day', 'conv_day'], value: 'people' },
};

/**
 * Where a table's rows are read from: the table itself, except where the stored rows are not
 * the whole truth. A workspace's next ticket number lives in its sequence (migration 058), so
 * the row carries the live one and the importer's sequence continues from it. Rollups with
 * deltas are read with them added (ROLLUPS_WITH_DELTAS).
 */
function source(table: TableInfo): RawBuilder<unknown> {
  if (table.name === 'workspaces') {
    return sql`(SELECT w.*, ticket_number_peek(w.id) AS live_next_ticket_number FROM workspaces w)`;
  }
  const rollup = ROLLUPS_WITH_DELTAS[table.name];
  if (rollup) {
    const keys = sql.raw(['workspace_id', ...rollup.keys].map(ident).join(', '));
    const value = sql.raw(ident(rollup.value));
    return sql`(
      SELECT ${keys}, sum(${value})::bigint AS ${value}
      FROM (SELECT ${keys}, ${value} FROM ${sql.raw(ident(table.name))} UNION ALL SELECT ${keys}, ${value} FROM ${sql.raw(ident(rollup.deltas))}) u
      GROUP BY ${keys}
      HAVING sum(${value}) <> 0)`;
  }
  return sql.raw(ident(table.name));
}

/** The row as exported: the table's own columns, with any live value put in its place. */
function exportedRow(table: TableInfo): RawBuilder<unknown> {
  if (table.name === 'workspaces') {
    return sql`(to_jsonb(x) - 'live_next_ticket_number') || jsonb_build_object('next_ticket_number', x.live_next_ticket_number)`;
  }
  return sql`to_jsonb(x)`;
}

async function* tableRows(db: Kysely<DB>, workspaceId: string, table: TableInfo): AsyncGenerator<Record<string, unknown>> {
  const generated = await sql<{ name: string }>`
    SELECT a.attname AS name FROM pg_attribute a
    WHERE a.attrelid = ${table.name}::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> ''`.execute(db);
  const drop = generated.rows.map((r) => r.name);
  const t = sql.raw(ident(table.name));
  const key = sql.raw(table.primaryKey.map(ident).join(', '));
  let last: Record<string, unknown> | null = null;
  for (;;) {
    // Keyset pages in primary-key order: the next page starts after the last row's key, read
    // back to its own types through jsonb_populate_record (works for any key shape).
    const after: RawBuilder<unknown> = last
      ? sql`AND (${key}) > (SELECT ${key} FROM jsonb_populate_record(NULL::${t}, ${JSON.stringify(last)}::jsonb))`
      : sql``;
    const page: { rows: { row: Record<string, unknown> }[] } = await sql<{ row: Record<string, unknown> }>`
      SELECT (${exportedRow(table)}) - ${drop}::text[] AS row FROM ${source(table)} x
      WHERE ${scope(table)} = ${workspaceId}::uuid ${after}
      ORDER BY ${key} LIMIT ${PAGE}`.execute(db);
    for (const r of page.rows) yield r.row;
    if (page.rows.length < PAGE) return;
    last = page.rows[page.rows.length - 1]?.row ?? null;
  }
}

/**
 * Writes the workspace through `write` (one call per line, awaited: the caller applies
 * back-pressure). Reads in one repeatable-read snapshot, so a busy workspace exports a
 * consistent moment. Secrets stay hashed as stored; the file still deserves care (it holds
 * every customer's data).
 */
export async function exportWorkspace(
  db: Kysely<DB>,
  workspaceId: string,
  write: (line: string) => Promise<void>,
  options: ExportOptions = {},
): Promise<ExportTrailer> {
  // The person rows as the reports read them: the people awaiting their refresh (migration 076)
  // refreshed first. Any written meanwhile are exported as still pending, and the importing
  // database's refresh job recomputes them.
  await foldPendingPeople(db, workspaceId);
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const workspace = await tx.selectFrom('workspaces').select(['id', 'slug']).where('id', '=', workspaceId).executeTakeFirst();
      if (!workspace) throw notFound('workspace');
      const tables = await workspaceTables(tx);
      const counts = new Map<string, number>();
      for (const table of tables) {
        const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${source(table)} x WHERE ${scope(table)} = ${workspaceId}::uuid`.execute(tx);
        counts.set(table.name, Number(r.rows[0]?.n ?? 0));
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const header: ExportHeader = {
        format: EXPORT_FORMAT,
        version: EXPORT_VERSION,
        workspaceId,
        slug: workspace.slug,
        migrations: await appliedMigrations(tx),
        exportedAt: (options.now ?? new Date()).toISOString(),
      };
      await write(JSON.stringify(header));
      const written: Record<string, number> = {};
      let done = 0;
      options.onProgress?.(0, total);
      for (const table of tables) {
        if (counts.get(table.name) === 0) continue;
        let n = 0;
        for await (const row of tableRows(tx, workspaceId, table)) {
          await write(JSON.stringify({ table: table.name, row }));
          n++;
          if (++done % PAGE === 0) options.onProgress?.(done, total);
        }
        written[table.name] = n;
      }
      options.onProgress?.(done, total);
      const trailer: ExportTrailer = { end: true, rows: done, tables: written };
      await write(JSON.stringify(trailer));
      return trailer;
    });
}
