// Self-service over the last 30 days (team leaders and up): article views, how many were not
// followed by a ticket, the searches that found nothing (what to write next), the most read.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { Lang } from '../../types.ts';
import { dirOf } from './kb-api.ts';

interface KbReportData {
  views: number;
  visitors: number;
  deflectionRate: number | null;
  searches: number;
  searchesWithoutResults: number;
  topQueriesWithoutResults: { query: string; count: number }[];
  topArticles: { id: string; title: string; lang: Lang; views: number; followedByTicket: number }[];
}

export function KbReport() {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const report = useQuery({ queryKey: ['report-kb'], queryFn: () => api<KbReportData>('/api/v1/reports/kb') });
  const r = report.data;
  return (
    <section className="card kb-report" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('kb.report.title')}</h2>
      {report.isPending && <p role="status">{t('common.loading')}</p>}
      {r && (
        <>
          <dl className="facts">
            <dt>{t('kb.report.views')}</dt>
            <dd>{format.number(r.views)}</dd>
            <dt>{t('kb.report.visitors')}</dt>
            <dd>{format.number(r.visitors)}</dd>
            <dt>{t('kb.report.deflection')}</dt>
            <dd>{format.percent(r.deflectionRate)}</dd>
            <dt>{t('kb.report.searches')}</dt>
            <dd>{format.number(r.searches)}</dd>
            <dt>{t('kb.report.empty')}</dt>
            <dd>{format.number(r.searchesWithoutResults)}</dd>
          </dl>
          <div className="kb-report-lists">
            <div>
              <h3>{t('kb.report.topArticles')}</h3>
              {r.topArticles.length === 0 && <p className="empty">{t('kb.report.none')}</p>}
              <ol>
                {r.topArticles.slice(0, 5).map((a) => (
                  <li key={a.id}>
                    <Link to={`/kb/articles/${a.id}`} lang={a.lang} dir={dirOf(a.lang)}>
                      {a.title}
                    </Link>{' '}
                    <span className="muted">{t('kb.report.articleViews', { views: format.number(a.views) })}</span>
                  </li>
                ))}
              </ol>
            </div>
            <div>
              <h3>{t('kb.report.missing')}</h3>
              {r.topQueriesWithoutResults.length === 0 && <p className="empty">{t('kb.report.none')}</p>}
              <ol>
                {r.topQueriesWithoutResults.slice(0, 5).map((q) => (
                  <li key={q.query}>
                    <span dir="auto">{q.query}</span> <span className="muted">({format.number(q.count)})</span>
                  </li>
                ))}
              </ol>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
