/// <reference lib="dom" />
// The team leader and CX manager screens in Debian's Chromium against the real server on PGlite
// with the demo workspace: team reports with drill-down and CSV, and the voice of the customer on
// the moments dashboard (survey trends, stage health trend, pain points), in English, Greek and Arabic
// (right-to-left). Screenshots go to the folder printed at the start; axe-core checks each one.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.ts';
import { catalogues, useDemoWebApp } from '../support/web-app.ts';

const { en, el, ar } = catalogues;
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

describe('team leader screens in Chromium', { timeout: 240_000 }, () => {
  const app = useDemoWebApp('leader', { locale: 'en-GB' });
  const { screenshot, expectAccessible, untranslated } = app;
  let server: RunningServer;
  let page: Page;
  const groupRows = () => page.locator('table.performance tbody tr');

  beforeAll(async () => {
    ({ server, page } = app);
    await page.goto(`${server.url}/?lang=en`);
    await app.signIn('en');
    await page.locator('table.tickets tbody tr').first().waitFor();
  }, 60_000);

  it('shows team reports per agent and per team, drills from a figure to its tickets, and exports one row per ticket', async () => {
    await page.getByRole('link', { name: en.nav.reports }).click();
    await page.getByRole('heading', { name: en.reports.perAgent }).waitFor();
    await poll(() => groupRows().count()).toBeGreaterThan(1);
    const everyone = page.locator('table.performance tfoot tr[data-group="all"]');
    await poll(() => everyone.locator('th').textContent()).toBe(en.reports.everyone);
    const figure = (cell: ReturnType<Page['locator']>) => cell.evaluate((td) => Number((td.querySelector('button')?.firstChild ?? td).textContent?.replace(/\D/g, '')));
    const total = await figure(everyone.locator('td').first());
    expect(total).toBeGreaterThan(5);
    await expectAccessible('reports (en)');
    await screenshot('reports-en');

    // Drill down: the tickets behind everyone's solved count, each a link to the ticket.
    await everyone.getByRole('button', { name: en.reports.drill.replace('{{figure}}', en.reports.solved).replace('{{name}}', en.reports.everyone) }).click();
    const drilled = page.getByRole('heading', { name: en.reports.ticketsBehind.replace('{{figure}}', en.reports.figure.solved).replace('{{name}}', en.reports.everyone) });
    await drilled.waitFor();
    await poll(() => drilled.evaluate((h) => h === document.activeElement)).toBe(true);
    const solved = await figure(everyone.locator('td').nth(1));
    await poll(() => page.locator('table.drill tbody tr').count()).toBe(Math.min(solved, 200));
    const statuses = await page.locator('table.drill tbody .badge[class*="status-"]').allTextContents();
    expect(new Set(statuses)).toEqual(new Set(statuses.filter((s) => s === en.status.solved || s === en.status.closed)));
    await expectAccessible('reports drill-down (en)');
    await screenshot('reports-drill-en');

    // The first agent's tickets: the count in their row is the number of rows listed.
    const first = groupRows().first();
    const theirs = await figure(first.locator('td').first());
    await first.locator('td').first().getByRole('button').click();
    await poll(() => page.locator('table.drill tbody tr').count()).toBe(Math.min(theirs, 200));

    // CSV: one row per ticket of the period, Greek and Arabic intact.
    const href = await page.getByRole('link', { name: en.reports.exportTickets }).first().getAttribute('href');
    const csv = await page.request.get(new URL(href!, server.url).toString());
    expect(csv.headers()['content-type']).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^number,subject,status,/);
    expect(lines).toHaveLength(total + 1);
    expect(lines.some((l) => /\p{Script=Greek}/u.test(l))).toBe(true);
    expect(lines.some((l) => /\p{Script=Arabic}/u.test(l))).toBe(true);

    // Opening a ticket from the list.
    await page.locator('table.drill tbody tr a').first().click();
    await page.waitForURL(/\/tickets\/[0-9a-f-]{36}$/);
    await page.goBack();

    await page.getByLabel(en.reports.groupBy).selectOption('team');
    await page.getByRole('heading', { name: en.reports.perTeam }).waitFor();
    await poll(() => groupRows().count()).toBeGreaterThan(0);
    await poll(() => page.locator('table.drill').count()).toBe(0);
  });

  it('shows team reports in Greek and in Arabic (right-to-left), with nothing left in English', async () => {
    await page.goto(`${server.url}/reports?lang=el`);
    await page.getByRole('heading', { name: el.reports.perAgent }).waitFor();
    await poll(() => groupRows().count()).toBeGreaterThan(1);
    await poll(() => page.locator('table.performance tfoot th').textContent()).toBe(el.reports.everyone);
    expect(await untranslated()).toEqual([]);
    await screenshot('reports-el');

    await page.goto(`${server.url}/reports?lang=ar&by=team`);
    await page.getByRole('heading', { name: ar.reports.perTeam }).waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await poll(() => groupRows().count()).toBeGreaterThan(0);
    const everyone = page.locator('table.performance tfoot tr[data-group="all"]');
    // Numbers in the language's digits (Intl).
    const count = await everyone.locator('td').first().getByRole('button').evaluate((b) => b.firstChild?.textContent);
    const latin = Number(count!.replace(/[٠-٩]/g, (d) => String('٠١٢٣٤٥٦٧٨٩'.indexOf(d))).replace(/\D/g, ''));
    expect(latin).toBeGreaterThan(0);
    expect(count).toBe(await page.evaluate((n) => new Intl.NumberFormat('ar').format(n), latin));
    await everyone.locator('td').nth(1).getByRole('button').click();
    await poll(() => page.locator('table.drill tbody tr').count()).toBeGreaterThan(0);
    // The table reads from the right: the first column is the rightmost.
    const [name, first] = await Promise.all([everyone.locator('th').boundingBox(), everyone.locator('td').first().boundingBox()]);
    expect(name!.x).toBeGreaterThan(first!.x);
    expect(await untranslated()).toEqual([]);
    await expectAccessible('reports (ar)');
    await screenshot('reports-ar');
  });

  it('adds the voice of the customer to the moments dashboard: survey trends, stage health trend, pain points with quotes', async () => {
    const check = async (lang: 'en' | 'ar', c: typeof en) => {
      await page.goto(`${server.url}/dashboard?lang=${lang}`);
      await page.getByRole('heading', { name: c.voc.surveys }).waitFor();
      await poll(() => page.locator('table.surveys-trend tbody tr').count()).toBeGreaterThan(0);
      await page.locator('section[aria-labelledby="surveys-title"] .chart canvas').waitFor();
      await page.getByRole('heading', { name: c.voc.healthTrend }).waitFor();
      await poll(() => page.locator('table.health-trend tbody tr[data-trend-stage]').count()).toBe(5);
      await page.locator('section[aria-labelledby="health-trend-title"] .chart canvas').waitFor();
      await page.getByRole('heading', { name: c.voc.pain }).waitFor();
      await poll(() => page.locator('.pain-stage').count()).toBeGreaterThan(0);
      await poll(() => page.locator('.pain-point').count()).toBeGreaterThan(0);
      // Example quotes link to the ticket they were said in.
      await poll(() => page.locator('.pain-point .quotes a[href^="/tickets/"]').count()).toBeGreaterThan(0);
      await page.waitForTimeout(300); // let the charts draw before the picture
    };
    await check('en', en);
    const overall = await page.locator('table.surveys-trend tfoot td').first().textContent();
    const api = await (await page.request.get(`${server.url}/api/v1/reports/surveys`)).json();
    expect(api.overall).toHaveProperty('csat');
    expect(overall).toMatch(/^(—|[\d.,]+)$/);
    await expectAccessible('dashboard voice of the customer (en)');
    await screenshot('dashboard-voc-en');
    const quote = page.locator('.pain-point .quotes a[href^="/tickets/"]').first();
    const href = await quote.getAttribute('href');
    // From the keyboard: focus the quote's link and follow it.
    await quote.focus();
    await page.keyboard.press('Enter');
    await poll(() => new URL(page.url()).pathname).toBe(href);
    await page.getByRole('heading', { level: 1 }).waitFor();

    await check('ar', ar);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    expect(await untranslated()).toEqual([]);
    await expectAccessible('dashboard voice of the customer (ar)');
    await screenshot('dashboard-voc-ar');
  });
});
