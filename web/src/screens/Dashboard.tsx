// The moments dashboard: stage funnel, the moments that mattered, retention by onboarding
// outcome — for a date range, with CSV export.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useUrlParams } from '../url-params.ts';
import { api, query } from '../api.ts';
import { StageBadge, ValenceMark } from '../components/Badges.tsx';
import { useFormat } from '../format.ts';
import { VocSections } from './DashboardVoc.tsx';
import { HEALTH_PARTS, OUTCOMES, STAGES } from '../types.ts';
import type { MatteredReport, MomentsReport, RetentionReport, StageHealthReport } from '../types.ts';

const BarChart = lazy(() => import('../components/BarChart.tsx'));
const DAY = 86_400_000;
const PRESETS = [30, 90, 365] as const;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** CSV with a BOM, so spreadsheet programs read Greek and Arabic as UTF-8. */
function csvHref(rows: (string | number | null)[][]): string {
  const escape = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const body = rows.map((r) => r.map(escape).join(',')).join('\r\n');
  return `data:text/csv;charset=utf-8,${encodeURIComponent(`\uFEFF${body}\r\n`)}`;
}

export default function Dashboard() {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, updateParams] = useUrlParams();
  const today = isoDay(new Date());
  const to = params.get('to') ?? today;
  const from = params.get('from') ?? isoDay(new Date(Date.parse(to) - 90 * DAY));
  const ids = { from: useId(), to: useId() };
  // The range covers whole days: up to the end of the "to" day.
  const range = { from, to: isoDay(new Date(Date.parse(to) + DAY)) };
  const valid = from < range.to;

  const moments = useQuery({
    queryKey: ['report-moments', range],
    queryFn: () => api<MomentsReport>(`/api/v1/reports/moments${query(range)}`),
    enabled: valid,
  });
  const mattered = useQuery({
    queryKey: ['report-mattered', range],
    queryFn: () => api<MatteredReport>(`/api/v1/reports/moments-that-mattered${query(range)}`),
    enabled: valid,
  });
  const retention = useQuery({
    queryKey: ['report-retention', range],
    queryFn: () => api<RetentionReport>(`/api/v1/reports/retention${query({ ...range, from: isoDay(new Date(Date.parse(to) - 365 * DAY)) })}`),
    enabled: valid,
  });

  const health = useQuery({
    queryKey: ['report-stage-health', range],
    queryFn: () => api<StageHealthReport>(`/api/v1/reports/stage-health${query({ ...range, interval: 'week' })}`),
    enabled: valid,
  });
  const healthPeriods = health.data?.periods ?? [];
  const latest = healthPeriods.at(-1);
  const before = healthPeriods.at(-2);

  function setRange(nextFrom: string, nextTo: string) {
    updateParams({ from: nextFrom, to: nextTo });
  }

  const stages = moments.data?.stages;
  const funnelSeries = useMemo(
    () =>
      stages
        ? [
            { label: t('dashboard.customers'), data: stages.map((s) => s.customers), color: 'var(--chart-1)' },
            { label: t('dashboard.touchpoints'), data: stages.map((s) => s.touchpoints), color: 'var(--chart-2)' },
          ]
        : [],
    [stages, t],
  );
  const funnelLabels = useMemo(() => STAGES.map((s) => t(`stages.${s}.short`)), [t]);

  // Retention per onboarding outcome over all cohorts: retained ÷ eligible at each N days.
  const retentionRows = useMemo(() => {
    if (!retention.data) return [];
    const outcomes = ['completed', 'struggled', 'none'] as const;
    return outcomes.map((onboarding) => {
      const cohorts = retention.data.cohorts.filter((c) => c.onboarding === onboarding);
      return {
        onboarding,
        size: cohorts.reduce((sum, c) => sum + c.size, 0),
        rates: retention.data.days.map((d) => {
          const eligible = cohorts.reduce((sum, c) => sum + (c.retained[String(d)]?.eligible ?? 0), 0);
          const retained = cohorts.reduce((sum, c) => sum + (c.retained[String(d)]?.retained ?? 0), 0);
          return eligible ? retained / eligible : null;
        }),
      };
    });
  }, [retention.data]);
  const retentionSeries = useMemo(
    () =>
      retentionRows.map((r, i) => ({
        label: t(`dashboard.onboarding.${r.onboarding}`),
        data: r.rates,
        color: `var(--chart-${i + 1})`,
      })),
    [retentionRows, t],
  );
  const retentionLabels = useMemo(
    () => (retention.data?.days ?? []).map((d) => t('dashboard.afterDays', { days: format.number(d) })),
    [retention.data, t, format],
  );

  const funnelCsv = stages
    ? csvHref([
        ['stage', 'customers', 'touchpoints', 'positive_share', 'negative_share', 'conversion_to_next'],
        ...stages.map((s) => [s.stage, s.customers, s.touchpoints, s.positiveShare, s.negativeShare, s.conversionToNext]),
      ])
    : undefined;
  const matteredCsv = mattered.data
    ? csvHref([
        ['outcome', 'outcomes', 'event', 'stage', 'valence', 'preceded_outcomes', 'share', 'lift'],
        ...OUTCOMES.flatMap((o) =>
          mattered.data.outcomes[o].precededBy.map((p) => [o, mattered.data.outcomes[o].count, p.event, p.stage, p.valence, p.outcomes, p.share, p.lift]),
        ),
      ])
    : undefined;

  return (
    <section className="page dashboard" aria-labelledby="dashboard-title">
      <header className="page-head">
        <h1 id="dashboard-title">{t('dashboard.title')}</h1>
        <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('dashboard.range')}>
          <div className="field">
            <label htmlFor={ids.from}>{t('dashboard.from')}</label>
            <input id={ids.from} type="date" value={from} max={to} onChange={(e) => e.target.value && setRange(e.target.value, to)} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('dashboard.to')}</label>
            <input id={ids.to} type="date" value={to} min={from} onChange={(e) => e.target.value && setRange(from, e.target.value)} />
          </div>
          {PRESETS.map((days) => (
            <button key={days} type="button" onClick={() => setRange(isoDay(new Date(Date.now() - days * DAY)), today)}>
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

      <section className="card" aria-labelledby="funnel-title">
        <div className="card-head">
          <h2 id="funnel-title">{t('dashboard.funnel')}</h2>
          {funnelCsv && (
            <a href={funnelCsv} download={`moments-${from}-${to}.csv`}>
              {t('dashboard.exportCsv')}
            </a>
          )}
        </div>
        {moments.isError && <p role="alert">{t('common.loadFailed')}</p>}
        {stages && (
          <>
            <Suspense fallback={<div className="chart" />}>
              <BarChart labels={funnelLabels} series={funnelSeries} summary={t('dashboard.funnelSummary')} />
            </Suspense>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.stage')}</th>
                  <th scope="col">{t('dashboard.customers')}</th>
                  <th scope="col">{t('dashboard.touchpoints')}</th>
                  <th scope="col">{t('dashboard.positive')}</th>
                  <th scope="col">{t('dashboard.negative')}</th>
                  <th scope="col">{t('dashboard.conversion')}</th>
                </tr>
              </thead>
              <tbody>
                {stages.map((s) => (
                  <tr key={s.stage} data-stage={s.stage}>
                    <th scope="row">
                      <StageBadge stage={s.stage} /> {t(`stages.${s.stage}.name`)}
                    </th>
                    <td>{format.number(s.customers)}</td>
                    <td>{format.number(s.touchpoints)}</td>
                    <td>{format.percent(s.positiveShare)}</td>
                    <td>{format.percent(s.negativeShare)}</td>
                    <td>{format.percent(s.conversionToNext)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="health-title">
        <div className="card-head">
          <h2 id="health-title">{t('dashboard.health')}</h2>
        </div>
        <p className="muted">{t('dashboard.healthHelp')}</p>
        {health.isError && <p role="alert">{t('common.loadFailed')}</p>}
        {latest && (
          <table className="data health">
            <caption className="visually-hidden">{t('dashboard.healthSummary')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dashboard.stage')}</th>
                <th scope="col">{t('dashboard.score')}</th>
                <th scope="col">{t('dashboard.previous')}</th>
                {HEALTH_PARTS.map((p) => (
                  <th scope="col" key={p}>
                    {t(`dashboard.part.${p}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {latest.stages.map((s) => {
                const previous = before?.stages.find((b) => b.stage === s.stage)?.score ?? null;
                return (
                  <tr key={s.stage} data-health-stage={s.stage}>
                    <th scope="row">
                      <StageBadge stage={s.stage} /> {t(`stages.${s.stage}.name`)}
                    </th>
                    <td>
                      <strong>{s.score === null ? t('dashboard.noData') : format.decimal(s.score)}</strong>
                    </td>
                    <td>{previous === null ? '—' : format.decimal(previous)}</td>
                    {HEALTH_PARTS.map((p) => {
                      const part = s.parts.find((x) => x.part === p);
                      return <td key={p}>{part ? `${format.decimal(part.normalised)} × ${format.percent(part.weight)}` : '—'}</td>;
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      {valid && <VocSections range={range} />}

      <section className="card" aria-labelledby="mattered-title">
        <div className="card-head">
          <h2 id="mattered-title">{t('dashboard.mattered')}</h2>
          {matteredCsv && (
            <a href={matteredCsv} download={`moments-that-mattered-${from}-${to}.csv`}>
              {t('dashboard.exportCsv')}
            </a>
          )}
        </div>
        <p className="muted">{t('dashboard.matteredHelp', { days: format.number(mattered.data?.windowDays ?? 30) })}</p>
        {mattered.isError && <p role="alert">{t('common.loadFailed')}</p>}
        {mattered.data?.truncated && <p className="muted">{t('dashboard.truncated')}</p>}
        <div className="outcomes">
          {mattered.data &&
            OUTCOMES.map((o) => {
              const ranking = mattered.data.outcomes[o];
              return (
                <section key={o} className="outcome" aria-labelledby={`outcome-${o}`}>
                  <h3 id={`outcome-${o}`}>
                    {t(`outcomes.${o}`)} <span className="muted">({format.number(ranking.count)})</span>
                  </h3>
                  {ranking.precededBy.length === 0 ? (
                    <p className="muted">{t('dashboard.nothingPreceded')}</p>
                  ) : (
                    <ol className="plain-list">
                      {ranking.precededBy.slice(0, 5).map((p) => (
                        <li key={`${p.event}-${p.stage}-${p.valence}`}>
                          <StageBadge stage={p.stage} /> <ValenceMark valence={p.valence} />{' '}
                          <span dir="auto">{t(`events.${p.event}`, { defaultValue: p.event })}</span>{' '}
                          <span className="muted">
                            {t('dashboard.shareLift', { share: format.percent(p.share), lift: format.decimal(p.lift) })}
                          </span>
                        </li>
                      ))}
                    </ol>
                  )}
                </section>
              );
            })}
        </div>
      </section>

      <section className="card" aria-labelledby="retention-title">
        <div className="card-head">
          <h2 id="retention-title">{t('dashboard.retention')}</h2>
          <a href={`/api/v1/reports/retention${query({ ...range, from: isoDay(new Date(Date.parse(to) - 365 * DAY)), format: 'csv' })}`} download>
            {t('dashboard.exportCsv')}
          </a>
        </div>
        {retention.isError && <p role="alert">{t('common.loadFailed')}</p>}
        {retention.data && (
          <>
            <Suspense fallback={<div className="chart" />}>
              <BarChart labels={retentionLabels} series={retentionSeries} summary={t('dashboard.retentionSummary')} percent />
            </Suspense>
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('dashboard.onboardingOutcome')}</th>
                  <th scope="col">{t('dashboard.cohortSize')}</th>
                  {retention.data.days.map((d) => (
                    <th scope="col" key={d}>
                      {t('dashboard.afterDays', { days: format.number(d) })}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {retentionRows.map((r) => (
                  <tr key={r.onboarding}>
                    <th scope="row">{t(`dashboard.onboarding.${r.onboarding}`)}</th>
                    <td>{format.number(r.size)}</td>
                    {r.rates.map((rate, i) => (
                      <td key={i}>{format.percent(rate)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </section>
  );
}
