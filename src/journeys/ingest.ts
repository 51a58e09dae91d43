// Segment-compatible ingestion: validate each message, classify it (pure domain), store it
// once per messageId. One bad message in a batch is reported and does not sink the others.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { classifyTouchpoint, type ClassificationRule } from '../domain/classifier.ts';
import type { Stage, Valence } from '../domain/moments.ts';
import { storableJson } from '../http/schemas.ts';
import { newId } from '../shared/ids.ts';
import { applyTraits, customerForUserId, mergeAnonymous } from './identity.ts';
import { getCurrentRules } from './rules.ts';

const id = z.union([z.string().trim().min(1).max(200), z.number().transform(String)]);
const jsonObject = z
  .record(z.string(), z.unknown())
  .refine(storableJson, 'must not contain NUL characters or lone surrogates')
  .refine((o) => JSON.stringify(o).length <= 32_768, 'must be at most 32 KB as JSON');

const common = {
  userId: id.optional().nullable(),
  anonymousId: id.optional().nullable(),
  messageId: z.string().min(1).max(200).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  context: jsonObject.optional(),
  integrations: z.unknown().optional(),
  sentAt: z.string().optional(),
  receivedAt: z.string().optional(),
  originalTimestamp: z.string().optional(),
  version: z.unknown().optional(),
  channel: z.string().max(50).optional(),
};

const hasIdentity = (m: { userId?: string | null; anonymousId?: string | null }) => Boolean(m.userId || m.anonymousId);

export const trackMessage = z
  .object({
    type: z.literal('track').optional(),
    event: z.string().trim().min(1).max(200),
    properties: jsonObject.optional(),
    ...common,
  })
  .refine(hasIdentity, 'userId or anonymousId is required');

export const identifyMessage = z
  .object({ type: z.literal('identify').optional(), traits: jsonObject.optional(), ...common })
  .refine(hasIdentity, 'userId or anonymousId is required');

export type TrackMessage = z.infer<typeof trackMessage>;
export type IdentifyMessage = z.infer<typeof identifyMessage>;

export interface IngestResult {
  index: number;
  messageId: string | null;
  status: 'stored' | 'duplicate' | 'invalid';
  stage: Stage | null;
  valence: Valence | null;
  decidedBy?: string;
  /** The workspace rule that decided, when one did. */
  ruleId?: string;
  error?: string;
}

function traitsOf(raw: Record<string, unknown> | undefined) {
  const t = raw ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
  const locale = str(t.locale)?.slice(0, 2);
  const email = str(t.email);
  return {
    ...(email && z.email().safeParse(email).success ? { email } : {}),
    ...(str(t.name) ? { name: str(t.name) } : {}),
    ...(str(t.phone) ? { phone: str(t.phone) } : {}),
    ...(locale === 'en' || locale === 'el' || locale === 'ar' ? { locale } : {}),
  } as { email?: string; name?: string; phone?: string; locale?: 'en' | 'el' | 'ar' };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message';
}

async function storeTouchpoint(
  db: Kysely<DB>,
  workspaceId: string,
  m: {
    kind: 'track' | 'identify';
    event: string;
    messageId: string;
    userId?: string | null;
    anonymousId?: string | null;
    properties: Record<string, unknown>;
    context: Record<string, unknown>;
    channel: string | undefined;
    occurredAt: Date;
    traits?: Record<string, unknown>;
  },
  rules: readonly ClassificationRule[],
): Promise<Omit<IngestResult, 'index'>> {
  // Inside a batch's transaction already: use it (Kysely does not nest transactions).
  const inTransaction = <T>(fn: (tx: Kysely<DB>) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  return inTransaction(async (tx) => {
    const existing = await tx
      .selectFrom('touchpoints')
      .select(['stage', 'valence', 'decided_by', 'rule_id'])
      .where('workspace_id', '=', workspaceId)
      .where('message_id', '=', m.messageId)
      .executeTakeFirst();
    if (existing) {
      return {
        messageId: m.messageId,
        status: 'duplicate',
        stage: existing.stage as Stage,
        valence: existing.valence as Valence,
        decidedBy: existing.decided_by,
        ...(existing.rule_id ? { ruleId: existing.rule_id } : {}),
      };
    }
    const traits = traitsOf(m.traits);
    const customerId = m.userId ? await customerForUserId(tx, workspaceId, m.userId, traits, m.occurredAt) : null;
    if (customerId && m.kind === 'identify') await applyTraits(tx, workspaceId, customerId, traits);
    if (customerId && m.anonymousId) await mergeAnonymous(tx, workspaceId, m.anonymousId, customerId);
    const c = classifyTouchpoint({ event: m.event, ...(m.channel ? { channel: m.channel } : {}), properties: m.properties }, rules);
    const inserted = await tx
      .insertInto('touchpoints')
      .values({
        id: newId(m.occurredAt),
        workspace_id: workspaceId,
        message_id: m.messageId,
        customer_id: customerId,
        anonymous_id: m.anonymousId ?? null,
        kind: m.kind,
        event: m.event,
        stage: c.stage,
        valence: c.valence,
        channel: m.channel ?? null,
        properties: JSON.stringify(m.properties),
        context: JSON.stringify(m.context),
        decided_by: c.decidedBy,
        rule_id: c.ruleId ?? null,
        occurred_at: m.occurredAt,
      })
      .onConflict((oc) => oc.columns(['workspace_id', 'message_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return {
      messageId: m.messageId,
      status: inserted ? 'stored' : 'duplicate',
      stage: c.stage,
      valence: c.valence,
      decidedBy: c.decidedBy,
      ...(c.ruleId !== undefined ? { ruleId: c.ruleId } : {}),
    };
  });
}

/**
 * Ingests one Segment message of a known type; never throws for bad input. `rules` are the
 * workspace's classification rules; when omitted they are loaded (a batch loads them once).
 */
export async function ingestMessage(
  db: Kysely<DB>,
  workspaceId: string,
  type: 'track' | 'identify',
  raw: unknown,
  index: number,
  now = new Date(),
  rules?: readonly ClassificationRule[],
): Promise<IngestResult> {
  const messageIdOf = (r: unknown) =>
    r && typeof r === 'object' && typeof (r as { messageId?: unknown }).messageId === 'string'
      ? ((r as { messageId: string }).messageId.slice(0, 200) || null)
      : null;
  const parsed = (type === 'track' ? trackMessage : identifyMessage).safeParse(raw);
  if (!parsed.success) {
    return { index, messageId: messageIdOf(raw), status: 'invalid', stage: null, valence: null, error: firstIssue(parsed.error) };
  }
  const m = parsed.data;
  const properties = 'properties' in m ? (m.properties ?? {}) : {};
  const context = m.context ?? {};
  const channel =
    (typeof properties.channel === 'string' && properties.channel) ||
    (typeof context.channel === 'string' && context.channel) ||
    m.channel ||
    undefined;
  const result = await storeTouchpoint(db, workspaceId, {
    kind: type,
    event: 'event' in m ? m.event : 'Identified',
    // Without a messageId a retry cannot be recognised; Segment's libraries always send one.
    messageId: m.messageId ?? `td-${newId()}`,
    userId: m.userId ?? null,
    anonymousId: m.anonymousId ?? null,
    properties,
    context,
    channel: typeof channel === 'string' ? channel.slice(0, 50) : undefined,
    occurredAt: m.timestamp ? new Date(m.timestamp) : now,
    ...('traits' in m ? { traits: m.traits ?? {} } : {}),
  }, rules ?? (await getCurrentRules(db, workspaceId)));
  return { index, ...result };
}

export const MAX_BATCH_MESSAGES = 500;

/**
 * A batch is stored in one transaction: one commit instead of hundreds is what makes history
 * imports fast. If the database refuses anything in it, the batch is retried message by
 * message, so one bad row still cannot sink the others.
 */
export async function ingestBatch(db: Kysely<DB>, workspaceId: string, messages: unknown[]): Promise<IngestResult[]> {
  const rules = await getCurrentRules(db, workspaceId);
  try {
    return await db.transaction().execute((tx) => ingestEach(tx, workspaceId, messages, rules));
  } catch {
    return ingestEach(db, workspaceId, messages, rules);
  }
}

async function ingestEach(
  db: Kysely<DB>,
  workspaceId: string,
  messages: unknown[],
  rules: readonly ClassificationRule[],
): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const [index, raw] of messages.entries()) {
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    if (type !== 'track' && type !== 'identify') {
      results.push({
        index,
        messageId: null,
        status: 'invalid',
        stage: null,
        valence: null,
        error: 'type: must be "track" or "identify"',
      });
      continue;
    }
    results.push(await ingestMessage(db, workspaceId, type, raw, index, new Date(), rules));
  }
  return results;
}
