// Every save of a language version, newest first: open one to read it and see what changed
// against the current text (paragraph by paragraph), and bring it back as a new version.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { dirOf } from './kb-api.ts';
import type { KbArticle, KbRevision } from './kb-api.ts';

/** The text of each block of an HTML body. */
function paragraphs(html: string): string[] {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  const blocks = Array.from(doc.body.querySelectorAll('p, li, h1, h2, h3, h4, h5, h6, pre, blockquote, td'));
  const texts = (blocks.length ? blocks : [doc.body]).map((b) => b.textContent?.trim() ?? '');
  return texts.filter(Boolean);
}

/** A line diff by longest common subsequence: each paragraph kept, removed (only in the old) or added. */
export function diffParagraphs(before: string[], after: string[]): { kind: 'same' | 'removed' | 'added'; text: string }[] {
  const n = before.length;
  const m = after.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = before[i] === after[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: { kind: 'same' | 'removed' | 'added'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && before[i] === after[j]) {
      out.push({ kind: 'same', text: before[i]! });
      i += 1;
      j += 1;
    } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) out.push({ kind: 'added', text: after[j++]! });
    else out.push({ kind: 'removed', text: before[i++]! });
  }
  return out;
}

export function Revisions({ article, canEdit, dirty, onRestored }: { article: KbArticle; canEdit: boolean; dirty: boolean; onRestored: (a: KbArticle, notice: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [open, setOpen] = useState<number | null>(null);
  const [notice, setNotice] = useState('');
  const revisions = useQuery({
    queryKey: ['kb-revisions', article.id, article.version],
    queryFn: async () => (await api<{ data: KbRevision[] }>(`/api/v1/kb/articles/${article.id}/revisions`)).data,
  });
  const shown = revisions.data?.find((r) => r.revision === open) ?? null;
  const dir = dirOf(article.lang);

  async function restore(revision: KbRevision) {
    if (dirty && !window.confirm(t('kb.restoreDiscards'))) return;
    try {
      const restored = await api<KbArticle>(`/api/v1/kb/articles/${article.id}/revisions/${revision.revision}/restore`, {
        method: 'POST',
        headers: { 'if-match': `"${article.version}"` },
      });
      setNotice('');
      setOpen(null);
      onRestored(restored, t('kb.restored', { revision: revision.revision }));
    } catch (error) {
      setNotice(error instanceof ApiError && error.code === 'version_conflict' ? t('kb.conflictRestore') : t('common.saveFailed'));
    }
  }

  return (
    <section className="card kb-revisions" aria-labelledby={`revisions-${article.id}`}>
      <h3 id={`revisions-${article.id}`}>{t('kb.revisions')}</h3>
      <p className="notice" role="status">
        {notice}
      </p>
      <ol className="plain-list">
        {revisions.data?.map((r) => (
          <li key={r.revision} className="kb-revision">
            <span>
              {t('kb.revision', { revision: r.revision })} · <time dateTime={r.createdAt}>{format.dateTime(r.createdAt)}</time> ·{' '}
              {t(`kb.statuses.${r.status}`)}
              {r.note?.startsWith('restored') ? ` · ${t('kb.restoredNote')}` : ''}
              {r.revision === article.version ? ` · ${t('kb.current')}` : ''}
            </span>
            <button type="button" aria-expanded={open === r.revision} onClick={() => setOpen(open === r.revision ? null : r.revision)}>
              {t('kb.view')}
              <span className="visually-hidden"> {t('kb.revision', { revision: r.revision })}</span>
            </button>
            {canEdit && r.revision !== article.version && (
              <button type="button" onClick={() => void restore(r)}>
                {t('kb.restore')}
                <span className="visually-hidden"> {t('kb.revision', { revision: r.revision })}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
      {shown && (
        <div className="kb-revision-view" lang={article.lang}>
          <h4 dir={dir}>{shown.title}</h4>
          <div className="message-body" dir={dir} dangerouslySetInnerHTML={{ __html: shown.body }} />
          <h4>{t('kb.changes', { revision: shown.revision })}</h4>
          <ul className="kb-diff" dir={dir}>
            {diffParagraphs(paragraphs(shown.body), paragraphs(article.body)).map((d, i) => (
              <li key={i} className={`diff-${d.kind}`}>
                <span className="visually-hidden">{d.kind === 'same' ? '' : t(`kb.diff.${d.kind}`)} </span>
                {d.text}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
