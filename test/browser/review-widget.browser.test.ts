/// <reference lib="dom" />
// The review widget and the dwell snippet in real Chromium, embedded on a shop page served from
// another loopback origin, in Arabic: the widget is right-to-left and accessible, each review the
// visitor saw becomes a "Review Viewed" touchpoint of their anonymous id that appears in their
// journey after `identify`, and leaving the page reports the dwell time through sendBeacon.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi } from '../support/api.ts';
import type { TestApi, TestWorkspace } from '../support/api.ts';
import { launchBrowser } from '../support/browser.ts';
import { seriousAxeViolations } from '../support/web-app.ts';

describe('review widget in Chromium', () => {
  let api: TestApi;
  let truthdesk: string;
  let shop: Server;
  let shopUrl: string;
  let browser: Browser;
  let aurora: TestWorkspace;
  let writeKey: string;
  const reviewIds: string[] = [];
  const shots = mkdtempSync(join(tmpdir(), 'truthdesk-reviews-shots-'));

  beforeAll(async () => {
    api = await startTestApi('pglite');
    truthdesk = await api.app.listen({ port: 0, host: '127.0.0.1' });
    aurora = await api.createWorkspace('Aurora');
    writeKey = (await api.request(aurora.tokens.owner, 'GET', '/api/v1/workspace')).json().writeKey;
    const reviews = [
      { author: 'سارة أحمد', rating: 5, text: 'تم تركيب منظم الحرارة في عشر دقائق، وفريق الدعم رد فوراً. تجربة ممتازة!', publishedAt: '2026-10-01T09:00:00Z' },
      { author: 'خالد', rating: 2, text: 'التوصيل تأخر أسبوعين ولم يرد أحد على رسائلي.', publishedAt: '2026-10-02T09:00:00Z' },
      { author: 'Μαρία Παπαδοπούλου', rating: 4, text: 'Πολύ καλή συσκευή, η εφαρμογή θέλει βελτίωση.', publishedAt: '2026-10-03T09:00:00Z' },
    ];
    for (const r of reviews) reviewIds.push((await api.request(aurora.tokens.agent, 'POST', '/api/v1/reviews', r)).json().id);
    const key = (await api.request(aurora.tokens.admin, 'POST', '/api/v1/review-widgets', { name: 'متجر' })).json().publicKey;
    shop = createServer((req, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      // A long page whose reviews are below the fold, sending views only every minute: the
      // views seen just before leaving can only arrive by the page-leave beacon.
      if (req.url?.includes('/long')) {
        res.end(
          `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>آراء العملاء</title></head>` +
            `<body><main><h1>آراء العملاء</h1><div style="height:3000px"></div><div data-truthdesk-reviews></div></main>` +
            `<script src="${truthdesk}/reviews.js" data-key="${key}" data-lang="ar" data-batch-ms="60000" async></script></body></html>`,
        );
        return;
      }
      res.end(
        `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>منظم الحرارة أورora</title></head>` +
          `<body style="font-family:'DejaVu Sans'"><main><h1>منظم الحرارة الذكي</h1><p>السعر: 129 يورو</p>` +
          `<div data-truthdesk-reviews></div></main>` +
          `<script src="${truthdesk}/reviews.js" data-key="${key}" data-lang="ar" async></script>` +
          `<script src="${truthdesk}/dwell.js" data-write-key="${writeKey}" data-event="Product Viewed" data-product="thermostat-aurora" data-store="web-ar" async></script>` +
          `</body></html>`,
      );
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    const address = shop.address();
    shopUrl = `http://localhost:${typeof address === 'object' && address ? address.port : 0}/ar/thermostat`;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => shop?.close(resolve));
    await api?.close();
  });

  const count = async (event: string) =>
    Number((await sql<{ n: string }>`SELECT count(*) AS n FROM touchpoints WHERE event = ${event}`.execute(api.database.db)).rows[0]?.n);

  it('shows the reviews right to left, records the views, and the views join the journey after identify', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    await page.goto(shopUrl);
    const section = page.getByRole('region', { name: 'ماذا يقول عملاؤنا' });
    await section.waitFor();
    expect(await page.locator('[data-truthdesk-reviews] section').getAttribute('dir')).toBe('rtl');
    const articles = page.getByRole('article');
    await expect.poll(() => articles.count()).toBe(3);
    // Arabic reviews first (the page's language), each labelled with its author and stars.
    await page.getByRole('article', { name: 'مراجعة من سارة أ.' }).waitFor();
    await page.getByRole('img', { name: '5 من 5 نجوم' }).waitFor();
    expect(await articles.first().getAttribute('data-id')).toBe(reviewIds[1]);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.screenshot({ path: join(shots, 'reviews-ar.png') });
    console.info(`review widget screenshot: ${join(shots, 'reviews-ar.png')}`);

    await expect.poll(() => count('Review Viewed'), { timeout: 10_000 }).toBe(3);
    await expect.poll(() => count('Product Viewed'), { timeout: 10_000 }).toBe(1);
    const anonymousId = await page.evaluate(() => localStorage.getItem('td_anonymous_id'));
    expect(anonymousId).toMatch(/^td-/);

    // The visitor writes a review of their own, in Arabic: held for the shop to approve.
    await section.getByText('اكتب مراجعة').click();
    await section.getByRole('radio', { name: '4 نجوم' }).check();
    await section.getByLabel('مراجعتك').fill('الجهاز ممتاز لكن التطبيق يحتاج إلى ترجمة عربية أفضل.');
    await section.getByLabel('اسمك (اختياري)').fill('نورة');
    expect(await seriousAxeViolations(page)).toEqual([]);
    await section.getByRole('button', { name: 'إرسال المراجعة' }).click();
    await section.getByText('شكراً لك! ستظهر مراجعتك هنا بعد مراجعتها.').waitFor();
    await page.screenshot({ path: join(shots, 'review-written-ar.png') });
    const held = (await api.request(aurora.tokens.admin, 'GET', '/api/v1/reviews?hidden=true')).json().data;
    expect(held).toEqual([expect.objectContaining({ author: 'نورة', rating: 4, hidden: true, text: 'الجهاز ممتاز لكن التطبيق يحتاج إلى ترجمة عربية أفضل.' })]);

    // Leaving the page sends the dwell beacon.
    await page.goto('about:blank');
    await expect.poll(() => count('Page Left'), { timeout: 10_000 }).toBe(1);
    await page.close();

    // The shop identifies the visitor when they sign up: the views become the customer's.
    const identify = await api.app.inject({
      method: 'POST',
      url: '/api/v1/identify',
      headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      payload: { userId: 'shop-user-1', anonymousId, traits: { name: 'نورة', email: 'noura@example.com' } },
    });
    expect(identify.statusCode).toBe(200);
    const journey = (await api.request(aurora.tokens.agent, 'GET', '/api/v1/customers/shop-user-1/journey')).json();
    const views = journey.touchpoints.filter((t: { event: string }) => t.event === 'Review Viewed');
    expect(views.map((t: { properties: { reviewId: string } }) => t.properties.reviewId).sort()).toEqual([...reviewIds].sort());
    expect(views[0]).toMatchObject({ stage: 'zmot', channel: 'review_widget' });
    // Their own review is their ultimate moment, in the same journey.
    expect(journey.touchpoints.find((t: { event: string }) => t.event === 'Review Published')).toMatchObject({ stage: 'umot', channel: 'review_widget' });
    const visit = journey.touchpoints.find((t: { event: string }) => t.event === 'Product Viewed');
    const left = journey.touchpoints.find((t: { event: string }) => t.event === 'Page Left');
    expect(visit).toMatchObject({ stage: 'fmot', properties: { product: 'thermostat-aurora', store: 'web-ar', page: '/ar/thermostat' } });
    expect(left.properties.visitId).toBe(visit.messageId);
    expect(left.properties.dwellMs).toBeGreaterThan(0);
  });

  it('sends the views still waiting when the page is left, as a text/plain beacon', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
    // What reaches TruthDesk's server for the views route (a beacon sent while the page goes
    // away is not reported to the page's own request events).
    const posted: { method: string | undefined; type: string | undefined }[] = [];
    const watch = (req: IncomingMessage) => {
      if (req.url?.endsWith('/views')) posted.push({ method: req.method, type: req.headers['content-type'] });
    };
    api.app.server.on('request', watch);
    await page.goto(shopUrl.replace('/ar/thermostat', '/ar/long'));
    await expect.poll(() => page.getByRole('article').count()).toBe(3);
    const before = await count('Review Viewed');
    const stored = async () => (await count('Review Viewed')) - before;
    // Below the fold nothing is seen; scrolled into view, all three are, and wait in the batch.
    await page.waitForTimeout(300);
    expect(posted).toEqual([]);
    await page.getByRole('region', { name: 'ماذا يقول عملاؤنا' }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    expect(posted).toEqual([]);
    expect(await stored()).toBe(0);
    await page.goto('about:blank');
    await expect.poll(stored, { timeout: 10_000 }).toBe(3);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.method).toBe('POST');
    expect(posted[0]?.type).toMatch(/^text\/plain/);
    api.app.server.off('request', watch);
    // One person's views of all three reviews, from that one beacon.
    const owners = await sql<{ anonymous_id: string; reviews: string }>`
      SELECT anonymous_id, count(DISTINCT properties->>'reviewId') AS reviews FROM touchpoints
      WHERE event = 'Review Viewed' GROUP BY anonymous_id ORDER BY min(occurred_at) DESC LIMIT 1`.execute(api.database.db);
    expect(Number(owners.rows[0]?.reviews)).toBe(3);
    await page.close();
  });
});
