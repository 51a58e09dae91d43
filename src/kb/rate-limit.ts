// A fixed-window request counter for the public knowledge-base endpoints, per workspace and
// client address, kept in memory (each API process limits on its own).
import { tooManyRequests } from '../shared/errors.ts';

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Counts one request; throws 429 with Retry-After once the key has used up its window. */
  hit(key: string, now = Date.now()): void {
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size > 50_000) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count += 1;
    if (w.count > this.limit) {
      const retryAfter = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
      throw tooManyRequests(`Too many searches; try again in ${retryAfter} s`, retryAfter);
    }
  }

  private sweep(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
  }
}

/** Public searches per client address and workspace per minute (TRUTHDESK_KB_SEARCH_PER_MINUTE). */
export const publicSearchLimiter = new RateLimiter(
  Math.max(1, Number(process.env.TRUTHDESK_KB_SEARCH_PER_MINUTE) || 60),
  60_000,
);
