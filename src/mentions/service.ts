// Social and review mentions: imported one by one, in batches (API) or from CSV (CLI);
// idempotent by platform + URL or platform + id. Each is an ultimate-moment touchpoint (valence
// from the rating, else from the words) and can become a ticket.
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import { recordChannelTouchpoint } from '../channels/touchpoint.ts';
import { createCustomer } from '../customers/service.ts';
import { publishOnCommit } from '../realtime/events.ts';
import { createTicket } from '../tickets/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { truncateText } from '../domain/text.ts';
import { notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { httpUrl, text } from '../http/schemas.ts';

export const mentionInput = z
  .strictObject({
    platform: z.string().trim().toLowerCase().min(1).max(50).regex(/^[a-z0-9_.-]+$/, 'letters, digits, _ . - only'),
    kind: z.enum(['review', 'social']).optional(),
    id: z.string().trim().min(1).max(200).optional(),
    url: httpUrl({ trim: true }).optional(),
    author: text({ max: 200 }).optional(),
    rating: z.number().min(1).max(5).optional(),
    text: text({ min: 1, max: 20_000 }),
    publishedAt: z.iso.datetime({ offset: true }),
    customerId: z.uuid().optional(),
  })
  .refine((m) => m.url || m.id, 'a mention needs a url or an id (to recognise it when imported again)');
export type MentionInput = z.infer<typeof mentionInput>;

export interface Mention {
  id: string;
  platform: string;
  kind: 'review' | 'social';
  externalId: string | null;
  url: string | null;
  author: string | null;
  rating: number | null;
  text: string;
  publishedAt: string;
  valence: string;
  customerId: string | null;
  ticketId: string | null;
  createdAt: string;
}

type Row = {
  id: string;
  platform: string;
  kind: string;
  external_id: string | null;
  url: string | null;
  author: string | null;
  rating: number | null;
  text: string;
  published_at: Date;
  valence: string;
  customer_id: string | null;
  ticket_id: string | null;
  created_at: Date;
};

const toMention = (r: Row): Mention => ({
  id: r.id,
  platform: r.platform,
  kind: r.kind as Mention['kind'],
  externalId: r.external_id,
  url: r.url,
  author: r.author,
  rating: r.rating === null ? null : Number(r.rating),
  text: r.text,
  publishedAt: r.published_at.toISOString(),
  valence: r.valence,
  customerId: r.customer_id,
  ticketId: r.ticket_id,
  createdAt: r.created_at.toISOString(),
});

export async function getMention(ctx: WorkspaceContext, id: string): Promise<Mention> {
  const row = await ctx.db.selectFrom('mentions').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Mention');
  return toMention(row);
}

export async function listMentions(
  ctx: WorkspaceContext,
  f: { platform?: string; valence?: string; limit: number; afterId?: string },
): Promise<Mention[]> {
  let q = ctx.db.selectFrom('mentions').selectAll().where('workspace_id', '=', ctx.workspaceId);
  if (f.platform) q = q.where('platform', '=', f.platform);
  if (f.valence) q = q.where('valence', '=', f.valence);
  if (f.afterId) q = q.where('id', '<', f.afterId);
  return (await q.orderBy('id', 'desc').limit(f.limit + 1).execute()).map(toMention);
}

export interface MentionResult {
  index: number;
  status: 'stored' | 'duplicate' | 'invalid';
  id: string | null;
  valence: string | null;
  error?: string;
}

async function findExisting(ctx: WorkspaceContext, m: MentionInput): Promise<{ id: string; valence: string } | undefined> {
  return ctx.db
    .selectFrom('mentions')
    .select(['id', 'valence'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('platform', '=', m.platform)
    .where((eb) => eb.or([...(m.url ? [eb('url', '=', m.url)] : []), ...(m.id ? [eb('external_id', '=', m.id)] : [])]))
    .executeTakeFirst();
}

/** Stores one validated mention (and its touchpoint) unless it is already there. */
export async function storeMention(ctx: WorkspaceContext, m: MentionInput, index = 0, now = new Date()): Promise<MentionResult> {
  const existing = await findExisting(ctx, m);
  if (existing) return { index, status: 'duplicate', id: existing.id, valence: existing.valence };
  if (m.customerId) {
    const c = await ctx.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId).where('id', '=', m.customerId).executeTakeFirst();
    if (!c) return { index, status: 'invalid', id: null, valence: null, error: 'customerId is not a customer of this workspace' };
  }
  const id = newId(now);
  const publishedAt = new Date(m.publishedAt);
  const kind = m.kind ?? (m.rating !== undefined ? 'review' : 'social');
  try {
    const valence = await ctx.db.transaction().execute(async (tx) => {
      const v = await recordChannelTouchpoint(tx, ctx.workspaceId, {
        key: `mention:${id}`,
        event: kind === 'review' ? 'Review Published' : 'Social Post Published',
        stage: 'umot',
        channel: m.platform,
        customerId: m.customerId ?? null,
        anonymousId: `mention:${m.platform}:${m.author ?? 'anonymous'}`.slice(0, 200),
        ticketId: null,
        text: m.text,
        properties: { mentionId: id, platform: m.platform, kind, url: m.url ?? null, author: m.author ?? null, ...(m.rating !== undefined ? { rating: m.rating } : {}) },
        at: publishedAt,
      });
      await tx
        .insertInto('mentions')
        .values({
          id,
          workspace_id: ctx.workspaceId,
          platform: m.platform,
          kind,
          external_id: m.id ?? null,
          url: m.url ?? null,
          author: m.author ?? null,
          rating: m.rating ?? null,
          text: m.text,
          published_at: publishedAt,
          valence: v,
          customer_id: m.customerId ?? null,
          created_at: now,
        })
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'mention.created', entityType: 'mention', entityId: id, changes: { platform: m.platform, url: m.url ?? null } });
      await publishOnCommit(tx, ctx.workspaceId, { type: 'mention.created', data: { mentionId: id, platform: m.platform, valence: v } });
      return v;
    });
    return { index, status: 'stored', id, valence };
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    const again = await findExisting(ctx, m);
    if (!again) throw error;
    return { index, status: 'duplicate', id: again.id, valence: again.valence };
  }
}

export const MAX_MENTION_BATCH = 500;

/** Validates and stores each item; one bad item never sinks the others. */
export async function importMentions(ctx: WorkspaceContext, items: unknown[], now = new Date()): Promise<MentionResult[]> {
  const results: MentionResult[] = [];
  for (const [index, raw] of items.entries()) {
    const parsed = mentionInput.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      results.push({ index, status: 'invalid', id: null, valence: null, error: issue ? `${issue.path.join('.') || 'mention'}: ${issue.message}` : 'invalid' });
      continue;
    }
    results.push(await storeMention(ctx, parsed.data, index, now));
  }
  return results;
}

/**
 * Opens a ticket (channel social) for a mention; a mention that has one already returns it.
 * Customer, ticket and the mention's link commit in one transaction, under a lock on the
 * mention's row: two requests at once make one ticket, and a failure leaves nothing behind.
 */
export async function mentionToTicket(ctx: WorkspaceContext, id: string): Promise<{ ticketId: string; created: boolean }> {
  return ctx.db.transaction().execute(async (tx) => {
    const txCtx: WorkspaceContext = { ...ctx, db: tx };
    const row = await tx.selectFrom('mentions').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Mention');
    const mention = toMention(row);
    if (mention.ticketId) return { ticketId: mention.ticketId, created: false };
    const customerId =
      mention.customerId ??
      (await createCustomer(txCtx, { name: mention.author ?? null, attributes: { source: 'mention', platform: mention.platform, url: mention.url } })).id;
    const firstLine = mention.text.split('\n')[0]?.trim() ?? '';
    const ticket = await createTicket(txCtx, {
      subject: `${mention.platform}: ${truncateText(firstLine, 80)}`,
      customerId,
      channel: 'social',
      priority: mention.valence === 'negative' ? 'high' : 'normal',
      message: { text: mention.url ? `${mention.text}\n\n${mention.url}` : mention.text },
      tags: [mention.kind, mention.platform],
    });
    await tx
      .updateTable('mentions')
      .set({ ticket_id: ticket.id, customer_id: customerId })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'mention.ticket_created',
      entityType: 'mention',
      entityId: id,
      changes: { ticketId: ticket.id, customerId },
    });
    return { ticketId: ticket.id, created: true };
  });
}
