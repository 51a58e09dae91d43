// What the public portal may read: published articles only, of the workspace named in the URL.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { KbLang } from '../domain/kb.ts';
import { listCategories } from './service.ts';
import type { KbCategory } from './service.ts';

export interface PublicWorkspace {
  id: string;
  name: string;
  slug: string;
  defaultLocale: KbLang;
}

export async function workspaceBySlug(db: Kysely<DB>, slug: string): Promise<PublicWorkspace | undefined> {
  // From a URL path (%00 decodes to NUL): no slug has one, and PostgreSQL refuses it in a query.
  if (slug.includes('\u0000')) return undefined;
  const row = await db.selectFrom('workspaces').select(['id', 'name', 'slug', 'default_locale']).where('slug', '=', slug).executeTakeFirst();
  return row ? { id: row.id, name: row.name, slug: row.slug, defaultLocale: row.default_locale as KbLang } : undefined;
}

export interface PublishedArticle {
  id: string;
  articleId: string;
  lang: KbLang;
  slug: string;
  title: string;
  bodyHtml: string;
  bodyText: string;
  categoryId: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
  /** The article's other published language versions. */
  alternates: Array<{ lang: KbLang; slug: string; title: string }>;
}

export async function publishedArticle(db: Kysely<DB>, workspaceId: string, lang: KbLang, slug: string): Promise<PublishedArticle | undefined> {
  if (slug.includes('\u0000')) return undefined;
  const row = await db
    .selectFrom('kb_translations')
    .innerJoin('kb_articles', 'kb_articles.id', 'kb_translations.article_id')
    .select([
      'kb_translations.id',
      'kb_translations.article_id',
      'kb_translations.lang',
      'kb_translations.slug',
      'kb_translations.title',
      'kb_translations.body_html',
      'kb_translations.body_text',
      'kb_translations.published_at',
      'kb_translations.updated_at',
      'kb_articles.category_id',
    ])
    .where('kb_translations.workspace_id', '=', workspaceId)
    .where('kb_translations.lang', '=', lang)
    .where('kb_translations.slug', '=', slug)
    .where('kb_translations.status', '=', 'published')
    .executeTakeFirst();
  if (!row) return undefined;
  const alternates = await db
    .selectFrom('kb_translations')
    .select(['lang', 'slug', 'title'])
    .where('workspace_id', '=', workspaceId)
    .where('article_id', '=', row.article_id)
    .where('status', '=', 'published')
    .where('id', '!=', row.id)
    .orderBy('lang')
    .execute();
  return {
    id: row.id,
    articleId: row.article_id,
    lang: row.lang as KbLang,
    slug: row.slug,
    title: row.title,
    bodyHtml: row.body_html,
    bodyText: row.body_text,
    categoryId: row.category_id,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
    alternates: alternates.map((a) => ({ lang: a.lang as KbLang, slug: a.slug, title: a.title })),
  };
}

export interface PortalListing {
  categories: Array<{ category: KbCategory | null; articles: Array<{ slug: string; title: string }> }>;
}

/** Published articles in one language, grouped by category in the categories' order. */
export async function portalListing(db: Kysely<DB>, workspaceId: string, lang: KbLang, perCategory = 50): Promise<PortalListing> {
  const categories = await listCategories(db, workspaceId);
  const rows = await db
    .selectFrom('kb_translations')
    .innerJoin('kb_articles', 'kb_articles.id', 'kb_translations.article_id')
    .select(['kb_translations.slug', 'kb_translations.title', 'kb_articles.category_id'])
    .where('kb_translations.workspace_id', '=', workspaceId)
    .where('kb_translations.lang', '=', lang)
    .where('kb_translations.status', '=', 'published')
    .orderBy('kb_translations.title')
    .limit(2_000)
    .execute();
  const byCategory = new Map<string | null, Array<{ slug: string; title: string }>>();
  for (const r of rows) {
    const list = byCategory.get(r.category_id) ?? [];
    if (list.length < perCategory) list.push({ slug: r.slug, title: r.title });
    byCategory.set(r.category_id, list);
  }
  const result: PortalListing['categories'] = [];
  for (const category of categories) {
    const articles = byCategory.get(category.id);
    if (articles?.length) result.push({ category, articles });
  }
  const loose = byCategory.get(null);
  if (loose?.length) result.push({ category: null, articles: loose });
  return { categories: result };
}

export interface SitemapEntry {
  articleId: string;
  lang: KbLang;
  slug: string;
  updatedAt: Date;
}

/** Every published language version, for sitemap.xml (at most 50,000 URLs, the protocol's limit). */
export async function sitemapEntries(db: Kysely<DB>, workspaceId: string): Promise<SitemapEntry[]> {
  const rows = await db
    .selectFrom('kb_translations')
    .select(['article_id', 'lang', 'slug', 'updated_at'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'published')
    .orderBy('article_id')
    .orderBy('lang')
    .limit(50_000)
    .execute();
  return rows.map((r) => ({ articleId: r.article_id, lang: r.lang as KbLang, slug: r.slug, updatedAt: r.updated_at }));
}

/** The portal's public origin: TRUTHDESK_PUBLIC_URL, or the origin the request came to. */
export function origin(request: FastifyRequest): string {
  const configured = process.env.TRUTHDESK_PUBLIC_URL;
  if (configured) return configured.replace(/\/+$/, '');
  return `${request.protocol}://${request.host}`;
}
