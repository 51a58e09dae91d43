// The retention cohorts report over ingested touchpoints, as JSON and CSV, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

// The same people as test/retention.test.ts (hand-computed there), plus H — first purchase in
// December, outside the period — I, who never purchased, and an identify call for D that must
// not count as activity.
const track = (userId: string, event: string, day: string, properties: Record<string, unknown> = {}) => ({
  type: 'track',
  userId,
  event,
  properties,
  timestamp: `${day}T12:00:00Z`,
  messageId: `ret-${userId}-${event}-${day}`,
});
const FIXTURE = [
  track('ret-A', 'Order Completed', '2026-01-05'),
  track('ret-A', 'Onboarding Completed', '2026-01-10'),
  track('ret-A', 'Feature Used', '2026-01-25'),
  track('ret-A', 'Feature Used', '2026-02-20'),
  track('ret-A', 'Feature Used', '2026-03-21'),
  track('ret-B', 'purchase', '2026-01-10'),
  track('ret-B', 'Onboarding Abandoned', '2026-01-12'),
  track('ret-B', 'Subscription Renewed', '2026-01-20'),
  track('ret-B', 'Subscription Cancelled', '2026-01-25'),
  track('ret-C', 'subscriptionStarted', '2026-01-15'),
  track('ret-C', 'Subscription Renewed', '2026-02-19'),
  track('ret-D', 'Trial Converted', '2026-01-20'),
  { type: 'identify', userId: 'ret-D', traits: { name: 'Dora' }, timestamp: '2026-01-25T12:00:00Z', messageId: 'ret-D-identify' },
  track('ret-E', 'Order Completed', '2026-02-10'),
  track('ret-E', 'Onboarding Step Completed', '2026-02-12', { valence: 'positive' }),
  track('ret-E', 'Feature Used', '2026-03-30'),
  track('ret-F', 'Order Completed', '2026-02-20'),
  track('ret-F', 'onboarding_step_completed', '2026-02-22', { valence: 'negative' }),
  track('ret-F', 'Onboarding Completed', '2026-04-01'),
  track('ret-G', 'Purchase', '2026-02-25'),
  track('ret-G', 'Onboarding Started', '2026-02-26', { valence: 'neutral' }),
  track('ret-H', 'Order Completed', '2025-12-20'),
  track('ret-H', 'Order Completed', '2026-01-15'),
  track('ret-I', 'Feature Used', '2026-01-10'),
];
const QUERY = 'from=2026-01-01&to=2026-03-01&asOf=2026-05-12T00:00:00Z&days=30,60,90&windowDays=30';
const point = (eligible: number, retained: number, rate: number | null) => ({ eligible, retained, rate });
const COHORTS = [
  { cohort: '2026-01', onboarding: 'all', size: 4, retained: { 30: point(4, 2, 0.5), 60: point(4, 2, 0.5), 90: point(4, 2, 0.5) } },
  { cohort: '2026-01', onboarding: 'completed', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 1, 1), 90: point(1, 1, 1) } },
  { cohort: '2026-01', onboarding: 'struggled', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 0, 0), 90: point(1, 0, 0) } },
  { cohort: '2026-01', onboarding: 'none', size: 2, retained: { 30: point(2, 0, 0), 60: point(2, 1, 0.5), 90: point(2, 1, 0.5) } },
  { cohort: '2026-02', onboarding: 'all', size: 3, retained: { 30: point(3, 3, 1), 60: point(3, 2, 0.6667), 90: point(1, 0, 0) } },
  { cohort: '2026-02', onboarding: 'completed', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 1, 1), 90: point(1, 0, 0) } },
  { cohort: '2026-02', onboarding: 'struggled', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 1, 1), 90: point(0, 0, null) } },
  { cohort: '2026-02', onboarding: 'none', size: 1, retained: { 30: point(1, 1, 1), 60: point(1, 0, 0), 90: point(0, 0, null) } },
];
const CSV = [
  'cohort,onboarding,size,days,eligible,retained,rate',
  '2026-01,all,4,30,4,2,0.5',
  '2026-01,all,4,60,4,2,0.5',
  '2026-01,all,4,90,4,2,0.5',
  '2026-01,completed,1,30,1,1,1',
  '2026-01,completed,1,60,1,1,1',
  '2026-01,completed,1,90,1,1,1',
  '2026-01,struggled,1,30,1,1,1',
  '2026-01,struggled,1,60,1,0,0',
  '2026-01,struggled,1,90,1,0,0',
  '2026-01,none,2,30,2,0,0',
  '2026-01,none,2,60,2,1,0.5',
  '2026-01,none,2,90,2,1,0.5',
  '2026-02,all,3,30,3,3,1',
  '2026-02,all,3,60,3,2,0.6667',
  '2026-02,all,3,90,1,0,0',
  '2026-02,completed,1,30,1,1,1',
  '2026-02,completed,1,60,1,1,1',
  '2026-02,completed,1,90,1,0,0',
  '2026-02,struggled,1,30,1,1,1',
  '2026-02,struggled,1,60,1,1,1',
  '2026-02,struggled,1,90,0,0,',
  '2026-02,none,1,30,1,1,1',
  '2026-02,none,1,60,1,0,0',
  '2026-02,none,1,90,0,0,',
].join('\r\n') + '\r\n';

describe.each(availableBackends())('retention cohorts report on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const send = (path: string, body: unknown, key: string) =>
    api.app.inject({ method: 'POST', url: `/api/v1/${path}`, headers: { authorization: basic(key) }, payload: body as object });
  const writeKeyOf = async (w: TestWorkspace) => (await api.request(w.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey as string;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Retention');
    other = await api.createWorkspace('Retention Elsewhere');
    const stored = await send('batch', { batch: FIXTURE }, await writeKeyOf(ws));
    expect(stored.statusCode).toBe(200);
    expect(stored.json().results.filter((r: { status: string }) => r.status !== 'stored')).toEqual([]);
  });
  afterAll(async () => api?.close());

  it('answers the hand-computed cohorts as JSON', async () => {
    const res = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/retention?${QUERY}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      from: '2026-01-01T00:00:00.000Z',
      to: '2026-03-01T00:00:00.000Z',
      asOf: '2026-05-12T00:00:00.000Z',
      days: [30, 60, 90],
      windowDays: 30,
      truncated: false,
      cohorts: COHORTS,
    });
  });

  it('answers CSV with format=csv or Accept: text/csv', async () => {
    const byQuery = await api.request(ws.tokens.owner, 'GET', `/api/v1/reports/retention?${QUERY}&format=csv`);
    expect(byQuery.statusCode, byQuery.body).toBe(200);
    expect(byQuery.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byQuery.body).toBe(CSV);
    const byAccept = await api.app.inject({
      method: 'GET',
      url: `/api/v1/reports/retention?${QUERY}`,
      headers: { authorization: `Bearer ${ws.tokens.owner}`, accept: 'text/csv' },
    });
    expect(byAccept.statusCode, byAccept.body).toBe(200);
    expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(byAccept.body).toBe(CSV);
  });

  it('refuses an agent token and bad parameters', async () => {
    const agent = await api.request(ws.tokens.agent, 'GET', `/api/v1/reports/retention?${QUERY}`);
    expect(agent.statusCode).toBe(403);
    expect(agent.json().error.code).toBe('forbidden');
    for (const bad of ['days=0', 'days=abc', 'windowDays=0', 'format=xml', 'from=2026-03-01&to=2026-01-01']) {
      const res = await api.request(ws.tokens.owner, 'GET', `/api/v1/reports/retention?${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
  });

  it('shows another workspace none of it, and keeps that workspace’s people out of this one', async () => {
    const empty = await api.request(other.tokens.owner, 'GET', `/api/v1/reports/retention?${QUERY}`);
    expect(empty.statusCode).toBe(200);
    expect(empty.json().cohorts).toEqual([]);
    await send('batch', { batch: [track('ret-A', 'Order Completed', '2026-01-03'), track('ret-Z', 'Purchase', '2026-02-01')] }, await writeKeyOf(other));
    const theirs = await api.request(other.tokens.owner, 'GET', `/api/v1/reports/retention?${QUERY.replace('days=30,60,90', 'days=30')}`);
    expect(theirs.json().cohorts.map((c: { cohort: string; onboarding: string; size: number }) => [c.cohort, c.onboarding, c.size])).toEqual([
      ['2026-01', 'all', 1], ['2026-01', 'none', 1], ['2026-02', 'all', 1], ['2026-02', 'none', 1],
    ]);
    const ours = await api.request(ws.tokens.owner, 'GET', `/api/v1/reports/retention?${QUERY}`);
    expect(ours.json().cohorts).toEqual(COHORTS);
  });
});
