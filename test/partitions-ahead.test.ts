// Touchpoint month partitions made ahead of need and many at once (migration 082): a migrated
// database has this month and the next PARTITION_MONTHS_AHEAD; the daily job makes a missing one
// again and never one twice; concurrent makers of the same months (two processes starting, or
// concurrent batches of history) each month made once; concurrent batches spread over a year of
// months with no partition all store, every touchpoint once and in its own month, and reports
// and journeys see them.
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueue, JobRuntime } from '../src/jobs/index.ts';
import { ensureTouchpointPartitionsAhead, monthsAhead, PARTITION_MONTHS_AHEAD } from '../src/journeys/partitions.ts';
import { makeTouchpointPartitions } from '../src/journeys/store.ts';
import { availableBackends } from './support/db.ts';
import { ok, startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const silent = pino({ level: 'silent' });
const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
const nameOf = (month: Date) => `touchpoints_${month.getUTCFullYear()}_${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

describe.each(availableBackends())('touchpoint partitions made ahead on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let writeKey: string;
  const partitions = async () =>
    (await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'touchpoints'::regclass ORDER BY 1`.execute(api.database.db)).rows.map((r) => r.name);
  const runJob = async () => {
    const jobs = new JobRuntime({ database: api.database, logger: silent });
    await jobs.start();
    try {
      await api.database.db.transaction().execute((tx) => enqueue(tx, 'touchpoints.partitions', {}));
      return await jobs.drain();
    } finally {
      await jobs.stop();
    }
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Partitions ahead');
    writeKey = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
  });
  afterAll(async () => api?.close());

  it('has this month and the next ones after migrating; the daily job makes a missing one again, and nothing twice', async () => {
    const coming = monthsAhead(new Date()).map(nameOf);
    expect(coming).toHaveLength(PARTITION_MONTHS_AHEAD + 1);
    const before = await partitions();
    expect(before).toEqual(expect.arrayContaining([...coming, 'touchpoints_default']));

    // The furthest month goes missing (nothing is in it yet); the job makes it again.
    await sql`DROP TABLE ${sql.table(coming.at(-1) as string)}`.execute(api.database.db);
    expect(await partitions()).not.toContain(coming.at(-1));
    expect(await runJob()).toEqual({ completed: 1, failed: 0 });
    expect(await partitions()).toEqual(before);
    // Run again, and at start-up: nothing made, nothing fails.
    expect(await runJob()).toEqual({ completed: 1, failed: 0 });
    expect(await ensureTouchpointPartitionsAhead(api.database.db)).toBe(0);
    expect(await partitions()).toEqual(before);
    // Each run queued the next one, for the next UTC midnight.
    const next = await sql<{ at: Date }>`
      SELECT start_after AS at FROM pgboss.job WHERE name = 'touchpoints.partitions' AND state = 'created'`.execute(api.database.db);
    const midnight = Math.floor(Date.now() / 86_400_000 + 1) * 86_400_000;
    expect(next.rows.map((r) => new Date(r.at).getTime())).toEqual([midnight]);
  });

  it('makes each month once when processes start together and when makers of the same months overlap', async () => {
    const db = api.database.db;
    // Two processes starting in the same instant, two years from now: four months, made once.
    const later = new Date(Date.UTC(new Date().getUTCFullYear() + 2, 4, 15));
    const starts = await Promise.all([ensureTouchpointPartitionsAhead(db, later), ensureTouchpointPartitionsAhead(db, later)]);
    expect(starts[0] + starts[1]).toBe(PARTITION_MONTHS_AHEAD + 1);
    expect(await partitions()).toEqual(expect.arrayContaining(monthsAhead(later).map(nameOf)));

    // Overlapping sets of 2010's months, asked for at once: the twelve made, each once.
    const month = (m: number) => new Date(Date.UTC(2010, m, 10));
    const sets = [[0, 1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8], [8, 9, 10, 11], [11, 5, 0]].map((s) => s.map(month));
    const made = await Promise.all(sets.map((s) => makeTouchpointPartitions(db, s)));
    expect(made.reduce((a, b) => a + b, 0)).toBe(12);
    const all = await partitions();
    for (let m = 0; m < 12; m++) expect(all).toContain(nameOf(month(m)));
    expect(await makeTouchpointPartitions(db, sets.flat())).toBe(0);
  });

  it('stores concurrent batches over a year of months without partitions, each touchpoint once and in its month; reports and journeys see them', async () => {
    // A help-desk touchpoint of another workspace already waits in the default partition for
    // one of those months: it moves to its month when the batches make it.
    const other = await api.createWorkspace('Partitions ahead, other');
    const customer = await ok(await api.request(other.tokens.agent, 'POST', '/api/v1/customers', { email: 'eleni@example.gr', name: 'Ελένη' }), 201);
    await sql`INSERT INTO touchpoint_keys (workspace_id, message_id, touchpoint_id, occurred_at)
              VALUES (${other.id}, 'waiting', '01420000-0000-7000-8000-000000000001', '2015-06-30T23:59:59Z')`.execute(api.database.db);
    await sql`INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, kind, event, stage, valence, decided_by, occurred_at)
              VALUES ('01420000-0000-7000-8000-000000000001', ${other.id}, 'waiting', ${customer.id}, 'internal', 'Ticket Created',
                      'smot', 'neutral', 'help-desk', '2015-06-30T23:59:59Z')`.execute(api.database.db);

    // 375 messages over the twelve months of 2015, in 8 batches of 60 sent at once; each batch
    // shares 15 messages with the next (a retry racing the original).
    const events = ['Ad Viewed', 'Review Read', 'Order Completed'];
    const message = (j: number) => ({
      type: 'track',
      userId: `y-${j % 5}`,
      event: events[j % 3],
      timestamp: new Date(Date.UTC(2015, j % 12, 1 + (j % 28), j % 24, 7)).toISOString(),
      messageId: `y2015-${j}`,
    });
    const batches = Array.from({ length: 8 }, (_, b) => Array.from({ length: 60 }, (_, k) => message(b * 45 + k)));
    const answers = await Promise.all(
      batches.map((batch) =>
        api.app.inject({ method: 'POST', url: '/api/v1/batch', headers: { authorization: basic(writeKey) }, payload: { batch } }),
      ),
    );
    const statuses = answers.flatMap((a) => {
      expect(a.statusCode, a.body).toBe(200);
      return (a.json().results as { status: string }[]).map((r) => r.status);
    });
    expect(statuses.filter((s) => s === 'stored')).toHaveLength(375);
    expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(7 * 15);

    const rows = (
      await sql<{ message_id: string; occurred_at: Date; p: string }>`
        SELECT message_id, occurred_at, tableoid::regclass::text AS p FROM touchpoints
        WHERE workspace_id = ${ws.id} AND message_id LIKE 'y2015-%'`.execute(api.database.db)
    ).rows;
    expect(rows).toHaveLength(375);
    expect(new Set(rows.map((r) => r.message_id)).size).toBe(375);
    for (const r of rows) expect(r.p, r.message_id).toBe(nameOf(new Date(r.occurred_at)));
    const waiting = await sql<{ p: string }>`SELECT tableoid::regclass::text AS p FROM touchpoints WHERE message_id = 'waiting'`.execute(api.database.db);
    expect(waiting.rows).toEqual([{ p: 'touchpoints_2015_06' }]);
    const all = await partitions();
    for (let m = 0; m < 12; m++) expect(all).toContain(nameOf(new Date(Date.UTC(2015, m, 1))));

    const report = await ok(await api.request(ws.tokens.team_leader, 'GET', '/api/v1/reports/moments?from=2015-01-01&to=2016-01-01'), 200);
    const stages = report.stages as { stage: string; touchpoints: number; customers: number }[];
    expect(stages.reduce((n, s) => n + s.touchpoints, 0)).toBe(375);
    expect(stages.find((s) => s.stage === 'lzmot')).toMatchObject({ touchpoints: 125, customers: 5 });
    const journey = await ok(await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/y-3/journey'), 200);
    const expected = Array.from({ length: 375 }, (_, j) => message(j))
      .filter((m) => m.userId === 'y-3')
      .sort((a, b) => a.timestamp.localeCompare(b.timestamp))
      .map((m) => m.messageId);
    expect((journey.touchpoints as { messageId: string }[]).map((t) => t.messageId)).toEqual(expected);
  });
});
