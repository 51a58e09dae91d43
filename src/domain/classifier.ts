// Places a touchpoint on the five moments of truth and gives it a valence. Pure: no I/O.
//
// The stage comes from the first of these that has an answer, and `decidedBy` names it:
//   explicit   properties.stage (a stage key; anything else is ignored, never thrown)
//   rule       the workspace's ordered rules; the first rule whose conditions all hold wins
//   catalogue  a default catalogue of common event names (src/domain/lexicon.ts)
//   text       a lexicon classifier over the free text (en, el, ar)
//   default    nothing matched (see defaultStage)
// The valence follows the same precedence, with two refinements: a recorded rating or survey
// score beats words, and the text's sentiment beats the catalogue's default valence unless the
// catalogue marks the event's valence as fixed (a cancellation stays negative whatever the
// note says; an agent's reply is not the customer's voice). When the text gives a valence but
// no stage, the stage is the default one and `decidedBy` says 'default'.

import {
  EVENT_CATALOGUE, HELP_DESK_CHANNELS, NEGATIVE, NEGATORS, NUMBER_WORDS, POSITIVE, REVIEW_CHANNELS,
  SOCIAL_CHANNELS, STAGE_CUES, STAR_WORDS, STORE_CHANNELS, type LexEntry,
} from './lexicon.ts';
import { STAGES, isStage, isValence, type Stage, type Valence } from './moments.ts';
import { normalizeForSearch } from './text.ts';
import { stemWord, tokenize, type Token } from './tokenize.ts';

export interface TouchpointInput {
  event: string;
  channel?: string;
  properties?: Record<string, unknown>;
  text?: string;
}

export type DecidedBy = 'explicit' | 'rule' | 'catalogue' | 'text' | 'default';

export interface Classification {
  stage: Stage;
  valence: Valence;
  decidedBy: DecidedBy;
  ruleId?: string;
  /** 0–1: how sure the deciding step is (explicit 1, rule 0.95, catalogue 0.9, text by margin, default 0.2). */
  confidence: number;
}

export interface RuleCondition {
  /** Event names, case-insensitive, `*` matches anything; "ticket_*" also matches "Ticket Created". */
  event?: string | string[];
  channel?: string | string[];
  /** Each property must equal the value; strings compare case-insensitively. */
  properties?: Record<string, string | number | boolean>;
}

export interface ClassificationRule {
  id: string;
  when: RuleCondition;
  then: { stage?: Stage; valence?: Valence };
}

const MAX_TEXT = 20_000;

const MAX_NORMALIZED_NAMES = 10_000;
const normalizedNames = new Map<string, string>();

/** "Order Completed", "order_completed", "order-completed", "orderCompleted", "KBArticleViewed" → words. */
export function normalizeEventName(name: string): string {
  const known = normalizedNames.get(name);
  if (known !== undefined) return known;
  const normalized = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:/]+/g, ' ')
    .trim();
  // A workspace sends a few hundred distinct event names over and over; ingest asks for each
  // touchpoint's name several times (classification, loop facts, conversions), and the regex
  // and NFKC passes were the largest cost of a batch in the API. Bounded: emptied when full.
  if (normalizedNames.size >= MAX_NORMALIZED_NAMES) normalizedNames.clear();
  normalizedNames.set(name, normalized);
  return normalized;
}

export function globMatches(pattern: string, value: string): boolean {
  const p = normalizeEventName(pattern);
  const v = normalizeEventName(value);
  if (!p.includes('*')) return p === v;
  const source = p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'su').test(v);
}

const anyGlob = (patterns: unknown, value: string): boolean =>
  (Array.isArray(patterns) ? patterns : [patterns]).some((p) => typeof p === 'string' && globMatches(p, value));

function propertyEquals(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string' && typeof actual !== 'number' && typeof actual !== 'boolean') return false;
    return String(actual).trim().toLowerCase() === expected.trim().toLowerCase();
  }
  return expected === actual;
}

export function ruleMatches(rule: ClassificationRule, input: TouchpointInput): boolean {
  const when: unknown = rule?.when;
  if (typeof when !== 'object' || when === null) return false;
  const { event, channel, properties } = when as RuleCondition;
  if (event !== undefined && !anyGlob(event, asString(input.event))) return false;
  if (channel !== undefined && !anyGlob(channel, asString(input.channel))) return false;
  if (properties !== undefined) {
    if (typeof properties !== 'object' || properties === null) return false;
    const actual = asRecord(input.properties);
    for (const [key, value] of Object.entries(properties)) {
      if (!Object.hasOwn(actual, key) || !propertyEquals(value, actual[key])) return false;
    }
  }
  return true;
}

// ---- text ----------------------------------------------------------------------------------

type WordMatcher = { prefix: string } | { stem: string; text: string };
type Cue = Stage | 'positive' | 'negative';
interface CompiledEntry { kind: Cue; words: WordMatcher[]; weight: number; negatorFirst: boolean }

const NEGATOR_SET = new Set(NEGATORS.map((n) => normalizeForSearch(n)));

/**
 * All lexicons, indexed by their first word (its stem, its folded text, or the first two
 * letters of a prefix) so a text costs a few lookups per word rather than a scan of every
 * entry. Two entries of one kind that fold and stem alike count once (ψάχνω, ψάχνουμε).
 */
function buildIndex(): Map<string, CompiledEntry[]> {
  const index = new Map<string, CompiledEntry[]>();
  const seen = new Set<string>();
  const lists: [Cue, readonly LexEntry[]][] = [
    ...STAGES.map((stage): [Cue, readonly LexEntry[]] => [stage, STAGE_CUES[stage]]),
    ['positive', POSITIVE],
    ['negative', NEGATIVE],
  ];
  for (const [kind, entries] of lists) {
    for (const entry of entries) {
      const [phrase, weight] = typeof entry === 'string' ? [entry, 1] : entry;
      const words = normalizeForSearch(phrase).split(' ').map((w): WordMatcher =>
        w.endsWith('*') && w.length > 2 ? { prefix: w.slice(0, -1) } : { stem: stemWord(w), text: w });
      const first = words[0];
      const id = `${kind}|${words.map((w) => ('prefix' in w ? `${w.prefix}*` : w.stem)).join(' ')}`;
      if (!first || seen.has(id)) continue;
      seen.add(id);
      const compiled = { kind, words, weight, negatorFirst: 'text' in first && NEGATOR_SET.has(first.text) };
      const keys = 'prefix' in first ? [`p:${first.prefix.slice(0, 2)}`] : [`s:${first.stem}`, `t:${first.text}`];
      for (const key of new Set(keys)) index.set(key, [...(index.get(key) ?? []), compiled]);
    }
  }
  return index;
}

const INDEX = buildIndex();
const STAR_STEMS = new Set(STAR_WORDS.map((w) => stemWord(normalizeForSearch(w))));
const NUMBER_MAP = new Map(Object.entries(NUMBER_WORDS).map(([w, n]) => [normalizeForSearch(w), n]));

function wordMatches(m: WordMatcher, t: Token): boolean {
  if ('prefix' in m) return t.text.startsWith(m.prefix) || t.stem.startsWith(m.prefix);
  return t.stem === m.stem || t.text === m.text;
}

/** Does the phrase's tail follow token i: words in order, one clause, at most two words between? */
function tailMatches(entry: CompiledEntry, tokens: Token[], i: number): boolean {
  let at = i;
  for (const word of entry.words.slice(1)) {
    let found = -1;
    for (let j = at + 1; j <= at + 3 && j < tokens.length; j++) {
      const t = tokens[j];
      if (!t || t.clause !== tokens[i]?.clause) break;
      if (wordMatches(word, t)) { found = j; break; }
    }
    if (found < 0) return false;
    at = found;
  }
  return true;
}

/** Every lexicon entry found in the text, with the index of its first word. */
function findCues(tokens: Token[]): { entry: CompiledEntry; at: number }[] {
  const found: { entry: CompiledEntry; at: number }[] = [];
  tokens.forEach((t, at) => {
    const keys = [`s:${t.stem}`, `t:${t.text}`, `p:${t.text.slice(0, 2)}`, `p:${t.stem.slice(0, 2)}`];
    const candidates = new Set(keys.flatMap((k) => INDEX.get(k) ?? []));
    for (const entry of candidates) {
      const first = entry.words[0];
      if (first && wordMatches(first, t) && tailMatches(entry, tokens, at)) found.push({ entry, at });
    }
  });
  return found;
}

function negated(tokens: Token[], index: number): boolean {
  const clause = tokens[index]?.clause;
  for (let j = Math.max(0, index - 3); j < index; j++) {
    const t = tokens[j];
    if (t && t.clause === clause && (NEGATOR_SET.has(t.text) || NEGATOR_SET.has(t.stem))) return true;
  }
  return false;
}

/** A star rating written in the text: "3 stars", "τρία αστέρια", "ثلاث نجوم", "★★★★★". */
export function ratingInText(tokens: Token[]): number | null {
  const stars = tokens.filter((t) => t.text === '★' || t.text === '⭐').length;
  if (stars >= 1 && stars <= 5) return stars;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t || !STAR_STEMS.has(t.stem)) continue;
    if (t.text === normalizeForSearch('نجمتين')) return 2;
    for (const near of [tokens[i - 1], tokens[i + 1]]) {
      if (!near || near.clause !== t.clause) continue;
      const n = /^[0-9]$/.test(near.text) ? Number(near.text) : NUMBER_MAP.get(near.text);
      if (n !== undefined && n >= 1 && n <= 5) return n;
    }
  }
  return null;
}

export interface TextClassification {
  /** The stage the text points to, or null when no cue reached the threshold. */
  stage: Stage | null;
  valence: Valence;
  /** Positive minus negative evidence (a written star rating overrides it for the valence). */
  sentiment: number;
  scores: Record<Stage, number>;
  confidence: number;
}

const channelIn = (channel: string, list: readonly string[]): boolean => list.includes(channel.trim().toLowerCase());

export function classifyText(text: string, channel = '', properties: Record<string, unknown> = {}): TextClassification {
  const tokens = tokenize(text.slice(0, MAX_TEXT));
  const scores: Record<Stage, number> = { lzmot: 0, zmot: 0, fmot: 0, smot: 0, umot: 0 };
  let sentiment = 0;
  for (const { entry, at } of findCues(tokens)) {
    if (entry.kind !== 'positive' && entry.kind !== 'negative') {
      scores[entry.kind] += entry.weight;
      continue;
    }
    const sign = entry.kind === 'positive' ? 1 : -1;
    const flip = !entry.negatorFirst && negated(tokens, at);
    // "not good" is plainly negative; "not bad" is only mildly positive; "is it any
    // good?" asks rather than says, so it counts half.
    const asked = tokens[at]?.question ? 0.5 : 1;
    sentiment += asked * (flip ? -sign * entry.weight * (sign > 0 ? 1 : 0.5) : sign * entry.weight);
  }
  const rating = ratingInText(tokens);
  const valence: Valence = rating !== null
    ? rating >= 4 ? 'positive' : rating <= 2 ? 'negative' : 'neutral'
    : sentiment > 0.5 ? 'positive' : sentiment < -0.5 ? 'negative' : 'neutral';

  // Where the text was found is evidence too. Text on a review site or a blog, or made
  // public, is published feedback by definition (the spec's "public review"), whatever moment
  // it recounts, so it settles the stage; a note from a store is a first contact; a
  // help-desk channel leans to after-purchase; an opinion on social media leans to
  // published feedback (but prospects post too, so it does not settle it).
  if (channelIn(channel, REVIEW_CHANNELS) || properties.public === true) scores.umot += 5;
  if (channelIn(channel, STORE_CHANNELS)) scores.fmot += 1;
  if (channelIn(channel, HELP_DESK_CHANNELS)) scores.smot += 0.5;
  if (channelIn(channel, SOCIAL_CHANNELS)) scores.umot += valence === 'neutral' ? 0.5 : 1;

  const ranked = [...STAGES].sort((a, b) => scores[b] - scores[a]);
  const top = ranked[0] ?? 'zmot';
  const best = scores[top];
  const second = scores[ranked[1] ?? top];
  const stage = best >= 1 ? top : null;
  const confidence = stage ? Math.min(0.9, 0.4 + (0.5 * (best - second)) / best) : 0;
  return { stage, valence, sentiment, scores, confidence };
}

// ---- touchpoints ---------------------------------------------------------------------------

const asString = (value: unknown): string => (typeof value === 'string' ? value : '');
const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

function explicitKey<T extends string>(value: unknown, valid: (v: unknown) => v is T): T | undefined {
  if (typeof value !== 'string') return undefined;
  const key = value.trim().toLowerCase();
  return valid(key) ? key : undefined;
}

/** A rating or survey score recorded as a property: rating 1–5, CSAT 1–5, NPS 0–10. */
function valenceFromScore(properties: Record<string, unknown>): Valence | undefined {
  const type = asString(properties.type).toLowerCase();
  const rating = typeof properties.rating === 'number' ? properties.rating : undefined;
  const score = typeof properties.score === 'number' ? properties.score : undefined;
  if (type === 'nps' && score !== undefined && score >= 0 && score <= 10) {
    return score >= 9 ? 'positive' : score <= 6 ? 'negative' : 'neutral';
  }
  const fiveScale = rating ?? (type === 'csat' ? score : undefined);
  if (fiveScale !== undefined && fiveScale >= 1 && fiveScale <= 5) {
    return fiveScale >= 4 ? 'positive' : fiveScale <= 2 ? 'negative' : 'neutral';
  }
  return undefined;
}

/**
 * When nothing else decides: a touchpoint on a help-desk channel (email, chat, phone, SMS,
 * a survey…) is a customer talking to the company, which for an existing customer is the
 * second moment — the help desk's everyday case. Anywhere else (web, API, an unknown source)
 * an unrecognised event is most often a visit or a look around before deciding, so the zero
 * moment. Both come with low confidence so reports can tell them apart.
 */
export function defaultStage(channel: string): Stage {
  return channelIn(channel, HELP_DESK_CHANNELS) ? 'smot' : 'zmot';
}

export function classifyTouchpoint(input: TouchpointInput, rules: readonly ClassificationRule[] = []): Classification {
  const safe = asRecord(input);
  const event = asString(safe.event);
  const channel = asString(safe.channel);
  const properties = asRecord(safe.properties);
  const text = (asString(safe.text).trim() || asString(properties.text)).slice(0, MAX_TEXT);
  const normalized: TouchpointInput = { event, channel, properties, text };

  let stage = explicitKey(properties.stage, isStage);
  let valence = explicitKey(properties.valence, isValence);
  let decidedBy: DecidedBy = stage ? 'explicit' : 'default';
  let confidence = stage ? 1 : 0.2;
  let ruleId: string | undefined;

  const rule = (Array.isArray(rules) ? rules : []).find((r) => ruleMatches(r, normalized));
  if (rule) {
    const then = asRecord(rule.then);
    const ruleStage = explicitKey(then.stage, isStage);
    if (!stage && ruleStage) {
      stage = ruleStage; decidedBy = 'rule'; confidence = 0.95;
      ruleId = typeof rule.id === 'string' ? rule.id : undefined;
    }
    valence ??= explicitKey(then.valence, isValence);
  }

  const eventKey = normalizeEventName(event);
  const entry = Object.hasOwn(EVENT_CATALOGUE, eventKey) ? EVENT_CATALOGUE[eventKey] : undefined;
  if (!stage && entry) { stage = entry.stage; decidedBy = 'catalogue'; confidence = 0.9; }
  if (!valence && entry?.fixed) valence = entry.valence;
  valence ??= valenceFromScore(properties);

  const fromText = text.trim() && (!stage || !valence) ? classifyText(text, channel, properties) : undefined;
  if (!stage && fromText?.stage) { stage = fromText.stage; decidedBy = 'text'; confidence = fromText.confidence; }
  if (!valence && fromText && fromText.valence !== 'neutral') valence = fromText.valence;
  valence ??= entry?.valence ?? 'neutral';

  if (!stage) { stage = defaultStage(channel); decidedBy = 'default'; confidence = 0.2; }
  const result: Classification = { stage, valence, decidedBy, confidence: Math.round(confidence * 100) / 100 };
  if (ruleId !== undefined) result.ruleId = ruleId;
  return result;
}
