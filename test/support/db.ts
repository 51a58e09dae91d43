// Fresh, migrated databases for tests: PGlite always, PostgreSQL when the run has a server.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase } from '../../src/db/connection.ts';
import type { Database, DatabaseKind } from '../../src/db/connection.ts';

let counter = 0;

export function availableBackends(): DatabaseKind[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase extends Database {
  /** For PostgreSQL: the URL of this test's own database (child processes can use it). */
  url?: string;
}

/** A new empty database with every migration applied; close() also drops a PostgreSQL clone. */
export async function freshDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dump = readFileSync(inject('pgliteDump'));
    return openDatabase({ kind: 'pglite', memory: true, loadDataDir: new Blob([dump]) });
  }
  const tpl = inject('postgresTemplate');
  if (!tpl) throw new Error('no PostgreSQL in this run');
  const name = `truthdesk_t_${process.ppid}_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: tpl.adminUrl });
  await admin.connect();
  // Cloning needs the template to be idle; another worker cloning at the same moment, or a
  // connection still closing, makes PostgreSQL refuse (55006) for a moment, so retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${tpl.template}`);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  await admin.end();
  const url = databaseUrl(tpl.adminUrl, name);
  const database = await openDatabase({ kind: 'postgres', url });
  return {
    ...database,
    url,
    close: async () => {
      await database.close();
      const dropper = new pg.Client({ connectionString: tpl.adminUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A brand-new PostgreSQL database with nothing in it (no migrations); drop() removes it. */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const tpl = inject('postgresTemplate');
  if (!tpl) throw new Error('no PostgreSQL in this run');
  // Same prefix as freshDatabase, so the global teardown sweeps any a crashed worker leaves.
  const name = `truthdesk_t_${process.ppid}_${process.pid}_${Date.now()}_${counter++}_empty`;
  const admin = new pg.Client({ connectionString: tpl.adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrl(tpl.adminUrl, name),
    drop: async () => {
      const dropper = new pg.Client({ connectionString: tpl.adminUrl });
      await dropper.connect();
      try {
        await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}
