// Surveys in the chat widget over real WebSockets: when an agent solves a chat, the visitor's
// widget is offered the survey inline (in the widget's language) and answers it there, once; a
// survey sent by hand to a chat customer is offered when they come back; bad answers change
// nothing; one workspace's visitor can neither see nor answer another workspace's survey.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { availableBackends } from './support/db.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { connectWs, wsUrl } from './support/ws.ts';
import type { TestSocket, WsMessage } from './support/ws.ts';

describe.each(availableBackends())('surveys in the chat widget on %s', (kind) => {
  let api: TestApi;
  let db: Kysely<DB>;
  let url: string;
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let key: string;
  let otherKey: string;
  let surveyId: string;
  const sockets: TestSocket[] = [];
  const visitor = async (widgetKey: string) => {
    const s = await connectWs(wsUrl(url, `/api/v1/widget/ws?key=${widgetKey}`));
    sockets.push(s);
    return s;
  };
  /** The next message after what `s` has already received that matches. */
  const next = (s: TestSocket, match: (m: WsMessage) => boolean) => {
    const seen = s.messages.length;
    return () => s.waitFor((m) => s.messages.indexOf(m) >= seen && match(m));
  };
  async function json(res: { statusCode: number; body: string; json(): unknown }, status: number) {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  }
  const counts = async () => ({
    responses: (await db.selectFrom('survey_responses').select('id').execute()).length,
    answered: (await db.selectFrom('survey_invitations').select('id').where('status', '=', 'answered').execute()).length,
  });

  beforeAll(async () => {
    api = await startTestApi(kind);
    db = api.database.db;
    url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    ws = await api.createWorkspace('Widget Surveys');
    other = await api.createWorkspace('Other Widget');
    key = (await json(await api.request(ws.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Ιστότοπος' }), 201)).publicKey;
    otherKey = (await json(await api.request(other.tokens.admin, 'POST', '/api/v1/chat/widgets', { name: 'Other site' }), 201)).publicKey;
    // An hour's delay is for e-mail; in the widget the visitor is there now.
    surveyId = (await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'CSAT', type: 'csat', trigger: 'ticket_solved', delayMinutes: 60, throttleDays: 0 }), 201)).id;
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await api?.close();
  });

  let token: string;
  let ticketId: string;
  let invitationId: string;

  it('offers the survey in the widget when the chat is solved, and takes the answer once', async () => {
    const v = await visitor(key);
    v.send({ type: 'hello', lang: 'el' });
    token = (await v.waitFor((m) => m.type === 'welcome')).token as string;
    v.send({ type: 'message', text: 'Ο θερμοστάτης δείχνει εκτός σύνδεσης από χθες.', clientId: 'm1' });
    await v.waitFor((m) => m.type === 'ack');
    const [ticket] = (await json(await api.request(ws.tokens.owner, 'GET', '/api/v1/tickets?channel=chat'), 200)).data;
    ticketId = ticket.id;
    await json(await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'reply', body: 'Επανεκκινήστε τον δρομολογητή.' }), 201);
    expect(v.messages.some((m) => m.type === 'survey')).toBe(false);

    await json(await api.request(ws.tokens.owner, 'PATCH', `/api/v1/tickets/${ticketId}`, { status: 'solved' }), 200);
    const offered = await v.waitFor((m) => m.type === 'survey');
    invitationId = offered.invitationId as string;
    expect(offered.survey).toMatchObject({
      type: 'csat', locale: 'el', dir: 'ltr', question: expect.stringContaining('Πόσο ικανοποιημένοι είστε'), scale: { min: 1, max: 5 },
    });
    const inv = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/surveys/${surveyId}/invitations`), 200)).data;
    expect(inv).toEqual([expect.objectContaining({ id: invitationId, ticketId, status: 'sent', delivery: 'widget', email: null })]);

    // Answers that do not fit change nothing.
    const before = await counts();
    for (const bad of [
      { type: 'survey_answer', invitationId, score: 9 },
      { type: 'survey_answer', invitationId, score: 3.5 },
      { type: 'survey_answer', invitationId },
      { type: 'survey_answer', invitationId: 'not-a-uuid', score: 4 },
      { type: 'survey_answer', invitationId, score: 4, extra: true },
    ]) {
      const error = next(v, (m) => m.type === 'error');
      v.send(bad);
      expect((await error()).code, JSON.stringify(bad)).toBe('validation_failed');
    }
    const unknown = next(v, (m) => m.type === 'error');
    v.send({ type: 'survey_answer', invitationId: '01900000-0000-7000-8000-0000000000aa', score: 4 });
    expect((await unknown()).code).toBe('not_found');
    expect(await counts()).toEqual(before);

    const answered = next(v, (m) => m.type === 'survey_answered');
    v.send({ type: 'survey_answer', invitationId, score: 2, comment: 'Χρειάστηκαν δύο μέρες για μια απάντηση.' });
    expect(await answered()).toMatchObject({ invitationId, score: 2 });
    const again = next(v, (m) => m.type === 'error');
    v.send({ type: 'survey_answer', invitationId, score: 5 });
    expect((await again()).code).toBe('conflict');

    const [response] = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/surveys/${surveyId}/responses`), 200)).data;
    expect(response).toMatchObject({ ticketId, channel: 'chat', score: 2, comment: 'Χρειάστηκαν δύο μέρες για μια απάντηση.', negative: true, recovery: 'flagged' });
    const solved = await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/tickets/${ticketId}`), 200);
    expect(solved.recovery).toMatchObject({ reason: 'negative_survey' });
  });

  it('offers a survey waiting for the customer when they come back (Arabic, right-to-left), and not one already answered', async () => {
    const back = await visitor(key);
    back.send({ type: 'hello', token, lang: 'ar' });
    await back.waitFor((m) => m.type === 'welcome');
    await new Promise((r) => setTimeout(r, 300));
    expect(back.messages.some((m) => m.type === 'survey')).toBe(false);

    const customerId = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/tickets/${ticketId}`), 200)).customer.id;
    const nps = (await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'NPS', type: 'nps', trigger: 'manual', throttleDays: 0 }), 201)).id;
    expect(await json(await api.request(ws.tokens.owner, 'POST', `/api/v1/surveys/${nps}/send`, { customerIds: [customerId], delivery: 'widget' }), 200)).toMatchObject({ scheduled: 1 });
    const later = await visitor(key);
    later.send({ type: 'hello', token, lang: 'ar' });
    const offered = await later.waitFor((m) => m.type === 'survey');
    expect(offered.survey).toMatchObject({ type: 'nps', locale: 'ar', dir: 'rtl', question: 'ما مدى احتمال أن توصي بنا لصديق أو زميل؟', scale: { min: 0, max: 10 } });
    const answered = next(later, (m) => m.type === 'survey_answered');
    later.send({ type: 'survey_answer', invitationId: offered.invitationId, score: 9, comment: 'خدمة سريعة ولطيفة' });
    expect(await answered()).toMatchObject({ score: 9 });
  });

  it('does not hand a customer’s mailed survey to a visitor who typed their e-mail into the offline form', async () => {
    const victim = await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/customers', { email: 'eleni.victim@example.gr', name: 'Ελένη', locale: 'el' }), 201);
    const ces = (await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'CES', type: 'ces', trigger: 'manual', throttleDays: 0 }), 201)).id;
    await json(await api.request(ws.tokens.owner, 'POST', `/api/v1/surveys/${ces}/send`, { customerIds: [victim.id] }), 200);
    const [mailed] = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/surveys/${ces}/invitations`), 200)).data;
    expect(mailed).toMatchObject({ status: 'sent', delivery: 'email' });
    const before = await counts();
    const spoof = await visitor(key);
    spoof.send({ type: 'hello', lang: 'el' });
    const spoofToken = (await spoof.waitFor((m) => m.type === 'welcome')).token as string;
    spoof.send({ type: 'offline', name: 'Κάποιος', email: 'eleni.victim@example.gr', message: 'Θέλω να δω τις έρευνες της Ελένης.' });
    await spoof.waitFor((m) => m.type === 'offline_received');
    const back = await visitor(key);
    back.send({ type: 'hello', token: spoofToken, lang: 'el' });
    await back.waitFor((m) => m.type === 'welcome');
    const refused = next(back, (m) => m.type === 'error');
    back.send({ type: 'survey_answer', invitationId: mailed.id, score: 7 });
    expect((await refused()).code).toBe('not_found');
    expect([...spoof.messages, ...back.messages].some((m) => m.type === 'survey')).toBe(false);
    expect(await counts()).toEqual(before);
  });

  it('keeps workspaces apart: another workspace’s visitor is offered nothing and cannot answer', async () => {
    const before = await counts();
    const stranger = await visitor(otherKey);
    stranger.send({ type: 'hello', token, lang: 'el' });
    const welcome = await stranger.waitFor((m) => m.type === 'welcome');
    // The token of the first workspace's visitor means nothing here: a new visitor.
    expect(welcome.token).toMatch(/^cv_/);
    stranger.send({ type: 'message', text: 'Γεια σας', clientId: 'x1' });
    await stranger.waitFor((m) => m.type === 'ack');
    const refused = next(stranger, (m) => m.type === 'error');
    stranger.send({ type: 'survey_answer', invitationId, score: 5 });
    expect((await refused()).code).toBe('not_found');
    expect(stranger.messages.some((m) => m.type === 'survey')).toBe(false);
    expect(await counts()).toEqual(before);
    // Before any chat, a visitor has no customer and nothing to answer.
    const fresh = await visitor(key);
    fresh.send({ type: 'hello', lang: 'en' });
    await fresh.waitFor((m) => m.type === 'welcome');
    const none = next(fresh, (m) => m.type === 'error');
    fresh.send({ type: 'survey_answer', invitationId, score: 5 });
    expect((await none()).code).toBe('not_found');
  });
});
