// Demo surveys: a CSAT survey after each solved ticket and an NPS survey sent by hand, with
// answers (and comments in each customer's language) spread over the demo period, so the
// survey and pain-point reports have something to show.
import type { WorkspaceContext } from '../shared/context.ts';
import { answerInvitation, createSurvey, dispatchDueInvitations, sendToSegment } from '../surveys/service.ts';

type Locale = 'en' | 'el' | 'ar';

const COMMENTS: Record<Locale, { good: string[]; bad: string[] }> = {
  en: {
    good: ['Quick and friendly answer, thank you.', 'The agent solved it in one reply.', 'Clear explanation, great support.'],
    bad: ['I had to explain the problem three times.', 'The delivery was late and nobody called me back.', 'Still waiting for my refund.'],
  },
  el: {
    good: ['Γρήγορη και ευγενική εξυπηρέτηση, ευχαριστώ.', 'Λύθηκε με την πρώτη απάντηση.', 'Πολύ κατατοπιστική απάντηση.'],
    bad: ['Καθυστέρηση στην παράδοση και κανείς δεν με ενημέρωσε.', 'Περιμένω ακόμα την επιστροφή χρημάτων.', 'Χρειάστηκε να εξηγήσω το πρόβλημα τρεις φορές.'],
  },
  ar: {
    good: ['خدمة سريعة ولطيفة، شكراً.', 'تم حل المشكلة من أول رد.', 'شرح واضح ودعم ممتاز.'],
    bad: ['تأخر التوصيل ولم يتصل بي أحد.', 'ما زلت أنتظر استرداد المبلغ.', 'اضطررت لشرح المشكلة ثلاث مرات.'],
  },
};

const CSAT_SCORES = [5, 4, 5, 2, 4, 5, 3, 1, 5, 4];
const NPS_SCORES = [10, 9, 7, 3, 9, 8, 10, 6, 9, 2];

/** Creates the surveys; call before the demo tickets are solved, so solving them schedules CSAT. */
export async function createDemoSurveys(system: WorkspaceContext, since: Date): Promise<{ csatId: string; npsId: string }> {
  const csat = await createSurvey(system, { name: 'CSAT after a solved ticket', type: 'csat', trigger: 'ticket_solved', delayMinutes: 60, throttleDays: 0 }, since);
  const nps = await createSurvey(system, { name: 'Quarterly NPS', type: 'nps', trigger: 'manual', throttleDays: 0 }, since);
  await createSurvey(system, { name: 'NPS after onboarding', type: 'nps', trigger: 'stage_reached', event: 'Onboarding Completed', throttleDays: 90 }, since);
  return { csatId: csat.id, npsId: nps.id };
}

/** Sends the scheduled CSAT invitations at their due time and answers most of them; sends and answers the NPS. */
export async function answerDemoSurveys(system: WorkspaceContext, npsId: string, now: Date): Promise<number> {
  const { db, workspaceId } = system;
  const slug = (await db.selectFrom('workspaces').select('slug').where('id', '=', workspaceId).executeTakeFirstOrThrow()).slug;
  let answered = 0;
  const answer = async (token: string | undefined, locale: Locale, score: number, good: boolean, i: number, at: Date) => {
    if (!token || i % 5 === 4) return; // some never answer
    const pool = COMMENTS[locale][good ? 'good' : 'bad'];
    const comment = i % 3 === 2 ? undefined : pool[i % pool.length];
    await answerInvitation(db, slug, token, { score, comment, publishComment: good && i % 2 === 0 }, at);
    answered += 1;
  };
  const scheduled = await db
    .selectFrom('survey_invitations')
    .select(['id', 'due_at', 'locale'])
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'scheduled')
    .where('due_at', '<=', now)
    .orderBy('due_at')
    .execute();
  for (const [i, inv] of scheduled.entries()) {
    const due = new Date(inv.due_at);
    // Demo addresses are not real: the links are made, no e-mail is queued.
    const [sent] = await dispatchDueInvitations(db, due, { workspaceId, invitationId: inv.id, mail: false });
    const score = CSAT_SCORES[i % CSAT_SCORES.length] as number;
    await answer(sent?.token, inv.locale as Locale, score, score >= 4, i, new Date(Math.min(due.getTime() + 3 * 3_600_000, now.getTime())));
  }
  const sentAt = new Date(now.getTime() - 5 * 86_400_000);
  await sendToSegment(system, npsId, { filter: { hasEmail: true } }, sentAt);
  const nps = await dispatchDueInvitations(db, sentAt, { workspaceId, mail: false });
  const locales = new Map((await db.selectFrom('survey_invitations').select(['id', 'locale']).where('workspace_id', '=', workspaceId).execute()).map((r) => [r.id, r.locale as Locale]));
  for (const [i, d] of nps.entries()) {
    const score = NPS_SCORES[i % NPS_SCORES.length] as number;
    await answer(d.token, locales.get(d.invitationId) ?? 'en', score, score >= 9, i, new Date(sentAt.getTime() + (i % 4 + 1) * 86_400_000));
  }
  return answered;
}
