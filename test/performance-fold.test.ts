// The team-performance deltas are folded by a background job (src/performance/fold.ts), not by
// reading: the report reads rollups plus pending deltas, so it answers the same before and
// after a fold, and reading leaves the deltas where they are.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseKind } from '../src/db/connection.ts';
import { foldAllPerformance, queuePerformanceFold } from '../src/performance/fold.ts';
import { performanceReport } from '../src/performance/report.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { createTicket, updateTicket } from '../src/tickets/service.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const DAY = 86_400_000;

describe.each(availableBackends())('team performance folding (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let ctx: WorkspaceContext;
  let ownerId: string;
  const pending = async () =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM ticket_performance_deltas WHERE workspace_id = ${ctx.workspaceId}`.execute(db.db)).rows[0]?.n);
  // Whole past days (read from rollups and deltas) and a part-day at each end (read from tickets).
  const midnight = Math.floor(Date.now() / DAY) * DAY;
  const from = new Date(midnight - 5 * DAY + 6 * 3_600_000);
  const to = new Date(midnight - DAY + 12 * 3_600_000);

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const made = await createWorkspace(db.db, { name: 'Fold', owner: { email: 'o@example.gr', name: 'Όλγα' } });
    ctx = { db: db.db, workspaceId: made.workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
    ownerId = made.ownerId;
  });
  afterAll(async () => db?.close());

  it('answers the same report before and after a fold, and reading does not fold', async () => {
    for (let i = 0; i < 24; i++) {
      const createdAt = new Date(from.getTime() - DAY + i * 5 * 3_600_000);
      const ticket = await createTicket(ctx, {
        subject: `Η παραγγελία ${i} δεν έφτασε`,
        customer: { email: `pelatis${i % 5}@example.gr` },
        channel: 'email',
        priority: 'normal',
        message: { text: 'Περιμένω ακόμα την παραγγελία μου' },
        createdAt,
        ...(i % 2 ? { assigneeId: ownerId } : {}),
      });
      if (i % 3 === 0) await updateTicket(ctx, ticket.id, { status: 'solved' }, undefined, new Date(createdAt.getTime() + 3_600_000));
    }
    expect(await pending()).toBeGreaterThan(0);
    const before = await performanceReport(ctx, from, to, 'agent');
    expect(before.overall.tickets).toBeGreaterThan(10);
    expect(await pending()).toBeGreaterThan(0);

    expect(await foldAllPerformance(db.db)).toBe(1);
    expect(await pending()).toBe(0);
    expect(await performanceReport(ctx, from, to, 'agent')).toEqual(before);
    expect(await foldAllPerformance(db.db)).toBe(0);
  });

  it('queues one fold per slot however often asked', async () => {
    const at = new Date();
    await queuePerformanceFold(db.db, at);
    await queuePerformanceFold(db.db, at);
    const jobs = await sql<{ n: string }>`SELECT count(*) AS n FROM pgboss.job WHERE name = 'performance.fold' AND state < 'completed'`.execute(db.db);
    expect(Number(jobs.rows[0]?.n)).toBe(1);
  });
});
