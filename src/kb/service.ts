// Knowledge-base use cases: write articles and their translations (every save a revision),
// categories, search (full text, then typo-corrected, then any-word), suggestions for a ticket.
// Each change runs in one transaction together with its audit entry.
import type { Kysely } from 'kysely';
import type { DB, KbCategoriesTable, KbTranslationsTable } from '../db/schema.ts';
import type { Selectable } from 'kysely';
import { recordAudit, diff } from '../audit/store.ts';
import {
  highlighter,
  isSlug,
  stemsTsquery,
  queryTerms,
  searchIndexText,
  slugify,
  uniqueSlug,
  vocabulary,
  guessLang,
} from '../domain/kb.ts';
import type { KbLang, KbStatus } from '../domain/kb.ts';
import { stemWord } from '../domain/tokenize.ts';
import { htmlToText, sanitizeMessageHtml, textToHtml } from '../tickets/content.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { checkVersion, conflict, notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { addWords, closestWords, fullTextSearch, takenSlugs } from './store.ts';
import type { SearchRow } from './store.ts';

type TranslationRow = Selectable<KbTranslationsTable>;
type CategoryRow = Selectable<KbCategoriesTable>;

export interface TranslationRef {
  id: string;
  lang: KbLang;
  slug: string;
  title: string;
  status: KbStatus;
}

export interface KbArticle {
  /** This language version's id (what the article routes take). */
  id: string;
  /** The article all its translations share. */
  articleId: string;
  lang: KbLang;
  title: string;
  slug: string;
  body: string;
  bodyText: string;
  status: KbStatus;
  categoryId: string | null;
  version: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  translations: TranslationRef[];
}

export interface KbCategory {
  id: string;
  key: string;
  names: Partial<Record<KbLang, string>>;
  position: number;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toCategory(row: CategoryRow): KbCategory {
  return {
    id: row.id,
    key: row.key,
    names: row.names as Partial<Record<KbLang, string>>,
    position: row.position,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A body is HTML (sanitised with the same rules as messages) unless it has no tags at all. */
export function articleBody(body: string): { html: string; text: string } {
  const nfc = body.normalize('NFC');
  const html = /<[a-z!/]/i.test(nfc) ? sanitizeMessageHtml(nfc) : textToHtml(nfc);
  return { html, text: htmlToText(html).normalize('NFC') };
}

function searchColumns(title: string, bodyText: string) {
  return { search_title: searchIndexText(title), search_body: searchIndexText(bodyText) };
}

async function translationsOf(db: Kysely<DB>, workspaceId: string, articleIds: string[]): Promise<Map<string, TranslationRef[]>> {
  const map = new Map<string, TranslationRef[]>();
  if (!articleIds.length) return map;
  const rows = await db
    .selectFrom('kb_translations')
    .select(['id', 'article_id', 'lang', 'slug', 'title', 'status'])
    .where('workspace_id', '=', workspaceId)
    .where('article_id', 'in', articleIds)
    .orderBy('lang')
    .execute();
  for (const r of rows) {
    const list = map.get(r.article_id) ?? [];
    list.push({ id: r.id, lang: r.lang as KbLang, slug: r.slug, title: r.title, status: r.status as KbStatus });
    map.set(r.article_id, list);
  }
  return map;
}

async function toArticles(db: Kysely<DB>, workspaceId: string, rows: Array<TranslationRow & { category_id: string | null }>): Promise<KbArticle[]> {
  const translations = await translationsOf(db, workspaceId, [...new Set(rows.map((r) => r.article_id))]);
  return rows.map((row) => ({
    id: row.id,
    articleId: row.article_id,
    lang: row.lang as KbLang,
    title: row.title,
    slug: row.slug,
    body: row.body_html,
    bodyText: row.body_text,
    status: row.status as KbStatus,
    categoryId: row.category_id,
    version: row.version,
    publishedAt: iso(row.published_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    translations: translations.get(row.article_id) ?? [],
  }));
}

function selectTranslations(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom('kb_translations')
    .innerJoin('kb_articles', 'kb_articles.id', 'kb_translations.article_id')
    .selectAll('kb_translations')
    .select('kb_articles.category_id')
    .where('kb_translations.workspace_id', '=', workspaceId);
}

export async function getArticle(ctx: WorkspaceContext, id: string): Promise<KbArticle> {
  const row = await selectTranslations(ctx.db, ctx.workspaceId).where('kb_translations.id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Article');
  const [article] = await toArticles(ctx.db, ctx.workspaceId, [row]);
  return article as KbArticle;
}

export interface ArticleFilters {
  lang?: KbLang;
  status?: KbStatus;
  categoryId?: string;
  articleId?: string;
  limit: number;
  afterId?: string;
}

export async function listArticles(ctx: WorkspaceContext, f: ArticleFilters): Promise<KbArticle[]> {
  let q = selectTranslations(ctx.db, ctx.workspaceId);
  if (f.lang) q = q.where('kb_translations.lang', '=', f.lang);
  if (f.status) q = q.where('kb_translations.status', '=', f.status);
  if (f.categoryId) q = q.where('kb_articles.category_id', '=', f.categoryId);
  if (f.articleId) q = q.where('kb_translations.article_id', '=', f.articleId);
  if (f.afterId) q = q.where('kb_translations.id', '<', f.afterId);
  const rows = await q.orderBy('kb_translations.id', 'desc').limit(f.limit + 1).execute();
  return toArticles(ctx.db, ctx.workspaceId, rows);
}

async function checkCategory(db: Kysely<DB>, workspaceId: string, categoryId: string | null | undefined): Promise<void> {
  if (!categoryId) return;
  const row = await db
    .selectFrom('kb_categories')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', categoryId)
    .executeTakeFirst();
  if (!row) throw unprocessable('categoryId is not a category of this workspace');
}

/** The slug a save gets: the one asked for (refused if taken), or one made from the title. */
async function chooseSlug(
  db: Kysely<DB>,
  workspaceId: string,
  lang: string,
  title: string,
  requested: string | undefined,
  exceptId?: string,
): Promise<string> {
  if (requested !== undefined) {
    if (!isSlug(requested)) throw unprocessable('slug must be lower-case words joined by hyphens, e.g. "reset-password" or "στιγμή-αλήθειας"');
    const taken = await takenSlugs(db, workspaceId, lang, requested, exceptId);
    if (taken.has(requested)) throw conflict(`Another ${lang} article already has the slug "${requested}"`);
    return requested;
  }
  const base = slugify(title) || 'article';
  return uniqueSlug(base, await takenSlugs(db, workspaceId, lang, base, exceptId));
}

async function recordRevision(
  tx: Kysely<DB>,
  ctx: WorkspaceContext,
  row: { id: string; version: number; title: string; slug: string; body_html: string; status: string },
  at: Date,
  note: string | null,
): Promise<void> {
  await tx
    .insertInto('kb_revisions')
    .values({
      id: newId(at),
      workspace_id: ctx.workspaceId,
      translation_id: row.id,
      revision: row.version,
      title: row.title,
      slug: row.slug,
      body_html: row.body_html,
      status: row.status,
      actor_type: ctx.actor.type,
      actor_id: ctx.actor.id,
      note,
      created_at: at,
    })
    .execute();
}

export interface CreateArticleInput {
  title: string;
  body: string;
  lang: KbLang;
  status: KbStatus;
  categoryId?: string | null;
  slug?: string;
  /** Makes this a translation of an existing article (any of its language versions' ids, or its articleId). */
  translationOf?: string;
  at?: Date;
}

export async function createArticle(ctx: WorkspaceContext, input: CreateArticleInput): Promise<KbArticle> {
  const at = input.at ?? new Date();
  const id = newId(at);
  await ctx.db.transaction().execute(async (tx) => {
    await checkCategory(tx, ctx.workspaceId, input.categoryId);
    let articleId: string;
    if (input.translationOf) {
      const existing = await tx
        .selectFrom('kb_articles')
        .leftJoin('kb_translations', 'kb_translations.article_id', 'kb_articles.id')
        .select('kb_articles.id')
        .where('kb_articles.workspace_id', '=', ctx.workspaceId)
        .where((eb) => eb.or([eb('kb_articles.id', '=', input.translationOf as string), eb('kb_translations.id', '=', input.translationOf as string)]))
        .executeTakeFirst();
      if (!existing) throw unprocessable('translationOf is not an article of this workspace');
      articleId = existing.id;
      const sameLang = await tx
        .selectFrom('kb_translations')
        .select('id')
        .where('workspace_id', '=', ctx.workspaceId)
        .where('article_id', '=', articleId)
        .where('lang', '=', input.lang)
        .executeTakeFirst();
      if (sameLang) throw conflict(`The article already has a ${input.lang} version (${sameLang.id}); change that one instead`);
      if (input.categoryId !== undefined) {
        await tx.updateTable('kb_articles').set({ category_id: input.categoryId, updated_at: at }).where('workspace_id', '=', ctx.workspaceId).where('id', '=', articleId).execute();
      }
    } else {
      articleId = newId(at);
      await tx
        .insertInto('kb_articles')
        .values({ id: articleId, workspace_id: ctx.workspaceId, category_id: input.categoryId ?? null, created_at: at, updated_at: at })
        .execute();
    }
    const body = articleBody(input.body);
    const slug = await chooseSlug(tx, ctx.workspaceId, input.lang, input.title, input.slug);
    const row = {
      id,
      workspace_id: ctx.workspaceId,
      article_id: articleId,
      lang: input.lang,
      slug,
      title: input.title,
      body_html: body.html,
      body_text: body.text,
      status: input.status,
      version: 1,
      ...searchColumns(input.title, body.text),
      published_at: input.status === 'published' ? at : null,
      created_at: at,
      updated_at: at,
    };
    await tx.insertInto('kb_translations').values(row).execute();
    await addWords(tx, ctx.workspaceId, vocabulary(`${input.title}\n${body.text}`));
    await recordRevision(tx, ctx, row, at, 'created');
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'kb_article.created',
      entityType: 'kb_article',
      entityId: id,
      changes: { articleId, lang: input.lang, title: input.title, slug, status: input.status },
    });
  });
  return getArticle(ctx, id);
}

export interface UpdateArticleInput {
  title?: string;
  body?: string;
  status?: KbStatus;
  slug?: string;
  categoryId?: string | null;
}

async function lockTranslation(tx: Kysely<DB>, workspaceId: string, id: string): Promise<TranslationRow> {
  const row = await tx
    .selectFrom('kb_translations')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Article');
  return row;
}

/** Saves a change as the next version and keeps it as a revision; a stale version gets 409. */
export async function updateArticle(
  ctx: WorkspaceContext,
  id: string,
  input: UpdateArticleInput,
  expectedVersion?: number,
  options: { at?: Date; note?: string } = {},
): Promise<KbArticle> {
  const at = options.at ?? new Date();
  await ctx.db.transaction().execute(async (tx) => {
    const row = await lockTranslation(tx, ctx.workspaceId, id);
    checkVersion('article', expectedVersion, row.version);
    if (input.categoryId !== undefined) {
      await checkCategory(tx, ctx.workspaceId, input.categoryId);
      await tx
        .updateTable('kb_articles')
        .set({ category_id: input.categoryId, updated_at: at })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', row.article_id)
        .execute();
    }
    const title = input.title ?? row.title;
    const body = input.body !== undefined ? articleBody(input.body) : { html: row.body_html, text: row.body_text };
    const slug = input.slug !== undefined && input.slug !== row.slug ? await chooseSlug(tx, ctx.workspaceId, row.lang, title, input.slug, id) : row.slug;
    const status = input.status ?? row.status;
    const next = {
      title,
      slug,
      body_html: body.html,
      body_text: body.text,
      status,
      version: row.version + 1,
      ...searchColumns(title, body.text),
      published_at: status === 'published' ? (row.published_at ?? at) : null,
      updated_at: at,
    };
    await tx.updateTable('kb_translations').set(next).where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).execute();
    if (input.title !== undefined || input.body !== undefined) await addWords(tx, ctx.workspaceId, vocabulary(`${title}\n${body.text}`));
    await recordRevision(tx, ctx, { id, ...next }, at, options.note ?? null);
    const changes = diff(
      { title: row.title, slug: row.slug, status: row.status, body: row.body_html } as Record<string, unknown>,
      { title: input.title, slug, status: input.status, body: input.body !== undefined ? body.html : undefined },
    );
    if (input.categoryId !== undefined) changes.categoryId = [null, input.categoryId];
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: options.note?.startsWith('restored') ? 'kb_article.restored' : 'kb_article.updated',
      entityType: 'kb_article',
      entityId: id,
      changes: { ...changes, version: [row.version, row.version + 1] },
    });
  });
  return getArticle(ctx, id);
}

export interface KbRevision {
  revision: number;
  title: string;
  slug: string;
  body: string;
  status: KbStatus;
  actor: { type: string; id: string | null };
  note: string | null;
  createdAt: string;
}

export async function listRevisions(ctx: WorkspaceContext, id: string): Promise<KbRevision[]> {
  await getArticle(ctx, id);
  const rows = await ctx.db
    .selectFrom('kb_revisions')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('translation_id', '=', id)
    .orderBy('revision', 'desc')
    .execute();
  return rows.map((r) => ({
    revision: r.revision,
    title: r.title,
    slug: r.slug,
    body: r.body_html,
    status: r.status as KbStatus,
    actor: { type: r.actor_type, id: r.actor_id },
    note: r.note,
    createdAt: r.created_at.toISOString(),
  }));
}

export async function getRevision(ctx: WorkspaceContext, id: string, revision: number): Promise<KbRevision> {
  const found = (await listRevisions(ctx, id)).find((r) => r.revision === revision);
  if (!found) throw notFound('Revision');
  return found;
}

/** Brings back an earlier revision's title and body as a new version (the status stays). */
export async function restoreRevision(ctx: WorkspaceContext, id: string, revision: number, expectedVersion?: number): Promise<KbArticle> {
  const old = await getRevision(ctx, id, revision);
  return updateArticle(ctx, id, { title: old.title, body: old.body }, expectedVersion, { note: `restored revision ${revision}` });
}

// Categories

export interface CategoryInput {
  key?: string;
  names: Partial<Record<KbLang, string>>;
  position?: number;
}

export async function listCategories(db: Kysely<DB>, workspaceId: string): Promise<KbCategory[]> {
  const rows = await db
    .selectFrom('kb_categories')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('key')
    .execute();
  return rows.map(toCategory);
}

export async function createCategory(ctx: WorkspaceContext, input: CategoryInput): Promise<KbCategory> {
  const names = Object.fromEntries(Object.entries(input.names).filter(([, v]) => v)) as Partial<Record<KbLang, string>>;
  const key = input.key ?? slugify(names.en ?? Object.values(names)[0] ?? '');
  if (!key || !isSlug(key)) throw unprocessable('key must be lower-case words joined by hyphens');
  const id = newId();
  await ctx.db.transaction().execute(async (tx) => {
    const taken = await tx.selectFrom('kb_categories').select('id').where('workspace_id', '=', ctx.workspaceId).where('key', '=', key).executeTakeFirst();
    if (taken) throw conflict(`A category with the key "${key}" exists already`);
    await tx
      .insertInto('kb_categories')
      .values({ id, workspace_id: ctx.workspaceId, key, names: JSON.stringify(names), position: input.position ?? 0 })
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'kb_category.created', entityType: 'kb_category', entityId: id, changes: { key, names } });
  });
  const row = await ctx.db.selectFrom('kb_categories').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirstOrThrow();
  return toCategory(row);
}

export async function updateCategory(ctx: WorkspaceContext, id: string, input: Partial<CategoryInput>): Promise<KbCategory> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('kb_categories').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Category');
    if (input.key !== undefined && input.key !== row.key) {
      if (!isSlug(input.key)) throw unprocessable('key must be lower-case words joined by hyphens');
      const taken = await tx.selectFrom('kb_categories').select('id').where('workspace_id', '=', ctx.workspaceId).where('key', '=', input.key).executeTakeFirst();
      if (taken) throw conflict(`A category with the key "${input.key}" exists already`);
    }
    const names = input.names
      ? Object.fromEntries(Object.entries({ ...(row.names as Record<string, string>), ...input.names }).filter(([, v]) => v))
      : (row.names as Record<string, string>);
    await tx
      .updateTable('kb_categories')
      .set({ key: input.key ?? row.key, names: JSON.stringify(names), position: input.position ?? row.position, updated_at: new Date() })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'kb_category.updated',
      entityType: 'kb_category',
      entityId: id,
      changes: diff({ key: row.key, names: row.names, position: row.position } as Record<string, unknown>, { key: input.key, names, position: input.position }),
    });
  });
  const row = await ctx.db.selectFrom('kb_categories').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).executeTakeFirstOrThrow();
  return toCategory(row);
}

/** Removes a category; its articles stay, without a category (the foreign key sets it to null). */
export async function deleteCategory(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await tx.selectFrom('kb_categories').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound('Category');
    const uncategorised = await tx
      .updateTable('kb_articles')
      .set({ category_id: null, updated_at: new Date() })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('category_id', '=', id)
      .executeTakeFirst();
    await tx.deleteFrom('kb_categories').where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'kb_category.deleted',
      entityType: 'kb_category',
      entityId: id,
      changes: { key: row.key, names: row.names, articles: Number(uncategorised.numUpdatedRows) },
    });
  });
}

// Search

export interface SearchHit {
  id: string;
  articleId: string;
  lang: KbLang;
  title: string;
  slug: string;
  status: KbStatus;
  score: number;
  /** How it was found: every word, the words after typo correction, or some of the words. */
  match: 'all_words' | 'corrected' | 'some_words';
  /** The title, HTML-escaped, matching words in <mark>. */
  titleHighlighted: string;
  /** A passage of the body as written (accents, diacritics), HTML-escaped, matches in <mark>. */
  snippet: string;
}

export interface SearchOutcome {
  query: string;
  lang: KbLang | null;
  /** The query with typos corrected, when a correction was used. */
  didYouMean: string | null;
  results: SearchHit[];
}

export interface SearchOptions {
  q: string;
  lang?: KbLang | undefined;
  limit: number;
  /** Only published articles (every customer-facing search, and the agents' contract search). */
  publishedOnly?: boolean;
  /** Skip the all-words stage and rank by any word (suggestions from a whole message). */
  anyWord?: boolean;
}

/** Fewer hits than this from one stage makes search try the next, looser one. */
const FEW = 3;

export async function searchArticles(db: Kysely<DB>, workspaceId: string, o: SearchOptions): Promise<SearchOutcome> {
  const terms = queryTerms(o.q, o.anyWord ? 12 : 8);
  const outcome: SearchOutcome = { query: o.q, lang: o.lang ?? null, didYouMean: null, results: [] };
  if (!terms.stems.length) return outcome;
  const base = { workspaceId, lang: o.lang, publishedOnly: o.publishedOnly ?? true, limit: o.limit };
  const found: Array<SearchRow & { match: SearchHit['match'] }> = [];
  const run = async (stems: string[], op: '&' | '|', match: SearchHit['match'], prefix: 'none' | 'last' = 'none') => {
    if (found.length >= o.limit) return;
    const rows = await fullTextSearch(db, { ...base, tsquery: stemsTsquery(stems, op, prefix), limit: o.limit - found.length, excludeIds: found.map((r) => r.id) });
    found.push(...rows.map((r) => ({ ...r, match })));
  };
  // Whole words first (cheap for the index); only when they find fewer than three articles is
  // the last word also taken as the beginning of a longer one (someone still typing it).
  const lastIsPrefix = (stems: string[]) => (stems.at(-1)?.length ?? 0) >= 3;
  let stems = terms.stems;
  if (!o.anyWord) {
    await run(stems, '&', 'all_words');
    if (found.length < FEW && lastIsPrefix(stems)) await run(stems, '&', 'all_words', 'last');
  }
  if (found.length === 0 && !o.anyWord) {
    // Typo tolerance: when every word together finds nothing, each word that the articles do
    // not contain is replaced by the most similar word they do contain (pg_trgm), and the
    // search is run again.
    const closest = await closestWords(db, workspaceId, terms.words.filter((w) => w.length >= 3));
    const corrected = terms.words.map((w) => closest.get(w) ?? w);
    if (corrected.some((w, i) => w !== terms.words[i])) {
      stems = corrected.map(stemWord);
      outcome.didYouMean = corrected.join(' ');
      await run(stems, '&', 'corrected');
    }
  }
  if ((found.length < FEW || o.anyWord) && stems.length > 1) await run([...new Set([...stems, ...terms.stems])], '|', 'some_words', o.anyWord ? 'none' : 'last');
  const mark = highlighter([...new Set([...terms.stems, ...stems])]);
  outcome.results = found.map((r) => ({
    id: r.id,
    articleId: r.article_id,
    lang: r.lang as KbLang,
    title: r.title,
    slug: r.slug,
    status: r.status as KbStatus,
    score: Math.round(r.rank * 10_000) / 10_000,
    match: r.match,
    titleHighlighted: mark.all(r.title),
    snippet: mark.snippet(r.body_text),
  }));
  return outcome;
}

/** Related published articles for an agent answering a ticket, in the customer's language. */
export async function suggestArticles(ctx: WorkspaceContext, ticketId: string, limit = 5): Promise<SearchOutcome> {
  const ticket = await ctx.db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['tickets.id', 'tickets.subject', 'customers.locale'])
    .where('tickets.workspace_id', '=', ctx.workspaceId)
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) throw notFound('Ticket');
  const latest = await ctx.db
    .selectFrom('messages')
    .select('body_text')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('ticket_id', '=', ticketId)
    .where('kind', '=', 'customer')
    // The ticket's own messages newest first (messages_ticket), not every newer message of the
    // workspace's other tickets and other workspaces by id.
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const text = `${ticket.subject}\n${latest?.body_text.slice(0, 2_000) ?? ''}`;
  const lang = (ticket.locale as KbLang | null) ?? guessLang(text);
  return searchArticles(ctx.db, ctx.workspaceId, { q: text, lang, limit, anyWord: true });
}
