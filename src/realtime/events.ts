// Publishing realtime events. Services call these with the transaction that made the change:
// the event is a PostgreSQL NOTIFY, sent right after that transaction commits and never if it
// rolls back (src/db/after-commit.ts: a NOTIFY inside the transaction would serialise every
// publishing commit) — so no agent ever hears of a change that was rolled back, and every
// process listening on the database (see hub.ts) hears of every committed change.
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { AFTER_COMMIT_NOTIFY } from '../db/after-commit.ts';
import type { DB } from '../db/schema.ts';
import type { Permission } from '../domain/roles.ts';
import { newId } from '../shared/ids.ts';

/** The one NOTIFY channel; the workspace travels in the payload and is filtered per socket. */
export const REALTIME_CHANNEL = 'truthdesk_realtime';

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; events carry ids, never bodies. */
export const MAX_PAYLOAD_BYTES = 7900;

export type EventValue = string | number | boolean | null | string[];

export interface RealtimeEvent {
  /** What happened, e.g. `ticket.created`, `ticket.updated`, `message.created`, `presence.changed`. */
  type: string;
  /** Ids and small facts (never message bodies): listeners fetch what they need. */
  data: Record<string, EventValue>;
  /** Only sockets whose role has this permission receive it (default `tickets:work`). */
  permission?: Permission;
  /** Only this agent's sockets receive it (a personal notification). */
  agentId?: string;
}

/** What every listener receives: the event with its workspace, a unique id and a time. */
export interface DeliveredEvent extends RealtimeEvent {
  id: string;
  workspaceId: string;
  at: string;
}

export class PayloadTooLargeError extends Error {
  constructor(type: string, bytes: number) {
    super(`Realtime event ${type} is ${bytes} bytes; NOTIFY takes under 8000 — send ids, not bodies`);
    this.name = 'PayloadTooLargeError';
  }
}

export function encodeEvent(workspaceId: string, event: RealtimeEvent, at: Date = new Date()): string {
  const delivered: DeliveredEvent = { id: newId(at), workspaceId, at: at.toISOString(), ...event };
  const payload = JSON.stringify(delivered);
  const bytes = Buffer.byteLength(payload, 'utf8');
  if (bytes > MAX_PAYLOAD_BYTES) throw new PayloadTooLargeError(event.type, bytes);
  return payload;
}

export function decodeEvent(payload: string): DeliveredEvent | undefined {
  try {
    const value = JSON.parse(payload) as Partial<DeliveredEvent>;
    if (typeof value.workspaceId !== 'string' || typeof value.type !== 'string' || typeof value.id !== 'string') return undefined;
    return { data: {}, ...value } as DeliveredEvent;
  } catch {
    return undefined;
  }
}

/**
 * Publishes with the caller's transaction: delivered to every process once it has committed
 * (sent by the database driver right after the COMMIT), dropped if it rolls back. This is the
 * one services use.
 */
export async function publishOnCommit(tx: Kysely<DB>, workspaceId: string, event: RealtimeEvent): Promise<void> {
  await tx.executeQuery(CompiledQuery.raw(AFTER_COMMIT_NOTIFY, [REALTIME_CHANNEL, encodeEvent(workspaceId, event)]));
}

/**
 * Publishes at once, for facts that live in no table (presence, typing). Outside a
 * transaction the NOTIFY is its own statement and leaves immediately.
 */
export async function publish(db: Kysely<DB>, workspaceId: string, event: RealtimeEvent): Promise<void> {
  await sql`SELECT pg_notify(${REALTIME_CHANNEL}, ${encodeEvent(workspaceId, event)})`.execute(db);
}
