// How a report period [from, to) is read from rollups kept per UTC day and month: whole months
// (when the report allows), whole days, and the partial days at each end from the rows
// themselves. Pure: no clock, no I/O. Used by the moments report and the team report.

export const DAY_MS = 86_400_000;
export const dayOf = (d: Date) => new Date(Math.floor(d.getTime() / DAY_MS) * DAY_MS);
const ceilDay = (d: Date) => new Date(Math.ceil(d.getTime() / DAY_MS) * DAY_MS);
export const monthStart = (d: Date, add = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1));
const ceilMonth = (d: Date) => (monthStart(d).getTime() === d.getTime() ? d : monthStart(d, 1));

/** Every range is half-open; an empty one is [x, x). */
export interface PeriodSplit {
  months: [Date, Date];
  days: [[Date, Date], [Date, Date]];
  raw: [[Date, Date], [Date, Date]];
}

export function splitPeriod(from: Date, to: Date, useMonths: boolean): PeriodSplit {
  const d1 = ceilDay(from);
  const d2 = dayOf(to);
  if (d1 >= d2) return { months: [from, from], days: [[from, from], [from, from]], raw: [[from, to], [to, to]] };
  const m1 = ceilMonth(d1);
  const m2 = monthStart(d2);
  if (!useMonths || m1 >= m2) return { months: [d1, d1], days: [[d1, d2], [d2, d2]], raw: [[from, d1], [d2, to]] };
  return { months: [m1, m2], days: [[d1, m1], [m2, d2]], raw: [[from, d1], [d2, to]] };
}

/** YYYY-MM-DD of a UTC midnight (a rollup's day or month). */
export const isoDay = (d: Date) => d.toISOString().slice(0, 10);
