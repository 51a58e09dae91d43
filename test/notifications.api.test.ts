// @mentions in internal notes: the agent named (in Greek, Arabic or Latin script, by name or
// e-mail) gets an in-app notification and a realtime event only they receive; unknown names
// stay plain text; notifications are listed and marked read by their owner only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAtMentions } from '../src/domain/at-mentions.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { connectWs, signedInAgent, wsUrl } from './support/ws.ts';
import type { TestSocket, WsMessage } from './support/ws.ts';

const team = [
  { id: 'a-maria', name: 'Μαρία Παπαδοπούλου', email: 'maria.p@example.gr' },
  { id: 'a-marios', name: 'Μάριος Νικολάου', email: 'marios@example.gr' },
  { id: 'a-karim', name: 'كريم المصري', email: 'karim@example.sa' },
  { id: 'a-layla', name: 'ليلى حسن', email: 'l.hassan@example.sa' },
  { id: 'a-john1', name: 'John Smith', email: 'jsmith@example.com' },
  { id: 'a-john2', name: 'John Doe', email: 'jdoe@example.com' },
];

describe('finding @mentions (pure)', () => {
  const ids = (text: string) => findAtMentions(text, team).map((m) => m.agentId);

  it('matches full names, first names and e-mail local parts in any case and accent, Greek and Arabic alike', () => {
    expect(ids('@Μαρία Παπαδοπούλου δες το τιμολόγιο')).toEqual(['a-maria']);
    expect(ids('Ρώτα τη @μαρια για τη στιγμή της αλήθειας.')).toEqual(['a-maria']);
    expect(ids('@ΜΑΡΙΑ, @maria.p και @Μάριος')).toEqual(['a-maria', 'a-marios']);
    expect(ids('يرجى من @كريم مراجعة لحظة الحقيقة')).toEqual(['a-karim']);
    expect(ids('@كريم المصري و @ليلى حسن: العميل غاضب')).toEqual(['a-karim', 'a-layla']);
    expect(ids('@l.hassan please look')).toEqual(['a-layla']);
    expect(ids('@John Smith and @jdoe')).toEqual(['a-john1', 'a-john2']);
  });

  it('leaves unknown, ambiguous and e-mail-address text alone', () => {
    expect(ids('@Γιώργος θα το δει αύριο')).toEqual([]);
    expect(ids('@John, who is John?')).toEqual([]); // two Johns: say which
    expect(ids('write to maria.p@example.gr or support@example.gr')).toEqual([]);
    expect(ids('no mention here; an @ alone, @')).toEqual([]);
    expect(ids('@Μαρία @Μαρία @maria.p')).toEqual(['a-maria']);
  });
});

describe.each(availableBackends())('@mention notifications on %s', (kind) => {
  let api: TestApi;
  let url: string;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let maria: { id: string; cookie: string };
  let karim: { id: string; cookie: string };
  let author: { id: string; cookie: string };
  let ticketId: string;
  const sockets: TestSocket[] = [];

  const as = (cookie: string, method: 'GET' | 'POST', path: string, body?: unknown) =>
    api.app.inject({ method, url: path, headers: { cookie }, ...(body === undefined ? {} : { payload: body as object }) });
  const note = async (body: string) => {
    const res = await as(author.cookie, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'note', body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().message as { id: string; mentionedAgentIds: string[]; text: string };
  };
  /** A mention notification arrived on this socket (they are sent only to the agent named). */
  const mentionNotification = (m: WsMessage) =>
    m.type === 'event' && (m.event as { type: string }).type === 'notification.created' && (m.event as { data: { kind: string } }).data.kind === 'mention';

  beforeAll(async () => {
    api = await startTestApi(kind);
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    ws = await api.createWorkspace('Mentions');
    other = await api.createWorkspace('Mentions Elsewhere');
    maria = await signedInAgent(api.request, ws.tokens.owner, { email: 'maria.p@mentions.example.com', name: 'Μαρία Παπαδοπούλου' });
    karim = await signedInAgent(api.request, ws.tokens.owner, { email: 'karim@mentions.example.com', name: 'كريم المصري' });
    author = await signedInAgent(api.request, ws.tokens.owner, { email: 'nikos@mentions.example.com', name: 'Νίκος' });
    // An agent of another workspace with the same name is never notified.
    await signedInAgent(api.request, other.tokens.owner, { email: 'maria.p@elsewhere.example.com', name: 'Μαρία Παπαδοπούλου' });
    const ticket = await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'Η στιγμή της αλήθειας χάθηκε',
      customer: { email: 'eleni@example.gr', name: 'Ελένη' },
      message: 'Η παράδοση άργησε δύο εβδομάδες.',
    });
    ticketId = ticket.json().id;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  it('notifies the agents named in a Greek and Arabic note, live and in their list, and only them', async () => {
    const mariaSocket = await connectWs(wsUrl(url, '/api/v1/realtime'), { cookie: maria.cookie });
    const karimSocket = await connectWs(wsUrl(url, '/api/v1/realtime'), { cookie: karim.cookie });
    const authorSocket = await connectWs(wsUrl(url, '/api/v1/realtime'), { cookie: author.cookie });
    sockets.push(mariaSocket, karimSocket, authorSocket);
    for (const s of [mariaSocket, karimSocket, authorSocket]) await s.waitFor((m) => m.type === 'ready');

    const text = '@Μαρία μπορείς να δεις την επιστροφή; Also @Γιώργος if he is back.';
    const message = await note(text);
    expect(message.mentionedAgentIds).toEqual([maria.id]);
    // The note keeps its text exactly; the unknown name is left as written.
    expect(message.text).toBe(text);

    const event = await mariaSocket.waitFor(mentionNotification);
    expect((event.event as { data: Record<string, unknown> }).data).toMatchObject({ ticketId, messageId: message.id, byAgentId: author.id });
    // The note's own message.created reaches everyone; the notification only Maria.
    await karimSocket.waitFor((m) => m.type === 'event' && (m.event as { type: string; data: { messageId?: string } }).data.messageId === message.id);
    await authorSocket.waitFor((m) => m.type === 'event' && (m.event as { type: string; data: { messageId?: string } }).data.messageId === message.id);
    expect(karimSocket.messages.some(mentionNotification)).toBe(false);
    expect(authorSocket.messages.some(mentionNotification)).toBe(false);

    const list = (await as(maria.cookie, 'GET', '/api/v1/notifications')).json();
    expect(list.unreadCount).toBe(1);
    expect(list.data[0]).toMatchObject({
      kind: 'mention',
      ticket: { id: ticketId, subject: 'Η στιγμή της αλήθειας χάθηκε' },
      messageId: message.id,
      by: { id: author.id, name: 'Νίκος' },
      excerpt: text,
      readAt: null,
    });
    expect((await as(karim.cookie, 'GET', '/api/v1/notifications')).json()).toMatchObject({ data: [], unreadCount: 0 });

    const arabic = await note('يرجى من @كريم المصري و @maria.p مراجعة شكوى العميل');
    expect(arabic.mentionedAgentIds).toEqual([karim.id, maria.id]);
    await karimSocket.waitFor(mentionNotification);
    const karimList = (await as(karim.cookie, 'GET', '/api/v1/notifications')).json();
    expect(karimList.data.map((n: { excerpt: string }) => n.excerpt)).toEqual(['يرجى من @كريم المصري و @maria.p مراجعة شكوى العميل']);
    expect((await as(maria.cookie, 'GET', '/api/v1/notifications?unread=true')).json().unreadCount).toBe(2);

    // Audited with the note.
    const audit = (await api.request(ws.tokens.owner, 'GET', '/api/v1/audit?limit=10')).json().data as Array<{ action: string; changes: { messageId?: string; mentions?: string[] } }>;
    expect(audit.find((a) => a.action === 'message.created' && a.changes.messageId === arabic.id)?.changes.mentions).toEqual([karim.id, maria.id]);
  });

  it('mentions only in internal notes, never notifies the author, and leaves unknown names as text', async () => {
    const before = (await as(maria.cookie, 'GET', '/api/v1/notifications')).json().data.length;
    const reply = await as(author.cookie, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', body: 'Η @Μαρία θα σας απαντήσει.' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json().message.mentionedAgentIds).toEqual([]);
    const self = await note('Σημείωση για μένα, @Νίκος, και για τον @Άγνωστο');
    expect(self.mentionedAgentIds).toEqual([author.id]);
    expect((await as(author.cookie, 'GET', '/api/v1/notifications')).json().data).toEqual([]);
    expect((await as(maria.cookie, 'GET', '/api/v1/notifications')).json().data).toHaveLength(before);
  });

  it('marks read one by one or all at once, only the owner’s own, and 404s for anyone else', async () => {
    const mine = (await as(maria.cookie, 'GET', '/api/v1/notifications')).json().data as Array<{ id: string }>;
    const first = mine[0] as { id: string };
    // Karim cannot read or mark Maria's notification; a foreign workspace cannot either.
    expect((await as(karim.cookie, 'POST', `/api/v1/notifications/${first.id}/read`)).statusCode).toBe(404);
    expect((await api.request(other.tokens.owner, 'POST', `/api/v1/notifications/${first.id}/read`)).statusCode).toBe(404);
    expect((await as(karim.cookie, 'POST', '/api/v1/notifications/read', { ids: [first.id] })).json()).toEqual({ marked: 0 });
    expect((await as(maria.cookie, 'GET', '/api/v1/notifications')).json().unreadCount).toBe(2);

    const read = await as(maria.cookie, 'POST', `/api/v1/notifications/${first.id}/read`);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect((await as(maria.cookie, 'GET', '/api/v1/notifications?unread=true')).json()).toMatchObject({ unreadCount: 1 });
    expect((await as(maria.cookie, 'POST', '/api/v1/notifications/read', {})).json()).toEqual({ marked: 1 });
    expect((await as(maria.cookie, 'GET', '/api/v1/notifications?unread=true')).json()).toMatchObject({ data: [], unreadCount: 0 });
    expect((await as(maria.cookie, 'POST', '/api/v1/notifications/read', { ids: ['not-a-uuid'] })).statusCode).toBe(400);
  });
});
