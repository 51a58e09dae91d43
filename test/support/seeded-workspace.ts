// One workspace filled with a row of every kind a route with an id can name, shared by the
// isolation and authorisation-matrix tests: which of its ids fills a path parameter, and a valid
// body per write route, so a 404 or 403 can never be a validation error in disguise.
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { storeInbound } from '../../src/channels/email/index.ts';
import type { TestApi, TestWorkspace } from './api.ts';

export const SUBJECT_A = 'Zephyrine boiler leaks blue water';
export const ATTACHMENT_TEXT = 'invoice of workspace A, confidential';
export const ARTICLE_A = 'Zephyrine boiler: bleeding the radiators';

export async function ok(res: LightMyRequestResponse, status: number) {
  if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body}`);
  return res.json();
}

export interface WorkspaceAData {
  customerId: string;
  customerEmail: string;
  ticketId: string;
  messageIds: string[];
  attachmentId: string;
  agentId: string;
  teamId: string;
  tokenId: string;
  token: string;
  surveyId: string;
  slaPolicyId: string;
  cannedResponseId: string;
  compensationOptionId: string;
  macroId: string;
  /** Live chat, calls and mentions (realtime/channels). */
  channelIds: { widgets: string; calls: string; mentions: string };
  articleId: string;
  categoryId: string;
  supportAddressId: string;
  inboundEmailId: string;
  queueId: string;
  notificationId: string;
  /** Published reviews (A's mention is one) and review widgets. */
  reviewWidgetId: string;
}

/** Which of A's ids goes into a path parameter, by the path segment in front of it. */
export function idFor(a: WorkspaceAData, segment: string): string | undefined {
  const ids: Record<string, string | undefined> = {
    tickets: a.ticketId,
    customers: a.customerId,
    agents: a.agentId,
    teams: a.teamId,
    tokens: a.tokenId,
    attachments: a.attachmentId,
    messages: a.messageIds[1],
    surveys: a.surveyId,
    'sla-policies': a.slaPolicyId,
    'canned-responses': a.cannedResponseId,
    'compensation-options': a.compensationOptionId,
    macros: a.macroId,
    ...a.channelIds,
    articles: a.articleId,
    categories: a.categoryId,
    // Revision numbers count per article: revision 1 exists for every article of A.
    revisions: '1',
    addresses: a.supportAddressId,
    inbound: a.inboundEmailId,
    queues: a.queueId,
    notifications: a.notificationId,
    reviews: a.channelIds.mentions,
    'review-widgets': a.reviewWidgetId,
  };
  return ids[segment];
}

/** A plausible, valid body per write route, so a 404 cannot be a validation error in disguise. */
export function bodyFor(wsB: TestWorkspace, key: string): unknown {
  const bodies: Record<string, unknown> = {
    'PATCH /api/v1/tickets/:id': { subject: 'Taken over by B', priority: 'urgent', tags: ['hijacked'] },
    'POST /api/v1/tickets/:id/messages': {
      kind: 'reply',
      body: 'A reply written from workspace B',
      attachments: [{ filename: 'b.txt', contentType: 'text/plain', contentBase64: Buffer.from('from B').toString('base64') }],
    },
    'PATCH /api/v1/customers/:id': { name: 'Renamed by B', email: 'stolen@b.example.com' },
    'POST /api/v1/customers/:id/erase': { reason: 'B wants A to forget' },
    'PATCH /api/v1/agents/:id': { name: 'Renamed by B', active: false, password: 'password-set-by-b' },
    'PATCH /api/v1/teams/:id': { name: 'Renamed by B', memberIds: [wsB.ownerId] },
    'PATCH /api/v1/surveys/:id': { name: 'Renamed by B', active: false },
    'POST /api/v1/surveys/:id/send': { filter: { hasEmail: true } },
    'PATCH /api/v1/sla-policies/:id': { name: 'Taken over by B', isDefault: true },
    'PATCH /api/v1/canned-responses/:id': { name: 'Taken over by B', bodies: { en: 'Written by B' } },
    'PATCH /api/v1/compensation-options/:id': { active: false },
    'PATCH /api/v1/macros/:id': { name: 'Taken over by B', actions: { status: 'solved' } },
    'POST /api/v1/tickets/:id/macros/:macroId': {},
    'POST /api/v1/tickets/:id/recovery': { note: 'Flagged by B' },
    'POST /api/v1/tickets/:id/recovery/actions': { action: 'sent' },
    'PATCH /api/v1/chat/widgets/:id': { name: 'Taken by B', rotateKey: true },
    'PATCH /api/v1/kb/articles/:id': { title: 'Rewritten by B', status: 'draft', body: '<p>B was here</p>' },
    'PATCH /api/v1/kb/categories/:id': { names: { en: 'Renamed by B' } },
    'PATCH /api/v1/queues/:id': { name: 'Taken over by B', active: false },
    'POST /api/v1/tickets/:id/assign': { agentId: wsB.ownerId },
    'PATCH /api/v1/reviews/:id': { hidden: true },
    'POST /api/v1/reviews/:id/follow-up': { kind: 'thank_you' },
    'PATCH /api/v1/review-widgets/:id': { name: 'Taken by B', rotateKey: true },
    // The ticket in the path is A's: B must get 404 whatever the body names.
    'POST /api/v1/tickets/:id/merge': { into: wsB.ownerId, allowDifferentCustomers: true },
    'POST /api/v1/tickets/:id/split': { fromMessageId: wsB.ownerId },
  };
  return bodies[key];
}

/** Fills every `:param` of a route with A's id; throws (loudly) for an unknown resource. */
export function pathWithAIds(a: WorkspaceAData, url: string): string {
  const segments = url.split('/');
  return segments
    .map((segment, i) => {
      if (!segment.startsWith(':')) return segment;
      const resource = segments[i - 1] ?? '';
      const id = idFor(a, resource);
      if (!id) {
        throw new Error(
          `test/support/seeded-workspace.ts has no id of workspace A for "${segment}" after "/${resource}/" in ${url}: extend idFor()`,
        );
      }
      return id;
    })
    .join('/');
}

/** Fills workspace A (through its owner's token) with one row of every kind the id routes name. */
export async function seedWorkspaceA(api: TestApi, wsA: TestWorkspace): Promise<WorkspaceAData> {
  const t = wsA.tokens.owner;
  const customer = await ok(
    await api.request(t, 'POST', '/api/v1/customers', {
      email: 'carla@alpha.example.com',
      name: 'Carla Alphason',
      phone: '+30 210 555 0101',
      company: 'Alpha Ltd',
    }),
    201,
  );
  const agent = await ok(
    await api.request(t, 'POST', '/api/v1/agents', {
      email: 'andreas@alpha.example.com',
      name: 'Andreas Alpha',
      role: 'agent',
      password: 'andreas-password',
    }),
    201,
  );
  const team = await ok(await api.request(t, 'POST', '/api/v1/teams', { name: 'Alpha Tier 1', memberIds: [agent.id] }), 201);
  const queue = await ok(await api.request(t, 'POST', '/api/v1/queues', { name: 'Alpha queue', teamId: team.id }), 201);
  const ticket = await ok(
    await api.request(t, 'POST', '/api/v1/tickets', {
      subject: SUBJECT_A,
      customerId: customer.id,
      channel: 'email',
      message: 'The boiler in the basement drips blue water.',
    }),
    201,
  );
  await ok(await api.request(t, 'PATCH', `/api/v1/tickets/${ticket.id}`, { assigneeId: agent.id, teamId: team.id }), 200);
  const reply = await ok(
    await api.request(t, 'POST', `/api/v1/tickets/${ticket.id}/messages`, {
      kind: 'reply',
      body: 'Please send us a photo of the invoice.',
      attachments: [
        { filename: 'invoice.txt', contentType: 'text/plain', contentBase64: Buffer.from(ATTACHMENT_TEXT).toString('base64') },
      ],
    }),
    201,
  );
  const note = await ok(
    await api.request(t, 'POST', `/api/v1/tickets/${ticket.id}/messages`, { kind: 'note', body: 'Internal: VIP customer, @Andreas please call' }),
    201,
  );
  const token = await ok(await api.request(t, 'POST', '/api/v1/tokens', { name: 'Alpha automation', role: 'agent' }), 201);
  const survey = await ok(await api.request(t, 'POST', '/api/v1/surveys', { name: 'Alpha CSAT', type: 'csat', trigger: 'manual' }), 201);
  const widget = await ok(await api.request(t, 'POST', '/api/v1/chat/widgets', { name: 'Alpha site' }), 201);
  const reviewWidget = await ok(await api.request(t, 'POST', '/api/v1/review-widgets', { name: 'Alpha reviews' }), 201);
  const call = await ok(
    await api.request(t, 'POST', '/api/v1/calls', { direction: 'inbound', from: '+30 210 1', to: '+30 210 2', durationSeconds: 60, outcome: 'answered', customerId: customer.id, ticketId: ticket.id }),
    201,
  );
  const mention = await ok(
    await api.request(t, 'POST', '/api/v1/mentions', { platform: 'google', url: 'https://maps.example.com/a/1', rating: 4, text: SUBJECT_A, publishedAt: '2026-11-01T00:00:00Z' }),
    201,
  );
  const messages = await ok(await api.request(t, 'GET', `/api/v1/tickets/${ticket.id}/messages`), 200);
  expect(messages.data).toHaveLength(3);
  const policy = await ok(await api.request(t, 'POST', '/api/v1/sla-policies', { name: 'Alpha SLA', targets: { normal: { firstResponseMinutes: 60 } } }), 201);
  const option = await ok(await api.request(t, 'POST', '/api/v1/compensation-options', { kind: 'credit', label: 'Alpha credit', amount: 5, unit: 'EUR' }), 201);
  const macro = await ok(await api.request(t, 'POST', '/api/v1/macros', { name: 'Alpha macro', actions: { priority: 'high', addTags: ['alpha'] } }), 201);
  const canned = await ok(await api.request(t, 'GET', '/api/v1/canned-responses'), 200);
  const category = await ok(await api.request(t, 'POST', '/api/v1/kb/categories', { names: { en: 'Alpha boilers' } }), 201);
  const article = await ok(
    await api.request(t, 'POST', '/api/v1/kb/articles', {
      title: ARTICLE_A,
      body: '<p>Bleed the radiators of the Zephyrine boiler.</p>',
      lang: 'en',
      status: 'published',
      categoryId: category.id,
    }),
    201,
  );
  expect(reply.message.attachments).toHaveLength(1);
  const address = await ok(await api.request(t, 'POST', '/api/v1/email/addresses', { address: 'help@alpha.example.com' }), 201);
  const [inboundEmailId] = await storeInbound(
    api.database.db,
    { from: 'carla@alpha.example.com', recipientsByWorkspace: new Map([[wsA.id, ['help@alpha.example.com']]]) },
    Buffer.from(`From: carla@alpha.example.com\r\nSubject: ${SUBJECT_A}\r\n\r\n${ATTACHMENT_TEXT}\r\n`),
  );

  const a: WorkspaceAData = {
    customerId: customer.id,
    customerEmail: customer.email,
    ticketId: ticket.id,
    messageIds: messages.data.map((m: { id: string }) => m.id),
    attachmentId: reply.message.attachments[0].id,
    agentId: agent.id,
    teamId: team.id,
    tokenId: token.id,
    token: token.token,
    surveyId: survey.id,
    slaPolicyId: policy.id,
    cannedResponseId: canned.data[0].id,
    compensationOptionId: option.id,
    macroId: macro.id,
    channelIds: { widgets: widget.id, calls: call.id, mentions: mention.id },
    articleId: article.id,
    categoryId: category.id,
    supportAddressId: address.id,
    inboundEmailId: inboundEmailId as string,
    queueId: queue.id,
    notificationId: (
      await api.database.db.selectFrom('notifications').select('id').where('workspace_id', '=', wsA.id).executeTakeFirstOrThrow()
    ).id,
    reviewWidgetId: reviewWidget.id,
  };
  expect(a.messageIds).toContain(note.message.id);
  return a;
}

/** Columns that change by merely being used, not by any change a caller asked for. */
const TOUCHED_BY_USE: Record<string, string[]> = { api_tokens: ['last_used_at'] };

/**
 * Every stored row a workspace owns, table by table, for comparing before and after: rows of
 * the tables with a workspace_id (the workspace's own), the workspace row itself, and the
 * whole of every other table (they hang off workspace rows, e.g. team members).
 */
export async function workspaceRows(api: TestApi, workspaceId: string): Promise<Record<string, string[]>> {
  const db = api.database.db;
  const tables = await sql<{ table_name: string; scoped: boolean }>`
    SELECT c.relname AS table_name,
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'workspace_id' AND NOT a.attisdropped) AS scoped
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
     ORDER BY 1`.execute(db);
  const snapshot: Record<string, string[]> = {};
  for (const { table_name: table, scoped } of tables.rows) {
    const where = scoped ? sql`WHERE t.workspace_id = ${workspaceId}` : table === 'workspaces' ? sql`WHERE t.id = ${workspaceId}` : sql``;
    const rows = await sql<Record<string, unknown>>`SELECT to_jsonb(t) AS row FROM ${sql.table(table)} t ${where}`.execute(db);
    snapshot[table] = rows.rows
      .map((r) => {
        const row = { ...(r.row as Record<string, unknown>) };
        for (const column of TOUCHED_BY_USE[table] ?? []) delete row[column];
        return JSON.stringify(row);
      })
      .sort();
  }
  return snapshot;
}
