import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import { LanguageSwitcher } from '../components/Preferences.tsx';

export function SignIn() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const workspace = String(form.get('workspace') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      await api('/api/v1/auth/login', {
        method: 'POST',
        body: { email: form.get('email'), password: form.get('password'), ...(workspace ? { workspace } : {}) },
      });
      await client.invalidateQueries();
      await client.refetchQueries({ queryKey: ['me'] });
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setError(t('signIn.locked'));
      else if (e instanceof ApiError && (e.status === 401 || e.status === 400)) setError(t('signIn.wrong'));
      else setError(t('common.loadFailed'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card sign-in-card" aria-describedby={error ? errorId : undefined}>
        <h1 className="brand-title">TruthDesk</h1>
        <h2>{t('signIn.title')}</h2>
        <label>
          {t('signIn.email')}
          <input name="email" type="email" autoComplete="username" required dir="ltr" />
        </label>
        <label>
          {t('signIn.password')}
          <input name="password" type="password" autoComplete="current-password" required dir="ltr" />
        </label>
        <details>
          <summary>{t('signIn.otherWorkspace')}</summary>
          <label>
            {t('signIn.workspace')}
            <input name="workspace" autoComplete="organization" dir="ltr" />
          </label>
        </details>
        {error && (
          <p id={errorId} role="alert" className="form-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {t('signIn.submit')}
        </button>
        <LanguageSwitcher remember={false} />
        <p className="muted">
          <a href="/api/v1/openapi.json">{t('signIn.api')}</a>
        </p>
      </form>
    </main>
  );
}
