// Sign-in and API tokens.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Role } from '../domain/roles.ts';
import { canGrantRole } from '../domain/roles.ts';
import { recordAudit } from '../audit/store.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { actingAgentId } from '../shared/context.ts';
import { forbidden, notFound, tooManyRequests, unauthorized } from '../shared/errors.ts';
import { DUMMY_PASSWORD_HASH, hashSecret, verifyPassword } from './secrets.ts';
import { forgetCachedPrincipals, insertSession, insertToken } from './store.ts';
import { clearSignInFailures, recordSignInFailure, signInLockedUntil } from './throttle.ts';
import type { CreatedToken } from './store.ts';

/**
 * Signs an agent in by e-mail and password. An e-mail may belong to agents of several
 * workspaces; `workspace` (slug) picks one, else the first whose password matches.
 * Too many wrong passwords lock the e-mail (from that address, or from everywhere) for a
 * while: locked, even the right password is refused with 429 and Retry-After.
 */
export async function signIn(
  db: Kysely<DB>,
  input: { email: string; password: string; workspace?: string },
  client: { address: string; at: Date },
): Promise<{ sessionToken: string; agentId: string; workspaceId: string }> {
  const attempt = { email: input.email, address: client.address };
  const locked = await signInLockedUntil(db, attempt, client.at);
  if (locked) {
    throw tooManyRequests(
      'Too many wrong passwords for this e-mail; try again later',
      (locked.getTime() - client.at.getTime()) / 1000,
    );
  }
  let q = db
    .selectFrom('agents')
    .innerJoin('workspaces', 'workspaces.id', 'agents.workspace_id')
    .select(['agents.id', 'agents.workspace_id', 'agents.password_hash', 'agents.role'])
    .where((eb) => eb(eb.fn('lower', ['agents.email']), '=', input.email.toLowerCase()))
    .where('agents.active', '=', true);
  if (input.workspace) q = q.where('workspaces.slug', '=', input.workspace);
  const candidates = await q.orderBy('agents.workspace_id').execute();
  for (const agent of candidates) {
    if (agent.password_hash && (await verifyPassword(input.password, agent.password_hash))) {
      await clearSignInFailures(db, attempt);
      const sessionToken = await insertSession(db, agent.workspace_id, agent.id);
      await recordAudit(db, agent.workspace_id, { type: 'agent', id: agent.id, role: agent.role as Role }, {
        action: 'agent.signed_in',
        entityType: 'agent',
        entityId: agent.id,
      });
      return { sessionToken, agentId: agent.id, workspaceId: agent.workspace_id };
    }
  }
  if (candidates.length === 0) await verifyPassword(input.password, DUMMY_PASSWORD_HASH);
  // Unknown e-mails count too, so probing which e-mails exist costs the same as guessing.
  await recordSignInFailure(db, attempt, client.at);
  throw unauthorized('The e-mail or password is wrong');
}

export async function signOut(db: Kysely<DB>, sessionToken: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashSecret(sessionToken)).execute();
  forgetCachedPrincipals();
}

export interface TokenInfo {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export async function listTokens(ctx: WorkspaceContext): Promise<TokenInfo[]> {
  const rows = await ctx.db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at'])
    .where('workspace_id', '=', ctx.workspaceId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role as Role,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at?.toISOString() ?? null,
    revokedAt: r.revoked_at?.toISOString() ?? null,
  }));
}

export async function createToken(ctx: WorkspaceContext, input: { name: string; role: Role; token?: string }): Promise<CreatedToken> {
  if (!canGrantRole(ctx.actor.role, input.role)) throw forbidden(`A ${ctx.actor.role} cannot create an ${input.role} token`);
  return ctx.db.transaction().execute(async (tx) => {
    const created = await insertToken(tx, ctx.workspaceId, { ...input, createdBy: actingAgentId(ctx.actor) });
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'token.created',
      entityType: 'api_token',
      entityId: created.id,
      changes: { name: input.name, role: input.role },
    });
    return created;
  });
}

export async function revokeToken(ctx: WorkspaceContext, id: string): Promise<void> {
  const token = await ctx.db
    .selectFrom('api_tokens')
    .select('role')
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!token) throw notFound('Active API token');
  // Only an owner revokes owner tokens (such as the TRUTHDESK_ADMIN_TOKEN automation uses).
  if (!canGrantRole(ctx.actor.role, token.role as Role)) throw forbidden(`A ${ctx.actor.role} cannot revoke an ${token.role} token`);
  const result = await ctx.db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  forgetCachedPrincipals();
  if (result.numUpdatedRows === 0n) throw notFound('Active API token');
  await recordAudit(ctx.db, ctx.workspaceId, ctx.actor, { action: 'token.revoked', entityType: 'api_token', entityId: id });
}

/**
 * TRUTHDESK_ADMIN_TOKEN: makes the given secret an owner token of the first workspace, once.
 * Restarting with the same secret changes nothing.
 */
export async function ensureBootstrapToken(db: Kysely<DB>, workspaceId: string, secret: string): Promise<boolean> {
  const existing = await db.selectFrom('api_tokens').select('id').where('token_hash', '=', hashSecret(secret)).executeTakeFirst();
  if (existing) return false;
  await insertToken(db, workspaceId, { name: 'TRUTHDESK_ADMIN_TOKEN', role: 'owner', createdBy: null, token: secret });
  return true;
}
