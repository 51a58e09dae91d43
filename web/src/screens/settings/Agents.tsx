// Agents: who works in the workspace (role, language, teams), adding one, and switching one
// off or back on.
import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useAgents, useTeams } from '../../session.ts';
import { LANGUAGES } from '../../types.ts';
import type { Me, Role } from '../../types.ts';
import { FormError, useSave } from './shared.tsx';

const ROLES: Role[] = ['agent', 'team_leader', 'admin', 'owner'];

export default function Agents({ me }: { me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const agents = useAgents();
  const teams = useTeams();
  const add = useSave();
  const change = useSave();
  const ids = { name: useId(), email: useId(), role: useId(), lang: useId(), password: useId() };

  async function addAgent(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const password = String(form.get('password') ?? '');
    const done = await add.run(() =>
      api('/api/v1/agents', {
        method: 'POST',
        body: {
          name: String(form.get('name') ?? ''),
          email: String(form.get('email') ?? ''),
          role: String(form.get('role') ?? 'agent'),
          locale: String(form.get('locale') ?? 'en'),
          ...(password ? { password } : {}),
        },
      }),
    );
    if (!done) return;
    formElement.reset();
    await client.invalidateQueries({ queryKey: ['agents'] });
  }

  async function setRole(id: string, role: Role) {
    await change.run(() => api(`/api/v1/agents/${id}`, { method: 'PATCH', body: { role } }));
    await client.invalidateQueries({ queryKey: ['agents'] });
  }

  async function setActive(id: string, active: boolean) {
    await change.run(() => api(`/api/v1/agents/${id}`, { method: 'PATCH', body: { active } }));
    await client.invalidateQueries({ queryKey: ['agents'] });
  }

  return (
    <>
      <section className="card" aria-labelledby="agents-title">
        <h2 id="agents-title">{t('settings.agents')}</h2>
        <FormError error={change.error} />
        <div className="table-scroll">
          <table className="data">
            <thead>
              <tr>
                <th scope="col">{t('settings.name')}</th>
                <th scope="col">{t('customer.email')}</th>
                <th scope="col">{t('settings.role')}</th>
                <th scope="col">{t('customer.language')}</th>
                <th scope="col">{t('settings.teams')}</th>
                <th scope="col">{t('settings.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.data?.map((a) => (
                <tr key={a.id} className={a.active ? undefined : 'inactive'}>
                  <td dir="auto">{a.name}</td>
                  <td dir="ltr">{a.email}</td>
                  <td>
                    {a.role === 'owner' && me.role !== 'owner' ? (
                      t(`roles.${a.role}`)
                    ) : (
                      <select aria-label={t('settings.roleOf', { name: a.name })} value={a.role} onChange={(e) => void setRole(a.id, e.target.value as Role)}>
                        {ROLES.filter((r) => me.role === 'owner' || r !== 'owner').map((r) => (
                          <option key={r} value={r}>
                            {t(`roles.${r}`)}
                          </option>
                        ))}
                      </select>
                    )}
                  </td>
                  <td>{t(`languages.${a.locale}`)}</td>
                  <td dir="auto">{a.teamIds.map((id) => teams.data?.find((tm) => tm.id === id)?.name).filter(Boolean).join(', ')}</td>
                  <td>
                    {me.agent?.id !== a.id && (
                      <button type="button" onClick={() => void setActive(a.id, !a.active)} aria-label={t(a.active ? 'settings.deactivateNamed' : 'settings.activateNamed', { name: a.name })}>
                        {t(a.active ? 'settings.deactivate' : 'settings.activate')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="add-agent-title">
        <h2 id="add-agent-title">{t('settings.addAgent')}</h2>
        <form className="inline-form" onSubmit={addAgent}>
          <label htmlFor={ids.name}>{t('settings.name')}</label>
          <input id={ids.name} name="name" required dir="auto" />
          <label htmlFor={ids.email}>{t('customer.email')}</label>
          <input id={ids.email} name="email" type="email" required dir="ltr" />
          <label htmlFor={ids.role}>{t('settings.role')}</label>
          <select id={ids.role} name="role" defaultValue="agent">
            {ROLES.filter((r) => me.role === 'owner' || r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.lang}>{t('customer.language')}</label>
          <select id={ids.lang} name="locale" defaultValue="en">
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.password}>{t('settings.initialPassword')}</label>
          <input id={ids.password} name="password" type="password" minLength={10} autoComplete="new-password" dir="ltr" />
          <button type="submit" className="primary" disabled={add.busy}>
            {t('settings.addAgent')}
          </button>
        </form>
        <FormError error={add.error} />
      </section>
    </>
  );
}
