// Sends a survey by hand to a segment of customers: by language, by a moment of truth seen in
// the last days, with an e-mail address; by e-mail or in the chat widget. Customers surveyed
// within the throttle period are skipped, and the counts say so.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { LANGUAGES, STAGES } from '../../types.ts';

interface Sent {
  scheduled: number;
  throttled: number;
  duplicate: number;
  customers: number;
}

export function SendForm({ surveyId }: { surveyId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const ids = { locale: useId(), stage: useId(), since: useId(), delivery: useId() };
  const [locale, setLocale] = useState('');
  const [stage, setStage] = useState('');
  const [sinceDays, setSinceDays] = useState(30);
  const [hasEmail, setHasEmail] = useState(true);
  const [delivery, setDelivery] = useState<'email' | 'widget'>('email');
  const [result, setResult] = useState<string>('');
  const [busy, setBusy] = useState(false);

  async function send(event: FormEvent) {
    event.preventDefault();
    if (!window.confirm(t('surveys.send.confirm'))) return;
    setBusy(true);
    try {
      const filter = { ...(locale ? { locale } : {}), ...(stage ? { stage, sinceDays } : {}), ...(hasEmail ? { hasEmail } : {}) };
      const sent = await api<Sent>(`/api/v1/surveys/${surveyId}/send`, { method: 'POST', body: { filter, delivery } });
      setResult(t('surveys.send.result', { customers: format.number(sent.customers), scheduled: format.number(sent.scheduled), throttled: format.number(sent.throttled + sent.duplicate) }));
    } catch (error) {
      setResult(error instanceof ApiError ? error.message : t('common.saveFailed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={send} aria-labelledby={`${ids.locale}-title`}>
      <h2 id={`${ids.locale}-title`}>{t('surveys.send.title')}</h2>
      <div className="filters">
        <div className="field">
          <label htmlFor={ids.locale}>{t('surveys.send.locale')}</label>
          <select id={ids.locale} value={locale} onChange={(e) => setLocale(e.target.value)}>
            <option value="">{t('kb.allLanguages')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.stage}>{t('surveys.send.stage')}</label>
          <select id={ids.stage} value={stage} onChange={(e) => setStage(e.target.value)}>
            <option value="">{t('surveys.anyStage')}</option>
            {STAGES.map((s) => (
              <option key={s} value={s}>
                {t(`stages.${s}.name`)}
              </option>
            ))}
          </select>
        </div>
        {stage && (
          <div className="field">
            <label htmlFor={ids.since}>{t('surveys.send.sinceDays')}</label>
            <input id={ids.since} type="number" min={1} max={730} value={sinceDays} onChange={(e) => setSinceDays(Number(e.target.value))} />
          </div>
        )}
        <div className="field">
          <label htmlFor={ids.delivery}>{t('surveys.send.delivery')}</label>
          <select id={ids.delivery} value={delivery} onChange={(e) => setDelivery(e.target.value as 'email' | 'widget')}>
            <option value="email">{t('surveys.send.email')}</option>
            <option value="widget">{t('surveys.send.widget')}</option>
          </select>
        </div>
        <label className="check-label">
          <input type="checkbox" checked={hasEmail} onChange={(e) => setHasEmail(e.target.checked)} />
          {t('surveys.send.hasEmail')}
        </label>
        <button type="submit" disabled={busy}>
          {t('surveys.send.submit')}
        </button>
      </div>
      <p className="notice" role="status">
        {result}
      </p>
    </form>
  );
}
