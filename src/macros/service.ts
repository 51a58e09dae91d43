// Macros: a named set of ticket changes applied in one click, in one transaction — the fields
// (status, priority, assignee, team, tags) as one update, then an internal note and a canned
// reply rendered in the customer's language. Either everything applies or nothing does.
import { sql } from 'kysely';
import { z } from 'zod';
import { recordAudit } from '../audit/store.ts';
import { renderForTicket } from '../canned/service.ts';
import { actingAgentId } from '../shared/context.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { AppError, checkVersion, notFound, unprocessable } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { addMessage, getTicket, updateTicket } from '../tickets/service.ts';
import { agentInWorkspace, teamInWorkspace } from '../tickets/store.ts';
import type { Ticket, UpdateTicketInput } from '../tickets/service.ts';

const tag = z.string().trim().min(1).max(50);
export const macroActions = z
  .strictObject({
    status: z.enum(['open', 'pending', 'on_hold', 'solved']).optional(),
    priority: z.enum(['low', 'normal', 'high', 'urgent']).optional(),
    /** An agent's id, "me" (whoever applies it) or null (unassign). */
    assignee: z.union([z.literal('me'), z.uuid(), z.null()]).optional(),
    teamId: z.uuid().nullable().optional(),
    addTags: z.array(tag).max(20).optional(),
    removeTags: z.array(tag).max(20).optional(),
    note: z.string().trim().min(1).max(5000).optional(),
    cannedResponseId: z.uuid().optional(),
  })
  .refine((a) => Object.values(a).some((v) => v !== undefined), 'a macro must do something');
export type MacroActions = z.infer<typeof macroActions>;

export interface Macro {
  id: string;
  name: string;
  actions: MacroActions;
  active: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

type Row = { id: string; name: string; actions: unknown; active: boolean; version: number; created_at: Date; updated_at: Date };
const toMacro = (r: Row): Macro => ({
  id: r.id,
  name: r.name,
  actions: macroActions.parse(r.actions),
  active: r.active,
  version: r.version,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

const duplicate = (error: unknown) => {
  if ((error as { code?: string }).code === '23505') throw new AppError(409, 'conflict', 'A macro with this name already exists');
  throw error;
};

export async function listMacros(ctx: WorkspaceContext, activeOnly: boolean): Promise<Macro[]> {
  const rows = await sql<Row>`
    SELECT * FROM macros WHERE workspace_id = ${ctx.workspaceId} ${activeOnly ? sql`AND active` : sql``} ORDER BY lower(name)`.execute(ctx.db);
  return rows.rows.map(toMacro);
}

async function findMacro(ctx: WorkspaceContext, id: string): Promise<Macro> {
  const row = (await sql<Row>`SELECT * FROM macros WHERE workspace_id = ${ctx.workspaceId} AND id = ${id}`.execute(ctx.db)).rows[0];
  if (!row) throw notFound('Macro');
  return toMacro(row);
}

/**
 * The agent, team and canned reply a macro names must be this workspace's, as for a ticket's
 * own fields: otherwise a workspace could keep another's ids in its macros (422, as tickets do).
 */
async function checkReferences(ctx: WorkspaceContext, actions: MacroActions): Promise<void> {
  if (actions.assignee && actions.assignee !== 'me' && !(await agentInWorkspace(ctx.db, ctx.workspaceId, actions.assignee))) {
    throw unprocessable('actions.assignee is not an active agent of this workspace');
  }
  if (actions.teamId && !(await teamInWorkspace(ctx.db, ctx.workspaceId, actions.teamId))) {
    throw unprocessable('actions.teamId is not a team of this workspace');
  }
  if (actions.cannedResponseId) {
    const canned = await ctx.db
      .selectFrom('canned_responses')
      .select('id')
      .where('workspace_id', '=', ctx.workspaceId)
      .where('id', '=', actions.cannedResponseId)
      .executeTakeFirst();
    if (!canned) throw unprocessable('actions.cannedResponseId is not a canned response of this workspace');
  }
}

export async function createMacro(ctx: WorkspaceContext, input: { name: string; actions: MacroActions; active?: boolean | undefined }): Promise<Macro> {
  await checkReferences(ctx, input.actions);
  const id = newId();
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      await sql`INSERT INTO macros (id, workspace_id, name, actions, active) VALUES (${id}, ${ctx.workspaceId}, ${input.name}, ${JSON.stringify(input.actions)}::jsonb, ${input.active ?? true})`.execute(tx);
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'macro.created', entityType: 'macro', entityId: id, changes: { name: input.name } });
    })
    .catch(duplicate);
  return findMacro(ctx, id);
}

export async function updateMacro(
  ctx: WorkspaceContext,
  id: string,
  input: { name?: string | undefined; actions?: MacroActions | undefined; active?: boolean | undefined; version?: number | undefined },
): Promise<Macro> {
  if (input.actions) await checkReferences(ctx, input.actions);
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      const row = (await sql<Row>`SELECT * FROM macros WHERE workspace_id = ${ctx.workspaceId} AND id = ${id} FOR UPDATE`.execute(tx)).rows[0];
      if (!row) throw notFound('Macro');
      checkVersion('macro', input.version, row.version);
      await sql`
        UPDATE macros SET name = ${input.name ?? row.name}, actions = ${JSON.stringify(input.actions ?? row.actions)}::jsonb,
          active = ${input.active ?? row.active}, version = version + 1, updated_at = now()
        WHERE workspace_id = ${ctx.workspaceId} AND id = ${id}`.execute(tx);
      await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'macro.updated', entityType: 'macro', entityId: id, changes: { name: input.name ?? row.name } });
    })
    .catch(duplicate);
  return findMacro(ctx, id);
}

export async function deleteMacro(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const gone = await sql`DELETE FROM macros WHERE workspace_id = ${ctx.workspaceId} AND id = ${id}`.execute(tx);
    if (!gone.numAffectedRows) throw notFound('Macro');
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'macro.deleted', entityType: 'macro', entityId: id, changes: {} });
  });
}

/** Applies a macro to a ticket; a stale `version` (If-Match) is refused with 409, as for edits. */
export async function applyMacro(ctx: WorkspaceContext, ticketId: string, macroId: string, expectedVersion?: number): Promise<Ticket> {
  const macro = await findMacro(ctx, macroId);
  if (!macro.active) throw unprocessable('This macro is switched off');
  const a = macro.actions;
  await ctx.db.transaction().execute(async (tx) => {
    const inTx: WorkspaceContext = { ...ctx, db: tx };
    const before = await getTicket(inTx, ticketId);
    checkVersion('ticket', expectedVersion, before.version);
    const change: UpdateTicketInput = {};
    if (a.status) change.status = a.status;
    if (a.priority) change.priority = a.priority;
    if (a.assignee !== undefined) {
      const me = actingAgentId(ctx.actor);
      if (a.assignee === 'me' && !me) throw unprocessable('This macro assigns the ticket to whoever applies it: apply it as an agent');
      change.assigneeId = a.assignee === 'me' ? me : a.assignee;
    }
    if (a.teamId !== undefined) change.teamId = a.teamId;
    if (a.addTags || a.removeTags) {
      const remove = new Set((a.removeTags ?? []).map((t) => t.toLowerCase()));
      const kept = before.tags.filter((t) => !remove.has(t.toLowerCase()));
      change.tags = [...new Set([...kept, ...(a.addTags ?? [])])];
    }
    // The reply first (it may reopen or answer), the field changes last, so the macro's status wins.
    if (a.cannedResponseId) {
      const rendered = await renderForTicket(tx, ctx.workspaceId, ctx.actor, a.cannedResponseId, ticketId);
      await addMessage(inTx, ticketId, { kind: 'reply', text: rendered.text });
    }
    if (a.note) await addMessage(inTx, ticketId, { kind: 'note', text: a.note });
    if (Object.keys(change).length > 0) await updateTicket(inTx, ticketId, change);
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'macro.applied', entityType: 'ticket', entityId: ticketId, changes: { macroId, name: macro.name } });
  });
  return getTicket(ctx, ticketId);
}
