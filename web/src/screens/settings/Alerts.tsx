// Alerts: the stage-health alert (a stage's health falling by N points from one period to the
// next) and the webhook it calls, with its signing secret shown once; "check now" applies the
// rule at once, and recent alerts show whether their webhook was delivered.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useWorkspace } from '../../session.ts';
import type { Stage } from '../../types.ts';
import { CopyButton, FormError, useSave } from './shared.tsx';

interface HealthSettings {
  dropPoints: number;
  period: 'week' | 'month';
  webhookUrl: string | null;
  active: boolean;
  webhookSecret?: string;
}
interface Alert {
  id: string;
  stage: Stage;
  period: 'week' | 'month';
  periodStart: string;
  previousScore: number;
  score: number;
  drop: number;
  webhook: { status: 'none' | 'pending' | 'sent' | 'failed'; attempts: number; error: string | null };
  createdAt: string;
}

export default function Alerts() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['stage-health-settings'], queryFn: () => api<HealthSettings>('/api/v1/stage-health/settings') });
  const alerts = useQuery({ queryKey: ['stage-health-alerts'], queryFn: async () => (await api<{ data: Alert[] }>('/api/v1/stage-health/alerts?limit=10')).data });
  const workspace = useWorkspace();
  const save = useSave();
  const check = useSave();
  const privacy = useSave();
  const test = useSave();
  const [tested, setTested] = useState<{ delivered: boolean; error: string | null } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [checked, setChecked] = useState<number | null>(null);
  const ids = { drop: useId(), period: useId(), url: useId(), active: useId(), rotate: useId(), private: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSaved(false);
    const form = new FormData(event.currentTarget);
    const url = String(form.get('webhookUrl') ?? '').trim();
    const body = {
      dropPoints: Number(form.get('dropPoints')),
      period: form.get('period') === 'month' ? 'month' : 'week',
      webhookUrl: url || null,
      active: form.get('active') === 'on',
      ...(form.get('rotate') === 'on' ? { rotateWebhookSecret: true } : {}),
    };
    const done = await save.run(() => api<HealthSettings>('/api/v1/stage-health/settings', { method: 'PUT', body }));
    if (!done) return;
    setSecret(done.value.webhookSecret ?? null);
    setSaved(true);
    await client.invalidateQueries({ queryKey: ['stage-health-settings'] });
  }

  // Shown ticked at once; put back if the API refuses.
  const [allowing, setAllowing] = useState<boolean | null>(null);
  async function allowPrivate(allow: boolean) {
    setAllowing(allow);
    const done = await privacy.run(() => api('/api/v1/workspace', { method: 'PATCH', body: { allowPrivateWebhookTargets: allow } }));
    await client.invalidateQueries({ queryKey: ['workspace'] });
    if (!done) setAllowing(null);
  }

  async function sendTest() {
    setTested(null);
    const done = await test.run(() => api<{ delivered: boolean; error: string | null }>('/api/v1/stage-health/test-webhook', { method: 'POST' }));
    if (done) setTested(done.value);
  }

  async function checkNow() {
    setChecked(null);
    const done = await check.run(() => api<{ data: Alert[] }>('/api/v1/stage-health/check', { method: 'POST' }));
    if (!done) return;
    setChecked(done.value.data.length);
    await client.invalidateQueries({ queryKey: ['stage-health-alerts'] });
  }

  const s = settings.data;
  return (
    <>
      <section className="card" aria-labelledby="alerts-title">
        <h2 id="alerts-title">{t('settings.alerts.title')}</h2>
        <p className="muted">{t('settings.alerts.help')}</p>
        {s && (
          <form className="stack" onSubmit={submit} key={JSON.stringify(s)}>
            <label className="check-label" htmlFor={ids.active}>
              <input id={ids.active} type="checkbox" name="active" defaultChecked={s.active} /> {t('settings.alerts.active')}
            </label>
            <div className="field">
              <label htmlFor={ids.drop}>{t('settings.alerts.drop')}</label>
              <input id={ids.drop} name="dropPoints" type="number" min={0.1} max={100} step="any" required defaultValue={s.dropPoints} className="narrow" />
            </div>
            <div className="field">
              <label htmlFor={ids.period}>{t('settings.alerts.period')}</label>
              <select id={ids.period} name="period" defaultValue={s.period}>
                <option value="week">{t('settings.alerts.periods.week')}</option>
                <option value="month">{t('settings.alerts.periods.month')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.url}>{t('settings.alerts.webhookUrl')}</label>
              <input id={ids.url} name="webhookUrl" type="url" defaultValue={s.webhookUrl ?? ''} dir="ltr" placeholder="https://hooks.example.com/truthdesk" aria-describedby={`${ids.url}-help`} />
              <p id={`${ids.url}-help`} className="muted">
                {t('settings.alerts.webhookHelp')}
              </p>
            </div>
            {workspace.data?.allowPrivateWebhookTargets !== undefined && (
              <>
                <label className="check-label" htmlFor={ids.private}>
                  <input id={ids.private} type="checkbox" checked={allowing ?? workspace.data.allowPrivateWebhookTargets} onChange={(e) => void allowPrivate(e.target.checked)} />{' '}
                  {t('settings.alerts.allowPrivate')}
                </label>
                <FormError error={privacy.error} />
              </>
            )}
            {s.webhookUrl && (
              <>
                <p className="muted">{t('settings.alerts.secretMasked')}</p>
                <label className="check-label" htmlFor={ids.rotate}>
                  <input id={ids.rotate} type="checkbox" name="rotate" /> {t('settings.alerts.rotate')}
                </label>
              </>
            )}
            <FormError error={save.error} />
            <p>
              <button type="submit" className="primary" disabled={save.busy}>
                {t('settings.save')}
              </button>{' '}
              <span role="status" className="notice">
                {saved ? t('settings.alerts.saved') : ''}
              </span>
            </p>
            {s.webhookUrl && (
              <div className="webhook-test">
                <button type="button" onClick={() => void sendTest()} disabled={test.busy}>
                  {t('settings.alerts.sendTest')}
                </button>
                <p role="status" className={tested?.delivered === false ? 'form-error' : 'notice'}>
                  {tested === null ? (
                    ''
                  ) : tested.delivered ? (
                    t('settings.alerts.testDelivered')
                  ) : (
                    <>
                      {t('settings.alerts.testFailed')}{' '}
                      <span lang="en" dir="ltr">
                        {tested.error}
                      </span>
                    </>
                  )}
                </p>
                <FormError error={test.error} />
              </div>
            )}
          </form>
        )}
        {secret && (
          <div className="secret" role="status">
            <p>{t('settings.alerts.secretOnce')}</p>
            <p className="copy-row">
              <code dir="ltr">{secret}</code> <CopyButton text={secret} label={t('settings.alerts.copySecret')} />
            </p>
          </div>
        )}
      </section>
      <section className="card" aria-labelledby="recent-alerts-title">
        <div className="card-head">
          <h2 id="recent-alerts-title">{t('settings.alerts.recent')}</h2>
          <button type="button" onClick={() => void checkNow()} disabled={check.busy}>
            {t('settings.alerts.checkNow')}
          </button>
        </div>
        <p role="status" className="notice">
          {checked === null ? '' : t('settings.alerts.checked', { count: checked, n: format.number(checked) })}
        </p>
        <FormError error={check.error} />
        {alerts.data?.length === 0 && <p className="empty">{t('settings.alerts.none')}</p>}
        {alerts.data && alerts.data.length > 0 && (
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('settings.alerts.when')}</th>
                <th scope="col">{t('settings.alerts.stage')}</th>
                <th scope="col">{t('settings.alerts.change')}</th>
                <th scope="col">{t('settings.alerts.delivery')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.map((a) => (
                <tr key={a.id}>
                  <td>{format.dateTime(a.createdAt)}</td>
                  <td>{t(`stages.${a.stage}.name`)}</td>
                  <td>{t('settings.alerts.scores', { from: format.decimal(a.previousScore), to: format.decimal(a.score) })}</td>
                  <td>{t(`settings.alerts.webhookStatus.${a.webhook.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
