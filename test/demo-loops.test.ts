// `npm start`'s demo workspace shows the loop reports with something in them: published reviews
// with their views and the conversions they influenced (one negative review before lost
// prospects), and first-contact visits with bounces, engagement and same-visit purchases.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attributionReport } from '../src/attribution/report.ts';
import { seedDemo } from '../src/demo/seed.ts';
import { fmotReport } from '../src/fmot/report.ts';
import type { WorkspaceContext } from '../src/shared/context.ts';
import { availableBackends, freshDatabase } from './support/db.ts';
import type { TestDatabase } from './support/db.ts';

const DAY = 86_400_000;

describe.each(availableBackends())('the demo workspace’s loop reports on %s', (kind) => {
  let database: TestDatabase;
  let ctx: WorkspaceContext;
  const now = new Date();
  beforeAll(async () => {
    database = await freshDatabase(kind);
    const demo = await seedDemo(database.db, { now });
    ctx = { db: database.db, workspaceId: demo.workspaceId, actor: { type: 'system', id: null, role: 'owner' } };
  }, 240_000);
  afterAll(async () => database?.close());

  it('ranks the published reviews by the conversions they influenced, a negative one before lost prospects', async () => {
    const report = await attributionReport(ctx, { from: new Date(now.getTime() - 90 * DAY), to: now, model: 'linear', lookbackDays: 30, limit: 50 });
    expect(report.reviews).toHaveLength(4);
    expect(report.totals.views).toBe(43);
    expect(report.totals.prospectsReached).toBe(16);
    expect(report.totals.attributedConversions).toBe(7);
    expect(report.reviews.every((r) => r.prospectsReached > 0)).toBe(true);
    expect(report.reviews[0]?.credit).toBeGreaterThan(0);
    expect(report.negativeBeforeLost).toHaveLength(1);
    expect(report.negativeBeforeLost[0]).toMatchObject({ review: { rating: 2, valence: 'negative' }, followUp: 'recovery' });
    expect(report.negativeBeforeLost[0]?.lostProspects).toBeGreaterThan(0);
    expect(report.reviews.map((r) => r.review.lang).sort()).toEqual(['el', 'el', 'en', 'en']);
  });

  it('measures the FMOT window per product with bounces, engagement and same-visit purchases', async () => {
    const report = await fmotReport(ctx, { from: new Date(now.getTime() - 90 * DAY), to: now, groupBy: 'product', interval: 'week', limit: 50 });
    expect(report.total).toMatchObject({ visits: 14, measured: 14, bounced: 6, engaged: 8, converted: 3 });
    expect(report.groups.map((g) => g.key).sort()).toEqual(['thermostat-aurora', 'thermostat-aurora-plus']);
  });
});
