// General settings: the workspace's name and default language, and its Segment-compatible
// ingestion write key with the URLs to send touchpoints to.
import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useWorkspace } from '../../session.ts';
import { LANGUAGES } from '../../types.ts';
import { CopyButton, FormError, useSave } from './shared.tsx';

export default function General() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const workspace = useWorkspace();
  const save = useSave();
  const ids = { name: useId(), lang: useId(), notice: useId() };
  const ingest = `${window.location.origin}/api/v1/track`;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const done = await save.run(() =>
      api('/api/v1/workspace', { method: 'PATCH', body: { name: String(form.get('name') ?? ''), defaultLocale: String(form.get('defaultLocale') ?? 'en') } }),
    );
    if (done) await client.invalidateQueries({ queryKey: ['workspace'] });
  }

  return (
    <>
      <section className="card" aria-labelledby="ws-title">
        <h2 id="ws-title">{t('settings.workspace')}</h2>
        {workspace.data && (
          <form className="inline-form" onSubmit={submit} key={workspace.data.name + workspace.data.defaultLocale}>
            <label htmlFor={ids.name}>{t('settings.name')}</label>
            <input id={ids.name} name="name" defaultValue={workspace.data.name} required dir="auto" />
            <label htmlFor={ids.lang}>{t('settings.defaultLanguage')}</label>
            <select id={ids.lang} name="defaultLocale" defaultValue={workspace.data.defaultLocale}>
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`languages.${l}`)}
                </option>
              ))}
            </select>
            <button type="submit" className="primary" disabled={save.busy}>
              {t('settings.save')}
            </button>
          </form>
        )}
        <FormError error={save.error} />
      </section>
      <section className="card" aria-labelledby="ingest-title">
        <h2 id="ingest-title">{t('settings.ingestion')}</h2>
        <dl className="facts">
          <dt>{t('settings.writeKey')}</dt>
          <dd className="copy-row">
            <code dir="ltr">{workspace.data?.writeKey ?? '—'}</code>
            {workspace.data?.writeKey && <CopyButton text={workspace.data.writeKey} label={t('settings.copyWriteKey')} />}
          </dd>
          <dt>{t('settings.ingestUrl')}</dt>
          <dd className="copy-row">
            <code dir="ltr">{ingest}</code>
            <CopyButton text={ingest} label={t('settings.copyIngestUrl')} />
          </dd>
        </dl>
        <p className="muted">{t('settings.writeKeyHelp')}</p>
      </section>
    </>
  );
}
