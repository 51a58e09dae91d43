// Every "newest first" list of a workspace reads about a page of its own rows, however much
// newer data other workspaces hold. Lists page by id (UUIDv7, time-ordered) within a
// workspace; without an index starting with (workspace_id, id) PostgreSQL walks the primary
// key backward and filters by workspace, so a workspace whose rows are older than another's
// reads every newer row of every other workspace first (measured on tickets: 400,000 rows and
// 437 ms for a page of 25; migration 086).
//
// The test loads a BIG workspace with thousands of recent rows per listed table and a SMALL
// one with fewer, older rows, calls each list for SMALL while recording the SQL it runs, and
// runs EXPLAIN ANALYZE on every statement with its parameters: no scan may read (return or
// filter out) more rows than SMALL has plus a couple of pages. PostgreSQL only: the plans that
// matter are the server's. Add a case here for every new list.
import { Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCalls } from '../src/calls/service.ts';
import { transcript } from '../src/chat/service.ts';
import { listCustomers } from '../src/customers/service.ts';
import type { DB } from '../src/db/schema.ts';
import { listHealthAlerts } from '../src/health/service.ts';
import { listArticles, suggestArticles } from '../src/kb/service.ts';
import { listMentions } from '../src/mentions/service.ts';
import { listNotifications } from '../src/notifications/service.ts';
import { listReviews, widgetReviews } from '../src/reviews/service.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { listInvitations } from '../src/surveys/service.ts';
import { listTickets } from '../src/tickets/service.ts';
import { createToken, listTokens } from '../src/auth/service.ts';
import { AfterCommitPostgresDialect } from '../src/db/after-commit.ts';
import { buildApp } from '../src/http/app.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const BIG_ROWS = 2000;
const SMALL_ROWS = 200;
const PAGE = 25;
/**
 * Rows a scan may read for one page of SMALL: at most SMALL's own rows and a couple of pages
 * (a list filtered by a column with its own index may read all of that column's rows and sort
 * them), never BIG's.
 */
const MAX_READ = SMALL_ROWS + 2 * (PAGE + 1);

/** Tables that the lists read, filled for both workspaces (rows per workspace below). */
const LISTED_TABLES = [
  'customers', 'tickets', 'messages', 'mentions', 'kb_articles', 'kb_translations', 'calls', 'notifications',
  'stage_health_alerts', 'survey_invitations', 'api_tokens', 'inbound_emails', 'audit_log',
];

interface Workspace {
  id: string;
  ownerId: string;
  customerId: string;
  ticketId: string;
  surveyId: string;
}

/**
 * Rows for one workspace: `n` per table, one second apart from `start`, ids made from that
 * time like newId() makes them (UUIDv7: 48-bit milliseconds, version 7, random rest).
 */
async function load(db: TestDatabase, w: Workspace, n: number, start: string): Promise<void> {
  // $1 workspace, $2 rows, $3 start, $4 owner agent, $5 customer, $6 ticket, $7 survey; g the row.
  // (Written in as literals: they are the test's own ids and numbers, and a statement may not use all.)
  const values = [`'${w.id}'::uuid`, String(n), `'${start}'`, `'${w.ownerId}'::uuid`, `'${w.customerId}'::uuid`, `'${w.ticketId}'::uuid`, `'${w.surveyId}'::uuid`];
  const run = (text: string) => db.pool.query(text.replace(/\$(\d)/g, (_, i: string) => values[Number(i) - 1] ?? ''));
  const at = `($3::timestamptz + g * interval '1 second')`;
  const id = (salt: string) => `test_uuidv7(${at}, g, '${salt}')`;
  await run(`INSERT INTO customers (id, workspace_id, name, email, created_at)
    SELECT ${id('c')}, $1, 'Customer ' || g, 'c' || g || '@' || $1 || '.example.com', ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, assignee_id, created_at, updated_at)
    SELECT ${id('t')}, $1, 1000 + g, 'Ticket ' || g, (ARRAY['new','open','pending','solved'])[1 + g % 4], 'normal', 'email', $5,
      CASE WHEN g % 2 = 0 THEN $4::uuid END, ${at}, ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO messages (id, workspace_id, ticket_id, kind, body_text, body_html, created_at)
    SELECT ${id('m')}, $1, $6, (ARRAY['customer','reply','note'])[1 + g % 3], 'Message ' || g, '<p>Message ' || g || '</p>', ${at}
    FROM generate_series(1, $2) g`);
  await run(`INSERT INTO mentions (id, workspace_id, platform, kind, text, published_at, valence, url, created_at)
    SELECT ${id('n')}, $1, 'google', 'review', 'Mention ' || g, ${at}, 'neutral', 'https://example.com/' || $1 || '/' || g, ${at}
    FROM generate_series(1, $2) g`);
  await run(`INSERT INTO kb_articles (id, workspace_id, created_at) SELECT ${id('a')}, $1, ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO kb_translations (id, workspace_id, article_id, lang, slug, title, body_html, body_text, status, search_title, search_body, created_at)
    SELECT ${id('k')}, $1, ${id('a')}, 'en', 'article-' || g, 'Article ' || g, '<p>Body</p>', 'Body', 'published', 'article ' || g, 'body', ${at}
    FROM generate_series(1, $2) g`);
  await run(`INSERT INTO calls (id, workspace_id, direction, from_number, to_number, started_at, duration_seconds, outcome, customer_id, valence, created_at)
    SELECT ${id('l')}, $1, 'inbound', '+302100000000', '+302100000001', ${at}, 60, 'answered', $5, 'neutral', ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO notifications (id, workspace_id, agent_id, kind, ticket_id, created_at)
    SELECT ${id('o')}, $1, $4, 'mention', $6, ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO stage_health_alerts (id, workspace_id, stage, period, period_start, previous_score, score, drop_points, threshold, webhook_status, created_at)
    SELECT ${id('h')}, $1, 'fmot', 'week', ${at}, 80, 60, 20, 10, 'none', ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO survey_invitations (id, workspace_id, survey_id, customer_id, stage, locale, trigger, trigger_key, status, delivery, due_at, created_at)
    SELECT ${id('i')}, $1, $7, $5, 'fmot', 'en', 'manual', 'key-' || g, 'answered', 'email', ${at}, ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO api_tokens (id, workspace_id, name, role, token_hash, created_at)
    SELECT ${id('p')}, $1, 'Token ' || g, 'agent', md5($1::text || g), ${at} FROM generate_series(1, $2 / 100) g`);
  await run(`INSERT INTO inbound_emails (id, workspace_id, raw, size, received_at)
    SELECT ${id('e')}, $1, 'raw', 3, ${at} FROM generate_series(1, $2) g`);
  await run(`INSERT INTO audit_log (workspace_id, actor_type, action, entity_type, entity_id, created_at)
    SELECT $1, 'system', 'test.row', 'ticket', g::text, ${at} FROM generate_series(1, $2) g`);
}

interface Read {
  relation: string;
  rows: number;
  /** The scan, e.g. "Index Scan Backward using tickets_pkey". */
  scan: string;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Scan Direction'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

/** Rows each scan node read: returned plus filtered out, over all its loops. */
function scans(node: PlanNode, out: Read[] = []): Read[] {
  if (node['Relation Name']) {
    const perLoop = (node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0);
    const backward = node['Scan Direction'] === 'Backward' ? ' Backward' : '';
    const index = node['Index Name'] ? ` using ${node['Index Name']}` : '';
    out.push({ relation: node['Relation Name'], rows: perLoop * (node['Actual Loops'] ?? 1), scan: `${node['Node Type']}${backward}${index}` });
  }
  for (const child of node.Plans ?? []) scans(child, out);
  return out;
}

describe.skipIf(!availableBackends().includes('postgres'))('newest-first lists read a page, not other workspaces\' newer rows (postgres)', () => {
  let db: TestDatabase;
  let recorded: CompiledQuery[] = [];
  let logged: Kysely<DB>;
  let small: Workspace;
  let ctx: WorkspaceContext;
  let app: FastifyInstance;
  let token: string;

  async function workspace(name: string): Promise<Workspace> {
    const { workspace: row, ownerId } = await createWorkspace(db.db, { name, owner: { email: `owner@${name.toLowerCase()}.example.com`, name } });
    const customer = await db.db.insertInto('customers').values({ id: crypto.randomUUID(), workspace_id: row.id, name: 'First' }).returning('id').executeTakeFirstOrThrow();
    const survey = await db.db
      .insertInto('surveys')
      .values({ id: crypto.randomUUID(), workspace_id: row.id, name: 'CSAT', type: 'csat', trigger: 'manual' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ticket = await db.db
      .insertInto('tickets')
      .values({ id: crypto.randomUUID(), workspace_id: row.id, number: 1, subject: 'First', status: 'open', priority: 'normal', channel: 'chat', customer_id: customer.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, ownerId, customerId: customer.id, ticketId: ticket.id, surveyId: survey.id };
  }

  beforeAll(async () => {
    db = await freshDatabase('postgres');
    await db.pool.query(`CREATE FUNCTION test_uuidv7(at timestamptz, n int, salt text) RETURNS uuid LANGUAGE sql IMMUTABLE AS $$
      SELECT (lpad(to_hex((extract(epoch FROM at) * 1000)::bigint), 12, '0') || '7' || substr(md5(salt || n), 1, 3) || '8' || substr(md5(salt || n), 4, 15))::uuid
    $$`);
    small = await workspace('Small');
    const big = await workspace('Big');
    // SMALL's rows are a year old; BIG's are from yesterday, all newer than any of SMALL's.
    await load(db, small, SMALL_ROWS, new Date(Date.now() - 365 * 86_400_000).toISOString());
    await load(db, big, BIG_ROWS, new Date(Date.now() - 86_400_000).toISOString());
    // With statistics the planner knows SMALL holds a tenth of each table and, believing its
    // rows spread evenly over ids, walks the primary key backward when no (workspace_id, id)
    // index fits: the plan a real install gets (and not one that changes when autovacuum runs).
    for (const table of LISTED_TABLES) await db.pool.query(`ANALYZE ${table}`);
    logged = new Kysely<DB>({
      dialect: new AfterCommitPostgresDialect({ pool: db.pool }),
      log: (event) => {
        if (event.level === 'query') recorded.push(event.query);
      },
    });
    ctx = { db: logged, workspaceId: small.id, actor: { type: 'agent', id: small.ownerId, role: 'owner' } };
    // Lists whose query lives in the route: the app over the same recording Kysely.
    app = await buildApp({ database: { ...db, db: logged }, logger: false });
    await app.ready();
    token = (await createToken({ ...ctx, db: db.db }, { name: 'lists', role: 'owner' })).token;
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });
  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode, res.body).toBe(200);
  };

  const lists: Array<[string, () => Promise<unknown>]> = [
    ['tickets', () => listTickets(ctx, { limit: PAGE })],
    [
      'tickets, second page',
      async () => {
        const first = await listTickets(ctx, { limit: PAGE });
        return listTickets(ctx, { limit: PAGE, afterId: first[PAGE - 1]?.id ?? '' });
      },
    ],
    ['tickets, unsolved (the inbox)', () => listTickets(ctx, { status: ['new', 'open', 'pending', 'on_hold'], limit: PAGE })],
    ['tickets, open and pending', () => listTickets(ctx, { status: ['open', 'pending'], limit: PAGE })],
    ['tickets, mine', () => listTickets(ctx, { assignee: 'me', limit: PAGE })],
    ['tickets, mine and open', () => listTickets(ctx, { assignee: 'me', status: ['new', 'open', 'pending'], limit: PAGE })],
    ['customers', () => listCustomers(ctx, { limit: PAGE })],
    ['mentions', () => listMentions(ctx, { limit: PAGE })],
    ['reviews', () => listReviews(ctx, { limit: PAGE })],
    ['widget reviews', () => widgetReviews(logged, small.id, 'en', PAGE)],
    ['knowledge base articles', () => listArticles(ctx, { limit: PAGE })],
    ['knowledge base suggestions', () => suggestArticles(ctx, small.ticketId)],
    ['calls', () => listCalls(ctx, { limit: PAGE })],
    ['notifications', () => listNotifications(ctx, { limit: PAGE })],
    ['stage health alerts', () => listHealthAlerts(ctx, PAGE)],
    ['survey invitations', () => listInvitations(ctx, small.surveyId, PAGE)],
    ['API tokens', () => listTokens(ctx)],
    ['received e-mail', () => get(`/api/v1/email/inbound?limit=${PAGE}`)],
    ['received e-mail, still to process', () => get(`/api/v1/email/inbound?status=received&limit=${PAGE}`)],
    ['audit log', () => get(`/api/v1/audit?limit=${PAGE}`)],
    [
      'chat transcript',
      () => transcript(logged, { id: 'v', workspaceId: small.id, widgetId: 'w', ticketId: small.ticketId, customerId: small.customerId, name: null, email: null }, PAGE),
    ],
  ];

  async function reads(call: () => Promise<unknown>): Promise<Array<Read & { sql: string }>> {
    recorded = [];
    await call();
    const out: Array<Read & { sql: string }> = [];
    // EXPLAIN ANALYZE runs the statement: in a transaction rolled back, so it changes nothing.
    const client = await db.pool.connect();
    try {
      for (const query of recorded) {
        if (!/^\s*(select|with)\b/i.test(query.sql)) continue;
        await client.query('BEGIN');
        const { rows } = await client.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${query.sql}`, [...query.parameters]);
        await client.query('ROLLBACK');
        const plan = rows[0]?.['QUERY PLAN'][0]?.Plan;
        if (plan) out.push(...scans(plan).map((r) => ({ ...r, sql: query.sql })));
      }
    } finally {
      client.release();
    }
    return out;
  }

  it.each(lists)('%s', async (_name, call) => {
    const all = await reads(call);
    const heavy = all.filter((r) => r.rows > MAX_READ);
    expect(heavy.map((r) => `${r.relation}: ${r.rows} rows read by ${r.scan}`), heavy[0]?.sql).toEqual([]);
  });
});
