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

/**
 * Principals recently read, per database, so a client sending many requests is looked up once a
 * second instead of once a request (a query and a round trip on every API call). Safe because
 * everything that can take access away in this process — revoking a token, signing out,
 * changing or deactivating an agent — calls forgetCachedPrincipals() once it has committed, and a
 * session's expiry is checked on every hit. Another API process on the same database notices
 * such a change within PRINCIPAL_CACHE_MS, its next lookup.
 */
export const PRINCIPAL_CACHE_MS = 1_000;
const PRINCIPAL_CACHE_MAX = 10_000;

interface CachedPrincipal {
  principal: TokenPrincipal | SessionPrincipal;
  /** When this entry stops being used (the cache time, or a session's expiry if sooner). */
  until: number;
  generation: number;
}

const principalCaches = new WeakMap<Kysely<DB>, Map<string, CachedPrincipal>>();
let generation = 0;

/** Forgets every cached principal of this process: call after committing a change to access. */
export function forgetCachedPrincipals(): void {
  generation++;
}

async function cachedPrincipal<P extends TokenPrincipal | SessionPrincipal>(
  db: Kysely<DB>,
  key: string,
  load: (tokenHash: string) => Promise<{ principal: P | undefined; expiresAt?: Date }>,
): Promise<P | undefined> {
  let cache = principalCaches.get(db);
  if (!cache) {
    cache = new Map();
    principalCaches.set(db, cache);
  }
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && hit.generation === generation && hit.until > now) return hit.principal as P;
  // The generation as it was before reading: a change committed meanwhile makes the entry stale.
  const readAt = generation;
  const { principal, expiresAt } = await load(key.slice(2));
  // Only access is remembered: an unknown credential is looked up again each time (a token or
  // session made a moment ago by another process must work at once).
  if (!principal) return undefined;
  if (cache.size >= PRINCIPAL_CACHE_MAX) {
    for (const [k, entry] of cache) if (entry.until <= now || entry.generation !== generation) cache.delete(k);
    if (cache.size >= PRINCIPAL_CACHE_MAX) cache.clear();
  }
  cache.delete(key);
  cache.set(key, { principal, until: Math.min(now + PRINCIPAL_CACHE_MS, expiresAt?.getTime() ?? Infinity), generation: readAt });
  return principal;
}

export function findTokenPrincipal(db: Kysely<DB>, token: string): Promise<TokenPrincipal | undefined> {
  return cachedPrincipal(db, `t:${hashSecret(token)}`, async (hash) => ({ principal: await readTokenPrincipal(db, hash) }));
}

export function findSessionPrincipal(db: Kysely<DB>, token: string): Promise<SessionPrincipal | undefined> {
  return cachedPrincipal(db, `s:${hashSecret(token)}`, (hash) => readSessionPrincipal(db, hash));
}

async function readTokenPrincipal(db: Kysely<DB>, tokenHash: string): Promise<TokenPrincipal | undefined> {
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
    .where('api_tokens.token_hash', '=', tokenHash)
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

async function readSessionPrincipal(db: Kysely<DB>, tokenHash: string): Promise<{ principal: SessionPrincipal | undefined; expiresAt?: Date }> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('agents', (join) =>
      join.onRef('agents.id', '=', 'sessions.agent_id').onRef('agents.workspace_id', '=', 'sessions.workspace_id'),
    )
    .select(['sessions.id', 'sessions.workspace_id', 'sessions.expires_at', 'agents.role', 'agents.id as agent_id'])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.expires_at', '>', new Date())
    .where('agents.active', '=', true)
    .executeTakeFirst();
  if (!row) return { principal: undefined };
  return {
    principal: {
      kind: 'session',
      sessionId: row.id,
      workspaceId: row.workspace_id,
      role: row.role as Role,
      agentId: row.agent_id,
    },
    expiresAt: row.expires_at,
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
