// The knowledge base for agents and editors: every language version of every article, filtered
// by category, status and language, a search over the published ones, and the categories.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, query } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { LANGUAGES } from '../../types.ts';
import type { Lang, Me } from '../../types.ts';
import { useUrlParams } from '../../url-params.ts';
import { Categories } from './Categories.tsx';
import { KbReport } from './KbReport.tsx';
import { canEditKb, categoryName, dirOf, KB_STATUSES, useCategories } from './kb-api.ts';
import type { KbArticle, KbSearchHit } from './kb-api.ts';

export default function KbList({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const [params, updateParams] = useUrlParams();
  const categories = useCategories();
  const ids = { category: useId(), status: useId(), language: useId(), q: useId() };
  const filters = { categoryId: params.get('category') ?? '', status: params.get('status') ?? '', lang: params.get('language') ?? '' };
  const q = params.get('q') ?? '';
  const [typed, setTyped] = useState(q);

  const articles = useInfiniteQuery({
    queryKey: ['kb-articles', filters],
    queryFn: ({ pageParam }) => api<{ data: KbArticle[]; nextCursor: string | null }>(`/api/v1/kb/articles${query({ ...filters, limit: 50, cursor: pageParam })}`),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: !q,
  });
  const search = useQuery({
    queryKey: ['kb-search', q, filters.lang],
    queryFn: () => api<{ results: KbSearchHit[]; didYouMean: string | null }>(`/api/v1/kb/search${query({ q, lang: filters.lang, limit: 50, drafts: 'true' })}`),
    enabled: Boolean(q),
  });

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    updateParams({ q: typed.trim() || null });
  }

  const rows = articles.data?.pages.flatMap((p) => p.data) ?? [];
  const byId = new Map((categories.data ?? []).map((c) => [c.id, c]));

  return (
    <section aria-labelledby="kb-title">
      <div className="page-head">
        <h1 id="kb-title">{t('kb.title')}</h1>
        {canEditKb(me) && (
          <Link className="button primary" to="/kb/articles/new">
            {t('kb.newArticle')}
          </Link>
        )}
      </div>
      <form className="filters" role="search" onSubmit={submitSearch}>
        <div className="field">
          <label htmlFor={ids.q}>{t('kb.search')}</label>
          <input id={ids.q} type="search" value={typed} onChange={(e) => setTyped(e.target.value)} dir="auto" />
        </div>
        <button type="submit">{t('kb.searchButton')}</button>
        <div className="field">
          <label htmlFor={ids.category}>{t('kb.category')}</label>
          <select id={ids.category} value={filters.categoryId} onChange={(e) => updateParams({ category: e.target.value })} disabled={Boolean(q)}>
            <option value="">{t('kb.allCategories')}</option>
            {(categories.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {categoryName(c, i18n.language)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('kb.status')}</label>
          <select id={ids.status} value={filters.status} onChange={(e) => updateParams({ status: e.target.value })} disabled={Boolean(q)}>
            <option value="">{t('kb.allStatuses')}</option>
            {KB_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`kb.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.language}>{t('kb.language')}</label>
          <select id={ids.language} value={filters.lang} onChange={(e) => updateParams({ language: e.target.value })}>
            <option value="">{t('kb.allLanguages')}</option>
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`languages.${l}`)}
              </option>
            ))}
          </select>
        </div>
      </form>

      {q ? (
        <div className="card" aria-live="polite">
          <div className="card-head">
            <h2>{t('kb.results', { q })}</h2>
            <button type="button" onClick={() => (setTyped(''), updateParams({ q: null }))}>
              {t('kb.clearSearch')}
            </button>
          </div>
                    {search.data?.didYouMean && <p>{t('kb.didYouMean', { q: search.data.didYouMean })}</p>}
          {search.isPending && <p role="status">{t('common.loading')}</p>}
          {search.data && search.data.results.length === 0 && <p className="empty">{t('kb.noResults')}</p>}
          <ul className="plain-list kb-results">
            {search.data?.results.map((hit) => (
              <li key={hit.id} lang={hit.lang} dir={dirOf(hit.lang)}>
                <Link to={`/kb/articles/${hit.id}`} className="subject">
                  {/* The server escapes the title and marks the matching words. */}
                  <span dangerouslySetInnerHTML={{ __html: hit.titleHighlighted }} />
                </Link>
                {hit.status === 'draft' && <span className="badge kb-draft">{t('kb.statuses.draft')}</span>}
                <p className="snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <table className="tickets kb-articles">
          <caption className="visually-hidden">{t('kb.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('kb.articleTitle')}</th>
              <th scope="col">{t('kb.language')}</th>
              <th scope="col">{t('kb.status')}</th>
              <th scope="col">{t('kb.category')}</th>
              <th scope="col">{t('kb.updated')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td lang={a.lang} dir={dirOf(a.lang)}>
                  <Link className="subject" to={`/kb/articles/${a.id}`}>
                    {a.title}
                  </Link>
                </td>
                <td>{t(`languages.${a.lang as Lang}`)}</td>
                <td>
                  <span className={`badge kb-${a.status}`}>{t(`kb.statuses.${a.status}`)}</span>
                </td>
                <td>{a.categoryId ? categoryName(byId.get(a.categoryId), i18n.language) : '—'}</td>
                <td className="num">{format.dateTime(a.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {!q && articles.isPending && <p role="status">{t('common.loading')}</p>}
      {!q && articles.data && rows.length === 0 && <p className="empty">{t('kb.noArticles')}</p>}
      {!q && articles.hasNextPage && (
        <button type="button" onClick={() => void articles.fetchNextPage()} disabled={articles.isFetchingNextPage}>
          {t('kb.more')}
        </button>
      )}
      {me.role !== 'agent' && <KbReport />}
      <Categories canEdit={canEditKb(me)} />
    </section>
  );
}
