// Survey invitations by real e-mail on loopback: a solved ticket's survey is mailed through the
// outbound mail path to an SMTP sink, in the customer's language (Arabic laid out right-to-left),
// and the link in the mail answers the survey exactly once. A relay that keeps refusing leaves
// the mail visibly failed with its last error.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../src/db/schema.ts';
import { JobRuntime } from '../src/jobs/index.ts';
import '../src/jobs/workers.ts';
import { queueUnsentSurveyEmails } from '../src/surveys/queue.ts';
import { startTestApi } from './support/api.ts';
import type { TestApi, TestWorkspace } from './support/api.ts';
import { availableBackends } from './support/db.ts';
import { startSink } from './support/mail.ts';
import type { Sink } from './support/mail.ts';

const SUPPORT = 'help@survey-mail.example.com';

describe.each(availableBackends())('survey e-mail on %s', (kind) => {
  let api: TestApi;
  let ws: TestWorkspace;
  let db: Kysely<DB>;
  let sink: Sink;
  let jobs: JobRuntime;
  let slug: string;
  let surveyId: string;

  async function json(res: { statusCode: number; body: string; json(): unknown }, status: number) {
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
    return res.json() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test responses are checked field by field
  }
  async function solvedTicket(customer: { email: string; name: string }, locale: 'en' | 'el' | 'ar', message: string) {
    const t = await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/tickets', { subject: message.slice(0, 40), customer, channel: 'chat', message }), 201);
    await json(await api.request(ws.tokens.owner, 'PATCH', `/api/v1/customers/${t.customer.id}`, { locale }), 200);
    await json(await api.request(ws.tokens.owner, 'POST', `/api/v1/tickets/${t.id}/messages`, { kind: 'reply', body: 'OK' }), 201);
    await json(await api.request(ws.tokens.owner, 'PATCH', `/api/v1/tickets/${t.id}`, { status: 'solved' }), 200);
    return t as { id: string };
  }
  const mailTo = (address: string) => sink.messages.filter((m) => m.envelopeTo.includes(address));
  const linkIn = (text: string) => {
    const link = /https?:\/\/\S+\/s\/[^/\s]+\/sv_[A-Za-z0-9_-]{43}/.exec(text)?.[0];
    if (!link) throw new Error(`no survey link in: ${text}`);
    return new URL(link);
  };

  beforeAll(async () => {
    api = await startTestApi(kind);
    db = api.database.db;
    ws = await api.createWorkspace('Survey Mail');
    slug = (await json(await api.request(ws.tokens.owner, 'GET', '/api/v1/workspace'), 200)).slug;
    sink = await startSink();
    jobs = new JobRuntime({ database: api.database, logger: pino({ level: 'silent' }), settings: { smtpUrl: sink.url } });
    await jobs.start();
    await json(await api.request(ws.tokens.admin, 'POST', '/api/v1/email/addresses', { address: SUPPORT }), 201);
    surveyId = (await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'CSAT', type: 'csat', trigger: 'ticket_solved', delayMinutes: 0, throttleDays: 0 }), 201)).id;
  });
  afterAll(async () => {
    await jobs?.stop();
    await sink?.close();
    await api?.close();
  });

  it('mails the survey in Greek, and the link in the mail answers it once', async () => {
    await solvedTicket({ email: 'eleni@example.gr', name: 'Ελένη Παπαδοπούλου' }, 'el', 'Η παραγγελία μου δεν έφτασε ακόμα');
    await jobs.drain();
    const [mail] = mailTo('eleni@example.gr');
    expect(mail, 'the survey mail reached the sink').toBeDefined();
    const parsed = mail!.parsed;
    expect(parsed.subject).toBe('Μια σύντομη ερώτηση για την εμπειρία σας');
    expect(parsed.from?.value[0]?.address).toBe(SUPPORT);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');
    expect(parsed.headers.get('content-language')).toBe('el');
    expect(parsed.text).toContain('Γεια σας Ελένη Παπαδοπούλου,');
    expect(parsed.text).toContain('Πόσο ικανοποιημένοι είστε');
    const link = linkIn(parsed.text ?? '');
    expect(link.pathname.startsWith(`/s/${slug}/`)).toBe(true);
    expect(parsed.html).toContain(`href="${link.toString()}"`);
    expect(parsed.html).toContain('Απαντήστε στην έρευνα');
    expect(parsed.html).toContain('dir="ltr"');

    // The page behind the link, then the answer through its form; the second answer is refused.
    const page = await api.request(undefined, 'GET', link.pathname);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="el"');
    const answered = await api.request(undefined, 'POST', link.pathname, `score=5&comment=${encodeURIComponent('Πολύ γρήγορη απάντηση')}`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('Σας ευχαριστούμε για την απάντησή σας.');
    const again = await api.request(undefined, 'POST', link.pathname, 'score=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(again.statusCode).toBe(409);
    const token = link.pathname.split('/').at(-1) as string;
    expect((await api.request(undefined, 'POST', `/api/v1/public/surveys/${slug}/${token}`, { score: 1 })).statusCode).toBe(409);
    const responses = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/surveys/${surveyId}/responses`), 200)).data;
    expect(responses.filter((r: { comment: string }) => r.comment === 'Πολύ γρήγορη απάντηση')).toHaveLength(1);

    // The invitation shows its mail as sent; the stored copy no longer holds the token.
    const inv = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/surveys/${surveyId}/invitations`), 200)).data;
    expect(inv[0]).toMatchObject({ status: 'answered', email: { status: 'sent', to: 'eleni@example.gr', attempts: 1, lastError: null } });
    const stored = await db.selectFrom('survey_deliveries').select(['body_text', 'body_html']).where('workspace_id', '=', ws.id).execute();
    expect(JSON.stringify(stored)).not.toContain(token);
    // Draining again mails nothing more.
    await jobs.drain();
    expect(mailTo('eleni@example.gr')).toHaveLength(1);
  });

  it('mails Arabic right-to-left, and English left-to-right', async () => {
    await solvedTicket({ email: 'layla@example.ae', name: 'ليلى حسن' }, 'ar', 'لم تصل الفاتورة إلى بريدي');
    await solvedTicket({ email: 'sam@example.com', name: 'Sam Jones' }, 'en', 'The invoice never arrived');
    await jobs.drain();
    const [ar] = mailTo('layla@example.ae');
    expect(ar?.parsed.subject).toBe('سؤال سريع عن تجربتك');
    expect(ar?.parsed.html).toContain('<html lang="ar" dir="rtl">');
    expect(ar?.parsed.html).toContain('text-align:right');
    expect(ar?.parsed.html).toContain('أجب عن الاستطلاع');
    expect(ar?.parsed.text).toContain('مرحبًا ليلى حسن،');
    const arLink = linkIn(ar?.parsed.text ?? '');
    const shown = await json(await api.request(undefined, 'GET', `/api/v1/public/surveys/${slug}/${arLink.pathname.split('/').at(-1)}`), 200);
    expect(shown).toMatchObject({ locale: 'ar', dir: 'rtl', question: expect.stringContaining('ما مدى رضاك') });
    const [en] = mailTo('sam@example.com');
    expect(en?.parsed.subject).toBe('A quick question about your experience');
    expect(en?.parsed.html).toContain('<html lang="en" dir="ltr">');
    expect(en?.parsed.text).toContain('Hello Sam Jones,');
  });

  it('sends mail queued before mail had its job (migration 025) once the sweep hands it over', async () => {
    const manual = (await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/surveys', { name: 'NPS', type: 'nps', trigger: 'manual', throttleDays: 0 }), 201)).id;
    const c = await json(await api.request(ws.tokens.owner, 'POST', '/api/v1/customers', { email: 'old-queue@example.gr', name: 'Γιάννης', locale: 'el' }), 201);
    await json(await api.request(ws.tokens.owner, 'POST', `/api/v1/surveys/${manual}/send`, { customerIds: [c.id] }), 200);
    // As a row written before 025 looks: no Message-ID, no job.
    await db.updateTable('survey_deliveries').set({ message_id: null }).where('workspace_id', '=', ws.id).where('to_address', '=', 'old-queue@example.gr').execute();
    await api.database.pool.query(`DELETE FROM pgboss.job WHERE name = 'surveys.email' AND state = 'created'`);
    await jobs.drain();
    expect(mailTo('old-queue@example.gr')).toHaveLength(0);
    expect(await queueUnsentSurveyEmails(db, ws.id)).toBe(1);
    expect(await queueUnsentSurveyEmails(db, ws.id)).toBe(0);
    await jobs.drain();
    expect(mailTo('old-queue@example.gr')).toHaveLength(1);
    expect(mailTo('old-queue@example.gr')[0]?.parsed.text).toContain('Πόσο πιθανό είναι');
  });

  it('retries a refused mail and shows it failed with the last error when the retries run out', async () => {
    sink.failNext(100);
    try {
      await solvedTicket({ email: 'nikos@example.gr', name: 'Νίκος' }, 'el', 'Ο θερμοστάτης δεν συνδέεται');
      // Retries wait (30 s, backing off); let the clock "pass" between rounds.
      for (let round = 0; round < 10; round++) {
        await jobs.drain();
        await api.database.pool.query(`UPDATE pgboss.job SET start_after = now() WHERE name = 'surveys.email' AND state = 'retry'`);
      }
    } finally {
      sink.failNext(0);
    }
    expect(mailTo('nikos@example.gr')).toHaveLength(0);
    const inv = (await json(await api.request(ws.tokens.owner, 'GET', `/api/v1/surveys/${surveyId}/invitations`), 200)).data;
    const mine = inv.find((i: { email: { to: string } | null }) => i.email?.to === 'nikos@example.gr');
    expect(mine).toMatchObject({ status: 'sent', email: { status: 'failed', attempts: 6, sentAt: null } });
    expect(mine.email.lastError).toMatch(/451|busy/);
  });
});
