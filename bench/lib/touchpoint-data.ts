// Deterministic Segment messages for the ingest benchmarks: the same index always gives the
// same message, so the HTTP run, the CLI import and the raw-INSERT baseline use the same rows.
const EVENTS = [
  'Ad Viewed', 'Marketing Email Opened', 'Review Read', 'Pricing Viewed', 'Demo Requested', 'Trial Started',
  'Order Completed', 'Onboarding Step Completed', 'Ticket Created', 'Subscription Renewed', 'Review Published',
] as const;
const CHANNELS = ['web', 'email', 'mobile', 'social'] as const;
const START = Date.UTC(2026, 0, 1);
const YEAR_MS = 365 * 86_400_000;

export interface BenchMessage {
  type: 'track';
  userId?: string;
  anonymousId?: string;
  event: string;
  timestamp: string;
  messageId: string;
  properties: Record<string, unknown>;
}

/** Message i of run `run` among `total`: one customer per 20 messages, 10% anonymous visitors. */
export function benchMessage(run: string, i: number, total: number): BenchMessage {
  const customers = Math.max(1, Math.floor(total / 20));
  const who = (i * 7919) % customers;
  const at = START + Math.floor((i / total) * YEAR_MS);
  return {
    type: 'track',
    ...(i % 10 === 9 ? { anonymousId: `${run}-visitor-${who}` } : { userId: `${run}-user-${who}` }),
    event: EVENTS[i % EVENTS.length] as string,
    timestamp: new Date(at).toISOString(),
    messageId: `${run}-${i}`,
    properties: { channel: CHANNELS[i % CHANNELS.length], value: i % 97, plan: i % 3 === 0 ? 'pro' : 'basic' },
  };
}
