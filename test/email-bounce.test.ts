// A bounce (DSN) for one of our replies marks that reply failed with the reason, visible on the
// ticket's mail list, audited and announced; a temporary "delayed" report changes nothing, and
// another workspace's bounce cannot touch this workspace's mail.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInbound } from '../src/channels/email/index.ts';
import { readDeliveryReport } from '../src/domain/email.ts';
import { JobRuntime } from '../src/jobs/index.ts';
import type { DeliveredEvent } from '../src/realtime/events.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { rawMail, startSink } from './support/mail.ts';
import type { Sink } from './support/mail.ts';

const SUPPORT = 'help@bounce.example.com';
const ARABIC_SUBJECT = 'مشكلة في الفاتورة';
const ARABIC_TEXT = 'لحظة الحقيقة: الفاتورة غير صحيحة، أرجو التصحيح.';

/** A DSN as Postfix writes it: human part, delivery-status, and the original's headers. */
function dsn(original: { messageId: string; to: string }, report: { action: string; status: string; diagnostic: string }): Buffer {
  const boundary = 'dsn-b0undary';
  const encodedSubject = `=?UTF-8?B?${Buffer.from(`Re: ${ARABIC_SUBJECT}`).toString('base64')}?=`;
  return Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>',
      `To: <${SUPPORT}>`,
      'Subject: Undelivered Mail Returned to Sender',
      `Message-ID: <dsn.${Math.random().toString(36).slice(2)}@mx.example.net>`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      '',
      `--${boundary}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'This is the mail system at host mx.example.net. Your message could not be delivered.',
      `--${boundary}`,
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example.net',
      '',
      `Final-Recipient: rfc822; ${original.to}`,
      `Original-Recipient: rfc822; ${original.to}`,
      `Action: ${report.action}`,
      `Status: ${report.status}`,
      `Diagnostic-Code: smtp; ${report.diagnostic}`,
      `--${boundary}`,
      'Content-Type: text/rfc822-headers',
      '',
      `From: <${SUPPORT}>`,
      `To: <${original.to}>`,
      `Subject: ${encodedSubject}`,
      `Message-ID: <${original.messageId}>`,
      `--${boundary}--`,
      '',
    ].join('\r\n'),
  );
}

describe('reading a delivery report (pure)', () => {
  it('finds the status, the diagnostic, the recipient and the original Message-ID, but not its own', () => {
    const r = readDeliveryReport(
      dsn({ messageId: 'orig-1@bounce.example.com', to: 'ahmad@example.sa' }, { action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <ahmad@example.sa>: Recipient address rejected:\r\n  User unknown' }).toString(),
      null,
    );
    expect(r).toMatchObject({ action: 'failed', status: '5.1.1', recipient: 'ahmad@example.sa', permanent: true });
    expect(r.diagnostic).toBe('550 5.1.1 <ahmad@example.sa>: Recipient address rejected: User unknown');
    expect(r.originalMessageIds).toContain('orig-1@bounce.example.com');
    expect(r.originalMessageIds.some((id) => id.startsWith('dsn.'))).toBe(true); // own id is excluded only when given
    const delayed = readDeliveryReport(dsn({ messageId: 'x@y', to: 'a@b' }, { action: 'delayed', status: '4.4.1', diagnostic: 'connect timed out' }).toString(), null);
    expect(delayed.permanent).toBe(false);
    expect(readDeliveryReport('Subject: bounce\r\n\r\nno report here', null).permanent).toBe(true);
  });
});

describe.each(availableBackends())('bounces of outgoing mail on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let jobs: JobRuntime;
  let sink: Sink;
  const events: DeliveredEvent[] = [];
  let ticketId: string;

  const get = async (path: string, token = ws.tokens.owner) => {
    const res = await api.request(token, 'GET', path);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const receive = async (raw: Buffer, workspaceId = ws.id) => {
    const [id] = await storeInbound(api.database.db, { from: '', recipientsByWorkspace: new Map([[workspaceId, [SUPPORT]]]) }, raw);
    await jobs.drain();
    return id as string;
  };
  const reply = async (body: string) => {
    const res = await api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', body });
    expect(res.statusCode, res.body).toBe(201);
    await jobs.drain();
    const mails = (await get(`/api/v1/tickets/${ticketId}/emails`)).data as Array<{ messageRowId: string; messageId: string; status: string; lastError: string | null }>;
    const mail = mails.find((m) => m.messageRowId === res.json().message.id);
    if (!mail) throw new Error('no outgoing mail for the reply');
    return mail;
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Bounce');
    other = await api.createWorkspace('Bounce Elsewhere');
    sink = await startSink();
    jobs = new JobRuntime({ database: api.database, logger: pino({ level: 'silent' }), settings: { smtpUrl: sink.url } });
    await jobs.start();
    api.app.realtime.subscribe(ws.id, (e) => events.push(e));
    await receive(
      rawMail({ from: 'ahmad@example.sa', to: SUPPORT, subject: ARABIC_SUBJECT, text: ARABIC_TEXT, charset: 'windows-1256', messageId: 'first.ahmad@client.example' }),
    );
    const tickets = (await get('/api/v1/tickets?channel=email')).data as Array<{ id: string; subject: string }>;
    ticketId = (tickets.find((t) => t.subject === ARABIC_SUBJECT) as { id: string }).id;
  });
  afterAll(async () => {
    await jobs?.stop();
    await sink?.close();
    await api?.close();
  });

  it('marks the bounced reply failed with the reason, audited and announced, and opens or changes no ticket', async () => {
    const sent = await reply('شكرا، سنصحح الفاتورة اليوم.');
    expect(sent.status).toBe('sent');
    const ticketBefore = await get(`/api/v1/tickets/${ticketId}`);
    const ticketCount = (await get('/api/v1/tickets?limit=200')).data.length;

    const inboundId = await receive(
      dsn({ messageId: sent.messageId, to: 'ahmad@example.sa' }, { action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 <ahmad@example.sa>: Recipient address rejected: User unknown' }),
    );
    const after = ((await get(`/api/v1/tickets/${ticketId}/emails`)).data as Array<{ id: string; messageId: string; status: string; lastError: string }>).find(
      (m) => m.messageId === sent.messageId,
    );
    expect(after).toMatchObject({ status: 'failed' });
    expect(after?.lastError).toBe('Bounced: 5.1.1 550 5.1.1 <ahmad@example.sa>: Recipient address rejected: User unknown (ahmad@example.sa)');
    const inbound = await get(`/api/v1/email/inbound/${inboundId}`);
    expect(inbound).toMatchObject({ status: 'ignored', ticketId });
    expect(inbound.reason).toMatch(/marked failed/);
    // No ticket opened, nothing added, the ticket as it was.
    expect((await get('/api/v1/tickets?limit=200')).data.length).toBe(ticketCount);
    expect(await get(`/api/v1/tickets/${ticketId}`)).toMatchObject({ status: ticketBefore.status, version: ticketBefore.version });
    const audit = (await get('/api/v1/audit?limit=20')).data as Array<{ action: string; entityId: string; changes: { outboundEmailId?: string } }>;
    expect(audit.find((a) => a.action === 'email.bounced')).toMatchObject({ entityId: ticketId, changes: { outboundEmailId: after?.id } });
    await expect.poll(() => events.some((e) => e.type === 'email.failed' && e.data.outboundEmailId === after?.id)).toBe(true);
  });

  it('leaves a reply sent on a temporary (delayed) report, and ignores bounces of another workspace', async () => {
    const sent = await reply('سنرسل الفاتورة المصححة.');
    await receive(dsn({ messageId: sent.messageId, to: 'ahmad@example.sa' }, { action: 'delayed', status: '4.4.1', diagnostic: 'connect to mx.example.sa: Connection timed out' }));
    const mails = (await get(`/api/v1/tickets/${ticketId}/emails`)).data as Array<{ messageId: string; status: string; lastError: string | null }>;
    expect(mails.find((m) => m.messageId === sent.messageId)).toMatchObject({ status: 'sent', lastError: null });

    // The same bounce delivered to another workspace finds nothing of its own to mark.
    await receive(dsn({ messageId: sent.messageId, to: 'ahmad@example.sa' }, { action: 'failed', status: '5.1.1', diagnostic: '550 User unknown' }), other.id);
    const again = (await get(`/api/v1/tickets/${ticketId}/emails`)).data as Array<{ messageId: string; status: string }>;
    expect(again.find((m) => m.messageId === sent.messageId)?.status).toBe('sent');
    const theirs = (await get('/api/v1/email/inbound?status=ignored', other.tokens.owner)).data as Array<{ reason: string }>;
    expect(theirs).toHaveLength(1);
    expect(theirs[0]?.reason).not.toMatch(/marked failed/);
  });
});
