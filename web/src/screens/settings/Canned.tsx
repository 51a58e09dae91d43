// Canned responses: search them, and write one in English, Greek and Arabic (right-to-left),
// with variables filled per ticket ({{customer.name}}, …) and a preview with sample values.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { LANGUAGES } from '../../types.ts';
import type { Lang } from '../../types.ts';
import { ConfirmDelete, FormError, fold, useSave } from './shared.tsx';

const APOLOGY_KINDS = ['late_answer', 'outage', 'customer_caused'] as const;
type ApologyKind = (typeof APOLOGY_KINDS)[number];
/** The variables the API knows, with the key of their explanation and a sample value per language. */
const VARIABLES = [
  { name: 'customer.name', key: 'customerName', sample: { en: 'Maria Papadopoulou', el: 'Μαρία Παπαδοπούλου', ar: 'مريم الحسن' } },
  { name: 'customer.email', key: 'customerEmail', sample: { en: 'maria@example.com', el: 'maria@example.com', ar: 'maryam@example.com' } },
  { name: 'ticket.id', key: 'ticketId', sample: { en: '0192f…', el: '0192f…', ar: '0192f…' } },
  { name: 'ticket.number', key: 'ticketNumber', sample: { en: '1042', el: '1042', ar: '1042' } },
  { name: 'ticket.subject', key: 'ticketSubject', sample: { en: 'Thermostat will not connect', el: 'Ο θερμοστάτης δεν συνδέεται', ar: 'منظم الحرارة لا يتصل' } },
  { name: 'agent.name', key: 'agentName', sample: { en: 'Dimitra', el: 'Δήμητρα', ar: 'ليلى' } },
] as const;

export interface CannedResponse {
  id: string;
  name: string;
  category: 'general' | 'apology';
  apologyFor: ApologyKind | null;
  bodies: Partial<Record<Lang, string>>;
  locales: Lang[];
  updatedAt: string;
  version: number;
}

function preview(body: string, lang: Lang): string {
  return body.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (all, name: string) => VARIABLES.find((v) => v.name === name)?.sample[lang] ?? all);
}

export default function Canned() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const searchId = useId();
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<CannedResponse | 'new' | null>(null);
  const remove = useSave();
  const canned = useQuery({ queryKey: ['canned-responses'], queryFn: async () => (await api<{ data: CannedResponse[] }>('/api/v1/canned-responses')).data });
  const q = fold(search.trim());
  const shown = (canned.data ?? []).filter((c) => !q || fold(c.name).includes(q) || Object.values(c.bodies).some((b) => b && fold(b).includes(q)));
  const refresh = () => client.invalidateQueries({ queryKey: ['canned-responses'] });

  async function del(id: string): Promise<boolean> {
    if (!(await remove.run(() => api(`/api/v1/canned-responses/${id}`, { method: 'DELETE' })))) return false;
    await refresh();
    return true;
  }

  return (
    <>
      <section className="card" aria-labelledby="canned-title">
        <div className="card-head">
          <h2 id="canned-title">{t('settings.canned.title')}</h2>
          <button type="button" className="primary" onClick={() => setEditing('new')}>
            {t('settings.canned.new')}
          </button>
        </div>
        <div className="field">
          <label htmlFor={searchId}>{t('canned.search')}</label>
          <input id={searchId} type="search" dir="auto" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <FormError error={remove.error} />
        {canned.data && shown.length === 0 && <p className="empty">{t('canned.none')}</p>}
        <div className="table-scroll">
          <table className="data canned-table">
            <thead>
              <tr>
                <th scope="col">{t('settings.name')}</th>
                <th scope="col">{t('settings.canned.category')}</th>
                <th scope="col">{t('settings.canned.languages')}</th>
                <th scope="col">{t('settings.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id}>
                  <td dir="auto">{c.name}</td>
                  <td>{c.category === 'apology' && c.apologyFor ? t(`settings.canned.apologyFor.${c.apologyFor}`) : t(`settings.canned.categories.${c.category}`)}</td>
                  <td>{c.locales.map((l) => t(`languages.${l}`)).join(' · ')}</td>
                  <td className="actions">
                    <button type="button" onClick={() => setEditing(c)} aria-label={t('settings.editNamed', { name: c.name })}>
                      {t('settings.edit')}
                    </button>{' '}
                    <ConfirmDelete name={c.name} onDelete={() => del(c.id)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {editing && (
        <CannedEditor
          key={editing === 'new' ? 'new' : `${editing.id}:${editing.updatedAt}`}
          canned={editing === 'new' ? null : editing}
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

function CannedEditor({ canned, onDone, onCancel }: { canned: CannedResponse | null; onDone: () => Promise<void>; onCancel: () => void }) {
  const { t } = useTranslation();
  const save = useSave();
  const ids = { name: useId(), category: useId(), apology: useId(), en: useId(), el: useId(), ar: useId(), vars: useId() };
  const [name, setName] = useState(canned?.name ?? '');
  const [category, setCategory] = useState<'general' | 'apology'>(canned?.category ?? 'general');
  const [apologyFor, setApologyFor] = useState<ApologyKind>(canned?.apologyFor ?? 'late_answer');
  const [bodies, setBodies] = useState<Record<Lang, string>>({ en: canned?.bodies.en ?? '', el: canned?.bodies.el ?? '', ar: canned?.bodies.ar ?? '' });
  const [focused, setFocused] = useState<Lang>('en');
  const [previewLang, setPreviewLang] = useState<Lang>('en');
  const areas = useRef<Partial<Record<Lang, HTMLTextAreaElement | null>>>({});

  function insertVariable(variable: string) {
    const area = areas.current[focused];
    const text = `{{${variable}}}`;
    const body = bodies[focused];
    const at = area ? area.selectionStart : body.length;
    const end = area ? area.selectionEnd : body.length;
    setBodies((b) => ({ ...b, [focused]: body.slice(0, at) + text + body.slice(end) }));
    requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(at + text.length, at + text.length);
    });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // A new response sends only the languages written; a change sends "" to remove a language.
    const sent = Object.fromEntries(LANGUAGES.filter((l) => canned || bodies[l].trim()).map((l) => [l, bodies[l].trim()]));
    // An edit names the version it started from: another admin's save in between is a 409
    // (shown beside the form, the text kept), not an overwrite.
    const body = { name: name.trim(), category, apologyFor: category === 'apology' ? apologyFor : null, bodies: sent, ...(canned ? { version: canned.version } : {}) };
    const done = await save.run(() => (canned ? api(`/api/v1/canned-responses/${canned.id}`, { method: 'PATCH', body }) : api('/api/v1/canned-responses', { method: 'POST', body })));
    if (done) await onDone();
  }

  return (
    <section className="card" aria-labelledby="canned-editor-title">
      <h2 id="canned-editor-title">{canned ? t('settings.canned.editTitle', { name: canned.name }) : t('settings.canned.new')}</h2>
      <form onSubmit={submit} className="canned-editor">
        <div className="stack">
          <div className="field">
            <label htmlFor={ids.name}>{t('settings.name')}</label>
            <input id={ids.name} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} dir="auto" />
          </div>
          <div className="inline-form">
            <label htmlFor={ids.category}>{t('settings.canned.category')}</label>
            <select id={ids.category} value={category} onChange={(e) => setCategory(e.target.value === 'apology' ? 'apology' : 'general')}>
              <option value="general">{t('settings.canned.categories.general')}</option>
              <option value="apology">{t('settings.canned.categories.apology')}</option>
            </select>
            {category === 'apology' && (
              <>
                <label htmlFor={ids.apology}>{t('settings.canned.apologyForLabel')}</label>
                <select id={ids.apology} value={apologyFor} onChange={(e) => setApologyFor(e.target.value as ApologyKind)}>
                  {APOLOGY_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {t(`settings.canned.apologyFor.${k}`)}
                    </option>
                  ))}
                </select>
              </>
            )}
          </div>
          {LANGUAGES.map((l) => (
            <div className="field" key={l}>
              <label htmlFor={ids[l]}>{t('settings.canned.bodyIn', { language: t(`languages.${l}`) })}</label>
              <textarea
                id={ids[l]}
                ref={(el) => {
                  areas.current[l] = el;
                }}
                rows={4}
                lang={l}
                dir={l === 'ar' ? 'rtl' : 'ltr'}
                value={bodies[l]}
                onFocus={() => {
                  setFocused(l);
                  setPreviewLang(l);
                }}
                onChange={(e) => setBodies((b) => ({ ...b, [l]: e.target.value }))}
              />
            </div>
          ))}
          <p className="muted">{t('settings.canned.languagesHelp')}</p>
        </div>
        <aside className="canned-help">
          <h3 id={ids.vars}>{t('settings.canned.variables')}</h3>
          <p className="muted">{t('settings.canned.variablesHelp', { language: t(`languages.${focused}`) })}</p>
          <ul className="plain-list" aria-labelledby={ids.vars}>
            {VARIABLES.map((v) => (
              <li key={v.name}>
                <button type="button" className="link-button" onClick={() => insertVariable(v.name)} aria-describedby={`${ids.vars}-${v.key}`}>
                  <code dir="ltr">{`{{${v.name}}}`}</code>
                </button>{' '}
                <span className="muted" id={`${ids.vars}-${v.key}`}>
                  {t(`settings.canned.vars.${v.key}`)}
                </span>
              </li>
            ))}
          </ul>
          <h3>{t('settings.canned.preview')}</h3>
          <div className="tabs" role="group" aria-label={t('settings.canned.previewLanguage')}>
            {LANGUAGES.map((l) => (
              <button key={l} type="button" className={`tab${previewLang === l ? ' active' : ''}`} aria-pressed={previewLang === l} onClick={() => setPreviewLang(l)}>
                {t(`languages.${l}`)}
              </button>
            ))}
          </div>
          <p className="preview" lang={previewLang} dir={previewLang === 'ar' ? 'rtl' : 'ltr'} data-testid="canned-preview">
            {bodies[previewLang].trim() ? preview(bodies[previewLang], previewLang) : <span className="muted">{t('settings.canned.previewEmpty')}</span>}
          </p>
        </aside>
        <div className="editor-foot">
          <FormError error={save.error} />
          <button type="submit" className="primary" disabled={save.busy}>
            {t('settings.save')}
          </button>{' '}
          <button type="button" onClick={onCancel}>
            {t('settings.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
