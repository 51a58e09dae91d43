// Who may call what, generated from the route table: every route, every role, no token, a
// malformed header, a revoked token. A route added later is covered without touching this file.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES } from '../src/domain/roles.ts';
import type { Role } from '../src/domain/roles.ts';
import { hashSecret } from '../src/auth/secrets.ts';
import { PRINCIPAL_CACHE_MS } from '../src/auth/store.ts';
import { routeCatalog } from '../src/http/route.ts';
import type { RouteSpec } from '../src/http/route.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

/** Path parameters get ids that exist nowhere, so an allowed call changes nothing. */
const concretePath = (url: string) => url.replace(/:\w+/g, () => randomUUID());
const routeKey = (spec: RouteSpec) => `${spec.method} ${spec.url}`;

/** What a caller with this role must get from the route: 403 exactly when the role lacks the permission. */
function mustBeForbidden(role: Role, spec: RouteSpec): boolean {
  if (spec.access === 'public' || spec.access === 'authenticated') return false;
  return !can(role, spec.access);
}

describe.each(availableBackends())('authorization on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Gatekeepers');
  });
  afterAll(async () => api?.close());

  const protectedRoutes = () => routeCatalog.filter((spec) => spec.access !== 'public');

  it('has a route table that covers every kind of access', () => {
    const accesses = new Set(routeCatalog.map((spec) => spec.access));
    for (const access of ['public', 'authenticated', 'tickets:work', 'audit:read', 'team:manage', 'agents:manage', 'settings:manage']) {
      expect(accesses).toContain(access);
    }
  });

  it.each(ROLES)('answers 403 to a %s token exactly on the routes its role may not use', async (role) => {
    const failures: string[] = [];
    for (const spec of routeCatalog) {
      const res = await api.request(ws.tokens[role], spec.method, concretePath(spec.url));
      const forbidden = mustBeForbidden(role, spec);
      if (forbidden) {
        if (res.statusCode !== 403 || res.json().error?.code !== 'forbidden') {
          failures.push(`${routeKey(spec)} (${spec.access}): expected 403 forbidden, got ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      } else if (res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500) {
        failures.push(`${routeKey(spec)} (${spec.access}): must be allowed, got ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('guards the sensitive routes with the permissions the roles are documented to have', async () => {
    // The matrix above trusts each route's declared access; these pin the ones that matter most.
    const expectations: Array<[Role, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown, number]> = [
      ['agent', 'GET', '/api/v1/audit', undefined, 403],
      ['team_leader', 'GET', '/api/v1/audit', undefined, 200],
      ['agent', 'GET', '/api/v1/tokens', undefined, 403],
      ['team_leader', 'POST', '/api/v1/tokens', { name: 'tl token', role: 'agent' }, 403],
      ['team_leader', 'POST', '/api/v1/agents', { email: 'tl-made@gatekeepers.example.com', name: 'TL made' }, 403],
      ['agent', 'PATCH', `/api/v1/agents/${randomUUID()}`, { name: 'x' }, 403],
      ['agent', 'POST', '/api/v1/teams', { name: 'Agent team' }, 403],
      ['team_leader', 'PATCH', '/api/v1/workspace', { name: 'TL workspace' }, 403],
      ['agent', 'GET', '/api/v1/tickets', undefined, 200],
      ['agent', 'GET', '/api/v1/teams', undefined, 200],
    ];
    for (const [role, method, url, body, status] of expectations) {
      const res = await api.request(ws.tokens[role], method, url, body);
      expect(res.statusCode, `${role} ${method} ${url}: ${res.body}`).toBe(status);
    }
  });

  it('answers 401 unauthorized to every non-public route without credentials, and lets public ones through', async () => {
    const failures: string[] = [];
    for (const spec of routeCatalog) {
      const res = await api.request(undefined, spec.method, concretePath(spec.url));
      if (spec.access === 'public') {
        if (res.statusCode === 401 || res.statusCode === 403) failures.push(`${routeKey(spec)} is public but got ${res.statusCode}`);
      } else if (res.statusCode !== 401 || res.json().error?.code !== 'unauthorized') {
        failures.push(`${routeKey(spec)}: expected 401 unauthorized, got ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 to malformed or unknown Authorization headers, even with a valid token inside', async () => {
    const valid = ws.tokens.owner;
    const headers = [
      valid, // no scheme
      `Token ${valid}`,
      `Basic ${Buffer.from(`${valid}:`).toString('base64')}`,
      'Bearer',
      'Bearer ',
      `Bearer ${valid} extra`,
      `Bearer ${valid}x`,
      'Bearer td_thisTokenWasNeverIssuedToAnyone000000',
    ];
    const failures: string[] = [];
    for (const authorization of headers) {
      for (const spec of protectedRoutes()) {
        const res = await api.request(undefined, spec.method, concretePath(spec.url), undefined, { authorization });
        if (res.statusCode !== 401 || res.json().error?.code !== 'unauthorized') {
          failures.push(`${routeKey(spec)} with "${authorization.slice(0, 20)}…": ${res.statusCode}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The same token, properly sent, works: the refusals above were about the header.
    expect((await api.request(valid, 'GET', '/api/v1/me')).statusCode).toBe(200);
    expect((await api.request(undefined, 'GET', '/api/v1/me', undefined, { authorization: `bearer ${valid}` })).statusCode).toBe(200);
  });

  it('answers 401 everywhere to a token once it is revoked', async () => {
    const created = await api.request(ws.tokens.admin, 'POST', '/api/v1/tokens', { name: 'to be revoked', role: 'admin' });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    expect((await api.request(token, 'GET', '/api/v1/tokens')).statusCode).toBe(200);

    const revoke = await api.request(ws.tokens.owner, 'DELETE', `/api/v1/tokens/${id}`);
    expect(revoke.statusCode).toBe(204);
    const failures: string[] = [];
    for (const spec of protectedRoutes()) {
      const res = await api.request(token, spec.method, concretePath(spec.url));
      if (res.statusCode !== 401 || res.json().error?.code !== 'unauthorized') failures.push(`${routeKey(spec)}: ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
    const listed = (await api.request(ws.tokens.owner, 'GET', '/api/v1/tokens')).json().data.find((t: { id: string }) => t.id === id);
    expect(listed.revokedAt).not.toBeNull();
    // Revoking twice is a 404, not a silent success.
    expect((await api.request(ws.tokens.owner, 'DELETE', `/api/v1/tokens/${id}`)).statusCode).toBe(404);
  });

  it('refuses a token revoked by another process within a second, and a session from the moment it expires', async () => {
    const created = (await api.request(ws.tokens.admin, 'POST', '/api/v1/tokens', { name: 'revoked elsewhere', role: 'agent' })).json();
    expect((await api.request(created.token, 'GET', '/api/v1/tickets')).statusCode).toBe(200);
    // Another API process (or the CLI) revokes it: this process learns of it by looking again.
    await api.database.db.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', created.id).execute();
    await new Promise((resolve) => setTimeout(resolve, PRINCIPAL_CACHE_MS + 50));
    expect((await api.request(created.token, 'GET', '/api/v1/tickets')).statusCode).toBe(401);

    const password = 'a long enough password';
    await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', { email: 'brief.visit@example.com', name: 'Σύντομη Επίσκεψη', role: 'agent', password });
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'brief.visit@example.com', password } });
    const session = login.cookies.find((c) => c.name === 'td_session')!.value;
    const asSession = () => api.app.inject({ method: 'GET', url: '/api/v1/tickets', headers: { cookie: `td_session=${session}` } });
    // A session that ends is refused from its end on, however recently it was used.
    await api.database.db.updateTable('sessions').set({ expires_at: new Date(Date.now() + 300) }).where('token_hash', '=', hashSecret(session)).execute();
    expect((await asSession()).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await asSession()).statusCode).toBe(401);
  });

  it('lets only an owner create owner tokens', async () => {
    const byAdmin = await api.request(ws.tokens.admin, 'POST', '/api/v1/tokens', { name: 'admin tries owner', role: 'owner' });
    expect(byAdmin.statusCode).toBe(403);
    expect(byAdmin.json().error.code).toBe('forbidden');
    const byOwner = await api.request(ws.tokens.owner, 'POST', '/api/v1/tokens', { name: 'owner makes owner', role: 'owner' });
    expect(byOwner.statusCode).toBe(201);
    const me = await api.request(byOwner.json().token, 'GET', '/api/v1/me');
    expect(me.json().role).toBe('owner');
    // An admin may still hand out admin and lesser tokens.
    const adminToken = await api.request(ws.tokens.admin, 'POST', '/api/v1/tokens', { name: 'admin makes admin', role: 'admin' });
    expect(adminToken.statusCode).toBe(201);

    const names = (await api.request(ws.tokens.owner, 'GET', '/api/v1/tokens')).json().data.map((t: { name: string }) => t.name);
    expect(names).toContain('owner makes owner');
    expect(names).not.toContain('admin tries owner');
  });

  it('lets only an owner revoke owner tokens', async () => {
    const ownerToken = (await api.request(ws.tokens.owner, 'POST', '/api/v1/tokens', { name: 'automation', role: 'owner' })).json();
    const byAdmin = await api.request(ws.tokens.admin, 'DELETE', `/api/v1/tokens/${ownerToken.id}`);
    expect(byAdmin.statusCode).toBe(403);
    expect((await api.request(ownerToken.token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const byOwner = await api.request(ws.tokens.owner, 'DELETE', `/api/v1/tokens/${ownerToken.id}`);
    expect(byOwner.statusCode).toBe(204);
    expect((await api.request(ownerToken.token, 'GET', '/api/v1/me')).statusCode).toBe(401);
  });

  it('stops the API tokens an agent made when that agent is deactivated', async () => {
    const password = 'a long enough password';
    const admin = await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', {
      email: 'leaving.admin@example.com', name: 'Νίκος Αποχωρών', role: 'admin', password,
    });
    expect(admin.statusCode).toBe(201);
    const login = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'leaving.admin@example.com', password } });
    const cookie = `td_session=${login.cookies.find((c) => c.name === 'td_session')!.value}`;
    const made = await api.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie }, payload: { name: 'script', role: 'agent' } });
    expect(made.statusCode).toBe(201);
    const token = made.json().token as string;
    expect((await api.request(token, 'GET', '/api/v1/tickets')).statusCode).toBe(200);
    await api.request(ws.tokens.owner, 'PATCH', `/api/v1/agents/${admin.json().id}`, { active: false });
    expect((await api.request(token, 'GET', '/api/v1/tickets')).statusCode).toBe(401);
  });

  it('lets only an owner create owner agents', async () => {
    const byAdmin = await api.request(ws.tokens.admin, 'POST', '/api/v1/agents', {
      email: 'would-be-owner@gatekeepers.example.com',
      name: 'Would-be Owner',
      role: 'owner',
    });
    expect(byAdmin.statusCode).toBe(403);
    expect(byAdmin.json().error.code).toBe('forbidden');
    const byOwner = await api.request(ws.tokens.owner, 'POST', '/api/v1/agents', {
      email: 'co-owner@gatekeepers.example.com',
      name: 'Co-Owner',
      role: 'owner',
    });
    expect(byOwner.statusCode).toBe(201);
    expect(byOwner.json().role).toBe('owner');

    const emails = (await api.request(ws.tokens.owner, 'GET', '/api/v1/agents')).json().data.map((a: { email: string }) => a.email);
    expect(emails).toContain('co-owner@gatekeepers.example.com');
    expect(emails).not.toContain('would-be-owner@gatekeepers.example.com');
  });

  it('does not let an admin promote anyone to owner or take over an owner account', async () => {
    const agent = await api.request(ws.tokens.admin, 'POST', '/api/v1/agents', {
      email: 'climber@gatekeepers.example.com',
      name: 'Climber',
      role: 'agent',
    });
    expect(agent.statusCode).toBe(201);
    const promote = await api.request(ws.tokens.admin, 'PATCH', `/api/v1/agents/${agent.json().id}`, { role: 'owner' });
    expect(promote.statusCode).toBe(403);

    // Resetting the owner's password would let an admin sign in as the owner.
    for (const change of [{ password: 'admin-chose-this' }, { active: false }, { role: 'agent' }]) {
      const res = await api.request(ws.tokens.admin, 'PATCH', `/api/v1/agents/${ws.ownerId}`, change);
      expect(res.statusCode, `${JSON.stringify(change)}: ${res.body}`).toBe(403);
    }
    const hijack = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: ws.ownerEmail, password: 'admin-chose-this' });
    expect(hijack.statusCode).toBe(401);
    const owner = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: ws.ownerEmail, password: ws.ownerPassword });
    expect(owner.statusCode).toBe(200);
    const me = await api.request(ws.tokens.owner, 'GET', `/api/v1/agents/${ws.ownerId}`);
    expect(me.json()).toMatchObject({ role: 'owner', active: true });
  });

  it('keeps workspace settings and the write key to owners and admins', async () => {
    const before = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json();
    for (const role of ['agent', 'team_leader'] as const) {
      const patch = await api.request(ws.tokens[role], 'PATCH', '/api/v1/workspace', { name: `Renamed by ${role}` });
      expect(patch.statusCode).toBe(403);
      expect(patch.json().error.code).toBe('forbidden');
      const get = await api.request(ws.tokens[role], 'GET', '/api/v1/workspace');
      expect(get.statusCode).toBe(200);
      expect(get.json().id).toBe(ws.id);
      expect(get.json()).not.toHaveProperty('writeKey');
      expect(get.body).not.toContain(before.writeKey);
    }
    expect((await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().name).toBe(before.name);

    expect(before.writeKey).toMatch(/^wk_/);
    const admin = (await api.request(ws.tokens.admin, 'GET', '/api/v1/workspace')).json();
    expect(admin.writeKey).toBe(before.writeKey);
    const patched = await api.request(ws.tokens.admin, 'PATCH', '/api/v1/workspace', { name: 'Gatekeepers Renamed' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ name: 'Gatekeepers Renamed', writeKey: before.writeKey });
  });
});
