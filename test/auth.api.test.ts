// Signing in and out, sessions, API tokens and how secrets are stored (the
// TRUTHDESK_ADMIN_TOKEN bootstrap of a real server is in admin-token.test.ts).
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

function setCookies(res: LightMyRequestResponse): string[] {
  const header = res.headers['set-cookie'];
  if (header === undefined) return [];
  return Array.isArray(header) ? header : [header];
}

/** The td_session value the answer sets, failing the test if it sets none. */
function sessionCookie(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name === 'td_session');
  if (!cookie?.value) throw new Error(`no td_session cookie in ${JSON.stringify(setCookies(res))}`);
  return cookie.value;
}

const withSession = (value: string) => ({ cookie: `td_session=${value}` });

describe.each(availableBackends())('sign-in and secrets on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;

  const login = (email: string, password: string) => api.request(undefined, 'POST', '/api/v1/auth/login', { email, password });
  const me = (session: string) => api.request(undefined, 'GET', '/api/v1/me', undefined, withSession(session));

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Sessions Inc');
  });
  afterAll(async () => api?.close());

  it('signs the owner in with an HttpOnly, SameSite=Lax session cookie that alone authenticates', async () => {
    const res = await login(ws.ownerEmail.toUpperCase(), ws.ownerPassword);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ agentId: ws.ownerId, workspaceId: ws.id });
    const raw = setCookies(res).find((c) => c.startsWith('td_session='));
    expect(raw).toBeDefined();
    expect(raw).toMatch(/;\s*HttpOnly/i);
    expect(raw).toMatch(/;\s*SameSite=Lax/i);
    expect(raw).toMatch(/;\s*Path=\//i);

    const session = sessionCookie(res);
    const who = await me(session);
    expect(who.statusCode, who.body).toBe(200);
    expect(who.json()).toMatchObject({ role: 'owner', workspaceId: ws.id, agent: { id: ws.ownerId, email: ws.ownerEmail, role: 'owner' } });
    // The cookie works on the API as a whole, not only on /me.
    const tickets = await api.request(undefined, 'GET', '/api/v1/tickets', undefined, withSession(session));
    expect(tickets.statusCode).toBe(200);
    // A made-up cookie does not.
    expect((await me('tds_madeUpSessionValue0000000000000000000')).statusCode).toBe(401);
  });

  it('refuses a wrong password or an unknown e-mail with 401 and sets no cookie', async () => {
    for (const [email, password] of [
      [ws.ownerEmail, 'wrong password'],
      [ws.ownerEmail, `${ws.ownerPassword} `],
      ['nobody@sessions.example.com', ws.ownerPassword],
    ] as const) {
      const res = await login(email, password);
      expect(res.statusCode, `${email}/${password}`).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
      expect(setCookies(res).filter((c) => c.startsWith('td_session='))).toEqual([]);
    }
    // Both failures read the same, so the answer does not tell which e-mails exist.
    const unknown = await login('nobody@sessions.example.com', 'x');
    const wrong = await login(ws.ownerEmail, 'x');
    expect(unknown.json().error.message).toBe(wrong.json().error.message);
  });

  it('ends the session on logout, and only that session', async () => {
    const first = sessionCookie(await login(ws.ownerEmail, ws.ownerPassword));
    const second = sessionCookie(await login(ws.ownerEmail, ws.ownerPassword));
    expect(first).not.toBe(second);
    expect((await me(first)).statusCode).toBe(200);

    const out = await api.request(undefined, 'POST', '/api/v1/auth/logout', undefined, withSession(first));
    expect(out.statusCode).toBe(204);
    // The browser is told to drop the cookie ...
    const cleared = setCookies(out).find((c) => c.startsWith('td_session='));
    expect(cleared).toMatch(/^td_session=;/);
    // ... and replaying it does not work either.
    const replay = await me(first);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('unauthorized');
    expect((await me(second)).statusCode).toBe(200);
  });

  it('stops a deactivated agent from signing in and ends their open sessions', async () => {
    const password = 'dimitra-secret-42';
    const created = await api.request(ws.tokens.admin, 'POST', '/api/v1/agents', {
      email: 'dimitra@sessions.example.com',
      name: 'Dimitra',
      role: 'agent',
      password,
    });
    expect(created.statusCode, created.body).toBe(201);
    const agentId = created.json().id;
    const session = sessionCookie(await login('dimitra@sessions.example.com', password));
    expect((await me(session)).json().agent.id).toBe(agentId);

    const deactivate = await api.request(ws.tokens.admin, 'PATCH', `/api/v1/agents/${agentId}`, { active: false });
    expect(deactivate.statusCode, deactivate.body).toBe(200);
    expect(deactivate.json().active).toBe(false);

    expect((await me(session)).statusCode).toBe(401);
    const ticketsWithOldSession = await api.request(undefined, 'GET', '/api/v1/tickets', undefined, withSession(session));
    expect(ticketsWithOldSession.statusCode).toBe(401);
    const again = await login('dimitra@sessions.example.com', password);
    expect(again.statusCode).toBe(401);
    expect(setCookies(again).filter((c) => c.startsWith('td_session='))).toEqual([]);

    // Reactivated, they sign in again with the same password.
    await api.request(ws.tokens.admin, 'PATCH', `/api/v1/agents/${agentId}`, { active: true });
    expect((await login('dimitra@sessions.example.com', password)).statusCode).toBe(200);
  });

  it('shows an API token’s secret once and never stores or lists it in plain text', async () => {
    const created = await api.request(ws.tokens.owner, 'POST', '/api/v1/tokens', { name: 'CI pipeline', role: 'team_leader' });
    expect(created.statusCode, created.body).toBe(201);
    const { id, token, role } = created.json();
    expect(role).toBe('team_leader');
    expect(typeof token).toBe('string');
    expect(token.length).toBeGreaterThanOrEqual(32);
    const who = await api.request(token, 'GET', '/api/v1/me');
    expect(who.json()).toMatchObject({ role: 'team_leader', workspaceId: ws.id });

    const list = await api.request(ws.tokens.owner, 'GET', '/api/v1/tokens');
    expect(list.statusCode).toBe(200);
    const entry = list.json().data.find((t: { id: string }) => t.id === id);
    expect(entry).toMatchObject({ id, name: 'CI pipeline', role: 'team_leader', revokedAt: null });
    expect(entry).not.toHaveProperty('token');
    for (const secret of [token, ...Object.values(ws.tokens)]) expect(list.body).not.toContain(secret);

    const rows = await api.database.db.selectFrom('api_tokens').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    const row = rows.find((r) => r.id === id);
    expect(row?.token_hash).toBeTruthy();
    expect(row?.token_hash).not.toBe(token);
    const stored = JSON.stringify(rows);
    for (const secret of [token, ...Object.values(ws.tokens)]) expect(stored).not.toContain(secret);
  });

  it('stores session secrets and passwords only as hashes', async () => {
    const session = sessionCookie(await login(ws.ownerEmail, ws.ownerPassword));
    const sessions = JSON.stringify(await api.database.db.selectFrom('sessions').selectAll().execute());
    expect(sessions).not.toContain(session);

    const password = 'same-password-twice';
    const ids: string[] = [];
    for (const email of ['nikos@sessions.example.com', 'layla@sessions.example.com']) {
      const res = await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', { email, name: email, role: 'agent', password });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json().id);
    }
    const agents = await api.database.db
      .selectFrom('agents')
      .select(['id', 'password_hash'])
      .where('id', 'in', [ws.ownerId, ...ids])
      .execute();
    expect(agents).toHaveLength(3);
    for (const agent of agents) {
      expect(agent.password_hash).toMatch(/^scrypt\$/);
      expect(agent.password_hash).not.toContain(ws.ownerPassword);
      expect(agent.password_hash).not.toContain(password);
    }
    // Salted: the same password does not give the same hash.
    const [a, b] = agents.filter((x) => ids.includes(x.id));
    expect(a?.password_hash).not.toBe(b?.password_hash);
    // The API never shows a hash.
    const listed = await api.request(ws.tokens.owner, 'GET', '/api/v1/agents');
    for (const agent of agents) expect(listed.body).not.toContain(agent.password_hash);
  });
});
