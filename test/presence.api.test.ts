// Collision detection: agents see who else is viewing or typing on a ticket, live over the
// WebSocket and by GET, and presence ends when the socket closes or expires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableAgentCount, CONNECTION_TTL_MS, ticketPresence, TYPING_TTL_MS } from '../src/presence/service.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { connectWs, signedInAgent, wsUrl } from './support/ws.ts';
import type { TestSocket, WsMessage } from './support/ws.ts';

const presenceEvent = (agentId: string, activity: string | null) => (m: WsMessage) => {
  const e = m.event as { type: string; data: { agentId: string; activity: string | null } } | undefined;
  return m.type === 'event' && e?.type === 'presence.changed' && e.data.agentId === agentId && e.data.activity === activity;
};

describe.each(availableBackends())('presence on %s', (kind) => {
  let api: TestApi;
  let url: string;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  let eleni: { id: string; cookie: string };
  let karim: { id: string; cookie: string };
  let ticketId: string;
  const sockets: TestSocket[] = [];
  const connect = async (headers: Record<string, string>) => {
    const s = await connectWs(wsUrl(url, '/api/v1/realtime'), headers);
    sockets.push(s);
    await s.waitFor((m) => m.type === 'ready');
    return s;
  };
  const presence = async () => (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticketId}/presence`)).json().data;

  beforeAll(async () => {
    api = await startTestApi(kind);
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
    eleni = await signedInAgent(api.request, aurora.tokens.owner, { email: 'eleni@aurora.example.com', name: 'Ελένη' });
    karim = await signedInAgent(api.request, aurora.tokens.owner, { email: 'karim@aurora.example.com', name: 'كريم' });
    const ticket = await api.request(aurora.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'Δύο πράκτορες, ένα αίτημα',
      customer: { email: 'nikos@example.gr' },
      channel: 'email',
      priority: 'normal',
    });
    ticketId = ticket.json().id;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  it('shows who views and who types, live and by GET, until the socket closes', async () => {
    const karimSocket = await connect({ cookie: karim.cookie });
    const eleniSocket = await connect({ cookie: eleni.cookie });
    karimSocket.send({ type: 'presence', ticketId, activity: 'viewing' });
    await eleniSocket.waitFor(presenceEvent(karim.id, 'viewing'));
    eleniSocket.send({ type: 'presence', ticketId, activity: 'viewing' });
    await karimSocket.waitFor(presenceEvent(eleni.id, 'viewing'));
    expect(await presence()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ agentId: karim.id, name: 'كريم', activity: 'viewing' }),
        expect.objectContaining({ agentId: eleni.id, name: 'Ελένη', activity: 'viewing' }),
      ]),
    );

    eleniSocket.send({ type: 'presence', ticketId, activity: 'typing' });
    await karimSocket.waitFor(presenceEvent(eleni.id, 'typing'));
    const now = await presence();
    expect(now.find((p: { agentId: string }) => p.agentId === eleni.id).activity).toBe('typing');

    await eleniSocket.close();
    await karimSocket.waitFor(presenceEvent(eleni.id, null));
    expect((await presence()).map((p: { agentId: string }) => p.agentId)).toEqual([karim.id]);
  });

  it('lets typing fade to viewing and a vanished socket expire, without a close', async () => {
    const s = await connect({ cookie: eleni.cookie });
    s.send({ type: 'presence', ticketId, activity: 'typing' });
    await s.waitFor(presenceEvent(eleni.id, 'typing'));
    const ctx = { db: api.database.db, workspaceId: aurora.id, actor: { type: 'system' as const, id: null, role: 'admin' as const } };
    const soon = new Date(Date.now() + TYPING_TTL_MS + 1000);
    expect((await ticketPresence(ctx, ticketId, soon)).find((p) => p.agentId === eleni.id)?.activity).toBe('viewing');
    const later = new Date(Date.now() + CONNECTION_TTL_MS + 1000);
    expect(await ticketPresence(ctx, ticketId, later)).toEqual([]);
    await s.close();
  });

  it('counts agents with an open socket and status available as available for chat', async () => {
    // Karim's socket is still open; Eleni's, closed by the test before, leaves when the server
    // has seen the close, which happens after the client's close() resolves: wait for it.
    for (let i = 0; i < 50 && (await availableAgentCount(api.database.db, aurora.id)) !== 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await availableAgentCount(api.database.db, aurora.id)).toBe(1);
    const away = await api.request(undefined, 'PUT', '/api/v1/me/status', { status: 'away' }, { cookie: karim.cookie });
    expect(away.statusCode).toBe(200);
    expect(await availableAgentCount(api.database.db, aurora.id)).toBe(0);
    expect((await api.request(undefined, 'GET', '/api/v1/me/status', undefined, { cookie: karim.cookie })).json()).toEqual({ status: 'away' });
    // The agent list says who is available, away, or offline (Eleni's socket is closed).
    const availability = async () =>
      Object.fromEntries(
        ((await api.request(aurora.tokens.agent, 'GET', '/api/v1/agents')).json().data as { id: string; availability: string }[]).map((a) => [a.id, a.availability]),
      );
    expect(await availability()).toMatchObject({ [karim.id]: 'away', [eleni.id]: 'offline' });
    await api.request(undefined, 'PUT', '/api/v1/me/status', { status: 'available' }, { cookie: karim.cookie });
    expect(await availableAgentCount(api.database.db, aurora.id)).toBe(1);
    expect(await availability()).toMatchObject({ [karim.id]: 'available', [eleni.id]: 'offline' });
    expect((await api.request(undefined, 'PUT', '/api/v1/me/status', { status: 'asleep' }, { cookie: karim.cookie })).statusCode).toBe(400);
    expect(await availableAgentCount(api.database.db, borealis.id)).toBe(0);
  });

  it('refuses presence on another workspace’s ticket and malformed presence', async () => {
    const intruder = await connect({ authorization: `Bearer ${borealis.tokens.agent}` });
    intruder.send({ type: 'presence', ticketId, activity: 'viewing' });
    expect(await intruder.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
    intruder.send({ type: 'presence', ticketId: 'nope', activity: 'dancing' });
    expect(await intruder.waitFor((m) => m.type === 'error' && m.code === 'validation_failed')).toBeTruthy();
    const other = await api.request(borealis.tokens.agent, 'GET', `/api/v1/tickets/${ticketId}/presence`);
    expect(other.statusCode).toBe(404);
  });
});
