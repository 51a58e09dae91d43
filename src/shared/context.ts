import type { Kysely, Transaction } from 'kysely';
import type { Role } from '../domain/roles.ts';
import type { DB } from '../db/schema.ts';

/** Who is acting: an agent signed in, an API token, or TruthDesk itself. */
export type Actor =
  | { type: 'agent'; id: string; role: Role }
  | { type: 'token'; id: string; role: Role; agentId: string | null }
  | { type: 'system'; id: null; role: Role };

/** Every use case runs inside one workspace; services never see another's rows. */
export interface WorkspaceContext {
  db: Kysely<DB>;
  workspaceId: string;
  actor: Actor;
}

export type Tx = Transaction<DB>;

/** The agent behind the actor, for "me" filters and message authorship. */
export function actingAgentId(actor: Actor): string | null {
  if (actor.type === 'agent') return actor.id;
  if (actor.type === 'token') return actor.agentId;
  return null;
}
