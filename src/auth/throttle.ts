// Sign-in throttling in the database, so every server process sees the same counts. The
// rules are the pure ones in domain/throttle.ts; this file only reads and writes their state.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { afterFailure, lockedUntil, SIGN_IN_POLICIES } from '../domain/throttle.ts';
import type { ThrottleScope, ThrottleState } from '../domain/throttle.ts';
import { hashSecret } from './secrets.ts';

export interface SignInAttempt {
  email: string;
  /** The client's address as Fastify sees it (honours X-Forwarded-For only behind a trusted proxy). */
  address: string;
}

function keysOf(attempt: SignInAttempt): Record<ThrottleScope, string> {
  const email = attempt.email.trim().toLowerCase();
  return {
    emailAndAddress: `ea:${hashSecret(`${email}\n${attempt.address}`)}`,
    email: `e:${hashSecret(email)}`,
    address: `a:${hashSecret(attempt.address)}`,
  };
}

const SCOPES = Object.keys(SIGN_IN_POLICIES) as ThrottleScope[];

/** The latest time until which any of the attempt's keys is locked, or null. */
export async function signInLockedUntil(db: Kysely<DB>, attempt: SignInAttempt, at: Date): Promise<Date | null> {
  const keys = keysOf(attempt);
  const rows = await db
    .selectFrom('sign_in_throttle')
    .select(['key', 'failures', 'window_started_at', 'locked_until'])
    .where('key', 'in', Object.values(keys))
    .execute();
  let until: Date | null = null;
  for (const row of rows) {
    const locked = lockedUntil({ failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until }, at);
    if (locked && (!until || locked > until)) until = locked;
  }
  return until;
}

/** Counts one wrong password against every key of the attempt (row-locked, so parallel tries all count). */
export async function recordSignInFailure(db: Kysely<DB>, attempt: SignInAttempt, at: Date): Promise<void> {
  const keys = keysOf(attempt);
  await db.transaction().execute(async (tx) => {
    for (const scope of SCOPES) {
      const key = keys[scope];
      await tx
        .insertInto('sign_in_throttle')
        .values({ key, failures: 0, window_started_at: at, locked_until: null })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await tx
        .selectFrom('sign_in_throttle')
        .select(['failures', 'window_started_at', 'locked_until'])
        .where('key', '=', key)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const before: ThrottleState | null =
        row.failures === 0 ? null : { failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until };
      const next = afterFailure(before, at, SIGN_IN_POLICIES[scope]);
      await tx
        .updateTable('sign_in_throttle')
        .set({ failures: next.failures, window_started_at: next.windowStartedAt, locked_until: next.lockedUntil, updated_at: at })
        .where('key', '=', key)
        .execute();
    }
    // Old rows tell nothing once their window and lock have passed; keep the table small.
    await tx.deleteFrom('sign_in_throttle').where('updated_at', '<', new Date(at.getTime() - 24 * 3_600_000)).execute();
  });
}

/** A right password forgets this e-mail's failures from this address (not the wider counts). */
export async function clearSignInFailures(db: Kysely<DB>, attempt: SignInAttempt): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', keysOf(attempt).emailAndAddress).execute();
}
