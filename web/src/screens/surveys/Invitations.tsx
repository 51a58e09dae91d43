// Who was (or will be) asked: each invitation's state, how it goes out, and when.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { Lang } from '../../types.ts';

interface Invitation {
  id: string;
  customerId: string;
  ticketId: string | null;
  status: string;
  delivery: string;
  locale: Lang;
  dueAt: string;
  sentAt: string | null;
  answeredAt: string | null;
}

const STATUSES = ['scheduled', 'sent', 'answered', 'throttled', 'cancelled'];

export function Invitations({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const id = useId();
  const invitations = useQuery({
    queryKey: ['survey-invitations', surveyId],
    queryFn: async () => (await api<{ data: Invitation[] }>(`/api/v1/surveys/${surveyId}/invitations?limit=20`)).data,
  });
  const status = (s: string) => (STATUSES.includes(s) ? t(`surveys.invitations.statuses.${s}`) : s);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('surveys.invitations.title')}</h2>
      {invitations.data?.length === 0 && <p className="empty">{t('surveys.invitations.none')}</p>}
      {invitations.data && invitations.data.length > 0 && (
        <table className="data invitations">
          <caption className="visually-hidden">{t('surveys.invitations.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('surveys.invitations.status')}</th>
              <th scope="col">{t('surveys.send.delivery')}</th>
              <th scope="col">{t('surveys.send.locale')}</th>
              <th scope="col">{t('surveys.invitations.when')}</th>
              <th scope="col">{t('surveys.customer')}</th>
            </tr>
          </thead>
          <tbody>
            {invitations.data.map((i) => (
              <tr key={i.id}>
                <td>{status(i.status)}</td>
                <td>{i.delivery === 'widget' ? t('surveys.send.widget') : t('surveys.send.email')}</td>
                <td>{t(`languages.${i.locale}`)}</td>
                <td className="num">{format.dateTime(i.answeredAt ?? i.sentAt ?? i.dueAt)}</td>
                <td>
                  <Link to={`/customers/${i.customerId}`}>{t('surveys.openCustomer')}</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
