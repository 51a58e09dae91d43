// Brute-force protection on sign-in: the pure rules (domain/throttle.ts), then the route on
// both databases — a locked e-mail is refused with 429 and Retry-After even with the right
// password, other addresses are not punished for one address's guessing, and locks expire.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterFailure, lockedUntil } from '../src/domain/throttle.ts';
import type { ThrottlePolicy, ThrottleState } from '../src/domain/throttle.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const policy: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 10 * 60_000 };
const t0 = new Date('2026-11-25T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

function failuresAt(offsets: number[]): ThrottleState | null {
  let state: ThrottleState | null = null;
  for (const offset of offsets) state = afterFailure(state, at(offset), policy);
  return state;
}

describe('sign-in throttle rules', () => {
  it('locks on the fifth failure inside a window, for exactly the lock time', () => {
    const four = failuresAt([0, 1_000, 2_000, 3_000]);
    expect(lockedUntil(four, at(3_000))).toBeNull();
    const five = afterFailure(four, at(4_000), policy);
    expect(lockedUntil(five, at(4_000))).toEqual(at(4_000 + policy.lockMs));
    expect(lockedUntil(five, at(4_000 + policy.lockMs - 1))).not.toBeNull();
    expect(lockedUntil(five, at(4_000 + policy.lockMs))).toBeNull();
  });

  it('starts a new count once the window has passed', () => {
    const old = failuresAt([0, 1_000, 2_000, 3_000]);
    const later = afterFailure(old, at(policy.windowMs + 5_000), policy);
    expect(later).toEqual({ failures: 1, windowStartedAt: at(policy.windowMs + 5_000), lockedUntil: null });
  });

  it('after a lock has run out, the next failure starts afresh instead of locking again at once', () => {
    const locked = failuresAt([0, 1, 2, 3, 4]);
    const after = afterFailure(locked, at(4 + policy.lockMs + 1), policy);
    expect(after.failures).toBe(1);
    expect(lockedUntil(after, at(4 + policy.lockMs + 1))).toBeNull();
  });

  it('never locks fewer than maxFailures failures, whatever their timing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_600_000 }), { maxLength: policy.maxFailures - 1 }), (offsets) => {
        const sorted = [...offsets].sort((a, b) => a - b);
        const state = failuresAt(sorted);
        return lockedUntil(state, at(sorted.at(-1) ?? 0)) === null;
      }),
    );
  });

  it('always locks maxFailures failures that fall inside one window, never for longer than lockMs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: policy.windowMs - 1 }), { minLength: policy.maxFailures, maxLength: policy.maxFailures }),
        (offsets) => {
          const sorted = [...offsets].sort((a, b) => a - b);
          const last = sorted.at(-1) ?? 0;
          const until = lockedUntil(failuresAt(sorted), at(last));
          return until !== null && until.getTime() - at(last).getTime() === policy.lockMs;
        },
      ),
    );
  });
});

describe.each(availableBackends())('sign-in lockout on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;

  const login = (email: string, password: string, address: string) =>
    api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: address });

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Lockout Α.Ε.');
  });
  afterAll(async () => api?.close());

  it('refuses even the right password with 429 and Retry-After after five wrong ones from one address; another address still signs in', async () => {
    for (let i = 0; i < 5; i++) expect((await login(ws.ownerEmail, `wrong ${i}`, '10.0.0.1')).statusCode).toBe(401);
    const refused = await login(ws.ownerEmail, ws.ownerPassword, '10.0.0.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('too_many_requests');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(refused.headers['set-cookie']).toBeUndefined();

    const elsewhere = await login(ws.ownerEmail, ws.ownerPassword, '10.0.0.2');
    expect(elsewhere.statusCode, elsewhere.body).toBe(200);
  });

  it('a right password forgets earlier wrong ones from that address', async () => {
    const address = '10.0.1.1';
    for (let i = 0; i < 4; i++) expect((await login(ws.ownerEmail, 'nope', address)).statusCode).toBe(401);
    expect((await login(ws.ownerEmail, ws.ownerPassword, address)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expect((await login(ws.ownerEmail, 'nope', address)).statusCode).toBe(401);
    expect((await login(ws.ownerEmail, ws.ownerPassword, address)).statusCode).toBe(200);
  });

  it('guessing spread over many addresses locks the e-mail everywhere', async () => {
    const agent = await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', {
      email: 'eleni@lockout.example.com', name: 'Ελένη Παπαδοπούλου', password: 'σωστός κωδικός 2026',
    });
    expect(agent.statusCode, agent.body).toBe(201);
    for (let i = 0; i < 20; i++) {
      expect((await login('eleni@lockout.example.com', `guess ${i}`, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    }
    expect((await login('eleni@lockout.example.com', 'σωστός κωδικός 2026', '198.51.100.7')).statusCode).toBe(429);
    // Another agent of the same workspace is not affected.
    expect((await login(ws.ownerEmail, ws.ownerPassword, '198.51.100.7')).statusCode).toBe(200);
  });

  it('counts unknown e-mails like known ones, and stores no e-mail or address in clear', async () => {
    for (let i = 0; i < 5; i++) expect((await login('nobody@lockout.example.com', 'x', '10.0.2.1')).statusCode).toBe(401);
    expect((await login('nobody@lockout.example.com', 'x', '10.0.2.1')).statusCode).toBe(429);
    const rows = await sql<{ key: string }>`SELECT key FROM sign_in_throttle`.execute(api.database.db);
    const dump = JSON.stringify(rows.rows);
    expect(dump).not.toContain('nobody');
    expect(dump).not.toContain('10.0.2.1');
  });

  it('lets the e-mail in again once the lock has run out', async () => {
    const address = '10.0.3.1';
    for (let i = 0; i < 5; i++) await login(ws.ownerEmail, 'wrong', address);
    expect((await login(ws.ownerEmail, ws.ownerPassword, address)).statusCode).toBe(429);
    // Fifteen minutes pass: move the stored lock into the past rather than sleeping.
    await sql`UPDATE sign_in_throttle SET locked_until = now() - interval '1 second' WHERE locked_until > now()`.execute(api.database.db);
    expect((await login(ws.ownerEmail, ws.ownerPassword, address)).statusCode).toBe(200);
  });
});

describe.each(availableBackends())('address rate limit and security headers on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Headers Ltd');
  });
  afterAll(async () => api?.close());

  it('lets one address try at most 60 sign-ins a minute, then answers 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `visitor${i}@headers.example.com`, password: 'x' },
        remoteAddress: '203.0.113.9',
      });
      statuses.push(res.statusCode);
      if (i === 60) {
        expect(res.json()).toMatchObject({ error: { code: 'too_many_requests' } });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    }
    expect(statuses.slice(0, 60).every((s) => s === 401)).toBe(true);
    expect(statuses[60]).toBe(429);
    // Another address is not affected.
    const other = await api.app.inject({
      method: 'POST', url: '/api/v1/auth/login', payload: { email: ws.ownerEmail, password: ws.ownerPassword }, remoteAddress: '203.0.113.10',
    });
    expect(other.statusCode).toBe(200);
  });

  it('sends baseline security headers on API answers, and pages keep their own policy', async () => {
    const res = await api.request(ws.tokens.agent, 'GET', '/api/v1/workspace');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(String(res.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(String(res.headers['content-security-policy'])).toContain("object-src 'none'");
    expect(res.headers['referrer-policy']).toBeDefined();
    const page = await api.request(undefined, 'GET', '/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toBeDefined();
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
