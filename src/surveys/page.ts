// The public answer page: server-rendered, no sign-in, in the customer's language (Arabic is
// right-to-left), a plain HTML form that works without JavaScript and with a screen reader:
// the scale is a radio group in a fieldset whose legend is the question.
import { escapeUTF8 } from 'entities';
import { SCALES, type SurveyMetric } from '../domain/survey-metrics.ts';
import {
  SCALE_ENDS, commentPromptText, localise, questionText, type SurveyDefinition, type SurveyLocale,
} from '../domain/surveys.ts';
import { PAGE_STRINGS } from './texts.ts';

const esc = (s: string): string => escapeUTF8(s);

function layout(locale: SurveyLocale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale}" dir="${locale === 'ar' ? 'rtl' : 'ltr'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,'DejaVu Sans',sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
fieldset{border:0;padding:0;margin:0 0 1.5rem}legend{font-weight:600;margin-block-end:.75rem}
.scale{display:flex;flex-wrap:wrap;gap:.25rem}.scale label{display:inline-flex;flex-direction:column;align-items:center;min-width:2.75rem;
padding:.4rem;border:1px solid #888;border-radius:.3rem;cursor:pointer}.scale input:focus-visible+span{outline:3px solid #1a5fb4}
.ends{display:flex;justify-content:space-between;font-size:.9rem;color:#444}textarea{width:100%;min-height:6rem}
button{padding:.6rem 1.4rem;font-size:1rem}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}[role=alert]{color:#a51d2d}</style></head>
<body><main>${body}</main></body></html>`;
}

export function messagePage(locale: SurveyLocale, key: 'thanks' | 'expired' | 'answered' | 'invalid' | 'error'): string {
  const t = PAGE_STRINGS[locale];
  return layout(locale, t.title as string, `<h1>${esc(t.title as string)}</h1><p ${key === 'thanks' ? 'role="status"' : 'role="alert"'}>${esc(t[key] as string)}</p>`);
}

function scaleFieldset(name: string, legend: string, min: number, max: number, ends: [string, string] | null, required: boolean): string {
  const options: string[] = [];
  for (let v = min; v <= max; v++) {
    options.push(`<label><input type="radio" name="${name}" value="${v}"${required ? ' required' : ''}><span>${v}</span></label>`);
  }
  const endsHtml = ends ? `<div class="ends" aria-hidden="true"><span>${esc(ends[0])}</span><span>${esc(ends[1])}</span></div>` : '';
  const described = ends ? ` aria-describedby="${name}-ends"` : '';
  const hint = ends ? `<p id="${name}-ends" class="sr">${esc(`${min} = ${ends[0]}, ${max} = ${ends[1]}`)}</p>` : '';
  return `<fieldset${described}><legend>${esc(legend)}</legend><div class="scale">${options.join('')}</div>${endsHtml}${hint}</fieldset>`;
}

export function surveyPage(locale: SurveyLocale, def: SurveyDefinition, action: string, problem?: string): string {
  const t = PAGE_STRINGS[locale];
  const parts: string[] = [`<h1>${esc(t.title as string)}</h1>`];
  if (problem) parts.push(`<p role="alert">${esc(t[problem] ?? problem)}</p>`);
  parts.push(`<form method="post" action="${esc(action)}">`);
  if (def.type !== 'custom') {
    const { min, max } = SCALES[def.type as SurveyMetric];
    parts.push(scaleFieldset('score', questionText(def, locale), min, max, SCALE_ENDS[def.type as SurveyMetric][locale], true));
  } else {
    for (const q of def.questions) {
      const name = `q_${q.id}`;
      const label = localise(q.text, locale);
      if (q.kind === 'scale') parts.push(scaleFieldset(name, label, q.min, q.max, null, Boolean(q.required)));
      else if (q.kind === 'choice') {
        const opts = q.options.map((o) => `<label><input type="radio" name="${esc(name)}" value="${esc(o.value)}"${q.required ? ' required' : ''}> ${esc(localise(o.text, locale))}</label><br>`).join('');
        parts.push(`<fieldset><legend>${esc(label)}</legend>${opts}</fieldset>`);
      } else {
        parts.push(`<p><label for="${esc(name)}">${esc(label)}</label><br><textarea id="${esc(name)}" name="${esc(name)}" maxlength="5000" dir="auto"${q.required ? ' required' : ''}></textarea></p>`);
      }
    }
  }
  parts.push(`<p><label for="comment">${esc(commentPromptText(def, locale))}</label><br><textarea id="comment" name="comment" maxlength="5000" dir="auto"></textarea></p>`);
  parts.push(`<p><label><input type="checkbox" name="publishComment" value="true"> ${esc(t.publish as string)}</label></p>`);
  parts.push(`<button type="submit">${esc(t.send as string)}</button></form>`);
  return layout(locale, t.title as string, parts.join('\n'));
}
