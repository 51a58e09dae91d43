// An article with its English, Greek and Arabic versions in tabs, its category, a live preview
// and each version's revisions. /kb/articles/new starts an article; /kb/articles/<id> opens
// the language version with that id.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../../api.ts';
import { LANGUAGES } from '../../types.ts';
import type { Lang, Me } from '../../types.ts';
import { canEditKb, categoryName, useCategories } from './kb-api.ts';
import type { KbArticle } from './kb-api.ts';
import { TranslationForm } from './TranslationForm.tsx';

const getArticle = (id: string) => api<KbArticle>(`/api/v1/kb/articles/${id}`);

export default function ArticleEditor({ me }: { me: Me }) {
  const { id = 'new' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const categories = useCategories();
  const canEdit = canEditKb(me);
  const ids = { category: useId(), tabs: useId() };
  const isNew = id === 'new';
  const opened = useQuery({ queryKey: ['kb-article', id], queryFn: () => getArticle(id), enabled: !isNew });
  const [tab, setTab] = useState<Lang | null>(null);
  const [category, setCategory] = useState<string | null | undefined>(undefined);
  const [notice, setNotice] = useState('');

  const base = opened.data ?? null;
  const active: Lang = tab ?? base?.lang ?? (i18n.language as Lang);
  const ref = base?.translations.find((r) => r.lang === active) ?? null;
  const version = useQuery({ queryKey: ['kb-article', ref?.id], queryFn: () => getArticle(ref!.id), enabled: Boolean(ref) });
  const categoryId = category === undefined ? (base?.categoryId ?? null) : category;

  if (!isNew && opened.isPending) return <p className="loading" role="status">{t('common.loading')}</p>;
  if (!isNew && opened.isError) return <p role="alert">{t('common.loadFailed')}</p>;

  function saved(article: KbArticle, message: string) {
    setNotice(message);
    client.setQueryData(['kb-article', article.id], article);
    void client.invalidateQueries({ queryKey: ['kb-article'] });
    void client.invalidateQueries({ queryKey: ['kb-articles'] });
    if (isNew) void navigate(`/kb/articles/${article.id}`, { replace: true });
  }
  async function reload(): Promise<KbArticle | null> {
    if (!ref) return null;
    const latest = await getArticle(ref.id);
    client.setQueryData(['kb-article', ref.id], latest);
    return latest;
  }
  function onTabKey(event: KeyboardEvent<HTMLButtonElement>) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const rtl = document.documentElement.dir === 'rtl';
    const next = LANGUAGES[(LANGUAGES.indexOf(active) + (rtl ? -step : step) + LANGUAGES.length) % LANGUAGES.length]!;
    setTab(next);
    setNotice('');
    document.getElementById(`${ids.tabs}-${next}`)?.focus();
  }

  const article = ref ? (version.data ?? null) : null;
  const title = base?.translations.find((r) => r.lang === base.lang)?.title ?? t('kb.newArticle');

  return (
    <section aria-labelledby="kb-editor-title" className="kb-editor">
      <p>
        <Link to="/kb">{t('kb.back')}</Link>
      </p>
      <div className="page-head">
        <h1 id="kb-editor-title" dir="auto">
          {title}
        </h1>
        <div className="field">
          <label htmlFor={ids.category}>{t('kb.category')}</label>
          <select id={ids.category} value={categoryId ?? ''} onChange={(e) => setCategory(e.target.value || null)} disabled={!canEdit}>
            <option value="">{t('kb.noCategory')}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c, i18n.language)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="notice" role="status">
        {notice}
      </p>
      <div role="tablist" aria-label={t('kb.versions')} className="tabs">
        {LANGUAGES.map((l) => {
          const exists = base?.translations.find((r) => r.lang === l);
          return (
            <button
              key={l}
              type="button"
              role="tab"
              id={`${ids.tabs}-${l}`}
              aria-selected={l === active}
              aria-controls={`${ids.tabs}-panel`}
              tabIndex={l === active ? 0 : -1}
              className={`tab${l === active ? ' active' : ''}`}
              onClick={() => (setTab(l), setNotice(''))}
              onKeyDown={onTabKey}
            >
              {t(`languages.${l}`)}
              {exists ? ` · ${t(`kb.statuses.${exists.status}`)}` : ` · ${t('kb.missing')}`}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${ids.tabs}-panel`} aria-labelledby={`${ids.tabs}-${active}`} className="kb-panel">
        {ref && version.isPending ? (
          <p className="loading" role="status">{t('common.loading')}</p>
        ) : (
          <>
            {!article && <p className="muted">{isNew ? t('kb.startIn', { language: t(`languages.${active}`) }) : t('kb.addVersion', { language: t(`languages.${active}`) })}</p>}
            <TranslationForm
              key={`${active}-${article?.id ?? 'new'}`}
              lang={active}
              article={article}
              articleId={base?.articleId ?? null}
              categoryId={categoryId}
              canEdit={canEdit}
              onSaved={saved}
              onReload={reload}
            />
          </>
        )}
      </div>
    </section>
  );
}
