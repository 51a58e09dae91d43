// Building blocks for request schemas. Text is refused if it could not be stored faithfully
// (NUL bytes, lone surrogates) and is stored as NFC.
import { z } from 'zod';
import { AppError } from '../shared/errors.ts';


/** A string PostgreSQL can keep exactly: no NUL (refused) and no lone surrogates (turned into U+FFFD). */
export function storable(s: string): boolean {
  return !s.includes('\u0000') && s.isWellFormed();
}

/** Every key and string inside a JSON value is storable (jsonb refuses \u0000 and lone surrogates). */
export function storableJson(value: unknown): boolean {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.every(storableJson);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([k, v]) => storable(k) && storableJson(v));
  }
  return true;
}

export function text(options: { min?: number; max: number }) {
  return z
    .string()
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine((s) => s.isWellFormed(), 'must be well-formed Unicode (no lone surrogates)')
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(options.min ?? 0).max(options.max));
}

export const uuid = z.uuid();
export const idParams = z.strictObject({ id: uuid });

export const email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email())
  .transform((s) => s.toLowerCase());

export const locale = z.enum(['en', 'el', 'ar']);

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
};

/** A cursor is the last id seen (ids are time-ordered UUIDv7), base64url-encoded. */
export function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return uuid.safeParse(id).success ? id : 'invalid';
}

/** The id after which a page starts; a cursor that is not ours is a 400, not an empty page. */
export function afterId(cursor: string | undefined): string | undefined {
  const id = decodeCursor(cursor);
  if (id === 'invalid') throw new AppError(400, 'validation_failed', 'Invalid query.cursor');
  return id;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Rows were fetched with limit + 1; the extra one tells whether there is a next page. */
export function toPage<T extends { id: string }>(rows: T[], limit: number): Page<T> {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** An http(s) URL given by a user (a call recording, a mention, a webhook); `trim` stores it without surrounding spaces. */
export function httpUrl(options: { trim?: boolean } = {}) {
  return (options.trim ? z.string().trim() : z.string()).max(2000).refine((s) => {
    try {
      return ['https:', 'http:'].includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL');
}

/** An allowed embedding origin for a widget: scheme, host and port only. */
export const webOrigin = z
  .string()
  .max(200)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://shop.example.com (scheme, host and port only)');

/** An embeddable widget (chat or reviews) as admins manage it. */
export const embedWidgetSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  publicKey: z.string(),
  allowedOrigins: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
