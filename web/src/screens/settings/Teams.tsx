// Teams: their members, and how each hands out its tickets (by hand, round robin or to the
// least loaded agent; only agents who are available; at most N open tickets each).
import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useAgents, useTeams } from '../../session.ts';
import { ASSIGNMENT_MODES } from '../../types.ts';
import type { Team } from '../../types.ts';
import { FormError, useSave } from './shared.tsx';

export default function Teams() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const teams = useTeams();
  const add = useSave();
  const members = useSave();
  const nameId = useId();
  const refresh = () => Promise.all([client.invalidateQueries({ queryKey: ['teams'] }), client.invalidateQueries({ queryKey: ['agents'] })]);

  async function addTeam(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get('name') ?? '').trim();
    if (!name) return;
    if (!(await add.run(() => api('/api/v1/teams', { method: 'POST', body: { name } })))) return;
    formElement.reset();
    await refresh();
  }

  async function toggleMember(team: Team, agentId: string, member: boolean) {
    const memberIds = member ? [...team.memberIds, agentId] : team.memberIds.filter((m) => m !== agentId);
    await members.run(() => api(`/api/v1/teams/${team.id}`, { method: 'PATCH', body: { memberIds } }));
    await refresh();
  }

  return (
    <section className="card" aria-labelledby="teams-title">
      <h2 id="teams-title">{t('settings.teams')}</h2>
      <form className="inline-form" onSubmit={addTeam}>
        <label htmlFor={nameId}>{t('settings.teamName')}</label>
        <input id={nameId} name="name" required dir="auto" />
        <button type="submit" className="primary" disabled={add.busy}>
          {t('settings.addTeam')}
        </button>
      </form>
      <FormError error={add.error} />
      <FormError error={members.error} />
      {teams.data?.map((team) => <TeamCard key={team.id} team={team} onToggle={toggleMember} onSaved={refresh} />)}
    </section>
  );
}

function TeamCard({ team, onToggle, onSaved }: { team: Team; onToggle: (team: Team, agentId: string, member: boolean) => Promise<void>; onSaved: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const agents = useAgents();
  const save = useSave();
  const ids = { mode: useId(), cap: useId(), available: useId() };

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const cap = String(form.get('cap') ?? '').trim();
    const assignment = { mode: String(form.get('mode')), onlyAvailable: form.get('onlyAvailable') === 'on', maxOpenPerAgent: cap ? Number(cap) : null };
    if (await save.run(() => api(`/api/v1/teams/${team.id}`, { method: 'PATCH', body: { assignment } }))) await onSaved();
  }

  return (
    <div className="team-card">
      <fieldset className="team">
        <legend dir="auto">{team.name}</legend>
        {agents.data
          ?.filter((a) => a.active)
          .map((a) => (
            <label key={a.id} className="check-label">
              <input type="checkbox" checked={team.memberIds.includes(a.id)} onChange={(e) => void onToggle(team, a.id, e.target.checked)} /> <span dir="auto">{a.name}</span>
            </label>
          ))}
      </fieldset>
      <form className="inline-form" onSubmit={submit} aria-label={t('settings.assignment.formFor', { name: team.name })} key={JSON.stringify(team.assignment)}>
        <label htmlFor={ids.mode}>{t('settings.assignment.mode')}</label>
        <select id={ids.mode} name="mode" defaultValue={team.assignment.mode}>
          {ASSIGNMENT_MODES.map((m) => (
            <option key={m} value={m}>
              {t(`settings.assignment.modes.${m}`)}
            </option>
          ))}
        </select>
        <label className="check-label" htmlFor={ids.available}>
          <input id={ids.available} type="checkbox" name="onlyAvailable" defaultChecked={team.assignment.onlyAvailable} /> {t('settings.assignment.onlyAvailable')}
        </label>
        <label htmlFor={ids.cap}>{t('settings.assignment.cap')}</label>
        <input id={ids.cap} name="cap" type="number" min={1} max={10000} inputMode="numeric" defaultValue={team.assignment.maxOpenPerAgent ?? ''} className="narrow" />
        <button type="submit" disabled={save.busy}>
          {t('settings.save')}
        </button>
      </form>
      <FormError error={save.error} />
    </div>
  );
}
