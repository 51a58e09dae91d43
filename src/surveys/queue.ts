// Queuing survey jobs inside the caller's transaction (the workers are in jobs.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from '../jobs/index.ts';
import type { Tx } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import { senderAddress } from '../channels/email/addresses.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'surveys.dispatch': { workspaceId: string; invitationId: string };
    'surveys.sweep': Record<string, never>;
    'surveys.email': { workspaceId: string; deliveryId: string };
  }
}

const SWEEP_EVERY_MS = 60_000;

/** Queues the invitation's send for its due time, in the caller's transaction. */
export async function queueDispatch(tx: Kysely<DB>, workspaceId: string, invitationId: string, due: Date): Promise<void> {
  await enqueue(tx as Tx, 'surveys.dispatch', { workspaceId, invitationId }, {
    startAfter: due,
    // One job per invitation and due time: a rescheduled invitation gets its own.
    singletonKey: `${invitationId}:${due.getTime()}`,
  });
}

/** Queues the next sweep (one per minute slot, however many ask). */
export async function queueSweep(tx: Kysely<DB>, at: Date): Promise<void> {
  const next = Math.ceil((at.getTime() + 1) / SWEEP_EVERY_MS) * SWEEP_EVERY_MS;
  await enqueue(tx as Tx, 'surveys.sweep', {}, { startAfter: new Date(next), singletonKey: `sweep:${next}` });
}


/**
 * Queues an invitation e-mail: its row in survey_deliveries and the `surveys.email` job that
 * sends it through the outbound mail path, both in the caller's transaction.
 */
export async function queueSurveyEmail(
  tx: Kysely<DB>,
  workspaceId: string,
  mail: { invitationId: string; to: string; locale: 'en' | 'el' | 'ar'; subject: string; text: string; html: string },
): Promise<string> {
  const id = newId();
  const from = await senderAddress(tx, workspaceId);
  await tx
    .insertInto('survey_deliveries')
    .values({
      id,
      workspace_id: workspaceId,
      invitation_id: mail.invitationId,
      to_address: mail.to,
      subject: mail.subject,
      body_text: mail.text,
      body_html: mail.html,
      locale: mail.locale,
      message_id: `${id}@${from.split('@')[1] ?? 'truthdesk.localhost'}`,
    })
    .execute();
  await enqueue(tx as Tx, 'surveys.email', { workspaceId, deliveryId: id });
  return id;
}

/** Rows queued before survey mail had its job (migration 025) get one; returns how many. */
export async function queueUnsentSurveyEmails(db: Kysely<DB>, workspaceId: string): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const rows = await tx
      .selectFrom('survey_deliveries')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('status', '=', 'queued')
      .where('message_id', 'is', null)
      .limit(500)
      .forUpdate()
      .skipLocked()
      .execute();
    if (!rows.length) return 0;
    const from = await senderAddress(tx, workspaceId);
    for (const r of rows) {
      await tx
        .updateTable('survey_deliveries')
        .set({ message_id: `${r.id}@${from.split('@')[1] ?? 'truthdesk.localhost'}` })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', r.id)
        .execute();
      await enqueue(tx as Tx, 'surveys.email', { workspaceId, deliveryId: r.id });
    }
    return rows.length;
  });
}
