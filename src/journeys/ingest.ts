// Segment-compatible ingestion: validate each message, classify it (pure domain), store it
// once per messageId. One bad message in a batch is reported and does not sink the others.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { classifyTouchpoint, type Classification, type ClassificationRule } from '../domain/classifier.ts';
import type { Stage, Valence } from '../domain/moments.ts';
import { storableJson } from '../http/schemas.ts';
import { newId } from '../shared/ids.ts';
import { applyTraitsMany, customersForUserIds, type Traits } from './identity.ts';
import { claimMessageIds, ensureTouchpointPartitions, existingTouchpoints, insertTouchpoints, mergeAnonymousMany, type NewTouchpoint } from './store.ts';
import { getCurrentRules } from './rules.ts';

const id = z.union([z.string().trim().min(1).max(200), z.number().transform(String)]);
// A plain check of the shape rather than z.record, which built an entry per key of every
// message's properties and context: the largest part of validating a Segment batch.
const jsonObject = z
  .custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'must be a JSON object')
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

function traitsOf(raw: Record<string, unknown> | undefined): Traits {
  const t = raw ?? {};
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : undefined);
  const locale = str(t.locale)?.slice(0, 2);
  const email = str(t.email);
  return {
    ...(email && z.email().safeParse(email).success ? { email } : {}),
    ...(str(t.name) ? { name: str(t.name) } : {}),
    ...(str(t.phone) ? { phone: str(t.phone) } : {}),
    ...(locale === 'en' || locale === 'el' || locale === 'ar' ? { locale } : {}),
  } as Traits;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid message';
}

/** A valid message, classified, ready to store. */
interface Prepared {
  index: number;
  kind: 'track' | 'identify';
  event: string;
  messageId: string;
  userId: string | null;
  anonymousId: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown>;
  channel: string | null;
  occurredAt: Date;
  traits: Traits;
  classification: Classification;
}

const classificationResult = (c: { stage: string; valence: string; decidedBy: string; ruleId?: string | null }) => ({
  stage: c.stage as Stage,
  valence: c.valence as Valence,
  decidedBy: c.decidedBy,
  ...(c.ruleId ? { ruleId: c.ruleId } : {}),
});

/** Validates and classifies one message; an IngestResult when it is invalid. */
function prepare(
  type: 'track' | 'identify',
  raw: unknown,
  index: number,
  now: Date,
  rules: readonly ClassificationRule[],
): Prepared | IngestResult {
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
  const channelRaw =
    (typeof properties.channel === 'string' && properties.channel) ||
    (typeof context.channel === 'string' && context.channel) ||
    m.channel ||
    undefined;
  const channel = typeof channelRaw === 'string' ? channelRaw.slice(0, 50) : undefined;
  const event = 'event' in m ? m.event : 'Identified';
  return {
    index,
    kind: type,
    event,
    // Without a messageId a retry cannot be recognised; Segment's libraries always send one.
    messageId: m.messageId ?? `td-${newId()}`,
    userId: m.userId ?? null,
    anonymousId: m.anonymousId ?? null,
    properties,
    context,
    channel: channel ?? null,
    occurredAt: m.timestamp ? new Date(m.timestamp) : now,
    traits: traitsOf('traits' in m ? m.traits : undefined),
    classification: classifyTouchpoint({ event, ...(channel ? { channel } : {}), properties }, rules),
  };
}

/**
 * Stores prepared messages set-based, with the same outcome as storing them one by one in
 * order: a messageId seen before (stored, or earlier in the batch) is a duplicate answered
 * with its stored classification; a userId becomes a customer; a message with both a userId
 * and an anonymousId merges that visitor's earlier anonymous touchpoints — those stored
 * before the batch and those earlier in it — into the customer.
 */
async function storePrepared(tx: Kysely<DB>, workspaceId: string, items: readonly Prepared[]): Promise<IngestResult[]> {
  const results = new Map<number, IngestResult>();
  const firstByMessageId = new Map<string, Prepared>();
  const repeats: Prepared[] = [];
  for (const p of items) {
    if (firstByMessageId.has(p.messageId)) repeats.push(p);
    else firstByMessageId.set(p.messageId, p);
  }
  // Each messageId is claimed before anything else is written; one not claimed was stored
  // before (or by a concurrent batch) and is answered with how it was classified then.
  const firsts = [...firstByMessageId.values()];
  const ids = new Map(firsts.map((p) => [p.messageId, newId(p.occurredAt)]));
  const claimed = await claimMessageIds(
    tx,
    workspaceId,
    firsts.map((p) => ({ messageId: p.messageId, id: ids.get(p.messageId) as string, occurredAt: p.occurredAt })),
  );
  const fresh = firsts.filter((p) => claimed.has(p.messageId));
  const seen = firsts.filter((p) => !claimed.has(p.messageId));
  const existing = await existingTouchpoints(tx, workspaceId, seen.map((p) => p.messageId));
  for (const p of seen) {
    // A key without its touchpoint (erased since): a duplicate all the same, as it was classified now.
    const stored = existing.get(p.messageId) ?? p.classification;
    results.set(p.index, { index: p.index, messageId: p.messageId, status: 'duplicate', ...classificationResult(stored) });
  }

  const customers = await customersForUserIds(
    tx,
    workspaceId,
    fresh.filter((p) => p.userId).map((p) => ({ userId: p.userId as string, traits: p.traits, at: p.occurredAt })),
  );
  const customerOf = (p: Prepared) => (p.userId ? (customers.get(p.userId) ?? null) : null);
  await applyTraitsMany(
    tx,
    workspaceId,
    fresh.filter((p) => p.kind === 'identify' && p.userId).map((p) => ({ customerId: customerOf(p) as string, traits: p.traits })),
  );

  // Merges in message order: the first merge of a visitor takes the touchpoints stored before
  // the batch; a touchpoint earlier in the batch joins the first merge that follows it.
  const mergesOf = new Map<string, { index: number; customerId: string }[]>();
  for (const p of fresh) {
    const customerId = customerOf(p);
    if (!customerId || !p.anonymousId) continue;
    const list = mergesOf.get(p.anonymousId) ?? [];
    list.push({ index: p.index, customerId });
    mergesOf.set(p.anonymousId, list);
  }
  await mergeAnonymousMany(
    tx,
    workspaceId,
    [...mergesOf].map(([anonymousId, list]) => ({ anonymousId, customerId: (list[0] as { customerId: string }).customerId })),
  );
  const rows: NewTouchpoint[] = fresh.map((p) => {
    let customerId = customerOf(p);
    if (!customerId && p.anonymousId) customerId = mergesOf.get(p.anonymousId)?.find((m) => m.index > p.index)?.customerId ?? null;
    return {
      id: ids.get(p.messageId) as string,
      messageId: p.messageId,
      customerId,
      anonymousId: p.anonymousId,
      kind: p.kind,
      event: p.event,
      stage: p.classification.stage,
      valence: p.classification.valence,
      channel: p.channel,
      properties: p.properties,
      context: p.context,
      decidedBy: p.classification.decidedBy,
      ruleId: p.classification.ruleId ?? null,
      occurredAt: p.occurredAt,
    };
  });
  await insertTouchpoints(tx, workspaceId, rows, { claimed: true });
  for (const p of fresh) {
    results.set(p.index, { index: p.index, messageId: p.messageId, status: 'stored', ...classificationResult(p.classification) });
  }
  for (const p of repeats) {
    const first = results.get((firstByMessageId.get(p.messageId) as Prepared).index) as IngestResult;
    results.set(p.index, { ...first, index: p.index, status: 'duplicate' });
  }
  return items.map((p) => results.get(p.index) as IngestResult);
}

/**
 * Ingests one Segment message of a known type; never throws for bad input. `rules` are the
 * workspace's classification rules; when omitted they are loaded.
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
  const prepared = prepare(type, raw, index, now, rules ?? (await getCurrentRules(db, workspaceId)));
  if (!('kind' in prepared)) return prepared;
  if (!db.isTransaction) await ensureTouchpointPartitions(db, [prepared.occurredAt], now);
  const inTransaction = <T>(fn: (tx: Kysely<DB>) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn));
  const [result] = await inTransaction((tx) => storePrepared(tx, workspaceId, [prepared]));
  return result as IngestResult;
}

export const MAX_BATCH_MESSAGES = 500;

/**
 * A batch is validated and classified in memory, then stored in one transaction with a
 * constant number of statements (see storePrepared). If the database refuses anything in
 * it, the batch is retried message by message, so one bad row still cannot sink the others.
 */
export async function ingestBatch(db: Kysely<DB>, workspaceId: string, messages: unknown[], now = new Date()): Promise<IngestResult[]> {
  const rules = await getCurrentRules(db, workspaceId);
  const results: IngestResult[] = [];
  const valid: Prepared[] = [];
  for (const [index, raw] of messages.entries()) {
    const type = raw && typeof raw === 'object' ? (raw as { type?: unknown }).type : undefined;
    if (type !== 'track' && type !== 'identify') {
      results[index] = { index, messageId: null, status: 'invalid', stage: null, valence: null, error: 'type: must be "track" or "identify"' };
      continue;
    }
    const prepared = prepare(type, raw, index, now, rules);
    if ('kind' in prepared) valid.push(prepared);
    else results[index] = prepared;
  }
  let stored: IngestResult[];
  await ensureTouchpointPartitions(db, valid.map((p) => p.occurredAt), now);
  try {
    stored = await db.transaction().execute((tx) => storePrepared(tx, workspaceId, valid));
  } catch {
    stored = [];
    for (const p of valid) {
      try {
        stored.push(...(await db.transaction().execute((tx) => storePrepared(tx, workspaceId, [p]))));
      } catch (error) {
        stored.push({ index: p.index, messageId: p.messageId, status: 'invalid', stage: null, valence: null, error: `could not be stored: ${(error as Error).message}` });
      }
    }
  }
  for (const r of stored) results[r.index] = r;
  return results;
}
