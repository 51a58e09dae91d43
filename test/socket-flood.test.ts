// The per-connection flood gate of the WebSockets (src/domain/socket-flood.ts), with the clock in hand.
import { describe, expect, it } from 'vitest';
import { FrameGate, SOCKET_FLOOD_LIMITS } from '../src/domain/socket-flood.ts';
import type { FloodRule, FrameVerdict } from '../src/domain/socket-flood.ts';

const rule: FloodRule = { rate: { capacity: 3, perSecond: 1 }, maxInFlight: 10, refusals: { capacity: 2, perSecond: 0.5 } };
const kinds = (verdicts: FrameVerdict[]) => verdicts.map((v) => v.kind);
/** A frame handled at once: offered, and done if taken. */
const handled = (gate: FrameGate, at: number) => {
  const verdict = gate.offer(at);
  if (verdict.kind === 'take') gate.done();
  return verdict.kind;
};

describe('the per-connection flood gate', () => {
  it('takes a burst, refuses what follows with a wait, and closes once past the refusals it tolerates', () => {
    const gate = new FrameGate(rule);
    const burst = Array.from({ length: 7 }, () => gate.offer(0));
    expect(kinds(burst)).toEqual(['take', 'take', 'take', 'refuse', 'refuse', 'close', 'ignore']);
    expect(burst[3]).toEqual({ kind: 'refuse', retryAfterSeconds: 1, first: true });
    expect(burst[4]).toMatchObject({ first: false });
    // Closed for good: time does not reopen it.
    expect(gate.offer(60_000)).toEqual({ kind: 'ignore' });
  });

  it('refills with time: a client that slows down after a refusal is served again, not closed', () => {
    const gate = new FrameGate(rule);
    for (let i = 0; i < 3; i++) gate.offer(0);
    expect(gate.offer(0).kind).toBe('refuse');
    expect(gate.offer(1_000).kind).toBe('take');
    // One frame a second, the steady rate, for a minute: every one taken.
    const steady = Array.from({ length: 60 }, (_, i) => handled(gate, 2_000 + i * 1_000));
    expect(new Set(steady)).toEqual(new Set(['take']));
  });

  it('refuses while too many frames are being handled, even with tokens left, and takes again once they are done', () => {
    const gate = new FrameGate({ ...rule, rate: { capacity: 100, perSecond: 100 }, maxInFlight: 2 });
    expect(kinds([gate.offer(0), gate.offer(0), gate.offer(0)])).toEqual(['take', 'take', 'refuse']);
    gate.done();
    expect(gate.offer(0).kind).toBe('take');
  });

  it('the product limits leave the product\'s own clients alone: a widget\'s reconnection resend, an agent switching tickets', () => {
    const widget = new FrameGate(SOCKET_FLOOD_LIMITS.widget);
    // A hello and 15 unsent messages resent at once, then a typing frame every 3 s and a message a second.
    expect(new Set(Array.from({ length: 16 }, () => widget.offer(0).kind))).toEqual(new Set(['take']));
    for (let i = 0; i < 16; i++) widget.done();
    const typingAndTalking = Array.from({ length: 120 }, (_, i) => handled(widget, 5_000 + i * 1_000));
    expect(new Set(typingAndTalking)).toEqual(new Set(['take']));

    const agent = new FrameGate(SOCKET_FLOOD_LIMITS.agent);
    // Five presence frames a second (opening tickets quickly) for five seconds.
    expect(new Set(Array.from({ length: 25 }, (_, i) => handled(agent, i * 200)))).toEqual(new Set(['take']));
  });
});
