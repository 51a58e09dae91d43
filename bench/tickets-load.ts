// The ticket API under concurrent load, with N tickets already in PostgreSQL: list, create, reply
// and a create+list mix through `truthdesk serve` child processes, driven by autocannon from
// this (separate) process over loopback; the same work as raw SQL through the same driver
// (node-postgres) with the same concurrency is the baseline; then two API processes and a job
// worker on one database, to see what a second process adds. Peak memory of each server is read
// from /proc (VmHWM).
// Run alone: npx tsx bench/tickets-load.ts [--quick]
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createToken } from '../src/auth/service.ts';
import { openDatabase } from '../src/db/connection.ts';
import { migrate } from '../src/db/migrate.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { cpuMs, postgresCpuDuring } from './lib/process-cpu.ts';
import { fmt, machine, machineLine, percentile, table, writeSection } from './lib/benchmarks-md.ts';
import { ADMIN_URL } from './moments-ingest.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONNECTIONS = 16;

interface Server {
  url: string;
  child: ChildProcess;
  peakMiB(): number;
  stop(): Promise<void>;
}

function start(args: string[], env: Record<string, string>, ready: RegExp): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/truthdesk.js', ...args], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: '0', TRUTHDESK_SMTP_PORT: 'off', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const fail = setTimeout(() => reject(new Error(`${args[0]} did not start: ${out}`)), 120_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = ready.exec(out);
      if (m) {
        clearTimeout(fail);
        resolve({
          url: m[1] ?? '',
          child,
          peakMiB: () => {
            const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
            return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
          },
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}: ${out}`)));
  });
}

/**
 * N tickets of 50 agents' workspace, generated server-side: a customer per four tickets, two
 * messages each, statuses and priorities mixed, created over the past year.
 */
async function generate(pool: pg.Pool, workspaceId: string, total: number): Promise<void> {
  await pool.query(
    `INSERT INTO agents (id, workspace_id, email, name, role, password_hash, locale)
     SELECT gen_random_uuid(), $1, 'agent' || g || '@bench.test', 'Πράκτορας ' || g, 'agent', 'x', 'el' FROM generate_series(1, 50) g`,
    [workspaceId],
  );
  const customers = Math.max(1, Math.floor(total / 4));
  await pool.query(
    `INSERT INTO customers (id, workspace_id, email, name, search_text)
     SELECT md5($1::text || g)::uuid, $1::uuid, 'customer' || g || '@example.gr', 'Πελάτης ' || g, 'πελατης ' || g FROM generate_series(0, $2::int - 1) g`,
    [workspaceId, customers],
  );
  const half = Math.ceil(total / 2);
  await Promise.all(
    [0, half].map((from) =>
      pool.query(
        `WITH t AS (
           INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, assignee_id, search_text, created_at, updated_at,
                                first_customer_message_at, last_customer_message_at)
           SELECT gen_random_uuid(), $1::uuid, g + 1, 'Η παραγγελία ' || g || ' δεν έφτασε',
                  (ARRAY['new', 'open', 'open', 'pending', 'solved', 'closed'])[1 + (g % 6)::int],
                  (ARRAY['low', 'normal', 'normal', 'high', 'urgent'])[1 + (g % 5)::int],
                  (ARRAY['email', 'web', 'chat', 'phone'])[1 + (g % 4)::int],
                  md5($1::text || (g % $4))::uuid,
                  (SELECT id FROM agents WHERE workspace_id = $1::uuid ORDER BY id OFFSET (g % 50) LIMIT 1),
                  'η παραγγελια ' || g || ' δεν εφτασε', at, at, at, at
           FROM (SELECT g, now() - ((g * 7919) % 525600) * interval '1 minute' AS at
                 FROM generate_series($2::bigint, least($2::bigint + $3::bigint - 1, $5::bigint - 1)) g) x
           RETURNING id, customer_id, created_at
         )
         INSERT INTO messages (id, workspace_id, ticket_id, kind, author_customer_id, body_text, body_html, created_at)
         SELECT gen_random_uuid(), $1::uuid, id, 'customer', customer_id, 'Παρήγγειλα πριν από δύο εβδομάδες και ακόμα τίποτα.', '', created_at FROM t`,
        [workspaceId, from, half, customers, total],
      ),
    ),
  );
  await pool.query(`UPDATE workspaces SET next_ticket_number = $2 + 1 WHERE id = $1`, [workspaceId, total]);
  // VACUUM as well as ANALYZE: otherwise autovacuum visits the million new rows (insert
  // thresholds) while the scenarios run, and its CPU is counted against the API.
  await pool.query('VACUUM ANALYZE');
}

interface Figure {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Non-2xx answers by status, e.g. "409×12". */
  statuses?: string;
}

type Request = { method: 'GET' | 'POST'; path: string; body?: string };

let firstError = '';

/** Busy CPU time (ms) of the whole machine so far, every process of every user (/proc/stat). */
function machineBusyMs(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0);
  return ((cpu.reduce((a, b) => a + b, 0) - idle) * 1000) / 100;
}

interface CpuShare {
  /** Share of one core (1 = a whole core) per process group over the run. */
  api: number[];
  postgres: number;
  worker: number;
  loadGenerator: number;
  /** Everything else the machine ran meanwhile (other users' work included). */
  other: number;
}

/** Runs `work` and measures the CPU each part of the set-up used meanwhile. */
async function measured<T>(apis: Server[], worker: Server, admin: pg.Client, dbName: string, work: () => Promise<T>): Promise<{ result: T; cpu: CpuShare }> {
  const apiBefore = apis.map((a) => cpuMs(a.child.pid));
  const workerBefore = cpuMs(worker.child.pid);
  const selfBefore = cpuMs(process.pid);
  const machineBefore = machineBusyMs();
  const began = Date.now();
  const { result, ms: postgres } = await postgresCpuDuring(admin, dbName, work);
  const wall = Date.now() - began;
  const api = apis.map((a, i) => cpuMs(a.child.pid) - (apiBefore[i] ?? 0));
  const workerMs = cpuMs(worker.child.pid) - workerBefore;
  const self = cpuMs(process.pid) - selfBefore;
  const busy = machineBusyMs() - machineBefore;
  const other = Math.max(0, busy - postgres - workerMs - self - api.reduce((a, b) => a + b, 0));
  return { result, cpu: { api: api.map((ms) => ms / wall), postgres: postgres / wall, worker: workerMs / wall, loadGenerator: self / wall, other: other / wall } };
}

async function load(urls: string[], token: string, requests: () => Request, seconds: number): Promise<Figure> {
  // One autocannon run per server URL, at once, with the connections split between them.
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: Math.max(1, Math.floor(CONNECTIONS / urls.length)),
        duration: seconds,
        requests: [
          {
            setupRequest: (req) => {
              const next = requests();
              // Only a request with a body says it is JSON (Fastify refuses an empty JSON body).
              const headers = { authorization: `Bearer ${token}`, ...(next.body ? { 'content-type': 'application/json' } : {}) };
              return { ...req, method: next.method, path: next.path, headers, body: next.body ?? '' };
            },
            onResponse: (status, body) => {
              if (status >= 400 && !firstError) firstError = `${status} ${body.slice(0, 160)}`;
            },
          },
        ],
      }),
    ),
  );
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const errors = results.reduce((n, r) => n + r.errors + r.non2xx, 0);
  const codes = new Map<string, number>();
  for (const r of results) {
    for (const [code, stat] of Object.entries((r as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})) {
      if (!code.startsWith('2')) codes.set(code, (codes.get(code) ?? 0) + stat.count);
    }
  }
  return {
    rps: total / seconds,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    errors,
    statuses: [...codes].map(([c, k]) => `${c}×${k}`).join(' '),
  };
}

/** The raw baseline: the same statements the product's hot path needs, straight through pg. */
type Baseline = 'list' | 'filtered' | 'create' | 'reply' | 'mix';

async function raw(pool: pg.Pool, workspaceId: string, kind: Baseline, seconds: number, ticketIds: readonly string[] = []): Promise<Figure> {
  const times: number[] = [];
  let count = 0;
  const until = Date.now() + seconds * 1000;
  const list = () =>
    pool.query(
      `SELECT t.*, c.name, c.email FROM tickets t JOIN customers c ON c.id = t.customer_id
       WHERE t.workspace_id = $1 ORDER BY t.id DESC LIMIT 26`,
      [workspaceId],
    );
  const filtered = () =>
    pool.query(
      `SELECT t.*, c.name, c.email FROM tickets t JOIN customers c ON c.id = t.customer_id
       WHERE t.workspace_id = $1 AND t.status = 'open' AND t.priority = 'high' ORDER BY t.id DESC LIMIT 26`,
      [workspaceId],
    );
  // A note on a ticket: lock it, store the message, bump the ticket, audit — what a reply needs at least.
  const reply = async (n: number) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const ticketId = ticketIds[n % ticketIds.length];
      await client.query(`SELECT id, version FROM tickets WHERE workspace_id = $1 AND id = $2 FOR UPDATE`, [workspaceId, ticketId]);
      await client.query(
        `INSERT INTO messages (id, workspace_id, ticket_id, kind, body_text, body_html) VALUES (gen_random_uuid(), $1, $2, 'note', 'Το εξετάζουμε, θα επανέλθουμε σύντομα.', '')`,
        [workspaceId, ticketId],
      );
      await client.query(`UPDATE tickets SET version = version + 1, updated_at = now() WHERE workspace_id = $1 AND id = $2`, [workspaceId, ticketId]);
      await client.query(`INSERT INTO audit_log (workspace_id, actor_type, action, entity_type, entity_id) VALUES ($1, 'system', 'message.created', 'ticket', $2)`, [workspaceId, ticketId]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  const create = async (n: number) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const c = await client.query<{ id: string }>(`SELECT id FROM customers WHERE workspace_id = $1 AND lower(email) = lower($2) AND email IS NOT NULL`, [workspaceId, `customer${n % 1000}@example.gr`]);
      const t = await client.query<{ id: string }>(
        `INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, search_text)
         VALUES (gen_random_uuid(), $1, next_ticket_number($1), 'Νέο αίτημα', 'new', 'normal', 'web', $2, 'νεο αιτημα') RETURNING id`,
        [workspaceId, c.rows[0]?.id],
      );
      await client.query(
        `INSERT INTO messages (id, workspace_id, ticket_id, kind, author_customer_id, body_text, body_html) VALUES (gen_random_uuid(), $1, $2, 'customer', $3, 'Καλησπέρα', '')`,
        [workspaceId, t.rows[0]?.id, c.rows[0]?.id],
      );
      await client.query(`INSERT INTO audit_log (workspace_id, actor_type, action, entity_type, entity_id) VALUES ($1, 'system', 'ticket.created', 'ticket', $2)`, [workspaceId, t.rows[0]?.id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  };
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, worker) => {
      for (let i = 0; Date.now() < until; i++) {
        const t0 = process.hrtime.bigint();
        if (kind === 'list' || (kind === 'mix' && i % 2 === 1)) await list();
        else if (kind === 'filtered') await filtered();
        else if (kind === 'reply') await reply(worker * 100_000 + i);
        else await create(worker * 100_000 + i);
        times.push(Number(process.hrtime.bigint() - t0) / 1e6);
        count++;
      }
    }),
  );
  times.sort((a, b) => a - b);
  return { rps: count / seconds, p50: percentile(times, 50), p99: percentile(times, 99), errors: 0 };
}

export async function ticketsLoadBench(size: number, seconds: number): Promise<string> {
  const dbName = `truthdesk_bench_tickets_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const databaseUrl = url.toString();
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: CONNECTIONS });
  const servers: Server[] = [];
  const rows: (string | number)[][] = [];
  const verdicts: string[] = [];
  try {
    await migrate(db.pool);
    const { workspace, ownerId } = await createWorkspace(db.db, { name: 'Bench', slug: 'bench', owner: { email: 'owner@bench.test', name: 'Owner' } });
    const { token } = await createToken({ db: db.db, workspaceId: workspace.id, actor: { type: 'agent', id: ownerId, role: 'owner' } }, { name: 'bench', role: 'owner' });
    process.stderr.write(`tickets: generating ${fmt(size)} tickets…\n`);
    const began = Date.now();
    await generate(db.pool, workspace.id, size);
    const generateSeconds = (Date.now() - began) / 1000;
    const webTickets = (
      await db.pool.query<{ id: string }>(`SELECT id FROM tickets WHERE workspace_id = $1 AND channel = 'web' AND status IN ('open', 'pending') LIMIT 2000`, [workspace.id])
    ).rows.map((r) => r.id);

    let n = 0;
    const scenarios: { name: string; request: () => Request; baseline?: Baseline }[] = [
      { name: 'list (newest 25)', request: () => ({ method: 'GET', path: '/api/v1/tickets?limit=25' }), baseline: 'list' },
      { name: 'list, filtered (open, high)', request: () => ({ method: 'GET', path: '/api/v1/tickets?limit=25&status=open&priority=high' }), baseline: 'filtered' },
      {
        name: 'create',
        request: () => ({
          method: 'POST',
          path: '/api/v1/tickets',
          body: JSON.stringify({ subject: 'Νέο αίτημα', customer: { email: `customer${n++ % 1000}@example.gr` }, channel: 'web', priority: 'normal', message: 'Καλησπέρα, χρειάζομαι βοήθεια.' }),
        }),
        baseline: 'create',
      },
      {
        name: 'reply',
        request: () => ({
          method: 'POST',
          path: `/api/v1/tickets/${webTickets[n++ % webTickets.length]}/messages`,
          body: JSON.stringify({ kind: 'note', body: 'Το εξετάζουμε, θα επανέλθουμε σύντομα.' }),
        }),
        baseline: 'reply',
      },
      {
        name: 'create + list (half each)',
        request: () =>
          n++ % 2
            ? { method: 'GET', path: '/api/v1/tickets?limit=25' }
            : {
                method: 'POST',
                path: '/api/v1/tickets',
                body: JSON.stringify({ subject: 'Νέο αίτημα', customer: { email: `customer${n % 1000}@example.gr` }, channel: 'web', priority: 'normal', message: 'Καλησπέρα.' }),
              },
        baseline: 'mix',
      },
    ];

    // An API-bound request: a rules editor testing draft rules on sample events (classification
    // of free text in three languages, no database work beyond the cached principal). It shows
    // what a second process adds where one Node.js process is the bottleneck.
    const sampleTexts = [
      'Η παραγγελία μου δεν έφτασε ακόμα, πολύ απογοητευμένος',
      'Ευχαριστώ πολύ, η υποστήριξη ήταν εξαιρετική!',
      'لم يصل طلبي بعد، أنا مستاء جدا',
      'شكرا جزيلا، كانت الخدمة رائعة',
      'I read the reviews before buying and they were great',
      'The onboarding call was confusing and too long',
    ];
    const apiBound = {
      name: 'classification test (50 sample events, API-bound)',
      request: (): Request => ({
        method: 'POST',
        path: '/api/v1/classification/test',
        body: JSON.stringify({
          rules: [
            { id: 'pricing', when: { event: ['Pricing Viewed', 'Plan Compared'] }, then: { stage: 'zmot' } },
            { id: 'vip', when: { properties: { plan: 'enterprise' } }, then: { valence: 'positive' } },
          ],
          events: Array.from({ length: 50 }, (_, i) => ({
            event: i % 5 === 0 ? 'Pricing Viewed' : i % 5 === 1 ? 'Order Completed' : 'Note Added',
            channel: i % 2 ? 'web' : 'email',
            properties: { plan: i % 7 === 0 ? 'enterprise' : 'basic' },
            text: sampleTexts[i % sampleTexts.length],
          })),
        }),
      }),
    };

    // Each process gets as many database connections as it has load connections, so one process
    // and two share the same number of PostgreSQL backends.
    const apiEnv = (processes: number) => ({ DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: String(CONNECTIONS / processes), TRUTHDESK_WORKERS: 'off' });
    const ready = /TruthDesk is running at (http:\/\/\S+)/;
    const worker = await start(['worker'], { DATABASE_URL: databaseUrl }, /()TruthDesk worker is running/);
    servers.push(worker);
    const one = await start(['serve', '--no-build'], apiEnv(1), ready);
    servers.push(one);
    let mixOne: Figure | null = null;
    let cpuOne: CpuShare | null = null;
    for (const s of scenarios) {
      await load([one.url], token, s.request, 2); // warm-up
      firstError = '';
      const run = await measured([one], worker, admin, dbName, () => load([one.url], token, s.request, seconds));
      const api = run.result;
      if (s.name.startsWith('create + list')) cpuOne = run.cpu;
      if (firstError) process.stderr.write(`${s.name}: first refusal ${firstError}\n`);
      if (s.name.startsWith('create + list')) mixOne = api;
      const base = s.baseline ? await raw(db.pool, workspace.id, s.baseline, seconds, webTickets) : null;
      rows.push([
        s.name,
        '1',
        fmt(api.rps),
        fmt(api.p50, 1),
        fmt(api.p99, 1),
        api.errors ? `${fmt(api.errors)} ${api.statuses ?? ''}`.trim() : '0',
        base ? fmt(base.rps) : '—',
        base ? fmt(base.p99, 1) : '—',
        base ? `${fmt(api.rps / base.rps, 2)}×` : '—',
      ]);
    }
    await load([one.url], token, apiBound.request, 2);
    const boundOne = await measured([one], worker, admin, dbName, () => load([one.url], token, apiBound.request, seconds));
    rows.push([apiBound.name, '1', fmt(boundOne.result.rps), fmt(boundOne.result.p50, 1), fmt(boundOne.result.p99, 1), boundOne.result.errors ? `${fmt(boundOne.result.errors)} ${boundOne.result.statuses ?? ''}`.trim() : '0', '—', '—', '—']);
    const peakOne = one.peakMiB();
    // Two fresh processes with half the connections each (the first one stays idle).
    const pair = [await start(['serve', '--no-build'], apiEnv(2), ready), await start(['serve', '--no-build'], apiEnv(2), ready)];
    servers.push(...pair);
    const mix = scenarios[scenarios.length - 1];
    let mixTwo: Figure | null = null;
    let cpuTwo: CpuShare | null = null;
    if (mix) {
      const urls = pair.map((p) => p.url);
      await load(urls, token, mix.request, 2);
      const run = await measured(pair, worker, admin, dbName, () => load(urls, token, mix.request, seconds));
      mixTwo = run.result;
      cpuTwo = run.cpu;
      rows.push([mix.name, '2 + worker', fmt(mixTwo.rps), fmt(mixTwo.p50, 1), fmt(mixTwo.p99, 1), mixTwo.errors ? `${fmt(mixTwo.errors)} ${mixTwo.statuses ?? ''}`.trim() : '0', '—', '—', '—']);
    }
    const pairUrls = pair.map((p) => p.url);
    await load(pairUrls, token, apiBound.request, 2);
    const boundTwo = await measured(pair, worker, admin, dbName, () => load(pairUrls, token, apiBound.request, seconds));
    rows.push([apiBound.name, '2 + worker', fmt(boundTwo.result.rps), fmt(boundTwo.result.p50, 1), fmt(boundTwo.result.p99, 1), boundTwo.result.errors ? `${fmt(boundTwo.result.errors)} ${boundTwo.result.statuses ?? ''}`.trim() : '0', '—', '—', `${fmt(boundTwo.result.rps / boundOne.result.rps, 2)}× one process`]);
    const peak = Math.max(peakOne, ...pair.map((p) => p.peakMiB()));
    if (mixOne) {
      verdicts.push(
        `create + list on one process: ${fmt(mixOne.rps)} req/s, p99 ${fmt(mixOne.p99, 1)} ms — target ≥ 2,000 req/s with p99 < 50 ms: ${mixOne.rps >= 2000 && mixOne.p99 < 50 ? 'met' : '**missed**'}`,
      );
    }
    const cores = machine().cores;
    const cpuRows: (string | number)[][] = [];
    const perRequest = (share: number, f: Figure) => (share * 1000) / f.rps;
    for (const [label, cpu, f] of [['1', cpuOne, mixOne], ['2', cpuTwo, mixTwo]] as const) {
      if (!cpu || !f) continue;
      const api = cpu.api.reduce((a, b) => a + b, 0);
      const total = api + cpu.postgres + cpu.worker + cpu.loadGenerator + cpu.other;
      cpuRows.push([
        label,
        cpu.api.map((a) => `${fmt(a * 100)} %`).join(' + '),
        `${fmt(cpu.postgres * 100)} %`,
        `${fmt(cpu.worker * 100)} %`,
        `${fmt(cpu.loadGenerator * 100)} %`,
        `${fmt(cpu.other * 100)} %`,
        `${fmt(total * 100)} % of ${cores * 100} %`,
        fmt(perRequest(api, f), 2),
        fmt(perRequest(cpu.postgres, f), 2),
      ]);
    }
    if (mixOne && mixTwo) verdicts.push(`second API process: ${fmt(mixTwo.rps / mixOne.rps, 2)}× the throughput of one (the same ${CONNECTIONS} load connections and ${CONNECTIONS} database connections in all, on this machine's ${cores} cores, with PostgreSQL and the load generator)`);
    {
      const share = (c: CpuShare) => `API ${c.api.map((a) => `${fmt(a * 100)} %`).join(' + ')}, PostgreSQL ${fmt(c.postgres * 100)} %, load generator ${fmt(c.loadGenerator * 100)} %`;
      verdicts.push(
        `second API process on the API-bound request (${apiBound.name}): ${fmt(boundTwo.result.rps / boundOne.result.rps, 2)}× the throughput of one ` +
          `(${fmt(boundOne.result.rps)} → ${fmt(boundTwo.result.rps)} req/s; CPU with one process: ${share(boundOne.cpu)}; with two: ${share(boundTwo.cpu)}).`,
      );
    }
    if (mixOne && cpuOne) {
      const api = cpuOne.api.reduce((a, b) => a + b, 0);
      const costMs = perRequest(api + cpuOne.postgres + cpuOne.loadGenerator, mixOne);
      verdicts.push(
        `what a create + list request costs: ${fmt(perRequest(api, mixOne), 2)} ms of API-process CPU and ${fmt(perRequest(cpuOne.postgres, mixOne), 2)} ms of PostgreSQL CPU ` +
          `(plus ${fmt(perRequest(cpuOne.loadGenerator, mixOne), 2)} ms of load generator), so ${cores} whole cores could serve at most about ${fmt((cores * 1000) / costMs)} req/s of it; ` +
          `2,000 req/s needs ${fmt((cores * 1000) / 2000, 2)} ms all told. A second API process only adds throughput while the first leaves CPU unused; ` +
          `here the cores went to ${fmt((api + cpuOne.postgres + cpuOne.loadGenerator + cpuOne.worker) * 100)} % for this set-up and ${fmt(cpuOne.other * 100)} % for everything else on the machine.`,
      );
    }
    verdicts.push(`peak server memory (VmHWM): ${fmt(peak)} MiB with ${fmt(size)} tickets — target < 300 MB: ${peak < 300 ? 'met' : '**missed**'}`);
    verdicts.push(
      'creates share no row lock: ticket numbers come from a sequence per workspace (migration 058, gaps on rollback) and the daily touchpoint ' +
        'counters are appended deltas folded by a job (059); the raw baseline numbers its tickets the same way.',
    );
    const load1 = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    return [
      '## Ticket API under load',
      '',
      `${machineLine(machine())} · load average at the end ${load1}`,
      '',
      `PostgreSQL with ${fmt(size)} tickets (${fmt(size)} messages, ${fmt(Math.floor(size / 4))} customers, 50 agents; generated in ${fmt(generateSeconds, 1)} s). ` +
        `autocannon in the benchmark's own process, ${CONNECTIONS} connections (and ${CONNECTIONS} database connections: the pool of one process, or half of it in each of two), ${seconds} s per scenario after a 2 s warm-up; servers are \`truthdesk serve\` processes ` +
        '(workers off) plus one `truthdesk worker`. Baseline: the same statements as raw SQL through node-postgres with the same concurrency ' +
        '(list: one join query, filtered by status and priority for the filtered list; create: customer lookup by its index, ticket (numbered by its sequence), message and audit row in one transaction; reply: lock the ticket, message, ticket version and audit row in one transaction).',
      '',
      table(['scenario', 'API processes', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'raw SQL req/s', 'raw p99 ms', 'API / raw'], rows),
      '',
      'CPU during create + list, from /proc (share of one core; "other" is everything else the machine ran meanwhile, other users\' work included):',
      '',
      table(['API processes', 'API', 'PostgreSQL', 'worker', 'load generator', 'other', 'machine', 'API ms / req', 'PostgreSQL ms / req'], cpuRows),
      '',
      ...verdicts.map((v) => `- ${v}`),
    ].join('\n');
  } finally {
    for (const s of servers.reverse()) await s.stop().catch(() => undefined);
    await db.close();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
}

export async function main(quick: boolean): Promise<void> {
  const body = await ticketsLoadBench(quick ? 20_000 : 1_000_000, quick ? 5 : 15);
  writeSection('tickets-load', body);
  process.stderr.write(`${body}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await main(process.argv.includes('--quick'));
}
