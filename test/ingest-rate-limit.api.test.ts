// Ingestion is rate-limited per write key: past the limit a client gets a clear 429 with
// Retry-After, the refused batch stores nothing, and another workspace's key is unaffected.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';

// Read when the routes module loads: a small limit so the test reaches it.
vi.hoisted(() => {
  process.env.TRUTHDESK_INGEST_RATE_LIMIT = '5';
});

describe.each(availableBackends())('ingestion rate limit on %s', (kind) => {
  let api: TestApi;
  let aurora: TestWorkspace;
  let borealis: TestWorkspace;
  const keyOf = async (ws: TestWorkspace) =>
    (await api.database.db.selectFrom('workspaces').select('write_key').where('id', '=', ws.id).executeTakeFirstOrThrow()).write_key;
  const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

  beforeAll(async () => {
    api = await startTestApi(kind);
    aurora = await api.createWorkspace('Aurora');
    borealis = await api.createWorkspace('Borealis');
  });
  afterAll(async () => api?.close());

  it('answers 429 with Retry-After past the limit, stores nothing then, and counts per key', async () => {
    const key = await keyOf(aurora);
    const send = (i: number, headers: Record<string, string>) =>
      api.app.inject({
        method: 'POST',
        url: '/api/v1/batch',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: { batch: [{ type: 'track', userId: 'ελένη-1', event: 'Pricing Viewed', messageId: `rl-${i}` }] },
      });
    for (let i = 0; i < 5; i++) expect((await send(i, basic(key))).statusCode).toBe(200);
    const refused = await send(5, basic(key));
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    const stored = await sql<{ n: string }>`SELECT count(*) AS n FROM touchpoints WHERE workspace_id = ${aurora.id} AND message_id LIKE 'rl-%'`.execute(api.database.db);
    expect(Number(stored.rows[0]?.n)).toBe(5);
    // Another workspace's key has its own allowance.
    expect((await send(100, basic(await keyOf(borealis)))).statusCode).toBe(200);
  });
});
