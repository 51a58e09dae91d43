// Help-desk activity becomes touchpoints without any client call: a ticket opened, a reply,
// a customer writing back, a solve or a reopen. Written in the caller's transaction, so a
// ticket change and its touchpoint land together or not at all.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { classifyTouchpoint } from '../domain/classifier.ts';
import { newId } from '../shared/ids.ts';
import { insertTouchpoints } from './store.ts';

export type HelpDeskEvent =
  | 'Ticket Created'
  | 'Agent Replied'
  | 'Customer Replied'
  | 'Ticket Solved'
  | 'Ticket Reopened'
  // SLA and service recovery: a breach is a negative second-moment touchpoint; what was done
  // to recover (apology sent, compensation offered) and the customer's answer follow it.
  | 'SLA Breached'
  | 'Recovery Flagged'
  | 'Recovery Offered'
  | 'Apology Sent'
  | 'Recovery Accepted'
  | 'Recovery Declined';

export async function recordHelpDeskTouchpoint(
  tx: Kysely<DB>,
  workspaceId: string,
  t: {
    event: HelpDeskEvent;
    /** Stable per fact, so a retried write cannot record it twice. */
    key: string;
    customerId: string;
    ticketId: string;
    ticketNumber: number;
    channel: string;
    text?: string;
    /** Known from the fact itself (a breach is negative), instead of classified from text. */
    valence?: 'positive' | 'neutral' | 'negative';
    properties?: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  const properties: Record<string, unknown> = { ...t.properties, ticketNumber: t.ticketNumber };
  // The customer's own words give the valence of what they wrote; an agent's do not.
  const text = t.event === 'Agent Replied' ? undefined : t.text?.slice(0, 2_000);
  const c = classifyTouchpoint({ event: t.event, channel: t.channel, properties, ...(text ? { text } : {}) });
  await insertTouchpoints(tx, workspaceId, [
    {
      id: newId(t.at),
      messageId: `td:${t.key}`,
      customerId: t.customerId,
      anonymousId: null,
      kind: 'internal',
      event: t.event,
      // Contact with support is the second moment of truth by definition; only its valence varies.
      stage: 'smot',
      valence: t.valence ?? c.valence,
      channel: t.channel,
      properties,
      context: {},
      decidedBy: 'help-desk',
      ruleId: null,
      occurredAt: t.at,
      ticketId: t.ticketId,
    },
  ]);
}
