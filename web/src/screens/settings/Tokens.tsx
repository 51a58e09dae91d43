// API tokens: create one (shown once, with a copy button), see when each was last used, revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import type { Me } from '../../types.ts';
import { CopyButton, FormError } from './shared.tsx';

interface TokenInfo {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export default function Tokens({ me }: { me: Me }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const nameId = useId();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: async () => (await api<{ data: TokenInfo[] }>('/api/v1/tokens')).data });
  const [newToken, setNewToken] = useState<string | null>(null);
  const createToken = useMutation({
    mutationFn: (name: string) => api<{ token: string }>('/api/v1/tokens', { method: 'POST', body: { name, role: 'agent' } }),
    onSuccess: (result) => {
      setNewToken(result.token);
      void client.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/api/v1/tokens/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['tokens'] }),
  });

  return (
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
        <label htmlFor={nameId}>{t('settings.tokenName')}</label>
        <input id={nameId} name="name" required dir="auto" />
        <button type="submit" className="primary">
          {t('settings.createToken')}
        </button>
      </form>
      <FormError error={createToken.error ?? revoke.error} />
      {newToken && (
        <p role="status" className="copy-row">
          {t('settings.tokenShownOnce')} <code dir="ltr">{newToken}</code> <CopyButton text={newToken} label={t('settings.copyToken')} />
        </p>
      )}
      <div className="table-scroll">
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
      </div>
    </section>
  );
}
