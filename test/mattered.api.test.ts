// Moments that mattered over the API, on both databases, against a hand-computed fixture.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

describe.each(availableBackends())('moments that mattered on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const REPORT = '/api/v1/reports/moments-that-mattered?from=2026-08-01&to=2026-09-01';

  const send = (writeKey: string, batch: unknown[]) =>
    api.app.inject({ method: 'POST', url: '/api/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch } });
  const t = (who: string, event: string, date: string, properties: Record<string, unknown> = {}) => ({
    type: 'track', userId: who, event, timestamp: `${date}T12:00:00Z`, messageId: `${who}-${event}-${date}`, properties,
  });

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Mattered');
    other = await api.createWorkspace('Mattered elsewhere');
    const key = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const otherKey = (await api.request(other.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const stored = await send(key, [
      // A: (old e-mail, 46 days before) → ad → review read (+) → order
      t('mm-a', 'Marketing Email Opened', '2026-07-10'),
      t('mm-a', 'Ad Viewed', '2026-08-20'),
      t('mm-a', 'Review Read', '2026-08-22', { valence: 'positive' }),
      t('mm-a', 'Order Completed', '2026-08-25'),
      // B: review read (−) → pricing → nothing
      t('mm-b', 'Review Read', '2026-08-10', { valence: 'negative' }),
      t('mm-b', 'Pricing Viewed', '2026-08-11'),
      // C: review read (+) → demo → order → ticket created (−) → subscription cancelled
      t('mm-c', 'Review Read', '2026-08-02', { valence: 'positive' }),
      t('mm-c', 'Demo Requested', '2026-08-03'),
      t('mm-c', 'Order Completed', '2026-08-05'),
      t('mm-c', 'Ticket Created', '2026-08-12', { valence: 'negative' }),
      t('mm-c', 'Subscription Cancelled', '2026-08-15'),
    ]);
    expect(stored.json().results.every((r: { status: string }) => r.status === 'stored')).toBe(true);
    // Another workspace's purchases and reviews must never show up.
    await send(otherKey, [
      t('mm-x', 'Review Read', '2026-08-02', { valence: 'positive' }),
      t('mm-x', 'Order Completed', '2026-08-03'),
      t('mm-x', 'Review Published', '2026-08-04'),
    ]);
  });
  afterAll(async () => api?.close());

  it('ranks the moments that preceded conversions, churn and complaints exactly', async () => {
    const res = await api.request(ws.tokens.team_leader, 'GET', REPORT);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-08-01T00:00:00.000Z', to: '2026-09-01T00:00:00.000Z', windowDays: 30, truncated: false });
    // Baseline over 3 people: review read (+) 2/3, everything else 1/3 (order completed 2/3).
    expect(body.outcomes.conversion).toEqual({
      count: 2,
      precededBy: [
        { event: 'Review Read', stage: 'zmot', valence: 'positive', outcomes: 2, share: 1, lift: 1.5 },
        { event: 'Ad Viewed', stage: 'lzmot', valence: 'neutral', outcomes: 1, share: 0.5, lift: 1.5 },
        { event: 'Demo Requested', stage: 'fmot', valence: 'neutral', outcomes: 1, share: 0.5, lift: 1.5 },
      ],
    });
    expect(body.outcomes.churn).toEqual({
      count: 1,
      precededBy: [
        { event: 'Demo Requested', stage: 'fmot', valence: 'neutral', outcomes: 1, share: 1, lift: 3 },
        { event: 'Ticket Created', stage: 'smot', valence: 'negative', outcomes: 1, share: 1, lift: 3 },
        { event: 'Order Completed', stage: 'fmot', valence: 'positive', outcomes: 1, share: 1, lift: 1.5 },
        { event: 'Review Read', stage: 'zmot', valence: 'positive', outcomes: 1, share: 1, lift: 1.5 },
      ],
    });
    expect(body.outcomes.complaint.count).toBe(1);
    expect(body.outcomes.complaint.precededBy.map((m: { event: string }) => m.event)).toEqual([
      'Demo Requested',
      'Order Completed',
      'Review Read',
    ]);
    expect(body.outcomes.renewal_upgrade).toEqual({ count: 0, precededBy: [] });
    // The other workspace's review is not ours.
    expect(body.outcomes.public_review).toEqual({ count: 0, precededBy: [] });
  });

  it('respects the window: a longer one reaches the old e-mail, a short one drops the review', async () => {
    const long = (await api.request(ws.tokens.owner, 'GET', `${REPORT}&windowDays=60`)).json();
    expect(long.outcomes.conversion.precededBy.map((m: { event: string }) => m.event)).toContain('Marketing Email Opened');
    const short = (await api.request(ws.tokens.owner, 'GET', `${REPORT}&windowDays=2`)).json();
    // Two days back from noon: A's order (08-25) sees nothing after 08-23 12:00; C's order (08-05)
    // sees the demo (08-03 12:00, on the boundary) but not the review (08-02).
    expect(short.outcomes.conversion.precededBy).toEqual([
      { event: 'Demo Requested', stage: 'fmot', valence: 'neutral', outcomes: 1, share: 0.5, lift: 1.5 },
    ]);
    const bad = await api.request(ws.tokens.owner, 'GET', `${REPORT}&windowDays=366`);
    expect(bad.statusCode).toBe(400);
  });

  it('lets team leaders read the report and refuses agents', async () => {
    expect((await api.request(ws.tokens.team_leader, 'GET', REPORT)).statusCode).toBe(200);
    expect((await api.request(ws.tokens.agent, 'GET', REPORT)).statusCode).toBe(403);
  });

  it("lists each outcome of one customer with what preceded it, by userId or id, and never another workspace's", async () => {
    const res = await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/mm-c/moments-that-mattered');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.windowDays).toBe(30);
    const summary = body.outcomes.map((o: { kind: string; touchpoint: { event: string }; precededBy: { event: string }[] }) => [
      o.kind,
      o.touchpoint.event,
      o.precededBy.map((p) => p.event),
    ]);
    expect(summary).toEqual([
      ['conversion', 'Order Completed', ['Review Read', 'Demo Requested']],
      ['complaint', 'Ticket Created', ['Review Read', 'Demo Requested', 'Order Completed']],
      ['churn', 'Subscription Cancelled', ['Review Read', 'Demo Requested', 'Order Completed', 'Ticket Created']],
    ]);
    const short = await api.request(ws.tokens.agent, 'GET', `/api/v1/customers/${body.customerId}/moments-that-mattered?windowDays=5`);
    expect(short.json().outcomes[2].precededBy.map((p: { event: string }) => p.event)).toEqual(['Ticket Created']);
    const elsewhere = await api.request(other.tokens.owner, 'GET', `/api/v1/customers/${body.customerId}/moments-that-mattered`);
    expect(elsewhere.statusCode).toBe(404);
    const byUserId = await api.request(other.tokens.owner, 'GET', '/api/v1/customers/mm-c/moments-that-mattered');
    expect(byUserId.statusCode).toBe(404);
  });
});
