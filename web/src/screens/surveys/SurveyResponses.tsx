// A survey's answers: its score summary (from its latest answers, and the workspace's figure
// for the last 30 days from the survey report), then the latest answers with their comment,
// customer and ticket; owners and admins can also send it by hand to a segment; who was asked.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { SurveyReport } from '../../report-types.ts';
import type { Me } from '../../types.ts';
import { Invitations } from './Invitations.tsx';
import { SendForm } from './SendForm.tsx';
import { canManageSurveys } from './SurveyList.tsx';
import type { Survey, SurveyResponse } from './survey-api.ts';

/** CSAT: share of 4–5; NPS: % 9–10 minus % 0–6; CES and custom: the mean. */
function summary(type: Survey['type'], scores: number[]): number | null {
  if (!scores.length) return null;
  const share = (f: (s: number) => boolean) => scores.filter(f).length / scores.length;
  if (type === 'csat') return share((s) => s >= 4);
  if (type === 'nps') return Math.round((share((s) => s >= 9) - share((s) => s <= 6)) * 100);
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

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

  if (survey.isPending) return <p className="loading" role="status">{t('common.loading')}</p>;
  if (survey.isError) return <p role="alert">{t('common.loadFailed')}</p>;
  const s = survey.data;
  const scores = (responses.data ?? []).flatMap((r) => (r.score === null ? [] : [r.score]));
  const mine = summary(s.type, scores);
  const shown = (value: number | null) =>
    value === null ? '—' : s.type === 'csat' ? format.percent(value) : s.type === 'nps' ? format.number(value) : format.decimal(value);
  const overall = report.data?.overall;
  const workspaceFigure = overall && s.type !== 'custom' ? overall[s.type] : null;

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
        <dd>{format.number(responses.data?.length ?? 0)}</dd>
        <dt>{t(`surveys.summary.${s.type}`)}</dt>
        <dd>{shown(mine)}</dd>
        {s.type !== 'custom' && (
          <>
            <dt>{t('surveys.workspaceFigure')}</dt>
            <dd>{workspaceFigure == null ? '—' : s.type === 'csat' ? format.percent(workspaceFigure / 100) : format.decimal(workspaceFigure)}</dd>
          </>
        )}
      </dl>
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
