// Ticket numbers come from a sequence per workspace (migration 058): concurrent creates never
// share a number and do not wait for each other; a rolled-back create leaves a gap; the sequence
// is made with the workspace and goes with it.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/connection.ts';
import type { Database, DatabaseKind } from '../src/db/connection.ts';
import { loadMigrations, migrate } from '../src/db/migrate.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { createTicket } from '../src/tickets/service.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { availableBackends, emptyPostgresDatabase, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

describe.each(availableBackends())('ticket numbers (%s)', (kind: DatabaseKind) => {
  let db: TestDatabase;
  let ctx: WorkspaceContext;
  let other: WorkspaceContext;
  const peek = async (workspaceId: string) =>
    (await sql<{ n: number }>`SELECT ticket_number_peek(${workspaceId}::uuid) AS n`.execute(db.db)).rows[0]?.n;
  const open = (c: WorkspaceContext, i: number) =>
    createTicket(c, { subject: `Αίτημα ${i}`, customer: { email: `customer${i % 5}@example.gr` }, channel: 'web', priority: 'normal', message: { text: 'Καλησπέρα' } });

  beforeAll(async () => {
    db = await freshDatabase(kind);
    const a = await createWorkspace(db.db, { name: 'Numbers A', owner: { email: 'a@example.com', name: 'A' } });
    const b = await createWorkspace(db.db, { name: 'Numbers B', owner: { email: 'b@example.com', name: 'B' } });
    ctx = { db: db.db, workspaceId: a.workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
    other = { db: db.db, workspaceId: b.workspace.id, actor: { type: 'system', id: null, role: 'owner' } };
  });
  afterAll(async () => db?.close());

  it('gives concurrent creates distinct numbers, 1 to n, each workspace its own', async () => {
    const made = await Promise.all([...Array.from({ length: 24 }, (_, i) => open(ctx, i)), open(other, 99)]);
    const numbers = made.slice(0, 24).map((t) => t.number).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    expect(made[24]?.number).toBe(1);
    expect(await peek(ctx.workspaceId)).toBe(25);
    // Each create's audit entry and first status (written in the ticket's own statement) hold its number.
    const first = made[0] as (typeof made)[number];
    const audit = await db.db.selectFrom('audit_log').select(['actor_type', 'actor_id', 'changes']).where('action', '=', 'ticket.created').where('entity_id', '=', first.id).execute();
    expect(audit).toEqual([{ actor_type: 'system', actor_id: null, changes: { number: first.number, subject: first.subject, status: 'new', priority: 'normal' } }]);
    const status = await db.db.selectFrom('ticket_status_log').select(['from_status', 'to_status']).where('ticket_id', '=', first.id).execute();
    expect(status).toEqual([{ from_status: null, to_status: 'new' }]);
  });

  it('leaves a gap where a create rolled back, and never reuses its number', async () => {
    await expect(
      db.db.transaction().execute(async (tx) => {
        const t = await open({ ...ctx, db: tx }, 100);
        expect(t.number).toBe(25);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect((await open(ctx, 101)).number).toBe(26);
    expect(await db.db.selectFrom('tickets').select('id').where('workspace_id', '=', ctx.workspaceId).where('number', '=', 25).executeTakeFirst()).toBeUndefined();
  });

  it('moves the sequence when the next number is set, and drops it with the workspace', async () => {
    await db.db.updateTable('workspaces').set({ next_ticket_number: 500 }).where('id', '=', other.workspaceId).execute();
    expect((await open(other, 1)).number).toBe(500);
    await db.db.deleteFrom('workspaces').where('id', '=', other.workspaceId).execute();
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname = ticket_number_sequence(${other.workspaceId}::uuid)`.execute(db.db);
    expect(left.rows[0]?.n).toBe(0);
    expect((await open(ctx, 102)).number).toBe(27);
  });
});

describe.each(availableBackends())('migration 058 on an existing workspace (%s)', (kind: DatabaseKind) => {
  it('continues from the counter, or past the highest number taken', async () => {
    const empty = kind === 'postgres' ? await emptyPostgresDatabase() : null;
    const database: Database = empty ? await openDatabase({ kind: 'postgres', url: empty.url }) : await openDatabase({ kind: 'pglite', memory: true });
    try {
      const all = loadMigrations();
      await migrate(database.pool, all.filter((m) => m.version < '058'));
      const a = await createWorkspace(database.db, { name: 'Old A', owner: { email: 'a@example.com', name: 'A' } });
      const b = await createWorkspace(database.db, { name: 'Old B', owner: { email: 'b@example.com', name: 'B' } });
      const as = (workspaceId: string): WorkspaceContext => ({ db: database.db, workspaceId, actor: { type: 'system', id: null, role: 'owner' } });
      // Before 058 the counter was the column: A has handed out #1–#4.
      await database.db.updateTable('workspaces').set({ next_ticket_number: 5 }).where('id', '=', a.workspace.id).execute();
      // B's counter says 7 but a ticket already has 9 (a hand-made fix-up): no number is reused.
      await database.db.updateTable('workspaces').set({ next_ticket_number: 7 }).where('id', '=', b.workspace.id).execute();
      await sql`
        WITH c AS (INSERT INTO customers (id, workspace_id, email) VALUES (gen_random_uuid(), ${b.workspace.id}, 'c@example.gr') RETURNING id)
        INSERT INTO tickets (id, workspace_id, number, subject, status, priority, channel, customer_id, search_text)
        SELECT gen_random_uuid(), ${b.workspace.id}, 9, 'x', 'new', 'normal', 'web', id, 'x' FROM c`.execute(database.db);
      await migrate(database.pool, all);
      expect((await createTicket(as(a.workspace.id), { subject: 'Μετά', customer: { email: 'c@example.gr' }, channel: 'web', priority: 'normal' })).number).toBe(5);
      expect((await createTicket(as(b.workspace.id), { subject: 'Μετά', customer: { email: 'c@example.gr' }, channel: 'web', priority: 'normal' })).number).toBe(10);
    } finally {
      await database.close();
      await empty?.drop();
    }
  }, 120_000);
});
