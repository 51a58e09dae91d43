// Embeddable widgets (live chat, reviews): each with its public key, the sites allowed to embed
// it, a copyable snippet, switching it off and giving it a new key.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { CopyButton, FormError, useSave } from './shared.tsx';

interface Widget {
  id: string;
  name: string;
  publicKey: string;
  allowedOrigins: string[];
  active: boolean;
  version: number;
}

const origins = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

export function snippet(kind: 'chat' | 'reviews', key: string, lang: string): string {
  const origin = window.location.origin;
  return kind === 'chat'
    ? `<script src="${origin}/widget.js" data-key="${key}" data-lang="${lang}" async></script>`
    : `<div data-truthdesk-reviews></div>\n<script src="${origin}/reviews.js" data-key="${key}" data-lang="${lang}" async></script>`;
}

export function Widgets({ kind }: { kind: 'chat' | 'reviews' }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const path = kind === 'chat' ? '/api/v1/chat/widgets' : '/api/v1/review-widgets';
  const queryKey = ['widgets', kind];
  const widgets = useQuery({ queryKey, queryFn: async () => (await api<{ data: Widget[] }>(path)).data });
  const add = useSave();
  const ids = { name: useId(), origins: useId() };
  const title = t(`settings.widgets.${kind}.title`);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const done = await add.run(() => api(path, { method: 'POST', body: { name: String(form.get('name') ?? '').trim(), allowedOrigins: origins(String(form.get('origins') ?? '')) } }));
    if (!done) return;
    formElement.reset();
    await client.invalidateQueries({ queryKey });
  }

  return (
    <section className="card" aria-labelledby={`${kind}-widgets-title`}>
      <h2 id={`${kind}-widgets-title`}>{title}</h2>
      <p className="muted">{t(`settings.widgets.${kind}.help`)}</p>
      {widgets.data?.length === 0 && <p className="empty">{t('settings.widgets.none')}</p>}
      {widgets.data?.map((w) => <WidgetCard key={`${w.id}:${w.version}`} widget={w} kind={kind} path={path} lang={i18n.language} onSaved={() => client.invalidateQueries({ queryKey })} />)}
      <h3>{t(`settings.widgets.${kind}.add`)}</h3>
      <form className="stack" onSubmit={create} aria-label={t(`settings.widgets.${kind}.add`)}>
        <div className="field">
          <label htmlFor={ids.name}>{t('settings.widgets.name')}</label>
          <input id={ids.name} name="name" required maxLength={100} dir="auto" />
        </div>
        <div className="field">
          <label htmlFor={ids.origins}>{t('settings.widgets.origins')}</label>
          <textarea id={ids.origins} name="origins" rows={2} dir="ltr" placeholder="https://shop.example.com" aria-describedby={`${ids.origins}-help`} />
          <p id={`${ids.origins}-help`} className="muted">
            {t('settings.widgets.originsHelp')}
          </p>
        </div>
        <FormError error={add.error} />
        <button type="submit" className="primary" disabled={add.busy}>
          {t(`settings.widgets.${kind}.add`)}
        </button>
      </form>
    </section>
  );
}

function WidgetCard({ widget, kind, path, lang, onSaved }: { widget: Widget; kind: 'chat' | 'reviews'; path: string; lang: string; onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const save = useSave();
  const ids = { origins: useId(), snippet: useId() };
  const [originsText, setOriginsText] = useState(widget.allowedOrigins.join('\n'));
  const [rotating, setRotating] = useState(false);
  const code = snippet(kind, widget.publicKey, lang);
  // An edit names the version it started from: another admin's change in between is a 409
  // shown beside the card, not an overwrite of their origins or their switch.
  const patch = async (body: object) => {
    if (await save.run(() => api(`${path}/${widget.id}`, { method: 'PATCH', body: { ...body, version: widget.version } }))) await onSaved();
  };

  return (
    <article className={`widget${widget.active ? '' : ' inactive'}`} aria-labelledby={`w-${widget.id}`}>
      <h3 id={`w-${widget.id}`} dir="auto">
        {widget.name} {!widget.active && <span className="badge">{t('settings.widgets.off')}</span>}
      </h3>
      <dl className="facts">
        <dt>{t('settings.widgets.key')}</dt>
        <dd className="copy-row">
          <code dir="ltr">{widget.publicKey}</code>
        </dd>
      </dl>
      <div className="field">
        <label htmlFor={ids.snippet}>{t('settings.widgets.snippet')}</label>
        <textarea id={ids.snippet} className="code snippet" readOnly rows={kind === 'chat' ? 2 : 3} dir="ltr" value={code} onFocus={(e) => e.currentTarget.select()} />
        <CopyButton text={code} label={t('settings.widgets.copySnippet', { name: widget.name })} />
      </div>
      <div className="field">
        <label htmlFor={ids.origins}>{t('settings.widgets.origins')}</label>
        <textarea id={ids.origins} rows={2} dir="ltr" value={originsText} onChange={(e) => setOriginsText(e.target.value)} />
      </div>
      <FormError error={save.error} />
      <p className="actions">
        <button type="button" onClick={() => void patch({ allowedOrigins: origins(originsText) })}>
          {t('settings.widgets.saveOrigins')}
        </button>{' '}
        <button type="button" onClick={() => void patch({ active: !widget.active })}>
          {widget.active ? t('settings.widgets.turnOff') : t('settings.widgets.turnOn')}
        </button>{' '}
        {rotating ? (
          <span role="group" aria-label={t('settings.widgets.rotateConfirm')}>
            <span>{t('settings.widgets.rotateConfirm')}</span>{' '}
            <button type="button" onClick={() => void patch({ rotateKey: true })}>
              {t('settings.widgets.rotateYes')}
            </button>{' '}
            <button type="button" onClick={() => setRotating(false)}>
              {t('settings.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setRotating(true)}>
            {t('settings.widgets.rotate')}
          </button>
        )}
      </p>
    </article>
  );
}
