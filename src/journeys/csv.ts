// CSV for the moments reports (RFC 4180, CRLF). Text a spreadsheet would run as a formula
// (starting with = + - @ or a tab) is prefixed with an apostrophe; numbers are written as is.
import { OUTCOME_KINDS } from '../domain/mattered.ts';
import type { MatteredReport } from './mattered.ts';
import type { StageReport, TrendPeriod } from './reports.ts';

type Cell = string | number | null;

const field = (value: Cell): string => {
  let s = value === null ? '' : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return `${[header.map(field).join(','), ...rows.map((r) => r.map(field).join(','))].join('\r\n')}\r\n`;
}

/** Whether the caller asked for CSV: format=csv, or Accept: text/csv without a format. */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  return format === 'csv' || (format === undefined && /\btext\/csv\b/i.test(accept ?? ''));
}

export function momentsCsv(report: { from: string; to: string; stages: StageReport[] }): string {
  return toCsv(
    ['from', 'to', 'stage', 'touchpoints', 'customers', 'positiveShare', 'negativeShare', 'conversionToNext'],
    report.stages.map((s) => [report.from, report.to, s.stage, s.touchpoints, s.customers, s.positiveShare, s.negativeShare, s.conversionToNext]),
  );
}

export function trendCsv(report: { periods: TrendPeriod[] }): string {
  return toCsv(
    ['period', 'from', 'to', 'stage', 'touchpoints', 'customers', 'positiveShare', 'negativeShare'],
    report.periods.flatMap((p) => p.stages.map((s) => [p.period, p.from, p.to, s.stage, s.touchpoints, s.customers, s.positiveShare, s.negativeShare])),
  );
}

/** One line per outcome kind and preceding touchpoint (rank 1 = most often); an outcome with none gets one line. */
export function matteredCsv(report: MatteredReport): string {
  const rows: Cell[][] = [];
  for (const kind of OUTCOME_KINDS) {
    const o = report.outcomes[kind];
    if (o.precededBy.length === 0) rows.push([report.from, report.to, report.windowDays, kind, o.count, null, null, null, null, null, null, null]);
    o.precededBy.forEach((m, i) =>
      rows.push([report.from, report.to, report.windowDays, kind, o.count, i + 1, m.event, m.stage, m.valence, m.outcomes, m.share, m.lift]),
    );
  }
  return toCsv(['from', 'to', 'windowDays', 'outcome', 'outcomeCount', 'rank', 'event', 'stage', 'valence', 'precededOutcomes', 'share', 'lift'], rows);
}
