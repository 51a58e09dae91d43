// Property-based bad input on the two WebSockets the product keeps open: the visitors' chat
// widget socket and the agents' realtime socket. Real connections (a server listening on
// loopback, the `ws` client) receive arbitrary frames: random JSON, message objects with hostile
// fields (huge strings, NUL, lone surrogates, markup, the seed Greek and Arabic, wrong types,
// unknown types), binary frames, bytes that are not UTF-8 and frames over the size limit.
// Whatever comes in: every frame is answered with a clear error, or accepted, or the socket is
// closed with a proper code, within seconds; nothing is logged as an error; a refused frame
// writes nothing; and afterwards a new connection still carries a chat message to an agent.
// A burst sent without waiting meets the per-connection flood limit: frames past it are refused
// with a clear error each (test/websocket-flood.api.test.ts floods further, to the close).
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOCKET_FLOOD_LIMITS } from '../src/domain/socket-flood.ts';
import { WEBSOCKET_MAX_PAYLOAD } from '../src/http/app.ts';
import { createLogger } from '../src/server.ts';
import { textToHtml } from '../src/tickets/content.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { anyJson, hostile, seedText, tableCounter, text } from './support/fuzz.ts';
import { connectWs, signedInAgent, wsUrl } from './support/ws.ts';
import type { TestSocket, WsMessage } from './support/ws.ts';

/** The server's limit on one client message. */
const MAX_FRAME = WEBSOCKET_MAX_PAYLOAD;
/** Close codes a server may use for a frame it cannot take: unsupported, not UTF-8, policy, too big. */
const PROPER_CLOSE = [1003, 1007, 1008, 1009];
/** Time within which every frame must be answered. */
const ANSWER_MS = 8_000;

class MemoryLog extends Writable {
  private readonly chunks: string[] = [];
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk.toString());
    done();
  }
  errors(): string[] {
    return this.chunks
      .join('')
      .split('\n')
      .filter((line) => line.trim() && (JSON.parse(line) as { level: number }).level >= 50)
      .map((line) => line.slice(0, 500));
  }
}

type Frame = { what: string; data: string | Buffer; binary: boolean; notUtf8?: true };

/** A frame; fast-check reports it by its short description, not its (possibly huge) bytes. */
function frame(what: string, data: string | Buffer, options: { binary?: boolean; notUtf8?: true } = {}): Frame {
  const f: Frame = { what: what.length > 200 ? `${what.slice(0, 200)}… (${Buffer.byteLength(data)} bytes)` : what, data, binary: options.binary ?? false, ...(options.notUtf8 ? { notUtf8: true } : {}) };
  Object.defineProperty(f, fc.toStringMethod, { value: () => f.what });
  return f;
}
const jsonFrame = (value: unknown): Frame => frame(`json ${JSON.stringify(value) ?? 'undefined'}`, JSON.stringify(value) ?? 'null');

/** A field's value: hostile text, text around the limits, or any JSON value (wrong types). */
const field = fc.oneof(
  { arbitrary: text, weight: 4 },
  { arbitrary: fc.constantFrom(...hostile, 'a\u0000b', 'a\ud800b', '\udc00', 'Γειά <b>σου</b> & مرحبا', 'α\u0301'.repeat(3)), weight: 2 },
  { arbitrary: fc.constantFrom(5_000, 5_001, 20_000).map((n) => 'ά'.repeat(n)), weight: 1 },
  { arbitrary: anyJson, weight: 2 },
);
const messageType = fc.oneof(
  { arbitrary: fc.constantFrom('hello', 'message', 'typing', 'survey_answer', 'offline', 'ping', 'presence'), weight: 6 },
  { arbitrary: text, weight: 1 },
  { arbitrary: anyJson, weight: 1 },
);
/** Bytes that are not UTF-8: a stray continuation, a cut sequence, an encoded surrogate, overlong. */
const notUtf8 = fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x7b, 0x22, 0xe2, 0x82]).map((bytes) => Buffer.from(bytes));

/** A valid message, as is or with one field replaced by a hostile value (or one unknown field added). */
function near(valid: fc.Arbitrary<Record<string, unknown>>, keys: string[]): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(valid, fc.option(fc.tuple(fc.constantFrom(...keys, 'unexpected'), field), { nil: undefined, freq: 2 }))
    .map(([base, change]) => (change ? { ...base, [change[0]]: change[1] } : base));
}

/** Frames in general; `objects` are message objects near the socket's own messages. */
function frames(objects: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Frame> {
  return fc.oneof(
    { arbitrary: objects.map(jsonFrame), weight: 8 },
    { arbitrary: anyJson.map(jsonFrame), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((s) => frame(`text ${JSON.stringify(s)}`, s)), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => frame(`binary ${Buffer.from(b).toString('hex')}`, Buffer.from(b), { binary: true })), weight: 1 },
    {
      arbitrary: fc.tuple(fc.constantFrom('{"type":"message","text":"', '{"type":"presence","ticketId":"', ''), notUtf8).map(([prefix, bad]) =>
        frame(`not UTF-8 ${prefix}${bad.toString('hex')}`, Buffer.concat([Buffer.from(prefix), bad, Buffer.from('"}')]), { notUtf8: true }),
      ),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(MAX_FRAME + 1, 3 * MAX_FRAME).map((n) => frame(`oversized ${n}`, `{"type":"message","text":"${'x'.repeat(n)}","clientId":"c"}`)),
      weight: 1,
    },
  );
}

/** A socket with its close code, and what arrived since a point. */
interface Conn {
  ts: TestSocket;
  closed: Promise<number>;
  closeCode: number | undefined;
}

function track(ts: TestSocket): Conn {
  const conn: Conn = { ts, closeCode: undefined, closed: Promise.resolve(0) };
  conn.closed = new Promise((resolve) => ts.socket.once('close', (code: number) => {
    conn.closeCode = code;
    resolve(code);
  }));
  return conn;
}

function sendFrame(conn: Conn, f: Frame): void {
  conn.ts.socket.send(f.data, { binary: f.binary });
}

/** Resolves with the first message from index `from` on that matches, or 'closed', or fails after ANSWER_MS. */
async function answer(conn: Conn, from: number, match: (m: WsMessage) => boolean, what: string): Promise<WsMessage | 'closed'> {
  const started = Date.now();
  for (;;) {
    const found = conn.ts.messages.slice(from).find(match);
    if (found) return found;
    if (conn.closeCode !== undefined) return 'closed';
    if (Date.now() - started > ANSWER_MS) throw new Error(`${what}: no answer within ${ANSWER_MS} ms; got ${JSON.stringify(conn.ts.messages.slice(from)).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function expectClearError(m: WsMessage, what: string): void {
  expect(typeof m.code, `${what}: ${JSON.stringify(m).slice(0, 300)}`).toBe('string');
  expect(typeof m.message, what).toBe('string');
  expect(m.code, `${what}: an internal error`).not.toBe('internal_error');
}

/** Only a frame over the limit (1009) or not UTF-8 (1007) is a reason to close. */
function expectProperClose(conn: Conn, f: Frame): void {
  const expected = Buffer.byteLength(f.data) > MAX_FRAME ? 1009 : f.notUtf8 ? 1007 : 'open';
  if (conn.closeCode !== undefined) expect(PROPER_CLOSE, `${f.what}: closed with ${conn.closeCode}`).toContain(conn.closeCode);
  expect(conn.closeCode ?? 'open', `${f.what}: closed`).toBe(expected);
}

describe.each(availableBackends())('fuzzing the WebSockets on %s', (kind) => {
  const log = new MemoryLog();
  let api: TestApi;
  let url: string;
  let ws: TestWorkspace;
  let agent: { id: string; cookie: string };
  let ticketId: string;
  let countAll: () => Promise<Record<string, number>>;
  const sockets: TestSocket[] = [];

  async function open(path: string, headers: Record<string, string> = {}): Promise<Conn> {
    const ts = await connectWs(wsUrl(url, path), headers);
    sockets.push(ts);
    return track(ts);
  }
  async function newWidgetKey(): Promise<string> {
    const res = await api.request(ws.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Fuzz' });
    expect(res.statusCode, res.body).toBe(201);
    return String(res.json().publicKey);
  }
  async function unchanged(before: Record<string, number>, what: string): Promise<void> {
    const after = await countAll();
    const moved = Object.keys(after).filter((t) => after[t] !== before[t]).map((t) => `${t} ${before[t]} → ${after[t]}`);
    expect(moved, `${what} was refused but wrote`).toEqual([]);
  }

  beforeAll(async () => {
    api = await startTestApi(kind, { logger: createLogger('warn', log) });
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    ws = await api.createWorkspace('Socket Fuzz');
    agent = await signedInAgent(api.request, ws.tokens.owner, { email: 'eleni@socketfuzz.example.com', name: 'Ελένη' });
    const ticket = await api.request(ws.tokens.owner, 'POST', '/api/v1/tickets', { subject: 'Παράδοση', customer: { email: 'nadia@example.com', name: 'نادية' }, message: 'مرحبا' });
    expect(ticket.statusCode, ticket.body).toBe(201);
    ticketId = String(ticket.json().id);
    // Agents' presence rows come and go with their sockets, asynchronously after a close.
    countAll = await tableCounter(api.database.db, new Set(['agent_connections']));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  it('closes with 1007 on bytes that are not UTF-8 and 1009 on a frame over 64 KiB, on both sockets, and logs no error', async () => {
    const broken = [
      frame('not UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), { notUtf8: true }),
      frame('oversized', `{"type":"message","text":"${'λ'.repeat(MAX_FRAME)}","clientId":"c"}`),
    ];
    for (const f of broken) {
      for (const path of [`/api/v1/widget/ws?key=${await newWidgetKey()}`, '/api/v1/realtime']) {
        const conn = await open(path, { cookie: agent.cookie });
        sendFrame(conn, f);
        const code = await Promise.race([conn.closed, new Promise((resolve) => setTimeout(() => resolve('still open'), ANSWER_MS))]);
        expect(code, `${path}: ${f.what}`).toBe(f.notUtf8 ? 1007 : 1009);
      }
    }
    // A stranger's broken frame is theirs, not a fault of the server: nothing at level error.
    expect(log.errors()).toEqual([]);
  });

  it('answers a presence message for a ticket that is not there with not_found, and logs no error', async () => {
    const conn = await open('/api/v1/realtime', { cookie: agent.cookie });
    await conn.ts.waitFor((m) => m.type === 'ready');
    conn.ts.send({ type: 'presence', ticketId: crypto.randomUUID(), activity: 'viewing' });
    expect(await conn.ts.waitFor((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
    await conn.ts.close();
    await expect.poll(async () => (await api.database.db.selectFrom('agent_connections').select('id').where('workspace_id', '=', ws.id).execute()).length).toBe(0);
    expect(log.errors()).toEqual([]);
  });

  it('chat widget: every frame is answered clearly or closes the socket properly, a refusal writes nothing', async () => {
    const chatObject = fc.record(
      {
        type: messageType,
        text: field,
        clientId: fc.oneof(fc.constantFrom('c1', 'a_b-C9'), field),
        token: fc.oneof(fc.constantFrom('cv_nope'), field),
        lang: fc.oneof(fc.constantFrom('en', 'el', 'ar', 'fr'), field),
        typing: fc.oneof(fc.boolean(), field),
        invitationId: fc.oneof(fc.uuid(), field),
        score: fc.oneof(fc.integer({ min: -1, max: 11 }), field),
        comment: field,
        publishComment: fc.oneof(fc.boolean(), field),
        name: field,
        email: fc.oneof(fc.constantFrom('visitor@example.gr', 'not-an-email'), field),
        message: field,
        unexpected: field,
      },
      { requiredKeys: ['type'] },
    );
    const said = fc.oneof(fc.constantFrom(...seedText, 'Γειά <b>σου</b> & مرحبا', '<script>alert(1)</script>'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }));
    const validChat = fc.oneof(
      fc.record({ type: fc.constant('message'), text: said, clientId: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) }),
      fc.record({ type: fc.constant('typing'), typing: fc.boolean() }),
      fc.record({ type: fc.constant('hello'), lang: fc.constantFrom('en', 'el', 'ar') }),
      fc.record({ type: fc.constant('offline'), name: fc.constantFrom('Ελένη', 'نادية'), email: fc.constant('visitor@example.gr'), message: said }),
      fc.record({ type: fc.constant('survey_answer'), invitationId: fc.uuid(), score: fc.integer({ min: 0, max: 10 }) }),
    );
    const objects = fc.oneof(chatObject, near(validChat, ['type', 'text', 'clientId', 'typing', 'lang', 'name', 'email', 'message', 'invitationId', 'score']));
    const run = fc.record({ lang: fc.constantFrom('en', 'el', 'ar'), frames: fc.array(frames(objects), { minLength: 1, maxLength: 5 }) });
    let sentinel = 0;
    const seen = { accepted: 0, refused: 0, closed: 0 };
    await fc.assert(
      fc.asyncProperty(run, async ({ lang, frames: sent }) => {
        // A widget per run: connections are limited per key and address (10 a minute).
        const conn = await open(`/api/v1/widget/ws?key=${await newWidgetKey()}`);
        conn.ts.send({ type: 'hello', lang });
        expect(await answer(conn, 0, (m) => m.type === 'welcome', 'hello')).not.toBe('closed');
        for (const f of sent) {
          const before = await countAll();
          const from = conn.ts.messages.length;
          sendFrame(conn, f);
          // Messages are handled in order: everything the frame caused comes before the sentinel's answer.
          const mark = `fuzz-sentinel-${++sentinel}`;
          if (conn.closeCode === undefined) conn.ts.send({ type: mark });
          const end = await answer(conn, from, (m) => m.type === 'error' && String(m.message).includes(mark), f.what);
          if (end === 'closed') {
            expectProperClose(conn, f);
            await unchanged(before, f.what);
            seen.closed++;
            return;
          }
          expectProperClose(conn, f);
          const caused = conn.ts.messages.slice(from, conn.ts.messages.indexOf(end));
          const errors = caused.filter((m) => m.type === 'error');
          for (const e of errors) expectClearError(e, f.what);
          if (errors.length > 0) {
            await unchanged(before, f.what);
            seen.refused++;
          } else {
            seen.accepted++;
          }
        }
        await conn.ts.close();
      }),
      { numRuns: kind === 'pglite' ? 60 : 30 },
    );
    // The runs reached every outcome (fast-check's seed varies: these are far from the edge).
    expect(seen.accepted, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(seen.refused, JSON.stringify(seen)).toBeGreaterThan(10);
    expect(seen.closed, JSON.stringify(seen)).toBeGreaterThan(0);
    expect(log.errors()).toEqual([]);
  }, 240_000);

  it('realtime: every frame is answered clearly or closes the socket properly, a refusal writes nothing', async () => {
    const realtimeObject = fc.record(
      {
        type: messageType,
        ticketId: fc.oneof(fc.constant(null), fc.uuid(), fc.constant(0).map(() => ticketId), field),
        activity: fc.oneof(fc.constantFrom('viewing', 'typing', null), field),
        unexpected: field,
      },
      { requiredKeys: ['type'] },
    );
    const validRealtime = fc.oneof(
      fc.record({ type: fc.constant('presence'), ticketId: fc.constantFrom(null, ticketId), activity: fc.constantFrom('viewing', 'typing', null) }),
      fc.record({ type: fc.constant('ping') }),
    );
    const presenceRow = async (connectionAgent: string) =>
      api.database.db.selectFrom('agent_connections').select(['id', 'ticket_id', 'activity']).where('workspace_id', '=', ws.id).where('agent_id', '=', connectionAgent).orderBy('id').execute();
    const connectAgent = async () => {
      const conn = await open('/api/v1/realtime', { cookie: agent.cookie });
      expect(await answer(conn, 0, (m) => m.type === 'ready', 'ready')).not.toBe('closed');
      return conn;
    };
    let conn = await connectAgent();
    const seen = { silent: 0, pong: 0, refused: 0, closed: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(frames(fc.oneof(realtimeObject, near(validRealtime, ['type', 'ticketId', 'activity']))), { minLength: 1, maxLength: 5 }), async (sent) => {
        // A connection per run: one connection taking hundreds of frames in a row, as fast as the
        // test can send them, would meet the per-connection rate limit (the burst test below).
        await conn.ts.close();
        await expect.poll(async () => (await presenceRow(agent.id)).length, { timeout: ANSWER_MS }).toBe(0);
        conn = await connectAgent();
        for (const f of sent) {
          if (conn.closeCode !== undefined) {
            // The last connection was closed by the server: its presence row goes asynchronously.
            await expect.poll(async () => (await presenceRow(agent.id)).length, { timeout: ANSWER_MS }).toBe(0);
            conn = await connectAgent();
          }
          const before = await countAll();
          const rowBefore = await presenceRow(agent.id);
          const from = conn.ts.messages.length;
          sendFrame(conn, f);
          const value = f.binary || f.notUtf8 ? undefined : (() => {
            try {
              return JSON.parse(f.data.toString()) as unknown;
            } catch {
              return undefined;
            }
          })();
          const object = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
          const silentPresence =
            object?.type === 'presence' &&
            Object.keys(object).every((k) => ['type', 'ticketId', 'activity'].includes(k)) &&
            (object.ticketId === null || object.ticketId === ticketId) &&
            (object.activity === null || object.activity === 'viewing' || object.activity === 'typing') &&
            'ticketId' in object && 'activity' in object;
          if (silentPresence) {
            // Accepted without an answer: wait until the row says so.
            const current = object.ticketId && object.activity ? object.activity : null;
            await expect.poll(async () => (await presenceRow(agent.id)).map((r) => [r.ticket_id, r.activity]), { timeout: ANSWER_MS }).toEqual([[current ? ticketId : null, current]]);
            seen.silent++;
            continue;
          }
          const end = await answer(conn, from, (m) => m.type === 'error' || m.type === 'pong', f.what);
          if (end === 'closed') {
            expectProperClose(conn, f);
            await unchanged(before, f.what);
            seen.closed++;
            continue;
          }
          expectProperClose(conn, f);
          if (end.type === 'pong') {
            expect(object?.type, `${f.what}: answered pong`).toBe('ping');
            seen.pong++;
            continue;
          }
          seen.refused++;
          expectClearError(end, f.what);
          await unchanged(before, f.what);
          expect(await presenceRow(agent.id), `${f.what} was refused but changed the presence`).toEqual(rowBefore);
        }
      }),
      { numRuns: kind === 'pglite' ? 60 : 30 },
    );
    await conn.ts.close();
    for (const [outcome, n] of Object.entries(seen)) expect(n, `${outcome}: ${JSON.stringify(seen)}`).toBeGreaterThan(0);
    expect(log.errors()).toEqual([]);
  }, 240_000);

  it('a burst of hostile frames sent without waiting is answered or refused over the per-connection limit, and both sockets answer again within seconds, with no internal error', async () => {
    const burst = fc.array(frames(fc.oneof(anyJson.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)), fc.record({ type: messageType, text: field, ticketId: field, activity: field }, { requiredKeys: ['type'] }))).filter((f) => !f.notUtf8 && Buffer.byteLength(f.data) <= MAX_FRAME), { minLength: 30, maxLength: 60 });
    await fc.assert(
      fc.asyncProperty(burst, async (sent) => {
        for (const path of [`/api/v1/widget/ws?key=${await newWidgetKey()}`, '/api/v1/realtime']) {
          const conn = await open(path, { cookie: agent.cookie });
          const chat = path.includes('widget');
          if (chat) {
            conn.ts.send({ type: 'hello' });
            await conn.ts.waitFor((m) => m.type === 'welcome');
          } else {
            await conn.ts.waitFor((m) => m.type === 'ready');
          }
          const rule = chat ? SOCKET_FLOOD_LIMITS.widget : SOCKET_FLOOD_LIMITS.agent;
          const from = conn.ts.messages.length;
          const started = Date.now();
          for (const f of sent) sendFrame(conn, f);
          // Frames past the connection's burst are refused at once, each with its own error; a
          // second on, those refusals have all arrived.
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          const refusals = () => conn.ts.messages.slice(from).filter((m) => m.type === 'error' && m.code === 'too_many_requests' && String(m.message).includes('on this connection'));
          const refused = refusals().length;
          // Every frame was taken (the chat's hello too) or refused: the limit holds, nothing is dropped in silence.
          expect(refused, path).toBeGreaterThanOrEqual(sent.length + (chat ? 1 : 0) - rule.rate.capacity - Math.ceil((rule.rate.perSecond * (Date.now() - started)) / 1000));
          // Then the socket answers again: a sentinel is answered once the limit allows it (the
          // chat socket handles the frames it took one after another, before it).
          for (let attempt = 1; ; attempt++) {
            const mark = `fuzz-burst-end-${attempt}`;
            const before = refusals().length;
            conn.ts.send({ type: mark });
            const answered = (m: WsMessage) => m.type === 'error' && String(m.message).includes(mark);
            const end = await answer(conn, from, (m) => answered(m) || refusals().length > before, path);
            expect(end, `${path}: closed with ${conn.closeCode}`).not.toBe('closed');
            if (conn.ts.messages.slice(from).some(answered)) break;
            expect(attempt, `${path}: the sentinel is still refused`).toBeLessThan(5);
            await new Promise((resolve) => setTimeout(resolve, 1_000 * Number(refusals().at(-1)?.retryAfterSeconds ?? 1)));
          }
          for (const e of conn.ts.messages.slice(from).filter((m) => m.type === 'error')) expectClearError(e, path);
          await conn.ts.close();
        }
      }),
      { numRuns: kind === 'pglite' ? 4 : 2 },
    );
    expect(log.errors()).toEqual([]);
  }, 120_000);

  it('a first chat message makes a ticket whose subject is its first line, cut at 80 without splitting a character', async () => {
    const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const boundaries = (s: string) => new Set([...graphemes.segment(s)].map((g) => g.index).concat(s.length));
    const emoji = fc.constantFrom('😀', '👍🏽', '🇬🇷', '👩‍👩‍👧', 'α\u0301', '\u0644\u0627');
    const first = fc.oneof(
      // A character of several code units across the cut at 79.
      fc.tuple(fc.integer({ min: 70, max: 80 }), emoji, fc.constantFrom(...seedText)).map(([n, e, rest]) => `${'a'.repeat(n)}${e}${e} ${rest}`),
      fc.array(fc.oneof(emoji, fc.constantFrom(...seedText), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 })), { minLength: 1, maxLength: 20 }).map((parts) => parts.join('')),
    ).filter((t) => t.normalize('NFC').trim().length > 0 && !t.includes('\u0000') && t.length <= 5000);
    await fc.assert(
      fc.asyncProperty(first, async (said) => {
        const conn = await open(`/api/v1/widget/ws?key=${await newWidgetKey()}`);
        conn.ts.send({ type: 'hello' });
        await conn.ts.waitFor((m) => m.type === 'welcome');
        conn.ts.send({ type: 'message', text: said, clientId: 'first' });
        const ack = await conn.ts.waitFor((m) => m.type === 'ack' || m.type === 'error');
        expect(ack.type, JSON.stringify(ack)).toBe('ack');
        const { subject } = await api.database.db.selectFrom('tickets').select('subject').where('workspace_id', '=', ws.id).where('number', '=', Number(ack.ticketNumber)).executeTakeFirstOrThrow();
        const line = said.normalize('NFC').trim().split('\n').find((l) => l.trim())?.trim() ?? '';
        expect(subject.length).toBeLessThanOrEqual(80);
        if (subject === line) return;
        expect(subject.endsWith('…'), subject).toBe(true);
        const kept = subject.slice(0, -1);
        expect(line.startsWith(kept), `${JSON.stringify(subject)} is not the start of ${JSON.stringify(line)}`).toBe(true);
        expect(boundaries(line).has(kept.length), `${JSON.stringify(subject)} splits a character of ${JSON.stringify(line.slice(0, 90))}`).toBe(true);
        await conn.ts.close();
      }),
      { numRuns: kind === 'pglite' ? 20 : 10 },
    );
  });

  it('two tabs of one visitor sending their first message at once open one ticket, not two', async () => {
    const key = await newWidgetKey();
    const a = await open(`/api/v1/widget/ws?key=${key}`);
    a.ts.send({ type: 'hello', lang: 'ar' });
    const token = String((await a.ts.waitFor((m) => m.type === 'welcome')).token);
    const b = await open(`/api/v1/widget/ws?key=${key}`);
    b.ts.send({ type: 'hello', token });
    await b.ts.waitFor((m) => m.type === 'welcome');
    const before = await countAll();
    a.ts.send({ type: 'message', text: 'مرحبا', clientId: 'tab-a' });
    b.ts.send({ type: 'message', text: 'Γειά σας', clientId: 'tab-b' });
    const [ackA, ackB] = await Promise.all([a.ts.waitFor((m) => m.type === 'ack'), b.ts.waitFor((m) => m.type === 'ack')]);
    expect(ackA.ticketNumber).toBe(ackB.ticketNumber);
    const after = await countAll();
    expect({ tickets: (after.tickets ?? 0) - (before.tickets ?? 0), customers: (after.customers ?? 0) - (before.customers ?? 0), messages: (after.messages ?? 0) - (before.messages ?? 0) }).toEqual({ tickets: 1, customers: 1, messages: 2 });
    await a.ts.close();
    await b.ts.close();
  });

  it('after the fuzz a new connection still works: a Greek, Arabic and HTML chat message reaches the agent, stored once and escaped once', async () => {
    const agentSocket = await open('/api/v1/realtime', { cookie: agent.cookie });
    expect(await answer(agentSocket, 0, (m) => m.type === 'ready', 'ready')).not.toBe('closed');
    const visitor = await open(`/api/v1/widget/ws?key=${await newWidgetKey()}`);
    visitor.ts.send({ type: 'hello', lang: 'el' });
    await visitor.ts.waitFor((m) => m.type === 'welcome');
    const said = `  ${seedText[1] ?? ''}\n\n${seedText.find((l) => /[\u0600-\u06ff]/.test(l)) ?? ''} <script>alert("x")</script> & <b>α\u0301</b>  `;
    const stored = said.normalize('NFC').trim();
    visitor.ts.send({ type: 'message', text: said, clientId: 'final-1' });
    // Sent twice (a resend after a reconnection): stored once.
    visitor.ts.send({ type: 'message', text: said, clientId: 'final-1' });
    const ack = await visitor.ts.waitFor((m) => m.type === 'ack');
    await visitor.ts.waitFor((m) => m.type === 'ack' && m !== ack);
    expect(visitor.ts.messages.filter((m) => m.type === 'ack').map((m) => m.id)).toEqual([ack.id, ack.id]);
    const event = await agentSocket.ts.waitFor((m) => m.type === 'event' && (m.event as { type: string; data: { messageId?: string } }).data.messageId === ack.id);
    expect((event.event as { data: { kind: string } }).data.kind).toBe('customer');
    const rows = await api.database.db.selectFrom('messages').select(['id', 'body_text', 'body_html']).where('workspace_id', '=', ws.id).where('body_text', '=', stored).execute();
    expect(rows.map((r) => r.id)).toEqual([ack.id]);
    expect(rows[0]?.body_html).toBe(textToHtml(stored));
    expect(rows[0]?.body_html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;ά&lt;/b&gt;');
    expect(rows[0]?.body_html).not.toMatch(/<script|&amp;lt;|&amp;amp;/);
    const line = await visitor.ts.waitFor((m) => m.type === 'message' && m.id === ack.id);
    expect(line.text).toBe(stored);
    // The agent reads the same text through the API.
    const ticket = await agentSocket.ts.waitFor((m) => m.type === 'event' && (m.event as { type: string }).type === 'ticket.created');
    const listed = await api.request(ws.tokens.agent, 'GET', `/api/v1/tickets/${(ticket.event as { data: { ticketId: string } }).data.ticketId}/messages`);
    expect(listed.json().data.map((m: { text: string }) => m.text)).toEqual([stored]);
    expect(log.errors()).toEqual([]);
  });
});
