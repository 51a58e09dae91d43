/// <reference lib="dom" />
// Helpers for the web app's browser tests: axe-core in the page, the JavaScript a page loaded
// (gzip), and the visible text compared against the English catalogue.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';

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
