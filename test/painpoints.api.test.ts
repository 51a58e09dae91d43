// The pain-point report on both databases: Greek complaints in ticket messages, Arabic reviews
// ingested as touchpoints and English survey comments give their top phrases per stage, with
// trend, negative share and quotes that link back to their source; extraction is incremental.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyOfPhrase } from './support/phrases.ts';
import { catchUpPainPoints } from '../src/painpoints/service.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { COMPLAINTS_AR, COMPLAINTS_EL, COMPLAINTS_EN } from './fixtures/complaints.ts';
import { surveyLinkFromMail } from './support/surveys.ts';

const DAY = 86_400_000;

describe.each(availableBackends())('pain points on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ticketIds: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  let report: (query?: string, token?: string) => Promise<any>;

  beforeAll(async () => {
    api = await startTestApi(kind);
    ws = await api.createWorkspace('Pain Works');
    other = await api.createWorkspace('Pain Other');
    const t = ws.tokens.owner;
    report = async (query = '', token = t) => {
      const res = await api.request(token, 'GET', `/api/v1/reports/pain-points?${query}`);
      if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
      return res.json();
    };
    // Greek complaints arrive as tickets (the customer's message).
    for (const [i, text] of COMPLAINTS_EL.entries()) {
      const res = await api.request(t, 'POST', '/api/v1/tickets', { subject: `Παράπονο ${i + 1}`, customer: { email: `el${i}@example.gr`, name: `Πελάτης ${i}` }, channel: 'email', message: text });
      expect(res.statusCode).toBe(201);
      ticketIds.push(res.json().id);
    }
    // Arabic public reviews are ingested as touchpoints with text (the last two weeks), and two
    // more about late delivery came in the previous period.
    const now = Date.now();
    const batch = COMPLAINTS_AR.map((text, i) => ({
      type: 'track', userId: `ar-${i}`, event: 'Review Published', messageId: `review-ar-${i}`,
      timestamp: new Date(now - (i % 14) * DAY - 3_600_000).toISOString(), properties: { text, rating: 2 }, context: { channel: 'review' },
    }));
    batch.push(...[0, 1].map((i) => ({
      type: 'track', userId: `ar-old-${i}`, event: 'Review Published', messageId: `review-ar-old-${i}`,
      timestamp: new Date(now - 40 * DAY).toISOString(), properties: { text: 'تأخر التوصيل كثيراً', rating: 1 }, context: { channel: 'review' },
    })));
    const ingested = await api.request(t, 'POST', '/api/v1/batch', { batch });
    expect(ingested.statusCode).toBe(200);
    expect(ingested.json().results.every((r: { status: string }) => r.status === 'stored')).toBe(true);
    // English survey comments (manual CSAT to twenty customers, each answers with a comment).
    const survey = (await api.request(t, 'POST', '/api/v1/surveys', { name: 'CSAT', type: 'csat', trigger: 'manual', throttleDays: 0 })).json();
    const customerIds: string[] = [];
    for (const i of COMPLAINTS_EN.keys()) {
      customerIds.push((await api.request(t, 'POST', '/api/v1/customers', { email: `en${i}@example.com`, name: `Customer ${i}` })).json().id);
    }
    const sent = await api.request(t, 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds, delivery: 'widget' });
    expect(sent.json()).toMatchObject({ scheduled: 20 });
    // The widget deliveries have tokens; take them from a fresh dispatch of new invitations.
    const again = await api.request(t, 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds });
    expect(again.statusCode).toBe(200);
    const rows = await api.database.db.selectFrom('survey_deliveries').select(['body_text', 'to_address']).where('workspace_id', '=', ws.id).execute();
    expect(rows).toHaveLength(20);
    for (const row of rows) {
      const i = Number(/^en(\d+)@/.exec(row.to_address)?.[1]);
      const { slug, token } = surveyLinkFromMail(row.body_text);
      const res = await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 2, comment: COMPLAINTS_EN[i] });
      expect(res.statusCode).toBe(201);
    }
  });
  afterAll(async () => api?.close());

  it('finds the top phrases per stage: Greek ticket messages and English survey comments at SMOT, Arabic reviews at UMOT', async () => {
    const r = await report('limit=10');
    const smot = r.stages.find((s: { stage: string }) => s.stage === 'smot');
    const umot = r.stages.find((s: { stage: string }) => s.stage === 'umot');
    expect(smot.sources).toBe(40);
    expect(umot.sources).toBe(20);
    const keys = (stage: { phrases: { key: string }[] }) => stage.phrases.map((p) => p.key);
    for (const theme of ['καθυστέρηση παράδοσης', 'επιστροφή χρημάτων', 'εξυπηρέτηση πελατών', 'εφαρμογή κολλάει', 'late delivery', 'refund', 'customer service']) {
      expect(keys(smot), theme).toContain(keyOfPhrase(theme));
    }
    for (const theme of ['تأخر التوصيل', 'استرداد المبلغ', 'خدمة العملاء', 'التطبيق يتوقف']) expect(keys(umot), theme).toContain(keyOfPhrase(theme));
    // Shown as people spell them, with the counts of texts they appear in.
    const care = smot.phrases.find((p: { key: string }) => p.key === keyOfPhrase('εξυπηρέτηση πελατών'));
    expect(care).toMatchObject({ phrase: 'εξυπηρέτηση πελατών', count: 4, trend: 'new', previousCount: 0 });
  });

  it('gives the trend against the previous period and the negative share', async () => {
    const r = await report('stage=umot&lang=ar');
    expect(r.stages.map((s: { stage: string }) => s.stage)).toEqual(['umot']);
    const late = r.stages[0].phrases.find((p: { key: string }) => p.key === keyOfPhrase('تأخر التوصيل'));
    // Four reviews in the last 30 days, two in the 30 days before: up 100 %.
    expect(late).toMatchObject({ phrase: 'تأخر التوصيل', count: 4, previousCount: 2, trend: 'up', change: 100 });
    expect(late.negativeShare).toBeGreaterThan(0.5);
    expect(r.stages[0].negativeShare).toBeGreaterThan(0.5);
  });

  it('quotes examples that link back to their ticket, survey answer or touchpoint', async () => {
    const r = await report('lang=el&stage=smot&examples=2');
    const refund = r.stages[0].phrases.find((p: { key: string }) => p.key === keyOfPhrase('επιστροφή χρημάτων'));
    expect(refund.examples).toHaveLength(2);
    for (const e of refund.examples) {
      expect(e.sourceType).toBe('message');
      expect(ticketIds).toContain(e.ticketId);
      expect(e.quote).toMatch(/επιστροφ/i);
      const messages = (await api.request(ws.tokens.owner, 'GET', `/api/v1/tickets/${e.ticketId}/messages`)).json();
      expect(messages.data.map((m: { id: string }) => m.id)).toContain(e.sourceId);
    }
    const en = await report('lang=en');
    const refundEn = en.stages[0].phrases.find((p: { key: string }) => p.key === keyOfPhrase('refund'));
    expect(refundEn.examples[0].sourceType).toBe('survey');
    const ar = await report('lang=ar');
    expect(ar.stages[0].phrases[0].examples[0].sourceType).toBe('touchpoint');
  });

  it('reads each text once: a second report analyses nothing again, a new message is added', async () => {
    const count = async () => Number((await api.database.db.selectFrom('pain_sources').select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', ws.id).executeTakeFirstOrThrow()).n);
    const before = await count();
    await report();
    expect(await count()).toBe(before);
    const res = await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${ticketIds[0]}/messages`, { kind: 'customer', body: 'Η επιστροφή χρημάτων ακόμα δεν έγινε.' });
    expect(res.statusCode).toBe(201);
    // An agent's reply is not the customer's voice.
    await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${ticketIds[0]}/messages`, { kind: 'reply', body: 'Η επιστροφή χρημάτων έγινε σήμερα.' });
    const r = await report('lang=el');
    expect(await count()).toBe(before + 1);
    expect(r.stages[0].phrases.find((p: { key: string }) => p.key === keyOfPhrase('επιστροφή χρημάτων')).count).toBe(5);
  });

  it('catches up from a watermark: what arrived since is read, in batches; older texts are not read again', async () => {
    const db = api.database.db;
    const sources = async () => (await db.selectFrom('pain_sources').select('source_id').where('workspace_id', '=', ws.id).execute()).map((r) => r.source_id);
    const marks = async () => db.selectFrom('pain_cursors').select(['source_type', 'scanned_until']).where('workspace_id', '=', ws.id).orderBy('source_type').execute();
    expect((await marks()).map((m) => m.source_type)).toEqual(['message', 'touchpoint']);
    expect(await catchUpPainPoints(db, ws.id)).toBe(0);

    // An old message whose analysis is gone stays unread: the pass does not look behind its
    // watermark (less the overlap), so it costs what is new, not the whole table.
    const old = await db.selectFrom('messages').select('id').where('workspace_id', '=', ws.id).where('ticket_id', '=', ticketIds[1] as string).where('kind', '=', 'customer').executeTakeFirstOrThrow();
    await db.updateTable('messages').set({ received_at: new Date(Date.now() - 3_600_000) }).where('id', '=', old.id).execute();
    await db.deleteFrom('pain_sources').where('workspace_id', '=', ws.id).where('source_id', '=', old.id).execute();
    expect(await catchUpPainPoints(db, ws.id)).toBe(0);
    expect(await sources()).not.toContain(old.id);

    // New customer messages are read, at most `limit` per pass, each once; one with an old sent
    // date (an import) counts at that date but is read because it was written now.
    const texts = ['Ο λογαριασμός χρεώθηκε δύο φορές.', 'لم يصلني رد على شكواي حتى الآن.', 'The refund still has not arrived.'];
    const ids: string[] = [];
    for (const text of texts) {
      const res = await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${ticketIds[2]}/messages`, { kind: 'customer', body: text });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().message.id);
    }
    await db.updateTable('messages').set({ created_at: new Date(Date.now() - 400 * DAY) }).where('id', '=', ids[2] as string).execute();
    const before = await marks();
    expect(await catchUpPainPoints(db, ws.id, 2)).toBe(2);
    expect(await catchUpPainPoints(db, ws.id, 2)).toBe(1);
    expect(await catchUpPainPoints(db, ws.id, 2)).toBe(0);
    const after = await sources();
    for (const id of ids) expect(after.filter((s) => s === id)).toHaveLength(1);
    const imported = await db.selectFrom('pain_sources').select(['occurred_at', 'lang']).where('workspace_id', '=', ws.id).where('source_id', '=', ids[2] as string).executeTakeFirstOrThrow();
    expect(imported.lang).toBe('en');
    expect(new Date(imported.occurred_at).getTime()).toBeLessThan(Date.now() - 399 * DAY);
    // The watermarks moved on; the other workspace's did not move with them.
    const moved = await marks();
    expect(new Date(moved[0]!.scanned_until).getTime()).toBeGreaterThan(new Date(before[0]!.scanned_until).getTime());
    const theirs = await db.selectFrom('pain_cursors').select('scanned_until').where('workspace_id', '=', other.id).execute();
    for (const m of theirs) expect(new Date(m.scanned_until).getTime()).toBeLessThan(new Date(moved[0]!.scanned_until).getTime());
  });

  it('keeps workspaces apart and refuses bad parameters', async () => {
    const theirs = await report('', other.tokens.owner);
    expect(theirs.stages).toEqual([]);
    for (const q of ['stage=later', 'lang=fr', 'from=2026-13-01', 'limit=0', 'from=2026-02-01&to=2026-01-01', 'x=1']) {
      expect((await api.request(ws.tokens.owner, 'GET', `/api/v1/reports/pain-points?${q}`)).statusCode, q).toBe(400);
    }
    expect((await api.request(ws.tokens.agent, 'GET', '/api/v1/reports/pain-points')).statusCode).toBe(403);
  });
});
