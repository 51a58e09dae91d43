// Compensation options agents can offer in service recovery (credit, discount, extension),
// each with its amount and unit; retired options stay in the history but are no longer offered.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { FormError, useSave } from './shared.tsx';

const KINDS = ['credit', 'discount', 'extension'] as const;
interface Option {
  id: string;
  kind: (typeof KINDS)[number];
  label: string;
  amount: number;
  unit: string;
  active: boolean;
}

export default function Compensation() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const options = useQuery({ queryKey: ['compensation-options'], queryFn: async () => (await api<{ data: Option[] }>('/api/v1/compensation-options')).data });
  const add = useSave();
  const change = useSave();
  const ids = { kind: useId(), label: useId(), amount: useId(), unit: useId() };
  const refresh = () => client.invalidateQueries({ queryKey: ['compensation-options'] });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const body = { kind: String(form.get('kind')), label: String(form.get('label') ?? '').trim(), amount: Number(form.get('amount')), unit: String(form.get('unit') ?? '').trim() };
    if (!(await add.run(() => api('/api/v1/compensation-options', { method: 'POST', body })))) return;
    formElement.reset();
    await refresh();
  }

  return (
    <section className="card" aria-labelledby="comp-title">
      <h2 id="comp-title">{t('settings.compensation.title')}</h2>
      <p className="muted">{t('settings.compensation.help')}</p>
      <FormError error={change.error} />
      {options.data?.length === 0 && <p className="empty">{t('settings.compensation.none')}</p>}
      {options.data && options.data.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('settings.compensation.label')}</th>
              <th scope="col">{t('settings.compensation.kind')}</th>
              <th scope="col">{t('settings.compensation.amount')}</th>
              <th scope="col">{t('settings.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {options.data.map((o) => (
              <tr key={o.id} className={o.active ? undefined : 'inactive'}>
                <td dir="auto">{o.label}</td>
                <td>{t(`settings.compensation.kinds.${o.kind}`)}</td>
                <td>
                  {format.decimal(o.amount)} <span dir="auto">{o.unit}</span>
                </td>
                <td>
                  <button
                    type="button"
                    onClick={() => void change.run(() => api(`/api/v1/compensation-options/${o.id}`, { method: 'PATCH', body: { active: !o.active } })).then(refresh)}
                    aria-label={t(o.active ? 'settings.compensation.retireNamed' : 'settings.compensation.restoreNamed', { name: o.label })}
                  >
                    {t(o.active ? 'settings.compensation.retire' : 'settings.compensation.restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('settings.compensation.add')}</h3>
      <form className="inline-form" onSubmit={submit}>
        <label htmlFor={ids.kind}>{t('settings.compensation.kind')}</label>
        <select id={ids.kind} name="kind">
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`settings.compensation.kinds.${k}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.label}>{t('settings.compensation.label')}</label>
        <input id={ids.label} name="label" required maxLength={200} dir="auto" />
        <label htmlFor={ids.amount}>{t('settings.compensation.amount')}</label>
        <input id={ids.amount} name="amount" type="number" required min={0.01} step="any" className="narrow" />
        <label htmlFor={ids.unit}>{t('settings.compensation.unit')}</label>
        <input id={ids.unit} name="unit" required maxLength={20} className="narrow" dir="auto" aria-describedby={`${ids.unit}-help`} />
        <span id={`${ids.unit}-help`} className="muted">
          {t('settings.compensation.unitHelp')}
        </span>
        <button type="submit" className="primary" disabled={add.busy}>
          {t('settings.compensation.add')}
        </button>
      </form>
      <FormError error={add.error} />
    </section>
  );
}
