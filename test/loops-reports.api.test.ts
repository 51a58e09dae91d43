// The reports that close the loops, on both databases: UMOT → ZMOT attribution (hand-computed,
// and held to the domain's reference on random journeys), the FMOT window per product and
// store, stage health per week with its parts, and the drop alert (in-app and webhook).
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankReviews } from '../src/domain/attribution.ts';
import type { Conversion, ReviewView } from '../src/domain/attribution.ts';
import { JobRuntime } from '../src/jobs/index.ts';
import '../src/jobs/workers.ts';
import { periodStart } from '../src/journeys/reports.ts';
import { verifySignature } from '../src/domain/webhooks.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const silent = pino({ level: 'silent' });

describe.each(availableBackends())('loop reports on %s', (kind) => {
  let api: TestApi;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  let basic: Record<string, string>;
  beforeAll(async () => {
    api = await startTestApi(kind);
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
    basic = await basicFor(aurora);
  });
  afterAll(async () => api?.close());

  async function basicFor(ws: TestWorkspace) {
    const writeKey = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    return { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
  }
  async function batch(messages: Record<string, unknown>[], headers = basic) {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/batch', headers, payload: { batch: messages.map((m) => ({ type: 'track', ...m })) } });
    expect(res.statusCode, res.body).toBe(200);
    for (const r of res.json().results) expect(r.status, JSON.stringify(r)).not.toBe('invalid');
  }
  const review = async (ws: TestWorkspace, text: string, rating: number) =>
    (await api.request(ws.tokens.agent, 'POST', '/api/v1/reviews', { text, rating, publishedAt: '2026-08-01T00:00:00Z' })).json().id as string;
  const viewed = (anonymousId: string, reviewId: string, at: string) => ({ event: 'Review Viewed', anonymousId, timestamp: at, properties: { reviewId, stage: 'zmot' } });

  describe('attribution', () => {
    const r = { R1: '', R2: '', R3: '' };
    beforeAll(async () => {
      r.R1 = await review(aurora, 'Εξαιρετικός θερμοστάτης, στήθηκε σε δέκα λεπτά.', 5);
      r.R2 = await review(aurora, 'التوصيل تأخر أسبوعين ولم يرد أحد على رسائلي.', 1);
      r.R3 = await review(aurora, 'Great app, support answered within minutes.', 5);
      // V reads R1 twice, the negative R2 and R3, signs up, then buys. W reads only R2. Y read R1
      // long before buying. Z starts a trial without reading anything. X reads R3 late in the
      // period and buys after it.
      await batch([
        viewed('v-anon', r.R1, '2026-09-01T10:00:00Z'),
        viewed('v-anon', r.R1, '2026-09-02T10:00:00Z'),
        viewed('v-anon', r.R2, '2026-09-03T10:00:00Z'),
        viewed('v-anon', r.R3, '2026-09-06T10:00:00Z'),
        viewed('w-anon', r.R2, '2026-09-02T12:00:00Z'),
        viewed('y-anon', r.R1, '2026-07-20T10:00:00Z'),
        viewed('x-anon', r.R3, '2026-09-25T10:00:00Z'),
      ]);
      for (const [userId, anonymousId] of [['user-v', 'v-anon'], ['user-y', 'y-anon'], ['user-x', 'x-anon']]) {
        await api.app.inject({ method: 'POST', url: '/api/v1/identify', headers: basic, payload: { userId, anonymousId, timestamp: '2026-09-08T00:00:00Z' } });
      }
      await batch([
        { event: 'Order Completed', userId: 'user-v', timestamp: '2026-09-11T10:00:00Z', properties: { total: 129 } },
        { event: 'Order Completed', userId: 'user-y', timestamp: '2026-09-11T11:00:00Z' },
        { event: 'Trial Started', anonymousId: 'z-anon', timestamp: '2026-09-13T10:00:00Z' },
        { event: 'Order Completed', userId: 'user-x', timestamp: '2026-10-10T10:00:00Z' },
      ]);
    });

    const report = async (model: string, token = aurora.tokens.team_leader) => {
      const res = await api.request(token, 'GET', `/api/v1/reports/attribution?from=2026-09-01&to=2026-10-01&model=${model}&lookbackDays=30`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };

    it('credits each model as computed by hand, with reach and lost prospects', async () => {
      const linear = await report('linear');
      expect(linear.totals).toEqual({ views: 6, prospectsReached: 3, conversions: 3, attributedConversions: 1 });
      const lines = linear.reviews.map((l: { review: { id: string } }) => l);
      expect(lines.map((l: { review: { id: string } }) => l.review.id)).toEqual([r.R2, r.R3, r.R1]);
      const by = (id: string) => lines.find((l: { review: { id: string } }) => l.review.id === id);
      expect(by(r.R1)).toMatchObject({ views: 2, prospectsReached: 1, conversionsInfluenced: 1, attributed: { first_touch: 1, last_touch: 0, linear: 0.3333 }, lostProspects: 0, followUp: 'thank_you' });
      expect(by(r.R2)).toMatchObject({ views: 2, prospectsReached: 2, conversionsInfluenced: 1, attributed: { first_touch: 0, last_touch: 0, linear: 0.3333 }, lostProspects: 1, followUp: 'recovery' });
      expect(by(r.R3)).toMatchObject({ views: 2, prospectsReached: 2, conversionsInfluenced: 1, attributed: { first_touch: 0, last_touch: 1, linear: 0.3333 }, lostProspects: 0, followUp: 'thank_you' });
      expect(by(r.R2).review).toMatchObject({ valence: 'negative', lang: 'ar', rating: 1 });
      expect(linear.negativeBeforeLost.map((l: { review: { id: string } }) => l.review.id)).toEqual([r.R2]);
      expect(linear.negativeBeforeLost[0].followUpTicketId).toBeNull();
      // The team opens the recovery task for the reviewer behind it; the report links it.
      const task = (await api.request(aurora.tokens.agent, 'POST', `/api/v1/reviews/${r.R2}/follow-up`)).json();
      expect(task).toMatchObject({ kind: 'recovery', created: true });
      expect((await report('linear')).negativeBeforeLost[0].followUpTicketId).toBe(task.ticketId);

      expect((await report('first_touch')).reviews.map((l: { review: { id: string }; credit: number }) => [l.review.id, l.credit])).toEqual([
        [r.R1, 1],
        [r.R2, 0],
        [r.R3, 0],
      ]);
      expect((await report('last_touch')).reviews[0]).toMatchObject({ review: { id: r.R3 }, credit: 1 });
    });

    it('is a report for team leaders of the workspace only, and refuses bad parameters', async () => {
      expect((await api.request(aurora.tokens.agent, 'GET', '/api/v1/reports/attribution')).statusCode).toBe(403);
      expect((await report('linear', borealis.tokens.team_leader)).reviews).toEqual([]);
      for (const q of ['model=u_shaped', 'lookbackDays=0', 'lookbackDays=400', 'from=2026-10-01&to=2026-09-01', 'from=yesterday', 'limit=0', 'extra=1']) {
        const res = await api.request(aurora.tokens.owner, 'GET', `/api/v1/reports/attribution?${q}`);
        expect(res.statusCode, q).toBe(400);
      }
    });
  });

  it('matches the domain reference on random journeys (SQL = rankReviews)', async () => {
    const to = Date.UTC(2026, 5, 1);
    const from = to - 60 * DAY;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 5 }), r: fc.integer({ min: 0, max: 3 }), t: fc.integer({ min: -20 * DAY, max: 70 * DAY }) }), { minLength: 1, maxLength: 25 }),
        fc.array(fc.record({ p: fc.integer({ min: 0, max: 6 }), t: fc.integer({ min: 0, max: 75 * DAY }) }), { maxLength: 8 }),
        fc.constantFrom('first_touch', 'last_touch', 'linear'),
        async (rawViews, rawConversions, model) => {
          const ws = await api.createWorkspace(`Random ${++run}`);
          const headers = await basicFor(ws);
          const reviews: string[] = [];
          for (let i = 0; i < 4; i++) reviews.push(await review(ws, `Κριτική ${i}`, 1 + i));
          const views: ReviewView[] = rawViews.map((v) => ({ person: `p${v.p}`, reviewId: reviews[v.r] as string, viewedAt: new Date(from + v.t) }));
          const conversions: Conversion[] = rawConversions.map((c, i) => ({ id: `c${i}`, person: `p${c.p}`, convertedAt: new Date(from + c.t) }));
          await batch(
            [
              ...views.map((v) => viewed(v.person, v.reviewId, v.viewedAt.toISOString())),
              ...conversions.map((c) => ({ event: 'Order Completed', anonymousId: c.person, timestamp: c.convertedAt.toISOString() })),
            ],
            headers,
          );
          const res = await api.request(ws.tokens.owner, 'GET', `/api/v1/reports/attribution?from=${iso(from)}&to=${iso(to)}&model=${model}&lookbackDays=14&limit=500`);
          expect(res.statusCode, res.body).toBe(200);
          // The report: views and reach in the period; credit for conversions in the period.
          const inPeriod = (d: Date) => d.getTime() >= from && d.getTime() < to;
          const reference = rankReviews(conversions.filter((c) => inPeriod(c.convertedAt)), views.filter((v) => v.viewedAt.getTime() >= from - 14 * DAY && v.viewedAt.getTime() < to), {
            model,
            lookbackDays: 14,
            at: new Date(),
          });
          const reach = rankReviews(conversions, views.filter((v) => inPeriod(v.viewedAt)), { model, lookbackDays: 14, at: new Date() });
          const expected = reference
            .map((x) => ({ id: x.reviewId, credit: Math.round(x.attributedConversions * 10_000) / 10_000, influenced: x.conversionsInfluenced }))
            .filter((x) => x.influenced > 0 || reach.some((y) => y.reviewId === x.id));
          const got = res.json().reviews.map((l: { review: { id: string }; credit: number; conversionsInfluenced: number }) => ({ id: l.review.id, credit: l.credit, influenced: l.conversionsInfluenced }));
          expect(new Map(got.map((g: { id: string }) => [g.id, g]))).toEqual(new Map(expected.map((e) => [e.id, e])));
          for (const y of reach) {
            const line = res.json().reviews.find((l: { review: { id: string } }) => l.review.id === y.reviewId);
            expect(line).toMatchObject({ views: y.views, prospectsReached: y.prospectsReached, lostProspects: y.lostProspects });
          }
        },
      ),
      { numRuns: kind === 'pglite' ? 6 : 10 },
    );
  });

  it('measures the FMOT window per product and store, by hand', async () => {
    const ws = await api.createWorkspace('FMOT shop');
    const headers = await basicFor(ws);
    const t0 = Date.UTC(2026, 9, 5, 10, 0, 0);
    const at = (ms: number) => iso(t0 + ms);
    const S = 1000;
    const MIN = 60 * S;
    await batch(
      [
        { event: 'Product Viewed', anonymousId: 'A', messageId: 'a1', timestamp: at(0), properties: { dwellMs: 3000, product: 'Θερμοστάτης Aurora', store: 'Αθήνα' } },
        { event: 'Product Viewed', anonymousId: 'B', messageId: 'b1', timestamp: at(0), properties: { product: 'Θερμοστάτης Aurora' } },
        { event: 'Page Left', anonymousId: 'B', timestamp: at(45 * S), properties: { visitId: 'b1' } },
        { event: 'Order Completed', anonymousId: 'B', timestamp: at(2 * MIN) },
        { event: 'App Opened', anonymousId: 'C', messageId: 'c1', timestamp: at(0), properties: { product: 'Εφαρμογή' } },
        { event: 'Page Left', anonymousId: 'C', timestamp: at(7 * S) },
        { event: 'App Opened', anonymousId: 'C', messageId: 'c2', timestamp: at(60 * MIN), properties: { dwellMs: 20_000, product: 'Εφαρμογή' } },
        { event: 'Order Completed', anonymousId: 'C', timestamp: at(100 * MIN) },
        { event: 'Demo Started', anonymousId: 'D', messageId: 'd1', timestamp: at(0), properties: { product: 'Θερμοστάτης Aurora' } },
        { event: 'Order Completed', anonymousId: 'D', timestamp: at(10 * MIN) },
      ],
      headers,
    );
    const res = await api.request(ws.tokens.owner, 'GET', '/api/v1/reports/fmot?from=2026-10-01&to=2026-11-01&groupBy=product&interval=week');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.total).toMatchObject({ visits: 5, measured: 4, bounced: 2, engaged: 2, converted: 2, bounceRate: 0.5, engagementRate: 0.5, conversionRate: 0.4, meanDwellMs: 18_750 });
    expect(body.groups).toEqual([
      {
        key: 'Θερμοστάτης Aurora',
        visits: 3, measured: 2, bounced: 1, engaged: 1, converted: 2, dwellSumMs: 48_000, bounceRate: 0.5, engagementRate: 0.5, conversionRate: 0.6667, meanDwellMs: 24_000,
        trend: [{ period: '2026-10-05', visits: 3, measured: 2, bounced: 1, engaged: 1, converted: 2, dwellSumMs: 48_000, bounceRate: 0.5, engagementRate: 0.5, conversionRate: 0.6667, meanDwellMs: 24_000 }],
      },
      {
        key: 'Εφαρμογή',
        visits: 2, measured: 2, bounced: 1, engaged: 1, converted: 0, dwellSumMs: 27_000, bounceRate: 0.5, engagementRate: 0.5, conversionRate: 0, meanDwellMs: 13_500,
        trend: [{ period: '2026-10-05', visits: 2, measured: 2, bounced: 1, engaged: 1, converted: 0, dwellSumMs: 27_000, bounceRate: 0.5, engagementRate: 0.5, conversionRate: 0, meanDwellMs: 13_500 }],
      },
    ]);
    const stores = (await api.request(ws.tokens.owner, 'GET', '/api/v1/reports/fmot?from=2026-10-01&to=2026-11-01&groupBy=store')).json().groups;
    expect(stores.map((g: { key: string | null; visits: number; bounced: number }) => [g.key, g.visits, g.bounced])).toEqual([
      [null, 4, 1],
      ['Αθήνα', 1, 1],
    ]);
    expect((await api.request(ws.tokens.owner, 'GET', '/api/v1/reports/fmot?groupBy=colour')).statusCode).toBe(400);
    expect((await api.request(aurora.tokens.owner, 'GET', '/api/v1/reports/fmot?from=2026-10-01&to=2026-11-01')).json().total.visits).toBe(0);
  });

  describe('stage health and its alert', () => {
    let hook: Server;
    let hookUrl: string;
    const received: { body: unknown; raw: string; signature: string | undefined }[] = [];
    let ws: TestWorkspace;
    let jobs: JobRuntime;
    const lastWeek = periodStart(new Date(), 'week').getTime() - 7 * DAY;
    const weekBefore = lastWeek - 7 * DAY;
    beforeAll(async () => {
      hook = createServer((req, res) => {
        let data = '';
        req.on('data', (c) => (data += c));
        req.on('end', () => {
          const signature = req.headers['x-truthdesk-signature'];
          received.push({ body: JSON.parse(data), raw: data, signature: typeof signature === 'string' ? signature : undefined });
          res.statusCode = received.length === 1 ? 503 : 204; // the first delivery fails: retried
          res.end();
        });
      });
      await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
      const address = hook.address();
      hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks/health`;
      ws = await api.createWorkspace('Health shop');
      jobs = new JobRuntime({ database: api.database, logger: silent });
      await jobs.start();
      const headers = await basicFor(ws);
      const zmot = (person: string, valence: string, t: number) => ({ event: 'Comparison Viewed', anonymousId: person, timestamp: iso(t), properties: { stage: 'zmot', valence } });
      const fmot = (person: string, t: number) => ({ event: 'Demo Started', anonymousId: person, timestamp: iso(t), properties: { stage: 'fmot', valence: 'positive' } });
      // The week before: 4 people at the zero moment, none negative, 2 go on to the first moment.
      // Last week: 4 people, 2 negative, 1 goes on.
      await batch(
        [
          ...['p1', 'p2', 'p3', 'p4'].map((p, i) => zmot(p, 'positive', weekBefore + DAY + i * 3_600_000)),
          fmot('p1', weekBefore + 2 * DAY),
          fmot('p2', weekBefore + 2 * DAY),
          zmot('q1', 'negative', lastWeek + DAY),
          zmot('q2', 'negative', lastWeek + DAY),
          zmot('q3', 'neutral', lastWeek + DAY),
          zmot('q4', 'neutral', lastWeek + DAY),
          fmot('q3', lastWeek + 2 * DAY),
        ],
        headers,
      );
    });
    afterAll(async () => {
      await jobs?.stop();
      await new Promise((resolve) => hook?.close(resolve));
    });

    it('scores each stage per week beside its parts', async () => {
      const res = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/stage-health?from=${iso(weekBefore)}&to=${iso(lastWeek + 7 * DAY)}&interval=week`);
      expect(res.statusCode, res.body).toBe(200);
      const [before, last] = res.json().periods;
      const z = (p: { stages: { stage: string }[] }) => p.stages.find((s) => s.stage === 'zmot');
      // conversion 2/4 → 50, negative share 0 → 100: (0.2·50 + 0.2·100) / 0.4 = 75
      expect(z(before)).toMatchObject({
        score: 75,
        parts: [
          { part: 'conversion', value: 0.5, normalised: 50, weight: 0.5 },
          { part: 'negativeShare', value: 0, normalised: 100, weight: 0.5 },
        ],
        missing: ['nps', 'csat', 'ces', 'sentiment'],
        samples: { surveyAnswers: 0, texts: 0, touchpoints: 4 },
      });
      // conversion 1/4 → 25, negative share 2/4 → 50: 37.5
      expect(z(last)).toMatchObject({ score: 37.5 });
      expect(last.stages.find((s: { stage: string }) => s.stage === 'lzmot')).toMatchObject({ score: null, parts: [] });
      expect(res.json().weights).toEqual({ nps: 0.15, csat: 0.15, ces: 0.1, sentiment: 0.2, conversion: 0.2, negativeShare: 0.2 });
    });

    it('raises one alert for a drop past the threshold, in-app and by webhook (retried)', async () => {
      const before = await api.request(ws.tokens.admin, 'GET', '/api/v1/stage-health/settings');
      expect(before.json()).toEqual({ dropPoints: 10, period: 'week', webhookUrl: null, active: false });
      for (const bad of [{ dropPoints: 0, period: 'week', webhookUrl: null, active: true }, { dropPoints: 10, period: 'day', webhookUrl: null, active: true }, { dropPoints: 10, period: 'week', webhookUrl: 'ftp://x', active: true }, { dropPoints: 10 }]) {
        expect((await api.request(ws.tokens.admin, 'PUT', '/api/v1/stage-health/settings', bad)).statusCode, JSON.stringify(bad)).toBe(400);
      }
      expect((await api.request(ws.tokens.team_leader, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 10, period: 'week', webhookUrl: null, active: true })).statusCode).toBe(403);
      // Webhooks may not reach loopback, private or link-local addresses unless the workspace allows it.
      for (const inward of [hookUrl, 'http://localhost:9/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:9/', 'http://10.0.0.7/hook', 'http://[::ffff:127.0.0.1]/']) {
        const refused = await api.request(ws.tokens.admin, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 40, period: 'week', webhookUrl: inward, active: true });
        expect(refused.statusCode, inward).toBe(422);
      }
      expect((await api.request(ws.tokens.admin, 'GET', '/api/v1/stage-health/settings')).json()).toEqual(before.json());
      expect((await api.request(ws.tokens.team_leader, 'PATCH', '/api/v1/workspace', { allowPrivateWebhookTargets: true })).statusCode).toBe(403);
      expect((await api.request(ws.tokens.admin, 'PATCH', '/api/v1/workspace', { allowPrivateWebhookTargets: 'yes' })).statusCode).toBe(400);
      expect((await api.request(ws.tokens.admin, 'GET', '/api/v1/workspace')).json().allowPrivateWebhookTargets).toBe(false);
      const allowed = await api.request(ws.tokens.admin, 'PATCH', '/api/v1/workspace', { allowPrivateWebhookTargets: true });
      expect(allowed.json().allowPrivateWebhookTargets).toBe(true);
      expect((await api.request(ws.tokens.agent, 'GET', '/api/v1/workspace')).json().allowPrivateWebhookTargets).toBeUndefined();
      // Another workspace's setting allows nothing here, and this one's nothing there.
      expect((await api.request(borealis.tokens.admin, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 40, period: 'week', webhookUrl: hookUrl, active: false })).statusCode).toBe(422);
      // A threshold above the drop (37.5 points) raises nothing. The webhook's signing secret is answered once.
      const first = await api.request(ws.tokens.admin, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 40, period: 'week', webhookUrl: hookUrl, active: true });
      expect(first.statusCode, first.body).toBe(200);
      const secret = first.json().webhookSecret as string;
      expect(secret).toMatch(/^whsec_[\w-]{32}$/);
      expect((await api.request(ws.tokens.admin, 'GET', '/api/v1/stage-health/settings')).json()).toEqual({ dropPoints: 40, period: 'week', webhookUrl: hookUrl, active: true });
      expect((await api.request(ws.tokens.admin, 'POST', '/api/v1/stage-health/check')).json().data).toEqual([]);

      const saved = await api.request(ws.tokens.admin, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 30, period: 'week', webhookUrl: hookUrl, active: true });
      expect(saved.statusCode).toBe(200);
      expect(saved.json().webhookSecret).toBeUndefined();
      // The hourly job (queued by saving) runs the check; the webhook's retry is made due at once.
      await jobs.drain();
      expect(received).toHaveLength(1);
      await api.database.pool.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'loops.health.webhook' AND state = 'retry'`);
      await jobs.drain();
      const alerts = (await api.request(ws.tokens.team_leader, 'GET', '/api/v1/stage-health/alerts')).json().data;
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ stage: 'zmot', period: 'week', periodStart: iso(lastWeek), previousScore: 75, score: 37.5, drop: 37.5, threshold: 30 });
      // Delivered on the second attempt (the first answered 503).
      expect(received).toHaveLength(2);
      expect(received[1]?.body).toMatchObject({ type: 'stage_health.dropped', alert: { id: alerts[0].id, stage: 'zmot', score: 37.5 } });
      expect(alerts[0].webhook).toMatchObject({ status: 'sent', attempts: 2 });
      // Every delivery is signed with the secret over its timestamp and body.
      for (const r of received) {
        expect(r.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
        expect(verifySignature(secret, r.raw, r.signature ?? '', new Date())).toBe(true);
        expect(verifySignature('whsec_other', r.raw, r.signature ?? '', new Date())).toBe(false);
      }
      // Checking again raises nothing new for the same week.
      expect((await api.request(ws.tokens.admin, 'POST', '/api/v1/stage-health/check')).json().data).toEqual([]);
      expect((await api.request(ws.tokens.team_leader, 'GET', '/api/v1/stage-health/alerts')).json().data).toHaveLength(1);
      expect((await api.request(borealis.tokens.team_leader, 'GET', '/api/v1/stage-health/alerts')).json().data).toEqual([]);
      // Rotating answers a new secret once.
      const rotated = await api.request(ws.tokens.admin, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 30, period: 'week', webhookUrl: hookUrl, active: true, rotateWebhookSecret: true });
      expect(rotated.json().webhookSecret).toMatch(/^whsec_/);
      expect(rotated.json().webhookSecret).not.toBe(secret);

      // "Send test": a signed test delivery to the saved webhook, answered with the outcome.
      const count = received.length;
      const tested = await api.request(ws.tokens.admin, 'POST', '/api/v1/stage-health/test-webhook');
      expect(tested.statusCode, tested.body).toBe(200);
      expect(tested.json()).toEqual({ delivered: true, error: null });
      expect(received).toHaveLength(count + 1);
      const test = received[count]!;
      expect(test.body).toMatchObject({ type: 'stage_health.test', workspaceId: ws.id });
      expect(verifySignature(rotated.json().webhookSecret, test.raw, test.signature ?? '', new Date())).toBe(true);
      expect((await api.request(ws.tokens.team_leader, 'POST', '/api/v1/stage-health/test-webhook')).statusCode).toBe(403);
      // Without a webhook there is nothing to test (and nothing is sent).
      expect((await api.request(borealis.tokens.admin, 'POST', '/api/v1/stage-health/test-webhook')).statusCode).toBe(422);
      expect(received).toHaveLength(count + 1);
    });

    it('keeps checking every hour even when a check fails past its retries', async () => {
      const fragile = await api.createWorkspace('Fragile shop');
      const next = Math.ceil((Date.now() + 1) / 3_600_000) * 3_600_000;
      const pending = async () =>
        (
          await api.database.pool.query<{ state: string; start_after: Date }>(
            `SELECT state, start_after FROM pgboss.job WHERE name = 'loops.health.check' AND data->>'workspaceId' = $1 AND state IN ('created', 'retry') ORDER BY start_after`,
            [fragile.id],
          )
        ).rows;
      expect((await api.request(fragile.tokens.admin, 'PUT', '/api/v1/stage-health/settings', { dropPoints: 10, period: 'week', webhookUrl: null, active: true })).statusCode).toBe(200);
      // Every check fails while a table it reads is away (a real database error, no mock).
      await api.database.pool.query('ALTER TABLE survey_responses RENAME TO survey_responses_away');
      try {
        for (let attempt = 0; attempt < 3; attempt++) {
          await api.database.pool.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'loops.health.check' AND state = 'retry'`);
          await jobs.drain();
        }
      } finally {
        await api.database.pool.query('ALTER TABLE survey_responses_away RENAME TO survey_responses');
      }
      const failed = await api.database.pool.query(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'loops.health.check' AND data->>'workspaceId' = $1 AND state = 'failed'`, [fragile.id]);
      expect(failed.rows[0]).toEqual({ n: 1 });
      // …and the next hour's check is queued all the same, once.
      const waiting = await pending();
      expect(waiting).toHaveLength(1);
      expect(waiting[0]?.state).toBe('created');
      expect(new Date(waiting[0]?.start_after ?? 0).getTime()).toBe(next);
    });
  });
});
