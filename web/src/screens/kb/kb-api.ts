// The knowledge base as the API gives it: one row per language version of an article.
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api.ts';
import type { Lang, Me } from '../../types.ts';

/** Team leaders and up write, publish and restore articles; agents read them. */
export const canEditKb = (me: Me) => me.role !== 'agent';

export type KbStatus = 'draft' | 'published';
export const KB_STATUSES: KbStatus[] = ['draft', 'published'];

export interface TranslationRef {
  id: string;
  lang: Lang;
  slug: string;
  title: string;
  status: KbStatus;
}

export interface KbArticle extends TranslationRef {
  articleId: string;
  body: string;
  bodyText: string;
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
  names: Partial<Record<Lang, string>>;
  position: number;
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

export interface KbSearchHit {
  id: string;
  lang: Lang;
  title: string;
  status: KbStatus;
  titleHighlighted: string;
  snippet: string;
}

export function useCategories() {
  return useQuery({
    queryKey: ['kb-categories'],
    queryFn: async () => (await api<{ data: KbCategory[] }>('/api/v1/kb/categories')).data,
  });
}

/** A category's name in the reader's language, else any name it has, else its key. */
export function categoryName(category: KbCategory | undefined, lang: string): string {
  if (!category) return '';
  return category.names[lang as Lang] ?? category.names.en ?? category.names.el ?? category.names.ar ?? category.key;
}

export const dirOf = (lang: Lang) => (lang === 'ar' ? 'rtl' : 'ltr');

/** The public portal's address of a published language version. */
export const portalPath = (workspaceSlug: string, lang: Lang, slug: string) =>
  `/kb/${encodeURIComponent(workspaceSlug)}/${lang}/${encodeURIComponent(slug)}`;

/**
 * The body as an author would type it: paragraphs of plain text (the server wraps them in
 * <p dir="auto">) come back as text with blank lines; anything richer stays HTML. So an Arabic
 * or Greek article written as text is edited as text, not as markup in a right-to-left box.
 */
export function editableBody(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const blocks = Array.from(doc.body.childNodes).filter((n) => !(n.nodeType === Node.TEXT_NODE && !n.textContent?.trim()));
  const plain = blocks.every(
    (n) =>
      n instanceof HTMLParagraphElement &&
      n.getAttribute('dir') === 'auto' &&
      n.attributes.length === 1 &&
      Array.from(n.childNodes).every((c) => c.nodeType === Node.TEXT_NODE || c.nodeName === 'BR'),
  );
  if (!plain || !blocks.length) return html;
  const text = blocks.map((p) => Array.from(p.childNodes).map((c) => (c.nodeName === 'BR' ? '\n' : c.textContent)).join('')).join('\n\n');
  // Text that looks like markup would be read as HTML on the next save: keep such bodies as HTML.
  return /<[a-z!/]/i.test(text) ? html : text;
}

/**
 * What to send for a body edited as text: once it has some markup, the server reads all of it
 * as HTML, so paragraphs still written as plain text are wrapped first and keep their breaks.
 */
export function bodyToSend(body: string): string {
  if (!/<[a-z!/]/i.test(body)) return body;
  return body
    .split(/\n\s*\n/)
    .map((chunk) => (/^\s*</.test(chunk) ? chunk : `<p dir="auto">${chunk.trim().replaceAll('\n', '<br>')}</p>`))
    .join('\n');
}
