// The public help centre: server-rendered HTML at /kb/{workspaceSlug}, in English, Greek or
// Arabic (right-to-left), for readers and search engines alike — a title and description per
// page, canonical URLs, hreflang links between an article's language versions, a sitemap.
// Only published articles are ever read here. Pages carry no script at all, and say so in
// their Content-Security-Policy.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml, KB_LANGS, summary } from '../domain/kb.ts';
import type { KbLang } from '../domain/kb.ts';
import { pageLanguage } from '../http/web.ts';
import { AppError } from '../shared/errors.ts';
import { recordArticleView, recordSearch } from './deflection.ts';
import { origin, portalListing, publishedArticle, sitemapEntries, workspaceBySlug } from './public.ts';
import type { PublicWorkspace } from './public.ts';
import { PUBLIC_SEARCH_RATE_LIMIT } from './routes.ts';
import { searchArticles } from './service.ts';

type PortalText =
  | 'helpCentre' | 'search' | 'searchLabel' | 'results' | 'noResults' | 'other' | 'otherLangs' | 'home' | 'notFound'
  | 'notFoundText' | 'language' | 'didYouMean' | 'readAlso' | 'updated' | 'description' | 'contact';
const STRINGS: Record<KbLang, Record<PortalText, string>> = {
  en: {
    helpCentre: 'Help centre', search: 'Search', searchLabel: 'Search the help centre', results: 'Search results',
    noResults: 'No articles match your search.', other: 'Other articles', otherLangs: 'In other languages',
    home: 'Help centre home', notFound: 'Page not found', notFoundText: 'There is no published article here.',
    language: 'Language', didYouMean: 'Showing results for', readAlso: 'More in this category', updated: 'Updated',
    description: 'Answers and guides from the {name} support team.', contact: 'Still need help? Contact support.',
  },
  el: {
    helpCentre: 'Κέντρο βοήθειας', search: 'Αναζήτηση', searchLabel: 'Αναζήτηση στο κέντρο βοήθειας', results: 'Αποτελέσματα αναζήτησης',
    noResults: 'Κανένα άρθρο δεν ταιριάζει με την αναζήτησή σας.', other: 'Άλλα άρθρα', otherLangs: 'Σε άλλες γλώσσες',
    home: 'Αρχική του κέντρου βοήθειας', notFound: 'Η σελίδα δεν βρέθηκε', notFoundText: 'Δεν υπάρχει δημοσιευμένο άρθρο εδώ.',
    language: 'Γλώσσα', didYouMean: 'Αποτελέσματα για', readAlso: 'Περισσότερα σε αυτή την κατηγορία', updated: 'Ενημερώθηκε',
    description: 'Απαντήσεις και οδηγοί από την ομάδα υποστήριξης της {name}.', contact: 'Χρειάζεστε ακόμη βοήθεια; Επικοινωνήστε μαζί μας.',
  },
  ar: {
    helpCentre: 'مركز المساعدة', search: 'بحث', searchLabel: 'ابحث في مركز المساعدة', results: 'نتائج البحث',
    noResults: 'لا توجد مقالات تطابق بحثك.', other: 'مقالات أخرى', otherLangs: 'بلغات أخرى',
    home: 'الصفحة الرئيسية لمركز المساعدة', notFound: 'الصفحة غير موجودة', notFoundText: 'لا توجد مقالة منشورة هنا.',
    language: 'اللغة', didYouMean: 'عرض النتائج عن', readAlso: 'المزيد في هذا القسم', updated: 'آخر تحديث',
    description: 'إجابات وأدلة من فريق الدعم في {name}.', contact: 'هل ما زلت بحاجة إلى مساعدة؟ تواصل مع الدعم.',
  },
};
const LANGUAGE_NAMES: Record<KbLang, string> = { en: 'English', el: 'Ελληνικά', ar: 'العربية' };

const CSP = "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const VISITOR_COOKIE = 'td_kb_visitor';
const BOT = /bot|crawl|spider|slurp|bingpreview|facebookexternalhit|headless/i;

const STYLE = `body{font-family:system-ui,'DejaVu Sans',sans-serif;line-height:1.55;max-width:46rem;margin:0 auto;padding:1rem;color:#1d232b}
header,footer{padding-block:.5rem}header a{color:inherit;text-decoration:none}nav ul{list-style:none;padding:0;display:flex;gap:1rem;flex-wrap:wrap}
form{display:flex;gap:.5rem;margin-block:1rem}input[type=search]{flex:1;padding:.5rem;font:inherit}button{padding:.5rem 1rem;font:inherit}
mark{background:#ffe58a;padding:0 .1em}article img{max-width:100%}.snippet{color:#444;margin-top:.2rem}
li{margin-block:.35rem}h2{margin-top:2rem}footer{border-top:1px solid #ddd;margin-top:3rem;font-size:.9rem}`;

/** The public origin for absolute URLs: TRUTHDESK_PUBLIC_URL, else the request's own. */

const enc = encodeURIComponent;
const homePath = (ws: PublicWorkspace, lang: KbLang) => `/kb/${enc(ws.slug)}?lang=${lang}`;
const articlePath = (ws: PublicWorkspace, lang: KbLang, slug: string) => `/kb/${enc(ws.slug)}/${lang}/${enc(slug)}`;

interface Page {
  lang: KbLang;
  title: string;
  description: string;
  canonical?: string;
  /** hreflang alternates, paths. */
  alternates?: Array<{ lang: KbLang | 'x-default'; path: string }>;
  noindex?: boolean;
  body: string;
}

function layout(request: FastifyRequest, ws: PublicWorkspace, page: Page): string {
  const t = STRINGS[page.lang];
  const base = origin(request);
  const head = [
    `<meta charset="utf-8">`,
    `<meta name="viewport" content="width=device-width,initial-scale=1">`,
    `<title>${escapeHtml(page.title)}</title>`,
    `<meta name="description" content="${escapeHtml(page.description)}">`,
    page.noindex ? `<meta name="robots" content="noindex,follow">` : '',
    page.canonical ? `<link rel="canonical" href="${escapeHtml(base + page.canonical)}">` : '',
    ...(page.alternates ?? []).map((a) => `<link rel="alternate" hreflang="${a.lang}" href="${escapeHtml(base + a.path)}">`),
    page.canonical ? `<meta property="og:url" content="${escapeHtml(base + page.canonical)}">` : '',
    `<meta property="og:title" content="${escapeHtml(page.title)}">`,
    `<meta property="og:description" content="${escapeHtml(page.description)}">`,
    `<meta property="og:locale" content="${{ en: 'en_GB', el: 'el_GR', ar: 'ar_AR' }[page.lang]}">`,
    `<style>${STYLE}</style>`,
  ].filter(Boolean);
  const langLinks = KB_LANGS.map(
    (l) => `<li><a href="${escapeHtml(homePath(ws, l))}" hreflang="${l}" lang="${l}"${l === page.lang ? ' aria-current="true"' : ''}>${LANGUAGE_NAMES[l]}</a></li>`,
  ).join('');
  return `<!doctype html>
<html lang="${page.lang}" dir="${page.lang === 'ar' ? 'rtl' : 'ltr'}"><head>${head.join('\n')}</head>
<body><header><p><a href="${escapeHtml(homePath(ws, page.lang))}">${escapeHtml(ws.name)} · ${t.helpCentre}</a></p>
<nav aria-label="${t.language}"><ul>${langLinks}</ul></nav>
<form role="search" action="/kb/${enc(ws.slug)}/search" method="get"><input type="hidden" name="lang" value="${page.lang}">
<label for="q" hidden>${t.searchLabel}</label><input id="q" type="search" name="q" placeholder="${t.searchLabel}" maxlength="200" aria-label="${t.searchLabel}">
<button>${t.search}</button></form></header>
<main>${page.body}</main>
<footer><p>${t.contact}</p></footer></body></html>`;
}

function send(reply: FastifyReply, status: number, html: string) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'strict-origin-when-cross-origin')
    .send(html);
}

function notFoundPage(request: FastifyRequest, reply: FastifyReply, ws: PublicWorkspace | undefined, lang: KbLang) {
  const t = STRINGS[lang];
  if (!ws) {
    return send(reply, 404, `<!doctype html><html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>${t.notFound}</title><meta name="robots" content="noindex"></head><body><h1>${t.notFound}</h1></body></html>`);
  }
  return send(reply, 404, layout(request, ws, { lang, title: t.notFound, description: t.notFoundText, noindex: true, body: `<h1>${t.notFound}</h1><p>${t.notFoundText}</p><p><a href="${escapeHtml(homePath(ws, lang))}">${t.home}</a></p>` }));
}

function stringParam(value: unknown, max: number): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string') return undefined;
  if (v.includes('\u0000') || !v.isWellFormed()) throw new AppError(400, 'bad_request', 'The query is not well-formed text');
  return v.normalize('NFC').trim().slice(0, max);
}

function isLang(value: string | undefined): value is KbLang {
  return value === 'en' || value === 'el' || value === 'ar';
}

/** The visitor's anonymous id from the cookie, if it is one we set (a cookie is the client's to write). */
function knownVisitor(request: FastifyRequest): string | undefined {
  const existing = request.cookies[VISITOR_COOKIE];
  return existing && /^[0-9a-f-]{36}$/.test(existing) ? existing : undefined;
}

/** The visitor's anonymous id: from the cookie, or a new one set for a year. */
function visitorId(request: FastifyRequest, reply: FastifyReply, ws: PublicWorkspace): string {
  const existing = knownVisitor(request);
  if (existing) return existing;
  const id = randomUUID();
  reply.setCookie(VISITOR_COOKIE, id, {
    path: `/kb/${enc(ws.slug)}`,
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    maxAge: 365 * 86_400,
  });
  return id;
}

function categoryName(names: Partial<Record<KbLang, string>>, lang: KbLang): string {
  return names[lang] ?? names.en ?? Object.values(names)[0] ?? '';
}

export function kbPortalRoutes(app: FastifyInstance): void {
  const db = () => app.database.db;

  app.get('/kb/:workspace', async (request, reply) => {
    const { workspace } = request.params as { workspace: string };
    const ws = await workspaceBySlug(db(), workspace);
    const lang = pageLanguage(request);
    if (!ws) return notFoundPage(request, reply, undefined, lang);
    const t = STRINGS[lang];
    const listing = await portalListing(db(), ws.id, lang);
    const sections = listing.categories
      .map(({ category, articles }) => {
        const heading = category ? categoryName(category.names, lang) : t.other;
        const items = articles.map((a) => `<li><a href="${escapeHtml(articlePath(ws, lang, a.slug))}">${escapeHtml(a.title)}</a></li>`).join('');
        return `<section><h2>${escapeHtml(heading)}</h2><ul>${items}</ul></section>`;
      })
      .join('\n');
    return send(
      reply,
      200,
      layout(request, ws, {
        lang,
        title: `${t.helpCentre} · ${ws.name}`,
        description: t.description.replace('{name}', ws.name),
        canonical: homePath(ws, lang),
        alternates: [...KB_LANGS.map((l) => ({ lang: l, path: homePath(ws, l) })), { lang: 'x-default' as const, path: `/kb/${enc(ws.slug)}` }],
        body: `<h1>${t.helpCentre}</h1>\n${sections || `<p>${t.noResults}</p>`}`,
      }),
    );
  });

  const searchLimit = {
    config: { rateLimit: { max: PUBLIC_SEARCH_RATE_LIMIT.max, timeWindow: PUBLIC_SEARCH_RATE_LIMIT.timeWindowMs } },
  };
  app.get('/kb/:workspace/search', searchLimit, async (request, reply) => {
    const { workspace } = request.params as { workspace: string };
    const ws = await workspaceBySlug(db(), workspace);
    const lang = pageLanguage(request);
    if (!ws) return notFoundPage(request, reply, undefined, lang);
    const t = STRINGS[lang];
    const q = stringParam((request.query as Record<string, unknown>).q, 200) ?? '';
    let body = `<h1>${t.results}</h1>`;
    if (q) {
      const visitor = knownVisitor(request);
      const own = await searchArticles(db(), ws.id, { q, lang, limit: 20, publishedOnly: true });
      const others = own.results.length ? undefined : await searchArticles(db(), ws.id, { q, limit: 10, publishedOnly: true });
      await recordSearch(db(), ws.id, { query: q, lang, results: own.results.length + (others?.results.length ?? 0), source: 'portal', visitorId: visitor });
      const list = (results: typeof own.results) =>
        `<ol>${results
          .map(
            (r) =>
              `<li lang="${r.lang}" dir="${r.lang === 'ar' ? 'rtl' : 'ltr'}"><a href="${escapeHtml(articlePath(ws, r.lang, r.slug))}">${r.titleHighlighted}</a><p class="snippet">${r.snippet}</p></li>`,
          )
          .join('')}</ol>`;
      const corrected = own.didYouMean ?? others?.didYouMean;
      if (corrected) body += `<p>${t.didYouMean} <em>${escapeHtml(corrected)}</em></p>`;
      if (own.results.length) body += list(own.results);
      else if (others?.results.length) body += `<h2>${t.otherLangs}</h2>${list(others.results)}`;
      else body += `<p>${t.noResults}</p>`;
    }
    return send(
      reply,
      200,
      layout(request, ws, { lang, title: q ? `${q} · ${t.search} · ${ws.name}` : `${t.search} · ${ws.name}`, description: t.searchLabel, noindex: true, body }),
    );
  });

  app.get('/kb/:workspace/sitemap.xml', async (request, reply) => {
    const { workspace } = request.params as { workspace: string };
    const ws = await workspaceBySlug(db(), workspace);
    if (!ws) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    const base = origin(request);
    const entries = await sitemapEntries(db(), ws.id);
    const byArticle = new Map<string, typeof entries>();
    for (const e of entries) byArticle.set(e.articleId, [...(byArticle.get(e.articleId) ?? []), e]);
    const xml = (s: string) => escapeHtml(s);
    const homes = KB_LANGS.map((l) => `<url><loc>${xml(base + homePath(ws, l))}</loc></url>`);
    const urls = entries.map((e) => {
      const alternates = (byArticle.get(e.articleId) ?? [])
        .map((a) => `<xhtml:link rel="alternate" hreflang="${a.lang}" href="${xml(base + articlePath(ws, a.lang, a.slug))}"/>`)
        .join('');
      return `<url><loc>${xml(base + articlePath(ws, e.lang, e.slug))}</loc><lastmod>${e.updatedAt.toISOString()}</lastmod>${alternates}</url>`;
    });
    return reply
      .type('application/xml; charset=utf-8')
      .send(
        `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n${[...homes, ...urls].join('\n')}\n</urlset>\n`,
      );
  });

  app.get('/kb/:workspace/:lang/:slug', async (request, reply) => {
    const params = request.params as { workspace: string; lang: string; slug: string };
    const ws = await workspaceBySlug(db(), params.workspace);
    const lang = isLang(params.lang) ? params.lang : pageLanguage(request);
    if (!ws || !isLang(params.lang)) return notFoundPage(request, reply, ws, lang);
    const article = await publishedArticle(db(), ws.id, params.lang, params.slug.normalize('NFC'));
    if (!article) return notFoundPage(request, reply, ws, lang);
    const t = STRINGS[lang];
    const path = articlePath(ws, lang, article.slug);
    if (!BOT.test(String(request.headers['user-agent'] ?? ''))) {
      await recordArticleView(db(), ws.id, {
        visitorId: visitorId(request, reply, ws),
        article: { id: article.id, articleId: article.articleId, lang, slug: article.slug, title: article.title },
        url: origin(request) + path,
        referrer: typeof request.headers.referer === 'string' ? request.headers.referer : undefined,
      });
    }
    const alternates = [
      { lang, path },
      ...article.alternates.map((a) => ({ lang: a.lang, path: articlePath(ws, a.lang, a.slug) })),
    ];
    const xDefault = alternates.find((a) => a.lang === 'en') ?? alternates[0];
    const otherLangs = article.alternates.length
      ? `<nav aria-label="${t.otherLangs}"><p>${t.otherLangs}: ${article.alternates
          .map((a) => `<a href="${escapeHtml(articlePath(ws, a.lang, a.slug))}" hreflang="${a.lang}" lang="${a.lang}">${escapeHtml(a.title)}</a>`)
          .join(' · ')}</p></nav>`
      : '';
    const updated = article.updatedAt.toISOString();
    return send(
      reply,
      200,
      layout(request, ws, {
        lang,
        title: `${article.title} · ${ws.name}`,
        description: summary(article.bodyText),
        canonical: path,
        alternates: [...alternates, ...(xDefault ? [{ lang: 'x-default' as const, path: xDefault.path }] : [])],
        body: `<nav aria-label="breadcrumb"><a href="${escapeHtml(homePath(ws, lang))}">${t.helpCentre}</a></nav>
<article><h1>${escapeHtml(article.title)}</h1>
<p><small>${t.updated}: <time datetime="${updated}">${updated.slice(0, 10)}</time></small></p>
${article.bodyHtml}</article>${otherLangs}`,
      }),
    );
  });
}
