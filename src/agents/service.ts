// Agents (the people who answer customers), their roles, and teams.
import { sql } from 'kysely';
import type { AgentRow } from '../db/schema.ts';
import { canGrantRole } from '../domain/roles.ts';
import type { Role } from '../domain/roles.ts';
import { diff, recordAudit } from '../audit/store.ts';
import { hashPassword } from '../auth/secrets.ts';
import { forgetCachedPrincipals } from '../auth/store.ts';
import type { Locale } from '../customers/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { conflict, forbidden, notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { teamAssignmentColumns, teamAssignmentOf } from '../assignment/service.ts';
import { queueFill } from '../assignment/fill.ts';
import type { TeamAssignment } from '../assignment/service.ts';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Locale;
  active: boolean;
  teamIds: string[];
  createdAt: string;
}

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  /** How the team's tickets are assigned: manual, round_robin or load_balanced, and to whom. */
  assignment: TeamAssignment;
  createdAt: string;
}

function toAgent(row: AgentRow, teamIds: string[]): Agent {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    locale: row.locale as Locale,
    active: row.active,
    teamIds,
    createdAt: row.created_at.toISOString(),
  };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

async function teamIdsByAgent(ctx: WorkspaceContext, agentIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (agentIds.length === 0) return map;
  const rows = await ctx.db
    .selectFrom('team_members')
    .select(['agent_id', 'team_id'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('agent_id', 'in', agentIds)
    .execute();
  for (const r of rows) map.set(r.agent_id, [...(map.get(r.agent_id) ?? []), r.team_id]);
  return map;
}

export async function listAgents(ctx: WorkspaceContext): Promise<Agent[]> {
  const rows = await ctx.db.selectFrom('agents').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('name').execute();
  const teams = await teamIdsByAgent(ctx, rows.map((r) => r.id));
  return rows.map((r) => toAgent(r, teams.get(r.id) ?? []));
}

export async function getAgent(ctx: WorkspaceContext, id: string): Promise<Agent> {
  const row = await ctx.db
    .selectFrom('agents')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Agent');
  return toAgent(row, (await teamIdsByAgent(ctx, [id])).get(id) ?? []);
}

export async function createAgent(
  ctx: WorkspaceContext,
  input: { email: string; name: string; role: Role; locale?: Locale; password?: string },
): Promise<Agent> {
  if (!canGrantRole(ctx.actor.role, input.role)) throw forbidden(`A ${ctx.actor.role} cannot create an ${input.role}`);
  const id = newId();
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    await ctx.db
      .insertInto('agents')
      .values({
        id,
        workspace_id: ctx.workspaceId,
        email: input.email.toLowerCase(),
        name: input.name,
        role: input.role,
        locale: input.locale ?? 'en',
        password_hash: passwordHash,
      })
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('An agent with this e-mail already exists in this workspace');
    throw error;
  }
  await recordAudit(ctx.db, ctx.workspaceId, ctx.actor, {
    action: 'agent.created',
    entityType: 'agent',
    entityId: id,
    changes: { email: input.email, role: input.role },
  });
  return getAgent(ctx, id);
}

export async function updateAgent(
  ctx: WorkspaceContext,
  id: string,
  input: { name?: string; role?: Role; locale?: Locale; active?: boolean; password?: string },
): Promise<Agent> {
  const before = await getAgent(ctx, id);
  // Only an owner manages owners: otherwise an admin could reset an owner's password and sign
  // in as them, or deactivate them.
  if (!canGrantRole(ctx.actor.role, before.role)) throw forbidden(`A ${ctx.actor.role} cannot change an ${before.role}`);
  if (input.role && !canGrantRole(ctx.actor.role, input.role)) {
    throw forbidden(`A ${ctx.actor.role} cannot change this agent's role to ${input.role}`);
  }
  if (before.role === 'owner' && (input.role !== undefined && input.role !== 'owner' || input.active === false)) {
    const owners = await ctx.db
      .selectFrom('agents')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('workspace_id', '=', ctx.workspaceId)
      .where('role', '=', 'owner')
      .where('active', '=', true)
      .executeTakeFirstOrThrow();
    if (owners.n <= 1) throw unprocessable('A workspace keeps at least one active owner');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('agents')
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.role !== undefined ? { role: input.role } : {}),
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        ...(passwordHash ? { password_hash: passwordHash } : {}),
        updated_at: new Date(),
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', id)
      .execute();
    if (input.active === false) {
      await tx.deleteFrom('sessions').where('workspace_id', '=', ctx.workspaceId).where('agent_id', '=', id).execute();
    }
    const { password: _password, ...visible } = input;
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'agent.updated',
      entityType: 'agent',
      entityId: id,
      changes: { ...diff(before as unknown as Record<string, unknown>, visible), ...(passwordHash ? { password: 'changed' } : {}) },
    });
  });
  // A role or an active flag changed: this process's cached principals must not outlive it.
  forgetCachedPrincipals();
  return getAgent(ctx, id);
}

export async function listTeams(ctx: WorkspaceContext): Promise<Team[]> {
  const teams = await ctx.db.selectFrom('teams').selectAll().where('workspace_id', '=', ctx.workspaceId).orderBy('name').execute();
  const members = await ctx.db
    .selectFrom('team_members')
    .select(['team_id', 'agent_id'])
    .where('workspace_id', '=', ctx.workspaceId)
    .execute();
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    memberIds: members.filter((m) => m.team_id === t.id).map((m) => m.agent_id),
    assignment: teamAssignmentOf(t),
    createdAt: t.created_at.toISOString(),
  }));
}

async function getTeam(ctx: WorkspaceContext, id: string): Promise<Team> {
  const team = (await listTeams(ctx)).find((t) => t.id === id);
  if (!team) throw notFound('Team');
  return team;
}

export async function createTeam(
  ctx: WorkspaceContext,
  input: { name: string; memberIds?: string[]; assignment?: Partial<TeamAssignment> },
): Promise<Team> {
  const id = newId();
  try {
    await ctx.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('teams')
        .values({ id, workspace_id: ctx.workspaceId, name: input.name, ...teamAssignmentColumns(input.assignment ?? {}) })
        .execute();
      await setMembers({ ...ctx, db: tx }, id, input.memberIds ?? []);
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'team.created',
        entityType: 'team',
        entityId: id,
        changes: { name: input.name, memberIds: input.memberIds ?? [], ...(input.assignment ? { assignment: input.assignment } : {}) },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A team with this name already exists');
    throw error;
  }
  return getTeam(ctx, id);
}

async function setMembers(ctx: WorkspaceContext, teamId: string, memberIds: string[]): Promise<void> {
  const unique = [...new Set(memberIds)];
  if (unique.length) {
    const found = await ctx.db
      .selectFrom('agents')
      .select('id')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', 'in', unique)
      .execute();
    if (found.length !== unique.length) throw unprocessable('memberIds must all be agents of this workspace');
  }
  await ctx.db.deleteFrom('team_members').where('workspace_id', '=', ctx.workspaceId).where('team_id', '=', teamId).execute();
  if (unique.length) {
    await ctx.db
      .insertInto('team_members')
      .values(unique.map((agentId) => ({ workspace_id: ctx.workspaceId, team_id: teamId, agent_id: agentId })))
      .execute();
  }
}

export async function updateTeam(
  ctx: WorkspaceContext,
  id: string,
  input: { name?: string; memberIds?: string[]; assignment?: Partial<TeamAssignment> },
): Promise<Team> {
  const before = await getTeam(ctx, id);
  try {
    await ctx.db.transaction().execute(async (tx) => {
      const columns = { ...(input.name !== undefined ? { name: input.name } : {}), ...teamAssignmentColumns(input.assignment ?? {}) };
      if (Object.keys(columns).length) {
        await tx.updateTable('teams').set(columns).where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).execute();
      }
      if (input.memberIds !== undefined) await setMembers({ ...ctx, db: tx }, id, input.memberIds);
      if (input.memberIds !== undefined || input.assignment !== undefined) await queueFill(tx, ctx.workspaceId, { teamId: id });
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'team.updated',
        entityType: 'team',
        entityId: id,
        changes: diff(before as unknown as Record<string, unknown>, {
          ...input,
          ...(input.assignment ? { assignment: { ...before.assignment, ...input.assignment } } : {}),
        }),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A team with this name already exists');
    throw error;
  }
  return getTeam(ctx, id);
}

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface Preferences {
  locale: Locale;
  theme: Theme;
}

export async function getPreferences(ctx: WorkspaceContext, agentId: string): Promise<Preferences> {
  const row = await ctx.db
    .selectFrom('agents')
    .select(['locale', 'theme'])
    .where('workspace_id', '=', ctx.workspaceId)
    .where('id', '=', agentId)
    .executeTakeFirst();
  if (!row) throw notFound('Agent');
  return { locale: row.locale as Locale, theme: row.theme as Theme };
}

/** An agent's own language and theme: every agent may change these, whatever their role. */
export async function updatePreferences(ctx: WorkspaceContext, agentId: string, input: Partial<Preferences>): Promise<Preferences> {
  const before = await getPreferences(ctx, agentId);
  await ctx.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('agents')
      .set({
        ...(input.locale !== undefined ? { locale: input.locale } : {}),
        ...(input.theme !== undefined ? { theme: input.theme } : {}),
        updated_at: new Date(),
      })
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', agentId)
      .execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, {
      action: 'agent.preferences_updated',
      entityType: 'agent',
      entityId: agentId,
      changes: diff(before as unknown as Record<string, unknown>, input),
    });
  });
  return getPreferences(ctx, agentId);
}
