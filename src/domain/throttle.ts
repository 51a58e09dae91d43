// Sign-in throttling: how many wrong passwords a key (an e-mail, an address, or both) may
// send before it is locked out for a while. Pure: the caller passes the time and the state.

export interface ThrottlePolicy {
  /** Failures allowed inside one window; the next one locks the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

/**
 * Three keys, so that one attacker cannot try many passwords on one account from one place
 * (e-mail + address), nor spread the guessing over many addresses (e-mail), nor try one
 * password on many accounts (address). The e-mail-wide limit is high enough that a stranger
 * cannot lock a colleague out by mistyping, and a lock lasts only minutes.
 */
export const SIGN_IN_POLICIES = {
  emailAndAddress: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  email: { maxFailures: 20, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  address: { maxFailures: 100, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
} as const satisfies Record<string, ThrottlePolicy>;

export type ThrottleScope = keyof typeof SIGN_IN_POLICIES;

/** When the key may try again, or null when it may try now. */
export function lockedUntil(state: ThrottleState | null, at: Date): Date | null {
  if (!state?.lockedUntil) return null;
  return state.lockedUntil.getTime() > at.getTime() ? state.lockedUntil : null;
}

/** The state after one more failure at `at`: a new window once the old one has passed. */
export function afterFailure(state: ThrottleState | null, at: Date, policy: ThrottlePolicy): ThrottleState {
  const stillLocked = lockedUntil(state, at);
  if (stillLocked && state) return { ...state, failures: state.failures + 1 };
  const inWindow = state !== null && at.getTime() - state.windowStartedAt.getTime() < policy.windowMs && !state.lockedUntil;
  const failures = inWindow ? state.failures + 1 : 1;
  const windowStartedAt = inWindow ? state.windowStartedAt : at;
  return {
    failures,
    windowStartedAt,
    lockedUntil: failures >= policy.maxFailures ? new Date(at.getTime() + policy.lockMs) : null,
  };
}
