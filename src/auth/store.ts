// SQL for API tokens and sign-in sessions.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Role } from '../domain/roles.ts';
import { newId } from '../shared/ids.ts';
import { hashSecret, newSecret } from './secrets.ts';

export interface TokenPrincipal {
  kind: 'token';
  tokenId: string;
  workspaceId: string;
  role: Role;
  agentId: string | null;
}
export interface SessionPrincipal {
  kind: 'session';
  sessionId: string;
  workspaceId: string;
  role: Role;
  agentId: string;
}

export async function findTokenPrincipal(db: Kysely<DB>, token: string): Promise<TokenPrincipal | undefined> {
  // A token made by an agent dies with that agent's access: deactivating them stops it too.
  const row = await db
    .selectFrom('api_tokens')
    .leftJoin('agents', (join) =>
      join.onRef('agents.id', '=', 'api_tokens.created_by').onRef('agents.workspace_id', '=', 'api_tokens.workspace_id'),
    )
    .select([
      'api_tokens.id',
      'api_tokens.workspace_id',
      'api_tokens.role',
      'api_tokens.created_by',
      'api_tokens.last_used_at',
    ])
    .where('api_tokens.token_hash', '=', hashSecret(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.created_by', 'is', null), eb('agents.active', '=', true)]))
    .executeTakeFirst();
  if (!row) return undefined;
  // "Last used" is shown to admins to spot stale tokens; hourly precision spares a write per request.
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > 3_600_000) {
    await db.updateTable('api_tokens').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return { kind: 'token', tokenId: row.id, workspaceId: row.workspace_id, role: row.role as Role, agentId: row.created_by };
}

export async function findSessionPrincipal(db: Kysely<DB>, token: string): Promise<SessionPrincipal | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('agents', (join) =>
      join.onRef('agents.id', '=', 'sessions.agent_id').onRef('agents.workspace_id', '=', 'sessions.workspace_id'),
    )
    .select(['sessions.id', 'sessions.workspace_id', 'agents.role', 'agents.id as agent_id'])
    .where('sessions.token_hash', '=', hashSecret(token))
    .where('sessions.expires_at', '>', new Date())
    .where('agents.active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    kind: 'session',
    sessionId: row.id,
    workspaceId: row.workspace_id,
    role: row.role as Role,
    agentId: row.agent_id,
  };
}

export interface CreatedToken {
  id: string;
  name: string;
  role: Role;
  /** Shown once; only its hash is kept. */
  token: string;
  createdAt: Date;
}

export async function insertToken(
  db: Kysely<DB>,
  workspaceId: string,
  input: { name: string; role: Role; createdBy: string | null; token?: string },
): Promise<CreatedToken> {
  const token = input.token ?? newSecret('td_');
  const row = await db
    .insertInto('api_tokens')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      name: input.name,
      role: input.role,
      token_hash: hashSecret(token),
      created_by: input.createdBy,
    })
    .returning(['id', 'name', 'role', 'created_at'])
    .executeTakeFirstOrThrow();
  return { id: row.id, name: row.name, role: row.role as Role, token, createdAt: row.created_at };
}

export const SESSION_DAYS = 14;

export async function insertSession(db: Kysely<DB>, workspaceId: string, agentId: string): Promise<string> {
  const token = newSecret('tds_');
  await db
    .insertInto('sessions')
    .values({
      id: newId(),
      workspace_id: workspaceId,
      agent_id: agentId,
      token_hash: hashSecret(token),
      expires_at: new Date(Date.now() + SESSION_DAYS * 86_400_000),
    })
    .execute();
  return token;
}
