// Segment-compatible ingestion, journeys and the moments report, on both databases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';

const basic = (writeKey: string) => `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;

describe.each(availableBackends())('touchpoint ingestion and journeys on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let writeKey: string;
  const send = (path: string, body: unknown, key = writeKey) =>
    api.app.inject({ method: 'POST', url: `/api/v1/${path}`, headers: { authorization: basic(key) }, payload: body as object });

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Journeys');
    writeKey = (await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
  });
  afterAll(async () => api?.close());

  it('stores a track call once per messageId and names its stage', async () => {
    const message = {
      userId: 'user-42',
      event: 'Order Completed',
      properties: { total: 129 },
      timestamp: '2026-10-01T10:00:00Z',
      messageId: 'm-order-1',
    };
    const first = await send('track', message);
    expect(first.statusCode).toBe(200);
    expect(first.json().results).toEqual([
      expect.objectContaining({ index: 0, messageId: 'm-order-1', status: 'stored', stage: 'fmot', decidedBy: 'catalogue' }),
    ]);
    const again = await send('track', message);
    expect(again.json().results[0]).toMatchObject({ status: 'duplicate', stage: 'fmot' });
    const rows = await api.database.db.selectFrom('touchpoints').select('id').where('message_id', '=', 'm-order-1').execute();
    expect(rows).toHaveLength(1);
  });

  it('stores each messageId once when concurrent batches overlap, and every copy says how it was stored', async () => {
    // Four batches at once, each sharing half of its messageIds with the next: on PostgreSQL
    // they run on separate connections and race for the same keys.
    const texts = ['Η παράδοση άργησε δύο εβδομάδες', 'التركيب كان سريع جداً، شكراً', 'Pricing page looked clear'];
    const batch = (k: number) =>
      Array.from({ length: 40 }, (_, j) => {
        const n = k * 20 + j;
        return { type: 'track', userId: `race-${n % 7}`, event: n % 2 ? 'Review Imported' : 'Pricing Viewed', properties: { text: texts[n % 3] }, timestamp: '2026-10-02T10:00:00Z', messageId: `race-${n}` };
      });
    const responses = await Promise.all([0, 1, 2, 3].map((k) => send('batch', { batch: batch(k) })));
    const results = responses.flatMap((r) => {
      expect(r.statusCode).toBe(200);
      return r.json().results as { messageId: string; status: string; stage: string }[];
    });
    const stored = results.filter((r) => r.status === 'stored');
    expect(new Set(stored.map((r) => r.messageId)).size).toBe(100);
    expect(stored).toHaveLength(100);
    const stageOf = new Map(stored.map((r) => [r.messageId, r.stage]));
    for (const r of results.filter((x) => x.status === 'duplicate')) expect(r.stage).toBe(stageOf.get(r.messageId));
    const rows = await api.database.db.selectFrom('touchpoints').select(['message_id', 'stage']).where('message_id', 'like', 'race-%').execute();
    expect(rows).toHaveLength(100);
    for (const row of rows) expect(row.stage).toBe(stageOf.get(row.message_id));
  });

  it('refuses properties or context that are not a JSON object, by index, and stores the rest', async () => {
    const res = await send('batch', {
      batch: [
        { type: 'track', userId: 'shape-1', event: 'Pricing Viewed', properties: 'Τιμές', messageId: 'shape-a' },
        { type: 'track', userId: 'shape-1', event: 'Pricing Viewed', context: ['ar'], messageId: 'shape-b' },
        { type: 'track', userId: 'shape-1', event: 'Pricing Viewed', properties: null, messageId: 'shape-c' },
        { type: 'track', userId: 'shape-1', event: 'Pricing Viewed', properties: { text: 'الأسعار واضحة' }, context: { locale: 'ar' }, messageId: 'shape-d' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().results as { index: number; status: string; error?: string }[];
    expect(results.map((r) => r.status)).toEqual(['invalid', 'invalid', 'invalid', 'stored']);
    expect(results[0]?.error).toMatch(/^properties: /);
    expect(results[1]?.error).toMatch(/^context: /);
    const rows = await api.database.db.selectFrom('touchpoints').select('message_id').where('message_id', 'like', 'shape-%').execute();
    expect(rows.map((r) => r.message_id)).toEqual(['shape-d']);
  });

  it('lets properties.stage override classification and classifies free Greek and Arabic text', async () => {
    const res = await send('batch', {
      batch: [
        { type: 'track', userId: 'user-7', event: 'Order Completed', properties: { stage: 'smot' }, messageId: 'b-1' },
        {
          type: 'track',
          userId: 'user-7',
          event: 'Review Imported',
          properties: { text: 'Απαίσια εμπειρία, ο θερμοστάτης χάλασε σε μια εβδομάδα και κανείς δεν απαντά. Δεν τον προτείνω.' },
          messageId: 'b-2',
        },
        { type: 'track', event: 'No Identity', messageId: 'b-3' },
        { type: 'page', userId: 'user-7', messageId: 'b-4' },
        {
          type: 'track',
          anonymousId: 'anon-1',
          event: 'Mention Imported',
          properties: { text: 'خدمة رائعة والتركيب كان سريع جداً، شكراً لفريق الدعم' },
          messageId: 'b-5',
        },
      ],
    });
    expect(res.statusCode).toBe(200);
    const results = res.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual(['stored', 'stored', 'invalid', 'invalid', 'stored']);
    expect(results[0]).toMatchObject({ stage: 'smot', decidedBy: 'explicit' });
    expect(results[1]).toMatchObject({ valence: 'negative' });
    expect(results[2].error).toMatch(/userId or anonymousId/);
    expect(results[3].error).toMatch(/type/);
    expect(results[4]).toMatchObject({ valence: 'positive' });
  });

  it('refuses unknown write keys and oversize batches without storing anything', async () => {
    const before = (await api.database.db.selectFrom('touchpoints').select('id').execute()).length;
    const wrongKey = await send('track', { userId: 'x', event: 'Order Completed', messageId: 'nope' }, 'wk_unknown');
    expect(wrongKey.statusCode).toBe(401);
    const tooMany = await send('batch', {
      batch: Array.from({ length: 501 }, (_, i) => ({ type: 'track', userId: 'u', event: 'Ad Viewed', messageId: `many-${i}` })),
    });
    expect(tooMany.statusCode).toBe(413);
    const agentToken = await api.request(ws.tokens.agent, 'POST', '/api/v1/track', { userId: 'x', event: 'Ad Viewed' });
    expect(agentToken.statusCode).toBe(403);
    expect((await api.database.db.selectFrom('touchpoints').select('id').execute()).length).toBe(before);
  });

  it('merges an anonymous visitor into the customer on identify and returns the journey in time order', async () => {
    await send('batch', {
      batch: [
        { type: 'track', anonymousId: 'visitor-9', event: 'Ad Viewed', timestamp: '2026-09-01T09:00:00Z', messageId: 'j-1' },
        { type: 'track', anonymousId: 'visitor-9', event: 'Pricing Viewed', timestamp: '2026-09-02T09:00:00Z', messageId: 'j-2' },
      ],
    });
    const identify = await send('identify', {
      userId: 'sofia-1',
      anonymousId: 'visitor-9',
      traits: { email: 'sofia@example.gr', name: 'Σοφία Κ.', locale: 'el' },
      timestamp: '2026-09-03T09:00:00Z',
      messageId: 'j-3',
    });
    expect(identify.json().results[0].status).toBe('stored');
    await send('track', { userId: 'sofia-1', event: 'Trial Started', timestamp: '2026-09-04T09:00:00Z', messageId: 'j-4' });
    const journey = await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/sofia-1/journey');
    expect(journey.statusCode).toBe(200);
    const body = journey.json();
    expect(body.customer).toMatchObject({ externalId: 'sofia-1', email: 'sofia@example.gr', name: 'Σοφία Κ.', locale: 'el' });
    expect(body.touchpoints.map((t: { messageId: string }) => t.messageId)).toEqual(['j-1', 'j-2', 'j-3', 'j-4']);
    expect(body.touchpoints.map((t: { stage: string }) => t.stage).slice(0, 2)).toEqual(['lzmot', 'zmot']);
    const byId = await api.request(ws.tokens.agent, 'GET', `/api/v1/customers/${body.customer.id}/journey`);
    expect(byId.json().touchpoints).toHaveLength(4);
  });

  it('stores a batch set-based with the same outcome as one message at a time: repeats, merges and traits in order', async () => {
    await send('track', { anonymousId: 'visitor-b', event: 'Ad Viewed', timestamp: '2026-09-10T08:00:00Z', messageId: 'sb-0' });
    const res = await send('batch', {
      batch: [
        { type: 'track', anonymousId: 'visitor-b', event: 'Pricing Viewed', timestamp: '2026-09-10T09:00:00Z', messageId: 'sb-1' },
        { type: 'track', anonymousId: 'visitor-b', event: 'Pricing Viewed', timestamp: '2026-09-10T09:00:00Z', messageId: 'sb-1' },
        { type: 'identify', userId: 'eleni-5', anonymousId: 'visitor-b', traits: { name: 'Ελένη', locale: 'el' }, timestamp: '2026-09-10T10:00:00Z', messageId: 'sb-2' },
        { type: 'identify', userId: 'eleni-5', traits: { name: 'Other', phone: '+30 210 000' }, timestamp: '2026-09-10T10:30:00Z', messageId: 'sb-3' },
        // after the identify, an anonymous-only message stays anonymous until the next identify
        { type: 'track', anonymousId: 'visitor-b', event: 'Demo Requested', timestamp: '2026-09-10T11:00:00Z', messageId: 'sb-4' },
        { type: 'track', userId: 'eleni-5', event: 'Trial Started', timestamp: '2026-09-10T12:00:00Z', messageId: 'sb-5' },
        { type: 'track', userId: 'nikos-6', event: 'Ad Viewed', timestamp: '2026-09-10T12:00:00Z', messageId: 'sb-6' },
        { type: 'track', userId: 'nikos-6', event: 'Trial Started', timestamp: '2026-09-10T13:00:00Z', messageId: 'sb-0' },
      ],
    });
    const results = res.json().results;
    expect(results.map((r: { status: string }) => r.status)).toEqual([
      'stored', 'duplicate', 'stored', 'stored', 'stored', 'stored', 'stored', 'duplicate',
    ]);
    expect(results[1]).toMatchObject({ index: 1, messageId: 'sb-1', stage: results[0].stage });
    // sb-0 was stored before as an ad view: the duplicate answers with the stored classification.
    expect(results[7]).toMatchObject({ index: 7, stage: 'lzmot' });
    const journey = (await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/eleni-5/journey')).json();
    expect(journey.customer).toMatchObject({ name: 'Ελένη', locale: 'el', phone: '+30 210 000' });
    expect(journey.touchpoints.map((t: { messageId: string }) => t.messageId)).toEqual(['sb-0', 'sb-1', 'sb-2', 'sb-3', 'sb-5']);
    const anonymous = await api.database.db
      .selectFrom('touchpoints').select(['message_id', 'customer_id']).where('message_id', '=', 'sb-4').executeTakeFirstOrThrow();
    expect(anonymous.customer_id).toBeNull();
    const nikos = (await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/nikos-6/journey')).json();
    expect(nikos.touchpoints.map((t: { messageId: string }) => t.messageId)).toEqual(['sb-6']);
  });

  it('joins a userId to the help-desk customer with the same e-mail', async () => {
    const ticket = await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'Φατούρα', customer: { email: 'giorgos@example.gr', name: 'Γιώργος' }, message: 'Πού είναι η φατούρα μου;',
    });
    await send('identify', { userId: 'g-77', traits: { email: 'Giorgos@example.gr' }, messageId: 'g-identify' });
    const journey = await api.request(ws.tokens.agent, 'GET', '/api/v1/customers/g-77/journey');
    expect(journey.json().customer.id).toBe(ticket.json().customer.id);
  });

  it('turns help-desk activity into second-moment touchpoints linked to the ticket, with nothing for refused changes', async () => {
    const created = await api.request(ws.tokens.agent, 'POST', '/api/v1/tickets', {
      subject: 'المكيف لا يعمل',
      customer: { email: 'huda@example.com', name: 'هدى' },
      channel: 'chat',
      message: 'خدمة سيئة جداً، المكيف متوقف منذ يومين ولم يرد علي أحد!',
    });
    const ticket = created.json();
    const reply = (kind: string, body: string, status?: string) =>
      api.request(ws.tokens.agent, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { kind, body, ...(status ? { status } : {}) });
    await reply('reply', 'نعتذر جداً، سيزورك الفني اليوم.', 'solved');
    await reply('note', 'internal: technician booked');
    await reply('customer', 'ما زال لا يعمل');
    const refused = await api.request(ws.tokens.agent, 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'new' });
    expect(refused.statusCode).toBe(422);
    const journey = (await api.request(ws.tokens.agent, 'GET', `/api/v1/customers/${ticket.customer.id}/journey`)).json();
    const events = journey.touchpoints.map((t: { event: string; valence: string }) => `${t.event}:${t.valence}`);
    expect(events).toEqual([
      'Ticket Created:negative',
      'Agent Replied:neutral',
      'Ticket Solved:positive',
      expect.stringMatching(/^Customer Replied:/),
      'Ticket Reopened:negative',
    ]);
    for (const t of journey.touchpoints) expect(t).toMatchObject({ stage: 'smot', ticketId: ticket.id, channel: 'chat' });
  });

  it('reports per stage: volume, reach, valence shares and conversion to the next stage', async () => {
    const fresh = await api.createWorkspace('Report');
    const key = (await api.request(fresh.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const t = (who: string, event: string, day: number, extra: Record<string, unknown> = {}) => ({
      type: 'track', userId: who, event, timestamp: `2026-08-${String(day).padStart(2, '0')}T12:00:00Z`,
      messageId: `${who}-${event}-${day}`, properties: extra,
    });
    await send('batch', {
      batch: [
        // a: ad → review read → purchase; b: ad → review read; c: ad only; b's second ad is negative.
        t('a', 'Ad Viewed', 1), t('a', 'Review Read', 2), t('a', 'Order Completed', 3),
        t('b', 'Ad Viewed', 1), t('b', 'Review Read', 4), t('b', 'Ad Viewed', 5, { valence: 'negative' }),
        t('c', 'Ad Viewed', 2),
        // outside the period
        t('c', 'Review Read', 30),
        // an identify says who someone is; it is not counted as an interaction
        { type: 'identify', userId: 'a', traits: { name: 'Άννα' }, timestamp: '2026-08-02T13:00:00Z', messageId: 'a-identify' },
      ],
    }, key);
    const res = await api.request(fresh.tokens.team_leader, 'GET', '/api/v1/reports/moments?from=2026-08-01&to=2026-08-20');
    expect(res.statusCode).toBe(200);
    const stages = Object.fromEntries(res.json().stages.map((s: { stage: string }) => [s.stage, s]));
    expect(stages.lzmot).toMatchObject({ touchpoints: 4, customers: 3, negativeShare: 0.25, conversionToNext: 0.6667 });
    expect(stages.zmot).toMatchObject({ touchpoints: 2, customers: 2, conversionToNext: 0.5 });
    expect(stages.fmot).toMatchObject({ touchpoints: 1, customers: 1, conversionToNext: 0 });
    expect(stages.umot).toMatchObject({ touchpoints: 0, conversionToNext: null });
    const agent = await api.request(fresh.tokens.agent, 'GET', '/api/v1/reports/moments');
    expect(agent.statusCode).toBe(403);
  });
});
