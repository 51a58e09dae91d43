// What readers will see. Saved text is shown as the server stored it (its sanitiser decides);
// unsaved text is drawn live from an allow-list of tags as React elements, never as raw HTML.
import { createElement } from 'react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Lang } from '../../types.ts';
import { dirOf } from './kb-api.ts';

const ALLOWED = new Set([
  'p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'strong', 'b', 'em', 'i', 'u', 's', 'code', 'pre',
  'blockquote', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'span', 'div', 'sub', 'sup',
]);
const SAFE_URL = /^(https?:|mailto:|\/|#)/i;

function toReact(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  const children = Array.from(el.childNodes).map(toReact);
  if (!ALLOWED.has(tag)) return ['script', 'style', 'iframe', 'object', 'template'].includes(tag) ? null : <span key={key}>{children}</span>;
  const props: Record<string, string | number> = { key };
  const href = el.getAttribute('href');
  if (tag === 'a' && href && SAFE_URL.test(href)) Object.assign(props, { href, rel: 'noopener noreferrer', target: '_blank' });
  const src = el.getAttribute('src');
  if (tag === 'img' && src && /^https:/i.test(src)) Object.assign(props, { src, alt: el.getAttribute('alt') ?? '' });
  if (tag === 'img' && !props.src) return null;
  return ['br', 'hr', 'img'].includes(tag) ? createElement(tag, props) : createElement(tag, props, ...children);
}

/** Text without tags becomes paragraphs (blank lines) and line breaks, as the server does. */
export function livePreview(body: string): ReactNode {
  if (!/<[a-z!/]/i.test(body)) {
    return body
      .split(/\n\s*\n/)
      .filter((p) => p.trim())
      .map((p, i) => <p key={i}>{p.split('\n').flatMap((line, j) => (j ? [<br key={j} />, line] : [line]))}</p>);
  }
  const doc = new DOMParser().parseFromString(body, 'text/html');
  return Array.from(doc.body.childNodes).map(toReact);
}

export function Preview({ lang, draft, stored, saved }: { lang: Lang; draft: string; stored: string | null; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="card kb-preview" aria-label={t('kb.preview')}>
      <h3>{t('kb.preview')}</h3>
      <p className="muted">{saved ? t('kb.previewStored') : t('kb.previewLive')}</p>
      {saved ? (
        <div className="message-body" lang={lang} dir={dirOf(lang)} dangerouslySetInnerHTML={{ __html: stored ?? '' }} />
      ) : (
        <div className="message-body" lang={lang} dir={dirOf(lang)}>
          {livePreview(draft)}
        </div>
      )}
    </section>
  );
}
