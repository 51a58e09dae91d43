/// <reference lib="dom" />
// Stored XSS attempts render inert in the browser: hostile HTML in a customer's message, a
// ticket subject, a customer name, an internal note and a published knowledge-base article is
// shown (as text or sanitised HTML) in the agent app and on the public portal, and nothing of it
// runs — no script, no event handler, no javascript: link, no dialog.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestApi } from '../support/api.ts';
import type { TestApi, TestWorkspace } from '../support/api.ts';
import { signedInAgent } from '../support/ws.ts';

const PAYLOADS = [
  '<script>window.__xss = (window.__xss || 0) + 1</script>',
  '<img src="x" onerror="window.__xss = (window.__xss || 0) + 1">',
  '<svg onload="window.__xss = (window.__xss || 0) + 1"></svg>',
  '<a href="javascript:window.__xss=1" id="evil-link">πατήστε εδώ</a>',
  '<iframe src="javascript:parent.__xss=1"></iframe>',
  '<div style="background:url(javascript:window.__xss=1)">انقر هنا</div>',
];
const HOSTILE = PAYLOADS.join('\n');

describe('stored XSS renders inert in Chromium', { timeout: 240_000 }, () => {
  let api: TestApi;
  let base: string;
  let ws: TestWorkspace;
  let browser: Browser;
  let ticketId: string;
  let portalUrl: string;
  let cookie: string;

  beforeAll(async () => {
    api = await startTestApi('pglite');
    base = await api.app.listen({ port: 0, host: '127.0.0.1' });
    ws = await api.createWorkspace('Aurora');
    const owner = ws.tokens.owner;
    const ticket = await api.request(owner, 'POST', '/api/v1/tickets', {
      subject: '<img src=x onerror="window.__xss=1"> Η παραγγελία',
      customer: { email: 'mallory@example.com', name: '<script>window.__xss=1</script>Μαλλόρυ' },
      channel: 'email',
      priority: 'high',
      html: `<p>Καλησπέρα,</p>${HOSTILE}<p>ευχαριστώ</p>`,
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    ticketId = ticket.json().id;
    const note = await api.request(owner, 'POST', `/api/v1/tickets/${ticketId}/messages`, { kind: 'note', body: HOSTILE });
    expect(note.statusCode, note.body).toBe(201);
    const article = await api.request(owner, 'POST', '/api/v1/kb/articles', {
      title: 'Επαναφορά <script>window.__xss=1</script> συσκευής',
      body: `<p>Βήμα 1: κρατήστε πατημένο το κουμπί.</p>${HOSTILE}`,
      lang: 'el',
      status: 'published',
    });
    expect(article.statusCode, article.body).toBe(201);
    const slug = (await api.request(owner, 'GET', '/api/v1/workspace')).json().slug as string;
    portalUrl = `${base}/kb/${slug}/el/${article.json().slug as string}`;
    cookie = (await signedInAgent(api.request, owner, { email: 'agent@aurora.example.com', name: 'Ελένη' })).cookie;
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function inert(page: Page): Promise<void> {
    // Give late handlers (image errors, frames) a moment to fire if they were going to.
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const live = await page.evaluate(() => ({
      scripts: Array.from(document.querySelectorAll('script')).filter((s) => (s.textContent ?? '').includes('__xss')).length,
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => a.name.startsWith('on'))).length,
      jsLinks: Array.from(document.querySelectorAll('a[href], iframe[src]')).filter((e) => /^\s*javascript:/i.test(e.getAttribute('href') ?? e.getAttribute('src') ?? '')).length,
    }));
    expect(live).toEqual({ scripts: 0, handlers: 0, jsLinks: 0 });
  }

  it('in the agent app: the ticket, its messages and the customer show the text, and nothing runs', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const [name, value] = cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: base }]);
    const page = await context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(`${base}/tickets/${ticketId}`);
    await page.getByText('ευχαριστώ').first().waitFor({ timeout: 30_000 });
    // The subject is shown as the text it is.
    await page.getByText('<img src=x onerror="window.__xss=1"> Η παραγγελία').first().waitFor();
    await inert(page);
    await page.goto(`${base}/inbox`);
    await page.locator('table.tickets tbody tr').first().waitFor({ timeout: 30_000 });
    await inert(page);
    expect(dialogs).toEqual([]);
    await context.close();
  });

  it('on the public portal: the article is sanitised and nothing runs', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const res = await page.goto(portalUrl);
    expect(res?.status()).toBe(200);
    expect(await page.locator('body').innerText()).toContain('Βήμα 1: κρατήστε πατημένο το κουμπί.');
    await inert(page);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
