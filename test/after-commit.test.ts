// Realtime events published in a transaction leave after its COMMIT (src/db/after-commit.ts):
// in order, once the change is visible to other connections, and never for a rollback.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { RealtimeHub } from '../src/realtime/hub.ts';
import { publish, publishOnCommit } from '../src/realtime/events.ts';
import type { DeliveredEvent } from '../src/realtime/events.ts';
import { newId } from '../src/shared/ids.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

describe.each(availableBackends())('events published with a transaction (%s)', (kind) => {
  let database: TestDatabase;
  let hub: RealtimeHub;
  const workspaceId = newId();
  const received: DeliveredEvent[] = [];
  /** Waits for the sentinel published outside any transaction, so everything before it has arrived. */
  const settle = async () => {
    const id = newId();
    await publish(database.db, workspaceId, { type: 'sentinel', data: { id } });
    for (let i = 0; i < 200 && !received.some((e) => e.data.id === id); i++) await new Promise((r) => setTimeout(r, 10));
    const at = received.findIndex((e) => e.data.id === id);
    expect(at).toBeGreaterThanOrEqual(0);
    return received.splice(0, at + 1).slice(0, -1);
  };

  beforeAll(async () => {
    database = await freshDatabase(kind);
    hub = new RealtimeHub(database);
    await hub.start();
    hub.subscribe(workspaceId, (event) => received.push(event));
  });
  afterAll(async () => {
    await hub.stop();
    await database.close();
  });

  it('delivers a committed transaction\'s events in order, after the change is visible', async () => {
    const seen: boolean[] = [];
    const unsubscribe = hub.subscribe(workspaceId, (event) => {
      if (event.type !== 'one') return;
      // A listener that reads on another connection finds the committed row.
      void sql<{ n: number }>`SELECT count(*)::int AS n FROM workspaces WHERE slug = ${`after-${workspaceId}`}`
        .execute(database.db)
        .then((r) => seen.push(r.rows[0]?.n === 1));
    });
    await database.db.transaction().execute(async (tx) => {
      await publishOnCommit(tx, workspaceId, { type: 'one', data: {} });
      await sql`INSERT INTO workspaces (id, name, slug, write_key) VALUES (${workspaceId}, 'After', ${`after-${workspaceId}`}, ${`wk-${workspaceId}`})`.execute(tx);
      await publishOnCommit(tx, workspaceId, { type: 'two', data: {} });
    });
    expect((await settle()).map((e) => e.type)).toEqual(['one', 'two']);
    for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    unsubscribe();
    expect(seen).toEqual([true]);
  });

  it('delivers nothing for a transaction that rolled back after publishing', async () => {
    await expect(
      database.db.transaction().execute(async (tx) => {
        await publishOnCommit(tx, workspaceId, { type: 'undone', data: {} });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await expect(
      database.db.transaction().execute(async (tx) => {
        await publishOnCommit(tx, workspaceId, { type: 'undone', data: {} });
        await sql`SELECT 1 / 0`.execute(tx);
      }),
    ).rejects.toThrow();
    expect(await settle()).toEqual([]);
  });

  it('publishes at once outside a transaction, and the connection goes back clean', async () => {
    await publishOnCommit(database.db, workspaceId, { type: 'alone', data: {} });
    expect((await settle()).map((e) => e.type)).toEqual(['alone']);
    // The next transaction on a pooled connection starts with nothing queued.
    await database.db.transaction().execute(async (tx) => {
      await publishOnCommit(tx, workspaceId, { type: 'next', data: {} });
    });
    expect((await settle()).map((e) => e.type)).toEqual(['next']);
  });
});
