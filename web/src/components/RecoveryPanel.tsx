// Service recovery on a flagged ticket: why it was flagged, the apology template in the customer's
// language (sent as a public reply and recorded), and the workspace's compensation options —
// record the offer, then whether the customer accepted or declined it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { useFormat } from '../format.ts';
import type { CompensationOption, Recovery, RecoveryCase } from '../types.ts';

type Action = { action: 'offered'; compensationOptionId: string } | { action: 'sent'; cannedResponseId: string; locale: string } | { action: 'accepted' | 'declined' };

/** "€10.00", "15%", "30 days": the amount in the reader's language. */
export function useCompensationText() {
  const format = useFormat();
  return (o: CompensationOption) => {
    let amount: string;
    if (o.unit === 'percent') amount = new Intl.NumberFormat(format.locale, { style: 'percent', maximumFractionDigits: 1 }).format(o.amount / 100);
    else if (/^[A-Z]{3}$/.test(o.unit)) amount = new Intl.NumberFormat(format.locale, { style: 'currency', currency: o.unit }).format(o.amount);
    else if (o.unit === 'days') amount = new Intl.NumberFormat(format.locale, { style: 'unit', unit: 'day', unitDisplay: 'long' }).format(o.amount);
    else amount = `${format.decimal(o.amount)} ${o.unit}`;
    return `${o.label} (${amount})`;
  };
}

export function RecoveryPanel({ ticketId, flagged }: { ticketId: string; flagged: RecoveryCase }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const compensationText = useCompensationText();
  const ids = { apology: useId(), option: useId(), heading: useId() };
  const [apologyIndex, setApologyIndex] = useState(0);
  const [optionId, setOptionId] = useState('');
  const [notice, setNotice] = useState<{ error: boolean; text: string } | null>(null);
  const recovery = useQuery({ queryKey: ['recovery', ticketId, flagged.status], queryFn: () => api<Recovery>(`/api/v1/tickets/${ticketId}/recovery`) });

  const refresh = () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ['ticket', ticketId] }),
      client.invalidateQueries({ queryKey: ['messages', ticketId] }),
      client.invalidateQueries({ queryKey: ['recovery', ticketId] }),
      client.invalidateQueries({ queryKey: ['tickets'] }),
    ]);
  const record = useMutation({
    mutationFn: async (action: Action & { reply?: string }) => {
      const { reply, ...body } = action;
      if (reply) await api(`/api/v1/tickets/${ticketId}/messages`, { method: 'POST', body: { kind: 'reply', body: reply } });
      return api<Recovery>(`/api/v1/tickets/${ticketId}/recovery/actions`, { method: 'POST', body });
    },
    onSuccess: async (_result, action) => {
      setNotice({ error: false, text: t(`recovery.recorded.${action.action}`) });
      await refresh();
    },
    onError: async (error) => {
      setNotice({ error: true, text: error instanceof ApiError && error.status === 422 ? t('recovery.cannotRecord') : t('common.saveFailed') });
      await refresh();
    },
  });

  const apologies = recovery.data?.apologies ?? [];
  const apology = apologies[apologyIndex] ?? apologies[0];
  const options = (recovery.data?.compensationOptions ?? []).filter((o) => o.active);
  const status = recovery.data?.case && typeof recovery.data.case === 'object' ? recovery.data.case.status : flagged.status;
  const closed = status === 'accepted' || status === 'declined';
  const offered = status === 'offered' || (recovery.data?.actions ?? []).some((a) => a.action === 'offered');

  return (
    <section className="card recovery-panel" aria-labelledby={ids.heading} data-testid="recovery">
      <h2 id={ids.heading}>{t('recovery.title')}</h2>
      <p>
        <strong>{t(`recovery.status.${status}`)}</strong>
        {' · '}
        {t(`recovery.reason.${flagged.reason}`)} · <time dateTime={flagged.flaggedAt}>{format.relative(flagged.flaggedAt)}</time>
      </p>
      {recovery.isPending && <p className="muted">{t('common.loading')}</p>}
      {recovery.isError && <p className="form-error">{t('common.loadFailed')}</p>}
      {recovery.data && recovery.data.actions.length > 0 && (
        <ol className="recovery-log" aria-label={t('recovery.log')}>
          {recovery.data.actions.map((a) => (
            <li key={a.id}>
              {t(`recovery.status.${a.action}`)}
              {a.compensation && <span dir="auto">: {compensationText(a.compensation)}</span>} · <time dateTime={a.at}>{format.dateTime(a.at)}</time>
            </li>
          ))}
        </ol>
      )}
      {recovery.data && !closed && (
        <>
          {apology ? (
            <div className="field">
              <label htmlFor={ids.apology}>{t('recovery.apology')}</label>
              {apologies.length > 1 && (
                <select id={ids.apology} value={apologyIndex} onChange={(e) => setApologyIndex(Number(e.target.value))}>
                  {apologies.map((a, i) => (
                    <option key={a.cannedResponseId} value={i}>
                      {a.name}
                    </option>
                  ))}
                </select>
              )}
              <blockquote className="apology" dir="auto" lang={apology.locale} id={apologies.length > 1 ? undefined : ids.apology}>
                {apology.text}
              </blockquote>
              <button
                type="button"
                disabled={record.isPending}
                onClick={() => record.mutate({ action: 'sent', cannedResponseId: apology.cannedResponseId, locale: apology.locale, reply: apology.text })}
              >
                {t('recovery.sendApology')}
              </button>
            </div>
          ) : (
            <p className="muted">{t('recovery.noApology')}</p>
          )}
          {options.length > 0 && (
            <div className="field">
              <label htmlFor={ids.option}>{t('recovery.compensation')}</label>
              <select id={ids.option} value={optionId} onChange={(e) => setOptionId(e.target.value)}>
                <option value="">{t('recovery.chooseCompensation')}</option>
                {options.map((o) => (
                  <option key={o.id} value={o.id}>
                    {compensationText(o)}
                  </option>
                ))}
              </select>
              <button type="button" disabled={!optionId || record.isPending} onClick={() => record.mutate({ action: 'offered', compensationOptionId: optionId })}>
                {t('recovery.offer')}
              </button>
            </div>
          )}
          {offered && (
            <div className="recovery-answer">
              <button type="button" disabled={record.isPending} onClick={() => record.mutate({ action: 'accepted' })}>
                {t('recovery.markAccepted')}
              </button>
              <button type="button" disabled={record.isPending} onClick={() => record.mutate({ action: 'declined' })}>
                {t('recovery.markDeclined')}
              </button>
            </div>
          )}
        </>
      )}
      <p className={notice?.error ? 'form-error' : 'notice'} role="status" aria-live="polite">
        {notice?.text}
      </p>
    </section>
  );
}
