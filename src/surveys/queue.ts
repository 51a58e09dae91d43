// Queuing survey jobs inside the caller's transaction (the workers are in jobs.ts).
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from '../jobs/index.ts';
import type { Tx } from '../shared/context.ts';

declare module '../jobs/registry.ts' {
  interface JobTypes {
    'surveys.dispatch': { workspaceId: string; invitationId: string };
    'surveys.sweep': Record<string, never>;
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

