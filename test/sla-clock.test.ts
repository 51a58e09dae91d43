// The SLA clock as pure functions: business hours in the workspace's time zone (weekends that
// differ between Greece and Saudi Arabia, holidays, daylight-saving changes), pauses while
// pending or on hold, and hit/miss per target. Fixtures are computed by hand; properties are
// checked with fast-check over random calendars and histories.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  addBusinessMs,
  businessMsBetween,
  calendarProblems,
  isOpenAt,
  mondayToFriday,
  sundayToThursday,
} from '../src/domain/sla/calendar.ts';
import type { BusinessCalendar } from '../src/domain/sla/calendar.ts';
import { evaluateSla, responseMetrics } from '../src/domain/sla/evaluate.ts';
import type { SlaHistoryEvent, SlaTargets, TicketHistory } from '../src/domain/sla/evaluate.ts';

const H = 3_600_000;
const athens = mondayToFriday('Europe/Athens', '09:00', '17:00', ['2025-03-25', '2025-10-28']);
const riyadh = sundayToThursday('Asia/Riyadh', '09:00', '17:00', ['2025-09-23']);
/** Local wall-clock time in a zone → Date. */
const local = (zone: string, iso: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const inAthens = (iso: string) => local('Europe/Athens', iso);
const inRiyadh = (iso: string) => local('Asia/Riyadh', iso);
const targets = (first: number | null, next: number | null, resolution: number | null): SlaTargets => ({
  firstResponseMinutes: first,
  nextResponseMinutes: next,
  resolutionMinutes: resolution,
});

describe('business calendar', () => {
  it('runs over the Greek weekend and a spring daylight-saving change (Europe/Athens, UTC+2 → UTC+3)', () => {
    // Friday 28 March 2025 16:00 (UTC+2). 4 h: 1 h on Friday, then Monday 31 March 09:00–12:00 (UTC+3).
    const due = addBusinessMs(athens, inAthens('2025-03-28T16:00'), 4 * H);
    expect(due.toISOString()).toBe('2025-03-31T09:00:00.000Z');
    expect(businessMsBetween(athens, inAthens('2025-03-28T16:00'), due)).toBe(4 * H);
  });

  it('runs over the autumn daylight-saving change (UTC+3 → UTC+2)', () => {
    // Friday 24 October 2025 16:00 (UTC+3) + 4 h → Monday 27 October 12:00 (UTC+2) = 10:00Z.
    expect(addBusinessMs(athens, inAthens('2025-10-24T16:00'), 4 * H).toISOString()).toBe('2025-10-27T10:00:00.000Z');
  });

  it('counts a 23-hour and a 25-hour day as they are on an always-open schedule', () => {
    const allDay = [{ start: '00:00', end: '24:00' }];
    const always: BusinessCalendar = {
      timeZone: 'Europe/Athens',
      week: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      holidays: [],
    };
    expect(businessMsBetween(always, inAthens('2025-03-30T00:00'), inAthens('2025-03-31T00:00'))).toBe(23 * H);
    expect(businessMsBetween(always, inAthens('2025-10-26T00:00'), inAthens('2025-10-27T00:00'))).toBe(25 * H);
    // Saturday 22:00 local + 8 h of open time = 8 real hours later, 07:00 local after the change.
    expect(addBusinessMs(always, inAthens('2025-03-29T22:00'), 8 * H).toISOString()).toBe('2025-03-30T04:00:00.000Z');
  });

  it('skips a Greek holiday (25 March, a Tuesday)', () => {
    // Monday 24 March 15:00: 2 h on Monday, Tuesday closed, Wednesday 09:00–11:00 (UTC+2).
    expect(addBusinessMs(athens, inAthens('2025-03-24T15:00'), 4 * H).toISOString()).toBe('2025-03-26T09:00:00.000Z');
    expect(isOpenAt(athens, inAthens('2025-03-25T10:00'))).toBe(false);
  });

  it('keeps the Saudi Friday–Saturday weekend (Asia/Riyadh, UTC+3)', () => {
    // Thursday 4 September 2025 15:00: 2 h on Thursday, Friday and Saturday closed, Sunday 09:00–11:00.
    expect(addBusinessMs(riyadh, inRiyadh('2025-09-04T15:00'), 4 * H).toISOString()).toBe('2025-09-07T08:00:00.000Z');
    // Written on Friday morning: the clock starts on Sunday at 09:00.
    expect(addBusinessMs(riyadh, inRiyadh('2025-09-05T10:00'), 4 * H).toISOString()).toBe('2025-09-07T10:00:00.000Z');
    expect(isOpenAt(riyadh, inRiyadh('2025-09-07T10:00'))).toBe(true); // Sunday is a working day
    expect(isOpenAt(athens, inAthens('2025-09-07T10:00'))).toBe(false); // not in Greece
    // National Day, Tuesday 23 September, is closed: Monday 16:00 + 2 h → Wednesday 10:00.
    expect(addBusinessMs(riyadh, inRiyadh('2025-09-22T16:00'), 2 * H).toISOString()).toBe('2025-09-24T07:00:00.000Z');
  });

  it('ends a span that fills the day exactly at closing time', () => {
    expect(addBusinessMs(athens, inAthens('2025-10-06T09:00'), 8 * H).toISOString()).toBe(inAthens('2025-10-06T17:00').toISOString());
  });

  it('explains what is wrong with a schedule', () => {
    expect(calendarProblems(athens)).toEqual([]);
    expect(calendarProblems({ timeZone: 'Mars/Olympus', week: {}, holidays: ['2025-13-01'] })).toEqual([
      'timeZone "Mars/Olympus" is not an IANA time zone',
      'the schedule has no open hours in the week',
      'holiday "2025-13-01" is not a YYYY-MM-DD date',
    ]);
    expect(calendarProblems({ timeZone: 'UTC', week: { mon: [{ start: '17:00', end: '09:00' }] }, holidays: [] })).toContain(
      'mon: 17:00–09:00 ends before it starts',
    );
  });
});

describe('SLA targets over a ticket history', () => {
  const created = inAthens('2025-10-06T09:00'); // a Monday, UTC+3
  const opened = (events: SlaHistoryEvent[]): TicketHistory => ({
    createdAt: created,
    initialStatus: 'new',
    events: [{ type: 'customer_message', at: created }, ...events],
  });

  it('pauses the resolution clock while pending: 1 h Monday + 3 h Tuesday = 4 h, a hit on an 8 h target', () => {
    const history = opened([
      { type: 'agent_reply', at: inAthens('2025-10-06T10:00') },
      { type: 'status', at: inAthens('2025-10-06T10:00'), to: 'pending' },
      { type: 'customer_message', at: inAthens('2025-10-07T11:00') },
      { type: 'status', at: inAthens('2025-10-07T11:00'), to: 'open' },
      { type: 'agent_reply', at: inAthens('2025-10-07T11:30') },
      { type: 'status', at: inAthens('2025-10-07T14:00'), to: 'solved' },
    ]);
    const result = evaluateSla({ history, targets: targets(120, 60, 480), calendar: athens, now: inAthens('2025-10-08T12:00') });
    expect(result.map((r) => [r.metric, r.cycle, r.outcome, r.elapsedMs / 60_000])).toEqual([
      ['first_response', 0, 'hit', 60],
      ['next_response', 1, 'hit', 30],
      ['resolution', 0, 'hit', 240],
    ]);
    // Without the pause it would have been 8 h Monday + 5 h Tuesday.
    const unpaused = evaluateSla({
      history: { ...history, events: history.events.filter((e) => !(e.type === 'status' && e.to === 'pending')) },
      targets: targets(120, 60, 480),
      calendar: athens,
      now: inAthens('2025-10-08T12:00'),
    });
    expect(unpaused.find((r) => r.metric === 'resolution')).toMatchObject({ outcome: 'missed', elapsedMs: 13 * H, lateByMs: 5 * H });
  });

  it('shows a paused clock without a due time, and the due time moves by the pause', () => {
    const history = opened([{ type: 'status', at: inAthens('2025-10-06T10:00'), to: 'on_hold' }]);
    const paused = evaluateSla({ history, targets: targets(null, null, 480), calendar: athens, now: inAthens('2025-10-06T15:00') });
    expect(paused[0]).toMatchObject({ clock: 'paused', dueAt: null, elapsedMs: 1 * H, outcome: 'pending' });
    const resumed = evaluateSla({
      history: { ...history, events: [...history.events, { type: 'status', at: inAthens('2025-10-06T15:00'), to: 'open' }] },
      targets: targets(null, null, 480),
      calendar: athens,
      now: inAthens('2025-10-06T15:00'),
    });
    // 1 h used; 7 h left from Monday 15:00: 2 h Monday, 5 h Tuesday → Tuesday 14:00.
    expect(resumed[0]).toMatchObject({ clock: 'running', elapsedMs: 1 * H, dueAt: inAthens('2025-10-07T14:00') });
  });

  it('does not count auto-replies as a first response', () => {
    const history = opened([
      { type: 'agent_reply', at: inAthens('2025-10-06T09:00:05'), auto: true },
      { type: 'agent_reply', at: inAthens('2025-10-06T13:30') },
    ]);
    const [frt] = evaluateSla({ history, targets: targets(240, null, null), calendar: athens, now: inAthens('2025-10-07T09:00') });
    expect(frt).toMatchObject({ outcome: 'missed', elapsedMs: 4.5 * H, lateByMs: 0.5 * H, dueAt: inAthens('2025-10-06T13:00') });
    expect(responseMetrics(history, athens).firstResponse).toEqual({ calendarMs: 4.5 * H, businessMs: 4.5 * H });
  });

  it('starts a next-response clock only when the customer found the ticket pending or solved', () => {
    const history = opened([
      { type: 'agent_reply', at: inAthens('2025-10-06T09:30') },
      // Open ticket: a second customer message before any answer is not a next-response start.
      { type: 'customer_message', at: inAthens('2025-10-06T09:40') },
      { type: 'agent_reply', at: inAthens('2025-10-06T10:00') },
      { type: 'status', at: inAthens('2025-10-06T10:00'), to: 'solved' },
      // Solved: the customer writes again, reopening it.
      { type: 'customer_message', at: inAthens('2025-10-06T16:00') },
      { type: 'status', at: inAthens('2025-10-06T16:00'), to: 'open' },
    ]);
    const now = inAthens('2025-10-07T10:30');
    const result = evaluateSla({ history, targets: targets(60, 120, 24 * 60), calendar: athens, now });
    const nrt = result.filter((r) => r.metric === 'next_response');
    // Monday 16:00–17:00 and Tuesday 09:00–10:00: due Tuesday 10:00, missed by 30 min of open time.
    expect(nrt).toHaveLength(1);
    expect(nrt[0]).toMatchObject({ cycle: 1, clock: 'running', outcome: 'missed', dueAt: inAthens('2025-10-07T10:00'), lateByMs: 30 * 60_000 });
    // The resolution clock runs again after the reopen, counted from creation.
    expect(result.find((r) => r.metric === 'resolution')).toMatchObject({ clock: 'running', elapsedMs: 9.5 * H });
  });

  it('measures resolution to the final solve of a reopened ticket, once', () => {
    const history = opened([
      { type: 'agent_reply', at: inAthens('2025-10-06T10:00') },
      { type: 'status', at: inAthens('2025-10-06T10:00'), to: 'solved' },
      { type: 'status', at: inAthens('2025-10-06T12:00'), to: 'open' },
      { type: 'status', at: inAthens('2025-10-06T15:00'), to: 'solved' },
      { type: 'status', at: inAthens('2025-10-06T16:00'), to: 'closed' },
    ]);
    const result = evaluateSla({ history, targets: targets(null, null, 300), calendar: athens, now: inAthens('2025-10-09T09:00') });
    expect(result).toEqual([expect.objectContaining({ metric: 'resolution', outcome: 'missed', elapsedMs: 6 * H, lateByMs: H, stoppedAt: inAthens('2025-10-06T15:00') })]);
    expect(responseMetrics(history, athens).resolution).toEqual({ calendarMs: 6 * H, businessMs: 6 * H });
  });

  it('has no first-response target when an agent opened the conversation', () => {
    const history: TicketHistory = { createdAt: created, initialStatus: 'new', events: [{ type: 'agent_reply', at: created }] };
    expect(evaluateSla({ history, targets: targets(60, 60, 480), calendar: athens, now: created }).map((r) => r.metric)).toEqual(['resolution']);
  });

  it('warns at 80% of the target', () => {
    const [frt] = evaluateSla({ history: opened([]), targets: targets(300, null, null), calendar: athens, now: created });
    expect(frt).toMatchObject({ warnAt: inAthens('2025-10-06T13:00'), dueAt: inAthens('2025-10-06T14:00'), clock: 'running', outcome: 'pending' });
  });
});

// ---- properties -----------------------------------------------------------------------------

const arbCalendar: fc.Arbitrary<BusinessCalendar> = fc
  .record({
    zone: fc.constantFrom('Europe/Athens', 'Asia/Riyadh', 'America/New_York', 'UTC'),
    start: fc.integer({ min: 0, max: 20 }),
    length: fc.integer({ min: 1, max: 10 }),
    saudiWeek: fc.boolean(),
    holidays: fc.array(fc.date({ min: new Date('2025-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }), { maxLength: 10 }),
  })
  .map(({ zone, start, length, saudiWeek, holidays }) => {
    const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
    const end = Math.min(24, start + length);
    const cal = (saudiWeek ? sundayToThursday : mondayToFriday)(zone, pad(start), end === 24 ? '24:00' : pad(end));
    return { ...cal, holidays: holidays.map((d) => d.toISOString().slice(0, 10)) };
  });

const YEAR_START = Date.UTC(2025, 0, 1);
const arbInstant = fc.integer({ min: 0, max: 360 * 24 * 60 }).map((m) => YEAR_START + m * 60_000);
/** Three instants within 60 days of each other (spans of a year are slow to walk day by day). */
const arbNearInstants = fc
  .tuple(arbInstant, fc.integer({ min: 0, max: 60 * 24 * 60 }), fc.integer({ min: 0, max: 60 * 24 * 60 }))
  .map(([a, d1, d2]) => [a, a + d1 * 60_000, a + d2 * 60_000] as const);

describe('properties of the business clock', () => {
  it('is additive and never counts more than the calendar time between two instants', () => {
    fc.assert(
      fc.property(arbCalendar, arbNearInstants, (cal, [x, y, z]) => {
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        const ab = businessMsBetween(cal, a, b);
        const bc = businessMsBetween(cal, b, c);
        expect(ab + bc).toBe(businessMsBetween(cal, a, c));
        expect(ab).toBeLessThanOrEqual(b - a);
        expect(ab).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 150 },
    );
  });

  it('never counts a closed minute and counts every open one', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, (cal, t) => {
        expect(businessMsBetween(cal, t, t + 60_000)).toBe(isOpenAt(cal, t) ? 60_000 : 0);
      }),
      { numRuns: 300 },
    );
  });

  it('adds open time as the exact inverse of counting it, landing on open time', () => {
    fc.assert(
      fc.property(arbCalendar, arbInstant, fc.integer({ min: 1, max: 60 * 60 }), (cal, t, minutes) => {
        const due = addBusinessMs(cal, t, minutes * 60_000);
        expect(businessMsBetween(cal, t, due)).toBe(minutes * 60_000);
        // The last minute before the due time is open: it is the earliest such instant.
        expect(isOpenAt(cal, +due - 60_000)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

/** A random history: the customer writes at creation, then random replies and status changes. */
const arbHistory: fc.Arbitrary<TicketHistory> = fc
  .record({
    created: arbInstant,
    steps: fc.array(
      fc.record({
        gap: fc.integer({ min: 1, max: 3 * 24 * 60 }),
        event: fc.oneof(
          fc.constant({ type: 'customer_message' as const }),
          fc.record({ type: fc.constant('agent_reply' as const), auto: fc.boolean() }),
          fc.record({ type: fc.constant('status' as const), to: fc.constantFrom('open', 'pending', 'on_hold', 'solved') }),
        ),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ created, steps }) => {
    let t = created;
    const events: SlaHistoryEvent[] = [{ type: 'customer_message', at: new Date(created) }];
    for (const s of steps) {
      t += s.gap * 60_000;
      events.push({ ...s.event, at: new Date(t) } as SlaHistoryEvent);
    }
    return { createdAt: new Date(created), initialStatus: 'new' as const, events };
  });

const allTargets = targets(60, 120, 8 * 60);

describe('properties of SLA evaluation', () => {
  it('elapsed time never decreases as time passes, and a decided target stays decided', () => {
    fc.assert(
      fc.property(arbCalendar, arbHistory, fc.integer({ min: 0, max: 60 * 24 * 20 }), fc.integer({ min: 0, max: 60 * 24 * 20 }), (cal, history, d1, d2) => {
        const lastEvent = Math.max(...history.events.map((e) => +e.at));
        const early = evaluateSla({ history, targets: allTargets, calendar: cal, now: new Date(lastEvent + Math.min(d1, d2) * 60_000) });
        const late = evaluateSla({ history, targets: allTargets, calendar: cal, now: new Date(lastEvent + Math.max(d1, d2) * 60_000) });
        expect(late.length).toBe(early.length);
        early.forEach((e, i) => {
          const l = late[i];
          expect(l?.elapsedMs).toBeGreaterThanOrEqual(e.elapsedMs);
          if (e.outcome !== 'pending') expect(l?.outcome).toBe(e.outcome);
          if (e.dueAt) expect(l?.dueAt).toEqual(e.dueAt);
        });
      }),
      { numRuns: 80 },
    );
  });

  it('pausing (pending or on hold for a while) never increases elapsed time', () => {
    fc.assert(
      fc.property(
        arbCalendar,
        arbHistory,
        fc.integer({ min: 0, max: 60 * 24 * 10 }),
        fc.integer({ min: 1, max: 60 * 24 * 5 }),
        fc.constantFrom('pending' as const, 'on_hold' as const),
        (cal, history, offset, length, status) => {
          // Only meaningful on a ticket that is open at that moment with no other status change inside.
          const start = +history.createdAt + offset * 60_000;
          const end = start + length * 60_000;
          const statusEvents = history.events.filter((e) => e.type === 'status');
          fc.pre(statusEvents.every((e) => +e.at < start || +e.at > end));
          const before = [...statusEvents].filter((e) => +e.at < start).at(-1);
          fc.pre(!before || (before.type === 'status' && before.to === 'open'));
          const paused: TicketHistory = {
            ...history,
            events: [...history.events, { type: 'status', at: new Date(start), to: status }, { type: 'status', at: new Date(end), to: 'open' }],
          };
          const now = new Date(Math.max(end, ...history.events.map((e) => +e.at)) + 86_400_000);
          const plain = evaluateSla({ history, targets: allTargets, calendar: cal, now });
          const withPause = evaluateSla({ history: paused, targets: allTargets, calendar: cal, now });
          const plainResolution = plain.find((r) => r.metric === 'resolution');
          const pausedResolution = withPause.find((r) => r.metric === 'resolution');
          expect(pausedResolution?.elapsedMs).toBeLessThanOrEqual(plainResolution?.elapsedMs ?? Infinity);
          const plainFirst = plain.find((r) => r.metric === 'first_response');
          const pausedFirst = withPause.find((r) => r.metric === 'first_response');
          expect(pausedFirst?.elapsedMs).toBeLessThanOrEqual(plainFirst?.elapsedMs ?? Infinity);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('a hit is never late and a miss always is', () => {
    fc.assert(
      fc.property(arbCalendar, arbHistory, (cal, history) => {
        const now = new Date(Math.max(...history.events.map((e) => +e.at)) + 86_400_000);
        for (const r of evaluateSla({ history, targets: allTargets, calendar: cal, now })) {
          if (r.outcome === 'hit') expect(r.lateByMs).toBe(0);
          if (r.outcome === 'missed') {
            expect(r.lateByMs).toBeGreaterThan(0);
            expect(r.dueAt).not.toBeNull();
          }
          expect(r.elapsedMs).toBeLessThanOrEqual(+(r.stoppedAt ?? now) - +r.startedAt);
        }
      }),
      { numRuns: 80 },
    );
  });
});
