// The moments report's people and conversion (read from linked person-day rows and their
// aggregate, migrations 063 and 064) equal a direct computation from the raw touchpoints, for
// random touchpoints arriving in any order, identify merges, a customer erased, folds of the
// aggregate's deltas at any point, and random [from, to)
// instants: same-day periods, periods starting or ending at midnight or mid-day. The rollups
// maintained batch by batch also equal a rebuild from scratch.
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseCustomer } from '../src/customers/erase.ts';
import { STAGES, nextStage } from '../src/domain/moments.ts';
import type { Stage } from '../src/domain/moments.ts';
import { foldAllPendingPeople, foldAllPersonGaps, queuePeopleFold, queuePeopleRefresh } from '../src/journeys/people-fold.ts';
import { momentsReport, momentsTrend, share } from '../src/journeys/reports.ts';
import { foldPendingPeople, foldPersonGaps, insertTouchpoints, mergeAnonymousMany, rebuildRollups } from '../src/journeys/store.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const BASE = Date.parse('2026-03-01T00:00:00Z');
const STEP = 30 * 60_000; // half an hour: ties and midnights happen often
const SPAN = 5 * 48; // five days of steps
const CUSTOMERS = 3;
const ANONS = 3;

interface Touch {
  customer: number | null;
  anon: number | null;
  stage: Stage;
  step: number;
}
type Op =
  | { type: 'batch'; touches: Touch[] }
  | { type: 'merge'; anon: number; customer: number }
  | { type: 'erase'; customer: number }
  | { type: 'fold' }
  | { type: 'refresh' };

const touch = fc
  .record({
    customer: fc.option(fc.integer({ min: 0, max: CUSTOMERS - 1 }), { nil: null }),
    anon: fc.option(fc.integer({ min: 0, max: ANONS - 1 }), { nil: null }),
    stage: fc.constantFrom(...STAGES),
    step: fc.integer({ min: 0, max: SPAN }),
  })
  .filter((t) => t.customer !== null || t.anon !== null);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ type: fc.constant('batch' as const), touches: fc.array(touch, { minLength: 1, maxLength: 8 }) }) },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('merge' as const), anon: fc.integer({ min: 0, max: ANONS - 1 }), customer: fc.integer({ min: 0, max: CUSTOMERS - 1 }) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('erase' as const), customer: fc.integer({ min: 0, max: CUSTOMERS - 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ type: 'fold' as const }) },
  // The pending people refreshed between writes (the background job), not only by the report.
  { weight: 2, arbitrary: fc.constant({ type: 'refresh' as const }) },
);
// Instants on the half-hour grid, a little beyond the data on both sides.
const instant = fc.integer({ min: -4, max: SPAN + 4 }).map((s) => new Date(BASE + s * STEP));
const period = fc.tuple(instant, instant).map(([a, b]) => (a <= b ? [a, b] : [b, a]) as [Date, Date]);

/** The definition, straight from the touchpoints: people at S in [from, to), and converted ones. */
function reference(touches: readonly { who: string; stage: Stage; at: number }[], from: Date, to: Date) {
  const inPeriod = touches.filter((t) => t.at >= from.getTime() && t.at < to.getTime());
  return STAGES.map((stage) => {
    const firstAt = new Map<string, number>();
    for (const t of inPeriod) if (t.stage === stage) firstAt.set(t.who, Math.min(t.at, firstAt.get(t.who) ?? Infinity));
    const next = nextStage(stage);
    let converted = 0;
    for (const [who, f] of firstAt) if (next && inPeriod.some((t) => t.who === who && t.stage === next && t.at > f)) converted++;
    return { stage, customers: firstAt.size, conversionToNext: next ? share(converted, firstAt.size) : null };
  });
}

describe.each(availableBackends())('moments people and conversion equal the raw definition on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    await sql`SELECT touchpoints_ensure_partition(m) FROM generate_series('2026-02-01'::timestamp, '2026-04-01'::timestamp, interval '1 month') m`.execute(database.db);
  });
  afterAll(async () => database?.close());

  it('for random touchpoints in any order, merges, an erasure and any [from, to)', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 8 }), fc.array(period, { minLength: 4, maxLength: 4 }), async (ops, periods) => {
        const workspaceId = randomUUID();
        const db = database.db;
        await sql`INSERT INTO workspaces (id, name, slug, write_key) VALUES (${workspaceId}, 'p', ${`p-${workspaceId}`}, ${`wk-${workspaceId}`})`.execute(db);
        const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
        for (const [i, id] of customers.entries()) {
          await sql`INSERT INTO customers (id, workspace_id, external_id, search_text) VALUES (${id}, ${workspaceId}, ${`c${i}`}, '')`.execute(db);
        }
        const erased = new Set<number>();
        // The model: every stored touchpoint with the person it belongs to now.
        const model: { customer: string | null; anon: string | null; stage: Stage; at: number }[] = [];
        let n = 0;
        for (const o of ops) {
          if (o.type === 'batch') {
            const rows = o.touches
              .filter((t) => t.customer === null || !erased.has(t.customer))
              .map((t) => ({
                id: randomUUID(),
                messageId: `m${n++}`,
                customerId: t.customer === null ? null : (customers[t.customer] as string),
                anonymousId: t.anon === null ? null : `v${t.anon}`,
                kind: 'track' as const,
                event: 'Step',
                stage: t.stage,
                valence: 'neutral',
                channel: null,
                properties: {},
                context: {},
                decidedBy: 'explicit',
                ruleId: null,
                occurredAt: new Date(BASE + t.step * STEP),
              }));
            await db.transaction().execute((tx) => insertTouchpoints(tx, workspaceId, rows));
            for (const r of rows) model.push({ customer: r.customerId, anon: r.anonymousId, stage: r.stage, at: r.occurredAt.getTime() });
          } else if (o.type === 'merge') {
            if (erased.has(o.customer)) continue;
            const customerId = customers[o.customer] as string;
            await db.transaction().execute((tx) => mergeAnonymousMany(tx, workspaceId, [{ anonymousId: `v${o.anon}`, customerId }]));
            for (const t of model) if (t.anon === `v${o.anon}` && t.customer === null) t.customer = customerId;
          } else if (o.type === 'fold') {
            await foldPersonGaps(db, workspaceId);
          } else if (o.type === 'refresh') {
            await foldPendingPeople(db, workspaceId);
          } else {
            if (erased.has(o.customer)) continue;
            erased.add(o.customer);
            const customerId = customers[o.customer] as string;
            const ctx: WorkspaceContext = { db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
            await eraseCustomer(ctx, customerId, { reason: 'property test' });
            for (let i = model.length - 1; i >= 0; i--) if (model[i]?.customer === customerId) model.splice(i, 1);
          }
        }
        const touches = model.map((t) => ({ who: t.customer ?? `anon:${t.anon}`, stage: t.stage, at: t.at }));
        const ctx: WorkspaceContext = { db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
        for (const [from, to] of periods) {
          const got = (await momentsReport(ctx, from, to)).map((s) => ({ stage: s.stage, customers: s.customers, conversionToNext: s.conversionToNext }));
          expect(got, `${from.toISOString()} – ${to.toISOString()}`).toEqual(reference(touches, from, to));
        }
        // The trend by day: each day clipped to [from, to) of the first period.
        const [from, to] = periods[0] as [Date, Date];
        if (from < to) {
          const trend = await momentsTrend(ctx, from, to, 'day');
          for (const p of trend) {
            const want = reference(touches, new Date(p.from), new Date(p.to)).map((s) => [s.stage, s.customers]);
            expect(p.stages.map((s) => [s.stage, s.customers]), p.period).toEqual(want);
          }
        }
        // Maintained batch by batch = rebuilt from scratch.
        const snapshot = async () => ({
          days: (await sql`SELECT day::text, stage, who, first_at, last_at, prev_last, conv_at, later_conv_at FROM touchpoint_person_days WHERE workspace_id = ${workspaceId} ORDER BY 1, 2, 3`.execute(db)).rows,
          // The aggregate as readers see it: with the deltas not yet folded in (migration 064).
          gaps: (
            await sql`SELECT day::text, stage, prev_day::text, conv_day::text, sum(people)::int AS people
                      FROM (SELECT day, stage, prev_day, conv_day, people FROM touchpoint_person_gaps WHERE workspace_id = ${workspaceId}
                            UNION ALL SELECT day, stage, prev_day, conv_day, people FROM touchpoint_person_gap_deltas WHERE workspace_id = ${workspaceId}) u
                      GROUP BY 1, 2, 3, 4 HAVING sum(people) <> 0 ORDER BY 1, 2, 3, 4`.execute(db)
          ).rows,
        });
        const incremental = await snapshot();
        await rebuildRollups(db, workspaceId);
        expect(await snapshot()).toEqual(incremental);
        runs++;
      }),
      { numRuns: kind === 'pglite' ? 60 : 40 },
    );
    expect(runs).toBeGreaterThan(0);
  }, 600_000);

  it('folds the aggregate deltas in the background job, one fold queued per slot', async () => {
    await foldAllPersonGaps(database.db);
    const pending = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM touchpoint_person_gap_deltas`.execute(database.db)).rows[0]?.n);
    expect(await pending()).toBe(0);
    const at = new Date();
    await queuePeopleFold(database.db, at);
    await queuePeopleFold(database.db, at);
    const jobs = await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'touchpoints.people.fold' AND state < 'completed'`.execute(database.db);
    expect(Number(jobs.rows[0]?.n)).toBe(1);
  });

  it('leaves the people of a batch pending until the refresh job recomputes them, then answers from their rows', async () => {
    const db = database.db;
    const workspaceId = randomUUID();
    await sql`INSERT INTO workspaces (id, name, slug, write_key) VALUES (${workspaceId}, 'r', ${`r-${workspaceId}`}, ${`wk-${workspaceId}`})`.execute(db);
    const customerId = randomUUID();
    await sql`INSERT INTO customers (id, workspace_id, external_id, search_text) VALUES (${customerId}, ${workspaceId}, 'nikos', '')`.execute(db);
    const touch = (stage: Stage, hours: number, anonymousId: string | null) => ({
      id: randomUUID(), messageId: randomUUID(), customerId: anonymousId ? null : customerId, anonymousId, kind: 'track' as const,
      event: 'Step', stage, valence: 'neutral', channel: null, properties: {}, context: {}, decidedBy: 'explicit', ruleId: null,
      occurredAt: new Date(BASE + hours * 3_600_000),
    });
    const personRows = async () =>
      (await sql<{ who: string; stage: string }>`SELECT who, stage FROM touchpoint_person_days WHERE workspace_id = ${workspaceId} ORDER BY 1, 2`.execute(db)).rows;
    await db.transaction().execute((tx) => insertTouchpoints(tx, workspaceId, [touch('zmot', 1, null), touch('fmot', 2, null), touch('zmot', 3, 'visitor-7')]));
    // Acknowledged and counted, the people not yet recomputed: the write did not pay for it.
    expect(await personRows()).toEqual([]);
    const pending = await sql<{ who: string; stage: string }>`SELECT x.who, x.stage FROM touchpoint_people_pending p, unnest(p.whos, p.stages) AS x(who, stage) WHERE p.workspace_id = ${workspaceId}`.execute(db);
    expect(pending.rows).toHaveLength(3);
    expect(pending.rows).toEqual(expect.arrayContaining([{ who: 'anon:visitor-7', stage: 'zmot' }, { who: customerId, stage: 'fmot' }, { who: customerId, stage: 'zmot' }]));
    // The visitor identified: both people pending at every stage.
    await db.transaction().execute((tx) => mergeAnonymousMany(tx, workspaceId, [{ anonymousId: 'visitor-7', customerId }]));
    await queuePeopleRefresh(db, new Date());
    const queued = await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'touchpoints.people.refresh' AND state < 'completed'`.execute(db);
    expect(Number(queued.rows[0]?.n)).toBe(1);
    // What the job does: every workspace's pending people, recomputed.
    expect(await foldAllPendingPeople(db)).toBeGreaterThanOrEqual(5);
    expect(await personRows()).toEqual([{ who: customerId, stage: 'fmot' }, { who: customerId, stage: 'zmot' }]);
    expect((await sql<{ n: string }>`SELECT count(*) AS n FROM touchpoint_people_pending WHERE workspace_id = ${workspaceId}`.execute(db)).rows[0]?.n).toBe('0');
    const ctx: WorkspaceContext = { db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
    const report = await momentsReport(ctx, new Date(BASE), new Date(BASE + 86_400_000));
    expect(report.find((s) => s.stage === 'zmot')).toMatchObject({ customers: 1, conversionToNext: 1 });
  });
});
