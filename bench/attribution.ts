// The UMOT → ZMOT attribution report over many review views and conversions on PostgreSQL.
// A scratch database is created and dropped; the facts the report reads (loop_facts: review
// views and conversions, as insertTouchpoints writes them) and the reviews are generated
// server-side (INSERT … SELECT generate_series) with the attribution triggers off, the sums of
// migration 068 are then rebuilt in one pass (as a bulk import does; timed), and the product's
// report function runs: from the sums (periods of whole months, lookback 7/30/90) and, for
// comparison, the exact report over loop_facts that any other period still uses.
// Quick (default for `npm run bench -- --quick` and this file alone): 100k views / 10k
// conversions; full: 1M views / 100k conversions (the issue's target: under 500 ms).
// Run alone: npx tsx bench/attribution.ts [--full] [--sizes=100000,1000000] [--keep] (--keep leaves
// the scratch database for EXPLAIN ANALYZE by hand)
import { createHash } from 'node:crypto';
import { loadavg } from 'node:os';
import pg from 'pg';
import { foldAttribution } from '../src/attribution/fold.ts';
import { attributionReport, attributionSource } from '../src/attribution/report.ts';
import type { AttributionSource } from '../src/attribution/report.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { ensureTouchpointPartitions, insertTouchpoints } from '../src/journeys/store.ts';
import type { NewTouchpoint } from '../src/journeys/store.ts';
import { newId } from '../src/shared/ids.ts';
import type { AttributionModel } from '../src/domain/attribution.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { fmt, machine, machineLine, percentile, table, writeSection } from './lib/benchmarks-md.ts';
import { ADMIN_URL } from './moments-ingest.ts';

/** Timed runs per report: fewer at a million views, where one run takes seconds on a shared machine. */
const runsFor = (views: number) => (views >= 1_000_000 ? 3 : 10);
const REVIEWS = 2_000;
const YEAR_START = '2025-01-01T00:00:00Z';

interface Case {
  name: string;
  from: string;
  to: string;
  model: AttributionModel;
  lookbackDays?: number;
}

const CASES: Case[] = [
  { name: 'whole year, linear', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', model: 'linear' },
  { name: 'whole year, last touch', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', model: 'last_touch' },
  { name: 'one quarter, first touch', from: '2025-04-01T00:00:00Z', to: '2025-07-01T00:00:00Z', model: 'first_touch' },
  { name: 'one quarter, linear, lookback 90 days', from: '2025-04-01T00:00:00Z', to: '2025-07-01T00:00:00Z', model: 'linear', lookbackDays: 90 },
  { name: 'past 90 days on 2025-12-15 10:30 (the API default)', from: '2025-09-16T10:30:00Z', to: '2025-12-15T10:30:00Z', model: 'linear' },
  { name: 'one year to 2025-12-15 10:30', from: '2024-12-15T10:30:00Z', to: '2025-12-15T10:30:00Z', model: 'last_touch' },
];

/**
 * People (one per 2.5 views; half identified customers, half anonymous visitors) each research
 * over 20 days from a random day of 2025 and read reviews (2,000 reviews, one in five negative);
 * one person in four converts 21–25 days after starting — so the conversions number a tenth of
 * the views.
 */
export async function generate(pool: pg.Pool, workspaceId: string, views: number): Promise<void> {
  const people = Math.max(1, Math.floor(views / 2.5));
  await pool.query(
    `INSERT INTO submitted_reviews (id, workspace_id, author, rating, text, locale, valence, published_at)
     SELECT md5($1::text || 'r' || g)::uuid, $1::uuid, 'Reviewer ' || g, 1 + (g % 5), 'Review number ' || g, 'en',
            CASE WHEN g % 5 = 0 THEN 'negative' WHEN g % 5 = 1 THEN 'neutral' ELSE 'positive' END, '2024-12-01'
     FROM generate_series(0, $2::int - 1) g`,
    [workspaceId, REVIEWS],
  );
  const person = (p: string) => `CASE WHEN ${p} % 2 = 0 THEN md5($1::text || 'c' || ${p})::uuid END, CASE WHEN ${p} % 2 = 1 THEN 'anon-' || ${p} END`;
  const start = (param: string) => `${param}::timestamptz + ((hashint4(p::int)::bigint & 2147483647) % 330) * interval '1 day'`;
  const half = Math.ceil(views / 2);
  await Promise.all(
    [0, half].map((from) =>
      pool.query(
        `INSERT INTO loop_facts (workspace_id, kind, at, touchpoint_id, message_id, event, customer_id, anonymous_id, review_id)
         SELECT $1::uuid, 'review_view', ${start('$4')} + ((hashint4(g::int * 7)::bigint & 2147483647) % (20 * 86400)) * interval '1 second',
                gen_random_uuid(), 'v' || g, 'Review Viewed', ${person('p')},
                md5($1::text || 'r' || ((hashint4(g::int * 13)::bigint & 2147483647) % ${REVIEWS}))::uuid
         FROM (SELECT g, (hashint4(g::int * 3)::bigint & 2147483647) % $3::bigint AS p
               FROM generate_series($2::bigint, least($2::bigint + $5::bigint - 1, $6::bigint - 1)) g) x`,
        [workspaceId, from, people, YEAR_START, half, views],
      ),
    ),
  );
  await pool.query(
    `INSERT INTO loop_facts (workspace_id, kind, at, touchpoint_id, message_id, event, customer_id, anonymous_id)
     SELECT $1::uuid, 'conversion', ${start('$3')} + interval '21 days' + ((hashint4(p::int * 5)::bigint & 2147483647) % (4 * 86400)) * interval '1 second',
            gen_random_uuid(), 'c' || p, 'Order Completed', ${person('p')}
     FROM generate_series(0, $2::bigint - 1, 4) p`,
    [workspaceId, people, YEAR_START],
  );
}

const ATTRIBUTION_TRIGGERS = ['insert', 'update', 'delete'].map((op) => `loop_facts_attribution_${op}`);
const INGEST = 20_000;
const INGEST_BATCH = 500;

/**
 * What the triggers cost at ingest: 20,000 touchpoints through insertTouchpoints (the product's
 * write path) in batches of 500, each batch its own transaction, one connection: four review
 * views then a conversion per visitor (4,000 visitors, half of them already with views in the
 * data, so their earlier views are recomputed too), with the attribution triggers on or off.
 * On, the time includes recomputing the people they queued (one refresh at the end, as the
 * attribution.refresh job or the next report would).
 */
async function ingestSeconds(db: Awaited<ReturnType<typeof openDatabase>>, workspaceId: string, run: string, triggers: boolean): Promise<number> {
  const review = (g: number) => {
    const h = createHash('md5').update(`${workspaceId}r${g}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const rows: NewTouchpoint[] = [];
  for (let i = 0; i < INGEST; i++) {
    const visitor = Math.floor(i / 5);
    // Even visitors are the generated data's anonymous people (anon-<odd p>), odd ones new.
    const anonymousId = visitor % 2 === 0 ? `anon-${2 * visitor + 1}` : `${run}-${visitor}`;
    const conversion = i % 5 === 4;
    rows.push({
      id: newId(),
      messageId: `${run}-${i}`,
      customerId: null,
      anonymousId,
      kind: 'track',
      event: conversion ? 'Order Completed' : 'Review Viewed',
      stage: conversion ? 'fmot' : 'zmot',
      valence: 'neutral',
      channel: 'web',
      properties: conversion ? {} : { reviewId: review((i * 13) % REVIEWS) },
      context: {},
      decidedBy: 'bench',
      ruleId: null,
      occurredAt: new Date(Date.UTC(2025, 5, 1) + (i % 1000) * 3_600_000 + (i % 5) * 86_400_000),
    });
  }
  await ensureTouchpointPartitions(db.db, rows.map((r) => r.occurredAt), new Date('2026-01-01T00:00:00Z'));
  if (!triggers) for (const t of ATTRIBUTION_TRIGGERS) await db.pool.query(`ALTER TABLE loop_facts DISABLE TRIGGER ${t}`);
  try {
    const t0 = Date.now();
    for (let i = 0; i < rows.length; i += INGEST_BATCH) {
      await db.db.transaction().execute((tx) => insertTouchpoints(tx, workspaceId, rows.slice(i, i + INGEST_BATCH)));
    }
    // The triggers only queue the people (migration 077): their recompute is part of the cost.
    if (triggers) await foldAttribution(db.db, workspaceId);
    return (Date.now() - t0) / 1000;
  } finally {
    if (!triggers) for (const t of ATTRIBUTION_TRIGGERS) await db.pool.query(`ALTER TABLE loop_facts ENABLE TRIGGER ${t}`);
  }
}

export async function attributionBench(sizes: number[]): Promise<string> {
  const dbName = `truthdesk_bench_attribution_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 3 });
  const sizeRows: (string | number)[][] = [];
  const ingestRows: (string | number)[][] = [];
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  try {
    await migrate(db.pool);
    for (const size of sizes) {
      const workspaceId = (await db.pool.query<{ id: string }>(`SELECT md5('bench-attribution-' || $1::text)::uuid AS id`, [size])).rows[0]?.id as string;
      await db.pool.query(`INSERT INTO workspaces (id, name, slug, write_key) VALUES ($1, $2, $2, $3)`, [workspaceId, `bench-${size}`, `wk_bench_attr_${size}`]);
      process.stderr.write(`attribution: generating ${fmt(size)} review views…\n`);
      const began = Date.now();
      await db.pool.query('ALTER TABLE loop_facts DISABLE TRIGGER loop_facts_attribution_insert');
      try {
        await generate(db.pool, workspaceId, size);
      } finally {
        await db.pool.query('ALTER TABLE loop_facts ENABLE TRIGGER loop_facts_attribution_insert');
      }
      const seconds = (Date.now() - began) / 1000;
      await db.pool.query('ANALYZE loop_facts');
      process.stderr.write(`attribution: rebuilding the sums…\n`);
      const rebuildLoad = loadavg()[0] ?? 0;
      const rebuildBegan = Date.now();
      await db.pool.query('SELECT attribution_refresh($1::uuid, NULL)', [workspaceId]);
      const rebuildSeconds = (Date.now() - rebuildBegan) / 1000;
      await db.pool.query('VACUUM ANALYZE');
      const sums = await db.pool.query<{ t: string; n: string }>(
        `SELECT 'views' AS t, count(*) AS n FROM attribution_views WHERE workspace_id = $1
         UNION ALL SELECT 'credits', count(*) FROM attribution_credits WHERE workspace_id = $1
         UNION ALL SELECT 'months', (SELECT count(*) FROM attribution_reach_months WHERE workspace_id = $1) + (SELECT count(*) FROM attribution_people_months WHERE workspace_id = $1)
           + (SELECT count(*) FROM attribution_lost_months WHERE workspace_id = $1) + (SELECT count(*) FROM attribution_credit_months WHERE workspace_id = $1)`,
        [workspaceId],
      );
      const sum = Object.fromEntries(sums.rows.map((r) => [r.t, Number(r.n)]));
      const counts = await db.pool.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM loop_facts WHERE workspace_id = $1 GROUP BY kind`, [workspaceId]);
      const n = Object.fromEntries(counts.rows.map((r) => [r.kind, Number(r.n)]));
      const ctx: WorkspaceContext = { db: db.db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
      let attributed = 0;
      for (const c of CASES) {
        const options = { from: new Date(c.from), to: new Date(c.to), model: c.model, lookbackDays: c.lookbackDays ?? 30, limit: 50, at: new Date('2026-03-01T00:00:00Z') };
        const run = (source?: AttributionSource) => attributionReport(ctx, { ...options, ...(source ? { source } : {}) });
        const timed = async (source: AttributionSource | undefined, runs: number) => {
          const times: number[] = [];
          for (let i = 0; i < runs; i++) {
            const t0 = process.hrtime.bigint();
            await run(source);
            times.push(Number(process.hrtime.bigint() - t0) / 1e6);
          }
          return times.sort((a, b) => a - b);
        };
        const source = attributionSource(options.from, options.to, options.lookbackDays);
        const first = await run();
        attributed = Math.max(attributed, first.totals.attributedConversions);
        // The paths must agree, or the figures compare different reports.
        const exactReport = JSON.stringify(await run('facts'));
        if (exactReport !== JSON.stringify(first)) throw new Error(`${c.name}: the report from ${source} differs from the one from loop_facts`);
        if (source === 'sums' && JSON.stringify(await run('rows')) !== exactReport) throw new Error(`${c.name}: the report from rows differs from the one from loop_facts`);
        if (size < 1_000_000) await run();
        const load = loadavg()[0] ?? 0;
        const times = await timed(undefined, runsFor(size));
        const p50 = percentile(times, 50);
        const p95 = percentile(times, 95);
        const endLoad = loadavg()[0] ?? 0;
        // The other paths fewer times (the one from loop_facts takes seconds at a million views).
        const rowsP50 = source === 'sums' ? fmt(percentile(await timed('rows', 3), 50), 1) : '—';
        const factsP50 = percentile(await timed('facts', size >= 1_000_000 ? 1 : 3), 50);
        rows.push([fmt(size), c.name, source, fmt(p50, 1), fmt(p95, 1), `${fmt(load, 1)}–${fmt(endLoad, 1)}`, rowsP50, fmt(factsP50, 1), `${fmt(factsP50 / p50, 1)}×`]);
        if (size >= 1_000_000) verdicts.push(`${c.name} (${source}): p50 ${fmt(p50)} ms, p95 ${fmt(p95)} ms — ${p95 < 500 ? 'met' : '**missed**'}`);
      }
      // Ingest last (it adds facts): off, on, off again, so that drift in the machine's load shows.
      const ingest: number[] = [];
      const ingestLoad = loadavg()[0] ?? 0;
      for (const [k, on] of [false, true, false, true].entries()) ingest.push(await ingestSeconds(db, workspaceId, `ingest-${size}-${k}`, on));
      const [offA, onA, offB, onB] = ingest as [number, number, number, number];
      ingestRows.push([
        fmt(size),
        `${fmt(INGEST / offA)} / ${fmt(INGEST / offB)}`,
        `${fmt(INGEST / onA)} / ${fmt(INGEST / onB)}`,
        `${fmt((onA + onB) / (offA + offB), 2)}×`,
        `${fmt(ingestLoad, 1)}–${fmt(loadavg()[0] ?? 0, 1)}`,
      ]);
      sizeRows.push([
        fmt(n.review_view ?? 0),
        fmt(n.conversion ?? 0),
        fmt(attributed),
        fmt(REVIEWS),
        fmt(seconds, 1),
        `${fmt(rebuildSeconds, 1)} (load ${fmt(rebuildLoad, 1)})`,
        `${fmt(sum.views ?? 0)} / ${fmt(sum.credits ?? 0)} / ${fmt(sum.months ?? 0)}`,
      ]);
    }
  } finally {
    await db.close();
    if (process.argv.includes('--keep')) process.stderr.write(`attribution: kept ${dbName}\n`);
    else await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  return `## UMOT → ZMOT attribution report (PostgreSQL)

${machineLine(machine())}

Generated server-side in a scratch database (dropped afterwards): the review-view and
conversion facts (\`loop_facts\`, as \`insertTouchpoints\` writes them), one person per 2.5
views (half customers, half anonymous), each researching for 20 days from a random day of
2025; one person in four converts 21–25 days after starting; 2,000 reviews. The facts are
loaded with the attribution triggers off, then the write-time sums of migration 068 are rebuilt
in one pass (\`attribution_refresh\`, as a bulk import does; "rebuild s"). Each report ran 10
times (3 at a million views) after a warm-up and a check that the report from the sums equals
the exact one, through the product's \`attributionReport\` (one SQL statement plus the review
lookup; in-process, no HTTP), lookback 30 days unless named, report time 2026-03-01. The
report reads from the cheapest exact source (\`attributionSource\`): "sums" = the monthly sums
(whole months), "rows" = the period's per-view and per-conversion rows (any other period);
both kept at write time. "facts" = the report over loop_facts of before (still used for a
lookback other than 7, 30 or 90 days), timed once at a million views, 3 times below; "rows"
beside a "sums" case is the same period read row by row (3 runs). Load average: at the start
and the end of the timed runs of the chosen source.

${table(['review views', 'conversions', 'attributed (year)', 'reviews', 'generate s', 'rebuild s', 'rows: views / credits / monthly sums'], sizeRows)}

${table(['views', 'report', 'read from', 'p50 ms', 'p95 ms', 'load average', 'rows p50 ms', 'facts p50 ms', 'facts ÷ chosen'], rows)}

What the sums cost at ingest: ${fmt(INGEST)} touchpoints (four review views then a conversion per
visitor, half of the visitors already in the data) through \`insertTouchpoints\` in batches of
${INGEST_BATCH}, one transaction each, one connection, into the data above; with the attribution
triggers off and on, twice each, alternating.

${table(['views in data', 'touchpoints/s, triggers off', 'touchpoints/s, triggers on', 'time on ÷ off', 'load average'], ingestRows)}

${verdicts.length ? `Target "1M views and 100k conversions under 500 ms":\n\n${verdicts.map((v) => `- ${v}`).join('\n')}` : 'Quick sizes only in this run (the target is measured with `npx tsx bench/attribution.ts --full`).'}`;
}

export async function main(quick: boolean): Promise<void> {
  const custom = process.argv.find((a) => a.startsWith('--sizes='));
  const full = !quick && process.argv.includes('--full');
  const sizes = custom ? custom.slice('--sizes='.length).split(',').map(Number) : full ? [100_000, 1_000_000] : [100_000];
  writeSection('attribution', await attributionBench(sizes));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(!process.argv.includes('--full'));
