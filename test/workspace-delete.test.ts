// Deleting a workspace deletes the rows stored beside its touchpoints, which have no foreign
// key to it since migration 081, and leaves another workspace's alone.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { ingestBatch } from '../src/journeys/ingest.ts';
import { createWorkspace } from '../src/workspaces/service.ts';
import { availableBackends, freshDatabase, type TestDatabase } from './support/db.ts';

const SIDE_TABLES = ['touchpoint_keys', 'touchpoint_daily_deltas', 'loop_facts', 'touchpoints'] as const;

describe.each(availableBackends())('deleting a workspace on %s', (kind) => {
  let db: TestDatabase | undefined;
  afterEach(async () => db?.close());

  it('takes its message keys, daily deltas and loop facts with it, and nothing of another workspace', async () => {
    db = await freshDatabase(kind);
    const journey = (who: string) => [
      { type: 'track', userId: who, event: 'Pricing Viewed', timestamp: '2026-03-02T09:00:00Z', messageId: `${who}-1` },
      { type: 'track', userId: who, event: 'Order Completed', properties: { text: 'Η παραγγελία ολοκληρώθηκε' }, timestamp: '2026-03-02T10:00:00Z', messageId: `${who}-2` },
      { type: 'track', anonymousId: `${who}-visitor`, event: 'Product Viewed', properties: { text: 'شاهدت المنتج' }, timestamp: '2026-03-02T11:00:00Z', messageId: `${who}-3` },
    ];
    const ids: string[] = [];
    for (const name of ['gone', 'kept']) {
      const { workspace } = await createWorkspace(db.db, { name, slug: name, owner: { email: `${name}@example.gr`, name } });
      const results = await ingestBatch(db.db, workspace.id, journey(`${name}-eleni`));
      expect(results.map((r) => r.status)).toEqual(['stored', 'stored', 'stored']);
      ids.push(workspace.id);
    }
    const [gone, kept] = ids as [string, string];
    const count = async (table: string, ws: string) =>
      (await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE workspace_id = ${ws}`.execute(db!.db)).rows[0]?.n;
    for (const table of SIDE_TABLES) expect(await count(table, gone), table).toBeGreaterThan(0);
    const before = await Promise.all(SIDE_TABLES.map((t) => count(t, kept)));

    await db.db.deleteFrom('workspaces').where('id', '=', gone).execute();

    for (const table of SIDE_TABLES) expect(await count(table, gone), table).toBe(0);
    expect(await Promise.all(SIDE_TABLES.map((t) => count(t, kept)))).toEqual(before);
  });
});
