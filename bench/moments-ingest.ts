// Ingest throughput of the moments-of-truth engine, on PostgreSQL and on PGlite:
//   raw   multi-row INSERT of the touchpoint rows (500 per statement) through the product's
//         driver (node-postgres; for PGlite its in-process adapter), from this process
//   http  POST /api/v1/batch (500 messages) to a server in its own process, from a load
//         generator in a third process over loopback keep-alive connections
//   cli   `truthdesk import touchpoints file.ndjson` in its own process (wall clock, start-up included)
// Each path gets the same messages (bench/lib/touchpoint-data.ts) in its own workspace of the
// same database. Run alone: npx tsx bench/moments-ingest.ts [--quick]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase } from '../src/db/connection.ts';
import type { Database, DatabaseOptions } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { classifyTouchpoint } from '../src/domain/classifier.ts';
import { ensureTouchpointPartitions, foldPendingPeople } from '../src/journeys/store.ts';
import { newId } from '../src/shared/ids.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { fmt, machine, machineLine, table, writeSection } from './lib/benchmarks-md.ts';
import { cpuMs, postgresCpuDuring } from './lib/process-cpu.ts';
import { benchMessage } from './lib/touchpoint-data.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BATCH = 500;
const CONNECTIONS = 4;
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface IngestFigure {
  backend: 'postgres' | 'pglite';
  path: 'raw' | 'http' | 'cli';
  rows: number;
  seconds: number;
  stored: number;
  /** HTTP only: a batch's latency, from sending it to the whole answer. */
  latency?: { p50Ms: number; p99Ms: number };
  /** CPU used (ms), PostgreSQL only: its backends for this database, and the API process. */
  cpu?: { postgresMs: number; apiMs?: number };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function workspace(db: Database, name: string) {
  const { workspace: w } = await createWorkspace(db.db, { name, slug: name, owner: { email: `${name}@bench.test`, name } });
  return { id: w.id, slug: w.slug, writeKey: w.write_key };
}

/** The raw baseline: the rows the product would store for these messages, multi-row INSERTs. */
async function rawInsert(db: Database, workspaceId: string, total: number, connections: number): Promise<number> {
  const customers = new Map<string, string>();
  const messages = Array.from({ length: total }, (_, i) => benchMessage('raw', i, total));
  // Customers exist before the clock starts (the product creates them as part of ingest).
  for (const m of messages) if (m.userId && !customers.has(m.userId)) customers.set(m.userId, newId());
  const ids = [...customers];
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    await db.pool.query(
      `INSERT INTO customers (id, workspace_id, external_id) SELECT id, $1, ext FROM unnest($2::uuid[], $3::text[]) AS x(id, ext)`,
      [workspaceId, chunk.map(([, id]) => id), chunk.map(([ext]) => ext)],
    );
  }
  await ensureTouchpointPartitions(db.db, messages.map((m) => new Date(m.timestamp)));
  const statements: { text: string; values: unknown[] }[] = [];
  for (let start = 0; start < total; start += BATCH) {
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const m of messages.slice(start, start + BATCH)) {
      const c = classifyTouchpoint({ event: m.event, channel: String(m.properties.channel), properties: m.properties });
      const row = [
        newId(new Date(m.timestamp)), workspaceId, m.messageId, m.userId ? customers.get(m.userId) : null, m.anonymousId ?? null,
        'track', m.event, c.stage, c.valence, m.properties.channel, JSON.stringify(m.properties), '{}', c.decidedBy, null, m.timestamp,
      ];
      tuples.push(`(${row.map((_, j) => `$${values.length + j + 1}`).join(', ')})`);
      values.push(...row);
    }
    statements.push({
      text: `INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, anonymous_id, kind, event, stage, valence, channel, properties, context, decided_by, rule_id, occurred_at) VALUES ${tuples.join(', ')}`,
      values,
    });
  }
  let next = 0;
  const began = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (;;) {
        const statement = statements[next++];
        if (!statement) return;
        await db.pool.query(statement.text, statement.values);
      }
    }),
  );
  return Number(process.hrtime.bigint() - began) / 1e9;
}

async function waitForServer(url: string, child: { exitCode: number | null }): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('the server exited');
    try {
      const res = await fetch(`${url}/api/v1/openapi.json`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the server did not start');
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

/** What the HTTP load left for the people refresh (migration 076): pending rows, and the time to refresh them. */
export interface RefreshBacklog {
  pending: number;
  seconds: number;
}

export async function ingestBench(
  backend: 'postgres' | 'pglite',
  total: number,
): Promise<{ figures: IngestFigure[]; serverPeakRssMiB: number; backlog: RefreshBacklog | null }> {
  const figures: IngestFigure[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'truthdesk-bench-'));
  const dbName = `truthdesk_bench_ingest_${process.pid}`;
  let options: DatabaseOptions;
  let env: NodeJS.ProcessEnv;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  if (backend === 'postgres') {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${dbName}`;
    options = { kind: 'postgres', url: url.toString(), poolSize: CONNECTIONS };
    env = { DATABASE_URL: url.toString() };
  } else {
    options = { kind: 'pglite', dataDir: join(dir, 'data') };
    env = { TRUTHDESK_DATA: join(dir, 'data'), DATABASE_URL: '' };
  }
  let serverPeakRssMiB: number;
  let backlog: RefreshBacklog | null = null;
  try {
    let db = await openDatabase(options);
    await migrate(db.pool);
    const raw = await workspace(db, 'bench-raw');
    const http = await workspace(db, 'bench-http');
    const cli = await workspace(db, 'bench-cli');
    const connections = backend === 'postgres' ? CONNECTIONS : 1;
    const rawRun = backend === 'postgres' ? await postgresCpuDuring(admin, dbName, () => rawInsert(db, raw.id, total, connections)) : null;
    const rawSeconds = rawRun ? rawRun.result : await rawInsert(db, raw.id, total, connections);
    figures.push({ backend, path: 'raw', rows: total, seconds: rawSeconds, stored: total, ...(rawRun ? { cpu: { postgresMs: rawRun.ms } } : {}) });
    await db.close();

    // HTTP: the server in its own process, the load from another.
    const port = await freePort();
    const server = spawn(process.execPath, ['bin/truthdesk.js', 'serve'], {
      cwd: ROOT,
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' },
      stdio: 'ignore',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitForServer(base, server);
      const apiBefore = cpuMs(server.pid);
      const generate = () => run(process.execPath, ['--import', 'tsx', 'bench/lib/load-batch.ts', base, http.writeKey, 'http', String(total), String(CONNECTIONS), String(BATCH)], {});
      const measured = backend === 'postgres' ? await postgresCpuDuring(admin, dbName, generate) : { result: await generate(), ms: 0 };
      const apiMs = cpuMs(server.pid) - apiBefore;
      const load = measured.result;
      if (load.code !== 0) throw new Error(`load generator failed: ${load.stderr}`);
      const result = JSON.parse(load.stdout) as { seconds: number; stored: number; errors: number; p50Ms: number; p99Ms: number };
      if (result.errors) throw new Error(`${result.errors} batches were refused`);
      figures.push({
        backend, path: 'http', rows: total, seconds: result.seconds, stored: result.stored, latency: { p50Ms: result.p50Ms, p99Ms: result.p99Ms },
        ...(backend === 'postgres' ? { cpu: { postgresMs: measured.ms, apiMs } } : {}),
      });
      serverPeakRssMiB = peakRssMiB(server.pid as number);
      // The people still awaiting their refresh when the last batch was acknowledged (the
      // server's job refreshes them every 10 s during the load), refreshed as the first report
      // would: what the load left undone, so a sustained rate counts it.
      if (backend === 'postgres') {
        const check = await openDatabase(options);
        try {
          const left = await check.pool.query<{ n: string }>(`SELECT count(*) AS n FROM touchpoint_people_pending WHERE workspace_id = $1`, [http.id]);
          const t0 = process.hrtime.bigint();
          await foldPendingPeople(check.db, http.id);
          backlog = { pending: Number(left.rows[0]?.n ?? 0), seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
        } finally {
          await check.close();
        }
      }
    } finally {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }

    // CLI import of the same messages from an NDJSON file.
    const file = join(dir, 'history.ndjson');
    writeFileSync(file, Array.from({ length: total }, (_, i) => JSON.stringify(benchMessage('cli', i, total))).join('\n') + '\n');
    const began = process.hrtime.bigint();
    const imported = await run(process.execPath, ['bin/truthdesk.js', 'import', 'touchpoints', file, '--workspace', cli.slug], { ...env, LOG_LEVEL: 'silent' });
    const cliSeconds = Number(process.hrtime.bigint() - began) / 1e9;
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const storedCli = Number(/(\d+) stored/.exec(imported.stdout)?.[1] ?? 0);
    figures.push({ backend, path: 'cli', rows: total, seconds: cliSeconds, stored: storedCli });

    db = await openDatabase(options);
    const counts = await db.pool.query<{ slug: string; n: string }>(
      `SELECT w.slug, count(t.id) AS n FROM workspaces w LEFT JOIN touchpoints t ON t.workspace_id = w.id GROUP BY w.slug`,
    );
    await db.close();
    for (const row of counts.rows) {
      if (Number(row.n) !== total) throw new Error(`${row.slug} holds ${row.n} touchpoints, expected ${total}`);
    }
  } finally {
    if (backend === 'postgres') {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { figures, serverPeakRssMiB, backlog };
}

export async function main(quick: boolean): Promise<void> {
  const sizes = quick ? { postgres: 20_000, pglite: 10_000 } : { postgres: 100_000, pglite: 30_000 };
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  for (const backend of ['postgres', 'pglite'] as const) {
    process.stderr.write(`ingest on ${backend}: ${sizes[backend]} touchpoints per path…\n`);
    const { figures, serverPeakRssMiB, backlog } = await ingestBench(backend, sizes[backend]);
    const rawRate = (figures.find((f) => f.path === 'raw') as IngestFigure).rows / (figures.find((f) => f.path === 'raw') as IngestFigure).seconds;
    for (const f of figures) {
      const rate = f.rows / f.seconds;
      rows.push([backend, f.path, fmt(f.rows), fmt(f.seconds, 2), fmt(rate), f.path === 'raw' ? '1.00' : fmt(rate / rawRate, 2)]);
    }
    notes.push(`- Server peak RSS (VmHWM) during the HTTP run on ${backend}: ${serverPeakRssMiB} MiB.`);
    const latency = figures.find((f) => f.path === 'http')?.latency;
    if (latency) notes.push(`- HTTP batch latency on ${backend} (${BATCH} messages, ${CONNECTIONS} connections): p50 ${fmt(latency.p50Ms)} ms, p99 ${fmt(latency.p99Ms)} ms.`);
    const httpRate = (figures.find((f) => f.path === 'http') as IngestFigure).rows / (figures.find((f) => f.path === 'http') as IngestFigure).seconds;
    const rawFigure = figures.find((f) => f.path === 'raw') as IngestFigure;
    const httpFigure = figures.find((f) => f.path === 'http') as IngestFigure;
    if (rawFigure.cpu && httpFigure.cpu) {
      const us = (ms: number, f: IngestFigure) => fmt((ms * 1000) / f.rows);
      notes.push(
        `- CPU per touchpoint on ${backend} (from /proc, so it holds whatever else the machine runs): raw INSERT ${us(rawFigure.cpu.postgresMs, rawFigure)} µs of PostgreSQL; ` +
          `HTTP ${us(httpFigure.cpu.postgresMs, httpFigure)} µs of PostgreSQL and ${us(httpFigure.cpu.apiMs ?? 0, httpFigure)} µs of the API process.`,
      );
    }
    if (backend === 'postgres' && backlog) {
      const http = figures.find((f) => f.path === 'http') as IngestFigure;
      const sustained = http.rows / (http.seconds + backlog.seconds);
      notes.push(
        `- People refresh (migration 076) left when the last HTTP batch was acknowledged: ${fmt(backlog.pending)} pending rows, ` +
          `refreshed in ${fmt(backlog.seconds, 2)} s; counting that time, HTTP sustains ${fmt(sustained)} touchpoints/s (${fmt(sustained / rawRate, 2)} of raw).`,
      );
      notes.push(
        `- Target HTTP ≥ 20,000 touchpoints/s on PostgreSQL: **${httpRate >= 20_000 ? 'met' : 'missed'}** (${fmt(httpRate)}/s); ` +
          `≥ 0.5 of raw INSERT: **${httpRate / rawRate >= 0.5 ? 'met' : 'missed'}** (${fmt(httpRate / rawRate, 2)}).`,
      );
    }
  }
  writeSection(
    'moments-ingest',
    `## Touchpoint ingest (moments of truth)

${machineLine(machine())}

Each path stores the same generated Segment \`track\` messages (one customer per 20 messages,
one in ten from an anonymous visitor, spread over a year) into its own workspace of one
database: **raw** = multi-row \`INSERT INTO touchpoints … VALUES\` (500 rows a statement, the
rows the product would store, customers made beforehand) through the same driver, ${CONNECTIONS}
connections on PostgreSQL, 1 on PGlite; **http** = \`POST /api/v1/batch\` with 500 messages, server in
its own process, load from another process over ${CONNECTIONS} keep-alive loopback connections;
**cli** = \`truthdesk import touchpoints file.ndjson\` (wall clock including process start-up).
The product's path also validates, classifies, resolves customers, claims the messageId in
\`touchpoint_keys\`, appends the daily counters' deltas and the people whose person rollups
change, in the same transaction; raw does none of that. The people are recomputed by a job
every 10 s (the server's own, during the run) and by every report first; the CLI import
recomputes its people once at its end (inside its wall clock).

${table(['database', 'path', 'touchpoints', 'seconds', 'touchpoints/s', 'ratio to raw'], rows)}

${notes.join('\n')}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.includes('--quick'));
