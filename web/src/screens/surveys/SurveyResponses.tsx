// A survey's answers: its score over the last 30 days, overall and week by week, beside the
// figure for all surveys (the survey report), then the latest answers with their comment,
// customer and ticket; owners and admins can also send it by hand to a segment; who was asked.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, query } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { SurveyFigures, SurveyReport } from '../../report-types.ts';
import type { Me } from '../../types.ts';
import { Invitations } from './Invitations.tsx';
import { SendForm } from './SendForm.tsx';
import { canManageSurveys } from './survey-api.ts';
import type { Survey, SurveyResponse } from './survey-api.ts';

export default function SurveyResponses({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const survey = useQuery({ queryKey: ['survey', id], queryFn: () => api<Survey>(`/api/v1/surveys/${id}`) });
  const responses = useQuery({
    queryKey: ['survey-responses', id],
    queryFn: async () => (await api<{ data: SurveyResponse[] }>(`/api/v1/surveys/${id}/responses?limit=200`)).data,
  });
  const report = useQuery({ queryKey: ['report-surveys-overall'], queryFn: () => api<SurveyReport>('/api/v1/reports/surveys') });
  const own = useQuery({ queryKey: ['report-survey', id], queryFn: () => api<SurveyReport>(`/api/v1/reports/surveys${query({ surveyId: id, groupBy: 'week' })}`) });

  if (survey.isPending) return <p className="loading" role="status">{t('common.loading')}</p>;
  if (survey.isError) return <p role="alert">{t('common.loadFailed')}</p>;
  const s = survey.data;
  /** The survey's own metric from report figures: CSAT in percent, NPS −100…100, CES 1–7. */
  const metric = (f: SurveyFigures | undefined) => {
    if (!f || s.type === 'custom') return '—';
    const value = f[s.type];
    if (value === null) return '—';
    return s.type === 'csat' ? format.percent(value / 100) : s.type === 'nps' ? format.number(value) : format.decimal(value);
  };
  return (
    <section aria-labelledby="survey-responses-title">
      <p>
        <Link to="/surveys">{t('surveys.back')}</Link>
      </p>
      <h1 id="survey-responses-title" dir="auto">
        {s.name}
      </h1>
      <dl className="facts card">
        <dt>{t('surveys.kind')}</dt>
        <dd>{t(`surveys.kinds.${s.type}`)}</dd>
        <dt>{t('surveys.answerCount')}</dt>
        <dd>{own.data ? format.number(own.data.overall.responses) : '—'}</dd>
        {s.type !== 'custom' && (
          <>
            <dt>{t(`surveys.summary.${s.type}`)}</dt>
            <dd>{metric(own.data?.overall)}</dd>
            <dt>{t('surveys.workspaceFigure')}</dt>
            <dd>{metric(report.data?.overall)}</dd>
          </>
        )}
      </dl>
      {own.data && own.data.groups.length > 0 && (
        <table className="data weeks">
          <caption>{t('surveys.byWeek')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('voc.week')}</th>
              <th scope="col">{t('surveys.answerCount')}</th>
              {s.type !== 'custom' && <th scope="col">{t(`surveys.summary.${s.type}`)}</th>}
            </tr>
          </thead>
          <tbody>
            {own.data.groups.map((g) => (
              <tr key={g.key ?? ''}>
                <th scope="row">{g.key ? format.date(g.key) : '—'}</th>
                <td>{format.number(g.responses)}</td>
                {s.type !== 'custom' && <td>{metric(g)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('surveys.latest')}</h2>
      {responses.data?.length === 0 && <p className="empty">{t('surveys.noAnswers')}</p>}
      {responses.data && responses.data.length > 0 && (
        <table className="tickets responses">
          <caption className="visually-hidden">{t('surveys.latest')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.answeredAt')}</th>
              <th scope="col">{t('surveys.score')}</th>
              <th scope="col">{t('surveys.comment')}</th>
              <th scope="col">{t('surveys.customer')}</th>
              <th scope="col">{t('surveys.ticket')}</th>
            </tr>
          </thead>
          <tbody>
            {responses.data.slice(0, 50).map((r) => (
              <tr key={r.id} className={r.negative ? 'negative' : ''}>
                <td className="num">{format.dateTime(r.answeredAt)}</td>
                <td>
                  {r.score === null ? '—' : format.number(r.score)}
                  {r.negative && <span className="badge recovery-needed"> {t('surveys.negative')}</span>}
                </td>
                <td dir="auto" lang={r.locale}>
                  {r.comment ?? <span className="muted">—</span>}
                </td>
                <td>
                  <Link to={`/customers/${r.customerId}`}>{t('surveys.openCustomer')}</Link>
                </td>
                <td>{r.ticketId ? <Link to={`/tickets/${r.ticketId}`}>{t('surveys.openTicket')}</Link> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canManageSurveys(me) && <SendForm surveyId={s.id} />}
      <Invitations surveyId={s.id} />
    </section>
  );
}
