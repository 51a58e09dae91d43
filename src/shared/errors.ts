// Errors the product means to show: each has a stable code and an HTTP status.

export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'invalid_json'
  | 'invalid_encoding'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'version_conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'invalid_transition'
  | 'too_many_requests'
  | 'internal_error';

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Extra response headers, e.g. Retry-After on a 429. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'Your role does not allow this') => new AppError(403, 'forbidden', message);
export const unauthorized = (message = 'Sign in or send a valid API token') =>
  new AppError(401, 'unauthorized', message);
export const conflict = (message: string) => new AppError(409, 'conflict', message);
export const unprocessable = (message: string) => new AppError(422, 'unprocessable', message);

/** 409 version_conflict: someone changed it since it was loaded; with the current version when known. */
export const versionConflict = (message: string, currentVersion?: number) =>
  new AppError(409, 'version_conflict', message, currentVersion === undefined ? undefined : { currentVersion });

/**
 * Optimistic concurrency: an edit that names the version it was made from is refused (409,
 * with the current version) when the row has moved on since. No version given: no check.
 */
export function checkVersion(what: string, expected: number | undefined, current: number): void {
  if (expected === undefined || expected === current) return;
  throw versionConflict(`The ${what} changed since you loaded it (your version ${expected}, current ${current}); reload and try again`, current);
}
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, 'too_many_requests', message, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
