// Queues: where new tickets go, in routing order. A queue takes the tickets whose channel,
// customer language and tags match its rules (an empty rule matches any) and hands them to its
// team, which assigns them by its own rule (see Teams).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { useTeams } from '../../session.ts';
import { CHANNELS, LANGUAGES } from '../../types.ts';
import { ConfirmDelete, FormError, useSave } from './shared.tsx';

interface Queue {
  id: string;
  name: string;
  teamId: string | null;
  rules: { channels: string[]; locales: string[]; tags: string[] };
  position: number;
  active: boolean;
  counts: { unsolved: number; unassigned: number };
  version: number;
}

export default function Queues() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const teams = useTeams();
  const queues = useQuery({ queryKey: ['queues'], queryFn: async () => (await api<{ data: Queue[] }>('/api/v1/queues')).data });
  const [editing, setEditing] = useState<Queue | 'new' | null>(null);
  const remove = useSave();
  const refresh = () => client.invalidateQueries({ queryKey: ['queues'] });
  async function del(id: string): Promise<boolean> {
    if (!(await remove.run(() => api(`/api/v1/queues/${id}`, { method: 'DELETE' })))) return false;
    await refresh();
    return true;
  }
  const any = t('settings.queues.any');

  return (
    <>
      <section className="card" aria-labelledby="queues-title">
        <div className="card-head">
          <h2 id="queues-title">{t('settings.queues.title')}</h2>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('settings.queues.new')}
          </button>
        </div>
        <p className="muted">{t('settings.queues.help')}</p>
        <FormError error={remove.error} />
        {queues.data?.length === 0 && <p className="empty">{t('settings.queues.none')}</p>}
        {queues.data && queues.data.length > 0 && (
          <div className="table-scroll">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t('settings.queues.position')}</th>
                  <th scope="col">{t('settings.name')}</th>
                  <th scope="col">{t('settings.queues.team')}</th>
                  <th scope="col">{t('settings.queues.channels')}</th>
                  <th scope="col">{t('settings.queues.languages')}</th>
                  <th scope="col">{t('settings.queues.tags')}</th>
                  <th scope="col">{t('settings.queues.waiting')}</th>
                  <th scope="col">{t('settings.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {queues.data.map((q) => (
                  <tr key={q.id} className={q.active ? undefined : 'inactive'}>
                    <td>{format.number(q.position)}</td>
                    <td dir="auto">
                      {q.name} {!q.active && <span className="badge">{t('settings.queues.off')}</span>}
                    </td>
                    <td dir="auto">{teams.data?.find((tm) => tm.id === q.teamId)?.name ?? '—'}</td>
                    <td>{q.rules.channels.length ? format.list(q.rules.channels.map((c) => t(`channel.${c}`))) : any}</td>
                    <td>{q.rules.locales.length ? format.list(q.rules.locales.map((l) => t(`languages.${l}`))) : any}</td>
                    <td dir="auto">{q.rules.tags.length ? q.rules.tags.join(', ') : any}</td>
                    <td>{t('settings.queues.counts', { unsolved: format.number(q.counts.unsolved), unassigned: format.number(q.counts.unassigned) })}</td>
                    <td className="actions">
                      <button type="button" onClick={() => setEditing(q)} aria-label={t('settings.editNamed', { name: q.name })}>
                        {t('settings.edit')}
                      </button>{' '}
                      <ConfirmDelete name={q.name} onDelete={() => del(q.id)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {editing && (
        <QueueEditor
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.version}`}
          queue={editing === 'new' ? null : editing}
          onDone={async () => {
            setEditing(null);
            await refresh();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
    </>
  );
}

function QueueEditor({ queue, onDone, onCancel }: { queue: Queue | null; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const teams = useTeams();
  const save = useSave();
  const ids = { name: useId(), team: useId(), tags: useId(), position: useId(), active: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const teamId = String(form.get('teamId') ?? '');
    const body = {
      name: String(form.get('name') ?? '').trim(),
      teamId: teamId || null,
      rules: {
        channels: form.getAll('channels').map(String),
        locales: form.getAll('locales').map(String),
        tags: String(form.get('tags') ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      },
      position: Number(form.get('position') ?? 0),
      active: form.get('active') === 'on',
    };
    // An edit names the version it started from: another admin's change in between is a 409
    // shown beside the form, not an overwrite of their rules.
    const done = await save.run(() =>
      queue ? api(`/api/v1/queues/${queue.id}`, { method: 'PATCH', body: { ...body, version: queue.version } }) : api('/api/v1/queues', { method: 'POST', body }),
    );
    if (done) await onDone();
  }

  return (
    <section className="card" aria-labelledby="queue-editor-title">
      <h2 id="queue-editor-title">{queue ? t('settings.queues.editTitle', { name: queue.name }) : t('settings.queues.new')}</h2>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.name}>{t('settings.name')}</label>
          <input id={ids.name} name="name" required maxLength={100} defaultValue={queue?.name ?? ''} dir="auto" />
        </div>
        <div className="field">
          <label htmlFor={ids.team}>{t('settings.queues.team')}</label>
          <select id={ids.team} name="teamId" defaultValue={queue?.teamId ?? ''}>
            <option value="">{t('settings.queues.noTeam')}</option>
            {teams.data?.map((tm) => (
              <option key={tm.id} value={tm.id}>
                {tm.name}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="checks">
          <legend>{t('settings.queues.channels')}</legend>
          {CHANNELS.map((c) => (
            <label key={c} className="check-label">
              <input type="checkbox" name="channels" value={c} defaultChecked={queue?.rules.channels.includes(c)} /> {t(`channel.${c}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="checks">
          <legend>{t('settings.queues.languages')}</legend>
          {LANGUAGES.map((l) => (
            <label key={l} className="check-label">
              <input type="checkbox" name="locales" value={l} defaultChecked={queue?.rules.locales.includes(l)} /> {t(`languages.${l}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor={ids.tags}>{t('settings.queues.tagsLabel')}</label>
          <input id={ids.tags} name="tags" defaultValue={queue?.rules.tags.join(', ') ?? ''} dir="auto" />
        </div>
        <div className="field">
          <label htmlFor={ids.position}>{t('settings.queues.positionLabel')}</label>
          <input id={ids.position} name="position" type="number" step={1} defaultValue={queue?.position ?? 0} className="narrow" />
        </div>
        <label className="check-label" htmlFor={ids.active}>
          <input id={ids.active} type="checkbox" name="active" defaultChecked={queue?.active ?? true} /> {t('settings.queues.active')}
        </label>
        <FormError error={save.error} />
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
