// Which touchpoints the loop reports keep as facts (pure).
import { describe, expect, it } from 'vitest';
import { isConversionEvent } from '../src/domain/attribution.ts';
import { loopFactOf } from '../src/domain/loop-facts.ts';

const review = '01a2b3c4-0000-7000-8000-000000000001';

describe('loopFactOf', () => {
  it('keeps review views with a review id, conversions, and first-contact visits with their dimensions', () => {
    expect(loopFactOf({ kind: 'track', event: 'Review Viewed', properties: { reviewId: review } })).toMatchObject({ kind: 'review_view', reviewId: review });
    expect(loopFactOf({ kind: 'track', event: 'review_viewed', properties: { reviewId: 'not-an-id' } })).toBeNull();
    expect(loopFactOf({ kind: 'track', event: 'orderCompleted', properties: {} })).toMatchObject({ kind: 'conversion' });
    expect(loopFactOf({ kind: 'track', event: 'Trial Started', properties: {} })).toMatchObject({ kind: 'conversion' });
    expect(loopFactOf({ kind: 'track', event: 'Product Viewed', properties: { product: 'Θερμοστάτης', path: '/el/θερμοστάτης', storeId: 'athens-1', dwellMs: '6500' } })).toEqual({
      kind: 'visit_start',
      reviewId: null,
      visitId: null,
      dwellMs: 6500,
      product: 'Θερμοστάτης',
      page: '/el/θερμοστάτης',
      store: 'athens-1',
    });
    expect(loopFactOf({ kind: 'track', event: 'Sample Tried', properties: { store: 'Θεσσαλονίκη' } })).toMatchObject({ kind: 'visit_start', store: 'Θεσσαλονίκη' });
    expect(loopFactOf({ kind: 'track', event: 'Page Left', properties: { visitId: 'v-1', dwellMs: 4200 } })).toMatchObject({ kind: 'visit_leave', visitId: 'v-1', dwellMs: 4200 });
    expect(loopFactOf({ kind: 'track', event: 'Pricing Viewed', properties: {} })).toBeNull();
    expect(loopFactOf({ kind: 'identify', event: 'Order Completed', properties: {} })).toBeNull();
    expect(isConversionEvent('Purchase')).toBe(true);
    expect(isConversionEvent('Subscription Cancelled')).toBe(false);
  });
});
