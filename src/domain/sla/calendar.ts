// Business hours as pure functions: when a workspace is open, in its own time zone, with a
// weekly schedule and holidays. Time-zone arithmetic (daylight-saving gaps and overlaps) is
// luxon's; this module only walks local days and sums the open windows that fall in a span.
import { DateTime, IANAZone } from 'luxon';

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

/** An open window of one local day, "HH:mm" to "HH:mm" (end may be "24:00"). */
export interface TimeWindow {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  /** IANA zone, e.g. Europe/Athens or Asia/Riyadh. */
  timeZone: string;
  /** Open windows per weekday; a day that is missing or empty is closed. */
  week: Partial<Record<WeekdayName, TimeWindow[]>>;
  /** Local dates ("YYYY-MM-DD") closed all day. */
  holidays: string[];
}

/** null: the clock runs around the clock (calendar time). */
export type Calendar = BusinessCalendar | null;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DAY_SCAN_LIMIT = 3 * 366;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** Everything wrong with a calendar, in words an admin understands; empty when it is usable. */
export function calendarProblems(cal: BusinessCalendar): string[] {
  const problems: string[] = [];
  if (!IANAZone.isValidZone(cal.timeZone)) problems.push(`timeZone "${cal.timeZone}" is not an IANA time zone`);
  let open = 0;
  for (const [day, windows] of Object.entries(cal.week)) {
    if (!WEEKDAY_NAMES.includes(day as WeekdayName)) {
      problems.push(`"${day}" is not a weekday (use ${WEEKDAY_NAMES.join(', ')})`);
      continue;
    }
    const sorted = [...(windows ?? [])].sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    let previousEnd = -1;
    for (const w of sorted) {
      if (!HHMM.test(w.start) || !HHMM.test(w.end) || w.start === '24:00') {
        problems.push(`${day}: ${w.start}–${w.end} is not a HH:mm–HH:mm window`);
        continue;
      }
      if (minutesOf(w.end) <= minutesOf(w.start)) problems.push(`${day}: ${w.start}–${w.end} ends before it starts`);
      else if (minutesOf(w.start) < previousEnd) problems.push(`${day}: ${w.start}–${w.end} overlaps another window`);
      else open += minutesOf(w.end) - minutesOf(w.start);
      previousEnd = Math.max(previousEnd, minutesOf(w.end));
    }
  }
  if (open === 0) problems.push('the schedule has no open hours in the week');
  for (const h of cal.holidays) {
    if (!DateTime.fromISO(h, { zone: 'UTC' }).isValid || !/^\d{4}-\d{2}-\d{2}$/.test(h)) problems.push(`holiday "${h}" is not a YYYY-MM-DD date`);
  }
  return problems;
}

function localDayStart(cal: BusinessCalendar, at: number): DateTime {
  return DateTime.fromMillis(at, { zone: cal.timeZone }).startOf('day');
}

/** The open intervals [start, end) of one local day, as epoch milliseconds. */
function openIntervalsOfDay(cal: BusinessCalendar, day: DateTime): Array<[number, number]> {
  if (cal.holidays.includes(day.toISODate() ?? '')) return [];
  const windows = cal.week[WEEKDAY_NAMES[day.weekday - 1] as WeekdayName] ?? [];
  const intervals: Array<[number, number]> = [];
  for (const w of windows) {
    const s = minutesOf(w.start);
    const e = minutesOf(w.end);
    // Local wall-clock times; luxon moves a time inside a spring-forward gap to after it.
    const start = day.set({ hour: Math.floor(s / 60), minute: s % 60 }).toMillis();
    const end = e === 24 * 60 ? day.plus({ days: 1 }).startOf('day').toMillis() : day.set({ hour: Math.floor(e / 60), minute: e % 60 }).toMillis();
    if (end > start) intervals.push([start, end]);
  }
  return intervals.sort((a, b) => a[0] - b[0]);
}

/** Yields open intervals day by day from the local day containing `from`. */
function* openIntervalsFrom(cal: BusinessCalendar, from: number): Generator<[number, number]> {
  let day = localDayStart(cal, from);
  for (let i = 0; i < DAY_SCAN_LIMIT; i++) {
    for (const [s, e] of openIntervalsOfDay(cal, day)) {
      if (e <= from) continue;
      yield [Math.max(s, from), e];
    }
    day = day.plus({ days: 1 }).startOf('day');
  }
}

/** Open time between two instants, in milliseconds (calendar time when cal is null). */
export function businessMsBetween(cal: Calendar, from: Date | number, to: Date | number): number {
  const a = +from;
  const b = +to;
  if (b <= a) return 0;
  if (!cal) return b - a;
  let total = 0;
  for (const [s, e] of openIntervalsFrom(cal, a)) {
    if (s >= b) break;
    total += Math.min(e, b) - s;
  }
  return total;
}

/**
 * The instant at which `ms` of open time have passed since `from`. A span that ends exactly
 * at closing time ends at closing time, not at the next opening.
 */
export function addBusinessMs(cal: Calendar, from: Date | number, ms: number): Date {
  const a = +from;
  if (ms <= 0) return new Date(a);
  if (!cal) return new Date(a + ms);
  let remaining = ms;
  for (const [s, e] of openIntervalsFrom(cal, a)) {
    if (remaining <= e - s) return new Date(s + remaining);
    remaining -= e - s;
  }
  throw new Error(`the calendar has no open hours within ${DAY_SCAN_LIMIT} days`);
}

/** Whether the business is open at an instant. */
export function isOpenAt(cal: Calendar, at: Date | number): boolean {
  if (!cal) return true;
  const t = +at;
  return openIntervalsOfDay(cal, localDayStart(cal, t)).some(([s, e]) => s <= t && t < e);
}

/** Monday–Friday 09:00–17:00, the usual Greek office week (weekend: Saturday and Sunday). */
export function mondayToFriday(timeZone: string, start = '09:00', end = '17:00', holidays: string[] = []): BusinessCalendar {
  const w = [{ start, end }];
  return { timeZone, week: { mon: w, tue: w, wed: w, thu: w, fri: w }, holidays };
}

/** Sunday–Thursday, the Saudi week (weekend: Friday and Saturday). */
export function sundayToThursday(timeZone: string, start = '09:00', end = '17:00', holidays: string[] = []): BusinessCalendar {
  const w = [{ start, end }];
  return { timeZone, week: { sun: w, mon: w, tue: w, wed: w, thu: w }, holidays };
}
