// Macros: named sets of ticket changes agents apply in one click from the ticket — a canned
// reply in the customer's language, an internal note, status, priority, tags, assignee.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import type { MacroSummary } from '../../components/MacroPicker.tsx';
import { PRIORITIES } from '../../types.ts';
import { ConfirmDelete, FormError, useSave } from './shared.tsx';

const STATUSES = ['open', 'pending', 'on_hold', 'solved'] as const;
const tagList = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export default function Macros() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const macros = useQuery({ queryKey: ['macros', 'all'], queryFn: async () => (await api<{ data: MacroSummary[] }>('/api/v1/macros?all=true')).data });
  const canned = useQuery({ queryKey: ['canned-responses'], queryFn: async () => (await api<{ data: { id: string; name: string }[] }>('/api/v1/canned-responses')).data });
  const add = useSave();
  const change = useSave();
  const ids = { name: useId(), status: useId(), priority: useId(), assignee: useId(), addTags: useId(), removeTags: useId(), note: useId(), canned: useId() };
  const refresh = () => client.invalidateQueries({ queryKey: ['macros'] });
  async function del(id: string): Promise<boolean> {
    if (!(await change.run(() => api(`/api/v1/macros/${id}`, { method: 'DELETE' })))) return false;
    await refresh();
    return true;
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (k: string) => String(form.get(k) ?? '').trim();
    const assignee = text('assignee');
    const actions = {
      ...(text('status') ? { status: text('status') } : {}),
      ...(text('priority') ? { priority: text('priority') } : {}),
      ...(assignee ? { assignee: assignee === 'none' ? null : assignee } : {}),
      ...(tagList(form.get('addTags')).length ? { addTags: tagList(form.get('addTags')) } : {}),
      ...(tagList(form.get('removeTags')).length ? { removeTags: tagList(form.get('removeTags')) } : {}),
      ...(text('note') ? { note: text('note') } : {}),
      ...(text('canned') ? { cannedResponseId: text('canned') } : {}),
    };
    if (!(await add.run(() => api('/api/v1/macros', { method: 'POST', body: { name: text('name'), actions } })))) return;
    formElement.reset();
    await refresh();
  }

  const describe = (m: MacroSummary) => {
    const a = m.actions as { status?: string; priority?: string; assignee?: string | null; addTags?: string[]; removeTags?: string[]; note?: string; cannedResponseId?: string };
    const parts: string[] = [];
    if (a.cannedResponseId) parts.push(t('settings.macros.does.reply', { name: canned.data?.find((c) => c.id === a.cannedResponseId)?.name ?? '…' }));
    if (a.note) parts.push(t('settings.macros.does.note'));
    if (a.status) parts.push(t('settings.macros.does.status', { status: t(`status.${a.status}`) }));
    if (a.priority) parts.push(t('settings.macros.does.priority', { priority: t(`priority.${a.priority}`) }));
    if (a.assignee !== undefined) parts.push(a.assignee === 'me' ? t('settings.macros.does.me') : t('settings.macros.does.unassign'));
    if (a.addTags?.length) parts.push(t('settings.macros.does.addTags', { tags: a.addTags.join(', ') }));
    if (a.removeTags?.length) parts.push(t('settings.macros.does.removeTags', { tags: a.removeTags.join(', ') }));
    return parts.join(' · ');
  };

  return (
    <section className="card" aria-labelledby="macros-title">
      <h2 id="macros-title">{t('settings.macros.title')}</h2>
      <p className="muted">{t('settings.macros.help')}</p>
      <FormError error={change.error} />
      {macros.data?.length === 0 && <p className="empty">{t('settings.macros.none')}</p>}
      {macros.data && macros.data.length > 0 && (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('settings.macros.name')}</th>
              <th scope="col">{t('settings.macros.what')}</th>
              <th scope="col">{t('settings.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {macros.data.map((m) => (
              <tr key={m.id} className={m.active ? undefined : 'inactive'}>
                <td dir="auto">{m.name}</td>
                <td>{describe(m)}</td>
                <td>
                  <button
                    type="button"
                    onClick={() => void change.run(() => api(`/api/v1/macros/${m.id}`, { method: 'PATCH', body: { active: !m.active, version: m.version } })).then(refresh)}
                    aria-label={t(m.active ? 'settings.macros.offNamed' : 'settings.macros.onNamed', { name: m.name })}
                  >
                    {t(m.active ? 'settings.macros.off' : 'settings.macros.on')}
                  </button>{' '}
                  <ConfirmDelete
                    name={m.name}
                    label={t('settings.macros.delete')}
                    onDelete={() => del(m.id)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>{t('settings.macros.add')}</h3>
      <form className="stacked-form" onSubmit={submit}>
        <label htmlFor={ids.name}>{t('settings.macros.name')}</label>
        <input id={ids.name} name="name" required maxLength={100} dir="auto" />
        <label htmlFor={ids.canned}>{t('settings.macros.reply')}</label>
        <select id={ids.canned} name="canned">
          <option value="">{t('settings.macros.nothing')}</option>
          {canned.data?.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.note}>{t('settings.macros.note')}</label>
        <textarea id={ids.note} name="note" rows={2} maxLength={5000} dir="auto" />
        <label htmlFor={ids.status}>{t('ticket.status')}</label>
        <select id={ids.status} name="status">
          <option value="">{t('settings.macros.unchanged')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.priority}>{t('ticket.priority')}</label>
        <select id={ids.priority} name="priority">
          <option value="">{t('settings.macros.unchanged')}</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}`)}
            </option>
          ))}
        </select>
        <label htmlFor={ids.assignee}>{t('ticket.assignee')}</label>
        <select id={ids.assignee} name="assignee">
          <option value="">{t('settings.macros.unchanged')}</option>
          <option value="me">{t('settings.macros.assignMe')}</option>
          <option value="none">{t('settings.macros.unassign')}</option>
        </select>
        <label htmlFor={ids.addTags}>{t('settings.macros.addTags')}</label>
        <input id={ids.addTags} name="addTags" dir="auto" />
        <label htmlFor={ids.removeTags}>{t('settings.macros.removeTags')}</label>
        <input id={ids.removeTags} name="removeTags" dir="auto" />
        <button type="submit" className="primary" disabled={add.busy}>
          {t('settings.macros.add')}
        </button>
      </form>
      <FormError error={add.error} />
    </section>
  );
}
