// Touchpoints are partitioned by month of occurred_at: history and future timestamps always
// find a partition, messageId stays idempotent across partitions, and help-desk activity that
// landed in the default partition moves when its month is created.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTouchpointPartitions } from '../src/journeys/store.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

describe.each(availableBackends())('touchpoint partitions on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let writeKey: string;
  const send = (path: string, body: unknown) =>
    api.app.inject({ method: 'POST', url: `/api/v1/${path}`, headers: { authorization: basic(writeKey) }, payload: body as object });
  const partitionOf = async (messageId: string) =>
    (await sql<{ p: string }>`SELECT tableoid::regclass::text AS p FROM touchpoints WHERE message_id = ${messageId}`.execute(api.database.db)).rows.map((r) => r.p);

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Partitions');
    writeKey = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
  });
  afterAll(async () => api?.close());

  it('gives imported history its own month, sends far-future and pre-1970 timestamps to the default partition', async () => {
    const res = await send('batch', {
      batch: [
        { type: 'track', userId: 'hist-1', event: 'Order Completed', timestamp: '2019-03-15T10:00:00Z', messageId: 'p-2019' },
        { type: 'track', userId: 'hist-1', event: 'Review Published', timestamp: '2019-04-01T00:00:00Z', messageId: 'p-2019-04' },
        { type: 'track', userId: 'hist-1', event: 'Ad Viewed', timestamp: '2099-01-01T00:00:00Z', messageId: 'p-2099' },
        { type: 'track', userId: 'hist-1', event: 'Ad Viewed', timestamp: '1969-12-31T23:59:59Z', messageId: 'p-1969' },
      ],
    });
    expect(res.json().results.map((r: { status: string }) => r.status)).toEqual(['stored', 'stored', 'stored', 'stored']);
    expect(await partitionOf('p-2019')).toEqual(['touchpoints_2019_03']);
    expect(await partitionOf('p-2019-04')).toEqual(['touchpoints_2019_04']);
    expect(await partitionOf('p-2099')).toEqual(['touchpoints_default']);
    expect(await partitionOf('p-1969')).toEqual(['touchpoints_default']);
    const journey = (await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/hist-1/journey')).json();
    expect(journey.touchpoints.map((t: { messageId: string }) => t.messageId)).toEqual(['p-1969', 'p-2019', 'p-2019-04', 'p-2099']);
  });

  it('keeps a messageId once even when the retry carries another month', async () => {
    const first = await send('track', { userId: 'hist-2', event: 'Ad Viewed', timestamp: '2021-05-05T00:00:00Z', messageId: 'p-moved' });
    expect(first.json().results[0].status).toBe('stored');
    const retry = await send('track', { userId: 'hist-2', event: 'Ad Viewed', timestamp: '2022-07-07T00:00:00Z', messageId: 'p-moved' });
    expect(retry.json().results[0]).toMatchObject({ status: 'duplicate', stage: 'lzmot' });
    expect(await partitionOf('p-moved')).toEqual(['touchpoints_2021_05']);
  });

  it('moves rows out of the default partition when their month is created', async () => {
    // Help-desk activity is written inside the caller's transaction and never creates a
    // partition: a month nobody created yet lands in the default partition.
    const customer = (await api.request(ws.tokens.agent, 'POST', '/api/v1/customers', { email: 'anna@example.gr', name: 'Άννα' })).json();
    await sql`INSERT INTO touchpoint_keys (workspace_id, message_id, touchpoint_id, occurred_at)
              VALUES (${ws.id}, 'p-default', '01890000-0000-7000-8000-000000000001', '2018-02-02T00:00:00Z')`.execute(api.database.db);
    await sql`INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, kind, event, stage, valence, decided_by, occurred_at)
              VALUES ('01890000-0000-7000-8000-000000000001', ${ws.id}, 'p-default', ${customer.id}, 'internal', 'Ticket Created',
                      'smot', 'neutral', 'help-desk', '2018-02-02T00:00:00Z')`.execute(api.database.db);
    expect(await partitionOf('p-default')).toEqual(['touchpoints_default']);
    await ensureTouchpointPartitions(api.database.db, [new Date('2018-02-20T00:00:00Z')]);
    expect(await partitionOf('p-default')).toEqual(['touchpoints_2018_02']);
    const journey = (await api.request(ws.tokens.agent, 'GET', `/api/v1/customers/${customer.id}/journey`)).json();
    expect(journey.touchpoints.map((t: { messageId: string }) => t.messageId)).toEqual(['p-default']);
  });
});
