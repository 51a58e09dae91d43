/// <reference lib="dom" />
// The ticket screen's tools in Debian's Chromium against the real server on PGlite with the demo
// workspace: the SLA countdown ticking on the page's own clock, the inbox fitting 1280 px in
// Greek and Arabic, assignment to a team and queue, merge and split, suggested articles in the
// reply, and @mentions picked from the keyboard in a note. Screenshots go to the folder printed
// at the start; axe-core checks each screen.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.ts';
import type { RunningServer } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';
import { englishPatterns, seriousAxeViolations, visibleTexts } from '../support/web-app.ts';

const catalogue = (lang: string) => JSON.parse(readFileSync(new URL(`../../web/src/i18n/${lang}.json`, import.meta.url), 'utf8'));
const en = catalogue('en');
const el = catalogue('el');
const ar = catalogue('ar');
const ENGLISH = englishPatterns(en, new Set(['TruthDesk', 'API']));
// PGlite answers one query at a time, behind the demo's background jobs: give the page time.
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });

interface ApiTicket {
  id: string;
  number: number;
  subject: string;
  status: string;
  customer: { id: string; name: string | null };
  assigneeId: string | null;
  teamId: string | null;
  queueId: string | null;
  mergedIntoId: string | null;
  splitFromId: string | null;
  sla: { nextDueAt: string | null; targets: { dueAt: string | null; warnAt: string | null; clock: string }[] } | null;
}

describe('ticket tools in Chromium', { timeout: 300_000 }, () => {
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let shot = 0;
  const shots = mkdtempSync(join(tmpdir(), 'truthdesk-ticket-tools-shots-'));
  console.log(`ticket tools screenshots: ${shots}`);

  const screenshot = async (name: string, p: Page = page) => {
    shot += 1;
    await p.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
  const expectAccessible = async (screen: string, p: Page = page) => {
    const violations = await seriousAxeViolations(p);
    expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
  };
  const untranslated = async (p: Page = page) => (await visibleTexts(p)).filter((text) => ENGLISH.some(({ pattern }) => pattern.test(text)));
  const api = async <T>(method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> => {
    const response = method === 'GET' ? await page.request.get(`${server.url}${path}`) : await page.request.post(`${server.url}${path}`, { data });
    expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  };
  const horizontalOverflow = (p: Page) => p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  /** A new urgent ticket from a Greek customer (the demo's SLA policy gives it a first-response clock). */
  const newTicket = (subject: string, message: string, email = 'eleni.markou@example.gr', name = 'Ελένη Μάρκου') =>
    api<ApiTicket>('POST', '/api/v1/tickets', { subject, customer: { email, name, locale: 'el' }, channel: 'email', priority: 'urgent', message });

  beforeAll(async () => {
    server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        adminToken: undefined,
        database: { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), 'truthdesk-ticket-tools-')) },
      },
      { demo: true, logger: pino({ level: 'silent' }) },
    );
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'el-GR' });
    page = await context.newPage();
    await page.goto(`${server.url}/?lang=el`);
    await page.getByLabel(el.signIn.email).fill(server.demo!.ownerEmail);
    await page.getByLabel(el.signIn.password, { exact: true }).fill(server.demo!.password);
    await page.getByRole('button', { name: el.signIn.submit }).click();
    await page.locator('table.tickets tbody tr').first().waitFor();
  }, 400_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  it('fits the inbox in 1280 px in English, Greek and Arabic (right-to-left)', async () => {
    for (const lang of ['el', 'ar', 'en'] as const) {
      await page.goto(`${server.url}/inbox?lang=${lang}`);
      await page.locator('table.tickets tbody tr').first().waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.getAttribute('html', 'dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe({ en, el, ar }[lang].inbox.title);
      if (lang !== 'en') expect(await untranslated()).toEqual([]);
      expect(await horizontalOverflow(page), `inbox (${lang}) scrolls sideways at 1280 px`).toBeLessThanOrEqual(0);
      await screenshot(`inbox-${lang}`);
    }
    await expectAccessible('inbox (en)');
  });

  it('counts the SLA down on the page clock: due, then at risk, then breached, in Greek', async () => {
    const ticket = await newTicket('Ο θερμοστάτης δεν συνδέεται στο Wi-Fi', 'Καλησπέρα, ο θερμοστάτης δεν συνδέεται στο Wi-Fi από χθες.');
    const first = ticket.sla?.targets.find((t) => t.clock === 'running' && t.dueAt);
    expect(first?.dueAt).toBeTruthy();
    const due = +new Date(first!.dueAt!);
    const warn = +new Date(first!.warnAt ?? first!.dueAt!);
    // A page of its own whose clock the test moves (timers and Date are faked there only).
    const clocked = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'el-GR', storageState: await context.storageState() });
    const p = await clocked.newPage();
    await p.clock.install({ time: new Date() });
    await p.goto(`${server.url}/tickets/${ticket.id}?lang=el`);
    const badge = p.locator('.ticket-meta .badge.sla');
    await poll(() => badge.getAttribute('data-sla')).toBe('due');
    const before = await badge.textContent();
    expect(before).toMatch(/^Λήγει /);
    // Just past the warning time: at risk, in minutes.
    await p.clock.fastForward(Math.max(0, warn - Date.now()) + 60_000);
    await poll(() => badge.getAttribute('data-sla')).toBe('at_risk');
    expect(await badge.textContent()).toMatch(/^Σε κίνδυνο: λήγει σε \d+ λ/);
    await screenshot('sla-at-risk-el', p);
    // Past the due time: breached, saying since when (the server, on the real clock, still says due).
    await p.clock.fastForward(due - warn + 5 * 60_000);
    await poll(() => badge.getAttribute('data-sla')).toBe('overdue');
    expect(await badge.textContent()).toMatch(/^Εκπρόθεσμο: έληγε πριν από \d+ λ/);
    expect(await badge.evaluate((e) => e.classList.contains('sla-breached'))).toBe(true);
    await screenshot('sla-overdue-el', p);
    await clocked.close();
  });

});
