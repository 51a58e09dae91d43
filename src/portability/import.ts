// `truthdesk import workspace`: loads a file written by `truthdesk export` into this database,
// all or nothing. The file is read twice: first to check it whole (format, schema, a trailer
// whose counts match — a cut-off copy is refused before anything is written), then to load
// it in one transaction.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { ensureTouchpointPartitions } from '../journeys/store.ts';
import { conflict, unprocessable } from '../shared/errors.ts';
import { appliedMigrations, ident, workspaceTables } from './catalog.ts';
import type { TableInfo } from './catalog.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from './export.ts';
import { rearmWorkspaceJobs } from './rearm.ts';
import type { Rearmed } from './rearm.ts';
import type { ExportHeader } from './export.ts';

const BATCH = 1000;

export interface ImportSummary {
  workspaceId: string;
  slug: string;
  rows: number;
  tables: Record<string, number>;
  /** Tables whose identity numbers were already taken here, so their rows were renumbered (in order). */
  renumbered: string[];
  /** Waiting work queued again: SLA timers, mail to send or to process. */
  rearmed: Rearmed;
}

interface Scan {
  header: ExportHeader;
  rows: number;
  tables: Map<string, number>;
  identityRange: Map<string, { min: bigint; max: bigint }>;
  touchpointTimes: Date[];
}

async function* lines(path: string): AsyncGenerator<{ n: number; text: string }> {
  const input = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  for await (const text of input) {
    n++;
    if (text.trim() !== '') yield { n, text };
  }
}

function parseLine(n: number, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unprocessable(`line ${n}: not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unprocessable(`line ${n}: not a JSON object`);
  return value as Record<string, unknown>;
}

async function scan(path: string, tables: Map<string, TableInfo>): Promise<Scan> {
  let header: ExportHeader | null = null;
  let trailer: { rows: unknown; tables: unknown } | null = null;
  const counts = new Map<string, number>();
  const identityRange = new Map<string, { min: bigint; max: bigint }>();
  const touchpointMonths = new Map<string, Date>();
  let rows = 0;
  let order = 0;
  const position = new Map([...tables.keys()].map((t, i) => [t, i]));
  for await (const { n, text } of lines(path)) {
    const value = parseLine(n, text);
    if (!header) {
      if (value.format !== EXPORT_FORMAT) throw unprocessable('this is not a TruthDesk workspace export (the first line has no "format": "truthdesk-workspace")');
      if (value.version !== EXPORT_VERSION) throw unprocessable(`export format version ${String(value.version)} is not supported (this TruthDesk reads version ${EXPORT_VERSION})`);
      header = value as unknown as ExportHeader;
      continue;
    }
    if (trailer) throw unprocessable(`line ${n}: data after the end of the export`);
    if (value.end === true) {
      trailer = { rows: value.rows, tables: value.tables };
      continue;
    }
    const table = typeof value.table === 'string' ? tables.get(value.table) : undefined;
    const row = value.row;
    if (!table) throw unprocessable(`line ${n}: unknown table ${JSON.stringify(value.table)}`);
    if (typeof row !== 'object' || row === null || Array.isArray(row)) throw unprocessable(`line ${n}: "row" must be an object`);
    const record = row as Record<string, unknown>;
    if ((table.name === 'workspaces' ? record.id : record.workspace_id) !== header.workspaceId) {
      throw unprocessable(`line ${n}: a ${table.name} row of another workspace`);
    }
    // Rows must come in the order the importer loads them, or a foreign key would fail midway.
    const at = position.get(table.name) ?? 0;
    if (at < order) throw unprocessable(`line ${n}: ${table.name} rows after rows of a table that depends on it`);
    order = at;
    counts.set(table.name, (counts.get(table.name) ?? 0) + 1);
    rows++;
    for (const c of table.columns) {
      if (!c.identity || record[c.name] === null || record[c.name] === undefined) continue;
      const v = BigInt(String(record[c.name]));
      const r = identityRange.get(table.name);
      identityRange.set(table.name, r ? { min: v < r.min ? v : r.min, max: v > r.max ? v : r.max } : { min: v, max: v });
    }
    if (table.name === 'touchpoints' && typeof record.occurred_at === 'string') {
      touchpointMonths.set(record.occurred_at.slice(0, 7), new Date(record.occurred_at));
    }
  }
  if (!header) throw unprocessable('the file is empty');
  if (!trailer) throw unprocessable('the export is cut off: its last line (the counts) is missing');
  if (trailer.rows !== rows) throw unprocessable(`the export is incomplete: its trailer counts ${String(trailer.rows)} rows, the file has ${rows}`);
  return { header, rows, tables: counts, identityRange, touchpointTimes: [...touchpointMonths.values()] };
}

export async function importWorkspace(
  db: Kysely<DB>,
  path: string,
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<ImportSummary> {
  const catalogue = await workspaceTables(db);
  const tables = new Map(catalogue.map((t) => [t.name, t]));
  const found = await scan(path, tables);
  const { header } = found;
  const here = new Set(await appliedMigrations(db));
  const missing = header.migrations.filter((m) => !here.has(m));
  if (missing.length > 0) throw unprocessable(`the export comes from a newer schema (${missing.join(', ')}); upgrade this TruthDesk first`);
  const clash = await db
    .selectFrom('workspaces')
    .select(['id', 'slug'])
    .where((eb) => eb.or([eb('id', '=', header.workspaceId), eb('slug', '=', header.slug)]))
    .executeTakeFirst();
  if (clash) {
    throw conflict(
      clash.id === header.workspaceId
        ? `workspace ${header.workspaceId} already exists in this database`
        : `another workspace here already uses the slug "${header.slug}"`,
    );
  }
  // Partitions are DDL: made before the load, as ingestion does, so rows land in their month.
  await ensureTouchpointPartitions(db, found.touchpointTimes);

  return db.transaction().execute(async (tx) => {
    const renumbered: string[] = [];
    const keepIdentity = new Map<string, boolean>();
    for (const [table, range] of found.identityRange) {
      const info = tables.get(table) as TableInfo;
      const column = info.columns.find((c) => c.identity)?.name as string;
      const taken = await sql<{ taken: boolean }>`
        SELECT EXISTS (SELECT 1 FROM ${sql.raw(ident(table))} WHERE ${sql.raw(ident(column))} BETWEEN ${String(range.min)} AND ${String(range.max)}) AS taken`.execute(tx);
      const keep = !taken.rows[0]?.taken;
      keepIdentity.set(table, keep);
      if (keep) {
        // The sequence moves past the imported numbers first, so nothing written meanwhile collides.
        await sql`SELECT setval(pg_get_serial_sequence(${table}, ${column}), GREATEST(${String(range.max)}::bigint,
                   (SELECT last_value FROM pg_sequences WHERE schemaname = 'public' AND sequencename = split_part(pg_get_serial_sequence(${table}, ${column}), '.', 2))))`.execute(tx);
      } else {
        renumbered.push(table);
      }
    }

    let done = 0;
    let batch: Record<string, unknown>[] = [];
    let current: TableInfo | null = null;
    const selfRefRows: Record<string, unknown>[] = [];
    const flush = async () => {
      if (!current || batch.length === 0) return;
      const t = current;
      const keep = keepIdentity.get(t.name) ?? true;
      const columns = t.columns.filter((c) => keep || !c.identity);
      const names = sql.raw(columns.map((c) => ident(c.name)).join(', '));
      // Self-references are filled in once every row of the table exists.
      const values = sql.raw(columns.map((c) => (t.selfReferences.includes(c.name) ? 'NULL' : ident(c.name))).join(', '));
      const overriding = keep && columns.some((c) => c.identity) ? sql`OVERRIDING SYSTEM VALUE` : sql``;
      await sql`INSERT INTO ${sql.raw(ident(t.name))} (${names}) ${overriding}
                SELECT ${values} FROM jsonb_populate_recordset(NULL::${sql.raw(ident(t.name))}, ${JSON.stringify(batch)}::jsonb)`.execute(tx);
      if (t.selfReferences.length > 0) selfRefRows.push(...batch.filter((r) => t.selfReferences.some((c) => r[c] !== null && r[c] !== undefined)));
      done += batch.length;
      batch = [];
      options.onProgress?.(done, found.rows);
    };
    const finishTable = async () => {
      await flush();
      if (!current || selfRefRows.length === 0) return;
      const t = sql.raw(ident(current.name));
      const sets = sql.raw(current.selfReferences.map((c) => `${ident(c)} = x.${ident(c)}`).join(', '));
      const match = sql.raw(current.primaryKey.map((c) => `t.${ident(c)} = x.${ident(c)}`).join(' AND '));
      for (let i = 0; i < selfRefRows.length; i += BATCH) {
        const part = JSON.stringify(selfRefRows.slice(i, i + BATCH));
        await sql`UPDATE ${t} AS t SET ${sets} FROM jsonb_populate_recordset(NULL::${t}, ${part}::jsonb) AS x WHERE ${match}`.execute(tx);
      }
      selfRefRows.length = 0;
    };

    options.onProgress?.(0, found.rows);
    let first = true;
    for await (const { n, text } of lines(path)) {
      if (first) {
        first = false;
        continue;
      }
      const value = parseLine(n, text);
      if (value.end === true) break;
      const table = tables.get(value.table as string) as TableInfo;
      if (table !== current) {
        await finishTable();
        current = table;
      }
      batch.push(value.row as Record<string, unknown>);
      if (batch.length >= BATCH) await flush();
    }
    await finishTable();
    const rearmed = await rearmWorkspaceJobs(tx, header.workspaceId);
    return { workspaceId: header.workspaceId, slug: header.slug, rows: done, tables: Object.fromEntries(found.tables), renumbered, rearmed };
  });
}
