// A token bucket, pure: the caller passes the time. `capacity` tokens at most, refilled at
// `perSecond`; each action takes one. Used for the public chat widget (per key and IP).

export interface Bucket {
  tokens: number;
  updatedAt: number;
}

export interface BucketRule {
  capacity: number;
  perSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  bucket: Bucket;
  /** When refused: whole seconds until one token is back. */
  retryAfterSeconds: number;
}

export function takeToken(bucket: Bucket | undefined, rule: BucketRule, nowMs: number): TakeResult {
  const start = bucket ?? { tokens: rule.capacity, updatedAt: nowMs };
  const elapsed = Math.max(0, nowMs - start.updatedAt) / 1000;
  const tokens = Math.min(rule.capacity, start.tokens + elapsed * rule.perSecond);
  if (tokens >= 1) return { allowed: true, bucket: { tokens: tokens - 1, updatedAt: nowMs }, retryAfterSeconds: 0 };
  return {
    allowed: false,
    bucket: { tokens, updatedAt: nowMs },
    retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / rule.perSecond)),
  };
}
