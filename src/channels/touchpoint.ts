// Calls and mentions become touchpoints in the same transaction as their own row: a call is
// a second moment of truth (valence from the agent's notes), a public review or post the
// ultimate moment (valence from its rating, else from its words). Classified by the domain's
// classifier with the stage fixed, so the workspace's rules and the en/el/ar lexicon decide
// only the valence.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { classifyTouchpoint } from '../domain/classifier.ts';
import type { Stage, Valence } from '../domain/moments.ts';
import { getCurrentRules } from '../journeys/rules.ts';
import { insertTouchpoints } from '../journeys/store.ts';
import { newId } from '../shared/ids.ts';

export async function recordChannelTouchpoint(
  tx: Kysely<DB>,
  workspaceId: string,
  t: {
    key: string;
    event: string;
    stage: Stage;
    channel: string;
    customerId: string | null;
    anonymousId: string | null;
    ticketId: string | null;
    text: string;
    properties: Record<string, string | number | boolean | null>;
    at: Date;
  },
): Promise<Valence> {
  const properties = { ...t.properties, stage: t.stage };
  const c = classifyTouchpoint({ event: t.event, channel: t.channel, properties, text: t.text.slice(0, 2_000) }, await getCurrentRules(tx, workspaceId));
  await insertTouchpoints(tx, workspaceId, [
    {
      id: newId(t.at),
      messageId: `td:${t.key}`,
      customerId: t.customerId,
      anonymousId: t.customerId ? null : t.anonymousId,
      kind: 'internal',
      event: t.event,
      stage: t.stage,
      valence: c.valence,
      channel: t.channel,
      properties: { ...t.properties, text: t.text.slice(0, 2_000) },
      context: {},
      decidedBy: c.decidedBy,
      ruleId: c.ruleId ?? null,
      occurredAt: t.at,
      ticketId: t.ticketId,
    },
  ]);
  return c.valence;
}
