// The daily touchpoint counters as appended deltas (migration 059): creates append and never
// share a row; the moments report reads counters plus pending deltas, so it is the same before
// and after a fold; folds are exact under concurrent writers; one folder at a time; export
// carries the folded figures; a rebuild does not count the deltas twice.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../src/db/connection.ts';
import { foldAllDailyCounts, queueDailyFold } from '../src/journeys/daily-fold.ts';
import { momentsReport } from '../src/journeys/reports.ts';
import { foldDailyCounts, rebuildRollups } from '../src/journeys/store.ts';
import { exportWorkspace } from '../src/portability/export.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { createTicket } from '../src/tickets/service.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const DAY = 86_400_000;

describe.each(availableBackends())('daily touchpoint deltas (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let ctx: WorkspaceContext;
  const count = async (table: string) =>
    Number((await sql<{ n: string }>`SELECT coalesce(sum(touchpoints), 0) AS n FROM ${sql.table(table)} WHERE workspace_id = ${ctx.workspaceId}`.execute(db.db)).rows[0]?.n);
  // Three whole past days, so the report reads them from the counters, not from raw touchpoints.
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  const from = new Date(midnight - 4 * DAY);
  const to = new Date(midnight - DAY);
  const open = (i: number) =>
    createTicket(ctx, {
      subject: `Αίτημα ${i}`,
      customer: { email: `c${i % 7}@example.gr` },
      channel: i % 2 ? 'web' : 'email',
      priority: 'normal',
      message: { text: i % 3 ? 'Ευχαριστώ πολύ, όλα τέλεια' : 'Πολύ απογοητευτικό, δεν λειτουργεί' },
      createdAt: new Date(from.getTime() + (i % 3) * DAY + 3_600_000 * (1 + (i % 20))),
    });

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const made = await createWorkspace(db.db, { name: 'Deltas', owner: { email: 'o@example.com', name: 'O' } });
    ctx = { db: db.db, workspaceId: made.workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
  });
  afterAll(async () => db?.close());

  it('appends a delta per create, reads the same report before and after folding, and folds each delta once', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => open(i)));
    expect(await count('touchpoint_daily_deltas')).toBe(30);
    expect(await count('touchpoint_daily')).toBe(0);
    const before = await momentsReport(ctx, from, to);
    expect(before.find((s) => s.stage === 'smot')?.touchpoints).toBe(30);

    // Writers keep appending while two folds run at once: nothing lost, nothing counted twice.
    const [a, b] = await Promise.all([foldDailyCounts(db.db, ctx.workspaceId), foldDailyCounts(db.db, ctx.workspaceId), ...Array.from({ length: 10 }, (_, i) => open(100 + i))]);
    expect((a as number) + (b as number)).toBeGreaterThanOrEqual(30);
    expect((await count('touchpoint_daily')) + (await count('touchpoint_daily_deltas'))).toBe(40);
    const after = await momentsReport(ctx, from, to);
    expect(after.find((s) => s.stage === 'smot')?.touchpoints).toBe(40);
    expect(await foldAllDailyCounts(db.db)).toBeGreaterThanOrEqual(0);
    expect(await count('touchpoint_daily_deltas')).toBe(0);
    expect(await count('touchpoint_daily')).toBe(40);
    expect(await momentsReport(ctx, from, to)).toEqual(after);
  });

  it('exports the counters with pending deltas added, and a rebuild does not count the deltas twice', async () => {
    await Promise.all(Array.from({ length: 5 }, (_, i) => open(200 + i)));
    expect(await count('touchpoint_daily_deltas')).toBe(5);
    const lines: string[] = [];
    await exportWorkspace(db.db, ctx.workspaceId, async (line) => {
      lines.push(line);
    });
    const exported = lines.map((l) => JSON.parse(l) as { table?: string; row?: { touchpoints: number } }).filter((l) => l.table === 'touchpoint_daily');
    expect(exported.reduce((n, l) => n + Number(l.row?.touchpoints), 0)).toBe(45);
    expect(lines.some((l) => l.includes('"table":"touchpoint_daily_deltas"'))).toBe(false);
    const report = await momentsReport(ctx, from, to);
    expect(await rebuildRollups(db.db, ctx.workspaceId)).toBe(45);
    expect(await count('touchpoint_daily_deltas')).toBe(0);
    expect(await momentsReport(ctx, from, to)).toEqual(report);
  });

  it('queues one fold per slot however often asked', async () => {
    const at = new Date();
    await queueDailyFold(db.db, at);
    await queueDailyFold(db.db, at);
    const jobs = await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'touchpoints.daily.fold' AND state < 'completed'`.execute(db.db);
    expect(Number(jobs.rows[0]?.n)).toBe(1);
  });

  it.skipIf(kind === 'pglite')('lets one folder run at a time (a second one has nothing to do)', async () => {
    await open(300);
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('touchpoint_daily_folder'))`);
      expect(await foldAllDailyCounts(db.db)).toBeNull();
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
    expect(await foldAllDailyCounts(db.db)).toBe(1);
  });
});
