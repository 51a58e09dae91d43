// Arbitrary answers to a custom survey through a live link, by the HTML form and by JSON: a
// required choice whose values look like numbers ("1", "2", "pro"), a 1–5 scale, free text. An
// answer that fits is stored once, exactly as the customer gave it (text NFC and trimmed); one that
// does not is a 400 (413 past the form's size) that writes nothing.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { comment, storedComment, tableCounter } from './support/fuzz.ts';
import { sendSurveyLink } from './support/surveys.ts';

const FORM_LIMIT = 64 * 1024;
const QUESTIONS = [
  {
    id: 'plan', kind: 'choice', required: true, text: { en: 'Which plan?', el: 'Ποιο πρόγραμμα;', ar: 'أي خطة؟' },
    options: [{ value: '1', text: { en: 'One' } }, { value: '2', text: { en: 'Two' } }, { value: 'pro', text: { en: 'Pro' } }],
  },
  { id: 'ease', kind: 'scale', min: 1, max: 5, text: { en: 'How easy was it?' } },
  { id: 'missing', kind: 'text', text: { en: 'What is missing?', ar: 'ما الذي ينقص؟' } },
];

const answerText = fc.oneof(fc.constantFrom('1', '2', 'pro', ' pro ', '3', '', '42', '007'), comment);
const formAnswer = fc.record(
  {
    q_plan: answerText,
    q_ease: fc.oneof(fc.integer({ min: -1, max: 7 }).map(String), fc.constantFrom('3.5', 'x', '', ' 3')),
    q_missing: answerText.map((t) => t.toWellFormed()),
    q_colour: fc.constant('blue'),
  },
  { requiredKeys: [], noNullPrototype: true },
);
const jsonAnswer = fc.record(
  {
    answers: fc.record(
      {
        plan: fc.oneof({ arbitrary: answerText, weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 3 }), weight: 1 }),
        ease: fc.oneof({ arbitrary: fc.integer({ min: -1, max: 7 }), weight: 4 }, { arbitrary: fc.constantFrom('3', 2.5, null), weight: 1 }),
        missing: fc.oneof({ arbitrary: answerText, weight: 4 }, { arbitrary: fc.integer(), weight: 1 }),
        'Bad Key': fc.constant('x'),
      },
      { requiredKeys: [], noNullPrototype: true },
    ),
    score: fc.integer({ min: 0, max: 5 }),
  },
  { requiredKeys: [], noNullPrototype: true },
);

// Shaped like an answer (which the free text may still spoil), by each way in.
const plan = fc.constantFrom('1', '2', 'pro', ' pro ');
const shapedForm = fc.record({ q_plan: plan, q_ease: fc.integer({ min: 1, max: 5 }).map(String), q_missing: answerText.map((t) => t.toWellFormed()) }, { requiredKeys: ['q_plan'], noNullPrototype: true });
const shapedJson = fc.record({ answers: fc.record({ plan, ease: fc.integer({ min: 1, max: 5 }), missing: answerText }, { requiredKeys: ['plan'], noNullPrototype: true }) }, { noNullPrototype: true });

/** The answers a custom survey stores for what was given, or null when it must be refused. */
function storedAnswers(given: Record<string, unknown>): Record<string, string | number> | null {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(given)) {
    if (!/^[a-z0-9_-]{1,40}$/.test(k) || !['plan', 'ease', 'missing'].includes(k)) return null;
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) return null;
      out[k] = v;
    } else {
      const t = storedComment(v);
      if (t === undefined) return null;
      out[k] = t ?? '';
    }
  }
  if (!['1', '2', 'pro'].includes(out.plan as string)) return null;
  if (out.ease !== undefined && out.ease !== '' && (typeof out.ease !== 'number' || out.ease < 1 || out.ease > 5)) return null;
  if (out.missing !== undefined && typeof out.missing !== 'string') return null;
  return out;
}

/** A form's fields as the page reads them: a scale's digits are a number, everything else text. */
function fromForm(form: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(form).map(([k, v]) => [k.slice(2), k === 'q_ease' && /^\d{1,3}$/.test(v) ? Number(v) : v]));
}

describe.each(availableBackends())('custom survey answers on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let slug: string;
  let surveyId: string;
  let customerId: string;
  let countAll: () => Promise<Record<string, number>>;

  const freshLink = () => sendSurveyLink(api, ws.tokens.owner, ws.id, surveyId, customerId);

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Custom Answers');
    slug = String((await ok(await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace'), 200)).slug);
    surveyId = (await ok(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'Plans', type: 'custom', trigger: 'manual', throttleDays: 0, questions: QUESTIONS }), 201)).id;
    customerId = (await ok(await api.request(ws.tokens.owner, 'POST', '/api/v1/customers', { email: 'omar@example.ae', name: 'عمر', locale: 'ar' }), 201)).id;
    countAll = await tableCounter(api.database.db);
  }, 120_000);
  afterAll(async () => api?.close());

  it('the form answers a choice whose value is "1" and a text answer "42" as the text they are', async () => {
    const res = await api.app.inject({ method: 'POST', url: `/s/${slug}/${await freshLink()}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'q_plan=1&q_ease=4&q_missing=42' });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const row = await api.database.db.selectFrom('survey_responses').select('answers').where('workspace_id', '=', ws.id).orderBy('answered_at', 'desc').executeTakeFirstOrThrow();
    expect(row.answers).toEqual({ plan: '1', ease: 4, missing: '42' });
  });

  it('stores an answer that fits once and exactly, and refuses one that does not, writing nothing', async () => {
    let token = await freshLink();
    const seen = new Set<string>();
    const input = fc.oneof(
      fc.oneof(shapedJson, jsonAnswer).map((body: { answers?: Record<string, unknown>; score?: number }) => ({ how: 'json' as const, body, expected: body.score === undefined ? storedAnswers(body.answers ?? {}) : null })),
      fc.oneof(shapedForm, formAnswer).map((body: Record<string, string>) => ({ how: 'form' as const, body, expected: storedAnswers(fromForm(body)) })),
    );
    await fc.assert(
      fc.asyncProperty(input, async ({ how, body, expected }) => {
        const what = `${how} ${JSON.stringify(body).slice(0, 200)}`;
        seen.add(`${how} ${expected ? 'fits' : 'refused'}`);
        const before = await countAll();
        const form = new URLSearchParams(body as Record<string, string>).toString();
        const res = how === 'json'
          ? await api.app.inject({ method: 'POST', url: `/api/v1/public/surveys/${slug}/${token}`, payload: body })
          : await api.app.inject({ method: 'POST', url: `/s/${slug}/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
        if (!expected) {
          expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(how === 'form' && form.length > FORM_LIMIT ? 413 : 400);
          expect(await countAll(), what).toEqual(before);
          return;
        }
        expect(res.statusCode, `${what}: ${res.body.slice(0, 200)}`).toBe(how === 'json' ? 201 : 200);
        const after = await countAll();
        expect(after.survey_responses, what).toBe((before.survey_responses ?? 0) + 1);
        const row = await api.database.db.selectFrom('survey_responses').select('answers').where('workspace_id', '=', ws.id).orderBy('answered_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
        expect(row.answers, what).toEqual(expected);
        token = await freshLink();
      }),
      { numRuns: kind === 'pglite' ? 60 : 25 },
    );
    expect([...seen].sort()).toEqual(['form fits', 'form refused', 'json fits', 'json refused']);
  }, 600_000);
});
