// A message body is kept twice: as plain text (search, notifications, exports) and as
// sanitised HTML (display). Whatever an author sends, the HTML we store is safe to render.
import { decodeHTML } from 'entities';
import sanitizeHtml from 'sanitize-html';

const ALLOWED_TAGS = [
  'p', 'br', 'div', 'span', 'b', 'strong', 'i', 'em', 'u', 's', 'blockquote', 'pre', 'code',
  'ul', 'ol', 'li', 'a', 'h1', 'h2', 'h3', 'h4', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'img',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: {
    a: ['href', 'title', 'dir', 'rel', 'target'],
    img: ['src', 'alt', 'width', 'height'],
    '*': ['dir', 'lang'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https', 'cid'] },
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
};

export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, SANITIZE);
}

const BLOCK_END = /<\/(p|div|li|h[1-6]|tr|blockquote|pre)>|<br\s*\/?>/gi;

/** Plain text of an HTML body: block ends become line breaks, tags and entities go. */
export function htmlToText(html: string): string {
  const withBreaks = html.replace(BLOCK_END, (m) => m + '\n');
  const stripped = sanitizeHtml(withBreaks, { allowedTags: [], allowedAttributes: {} });
  return decodeHTML(stripped)
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** HTML for a plain-text body: paragraphs with dir="auto" so Arabic lines render right-to-left. */
export function textToHtml(text: string): string {
  return text
    .split(/\n{2,}/)
    .map((para) => `<p dir="auto">${escapeHtml(para).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

export interface MessageBody {
  text: string;
  html: string;
}

export function messageBody(input: { text?: string; html?: string }): MessageBody {
  if (input.html !== undefined && input.html.trim() !== '') {
    // Stored text is NFC whichever way it arrives (entities such as &#769; can decompose it).
    const html = sanitizeMessageHtml(input.html.normalize('NFC'));
    return { html, text: input.text?.trim() || htmlToText(html).normalize('NFC') };
  }
  const text = input.text ?? '';
  return { text, html: textToHtml(text) };
}
