// UMOT → ZMOT attribution: one customer's published review (the ultimate moment) is another
// person's research before buying (their zero moment). When a visitor who saw reviews later
// converts, the conversion is credited to those reviews. Pure: the caller loads views and
// conversions; no clock reads, no I/O. The SQL report (src/loops/attribution.ts) computes the
// same thing set-based and is tested against this reference.
//
// The rules, exactly:
// - A conversion's *candidate views* are the views by the same person at or before the
//   conversion and no more than `lookbackDays` before it: viewedAt ∈ [convertedAt − lookback,
//   convertedAt]. Each conversion looks back on its own; a view may influence several.
// - The credit of one conversion is 1, shared among reviews by the model:
//   - `first_touch`: all to the review of the earliest candidate view;
//   - `last_touch`:  all to the review of the latest candidate view;
//   - `linear`:      equally among the *distinct* reviews seen (a review read three times
//     counts once, so reloading a page does not buy credit).
//   Ties in time are broken by the review id, smallest first (first touch) or last (last touch),
//   so the answer never depends on input order.
// - A conversion without candidate views is unattributed: it gives no credit to anyone.
// - A *prospect reached* by a review is a distinct person who viewed it. A viewer is a
//   *lost prospect* of a review when a full lookback window has passed since their last view
//   of it (lastView + lookback ≤ at) and no conversion of theirs followed any of their views of
//   it within the window. People whose window is still open are neither won nor lost.

import { normalizeEventName } from './classifier.ts';

export const ATTRIBUTION_MODELS = ['first_touch', 'last_touch', 'linear'] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

export const DEFAULT_LOOKBACK_DAYS = 30;
export const DAY_MS = 86_400_000;

/**
 * The conversions of the first moment: a purchase or the start of a trial. Compared
 * normalised ("orderCompleted" = "Order Completed"). The migration that back-fills facts
 * (029_loops_reviews.sql) lists the same names.
 */
export const CONVERSION_EVENTS = ['Order Completed', 'Purchase', 'Trial Converted', 'Subscription Started', 'Trial Started'] as const;
const CONVERSIONS = new Set(CONVERSION_EVENTS.map(normalizeEventName));
export const isConversionEvent = (event: string): boolean => CONVERSIONS.has(normalizeEventName(event));

/** The event the review widget records for each review a visitor saw (zero moment of truth). */
export const REVIEW_VIEWED = 'Review Viewed';

export interface ReviewView {
  reviewId: string;
  /** A customer id, or an anonymous visitor's key until identified. */
  person: string;
  viewedAt: Date;
}

export interface Conversion {
  id: string;
  person: string;
  convertedAt: Date;
}

export interface Credit {
  conversionId: string;
  reviewId: string;
  /** The share of the conversion credited to the review, 0 < credit ≤ 1. */
  credit: number;
}

export function isAttributionModel(value: unknown): value is AttributionModel {
  return typeof value === 'string' && (ATTRIBUTION_MODELS as readonly string[]).includes(value);
}

function groupByPerson<T extends { person: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.person);
    if (list) list.push(r);
    else out.set(r.person, [r]);
  }
  return out;
}

/** The views of the conversion's person inside its lookback window. */
export function candidateViews(conversion: Conversion, personViews: readonly ReviewView[], lookbackDays: number): ReviewView[] {
  const end = conversion.convertedAt.getTime();
  const start = end - lookbackDays * DAY_MS;
  return personViews.filter((v) => {
    const at = v.viewedAt.getTime();
    return v.person === conversion.person && at >= start && at <= end;
  });
}

/** How one conversion's credit is shared among the reviews its person saw before it. */
export function creditConversion(conversion: Conversion, views: readonly ReviewView[], model: AttributionModel): Credit[] {
  if (views.length === 0) return [];
  const byTime = [...views].sort(
    (a, b) => a.viewedAt.getTime() - b.viewedAt.getTime() || (a.reviewId < b.reviewId ? -1 : a.reviewId > b.reviewId ? 1 : 0),
  );
  if (model === 'first_touch') return [{ conversionId: conversion.id, reviewId: byTime[0]!.reviewId, credit: 1 }];
  if (model === 'last_touch') return [{ conversionId: conversion.id, reviewId: byTime.at(-1)!.reviewId, credit: 1 }];
  const reviews = [...new Set(byTime.map((v) => v.reviewId))].sort();
  return reviews.map((reviewId) => ({ conversionId: conversion.id, reviewId, credit: 1 / reviews.length }));
}

/** Every credit of every conversion under one model. */
export function attribute(
  conversions: readonly Conversion[],
  views: readonly ReviewView[],
  options: { model: AttributionModel; lookbackDays?: number },
): Credit[] {
  const lookback = options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS;
  const byPerson = groupByPerson(views);
  return conversions.flatMap((c) => creditConversion(c, candidateViews(c, byPerson.get(c.person) ?? [], lookback), options.model));
}

export interface ReviewAttribution {
  reviewId: string;
  views: number;
  /** Distinct people who viewed it. */
  prospectsReached: number;
  /** Conversions whose person saw it within the lookback window (whatever the model). */
  conversionsInfluenced: number;
  /** Sum of its credits: attributed conversions. */
  attributedConversions: number;
  /** Viewers whose window closed without a conversion (see the rules at the top). */
  lostProspects: number;
}

/**
 * Per review: reach, influence and lost prospects, sorted by attributed conversions, then
 * conversions influenced, then prospects reached (descending), then review id.
 */
export function rankReviews(
  conversions: readonly Conversion[],
  views: readonly ReviewView[],
  options: { model: AttributionModel; lookbackDays?: number; at: Date },
): ReviewAttribution[] {
  const lookbackMs = (options.lookbackDays ?? DEFAULT_LOOKBACK_DAYS) * DAY_MS;
  const rows = new Map<string, ReviewAttribution & { people: Set<string> }>();
  const row = (reviewId: string) => {
    let r = rows.get(reviewId);
    if (!r) {
      r = { reviewId, views: 0, prospectsReached: 0, conversionsInfluenced: 0, attributedConversions: 0, lostProspects: 0, people: new Set() };
      rows.set(reviewId, r);
    }
    return r;
  };
  for (const v of views) {
    const r = row(v.reviewId);
    r.views += 1;
    r.people.add(v.person);
  }
  // Conversions in one canonical order, so that sums of fractions do not depend on input order.
  const ordered = [...conversions].sort(
    (a, b) => a.convertedAt.getTime() - b.convertedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  // Influence does not depend on the model: every distinct review seen in the window.
  for (const c of attribute(ordered, views, { ...options, model: 'linear' })) row(c.reviewId).conversionsInfluenced += 1;
  for (const c of attribute(ordered, views, options)) row(c.reviewId).attributedConversions += c.credit;
  const conversionsByPerson = groupByPerson(conversions);
  const viewsByReviewPerson = new Map<string, ReviewView[]>();
  for (const v of views) {
    const key = `${v.reviewId}\u0000${v.person}`;
    const list = viewsByReviewPerson.get(key);
    if (list) list.push(v);
    else viewsByReviewPerson.set(key, [v]);
  }
  for (const list of viewsByReviewPerson.values()) {
    const { reviewId, person } = list[0]!;
    const last = Math.max(...list.map((v) => v.viewedAt.getTime()));
    if (last + lookbackMs > options.at.getTime()) continue; // window still open
    const personConversions = conversionsByPerson.get(person) ?? [];
    const won = list.some((v) =>
      personConversions.some((c) => {
        const at = c.convertedAt.getTime();
        return at >= v.viewedAt.getTime() && at <= v.viewedAt.getTime() + lookbackMs;
      }),
    );
    if (!won) row(reviewId).lostProspects += 1;
  }
  return [...rows.values()]
    .map(({ people, ...r }) => ({ ...r, prospectsReached: people.size }))
    .sort(
      (a, b) =>
        b.attributedConversions - a.attributedConversions ||
        b.conversionsInfluenced - a.conversionsInfluenced ||
        b.prospectsReached - a.prospectsReached ||
        (a.reviewId < b.reviewId ? -1 : a.reviewId > b.reviewId ? 1 : 0),
    );
}
