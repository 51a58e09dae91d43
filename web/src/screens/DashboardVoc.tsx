// The voice of the customer on the moments dashboard: NPS, CSAT and CES week by week, the stage
// health trend, and the pain points of each moment of truth with example quotes linking to
// where they were said. Charts load with the dashboard only.
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, query } from '../api.ts';
import { StageBadge, ValenceMark } from '../components/Badges.tsx';
import { useFormat } from '../format.ts';
import type { PainPointReport, SurveyReport } from '../report-types.ts';
import { STAGES, VALENCES } from '../types.ts';
import type { StageHealthReport, Valence } from '../types.ts';

const LineChart = lazy(() => import('../components/LineChart.tsx'));

export function VocSections({ range }: { range: { from: string; to: string } }) {
  const { t } = useTranslation();
  const format = useFormat();
  const surveys = useQuery({
    queryKey: ['report-surveys', range, 'week'],
    queryFn: () => api<SurveyReport>(`/api/v1/reports/surveys${query({ ...range, groupBy: 'week' })}`),
  });
  // The same query as the stage health table above it: answered once from the cache.
  const health = useQuery({
    queryKey: ['report-stage-health', range],
    queryFn: () => api<StageHealthReport>(`/api/v1/reports/stage-health${query({ ...range, interval: 'week' })}`),
  });
  const pain = useQuery({
    queryKey: ['report-pain-points', range],
    queryFn: () => api<PainPointReport>(`/api/v1/reports/pain-points${query({ ...range, limit: 5, examples: 2 })}`),
  });

  const weeks = surveys.data?.groups ?? [];
  const weekLabels = useMemo(() => weeks.map((w) => (w.key ? format.date(w.key) : '')), [weeks, format]);
  const surveySeries = useMemo(
    () => [
      { label: t('voc.csat'), data: weeks.map((w) => w.csat), color: 'var(--chart-1)' },
      { label: t('voc.nps'), data: weeks.map((w) => w.nps), color: 'var(--chart-2)' },
    ],
    [weeks, t],
  );
  const periods = health.data?.periods ?? [];
  const healthLabels = useMemo(() => periods.map((p) => format.date(p.period)), [periods, format]);
  const healthSeries = useMemo(
    () =>
      STAGES.map((stage) => ({
        label: t(`stages.${stage}.short`),
        data: periods.map((p) => p.stages.find((s) => s.stage === stage)?.score ?? null),
        color: `var(--${stage})`,
      })),
    [periods, t],
  );
  const score = (n: number | null) => (n === null ? '—' : format.decimal(n));

  return (
    <>
      <section className="card" aria-labelledby="surveys-title">
        <div className="card-head">
          <h2 id="surveys-title">{t('voc.surveys')}</h2>
          <a href={`/api/v1/reports/surveys${query({ ...range, groupBy: 'week', format: 'csv' })}`} download>
            {t('dashboard.exportCsv')}
          </a>
        </div>
        <p className="muted">{t('voc.surveysHelp')}</p>
        {surveys.isError && <p role="alert">{t('common.loadFailed')}</p>}
        {surveys.data && weeks.length === 0 && <p className="muted">{t('dashboard.nothingPreceded')}</p>}
        {weeks.length > 0 && (
          <>
            <Suspense fallback={<div className="chart" />}>
              <LineChart labels={weekLabels} series={surveySeries} summary={t('voc.surveysSummary')} min={-100} max={100} />
            </Suspense>
            <table className="data surveys-trend">
              <thead>
                <tr>
                  <th scope="col">{t('voc.week')}</th>
                  <th scope="col">{t('voc.csat')}</th>
                  <th scope="col">{t('voc.nps')}</th>
                  <th scope="col">{t('voc.ces')}</th>
                  <th scope="col">{t('voc.answers')}</th>
                </tr>
              </thead>
              <tbody>
                {weeks.map((w, i) => (
                  <tr key={w.key ?? i} data-week={w.key}>
                    <th scope="row">{weekLabels[i]}</th>
                    <td>{score(w.csat)}</td>
                    <td>{score(w.nps)}</td>
                    <td>{score(w.ces)}</td>
                    <td>{format.number(w.responses)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('voc.wholePeriod')}</th>
                  <td>{score(surveys.data?.overall.csat ?? null)}</td>
                  <td>{score(surveys.data?.overall.nps ?? null)}</td>
                  <td>{score(surveys.data?.overall.ces ?? null)}</td>
                  <td>{format.number(surveys.data?.overall.responses ?? 0)}</td>
                </tr>
              </tfoot>
            </table>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="health-trend-title">
        <div className="card-head">
          <h2 id="health-trend-title">{t('voc.healthTrend')}</h2>
        </div>
        {health.isError && <p role="alert">{t('common.loadFailed')}</p>}
        {periods.length > 0 && (
          <>
            <Suspense fallback={<div className="chart" />}>
              <LineChart labels={healthLabels} series={healthSeries} summary={t('voc.healthTrendSummary')} min={0} max={100} />
            </Suspense>
            {/* Many weeks: the table scrolls sideways, and can be scrolled from the keyboard. */}
            <div className="table-scroll" tabIndex={0} role="region" aria-label={t('voc.healthTrendSummary')}>
              <table className="data health-trend">
                <thead>
                  <tr>
                    <th scope="col">{t('dashboard.stage')}</th>
                    {healthLabels.map((label, i) => (
                      <th scope="col" key={i}>
                        {label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {healthSeries.map((s, i) => (
                    <tr key={STAGES[i]} data-trend-stage={STAGES[i]}>
                      <th scope="row">{s.label}</th>
                      {s.data.map((v, j) => (
                        <td key={j}>{score(v)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="pain-title">
        <div className="card-head">
          <h2 id="pain-title">{t('voc.pain')}</h2>
        </div>
        <p className="muted">{t('voc.painHelp')}</p>
        {pain.isError && <p role="alert">{t('common.loadFailed')}</p>}
        <div className="outcomes pain-points">
          {pain.data?.stages.map((stage) => (
            <section key={stage.stage} className="pain-stage" data-pain-stage={stage.stage} aria-labelledby={`pain-${stage.stage}`}>
              <h3 id={`pain-${stage.stage}`}>
                <StageBadge stage={stage.stage} /> {t(`stages.${stage.stage}.name`)}{' '}
                <span className="muted">({t('voc.texts', { n: format.number(stage.sources) })})</span>
              </h3>
              {stage.phrases.length === 0 ? (
                <p className="muted">{t('dashboard.nothingPreceded')}</p>
              ) : (
                <ol className="plain-list">
                  {stage.phrases.map((p) => (
                    <li key={p.key} className="pain-point">
                      <strong dir="auto">{p.phrase}</strong>{' '}
                      <span className="muted">
                        {t('voc.phraseFigures', { count: format.number(p.count), negative: format.percent(p.negativeShare) })}{' '}
                        <span className={`trend trend-${p.trend}`}>
                          {p.trend === 'up' || p.trend === 'down'
                            ? t(`voc.trend.${p.trend}`, { change: format.number(Math.abs(p.change ?? 0)) })
                            : t(`voc.trend.${p.trend}`)}
                        </span>
                      </span>
                      {p.examples.length > 0 && (
                        <ul className="quotes">
                          {p.examples.map((e) => {
                            const quote = (
                              <q dir="auto">{e.quote}</q>
                            );
                            return (
                              <li key={e.sourceId}>
                                {(VALENCES as readonly string[]).includes(e.valence) && <ValenceMark valence={e.valence as Valence} />}{' '}
                                {e.ticketId ? (
                                  <Link to={`/tickets/${e.ticketId}`}>
                                    {quote}
                                  </Link>
                                ) : (
                                  quote
                                )}{' '}
                                <span className="muted">
                                  {t(`voc.source.${e.sourceType}`)} · <time dateTime={e.occurredAt}>{format.date(e.occurredAt)}</time>
                                </span>
                              </li>
                            );
                          })}
                        </ul>
                      )}
                    </li>
                  ))}
                </ol>
              )}
            </section>
          ))}
        </div>
      </section>
    </>
  );
}
