// How a report period [from, to) is read from rollups kept per UTC day and month: whole months
// from the month rollup, the whole days around them from the day rollup, and the part-days at
// either end from the rows themselves. Pure: no clock, no I/O.

export interface PeriodCover {
  /** First days (YYYY-MM-DD) of the months wholly inside the period. */
  months: string[];
  /** Days (YYYY-MM-DD) wholly inside the period and outside those months. */
  days: string[];
  /** Part-day ranges at the ends, read from the rows. */
  raw: Array<{ from: Date; to: Date }>;
}

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

export function coverPeriod(from: Date, to: Date): PeriodCover {
  const cover: PeriodCover = { months: [], days: [], raw: [] };
  const start = from.getTime();
  const end = to.getTime();
  if (!(start < end)) return cover;
  const firstDay = startOfDay(start) === start ? start : startOfDay(start) + DAY_MS;
  const lastDay = startOfDay(end);
  if (firstDay >= lastDay) {
    cover.raw.push({ from, to });
    return cover;
  }
  if (start < firstDay) cover.raw.push({ from, to: new Date(firstDay) });
  let day = firstDay;
  while (day < lastDay) {
    const d = new Date(day);
    const monthEnd = nextMonth(day);
    if (d.getUTCDate() === 1 && monthEnd <= lastDay) {
      cover.months.push(iso(day));
      day = monthEnd;
    } else {
      cover.days.push(iso(day));
      day += DAY_MS;
    }
  }
  if (lastDay < end) cover.raw.push({ from: new Date(lastDay), to });
  return cover;
}
