// SLA policies (first response, next response and resolution targets per priority; the default
// one applies to every new ticket by its priority) and the business hours their clocks use.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { PRIORITIES } from '../../types.ts';
import type { Priority } from '../../types.ts';
import { BusinessHours } from './BusinessHours.tsx';
import { ConfirmDelete, FormError, useSave } from './shared.tsx';

const METRICS = ['firstResponseMinutes', 'nextResponseMinutes', 'resolutionMinutes'] as const;
type Metric = (typeof METRICS)[number];
type Targets = Record<Priority, Record<Metric, number | null>>;

export interface SlaPolicy {
  id: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  useBusinessHours: boolean;
  warnPercent: number;
  targets: Targets;
  version: number;
  updatedAt: string;
}

/** "1 d, 2 h, 30 min" in the reader's language. */
export function useDuration() {
  const { locale, list } = useFormat();
  return (minutes: number | null) => {
    if (minutes === null) return '—';
    const parts: string[] = [];
    const unit = (n: number, u: string) => new Intl.NumberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short' }).format(n);
    const d = Math.floor(minutes / 1440);
    const h = Math.floor((minutes % 1440) / 60);
    const m = minutes % 60;
    if (d) parts.push(unit(d, 'day'));
    if (h) parts.push(unit(h, 'hour'));
    if (m || parts.length === 0) parts.push(unit(m, 'minute'));
    return list(parts);
  };
}

export default function Sla() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const duration = useDuration();
  const format = useFormat();
  const policies = useQuery({ queryKey: ['sla-policies'], queryFn: async () => (await api<{ data: SlaPolicy[] }>('/api/v1/sla-policies')).data });
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const remove = useSave();
  const refresh = () => client.invalidateQueries({ queryKey: ['sla-policies'] });

  async function del(id: string): Promise<boolean> {
    if (!(await remove.run(() => api(`/api/v1/sla-policies/${id}`, { method: 'DELETE' })))) return false;
    await refresh();
    return true;
  }

  return (
    <>
      <section className="card" aria-labelledby="sla-title">
        <div className="card-head">
          <h2 id="sla-title">{t('settings.sla.title')}</h2>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('settings.sla.new')}
          </button>
        </div>
        <p className="muted">{t('settings.sla.help')}</p>
        <FormError error={remove.error} />
        {policies.data?.length === 0 && <p className="empty">{t('settings.sla.none')}</p>}
        <ul className="policy-list">
          {policies.data?.map((p) => (
            <li key={p.id} className="policy" aria-labelledby={`policy-${p.id}`}>
              <div className="card-head">
                <h3 id={`policy-${p.id}`} dir="auto">
                  {p.name} {p.isDefault && <span className="badge">{t('settings.sla.default')}</span>}
                </h3>
                <span className="actions">
                  <button type="button" onClick={() => setEditing(p)} aria-label={t('settings.editNamed', { name: p.name })}>
                    {t('settings.edit')}
                  </button>
                  <ConfirmDelete name={p.name} onDelete={() => del(p.id)} />
                </span>
              </div>
              {p.description && <p dir="auto">{p.description}</p>}
              <p className="muted">
                {p.useBusinessHours ? t('settings.sla.inBusinessHours') : t('settings.sla.inCalendarTime')} · {t('settings.sla.warnAt', { percent: format.percent(p.warnPercent / 100) })}
              </p>
              <TargetsTable policy={p} duration={duration} />
            </li>
          ))}
        </ul>
      </section>
      {editing && (
        <PolicyEditor
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          policy={editing === 'new' ? null : editing}
          onDone={async () => {
            setEditing(null);
            await refresh();
          }}
          onCancel={() => setEditing(null)}
          onReload={async (id) => {
            setEditing(await api<SlaPolicy>(`/api/v1/sla-policies/${id}`));
            await refresh();
          }}
        />
      )}
      <section className="card">
        <BusinessHours />
      </section>
    </>
  );
}

function TargetsTable({ policy, duration }: { policy: SlaPolicy; duration: (m: number | null) => string }) {
  const { t } = useTranslation();
  return (
    <div className="table-scroll">
      <table className="data">
        <thead>
          <tr>
            <th scope="col">{t('ticket.priority')}</th>
            {METRICS.map((m) => (
              <th key={m} scope="col">
                {t(`settings.sla.metrics.${m}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {PRIORITIES.map((pr) => (
            <tr key={pr}>
              <th scope="row">{t(`priority.${pr}`)}</th>
              {METRICS.map((m) => (
                <td key={m}>{duration(policy.targets[pr][m])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PolicyEditor({
  policy,
  onDone,
  onCancel,
  onReload,
}: {
  policy: SlaPolicy | null;
  onDone: () => Promise<void>;
  onCancel: () => void;
  onReload: (id: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const save = useSave();
  const ids = { name: useId(), description: useId(), warn: useId(), isDefault: useId(), business: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const targets = Object.fromEntries(
      PRIORITIES.map((pr) => [
        pr,
        Object.fromEntries(
          METRICS.map((m) => {
            const raw = String(form.get(`${pr}.${m}`) ?? '').trim();
            return [m, raw === '' ? null : Number(raw)];
          }),
        ),
      ]),
    );
    const description = String(form.get('description') ?? '').trim();
    const body = {
      name: String(form.get('name') ?? '').trim(),
      description: description || null,
      useBusinessHours: form.get('useBusinessHours') === 'on',
      warnPercent: Number(form.get('warnPercent') ?? 80),
      targets,
      ...(form.get('isDefault') === 'on' ? { isDefault: true } : policy ? {} : { isDefault: false }),
    };
    const done = await save.run(() =>
      policy ? api(`/api/v1/sla-policies/${policy.id}`, { method: 'PATCH', body: { ...body, version: policy.version } }) : api('/api/v1/sla-policies', { method: 'POST', body }),
    );
    if (done) await onDone();
  }

  return (
    <section className="card" aria-labelledby="policy-editor-title">
      <h2 id="policy-editor-title">{policy ? t('settings.sla.editTitle', { name: policy.name }) : t('settings.sla.new')}</h2>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={ids.name}>{t('settings.name')}</label>
          <input id={ids.name} name="name" required maxLength={120} defaultValue={policy?.name ?? ''} dir="auto" />
        </div>
        <div className="field">
          <label htmlFor={ids.description}>{t('settings.sla.description')}</label>
          <input id={ids.description} name="description" maxLength={1000} defaultValue={policy?.description ?? ''} dir="auto" />
        </div>
        <label className="check-label" htmlFor={ids.isDefault}>
          <input id={ids.isDefault} type="checkbox" name="isDefault" defaultChecked={policy?.isDefault ?? false} disabled={policy?.isDefault} /> {t('settings.sla.makeDefault')}
        </label>
        <label className="check-label" htmlFor={ids.business}>
          <input id={ids.business} type="checkbox" name="useBusinessHours" defaultChecked={policy?.useBusinessHours ?? true} /> {t('settings.sla.useBusinessHours')}
        </label>
        <div className="field">
          <label htmlFor={ids.warn}>{t('settings.sla.warnPercent')}</label>
          <input id={ids.warn} name="warnPercent" type="number" min={1} max={99} required defaultValue={policy?.warnPercent ?? 80} className="narrow" />
        </div>
        <div className="table-scroll">
          <table className="data targets">
            <caption>{t('settings.sla.targetsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ticket.priority')}</th>
                {METRICS.map((m) => (
                  <th key={m} scope="col">
                    {t(`settings.sla.metrics.${m}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((pr) => (
                <tr key={pr}>
                  <th scope="row">{t(`priority.${pr}`)}</th>
                  {METRICS.map((m) => (
                    <td key={m}>
                      <input
                        name={`${pr}.${m}`}
                        type="number"
                        inputMode="numeric"
                        min={1}
                        step={1}
                        className="narrow"
                        aria-label={t('settings.sla.targetLabel', { metric: t(`settings.sla.metrics.${m}`), priority: t(`priority.${pr}`) })}
                        defaultValue={policy?.targets[pr][m] ?? ''}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p className="muted">{t('settings.sla.minutesHelp')}</p>
        <FormError error={save.error} />
        {policy && save.error instanceof ApiError && save.error.status === 409 && (
          <p>
            <button type="button" onClick={() => void onReload(policy.id)}>
              {t('settings.reloadLatest')}
            </button>
          </p>
        )}
        <p>
          <button type="submit" className="primary" disabled={save.busy}>
            {t('settings.save')}
          </button>{' '}
          <button type="button" onClick={onCancel}>
            {t('settings.cancel')}
          </button>
        </p>
      </form>
    </section>
  );
}
