// A customer: profile, their tickets, the moments that mattered for them, and the whole
// journey timeline coloured by stage and valence.
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api.ts';
import { StageBadge, StatusBadge, ValenceMark } from '../components/Badges.tsx';
import { JourneyRibbon } from '../components/JourneyRibbon.tsx';
import { useFormat } from '../format.ts';
import type { CustomerMattered, Journey, Page, Ticket } from '../types.ts';

export function CustomerScreen() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const format = useFormat();
  const eventName = (event: string) => t(`events.${event}`, { defaultValue: event });
  const journey = useQuery({ queryKey: ['journey', id], queryFn: () => api<Journey>(`/api/v1/customers/${encodeURIComponent(id)}/journey`) });
  const customerId = journey.data?.customer.id;
  const tickets = useQuery({
    queryKey: ['tickets', { customer: customerId }],
    queryFn: async () => (await api<Page<Ticket>>(`/api/v1/tickets?customer=${customerId}&limit=100`)).data,
    enabled: Boolean(customerId),
  });
  const mattered = useQuery({
    queryKey: ['customer-mattered', customerId],
    queryFn: () => api<CustomerMattered>(`/api/v1/customers/${customerId}/moments-that-mattered`),
    enabled: Boolean(customerId),
  });

  if (journey.isPending) return <p role="status">{t('common.loading')}</p>;
  if (journey.isError) {
    return (
      <p role="alert" className="form-error">
        {journey.error instanceof ApiError && journey.error.status === 404 ? t('customer.notFound') : t('common.loadFailed')}
      </p>
    );
  }
  const { customer, touchpoints } = journey.data;
  const newestFirst = [...touchpoints].reverse();

  return (
    <section className="page customer" aria-labelledby="customer-title">
      <header className="page-head">
        <h1 id="customer-title" dir="auto">
          {customer.name ?? customer.email ?? customer.externalId}
        </h1>
      </header>
      <div className="customer-grid">
        <section className="card" aria-labelledby="profile-title">
          <h2 id="profile-title">{t('customer.profile')}</h2>
          <dl className="facts">
            <dt>{t('customer.email')}</dt>
            <dd dir="ltr">{customer.email ?? '—'}</dd>
            <dt>{t('customer.phone')}</dt>
            <dd dir="ltr">{customer.phone ?? '—'}</dd>
            <dt>{t('customer.company')}</dt>
            <dd dir="auto">{customer.company?.name ?? '—'}</dd>
            <dt>{t('customer.language')}</dt>
            <dd>{customer.locale ? t(`languages.${customer.locale}`) : '—'}</dd>
            <dt>{t('customer.since')}</dt>
            <dd>
              <time dateTime={customer.createdAt}>{format.date(customer.createdAt)}</time>
            </dd>
          </dl>
        </section>
        <section className="card" aria-labelledby="tickets-title">
          <h2 id="tickets-title">{t('customer.tickets')}</h2>
          {tickets.data?.length === 0 && <p className="muted">{t('customer.noTickets')}</p>}
          <ul className="plain-list">
            {tickets.data?.map((tk) => (
              <li key={tk.id}>
                <Link to={`/tickets/${tk.id}`} dir="auto">
                  #{format.number(tk.number)} {tk.subject}
                </Link>{' '}
                <StatusBadge status={tk.status} />
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section className="card" aria-labelledby="ribbon-title">
        <h2 id="ribbon-title">{t('journey.title')}</h2>
        <JourneyRibbon touchpoints={touchpoints} />
      </section>

      {mattered.data && mattered.data.outcomes.length > 0 && (
        <section className="card" aria-labelledby="mattered-title">
          <h2 id="mattered-title">{t('customer.mattered')}</h2>
          <ul className="plain-list">
            {mattered.data.outcomes.map((o) => (
              <li key={o.touchpoint.id}>
                <strong>{t(`outcomes.${o.kind}`)}</strong> — <span dir="auto">{eventName(o.touchpoint.event)}</span> (
                <time dateTime={o.touchpoint.occurredAt}>{format.date(o.touchpoint.occurredAt)}</time>)
                {o.precededBy.length > 0 && (
                  <span className="muted">
                    {' '}
                    {t('customer.precededBy')}{' '}
                    <span dir="auto">{format.list(o.precededBy.map((p) => eventName(p.event)))}</span>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card" aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t('customer.timeline')}</h2>
        {touchpoints.length === 0 && <p className="muted">{t('customer.noTouchpoints')}</p>}
        <ol className="timeline">
          {newestFirst.map((tp) => (
            <li key={tp.id} className={`timeline-item stage-${tp.stage} valence-${tp.valence}`}>
              <time dateTime={tp.occurredAt}>{format.dateTime(tp.occurredAt)}</time>
              <StageBadge stage={tp.stage} />
              <ValenceMark valence={tp.valence} />
              <span className="event" dir="auto">
                {eventName(tp.event)}
              </span>
              {tp.channel && <span className="muted">{t(`channel.${tp.channel}`, { defaultValue: tp.channel })}</span>}
              {typeof tp.properties.text === 'string' && (
                <q className="tp-text" dir="auto">
                  {tp.properties.text}
                </q>
              )}
              {tp.ticketId && (
                <Link to={`/tickets/${tp.ticketId}`} className="muted">
                  {t('customer.openTicket')}
                </Link>
              )}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}
