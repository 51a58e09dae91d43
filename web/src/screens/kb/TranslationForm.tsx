// One language version of an article: title, slug and body, saved as a draft or published.
// Saves carry the version the editor loaded (If-Match); if someone saved in between, the API
// answers 409 and the text typed here stays, with a choice to save over theirs or load theirs.
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError, fieldIssues } from '../../api.ts';
import { useWorkspace } from '../../session.ts';
import type { Lang } from '../../types.ts';
import { bodyToSend, dirOf, editableBody, portalPath } from './kb-api.ts';
import type { KbArticle, KbStatus } from './kb-api.ts';
import { Preview } from './Preview.tsx';
import { Revisions } from './Revisions.tsx';

interface Props {
  lang: Lang;
  article: KbArticle | null;
  /** The article this language version belongs to; null for a brand-new article. */
  articleId: string | null;
  categoryId: string | null;
  canEdit: boolean;
  /** After a save: the saved version and what to tell the editor (shown above the tabs, so it survives the new-article redirect). */
  onSaved: (article: KbArticle, notice: string) => void;
  onReload: () => Promise<KbArticle | null>;
}

export function TranslationForm({ lang, article: loaded, articleId, categoryId, canEdit, onSaved, onReload }: Props) {
  const { t } = useTranslation();
  const workspace = useWorkspace();
  const ids = { title: useId(), slug: useId(), body: useId(), errors: useId() };
  // The version this form loaded or last saved: its If-Match, whatever a refetch brings meanwhile.
  const [article, setArticle] = useState(loaded);
  const [title, setTitle] = useState(article?.title ?? '');
  const [slug, setSlug] = useState(article?.slug ?? '');
  const [body, setBody] = useState(article ? editableBody(article.body) : '');
  // Edited as text (a new article, or one written as text): paragraphs typed as text stay paragraphs.
  const [asText] = useState(!article || editableBody(article.body) !== article.body);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [conflict, setConflict] = useState<number | null>(null);
  const dir = dirOf(lang);

  async function save(status: KbStatus, version = article?.version) {
    const text = asText ? bodyToSend(body) : body;
    setBusy(true);
    setProblem(null);
    try {
      const saved = article
        ? await api<KbArticle>(`/api/v1/kb/articles/${article.id}`, {
            method: 'PATCH',
            headers: { 'if-match': `"${version}"` },
            body: { title, body: text, status, categoryId, ...(slug.trim() && slug !== article.slug ? { slug: slug.trim() } : {}) },
          })
        : await api<KbArticle>('/api/v1/kb/articles', {
            method: 'POST',
            body: { title, body: text, lang, status, categoryId, ...(slug.trim() ? { slug: slug.trim() } : {}), ...(articleId ? { translationOf: articleId } : {}) },
          });
      setConflict(null);
      show(saved);
      onSaved(saved, status === 'published' ? t('kb.published') : t('kb.savedDraft'));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'version_conflict') {
        const current = (error.details as { currentVersion?: number } | undefined)?.currentVersion;
        setConflict(typeof current === 'number' ? current : null);
      } else {
        const fields: Record<string, string> = {};
        for (const issue of fieldIssues(error)) fields[issue.path.replace(/^body\./, '')] = issue.message;
        if (error instanceof ApiError && error.status === 409) fields.slug = error.message;
        setProblem({ message: error instanceof ApiError ? error.message : t('common.saveFailed'), fields });
      }
    } finally {
      setBusy(false);
    }
  }

  function show(saved: KbArticle) {
    setArticle(saved);
    setTitle(saved.title);
    setSlug(saved.slug);
    setBody(editableBody(saved.body));
  }
  async function loadTheirs() {
    const latest = await onReload();
    if (latest) show(latest);
    setConflict(null);
  }
  const dirty = !article || title !== article.title || body !== editableBody(article.body) || slug !== article.slug;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(article?.status ?? 'draft');
  };
  const fieldError = (name: string) =>
    problem?.fields[name] ? (
      <p className="form-error" id={`${ids.errors}-${name}`}>
        {problem.fields[name]}
      </p>
    ) : null;
  const described = (name: string) => (problem?.fields[name] ? { 'aria-invalid': true, 'aria-describedby': `${ids.errors}-${name}` } : {});

  return (
    <div className="kb-editor-grid">
      <form className="editor card" onSubmit={submit} lang={lang}>
        <div className="field">
          <label htmlFor={ids.title}>{t('kb.articleTitle')}</label>
          <input id={ids.title} dir={dir} value={title} onChange={(e) => setTitle(e.target.value)} readOnly={!canEdit} required {...described('title')} />
          {fieldError('title')}
        </div>
        <div className="field">
          <label htmlFor={ids.slug}>{t('kb.slug')}</label>
          <input id={ids.slug} dir={dir} value={slug} onChange={(e) => setSlug(e.target.value)} readOnly={!canEdit} placeholder={t('kb.slugAuto')} {...described('slug')} />
          {fieldError('slug')}
        </div>
        <div className="field">
          <label htmlFor={ids.body}>{t('kb.body')}</label>
          <textarea id={ids.body} dir={dir} rows={14} value={body} onChange={(e) => setBody(e.target.value)} readOnly={!canEdit} required {...described('body')} />
          <p className="muted">{t('kb.bodyHelp')}</p>
          {fieldError('body')}
        </div>
        {problem && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        {conflict !== null && (
          <div className="kb-conflict" role="alert">
            <p>{t('kb.conflict', { version: conflict })}</p>
            <button type="button" onClick={() => void save(article?.status ?? 'draft', conflict)}>
              {t('kb.saveOver')}
            </button>
            <button type="button" onClick={() => void loadTheirs()}>
              {t('kb.loadTheirs')}
            </button>
          </div>
        )}
        <div className="editor-actions">
          {article && (
            <span className="muted">
              {t(`kb.statuses.${article.status}`)} · {t('kb.version', { version: article.version })}
            </span>
          )}
          {article?.status === 'published' && workspace.data && (
            <a href={portalPath(workspace.data.slug, lang, article.slug)} target="_blank" rel="noopener">
              {t('kb.viewOnPortal')}
            </a>
          )}
          {canEdit && (
            <>
              <button type="button" disabled={busy} onClick={() => void save('draft')}>
                {article?.status === 'published' ? t('kb.unpublish') : t('kb.saveDraft')}
              </button>
              <button type="button" className="primary" disabled={busy} onClick={() => void save('published')}>
                {article?.status === 'published' ? t('kb.update') : t('kb.publish')}
              </button>
            </>
          )}
        </div>
      </form>
      <Preview lang={lang} draft={body} stored={article?.body ?? null} saved={Boolean(article) && body === editableBody(article?.body ?? '')} />
      {article && (
        <Revisions
          article={article}
          canEdit={canEdit}
          dirty={dirty}
          onRestored={(restored, notice) => {
            show(restored);
            onSaved(restored, notice);
          }}
        />
      )}
    </div>
  );
}
