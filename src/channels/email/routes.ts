// E-mail channel API: support addresses and settings (admins), inbound mail with its processing
// status (admins: nothing is dropped silently), and the delivery state of a ticket's outgoing mail.
import { z } from 'zod';
import type { Selectable } from 'kysely';
import type { InboundEmailsTable } from '../../db/schema.ts';
import { defineRoute, Reply } from '../../http/route.ts';
import { afterId, email, idParams, pageQuery, pageSchema, toPage } from '../../http/schemas.ts';
import { getTicket } from '../../tickets/service.ts';
import { notFound } from '../../shared/errors.ts';
import { addSupportAddress, getEmailSettings, listSupportAddresses, removeSupportAddress, updateEmailSettings } from './addresses.ts';

const supportAddress = z.object({ id: z.uuid(), address: z.string(), createdAt: z.string() });
const settings = z.object({ acknowledgeNew: z.boolean() });
const INBOUND_STATUSES = ['received', 'processed', 'failed', 'ignored'] as const;

const inboundSummary = z.object({
  id: z.uuid(),
  status: z.enum(INBOUND_STATUSES),
  reason: z.string().nullable(),
  envelopeFrom: z.string().nullable(),
  envelopeTo: z.array(z.string()),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  messageId: z.string().nullable(),
  automated: z.string().nullable(),
  size: z.number().int(),
  attempts: z.number().int(),
  ticketId: z.uuid().nullable(),
  messageRowId: z.uuid().nullable(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
});
const inboundDetail = inboundSummary.extend({ fullText: z.string().nullable() });

const outbound = z.object({
  id: z.uuid(),
  messageRowId: z.uuid().nullable(),
  kind: z.enum(['reply', 'acknowledgement']),
  to: z.string(),
  subject: z.string(),
  messageId: z.string(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()),
  status: z.enum(['queued', 'sent', 'failed']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The API shape of a stored inbound mail (list and detail share it). */
function toInbound(r: Omit<Selectable<InboundEmailsTable>, 'workspace_id' | 'raw' | 'full_text'>) {
  return {
    id: r.id,
    status: r.status,
    reason: r.reason,
    envelopeFrom: r.envelope_from,
    envelopeTo: r.envelope_to,
    from: r.from_address,
    subject: r.subject,
    messageId: r.message_id,
    automated: r.automated,
    size: r.size,
    attempts: r.attempts,
    ticketId: r.ticket_id,
    messageRowId: r.message_row_id,
    receivedAt: r.received_at.toISOString(),
    processedAt: iso(r.processed_at),
  };
}

export const emailRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/email/addresses',
    summary: 'Support addresses: mail to them becomes tickets in this workspace',
    tag: 'email',
    access: 'settings:manage',
    responses: { 200: z.object({ data: z.array(supportAddress) }) },
    handler: async ({ ctx }) => ({ data: await listSupportAddresses(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/email/addresses',
    summary: 'Add a support address (an address belongs to one workspace; 409 if taken)',
    tag: 'email',
    access: 'settings:manage',
    body: z.strictObject({ address: email }),
    responses: { 201: supportAddress, 409: z.unknown() },
    handler: async ({ ctx, body }) => new Reply(201, await addSupportAddress(ctx, body.address)),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/email/addresses/:id',
    summary: 'Stop receiving mail at a support address',
    tag: 'email',
    access: 'settings:manage',
    params: idParams,
    responses: { 204: z.unknown() },
    handler: async ({ ctx, params }) => {
      await removeSupportAddress(ctx, params.id);
      return new Reply(204, undefined);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/email/settings',
    summary: 'E-mail settings (acknowledgeNew: answer new e-mail tickets with "we received your request")',
    tag: 'email',
    access: 'settings:manage',
    responses: { 200: settings },
    handler: async ({ ctx }) => getEmailSettings(ctx.db, ctx.workspaceId),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/email/settings',
    summary: 'Change e-mail settings',
    tag: 'email',
    access: 'settings:manage',
    body: z.strictObject({ acknowledgeNew: z.boolean() }),
    responses: { 200: settings },
    handler: async ({ ctx, body }) => updateEmailSettings(ctx, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/email/inbound',
    summary: 'Mail received by the SMTP listener, newest first, with its processing status and why',
    tag: 'email',
    access: 'settings:manage',
    query: z.strictObject({ status: z.enum(INBOUND_STATUSES).optional(), ...pageQuery }),
    responses: { 200: pageSchema(inboundSummary) },
    handler: async ({ ctx, query }) => {
      let q = ctx.db
        .selectFrom('inbound_emails')
        .select([
          'id', 'status', 'reason', 'envelope_from', 'envelope_to', 'from_address', 'subject', 'message_id', 'automated',
          'size', 'attempts', 'ticket_id', 'message_row_id', 'received_at', 'processed_at',
        ])
        .where('workspace_id', '=', ctx.workspaceId);
      if (query.status) q = q.where('status', '=', query.status);
      const after = afterId(query.cursor);
      if (after) q = q.where('id', '<', after);
      const rows = await q.orderBy('id', 'desc').limit(query.limit + 1).execute();
      return toPage(
        rows.map(toInbound),
        query.limit,
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/email/inbound/:id',
    summary: 'One received mail: status, reason and its full text (before quoted history was cut)',
    tag: 'email',
    access: 'settings:manage',
    params: idParams,
    responses: { 200: inboundDetail },
    handler: async ({ ctx, params }) => {
      const r = await ctx.db
        .selectFrom('inbound_emails')
        .selectAll()
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!r) throw notFound('Inbound e-mail');
      return { ...toInbound(r), fullText: r.full_text };
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/email/inbound/:id/raw',
    summary: 'The message exactly as received (message/rfc822)',
    tag: 'email',
    access: 'settings:manage',
    params: idParams,
    handler: async ({ ctx, params }) => {
      const r = await ctx.db
        .selectFrom('inbound_emails')
        .select('raw')
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', params.id)
        .executeTakeFirst();
      if (!r) throw notFound('Inbound e-mail');
      return new Reply(200, r.raw, {
        'content-type': 'message/rfc822',
        'content-disposition': `attachment; filename="${params.id}.eml"`,
        'x-content-type-options': 'nosniff',
      });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/emails',
    summary: 'Mail sent (or being sent) for a ticket: per message queued, sent or failed, with the last error',
    tag: 'email',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: z.object({ data: z.array(outbound) }) },
    handler: async ({ ctx, params }) => {
      await getTicket(ctx, params.id);
      const rows = await ctx.db
        .selectFrom('outbound_emails')
        .selectAll()
        .where('workspace_id', '=', ctx.workspaceId)
        .where('ticket_id', '=', params.id)
        .orderBy('id')
        .execute();
      return {
        data: rows.map((r) => ({
          id: r.id,
          messageRowId: r.message_row_id,
          kind: r.kind,
          to: r.to_address,
          subject: r.subject,
          messageId: r.message_id,
          inReplyTo: r.in_reply_to,
          references: r.references,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          createdAt: r.created_at.toISOString(),
          sentAt: iso(r.sent_at),
        })),
      };
    },
  }),
];
