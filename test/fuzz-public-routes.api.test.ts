// Property-based bad input on every route a stranger can reach, found from the routes the server
// really serves (not the route table: pages and scripts registered with app.get are there too),
// with real path values (the workspace's slug, a live survey token, a published article) so the
// input gets past the first lookup. Whatever comes in: below 500 within seconds, a clear error
// (JSON { error: { code, message } } or a page), and a refused request leaves every table as it was.
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCatalog } from '../src/http/route.ts';
import { ok, startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { address, anyJson, encode, servedRoutes, tableCounter, text } from './support/fuzz.ts';
import type { ServedRoute } from './support/fuzz.ts';
import { surveyTokenFromMail } from './support/surveys.ts';

// A failed sign-in is counted even though it is refused: that count is the lockout.
const MAY_CHANGE_ON_REFUSAL = new Set(['sign_in_throttle']);
/** Not fuzzed here, and why. */
const EXCLUDED: Array<{ match: (r: ServedRoute) => boolean; reason: string }> = [
  { match: (r) => r.method === 'HEAD', reason: 'Fastify answers HEAD with the GET handler, which is fuzzed' },
  { match: (r) => !r.url.includes(':') && !r.url.includes('*') && existsSync(`web/dist${r.url}`), reason: 'a file of the web build served as is by @fastify/static (checked once below)' },
];
const FORM_FIELDS = ['score', 'comment', 'publishComment', 'q_choice', 'q_x', 'lang', 'q', 'unexpected'];

describe.each(availableBackends())('fuzzing every public route on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let slug: string;
  let tokens: string[] = [];
  let articleSlug: string;
  let reviewKey: string;
  let chatKey = '';
  let countAll: () => Promise<Record<string, number>>;


  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Public Fuzz');
    const owner = ws.tokens.owner;
    slug = String((await ok(await api.request(owner, 'GET', '/api/v1/workspace'), 200)).slug);
    articleSlug = String((await ok(await api.request(owner, 'POST', '/api/v1/kb/articles', { title: 'Τι είναι μια στιγμή αλήθειας;', body: '<p>Η στιγμή της αλήθειας.</p>', lang: 'el', status: 'published' }), 201)).slug);
    chatKey = String((await ok(await api.request(owner, 'POST', '/api/v1/chat/widgets', { name: 'Chat' }), 201)).publicKey);
    reviewKey = String((await ok(await api.request(owner, 'POST', '/api/v1/review-widgets', { name: 'Reviews' }), 201)).publicKey);
    const survey = await ok(await api.request(owner, 'POST', '/api/v1/surveys', { name: 'NPS', type: 'nps', trigger: 'manual', throttleDays: 0 }), 201);
    const customer = await ok(await api.request(owner, 'POST', '/api/v1/customers', { email: 'fuzz@example.gr', name: 'Ελένη', locale: 'el' }), 201);
    for (let i = 0; i < 3; i++) await ok(await api.request(owner, 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [customer.id] }), 200);
    const mails = await api.database.db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', ws.id).execute();
    tokens = mails.map((m) => surveyTokenFromMail(m.body_text));
    countAll = await tableCounter(api.database.db, MAY_CHANGE_ON_REFUSAL);
  }, 120_000);
  afterAll(async () => api?.close());

  /** A path value: usually a real one of its kind, else hostile text or bytes. */
  function paramValue(name: string): fc.Arbitrary<string> {
    const real: Record<string, () => string[]> = {
      workspace: () => [slug],
      token: () => tokens,
      lang: () => ['en', 'el', 'ar'],
      slug: () => [articleSlug],
      key: () => [reviewKey],
    };
    const known = real[name]?.() ?? [crypto.randomUUID()];
    return fc.oneof(
      { arbitrary: fc.constantFrom(...known).map(encodeURIComponent), weight: 3 },
      { arbitrary: text.filter((t) => t.length > 0).map(encode), weight: 2 },
      { arbitrary: fc.constantFrom('%FF', '%C3%28', '..', '%2F', 'x'.repeat(300)), weight: 1 },
    );
  }

  function pathFor(url: string): fc.Arbitrary<string> {
    if (url === '/*') return fc.array(paramValue('any'), { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join('/')}`);
    const names = [...url.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
    return fc.tuple(...names.map(paramValue)).map((values) => {
      let i = 0;
      return url.replace(/:\w+/g, () => values[i++] as string);
    });
  }

  const query = fc
    .array(fc.tuple(fc.constantFrom('q', 'lang', 'key', 'limit', 'cursor', 'page', 'unexpected'), fc.oneof(text.map(encode), fc.constantFrom('el', 'ar', '-1', '9'.repeat(40), '%FF', '%'), fc.constant(0).map(() => chatKey))), { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

  const formValue = fc.oneof(text, fc.integer({ min: -20, max: 20 }).map(String), fc.constantFrom('true', '1e3', '05', '10'));
  const body = fc.oneof(
    { arbitrary: anyJson.map((v) => ({ payload: JSON.stringify(v) ?? 'null', type: 'application/json' })), weight: 3 },
    { arbitrary: fc.array(fc.tuple(fc.constantFrom(...FORM_FIELDS), formValue), { maxLength: 5 }).map((pairs) => ({ payload: new URLSearchParams(pairs).toString(), type: 'application/x-www-form-urlencoded' })), weight: 3 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((payload) => ({ payload, type: 'application/x-www-form-urlencoded' })), weight: 1 },
    { arbitrary: fc.record({ payload: fc.string({ maxLength: 60 }), type: fc.constantFrom('text/plain', 'multipart/form-data', 'application/xml') }), weight: 1 },
  );
  const headers = fc.record({
    'accept-language': fc.oneof(fc.constantFrom('el-GR,el;q=0.9', 'ar', '*'), fc.string({ maxLength: 30 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''))),
    cookie: text.map((t) => `td_kb_visitor=${encode(t)}`),
    origin: fc.constantFrom('https://shop.example.com', 'null'),
  }, { requiredKeys: [] });

  function expectClearAnswer(res: LightMyRequestResponse, what: string) {
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode < 400 || res.statusCode === 405) return;
    expect(res.body.length, `${what}: an empty refusal`).toBeGreaterThan(0);
    const type = String(res.headers['content-type']);
    if (type.includes('json')) {
      const error = (res.json() as { error?: { code?: unknown; message?: unknown } }).error;
      expect(typeof error?.code, `${what}: ${res.body.slice(0, 200)}`).toBe('string');
      expect(typeof error?.message, what).toBe('string');
    } else {
      expect(type, `${what}: a refusal neither JSON nor a page`).toMatch(/text\/(html|plain)/);
    }
  }

  it('finds the routes outside the route table, and says which it leaves out', () => {
    const served = servedRoutes(api.app);
    const key = (r: ServedRoute) => `${r.method} ${r.url}`;
    // The parse of Fastify's tree is right: every route of the table is among the routes found.
    const found = new Set(served.map(key));
    expect(routeCatalog.map(key).filter((k) => !found.has(k))).toEqual([]);
    const catalogued = new Set(routeCatalog.map(key));
    const outside = served.filter((r) => !catalogued.has(key(r)) && !EXCLUDED.some((e) => e.match(r))).map(key);
    for (const expected of ['GET /s/:workspace/:token', 'POST /s/:workspace/:token', 'GET /kb/:workspace/search', 'GET /kb/:workspace/:lang/:slug', 'GET /healthz', 'GET /*']) {
      expect(outside).toContain(expected);
    }
  });

  it('answers every public route under 500, with a clear error, and a refusal writes nothing', async () => {
    const catalogued = new Map(routeCatalog.map((r) => [`${r.method} ${r.url}`, r]));
    const routes = servedRoutes(api.app).filter((r) => {
      const spec = catalogued.get(`${r.method} ${r.url}`);
      // Catalogued routes behind a sign-in are fuzzed by fuzz-routes.api.test.ts with a token.
      return (!spec || spec.access === 'public') && !EXCLUDED.some((e) => e.match(r));
    });
    expect(routes.length).toBeGreaterThan(15);
    const refusalsThatWrote: string[] = [];
    for (const route of routes) {
      const hasBody = !['GET', 'DELETE', 'OPTIONS'].includes(route.method);
      const input = fc.record({ path: pathFor(route.url), query, headers, remoteAddress: address, body: hasBody ? body : fc.constant(undefined) });
      await fc.assert(
        fc.asyncProperty(input, async ({ path, query: q, headers: h, remoteAddress, body: b }) => {
          const before = await countAll();
          const started = Date.now();
          const res = await api.app.inject({
            method: route.method as 'GET',
            url: `${path}${q}`,
            remoteAddress,
            headers: { ...h, ...(b ? { 'content-type': b.type } : {}) },
            ...(b ? { payload: b.payload } : {}),
          });
          const what = `${route.method} ${path}${q} ${JSON.stringify(h)} ${b?.payload.slice(0, 80) ?? ''}`;
          expect(Date.now() - started, `${what} took too long`).toBeLessThan(10_000);
          expectClearAnswer(res, what);
          if (res.statusCode >= 400) {
            const after = await countAll();
            const moved = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (moved.length) refusalsThatWrote.push(`${what} → ${res.statusCode}, changed ${moved.join(', ')}`);
          }
        }),
        { numRuns: kind === 'pglite' ? 25 : 10 },
      );
    }
    expect(refusalsThatWrote).toEqual([]);
  }, 600_000);

  it('refuses what once failed with a clear 4xx: NUL in a path, bytes that are not UTF-8, a plain GET to a WebSocket, a forged cookie', async () => {
    const token = tokens[0] as string;
    const cases: Array<[string, number]> = [
      ['/kb/%00', 404], ['/kb/%00/search?q=x', 404], ['/kb/%00/sitemap.xml', 404], [`/kb/${slug}/el/a%00`, 404],
      [`/s/%00/${token}`, 404], [`/api/v1/public/surveys/%00/${token}`, 404], ['/api/v1/kb/public/%00/search?q=x', 404],
      [`/s/${slug}/%FF`, 400], [`/api/v1/public/surveys/${slug}/%C3%28`, 400], [`/kb/${'x'.repeat(300)}/search`, 404],
      // A WebSocket route asked without an upgrade (@fastify/websocket alone answers an empty 404).
      [`/api/v1/widget/ws?key=${chatKey}`, 426], ['/api/v1/realtime', 426],
    ];
    for (const [url, status] of cases) {
      const res = await api.app.inject({ method: 'GET', url });
      expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(status);
      expectClearAnswer(res, url);
    }
    // The portal's visitor cookie is the client's to write: one that is not ours is not stored.
    const res = await api.app.inject({ method: 'GET', url: `/kb/${slug}/search?q=${encodeURIComponent('στιγμή')}`, headers: { cookie: 'td_kb_visitor=%00' } });
    expect(res.statusCode, res.body.slice(0, 200)).toBe(200);
    const logged = await api.database.db.selectFrom('kb_searches').select('anonymous_id').where('workspace_id', '=', ws.id).orderBy('occurred_at', 'desc').executeTakeFirstOrThrow();
    expect(logged.anonymous_id).toBeNull();
  });

  it('serves the files of the web build whatever the query', async () => {
    const files = servedRoutes(api.app).filter((r) => r.method === 'GET' && EXCLUDED[1]?.match(r));
    for (const file of files) {
      const res = await api.app.inject({ method: 'GET', url: `${file.url}?${encode('\ud800<x>')}=%FF` });
      // index.html is never served as is: the app's pages are rendered per request with their language.
      expect(res.statusCode, file.url).toBe(file.url === '/index.html' ? 404 : 200);
    }
  });
});
