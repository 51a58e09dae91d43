// Inbound mail: stored raw first (in the transaction that lets SMTP answer 250), then processed
// by a job: parsed, recognised (automatic mail, duplicates), threaded into a ticket or opening
// one, through the tickets service so its rules, touchpoints and audit apply.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AddressObject, ParsedMail } from 'mailparser';
import type { DB } from '../../db/schema.ts';
import {
  automatedKind,
  guessLocale,
  messageIdList,
  normalizeAddress,
  normalizeMessageId,
  readDeliveryReport,
  stripQuotedReply,
  ticketNumberInSubject,
} from '../../domain/email.ts';
import { enqueue, registerWorker } from '../../jobs/index.ts';
import { recordAudit } from '../../audit/store.ts';
import { publishOnCommit } from '../../realtime/events.ts';
import type { WorkspaceContext } from '../../shared/context.ts';
import { newId } from '../../shared/ids.ts';
import { htmlToText } from '../../tickets/content.ts';
import { addMessage, createTicket } from '../../tickets/service.ts';
import { currentTicketId } from '../../tickets/merge.ts';
import type { AttachmentInput } from '../../tickets/service.ts';
import { getEmailSettings } from './addresses.ts';
import { queueAcknowledgement } from './outbound.ts';

declare module '../../jobs/registry.ts' {
  interface JobTypes {
    'email.inbound': { inboundId: string };
  }
}

export interface Envelope {
  from: string | null;
  /** Accepted recipients, grouped by the workspace each routes to. */
  recipientsByWorkspace: Map<string, string[]>;
}

/**
 * Keeps the raw message once per receiving workspace and queues its processing, in one
 * transaction: when this resolves, the mail is durable and may be acknowledged with 250.
 */
export async function storeInbound(db: Kysely<DB>, envelope: Envelope, raw: Buffer): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const ids: string[] = [];
    for (const [workspaceId, recipients] of envelope.recipientsByWorkspace) {
      const id = newId();
      await tx
        .insertInto('inbound_emails')
        .values({
          id,
          workspace_id: workspaceId,
          envelope_from: envelope.from,
          envelope_to: recipients,
          raw,
          size: raw.length,
        })
        .execute();
      await enqueue(tx, 'email.inbound', { inboundId: id });
      ids.push(id);
    }
    return ids;
  });
}

const MAX_TEXT = 100_000;

function firstAddress(value: AddressObject | AddressObject[] | undefined): { address: string; name: string | null } | null {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  for (const group of list) {
    for (const entry of group.value) {
      const address = normalizeAddress(entry.address);
      if (address) return { address, name: entry.name?.trim() || null };
    }
  }
  return null;
}

function headerMap(parsed: ParsedMail): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of parsed.headerLines) {
    const value = line.line.slice(line.line.indexOf(':') + 1).trim();
    if (!map.has(line.key)) map.set(line.key, value);
  }
  return map;
}

function attachmentsOf(parsed: ParsedMail): AttachmentInput[] {
  return parsed.attachments
    .filter((a) => a.contentType !== 'message/delivery-status')
    .map((a, i) => ({
      filename: (a.filename ?? `${a.contentDisposition === 'inline' ? 'inline' : 'attachment'}-${i + 1}`).replace(/[/\\]/g, '_').slice(0, 255),
      contentType: (a.contentType || 'application/octet-stream').toLowerCase(),
      content: a.content,
    }));
}

type Outcome =
  | { status: 'processed'; ticketId: string; messageRowId: string; reason: string }
  | { status: 'ignored' | 'failed'; ticketId?: string; reason: string };

class Malformed extends Error {}

async function findThreadTicket(
  ctx: WorkspaceContext,
  references: string[],
  subject: string | null,
  customerEmail: string,
): Promise<{ id: string; how: string } | null> {
  if (references.length) {
    const row = await ctx.db
      .selectFrom('email_message_ids')
      .select(['ticket_id', 'message_id'])
      .where('workspace_id', '=', ctx.workspaceId)
      .where('message_id', 'in', references)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (row) return { id: await currentTicketId(ctx.db, ctx.workspaceId, row.ticket_id), how: `threaded by Message-ID ${row.message_id}` };
  }
  const number = ticketNumberInSubject(subject);
  if (number !== null) {
    // A subject reference is easy to type: it threads only mail from the ticket's own customer.
    const row = await ctx.db
      .selectFrom('tickets')
      .innerJoin('customers', 'customers.id', 'tickets.customer_id')
      .select('tickets.id')
      .where('tickets.workspace_id', '=', ctx.workspaceId)
      .where('tickets.number', '=', number)
      .where((eb) => eb(eb.fn('lower', ['customers.email']), '=', customerEmail))
      .executeTakeFirst();
    // A merged ticket's thread continues in the ticket it was merged into.
    if (row) return { id: await currentTicketId(ctx.db, ctx.workspaceId, row.id), how: `threaded by [#${number}] in the subject` };
  }
  return null;
}

/** Report parts of a bounce, as text (they may be base64 or quoted-printable in the raw mail). */
const REPORT_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/rfc822-headers', 'message/delivery-status', 'message/global-delivery-status']);

/**
 * A bounce of one of our outgoing mails marks that mail failed with the bounce's reason (a
 * temporary "delayed" report is only noted). Returns what it did, or null when the bounce
 * names none of this workspace's outgoing mails.
 */
async function recordBounce(
  ctx: WorkspaceContext,
  raw: Buffer,
  parsed: ParsedMail,
  ownMessageId: string,
  references: string[],
): Promise<{ ticketId: string; reason: string } | null> {
  const parts = parsed.attachments.filter((a) => REPORT_TYPES.has(a.contentType.toLowerCase())).map((a) => a.content.toString('utf8'));
  const report = readDeliveryReport([raw.toString('utf8'), ...parts].join('\n'), ownMessageId);
  const candidates = [...new Set([...report.originalMessageIds, ...references])];
  if (candidates.length === 0) return null;
  const outbound = await ctx.db
    .selectFrom('outbound_emails')
    .select(['id', 'ticket_id', 'message_id', 'status'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('message_id', 'in', candidates)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!outbound) return null;
  if (!report.permanent) {
    return { ticketId: outbound.ticket_id, reason: `bounce (temporary, ${report.reason}) for outgoing mail ${outbound.message_id}; still ${outbound.status}` };
  }
  const lastError = `Bounced: ${report.reason}`;
  await ctx.db
    .updateTable('outbound_emails')
    .set({ status: 'failed', last_error: lastError })
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', outbound.id)
    .execute();
  await recordAudit(ctx.db, ctx.workspaceId, ctx.actor, {
    action: 'email.bounced',
    entityType: 'ticket',
    entityId: outbound.ticket_id,
    changes: { outboundEmailId: outbound.id, status: [outbound.status, 'failed'], reason: report.reason },
  });
  await publishOnCommit(ctx.db, ctx.workspaceId, {
    type: 'email.failed',
    data: { ticketId: outbound.ticket_id, outboundEmailId: outbound.id, reason: lastError.slice(0, 500) },
  });
  return { ticketId: outbound.ticket_id, reason: `bounce for outgoing mail ${outbound.message_id}: marked failed (${report.reason})` };
}

async function processParsed(ctx: WorkspaceContext, inboundId: string, raw: Buffer, parsed: ParsedMail): Promise<Outcome> {
  const from = firstAddress(parsed.from) ?? firstAddress(parsed.replyTo);
  if (!from) throw new Malformed('no sender address (From)');
  const headers = headerMap(parsed);
  const subject = parsed.subject?.trim() || null;
  const messageId = normalizeMessageId(parsed.messageId) ?? `sha256-${createHash('sha256').update(raw).digest('hex')}@truthdesk.invalid`;
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  const fullText = (parsed.text?.trim() || (html ? htmlToText(html) : '')).normalize('NFC');
  const automated = automatedKind({
    headers,
    from: from.address,
    contentType: (headers.get('content-type') ?? '').split(';')[0] ?? null,
    subject,
  });
  await ctx.db
    .updateTable('inbound_emails')
    .set({ message_id: messageId, from_address: from.address, subject, full_text: fullText.slice(0, 1_000_000), automated })
    .where('id', '=', inboundId)
    .execute();

  const sourceId = `email:${messageId}`;
  const duplicate = await ctx.db
    .selectFrom('messages')
    .select(['id', 'ticket_id'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  if (duplicate) return { status: 'ignored', ticketId: duplicate.ticket_id, reason: `duplicate of Message-ID ${messageId}` };

  const references = [...messageIdList(parsed.inReplyTo ?? null), ...messageIdList(parsed.references ?? null).reverse()];
  const thread = await findThreadTicket(ctx, references, subject, from.address);

  if (automated === 'bounce') {
    const bounced = await recordBounce(ctx, raw, parsed, messageId, references);
    if (bounced) return { status: 'ignored', ticketId: bounced.ticketId, reason: bounced.reason };
  }
  if (automated) {
    // Out-of-office, bounces and list mail never open or reopen a ticket, and get no answer.
    return {
      status: 'ignored',
      ...(thread ? { ticketId: thread.id } : {}),
      reason: `${automated} (kept, not added to a ticket)`,
    };
  }

  const attachments = attachmentsOf(parsed);
  if (!fullText && attachments.length === 0) throw new Malformed('no text and no attachments');

  if (thread) {
    const stripped = stripQuotedReply(fullText);
    const body = stripped !== fullText.trim() || !html ? { text: stripped || '(empty message)' } : { html, text: fullText };
    const { message } = await addMessage(ctx, thread.id, {
      kind: 'customer',
      ...body,
      attachments,
      sourceId,
    });
    await ctx.db
      .insertInto('email_message_ids')
      .values({ workspace_id: ctx.workspaceId, message_id: messageId, ticket_id: thread.id, message_row_id: message.id, direction: 'in' })
      .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing())
      .execute();
    return { status: 'processed', ticketId: thread.id, messageRowId: message.id, reason: thread.how };
  }

  const ticket = await createTicket(ctx, {
    subject: (subject ?? '(no subject)').slice(0, 300),
    customer: {
      email: from.address,
      ...(from.name ? { name: from.name.slice(0, 200) } : {}),
      locale: guessLocale(`${subject ?? ''}\n${fullText}`),
    },
    channel: 'email',
    priority: 'normal',
    message: html ? { html, text: fullText.slice(0, MAX_TEXT) } : { text: fullText.slice(0, MAX_TEXT) || '(empty message)' },
    attachments,
  });
  const first = await ctx.db
    .selectFrom('messages')
    .select('id')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('ticket_id', '=', ticket.id)
    .orderBy('id')
    .executeTakeFirstOrThrow();
  await ctx.db.updateTable('messages').set({ source_id: sourceId }).where('id', '=', first.id).execute();
  await ctx.db
    .insertInto('email_message_ids')
    .values({ workspace_id: ctx.workspaceId, message_id: messageId, ticket_id: ticket.id, message_row_id: first.id, direction: 'in' })
    .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing())
    .execute();
  if ((await getEmailSettings(ctx.db, ctx.workspaceId)).acknowledgeNew) {
    await queueAcknowledgement(ctx.db, ctx.workspaceId, ticket.id, first.id);
  }
  return { status: 'processed', ticketId: ticket.id, messageRowId: first.id, reason: 'opened a new ticket' };
}

async function finish(db: Kysely<DB>, inboundId: string, outcome: Outcome): Promise<void> {
  await db
    .updateTable('inbound_emails')
    .set({
      status: outcome.status,
      reason: outcome.reason.slice(0, 2000),
      ticket_id: outcome.ticketId ?? null,
      message_row_id: outcome.status === 'processed' ? outcome.messageRowId : null,
      processed_at: new Date(),
    })
    .where('id', '=', inboundId)
    .execute();
}

/** Processes one stored message; safe to run again (a processed message is left alone). */
export async function processInbound(db: Kysely<DB>, inboundId: string): Promise<void> {
  const row = await db.selectFrom('inbound_emails').selectAll().where('id', '=', inboundId).executeTakeFirst();
  if (!row || row.status !== 'received') return;
  await db.updateTable('inbound_emails').set({ attempts: row.attempts + 1 }).where('id', '=', inboundId).execute();
  let parsed: ParsedMail;
  try {
    // Loaded on first use: CLI commands that never parse mail start faster.
    const { simpleParser } = await import('mailparser');
    parsed = await simpleParser(row.raw, { skipImageLinks: true, skipTextToHtml: true });
  } catch (error) {
    await finish(db, inboundId, { status: 'failed', reason: `unreadable MIME: ${(error as Error).message}` });
    return;
  }
  try {
    // Ticket, message, Message-ID map and this row's status commit together.
    await db.transaction().execute(async (tx) => {
      // Lock the row: two workers never process the same mail at once.
      const locked = await tx.selectFrom('inbound_emails').select('status').where('id', '=', inboundId).forUpdate().executeTakeFirst();
      if (locked?.status !== 'received') return;
      const ctx: WorkspaceContext = { db: tx, workspaceId: row.workspace_id, actor: { type: 'system', id: null, role: 'agent' } };
      const outcome = await processParsed(ctx, inboundId, row.raw, parsed);
      await finish(tx, inboundId, outcome);
    });
  } catch (error) {
    if (error instanceof Malformed) {
      await finish(db, inboundId, { status: 'failed', reason: `malformed: ${error.message}` });
      return;
    }
    throw error; // a database hiccup: the job is retried
  }
}

registerWorker('email.inbound', async (data, ctx) => {
  try {
    await processInbound(ctx.db, data.inboundId);
  } catch (error) {
    // Out of retries: keep the mail, flag it for admins.
    if (ctx.job.retryCount >= ctx.job.retryLimit) {
      await finish(ctx.db, data.inboundId, { status: 'failed', reason: `processing failed: ${(error as Error).message}` });
    }
    throw error;
  }
}, { retryLimit: 5, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 300 });
