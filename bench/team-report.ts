// The team leader's performance report (per agent and team) over a million tickets of 50
// agents on PostgreSQL: the product's report, read from the maintained rollups (migration
// 055), against the same figures computed by scanning the period's tickets (raw SQL, exact
// medians, through the same driver in the same run: the previous implementation). Also what
// the rollup triggers cost a ticket write: bulk inserts with the triggers on and off.
// Run alone: npx tsx bench/team-report.ts [--quick]   (quick: 100k tickets)
import { loadavg } from 'node:os';
import pg from 'pg';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { performanceReport } from '../src/performance/report.ts';
import type { PerformanceGroup } from '../src/performance/report.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { fmt, machine, machineLine, percentile, table, timed, writeSection } from './lib/benchmarks-md.ts';
import { ADMIN_URL } from './moments-ingest.ts';

const AGENTS = 50;
const TEAMS = 5;
const RUNS = 15;
const DAY_MS = 86_400_000;

/** Tickets over the past year, answered after 2 minutes to 2 days, two in three solved. */
function insertTickets(first: number, count: number) {
  return `
    INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, assignee_id, team_id,
                         created_at, updated_at, first_customer_message_at, first_response_at, public_reply_count, solved_at, reopen_count)
    SELECT gen_random_uuid(), $1::uuid, g + 1, 'Η παραγγελία ' || g || ' δεν έφτασε',
           CASE WHEN g % 3 = 0 THEN 'open' ELSE 'solved' END, 'normal', 'email', md5($1::text)::uuid,
           a.id, a.team_id, at, at, at,
           at + (2 + (hashint4(g::int) & 2147483647) % 2880) * interval '1 minute', 1 + g % 3,
           CASE WHEN g % 3 <> 0 THEN at + (30 + (hashint4(g::int * 7) & 2147483647) % 20000) * interval '1 minute' END, (g % 11 = 0)::int
    FROM (SELECT g, now() - ((g * 7919) % 525600) * interval '1 minute' AS at FROM generate_series(${first}::bigint, ${first + count - 1}::bigint) g) x
    JOIN LATERAL (SELECT id, team_id FROM bench_agents WHERE n = g % ${AGENTS}) a ON true`;
}

async function generate(pool: pg.Pool, workspaceId: string, total: number): Promise<void> {
  await pool.query(`INSERT INTO teams (id, workspace_id, name) SELECT gen_random_uuid(), $1::uuid, 'Ομάδα ' || g FROM generate_series(1, ${TEAMS}) g`, [workspaceId]);
  await pool.query(
    `CREATE TABLE bench_agents AS
     SELECT g AS n, gen_random_uuid() AS id, (SELECT id FROM teams WHERE workspace_id = $1 ORDER BY id OFFSET g % ${TEAMS} LIMIT 1) AS team_id
     FROM generate_series(0, ${AGENTS - 1}) g`,
    [workspaceId],
  );
  await pool.query(
    `INSERT INTO agents (id, workspace_id, email, name, role, password_hash, locale)
     SELECT id, $1::uuid, 'agent' || n || '@bench.test', 'Πράκτορας ' || n, 'agent', 'x', 'el' FROM bench_agents`,
    [workspaceId],
  );
  await pool.query(`INSERT INTO customers (id, workspace_id, email, name, search_text) VALUES (md5($1::text)::uuid, $1::uuid, 'c@example.gr', 'Πελάτης', 'πελατης')`, [workspaceId]);
  // A bulk load as an import would do it: triggers off, then one rebuild.
  await pool.query(`ALTER TABLE tickets DISABLE TRIGGER tickets_performance`);
  const half = Math.ceil(total / 2);
  await Promise.all([0, half].map((from) => pool.query(insertTickets(from, Math.min(half, total - from)), [workspaceId])));
  await pool.query(`ALTER TABLE tickets ENABLE TRIGGER tickets_performance`);
  await pool.query(`SELECT rebuild_ticket_performance($1)`, [workspaceId]);
  await pool.query('ANALYZE');
}

/** The previous implementation: one scan of the period's tickets with exact medians. */
async function scan(pool: pg.Pool, ws: string, from: Date, to: Date, groupBy: PerformanceGroup | null): Promise<number> {
  const key = groupBy === 'agent' ? 't.assignee_id' : groupBy === 'team' ? 't.team_id' : 'NULL::uuid';
  const { rows } = await pool.query(
    `SELECT ${key} AS key, count(*) AS tickets, count(*) FILTER (WHERE t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL) AS solved,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at)) / 60)
              FILTER (WHERE t.first_response_at IS NOT NULL) AS frt,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM t.solved_at - t.created_at) / 60) FILTER (WHERE t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL) AS resolution,
            count(*) FILTER (WHERE t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL AND t.public_reply_count <= 1 AND t.reopen_count = 0) AS fcr,
            sum(t.sla_hit) AS sla_hit, sum(t.sla_missed) AS sla_missed
     FROM (SELECT t.*,
             (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.outcome = 'hit') AS sla_hit,
             (SELECT count(*) FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id AND s.outcome = 'missed') AS sla_missed
           FROM tickets t WHERE t.workspace_id = $1 AND t.created_at >= $2 AND t.created_at < $3 AND t.merged_into_id IS NULL) t
     GROUP BY 1`,
    [ws, from, to],
  );
  return rows.reduce((sum, r: { tickets: string }) => sum + Number(r.tickets), 0);
}

/** One warm-up call, then RUNS timed ones (ms, sorted). */
async function time(run: () => Promise<unknown>): Promise<number[]> {
  await run();
  return timed(RUNS, run);
}

export async function teamReportBench(size: number): Promise<string> {
  const dbName = `truthdesk_bench_team_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolSize: 3 });
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  let writeRows: (string | number)[][];
  let generateSeconds: number;
  let rollupRows: number;
  try {
    await migrate(db.pool);
    const ws = (await db.pool.query<{ id: string }>(`SELECT gen_random_uuid() AS id`)).rows[0]!.id;
    await db.pool.query(`INSERT INTO workspaces (id, name, slug, write_key) VALUES ($1, 'bench', 'bench-team', 'wk_bench_team')`, [ws]);
    process.stderr.write(`team report: generating ${fmt(size)} tickets of ${AGENTS} agents…\n`);
    const began = Date.now();
    await generate(db.pool, ws, size);
    generateSeconds = (Date.now() - began) / 1000;
    rollupRows = Number((await db.pool.query(`SELECT (SELECT count(*) FROM ticket_performance_rollups) + (SELECT count(*) FROM ticket_performance_histograms) AS n`)).rows[0].n);
    const ctx: WorkspaceContext = { db: db.db, workspaceId: ws, actor: { type: 'system', id: null, role: 'owner' } };
    const now = Date.now();
    const cases: { name: string; from: Date; to: Date; groupBy: PerformanceGroup | null }[] = [
      { name: 'past year, by agent', from: new Date(now - 366 * DAY_MS), to: new Date(now + 60_000), groupBy: 'agent' },
      { name: 'past 90 days (the default), by agent', from: new Date(now - 90 * DAY_MS), to: new Date(now), groupBy: 'agent' },
      { name: 'past 30 days, by team', from: new Date(now - 30 * DAY_MS), to: new Date(now), groupBy: 'team' },
      { name: 'past 7 days, everyone', from: new Date(now - 7 * DAY_MS), to: new Date(now), groupBy: null },
    ];
    for (const c of cases) {
      const report = await performanceReport(ctx, c.from, c.to, c.groupBy);
      const scanned = await scan(db.pool, ws, c.from, c.to, c.groupBy);
      if (report.overall.tickets !== scanned) throw new Error(`${c.name}: the report counts ${report.overall.tickets} tickets, the scan ${scanned}`);
      const load = loadavg()[0] ?? 0;
      const product = await time(() => performanceReport(ctx, c.from, c.to, c.groupBy));
      const baseline = await time(() => scan(db.pool, ws, c.from, c.to, c.groupBy));
      const p95 = percentile(product, 95);
      rows.push([c.name, fmt(scanned), fmt(percentile(product, 50), 1), fmt(p95, 1), fmt(percentile(baseline, 50), 1), fmt(percentile(baseline, 95), 1), `${fmt(percentile(baseline, 50) / percentile(product, 50), 1)}×`, fmt(load, 1)]);
      if (c.name.startsWith('past year')) verdicts.push(`${c.name}: p95 ${fmt(p95, 1)} ms over ${fmt(scanned)} tickets`);
    }
    // What the triggers cost a write: 20,000 more tickets in one statement, triggers on and off.
    const extra = 20_000;
    const write = async (on: boolean, first: number) => {
      await db.pool.query(`ALTER TABLE tickets ${on ? 'ENABLE' : 'DISABLE'} TRIGGER tickets_performance`);
      const t0 = process.hrtime.bigint();
      await db.pool.query(insertTickets(first, extra), [ws]);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      await db.pool.query(`ALTER TABLE tickets ENABLE TRIGGER tickets_performance`);
      return ms;
    };
    const off = await write(false, size);
    const on = await write(true, size + extra);
    writeRows = [
      ['triggers off', fmt(extra), fmt(off, 0), fmt((extra / off) * 1000, 0)],
      ['triggers on (rollups kept)', fmt(extra), fmt(on, 0), fmt((extra / on) * 1000, 0)],
    ];
  } finally {
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  return `## Team leader's performance report (PostgreSQL)

${machineLine(machine())}

${fmt(size)} tickets of ${AGENTS} agents in ${TEAMS} teams over the past year (generated server-side in ${fmt(generateSeconds, 1)} s,
loaded with the rollup triggers off and rebuilt in one pass, as an import does; ${fmt(rollupRows)} rollup and histogram rows).
The product's report (\`performanceReport\`, in-process: rollups for whole days and months, the
tickets of the part-days at the ends) against a scan of the period's tickets with exact medians
— the previous implementation, raw SQL through the same driver in the same run. ${RUNS} runs each after one warm-up.

${table(['report', 'tickets in period', 'p50 ms', 'p95 ms', 'scan p50 ms', 'scan p95 ms', 'scan ÷ report', 'load average'], rows)}

What keeping the rollups costs a write (one multi-row INSERT of tickets, in the same database):

${table(['tickets table', 'tickets', 'ms', 'tickets/s'], writeRows)}

${verdicts.map((v) => `- ${v}`).join('\n')}`;
}

export async function main(quick: boolean): Promise<void> {
  writeSection('team-report', await teamReportBench(quick ? 100_000 : 1_000_000));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.includes('--quick'));
