// The moments report and the stage health trend read the rollups maintained at insert time;
// the figures must equal a hand-computed fixture exactly, whatever the period's edges, and the
// incrementally maintained rollups must equal a rebuild from the raw touchpoints.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldPendingPeople, rebuildRollups } from '../src/journeys/store.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

interface StageRow {
  stage: string;
  touchpoints: number;
  customers: number;
  positiveShare: number;
  negativeShare: number;
  conversionToNext?: number | null;
}

describe.each(availableBackends())('moments report and trend from rollups on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let writeKey: string;
  const send = (path: string, body: unknown) =>
    api.app.inject({ method: 'POST', url: `/api/v1/${path}`, headers: { authorization: basic(writeKey) }, payload: body as object });
  const t = (n: number, who: { userId?: string; anonymousId?: string }, stage: string, valence: string, at: string) => ({
    type: 'track', ...who, event: `Step ${n}`, timestamp: at, messageId: `r-${n}`, properties: { stage, valence },
  });
  const report = async (query: string) => {
    const res = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/moments?${query}`);
    expect(res.statusCode).toBe(200);
    return Object.fromEntries(res.json().stages.map((s: StageRow) => [s.stage, s])) as Record<string, StageRow>;
  };
  const trend = async (query: string) => {
    const res = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/moments/trend?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json() as { periods: { period: string; from: string; to: string; stages: StageRow[] }[] };
  };
  const WINDOW = 'from=2026-07-30T12:00:00Z&to=2026-09-01T12:00:00Z';

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Rollups');
    writeKey = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const a = { userId: 'a' };
    const b = { userId: 'b' };
    const c = { userId: 'c' };
    const d = { userId: 'd' };
    const v = { anonymousId: 'visitor-v' };
    const res = await send('batch', {
      batch: [
        t(1, a, 'lzmot', 'positive', '2026-07-30T10:00:00Z'),
        t(2, a, 'zmot', 'neutral', '2026-08-02T09:00:00Z'),
        t(3, a, 'fmot', 'positive', '2026-08-15T12:00:00Z'),
        t(4, b, 'lzmot', 'negative', '2026-07-31T23:00:00Z'),
        t(5, b, 'lzmot', 'positive', '2026-08-01T01:00:00Z'),
        t(6, b, 'zmot', 'negative', '2026-08-31T22:00:00Z'),
        t(7, c, 'zmot', 'positive', '2026-08-10T08:00:00Z'),
        t(8, c, 'lzmot', 'neutral', '2026-08-11T08:00:00Z'),
        t(9, v, 'lzmot', 'neutral', '2026-08-05T10:00:00Z'),
        t(10, v, 'zmot', 'positive', '2026-09-01T05:00:00Z'),
        t(13, d, 'lzmot', 'neutral', '2026-08-20T10:00:00Z'),
      ],
    });
    expect(res.json().results.every((r: { status: string }) => r.status === 'stored')).toBe(true);
  });
  afterAll(async () => api?.close());

  it('counts an anonymous visitor as its own person until identified, with partial days at both ends', async () => {
    const s = await report(WINDOW);
    expect(s.lzmot).toEqual({ stage: 'lzmot', touchpoints: 5, customers: 4, positiveShare: 0.2, negativeShare: 0.2, conversionToNext: 0.5 });
    expect(s.zmot).toEqual({ stage: 'zmot', touchpoints: 4, customers: 4, positiveShare: 0.5, negativeShare: 0.25, conversionToNext: 0.25 });
  });

  it('folds the visitor into the customer on identify: people and conversion change, volumes do not', async () => {
    await send('identify', { userId: 'd', anonymousId: 'visitor-v', timestamp: '2026-09-02T00:00:00Z', messageId: 'r-11' });
    await send('track', t(12, { userId: 'd' }, 'fmot', 'negative', '2026-09-03T10:00:00Z'));
    const s = await report(WINDOW);
    expect(s.lzmot).toEqual({ stage: 'lzmot', touchpoints: 5, customers: 3, positiveShare: 0.2, negativeShare: 0.2, conversionToNext: 0.6667 });
    expect(s.zmot).toEqual({ stage: 'zmot', touchpoints: 4, customers: 4, positiveShare: 0.5, negativeShare: 0.25, conversionToNext: 0.25 });
    expect(s.fmot).toEqual({ stage: 'fmot', touchpoints: 1, customers: 1, positiveShare: 1, negativeShare: 0, conversionToNext: 0 });
    expect(s.smot).toEqual({ stage: 'smot', touchpoints: 0, customers: 0, positiveShare: 0, negativeShare: 0, conversionToNext: 0 });
    expect(s.umot).toEqual({ stage: 'umot', touchpoints: 0, customers: 0, positiveShare: 0, negativeShare: 0, conversionToNext: null });
  });

  it('answers a period of whole months exactly', async () => {
    const s = await report('from=2026-07-01&to=2026-10-01');
    expect(s.lzmot).toEqual({ stage: 'lzmot', touchpoints: 6, customers: 4, positiveShare: 0.3333, negativeShare: 0.1667, conversionToNext: 0.75 });
    expect(s.zmot).toEqual({ stage: 'zmot', touchpoints: 4, customers: 4, positiveShare: 0.5, negativeShare: 0.25, conversionToNext: 0.5 });
    expect(s.fmot).toEqual({ stage: 'fmot', touchpoints: 2, customers: 2, positiveShare: 0.5, negativeShare: 0.5, conversionToNext: 0 });
    // Within a single day, and a period with nothing in it.
    const oneDay = await report('from=2026-08-01T00:30:00Z&to=2026-08-01T02:00:00Z');
    expect(oneDay.lzmot).toMatchObject({ touchpoints: 1, customers: 1, positiveShare: 1 });
    const empty = await report('from=2025-01-01&to=2025-02-01');
    expect(Object.values(empty).every((x) => x.touchpoints === 0 && x.customers === 0)).toBe(true);
  });

  it('shows the stage health trend per ISO week, per month (clipped to the period) and per day', async () => {
    const weeks = await trend('from=2026-07-27&to=2026-08-10&interval=week');
    expect(weeks.periods.map((p) => [p.period, p.from, p.to])).toEqual([
      ['2026-07-27', '2026-07-27T00:00:00.000Z', '2026-08-03T00:00:00.000Z'],
      ['2026-08-03', '2026-08-03T00:00:00.000Z', '2026-08-10T00:00:00.000Z'],
    ]);
    const [w1, w2] = weeks.periods.map((p) => Object.fromEntries(p.stages.map((s) => [s.stage, s])));
    expect(w1?.lzmot).toEqual({ stage: 'lzmot', touchpoints: 3, customers: 2, positiveShare: 0.6667, negativeShare: 0.3333 });
    expect(w1?.zmot).toEqual({ stage: 'zmot', touchpoints: 1, customers: 1, positiveShare: 0, negativeShare: 0 });
    expect(w2?.lzmot).toEqual({ stage: 'lzmot', touchpoints: 1, customers: 1, positiveShare: 0, negativeShare: 0 });
    expect(w2?.fmot).toEqual({ stage: 'fmot', touchpoints: 0, customers: 0, positiveShare: 0, negativeShare: 0 });

    const months = await trend('from=2026-07-15T06:00:00Z&to=2026-09-02T00:00:00Z&interval=month');
    expect(months.periods.map((p) => [p.period, p.from, p.to])).toEqual([
      ['2026-07-01', '2026-07-15T06:00:00.000Z', '2026-08-01T00:00:00.000Z'],
      ['2026-08-01', '2026-08-01T00:00:00.000Z', '2026-09-01T00:00:00.000Z'],
      ['2026-09-01', '2026-09-01T00:00:00.000Z', '2026-09-02T00:00:00.000Z'],
    ]);
    const [jul, aug, sep] = months.periods.map((p) => Object.fromEntries(p.stages.map((s) => [s.stage, s])));
    expect(jul?.lzmot).toEqual({ stage: 'lzmot', touchpoints: 2, customers: 2, positiveShare: 0.5, negativeShare: 0.5 });
    expect(aug?.lzmot).toEqual({ stage: 'lzmot', touchpoints: 4, customers: 3, positiveShare: 0.25, negativeShare: 0 });
    expect(aug?.zmot).toEqual({ stage: 'zmot', touchpoints: 3, customers: 3, positiveShare: 0.3333, negativeShare: 0.3333 });
    expect(aug?.fmot).toEqual({ stage: 'fmot', touchpoints: 1, customers: 1, positiveShare: 1, negativeShare: 0 });
    expect(sep?.zmot).toEqual({ stage: 'zmot', touchpoints: 1, customers: 1, positiveShare: 1, negativeShare: 0 });

    const days = await trend('from=2026-08-01&to=2026-08-03&interval=day');
    expect(days.periods.map((p) => p.stages.filter((s) => s.touchpoints).map((s) => `${p.period}:${s.stage}:${s.touchpoints}`))).toEqual([
      ['2026-08-01:lzmot:1'],
      ['2026-08-02:zmot:1'],
    ]);
  });

  it('refuses a trend with too many periods or an unknown interval, and lets agents see none of it', async () => {
    expect((await api.request(ws.tokens.team_leader, 'GET', '/api/v1/reports/moments/trend?from=2020-01-01&to=2026-01-01&interval=day')).statusCode).toBe(400);
    expect((await api.request(ws.tokens.team_leader, 'GET', '/api/v1/reports/moments/trend?interval=year')).statusCode).toBe(400);
    expect((await api.request(ws.tokens.agent, 'GET', '/api/v1/reports/moments/trend')).statusCode).toBe(403);
  });

  it('exports the moments report, the trend and moments that mattered as CSV', async () => {
    const moments = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/moments?${WINDOW}&format=csv`);
    expect(moments.headers['content-type']).toMatch(/^text\/csv/);
    const lines = moments.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('from,to,stage,touchpoints,customers,positiveShare,negativeShare,conversionToNext');
    expect(lines[1]).toBe('2026-07-30T12:00:00.000Z,2026-09-01T12:00:00.000Z,lzmot,5,3,0.2,0.2,0.6667');
    expect(lines[5]).toBe('2026-07-30T12:00:00.000Z,2026-09-01T12:00:00.000Z,umot,0,0,0,0,');
    const byAccept = await api.request(ws.tokens.team_leader, 'GET', `/api/v1/reports/moments?${WINDOW}`, undefined, { accept: 'text/csv' });
    expect(byAccept.body).toBe(moments.body);
    const trendCsv = await api.request(ws.tokens.team_leader, 'GET', '/api/v1/reports/moments/trend?from=2026-07-27&to=2026-08-10&interval=week&format=csv');
    const trendLines = trendCsv.body.trimEnd().split('\r\n');
    expect(trendLines[0]).toBe('period,from,to,stage,touchpoints,customers,positiveShare,negativeShare');
    expect(trendLines).toHaveLength(1 + 2 * 5);
    expect(trendLines[1]).toBe('2026-07-27,2026-07-27T00:00:00.000Z,2026-08-03T00:00:00.000Z,lzmot,3,2,0.6667,0.3333');

    await send('batch', {
      batch: [
        { type: 'track', userId: 'e', event: '=HYPERLINK("x")', timestamp: '2026-08-20T10:00:00Z', messageId: 'r-m1', properties: { stage: 'zmot' } },
        { type: 'track', userId: 'e', event: 'Subscription Cancelled', timestamp: '2026-08-21T10:00:00Z', messageId: 'r-m2' },
      ],
    });
    const mattered = await api.request(ws.tokens.team_leader, 'GET', '/api/v1/reports/moments-that-mattered?from=2026-08-01&to=2026-09-01&format=csv');
    expect(mattered.statusCode).toBe(200);
    const matteredLines = mattered.body.trimEnd().split('\r\n');
    expect(matteredLines[0]).toBe('from,to,windowDays,outcome,outcomeCount,rank,event,stage,valence,precededOutcomes,share,lift');
    const churn = matteredLines.filter((l) => l.includes(',churn,'));
    // A text cell that a spreadsheet would run as a formula is written as text.
    expect(churn).toContainEqual(expect.stringContaining(`,churn,1,1,"'=HYPERLINK(""x"")",zmot,`));
    const json = await api.request(ws.tokens.team_leader, 'GET', '/api/v1/reports/moments-that-mattered?from=2026-08-01&to=2026-09-01');
    expect(json.json().outcomes.churn.count).toBe(1);
  });

  it('keeps the rollups equal to a rebuild from the raw touchpoints, help-desk activity included', async () => {
    await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'Δεν λειτουργεί', customer: { email: 'maria@example.gr', name: 'Μαρία' }, message: 'Ο θερμοστάτης δεν συνδέεται, πολύ απογοητευτικό.',
    });
    // The people whose rows await their refresh (migration 076) are refreshed, as a reader does.
    const snapshot = async () => {
      await foldPendingPeople(api.database.db, ws.id);
      return {
      // The counters as readers see them: with the deltas not yet folded in (migration 059).
      daily: (
        await sql`SELECT day::text, stage, valence, channel, sum(touchpoints)::int AS touchpoints
                  FROM (SELECT day, stage, valence, channel, touchpoints FROM touchpoint_daily WHERE workspace_id = ${ws.id}
                        UNION ALL SELECT day, stage, valence, channel, touchpoints FROM touchpoint_daily_deltas WHERE workspace_id = ${ws.id}) u
                  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`.execute(api.database.db)
      ).rows,
      days: (await sql`SELECT day::text, stage, who, first_at, last_at, prev_last, conv_at, later_conv_at FROM touchpoint_person_days WHERE workspace_id = ${ws.id} ORDER BY 1, 2, 3`.execute(api.database.db)).rows,
      // The aggregate as readers see it: with the deltas not yet folded in (migration 064).
      gaps: (
        await sql`SELECT day::text, stage, prev_day::text, conv_day::text, sum(people)::int AS people
                  FROM (SELECT day, stage, prev_day, conv_day, people FROM touchpoint_person_gaps WHERE workspace_id = ${ws.id}
                        UNION ALL SELECT day, stage, prev_day, conv_day, people FROM touchpoint_person_gap_deltas WHERE workspace_id = ${ws.id}) u
                  GROUP BY 1, 2, 3, 4 HAVING sum(people) <> 0 ORDER BY 1, 2, 3, 4`.execute(api.database.db)
      ).rows,
      };
    };
    const incremental = await snapshot();
    expect(incremental.daily.some((r) => (r as { stage: string }).stage === 'smot')).toBe(true);
    expect(incremental.days.some((r) => String((r as { who: string }).who).startsWith('anon:'))).toBe(false);
    await rebuildRollups(api.database.db, ws.id);
    expect(await snapshot()).toEqual(incremental);
  });
});
