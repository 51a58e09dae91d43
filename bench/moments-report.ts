// The moments report and the stage health trend over 1M and 10M touchpoints on PostgreSQL.
// A scratch database is created and dropped; touchpoints are generated server-side
// (INSERT … SELECT generate_series) into the product's partitioned table, and the rollups are
// built by the product's own function (touchpoint_rollups_rebuild), the one the migration uses.
// Run alone: npx tsx bench/moments-report.ts [--quick] [--sizes=1000000,…] [--keep]
// --keep (or BENCH_KEEP_DB=1): use the database truthdesk_bench_report_kept and keep it
// afterwards; a size whose workspace is already there complete is reused (only new migrations
// and VACUUM ANALYZE run), so the 10M case can be measured again in seconds, not minutes.
import { loadavg } from 'node:os';
import pg from 'pg';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { rebuildRollups } from '../src/journeys/store.ts';
import { momentsReport, momentsTrend } from '../src/journeys/reports.ts';
import type { StageReport, TrendPeriod } from '../src/journeys/reports.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { fmt, machine, machineLine, percentile, table, timed, writeSection } from './lib/benchmarks-md.ts';
import { ADMIN_URL } from './moments-ingest.ts';
import { firstDifference, rawMomentsReport, rawMomentsTrend } from './lib/moments-raw.ts';

const RUNS = 50;
// The raw statement reads and sorts every touchpoint of the period (a minute or more at 10M on
// two cores): three runs, one from 10M up.
const rawRuns = (size: number) => (size >= 10_000_000 ? 1 : 3);
const YEAR_START = '2025-01-01T00:00:00Z';

interface Case {
  name: string;
  run: (ctx: WorkspaceContext) => Promise<StageReport[] | TrendPeriod[]>;
  /** The same numbers by one plain SQL statement over the touchpoints (bench/lib/moments-raw.ts). */
  raw: (pool: pg.Pool, workspaceId: string) => Promise<StageReport[] | TrendPeriod[]>;
}

const day = (iso: string) => new Date(iso);

const CASES: Case[] = [
  ['moments, whole year', '2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z'],
  ['moments, 30 days across a month end (partial days at both ends)', '2025-06-10T13:00:00Z', '2025-07-10T13:00:00Z'],
  ['moments, whole year from mid-day to mid-day (partial days at both ends)', '2025-01-01T12:00:00Z', '2025-12-31T12:00:00Z'],
  ['moments, one quarter', '2025-04-01T00:00:00Z', '2025-07-01T00:00:00Z'],
].map(([name, from, to]) => ({
  name: name as string,
  run: (ctx: WorkspaceContext) => momentsReport(ctx, day(from as string), day(to as string)),
  raw: (pool: pg.Pool, ws: string) => rawMomentsReport(pool, ws, day(from as string), day(to as string)),
}));
CASES.push(
  { name: 'trend by month, whole year', run: (ctx) => momentsTrend(ctx, day('2025-01-01T00:00:00Z'), day('2026-01-01T00:00:00Z'), 'month'), raw: (pool, ws) => rawMomentsTrend(pool, ws, day('2025-01-01T00:00:00Z'), day('2026-01-01T00:00:00Z'), 'month') },
  { name: 'trend by week, one quarter', run: (ctx) => momentsTrend(ctx, day('2025-04-01T00:00:00Z'), day('2025-07-01T00:00:00Z'), 'week'), raw: (pool, ws) => rawMomentsTrend(pool, ws, day('2025-04-01T00:00:00Z'), day('2025-07-01T00:00:00Z'), 'week') },
);

/**
 * Journeys: each customer has 50 touchpoints over ~60 days starting at a random point of
 * 2025, moving through the five stages in order (one in seven at a random stage); valence
 * half positive, a third neutral, the rest negative; four channels.
 */
async function generate(pool: pg.Pool, workspaceId: string, total: number): Promise<void> {
  const customers = Math.max(1, Math.floor(total / 50));
  await pool.query(
    `INSERT INTO customers (id, workspace_id, external_id, search_text)
     SELECT md5($1::text || g)::uuid, $1::uuid, 'bench-' || g, '' FROM generate_series(0, $2::int - 1) g`,
    [workspaceId, customers],
  );
  // Two halves at once: the INSERT … SELECT itself runs on one core. Each half is written in
  // time order, so every monthly partition is filled in turn and its indexes stay in memory
  // (in generation order the 10M load thrashed the journey index).
  const half = Math.ceil(total / 2);
  await Promise.all(
    [0, half].map((from) =>
      pool.query(
        `INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, kind, event, stage, valence, channel, decided_by, occurred_at)
         SELECT gen_random_uuid(), $1::uuid, 'bench-' || g, md5($1::text || (g % $3))::uuid, 'track', 'Bench ' || s, s,
                (ARRAY['positive', 'positive', 'positive', 'neutral', 'neutral', 'negative'])[1 + (g * 31 % 6)::int],
                (ARRAY['web', 'email', 'mobile', 'social'])[1 + (g % 4)::int], 'catalogue', at
         FROM (
           SELECT g, CASE WHEN g % 7 = 0 THEN (ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot'])[1 + (g * 13 % 5)::int]
                          ELSE (ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot'])[1 + least(4, (g / $3::bigint) / 10)::int] END AS s,
                  $5::timestamptz + ((hashint4((g % $3)::int)::bigint & 2147483647) % 304) * interval '1 day'
                    + (g / $3) * interval '28 hours' + (g % 86400) * interval '1 second' AS at
           FROM generate_series($2::bigint, least($2::bigint + $6::bigint - 1, $4::bigint - 1)) g
         ) x
         ORDER BY at`,
        [workspaceId, from, customers, total, YEAR_START, half],
      ),
    ),
  );
}

export async function reportBench(sizes: number[], onSize: (body: string) => void = () => undefined, keep = false): Promise<string> {
  const dbName = keep ? 'truthdesk_bench_report_kept' : `truthdesk_bench_report_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const exists = (await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1`, [dbName])).rowCount === 1;
  if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  if (!keep || !exists) await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 3 });
  const rows: (string | number)[][] = [];
  const sizesRows: (string | number)[][] = [];
  const verdicts: string[] = [];
  const loads: string[] = [];
  try {
    await migrate(db.pool);
    await db.pool.query(`SELECT touchpoints_ensure_partition(m) FROM generate_series('2025-01-01'::timestamp, '2026-01-01'::timestamp, interval '1 month') m`);
    for (const size of sizes) {
      const workspaceId = (await db.pool.query<{ id: string }>(`SELECT md5('bench-' || $1::text)::uuid AS id`, [size])).rows[0]?.id as string;
      // A kept workspace is reused when its rollups count every generated touchpoint (a run
      // stopped half-way is generated again).
      const counted = await db.pool.query<{ n: string | null }>(`SELECT sum(touchpoints) AS n FROM touchpoint_daily WHERE workspace_id = $1`, [workspaceId]);
      const reused = keep && Number(counted.rows[0]?.n ?? 0) === size;
      let generateSeconds: number | string = 'kept';
      let rollupSeconds: number | string = 'kept';
      if (!reused) {
        await db.pool.query(`DELETE FROM workspaces WHERE id = $1`, [workspaceId]);
        await db.pool.query(`INSERT INTO workspaces (id, name, slug, write_key) VALUES ($1, $2, $2, $3)`, [workspaceId, `bench-${size}`, `wk_bench_${size}`]);
        process.stderr.write(`report: generating ${fmt(size)} touchpoints…\n`);
        let began = Date.now();
        await generate(db.pool, workspaceId, size);
        generateSeconds = (Date.now() - began) / 1000;
        began = Date.now();
        await rebuildRollups(db.db, workspaceId);
        rollupSeconds = (Date.now() - began) / 1000;
      } else {
        process.stderr.write(`report: reusing the kept ${fmt(size)} touchpoints\n`);
      }
      // VACUUM as well as ANALYZE: a freshly written table has no visibility map yet, so an
      // index-only scan would still visit the heap for every row (and autovacuum, where it is
      // on, would do this work while the queries run).
      await db.pool.query('VACUUM ANALYZE');
      const rollupRows = await db.pool.query<{ t: string; n: string }>(
        `SELECT 'touchpoint_daily' AS t, count(*) AS n FROM touchpoint_daily WHERE workspace_id = $1
         UNION ALL SELECT 'touchpoint_person_days', count(*) FROM touchpoint_person_days WHERE workspace_id = $1
         UNION ALL SELECT 'touchpoint_person_gaps', count(*) FROM touchpoint_person_gaps WHERE workspace_id = $1`,
        [workspaceId],
      );
      const r = Object.fromEntries(rollupRows.rows.map((x) => [x.t, Number(x.n)]));
      sizesRows.push([fmt(size), fmt(size / 50), typeof generateSeconds === 'number' ? fmt(generateSeconds, 1) : generateSeconds, typeof rollupSeconds === 'number' ? fmt(rollupSeconds, 1) : rollupSeconds, fmt(r.touchpoint_daily ?? 0), fmt(r.touchpoint_person_days ?? 0), fmt(r.touchpoint_person_gaps ?? 0)]);
      const ctx: WorkspaceContext = { db: db.db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
      const loadBefore = loadavg().map((l) => l.toFixed(2)).join(' / ');
      for (const c of CASES) {
        let answer: StageReport[] | TrendPeriod[] = [];
        for (let i = 0; i < 2; i++) answer = await c.run(ctx);
        const times = await timed(RUNS, () => c.run(ctx));
        let rawAnswer: StageReport[] | TrendPeriod[] = [];
        const rawTimes = await timed(rawRuns(size), async () => (rawAnswer = await c.raw(db.pool, workspaceId)));
        const difference = firstDifference(answer, rawAnswer);
        if (difference) throw new Error(`${fmt(size)}, ${c.name}: the report and raw SQL disagree: ${difference}`);
        const p50 = percentile(times, 50);
        const p95 = percentile(times, 95);
        const rawP50 = percentile(rawTimes, 50);
        rows.push([fmt(size), c.name, fmt(p50, 1), fmt(p95, 1), fmt(percentile(times, 99), 1), fmt(rawP50, 0), `${fmt(p50 / rawP50, 3)}× (${fmt(rawP50 / p50, 0)} times faster)`]);
        if (size >= 10_000_000 && c.name.startsWith('moments')) verdicts.push(`${c.name}: p95 ${fmt(p95)} ms — ${p95 < 200 ? 'met' : '**missed**'}`);
      }
      loads.push(`${fmt(size)}: load average (1/5/15 min) ${loadBefore} before the queries, ${loadavg().map((l) => l.toFixed(2)).join(' / ')} after`);
      onSize(render());
    }
  } finally {
    await db.close();
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  return render();

  function render(): string {
  return `## Moments report over millions of touchpoints (PostgreSQL)

${machineLine(machine())}

Generated server-side in a scratch database (dropped afterwards, or kept and reused with
\`--keep\`: "kept" below): one customer per 50 touchpoints, each with a ~60-day journey
through the five stages starting at a random day of 2025; rollups built by the product's
\`touchpoint_rollups_rebuild\`, then \`VACUUM ANALYZE\`. Each query ran ${RUNS} times after 2
warm-up runs, through the product's report functions (in-process, no HTTP; p99 of ${RUNS} runs is
their slowest but one). Baseline, same run, same pg driver: the same numbers computed by one
plain SQL statement over the period's touchpoints (bench/lib/moments-raw.ts; median of 3 runs,
1 run from 10M up), which is what a report costs without the rollups; the benchmark stops if
the two answers differ in any number. Ratio = report p50 ÷ raw p50.

${table(['touchpoints', 'customers', 'generate s', 'rollups s', 'daily rows', 'person-day rows', 'person-gap rows'], sizesRows)}

${table(['touchpoints', 'query', 'p50 ms', 'p95 ms', 'p99 ms', 'raw SQL p50 ms', 'report ÷ raw'], rows)}

${loads.map((l) => `- ${l}`).join('\n')}

${verdicts.length ? `Target "report p95 under 200 ms at 10M":\n\n${verdicts.map((v) => `- ${v}`).join('\n')}` : `Sizes measured so far: ${sizesRows.map((r) => r[0]).join(', ')}.`}`;
  }
}

export async function main(quick: boolean): Promise<void> {
  const custom = process.argv.find((a) => a.startsWith('--sizes='));
  const sizes = custom ? custom.slice('--sizes='.length).split(',').map(Number) : quick ? [100_000, 1_000_000] : [1_000_000, 10_000_000];
  const keep = process.argv.includes('--keep') || process.env.BENCH_KEEP_DB === '1';
  const body = await reportBench(sizes, (partial) => writeSection('moments-report', partial), keep);
  writeSection('moments-report', body);
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.includes('--quick'));
