// Flood protection per WebSocket connection, pure: the caller passes the time. Every frame a
// client sends (valid or not) must pass a gate before it is even parsed: a token bucket on the
// rate, a cap on frames taken but not yet handled (queued or running), and a second bucket on
// refusals: a client that keeps sending after being refused is closed rather than answered forever.
import { takeToken } from './rate-limit.ts';
import type { Bucket, BucketRule } from './rate-limit.ts';

export interface FloodRule {
  /** Frames a connection may send at once (capacity), and per second after that. */
  rate: BucketRule;
  /** Frames taken but not yet handled; beyond this a slow database cannot make a queue grow. */
  maxInFlight: number;
  /** Refused frames tolerated at once and per second after that; one more and the socket is closed. */
  refusals: BucketRule;
}

/**
 * The limits, in one place. Well above what the product's own clients send, far below a flood:
 *
 * - widget (visitors, src/chat/widget.js): a hello, one frame per message sent (Enter) and a
 *   typing frame at most every 3 s; after a reconnection it resends its unsent messages at once.
 *   A burst of 20 covers that resend; 3 a second is more than anyone types. Frames are handled
 *   one at a time in order, so at most 20 wait. The chat message limit per key and address
 *   (WIDGET_LIMITS in src/chat/socket.ts) still applies on top, across connections.
 * - agent (the agents' web app, web/src/realtime.ts): a presence frame when a ticket is opened or
 *   left and every 4 s while typing, plus pings from API clients. 40 at once and 10 a second leave
 *   room for quick ticket switching and scripts; frames are handled concurrently, 40 at most.
 * - refusals: frames already on the wire when the client reads its first refusal are refused
 *   too, so a short burst over the limit gets errors, not a close. A client that sends 50 (widget)
 *   or 100 (agent) more while refused, beyond a slow trickle, is not listening: closed with 1008.
 */
export const SOCKET_FLOOD_LIMITS = {
  widget: { rate: { capacity: 20, perSecond: 3 }, maxInFlight: 20, refusals: { capacity: 50, perSecond: 1 } },
  agent: { rate: { capacity: 40, perSecond: 10 }, maxInFlight: 40, refusals: { capacity: 100, perSecond: 2 } },
} as const satisfies Record<string, FloodRule>;

export type FrameVerdict =
  /** Handle it, then call done(). */
  | { kind: 'take' }
  /** Answer with an error; `first` is this connection's first refusal (log it once). */
  | { kind: 'refuse'; retryAfterSeconds: number; first: boolean }
  /** Past the hard ceiling: close the connection (policy violation). Returned once. */
  | { kind: 'close' }
  /** The connection is being closed: drop the frame without an answer. */
  | { kind: 'ignore' };

export class FrameGate {
  private rate: Bucket | undefined;
  private refusals: Bucket | undefined;
  private inFlight = 0;
  private refusedBefore = false;
  private closed = false;

  constructor(private readonly rule: FloodRule) {}

  offer(nowMs: number): FrameVerdict {
    if (this.closed) return { kind: 'ignore' };
    let retryAfterSeconds = 1;
    if (this.inFlight < this.rule.maxInFlight) {
      const taken = takeToken(this.rate, this.rule.rate, nowMs);
      this.rate = taken.bucket;
      if (taken.allowed) {
        this.inFlight++;
        return { kind: 'take' };
      }
      retryAfterSeconds = taken.retryAfterSeconds;
    }
    const strike = takeToken(this.refusals, this.rule.refusals, nowMs);
    this.refusals = strike.bucket;
    if (!strike.allowed) {
      this.closed = true;
      return { kind: 'close' };
    }
    const first = !this.refusedBefore;
    this.refusedBefore = true;
    return { kind: 'refuse', retryAfterSeconds, first };
  }

  /** A taken frame has been handled (answered, refused by its handler, or failed). */
  done(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
