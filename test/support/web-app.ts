/// <reference lib="dom" />
// Helpers for the web app's browser tests: the demo server and Chromium set up around a test
// file (useDemoWebApp), axe-core in the page, the JavaScript a page loaded (gzip), and the
// visible text compared against the English catalogue.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import pino from 'pino';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startServer } from '../../src/server.ts';
import type { RunningServer } from '../../src/server.ts';
import { launchBrowser } from './browser.ts';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** Runs axe-core (WCAG 2 A/AA rules and best practices) on the page; returns serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate() is not subject to the page's CSP, which (rightly) forbids inline scripts.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Records every script response of a page, to sum their gzip sizes. */
export function recordScripts(page: Page): { gzipBytes: () => Promise<{ total: number; files: { url: string; raw: number; gzip: number }[] }> } {
  const responses: { url: string; body: Promise<Buffer> }[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script' || /\.m?js(\?|$)/.test(response.url())) {
      responses.push({ url: response.url(), body: response.body() });
    }
  });
  return {
    gzipBytes: async () => {
      const files = await Promise.all(
        responses.map(async (r) => {
          const body = await r.body;
          return { url: r.url, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
        }),
      );
      return { total: files.reduce((sum, f) => sum + f.gzip, 0), files };
    },
  };
}

/** Every piece of text a person can see: text nodes in rendered elements, placeholders, chosen options. */
export async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.textContent?.trim();
      if (!parent || !text) continue;
      if (parent.closest('select, script, style, .visually-hidden')) continue;
      if (!parent.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const box = parent.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      texts.push(text);
    }
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[placeholder], textarea[placeholder]'))) {
      if (el.checkVisibility() && !el.value) texts.push(el.placeholder);
    }
    for (const select of Array.from(document.querySelectorAll('select'))) {
      if (select.checkVisibility()) texts.push(select.selectedOptions[0]?.textContent?.trim() ?? '');
    }
    return texts.filter(Boolean);
  });
}

type Catalogue = { [key: string]: string | Catalogue };

/** One pattern per English catalogue text ({{placeholders}} match anything), except names kept in every language. */
export function englishPatterns(catalogue: Catalogue, keep: Set<string>): { key: string; pattern: RegExp }[] {
  const out: { key: string; pattern: RegExp }[] = [];
  const walk = (c: Catalogue, prefix: string) => {
    for (const [key, value] of Object.entries(c)) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (typeof value !== 'string') {
        walk(value, path);
        continue;
      }
      if (keep.has(value) || /^\{\{\w+\}\}$/.test(value)) continue;
      const source = value
        .split(/\{\{\w+\}\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.+?');
      out.push({ key: path, pattern: new RegExp(`^${source}$`) });
    }
  };
  walk(catalogue, '');
  return out;
}

export type Lang = 'en' | 'el' | 'ar';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the catalogues are JSON read at run time; tests index them by key path
type LoadedCatalogue = any;
const loadCatalogue = (lang: Lang): LoadedCatalogue => JSON.parse(readFileSync(new URL(`../../web/src/i18n/${lang}.json`, import.meta.url), 'utf8'));
/** The web app's message catalogues, as the pages render them. */
export const catalogues: Record<Lang, LoadedCatalogue> = { en: loadCatalogue('en'), el: loadCatalogue('el'), ar: loadCatalogue('ar') };

export interface WebAppSession {
  readonly server: RunningServer;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The folder the screenshots go to (printed when the file starts). */
  readonly shots: string;
  /** A numbered full-page screenshot of the page (the session's page unless another is given). */
  screenshot(name: string, p?: Page): Promise<void>;
  /** Fails the test on serious or critical axe-core violations. */
  expectAccessible(screen: string, p?: Page): Promise<void>;
  /** Visible strings that are English catalogue texts (so untranslated in the page's language). */
  untranslated(p?: Page): Promise<string[]>;
  /** Signs in as the demo owner with the sign-in form's labels in `lang`. */
  signIn(lang: Lang, p?: Page): Promise<void>;
}

export interface WebAppOptions {
  /** The browser context's locale (Accept-Language). */
  locale: string;
  /** Browser permissions granted to the server's origin (e.g. clipboard). */
  permissions?: string[];
}

/**
 * The real server on a fresh PGlite with the demo workspace, and Debian's Chromium with one
 * 1280×900 page, started before the file's tests and stopped after them. Call it inside the
 * describe block; read its fields from tests or later hooks.
 */
export function useDemoWebApp(name: string, options: WebAppOptions): WebAppSession {
  const started: { server?: RunningServer; browser?: Browser; context?: BrowserContext; page?: Page } = {};
  const need = <K extends keyof typeof started>(key: K): NonNullable<(typeof started)[K]> => {
    const value = started[key];
    if (!value) throw new Error(`the ${key} is used before the web app started (read it in a test or a later hook)`);
    return value as NonNullable<(typeof started)[K]>;
  };
  const shots = mkdtempSync(join(tmpdir(), `truthdesk-${name}-shots-`));
  console.log(`${name} screenshots: ${shots}`);
  const english = englishPatterns(catalogues.en, new Set(['TruthDesk', 'API']));
  let shot = 0;

  const session: WebAppSession = {
    get server() { return need('server'); },
    get browser() { return need('browser'); },
    get context() { return need('context'); },
    get page() { return need('page'); },
    shots,
    async screenshot(screen, p = session.page) {
      shot += 1;
      await p.screenshot({ path: join(shots, `${String(shot).padStart(2, '0')}-${screen}.png`), fullPage: true });
    },
    async expectAccessible(screen, p = session.page) {
      const violations = await seriousAxeViolations(p);
      expect(violations, `${screen}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
    },
    async untranslated(p = session.page) {
      return (await visibleTexts(p)).filter((text) => english.some(({ pattern }) => pattern.test(text)));
    },
    async signIn(lang, p = session.page) {
      const labels = catalogues[lang].signIn as { email: string; password: string; submit: string };
      const demo = session.server.demo;
      if (!demo) throw new Error('the server has no demo workspace');
      await p.getByLabel(labels.email).fill(demo.ownerEmail);
      await p.getByLabel(labels.password, { exact: true }).fill(demo.password);
      await p.getByRole('button', { name: labels.submit }).click();
    },
  };

  beforeAll(async () => {
    started.server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        logLevel: 'silent',
        adminToken: undefined,
        database: { kind: 'pglite', dataDir: mkdtempSync(join(tmpdir(), `truthdesk-${name}-`)) },
      },
      { demo: true, logger: pino({ level: 'silent' }) },
    );
    started.browser = await launchBrowser();
    started.context = await started.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: options.locale });
    if (options.permissions) await started.context.grantPermissions(options.permissions, { origin: started.server.url });
    started.page = await started.context.newPage();
    // Seeding the demo workspace (tickets, journeys, SLA, surveys) takes minutes on a loaded machine.
  }, 400_000);
  afterAll(async () => {
    await started.context?.close();
    await started.browser?.close();
    await started.server?.stop();
  });
  return session;
}
