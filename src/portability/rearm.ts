// After an import, the work that was waiting in the old database's job queue (which the export
// does not carry) is queued again here, in the import's own transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from '../jobs/enqueue.ts';
import '../sla/timers.ts';
import { queueHealthCheck } from '../health/service.ts';
import '../health/jobs.ts';
import { queueSweep } from '../surveys/queue.ts';

export interface Rearmed {
  slaTickets: number;
  outgoingMail: number;
  incomingMail: number;
}

export async function rearmWorkspaceJobs(tx: Kysely<DB>, workspaceId: string, now = new Date()): Promise<Rearmed> {
  // SLA: a timer now for each running clock; it records what came due meanwhile and arms the
  // next one (the import itself changes no row, so the data is exactly what was exported).
  const clocks = await tx
    .selectFrom('ticket_sla_targets')
    .select('ticket_id')
    .distinct()
    .where('workspace_id', '=', workspaceId)
    .where('clock', '=', 'running')
    .where('outcome', '=', 'pending')
    .execute();
  for (const c of clocks) {
    await enqueue(tx, 'sla.timer', { workspaceId, ticketId: c.ticket_id, dueAt: now.toISOString() }, { singletonKey: `${c.ticket_id}@${now.toISOString()}` });
  }
  const outgoing = await tx.selectFrom('outbound_emails').select('id').where('workspace_id', '=', workspaceId).where('status', '=', 'queued').execute();
  for (const o of outgoing) await enqueue(tx, 'email.send', { workspaceId, outboundId: o.id });
  const incoming = await tx.selectFrom('inbound_emails').select('id').where('workspace_id', '=', workspaceId).where('status', '=', 'received').execute();
  for (const i of incoming) await enqueue(tx, 'email.inbound', { inboundId: i.id });
  // Survey invitations that fell due are picked up by the next sweep.
  await queueSweep(tx, now);
  // The stage health alert's hourly chain (a check now, which queues the next) and its webhook
  // deliveries still pending.
  const health = await tx.selectFrom('stage_health_settings').select('active').where('workspace_id', '=', workspaceId).executeTakeFirst();
  if (health?.active) await queueHealthCheck(tx, workspaceId, now, true);
  const pendingHooks = await tx.selectFrom('stage_health_alerts').select('id').where('workspace_id', '=', workspaceId).where('webhook_status', '=', 'pending').execute();
  for (const a of pendingHooks) await enqueue(tx, 'loops.health.webhook', { workspaceId, alertId: a.id });
  return { slaTickets: clocks.length, outgoingMail: outgoing.length, incomingMail: incoming.length };
}
