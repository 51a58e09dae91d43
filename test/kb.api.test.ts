// Knowledge base through the API and the public portal, on PGlite and PostgreSQL: Greek and
// Arabic search that ignores accents, case and letter variants, typo tolerance, ranking, drafts
// kept private everywhere, revisions, the portal's HTML, suggestions and deflection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { recordArticleView } from '../src/kb/deflection.ts';
import { seedKnowledgeBase } from '../src/demo/kb.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { seedText } from './support/seeds.ts';

const greekLines = seedText('000_872ed610193a76ff.txt').split('\n').filter((l) => l.trim());
const arabicLines = seedText('003_d927bf57eeee527a.txt').split('\n').filter((l) => l.trim());
const paragraphs = (lines: string[]) => lines.map((l) => `<p>${l}</p>`).join('\n');

interface Hit {
  id: string;
  title: string;
  lang: string;
  match: string;
  snippet: string;
  titleHighlighted: string;
  url?: string;
}

describe.each(availableBackends())('knowledge base on %s', (kind) => {
  let api: TestApi;
  let wsA: TestWorkspace;
  let wsB: TestWorkspace;
  let slugA: string;
  let slugB: string;
  const ids: Record<string, string> = {};
  const slugs: Record<string, string> = {};

  async function ok(res: LightMyRequestResponse, status: number) {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json();
  }
  const search = async (token: string, q: string, lang?: string): Promise<Hit[]> =>
    (await ok(await api.request(token, 'GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}${lang ? `&lang=${lang}` : ''}`), 200)).results;
  const publicSearch = async (slug: string, q: string): Promise<Hit[]> =>
    (await ok(await api.request(undefined, 'GET', `/api/v1/kb/public/${slug}/search?q=${encodeURIComponent(q)}`), 200)).results;

  beforeAll(async () => {
    api = await startTestApi(kind);
    wsA = await api.createWorkspace('Alpha Help');
    wsB = await api.createWorkspace('Beta Help');
    const t = wsA.tokens.owner;
    slugA = (await ok(await api.request(t, 'GET', '/api/v1/workspace'), 200)).slug;
    slugB = (await ok(await api.request(wsB.tokens.owner, 'GET', '/api/v1/workspace'), 200)).slug;

    const category = await ok(
      await api.request(t, 'POST', '/api/v1/kb/categories', { names: { en: 'Customer experience', el: 'Εμπειρία πελάτη', ar: 'تجربة العميل' } }),
      201,
    );
    ids.category = category.id;
    const create = async (key: string, body: Record<string, unknown>) => {
      const a = await ok(await api.request(t, 'POST', '/api/v1/kb/articles', body), 201);
      ids[key] = a.id;
      slugs[key] = a.slug;
      return a;
    };
    await create('greek', {
      title: 'Τι είναι μια στιγμή αλήθειας;',
      body: paragraphs(greekLines.slice(1, 5)),
      lang: 'el',
      status: 'published',
      categoryId: category.id,
    });
    // Mentions the phrase once, in the body only: must rank below the article titled with it.
    await create('greekBody', {
      title: 'Σημεία πόνου και έρευνες πελατών',
      body: '<p>Οι έρευνες δείχνουν πού πονάει ο πελάτης. Κάθε στιγμή αλήθειας αφήνει ίχνος στις απαντήσεις των ερευνών.</p>',
      lang: 'el',
      status: 'published',
    });
    await create('greekDraft', {
      title: 'Μυστικό προσχέδιο για τη στιγμή αλήθειας',
      body: '<p>Ένα προσχέδιο που κανείς εκτός ομάδας δεν πρέπει να δει: στιγμή αλήθειας, προσχέδιο.</p>',
      lang: 'el',
      status: 'draft',
    });
    await create('arabic', {
      title: 'ما هى لحظة الحقيقة؟',
      body: paragraphs(arabicLines.slice(1, 5)),
      lang: 'ar',
      status: 'published',
      categoryId: category.id,
    });
    await create('english', {
      title: 'What is a moment of truth?',
      body: '<p>A moment of truth is any interaction with a brand that can change what a customer thinks of it.</p><script>alert(1)</script>',
      lang: 'en',
      status: 'published',
      translationOf: ids.greek,
    });
    await ok(
      await api.request(wsB.tokens.owner, 'POST', '/api/v1/kb/articles', {
        title: 'Beta: η δική μας στιγμή αλήθειας',
        body: '<p>Workspace B writes about στιγμή αλήθειας too.</p>',
        lang: 'el',
        status: 'published',
      }),
      201,
    );
  });
  afterAll(async () => api?.close());

  it('creates articles with native-script slugs, sanitised bodies and linked translations', async () => {
    const greek = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/kb/articles/${ids.greek}`), 200);
    expect(greek).toMatchObject({ lang: 'el', slug: 'τι-είναι-μια-στιγμή-αλήθειας', status: 'published', version: 1, categoryId: ids.category });
    expect(greek.translations.map((x: { lang: string }) => x.lang).sort()).toEqual(['el', 'en']);
    expect(slugs.arabic).toBe('ما-هى-لحظة-الحقيقة');
    const english = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/kb/articles/${ids.english}`), 200);
    expect(english.body).not.toContain('<script');
    expect(english.articleId).toBe(greek.articleId);
    expect(english.categoryId).toBe(ids.category);
    // The same title again gets the next free slug; a slug asked for that is taken is a 409.
    const again = await ok(
      await api.request(wsA.tokens.owner, 'POST', '/api/v1/kb/articles', { title: 'Τι είναι μια στιγμή αλήθειας;', body: 'Δεύτερο', lang: 'el', status: 'draft' }),
      201,
    );
    expect(again.slug).toBe('τι-είναι-μια-στιγμή-αλήθειας-2');
    const taken = await api.request(wsA.tokens.owner, 'POST', '/api/v1/kb/articles', { title: 'X', body: 'y', lang: 'el', status: 'draft', slug: again.slug });
    expect(taken.statusCode).toBe(409);
    // A second Greek version of the same article is refused; bad input changes nothing.
    const dup = await api.request(wsA.tokens.owner, 'POST', '/api/v1/kb/articles', { title: 'Άλλο', body: 'x', lang: 'el', status: 'draft', translationOf: ids.greek });
    expect(dup.statusCode).toBe(409);
    for (const bad of [{ title: '', body: 'x', lang: 'el' }, { title: 'x', body: 'x', lang: 'fr' }, { title: 'x', body: 'x', lang: 'en', extra: 1 }]) {
      expect((await api.request(wsA.tokens.owner, 'POST', '/api/v1/kb/articles', bad)).statusCode).toBe(400);
    }
    // Agents read and search; writing takes kb:manage.
    expect((await api.request(wsA.tokens.agent, 'POST', '/api/v1/kb/articles', { title: 'x', body: 'x', lang: 'en' })).statusCode).toBe(403);
  });

  it('finds the same Greek article whatever the accents and case of the query', async () => {
    for (const q of ['στιγμη αληθειας', 'ΣΤΙΓΜΗ ΑΛΗΘΕΙΑΣ', 'στιγμή αλήθειας']) {
      const hits = await search(wsA.tokens.agent, q, 'el');
      expect(hits[0]?.id, q).toBe(ids.greek);
      expect(hits[0]?.match).toBe('all_words');
      // The reader sees their own accented words highlighted, not the folded form.
      expect(hits[0]?.titleHighlighted).toBe('Τι είναι μια <mark>στιγμή</mark> <mark>αλήθειας</mark>;');
      expect(hits[0]?.snippet).toMatch(/<mark>στιγμ[ήέ]/u);
    }
  });

  it('ranks a title match above a body-only match', async () => {
    const hits = await search(wsA.tokens.agent, 'στιγμή αλήθειας', 'el');
    const order = hits.map((h) => h.id);
    expect(order).toContain(ids.greekBody);
    expect(order.indexOf(ids.greek as string)).toBeLessThan(order.indexOf(ids.greekBody as string));
  });

  it('finds the same Arabic article with or without diacritics, tatweel, alef/hamza forms and ة/ه', async () => {
    const variants = [
      'لحظة الحقيقة',
      'لَحْظَةُ الْحَقِيقَةِ',
      'لحظه الحقيقه',
      'لحـــظة الحقيـــقة',
      'الأسئلة',
      'الاسئلة',
      'الإسئلة',
      'الآسئلة',
      'استطلاعات الرأي',
      'استطلاعات الراي',
    ];
    for (const q of variants) {
      const hits = await search(wsA.tokens.agent, q, 'ar');
      expect(hits[0]?.id, q).toBe(ids.arabic);
    }
    const hits = await search(wsA.tokens.agent, 'لحظه الحقيقه');
    expect(hits[0]?.titleHighlighted).toBe('ما هى <mark>لحظة</mark> <mark>الحقيقة</mark>؟');
  });

  it('still finds the article with a one-letter typo, and says what it searched for', async () => {
    const greek = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('στιγμη αλιθειας')}`), 200);
    expect(greek.results[0]?.id).toBe(ids.greek);
    expect(greek.didYouMean).toBe('στιγμη αληθειασ');
    const single = await search(wsA.tokens.agent, 'αλιθειας');
    expect(single.map((h) => h.id)).toContain(ids.greek);
    const arabic = await search(wsA.tokens.agent, 'الحقيفة');
    expect(arabic[0]?.id).toBe(ids.arabic);
    expect(arabic[0]?.match).toBe('corrected');
    const english = await search(wsA.tokens.agent, 'momnet of truth');
    expect(english[0]?.id).toBe(ids.english);
  });

  it('never shows a draft publicly: search, public API, portal pages, sitemap', async () => {
    const draftSlug = slugs.greekDraft as string;
    expect(await search(wsA.tokens.agent, 'προσχέδιο')).toEqual([]);
    expect(await publicSearch(slugA, 'προσχέδιο')).toEqual([]);
    // The editor's own search finds drafts when asked to; the public search never does, even asked.
    const withDrafts = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/kb/search?q=${encodeURIComponent('προσχεδιο')}&drafts=true`), 200);
    expect(withDrafts.results.map((h: Hit & { status: string }) => [h.id, h.status])).toEqual([[ids.greekDraft, 'draft']]);
    expect((await api.request(undefined, 'GET', `/api/v1/kb/public/${slugA}/search?q=${encodeURIComponent('προσχέδιο')}&drafts=true`)).statusCode).toBe(400);
    expect((await publicSearch(slugA, 'στιγμή αλήθειας')).map((h) => h.id)).not.toContain(ids.greekDraft);
    const page = await api.request(undefined, 'GET', `/kb/${slugA}/el/${encodeURIComponent(draftSlug)}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('Μυστικό');
    const portalSearch = await api.request(undefined, 'GET', `/kb/${slugA}/search?lang=el&q=${encodeURIComponent('στιγμή αλήθειας')}`);
    expect(portalSearch.statusCode).toBe(200);
    expect(portalSearch.body).toContain(encodeURIComponent(slugs.greek as string));
    expect(portalSearch.body).not.toContain('Μυστικό');
    const home = await api.request(undefined, 'GET', `/kb/${slugA}?lang=el`);
    expect(home.body).not.toContain('Μυστικό');
    const sitemap = await api.request(undefined, 'GET', `/kb/${slugA}/sitemap.xml`);
    expect(sitemap.headers['content-type']).toContain('xml');
    expect(sitemap.body).toContain(encodeURIComponent(slugs.greek as string));
    expect(sitemap.body).not.toContain(encodeURIComponent(draftSlug));

    // Publishing shows it; taking it back to draft hides it again.
    const published = await ok(await api.request(wsA.tokens.owner, 'PATCH', `/api/v1/kb/articles/${ids.greekDraft}`, { status: 'published' }), 200);
    expect((await publicSearch(slugA, 'προσχέδιο')).map((h) => h.id)).toEqual([ids.greekDraft]);
    await ok(await api.request(wsA.tokens.owner, 'PATCH', `/api/v1/kb/articles/${ids.greekDraft}`, { status: 'draft', version: published.version }), 200);
    expect(await publicSearch(slugA, 'προσχέδιο')).toEqual([]);
    expect((await api.request(undefined, 'GET', `/kb/${slugA}/el/${encodeURIComponent(draftSlug)}`)).statusCode).toBe(404);
  });

  it('keeps every save as a revision, refuses stale If-Match, and restores', async () => {
    const t = wsA.tokens.owner;
    const url = `/api/v1/kb/articles/${ids.greekBody}`;
    const first = await api.request(t, 'GET', url);
    expect(first.headers.etag).toBe('"1"');
    const second = await ok(await api.request(t, 'PATCH', url, { title: 'Σημεία πόνου: τι λένε οι έρευνες' }, { 'if-match': '"1"' }), 200);
    expect(second.version).toBe(2);
    const stale = await api.request(t, 'PATCH', url, { title: 'Χαμένη αλλαγή' }, { 'if-match': '"1"' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error).toMatchObject({ code: 'version_conflict', details: { currentVersion: 2 } });
    const revisions = await ok(await api.request(wsA.tokens.agent, 'GET', `${url}/revisions`), 200);
    expect(revisions.data.map((r: { revision: number; title: string }) => [r.revision, r.title])).toEqual([
      [2, 'Σημεία πόνου: τι λένε οι έρευνες'],
      [1, 'Σημεία πόνου και έρευνες πελατών'],
    ]);
    expect((await ok(await api.request(wsA.tokens.agent, 'GET', `${url}/revisions/1`), 200)).title).toBe('Σημεία πόνου και έρευνες πελατών');
    expect((await api.request(wsA.tokens.agent, 'GET', `${url}/revisions/9`)).statusCode).toBe(404);
    const restored = await ok(await api.request(t, 'POST', `${url}/revisions/1/restore`, undefined, { 'if-match': '"2"' }), 200);
    expect(restored).toMatchObject({ version: 3, title: 'Σημεία πόνου και έρευνες πελατών' });
    const after = await ok(await api.request(t, 'GET', `${url}/revisions`), 200);
    expect(after.data[0]).toMatchObject({ revision: 3, note: 'restored revision 1' });
    // The search index follows the saved text.
    expect((await search(wsA.tokens.agent, 'λένε')).map((h) => h.id)).not.toContain(ids.greekBody);
    const audit = await ok(await api.request(t, 'GET', '/api/v1/audit?limit=200'), 200);
    expect(audit.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['kb_article.created', 'kb_article.updated', 'kb_article.restored']));
  });

  it('serves the portal: right-to-left Arabic, language choice, canonical and hreflang, CSP', async () => {
    const ar = await api.request(undefined, 'GET', `/kb/${slugA}/ar/${encodeURIComponent(slugs.arabic as string)}`);
    expect(ar.statusCode).toBe(200);
    expect(ar.headers['content-type']).toContain('text/html');
    expect(ar.body).toContain('<html lang="ar" dir="rtl">');
    expect(ar.body).toContain('<title>ما هى لحظة الحقيقة؟ · Alpha Help</title>');
    expect(ar.body).toMatch(/<meta name="description" content="لحظة الحقيقة هى مبدأ/u);
    expect(ar.body).toContain(`<link rel="canonical" href="http://localhost:80/kb/${slugA}/ar/${encodeURIComponent(slugs.arabic as string)}">`);
    expect(String(ar.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(ar.body).not.toContain('<script');

    const el = await api.request(undefined, 'GET', `/kb/${slugA}/el/${encodeURIComponent(slugs.greek as string)}`);
    expect(el.body).toContain('<html lang="el" dir="ltr">');
    expect(el.body).toContain(`hreflang="en" href="http://localhost:80/kb/${slugA}/en/what-is-a-moment-of-truth"`);
    expect(el.body).toContain(`hreflang="x-default" href="http://localhost:80/kb/${slugA}/en/what-is-a-moment-of-truth"`);
    expect(el.body).toContain('<article><h1>Τι είναι μια στιγμή αλήθειας;</h1>');

    const byHeader = await api.request(undefined, 'GET', `/kb/${slugA}`, undefined, { 'accept-language': 'ar-EG,ar;q=0.9,en;q=0.5' });
    expect(byHeader.body).toContain('<html lang="ar" dir="rtl">');
    expect(byHeader.body).toContain('تجربة العميل');
    expect(byHeader.body).toContain(encodeURIComponent(slugs.arabic as string));
    const byQuery = await api.request(undefined, 'GET', `/kb/${slugA}?lang=el`, undefined, { 'accept-language': 'ar' });
    expect(byQuery.body).toContain('<html lang="el" dir="ltr">');
    expect(byQuery.body).toContain('Εμπειρία πελάτη');

    const arSearch = await api.request(undefined, 'GET', `/kb/${slugA}/search?lang=ar&q=${encodeURIComponent('لحظه الحقيقه')}`);
    expect(arSearch.body).toContain('<html lang="ar" dir="rtl">');
    expect(arSearch.body).toContain('<mark>لحظة</mark>');
    expect(arSearch.body).toContain('<meta name="robots" content="noindex,follow">');
    expect((await api.request(undefined, 'GET', '/kb/no-such-workspace')).statusCode).toBe(404);
  });

  it('keeps workspaces apart: search, public search, portal, article ids', async () => {
    const fromB = await search(wsB.tokens.owner, 'στιγμή αλήθειας');
    expect(fromB.map((h) => h.title)).toEqual(['Beta: η δική μας στιγμή αλήθειας']);
    expect((await publicSearch(slugB, 'στιγμή αλήθειας')).map((h) => h.title)).toEqual(['Beta: η δική μας στιγμή αλήθειας']);
    expect(await publicSearch(slugB, 'لحظة الحقيقة')).toEqual([]);
    expect((await api.request(undefined, 'GET', `/kb/${slugB}/el/${encodeURIComponent(slugs.greek as string)}`)).statusCode).toBe(404);
    const portalB = await api.request(undefined, 'GET', `/kb/${slugB}?lang=el`);
    expect(portalB.body).not.toContain('Τι είναι μια στιγμή αλήθειας');
    expect((await api.request(wsB.tokens.owner, 'GET', `/api/v1/kb/articles/${ids.greek}`)).statusCode).toBe(404);
    const listB = await ok(await api.request(wsB.tokens.owner, 'GET', '/api/v1/kb/articles'), 200);
    expect(listB.data).toHaveLength(1);
    // A category of A cannot be used by B.
    const cross = await api.request(wsB.tokens.owner, 'POST', '/api/v1/kb/articles', { title: 'x', body: 'x', lang: 'en', categoryId: ids.category });
    expect(cross.statusCode).toBe(422);
  });

  it('deletes a category and keeps its articles, uncategorised; only within the workspace and for editors', async () => {
    const t = wsA.tokens.owner;
    const category = await ok(await api.request(t, 'POST', '/api/v1/kb/categories', { names: { el: 'Τιμολόγηση', ar: 'الفوترة' } }), 201);
    const article = await ok(
      await api.request(t, 'POST', '/api/v1/kb/articles', { title: 'Πώς αλλάζω τη διεύθυνση τιμολόγησης', body: 'Από τις ρυθμίσεις λογαριασμού.', lang: 'el', categoryId: category.id }),
      201,
    );
    expect((await api.request(wsB.tokens.owner, 'DELETE', `/api/v1/kb/categories/${category.id}`)).statusCode).toBe(404);
    expect((await api.request(wsA.tokens.agent, 'DELETE', `/api/v1/kb/categories/${category.id}`)).statusCode).toBe(403);
    expect((await api.request(t, 'DELETE', `/api/v1/kb/categories/${category.id}`)).statusCode).toBe(204);
    const categories = await ok(await api.request(t, 'GET', '/api/v1/kb/categories'), 200);
    expect(categories.data.map((c: { id: string }) => c.id)).not.toContain(category.id);
    const kept = await ok(await api.request(t, 'GET', `/api/v1/kb/articles/${article.id}`), 200);
    expect(kept).toMatchObject({ title: 'Πώς αλλάζω τη διεύθυνση τιμολόγησης', categoryId: null });
    expect((await api.request(t, 'DELETE', `/api/v1/kb/categories/${category.id}`)).statusCode).toBe(404);
  });

  it('suggests related published articles in the customer’s language while answering', async () => {
    const ticket = await ok(
      await api.request(wsA.tokens.agent, 'POST', '/api/v1/tickets', {
        subject: 'Ερώτηση για τις στιγμές αλήθειας',
        customer: { email: 'eleni@example.gr', name: 'Ελένη', locale: 'el' },
        message: 'Καλησπέρα, θα ήθελα να καταλάβω τι είναι η στιγμή της αλήθειας για την εταιρεία μας.',
      }),
      201,
    );
    const suggested = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/tickets/${ticket.id}/suggested-articles`), 200);
    expect(suggested.lang).toBe('el');
    expect(suggested.results[0]?.id).toBe(ids.greek);
    expect(suggested.results.every((h: Hit) => h.lang === 'el')).toBe(true);
    expect(suggested.results.map((h: Hit) => h.id)).not.toContain(ids.greekDraft);
    // Each suggestion carries its public portal link (the portal page of the article).
    const link = new URL(suggested.results[0].url);
    expect(link.pathname).toBe(`/kb/${slugA}/el/${encodeURIComponent(slugs.greek as string)}`);
    const ar = await ok(
      await api.request(wsA.tokens.agent, 'POST', '/api/v1/tickets', {
        subject: 'سؤال عن لحظة الحقيقة',
        customer: { email: 'omar@example.com', name: 'عمر' },
        message: 'أريد أن أفهم لحظات الحقيقة في رحلة العميل',
      }),
      201,
    );
    const arSuggested = await ok(await api.request(wsA.tokens.agent, 'GET', `/api/v1/tickets/${ar.id}/suggested-articles`), 200);
    expect(arSuggested.lang).toBe('ar');
    expect(arSuggested.results[0]?.id).toBe(ids.arabic);
    expect((await api.request(wsB.tokens.owner, 'GET', `/api/v1/tickets/${ticket.id}/suggested-articles`)).statusCode).toBe(404);
  });

  it('records article views as ZMOT touchpoints and measures deflection', async () => {
    const visitor = '0b0e4f1a-7a4d-4c51-9d59-1c1f3c5d7e01';
    const view = await api.request(undefined, 'GET', `/kb/${slugA}/en/what-is-a-moment-of-truth`, undefined, { cookie: `td_kb_visitor=${visitor}` });
    expect(view.statusCode).toBe(200);
    // A first visit gets an anonymous id cookie.
    const fresh = await api.request(undefined, 'GET', `/kb/${slugA}/en/what-is-a-moment-of-truth`);
    expect(String(fresh.headers['set-cookie'])).toMatch(/td_kb_visitor=[0-9a-f-]{36}; Max-Age=31536000; Path=\/kb\/[^;]+; HttpOnly; SameSite=Lax/);
    // Crawlers are not visitors.
    await api.request(undefined, 'GET', `/kb/${slugA}/en/what-is-a-moment-of-truth`, undefined, { 'user-agent': 'Googlebot/2.1' });

    // The visitor identifies (e.g. signs up), then opens a ticket: that view did not deflect.
    const identify = await api.request(wsA.tokens.owner, 'POST', '/api/v1/identify', {
      userId: 'visitor-42',
      anonymousId: visitor,
      traits: { email: 'visitor42@example.com', name: 'Visitor 42' },
    });
    expect(identify.statusCode, identify.body).toBe(200);
    const journey = await ok(await api.request(wsA.tokens.owner, 'GET', '/api/v1/customers/visitor-42/journey'), 200);
    const viewed = journey.touchpoints.find((tp: { event: string }) => tp.event === 'Article Viewed');
    expect(viewed).toMatchObject({ stage: 'zmot', channel: 'kb' });
    await ok(
      await api.request(wsA.tokens.owner, 'POST', '/api/v1/tickets', { subject: 'Still confused', customerId: journey.customer.id, message: 'I read the article but…' }),
      201,
    );
    // Another visitor read an article ten days ago and never wrote: deflected.
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    await recordArticleView(api.database.db, wsA.id, {
      visitorId: 'c0ffee00-0000-4000-8000-000000000001',
      article: { id: ids.arabic as string, articleId: ids.arabic as string, lang: 'ar', slug: slugs.arabic as string, title: 'ما هى لحظة الحقيقة؟' },
      url: 'http://localhost/kb',
      at: tenDaysAgo,
    });
    await api.request(undefined, 'GET', `/kb/${slugA}/search?lang=en&q=${encodeURIComponent('zebra invoices')}`);

    const report = await ok(await api.request(wsA.tokens.team_leader, 'GET', '/api/v1/reports/kb?windowDays=7'), 200);
    // Five views by five visitors: the two portal pages read by the earlier test, the two here, the old one.
    expect(report).toMatchObject({ views: 5, visitors: 5, viewsFollowedByTicket: 1, deflectedViews: 1, pendingViews: 3, deflectionRate: 0.5 });
    expect(report.searchesWithoutResults).toBeGreaterThanOrEqual(1);
    expect(report.topQueriesWithoutResults).toContainEqual({ query: 'zebra invoices', count: 1 });
    expect(report.topArticles).toContainEqual({ id: ids.english, title: 'What is a moment of truth?', lang: 'en', views: 2, followedByTicket: 1 });
    expect(report.topArticles).toContainEqual({ id: ids.arabic, title: 'ما هى لحظة الحقيقة؟', lang: 'ar', views: 2, followedByTicket: 0 });
    expect((await api.request(wsA.tokens.agent, 'GET', '/api/v1/reports/kb')).statusCode).toBe(403);
    const reportB = await ok(await api.request(wsB.tokens.owner, 'GET', '/api/v1/reports/kb'), 200);
    expect(reportB.views).toBe(0);
  });

  it('fills the demo knowledge base in three languages, ready to search and browse', async () => {
    const demo = await api.createWorkspace('Demo Help');
    const slug = (await ok(await api.request(demo.tokens.owner, 'GET', '/api/v1/workspace'), 200)).slug;
    const written = await seedKnowledgeBase({ db: api.database.db, workspaceId: demo.id, actor: { type: 'system', id: null, role: 'owner' } }, new Date());
    expect(written).toBeGreaterThanOrEqual(13);
    const greek = await search(demo.tokens.agent, 'θερμοστατης εκτος συνδεσης');
    expect(greek[0]?.title).toBe('Ο θερμοστάτης εμφανίζεται εκτός σύνδεσης μετά από διακοπή ρεύματος');
    const arabic = await search(demo.tokens.agent, 'رمز التحقق');
    expect(arabic[0]?.title).toBe('رمز التحقق لا يصل أبداً');
    const home = await api.request(undefined, 'GET', `/kb/${slug}?lang=ar`);
    expect(home.body).toContain('الفواتير والاشتراكات');
    expect(home.body).not.toContain('Heat pump compatibility');
  });

  // Last: it uses up this address's public-search allowance.
  it('limits public searches per address', async () => {
    let limited: LightMyRequestResponse | undefined;
    for (let i = 0; i < 70 && !limited; i++) {
      const res = await api.request(undefined, 'GET', `/api/v1/kb/public/${slugA}/search?q=${encodeURIComponent('στιγμη')}`);
      if (res.statusCode === 429) limited = res;
      else expect(res.statusCode).toBe(200);
    }
    expect(limited?.json().error.code).toBe('too_many_requests');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
