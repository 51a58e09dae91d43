// Flood protection per connection on the two WebSockets (the visitors' chat widget socket and the
// agents' realtime socket), with real sockets against a listening server. A client that sends
// hundreds of frames without waiting gets its burst handled, then a clear too_many_requests error
// per frame, then a close with 1008 and a reason; nothing it sent over the limit is handled or
// stored; it is logged once at warn; and another client chats normally meanwhile. A frame over
// the size limit closes with 1009 and stores nothing.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_FLOOD_LIMITS } from '../src/domain/socket-flood.ts';
import type { FloodRule } from '../src/domain/socket-flood.ts';
import { WEBSOCKET_MAX_PAYLOAD } from '../src/http/app.ts';
import { FLOOD_CLOSE_REASON } from '../src/realtime/flood-guard.ts';
import { createLogger } from '../src/server.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { tableCounter } from './support/fuzz.ts';
import { connectWs, signedInAgent, wsUrl } from './support/ws.ts';
import type { TestSocket, WsMessage } from './support/ws.ts';

const FLOOD = 500;

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

class MemoryLog extends Writable {
  private readonly chunks: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
  lines(): LogLine[] {
    return this.chunks.join('').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as LogLine);
  }
}

/** The socket's close code and reason, once the server closed it (or after `ms`, 'still open'). */
function closing(ts: TestSocket): (ms: number) => Promise<{ code: number; reason: string } | 'still open'> {
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ts.socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() })),
  );
  return (ms) => Promise.race([closed, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);
}

/** The most a connection can have had handled after `ms` of flooding: its burst plus the refill. */
function mostTaken(rule: FloodRule, ms: number): number {
  return rule.rate.capacity + Math.ceil((rule.rate.perSecond * ms) / 1000);
}

function expectFloodErrors(errors: WsMessage[], rule: FloodRule): void {
  // Each frame past the burst was answered until the ceiling: never silence.
  expect(errors.length).toBeGreaterThanOrEqual(rule.refusals.capacity);
  for (const e of errors) {
    expect(e).toMatchObject({ code: 'too_many_requests', message: expect.stringMatching(/^Too many messages on this connection; wait \d+ s/) });
    expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  }
}

/** Polls a count until it stops moving (the frames taken before a close may still be being handled). */
async function settled(read: () => Promise<number>): Promise<number> {
  let last = await read();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await read();
    if (now === last) return now;
    last = now;
  }
}

describe.each(availableBackends())('WebSocket flood protection on %s', (kind) => {
  const log = new MemoryLog();
  let api: TestApi;
  let url: string;
  let ws: TestWorkspace;
  let agent: { id: string; cookie: string };
  let calmAgent: { id: string; cookie: string };
  let ticketId: string;
  let countAll: () => Promise<Record<string, number>>;
  const sockets: TestSocket[] = [];

  async function open(path: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const ts = await connectWs(wsUrl(url, path), headers);
    sockets.push(ts);
    return ts;
  }
  async function widget(name: string): Promise<{ id: string; key: string }> {
    const res = await api.request(ws.tokens.admin, 'POST', '/api/v1/chat/widgets', { name });
    expect(res.statusCode, res.body).toBe(201);
    return { id: String(res.json().id), key: String(res.json().publicKey) };
  }
  async function visitor(key: string): Promise<TestSocket> {
    const v = await open(`/api/v1/widget/ws?key=${key}`);
    v.send({ type: 'hello', lang: 'el' });
    await v.waitFor((m) => m.type === 'welcome');
    return v;
  }
  async function agentSocket(cookie: string): Promise<TestSocket> {
    const a = await open('/api/v1/realtime', { cookie });
    await a.waitFor((m) => m.type === 'ready');
    return a;
  }
  const floodWarnings = (match: (line: LogLine) => boolean) =>
    log.lines().filter((l) => l.level === 40 && /too many messages/.test(l.msg) && match(l));

  beforeAll(async () => {
    api = await startTestApi(kind, { logger: createLogger('info', log) });
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    ws = await api.createWorkspace('Flood');
    agent = await signedInAgent(api.request, ws.tokens.owner, { email: 'eleni@flood.example.com', name: 'Ελένη' });
    calmAgent = await signedInAgent(api.request, ws.tokens.owner, { email: 'nadia@flood.example.com', name: 'نادية' });
    const ticket = await api.request(ws.tokens.owner, 'POST', '/api/v1/tickets', { subject: 'Παράδοση', customer: { email: 'maria@example.com', name: 'Μαρία' }, message: 'Γειά σας' });
    expect(ticket.statusCode, ticket.body).toBe(201);
    ticketId = String(ticket.json().id);
    // Agents' presence rows come and go with their sockets.
    countAll = await tableCounter(api.database.db, new Set(['agent_connections']));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  it(`chat widget: ${FLOOD} messages sent at once get the burst handled, errors, then 1008; only the burst is stored; another visitor chats meanwhile`, async () => {
    const rule = SOCKET_FLOOD_LIMITS.widget;
    const watcher = await agentSocket(calmAgent.cookie);
    // The calm visitor is on the site's other widget: the chat limit per key and address (on top
    // of this one) would otherwise count this test's single address for both visitors.
    const [loud, calm] = [await widget('Flooded'), await widget('Calm')];
    const flooder = await visitor(loud.key);
    const closed = closing(flooder);
    const started = Date.now();
    for (let i = 0; i < FLOOD; i++) flooder.send({ type: 'message', text: `flood ${i}`, clientId: `f${i}` });

    const other = await visitor(calm.key);
    other.send({ type: 'message', text: 'Καλημέρα, μια ερώτηση για την παραγγελία μου', clientId: 'calm-1' });
    const ack = await other.waitFor((m) => m.type === 'ack' || m.type === 'error', 5_000);
    expect(ack.type, JSON.stringify(ack)).toBe('ack');
    await watcher.waitFor((m) => m.type === 'event' && (m.event as { data: { messageId?: string } }).data.messageId === ack.id, 5_000);

    expect(await closed(10_000)).toEqual({ code: 1008, reason: FLOOD_CLOSE_REASON });
    const floodMs = Date.now() - started;
    const floodTexts = api.database.db.selectFrom('messages').select('id').where('workspace_id', '=', ws.id).where('body_text', 'like', 'flood %');
    const stored = await settled(async () => (await floodTexts.execute()).length);
    expect(stored).toBeGreaterThan(0);
    // The hello took one frame of the burst.
    expect(stored).toBeLessThanOrEqual(mostTaken(rule, floodMs) - 1);
    const acked = flooder.messages.filter((m) => m.type === 'ack').map((m) => m.id);
    expect((await floodTexts.execute()).map((r) => r.id)).toEqual(expect.arrayContaining(acked));
    expectFloodErrors(flooder.messages.filter((m) => m.type === 'error'), rule);
    // Once in the log, at warn, for the flooding socket only.
    expect(floodWarnings((l) => l.widgetId === loud.id)).toHaveLength(1);
    expect(floodWarnings((l) => l.widgetId === calm.id)).toHaveLength(0);
    // The calm visitor carries on.
    other.send({ type: 'message', text: 'مرحبا، هل من أحد هنا؟', clientId: 'calm-2' });
    expect(await other.waitFor((m) => m.type === 'ack' && m.id !== ack.id, 5_000)).toMatchObject({ ticketNumber: ack.ticketNumber });
  }, 60_000);

  it(`realtime: ${FLOOD} pings sent at once get the burst answered, errors, then 1008; another agent's presence and pings work meanwhile`, async () => {
    const rule = SOCKET_FLOOD_LIMITS.agent;
    const flooder = await agentSocket(agent.cookie);
    const calm = await agentSocket(calmAgent.cookie);
    const closed = closing(flooder);
    const before = await countAll();
    const started = Date.now();
    for (let i = 0; i < FLOOD; i++) flooder.send({ type: 'ping' });

    calm.send({ type: 'presence', ticketId, activity: 'viewing' });
    calm.send({ type: 'ping' });
    await calm.waitFor((m) => m.type === 'pong', 5_000);
    await expect
      .poll(async () => api.database.db.selectFrom('agent_connections').select('activity').where('agent_id', '=', calmAgent.id).where('ticket_id', '=', ticketId).execute(), { timeout: 5_000 })
      .toEqual([{ activity: 'viewing' }]);

    expect(await closed(10_000)).toEqual({ code: 1008, reason: FLOOD_CLOSE_REASON });
    const pongs = flooder.messages.filter((m) => m.type === 'pong').length;
    expect(pongs).toBeGreaterThan(0);
    expect(pongs).toBeLessThanOrEqual(mostTaken(rule, Date.now() - started));
    expectFloodErrors(flooder.messages.filter((m) => m.type === 'error'), rule);
    expect(flooder.messages.filter((m) => m.type !== 'pong' && m.type !== 'error' && m.type !== 'ready' && m.type !== 'event')).toEqual([]);
    expect(await countAll()).toEqual(before);
    expect(floodWarnings((l) => l.socket === 'realtime' && l.agentId === agent.id)).toHaveLength(1);
    expect(floodWarnings((l) => l.agentId === calmAgent.id)).toHaveLength(0);
    calm.send({ type: 'ping' });
    await expect.poll(() => calm.messages.filter((m) => m.type === 'pong').length, { timeout: 5_000 }).toBe(2);
  }, 60_000);

  it('a client sending at the steady rate is never refused', async () => {
    const v = await visitor((await widget('Steady')).key);
    // Typing frames, four at a time every 1.5 s: under the widget's 3 a second, past its burst.
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 4; j++) v.send({ type: 'typing', typing: j % 2 === 0 });
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    }
    v.send({ type: 'steady-end' });
    await v.waitFor((m) => m.type === 'error' && String(m.message).includes('steady-end'), 5_000);
    expect(v.messages.filter((m) => m.type === 'error' && m.code === 'too_many_requests')).toEqual([]);
  }, 30_000);

  it(`closes with 1009 on a frame one byte over ${WEBSOCKET_MAX_PAYLOAD} bytes and stores nothing; a frame at the limit is answered`, async () => {
    const sized = (bytes: number, type: string) => {
      const head = `{"type":"${type}","text":"`;
      const tail = '","clientId":"big"}';
      return `${head}${'x'.repeat(bytes - head.length - tail.length)}${tail}`;
    };
    const atLimit = sized(WEBSOCKET_MAX_PAYLOAD, 'message');
    expect(Buffer.byteLength(atLimit)).toBe(WEBSOCKET_MAX_PAYLOAD);
    const opened = [
      { what: 'chat widget', connect: async () => visitor((await widget('Big')).key), refused: 'validation_failed' },
      { what: 'realtime', connect: () => agentSocket(agent.cookie), refused: 'unknown_type' },
    ];
    for (const { what, connect, refused } of opened) {
      const s = await connect();
      const closed = closing(s);
      const before = await countAll();
      s.socket.send(atLimit);
      expect(await s.waitFor((m) => m.type === 'error', 5_000), what).toMatchObject({ code: refused });
      s.socket.send(sized(WEBSOCKET_MAX_PAYLOAD + 1, 'message'));
      const result = await closed(5_000);
      expect(result === 'still open' ? result : result.code, what).toBe(1009);
      expect(await countAll(), what).toEqual(before);
    }
    expect(log.lines().filter((l) => l.level >= 50)).toEqual([]);
  });
});
