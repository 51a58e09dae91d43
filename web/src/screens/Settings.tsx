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
import type { Me, Stage, Valence } from '../types.ts';

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
  const ids = { tokenName: useId(), event: useId(), text: useId() };

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
        body: { events: [{ event: name, properties: sample.trim() ? { text: sample.trim() } : {} }] },
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
