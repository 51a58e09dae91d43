// Channels: the support e-mail addresses mail arrives at (and whether new e-mail tickets get an
// acknowledgement), the live-chat widgets and the review widgets with their embed snippets.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { FormError, useSave } from './shared.tsx';
import { Widgets } from './Widgets.tsx';

interface Address {
  id: string;
  address: string;
  createdAt: string;
}

export default function Channels() {
  return (
    <>
      <EmailAddresses />
      <Widgets kind="chat" />
      <Widgets kind="reviews" />
    </>
  );
}

function EmailAddresses() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const addresses = useQuery({ queryKey: ['email-addresses'], queryFn: async () => (await api<{ data: Address[] }>('/api/v1/email/addresses')).data });
  const settings = useQuery({ queryKey: ['email-settings'], queryFn: () => api<{ acknowledgeNew: boolean }>('/api/v1/email/settings') });
  const add = useSave();
  const change = useSave();
  const ids = { address: useId(), ack: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const address = String(new FormData(formElement).get('address') ?? '').trim();
    if (!(await add.run(() => api('/api/v1/email/addresses', { method: 'POST', body: { address } })))) return;
    formElement.reset();
    await client.invalidateQueries({ queryKey: ['email-addresses'] });
  }

  async function removeAddress(id: string) {
    if (await change.run(() => api(`/api/v1/email/addresses/${id}`, { method: 'DELETE' }))) await client.invalidateQueries({ queryKey: ['email-addresses'] });
  }

  async function setAck(acknowledgeNew: boolean) {
    if (await change.run(() => api('/api/v1/email/settings', { method: 'PATCH', body: { acknowledgeNew } }))) await client.invalidateQueries({ queryKey: ['email-settings'] });
  }

  return (
    <section className="card" aria-labelledby="email-title">
      <h2 id="email-title">{t('settings.email.title')}</h2>
      <p className="muted">{t('settings.email.help')}</p>
      {addresses.data?.length === 0 && <p className="empty">{t('settings.email.none')}</p>}
      <ul className="plain-list addresses">
        {addresses.data?.map((a) => (
          <li key={a.id}>
            <code dir="ltr">{a.address}</code> <span className="muted">{t('settings.email.since', { date: format.date(a.createdAt) })}</span>{' '}
            <button type="button" onClick={() => void removeAddress(a.id)} aria-label={t('settings.email.removeNamed', { address: a.address })}>
              {t('settings.email.remove')}
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={ids.address}>{t('settings.email.address')}</label>
        <input id={ids.address} name="address" type="email" required dir="ltr" autoComplete="off" />
        <button type="submit" className="primary" disabled={add.busy}>
          {t('settings.email.add')}
        </button>
      </form>
      <FormError error={add.error} />
      {settings.data && (
        <label className="check-label" htmlFor={ids.ack}>
          <input id={ids.ack} type="checkbox" checked={settings.data.acknowledgeNew} onChange={(e) => void setAck(e.target.checked)} /> {t('settings.email.acknowledge')}
        </label>
      )}
      <FormError error={change.error} />
    </section>
  );
}
