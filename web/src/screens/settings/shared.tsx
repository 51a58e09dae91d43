// Pieces every settings page shares: the API's refusal shown next to the form (in the reader's
// language, with the server's own words beside it), a copy button, a delete that asks first,
// and a small save helper.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api.ts';

/** What went wrong, for a person: a sentence in their language, and what the API said. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const lead =
    error instanceof ApiError
      ? error.status === 409
        ? t('settings.errors.conflict')
        : error.status === 403
          ? t('settings.errors.forbidden')
          : error.status >= 400 && error.status < 500
            ? t('settings.errors.invalid')
            : t('common.saveFailed')
      : t('common.saveFailed');
  return (
    <div className="form-error" role="alert">
      <p>{lead}</p>
      {error instanceof ApiError && error.status < 500 && (
        <p className="api-message">
          <span>{t('settings.errors.apiSaid')} </span>
          <span lang="en" dir="ltr">
            {error.message}
          </span>
        </p>
      )}
    </div>
  );
}

/** A button that copies a text (a key, a snippet); says so for screen readers. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 4000);
  }
  return (
    <span className="copy">
      <button type="button" onClick={() => void copy()} aria-label={label}>
        {t('settings.copy')}
      </button>
      <span role="status" className="muted">
        {state === 'copied' ? t('settings.copied') : state === 'failed' ? t('settings.copyFailed') : ''}
      </span>
    </span>
  );
}

/** Runs a save, remembering its error (shown by FormError) and a notice when it worked. */
export function useSave() {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** The answer in a box (a 204 answers undefined), or null when it failed. */
  async function run<T>(work: () => Promise<T>): Promise<{ value: T } | null> {
    setError(null);
    setBusy(true);
    try {
      return { value: await work() };
    } catch (e) {
      setError(e);
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { error, busy, run, clear: () => setError(null) };
}

/** Lower-case without accents, so "καλημερα" finds "Καλημέρα". */
export const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

/**
 * A delete button for one named item that asks before it deletes (an admin's misclick must not
 * take a queue or a policy away). `onDelete` answers whether it worked; on failure the
 * question stays open, next to the error the page shows.
 */
export function ConfirmDelete({ name, onDelete, label }: { name: string; onDelete: () => Promise<boolean>; label?: string }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" onClick={() => setAsking(true)} aria-label={t('settings.deleteNamed', { name })}>
        {label ?? t('settings.delete')}
      </button>
    );
  }
  return (
    <span role="group" aria-label={t('settings.confirmDelete', { name })}>
      <span>{t('settings.confirmDelete', { name })}</span>{' '}
      <button type="button" onClick={() => void onDelete().then((done) => done && setAsking(false))}>
        {t('settings.yesDelete')}
      </button>{' '}
      <button type="button" onClick={() => setAsking(false)}>
        {t('settings.cancel')}
      </button>
    </span>
  );
}
