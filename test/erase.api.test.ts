// Right to erasure: one request removes a customer's data from tickets, touchpoints (and the
// report rollups), survey answers, calls and raw mail; everyone else's data stays; the audit
// log records the erasure but no longer the erased words.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeInbound } from '../src/channels/email/index.ts';
import { rebuildRollups } from '../src/journeys/store.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { seedText } from './support/seeds.ts';
import { surveyLinkFromMail } from './support/surveys.ts';

const greek = seedText('000_872ed610193a76ff.txt').split('\n')[1] ?? '';
const arabic = seedText('003_d927bf57eeee527a.txt').split('\n')[1] ?? '';

describe.each(availableBackends())('erasing a customer on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let eleni: { id: string; ticketId: string };
  let nikos: { id: string; ticketId: string };

  const owner = () => ws.tokens.owner;
  async function json(res: { statusCode: number; body: string; json(): unknown }, status: number) {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as Record<string, unknown> & { id: string };
  }
  async function rows(table: string, where: string, value: string): Promise<number> {
    const r = await sql<{ n: string }>`SELECT count(*) AS n FROM ${sql.raw(table)} WHERE workspace_id = ${ws.id} AND ${sql.raw(where)} = ${value}`.execute(api.database.db);
    return Number(r.rows[0]?.n);
  }
  async function dailyTotals(): Promise<string> {
    const r = await sql<{ day: string; stage: string; valence: string; channel: string; touchpoints: string }>`
      SELECT day::text, stage, valence, channel, touchpoints::text FROM touchpoint_daily WHERE workspace_id = ${ws.id} ORDER BY 1, 2, 3, 4`.execute(api.database.db);
    return JSON.stringify(r.rows);
  }

  async function customerWithHistory(name: string, email: string, userId: string, text: string) {
    const customer = await json(await api.request(owner(), 'POST', '/api/v1/customers', { name, email, externalId: userId, locale: 'el' }), 201);
    const ticket = await json(
      await api.request(owner(), 'POST', '/api/v1/tickets', { subject: `${name}: η παραγγελία`, customer: { email, name }, channel: 'email', message: text }),
      201,
    );
    await json(
      await api.request(owner(), 'POST', `/api/v1/tickets/${ticket.id}/messages`, {
        kind: 'reply',
        body: 'Σας ευχαριστούμε, το εξετάζουμε.',
        attachments: [{ filename: 'απόδειξη.txt', contentType: 'text/plain', contentBase64: Buffer.from(`receipt of ${name}`).toString('base64') }],
      }),
      201,
    );
    const batch = await json(
      await api.request(owner(), 'POST', '/api/v1/batch', {
        batch: [
          { type: 'track', userId, event: 'Pricing Viewed', messageId: `${userId}-1`, timestamp: '2026-10-01T09:00:00Z' },
          { type: 'track', userId, event: 'Order Completed', messageId: `${userId}-2`, timestamp: '2026-10-02T09:00:00Z' },
          { type: 'track', userId, event: 'Review Published', messageId: `${userId}-3`, properties: { text }, timestamp: '2026-10-09T09:00:00Z' },
        ],
      }),
      200,
    );
    expect((batch.results as { status: string }[]).map((r) => r.status)).toEqual(['stored', 'stored', 'stored']);
    await json(
      await api.request(owner(), 'POST', '/api/v1/calls', {
        direction: 'inbound', from: '+30 210 123 4567', to: '+30 210 000 0000', durationSeconds: 60, outcome: 'answered',
        notes: `${name} τηλεφώνησε για την παραγγελία`, customerId: customer.id, ticketId: ticket.id,
      }),
      201,
    );
    return { id: customer.id, ticketId: ticket.id };
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Aurora');
    eleni = await customerWithHistory('Ελένη Παπαδοπούλου', 'eleni@example.gr', 'eleni-42', greek);
    nikos = await customerWithHistory('خالد العتيبي', 'khalid@example.sa', 'khalid-7', arabic);
    // Her raw mail, kept as received.
    await storeInbound(
      api.database.db,
      { from: 'eleni@example.gr', recipientsByWorkspace: new Map([[ws.id, ['support@aurora.example']]]) },
      Buffer.from(`From: Eleni <eleni@example.gr>\r\nSubject: =?utf-8?B?${Buffer.from('Βοήθεια').toString('base64')}?=\r\n\r\n${greek}`),
    );
    // Her survey answer, with a comment.
    const survey = await json(await api.request(owner(), 'POST', '/api/v1/surveys', { name: 'NPS', type: 'nps', trigger: 'manual', throttleDays: 0 }), 201);
    await json(await api.request(owner(), 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [eleni.id] }), 200);
    const delivery = await api.database.db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', ws.id).executeTakeFirstOrThrow();
    const link = surveyLinkFromMail(delivery.body_text);
    await json(await api.request(undefined, 'POST', `/api/v1/public/surveys/${link.slug}/${link.token}`, { score: 3, comment: 'Πολύ αργή εξυπηρέτηση, απογοητεύτηκα' }), 201);
  }, 180_000);
  afterAll(async () => api?.close());

  it('is for owners and admins only, refuses bad input, and changes nothing then', async () => {
    for (const role of ['agent', 'team_leader'] as const) {
      const res = await api.request(ws.tokens[role], 'POST', `/api/v1/customers/${eleni.id}/erase`, {});
      expect(res.statusCode).toBe(403);
    }
    expect((await api.request(owner(), 'POST', `/api/v1/customers/${eleni.id}/erase`, { reason: 'x', cascade: true })).statusCode).toBe(400);
    expect((await api.request(owner(), 'POST', '/api/v1/customers/not-a-uuid/erase', {})).statusCode).toBe(400);
    expect((await api.request(owner(), 'POST', '/api/v1/customers/0195f000-0000-7000-8000-000000000000/erase', {})).statusCode).toBe(404);
    expect((await api.request(owner(), 'GET', `/api/v1/customers/${eleni.id}`)).statusCode).toBe(200);
    expect(await rows('tickets', 'customer_id', eleni.id)).toBe(1);
  });

  it('removes her from every table, keeps everyone else, and leaves the reports consistent', async () => {
    const quotedBefore = await sql<{ n: string }>`SELECT count(*) AS n FROM pain_phrases WHERE workspace_id = ${ws.id} AND quote LIKE '%απογοητεύτηκα%'`.execute(api.database.db);
    expect(Number(quotedBefore.rows[0]?.n)).toBeGreaterThan(0);
    const nikosJourneyBefore = (await json(await api.request(owner(), 'GET', `/api/v1/customers/${nikos.id}/journey`), 200)).touchpoints;
    const report = await json(
      await api.request(owner(), 'POST', `/api/v1/customers/${eleni.id}/erase`, { reason: 'Αίτημα διαγραφής (GDPR άρθρο 17)' }),
      200,
    );
    expect(report.customerId).toBe(eleni.id);
    const removed = report.removed as Record<string, number>;
    expect(removed).toMatchObject({ customers: 1, tickets: 1, calls: 1, inbound_emails: 1, survey_responses: 1 });
    expect(removed.messages).toBe(2);
    expect(removed.touchpoints).toBeGreaterThanOrEqual(3);
    expect(report.auditEntriesRedacted).toBeGreaterThan(0);

    expect((await api.request(owner(), 'GET', `/api/v1/customers/${eleni.id}`)).statusCode).toBe(404);
    expect((await api.request(owner(), 'GET', `/api/v1/tickets/${eleni.ticketId}`)).statusCode).toBe(404);
    expect((await api.request(owner(), 'GET', '/api/v1/customers/eleni-42/journey')).statusCode).toBe(404);
    const search = await json(await api.request(owner(), 'GET', '/api/v1/customers?q=eleni'), 200);
    expect(search.data).toEqual([]);
    for (const table of ['touchpoints', 'survey_responses', 'calls', 'survey_invitations']) {
      expect(await rows(table, 'customer_id', eleni.id), table).toBe(0);
    }
    expect(await rows('touchpoint_person_days', 'who', eleni.id)).toBe(0);
    expect(await rows('inbound_emails', 'from_address', 'eleni@example.gr')).toBe(0);
    const blobs = await sql<{ n: string }>`SELECT count(*) AS n FROM blobs WHERE workspace_id = ${ws.id}`.execute(api.database.db);
    expect(Number(blobs.rows[0]?.n)).toBe(1); // Khalid's receipt only
    const quoted = await sql<{ n: string }>`SELECT count(*) AS n FROM pain_phrases WHERE workspace_id = ${ws.id} AND quote LIKE '%απογοητεύτηκα%'`.execute(api.database.db);
    expect(Number(quoted.rows[0]?.n)).toBe(0);
    // Nothing of her words is left anywhere in the audit log, but the erasure is there.
    const audit = await sql<{ changes: unknown }>`SELECT changes FROM audit_log WHERE workspace_id = ${ws.id}`.execute(api.database.db);
    const everything = JSON.stringify(audit.rows);
    expect(everything).not.toContain('eleni@example.gr');
    expect(everything).not.toContain('Ελένη');
    const entry = await json(await api.request(owner(), 'GET', `/api/v1/audit?limit=5`), 200);
    expect((entry.data as { action: string; entityId: string }[])[0]).toMatchObject({ action: 'customer.erased', entityId: eleni.id });

    // Khalid is untouched.
    expect((await api.request(owner(), 'GET', `/api/v1/tickets/${nikos.ticketId}`)).statusCode).toBe(200);
    expect((await json(await api.request(owner(), 'GET', `/api/v1/customers/${nikos.id}/journey`), 200)).touchpoints).toEqual(nikosJourneyBefore);

    // The incrementally kept counters equal a recount from what is left.
    const kept = await dailyTotals();
    await rebuildRollups(api.database.db, ws.id);
    expect(await dailyTotals()).toBe(kept);

    // Erased is gone: a second request finds nobody.
    expect((await api.request(owner(), 'POST', `/api/v1/customers/${eleni.id}/erase`, {})).statusCode).toBe(404);
  });
});
