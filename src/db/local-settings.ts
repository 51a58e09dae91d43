// Settings for one statement's sake (a report's work_mem, JIT off), kept to its transaction so
// they never leak to the next user of the pooled connection.
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

/**
 * Runs `run` in a transaction with `settings` local to it (set_config(…, true), as SET LOCAL).
 * Inside a caller's transaction it runs as it is and the caller's settings stand.
 */
export function withLocalSettings<T>(db: Kysely<DB>, settings: Readonly<Record<string, string>>, run: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return run(db);
  const names = Object.keys(settings);
  return db.transaction().execute(async (tx) => {
    await sql`SELECT set_config(s.name, s.value, true) FROM unnest(${names}::text[], ${names.map((n) => settings[n] as string)}::text[]) AS s(name, value)`.execute(tx);
    return run(tx);
  });
}
