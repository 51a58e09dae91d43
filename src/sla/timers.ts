// SLA timers as durable jobs: whenever a ticket's SLA is evaluated, the next moment something
// is due (a warning or a breach) gets a job that starts then and evaluates the ticket again,
// which records the warning or the breach (and flags the ticket for recovery). One job per
// ticket and instant (singletonKey), so re-evaluations do not pile up duplicates.
import { registerWorker } from '../jobs/registry.ts';
import { refreshTicketSla } from './service.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'sla.timer': { workspaceId: string; ticketId: string; dueAt: string };
  }
}

registerWorker(
  'sla.timer',
  async (data, ctx) => {
    await ctx.db.transaction().execute(async (tx) => {
      const ticket = await tx.selectFrom('tickets').select('id').where('workspace_id', '=', data.workspaceId).where('id', '=', data.ticketId).forUpdate().executeTakeFirst();
      if (!ticket) return; // deleted since
      // Records what has come due and arms the timer for the next instant, if any.
      await refreshTicketSla(tx, data.workspaceId, data.ticketId, new Date());
    });
  },
  { retryLimit: 5, retryDelaySeconds: 30, retryBackoff: true },
);
