import { z } from 'zod';
import { MESSAGE_KINDS, TICKET_CHANNELS, TICKET_PRIORITIES, TICKET_STATUSES } from '../domain/tickets.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { afterId, email, idParams, locale, pageQuery, pageSchema, storable, text, toPage, uuid } from '../http/schemas.ts';
import { AppError } from '../shared/errors.ts';
import {
  addMessage,
  createTicket,
  getAttachmentContent,
  getTicket,
  listMessages,
  listTickets,
  updateTicket,
} from './service.ts';
import type { AttachmentInput } from './service.ts';
import { mergeTickets, splitTicket } from './merge.ts';

const status = z.enum(TICKET_STATUSES);
const priority = z.enum(TICKET_PRIORITIES);
const channel = z.enum(TICKET_CHANNELS);
export const tag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(50)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_\-:.]*$/u, 'tags are single words (letters, digits, - _ : .)');

const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

const attachment = z
  .strictObject({
    filename: text({ min: 1, max: 255 }).refine((f) => !/[/\\]/.test(f), 'must be a file name, not a path'),
    contentType: z.string().max(255).regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type such as image/png'),
    contentBase64: z.string().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4 + 4).regex(BASE64, 'must be base64'),
  })
  .transform((a): AttachmentInput => ({
    filename: a.filename,
    contentType: a.contentType.toLowerCase(),
    content: Buffer.from(a.contentBase64, 'base64'),
  }));

const messageText = text({ max: 100_000 });
const messageHtml = z.string().max(500_000).refine((s) => !s.includes('\u0000') && s.isWellFormed(), 'must be well-formed text');

export const ticketSchema = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status,
  priority,
  channel,
  customer: z.object({ id: z.uuid(), name: z.string().nullable(), email: z.string().nullable() }),
  assigneeId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  queueId: z.uuid().nullable(),
  mergedIntoId: z.uuid().nullable(),
  splitFromId: z.uuid().nullable(),
  tags: z.array(z.string()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  firstResponseAt: z.string().nullable(),
  lastCustomerMessageAt: z.string().nullable(),
  publicReplyCount: z.number().int(),
  solvedAt: z.string().nullable(),
  reopenedAt: z.string().nullable(),
  reopenCount: z.number().int(),
  closedAt: z.string().nullable(),
  sla: z
    .object({
      policyId: z.uuid().nullable(),
      policyName: z.string(),
      priority,
      useBusinessHours: z.boolean(),
      breached: z.boolean(),
      atRisk: z.boolean(),
      nextDueAt: z.string().nullable(),
      targets: z.array(z.unknown()),
    })
    .nullable(),
  recovery: z.object({ id: z.uuid(), status: z.string(), reason: z.string(), flaggedAt: z.string() }).passthrough().nullable(),
});

export const messageSchema = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  kind: z.enum(MESSAGE_KINDS),
  authorAgentId: z.uuid().nullable(),
  authorCustomerId: z.uuid().nullable(),
  text: z.string(),
  html: z.string(),
  attachments: z.array(
    z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() }),
  ),
  mentionedAgentIds: z.array(z.uuid()),
  createdAt: z.string(),
});

const createBody = z
  .strictObject({
    subject: text({ min: 1, max: 300 }),
    customer: z
      .strictObject({
        email,
        name: text({ max: 200 }).nullable().optional(),
        phone: z.string().trim().max(32).refine(storable, 'must not contain NUL characters or lone surrogates').nullable().optional(),
        locale: locale.nullable().optional(),
      })
      .optional(),
    customerId: uuid.optional(),
    channel: channel.default('api'),
    priority: priority.default('normal'),
    message: messageText.optional(),
    html: messageHtml.optional(),
    status: status.optional(),
    assigneeId: uuid.nullable().optional(),
    teamId: uuid.nullable().optional(),
    queueId: uuid.nullable().optional(),
    tags: z.array(tag).max(30).optional(),
    attachments: z.array(attachment).max(10).optional(),
  })
  .refine((b) => Boolean(b.customer) !== Boolean(b.customerId), 'give exactly one of customer or customerId');

const csv = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(item));

const listQuery = z.strictObject({
  status: csv(status).optional(),
  priority: csv(priority).optional(),
  channel: csv(channel).optional(),
  assignee: z.union([z.literal('me'), z.literal('none'), uuid]).optional(),
  team: z.union([z.literal('none'), uuid]).optional(),
  queue: z.union([z.literal('none'), uuid]).optional(),
  tag: tag.optional(),
  customer: uuid.optional(),
  q: text({ max: 200 }).optional(),
  sla: z.enum(['at_risk', 'breached']).optional(),
  recovery: z.enum(['needed', 'open']).optional(),
  ...pageQuery,
});

const updateBody = z
  .strictObject({
    subject: text({ min: 1, max: 300 }).optional(),
    status: status.optional(),
    priority: priority.optional(),
    assigneeId: uuid.nullable().optional(),
    teamId: uuid.nullable().optional(),
    queueId: uuid.nullable().optional(),
    tags: z.array(tag).max(30).optional(),
    version: z.number().int().positive().optional(),
  })
  .refine((b) => Object.keys(b).some((k) => k !== 'version'), 'nothing to change');

const messageBody = z
  .strictObject({
    kind: z.enum(MESSAGE_KINDS).default('reply'),
    body: messageText.optional(),
    html: messageHtml.optional(),
    status: status.optional(),
    attachments: z.array(attachment).max(10).optional(),
    sourceId: z.string().min(1).max(500).refine(storable, 'must not contain NUL characters or lone surrogates').optional(),
    autoReply: z.boolean().optional(),
  })
  .refine((b) => !b.autoReply || b.kind === 'reply', 'only a public reply can be an auto-reply')
  .refine((b) => (b.body && b.body.length > 0) || (b.html && b.html.trim().length > 0), 'a message needs a body or html');

/** If-Match carries the version the client saw, as the ETag we sent: "3" (W/ tolerated). */
function versionFromIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(value ?? '');
  if (!match?.[1]) throw new AppError(400, 'bad_request', 'If-Match must be the ticket\'s ETag, e.g. "3"');
  return Number(match[1]);
}

const etag = (version: number) => `"${version}"`;
const MAX_MESSAGE_ATTACHMENT_BYTES = 25 * 1024 * 1024;
// Room for 25 MB of files in base64 (4/3) plus the message itself.
const ATTACHMENT_BODY_LIMIT = 35 * 1024 * 1024;

function checkAttachmentTotal(files: AttachmentInput[] | undefined): void {
  const total = (files ?? []).reduce((sum, f) => sum + f.content.length, 0);
  if (total > MAX_MESSAGE_ATTACHMENT_BYTES) {
    throw new AppError(413, 'payload_too_large', 'Attachments of one message may total at most 25 MB');
  }
}

export const ticketRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets',
    summary: 'List tickets, newest first, with filters; q searches subject and messages (accent-insensitive) or #number',
    tag: 'tickets',
    access: 'tickets:work',
    query: listQuery,
    responses: { 200: pageSchema(ticketSchema) },
    handler: async ({ ctx, query }) => {
      const { cursor, ...filters } = query;
      const rows = await listTickets(ctx, { ...filters, q: query.q || undefined, afterId: afterId(cursor) });
      return toPage(rows, query.limit);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets',
    summary: 'Open a ticket; the customer is found or created by e-mail; message is the customer\'s first message',
    tag: 'tickets',
    access: 'tickets:work',
    body: createBody,
    bodyLimit: ATTACHMENT_BODY_LIMIT,
    responses: { 201: ticketSchema },
    handler: async ({ ctx, body }) => {
      checkAttachmentTotal(body.attachments);
      const ticket = await createTicket(ctx, {
        ...body,
        ...(body.message !== undefined || body.html !== undefined
          ? { message: { ...(body.message !== undefined ? { text: body.message } : {}), ...(body.html !== undefined ? { html: body.html } : {}) } }
          : { message: undefined }),
      });
      return new Reply(201, ticket, { etag: etag(ticket.version), location: `/api/v1/tickets/${ticket.id}` });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id',
    summary: 'Get a ticket; its ETag is the version to send back in If-Match',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: ticketSchema },
    handler: async ({ ctx, params }) => {
      const ticket = await getTicket(ctx, params.id);
      return new Reply(200, ticket, { etag: etag(ticket.version) });
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/tickets/:id',
    summary: 'Change a ticket; with If-Match (or version) a stale change gets 409 and changes nothing',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    body: updateBody,
    responses: { 200: ticketSchema, 409: z.unknown(), 422: z.unknown() },
    handler: async ({ ctx, params, body, request }) => {
      const { version, ...changes } = body;
      const expected = versionFromIfMatch(request.headers['if-match']) ?? version;
      const ticket = await updateTicket(ctx, params.id, changes, expected);
      return new Reply(200, ticket, { etag: etag(ticket.version) });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/messages',
    summary: 'The conversation of a ticket, oldest first',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    query: z.strictObject(pageQuery),
    responses: { 200: pageSchema(messageSchema) },
    handler: async ({ ctx, params, query }) =>
      toPage(await listMessages(ctx, params.id, { limit: query.limit, afterId: afterId(query.cursor) }), query.limit),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/messages',
    summary: 'Add a public reply, an internal note, or a customer message; optionally set the status',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    body: messageBody,
    bodyLimit: ATTACHMENT_BODY_LIMIT,
    responses: { 201: z.object({ message: messageSchema, ticket: ticketSchema }), 200: z.unknown() },
    handler: async ({ ctx, params, body }) => {
      checkAttachmentTotal(body.attachments);
      const result = await addMessage(ctx, params.id, {
        kind: body.kind,
        ...(body.body !== undefined ? { text: body.body } : {}),
        ...(body.html !== undefined ? { html: body.html } : {}),
        ...(body.status ? { status: body.status } : {}),
        ...(body.attachments ? { attachments: body.attachments } : {}),
        ...(body.sourceId ? { sourceId: body.sourceId } : {}),
        ...(body.autoReply ? { autoReply: true } : {}),
      });
      return new Reply(result.created ? 201 : 200, { message: result.message, ticket: result.ticket });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/attachments/:id',
    summary: 'Download an attachment',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    handler: async ({ ctx, params }) => {
      const file = await getAttachmentContent(ctx, params.id);
      return new Reply(200, file.content, {
        'content-type': file.contentType,
        'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'x-content-type-options': 'nosniff',
      });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/merge',
    summary:
      'Merge this ticket into another ("into"): its messages, e-mail thread, calls and mentions move there; this one is closed with mergedIntoId. 422 for itself, closed tickets, or two customers without allowDifferentCustomers',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    body: z.strictObject({ into: uuid, allowDifferentCustomers: z.boolean().optional() }),
    responses: { 200: z.object({ ticket: ticketSchema, merged: ticketSchema }), 422: z.unknown() },
    handler: async ({ ctx, params, body }) => {
      const result = await mergeTickets(ctx, params.id, body);
      return new Reply(200, result, { etag: etag(result.ticket.version) });
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/split',
    summary: 'Split messages out into a new ticket of the same customer: messageIds, or fromMessageId and every later message',
    tag: 'tickets',
    access: 'tickets:work',
    params: idParams,
    body: z
      .strictObject({
        messageIds: z.array(uuid).min(1).max(1000).optional(),
        fromMessageId: uuid.optional(),
        subject: text({ min: 1, max: 300 }).optional(),
      })
      .refine((b) => (b.messageIds === undefined) !== (b.fromMessageId === undefined), 'give exactly one of messageIds or fromMessageId'),
    responses: { 201: z.object({ ticket: ticketSchema, source: ticketSchema }), 422: z.unknown() },
    handler: async ({ ctx, params, body }) => {
      const result = await splitTicket(
        ctx,
        params.id,
        body.fromMessageId !== undefined
          ? { fromMessageId: body.fromMessageId, ...(body.subject ? { subject: body.subject } : {}) }
          : { messageIds: body.messageIds ?? [], ...(body.subject ? { subject: body.subject } : {}) },
      );
      return new Reply(201, result, { location: `/api/v1/tickets/${result.ticket.id}` });
    },
  }),
];
