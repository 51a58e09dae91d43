// The performance report's rollups (migration 055) stay equal to the tickets they summarise,
// whatever happens to them — opened, answered, solved, reopened, reassigned, merged, deleted,
// their SLA targets hit, missed and re-planned, folds at any moment in between, or rebuilt in
// one pass — and the report read from them (whole days and months from rollups, part-days from
// the tickets) gives the same figures as a scan of the period's tickets, its medians within 5%.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { durationBucket, histogramMedian } from '../src/domain/duration-histogram.ts';
import { splitPeriod } from '../src/domain/period-split.ts';
import { performanceReport } from '../src/performance/report.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const BASE = Date.UTC(2026, 0, 20, 0, 0, 0); // spans a month boundary within 40 days
const MINUTE = 60_000;

type Op =
  | { op: 'create'; t: number; day: number; minute: number; agent: number | null; team: number | null }
  | { op: 'respond'; t: number; minutes: number; keepStatus: boolean }
  | { op: 'solve'; t: number; minutes: number }
  | { op: 'reopen'; t: number }
  | { op: 'assign'; t: number; agent: number | null; team: number | null }
  | { op: 'merge'; t: number; into: number }
  | { op: 'sla'; t: number; metric: 'first_response' | 'next_response' | 'resolution'; cycle: number; outcome: 'pending' | 'hit' | 'missed'; stopped: boolean; elapsed: number }
  | { op: 'replan'; t: number }
  | { op: 'delete'; t: number }
  | { op: 'fold' };

const TICKETS = 6;
const ticket = fc.integer({ min: 0, max: TICKETS - 1 });
const agent = fc.option(fc.integer({ min: 0, max: 2 }), { nil: null });
const team = fc.option(fc.integer({ min: 0, max: 1 }), { nil: null });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('create' as const), t: ticket, day: fc.integer({ min: 0, max: 40 }), minute: fc.integer({ min: 0, max: 1439 }), agent, team }),
  // keepStatus: a reply that leaves the status as it is (an agent's follow-up on a solved
  // ticket): only the reply count moves, and with it first-contact resolution.
  fc.record({ op: fc.constant('respond' as const), t: ticket, minutes: fc.integer({ min: -30, max: 5000 }), keepStatus: fc.boolean() }),
  fc.record({ op: fc.constant('solve' as const), t: ticket, minutes: fc.integer({ min: 0, max: 20000 }) }),
  fc.record({ op: fc.constant('reopen' as const), t: ticket }),
  fc.record({ op: fc.constant('assign' as const), t: ticket, agent, team }),
  fc.record({ op: fc.constant('merge' as const), t: ticket, into: ticket }),
  fc.record({
    op: fc.constant('sla' as const),
    t: ticket,
    metric: fc.constantFrom('first_response' as const, 'next_response' as const, 'resolution' as const),
    cycle: fc.integer({ min: 1, max: 2 }),
    outcome: fc.constantFrom('pending' as const, 'hit' as const, 'missed' as const),
    stopped: fc.boolean(),
    elapsed: fc.integer({ min: 0, max: 10_000_000 }),
  }),
  fc.record({ op: fc.constant('replan' as const), t: ticket }),
  fc.record({ op: fc.constant('delete' as const), t: ticket }),
  fc.constant({ op: 'fold' as const }),
);

describe.each(availableBackends())('performance rollups on %s', (kind) => {
  let db: TestDatabase;
  let run = 0;
  const q = async <R extends Record<string, unknown>>(text: string, values: unknown[] = []) => (await db.pool.query<R>(text, values)).rows;

  beforeAll(async () => {
    db = await freshDatabase(kind);
  }, 120_000);
  afterAll(async () => db?.close());

  /** A workspace with three agents (Greek, Arabic, English names) and two teams. */
  async function workspace() {
    run += 1;
    const [ws] = await q<{ id: string }>(
      `INSERT INTO workspaces (id, name, slug, write_key) VALUES (gen_random_uuid(), $1, $2, $3) RETURNING id`,
      [`Απόδοση ${run}`, `perf-rollups-${run}-${Date.now()}`, `wk_perf_rollups_${run}_${Date.now()}`],
    );
    const id = ws!.id;
    const agents = await Promise.all(
      ['Ελένη Κωνσταντίνου', 'سارة الحسن', 'Tom Baker'].map(async (name, i) =>
        (await q<{ id: string }>(`INSERT INTO agents (id, workspace_id, email, name, role) VALUES (gen_random_uuid(), $1, $2, $3, 'agent') RETURNING id`, [id, `a${i}@perf.example`, name]))[0]!.id,
      ),
    );
    const teams = await Promise.all(
      ['Υποστήριξη', 'الدعم'].map(async (name) => (await q<{ id: string }>(`INSERT INTO teams (id, workspace_id, name) VALUES (gen_random_uuid(), $1, $2) RETURNING id`, [id, name]))[0]!.id),
    );
    const [customer] = await q<{ id: string }>(`INSERT INTO customers (id, workspace_id, name, email) VALUES (gen_random_uuid(), $1, 'Νίκος', 'nikos@example.gr') RETURNING id`, [id]);
    return { id, agents, teams, customer: customer!.id };
  }

  async function apply(w: Awaited<ReturnType<typeof workspace>>, ids: (string | null)[], numbers: { next: number }, o: Op) {
    const id = o.op === 'fold' ? null : ids[o.t];
    const pick = <T>(list: T[], i: number | null) => (i === null ? null : (list[i] ?? null));
    switch (o.op) {
      case 'fold':
        await q(`SELECT compact_ticket_performance($1)`, [w.id]);
        return;
      case 'create': {
        if (id) return;
        const created = new Date(BASE + o.day * 86_400_000 + o.minute * MINUTE);
        const [row] = await q<{ id: string }>(
          `INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, assignee_id, team_id, created_at, first_customer_message_at)
           VALUES (gen_random_uuid(), $1, $2, 'Ο θερμοστάτης δεν συνδέεται', 'new', 'normal', 'email', $3, $4, $5, $6, $6) RETURNING id`,
          [w.id, numbers.next++, w.customer, pick(w.agents, o.agent), pick(w.teams, o.team), created],
        );
        ids[o.t] = row!.id;
        return;
      }
      default:
    }
    if (!id) return;
    switch (o.op) {
      case 'respond':
        await q(
          // The first response is set once, as the help desk does; later replies only count.
          `UPDATE tickets SET first_response_at = COALESCE(first_response_at, created_at + $2 * interval '1 minute'), public_reply_count = public_reply_count + 1,
                  status = CASE WHEN $3 THEN status ELSE 'open' END WHERE id = $1`,
          [id, o.minutes, o.keepStatus],
        );
        return;
      case 'solve':
        await q(`UPDATE tickets SET status = 'solved', solved_at = created_at + $2 * interval '1 minute' WHERE id = $1`, [id, o.minutes]);
        return;
      case 'reopen':
        await q(`UPDATE tickets SET status = 'open', reopen_count = reopen_count + 1, reopened_at = now() WHERE id = $1 AND status = 'solved'`, [id]);
        return;
      case 'assign':
        await q(`UPDATE tickets SET assignee_id = $2, team_id = $3 WHERE id = $1`, [id, pick(w.agents, o.agent), pick(w.teams, o.team)]);
        return;
      case 'merge': {
        const into = ids[o.into];
        if (into && into !== id) await q(`UPDATE tickets SET merged_into_id = $2 WHERE id = $1`, [id, into]);
        return;
      }
      case 'sla':
        await q(
          `INSERT INTO ticket_sla_targets (workspace_id, ticket_id, metric, cycle, target_minutes, started_at, stopped_at, clock, outcome, elapsed_ms, evaluated_at)
           VALUES ($1, $2, $3, $4, 60, now(), CASE WHEN $5 THEN now() END, CASE WHEN $5 THEN 'stopped' ELSE 'running' END, $6, $7, now())
           ON CONFLICT (ticket_id, metric, cycle) DO UPDATE SET stopped_at = excluded.stopped_at, clock = excluded.clock, outcome = excluded.outcome, elapsed_ms = excluded.elapsed_ms`,
          [w.id, id, o.metric, o.cycle, o.stopped, o.outcome, o.elapsed],
        );
        return;
      case 'replan':
        await q(`DELETE FROM ticket_sla_targets WHERE ticket_id = $1`, [id]);
        return;
      case 'delete':
        await q(`UPDATE tickets SET merged_into_id = NULL WHERE merged_into_id = $1`, [id]);
        await q(`DELETE FROM tickets WHERE id = $1`, [id]);
        ids[o.t] = null;
        return;
      default:
    }
  }

  /** Rollups plus unfolded deltas, keyed, against the same sums computed from the tickets. */
  async function compare(ws: string) {
    const key = `grain || ' ' || period_start || ' ' || coalesce(assignee_id::text, '-') || ' ' || coalesce(team_id::text, '-')`;
    const kept = await q<{ k: string; v: string }>(
      `SELECT ${key} AS k, concat_ws(',', sum(tickets), sum(solved), sum(fcr), sum(sla_hit), sum(sla_missed), sum(nrt_ms), sum(nrt_n)) AS v
       FROM (SELECT * FROM ticket_performance_rollups WHERE workspace_id = $1 UNION ALL SELECT * FROM ticket_performance_deltas WHERE workspace_id = $1) r
       GROUP BY 1 HAVING sum(tickets) <> 0 OR sum(sla_hit) <> 0 OR sum(sla_missed) <> 0 OR sum(nrt_n) <> 0 ORDER BY 1`,
      [ws],
    );
    const truth = await q<{ k: string; v: string }>(
      `WITH t AS (
         SELECT t.*, (t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL) AS is_solved,
           (SELECT count(*) FROM ticket_sla_targets s WHERE s.ticket_id = t.id AND s.outcome = 'hit') AS hit,
           (SELECT count(*) FROM ticket_sla_targets s WHERE s.ticket_id = t.id AND s.outcome = 'missed') AS missed,
           (SELECT coalesce(sum(elapsed_ms), 0) FROM ticket_sla_targets s WHERE s.ticket_id = t.id AND s.metric = 'next_response' AND s.stopped_at IS NOT NULL) AS nrt_ms,
           (SELECT count(*) FROM ticket_sla_targets s WHERE s.ticket_id = t.id AND s.metric = 'next_response' AND s.stopped_at IS NOT NULL) AS nrt_n
         FROM tickets t WHERE t.workspace_id = $1 AND t.merged_into_id IS NULL),
       r AS (
         SELECT g.grain, g.period_start, t.*
         FROM t CROSS JOIN LATERAL (VALUES ('day', (t.created_at AT TIME ZONE 'UTC')::date),
                                          ('month', date_trunc('month', (t.created_at AT TIME ZONE 'UTC')::date)::date)) AS g(grain, period_start))
       SELECT ${key} AS k, concat_ws(',', count(*), count(*) FILTER (WHERE is_solved), count(*) FILTER (WHERE is_solved AND public_reply_count <= 1 AND reopen_count = 0),
              sum(hit), sum(missed), sum(nrt_ms), sum(nrt_n)) AS v
       FROM r GROUP BY 1 ORDER BY 1`,
      [ws],
    );
    expect(kept).toEqual(truth);
    const histogram = await q<{ k: string }>(
      `SELECT ${key} || ' ' || metric || ' ' || bucket || ' ' || sum(n) AS k
       FROM (SELECT h.grain, h.period_start, h.assignee_id, h.team_id, h.metric, u.bucket, u.n
             FROM ticket_performance_histograms h CROSS JOIN LATERAL unnest(h.buckets, h.counts) AS u(bucket, n) WHERE h.workspace_id = $1
             UNION ALL
             SELECT grain, period_start, assignee_id, team_id, metric, bucket, n FROM ticket_performance_histogram_deltas WHERE workspace_id = $1) h
       GROUP BY grain, period_start, assignee_id, team_id, metric, bucket HAVING sum(n) <> 0 ORDER BY 1`,
      [ws],
    );
    const histogramTruth = await q<{ k: string }>(
      `SELECT ${key} || ' ' || metric || ' ' || bucket || ' ' || count(*) AS k
       FROM (
         SELECT g.grain, g.period_start, t.assignee_id, t.team_id, m.metric, performance_bucket(m.minutes) AS bucket
         FROM tickets t
         CROSS JOIN LATERAL (VALUES ('day', (t.created_at AT TIME ZONE 'UTC')::date),
                                    ('month', date_trunc('month', (t.created_at AT TIME ZONE 'UTC')::date)::date)) AS g(grain, period_start)
         CROSS JOIN LATERAL (VALUES
           ('first_response', CASE WHEN t.first_response_at IS NOT NULL THEN extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at)) / 60 END),
           ('resolution', CASE WHEN t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL THEN extract(epoch FROM t.solved_at - t.created_at) / 60 END)) AS m(metric, minutes)
         WHERE t.workspace_id = $1 AND t.merged_into_id IS NULL AND m.minutes IS NOT NULL) x
       GROUP BY grain, period_start, assignee_id, team_id, metric, bucket ORDER BY 1`,
      [ws],
    );
    expect(histogram).toEqual(histogramTruth);
  }

  it('equal the tickets after any sequence of changes, folded or not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 15, maxLength: 60, size: 'max' }), async (ops) => {
        const w = await workspace();
        const ids: (string | null)[] = Array.from({ length: TICKETS }, () => null);
        const numbers = { next: 1 };
        for (const o of ops) await apply(w, ids, numbers, o);
        await compare(w.id);
        await q(`SELECT compact_ticket_performance($1)`, [w.id]);
        await compare(w.id);
        const [left] = await q<{ n: string }>(`SELECT count(*) AS n FROM ticket_performance_deltas WHERE workspace_id = $1`, [w.id]);
        expect(Number(left!.n)).toBe(0);
        // The one-pass rebuild (migration and bulk loads) gives the same rollups.
        await q(`SELECT rebuild_ticket_performance($1)`, [w.id]);
        await compare(w.id);
      }),
      { numRuns: 25 },
    );
  }, 300_000);

  it("moves a ticket's SLA outcomes with it when it is reassigned, and takes all of it away when merged", async () => {
    const w = await workspace();
    const ids: (string | null)[] = Array.from({ length: TICKETS }, () => null);
    const numbers = { next: 1 };
    const steps: Op[] = [
      { op: 'create', t: 0, day: 3, minute: 600, agent: 0, team: 0 },
      { op: 'create', t: 1, day: 12, minute: 30, agent: 1, team: 1 },
      { op: 'sla', t: 0, metric: 'first_response', cycle: 1, outcome: 'hit', stopped: true, elapsed: 120_000 },
      { op: 'sla', t: 0, metric: 'next_response', cycle: 1, outcome: 'missed', stopped: true, elapsed: 7_200_000 },
      { op: 'fold' },
      { op: 'assign', t: 0, agent: 2, team: 1 },
    ];
    for (const o of steps) await apply(w, ids, numbers, o);
    await compare(w.id);
    const [moved] = await q<{ hit: string; missed: string }>(
      `SELECT sum(sla_hit) AS hit, sum(sla_missed) AS missed FROM (SELECT * FROM ticket_performance_rollups UNION ALL SELECT * FROM ticket_performance_deltas) r
       WHERE workspace_id = $1 AND grain = 'month' AND assignee_id = $2`,
      [w.id, w.agents[2]],
    );
    expect(moved).toEqual({ hit: '1', missed: '1' });
    await apply(w, ids, numbers, { op: 'merge', t: 0, into: 1 });
    await apply(w, ids, numbers, { op: 'fold' });
    await compare(w.id);
    const rows = await q<{ tickets: number }>(`SELECT tickets FROM ticket_performance_rollups WHERE workspace_id = $1 AND grain = 'month' AND tickets <> 0`, [w.id]);
    expect(rows).toEqual([{ tickets: 1 }]);
  });

  it('reads the same figures as a scan of the tickets, for whole months, days and part-days', async () => {
    const w = await workspace();
    const ids: (string | null)[] = [];
    // 300 tickets over 45 days from 20 January: answered after 3 minutes to two days, half solved.
    const rng = fc.sample(fc.tuple(fc.integer({ min: 0, max: 44 * 1440 }), fc.integer({ min: 3, max: 2880 }), fc.integer({ min: 10, max: 20000 }), fc.integer({ min: 0, max: 3 }), fc.boolean()), { numRuns: 300, seed: 7 });
    for (const [i, [minute, respond, solve, who, solved]] of rng.entries()) {
      const created = new Date(BASE + minute * MINUTE);
      const [row] = await q<{ id: string }>(
        `INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, assignee_id, team_id, created_at, first_customer_message_at,
                              first_response_at, public_reply_count, solved_at)
         VALUES (gen_random_uuid(), $1, $2, 'الطلب لم يصل', $3, 'normal', 'chat', $4, $5, $6, $7, $7, $7::timestamptz + $8 * interval '1 minute', 1,
                 CASE WHEN $9 THEN $7::timestamptz + $10 * interval '1 minute' END) RETURNING id`,
        [w.id, i + 1, solved ? 'solved' : 'open', w.customer, who < 3 ? w.agents[who] : null, who < 2 ? w.teams[who % 2] : null, created, respond, solved, solve],
      );
      ids.push(row!.id);
    }
    const ctx: WorkspaceContext = { db: db.db, workspaceId: w.id, actor: { type: 'system', id: null, role: 'owner' } };
    const periods: Array<[string, string]> = [
      ['2026-01-20T00:00:00Z', '2026-03-06T00:00:00Z'], // everything: days, the whole of February, days
      ['2026-01-23T13:30:00Z', '2026-02-17T08:15:00Z'], // part-days at both ends
      ['2026-02-01T00:00:00Z', '2026-03-01T00:00:00Z'], // one whole month
      ['2026-02-10T06:00:00Z', '2026-02-10T18:00:00Z'], // inside one day
    ];
    for (const [from, to] of periods) {
      for (const groupBy of [null, 'agent', 'team'] as const) {
        const report = await performanceReport(ctx, new Date(from), new Date(to), groupBy);
        const scan = await q<{ key: string | null; tickets: string; solved: string; frt: number | null; res: number | null }>(
          `SELECT ${groupBy === 'agent' ? 'assignee_id::text' : groupBy === 'team' ? 'team_id::text' : 'NULL::text'} AS key, count(*) AS tickets,
                  count(*) FILTER (WHERE status = 'solved') AS solved,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_response_at - first_customer_message_at) / 60) AS frt,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM solved_at - created_at) / 60) FILTER (WHERE status = 'solved') AS res
           FROM tickets WHERE workspace_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY 1`,
          [w.id, from, to],
        );
        const lines = groupBy ? report.groups : [{ key: null, ...report.overall }];
        expect(lines.map((l) => [l.key, l.tickets, l.solved]).sort(), `${from}…${to} by ${groupBy}`).toEqual(scan.map((s) => [s.key, Number(s.tickets), Number(s.solved)]).sort());
        for (const s of scan) {
          const line = lines.find((l) => l.key === s.key)!;
          expect(line.firstResponseMinutes).not.toBeNull();
          expect(Math.abs(line.firstResponseMinutes! - Number(s.frt))).toBeLessThanOrEqual(Number(s.frt) * 0.05 + 0.1);
          if (s.res === null) expect(line.resolutionMinutes).toBeNull();
          else expect(Math.abs(line.resolutionMinutes! - Number(s.res))).toBeLessThanOrEqual(Number(s.res) * 0.05 + 0.1);
        }
      }
    }
  }, 300_000);
});

describe('a period read from day and month rollups', () => {
  const d = (s: string) => new Date(s);
  it('takes whole months, then whole days, then the part-days at the ends from the rows', () => {
    expect(splitPeriod(d('2026-01-30T10:00:00Z'), d('2026-04-02T06:00:00Z'), true)).toEqual({
      months: [d('2026-02-01T00:00:00Z'), d('2026-04-01T00:00:00Z')],
      days: [[d('2026-01-31T00:00:00Z'), d('2026-02-01T00:00:00Z')], [d('2026-04-01T00:00:00Z'), d('2026-04-02T00:00:00Z')]],
      raw: [[d('2026-01-30T10:00:00Z'), d('2026-01-31T00:00:00Z')], [d('2026-04-02T00:00:00Z'), d('2026-04-02T06:00:00Z')]],
    });
    const inside = splitPeriod(d('2026-02-10T06:00:00Z'), d('2026-02-10T18:00:00Z'), true);
    expect(inside.raw[0]).toEqual([d('2026-02-10T06:00:00Z'), d('2026-02-10T18:00:00Z')]);
  });

  it('covers every instant of any period exactly once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 * 24 }), fc.integer({ min: 1, max: 400 * 24 }), fc.boolean(), (startHour, hours, months) => {
        const from = new Date(Date.UTC(2025, 0, 1) + startHour * 3_600_000);
        const to = new Date(from.getTime() + hours * 3_600_000);
        const split = splitPeriod(from, to, months);
        const pieces = [split.months, ...split.days, ...split.raw]
          .map(([a, b]) => [a.getTime(), b.getTime()] as const)
          .filter(([a, b]) => b > a)
          .sort((a, b) => a[0] - b[0]);
        expect(pieces[0]?.[0]).toBe(from.getTime());
        expect(pieces.at(-1)?.[1]).toBe(to.getTime());
        for (let i = 1; i < pieces.length; i++) expect(pieces[i]![0]).toBe(pieces[i - 1]![1]);
        // Months start and end at UTC month starts, days at UTC midnights.
        const [m1, m2] = split.months;
        if (m2 > m1) expect([m1.getUTCDate(), m2.getUTCDate(), m1.getUTCHours()]).toEqual([1, 1, 0]);
        for (const [a, b] of split.days.filter(([a, b]) => b > a)) expect([a.getTime() % 86_400_000, b.getTime() % 86_400_000]).toEqual([0, 0]);
      }),
    );
  });
});

describe('duration histograms', () => {
  it('put a duration in the bucket the database does, and read medians within 5%', () => {
    expect([0, 0.5, 1, 59, 60, 61, 1440, 129_600].map(durationBucket)).toEqual([0, 8, 14, 83, 84, 84, 149, 241]);
    expect(histogramMedian(new Map())).toBeNull();
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 200_000, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        const counts = new Map<number, number>();
        for (const v of values) counts.set(durationBucket(v), (counts.get(durationBucket(v)) ?? 0) + 1);
        const sorted = [...values].sort((a, b) => a - b);
        const mid = sorted.length / 2;
        const exact = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
        expect(Math.abs(histogramMedian(counts)! - exact)).toBeLessThanOrEqual(exact * 0.05 + 0.06);
      }),
    );
  });
});
