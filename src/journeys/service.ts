// Journeys (one customer's touchpoints in time order) and the moments report (per stage:
// volume, reach, valence shares and conversion to the next stage).
import type { WorkspaceContext } from '../shared/context.ts';
import { getCustomer } from '../customers/service.ts';
import type { Customer } from '../customers/service.ts';
import type { Stage, Valence } from '../domain/moments.ts';
import { notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';

export interface JourneyTouchpoint {
  id: string;
  messageId: string;
  event: string;
  stage: Stage;
  valence: Valence;
  channel: string | null;
  occurredAt: string;
  decidedBy: string;
  /** The ticket a help-desk touchpoint belongs to. */
  ticketId: string | null;
  properties: Record<string, unknown>;
}

/** {id} is TruthDesk's customer id or the userId given at ingestion. */
export async function getJourney(
  ctx: WorkspaceContext,
  idOrUserId: string,
): Promise<{ customer: Customer; touchpoints: JourneyTouchpoint[] }> {
  let q = ctx.db.selectFrom('customers').select('id').where('workspace_id', '=', ctx.workspaceId);
  q = isUuid(idOrUserId)
    ? q.where((eb) => eb.or([eb('id', '=', idOrUserId), eb('external_id', '=', idOrUserId)]))
    : q.where('external_id', '=', idOrUserId);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound('Customer');
  const customer = await getCustomer(ctx, row.id);
  const rows = await ctx.db
    .selectFrom('touchpoints')
    .selectAll()
    .where('workspace_id', '=', ctx.workspaceId)
    .where('customer_id', '=', row.id)
    .orderBy('occurred_at')
    .orderBy('id')
    .limit(10_000)
    .execute();
  return {
    customer,
    touchpoints: rows.map((t) => ({
      id: t.id,
      messageId: t.message_id,
      event: t.event,
      stage: t.stage as Stage,
      valence: t.valence as Valence,
      channel: t.channel,
      occurredAt: t.occurred_at.toISOString(),
      decidedBy: t.decided_by,
      ticketId: t.ticket_id,
      properties: t.properties,
    })),
  };
}

export { momentsReport } from './reports.ts';
export type { StageReport } from './reports.ts';
