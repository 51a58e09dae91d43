// The e-mail channel end to end on loopback: a real SMTP client sends Greek (ISO-8859-7) and
// Arabic (Windows-1256) mail to the listener, jobs process it into tickets, replies thread,
// automatic mail stays out, and the agent's answer reaches an SMTP sink with threading headers.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpListener } from '../src/channels/email/index.ts';
import type { SmtpListener } from '../src/channels/email/index.ts';
import { JobRuntime } from '../src/jobs/index.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { rawMail, seedParagraphs, sendRaw, startSink } from './support/mail.ts';
import type { Sink } from './support/mail.ts';
import { seedText } from './support/seeds.ts';

const GREEK = seedParagraphs(seedText('000_872ed610193a76ff.txt'), 3);
const ARABIC = seedParagraphs(seedText('003_d927bf57eeee527a.txt'), 3);
const GREEK_SUBJECT = 'Πρόβλημα με την παραγγελία μου';
const ARABIC_SUBJECT = 'مشكلة في الفاتورة';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 37) % 256))]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 13) % 256))]);

const silent = pino({ level: 'silent' });
let seq = 0;
const newMessageId = (who: string) => `${Date.now()}.${++seq}.${who}@client.example`;

describe.each(availableBackends())('e-mail channel on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let jobs: JobRuntime;
  let smtp: SmtpListener;
  let sink: Sink;
  const SUPPORT = 'help@alpha.example.com';

  const get = async (path: string) => {
    const res = await api.request(ws.tokens.owner, 'GET', path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const send = (raw: Buffer, from: string, to = SUPPORT) => sendRaw(smtp.port, { from, to: [to] }, raw);
  const ticketsOf = async (email: string) =>
    (await get(`/api/v1/tickets?q=&limit=200`)).data.filter((t: { customer: { email: string } }) => t.customer.email === email);

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Alpha Mail');
    other = await api.createWorkspace('Beta Mail');
    sink = await startSink();
    jobs = new JobRuntime({ database: api.database, logger: silent, settings: { smtpUrl: sink.url } });
    await jobs.start();
    smtp = await startSmtpListener({ database: api.database, logger: silent, port: 0, host: '127.0.0.1' });
    const added = await api.request(ws.tokens.admin, 'POST', '/api/v1/email/addresses', { address: SUPPORT });
    expect(added.statusCode, added.body).toBe(201);
  });
  afterAll(async () => {
    await smtp?.close();
    await jobs?.stop();
    await sink?.close();
    await api?.close();
  });

  let greekTicketId: string;
  let greekMessageId: string;
  let arabicTicketId: string;
  let arabicMessageId: string;

  it('turns a Greek ISO-8859-7 message with an attachment into a ticket with exact text and bytes', async () => {
    greekMessageId = newMessageId('eleni');
    const raw = rawMail({
      from: 'eleni@example.gr',
      fromName: 'Ελένη Παπαδοπούλου',
      to: SUPPORT,
      subject: GREEK_SUBJECT,
      text: GREEK,
      charset: 'ISO-8859-7',
      messageId: greekMessageId,
      attachment: { filename: 'τιμολόγιο.pdf', contentType: 'application/pdf', content: PDF },
    });
    expect(raw.includes(Buffer.from('ISO-8859-7'))).toBe(true);
    const answer = await send(raw, 'eleni@example.gr');
    expect(answer.response).toMatch(/^250/);
    // Stored before the 250: the raw bytes are there even before any job ran.
    const stored = await get('/api/v1/email/inbound?status=received');
    expect(stored.data).toHaveLength(1);
    const rawBack = await api.request(ws.tokens.owner, 'GET', `/api/v1/email/inbound/${stored.data[0].id}/raw`);
    expect(rawBack.rawPayload.equals(raw)).toBe(true);

    expect(await jobs.drain()).toMatchObject({ failed: 0 });
    const [ticket] = await ticketsOf('eleni@example.gr');
    expect(ticket).toMatchObject({ subject: GREEK_SUBJECT, channel: 'email', status: 'new', customer: { name: 'Ελένη Παπαδοπούλου' } });
    greekTicketId = ticket.id;
    const messages = (await get(`/api/v1/tickets/${ticket.id}/messages`)).data;
    expect(messages).toHaveLength(1);
    expect(messages[0].kind).toBe('customer');
    expect(messages[0].text).toBe(GREEK);
    expect(messages[0].attachments).toHaveLength(1);
    expect(messages[0].attachments[0]).toMatchObject({ filename: 'τιμολόγιο.pdf', contentType: 'application/pdf', size: PDF.length });
    const bytes = await api.request(ws.tokens.owner, 'GET', `/api/v1/attachments/${messages[0].attachments[0].id}`);
    expect(bytes.rawPayload.equals(PDF)).toBe(true);
    const customer = await get(`/api/v1/customers/${ticket.customer.id}`);
    expect(customer.locale).toBe('el');
    const inbound = await get(`/api/v1/email/inbound/${stored.data[0].id}`);
    expect(inbound).toMatchObject({ status: 'processed', ticketId: ticket.id, from: 'eleni@example.gr', subject: GREEK_SUBJECT, messageId: greekMessageId });
  });

  it('turns an Arabic Windows-1256 message with an image into a ticket with exact text and bytes', async () => {
    arabicMessageId = newMessageId('omar');
    const raw = rawMail({
      from: 'omar@example.sa',
      fromName: 'عمر الفاروق',
      to: SUPPORT,
      subject: ARABIC_SUBJECT,
      text: ARABIC,
      charset: 'windows-1256',
      messageId: arabicMessageId,
      attachment: { filename: 'صورة.png', contentType: 'image/png', content: PNG },
    });
    expect((await send(raw, 'omar@example.sa')).response).toMatch(/^250/);
    await jobs.drain();
    const [ticket] = await ticketsOf('omar@example.sa');
    expect(ticket).toMatchObject({ subject: ARABIC_SUBJECT, channel: 'email', customer: { name: 'عمر الفاروق' } });
    arabicTicketId = ticket.id;
    const [message] = (await get(`/api/v1/tickets/${ticket.id}/messages`)).data;
    expect(message.text).toBe(ARABIC);
    expect(message.attachments[0]).toMatchObject({ filename: 'صورة.png', contentType: 'image/png', size: PNG.length });
    const bytes = await api.request(ws.tokens.owner, 'GET', `/api/v1/attachments/${message.attachments[0].id}`);
    expect(bytes.rawPayload.equals(PNG)).toBe(true);
    expect((await get(`/api/v1/customers/${ticket.customer.id}`)).locale).toBe('ar');
  });

  it('refuses unknown recipients with 550 at RCPT and stores nothing', async () => {
    const before = (await get('/api/v1/email/inbound')).data.length;
    const raw = rawMail({ from: 'x@example.com', to: 'nobody@alpha.example.com', subject: 'hi', text: 'hello', charset: 'utf-8', messageId: newMessageId('x') });
    const error = await send(raw, 'x@example.com', 'nobody@alpha.example.com').then(
      () => null,
      (e: { responseCode?: number }) => e,
    );
    expect(error?.responseCode).toBe(550);
    expect((await get('/api/v1/email/inbound')).data.length).toBe(before);
    // The other workspace has no address and receives nothing either.
    const otherList = await api.request(other.tokens.owner, 'GET', '/api/v1/email/inbound');
    expect(otherList.json().data).toEqual([]);
  });

  it('threads the customer\'s reply (In-Reply-To) into the same ticket, without the quoted history', async () => {
    const reply = 'Ευχαριστώ, περιμένω νέα σας.';
    const quoted = `${reply}\n\nΣτις Τετ, 25 Νοε 2026 στις 10:00, η ομάδα υποστήριξης έγραψε:\n> ${GREEK.split('\n')[0]}\n> Παλιό κείμενο`;
    const messageId = newMessageId('eleni');
    const raw = rawMail({
      from: 'eleni@example.gr',
      to: SUPPORT,
      subject: `Re: ${GREEK_SUBJECT}`,
      text: quoted,
      charset: 'ISO-8859-7',
      messageId,
      inReplyTo: greekMessageId,
      references: [greekMessageId],
    });
    await send(raw, 'eleni@example.gr');
    await jobs.drain();
    expect(await ticketsOf('eleni@example.gr')).toHaveLength(1);
    const messages = (await get(`/api/v1/tickets/${greekTicketId}/messages`)).data;
    expect(messages).toHaveLength(2);
    expect(messages[1].text).toBe(reply);
    // The original, quotes included, stays available to admins.
    const inbound = (await get('/api/v1/email/inbound')).data.find((m: { messageId: string }) => m.messageId === messageId);
    expect((await get(`/api/v1/email/inbound/${inbound.id}`)).fullText).toBe(quoted);
  });

  it('threads by a [#number] in the subject from the ticket\'s own customer', async () => {
    const ticket = await get(`/api/v1/tickets/${arabicTicketId}`);
    const raw = rawMail({
      from: 'omar@example.sa',
      to: SUPPORT,
      subject: `معلومات إضافية [#${ticket.number}]`,
      text: 'رقم الطلب هو 4567',
      charset: 'windows-1256',
      messageId: newMessageId('omar'),
    });
    await send(raw, 'omar@example.sa');
    await jobs.drain();
    const messages = (await get(`/api/v1/tickets/${arabicTicketId}/messages`)).data;
    expect(messages.at(-1).text).toBe('رقم الطلب هو 4567');
    expect(await ticketsOf('omar@example.sa')).toHaveLength(1);
  });

  it('keeps one message when the same Message-ID arrives twice', async () => {
    const messageId = newMessageId('dup');
    const raw = rawMail({ from: 'dup@example.com', to: SUPPORT, subject: 'Twice', text: 'Sent twice by a retrying server', charset: 'utf-8', messageId });
    await send(raw, 'dup@example.com');
    await send(raw, 'dup@example.com');
    await jobs.drain();
    const tickets = await ticketsOf('dup@example.com');
    expect(tickets).toHaveLength(1);
    expect((await get(`/api/v1/tickets/${tickets[0].id}/messages`)).data).toHaveLength(1);
    const inbound = (await get('/api/v1/email/inbound')).data.filter((m: { messageId: string }) => m.messageId === messageId);
    expect(inbound.map((m: { status: string }) => m.status).sort()).toEqual(['ignored', 'processed']);
    expect(inbound.find((m: { status: string }) => m.status === 'ignored').reason).toMatch(/duplicate/);
  });

  it('an out-of-office does not reopen a solved ticket and gets no answer', async () => {
    const solved = await api.request(ws.tokens.owner, 'PATCH', `/api/v1/tickets/${greekTicketId}`, { status: 'solved' });
    expect(solved.statusCode, solved.body).toBe(200);
    const sentBefore = sink.messages.length;
    const raw = rawMail({
      from: 'eleni@example.gr',
      to: SUPPORT,
      subject: `Εκτός γραφείου: ${GREEK_SUBJECT}`,
      text: 'Είμαι εκτός γραφείου έως τη Δευτέρα.',
      charset: 'ISO-8859-7',
      messageId: newMessageId('ooo'),
      inReplyTo: greekMessageId,
      headers: { 'Auto-Submitted': 'auto-replied', 'X-Autoreply': 'yes' },
    });
    await send(raw, 'eleni@example.gr');
    await jobs.drain();
    const ticket = await get(`/api/v1/tickets/${greekTicketId}`);
    expect(ticket.status).toBe('solved');
    expect(ticket.reopenCount).toBe(0);
    expect((await get(`/api/v1/tickets/${greekTicketId}/messages`)).data).toHaveLength(2);
    const ignored = (await get('/api/v1/email/inbound?status=ignored')).data.find((m: { automated: string | null }) => m.automated === 'auto-reply');
    expect(ignored).toMatchObject({ ticketId: greekTicketId });
    expect(sink.messages.length).toBe(sentBefore);
  });

  it('recognises a bounce (multipart/report from mailer-daemon) and opens no ticket', async () => {
    const boundary = 'dsn-boundary';
    const raw = Buffer.from(
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
        `To: <${SUPPORT}>`,
        'Subject: Undelivered Mail Returned to Sender',
        `Message-ID: <${newMessageId('dsn')}>`,
        'MIME-Version: 1.0',
        `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
        '',
        `--${boundary}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.example.net',
        '',
        'Final-Recipient: rfc822; gone@example.net',
        'Action: failed',
        'Status: 5.1.1',
        `--${boundary}--`,
        '',
      ].join('\r\n'),
    );
    const before = (await get('/api/v1/tickets?limit=200')).data.length;
    await send(raw, '');
    await jobs.drain();
    expect((await get('/api/v1/tickets?limit=200')).data.length).toBe(before);
    const bounce = (await get('/api/v1/email/inbound?status=ignored')).data.find((m: { automated: string | null }) => m.automated === 'bounce');
    expect(bounce).toBeTruthy();
  });

  it('keeps malformed mail, flagged failed with the reason, visible to admins only', async () => {
    const raw = Buffer.from('Subject: no sender at all\r\nMessage-ID: <broken@x>\r\n\r\nbody without a From header\r\n');
    await send(raw, 'someone@example.com');
    await jobs.drain();
    const failed = (await get('/api/v1/email/inbound?status=failed')).data;
    expect(failed).toHaveLength(1);
    expect(failed[0].reason).toMatch(/no sender/);
    const raw2 = await api.request(ws.tokens.owner, 'GET', `/api/v1/email/inbound/${failed[0].id}/raw`);
    expect(raw2.rawPayload.equals(raw)).toBe(true);
    expect((await api.request(ws.tokens.agent, 'GET', '/api/v1/email/inbound')).statusCode).toBe(403);
  });

  it('mails the agent\'s reply with headers that thread, right-to-left for an Arabic customer', async () => {
    const reply = await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${arabicTicketId}/messages`, {
      kind: 'reply',
      body: 'شكراً لتواصلك معنا. تم تصحيح الفاتورة.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const queued = (await get(`/api/v1/tickets/${arabicTicketId}/emails`)).data;
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ status: 'queued', messageRowId: reply.json().message.id, to: 'omar@example.sa' });
    await jobs.drain();
    const [delivery] = (await get(`/api/v1/tickets/${arabicTicketId}/emails`)).data;
    expect(delivery).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    const mail = sink.messages.find((m) => m.envelopeTo.includes('omar@example.sa'));
    expect(mail).toBeTruthy();
    const parsed = mail!.parsed;
    expect(parsed.messageId).toBe(`<${delivery.messageId}>`);
    expect(parsed.inReplyTo).toBe(`<${delivery.inReplyTo}>`);
    const references = ([] as string[]).concat(parsed.references ?? []);
    expect(references).toContain(`<${arabicMessageId}>`);
    expect(references).toContain(parsed.inReplyTo);
    const ticket = await get(`/api/v1/tickets/${arabicTicketId}`);
    expect(parsed.subject).toBe(`Re: ${ARABIC_SUBJECT} [#${ticket.number}]`);
    expect(parsed.from?.value[0]?.address).toBe(SUPPORT);
    expect(parsed.text).toContain('شكراً لتواصلك معنا. تم تصحيح الفاتورة.');
    const html = String(parsed.html);
    expect(html).toMatch(/<body dir="rtl"/);
    expect(html).toContain('text-align:right');
    expect(html).toMatch(/<blockquote dir="rtl" style="[^"]*border-right/);
    expect(html).toContain('رقم الطلب هو 4567');

    // The customer's client answers our mail: it threads into the same ticket by our Message-ID.
    const answer = rawMail({
      from: 'omar@example.sa',
      to: SUPPORT,
      subject: parsed.subject ?? '',
      text: 'تم الاستلام، شكراً.',
      charset: 'windows-1256',
      messageId: newMessageId('omar'),
      inReplyTo: delivery.messageId,
      references: [...references.map((r) => r.slice(1, -1))],
    });
    await send(answer, 'omar@example.sa');
    await jobs.drain();
    const messages = (await get(`/api/v1/tickets/${arabicTicketId}/messages`)).data;
    expect(messages.at(-1)).toMatchObject({ kind: 'customer', text: 'تم الاستلام، شكراً.' });
  });

  it('retries a refused delivery and shows it failed with the last error when retries run out', async () => {
    const reply = await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${greekTicketId}/messages`, { kind: 'reply', body: 'Καλημέρα σας' });
    expect(reply.statusCode).toBe(201);
    sink.failNext(100);
    try {
      // Retries wait (30 s, backing off); let the clock "pass" between rounds until the delivery
      // gives up. A round on a loaded machine may find the retry not yet due, so the number of
      // rounds is not the number of attempts: the attempts are asserted below.
      for (let round = 0; round < 40; round++) {
        await jobs.drain();
        if ((await get(`/api/v1/tickets/${greekTicketId}/emails`)).data.at(-1)?.status === 'failed') break;
        await api.database.pool.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'email.send' AND state = 'retry'`);
      }
    } finally {
      sink.failNext(0);
    }
    const deliveries = (await get(`/api/v1/tickets/${greekTicketId}/emails`)).data;
    const last = deliveries.at(-1);
    expect(last).toMatchObject({ status: 'failed', attempts: 6 });
    expect(last.lastError).toMatch(/451|busy/);
  });

  it('sends nothing for internal notes, or for replies on tickets that did not come by e-mail', async () => {
    const before = sink.messages.length;
    await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${arabicTicketId}/messages`, { kind: 'note', body: 'internal' });
    const apiTicket = await api.request(ws.tokens.owner, 'POST', '/api/v1/tickets', {
      subject: 'By API',
      customer: { email: 'api@example.com' },
      message: 'hello',
    });
    await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${apiTicket.json().id}/messages`, { kind: 'reply', body: 'answer' });
    await jobs.drain();
    expect(sink.messages.length).toBe(before);
  });

  it('acknowledges a new e-mail ticket when the workspace asks for it, but never an automatic mail', async () => {
    const patch = await api.request(ws.tokens.admin, 'PATCH', '/api/v1/email/settings', { acknowledgeNew: true });
    expect(patch.json()).toEqual({ acknowledgeNew: true });
    const before = sink.messages.length;
    const auto = rawMail({
      from: 'robot@example.com', to: SUPPORT, subject: 'Automatic reply', text: 'I am away', charset: 'utf-8',
      messageId: newMessageId('robot'), headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await send(auto, 'robot@example.com');
    const human = rawMail({
      from: 'nikos@example.gr', to: SUPPORT, subject: 'Ερώτηση', text: 'Γεια σας', charset: 'ISO-8859-7', messageId: newMessageId('nikos'),
    });
    await send(human, 'nikos@example.gr');
    await jobs.drain();
    const sent = sink.messages.slice(before);
    expect(sent.map((m) => m.envelopeTo)).toEqual([['nikos@example.gr']]);
    expect(sent[0]?.parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(sent[0]?.parsed.text).toContain('Λάβαμε το αίτημά σας');
    await api.request(ws.tokens.admin, 'PATCH', '/api/v1/email/settings', { acknowledgeNew: false });
  });
});
