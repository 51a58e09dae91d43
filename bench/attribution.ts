// The UMOT → ZMOT attribution report over many review views and conversions on PostgreSQL.
// A scratch database is created and dropped; the facts the report reads (loop_facts: review
// views and conversions, as insertTouchpoints writes them) and the reviews are generated
// server-side (INSERT … SELECT generate_series), then the product's report function runs.
// Quick (default for `npm run bench -- --quick` and this file alone): 100k views / 10k
// conversions; full: 1M views / 100k conversions (the issue's target: under 500 ms).
// Run alone: npx tsx bench/attribution.ts [--full] [--sizes=100000,1000000]
import { loadavg } from 'node:os';
import pg from 'pg';
import { attributionReport } from '../src/attribution/report.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
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
}

const CASES: Case[] = [
  { name: 'whole year, linear', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', model: 'linear' },
  { name: 'whole year, last touch', from: '2025-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', model: 'last_touch' },
  { name: 'one quarter, first touch', from: '2025-04-01T00:00:00Z', to: '2025-07-01T00:00:00Z', model: 'first_touch' },
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
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  try {
    await migrate(db.pool);
    for (const size of sizes) {
      const workspaceId = (await db.pool.query<{ id: string }>(`SELECT md5('bench-attribution-' || $1::text)::uuid AS id`, [size])).rows[0]?.id as string;
      await db.pool.query(`INSERT INTO workspaces (id, name, slug, write_key) VALUES ($1, $2, $2, $3)`, [workspaceId, `bench-${size}`, `wk_bench_attr_${size}`]);
      process.stderr.write(`attribution: generating ${fmt(size)} review views…\n`);
      const began = Date.now();
      await generate(db.pool, workspaceId, size);
      const seconds = (Date.now() - began) / 1000;
      await db.pool.query('ANALYZE');
      const counts = await db.pool.query<{ kind: string; n: string }>(`SELECT kind, count(*) AS n FROM loop_facts WHERE workspace_id = $1 GROUP BY kind`, [workspaceId]);
      const n = Object.fromEntries(counts.rows.map((r) => [r.kind, Number(r.n)]));
      const ctx: WorkspaceContext = { db: db.db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
      let attributed = 0;
      for (const c of CASES) {
        const run = () => attributionReport(ctx, { from: new Date(c.from), to: new Date(c.to), model: c.model, lookbackDays: 30, limit: 50, at: new Date('2026-03-01T00:00:00Z') });
        for (let i = 0; i < (size >= 1_000_000 ? 1 : 2); i++) attributed = Math.max(attributed, (await run()).totals.attributedConversions);
        const times: number[] = [];
        const load = loadavg()[0] ?? 0;
        for (let i = 0; i < runsFor(size); i++) {
          const t0 = process.hrtime.bigint();
          await run();
          times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        }
        times.sort((a, b) => a - b);
        const p95 = percentile(times, 95);
        rows.push([fmt(size), c.name, fmt(percentile(times, 50), 1), fmt(p95, 1), fmt(load, 1)]);
        if (size >= 1_000_000 && c.name.startsWith('whole year')) verdicts.push(`${c.name}: p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(p95)} ms — ${p95 < 500 ? 'met' : '**missed**'}`);
      }
      sizeRows.push([fmt(n.review_view ?? 0), fmt(n.conversion ?? 0), fmt(attributed), fmt(REVIEWS), fmt(seconds, 1)]);
    }
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  return `## UMOT → ZMOT attribution report (PostgreSQL)

${machineLine(machine())}

Generated server-side in a scratch database (dropped afterwards): the review-view and
conversion facts (\`loop_facts\`, as \`insertTouchpoints\` writes them), one person per 2.5
views (half customers, half anonymous), each researching for 20 days from a random day of
2025; one person in four converts 21–25 days after starting; 2,000 reviews. Each report ran
10 times after 2 warm-up runs (3 after 1 at a million views) through the product's \`attributionReport\` (one SQL
statement plus the review lookup; in-process, no HTTP), lookback 30 days.

${table(['review views', 'conversions', 'attributed (year)', 'reviews', 'generate s'], sizeRows)}

${table(['views', 'report', 'p50 ms', 'p95 ms', 'load average'], rows)}

${verdicts.length ? `Target "1M views and 100k conversions under 500 ms":\n\n${verdicts.map((v) => `- ${v}`).join('\n')}` : 'Quick sizes only in this run (the target is measured with `npx tsx bench/attribution.ts --full`).'}`;
}

export async function main(quick: boolean): Promise<void> {
  const custom = process.argv.find((a) => a.startsWith('--sizes='));
  const full = !quick && process.argv.includes('--full');
  const sizes = custom ? custom.slice('--sizes='.length).split(',').map(Number) : full ? [100_000, 1_000_000] : [100_000];
  writeSection('attribution', await attributionBench(sizes));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(!process.argv.includes('--full'));
