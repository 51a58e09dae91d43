// Published reviews as public content: imported mentions, survey comments the customer agreed
// to publish, and reviews submitted through TruthDesk, each with one id (the view
// published_reviews). Admins may hide one from the widget; reports keep it. The review widget
// (keys here, script and public routes in public.ts) shows them on the workspace's own site.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely, Selectable } from 'kysely';
import { diff, recordAudit } from '../audit/store.ts';
import { recordChannelTouchpoint } from '../channels/touchpoint.ts';
import type { DB, PublishedReviewsView } from '../db/schema.ts';
import { detectLanguage } from '../domain/keyphrases.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { checkVersion, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export type ReviewLang = 'en' | 'el' | 'ar';

export interface PublishedReview {
  id: string;
  source: 'mention' | 'survey' | 'truthdesk';
  platform: string | null;
  kind: 'review' | 'social';
  url: string | null;
  author: string | null;
  rating: number | null;
  text: string;
  lang: ReviewLang;
  valence: 'positive' | 'neutral' | 'negative';
  publishedAt: string;
  hidden: boolean;
  customerId: string | null;
}

/**
 * The name shown publicly: an imported mention's author as published; a customer's name as
 * first name and initial ("Μαρία Π."), since they agreed to publish the words, not their name.
 */
export function publicAuthor(source: string, author: string | null): string | null {
  if (!author) return null;
  if (source === 'mention') return author;
  const parts = author.trim().split(/\s+/u);
  return parts.length > 1 ? `${parts[0]} ${[...(parts.at(-1) as string)][0]}.` : (parts[0] ?? null);
}

export const toReview = (r: Selectable<PublishedReviewsView>): PublishedReview => ({
  id: r.id,
  source: r.source as PublishedReview['source'],
  platform: r.platform,
  kind: r.kind as PublishedReview['kind'],
  url: r.url,
  author: publicAuthor(r.source, r.author),
  rating: r.rating === null ? null : Number(r.rating),
  text: r.text,
  lang: (r.locale as ReviewLang | null) ?? detectLanguage(r.text),
  valence: r.valence as PublishedReview['valence'],
  publishedAt: new Date(r.published_at).toISOString(),
  hidden: r.hidden,
  customerId: r.customer_id,
});

export async function listReviews(
  ctx: WorkspaceContext,
  f: { source?: string; valence?: string; hidden?: boolean; limit: number },
): Promise<PublishedReview[]> {
  let q = ctx.db.selectFrom('published_reviews').selectAll().where('workspace_id', '=', ctx.workspaceId);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.valence) q = q.where('valence', '=', f.valence);
  if (f.hidden !== undefined) q = q.where('hidden', '=', f.hidden);
  return (await q.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(f.limit).execute()).map(toReview);
}

export async function getReview(ctx: WorkspaceContext, id: string): Promise<PublishedReview> {
  const row = await ctx.db.selectFrom('published_reviews').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Review');
  return toReview(row);
}

export interface SubmitReview {
  customerId?: string | undefined;
  author?: string | undefined;
  rating?: number | undefined;
  text: string;
  lang?: ReviewLang | undefined;
  publishedAt?: string | undefined;
}

/** Where a submitted review came from: an agent or the API (published at once), or a visitor
 * writing in the review widget (held until an admin shows it, and the visitor's own touchpoint). */
interface Submission {
  anonymousId?: string | undefined;
  widgetId?: string | undefined;
  held: boolean;
}

/**
 * A review submitted through TruthDesk: stored with its ultimate-moment touchpoint
 * (`Review Published`, valence from the rating, else the words) and an audit entry, in one
 * transaction; a held review is hidden from the widget (moderation) until an admin shows it.
 */
async function storeReview(ctx: WorkspaceContext, input: SubmitReview, from: Submission, now: Date): Promise<string> {
  const id = newId(now);
  const publishedAt = input.publishedAt ? new Date(input.publishedAt) : now;
  await ctx.db.transaction().execute(async (tx) => {
    let author = input.author ?? null;
    if (input.customerId) {
      const c = await tx.selectFrom('customers').select(['id', 'name']).where('workspace_id', '=', ctx.workspaceId).where('id', '=', input.customerId).executeTakeFirst();
      if (!c) throw notFound('Customer');
      author ??= c.name;
    }
    const valence = await recordChannelTouchpoint(tx, ctx.workspaceId, {
      key: `review:${id}`,
      event: 'Review Published',
      stage: 'umot',
      channel: from.widgetId ? 'review_widget' : 'truthdesk',
      customerId: input.customerId ?? null,
      anonymousId: from.anonymousId ?? `review:${id}`,
      ticketId: null,
      text: input.text,
      properties: {
        reviewId: id,
        platform: 'truthdesk',
        kind: 'review',
        ...(input.rating !== undefined ? { rating: input.rating } : {}),
        ...(from.widgetId ? { widgetId: from.widgetId } : {}),
      },
      at: publishedAt,
    });
    await tx
      .insertInto('submitted_reviews')
      .values({
        id,
        workspace_id: ctx.workspaceId,
        customer_id: input.customerId ?? null,
        author,
        rating: input.rating ?? null,
        text: input.text,
        locale: input.lang ?? null,
        valence,
        published_at: publishedAt,
        created_at: now,
      })
      .execute();
    if (from.held) await tx.insertInto('review_moderation').values({ workspace_id: ctx.workspaceId, review_id: id, hidden: true, updated_at: now }).execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'review.submitted',
      entityType: 'review',
      entityId: id,
      changes: { rating: input.rating ?? null, valence, ...(from.widgetId ? { widgetId: from.widgetId, held: from.held } : {}) },
    });
  });
  return id;
}

export async function submitReview(ctx: WorkspaceContext, input: SubmitReview, now = new Date()): Promise<PublishedReview> {
  return getReview(ctx, await storeReview(ctx, input, { held: false }, now));
}

/**
 * A review a visitor wrote in the review widget. Nobody signed in vouches for it, so it waits
 * for an admin (hidden until shown with PATCH /reviews/{id}); its touchpoint is the visitor's
 * (their anonymous id), so `identify` joins it to the customer's journey like their views.
 */
export async function submitWidgetReview(
  db: Kysely<DB>,
  widget: { id: string; workspace_id: string },
  input: { anonymousId: string; author?: string | undefined; rating: number; text: string; lang?: ReviewLang | undefined },
  now = new Date(),
): Promise<string> {
  const ctx: WorkspaceContext = { db, workspaceId: widget.workspace_id, actor: { type: 'system', id: null, role: 'owner' } };
  const { anonymousId, ...review } = input;
  return storeReview(ctx, review, { anonymousId, widgetId: widget.id, held: true }, now);
}

/** Hides a published review from the widget (or shows it again); audited. */
export async function setReviewHidden(ctx: WorkspaceContext, id: string, hidden: boolean, now = new Date()): Promise<PublishedReview> {
  const before = await getReview(ctx, id);
  if (before.hidden === hidden) return before;
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('review_moderation')
      .values({ workspace_id: ctx.workspaceId, review_id: id, hidden, updated_at: now })
      .onConflict((oc) => oc.columns(['workspace_id', 'review_id']).doUpdateSet({ hidden, updated_at: now }))
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: hidden ? 'review.hidden' : 'review.shown', entityType: 'review', entityId: id, changes: { hidden: [before.hidden, hidden] } });
  });
  return { ...before, hidden };
}

// --- review widgets -------------------------------------------------------------------------

export interface ReviewWidget {
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

type WidgetRow = Selectable<DB['review_widgets']>;

const toWidget = (r: WidgetRow): ReviewWidget => ({
  id: r.id,
  name: r.name,
  publicKey: r.public_key,
  allowedOrigins: r.allowed_origins,
  active: r.active,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  version: r.version,
});

export const REVIEW_KEY = /^rw_[A-Za-z0-9_-]{10,60}$/;
const newPublicKey = () => `rw_${randomBytes(18).toString('base64url')}`;

export async function listReviewWidgets(ctx: WorkspaceContext): Promise<ReviewWidget[]> {
  const rows = await ctx.db.selectFrom('review_widgets').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('id').execute();
  return rows.map(toWidget);
}

export async function getReviewWidget(ctx: WorkspaceContext, id: string): Promise<ReviewWidget> {
  const row = await ctx.db.selectFrom('review_widgets').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Review widget');
  return toWidget(row);
}

export async function createReviewWidget(ctx: WorkspaceContext, input: { name: string; allowedOrigins?: string[] | undefined }, at = new Date()): Promise<ReviewWidget> {
  const id = newId(at);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('review_widgets')
      .values({ id, workspace_id: ctx.workspaceId, name: input.name, public_key: newPublicKey(), allowed_origins: input.allowedOrigins ?? [], created_at: at, updated_at: at })
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'review_widget.created', entityType: 'review_widget', entityId: id, changes: { name: input.name } });
  });
  return getReviewWidget(ctx, id);
}

export async function updateReviewWidget(
  ctx: WorkspaceContext,
  id: string,
  input: { name?: string | undefined; allowedOrigins?: string[] | undefined; active?: boolean | undefined; rotateKey?: true | undefined; version?: number | undefined },
  at = new Date(),
): Promise<ReviewWidget> {
  await ctx.db.transaction().execute(async (tx) => {
    // Read under the row's lock: the version check and the audit's "before" see the same row.
    const row = await tx.selectFrom('review_widgets').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Review widget');
    checkVersion('review widget', input.version, row.version);
    const before = toWidget(row);
    await tx
      .updateTable('review_widgets')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.allowedOrigins !== undefined ? { allowed_origins: input.allowedOrigins } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(input.rotateKey ? { public_key: newPublicKey() } : {}),
        updated_at: at,
        version: row.version + 1,
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    const changes = diff(before as unknown as Record<string, unknown>, { name: input.name, allowedOrigins: input.allowedOrigins, active: input.active });
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'review_widget.updated',
      entityType: 'review_widget',
      entityId: id,
      changes: { ...changes, ...(input.rotateKey ? { publicKey: 'rotated' } : {}) },
    });
  });
  return getReviewWidget(ctx, id);
}

/** The active widget with this public key (any workspace: the key is the credential). */
export async function reviewWidgetByKey(db: Kysely<DB>, key: string): Promise<WidgetRow | undefined> {
  return db.selectFrom('review_widgets').selectAll().where('public_key', '=', key).where('active', '=', true).executeTakeFirst();
}

/**
 * The reviews a widget shows: published and not hidden, newest first, those in the page's
 * language first (up to `limit`, from the 200 newest).
 */
export async function widgetReviews(db: Kysely<DB>, workspaceId: string, lang: ReviewLang, limit: number): Promise<PublishedReview[]> {
  const rows = await db
    .selectFrom('published_reviews')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('hidden', '=', false)
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  const reviews = rows.map(toReview);
  return [...reviews.filter((r) => r.lang === lang), ...reviews.filter((r) => r.lang !== lang)].slice(0, limit);
}

/** Of these ids, the ones that are published, not hidden reviews of the workspace, with their valence. */
export async function visibleReviews(db: Kysely<DB>, workspaceId: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await sql<{ id: string; valence: string }>`
    SELECT id, valence FROM published_reviews
    WHERE workspace_id = ${workspaceId} AND NOT hidden AND id = ANY(${ids}::uuid[])`.execute(db);
  return new Map(rows.rows.map((r) => [r.id, r.valence]));
}
