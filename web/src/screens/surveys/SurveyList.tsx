// The workspace's surveys: kind, trigger, whether active, and links to the builder and answers.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { Me } from '../../types.ts';
import { canManageSurveys } from './survey-api.ts';
import type { Survey } from './survey-api.ts';

export default function SurveyList({ me }: { me: Me }) {
  const { t } = useTranslation();
  const format = useFormat();
  const surveys = useQuery({ queryKey: ['surveys'], queryFn: async () => (await api<{ data: Survey[] }>('/api/v1/surveys')).data });

  return (
    <section aria-labelledby="surveys-title">
      <div className="page-head">
        <h1 id="surveys-title">{t('surveys.title')}</h1>
        {canManageSurveys(me) && (
          <Link className="button primary" to="/surveys/new">
            {t('surveys.new')}
          </Link>
        )}
      </div>
      {surveys.isPending && <p role="status">{t('common.loading')}</p>}
      {surveys.isError && <p role="alert">{t('common.loadFailed')}</p>}
      {surveys.data?.length === 0 && <p className="empty">{t('surveys.none')}</p>}
      {surveys.data && surveys.data.length > 0 && (
        <table className="tickets surveys">
          <caption className="visually-hidden">{t('surveys.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.name')}</th>
              <th scope="col">{t('surveys.kind')}</th>
              <th scope="col">{t('surveys.trigger')}</th>
              <th scope="col">{t('surveys.state')}</th>
              <th scope="col">{t('surveys.created')}</th>
              <th scope="col">{t('surveys.answers')}</th>
            </tr>
          </thead>
          <tbody>
            {surveys.data.map((s) => (
              <tr key={s.id} className={s.active ? '' : 'inactive'}>
                <td dir="auto">
                  {canManageSurveys(me) ? (
                    <Link className="subject" to={`/surveys/${s.id}`}>
                      {s.name}
                    </Link>
                  ) : (
                    s.name
                  )}
                </td>
                <td>{t(`surveys.kinds.${s.type}`)}</td>
                <td>{t(`surveys.triggers.${s.trigger}`)}</td>
                <td>{s.active ? t('surveys.active') : t('surveys.inactive')}</td>
                <td className="num">{format.date(s.createdAt)}</td>
                <td>
                  <Link to={`/surveys/${s.id}/responses`}>
                    {t('surveys.seeAnswers')}
                    <span className="visually-hidden"> {s.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
