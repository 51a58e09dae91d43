// Live chat over real WebSockets: a visitor's conversation becomes a chat ticket through the
// tickets service, agents' replies and typing reach the visitor live, a visitor resumes with
// their token, and the offline form, key checks and rate limits behave.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { connectWs, signedInAgent, upgradeStatus, wsUrl } from './support/ws.ts';
import type { TestSocket, WsMessage } from './support/ws.ts';
import { seedText } from './support/seeds.ts';

const greek = seedText('000_872ed610193a76ff.txt').split('\n')[1] ?? '';
const arabic = seedText('003_d927bf57eeee527a.txt').split('\n')[1] ?? '';

describe.each(availableBackends())('live chat on %s', (kind) => {
  let api: TestApi;
  let url: string;
  let aurora: TestWorkspace;
  let key: string;
  let widgetId: string;
  let agent: { id: string; cookie: string };
  const sockets: TestSocket[] = [];
  const visitor = async (headers: Record<string, string> = {}, widgetKey = key) => {
    const s = await connectWs(wsUrl(url, `/api/v1/widget/ws?key=${widgetKey}`), headers);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    aurora = await api.createWorkspace('Aurora');
    agent = await signedInAgent(api.request, aurora.tokens.owner, { email: 'sofia@aurora.example.com', name: 'Σοφία' });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  it('lets admins, and only admins, manage widgets and their public keys', async () => {
    const refused = await api.request(aurora.tokens.agent, 'POST', '/api/v1/chat/widgets', { name: 'Site' });
    expect(refused.statusCode).toBe(403);
    const bad = await api.request(aurora.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Site', allowedOrigins: ['shop.example.com/path'] });
    expect(bad.statusCode).toBe(400);
    const created = await api.request(aurora.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Ιστότοπος' });
    expect(created.statusCode).toBe(201);
    widgetId = created.json().id;
    key = created.json().publicKey;
    expect(key).toMatch(/^cw_/);
    const list = await api.request(aurora.tokens.admin, 'GET', '/api/v1/chat/widgets');
    expect(list.json().data.map((w: { id: string }) => w.id)).toEqual([widgetId]);
    // Two admins editing at once: the second, still holding version 1, is refused and changes nothing.
    expect(created.json().version).toBe(1);
    const first = await api.request(aurora.tokens.admin, 'PATCH', `/api/v1/chat/widgets/${widgetId}`, { allowedOrigins: ['https://shop.example.com'], version: 1 });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ version: 2, allowedOrigins: ['https://shop.example.com'] });
    const stale = await api.request(aurora.tokens.owner, 'PATCH', `/api/v1/chat/widgets/${widgetId}`, { allowedOrigins: [], active: false, version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    expect((await api.request(aurora.tokens.admin, 'GET', `/api/v1/chat/widgets/${widgetId}`)).json()).toMatchObject({ version: 2, active: true, allowedOrigins: ['https://shop.example.com'] });
    expect((await api.request(aurora.tokens.admin, 'PATCH', `/api/v1/chat/widgets/${widgetId}`, { allowedOrigins: [], version: 2 })).json().version).toBe(3);
    const script = await api.request(undefined, 'GET', '/widget.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body.length).toBeLessThan(16_000);
  });

  it('refuses a missing, unknown or switched-off key and a foreign origin before upgrading', async () => {
    expect((await upgradeStatus(wsUrl(url, '/api/v1/widget/ws'))).status).toBe(400);
    expect((await upgradeStatus(wsUrl(url, '/api/v1/widget/ws?key=cw_unknownunknownunknown'))).status).toBe(404);
    const other = await api.request(aurora.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Shop', allowedOrigins: ['https://shop.example.com'] });
    const shopKey = other.json().publicKey;
    expect((await upgradeStatus(wsUrl(url, `/api/v1/widget/ws?key=${shopKey}`), { origin: 'https://evil.example.net' })).status).toBe(403);
    expect((await upgradeStatus(wsUrl(url, `/api/v1/widget/ws?key=${shopKey}`), { origin: 'https://shop.example.com' })).status).toBe(101);
    await api.request(aurora.tokens.admin, 'PATCH', `/api/v1/chat/widgets/${other.json().id}`, { active: false });
    expect((await upgradeStatus(wsUrl(url, `/api/v1/widget/ws?key=${shopKey}`), { origin: 'https://shop.example.com' })).status).toBe(404);
  });

  it('offers the offline form when no agent is available, and the message becomes a chat ticket', async () => {
    const v = await visitor();
    v.send({ type: 'hello', lang: 'el' });
    const welcome = await v.waitFor((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({ online: false, conversation: [] });
    expect(welcome.token).toMatch(/^cv_/);
    v.send({ type: 'offline', name: 'Γιώργος', email: 'not-an-email', message: greek });
    expect(await v.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'validation_failed' });
    v.send({ type: 'offline', name: 'Γιώργος', email: 'giorgos@example.gr', message: greek });
    const received = await v.waitFor((m) => m.type === 'offline_received');
    const tickets = await api.request(aurora.tokens.agent, 'GET', '/api/v1/tickets?channel=chat');
    const ticket = tickets.json().data.find((t: { number: number }) => t.number === received.ticketNumber);
    expect(ticket).toMatchObject({ channel: 'chat', tags: ['chat-offline'], customer: { email: 'giorgos@example.gr', name: 'Γιώργος' } });
    const messages = await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticket.id}/messages`);
    expect(messages.json().data[0]).toMatchObject({ kind: 'customer', text: greek });
  });

  it('carries a conversation both ways live, with typing, and resumes it after a reconnection', async () => {
    const agentSocket = await connectWs(wsUrl(url, '/api/v1/realtime'), { cookie: agent.cookie });
    sockets.push(agentSocket);
    await agentSocket.waitFor((m) => m.type === 'ready');
    const v = await visitor();
    v.send({ type: 'hello', lang: 'ar' });
    const welcome = await v.waitFor((m) => m.type === 'welcome');
    expect(welcome.online).toBe(true);
    const token = welcome.token as string;

    v.send({ type: 'message', text: arabic, clientId: 'c1' });
    const ack = await v.waitFor((m) => m.type === 'ack');
    const created = await agentSocket.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ticket.created');
    const ticketId = (created.event as { data: { ticketId: string } }).data.ticketId;
    const ticket = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticketId}`)).json();
    expect(ticket).toMatchObject({ channel: 'chat', number: ack.ticketNumber });
    await agentSocket.waitFor((m) => m.type === 'event' && (m.event as { type: string; data: { kind: string } }).data.kind === 'customer');

    // The visitor types: agents hear it.
    v.send({ type: 'typing', typing: true });
    const typing = await agentSocket.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'chat.typing');
    expect((typing.event as { data: object }).data).toMatchObject({ ticketId, typing: true });
    // The agent types and answers: the visitor sees both; an internal note never reaches them.
    agentSocket.send({ type: 'presence', ticketId, activity: 'typing' });
    await v.waitFor((m) => m.type === 'typing' && m.typing === true);
    await api.request(undefined, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'note', body: 'internal: VIP' }, { cookie: agent.cookie });
    await api.request(undefined, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', body: 'أهلاً! كيف يمكنني مساعدتك؟' }, { cookie: agent.cookie });
    const reply = await v.waitFor((m: WsMessage) => m.type === 'message' && m.from === 'agent');
    expect(reply).toMatchObject({ text: 'أهلاً! كيف يمكنني مساعدتك؟', agentName: 'Σοφία' });
    expect(JSON.stringify(v.messages)).not.toContain('internal: VIP');

    // Reconnect with the stored token: same visitor, same conversation; a resent message is stored once.
    await v.close();
    const again = await visitor();
    again.send({ type: 'hello', token, lang: 'ar' });
    const resumed = await again.waitFor((m) => m.type === 'welcome');
    expect(resumed.token).toBeUndefined();
    expect((resumed.conversation as { from: string; text: string }[]).map((l) => [l.from, l.text])).toEqual([
      ['visitor', arabic],
      ['agent', 'أهلاً! كيف يمكنني مساعدتك؟'],
    ]);
    again.send({ type: 'message', text: arabic, clientId: 'c1' });
    const reAck = await again.waitFor((m) => m.type === 'ack');
    expect(reAck.id).toBe(ack.id);
    const messages = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/tickets/${ticketId}/messages`)).json().data;
    expect(messages.map((m: { kind: string }) => m.kind)).toEqual(['customer', 'note', 'reply']);

    // The chat is a touchpoint of the customer's journey, through the tickets service.
    const journey = (await api.request(aurora.tokens.agent, 'GET', `/api/v1/customers/${ticket.customer.id}/journey`)).json();
    expect(journey.touchpoints.map((t: { event: string; channel: string }) => `${t.event}/${t.channel}`)).toEqual(
      expect.arrayContaining(['Ticket Created/chat', 'Customer Replied/chat', 'Agent Replied/chat']),
    );

    // Agents going away switches the widget to the offline form.
    await api.request(undefined, 'PUT', '/api/v1/me/status', { status: 'away' }, { cookie: agent.cookie });
    await again.waitFor((m) => m.type === 'availability' && m.online === false);
  });

  it('limits messages per key and address with a clear error, and answers junk clearly', async () => {
    const v = await visitor();
    v.send({ type: 'message', text: 'too early', clientId: 'x' });
    expect(await v.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'bad_request' });
    v.send({ type: 'hello' });
    await v.waitFor((m) => m.type === 'welcome');
    // Two connections from the same address, each under its own per-connection limit
    // (test/websocket-flood.api.test.ts), share the limit of the key and address.
    const w = await visitor();
    w.send({ type: 'hello' });
    await w.waitFor((m) => m.type === 'welcome');
    for (let i = 0; i < 13; i++) {
      v.send({ type: 'message', text: `spam ${i}`, clientId: `s${i}` });
      w.send({ type: 'message', text: `spam ${i}`, clientId: `t${i}` });
    }
    const refusal = () => [...v.messages, ...w.messages].find((m) => m.type === 'error' && m.code === 'too_many_requests');
    await expect.poll(refusal, { timeout: 30_000 }).toBeDefined();
    const limited = refusal() as WsMessage;
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.message).toMatch(/^Too many messages from this address for this widget/);
  });
});
