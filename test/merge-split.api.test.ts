// Merging and splitting tickets as an agent sees it: the conversation moves whole (Greek and
// Arabic text exact), the merged ticket is closed with a link, the customer's next e-mail on
// the old thread lands in the surviving ticket, refusals are 4xx that change nothing.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInbound } from '../src/channels/email/index.ts';
import { JobRuntime } from '../src/jobs/index.ts';
import { catchUpPainPoints } from '../src/painpoints/service.ts';
import type { DeliveredEvent } from '../src/realtime/events.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { rawMail, seedParagraphs, startSink } from './support/mail.ts';
import type { Sink } from './support/mail.ts';
import { seedText } from './support/seeds.ts';

const GREEK = seedParagraphs(seedText('000_872ed610193a76ff.txt'), 2);
const ARABIC = seedParagraphs(seedText('003_d927bf57eeee527a.txt'), 2);
const SUPPORT = 'help@merge.example.com';

interface TicketView {
  id: string;
  number: number;
  status: string;
  version: number;
  mergedIntoId: string | null;
  splitFromId: string | null;
  customer: { id: string };
  tags: string[];
  lastCustomerMessageAt: string | null;
}
interface MessageView {
  id: string;
  kind: string;
  text: string;
  attachments: unknown[];
}

describe.each(availableBackends())('merge and split on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let jobs: JobRuntime;
  let sink: Sink;
  const events: DeliveredEvent[] = [];
  let seq = 0;

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown, token = ws.tokens.agent) => api.request(token, method, url, body);
  async function ok<T>(res: { statusCode: number; body: string; json(): unknown }, status = 200): Promise<T> {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as T;
  }
  const ticket = async (id: string) => ok<TicketView>(await req('GET', `/api/v1/tickets/${id}`));
  const messages = async (id: string) => (await ok<{ data: MessageView[] }>(await req('GET', `/api/v1/tickets/${id}/messages?limit=200`))).data;
  async function mail(input: { from: string; subject: string; text: string; charset: string; inReplyTo?: string }): Promise<string> {
    const messageId = `${Date.now()}.${++seq}@client.example`;
    const raw = rawMail({ ...input, to: SUPPORT, messageId, ...(input.inReplyTo ? { references: [input.inReplyTo] } : {}) });
    await storeInbound(api.database.db, { from: input.from, recipientsByWorkspace: new Map([[ws.id, [SUPPORT]]]) }, raw);
    expect(await jobs.drain()).toMatchObject({ failed: 0 });
    return messageId;
  }
  const ticketsOf = async (email: string) =>
    (await ok<{ data: Array<TicketView & { customer: { email: string } }> }>(await req('GET', '/api/v1/tickets?limit=200'))).data.filter(
      (t) => t.customer.email === email,
    );

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Merge');
    other = await api.createWorkspace('Merge Elsewhere');
    sink = await startSink();
    jobs = new JobRuntime({ database: api.database, logger: pino({ level: 'silent' }), settings: { smtpUrl: sink.url } });
    await jobs.start();
    api.app.realtime.subscribe(ws.id, (e) => events.push(e));
  });
  afterAll(async () => {
    await jobs?.stop();
    await sink?.close();
    await api?.close();
  });

  it('merges an e-mail ticket into another of the same customer; her reply on the old thread lands in the survivor', async () => {
    const firstMail = await mail({ from: 'eleni@example.gr', subject: 'Η παραγγελία μου', text: GREEK, charset: 'ISO-8859-7' });
    const [source] = await ticketsOf('eleni@example.gr');
    if (!source) throw new Error('no ticket from the mail');
    await ok(await req('POST', `/api/v1/tickets/${source.id}/messages`, { kind: 'reply', body: 'Το εξετάζουμε, Ελένη.' }), 201);
    await ok(await req('PATCH', `/api/v1/tickets/${source.id}`, { tags: ['παράδοση'] }));
    const target = await ok<TicketView>(
      await req('POST', '/api/v1/tickets', { subject: 'Τηλεφώνημα για την ίδια παραγγελία', customerId: source.customer.id, channel: 'phone', message: 'Πήρε τηλέφωνο για την παράδοση.', tags: ['τηλέφωνο'] }),
      201,
    );
    const sourceMessages = await messages(source.id);
    expect(sourceMessages.map((m) => m.kind)).toEqual(['customer', 'reply']);

    // Her words were already mined for pain points, quoted with the ticket they came from.
    await catchUpPainPoints(api.database.db, ws.id);
    const painTicket = async () =>
      (await api.database.db.selectFrom('pain_sources').select('ticket_id').where('source_type', '=', 'message').where('source_id', '=', sourceMessages[0]?.id ?? '').executeTakeFirst())?.ticket_id;
    expect(await painTicket()).toBe(source.id);

    const merged = await ok<{ ticket: TicketView; merged: TicketView }>(await req('POST', `/api/v1/tickets/${source.id}/merge`, { into: target.id }));
    expect(await painTicket()).toBe(target.id);
    expect(merged.merged).toMatchObject({ id: source.id, status: 'closed', mergedIntoId: target.id });
    expect(merged.ticket).toMatchObject({ id: target.id, status: target.status, version: target.version + 1 });
    expect(merged.ticket.tags.sort()).toEqual(['παράδοση', 'τηλέφωνο'].sort());

    const after = await messages(target.id);
    // The Greek text arrives exactly as the customer wrote it, then a note says what happened.
    expect(after.find((m) => m.id === sourceMessages[0]?.id)?.text).toBe(GREEK);
    expect(after.filter((m) => m.kind !== 'note').map((m) => m.id)).toEqual(
      expect.arrayContaining(sourceMessages.map((m) => m.id)),
    );
    expect(after.at(-1)).toMatchObject({ kind: 'note' });
    expect(after.at(-1)?.text).toContain(`#${source.number}`);
    const left = await messages(source.id);
    expect(left).toHaveLength(1);
    expect(left[0]?.text).toContain(`#${target.number}`);
    // The e-mail sent on the merged ticket is listed with the survivor now.
    const emails = await ok<{ data: Array<{ messageRowId: string }> }>(await req('GET', `/api/v1/tickets/${target.id}/emails`));
    expect(emails.data.map((e) => e.messageRowId)).toContain(sourceMessages[1]?.id);

    // Audited on both sides and announced.
    const audit = (await ok<{ data: Array<{ action: string; entityId: string }> }>(await req('GET', '/api/v1/audit?limit=50', undefined, ws.tokens.owner))).data;
    expect(audit.some((a) => a.action === 'ticket.merged' && a.entityId === target.id)).toBe(true);
    expect(audit.some((a) => a.action === 'ticket.merged_into' && a.entityId === source.id)).toBe(true);
    await expect.poll(() => events.some((e) => e.type === 'ticket.merged' && e.data.mergedTicketId === source.id && e.data.ticketId === target.id)).toBe(true);

    // Eleni answers the old thread (In-Reply-To her first mail): it lands in the survivor, reopening nothing closed.
    const countBefore = after.length;
    await mail({ from: 'eleni@example.gr', subject: 'Re: Η παραγγελία μου', text: 'Ακόμα περιμένω την παράδοση.', charset: 'ISO-8859-7', inReplyTo: firstMail });
    const withReply = await messages(target.id);
    expect(withReply).toHaveLength(countBefore + 1);
    expect(withReply.at(-1)).toMatchObject({ kind: 'customer', text: 'Ακόμα περιμένω την παράδοση.' });
    // By the old ticket number in the subject too.
    await mail({ from: 'eleni@example.gr', subject: `Re: [#${source.number}] Η παραγγελία μου`, text: 'Και πάλι εγώ.', charset: 'UTF-8' });
    expect((await messages(target.id)).at(-1)?.text).toBe('Και πάλι εγώ.');
    expect(await ticketsOf('eleni@example.gr')).toHaveLength(2);
    expect((await ticket(source.id)).status).toBe('closed');
    // Writing on the merged ticket through the API says where to write.
    const onMerged = await req('POST', `/api/v1/tickets/${source.id}/messages`, { kind: 'reply', body: 'x' });
    expect(onMerged.statusCode).toBe(422);
    expect(onMerged.json().error.details).toEqual({ mergedIntoId: target.id });
  });

  it('refuses merging into itself, closed or merged tickets, another customer’s (unless asked) or another workspace’s, changing nothing', async () => {
    const customer = { email: 'karim@example.sa', name: 'كريم' };
    const a = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'الفاتورة', customer, message: ARABIC }), 201);
    const b = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'الفاتورة مرة أخرى', customer, message: 'نفس المشكلة' }), 201);
    const stranger = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'Other', customer: { email: 'layla@example.sa' }, message: 'مرحبا' }), 201);
    const solved = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'Old', customer, message: 'قديم' }), 201);
    await ok(await req('PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' }));
    await ok(await req('PATCH', `/api/v1/tickets/${solved.id}`, { status: 'closed' }));
    const foreign = await ok<TicketView>(await api.request(other.tokens.agent, 'POST', '/api/v1/tickets', { subject: 'Elsewhere', customer, message: 'x' }), 201);

    const snapshot = async () => Promise.all([a.id, b.id, stranger.id, solved.id].map(async (id) => ({ t: await ticket(id), m: await messages(id) })));
    const before = await snapshot();
    const attempts: Array<[string, unknown, number, RegExp]> = [
      [a.id, { into: a.id }, 422, /itself/],
      [a.id, { into: solved.id }, 422, /closed/],
      [solved.id, { into: a.id }, 422, /closed/],
      [a.id, { into: stranger.id }, 422, /different customers/],
      [a.id, { into: foreign.id }, 422, /not a ticket of this workspace/],
      [a.id, { into: 'not-a-uuid' }, 400, /into/],
      [a.id, { into: b.id, extra: true }, 400, /extra|Unrecognized/i],
    ];
    for (const [id, body, status, message] of attempts) {
      const res = await req('POST', `/api/v1/tickets/${id}/merge`, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.json().error.message).toMatch(message);
    }
    // Another workspace cannot merge this one's ticket, nor see it exists.
    expect((await api.request(other.tokens.agent, 'POST', `/api/v1/tickets/${a.id}/merge`, { into: foreign.id })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(before);

    // Two customers, when the agent says so.
    const both = await ok<{ ticket: TicketView }>(await req('POST', `/api/v1/tickets/${stranger.id}/merge`, { into: a.id, allowDifferentCustomers: true }));
    expect((await messages(both.ticket.id)).map((m) => m.text)).toContain('مرحبا');
    // A merged ticket cannot be merged again, nor be a target.
    expect((await req('POST', `/api/v1/tickets/${stranger.id}/merge`, { into: b.id })).statusCode).toBe(422);
    expect((await req('POST', `/api/v1/tickets/${b.id}/merge`, { into: stranger.id })).statusCode).toBe(422);
  });

  it('cancels the satisfaction survey of a solved ticket merged into another', async () => {
    const survey = await ok<{ id: string }>(await req('POST', '/api/v1/surveys', { name: 'Ικανοποίηση', type: 'csat', trigger: 'ticket_solved' }, ws.tokens.owner), 201);
    const customer = { email: 'nikos@example.gr', name: 'Νίκος' };
    const solved = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'Λύθηκε', customer, message: 'Ευχαριστώ' }), 201);
    await ok(await req('PATCH', `/api/v1/tickets/${solved.id}`, { status: 'solved' }));
    const target = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'Το ίδιο θέμα', customer, message: 'Πάλι εγώ' }), 201);
    const invitations = async () =>
      (await ok<{ data: Array<{ ticketId: string; status: string }> }>(await req('GET', `/api/v1/surveys/${survey.id}/invitations`, undefined, ws.tokens.owner))).data;
    expect((await invitations()).find((i) => i.ticketId === solved.id)?.status).toBe('scheduled');
    await ok(await req('POST', `/api/v1/tickets/${solved.id}/merge`, { into: target.id }));
    expect((await invitations()).find((i) => i.ticketId === solved.id)?.status).toBe('cancelled');
    await ok(await req('PATCH', `/api/v1/surveys/${survey.id}`, { active: false }, ws.tokens.owner));
  });

  it('splits a later message (and those after it) or chosen messages into a new ticket of the same customer', async () => {
    const t = await ok<TicketView>(
      await req('POST', '/api/v1/tickets', { subject: 'لحظة الحقيقة: الفاتورة', customer: { email: 'omar@example.sa', name: 'عمر' }, message: ARABIC, priority: 'high', tags: ['فواتير'] }),
      201,
    );
    await ok(await req('POST', `/api/v1/tickets/${t.id}/messages`, { kind: 'reply', body: 'تم تصحيح الفاتورة.' }), 201);
    const newIssue = await ok<{ message: MessageView }>(await req('POST', `/api/v1/tickets/${t.id}/messages`, { kind: 'customer', body: 'شكرا. لدي مشكلة أخرى: التطبيق لا يعمل.' }), 201);
    await ok(await req('POST', `/api/v1/tickets/${t.id}/messages`, { kind: 'note', body: 'مشكلة جديدة' }), 201);
    const before = await ticket(t.id);

    const split = await ok<{ ticket: TicketView; source: TicketView }>(
      await req('POST', `/api/v1/tickets/${t.id}/split`, { fromMessageId: newIssue.message.id, subject: 'التطبيق لا يعمل' }),
      201,
    );
    expect(split.ticket).toMatchObject({ splitFromId: t.id, status: 'open', customer: { id: t.customer.id }, tags: ['فواتير'] });
    expect(split.ticket.lastCustomerMessageAt).not.toBeNull();
    const moved = await messages(split.ticket.id);
    expect(moved.map((m) => m.kind)).toEqual(['customer', 'note', 'note']);
    expect(moved[0]?.text).toBe('شكرا. لدي مشكلة أخرى: التطبيق لا يعمل.');
    const kept = await messages(t.id);
    expect(kept.map((m) => m.kind)).toEqual(['customer', 'reply', 'note']);
    expect(kept[0]?.text).toBe(ARABIC);
    expect(kept.at(-1)?.text).toContain(`#${split.ticket.number}`);
    // The source's facts follow what it holds now: its last customer message is the first one.
    expect(split.source.version).toBe(before.version + 1);
    expect(Date.parse(split.source.lastCustomerMessageAt ?? '')).toBeLessThan(Date.parse(before.lastCustomerMessageAt ?? ''));
    await expect.poll(() => events.some((e) => e.type === 'ticket.split' && e.data.newTicketId === split.ticket.id)).toBe(true);

    // Chosen messages.
    const chosen = await ok<{ ticket: TicketView }>(await req('POST', `/api/v1/tickets/${t.id}/split`, { messageIds: [kept[1]?.id] }), 201);
    expect((await messages(chosen.ticket.id))[0]).toMatchObject({ kind: 'reply', text: 'تم تصحيح الفاتورة.' });

    // Refusals change nothing.
    const snapshot = async () => ({ t: await ticket(t.id), m: await messages(t.id) });
    const prior = await snapshot();
    const remaining = prior.m.map((m) => m.id);
    for (const [body, status] of [
      [{ messageIds: remaining }, 422],
      [{ messageIds: [moved[0]?.id] }, 422],
      [{ fromMessageId: moved[0]?.id }, 422],
      [{ messageIds: [remaining[0]], fromMessageId: remaining[0] }, 400],
      [{}, 400],
    ] as const) {
      const res = await req('POST', `/api/v1/tickets/${t.id}/split`, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(status);
    }
    expect((await api.request(other.tokens.agent, 'POST', `/api/v1/tickets/${t.id}/split`, { fromMessageId: remaining[0] })).statusCode).toBe(404);
    expect(await snapshot()).toEqual(prior);
    const audit = (await ok<{ data: Array<{ action: string; entityId: string }> }>(await req('GET', '/api/v1/audit?limit=50', undefined, ws.tokens.owner))).data;
    expect(audit.filter((a) => a.action === 'ticket.split' && a.entityId === t.id)).toHaveLength(2);
  });
  it('writes its merge and split notes in the workspace language (Arabic, then Greek)', async () => {
    expect((await req('PATCH', '/api/v1/workspace', { defaultLocale: 'ar' }, ws.tokens.owner)).statusCode).toBe(200);
    const customer = { email: 'layla@example.sa', name: 'ليلى' };
    const first = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'الطلب لم يصل', customer, message: 'لم يصل طلبي بعد' }), 201);
    const second = await ok<TicketView>(await req('POST', '/api/v1/tickets', { subject: 'أين طلبي؟', customer, message: 'ما زلت أنتظر' }), 201);
    await ok(await req('POST', `/api/v1/tickets/${second.id}/merge`, { into: first.id }));
    expect((await messages(first.id)).at(-1)).toMatchObject({ kind: 'note', text: `دُمجت التذكرة #${second.number} (أين طلبي؟) في هذه التذكرة. عدد الرسائل المنقولة إليها: 1.` });
    expect((await messages(second.id)).at(-1)).toMatchObject({ kind: 'note', text: `دُمجت في التذكرة #${first.number} (الطلب لم يصل).` });

    expect((await req('PATCH', '/api/v1/workspace', { defaultLocale: 'el' }, ws.tokens.owner)).statusCode).toBe(200);
    const greek = await ok<TicketView>(
      await req('POST', '/api/v1/tickets', { subject: 'Χρέωση δύο φορές', customer: { email: 'maria@example.gr', name: 'Μαρία' }, message: 'Με χρεώσατε δύο φορές' }),
      201,
    );
    const other = await ok<{ message: MessageView }>(await req('POST', `/api/v1/tickets/${greek.id}/messages`, { kind: 'customer', body: 'Και η εφαρμογή δεν ανοίγει' }), 201);
    const split = await ok<{ ticket: TicketView }>(await req('POST', `/api/v1/tickets/${greek.id}/split`, { fromMessageId: other.message.id, subject: 'Η εφαρμογή δεν ανοίγει' }), 201);
    expect((await messages(split.ticket.id)).at(-1)?.text).toBe(`Διαχωρίστηκε από το αίτημα #${greek.number} (Χρέωση δύο φορές). Μηνύματα που μεταφέρθηκαν εδώ: 1.`);
    expect((await messages(greek.id)).at(-1)?.text).toBe(`Μηνύματα που μεταφέρθηκαν στο νέο αίτημα #${split.ticket.number} (Η εφαρμογή δεν ανοίγει): 1.`);
    expect((await req('PATCH', '/api/v1/workspace', { defaultLocale: 'en' }, ws.tokens.owner)).statusCode).toBe(200);
  });
});
