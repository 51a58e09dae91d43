// Demo data for the reports that close the loops: a few published reviews (submitted through
// TruthDesk by demo customers, one of them negative), a review widget, prospects who saw those
// reviews on the shop's site — some of whom bought within 30 days, some not — and first-contact
// visits with their dwell time (bounces, engaged visits, a purchase in the same visit). Sent
// through the same ingestion a real site would use; deterministic for a given `now`.
import { ingestBatch } from '../journeys/ingest.ts';
import { createReviewWidget, submitReview } from '../reviews/service.ts';
import type { WorkspaceContext } from '../shared/context.ts';

const DAY = 86_400_000;
const MIN = 60_000;

const DEMO_REVIEWS = [
  { customer: 'en-olivia-bennett', rating: 5, lang: 'en' as const, text: 'Replaced under warranty the next day, settings and schedule came across. Support that actually helps.' },
  { customer: 'el-giorgos-papadakis', rating: 5, lang: 'el' as const, text: 'Εξαιρετική εξυπηρέτηση: ο τεχνικός ήρθε την ίδια μέρα και ο λογαριασμός ρεύματος μειώθηκε από τον πρώτο μήνα.' },
  { customer: 'en-james-whitaker', rating: 2, lang: 'en' as const, text: 'The installer never turned up and nobody rang to say so. Two stars for the thermostat itself.' },
  { customer: 'el-maria-konstantinou', rating: 4, lang: 'el' as const, text: 'Πολύ καλή συσκευή, η εφαρμογή θέλει λίγη βελτίωση στα ελληνικά.' },
];

export interface DemoLoops {
  reviews: number;
  /** Review views, conversions, visits and leaves stored. */
  touchpoints: number;
  visits: number;
}

/** `customers`: the demo customers' ids by catalogue key. */
export async function seedDemoLoops(ctx: WorkspaceContext, customers: Map<string, { id: string }>, now: Date): Promise<DemoLoops> {
  const reviewIds: string[] = [];
  for (const [i, r] of DEMO_REVIEWS.entries()) {
    const customer = customers.get(r.customer);
    if (!customer) throw new Error(`demo review names unknown customer ${r.customer}`);
    const published = new Date(now.getTime() - (80 - i) * DAY).toISOString();
    reviewIds.push((await submitReview(ctx, { customerId: customer.id, rating: r.rating, text: r.text, lang: r.lang, publishedAt: published }, new Date(published))).id);
  }
  await createReviewWidget(ctx, { name: 'Aurora shop' }, new Date(now.getTime() - 75 * DAY));

  const at = (ms: number) => new Date(ms).toISOString();
  const messages: Record<string, unknown>[] = [];
  // 16 prospects, each reading two or three reviews over a few days, 10–60 days ago; every
  // other one buys (or starts a trial) within a fortnight of the first review read.
  for (let p = 0; p < 16; p++) {
    const anonymousId = `demo-prospect-${String(p).padStart(2, '0')}`;
    const start = now.getTime() - (60 - p * 3) * DAY + p * 37 * MIN;
    const read = p % 3 === 0 ? [2, 0, 1] : p % 3 === 1 ? [0, 1] : [1, 3, 2];
    for (const [k, r] of read.entries()) {
      const reviewId = reviewIds[r] as string;
      messages.push({
        type: 'track',
        event: 'Review Viewed',
        anonymousId,
        timestamp: at(start + k * DAY),
        messageId: `demo-rv-${p}-${k}`,
        channel: 'review_widget',
        properties: { stage: 'zmot', reviewId, valence: DEMO_REVIEWS[r]?.rating === 2 ? 'negative' : 'positive', page: '/thermostat' },
      });
    }
    if (p % 2 === 0 && p !== 6) {
      messages.push({
        type: 'track',
        event: p % 4 === 0 ? 'Order Completed' : 'Trial Started',
        anonymousId,
        timestamp: at(start + (read.length + 2) * DAY),
        messageId: `demo-conv-${p}`,
        properties: { stage: 'fmot', valence: 'positive', product: 'thermostat-aurora', revenue: 129 },
      });
    }
  }
  // First-contact visits: product pages in two stores, some left within the first seconds.
  const visits = [
    { product: 'thermostat-aurora', store: 'web', dwell: [3_000, 45_000, 120_000, 5_500, 80_000, 2_000, 64_000] },
    { product: 'thermostat-aurora-plus', store: 'web', dwell: [4_000, 6_000, 95_000, 30_000] },
    { product: 'thermostat-aurora', store: 'athens', dwell: [180_000, 240_000, 6_500] },
  ];
  let n = 0;
  for (const v of visits) {
    for (const [k, dwellMs] of v.dwell.entries()) {
      const anonymousId = `demo-visitor-${String(n).padStart(2, '0')}`;
      const t = now.getTime() - (50 - n * 2) * DAY + k * 53 * MIN;
      const visitId = `demo-visit-${n}`;
      messages.push({
        type: 'track',
        event: 'Product Viewed',
        anonymousId,
        timestamp: at(t),
        messageId: visitId,
        channel: v.store === 'web' ? 'web' : 'store',
        properties: { stage: 'fmot', product: v.product, store: v.store, page: `/${v.product}` },
      });
      messages.push({ type: 'track', event: 'Page Left', anonymousId, timestamp: at(t + dwellMs), messageId: `${visitId}:left`, properties: { stage: 'fmot', visitId, dwellMs } });
      // The engaged ones that stayed longest bought in the same visit.
      if (dwellMs >= 120_000) {
        messages.push({ type: 'track', event: 'Order Completed', anonymousId, timestamp: at(t + dwellMs + 5 * MIN), messageId: `${visitId}:order`, properties: { stage: 'fmot', valence: 'positive', product: v.product, revenue: 129 } });
      }
      n++;
    }
  }
  const results = await ingestBatch(ctx.db, ctx.workspaceId, messages);
  const invalid = results.filter((r) => r.status === 'invalid');
  if (invalid.length) throw new Error(`demo loop touchpoints refused: ${JSON.stringify(invalid[0])}`);
  return { reviews: reviewIds.length, touchpoints: results.filter((r) => r.status === 'stored').length, visits: n };
}
