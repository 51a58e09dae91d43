// The authorisation matrix: every route × every role × the caller's own workspace or another's,
// generated from the route table, so a route added later is covered without touching this file.
// With real ids of its own workspace a role gets exactly what the route's declared access says
// (403 when its role lacks the permission, and nothing changes; otherwise never 401 or 403);
// with real ids of another workspace it gets 403 or 404, never that workspace's data, and that
// workspace's stored rows stay as they were, also when the path pairs the caller's own ticket
// with another workspace's row. test/authz.api.test.ts covers ids that exist nowhere,
// missing and bad credentials; test/isolation.api.test.ts lists, search and cross references.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { can, ROLES } from '../src/domain/roles.ts';
import type { Role } from '../src/domain/roles.ts';
import { routeCatalog } from '../src/http/route.ts';
import type { RouteSpec } from '../src/http/route.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { ARTICLE_A, ATTACHMENT_TEXT, SUBJECT_A, bodyFor, ok, pathWithAIds, seedWorkspaceA, workspaceRows } from './support/seeded-workspace.ts';
import type { WorkspaceAData } from './support/seeded-workspace.ts';

const routeKey = (spec: RouteSpec) => `${spec.method} ${spec.url}`;
const withIds = (spec: RouteSpec) => spec.url.includes('/:');
/** Public routes have no role to check; the credentials they take are tested where they are defined. */
const roleRoutes = () => routeCatalog.filter((spec) => spec.access !== 'public');

function forbidden(role: Role, spec: RouteSpec): boolean {
  return spec.access !== 'public' && spec.access !== 'authenticated' && !can(role, spec.access);
}

function jsonOf(res: LightMyRequestResponse): { error?: { code?: string; message?: string } } | undefined {
  return res.headers['content-type']?.toString().includes('json') ? res.json() : undefined;
}

describe.each(availableBackends())('authorisation matrix on %s', (kind) => {
  let api: TestApi;
  let wsA: TestWorkspace;
  let wsB: TestWorkspace;
  let a: WorkspaceAData;

  /** A valid body for a write route, so the answer is about who asks, not about what they sent. */
  function requestBody(ws: TestWorkspace, spec: RouteSpec): unknown {
    if (spec.method === 'GET' || !spec.body || !withIds(spec)) return undefined;
    const body = bodyFor(ws, routeKey(spec));
    if (body === undefined) throw new Error(`test/support/seeded-workspace.ts has no request body for ${routeKey(spec)}: extend bodyFor()`);
    return body;
  }

  /** Calls a route as `role` of `ws` with workspace A's ids; describes what is wrong, or undefined. */
  async function probe(ws: TestWorkspace, role: Role, spec: RouteSpec, expectAllowed: (res: LightMyRequestResponse) => string | undefined) {
    const res = await api.request(ws.tokens[role], spec.method, pathWithAIds(a, spec.url), requestBody(ws, spec));
    const where = `${role} ${routeKey(spec)} (${spec.access})`;
    if (forbidden(role, spec)) {
      if (res.statusCode !== 403 || jsonOf(res)?.error?.code !== 'forbidden') return `${where}: expected 403 forbidden, got ${res.statusCode} ${res.body.slice(0, 200)}`;
      return undefined;
    }
    const wrong = expectAllowed(res);
    return wrong ? `${where}: ${wrong}` : undefined;
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    wsA = await api.createWorkspace('Alpha Matrix');
    wsB = await api.createWorkspace('Beta Matrix');
    a = await seedWorkspaceA(api, wsA);
  });
  afterAll(async () => api?.close());

  it('covers every role, a route of every kind of access, and sees the workspace’s stored rows', async () => {
    const accesses = new Set(roleRoutes().filter(withIds).map((spec) => spec.access));
    for (const access of ['tickets:work', 'team:manage', 'agents:manage', 'settings:manage', 'kb:manage', 'customers:erase']) {
      expect(accesses, access).toContain(access);
    }
    expect(ROLES).toEqual(['owner', 'admin', 'team_leader', 'agent']);
    // The comparison of stored rows compares something: A's rows, and none of B's.
    const rows = await workspaceRows(api, wsA.id);
    for (const table of ['tickets', 'messages', 'customers', 'agents', 'api_tokens', 'kb_articles', 'workspaces']) {
      expect(rows[table]?.length ?? 0, table).toBeGreaterThan(0);
    }
    expect(JSON.stringify(rows)).toContain(a.ticketId);
    expect(JSON.stringify(rows)).not.toContain(wsB.id);
  });

  it.each(ROLES)('answers a %s of another workspace 403 or 404 on every route with an id, shows none of the data and changes nothing', async (role) => {
    const before = await workspaceRows(api, wsA.id);
    const failures: string[] = [];
    for (const spec of roleRoutes().filter(withIds)) {
      const wrong = await probe(wsB, role, spec, (res) => {
        const json = jsonOf(res);
        if (res.statusCode !== 404 || json?.error?.code !== 'not_found') return `expected 404 not_found, got ${res.statusCode} ${res.body.slice(0, 200)}`;
        if (/^No route/.test(json.error.message ?? '')) return 'a 404 because the route does not exist, not because the row is another workspace’s';
        for (const secret of [SUBJECT_A, ATTACHMENT_TEXT, ARTICLE_A, a.customerEmail]) {
          if (res.body.includes(secret)) return `the answer shows "${secret}" of the other workspace`;
        }
        return undefined;
      });
      if (wrong) failures.push(wrong);
    }
    expect(failures).toEqual([]);
    expect(await workspaceRows(api, wsA.id)).toEqual(before);
  });

  it.each(ROLES)('answers a %s 403 or 404 when a path pairs its own ticket with another workspace’s row, and changes neither', async (role) => {
    // Routes naming two rows (a ticket and a macro, a ticket and a canned reply): the caller's own
    // ticket must not open the way to another workspace's row.
    const ownTicket = await ok(
      await api.request(wsB.tokens.owner, 'POST', '/api/v1/tickets', { subject: `Beta ${role} ticket`, customer: { email: `${role}@beta.example.com` }, message: 'Ours.' }),
      201,
    );
    const routes = roleRoutes().filter((spec) => (spec.url.match(/\/:/g) ?? []).length >= 2 && spec.url.startsWith('/api/v1/tickets/:id/'));
    expect(routes.map(routeKey)).toContain('POST /api/v1/tickets/:id/macros/:macroId');
    const beforeA = await workspaceRows(api, wsA.id);
    const beforeB = await workspaceRows(api, wsB.id);
    const failures: string[] = [];
    for (const spec of routes) {
      const url = pathWithAIds(a, spec.url).split('/');
      url[spec.url.split('/').indexOf(':id')] = ownTicket.id;
      const res = await api.request(wsB.tokens[role], spec.method, url.join('/'), requestBody(wsB, spec));
      const expected = forbidden(role, spec) ? 403 : 404;
      if (res.statusCode !== expected) failures.push(`${role} ${routeKey(spec)} with its own ticket: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await workspaceRows(api, wsA.id)).toEqual(beforeA);
    expect(await workspaceRows(api, wsB.id)).toEqual(beforeB);
  });

  it.each(ROLES)('lets a %s read with its own workspace’s ids exactly where its role allows', async (role) => {
    const failures: string[] = [];
    for (const spec of roleRoutes().filter((s) => s.method === 'GET')) {
      const wrong = await probe(wsA, role, spec, (res) => (res.statusCode === 200 ? undefined : `expected 200, got ${res.statusCode} ${res.body.slice(0, 200)}`));
      if (wrong) failures.push(wrong);
    }
    expect(failures).toEqual([]);
  });

  // Reads run first (above): the writes below may delete or erase rows the reads name.
  it.each(ROLES)('lets a %s write with its own workspace’s ids exactly where its role allows, and a refusal changes nothing', async (role) => {
    const writes = roleRoutes().filter((s) => s.method !== 'GET');
    const failures: string[] = [];
    const before = await workspaceRows(api, wsA.id);
    for (const spec of writes.filter((s) => forbidden(role, s))) {
      const wrong = await probe(wsA, role, spec, () => 'unreachable');
      if (wrong) failures.push(wrong);
    }
    expect(await workspaceRows(api, wsA.id)).toEqual(before);
    let done = 0;
    for (const spec of writes.filter((s) => !forbidden(role, s))) {
      // Allowed: whatever the outcome (done, 404 for a row an earlier write removed, 409, 422),
      // it is not a refusal of the caller and not a crash.
      const wrong = await probe(wsA, role, spec, (res) => {
        if (res.statusCode < 300) done++;
        return res.statusCode === 401 || res.statusCode === 403 || res.statusCode >= 500 ? `must be allowed, got ${res.statusCode} ${res.body.slice(0, 200)}` : undefined;
      });
      if (wrong) failures.push(wrong);
    }
    expect(failures).toEqual([]);
    // Allowed writes really write, so the refusals above changed nothing because they were refused.
    // (The owner writes first; later roles may repeat changes already made, or find rows gone.)
    expect(done).toBeGreaterThan(0);
    if (role === 'owner') expect(await workspaceRows(api, wsA.id)).not.toEqual(before);
  });
});
