// Prepares databases once per run: a migrated PGlite data directory dumped to a file (each
// test file loads it in half a second instead of running initdb), and, when a PostgreSQL
// server is reachable, a fresh migrated template database that test files clone.
import { writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/db/connection.ts';
import { migrate } from '../../src/db/migrate.ts';
import { ensureWebBuilt } from '../../src/http/web-build.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    postgresTemplate: { adminUrl: string; template: string } | null;
  }
}

export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  // The browser tests and `serve` use the production build of the web app: build it when its
  // sources changed (a fresh clone in CI, or after editing web/).
  ensureWebBuilt({ quiet: true });
  const dir = mkdtempSync(join(tmpdir(), 'truthdesk-test-'));
  const dumpPath = join(dir, 'pglite-migrated.tar');
  const pglite = await openDatabase({ kind: 'pglite', memory: true });
  await migrate(pglite.pool);
  const dump = await pglite.pglite!.dumpDataDir('none');
  writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  await pglite.close();
  project.provide('pgliteDump', dumpPath);

  const adminUrl = process.env.DATABASE_URL ?? DEFAULT_POSTGRES_URL;
  const required = Boolean(process.env.DATABASE_URL) || process.env.TRUTHDESK_TEST_POSTGRES === 'required';
  let template: string | null = null;
  if (await postgresReachable(adminUrl)) {
    template = `truthdesk_tpl_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const db = await openDatabase({ kind: 'postgres', url: databaseUrl(adminUrl, template) });
    await migrate(db.pool);
    await db.close();
    project.provide('postgresTemplate', { adminUrl, template });
  } else if (required) {
    throw new Error(`PostgreSQL is required for this run but ${adminUrl} is not reachable`);
  } else {
    console.warn(`PostgreSQL at ${adminUrl} is not reachable: tests run on PGlite only`);
    project.provide('postgresTemplate', null);
  }

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    if (template) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      // Test files drop their own clones; sweep any a crashed worker left behind.
      const leftovers = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1`,
        [`truthdesk_t_${process.pid}_%`],
      );
      for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await admin.end();
    }
  };
}
