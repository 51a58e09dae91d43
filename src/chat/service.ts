// Live chat: widgets (a public key per embed), visitors (resumed by a secret token kept in the
// visitor's browser), and the conversation, which is a ticket on channel `chat`: the visitor's
// messages go through the tickets service (touchpoints, audit, realtime events included), and
// agents answer it like any ticket.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { hashSecret } from '../auth/secrets.ts';
import { diff, recordAudit } from '../audit/store.ts';
import { createCustomer } from '../customers/service.ts';
import type { Locale } from '../customers/service.ts';
import type { DB } from '../db/schema.ts';
import { addMessage, createTicket } from '../tickets/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { truncateText } from '../domain/text.ts';
import { checkVersion, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export interface ChatWidget {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
  /** Goes up by one with every change; give it back when editing to be told of a newer one. */
  version: number;
}

type WidgetRow = {
  id: string;
  workspace_id: string;
  name: string;
  public_key: string;
  allowed_origins: string[];
  active: boolean;
  created_at: Date;
  updated_at: Date;
  version: number;
};

const toWidget = (r: WidgetRow): ChatWidget => ({
  id: r.id,
  name: r.name,
  publicKey: r.public_key,
  allowedOrigins: r.allowed_origins,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
});

const newPublicKey = () => `cw_${randomBytes(18).toString('base64url')}`;
const newVisitorToken = () => `cv_${randomBytes(24).toString('base64url')}`;

export async function listWidgets(ctx: WorkspaceContext): Promise<ChatWidget[]> {
  const rows = await ctx.db.selectFrom('chat_widgets').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
  return rows.map(toWidget);
}

export async function getWidget(ctx: WorkspaceContext, id: string): Promise<ChatWidget> {
  const row = await ctx.db.selectFrom('chat_widgets').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Chat widget');
  return toWidget(row);
}

export async function createWidget(ctx: WorkspaceContext, input: { name: string; allowedOrigins?: string[] }, at = new Date()): Promise<ChatWidget> {
  const id = newId(at);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('chat_widgets')
      .values({
        id,
        workspace_id: ctx.workspaceId,
        name: input.name,
        public_key: newPublicKey(),
        allowed_origins: input.allowedOrigins ?? [],
        created_at: at,
        updated_at: at,
      })
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'chat_widget.created',
      entityType: 'chat_widget',
      entityId: id,
      changes: { name: input.name, allowedOrigins: input.allowedOrigins ?? [] },
    });
  });
  return getWidget(ctx, id);
}

export async function updateWidget(
  ctx: WorkspaceContext,
  id: string,
  input: { name?: string; allowedOrigins?: string[]; active?: boolean; rotateKey?: boolean; version?: number | undefined },
  at = new Date(),
): Promise<ChatWidget> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('chat_widgets').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Chat widget');
    checkVersion('chat widget', input.version, row.version);
    const changes: Record<string, unknown> = diff(
      { name: row.name, allowedOrigins: row.allowed_origins, active: row.active },
      { ...(input.name !== undefined ? { name: input.name } : {}), ...(input.allowedOrigins ? { allowedOrigins: input.allowedOrigins } : {}), ...(input.active !== undefined ? { active: input.active } : {}) },
    );
    if (input.rotateKey) changes.publicKey = 'rotated';
    if (Object.keys(changes).length === 0) return;
    await tx
      .updateTable('chat_widgets')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.allowedOrigins ? { allowed_origins: input.allowedOrigins } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.rotateKey ? { public_key: newPublicKey() } : {}),
        updated_at: at,
        version: row.version + 1,
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'chat_widget.updated', entityType: 'chat_widget', entityId: id, changes });
  });
  return getWidget(ctx, id);
}

/** The widget behind a public key, if it exists and is switched on. */
export async function widgetByKey(db: Kysely<DB>, publicKey: string): Promise<WidgetRow | undefined> {
  return db.selectFrom('chat_widgets').selectAll().where('public_key', '=', publicKey).where('active', '=', true).executeTakeFirst();
}

export interface Visitor {
  id: string;
  workspaceId: string;
  widgetId: string;
  ticketId: string | null;
  customerId: string | null;
  name: string | null;
  email: string | null;
}

type VisitorRow = { id: string; workspace_id: string; widget_id: string; ticket_id: string | null; customer_id: string | null; name: string | null; email: string | null };

const toVisitor = (r: VisitorRow): Visitor => ({
  id: r.id,
  workspaceId: r.workspace_id,
  widgetId: r.widget_id,
  ticketId: r.ticket_id,
  customerId: r.customer_id,
  name: r.name,
  email: r.email,
});

/**
 * Resumes the visitor whose token this is (on this widget), or starts a new one. A new token
 * is returned only for a new visitor; only its hash is stored.
 */
export async function resumeOrStartVisitor(
  db: Kysely<DB>,
  widget: { id: string; workspace_id: string },
  token: string | undefined,
  locale: Locale | null,
  at = new Date(),
): Promise<{ visitor: Visitor; token: string | null }> {
  if (token) {
    const row = await db
      .updateTable('chat_visitors')
      .set({ last_seen_at: at })
      .where('token_hash', '=', hashSecret(token))
      .where('widget_id', '=', widget.id)
      .where('workspace_id', '=', widget.workspace_id)
      .returning(['id', 'workspace_id', 'widget_id', 'ticket_id', 'customer_id', 'name', 'email'])
      .executeTakeFirst();
    if (row) return { visitor: toVisitor(row), token: null };
  }
  const fresh = newVisitorToken();
  const id = newId(at);
  await db
    .insertInto('chat_visitors')
    .values({ id, workspace_id: widget.workspace_id, widget_id: widget.id, token_hash: hashSecret(fresh), locale, created_at: at, last_seen_at: at })
    .execute();
  return {
    visitor: { id, workspaceId: widget.workspace_id, widgetId: widget.id, ticketId: null, customerId: null, name: null, email: null },
    token: fresh,
  };
}

export interface ChatLine {
  id: string;
  from: 'visitor' | 'agent';
  text: string;
  at: string;
  agentName: string | null;
}

/** The conversation as the visitor sees it: their messages and agents' public replies, never notes. */
export async function transcript(db: Kysely<DB>, visitor: Visitor, limit = 200): Promise<ChatLine[]> {
  if (!visitor.ticketId) return [];
  const rows = await db
    .selectFrom('messages')
    .leftJoin('agents', (j) => j.onRef('agents.id', '=', 'messages.author_agent_id').onRef('agents.workspace_id', '=', 'messages.workspace_id'))
    .select(['messages.id', 'messages.kind', 'messages.body_text', 'messages.created_at', 'agents.name as agent_name'])
    .where('messages.workspace_id', '=', visitor.workspaceId)
    .where('messages.ticket_id', '=', visitor.ticketId)
    .where('messages.kind', 'in', ['customer', 'reply'])
    .orderBy('messages.created_at', 'desc')
    .orderBy('messages.id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map((r) => ({
    id: r.id,
    from: r.kind === 'reply' ? 'agent' : 'visitor',
    text: r.body_text,
    at: r.created_at.toISOString(),
    agentName: r.kind === 'reply' ? r.agent_name : null,
  }));
}

/** One line for the widget, if this message of this visitor's ticket is one the visitor may see. */
export async function chatLine(db: Kysely<DB>, visitor: Visitor, messageId: string): Promise<ChatLine | undefined> {
  const row = await db
    .selectFrom('messages')
    .leftJoin('agents', (j) => j.onRef('agents.id', '=', 'messages.author_agent_id').onRef('agents.workspace_id', '=', 'messages.workspace_id'))
    .select(['messages.id', 'messages.kind', 'messages.body_text', 'messages.created_at', 'agents.name as agent_name'])
    .where('messages.workspace_id', '=', visitor.workspaceId)
    .where('messages.id', '=', messageId)
    .where('messages.ticket_id', '=', visitor.ticketId)
    .where('messages.kind', 'in', ['customer', 'reply'])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    from: row.kind === 'reply' ? 'agent' : 'visitor',
    text: row.body_text,
    at: row.created_at.toISOString(),
    agentName: row.kind === 'reply' ? row.agent_name : null,
  };
}

const systemCtx = (db: Kysely<DB>, workspaceId: string): WorkspaceContext => ({
  db,
  workspaceId,
  actor: { type: 'system', id: null, role: 'agent' },
});

/** The ticket's subject: the first line, cut to 80 characters between whole characters. */
function subjectFrom(text: string): string {
  const line = text.split('\n').find((l) => l.trim()) ?? text;
  return truncateText(line.trim(), 80) || 'Chat';
}

/**
 * A visitor writes. The first message opens the ticket (channel `chat`); every message goes
 * through the tickets service with an idempotency key from the widget, so a message resent
 * after a reconnection is stored once.
 */
export async function visitorSays(
  db: Kysely<DB>,
  visitor: Visitor,
  input: { text: string; clientId: string; locale: Locale | null },
): Promise<{ visitor: Visitor; messageId: string; ticketNumber: number; created: boolean }> {
  const ctx = systemCtx(db, visitor.workspaceId);
  let current = visitor;
  if (!current.ticketId) {
    // One transaction with the visitor's row locked: two tabs of one visitor sending their first
    // message at once open one ticket (the second finds it), not two with one of them orphaned.
    current = await db.transaction().execute(async (tx) => {
      const row = await tx
        .selectFrom('chat_visitors')
        .select(['ticket_id', 'customer_id'])
        .where('workspace_id', '=', visitor.workspaceId)
        .where('id', '=', visitor.id)
        .forUpdate()
        .executeTakeFirst();
      if (row?.ticket_id) return { ...visitor, ticketId: row.ticket_id, customerId: row.customer_id };
      const txCtx = systemCtx(tx, visitor.workspaceId);
      let customerId = row?.customer_id ?? visitor.customerId;
      if (!customerId) {
        const customer = await createCustomer(txCtx, { name: visitor.name ?? null, locale: input.locale, attributes: { source: 'chat', visitorId: visitor.id } });
        customerId = customer.id;
      }
      const ticket = await createTicket(txCtx, { subject: subjectFrom(input.text), customerId, channel: 'chat', priority: 'normal' });
      await tx
        .updateTable('chat_visitors')
        .set({ ticket_id: ticket.id, customer_id: customerId })
        .where('workspace_id', '=', visitor.workspaceId)
        .where('id', '=', visitor.id)
        .execute();
      return { ...visitor, ticketId: ticket.id, customerId };
    });
  }
  const result = await addMessage(ctx, current.ticketId as string, {
    kind: 'customer',
    text: input.text,
    sourceId: `chat:${current.id}:${input.clientId}`,
  });
  return { visitor: current, messageId: result.message.id, ticketNumber: result.ticket.number, created: result.created };
}

/** The offline form: no agent is available, so the visitor leaves a message that becomes a ticket. */
export async function leaveOfflineMessage(
  db: Kysely<DB>,
  visitor: Visitor,
  input: { name: string; email: string; message: string; locale: Locale | null },
): Promise<{ ticketId: string; ticketNumber: number }> {
  const ctx = systemCtx(db, visitor.workspaceId);
  const ticket = await createTicket(ctx, {
    subject: subjectFrom(input.message),
    customer: { email: input.email, name: input.name, locale: input.locale },
    channel: 'chat',
    priority: 'normal',
    message: { text: input.message },
    tags: ['chat-offline'],
  });
  await db
    .updateTable('chat_visitors')
    .set({ name: input.name, email: input.email, customer_id: ticket.customer.id, ticket_id: ticket.id })
    .where('workspace_id', '=', visitor.workspaceId)
    .where('id', '=', visitor.id)
    .execute();
  return { ticketId: ticket.id, ticketNumber: ticket.number };
}
