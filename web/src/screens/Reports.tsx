// Team leader reports: per agent or team, the tickets opened in a date range — volume, first,
// next and resolution time, first-contact resolution, CSAT, SLA hit/miss and service-recovery
// outcomes — with every count a link to the tickets behind it, and CSV (one row per ticket).
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUrlParams } from '../url-params.ts';
import { api, query } from '../api.ts';
import { PriorityBadge, StatusBadge } from '../components/Badges.tsx';
import { useFormat } from '../format.ts';
import type { PerformanceFigure, PerformanceFigures, PerformanceReport, PerformanceTickets, RecoveryReport, SurveyReport } from '../report-types.ts';

const DAY = 86_400_000;
const PRESETS = [7, 30, 90] as const;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** "12 min", "3.5 h", "2 days": minutes in the reader's language with the nearest sensible unit. */
function useDuration() {
  const { locale } = useFormat();
  return (minutes: number | null) => {
    if (minutes === null) return '—';
    const unit = (value: number, u: 'minute' | 'hour' | 'day') =>
      new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
    if (minutes < 60) return unit(minutes, 'minute');
    if (minutes < 48 * 60) return unit(minutes / 60, 'hour');
    return unit(minutes / 1440, 'day');
  };
}

type Row = PerformanceFigures & { key: string | null; label: string | null };

export default function Reports() {
  const { t } = useTranslation();
  const format = useFormat();
  const duration = useDuration();
  const [params, updateParams] = useUrlParams();
  const today = isoDay(new Date());
  const to = params.get('to') ?? today;
  const from = params.get('from') ?? isoDay(new Date(Date.parse(to) - 30 * DAY));
  const groupBy = params.get('by') === 'team' ? 'team' : 'agent';
  const drillKey = params.get('key');
  const figure = (params.get('figure') ?? null) as PerformanceFigure | null;
  const ids = { from: useId(), to: useId(), by: useId() };
  const range = { from, to: isoDay(new Date(Date.parse(to) + DAY)) };
  const valid = from < range.to;
  const drillRef = useRef<HTMLHeadingElement>(null);

  const report = useQuery({
    queryKey: ['report-performance', range, groupBy],
    queryFn: () => api<PerformanceReport>(`/api/v1/reports/performance${query({ ...range, groupBy })}`),
    enabled: valid,
  });
  const surveys = useQuery({
    queryKey: ['report-surveys', range, groupBy],
    queryFn: () => api<SurveyReport>(`/api/v1/reports/surveys${query({ ...range, groupBy })}`),
    enabled: valid,
  });
  const recovery = useQuery({
    queryKey: ['report-recovery', range, groupBy],
    queryFn: () => api<RecoveryReport>(`/api/v1/reports/recovery${query({ ...range, groupBy })}`),
    enabled: valid,
  });

  const drilling = figure !== null;
  const ticketFilter = {
    ...range,
    ...(drillKey === null ? {} : { [groupBy]: drillKey === '' ? 'none' : drillKey }),
    ...(figure && figure !== 'tickets' ? { figure } : {}),
  };
  const tickets = useQuery({
    queryKey: ['report-performance-tickets', ticketFilter],
    queryFn: () => api<PerformanceTickets>(`/api/v1/reports/performance/tickets${query(ticketFilter)}`),
    enabled: valid && drilling,
  });
  useEffect(() => {
    if (drilling) drillRef.current?.focus();
  }, [drilling, drillKey, figure]);

  function update(changes: Record<string, string | null>) {
    updateParams(changes);
  }
  const drill = (key: string | null, f: PerformanceFigure) => update({ key: key === null ? null : key, figure: f });

  const rows: Row[] = report.data ? [...report.data.groups] : [];
  const surveyOf = (key: string | null) => surveys.data?.groups.find((g) => g.key === key);
  const recoveryOf = (key: string | null) => recovery.data?.groups.find((g) => g.key === key);
  const nameOf = (row: { key: string | null; label: string | null }) => row.label ?? (groupBy === 'team' ? t('reports.noTeam') : t('reports.unassigned'));
  const drillName = drillKey === null ? t('reports.everyone') : nameOf({ key: drillKey || null, label: rows.find((r) => (r.key ?? '') === drillKey)?.label ?? null });

  /** A count that opens the tickets behind it. */
  const count = (row: Row | null, f: PerformanceFigure, value: number, label: string) => {
    if (value === 0) return format.number(0);
    const key = row === null ? null : (row.key ?? '');
    const current = drillKey === key && figure === f;
    return (
      <button type="button" className="link-button" aria-pressed={current} onClick={() => drill(key, f)}>
        {format.number(value)}
        <span className="visually-hidden"> {label}</span>
      </button>
    );
  };

  const line = (row: Row | null, figures: PerformanceFigures, name: string) => {
    const key = row === null ? null : row.key;
    const survey = row === null ? surveys.data?.overall : surveyOf(key);
    const rec = row === null ? recovery.data?.overall : recoveryOf(key);
    const what = (f: string) => t('reports.drill', { figure: f, name });
    return (
      <tr key={key ?? 'none'} data-group={row === null ? 'all' : (key ?? 'none')}>
        <th scope="row">
          <bdi>{name}</bdi>
        </th>
        <td>{count(row, 'tickets', figures.tickets, what(t('reports.tickets')))}</td>
        <td>{count(row, 'solved', figures.solved, what(t('reports.solved')))}</td>
        <td>{duration(figures.firstResponseMinutes)}</td>
        <td>{duration(figures.nextResponseMinutes)}</td>
        <td>{duration(figures.resolutionMinutes)}</td>
        <td>
          {count(row, 'fcr', figures.fcr, what(t('reports.fcr')))}
          {figures.fcrRate !== null && <span className="muted"> ({format.percent(figures.fcrRate / 100)})</span>}
        </td>
        <td>{survey?.csat == null ? '—' : `${format.percent(survey.csat / 100)}`}</td>
        <td>{count(row, 'sla_hit', figures.slaHit, what(t('reports.slaHit')))}</td>
        <td>{count(row, 'sla_missed', figures.slaMissed, what(t('reports.slaMissed')))}</td>
        <td>
          {rec
            ? t('reports.recoveryFigures', { cases: format.number(rec.cases), accepted: format.number(rec.accepted), declined: format.number(rec.declined) })
            : '—'}
        </td>
      </tr>
    );
  };

  const ticketsCsv = `/api/v1/reports/performance/tickets${query({ ...ticketFilter, format: 'csv' })}`;

  return (
    <section className="page reports" aria-labelledby="reports-title">
      <header className="page-head">
        <h1 id="reports-title">{t('reports.title')}</h1>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('dashboard.range')}>
          <div className="field">
            <label htmlFor={ids.from}>{t('dashboard.from')}</label>
            <input id={ids.from} type="date" value={from} max={to} onChange={(e) => e.target.value && update({ from: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('dashboard.to')}</label>
            <input id={ids.to} type="date" value={to} min={from} onChange={(e) => e.target.value && update({ to: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={ids.by}>{t('reports.groupBy')}</label>
            <select id={ids.by} value={groupBy} onChange={(e) => update({ by: e.target.value, key: null, figure: null })}>
              <option value="agent">{t('reports.byAgent')}</option>
              <option value="team">{t('reports.byTeam')}</option>
            </select>
          </div>
          {PRESETS.map((days) => (
            <button key={days} type="button" onClick={() => update({ from: isoDay(new Date(Date.now() - days * DAY)), to: today })}>
              {t('dashboard.lastDays', { days: format.number(days) })}
            </button>
          ))}
        </form>
        {!valid && (
          <p role="alert" className="form-error">
            {t('dashboard.badRange')}
          </p>
        )}
      </header>

      <section className="card" aria-labelledby="performance-title">
        <div className="card-head">
          <h2 id="performance-title">{groupBy === 'team' ? t('reports.perTeam') : t('reports.perAgent')}</h2>
          <span className="actions">
            <a href={`/api/v1/reports/performance${query({ ...range, groupBy, format: 'csv' })}`} download>
              {t('reports.exportSummary')}
            </a>{' '}
            <a href={`/api/v1/reports/performance/tickets${query({ ...range, format: 'csv' })}`} download>
              {t('reports.exportTickets')}
            </a>
          </span>
        </div>
        <p className="muted">{t('reports.help')}</p>
        {(report.isError || surveys.isError || recovery.isError) && <p role="alert">{t('common.loadFailed')}</p>}
        {report.data && (
          <div className="table-scroll">
            <table className="data performance">
              <thead>
                <tr>
                  <th scope="col">{groupBy === 'team' ? t('reports.team') : t('reports.agent')}</th>
                  <th scope="col">{t('reports.tickets')}</th>
                  <th scope="col">{t('reports.solved')}</th>
                  <th scope="col">{t('reports.firstResponse')}</th>
                  <th scope="col">{t('reports.nextResponse')}</th>
                  <th scope="col">{t('reports.resolution')}</th>
                  <th scope="col">{t('reports.fcr')}</th>
                  <th scope="col">{t('reports.csat')}</th>
                  <th scope="col">{t('reports.slaHit')}</th>
                  <th scope="col">{t('reports.slaMissed')}</th>
                  <th scope="col">{t('reports.recovery')}</th>
                </tr>
              </thead>
              <tbody>{rows.map((row) => line(row, row, nameOf(row)))}</tbody>
              <tfoot>{line(null, report.data.overall, t('reports.everyone'))}</tfoot>
            </table>
          </div>
        )}
        {report.data && rows.length === 0 && <p className="muted">{t('reports.nothing')}</p>}
      </section>

      {drilling && (
        <section className="card" aria-labelledby="drill-title">
          <div className="card-head">
            <h2 id="drill-title" ref={drillRef} tabIndex={-1}>
              {t('reports.ticketsBehind', { figure: t(`reports.figure.${figure}`), name: drillName })}
            </h2>
            <span className="actions">
              <a href={ticketsCsv} download>
                {t('reports.exportTickets')}
              </a>{' '}
              <button type="button" onClick={() => update({ key: null, figure: null })}>
                {t('reports.closeDrill')}
              </button>
            </span>
          </div>
          {tickets.isError && <p role="alert">{t('common.loadFailed')}</p>}
          {tickets.data && (
            <div className="table-scroll">
              <table className="data drill">
                <thead>
                  <tr>
                    <th scope="col">{t('reports.ticket')}</th>
                    <th scope="col">{t('ticket.status')}</th>
                    <th scope="col">{t('ticket.priority')}</th>
                    <th scope="col">{groupBy === 'team' ? t('reports.agent') : t('reports.team')}</th>
                    <th scope="col">{t('reports.opened')}</th>
                    <th scope="col">{t('reports.firstResponse')}</th>
                    <th scope="col">{t('reports.resolution')}</th>
                    <th scope="col">{t('reports.sla')}</th>
                    <th scope="col">{t('reports.csat')}</th>
                  </tr>
                </thead>
                <tbody>
                  {tickets.data.data.map((ticket) => (
                    <tr key={ticket.id} data-ticket={ticket.number}>
                      <th scope="row">
                        <Link to={`/tickets/${ticket.id}`}>
                          <span className="muted">#{format.number(ticket.number)}</span> <span dir="auto">{ticket.subject}</span>
                        </Link>
                      </th>
                      <td>
                        <StatusBadge status={ticket.status} />
                      </td>
                      <td>
                        <PriorityBadge priority={ticket.priority} />
                      </td>
                      <td>
                        <bdi>{(groupBy === 'team' ? ticket.assignee : ticket.team) ?? '—'}</bdi>
                      </td>
                      <td>
                        <time dateTime={ticket.createdAt}>{format.dateTime(ticket.createdAt)}</time>
                      </td>
                      <td>{duration(ticket.firstResponseMinutes)}</td>
                      <td>{duration(ticket.resolutionMinutes)}</td>
                      <td>{t('reports.slaCell', { hit: format.number(ticket.slaHit), missed: format.number(ticket.slaMissed) })}</td>
                      <td>{ticket.csat === null ? '—' : format.decimal(ticket.csat)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {tickets.data?.data.length === 0 && <p className="muted">{t('reports.nothing')}</p>}
        </section>
      )}
    </section>
  );
}
