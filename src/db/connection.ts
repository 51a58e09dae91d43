// Opens the database: PGlite (embedded, in-process) by default, PostgreSQL when a URL is given.
// Both are reached through node-postgres and Kysely, so every query runs unchanged on either.
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely } from 'kysely';
import pg from 'pg';
import lockfile from 'proper-lockfile';
import { AfterCommitPostgresDialect } from './after-commit.ts';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<DB>;
  readonly pool: pg.Pool;
  /** The PGlite instance, when embedded (tests dump it to clone fresh databases quickly). */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite'; memory: true; loadDataDir?: Blob };

export class DatabaseLockedError extends Error {
  constructor(dataDir: string) {
    super(
      `The embedded database in ${dataDir} is in use by another TruthDesk process. ` +
        'Stop it first, or use PostgreSQL (DATABASE_URL) to run several processes.',
    );
    this.name = 'DatabaseLockedError';
  }
}

const pgliteExtensions = { pg_trgm, unaccent };

/**
 * Kysely ends the pool only if it ran a query itself; callers that used the pool directly
 * (migrate) would otherwise keep an idle connection, and the process, alive for 10 seconds.
 */
async function endPool(pool: pg.Pool): Promise<void> {
  if (!pool.ended) await pool.end();
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    const db = new Kysely<DB>({ dialect: new AfterCommitPostgresDialect({ pool }) });
    return {
      kind: 'postgres',
      db,
      pool,
      close: async () => {
        await db.destroy();
        await endPool(pool);
      },
    };
  }

  let release: (() => Promise<void>) | undefined;
  let pglite: PGlite;
  if ('dataDir' in options) {
    mkdirSync(options.dataDir, { recursive: true });
    // PGlite is single-process: a second process on the same directory would corrupt it.
    try {
      release = await lockfile.lock(options.dataDir, { stale: 15_000, update: 5_000, realpath: false });
    } catch (error) {
      if ((error as { code?: string }).code === 'ELOCKED') throw new DatabaseLockedError(options.dataDir);
      throw error;
    }
    pglite = await PGlite.create(options.dataDir, { extensions: pgliteExtensions });
  } else {
    pglite = await PGlite.create({ extensions: pgliteExtensions, loadDataDir: options.loadDataDir });
  }
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new AfterCommitPostgresDialect({ pool }) });
  return {
    kind: 'pglite',
    db,
    pool,
    pglite,
    close: async () => {
      await db.destroy();
      await endPool(pool);
      await pglite.close();
      await release?.();
    },
  };
}

/** Chooses the database from the environment, as the contract says: DATABASE_URL, else ./.truthdesk. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  if (env.DATABASE_URL) {
    // Connections per process (default 10): with several API processes on one PostgreSQL, their
    // sum is what the database serves at once.
    const size = Number(env.DATABASE_POOL_SIZE);
    return Number.isInteger(size) && size > 0 ? { kind: 'postgres', url: env.DATABASE_URL, poolSize: size } : { kind: 'postgres', url: env.DATABASE_URL };
  }
  return { kind: 'pglite', dataDir: env.TRUTHDESK_DATA ?? '.truthdesk' };
}
