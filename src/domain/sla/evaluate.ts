// The SLA evaluator: pure functions over a ticket's history. One entry point, evaluateSla(),
// then one small named check per target (first response, next response, resolution), each a
// few guard clauses in the domain's own words. The metric definitions are PRODUCT.md's:
//   - first response: from the first customer message to the first public agent reply;
//     auto-replies do not count;
//   - next response: from a customer message that found the ticket waiting on the customer
//     (pending) or solved, to the next public agent reply;
//   - resolution: from creation to the last transition to solved (a reopened ticket counts
//     once, with its final solve).
// The SLA clock runs in business hours (or calendar time) and is paused while the ticket is
// pending or on hold.
import type { TicketPriority, TicketStatus } from '../tickets.ts';
import { addBusinessMs, businessMsBetween } from './calendar.ts';
import type { Calendar } from './calendar.ts';

export const SLA_METRICS = ['first_response', 'next_response', 'resolution'] as const;
export type SlaMetric = (typeof SLA_METRICS)[number];

/** Targets in minutes of (business) time; null: no target for this metric. */
export interface SlaTargets {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
}

export type SlaTargetsByPriority = Record<TicketPriority, SlaTargets>;

export type SlaHistoryEvent =
  | { type: 'customer_message'; at: Date }
  | { type: 'agent_reply'; at: Date; auto?: boolean }
  | { type: 'status'; at: Date; to: TicketStatus };

export interface TicketHistory {
  createdAt: Date;
  /** The status the ticket was created in. */
  initialStatus: TicketStatus;
  events: SlaHistoryEvent[];
}

export const PAUSED_STATUSES: readonly TicketStatus[] = ['pending', 'on_hold'];
const SOLVED: readonly TicketStatus[] = ['solved', 'closed'];

export interface TargetEvaluation {
  metric: SlaMetric;
  /** 0 for first response and resolution; 1, 2, … for each next-response cycle. */
  cycle: number;
  targetMinutes: number;
  startedAt: Date;
  /** When the clock stopped for good (the reply, the final solve); null while it still runs. */
  stoppedAt: Date | null;
  clock: 'running' | 'paused' | 'stopped';
  /** When the target is (or was) due; null while paused before reaching it. */
  dueAt: Date | null;
  /** When the warning threshold is (or was) reached; null while paused before it. */
  warnAt: Date | null;
  /** Open time counted so far, pauses excluded, up to `now` or the stop. */
  elapsedMs: number;
  outcome: 'pending' | 'hit' | 'missed';
  /** Open time beyond the target (0 unless missed). */
  lateByMs: number;
}

export interface EvaluateInput {
  history: TicketHistory;
  targets: SlaTargets;
  calendar: Calendar;
  now: Date;
  /** Warn when this share of the target has elapsed (1–99); default 80. */
  warnPercent?: number;
}

type Span = [number, number]; // [start, end) in epoch ms; end may be Infinity

/** Messages come before status changes made at the same instant: a customer message that
 *  reopens a solved ticket still "found it solved". */
function ordered(events: SlaHistoryEvent[]): SlaHistoryEvent[] {
  const rank = (e: SlaHistoryEvent) => (e.type === 'status' ? 1 : 0);
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => +a.e.at - +b.e.at || rank(a.e) - rank(b.e) || a.i - b.i)
    .map((x) => x.e);
}

/** The ticket's status over time: [from, status] steps starting at creation. */
function statusTimeline(history: TicketHistory): Array<{ from: number; status: TicketStatus }> {
  const steps = [{ from: +history.createdAt, status: history.initialStatus }];
  for (const e of ordered(history.events)) {
    if (e.type !== 'status') continue;
    const last = steps[steps.length - 1];
    if (last && last.status === e.to) continue;
    steps.push({ from: +e.at, status: e.to });
  }
  return steps;
}

function pausedSpans(history: TicketHistory): Span[] {
  const steps = statusTimeline(history);
  const spans: Span[] = [];
  steps.forEach((step, i) => {
    if (!PAUSED_STATUSES.includes(step.status)) return;
    const next = steps[i + 1];
    spans.push([step.from, next ? next.from : Infinity]);
  });
  return spans;
}

/** [start, stop) minus the paused spans, in order. */
function activeSpans(start: number, stop: number, paused: Span[]): Span[] {
  const spans: Span[] = [];
  let cursor = start;
  for (const [ps, pe] of paused) {
    if (pe <= cursor || ps >= stop) continue;
    if (ps > cursor) spans.push([cursor, Math.min(ps, stop)]);
    cursor = Math.max(cursor, pe);
    if (cursor >= stop) break;
  }
  if (cursor < stop) spans.push([cursor, stop]);
  return spans;
}

function openTime(calendar: Calendar, spans: Span[], until: number): number {
  let total = 0;
  for (const [s, e] of spans) {
    if (s >= until) break;
    total += businessMsBetween(calendar, s, Math.min(e, until));
  }
  return total;
}

/** The instant the clock reaches `amount` over the active spans, or null if it never does. */
function reachedAt(calendar: Calendar, spans: Span[], amount: number): Date | null {
  let cumulative = 0;
  for (const [s, e] of spans) {
    const length = e === Infinity ? Infinity : businessMsBetween(calendar, s, e);
    if (cumulative + length >= amount) return addBusinessMs(calendar, s, amount - cumulative);
    cumulative += length;
  }
  return null;
}

interface Clock {
  metric: SlaMetric;
  cycle: number;
  startedAt: number;
  stoppedAt: number | null;
}

function measure(clock: Clock, minutes: number, input: EvaluateInput, paused: Span[]): TargetEvaluation {
  const now = +input.now;
  const targetMs = minutes * 60_000;
  const stop = clock.stoppedAt ?? Infinity;
  const spans = activeSpans(clock.startedAt, stop, paused);
  // A stopped clock still has a due time: when it would have fallen had the clock run on.
  const dueSpans = clock.stoppedAt === null ? spans : [...spans, [clock.stoppedAt, Infinity] as Span];
  const elapsedMs = openTime(input.calendar, spans, Math.min(stop, now));
  const pausedNow = clock.stoppedAt === null && paused.some(([s, e]) => s <= now && now < e);
  const pct = Math.min(99, Math.max(1, input.warnPercent ?? 80));
  // While paused, the active spans end at the pause: a due time not yet reached is unknown.
  const reached = (amount: number) => reachedAt(input.calendar, dueSpans, amount);
  const outcome = elapsedMs > targetMs ? 'missed' : clock.stoppedAt !== null ? 'hit' : 'pending';
  return {
    metric: clock.metric,
    cycle: clock.cycle,
    targetMinutes: minutes,
    startedAt: new Date(clock.startedAt),
    stoppedAt: clock.stoppedAt === null ? null : new Date(clock.stoppedAt),
    clock: clock.stoppedAt !== null ? 'stopped' : pausedNow ? 'paused' : 'running',
    dueAt: reached(targetMs),
    warnAt: reached(Math.floor((targetMs * pct) / 100)),
    elapsedMs,
    outcome,
    lateByMs: Math.max(0, elapsedMs - targetMs),
  };
}

interface Walk {
  firstCustomerMessage: number | null;
  firstReply: number | null;
  /** Next-response cycles: when each started and the reply that stopped it. */
  nextResponses: Array<{ start: number; stop: number | null }>;
  finalSolve: number | null;
  /** The moment a response clock is stopped without a reply: the ticket was solved. */
  solves: number[];
}

/** One pass over the history, in order, noting the moments the checks need. */
function walk(history: TicketHistory): Walk {
  const w: Walk = { firstCustomerMessage: null, firstReply: null, nextResponses: [], finalSolve: null, solves: [] };
  let status = history.initialStatus;
  if (SOLVED.includes(status)) w.solves.push(+history.createdAt);
  for (const e of ordered(history.events)) {
    const t = +e.at;
    if (e.type === 'status') {
      if (SOLVED.includes(e.to) && !SOLVED.includes(status)) w.solves.push(t);
      status = e.to;
      continue;
    }
    if (e.type === 'customer_message') {
      if (w.firstCustomerMessage === null) w.firstCustomerMessage = t;
      else if ((status === 'pending' || SOLVED.includes(status)) && !w.nextResponses.some((c) => c.stop === null)) {
        w.nextResponses.push({ start: t, stop: null });
      }
      continue;
    }
    if (e.auto) continue; // auto-replies answer nobody
    if (w.firstCustomerMessage !== null && w.firstReply === null) w.firstReply = t;
    for (const c of w.nextResponses) if (c.stop === null) c.stop = t;
  }
  if (SOLVED.includes(status)) {
    // The last transition into solved (closing a solved ticket does not move it).
    w.finalSolve = w.solves.at(-1) ?? null;
  }
  return w;
}

/** A response clock with no reply stops when the ticket is solved: nobody is waiting any more. */
function stopOf(reply: number | null, start: number, solves: number[]): number | null {
  const solve = solves.find((s) => s >= start) ?? null;
  if (reply === null) return solve;
  return solve !== null && solve < reply ? solve : reply;
}

function checkFirstResponse(w: Walk, input: EvaluateInput, paused: Span[]): TargetEvaluation[] {
  const minutes = input.targets.firstResponseMinutes;
  if (minutes === null) return [];
  if (w.firstCustomerMessage === null) return []; // an agent reaching out answers nobody
  const clock = { metric: 'first_response' as const, cycle: 0, startedAt: w.firstCustomerMessage, stoppedAt: stopOf(w.firstReply, w.firstCustomerMessage, w.solves) };
  return [measure(clock, minutes, input, paused)];
}

function checkNextResponses(w: Walk, input: EvaluateInput, paused: Span[]): TargetEvaluation[] {
  const minutes = input.targets.nextResponseMinutes;
  if (minutes === null) return [];
  return w.nextResponses.map((c, i) =>
    measure({ metric: 'next_response', cycle: i + 1, startedAt: c.start, stoppedAt: stopOf(c.stop, c.start, w.solves) }, minutes, input, paused),
  );
}

function checkResolution(w: Walk, input: EvaluateInput, paused: Span[]): TargetEvaluation[] {
  const minutes = input.targets.resolutionMinutes;
  if (minutes === null) return [];
  const clock = { metric: 'resolution' as const, cycle: 0, startedAt: +input.history.createdAt, stoppedAt: w.finalSolve };
  return [measure(clock, minutes, input, paused)];
}

/** Every applied target of a ticket, evaluated at `now`. */
export function evaluateSla(input: EvaluateInput): TargetEvaluation[] {
  const history: TicketHistory = { ...input.history, events: input.history.events.filter((e) => +e.at <= +input.now) };
  const w = walk(history);
  const paused = pausedSpans(history);
  const inp = { ...input, history };
  return [...checkFirstResponse(w, inp, paused), ...checkNextResponses(w, inp, paused), ...checkResolution(w, inp, paused)];
}

/** The raw metrics of PRODUCT.md (no pauses), in calendar and business time. */
export interface ResponseMetrics {
  firstResponse: { calendarMs: number; businessMs: number } | null;
  nextResponses: Array<{ calendarMs: number; businessMs: number }>;
  resolution: { calendarMs: number; businessMs: number } | null;
}

export function responseMetrics(history: TicketHistory, calendar: Calendar): ResponseMetrics {
  const w = walk(history);
  const span = (a: number, b: number) => ({ calendarMs: b - a, businessMs: businessMsBetween(calendar, a, b) });
  return {
    firstResponse: w.firstCustomerMessage !== null && w.firstReply !== null ? span(w.firstCustomerMessage, w.firstReply) : null,
    nextResponses: w.nextResponses.flatMap((c) => (c.stop === null ? [] : [span(c.start, c.stop)])),
    resolution: w.finalSolve !== null ? span(+history.createdAt, w.finalSolve) : null,
  };
}
