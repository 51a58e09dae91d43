// Property-based bad input on every route of the route table (a route added later is covered
// without touching this file): random JSON near the route's own fields, wrong types, raw bytes,
// hostile query strings. Whatever comes in, the answer is below 500 within seconds, an error is
// { error: { code, message } }, and a refused request leaves every table as it was.
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeCatalog } from '../src/http/route.ts';
import type { RouteSpec } from '../src/http/route.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { anyJson, encode, tableCounter, text } from './support/fuzz.ts';

// Tables a refused request may legitimately touch: failed sign-ins are counted (that is the
// lockout), searches are logged for the knowledge-base report, jobs and their queues belong to pg-boss.
const MAY_CHANGE_ON_REFUSAL = new Set(['sign_in_throttle', 'kb_searches']);

/** The top-level field names of a route's zod body or query schema, when it has them. */
function fieldsOf(schema: z.ZodType | undefined): string[] {
  let s: unknown = schema;
  for (let i = 0; i < 5 && s; i++) {
    if (s instanceof z.ZodObject) return Object.keys(s.shape);
    const def = (s as { def?: { in?: unknown; innerType?: unknown; schema?: unknown } }).def;
    s = def?.in ?? def?.innerType ?? def?.schema;
  }
  return [];
}

function bodyFor(spec: RouteSpec): fc.Arbitrary<{ payload: string; type: string }> {
  const keys = fieldsOf(spec.body);
  const near = keys.length ? fc.dictionary(fc.constantFrom(...keys, 'unexpected'), anyJson, { maxKeys: keys.length + 1 }) : anyJson;
  const json = (v: fc.Arbitrary<unknown>) => v.map((x) => ({ payload: JSON.stringify(x) ?? 'null', type: 'application/json' }));
  return fc.oneof(
    { arbitrary: json(near), weight: 6 },
    { arbitrary: json(anyJson), weight: 2 },
    { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }).map((payload) => ({ payload, type: 'application/json' })), weight: 1 },
    { arbitrary: fc.string({ maxLength: 60 }).map((payload) => ({ payload, type: 'text/plain' })), weight: 1 },
  );
}

function queryFor(spec: RouteSpec): fc.Arbitrary<string> {
  const keys = [...fieldsOf(spec.query), 'q', 'limit', 'cursor', 'from', 'to', 'lang'];
  const value = fc.oneof(
    text.map(encode),
    fc.integer().map(String),
    fc.constantFrom('-1', '1e309', '9'.repeat(40), 'NaN'),
    // Already-encoded bytes that are not UTF-8 at all.
    fc.constantFrom('%FF', '%C3%28', '%E0%80%AF', '%'),
  );
  return fc
    .array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 4 })
    .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encode(k)}=${v}`).join('&')}` : ''));
}

describe.each(availableBackends())('fuzzing every route on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let writeKey: string;
  let countAll: () => Promise<Record<string, number>>;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Fuzzed');
    writeKey = (await api.database.db.selectFrom('workspaces').select('write_key').where('id', '=', ws.id).executeTakeFirstOrThrow()).write_key;
    countAll = await tableCounter(api.database.db, MAY_CHANGE_ON_REFUSAL);
  }, 120_000);
  afterAll(async () => api?.close());

  function authFor(spec: RouteSpec): Record<string, string> {
    // Ingestion takes the write key (Segment's Basic auth); everything else the owner's token.
    if (/^\/api\/v1\/(track|identify|batch|page|screen|group|alias)$/.test(spec.url)) {
      return { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
    }
    return spec.access === 'public' ? {} : { authorization: `Bearer ${ws.tokens.owner}` };
  }

  function expectClearError(res: LightMyRequestResponse, what: string) {
    expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400 && String(res.headers['content-type']).includes('json')) {
      const body = res.json() as { error?: { code?: unknown; message?: unknown } };
      expect(typeof body.error?.code, `${what}: ${res.body.slice(0, 200)}`).toBe('string');
      expect(typeof body.error?.message, what).toBe('string');
    }
  }

  it('answers every route under 500, with a clear error, and a refusal writes nothing', async () => {
    const routes = routeCatalog.filter((r) => !r.url.endsWith('/ws') && !r.url.endsWith('/realtime'));
    expect(routes.length).toBeGreaterThan(80);
    const refusalsThatWrote: string[] = [];
    for (const spec of routes) {
      const path = spec.url.replace(/:\w+/g, () => crypto.randomUUID());
      const input = spec.method === 'GET' || spec.method === 'DELETE' ? queryFor(spec).map((q) => ({ query: q, body: undefined })) : fc.record({ query: queryFor(spec), body: bodyFor(spec) });
      await fc.assert(
        fc.asyncProperty(input, async ({ query, body }) => {
          const before = await countAll();
          const started = Date.now();
          const res = await api.app.inject({
            method: spec.method,
            url: `${path}${query}`,
            headers: { ...authFor(spec), ...(body ? { 'content-type': body.type } : {}) },
            ...(body ? { payload: body.payload } : {}),
          });
          const what = `${spec.method} ${spec.url}${query} ${body?.payload.slice(0, 80) ?? ''}`;
          expect(Date.now() - started, `${what} took too long`).toBeLessThan(10_000);
          expectClearError(res, what);
          if (res.statusCode >= 400) {
            const after = await countAll();
            const moved = Object.keys(after).filter((t) => after[t] !== before[t]);
            if (moved.length) refusalsThatWrote.push(`${what} → ${res.statusCode}, changed ${moved.join(', ')}`);
          }
        }),
        { numRuns: kind === 'pglite' ? 12 : 6 },
      );
    }
    expect(refusalsThatWrote).toEqual([]);
  }, 600_000);
});
