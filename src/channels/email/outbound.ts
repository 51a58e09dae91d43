// Outbound mail: a public reply on an e-mail ticket (or an acknowledgement) becomes an
// outbound_emails row and an `email.send` job in the reply's own transaction; the worker sends
// it with nodemailer, with Message-ID / In-Reply-To / References that thread in the customer's
// client, and records queued → sent, or failed with the last error.
import type { Kysely } from 'kysely';
import type { SendMailOptions } from 'nodemailer';
import sanitizeHtml from 'sanitize-html';
import type { DB } from '../../db/schema.ts';
import { formatMessageId, replySubject } from '../../domain/email.ts';
import { enqueue, registerWorker } from '../../jobs/index.ts';
import { newId } from '../../shared/ids.ts';
import { sanitizeMessageHtml, textToHtml } from '../../tickets/content.ts';
import { onMessageCreated } from '../../tickets/service.ts';
import type { MessageCreatedEvent } from '../../tickets/service.ts';
import { senderAddress } from './addresses.ts';

declare module '../../jobs/registry.ts' {
  interface JobTypes {
    'email.send': { workspaceId: string; outboundId: string };
  }
}

export const SEND_POLICY = { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true, expireInSeconds: 300 };

function domainOf(address: string): string {
  return address.split('@')[1] ?? 'truthdesk.localhost';
}

async function threadIds(tx: Kysely<DB>, workspaceId: string, ticketId: string): Promise<{ inReplyTo: string | null; references: string[] }> {
  const rows = await tx
    .selectFrom('email_message_ids')
    .select(['message_id', 'direction'])
    .where('workspace_id', '=', workspaceId)
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('message_id')
    .execute();
  const lastIncoming = [...rows].reverse().find((r) => r.direction === 'in');
  const last = rows.at(-1);
  // RFC 5322: References carries the thread; keep the first and the latest ones if it is long.
  const all = rows.map((r) => r.message_id);
  const references = all.length > 20 ? [all[0] as string, ...all.slice(-19)] : all;
  return { inReplyTo: (lastIncoming ?? last)?.message_id ?? null, references };
}

async function queueEmail(
  tx: Kysely<DB>,
  workspaceId: string,
  ticketId: string,
  messageRowId: string,
  kind: 'reply' | 'acknowledgement',
): Promise<string | null> {
  const ticket = await tx
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['tickets.subject', 'tickets.number', 'customers.email', 'customers.locale'])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket?.email) return null;
  const from = await senderAddress(tx, workspaceId);
  const id = newId();
  const messageId = `${id}@${domainOf(from)}`;
  const thread = await threadIds(tx, workspaceId, ticketId);
  await tx
    .insertInto('outbound_emails')
    .values({
      id,
      workspace_id: workspaceId,
      ticket_id: ticketId,
      message_row_id: messageRowId,
      kind,
      from_address: from,
      to_address: ticket.email,
      subject: replySubject(ticket.subject, ticket.number),
      message_id: messageId,
      in_reply_to: thread.inReplyTo,
      references: thread.references,
      rtl: ticket.locale === 'ar',
    })
    .execute();
  await tx
    .insertInto('email_message_ids')
    .values({ workspace_id: workspaceId, message_id: messageId, ticket_id: ticketId, message_row_id: messageRowId, direction: 'out' })
    .execute();
  await enqueue(tx, 'email.send', { workspaceId, outboundId: id });
  return id;
}

/** Public agent replies on e-mail tickets are mailed to the customer. */
async function onReply(tx: Kysely<DB>, event: MessageCreatedEvent): Promise<void> {
  if (event.kind !== 'reply' || event.ticket.channel !== 'email') return;
  await queueEmail(tx, event.workspaceId, event.ticket.id, event.messageId, 'reply');
}
onMessageCreated(onReply);

/** "We received your request": only for mail that opened a ticket, never for automatic mail. */
export async function queueAcknowledgement(tx: Kysely<DB>, workspaceId: string, ticketId: string, messageRowId: string): Promise<void> {
  await queueEmail(tx, workspaceId, ticketId, messageRowId, 'acknowledgement');
}

const ACK_TEXT: Record<string, string> = {
  en: 'We have received your request and will answer as soon as we can. Reply to this e-mail to add to it.',
  el: 'Λάβαμε το αίτημά σας και θα σας απαντήσουμε το συντομότερο. Απαντήστε σε αυτό το μήνυμα για να προσθέσετε κάτι.',
  ar: 'لقد تلقينا طلبك وسنرد عليك في أقرب وقت ممكن. يمكنك الرد على هذه الرسالة لإضافة أي معلومات.',
};

const EMAIL_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['html', 'head', 'meta', 'body', 'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'blockquote', 'pre', 'code',
    'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr'],
  allowedAttributes: { '*': ['dir', 'lang', 'style'], a: ['href', 'title', 'dir'], meta: ['charset'] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedStyles: { '*': { 'text-align': [/^(left|right)$/], direction: [/^(rtl|ltr)$/], 'border-right': [/^[\w\s#]+$/], 'border-left': [/^[\w\s#]+$/],
    'padding-right': [/^\d+px$/], 'padding-left': [/^\d+px$/], margin: [/^[\d\spx]+$/], color: [/^#[0-9a-f]{3,6}$/i] } },
};

export interface ComposedEmail {
  text: string;
  html: string;
}

/** The body of an outgoing mail: our message, then the customer's last message quoted. */
export function composeEmail(input: {
  bodyHtml: string;
  bodyText: string;
  quoted: { text: string; html: string; author: string } | null;
  rtl: boolean;
  lang: string;
}): ComposedEmail {
  const dir = input.rtl ? 'rtl' : 'ltr';
  const align = input.rtl ? 'right' : 'left';
  const quoteStyle = input.rtl
    ? 'margin:0;border-right:2px solid #ccc;padding-right:8px;color:#555;text-align:right'
    : 'margin:0;border-left:2px solid #ccc;padding-left:8px;color:#555;text-align:left';
  const quote = input.quoted
    ? `<p dir="${dir}" style="text-align:${align}">${sanitizeHtml(input.quoted.author, { allowedTags: [], allowedAttributes: {} })}:</p>` +
      `<blockquote dir="${dir}" style="${quoteStyle}">${sanitizeMessageHtml(input.quoted.html)}</blockquote>`
    : '';
  const html =
    `<html lang="${input.lang}" dir="${dir}"><head><meta charset="utf-8"></head>` +
    `<body dir="${dir}" style="direction:${dir};text-align:${align}">` +
    `<div dir="${dir}" style="text-align:${align}">${sanitizeMessageHtml(input.bodyHtml)}</div>${quote}</body></html>`;
  const quotedText = input.quoted
    ? `\n\n${input.quoted.author}:\n${input.quoted.text.split('\n').map((l) => `> ${l}`).join('\n')}`
    : '';
  return { html: sanitizeHtml(html, EMAIL_SANITIZE), text: `${input.bodyText}${quotedText}` };
}

/** Hands one message to the SMTP relay at `smtpUrl` (TRUTHDESK_SMTP_URL); throws when it refuses. */
export async function deliverMail(smtpUrl: string, message: SendMailOptions): Promise<void> {
  const { default: nodemailer } = await import('nodemailer');
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail(message);
  } finally {
    transport.close();
  }
}

async function sendOutbound(db: Kysely<DB>, workspaceId: string, outboundId: string, smtpUrl: string | undefined): Promise<void> {
  const row = await db
    .selectFrom('outbound_emails')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', outboundId)
    .executeTakeFirst();
  if (!row || row.status === 'sent') return;
  if (!smtpUrl) throw new Error('TRUTHDESK_SMTP_URL is not set: outgoing mail cannot be sent');
  const customer = await db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['customers.name', 'customers.locale'])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.id', '=', row.ticket_id)
    .executeTakeFirstOrThrow();
  const lang = customer.locale ?? 'en';
  let body: { html: string; text: string };
  let quoted: { text: string; html: string; author: string } | null = null;
  if (row.kind === 'acknowledgement') {
    const text = ACK_TEXT[lang] ?? ACK_TEXT.en ?? '';
    body = { text, html: textToHtml(text) };
  } else {
    const message = await db
      .selectFrom('messages')
      .select(['body_html', 'body_text', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', row.message_row_id ?? '')
      .executeTakeFirstOrThrow();
    body = { html: message.body_html, text: message.body_text };
    const last = await db
      .selectFrom('messages')
      .select(['body_html', 'body_text', 'created_at'])
      .where('workspace_id', '=', workspaceId)
      .where('ticket_id', '=', row.ticket_id)
      .where('kind', '=', 'customer')
      .where('created_at', '<=', message.created_at)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (last) {
      quoted = { text: last.body_text, html: last.body_html, author: `${customer.name ?? row.to_address} <${row.to_address}>` };
    }
  }
  const composed = composeEmail({ bodyHtml: body.html, bodyText: body.text, quoted, rtl: row.rtl, lang });
  await deliverMail(smtpUrl, {
    from: row.from_address,
    to: row.to_address,
    subject: row.subject,
    messageId: formatMessageId(row.message_id),
    ...(row.in_reply_to ? { inReplyTo: formatMessageId(row.in_reply_to) } : {}),
    ...(row.references.length ? { references: row.references.map(formatMessageId) } : {}),
    text: composed.text,
    html: composed.html,
    headers: {
      // We answer people, and say so: their auto-responders must not answer us (RFC 3834).
      'Auto-Submitted': row.kind === 'acknowledgement' ? 'auto-replied' : 'no',
      ...(row.kind === 'acknowledgement' ? { 'X-Auto-Response-Suppress': 'All' } : {}),
      'Content-Language': lang,
    },
  });
  await db
    .updateTable('outbound_emails')
    .set({ status: 'sent', sent_at: new Date(), attempts: row.attempts + 1, last_error: null })
    .where('id', '=', outboundId)
    .execute();
}

registerWorker(
  'email.send',
  async (data, ctx) => {
    try {
      await sendOutbound(ctx.db, data.workspaceId, data.outboundId, ctx.settings.smtpUrl);
    } catch (error) {
      const final = ctx.job.retryCount >= ctx.job.retryLimit;
      await ctx.db
        .updateTable('outbound_emails')
        .set((eb) => ({
          attempts: eb('attempts', '+', 1),
          last_error: ((error as Error).message || String(error)).slice(0, 2000),
          ...(final ? { status: 'failed' } : {}),
        }))
        .where('workspace_id', '=', data.workspaceId)
        .where('id', '=', data.outboundId)
        .execute();
      throw error;
    }
  },
  SEND_POLICY,
);
