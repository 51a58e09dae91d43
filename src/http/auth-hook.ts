// Resolves the caller of a protected route to a workspace and a role, and checks the route's
// permission. A bearer API token wins over the session cookie.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findSessionPrincipal, findTokenPrincipal } from '../auth/store.ts';
import { can } from '../domain/roles.ts';
import type { Permission } from '../domain/roles.ts';
import { forbidden, unauthorized } from '../shared/errors.ts';
import type { Actor, WorkspaceContext } from '../shared/context.ts';

export const SESSION_COOKIE = 'td_session';

export async function authenticate(
  app: FastifyInstance,
  request: FastifyRequest,
  access: Permission | 'authenticated',
): Promise<WorkspaceContext> {
  const db = app.database.db;
  const header = request.headers.authorization;
  let actor: Actor | undefined;
  let workspaceId: string | undefined;
  if (header !== undefined && /^Basic\s/i.test(header) && access === 'events:write') {
    // Segment's convention: the workspace's write key is the Basic-auth user name.
    const decoded = Buffer.from(header.replace(/^Basic\s+/i, ''), 'base64').toString('utf8');
    const writeKey = decoded.split(':')[0] ?? '';
    const workspace = writeKey
      ? await db.selectFrom('workspaces').select('id').where('write_key', '=', writeKey).executeTakeFirst()
      : undefined;
    if (!workspace) throw unauthorized('This write key is unknown');
    return { db, workspaceId: workspace.id, actor: { type: 'system', id: null, role: 'admin' } };
  }
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthorized('Authorization must be "Bearer <API token>"');
    const principal = await findTokenPrincipal(db, match[1]);
    if (!principal) throw unauthorized('This API token is unknown or revoked');
    actor = { type: 'token', id: principal.tokenId, role: principal.role, agentId: principal.agentId };
    workspaceId = principal.workspaceId;
  } else {
    const cookie = request.cookies[SESSION_COOKIE];
    const principal = cookie ? await findSessionPrincipal(db, cookie) : undefined;
    if (!principal) throw unauthorized();
    actor = { type: 'agent', id: principal.agentId, role: principal.role };
    workspaceId = principal.workspaceId;
  }
  if (access !== 'authenticated' && !can(actor.role, access)) {
    throw forbidden(`The ${actor.role.replace('_', ' ')} role cannot do this (needs ${access})`);
  }
  return { db, workspaceId, actor };
}
