// Knowledge-base articles related to the ticket (its subject and the customer's latest message,
// in the customer's language), beside the reply editor: title, language and the matching
// passage; "Insert link" puts the article's public portal link into the reply.
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import type { Lang } from '../types.ts';

export interface SuggestedArticle {
  id: string;
  articleId: string;
  lang: Lang;
  title: string;
  slug: string;
  snippet: string;
  url?: string;
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
const decode = (s: string) => s.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e] ?? e);

/** The server's snippet is escaped text with <mark> around the matching words: rendered as text and <mark>, nothing else. */
export function Highlighted({ html }: { html: string }) {
  const parts: ReactNode[] = [];
  const re = /<mark>(.*?)<\/mark>/g;
  let at = 0;
  for (const m of html.matchAll(re)) {
    parts.push(decode(html.slice(at, m.index)));
    parts.push(<mark key={m.index}>{decode(m[1] ?? '')}</mark>);
    at = m.index + m[0].length;
  }
  parts.push(decode(html.slice(at)));
  return <>{parts}</>;
}

export function SuggestedArticles({ ticketId, onInsert }: { ticketId: string; onInsert: (article: SuggestedArticle & { url: string }) => void }) {
  const { t } = useTranslation();
  const titleId = useId();
  const suggestions = useQuery({
    queryKey: ['suggested-articles', ticketId],
    queryFn: async () => (await api<{ results: SuggestedArticle[] }>(`/api/v1/tickets/${ticketId}/suggested-articles?limit=5`)).results,
    staleTime: 60_000,
  });
  return (
    <section className="card suggestions" aria-labelledby={titleId}>
      <h2 id={titleId}>{t('suggest.title')}</h2>
      {suggestions.isPending && <p className="muted">{t('common.loading')}</p>}
      {suggestions.isError && <p className="muted">{t('common.loadFailed')}</p>}
      {suggestions.data?.length === 0 && <p className="muted">{t('suggest.none')}</p>}
      {suggestions.data && suggestions.data.length > 0 && (
        <ul className="plain-list suggestion-list">
          {suggestions.data.map((a) => (
            <li key={a.id}>
              <div className="suggestion-head">
                {a.url ? (
                  <a href={a.url} target="_blank" rel="noopener noreferrer" className="suggestion-title" lang={a.lang} dir="auto">
                    {a.title}
                  </a>
                ) : (
                  <strong lang={a.lang} dir="auto">
                    {a.title}
                  </strong>
                )}
                <span className="badge">
                  {t(`languages.${a.lang}`)}
                </span>
              </div>
              <p className="snippet muted" lang={a.lang} dir="auto">
                <Highlighted html={a.snippet} />
              </p>
              {a.url && (
                <button type="button" onClick={() => onInsert({ ...a, url: a.url as string })} aria-label={t('suggest.insertNamed', { title: a.title })}>
                  {t('suggest.insert')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
