// Realtime updates: committed changes reach the agents' WebSockets of the same workspace —
// across server processes on PostgreSQL — and nobody else's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openDatabase } from '../src/db/connection.ts';
import type { Database } from '../src/db/connection.ts';
import { buildApp } from '../src/http/app.ts';
import { encodeEvent, PayloadTooLargeError, publish } from '../src/realtime/events.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { connectWs, upgradeStatus, workEvent, wsUrl } from './support/ws.ts';
import type { TestSocket } from './support/ws.ts';
import { seedText } from './support/seeds.ts';

const greek = seedText('000_872ed610193a76ff.txt');
const arabic = seedText('003_d927bf57eeee527a.txt');

async function listen(app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

describe('realtime event encoding', () => {
  it('keeps NOTIFY payloads under 8000 bytes and refuses bodies', () => {
    const small = encodeEvent('w1', { type: 'ticket.updated', data: { ticketId: 't1', changed: ['status'] } });
    expect(JSON.parse(small)).toMatchObject({ workspaceId: 'w1', type: 'ticket.updated', data: { ticketId: 't1' } });
    expect(() => encodeEvent('w1', { type: 'message.created', data: { text: arabic.repeat(3) } })).toThrow(PayloadTooLargeError);
  });
});

describe.each(availableBackends())('realtime WebSocket on %s', (kind) => {
  let api: TestApi;
  let url: string;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  const sockets: TestSocket[] = [];
  const connect = async (token: string) => {
    const s = await connectWs(wsUrl(url, '/api/v1/realtime'), { authorization: `Bearer ${token}` });
    sockets.push(s);
    await s.waitFor((m) => m.type === 'ready');
    return s;
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    url = await listen(api.app);
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  it('refuses an unauthenticated or unknown caller before upgrading', async () => {
    const none = await upgradeStatus(wsUrl(url, '/api/v1/realtime'));
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('unauthorized');
    const bad = await upgradeStatus(wsUrl(url, '/api/v1/realtime'), { authorization: 'Bearer nope-nope-nope' });
    expect(bad.status).toBe(401);
  });

  it('pushes ticket and message events to the workspace, and nothing to another workspace', async () => {
    const agent = await connect(aurora.tokens.agent);
    const other = await connect(borealis.tokens.agent);
    const created = await api.request(aurora.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'Στιγμή αλήθειας',
      customer: { email: 'maria@example.gr', name: 'Μαρία' },
      channel: 'email',
      priority: 'normal',
      message: greek.slice(0, 400),
    });
    expect(created.statusCode).toBe(201);
    const ticket = created.json();
    const event = await agent.waitFor(workEvent);
    expect(event.event).toMatchObject({ type: 'ticket.created', workspaceId: aurora.id, data: { ticketId: ticket.id, number: 1 } });

    await api.request(aurora.tokens.agent, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { kind: 'reply', body: arabic.slice(0, 200), status: 'pending' });
    await agent.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'message.created');
    await api.request(aurora.tokens.agent, 'PATCH', `/api/v1/tickets/${ticket.id}`, { priority: 'high' });
    const updated = await agent.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ticket.updated');
    expect(updated.event).toMatchObject({ data: { ticketId: ticket.id, changed: ['priority'] } });
    const message = agent.events().find((e) => e.type === 'message.created');
    expect(message?.data).toMatchObject({ ticketId: ticket.id, kind: 'reply', status: 'pending' });
    // Ids only: the message text never travels through NOTIFY.
    expect(JSON.stringify(agent.messages)).not.toContain(arabic.slice(0, 40));

    // Events leave in commit order on one channel: once Borealis hears its own sentinel, it
    // has been sent everything it would ever get from before — and it got none of Aurora's.
    await api.request(borealis.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'sentinel',
      customer: { email: 'x@example.com' },
      channel: 'web',
      priority: 'low',
    });
    await other.waitFor(workEvent);
    expect(other.events().map((e) => e.workspaceId)).toEqual([borealis.id]);
  });

  it('sends nothing for a change that was refused and rolled back', async () => {
    const agent = await connect(aurora.tokens.agent);
    const refused = await api.request(aurora.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'never',
      customer: { email: 'never@example.com' },
      channel: 'email',
      priority: 'low',
      assigneeId: '0190f0f0-0000-7000-8000-000000000000',
    });
    expect(refused.statusCode).toBe(422);
    await publish(api.database.db, aurora.id, { type: 'test.sentinel', data: {} });
    await agent.waitFor(workEvent);
    expect(agent.events().map((e) => e.type)).toEqual(['test.sentinel']);
  });

  it('respects roles: an admin-only event reaches admins but not agents', async () => {
    const admin = await connect(aurora.tokens.admin);
    const agent = await connect(aurora.tokens.agent);
    await publish(api.database.db, aurora.id, { type: 'settings.changed', data: {}, permission: 'settings:manage' });
    await publish(api.database.db, aurora.id, { type: 'test.sentinel', data: {} });
    await admin.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'test.sentinel');
    await agent.waitFor(workEvent);
    expect(admin.events().map((e) => e.type)).toEqual(['settings.changed', 'test.sentinel']);
    expect(agent.events().map((e) => e.type)).toEqual(['test.sentinel']);
  });

  it('accepts the browser session cookie, answers pings and rejects junk with a clear error', async () => {
    const login = await api.request(undefined, 'POST', '/api/v1/auth/login', { email: aurora.ownerEmail, password: aurora.ownerPassword });
    const cookie = String(login.headers['set-cookie']).split(';')[0] ?? '';
    const s = await connectWs(wsUrl(url, '/api/v1/realtime'), { cookie });
    sockets.push(s);
    const ready = await s.waitFor((m) => m.type === 'ready');
    expect(ready).toMatchObject({ workspaceId: aurora.id, agentId: aurora.ownerId, role: 'owner' });
    s.send({ type: 'ping' });
    await s.waitFor((m) => m.type === 'pong');
    s.socket.send('not json');
    const error = await s.waitFor((m) => m.type === 'error');
    expect(error.code).toBe('invalid_message');
  });
});

describe.runIf(availableBackends().includes('postgres'))('realtime across two server processes on PostgreSQL', () => {
  let api: TestApi;
  let second: { app: FastifyInstance; database: Database };
  let urlA: string;
  let urlB: string;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    api = await startTestApi('postgres');
    const dbUrl = (api.database as Database & { url?: string }).url;
    if (!dbUrl) throw new Error('no URL for the test database');
    const database = await openDatabase({ kind: 'postgres', url: dbUrl });
    second = { app: await buildApp({ database, logger: false }), database };
    urlA = await listen(api.app);
    urlB = await listen(second.app);
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await second?.app.close();
    await second?.database.close();
    await api?.close();
  });

  it('an update made through one server reaches an agent connected to the other within a second', async () => {
    const onB = await connectWs(wsUrl(urlB, '/api/v1/realtime'), { authorization: `Bearer ${aurora.tokens.agent}` });
    const otherOnB = await connectWs(wsUrl(urlB, '/api/v1/realtime'), { authorization: `Bearer ${borealis.tokens.agent}` });
    const onA = await connectWs(wsUrl(urlA, '/api/v1/realtime'), { authorization: `Bearer ${aurora.tokens.agent}` });
    sockets.push(onB, otherOnB, onA);
    await Promise.all([onB, otherOnB, onA].map((s) => s.waitFor((m) => m.type === 'ready')));

    const created = await api.request(aurora.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'لحظة الحقيقة',
      customer: { email: 'layla@example.sa', name: 'ليلى' },
      channel: 'chat',
      priority: 'normal',
      message: arabic.slice(0, 300),
    });
    const ticket = created.json();
    await onB.waitFor(workEvent);
    const started = Date.now();
    const patched = await api.request(aurora.tokens.agent, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' });
    expect(patched.statusCode).toBe(200);
    const heard = await onB.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ticket.updated', 1000);
    const latency = Date.now() - started;
    expect(heard.event).toMatchObject({ workspaceId: aurora.id, data: { ticketId: ticket.id, status: 'open', changed: ['status'] } });
    expect(latency).toBeLessThan(1000);
    await onA.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ticket.updated');

    // And the other way round: a change through B reaches A.
    await second.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/messages`,
      headers: { authorization: `Bearer ${aurora.tokens.agent}` },
      payload: { kind: 'note', body: 'σημείωση' },
    });
    await onA.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'message.created');

    await publish(api.database.db, borealis.id, { type: 'test.sentinel', data: {} });
    await otherOnB.waitFor(workEvent);
    expect(otherOnB.events().map((e) => e.type)).toEqual(['test.sentinel']);
  });

  it('reconnects its LISTEN connection after losing it and tells clients to resynchronise', async () => {
    const onB = await connectWs(wsUrl(urlB, '/api/v1/realtime'), { authorization: `Bearer ${aurora.tokens.agent}` });
    sockets.push(onB);
    await onB.waitFor((m) => m.type === 'ready');
    second.app.realtime.simulateConnectionLoss();
    await onB.waitFor((m) => m.type === 'resync', 10_000);
    await publish(api.database.db, aurora.id, { type: 'test.after-reconnect', data: {} });
    await onB.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'test.after-reconnect');
  });
});
