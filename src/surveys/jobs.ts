// Survey work that runs in the background, as durable pg-boss jobs:
//   surveys.dispatch  sends one invitation when it is due (queued with startAfter = due_at in the
//                     transaction that scheduled it, e.g. the ticket's solve)
//   surveys.email     mails one queued invitation (src/surveys/mail.ts)
//   surveys.sweep     every minute while any survey is active: scans new touchpoints for
//                     stage_reached triggers, sends anything due that a lost job left behind,
//                     and analyses new customer texts for pain points
import { registerWorker } from '../jobs/index.ts';
import { catchUpPainPoints } from '../painpoints/service.ts';
import { dispatchDueInvitations, scanStageTriggers } from './service.ts';
import { queueSweep, queueUnsentSurveyEmails } from './queue.ts';
import './mail.ts';

registerWorker('surveys.dispatch', async (data, ctx) => {
  await dispatchDueInvitations(ctx.db, new Date(), { workspaceId: data.workspaceId, invitationId: data.invitationId });
}, { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true });

registerWorker('surveys.sweep', async (_data, ctx) => {
  const at = new Date();
  await scanStageTriggers(ctx.db, at);
  await dispatchDueInvitations(ctx.db, at);
  const active = await ctx.db.selectFrom('surveys').select('workspace_id').distinct().where('active', '=', true).execute();
  for (const { workspace_id } of active) {
    await queueUnsentSurveyEmails(ctx.db, workspace_id);
    await catchUpPainPoints(ctx.db, workspace_id, 500);
  }
  if (active.length) await ctx.db.transaction().execute((tx) => queueSweep(tx, at));
}, { retryLimit: 2, expireInSeconds: 10 * 60 });
