// Which touchpoints are facts for the loop reports (table loop_facts): views of published
// reviews, conversions, and the starts and ends of first-contact visits. Decided here, pure,
// and written by insertTouchpoints in the statement that stores the touchpoint.
import { isConversionEvent, REVIEW_VIEWED } from './attribution.ts';
import { normalizeEventName } from './classifier.ts';
import { dimensionValue, dwellOf, isFirstContact, isLeave } from './fmot.ts';

export type LoopFactKind = 'review_view' | 'conversion' | 'visit_start' | 'visit_leave';

export interface LoopFact {
  kind: LoopFactKind;
  reviewId: string | null;
  visitId: string | null;
  dwellMs: number | null;
  product: string | null;
  page: string | null;
  store: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REVIEW_VIEWED_KEY = normalizeEventName(REVIEW_VIEWED);
const MAX_DWELL_MS = 24 * 3_600_000;

/** The fact a touchpoint is, if any (identify calls never are). */
export function loopFactOf(t: { kind: string; event: string; properties: Record<string, unknown> }): LoopFact | null {
  if (t.kind === 'identify') return null;
  const base = { reviewId: null, visitId: null, dwellMs: null, product: null, page: null, store: null };
  const event = normalizeEventName(t.event);
  if (event === REVIEW_VIEWED_KEY) {
    const reviewId = t.properties['reviewId'];
    return typeof reviewId === 'string' && UUID.test(reviewId) ? { ...base, kind: 'review_view', reviewId: reviewId.toLowerCase() } : null;
  }
  if (isConversionEvent(t.event)) return { ...base, kind: 'conversion' };
  const dwell = dwellOf(t.properties);
  const dwellMs = dwell === null ? null : Math.round(Math.min(dwell, MAX_DWELL_MS));
  if (isFirstContact(t)) {
    return {
      ...base,
      kind: 'visit_start',
      dwellMs,
      product: dimensionValue(t.properties, 'product'),
      page: dimensionValue(t.properties, 'page'),
      store: dimensionValue(t.properties, 'store'),
    };
  }
  if (isLeave(t)) {
    const visitId = t.properties['visitId'];
    return { ...base, kind: 'visit_leave', dwellMs, visitId: typeof visitId === 'string' && visitId ? visitId.slice(0, 200) : null };
  }
  return null;
}
