// Surveys end to end on both databases: a solved ticket schedules exactly one survey after its
// delay; the answer link works once, expires, belongs to one workspace and refuses a tampered
// token without writing anything; throttling; stage triggers; negative answers ask for
// recovery; answers become touchpoints; the report and its CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import pino from 'pino';
import { dispatchDueInvitations, scanStageTriggers } from '../src/surveys/service.ts';
import { JobRuntime } from '../src/jobs/index.ts';
import '../src/surveys/jobs.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { surveyTokenFromMail } from './support/surveys.ts';

const MIN = 60_000;

describe.each(availableBackends())('surveys on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let slug: string;
  let otherSlug: string;
  let db: Kysely<DB>;
  let agentId: string;

  const owner = () => ws.tokens.owner;
  async function json(res: { statusCode: number; body: string; json(): unknown }, status: number) {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  }
  async function counts() {
    const one = async (table: 'survey_responses' | 'touchpoints' | 'survey_invitations' | 'audit_log') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('workspace_id', '=', ws.id).executeTakeFirstOrThrow()).n);
    return { responses: await one('survey_responses'), touchpoints: await one('touchpoints'), invitations: await one('survey_invitations'), audit: await one('audit_log') };
  }
  async function createSurvey(body: Record<string, unknown>, token = owner()) {
    return json(await api.request(token, 'POST', '/api/v1/surveys', body), 201);
  }
  async function solvedTicket(customer: { email: string; name: string }, locale?: string) {
    const t = await json(await api.request(owner(), 'POST', '/api/v1/tickets', { subject: 'Η παραγγελία μου', customer, channel: 'email', message: 'Πού είναι η παραγγελία μου;' }), 201);
    if (locale) await json(await api.request(owner(), 'PATCH', `/api/v1/customers/${t.customer.id}`, { locale }), 200);
    await json(await api.request(owner(), 'POST', `/api/v1/tickets/${t.id}/messages`, { kind: 'reply', body: 'Στάλθηκε σήμερα.' }), 201);
    await json(await api.request(owner(), 'PATCH', `/api/v1/tickets/${t.id}`, { assigneeId: agentId, status: 'solved' }), 200);
    return t as { id: string; customer: { id: string } };
  }

  beforeAll(async () => {
    api = await startTestApi(kind);
    db = api.database.db;
    ws = await api.createWorkspace('Survey Works');
    other = await api.createWorkspace('Other Surveys');
    slug = (await json(await api.request(owner(), 'GET', '/api/v1/workspace'), 200)).slug;
    otherSlug = (await json(await api.request(other.tokens.owner, 'GET', '/api/v1/workspace'), 200)).slug;
    agentId = (await json(await api.request(owner(), 'POST', '/api/v1/agents', { email: 'eleni@survey.example.com', name: 'Ελένη', role: 'agent', password: 'eleni-password-1' }), 201)).id;
  });
  afterAll(async () => api?.close());

  it('refuses a survey definition that does not make sense, writing nothing', async () => {
    const before = await db.selectFrom('surveys').select('id').where('workspace_id', '=', ws.id).execute();
    for (const body of [
      { name: 'x', type: 'custom', trigger: 'manual' },
      { name: 'x', type: 'csat', trigger: 'manual', questions: [{ id: 'a', kind: 'text', text: { en: 'Why?' } }] },
      { name: 'x', type: 'nps', trigger: 'stage_reached' },
      { name: 'x', type: 'csat', trigger: 'manual', surprise: true },
      { name: 'x', type: 'ces', trigger: 'manual', negative: { cesMin: 9 } },
      // A question or a choice nobody wrote in any language would show customers an empty line.
      { name: 'x', type: 'custom', trigger: 'manual', questions: [{ id: 'a', kind: 'text', text: {} }] },
      { name: 'x', type: 'custom', trigger: 'manual', questions: [{ id: 'a', kind: 'scale', text: { en: '' }, min: 1, max: 5 }] },
      {
        name: 'x', type: 'custom', trigger: 'manual',
        questions: [{ id: 'a', kind: 'choice', text: { el: 'Πώς ήταν ο τεχνικός;' }, options: [{ value: 'ok', text: { el: 'Άψογος' } }, { value: 'meh', text: {} }] }],
      },
    ]) {
      const res = await api.request(owner(), 'POST', '/api/v1/surveys', body);
      expect([400, 422]).toContain(res.statusCode);
    }
    expect((await api.request(ws.tokens.agent, 'POST', '/api/v1/surveys', { name: 'x', type: 'csat', trigger: 'manual' })).statusCode).toBe(403);
    expect(await db.selectFrom('surveys').select('id').where('workspace_id', '=', ws.id).execute()).toEqual(before);
  });

  it('a solved ticket schedules exactly one CSAT survey, sent after the delay, in the customer’s language', async () => {
    const survey = await createSurvey({ name: 'CSAT after solve', type: 'csat', trigger: 'ticket_solved', delayMinutes: 60, throttleDays: 0 });
    const t0 = Date.now();
    const ticket = await solvedTicket({ email: 'maria@example.gr', name: 'Μαρία' }, 'el');
    let inv = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/invitations`), 200)).data;
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({ status: 'scheduled', ticketId: ticket.id, customerId: ticket.customer.id, locale: 'el', stage: 'smot', trigger: 'ticket_solved' });
    const due = new Date(inv[0].dueAt).getTime();
    expect(due - t0).toBeGreaterThanOrEqual(59 * MIN);
    expect(due - t0).toBeLessThan(61 * MIN);

    // Before the delay nothing goes out; after it, exactly one; a second round sends nothing more.
    expect(await dispatchDueInvitations(db, new Date(t0 + 30 * MIN), { workspaceId: ws.id })).toEqual([]);
    const sent = await dispatchDueInvitations(db, new Date(t0 + 61 * MIN), { workspaceId: ws.id });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ status: 'sent', delivery: 'email' });
    expect(await dispatchDueInvitations(db, new Date(t0 + 120 * MIN), { workspaceId: ws.id })).toEqual([]);

    // Reopening and solving again does not survey the same ticket twice.
    await json(await api.request(owner(), 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' }), 200);
    await json(await api.request(owner(), 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'solved' }), 200);
    inv = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/invitations`), 200)).data;
    expect(inv).toHaveLength(1);
    expect(inv[0]).toMatchObject({ status: 'sent', answeredAt: null });
    expect(inv[0].expiresAt).not.toBeNull();

    // The e-mail is queued in Greek with the link; the database keeps only the token's hash.
    const mail = await db.selectFrom('survey_deliveries').selectAll().where('workspace_id', '=', ws.id).execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to_address: 'maria@example.gr', subject: 'Μια σύντομη ερώτηση για την εμπειρία σας', status: 'queued' });
    expect(mail[0]?.body_text).toContain(`/s/${slug}/${sent[0]?.token}`);
    expect(mail[0]?.body_text).toContain('Πόσο ικανοποιημένοι είστε');
    const stored = await db.selectFrom('survey_invitations').select('token_hash').where('workspace_id', '=', ws.id).execute();
    expect(JSON.stringify(stored)).not.toContain(sent[0]?.token as string);
    await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
  });

  it('the solve queues a durable job that sends the survey when it is due', async () => {
    const survey = await createSurvey({ name: 'CSAT by job', type: 'csat', trigger: 'ticket_solved', delayMinutes: 0, throttleDays: 0 });
    const jobs = new JobRuntime({ database: api.database, logger: pino({ level: 'silent' }) });
    await jobs.start();
    try {
      const ticket = await solvedTicket({ email: 'jobs@example.gr', name: 'Ιωάννα' }, 'el');
      await jobs.drain();
      const inv = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/invitations`), 200)).data;
      expect(inv).toHaveLength(1);
      expect(inv[0]).toMatchObject({ ticketId: ticket.id, status: 'sent' });
      const mail = await db.selectFrom('survey_deliveries').select('to_address').where('workspace_id', '=', ws.id).where('to_address', '=', 'jobs@example.gr').execute();
      expect(mail).toHaveLength(1);
      // Draining again sends nothing more.
      await jobs.drain();
      expect(await db.selectFrom('survey_deliveries').select('to_address').where('workspace_id', '=', ws.id).where('to_address', '=', 'jobs@example.gr').execute()).toHaveLength(1);
    } finally {
      await jobs.stop();
      await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
    }
  });

  it('a ticket reopened before its survey goes out is not surveyed', async () => {
    const survey = await createSurvey({ name: 'CSAT reopen', type: 'csat', trigger: 'ticket_solved', delayMinutes: 10, throttleDays: 0 });
    const t0 = Date.now();
    const ticket = await solvedTicket({ email: 'nikos@example.gr', name: 'Νίκος' });
    await json(await api.request(owner(), 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' }), 200);
    const out = await dispatchDueInvitations(db, new Date(t0 + 11 * MIN), { workspaceId: ws.id });
    expect(out.map((d) => d.status)).toEqual(['cancelled']);
    // Solved again: the survey is rescheduled from the new solve.
    await json(await api.request(owner(), 'PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'solved' }), 200);
    const again = await dispatchDueInvitations(db, new Date(Date.now() + 11 * MIN), { workspaceId: ws.id });
    expect(again.map((d) => d.status)).toEqual(['sent']);
    await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
  });

  describe('the answer link', () => {
    let surveyId: string;
    let customerId: string;
    async function freshLink(): Promise<string> {
      const res = await json(await api.request(owner(), 'POST', `/api/v1/surveys/${surveyId}/send`, { customerIds: [customerId] }), 200);
      expect(res.scheduled).toBe(1);
      const row = await db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', ws.id).orderBy('created_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
      return surveyTokenFromMail(row.body_text);
    }

    beforeAll(async () => {
      surveyId = (await createSurvey({ name: 'NPS by hand', type: 'nps', trigger: 'manual', throttleDays: 0, linkTtlHours: 24 })).id;
      customerId = (await json(await api.request(owner(), 'POST', '/api/v1/customers', { email: 'layla@example.ae', name: 'ليلى', locale: 'ar' }), 201)).id;
    });

    it('shows the survey in the customer’s language (Arabic right-to-left), as JSON and as an accessible page', async () => {
      const token = await freshLink();
      const survey = await json(await api.request(undefined, 'GET', `/api/v1/public/surveys/${slug}/${token}`), 200);
      expect(survey).toMatchObject({ type: 'nps', locale: 'ar', dir: 'rtl', question: 'ما مدى احتمال أن توصي بنا لصديق أو زميل؟', scale: { min: 0, max: 10 } });
      const page = await api.request(undefined, 'GET', `/s/${slug}/${token}`);
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
      expect(page.body).toContain('<html lang="ar" dir="rtl">');
      expect(page.body).toContain('<legend>ما مدى احتمال أن توصي بنا لصديق أو زميل؟</legend>');
      expect(page.body.match(/type="radio" name="score"/g)).toHaveLength(11);
      expect((await api.request(undefined, 'GET', `/s/${slug}/${token}?lang=el`)).body).toContain('lang="el"');
      // Looking at the survey does not use the link up.
      expect((await api.request(undefined, 'GET', `/api/v1/public/surveys/${slug}/${token}`)).statusCode).toBe(200);
    });

    it('works once: the second answer is a 409 and writes nothing', async () => {
      const token = await freshLink();
      const first = await json(await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 9, comment: 'Γρήγορη και ευγενική εξυπηρέτηση' }), 201);
      expect(first).toMatchObject({ score: 9, negative: false, recovery: null });
      const before = await counts();
      const second = await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 0 });
      expect(second.statusCode).toBe(409);
      expect((await api.request(undefined, 'GET', `/api/v1/public/surveys/${slug}/${token}`)).statusCode).toBe(409);
      const page = await api.request(undefined, 'POST', `/s/${slug}/${token}`, 'score=3', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(page.statusCode).toBe(409);
      expect(page.body).toContain('تمت الإجابة على هذا الاستطلاع بالفعل.');
      expect(await counts()).toEqual(before);
      const responses = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${surveyId}/responses`), 200)).data;
      expect(responses.find((r: { id: string }) => r.id === first.responseId)).toMatchObject({ score: 9, customerId, type: 'nps', stage: 'smot', locale: 'ar' });
    });

    it('answers through the plain HTML form too', async () => {
      const token = await freshLink();
      const res = await api.request(undefined, 'POST', `/s/${slug}/${token}`, `score=10&comment=${encodeURIComponent('خدمة ممتازة')}&publishComment=true`, { 'content-type': 'application/x-www-form-urlencoded' });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('شكرًا على إجابتك.');
      const [latest] = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${surveyId}/responses?limit=1`), 200)).data;
      expect(latest).toMatchObject({ score: 10, comment: 'خدمة ممتازة', commentPublic: true });
      // A comment the customer agrees to publish is an ultimate-moment touchpoint.
      const tp = await db.selectFrom('touchpoints').selectAll().where('workspace_id', '=', ws.id).where('id', '=', latest.touchpointId).executeTakeFirstOrThrow();
      expect(tp).toMatchObject({ stage: 'umot', valence: 'positive', event: 'Survey Comment Published', customer_id: customerId });
    });

    it('expires', async () => {
      // Sent two days ago with a one-day link.
      await json(await api.request(owner(), 'POST', `/api/v1/surveys/${surveyId}/send`, { customerIds: [customerId], delivery: 'widget' }), 200);
      const scheduled = await db.selectFrom('survey_invitations').select('id').where('workspace_id', '=', ws.id).where('status', '=', 'sent').where('delivery', '=', 'widget').execute();
      expect(scheduled.length).toBeGreaterThan(0);
      // Send one more that goes out in the past.
      const old = new Date(Date.now() - 2 * 86_400_000);
      await db.insertInto('survey_invitations').values({
        id: '01900000-0000-7000-8000-000000000001', workspace_id: ws.id, survey_id: surveyId, customer_id: customerId, stage: 'smot', locale: 'ar',
        trigger: 'manual', trigger_key: 'manual:expired-test', status: 'scheduled', delivery: 'widget', due_at: old, ticket_id: null,
        agent_id: null, team_id: null, channel: null, created_at: old,
      }).execute();
      const [sent] = await dispatchDueInvitations(db, old, { workspaceId: ws.id });
      expect(sent?.status).toBe('sent');
      const before = await counts();
      const res = await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${sent?.token}`, { score: 8 });
      expect(res.statusCode).toBe(410);
      expect(res.json().error.code).toBe('gone');
      const page = await api.request(undefined, 'GET', `/s/${slug}/${sent?.token}`);
      expect(page.statusCode).toBe(410);
      expect(page.body).toContain('انتهت صلاحية رابط الاستطلاع هذا.');
      expect(await counts()).toEqual(before);
    });

    it('cannot answer for another workspace, and a tampered or made-up token is refused; nothing is written', async () => {
      const token = await freshLink();
      const before = await counts();
      const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
      for (const [ws2, tok] of [[otherSlug, token], [slug, tampered], [slug, 'sv_short'], [slug, `${token}x`], ['no-such-workspace', token]] as const) {
        const res = await api.request(undefined, 'POST', `/api/v1/public/surveys/${ws2}/${tok}`, { score: 10 });
        expect(res.statusCode, `${ws2}/${tok}`).toBe(404);
        expect((await api.request(undefined, 'GET', `/api/v1/public/surveys/${ws2}/${tok}`)).statusCode).toBe(404);
        expect((await api.request(undefined, 'GET', `/s/${ws2}/${tok}`)).statusCode).toBe(404);
      }
      expect(await counts()).toEqual(before);
      // The genuine link still works afterwards.
      expect((await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 7 })).statusCode).toBe(201);
    });

    it('refuses an answer that does not fit the survey with a 400, writing nothing and keeping the link usable', async () => {
      const token = await freshLink();
      const before = await counts();
      for (const body of [{ score: 11 }, { score: -1 }, { score: 7.5 }, {}, { score: 5, extra: 1 }, { answers: { a: 'x' }, score: 5 }, { score: '5' }]) {
        const res = await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
      }
      const form = await api.request(undefined, 'POST', `/s/${slug}/${token}`, 'comment=hi', { 'content-type': 'application/x-www-form-urlencoded' });
      expect(form.statusCode).toBe(400);
      expect(form.body).toContain('role="alert"');
      expect(await counts()).toEqual(before);
      expect((await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 2 })).statusCode).toBe(201);
    });
  });

  it('a custom survey asks its own questions (choice, scale, text) in the customer’s language and checks the answers', async () => {
    const survey = await createSurvey({
      name: 'Onboarding check', type: 'custom', trigger: 'manual', throttleDays: 0,
      questions: [
        { id: 'channel', kind: 'choice', required: true, text: { en: 'How did you find us?', el: 'Πώς μας βρήκατε;' },
          options: [{ value: 'search', text: { en: 'Search engine', el: 'Μηχανή αναζήτησης' } }, { value: 'friend', text: { en: 'A friend', el: 'Από φίλο' } }] },
        { id: 'setup', kind: 'scale', min: 1, max: 5, text: { en: 'How easy was the set-up?', el: 'Πόσο εύκολη ήταν η εγκατάσταση;' } },
        { id: 'missing', kind: 'text', text: { en: 'What is missing?', el: 'Τι λείπει;' } },
      ],
    });
    const c = await json(await api.request(owner(), 'POST', '/api/v1/customers', { email: 'custom@example.gr', name: 'Άννα', locale: 'el' }), 201);
    await json(await api.request(owner(), 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [c.id] }), 200);
    const row = await db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', ws.id).where('to_address', '=', 'custom@example.gr').executeTakeFirstOrThrow();
    const token = surveyTokenFromMail(row.body_text);
    const shown = await json(await api.request(undefined, 'GET', `/api/v1/public/surveys/${slug}/${token}`), 200);
    expect(shown).toMatchObject({ type: 'custom', locale: 'el', question: null, scale: null });
    expect(shown.questions[0]).toMatchObject({ id: 'channel', kind: 'choice', text: 'Πώς μας βρήκατε;', required: true, options: [{ value: 'search', text: 'Μηχανή αναζήτησης' }, { value: 'friend', text: 'Από φίλο' }] });
    const page = (await api.request(undefined, 'GET', `/s/${slug}/${token}`)).body;
    expect(page).toContain('<legend>Πώς μας βρήκατε;</legend>');
    expect(page).toContain('name="q_setup"');
    const before = await counts();
    for (const body of [
      { answers: { setup: 4 } }, // the required choice is missing
      { answers: { channel: 'radio' } }, // not an option
      { answers: { channel: 'friend', setup: 9 } }, // off the scale
      { answers: { channel: 'friend', colour: 'blue' } }, // no such question
      { score: 5, answers: { channel: 'friend' } }, // a custom survey has no score
    ]) {
      expect((await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, body)).statusCode, JSON.stringify(body)).toBe(400);
    }
    expect(await counts()).toEqual(before);
    const form = `q_channel=friend&q_setup=2&q_missing=${encodeURIComponent('Οδηγίες στα ελληνικά')}`;
    const res = await api.request(undefined, 'POST', `/s/${slug}/${token}`, form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.statusCode).toBe(200);
    const [answer] = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/responses`), 200)).data;
    expect(answer).toMatchObject({ type: 'custom', score: null, negative: false, answers: { channel: 'friend', setup: 2, missing: 'Οδηγίες στα ελληνικά' } });
  });

  it('a negative answer asks for service recovery on its ticket and becomes a negative SMOT touchpoint', async () => {
    const survey = await createSurvey({ name: 'CES after solve', type: 'ces', trigger: 'ticket_solved', delayMinutes: 0, throttleDays: 0 });
    const ticket = await solvedTicket({ email: 'kostas@example.gr', name: 'Κώστας' }, 'el');
    const [sent] = await dispatchDueInvitations(db, new Date(Date.now() + MIN), { workspaceId: ws.id });
    expect(sent?.status).toBe('sent');
    const answer = await json(await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${sent?.token}`, { score: 6, comment: 'Χρειάστηκε να τηλεφωνήσω τρεις φορές' }), 201);
    expect(answer).toMatchObject({ negative: true, recovery: 'flagged', score: 6 });
    const [resp] = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/responses?negative=true`), 200)).data;
    expect(resp).toMatchObject({ ticketId: ticket.id, agentId, channel: 'email', stage: 'smot', negative: true, recovery: 'flagged', commentPublic: false });
    // The ticket is flagged for service recovery, the reason naming the answer.
    const flagged = await json(await api.request(owner(), 'GET', `/api/v1/tickets/${ticket.id}`), 200);
    expect(flagged.recovery).toMatchObject({ status: 'needed', reason: 'negative_survey' });
    expect(flagged.recovery.reasons[0].detail).toMatchObject({ surveyResponseId: answer.responseId, surveyId: survey.id, type: 'ces', score: 6 });
    const needing = (await json(await api.request(owner(), 'GET', '/api/v1/tickets?recovery=needed'), 200)).data;
    expect(needing.map((t: { id: string }) => t.id)).toContain(ticket.id);
    const tp = await db.selectFrom('touchpoints').selectAll().where('workspace_id', '=', ws.id).where('id', '=', resp.touchpointId).executeTakeFirstOrThrow();
    expect(tp).toMatchObject({ stage: 'smot', valence: 'negative', event: 'Survey Answered', ticket_id: ticket.id, decided_by: 'survey' });
    const journey = await json(await api.request(owner(), 'GET', `/api/v1/customers/${ticket.customer.id}/journey`), 200);
    expect(journey.touchpoints.map((t: { event: string }) => t.event)).toContain('Survey Answered');
    await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
  });

  it('throttles: nobody is surveyed twice within the period', async () => {
    const survey = await createSurvey({ name: 'Throttled CSAT', type: 'csat', trigger: 'manual', throttleDays: 30 });
    const c = await json(await api.request(owner(), 'POST', '/api/v1/customers', { email: 'throttle@example.com', name: 'Tess' }), 201);
    expect(await json(await api.request(owner(), 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [c.id] }), 200)).toMatchObject({ scheduled: 1, throttled: 0 });
    expect(await json(await api.request(owner(), 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [c.id] }), 200)).toMatchObject({ scheduled: 0, throttled: 1 });
    const another = await createSurvey({ name: 'Another survey', type: 'nps', trigger: 'manual', throttleDays: 30 });
    expect(await json(await api.request(owner(), 'POST', `/api/v1/surveys/${another.id}/send`, { customerIds: [c.id] }), 200)).toMatchObject({ throttled: 1 });
    const inv = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/invitations`), 200)).data;
    expect(inv.map((i: { status: string }) => i.status).sort()).toEqual(['sent', 'throttled']);
    // A customer id of another workspace is refused, and nothing is sent.
    const foreign = await json(await api.request(other.tokens.owner, 'POST', '/api/v1/customers', { email: 'x@other.example.com' }), 201);
    expect((await api.request(owner(), 'POST', `/api/v1/surveys/${survey.id}/send`, { customerIds: [foreign.id] })).statusCode).toBe(422);
  });

  it('a stage reached ("Onboarding Completed") invites the customer to an NPS survey, once', async () => {
    const survey = await createSurvey({ name: 'NPS after onboarding', type: 'nps', trigger: 'stage_reached', event: 'Onboarding Completed', throttleDays: 90 });
    const track = (messageId: string, event: string) => api.request(owner(), 'POST', '/api/v1/track', { userId: 'onb-1', event, messageId, properties: {} });
    await json(await api.request(owner(), 'POST', '/api/v1/identify', { userId: 'onb-1', traits: { email: 'onb@example.com', name: 'Onboarded' }, messageId: 'onb-id' }), 200);
    await json(await track('onb-a', 'Feature Used'), 200);
    await json(await track('onb-b', 'onboarding_completed'), 200);
    expect(await scanStageTriggers(db, new Date(Date.now() + 1_000), ws.id)).toBe(1);
    await json(await track('onb-c', 'Onboarding Completed'), 200);
    expect(await scanStageTriggers(db, new Date(Date.now() + 2_000), ws.id)).toBe(0);
    const inv = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/invitations`), 200)).data;
    expect(inv.map((i: { status: string }) => i.status).sort()).toEqual(['scheduled', 'throttled']);
    expect(inv[0]).toMatchObject({ trigger: 'stage_reached', stage: 'smot' });
    await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
  });

  it('a stage trigger reads every touchpoint received since the last scan, page by page, but not an imported history', async () => {
    const survey = await createSurvey({ name: 'CES μετά την εγκατάσταση', type: 'ces', trigger: 'stage_reached', event: 'Installation Completed', throttleDays: 90 });
    const batch = Array.from({ length: 7 }, (_, i) => ({
      type: 'track', userId: `inst-${i}`, event: 'Installation Completed', messageId: `inst-${i}`, properties: { text: 'Η εγκατάσταση ολοκληρώθηκε' },
    }));
    // Last year's installation, imported today: it happened long ago and invites nobody.
    batch.push({ type: 'track', userId: 'inst-old', event: 'Installation Completed', messageId: 'inst-old', properties: { text: 'تم التركيب' }, timestamp: new Date(Date.now() - 40 * 86_400_000).toISOString() } as (typeof batch)[number]);
    await json(await api.request(owner(), 'POST', '/api/v1/batch', { batch }), 200);
    // Pages of three: seven touchpoints take three pages, each customer invited once.
    expect(await scanStageTriggers(db, new Date(Date.now() + 1_000), ws.id, 3)).toBe(7);
    expect(await scanStageTriggers(db, new Date(Date.now() + 2_000), ws.id, 3)).toBe(0);
    const inv = (await json(await api.request(owner(), 'GET', `/api/v1/surveys/${survey.id}/invitations`), 200)).data as { status: string }[];
    expect(inv).toHaveLength(7);
    await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
  });

  it('reports CSAT, NPS and CES per agent and as CSV, equal to the hand-computed values', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const report = await json(await api.request(owner(), 'GET', `/api/v1/reports/surveys?from=${from}&to=${to}&groupBy=agent`), 200);
    const responses = await db.selectFrom('survey_responses').select(['type', 'score', 'agent_id']).where('workspace_id', '=', ws.id).execute();
    const nps = responses.filter((r) => r.type === 'nps').map((r) => r.score as number);
    // Answered above: NPS 9, 10, 7, 2 → promoters 2, detractors 1 of 4 → 25.
    expect(nps.sort()).toEqual([10, 2, 7, 9].sort());
    // Plus one custom survey answer, which counts as a response but in no metric.
    expect(report.overall).toMatchObject({ nps: 25, npsAnswers: 4, ces: 6, cesAnswers: 1, csat: null, csatAnswers: 0, responses: 6 });
    const eleni = report.groups.find((g: { key: string }) => g.key === agentId);
    expect(eleni).toMatchObject({ label: 'Ελένη', ces: 6, cesAnswers: 1, nps: null });
    const csv = await api.request(owner(), 'GET', `/api/v1/reports/surveys?from=${from}&to=${to}&groupBy=stage&format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('group,key,label,responses,csat,csat_answers,nps,nps_answers,ces,ces_answers');
    expect(csv.body).toContain('overall,,,6,,0,25,4,6,1');
    expect(csv.body).toContain('stage,smot,smot,6,,0,25,4,6,1');
    // One survey's figures: the NPS survey's own answers only.
    const npsSurvey = await db.selectFrom('survey_responses').select('survey_id').where('workspace_id', '=', ws.id).where('type', '=', 'nps').executeTakeFirstOrThrow();
    const one = await json(await api.request(owner(), 'GET', `/api/v1/reports/surveys?from=${from}&to=${to}&surveyId=${npsSurvey.survey_id}`), 200);
    const ownAnswers = (await db.selectFrom('survey_responses').select('id').where('survey_id', '=', npsSurvey.survey_id).execute()).length;
    expect(one.overall).toMatchObject({ responses: ownAnswers, csatAnswers: 0, cesAnswers: 0 });
    expect(one.overall.npsAnswers).toBe(ownAnswers);
    const theirSurvey = await json(await api.request(other.tokens.owner, 'GET', `/api/v1/reports/surveys?from=${from}&to=${to}&surveyId=${npsSurvey.survey_id}`), 200);
    expect(theirSurvey.overall.responses).toBe(0);
    expect((await api.request(owner(), 'GET', `/api/v1/reports/surveys?groupBy=planet`)).statusCode).toBe(400);
    expect((await api.request(ws.tokens.agent, 'GET', `/api/v1/reports/surveys`)).statusCode).toBe(403);
    // Another workspace sees none of it.
    const theirs = await json(await api.request(other.tokens.owner, 'GET', `/api/v1/reports/surveys?from=${from}&to=${to}`), 200);
    expect(theirs.overall.responses).toBe(0);
  });

  it('flags recovery by the survey’s thresholds (defaults CSAT ≤ 2, NPS ≤ 6, CES ≥ 5), only for answers about a ticket', async () => {
    const cases: Array<{ type: 'csat' | 'nps' | 'ces'; negative?: Record<string, number>; score: number; flagged: boolean; comment: string }> = [
      { type: 'csat', score: 2, flagged: true, comment: 'Κανείς δεν απάντησε στο τηλέφωνο' },
      { type: 'csat', score: 3, flagged: false, comment: 'Μέτρια εξυπηρέτηση' },
      { type: 'csat', negative: { csatMax: 3 }, score: 3, flagged: true, comment: 'لم يتم حل المشكلة بالكامل' },
      { type: 'nps', score: 6, flagged: true, comment: 'التوصيل تأخر كثيرا' },
      { type: 'nps', score: 7, flagged: false, comment: 'Καλή εξυπηρέτηση' },
      { type: 'nps', negative: { npsMax: 4 }, score: 5, flagged: false, comment: 'Αργή απάντηση' },
      { type: 'ces', score: 4, flagged: false, comment: 'Λίγο κουραστικό' },
      { type: 'ces', negative: { cesMin: 4 }, score: 4, flagged: true, comment: 'كان الأمر مرهقا' },
    ];
    for (const [i, c] of cases.entries()) {
      const survey = await createSurvey({ name: `Recovery ${i}`, type: c.type, trigger: 'ticket_solved', delayMinutes: 0, throttleDays: 0, ...(c.negative ? { negative: c.negative } : {}) });
      const ticket = await solvedTicket({ email: `recovery-${i}@example.gr`, name: `Πελάτης ${i}` }, i % 2 ? 'ar' : 'el');
      // (An invitation an earlier test left scheduled for a survey since switched off is cancelled in the same round.)
      const sent = (await dispatchDueInvitations(db, new Date(Date.now() + MIN), { workspaceId: ws.id })).find((d) => d.status === 'sent');
      expect(sent?.status).toBe('sent');
      const answer = await json(await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${sent?.token}`, { score: c.score, comment: c.comment }), 201);
      expect(answer, JSON.stringify(c)).toMatchObject({ negative: c.flagged, recovery: c.flagged ? 'flagged' : null });
      const t = await json(await api.request(owner(), 'GET', `/api/v1/tickets/${ticket.id}`), 200);
      if (c.flagged) expect(t.recovery, JSON.stringify(c)).toMatchObject({ status: 'needed', reason: 'negative_survey' });
      else expect(t.recovery, JSON.stringify(c)).toBeNull();
      // The answer itself stays where it was: an SMOT touchpoint with the score's valence.
      const tp = await db.selectFrom('touchpoints').select(['stage', 'event']).where('workspace_id', '=', ws.id).where('id', '=', answer.touchpointId).executeTakeFirstOrThrow();
      expect(tp).toEqual({ stage: 'smot', event: 'Survey Answered' });
      await db.updateTable('surveys').set({ active: false }).where('id', '=', survey.id).execute();
    }
    // A negative answer not about a ticket (sent by hand) has nothing to flag: it stays 'needed'.
    const manual = await createSurvey({ name: 'Manual CSAT', type: 'csat', trigger: 'manual', throttleDays: 0 });
    const c = await json(await api.request(owner(), 'POST', '/api/v1/customers', { email: 'no-ticket@example.gr', name: 'Χωρίς αίτημα' }), 201);
    await json(await api.request(owner(), 'POST', `/api/v1/surveys/${manual.id}/send`, { customerIds: [c.id] }), 200);
    const row = await db.selectFrom('survey_deliveries').select('body_text').where('workspace_id', '=', ws.id).where('to_address', '=', 'no-ticket@example.gr').executeTakeFirstOrThrow();
    const token = surveyTokenFromMail(row.body_text);
    const casesBefore = await db.selectFrom('recovery_cases').select('id').where('workspace_id', '=', ws.id).execute();
    expect(await json(await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 1 }), 201)).toMatchObject({ negative: true, recovery: 'needed' });
    expect(await db.selectFrom('recovery_cases').select('id').where('workspace_id', '=', ws.id).execute()).toEqual(casesBefore);
    await db.updateTable('surveys').set({ active: false }).where('id', '=', manual.id).execute();
  });
});
