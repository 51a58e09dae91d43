// Stage health in the background (durable pg-boss jobs):
//   loops.health.check    per workspace with the alert on, at the start of every hour: queues the
//                         next hour's check first (in its own transaction, one per hour however
//                         often asked), then applies the alert rule to the last two complete
//                         periods — so a check that fails, even past its retries, never ends the
//                         hourly chain
//   loops.health.webhook  delivers one alert to the workspace's webhook, retried with backoff,
//                         then marked failed
import { registerWorker } from '../jobs/index.ts';
import { checkStageHealth, deliverHealthWebhook, getHealthSettings, queueHealthCheck } from './service.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'loops.health.check': { workspaceId: string };
    'loops.health.webhook': { workspaceId: string; alertId: string };
  }
}

registerWorker(
  'loops.health.check',
  async (data, ctx) => {
    const settings = await getHealthSettings(ctx.db, data.workspaceId);
    if (!settings.active) return;
    const at = new Date();
    await ctx.db.transaction().execute((tx) => queueHealthCheck(tx, data.workspaceId, at));
    await checkStageHealth(ctx.db, data.workspaceId, at);
  },
  { retryLimit: 2, retryDelaySeconds: 60, expireInSeconds: 10 * 60 },
);

registerWorker(
  'loops.health.webhook',
  async (data, ctx) => deliverHealthWebhook(ctx.db, data.workspaceId, data.alertId, ctx.job.retryCount >= ctx.job.retryLimit),
  { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true },
);
