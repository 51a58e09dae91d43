// Settings for owners and admins: the workspace and its ingestion write key, agents, teams,
// API tokens, and the classification rules with a tester.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { StageBadge, ValenceMark } from '../components/Badges.tsx';
import { useFormat } from '../format.ts';
import { useAgents, useTeams, useWorkspace } from '../session.ts';
import { LANGUAGES } from '../types.ts';
import type { Me, Role, Stage, Valence } from '../types.ts';

const ROLES: Role[] = ['agent', 'team_leader', 'admin', 'owner'];

interface TokenInfo {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

interface Tested {
  index: number;
  stage: Stage;
  valence: Valence;
  decidedBy: string;
  confidence: number;
}

export default function Settings({ me }: { me: Me }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const workspace = useWorkspace();
  const agents = useAgents();
  const teams = useTeams();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: async () => (await api<{ data: TokenInfo[] }>('/api/v1/tokens')).data });
  const [newToken, setNewToken] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [sample, setSample] = useState('');
  const [tested, setTested] = useState<Tested | null>(null);
  const ids = {
    tokenName: useId(),
    event: useId(),
    text: useId(),
    rules: useId(),
    wsName: useId(),
    wsLang: useId(),
    agentName: useId(),
    agentEmail: useId(),
    agentRole: useId(),
    agentLang: useId(),
    agentPassword: useId(),
    teamName: useId(),
  };
  const rules = useQuery({
    queryKey: ['classification-rules'],
    queryFn: () => api<{ version: number; rules: unknown[] }>('/api/v1/classification/rules'),
  });
  const [rulesText, setRulesText] = useState<string | null>(null);
  const shownRules = rulesText ?? (rules.data ? JSON.stringify(rules.data.rules, null, 2) : '');

  /** The draft rules as JSON, or null (and a notice) when they do not parse. */
  function draftRules(): unknown[] | null {
    try {
      const parsed: unknown = JSON.parse(shownRules || '[]');
      if (!Array.isArray(parsed)) throw new Error('not a list');
      return parsed;
    } catch {
      setNotice(t('settings.rulesNotJson'));
      return null;
    }
  }

  async function saveRules() {
    const draft = draftRules();
    if (!draft || !rules.data) return;
    try {
      await api('/api/v1/classification/rules', { method: 'PUT', body: { rules: draft, version: rules.data.version } });
      setRulesText(null);
      setNotice(t('settings.rulesSaved'));
      await client.invalidateQueries({ queryKey: ['classification-rules'] });
    } catch (error) {
      setNotice(
        error instanceof ApiError && error.status === 409
          ? t('settings.rulesConflict')
          : error instanceof ApiError
            ? t('settings.rulesInvalid', { reason: error.message })
            : t('common.saveFailed'),
      );
    }
  }

  async function saveWorkspace(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await api('/api/v1/workspace', { method: 'PATCH', body: { name: String(form.get('name') ?? ''), defaultLocale: String(form.get('defaultLocale') ?? 'en') } });
      setNotice(t('ticket.saved'));
      await client.invalidateQueries({ queryKey: ['workspace'] });
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }

  async function addAgent(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const password = String(form.get('password') ?? '');
    try {
      await api('/api/v1/agents', {
        method: 'POST',
        body: {
          name: String(form.get('name') ?? ''),
          email: String(form.get('email') ?? ''),
          role: String(form.get('role') ?? 'agent'),
          locale: String(form.get('locale') ?? 'en'),
          ...(password ? { password } : {}),
        },
      });
      formElement.reset();
      setNotice(t('settings.agentAdded'));
      await client.invalidateQueries({ queryKey: ['agents'] });
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }

  async function addTeam(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get('name') ?? '').trim();
    if (!name) return;
    try {
      await api('/api/v1/teams', { method: 'POST', body: { name } });
      formElement.reset();
      setNotice(t('settings.teamAdded'));
      await client.invalidateQueries({ queryKey: ['teams'] });
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }

  async function toggleMember(teamId: string, agentId: string, member: boolean) {
    const team = teams.data?.find((tm) => tm.id === teamId);
    if (!team) return;
    const memberIds = member ? [...team.memberIds, agentId] : team.memberIds.filter((m) => m !== agentId);
    try {
      await api(`/api/v1/teams/${teamId}`, { method: 'PATCH', body: { memberIds } });
      await Promise.all([client.invalidateQueries({ queryKey: ['teams'] }), client.invalidateQueries({ queryKey: ['agents'] })]);
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.saveFailed'));
    }
  }

  const createToken = useMutation({
    mutationFn: (name: string) => api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { name, role: 'agent' } }),
    onSuccess: (result) => {
      setNewToken(result.token);
      void client.invalidateQueries({ queryKey: ['tokens'] });
    },
    onError: () => setNotice(t('common.saveFailed')),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tokens'] }),
  });

  async function test(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('event') ?? '').trim() || 'Feedback';
    try {
      const result = await api<{ results: Tested[] }>('/api/v1/classification/test', {
        method: 'POST',
        body: {
          ...(rulesText !== null ? { rules: draftRules() ?? [] } : {}),
          events: [{ event: name, properties: sample.trim() ? { text: sample.trim() } : {} }],
        },
      });
      setTested(result.results[0] ?? null);
    } catch (error) {
      setNotice(error instanceof ApiError ? error.message : t('common.loadFailed'));
    }
  }

  return (
    <section className="page settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>

      <section className="card" aria-labelledby="ws-title">
        <h2 id="ws-title">{t('settings.workspace')}</h2>
        <dl className="facts">
          <dt>{t('settings.name')}</dt>
          <dd dir="auto">{workspace.data?.name}</dd>
          <dt>{t('settings.defaultLanguage')}</dt>
          <dd>{workspace.data ? t(`languages.${workspace.data.defaultLocale}`) : ''}</dd>
          <dt>{t('settings.writeKey')}</dt>
          <dd>
            <code dir="ltr">{workspace.data?.writeKey ?? '—'}</code>
          </dd>
        </dl>
        <p className="muted">{t('settings.writeKeyHelp')}</p>
        {workspace.data && (
          <form className="inline-form" onSubmit={saveWorkspace} key={workspace.data.name + workspace.data.defaultLocale}>
            <label htmlFor={ids.wsName}>{t('settings.name')}</label>
            <input id={ids.wsName} name="name" defaultValue={workspace.data.name} required dir="auto" />
            <label htmlFor={ids.wsLang}>{t('settings.defaultLanguage')}</label>
            <select id={ids.wsLang} name="defaultLocale" defaultValue={workspace.data.defaultLocale}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`languages.${l}`)}
                </option>
              ))}
            </select>
            <button type="submit">{t('settings.save')}</button>
          </form>
        )}
      </section>

      <section className="card" aria-labelledby="agents-title">
        <h2 id="agents-title">{t('settings.agents')}</h2>
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('settings.name')}</th>
              <th scope="col">{t('customer.email')}</th>
              <th scope="col">{t('settings.role')}</th>
              <th scope="col">{t('customer.language')}</th>
              <th scope="col">{t('settings.teams')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.data?.map((a) => (
              <tr key={a.id} className={a.active ? undefined : 'inactive'}>
                <td dir="auto">{a.name}</td>
                <td dir="ltr">{a.email}</td>
                <td>{t(`roles.${a.role}`)}</td>
                <td>{t(`languages.${a.locale}`)}</td>
                <td dir="auto">{a.teamIds.map((id) => teams.data?.find((tm) => tm.id === id)?.name).filter(Boolean).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="add-agent-title">
        <h2 id="add-agent-title">{t('settings.addAgent')}</h2>
        <form className="inline-form" onSubmit={addAgent}>
          <label htmlFor={ids.agentName}>{t('settings.name')}</label>
          <input id={ids.agentName} name="name" required dir="auto" />
          <label htmlFor={ids.agentEmail}>{t('customer.email')}</label>
          <input id={ids.agentEmail} name="email" type="email" required dir="ltr" />
          <label htmlFor={ids.agentRole}>{t('settings.role')}</label>
          <select id={ids.agentRole} name="role" defaultValue="agent">
            {ROLES.filter((r) => me.role === 'owner' || r !== 'owner').map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.agentLang}>{t('customer.language')}</label>
          <select id={ids.agentLang} name="locale" defaultValue="en">
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.agentPassword}>{t('settings.initialPassword')}</label>
          <input id={ids.agentPassword} name="password" type="password" minLength={10} autoComplete="new-password" dir="ltr" />
          <button type="submit">{t('settings.addAgent')}</button>
        </form>
      </section>

      <section className="card" aria-labelledby="teams-title">
        <h2 id="teams-title">{t('settings.teams')}</h2>
        <form className="inline-form" onSubmit={addTeam}>
          <label htmlFor={ids.teamName}>{t('settings.teamName')}</label>
          <input id={ids.teamName} name="name" required dir="auto" />
          <button type="submit">{t('settings.addTeam')}</button>
        </form>
        {teams.data?.map((team) => (
          <fieldset key={team.id} className="team">
            <legend dir="auto">{team.name}</legend>
            {agents.data
              ?.filter((a) => a.active)
              .map((a) => (
                <label key={a.id} className="check-label">
                  <input type="checkbox" checked={team.memberIds.includes(a.id)} onChange={(e) => void toggleMember(team.id, a.id, e.target.checked)} />{' '}
                  <span dir="auto">{a.name}</span>
                </label>
              ))}
          </fieldset>
        ))}
      </section>

      <section className="card" aria-labelledby="tokens-title">
        <h2 id="tokens-title">{t('settings.tokens')}</h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const name = String(new FormData(e.currentTarget).get('name') ?? '').trim();
            if (name) createToken.mutate(name);
          }}
        >
          <label htmlFor={ids.tokenName}>{t('settings.tokenName')}</label>
          <input id={ids.tokenName} name="name" required dir="auto" />
          <button type="submit">{t('settings.createToken')}</button>
        </form>
        {newToken && (
          <p role="status">
            {t('settings.tokenShownOnce')} <code dir="ltr">{newToken}</code>
          </p>
        )}
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t('settings.name')}</th>
              <th scope="col">{t('settings.role')}</th>
              <th scope="col">{t('settings.created')}</th>
              <th scope="col">{t('settings.lastUsed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('settings.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data?.map((tk) => (
              <tr key={tk.id}>
                <td dir="auto">{tk.name}</td>
                <td>{t(`roles.${tk.role}`)}</td>
                <td>{format.date(tk.createdAt)}</td>
                <td>{tk.lastUsedAt ? format.dateTime(tk.lastUsedAt) : '—'}</td>
                <td>
                  {tk.revokedAt ? (
                    <span className="muted">{t('settings.revoked')}</span>
                  ) : (
                    me.role !== 'agent' && (
                      <button type="button" onClick={() => revoke.mutate(tk.id)} aria-label={t('settings.revokeNamed', { name: tk.name })}>
                        {t('settings.revoke')}
                      </button>
                    )
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="rules-title">
        <h2 id="rules-title">{t('settings.classifier')}</h2>
        <p className="muted">{t('settings.rulesHelp', { version: format.number(rules.data?.version ?? 0) })}</p>
        <div className="field">
          <label htmlFor={ids.rules}>{t('settings.rules')}</label>
          <textarea id={ids.rules} rows={8} dir="ltr" className="code" value={shownRules} onChange={(e) => setRulesText(e.target.value)} spellCheck={false} />
        </div>
        <p>
          <button type="button" onClick={() => void saveRules()} disabled={rulesText === null}>
            {t('settings.saveRules')}
          </button>
        </p>
        <p className="muted">{t('settings.classifierHelp')}</p>
        <form onSubmit={test} className="stack">
          <div className="field">
            <label htmlFor={ids.event}>{t('settings.eventName')}</label>
            <input id={ids.event} name="event" dir="ltr" />
          </div>
          <div className="field">
            <label htmlFor={ids.text}>{t('settings.sampleText')}</label>
            <textarea id={ids.text} rows={3} dir="auto" value={sample} onChange={(e) => setSample(e.target.value)} />
          </div>
          <button type="submit">{t('settings.classify')}</button>
        </form>
        {tested && (
          <p role="status" className="tested">
            <StageBadge stage={tested.stage} /> {t(`stages.${tested.stage}.name`)} · <ValenceMark valence={tested.valence} />{' '}
            {t(`valence.${tested.valence}`)} · {t('settings.confidence', { value: format.percent(tested.confidence) })}
          </p>
        )}
      </section>
    </section>
  );
}
