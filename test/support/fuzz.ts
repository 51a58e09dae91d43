// Shared pieces of the property-based bad-input tests: hostile text, JSON near a route's fields,
// byte-exact percent-encoding, the seed texts, and every route the server really serves.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { seedText as readSeed } from './seeds.ts';

const seedLines = (file: string) => readSeed(file).split('\n').map((l) => l.trim()).filter(Boolean);
/** Real Greek and Arabic sentences (the product's seed articles). */
export const seedText = [...seedLines('000_872ed610193a76ff.txt'), ...seedLines('003_d927bf57eeee527a.txt')];

export const hostile = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', "' OR 1=1 --", '\u0000', '\ud800', '%00', '../../etc/passwd', '', ' '];

export const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...hostile, 'στιγμή αλήθειας', 'لحظة الحقيقة'),
  fc.constantFrom(...seedText),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uuid(), fc.date().map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())));
export const anyJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(text, tie('value'), { maxKeys: 4 })),
})).value;

/** Percent-encodes every byte (a lone surrogate becomes U+FFFD's bytes, as a browser sends it). */
export const encode = (v: string) => [...Buffer.from(v, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/** Survey comments and free-text answers: seeds, markup, NUL, lone surrogates, around the limit. */
export const comment = fc.oneof(
  fc.constantFrom(...seedText, ...hostile, '  Πολύ καλή  ', '\u0301', 'a\ud800b', '\udc00'),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Around the 5,000-character limit, which counts after NFC: a decomposed ά is two code units.
  fc.integer({ min: 4_990, max: 5_010 }).map((n) => 'ά'.repeat(n)),
  fc.integer({ min: 2_500, max: 5_010 }).map((n) => 'α\u0301'.repeat(n)),
  fc.constant('<b>x</b>'.repeat(10_000)),
);
/** The product's rules for a comment: text without NUL, NFC and trimmed, at most 5,000 characters. */
export function storedComment(c: unknown): string | null | undefined {
  if (c === undefined) return null;
  if (typeof c !== 'string' || c.includes('\u0000') || !c.isWellFormed()) return undefined;
  const n = c.normalize('NFC').trim();
  return n.length > 5_000 ? undefined : n || null;
}

/** A random client address, so that per-address rate limits do not end a long property early. */
export const address = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`);

export interface ServedRoute {
  method: string;
  url: string;
}

/**
 * Every method and path the app answers, read from Fastify's own route tree (printRoutes), so a
 * route registered anywhere — the route table, app.get in a capability, a plugin — is found.
 */
export function servedRoutes(app: FastifyInstance): ServedRoute[] {
  const routes: ServedRoute[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m?.[2]) continue;
    stack.length = (m[1] ?? '').length / 4;
    stack.push(m[2]);
    const url = stack.join('');
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, url: url.startsWith('/') ? url : `/${url}` });
  }
  return routes;
}

/** Row counts of every table (but those named), to prove that a refused request wrote nothing. */
export async function tableCounter(db: Kysely<DB>, except: ReadonlySet<string> = new Set()): Promise<() => Promise<Record<string, number>>> {
  const tables = (
    await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1`.execute(db)
  ).rows.map((r) => r.name).filter((t) => !except.has(t));
  const query = `SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}")::int AS "${t}"`).join(', ')}`;
  return async () => (await sql.raw<Record<string, number>>(query).execute(db)).rows[0] ?? {};
}
