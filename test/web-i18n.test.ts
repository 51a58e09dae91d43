// The web app's translation catalogues: every English key exists in Greek and Arabic, nothing
// is left in English there, the stage names are the product's own, and every key the code asks
// for exists.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const web = fileURLToPath(new URL('../web/src/', import.meta.url));
type Catalogue = { [key: string]: string | Catalogue };
const load = (lang: string) => JSON.parse(readFileSync(join(web, 'i18n', `${lang}.json`), 'utf8')) as Catalogue;

function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const en = flatten(load('en'));
const el = flatten(load('el'));
const ar = flatten(load('ar'));
const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Words that are the same in every language: names and notations, not English. */
const SAME_EVERYWHERE = new Set(['TruthDesk', 'API', 'CSV', 'JSON', 'Segment', 'Basic', 'Enter', 'j', 'k', 'r', 'e', 'x']);

/** Latin-script words left in a Greek or Arabic text once placeholders, paths and names are removed. */
function latinWords(value: string): string[] {
  const stripped = value
    .replace(/\{\{[^}]+\}\}/g, ' ')
    .replace(/\/api\/v1\/\w+|\/\w+/g, ' ');
  return (stripped.match(/[A-Za-z]+/g) ?? []).filter((w) => !SAME_EVERYWHERE.has(w));
}

describe.each([
  ['el', el, /\p{Script=Greek}/u],
  ['ar', ar, /\p{Script=Arabic}/u],
] as const)('the %s catalogue', (lang, catalogue, script) => {
  it('has every English key (plural forms by the language\'s own rules)', () => {
    const missing = [...en.keys()].filter((key) => {
      if (!PLURAL.test(key)) return !catalogue.has(key);
      return !catalogue.has(key.replace(PLURAL, '_other'));
    });
    expect(missing).toEqual([]);
  });

  it('has no key English lacks (a typo would silently show English)', () => {
    const base = new Set([...en.keys()].map((k) => k.replace(PLURAL, '')));
    const extra = [...catalogue.keys()].filter((k) => !en.has(k) && !base.has(k.replace(PLURAL, '')));
    expect(extra).toEqual([]);
  });

  it('leaves nothing in English', () => {
    const same = [...catalogue].filter(([key, value]) => en.get(key) === value && !SAME_EVERYWHERE.has(value));
    expect(same).toEqual([]);
    const english = [...catalogue].filter(([, value]) => latinWords(value).length > 0);
    expect(english).toEqual([]);
    const withoutScript = [...catalogue].filter(([, value]) => !SAME_EVERYWHERE.has(value) && !script.test(value.replace(/\{\{[^}]+\}\}/g, '')));
    expect(withoutScript).toEqual([]);
  });

  it(`keeps every placeholder of the English text`, () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const wrong = [...en]
      .filter(([key]) => !PLURAL.test(key))
      .filter(([key, value]) => JSON.stringify(placeholders(value)) !== JSON.stringify(placeholders(catalogue.get(key) ?? '')))
      .map(([key]) => `${lang}:${key}`);
    expect(wrong).toEqual([]);
  });
});

describe('stage names', () => {
  it('are exactly those of the product specification', () => {
    const spec = readFileSync(fileURLToPath(new URL('../../shared/spec/PRODUCT.md', import.meta.url)), 'utf8');
    const rows = [...spec.matchAll(/^\| (lzmot|zmot|fmot|smot|umot) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)];
    expect(rows).toHaveLength(5);
    for (const [, key, enName, elName, arName] of rows) {
      expect(en.get(`stages.${key}.name`)).toBe(enName!.trim());
      expect(el.get(`stages.${key}.name`)).toBe(elName!.trim());
      expect(ar.get(`stages.${key}.name`)).toBe(arName!.trim());
    }
  });
});

describe('the code', () => {
  it('asks only for keys that exist', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : /\.tsx?$/.test(n) ? [join(dir, n)] : []));
    const used = new Set<string>();
    for (const file of files(web)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(100);
    const base = new Set([...en.keys()].map((k) => k.replace(PLURAL, '')));
    expect([...used].filter((k) => !en.has(k) && !base.has(k))).toEqual([]);
  });
});
