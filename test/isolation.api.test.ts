// One workspace never sees, changes or references another's data. The probes are generated from
// the route table, so a route added later is covered without touching this file; a route whose
// path parameter or body test/support/seeded-workspace.ts cannot fill makes the test fail until
// its maps are extended.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCatalog } from '../src/http/route.ts';
import type { RouteSpec } from '../src/http/route.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { ARTICLE_A, ATTACHMENT_TEXT, SUBJECT_A, bodyFor, ok, pathWithAIds, seedWorkspaceA } from './support/seeded-workspace.ts';
import type { WorkspaceAData } from './support/seeded-workspace.ts';

type Method = RouteSpec['method'];

const routeKey = (spec: RouteSpec) => `${spec.method} ${spec.url}`;
const isWrite = (method: Method) => method !== 'GET';

describe.each(availableBackends())('workspace isolation on %s', (kind) => {
  let api: TestApi;
  let wsA: TestWorkspace;
  let wsB: TestWorkspace;
  let a: WorkspaceAData;
  let ticketB: { id: string; version: number };

  /** Everything a user of A could see of their data, to compare before and after B's attempts. */
  async function snapshotA() {
    const t = wsA.tokens.owner;
    const ticket = await ok(await api.request(t, 'GET', `/api/v1/tickets/${a.ticketId}`), 200);
    const messages = await ok(await api.request(t, 'GET', `/api/v1/tickets/${a.ticketId}/messages`), 200);
    const customer = await ok(await api.request(t, 'GET', `/api/v1/customers/${a.customerId}`), 200);
    const agent = await ok(await api.request(t, 'GET', `/api/v1/agents/${a.agentId}`), 200);
    const teams = await ok(await api.request(t, 'GET', '/api/v1/teams'), 200);
    const tokens = await ok(await api.request(t, 'GET', '/api/v1/tokens'), 200);
    const audit = await ok(await api.request(t, 'GET', '/api/v1/audit?limit=200'), 200);
    const attachment = await api.request(t, 'GET', `/api/v1/attachments/${a.attachmentId}`);
    const workspace = await ok(await api.request(t, 'GET', '/api/v1/workspace'), 200);
    const widget = await ok(await api.request(t, 'GET', `/api/v1/chat/widgets/${a.channelIds.widgets}`), 200);
    const mention = await ok(await api.request(t, 'GET', `/api/v1/mentions/${a.channelIds.mentions}`), 200);
    const review = await ok(await api.request(t, 'GET', `/api/v1/reviews/${a.channelIds.mentions}`), 200);
    const reviewWidget = await ok(await api.request(t, 'GET', `/api/v1/review-widgets/${a.reviewWidgetId}`), 200);
    const survey = await ok(await api.request(t, 'GET', `/api/v1/surveys/${a.surveyId}`), 200);
    const invitations = await ok(await api.request(t, 'GET', `/api/v1/surveys/${a.surveyId}/invitations`), 200);
    const article = await ok(await api.request(t, 'GET', `/api/v1/kb/articles/${a.articleId}`), 200);
    const revisions = await ok(await api.request(t, 'GET', `/api/v1/kb/articles/${a.articleId}/revisions`), 200);
    const categories = await ok(await api.request(t, 'GET', '/api/v1/kb/categories'), 200);
    const queue = await ok(await api.request(t, 'GET', `/api/v1/queues/${a.queueId}`), 200);
    return {
      queue,
      survey,
      invitations: invitations.data,
      widget,
      mention,
      review,
      reviewWidget,
      article,
      revisions: revisions.data,
      categories: categories.data,
      ticket,
      messages: messages.data,
      customer,
      agent,
      team: teams.data.find((team: { id: string }) => team.id === a.teamId),
      token: tokens.data.find((token: { id: string }) => token.id === a.tokenId),
      auditCount: audit.data.length,
      attachment: { status: attachment.statusCode, body: attachment.body },
      workspace,
    };
  }

  function idsOfA(): string[] {
    return [
      wsA.id, wsA.ownerId, a.customerId, a.ticketId, ...a.messageIds, a.attachmentId, a.agentId, a.teamId, a.tokenId, a.surveyId,
      a.supportAddressId, a.inboundEmailId, a.articleId, a.categoryId, a.queueId,
    ];
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    wsA = await api.createWorkspace('Alpha Isolation');
    wsB = await api.createWorkspace('Beta Isolation');
    a = await seedWorkspaceA(api, wsA);
    // B has data of its own, so its lists are not trivially empty.
    const own = await ok(
      await api.request(wsB.tokens.owner, 'POST', '/api/v1/tickets', {
        subject: 'Beta printer jams',
        customer: { email: 'bob@beta.example.com', name: 'Bob Beta' },
        message: 'It jams on every page.',
      }),
      201,
    );
    ticketB = { id: own.id, version: own.version };
  });
  afterAll(async () => api?.close());

  it('answers 404 not_found to every route with an id when B uses A’s ids, and A’s data stays as it was', async () => {
    const before = await snapshotA();
    const routes = routeCatalog.filter((spec) => spec.url.includes('/:') && spec.access !== 'public');
    // The table is filled when the app is built; make sure the probe really covers something.
    for (const expected of [
      'GET /api/v1/tickets/:id',
      'PATCH /api/v1/tickets/:id',
      'GET /api/v1/tickets/:id/messages',
      'POST /api/v1/tickets/:id/messages',
      'GET /api/v1/customers/:id',
      'PATCH /api/v1/customers/:id',
      'GET /api/v1/agents/:id',
      'PATCH /api/v1/agents/:id',
      'PATCH /api/v1/teams/:id',
      'DELETE /api/v1/tokens/:id',
      'GET /api/v1/attachments/:id',
    ]) {
      expect(routes.map(routeKey)).toContain(expected);
    }

    const failures: string[] = [];
    for (const spec of routes) {
      const url = pathWithAIds(a, spec.url);
      const body = isWrite(spec.method) && spec.body ? bodyFor(wsB, routeKey(spec)) : undefined;
      if (isWrite(spec.method) && spec.body && body === undefined) {
        throw new Error(`test/support/seeded-workspace.ts has no request body for ${routeKey(spec)}: extend bodyFor()`);
      }
      // A reaches its own data through every read route: the ids are the right ones.
      if (spec.method === 'GET') {
        const own = await api.request(wsA.tokens.owner, 'GET', url);
        if (own.statusCode !== 200) failures.push(`${routeKey(spec)}: A itself got ${own.statusCode} ${own.body}`);
      }
      const res = await api.request(wsB.tokens.owner, spec.method, url, body);
      const json = res.headers['content-type']?.toString().includes('json') ? res.json() : undefined;
      if (res.statusCode !== 404 || json?.error?.code !== 'not_found') {
        failures.push(`${routeKey(spec)} with B's owner token: ${res.statusCode} ${res.body.slice(0, 300)}`);
      } else if (/^No route/.test(json.error.message)) {
        failures.push(`${routeKey(spec)}: 404 because the route does not exist at ${url}, not because the row is A's`);
      }
      if (res.body.includes(ATTACHMENT_TEXT) || res.body.includes(SUBJECT_A) || res.body.includes(ARTICLE_A)) {
        failures.push(`${routeKey(spec)}: B's answer contains A's content`);
      }
    }
    expect(failures).toEqual([]);

    const after = await snapshotA();
    expect(after).toEqual(before);
    expect(after.ticket.subject).toBe(SUBJECT_A);
    expect(after.article).toMatchObject({ title: ARTICLE_A, status: 'published', version: 1 });
    expect(after.messages).toHaveLength(3);
    expect(after.customer).toMatchObject({ name: 'Carla Alphason', email: 'carla@alpha.example.com' });
    expect(after.agent).toMatchObject({ name: 'Andreas Alpha', active: true });
    expect(after.team.memberIds).toEqual([a.agentId]);
    expect(after.token.revokedAt).toBeNull();
    expect(after.attachment).toEqual({ status: 200, body: ATTACHMENT_TEXT });
    // A's API token still works, and A's agent still signs in with their own password.
    expect((await api.request(a.token, 'GET', '/api/v1/me')).statusCode).toBe(200);
    const login = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: 'andreas@alpha.example.com', password: 'andreas-password' });
    expect(login.statusCode).toBe(200);
    const hijacked = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: 'andreas@alpha.example.com', password: 'password-set-by-b' });
    expect(hijacked.statusCode).toBe(401);
  });

  it('shows none of A’s ids in any of B’s lists or other answers', async () => {
    const lists = ['/api/v1/tickets', '/api/v1/customers', '/api/v1/agents', '/api/v1/teams', '/api/v1/audit', '/api/v1/tokens'];
    const catalogued = routeCatalog
      .filter((spec) => spec.method === 'GET' && !spec.url.includes('/:') && spec.access !== 'public')
      .map((spec) => spec.url);
    for (const url of lists) expect(catalogued).toContain(url);

    const secrets = [...idsOfA(), a.customerEmail, SUBJECT_A, 'Andreas Alpha', 'Alpha Tier 1', 'Alpha automation', ARTICLE_A, 'Alpha boilers', 'Alpha queue'];
    for (const url of new Set([...lists, ...catalogued])) {
      const res = await api.request(wsB.tokens.owner, 'GET', url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      for (const secret of secrets) expect(res.body, `${url} must not show ${secret}`).not.toContain(secret);
    }
    // B does see its own data there.
    const ticketsB = await ok(await api.request(wsB.tokens.owner, 'GET', '/api/v1/tickets'), 200);
    expect(ticketsB.data.map((t: { id: string }) => t.id)).toEqual([ticketB.id]);
  });

  it('finds none of A’s tickets or customers by text from B', async () => {
    const q = encodeURIComponent('zephyrine boiler');
    const fromA = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/tickets?q=${q}`), 200);
    expect(fromA.data.map((t: { id: string }) => t.id)).toEqual([a.ticketId]);
    const fromB = await ok(await api.request(wsB.tokens.owner, 'GET', `/api/v1/tickets?q=${q}`), 200);
    expect(fromB.data).toEqual([]);
    // Text of A's messages (indexed with the ticket) and A's ticket number are no way in either.
    const byMessage = await ok(await api.request(wsB.tokens.owner, 'GET', `/api/v1/tickets?q=${encodeURIComponent('photo of the invoice')}`), 200);
    expect(byMessage.data).toEqual([]);
    const articlesA = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/kb/search?q=${q}`), 200);
    expect(articlesA.results.map((r: { id: string }) => r.id)).toEqual([a.articleId]);
    const articlesB = await ok(await api.request(wsB.tokens.owner, 'GET', `/api/v1/kb/search?q=${q}`), 200);
    expect(articlesB.results).toEqual([]);
    const customersB = await ok(await api.request(wsB.tokens.owner, 'GET', '/api/v1/customers?q=alphason'), 200);
    expect(customersB.data).toEqual([]);
    const customersA = await ok(await api.request(wsA.tokens.owner, 'GET', '/api/v1/customers?q=alphason'), 200);
    expect(customersA.data.map((c: { id: string }) => c.id)).toEqual([a.customerId]);
  });

  it('refuses with 422 to open a ticket in B that points at A’s customer, agent or team, and creates nothing', async () => {
    const t = wsB.tokens.owner;
    const ticketsBefore = await ok(await api.request(t, 'GET', '/api/v1/tickets'), 200);
    const customersBefore = await ok(await api.request(t, 'GET', '/api/v1/customers'), 200);
    const attempts = [
      { subject: 'Uses A customer', customerId: a.customerId, message: 'hello' },
      { subject: 'Uses A agent', customer: { email: 'new1@beta.example.com' }, assigneeId: a.agentId, message: 'hello' },
      { subject: 'Uses A team', customer: { email: 'new2@beta.example.com' }, teamId: a.teamId, message: 'hello' },
    ];
    for (const body of attempts) {
      const res = await api.request(t, 'POST', '/api/v1/tickets', body);
      expect(res.statusCode, `${body.subject}: ${res.body}`).toBe(422);
      expect(res.json().error.code).toBe('unprocessable');
    }
    expect((await ok(await api.request(t, 'GET', '/api/v1/tickets'), 200)).data).toEqual(ticketsBefore.data);
    // Nothing half-written: the customers named by e-mail were not created either.
    expect((await ok(await api.request(t, 'GET', '/api/v1/customers'), 200)).data).toEqual(customersBefore.data);
    // A gained no ticket for its customer.
    const ofCustomer = await ok(await api.request(wsA.tokens.owner, 'GET', `/api/v1/tickets?customer=${a.customerId}`), 200);
    expect(ofCustomer.data.map((x: { id: string }) => x.id)).toEqual([a.ticketId]);
  });

  it('refuses with 422 to assign B’s ticket to A’s agent or team, or to put A’s agent in B’s team', async () => {
    const t = wsB.tokens.owner;
    for (const change of [{ assigneeId: a.agentId }, { teamId: a.teamId }, { queueId: a.queueId }]) {
      const res = await api.request(t, 'PATCH', `/api/v1/tickets/${ticketB.id}`, change);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().error.code).toBe('unprocessable');
    }
    for (const change of [{ agentId: a.agentId }, { teamId: a.teamId }, { queueId: a.queueId }]) {
      const res = await api.request(t, 'POST', `/api/v1/tickets/${ticketB.id}/assign`, change);
      expect(res.statusCode, res.body).toBe(422);
    }
    const queueB = await api.request(t, 'POST', '/api/v1/queues', { name: 'Beta queue of A team', teamId: a.teamId });
    expect(queueB.statusCode, queueB.body).toBe(422);
    const ticket = await ok(await api.request(t, 'GET', `/api/v1/tickets/${ticketB.id}`), 200);
    expect(ticket).toMatchObject({ version: ticketB.version, assigneeId: null, teamId: null });

    const team = await api.request(t, 'POST', '/api/v1/teams', { name: 'Beta with a stranger', memberIds: [a.agentId] });
    expect(team.statusCode, team.body).toBe(422);
    const teams = await ok(await api.request(t, 'GET', '/api/v1/teams'), 200);
    expect(teams.data.map((x: { name: string }) => x.name)).not.toContain('Beta with a stranger');
    const agentA = await ok(await api.request(wsA.tokens.owner, 'GET', `/api/v1/agents/${a.agentId}`), 200);
    expect(agentA.teamIds).toEqual([a.teamId]);
  });
});
