// A workspace's own classification rules: ordered, versioned (every save is a new version,
// never an update in place), audited, and testable against sample events before saving.
import { z } from 'zod';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/store.ts';
import type { DB } from '../db/schema.ts';
import { classifyTouchpoint, type Classification, type ClassificationRule, type TouchpointInput } from '../domain/classifier.ts';
import { STAGES, VALENCES } from '../domain/moments.ts';
import { storableJson, text } from '../http/schemas.ts';
import type { Actor, WorkspaceContext } from '../shared/context.ts';
import { versionConflict } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';

export const MAX_RULES = 200;
export const MAX_TEST_EVENTS = 100;

const pattern = text({ min: 1, max: 200 });
const patterns = z.union([pattern, z.array(pattern).min(1).max(50)]);
const propertyValue = z.union([text({ max: 500 }), z.number().finite(), z.boolean()]);

export const ruleSchema = z.strictObject({
  id: text({ min: 1, max: 100 }),
  when: z.strictObject({
    event: patterns.optional(),
    channel: patterns.optional(),
    properties: z
      .record(text({ min: 1, max: 100 }), propertyValue)
      .refine((p) => Object.keys(p).length <= 50, 'at most 50 properties')
      .optional(),
  }),
  then: z
    .strictObject({ stage: z.enum(STAGES).optional(), valence: z.enum(VALENCES).optional() })
    .refine((t) => t.stage !== undefined || t.valence !== undefined, 'then needs a stage or a valence'),
});

export const rulesSchema = z
  .array(ruleSchema)
  .max(MAX_RULES)
  .superRefine((rules, ctx) => {
    const seen = new Set<string>();
    rules.forEach((rule, i) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate rule id "${rule.id}"` });
      seen.add(rule.id);
    });
  });

/** The zod output has optional keys that may be undefined; the domain type is structurally the same. */
const asRules = (rules: z.infer<typeof rulesSchema>): ClassificationRule[] => rules as ClassificationRule[];

export const testEventSchema = z.strictObject({
  event: text({ min: 1, max: 200 }),
  channel: text({ max: 50 }).optional(),
  properties: z
    .record(z.string(), z.unknown())
    .refine(storableJson, 'must not contain NUL characters or lone surrogates')
    .refine((o) => JSON.stringify(o).length <= 32_768, 'must be at most 32 KB as JSON')
    .optional(),
  text: text({ max: 20_000 }).optional(),
});

export interface RuleSet {
  version: number;
  rules: ClassificationRule[];
  createdAt: string | null;
}

export interface RuleSetVersion extends RuleSet {
  createdAt: string;
  createdBy: string;
}

const actorLabel = (actor: Actor) => (actor.type === 'system' ? 'system' : `${actor.type}:${actor.id}`);
const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();
const parseRules = (raw: unknown): ClassificationRule[] =>
  (Array.isArray(raw) ? raw : typeof raw === 'string' ? (JSON.parse(raw) as unknown[]) : []) as ClassificationRule[];

/** The latest saved rule set, or version 0 with no rules. */
export async function getCurrentRuleSet(db: Kysely<DB>, workspaceId: string): Promise<RuleSet> {
  const row = await db
    .selectFrom('classification_rule_sets')
    .select(['version', 'rules', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { version: row.version, rules: parseRules(row.rules), createdAt: iso(row.created_at) } : { version: 0, rules: [], createdAt: null };
}

/** The rules ingestion classifies with: the latest version's, or none. */
export async function getCurrentRules(db: Kysely<DB>, workspaceId: string): Promise<ClassificationRule[]> {
  return (await getCurrentRuleSet(db, workspaceId)).rules;
}

export async function listRuleVersions(ctx: WorkspaceContext, limit = 100): Promise<RuleSetVersion[]> {
  const rows = await ctx.db
    .selectFrom('classification_rule_sets')
    .select(['version', 'rules', 'created_at', 'created_by_actor'])
    .where('workspace_id', '=', ctx.workspaceId)
    .orderBy('version', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ version: r.version, rules: parseRules(r.rules), createdAt: iso(r.created_at), createdBy: r.created_by_actor }));
}

const isUniqueViolation = (e: unknown) => (e as { code?: string } | null)?.code === '23505';

/**
 * Saves the rules as version n+1. With `expectedVersion` the save is refused (409) unless it is
 * still the current version; without it, two saves racing for the same number are told apart
 * by the unique (workspace_id, version) key and the loser gets a 409.
 */
export async function saveRules(
  ctx: WorkspaceContext,
  input: { rules: z.infer<typeof rulesSchema>; expectedVersion?: number | undefined },
): Promise<RuleSet> {
  const rules = asRules(input.rules);
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const current = await getCurrentRuleSet(tx, ctx.workspaceId);
      if (input.expectedVersion !== undefined && input.expectedVersion !== current.version) {
        throw versionConflict(`The rules are at version ${current.version}, not ${input.expectedVersion}; reload and try again`);
      }
      const id = newId();
      const version = current.version + 1;
      const row = await tx
        .insertInto('classification_rule_sets')
        .values({
          id,
          workspace_id: ctx.workspaceId,
          version,
          rules: JSON.stringify(rules),
          created_by_actor: actorLabel(ctx.actor),
        })
        .returning(['created_at'])
        .executeTakeFirstOrThrow();
      await recordAudit(tx, ctx.workspaceId, ctx.actor, {
        action: 'classification_rules.saved',
        entityType: 'classification_rule_set',
        entityId: id,
        changes: { version: [current.version, version], ruleCount: [current.rules.length, rules.length] },
      });
      return { version, rules, createdAt: iso(row.created_at) };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw versionConflict('The rules were changed by someone else at the same time; reload and try again');
    throw error;
  }
}

export interface TestedClassification extends Classification {
  index: number;
}

/** Classifies sample events with draft rules (or the saved ones); stores nothing. */
export async function testRules(
  ctx: WorkspaceContext,
  input: { rules?: z.infer<typeof rulesSchema> | undefined; events: z.infer<typeof testEventSchema>[] },
): Promise<{ version: number | null; results: TestedClassification[] }> {
  const saved = input.rules ? null : await getCurrentRuleSet(ctx.db, ctx.workspaceId);
  const rules = input.rules ? asRules(input.rules) : (saved?.rules ?? []);
  const results = input.events.map((event, index) => {
    const c = classifyTouchpoint(event as TouchpointInput, rules);
    return {
      index,
      stage: c.stage,
      valence: c.valence,
      decidedBy: c.decidedBy,
      ...(c.ruleId !== undefined ? { ruleId: c.ruleId } : {}),
      confidence: c.confidence,
    };
  });
  return { version: saved ? saved.version : null, results };
}
