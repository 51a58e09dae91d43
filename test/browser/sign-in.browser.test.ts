/// <reference lib="dom" />
// The root page in a real browser: an agent signs in and sees the demo tickets in their
// own scripts; Arabic pages are right-to-left.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.ts';
import type { RunningServer } from '../../src/server.ts';
import { launchBrowser } from '../support/browser.ts';

describe('sign-in page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), 'truthdesk-shots-'));

  beforeAll(async () => {
    server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        adminToken: undefined,
        database: { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), 'truthdesk-web-')) },
      },
      { demo: true, logger: pino({ level: 'silent' }) },
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs the demo owner in and lists Greek and Arabic tickets', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/?lang=el`);
    expect(await page.getAttribute('html', 'lang')).toBe('el');
    await page.getByLabel('Ηλεκτρονικό ταχυδρομείο').fill(server.demo!.ownerEmail);
    await page.getByLabel('Κωδικός πρόσβασης').fill('wrong password');
    await page.getByRole('button', { name: 'Σύνδεση' }).click();
    await expect.poll(() => page.getByRole('alert').isVisible()).toBe(true);
    await page.getByLabel('Κωδικός πρόσβασης').fill(server.demo!.password);
    await page.getByRole('button', { name: 'Σύνδεση' }).click();
    await page.getByRole('heading', { name: 'Νεότερα αιτήματα' }).waitFor();
    const subjects = await page.locator('tbody tr td:nth-child(2)').allTextContents();
    expect(subjects).toHaveLength(20);
    expect(subjects.some((s) => /\p{Script=Arabic}/u.test(s))).toBe(true);
    const statuses = await page.locator('tbody tr td:nth-child(4)').allTextContents();
    expect(statuses.every((s) => /^[\p{Script=Greek} ]+$/u.test(s))).toBe(true);
    await page.screenshot({ path: join(shots, 'inbox-el.png'), fullPage: true });
    // The session cookie is HTTP-only: page scripts cannot read it.
    expect(await page.evaluate(() => document.cookie)).not.toContain('td_session');
    await page.close();
  });

  it('lays Arabic out right-to-left, chosen by Accept-Language', async () => {
    const context = await browser.newContext({ locale: 'ar', extraHTTPHeaders: { 'accept-language': 'ar,en;q=0.5' } });
    const page = await context.newPage();
    await page.goto(server.url);
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    const form = await page.locator('#login label').first().boundingBox();
    const viewport = page.viewportSize()!;
    // Right-to-left: the form hugs the right edge of the centred column.
    expect(form!.x + form!.width).toBeGreaterThan(viewport.width / 2);
    await expect.poll(() => page.getByRole('button', { name: 'تسجيل الدخول' }).isVisible()).toBe(true);
    await page.screenshot({ path: join(shots, 'sign-in-ar.png') });
    await context.close();
  });
});
