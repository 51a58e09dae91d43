// Arbitrary answers through a live survey link, on the HTML form and the JSON route: scores out
// of range or of the wrong type, comments huge, in Greek and Arabic, with NUL, lone surrogates or
// markup. An answer that fits is stored once, exactly (NFC, trimmed), and a second answer is a 409
// that writes nothing; one that does not fit is a 400 (413 past the form's size) that writes
// nothing and keeps the link usable; markup is never echoed into a page. The links' rate limit
// ends in a 429 with Retry-After.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_RATE_LIMIT } from '../src/surveys/routes.ts';
import { ok, startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { comment, storedComment, tableCounter } from './support/fuzz.ts';
import { sendSurveyLink } from './support/surveys.ts';

const FORM_LIMIT = 64 * 1024;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

const anyJsonAnswer = fc.record(
  {
    score: fc.oneof(
      { arbitrary: fc.integer({ min: 0, max: 10 }), weight: 4 },
      { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constantFrom(1e21, 2 ** 53, '7', true, null, [5], { v: 5 })), weight: 2 },
    ),
    comment: fc.oneof({ arbitrary: comment, weight: 5 }, { arbitrary: fc.oneof(fc.integer(), fc.constant(null), fc.constant(['x'])), weight: 1 }),
    publishComment: fc.oneof(fc.boolean(), fc.constantFrom('true', 1, null)),
    answers: fc.constantFrom({}, { a: 'x' }, { 'BAD KEY': 1 }),
    unexpected: fc.constant(1),
  },
  { requiredKeys: [], noNullPrototype: true },
);
// Half of them shaped like an answer (which the comment may still spoil), half anything.
const jsonAnswer = fc.oneof(
  fc.record({ score: fc.integer({ min: 0, max: 10 }), comment, publishComment: fc.boolean() }, { requiredKeys: ['score'], noNullPrototype: true }),
  anyJsonAnswer,
);
const formAnswer = fc.record(
  {
    score: fc.oneof(fc.integer({ min: -3, max: 13 }).map(String), fc.constantFrom('05', '-0', ' 7', '7.0', '1e1', '', 'ten')),
    comment: comment.map((c) => c.toWellFormed()),
    publishComment: fc.constantFrom('true', 'false', 'on'),
  },
  { requiredKeys: [], noNullPrototype: true },
);

interface Stored {
  score: number;
  comment: string | null;
  commentPublic: boolean;
}

/** What an NPS answer sent as JSON stores, or null when it must be refused. */
function expectedFromJson(answer: Record<string, unknown>): Stored | null {
  const { score, publishComment, answers } = JSON.parse(JSON.stringify(answer)) as Record<string, unknown>;
  if (Object.keys(answer).some((k) => !['score', 'comment', 'publishComment', 'answers'].includes(k))) return null;
  if (typeof score !== 'number' || !Number.isInteger(score) || score < 0 || score > 10) return null;
  const c = storedComment(answer.comment);
  if (c === undefined || (publishComment !== undefined && typeof publishComment !== 'boolean')) return null;
  if (answers !== undefined && Object.keys(answers as object).length > 0) return null;
  return { score, comment: c, commentPublic: Boolean(c && publishComment === true) };
}

/** The same for the HTML form, whose fields are all text. */
function expectedFromForm(answer: { score?: string; comment?: string; publishComment?: string }): Stored | null {
  if (answer.score === undefined || !/^-?\d{1,3}$/.test(answer.score)) return null;
  const score = Number(answer.score) + 0;
  const c = storedComment(answer.comment);
  if (score < 0 || score > 10 || c === undefined) return null;
  return { score, comment: c, commentPublic: Boolean(c && answer.publishComment === 'true') };
}

describe.each(availableBackends())('survey answers on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let slug: string;
  let surveyId: string;
  let customerId: string;
  let countAll: () => Promise<Record<string, number>>;

  const freshLink = () => sendSurveyLink(api, ws.tokens.owner, ws.id, surveyId, customerId);
  const latestAnswer = () =>
    api.database.db.selectFrom('survey_responses').select(['score', 'comment', 'comment_public as commentPublic'])
      .where('workspace_id', '=', ws.id).orderBy('answered_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
  const send = (token: string, how: 'json' | 'form', answer: Record<string, unknown>) =>
    how === 'json'
      ? api.app.inject({ method: 'POST', url: `/api/v1/public/surveys/${slug}/${token}`, payload: answer })
      : api.app.inject({ method: 'POST', url: `/s/${slug}/${token}`, headers: FORM, payload: new URLSearchParams(answer as Record<string, string>).toString() });

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Survey Answers');
    slug = String((await ok(await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace'), 200)).slug);
    surveyId = (await ok(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'NPS', type: 'nps', trigger: 'manual', throttleDays: 0 }), 201)).id;
    customerId = (await ok(await api.request(ws.tokens.owner, 'POST', '/api/v1/customers', { email: 'nadia@example.ae', name: 'نادية', locale: 'ar' }), 201)).id;
    countAll = await tableCounter(api.database.db);
  }, 120_000);
  afterAll(async () => api?.close());

  it('stores an answer that fits once and exactly, and refuses one that does not, writing nothing', async () => {
    let token = await freshLink();
    const seen = new Set<string>();
    const input = fc.oneof(
      jsonAnswer.map((answer) => ({ how: 'json' as const, answer, expected: expectedFromJson(answer) })),
      formAnswer.map((answer) => ({ how: 'form' as const, answer, expected: expectedFromForm(answer) })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ({ how, answer, expected }) => {
        const what = `${how} ${JSON.stringify(answer).slice(0, 200)}`;
        seen.add(`${how} ${expected ? 'fits' : 'refused'}`);
        const before = await countAll();
        const res = await send(token, how, answer);
        // Markup in a comment never comes back into a page (nor into the JSON answer).
        const markup = typeof answer.comment === 'string' ? /<(?:script|img|b)[ >][^<]*/.exec(answer.comment)?.[0] : undefined;
        if (markup) expect(res.body, what).not.toContain(markup);
        if (!expected) {
          const tooBig = how === 'form' && new URLSearchParams(answer as Record<string, string>).toString().length > FORM_LIMIT;
          expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(tooBig ? 413 : 400);
          if (how === 'form' && !tooBig) expect(res.body, what).toContain('role="alert"');
          expect(await countAll(), what).toEqual(before);
          return;
        }
        expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(how === 'json' ? 201 : 200);
        const after = await countAll();
        expect(after.survey_responses, what).toBe((before.survey_responses ?? 0) + 1);
        expect(after.touchpoints, what).toBe((before.touchpoints ?? 0) + 1);
        expect(await latestAnswer(), what).toEqual(expected);
        // A second answer on the same link, by either way in: 409, nothing written.
        const again = await send(token, how === 'json' ? 'form' : 'json', how === 'json' ? { score: '3' } : { score: 3 });
        expect(again.statusCode, what).toBe(409);
        expect(await countAll(), what).toEqual(after);
        token = await freshLink();
      }),
      { numRuns: kind === 'pglite' ? 80 : 30 },
    );
    expect([...seen].sort()).toEqual(['form fits', 'form refused', 'json fits', 'json refused']);
  }, 600_000);

  it('limits how fast one address tries links: a 429 with Retry-After, and other addresses go on', async () => {
    const token = await freshLink();
    const before = await countAll();
    const ways = [
      { method: 'GET' as const, url: `/s/${slug}/${token}`, ok: 200 },
      { method: 'GET' as const, url: `/api/v1/public/surveys/${slug}/${token}`, ok: 200 },
      { method: 'POST' as const, url: `/s/${slug}/${token}`, headers: FORM, payload: 'score=11', ok: 400 },
      { method: 'POST' as const, url: `/api/v1/public/surveys/${slug}/${token}`, payload: { score: 'x' }, ok: 400 },
    ];
    for (const [i, way] of ways.entries()) {
      const from = (remoteAddress: string) => api.app.inject({ ...way, remoteAddress });
      for (let n = 0; n < PUBLIC_RATE_LIMIT.max; n++) expect((await from(`192.0.2.${i}`)).statusCode, way.url).toBe(way.ok);
      const limited = await from(`192.0.2.${i}`);
      expect(limited.statusCode, way.url).toBe(429);
      expect(Number(limited.headers['retry-after']), way.url).toBeGreaterThan(0);
      expect(Number(limited.headers['retry-after']), way.url).toBeLessThanOrEqual(PUBLIC_RATE_LIMIT.timeWindowMs / 1000);
      expect(limited.json()).toMatchObject({ error: { code: 'too_many_requests' } });
      expect((await from(`198.51.100.${i}`)).statusCode, way.url).toBe(way.ok);
    }
    expect(await countAll()).toEqual(before);
    // The link itself was never used up.
    expect((await send(token, 'json', { score: 9 })).statusCode).toBe(201);
  }, 300_000);
});
