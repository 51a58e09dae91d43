// Migrations as an operator meets them: a brand-new empty database gets every migration once,
// a second run changes nothing, a broken migration leaves nothing half-applied, and two
// processes starting at once neither fail nor apply anything twice.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import type { Database, DatabaseKind } from '../src/db/connection.ts';
import { loadMigrations, migrate } from '../src/db/migrate.ts';
import type { Migration } from '../src/db/migrate.ts';
import { cleanupCli, runCli, scratchDir, startServe } from './support/cli.ts';
import { availableBackends, emptyPostgresDatabase } from './support/db.ts';

const migrationsDir = fileURLToPath(new URL('../src/db/migrations/', import.meta.url));

/** The migration files as an operator sees them in the repository, in name order. */
const migrationFiles = readdirSync(migrationsDir)
  .filter((name) => name.endsWith('.sql'))
  .sort();
const migrationVersions = migrationFiles.map((name) => name.replace(/\.sql$/, ''));

/** Tables the migration files create (and do not drop again later). */
function tablesCreatedByMigrations(): string[] {
  const tables = new Set<string>();
  for (const file of migrationFiles) {
    const sql = readFileSync(join(migrationsDir, file), 'utf8');
    for (const m of sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi)) tables.add((m[1] as string).toLowerCase());
    for (const m of sql.matchAll(/DROP TABLE (?:IF EXISTS )?(\w+)/gi)) tables.delete((m[1] as string).toLowerCase());
  }
  return [...tables].sort();
}

interface Queryable {
  query<R extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

async function publicTables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name);
}

/** Every table, column (type, nullability, default) and index in the public schema. */
async function schemaSnapshot(db: Queryable): Promise<string[]> {
  const columns = await db.query<{ line: string }>(
    `SELECT table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '-') AS line
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const indexes = await db.query<{ line: string }>(
    `SELECT indexdef AS line FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`,
  );
  return [...columns.rows.map((r) => r.line), ...indexes.rows.map((r) => r.line)];
}

async function recordedMigrations(db: Queryable): Promise<{ version: string; applied_at: Date }[]> {
  return (await db.query<{ version: string; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version')).rows;
}

/** A brand-new empty database of the given kind, opened, with a way to throw it away. */
async function emptyDatabase(kind: DatabaseKind): Promise<{ database: Database; url?: string; dispose(): Promise<void> }> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite', memory: true });
    return { database, dispose: () => database.close() };
  }
  const empty = await emptyPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url: empty.url });
  return {
    database,
    url: empty.url,
    dispose: async () => {
      await database.close();
      await empty.drop();
    },
  };
}

// ---------------------------------------------------------------------------------------
// The CLI as a child process

afterAll(cleanupCli);

// ---------------------------------------------------------------------------------------

describe.each(availableBackends())('migrate() on an empty %s database', (kind) => {
  it('applies every migration file in order, records each, and a second run changes nothing', async () => {
    const { database, dispose } = await emptyDatabase(kind);
    try {
      expect(await publicTables(database.pool)).toEqual([]);

      const first = await migrate(database.pool);
      expect(first.applied).toEqual(migrationVersions);
      expect(first.alreadyApplied).toEqual([]);

      const recorded = await recordedMigrations(database.pool);
      expect(recorded.map((r) => r.version)).toEqual(migrationVersions);
      for (const row of recorded) expect(row.applied_at).toBeInstanceOf(Date);

      const tables = await publicTables(database.pool);
      for (const table of tablesCreatedByMigrations()) expect(tables).toContain(table);
      expect(tables).toContain('schema_migrations');
      const before = await schemaSnapshot(database.pool);
      expect(before.length).toBeGreaterThan(tables.length);

      const second = await migrate(database.pool);
      expect(second.applied).toEqual([]);
      expect(second.alreadyApplied).toEqual(migrationVersions);
      expect(await schemaSnapshot(database.pool)).toEqual(before);
      expect((await recordedMigrations(database.pool)).map((r) => r.version)).toEqual(migrationVersions);
    } finally {
      await dispose();
    }
  });

  it('applies the migrations it is given in the order given, each once', async () => {
    const { database, dispose } = await emptyDatabase(kind);
    try {
      // 002 only works if 001 ran before it.
      const steps: Migration[] = [
        { version: '001_widgets', sql: 'CREATE TABLE widgets (id integer PRIMARY KEY);' },
        { version: '002_widget_names', sql: "ALTER TABLE widgets ADD COLUMN name text NOT NULL DEFAULT 'w';" },
      ];
      expect((await migrate(database.pool, steps.slice(0, 1))).applied).toEqual(['001_widgets']);
      const later = await migrate(database.pool, steps);
      expect(later).toEqual({ applied: ['002_widget_names'], alreadyApplied: ['001_widgets'] });
      const columns = await database.pool.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'widgets' ORDER BY ordinal_position`,
      );
      expect(columns.rows.map((r) => r.column_name)).toEqual(['id', 'name']);
    } finally {
      await dispose();
    }
  });

  it('a failing migration leaves no trace, names itself, and can be fixed and rerun', async () => {
    const { database, dispose } = await emptyDatabase(kind);
    try {
      const good: Migration = { version: '001_good', sql: 'CREATE TABLE good_table (id integer PRIMARY KEY);' };
      // Creates a table, then fails: the table must not survive.
      const broken: Migration = {
        version: '002_broken',
        sql: 'CREATE TABLE broken_table (id integer PRIMARY KEY);\nINSERT INTO broken_table (id) VALUES (1);\nSELEC oops FROM nowhere;',
      };
      const error = await migrate(database.pool, [good, broken]).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error?.message).toContain('002_broken');
      expect(error?.message).not.toContain('001_good');

      const tables = await publicTables(database.pool);
      expect(tables).toContain('good_table');
      expect(tables).not.toContain('broken_table');
      expect((await recordedMigrations(database.pool)).map((r) => r.version)).toEqual(['001_good']);

      // The lock was released and the fixed migration goes through on the next run.
      const fixed: Migration = { version: '002_broken', sql: 'CREATE TABLE broken_table (id integer PRIMARY KEY);' };
      const rerun = await migrate(database.pool, [good, fixed]);
      expect(rerun).toEqual({ applied: ['002_broken'], alreadyApplied: ['001_good'] });
      expect(await publicTables(database.pool)).toContain('broken_table');
      expect((await recordedMigrations(database.pool)).map((r) => r.version)).toEqual(['001_good', '002_broken']);
    } finally {
      await dispose();
    }
  });

  it('closing the database after a migration lets go of every connection (so `truthdesk migrate` exits at once)', async () => {
    const empty = kind === 'postgres' ? await emptyPostgresDatabase() : undefined;
    try {
      const database = await openDatabase(empty ? { kind: 'postgres', url: empty.url } : { kind: 'pglite', memory: true });
      await migrate(database.pool);
      expect(database.pool.totalCount).toBeGreaterThan(0);
      await database.close();
      // An idle connection left in the pool keeps a process alive for the pool's idle timeout.
      expect(database.pool.totalCount).toBe(0);
      expect(database.pool.ended).toBe(true);
    } finally {
      await empty?.drop();
    }
  });

  it('several migrate() calls at once apply each migration exactly once', async () => {
    const { database, url, dispose } = await emptyDatabase(kind);
    // On PostgreSQL each caller gets its own pool (its own sessions), as separate processes would.
    const extra: Database[] = [];
    try {
      if (url) {
        for (let i = 0; i < 3; i++) extra.push(await openDatabase({ kind: 'postgres', url, poolSize: 2 }));
      }
      const pools = kind === 'postgres' ? [database.pool, ...extra.map((d) => d.pool)] : [database.pool, database.pool, database.pool];
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      const appliers = results.filter((r) => r.applied.length > 0);
      expect(appliers).toHaveLength(1);
      expect(appliers[0]?.applied).toEqual(migrationVersions);
      for (const r of results.filter((x) => x.applied.length === 0)) expect(r.alreadyApplied).toEqual(migrationVersions);
      expect((await recordedMigrations(database.pool)).map((r) => r.version)).toEqual(migrationVersions);
    } finally {
      for (const d of extra) await d.close();
      await dispose();
    }
  });
});

describe('loadMigrations()', () => {
  it('reads every numbered .sql file of src/db/migrations, in name order', () => {
    const loaded = loadMigrations();
    expect(loaded.map((m) => m.version)).toEqual(migrationVersions);
    for (const [i, m] of loaded.entries()) {
      expect(m.sql).toBe(readFileSync(join(migrationsDir, migrationFiles[i] as string), 'utf8'));
    }
  });
});

describe.skipIf(!inject('postgresTemplate'))('two `truthdesk migrate` processes at once on PostgreSQL', () => {
  let empty: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    empty = await emptyPostgresDatabase();
  });
  afterAll(async () => empty?.drop());

  it('both succeed, every migration is recorded once, and the tables exist', async () => {
    const cwd = scratchDir();
    const [a, b] = await Promise.all([
      runCli(['migrate'], { DATABASE_URL: empty.url }, cwd),
      runCli(['migrate'], { DATABASE_URL: empty.url }, cwd),
    ]);
    expect(a, a.stderr).toMatchObject({ code: 0 });
    expect(b, b.stderr).toMatchObject({ code: 0 });
    const outputs = [a.stdout.trim(), b.stdout.trim()].sort();
    // One of them did the work; the other waited for it and found nothing to do.
    expect(outputs).toEqual([`Applied: ${migrationVersions.join(', ')}`, `Up to date (${migrationVersions.length} migrations)`]);

    const client = new pg.Client({ connectionString: empty.url });
    await client.connect();
    try {
      const counts = await client.query<{ version: string; n: string }>(
        'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      expect(counts.rows).toEqual(migrationVersions.map((version) => ({ version, n: '1' })));
      const tables = await publicTables(client);
      for (const table of tablesCreatedByMigrations()) expect(tables).toContain(table);
    } finally {
      await client.end();
    }

    // And a third run later is a no-op.
    const again = await runCli(['migrate'], { DATABASE_URL: empty.url }, cwd);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(`Up to date (${migrationVersions.length} migrations)`);
  });
});

describe('two processes on one embedded (PGlite) data directory', () => {
  it('`migrate` refuses while `serve` runs, and works once the server has stopped', async () => {
    const cwd = scratchDir();
    const dataDir = join(cwd, 'data');
    const env = { TRUTHDESK_DATA: dataDir };
    const server = await startServe([], env, cwd);
    let stopped = false;
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

      const refused = await runCli(['migrate'], env, cwd);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/in use by another TruthDesk process/);
      expect(refused.stderr).toContain(dataDir);
      expect(refused.stdout).not.toMatch(/Applied|Up to date/);

      // The refused process did not disturb the running server.
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', database: 'pglite' });

      expect(await server.stop()).toBe(0);
      stopped = true;
    } finally {
      if (!stopped) await server.stop();
    }

    const after = await runCli(['migrate'], env, cwd);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout.trim()).toBe(`Up to date (${migrationVersions.length} migrations)`);

    // The data directory is intact: it opens, and holds the schema and its migration records.
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect((await recordedMigrations(database.pool)).map((r) => r.version)).toEqual(migrationVersions);
      const tables = await publicTables(database.pool);
      for (const table of tablesCreatedByMigrations()) expect(tables).toContain(table);
      expect((await database.pool.query<{ n: string }>('SELECT count(*) AS n FROM workspaces')).rows[0]?.n).toBe('0');
    } finally {
      await database.close();
    }
  });
});
