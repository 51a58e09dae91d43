// Canned responses: one response with a version per language, variables filled per ticket.
// Unknown variables are refused when saving (422), never rendered as blanks later.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { diff, recordAudit } from '../audit/store.ts';
import { CANNED_LOCALES, pickLocale, renderTemplate, templateProblems } from '../domain/canned.ts';
import type { ApologyKind, CannedLocale } from '../domain/canned.ts';
import { actingAgentId } from '../shared/context.ts';
import type { Actor, WorkspaceContext } from '../shared/context.ts';
import { AppError, checkVersion, conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { APOLOGY_TEMPLATES } from './apologies.ts';

export type Bodies = Partial<Record<CannedLocale, string>>;

export interface CannedResponse {
  id: string;
  name: string;
  category: 'general' | 'apology';
  apologyFor: ApologyKind | null;
  bodies: Bodies;
  locales: CannedLocale[];
  createdAt: string;
  updatedAt: string;
  /** Goes up by one with every change; give it back when editing to be told of a newer one. */
  version: number;
}

export interface CannedResponseInput {
  name: string;
  category?: 'general' | 'apology';
  apologyFor?: ApologyKind | null;
  bodies: Bodies;
}

type Row = NonNullable<Awaited<ReturnType<typeof findRow>>>;
function findRow(db: Kysely<DB>, workspaceId: string, id: string) {
  return db.selectFrom('canned_responses').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

function toCanned(row: Row): CannedResponse {
  const bodies = row.bodies as Bodies;
  return {
    id: row.id,
    name: row.name,
    category: row.category as CannedResponse['category'],
    apologyFor: row.apology_for as ApologyKind | null,
    bodies,
    locales: CANNED_LOCALES.filter((l) => bodies[l] !== undefined),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: row.version,
  };
}

/** Refuses a response whose versions use unknown variables, naming each one and its language. */
function checkBodies(bodies: Bodies): Bodies {
  const clean: Bodies = {};
  const problems: string[] = [];
  for (const l of CANNED_LOCALES) {
    const body = bodies[l];
    if (body === undefined) continue;
    for (const p of templateProblems(body)) problems.push(`${l}: ${p}`);
    clean[l] = body;
  }
  if (Object.keys(clean).length === 0) throw new AppError(422, 'unprocessable', 'A canned response needs at least one language version');
  if (problems.length) throw new AppError(422, 'unprocessable', `The response cannot be saved: ${problems.join('; ')}`, { problems });
  return clean;
}

function uniqueName(error: unknown, name: string): never {
  if ((error as { code?: string } | null)?.code === '23505') throw conflict(`A canned response named "${name}" exists already`);
  throw error;
}

export async function listCanned(ctx: WorkspaceContext, filter: { category?: string; apologyFor?: string } = {}): Promise<CannedResponse[]> {
  let q = ctx.db.selectFrom('canned_responses').selectAll().where('workspace_id', '=', ctx.workspaceId);
  if (filter.category) q = q.where('category', '=', filter.category);
  if (filter.apologyFor) q = q.where('apology_for', '=', filter.apologyFor);
  return (await q.orderBy('name').execute()).map(toCanned);
}

export async function getCanned(ctx: WorkspaceContext, id: string): Promise<CannedResponse> {
  const row = await findRow(ctx.db, ctx.workspaceId, id);
  if (!row) throw notFound('Canned response');
  return toCanned(row);
}

async function insertCanned(tx: Kysely<DB>, workspaceId: string, actor: Actor, input: CannedResponseInput, at: Date): Promise<string> {
  const bodies = checkBodies(input.bodies);
  const id = newId();
  const category = input.apologyFor ? 'apology' : (input.category ?? 'general');
  await tx
    .insertInto('canned_responses')
    .values({ id, workspace_id: workspaceId, name: input.name, category, apology_for: input.apologyFor ?? null, bodies: JSON.stringify(bodies), created_at: at, updated_at: at })
    .execute();
  await recordAudit(tx, workspaceId, actor, { action: 'canned_response.created', entityType: 'canned_response', entityId: id, changes: { name: input.name, locales: Object.keys(bodies) } });
  return id;
}

export async function createCanned(ctx: WorkspaceContext, input: CannedResponseInput, at = new Date()): Promise<CannedResponse> {
  const id = await ctx.db
    .transaction()
    .execute((tx) => insertCanned(tx, ctx.workspaceId, ctx.actor, input, at))
    .catch((e: unknown) => uniqueName(e, input.name));
  return getCanned(ctx, id);
}

export async function updateCanned(
  ctx: WorkspaceContext,
  id: string,
  change: Partial<CannedResponseInput> & { version?: number | undefined },
  at = new Date(),
): Promise<CannedResponse> {
  const { version, ...input } = change;
  await ctx.db
    .transaction()
    .execute(async (tx) => {
      const row = await tx.selectFrom('canned_responses').selectAll().where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();
      if (!row) throw notFound('Canned response');
      checkVersion('canned response', version, row.version);
      const before = toCanned(row);
      // Versions given replace those languages; a language set to "" is removed.
      let bodies: Bodies | undefined;
      if (input.bodies) {
        const merged: Bodies = { ...before.bodies };
        for (const l of CANNED_LOCALES) {
          const v = input.bodies[l];
          if (v === undefined) continue;
          if (v === '') delete merged[l];
          else merged[l] = v;
        }
        bodies = checkBodies(merged);
      }
      const apologyFor = input.apologyFor !== undefined ? input.apologyFor : before.apologyFor;
      await tx
        .updateTable('canned_responses')
        .set({
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.category !== undefined || input.apologyFor !== undefined ? { category: apologyFor ? 'apology' : (input.category ?? before.category) } : {}),
          ...(input.apologyFor !== undefined ? { apology_for: input.apologyFor } : {}),
          ...(bodies ? { bodies: JSON.stringify(bodies) } : {}),
          updated_at: at,
          version: row.version + 1,
        })
        .where('workspace_id', '=', ctx.workspaceId)
        .where('id', '=', id)
        .execute();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'canned_response.updated',
        entityType: 'canned_response',
        entityId: id,
        changes: diff({ name: before.name, category: before.category, apologyFor: before.apologyFor, bodies: before.bodies }, { ...input, ...(bodies ? { bodies } : {}) } as Record<string, unknown>),
      });
    })
    .catch((e: unknown) => uniqueName(e, input.name ?? ''));
  return getCanned(ctx, id);
}

export async function deleteCanned(ctx: WorkspaceContext, id: string): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    const row = await findRow(tx, ctx.workspaceId, id);
    if (!row) throw notFound('Canned response');
    await tx.deleteFrom('canned_responses').where('workspace_id', '=', ctx.workspaceId).where('id', '=', id).execute();
    await recordAudit(tx, ctx.workspaceId, ctx.actor, { action: 'canned_response.deleted', entityType: 'canned_response', entityId: id, changes: { name: row.name } });
  });
}

export interface RenderedResponse {
  cannedResponseId: string;
  name: string;
  locale: CannedLocale;
  text: string;
  /** Variables with no value for this ticket (rendered as nothing). */
  missing: string[];
}

/** Renders a response for a ticket: in the customer's language (or `locale`), English as fallback. */
export async function renderForTicket(
  db: Kysely<DB>,
  workspaceId: string,
  actor: Actor,
  responseId: string,
  ticketId: string,
  locale?: CannedLocale,
): Promise<RenderedResponse> {
  const ticket = await db
    .selectFrom('tickets')
    .innerJoin('customers', 'customers.id', 'tickets.customer_id')
    .select(['tickets.id', 'tickets.number', 'tickets.subject', 'tickets.assignee_id', 'customers.name', 'customers.email', 'customers.locale'])
    .where('tickets.workspace_id', '=', workspaceId)
    .where('tickets.id', '=', ticketId)
    .executeTakeFirst();
  if (!ticket) throw notFound('Ticket');
  const row = await findRow(db, workspaceId, responseId);
  if (!row) throw notFound('Canned response');
  const response = toCanned(row);
  const chosen = pickLocale(response.locales, locale ?? ticket.locale) as CannedLocale;
  // The agent writing is the acting agent, or else the ticket's assignee.
  const agentId = actingAgentId(actor) ?? ticket.assignee_id;
  const agent = agentId
    ? await db.selectFrom('agents').select('name').where('workspace_id', '=', workspaceId).where('id', '=', agentId).executeTakeFirst()
    : undefined;
  const rendered = renderTemplate(response.bodies[chosen] ?? '', {
    'customer.name': ticket.name,
    'customer.email': ticket.email,
    'ticket.id': ticket.id,
    'ticket.number': ticket.number,
    'ticket.subject': ticket.subject,
    'agent.name': agent?.name ?? null,
  });
  return { cannedResponseId: response.id, name: response.name, locale: chosen, ...rendered };
}

/** The ready set of apology templates, in English, Greek and Arabic, for a new workspace. */
export async function seedApologyTemplates(tx: Kysely<DB>, workspaceId: string, at = new Date()): Promise<void> {
  const system: Actor = { type: 'system', id: null, role: 'owner' };
  for (const t of APOLOGY_TEMPLATES) {
    await insertCanned(tx, workspaceId, system, { name: t.name, apologyFor: t.apologyFor, bodies: t.bodies }, at);
  }
}
