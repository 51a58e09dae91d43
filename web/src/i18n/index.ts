// Translations (en, el, ar) with i18next. The language decides the document's lang and dir:
// Arabic lays the whole app out right-to-left (the CSS uses logical properties only).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Lang } from '../types.ts';
import { LANGUAGES } from '../types.ts';
import ar from './ar.json';
import el from './el.json';
import en from './en.json';

export const catalogues = { en, el, ar };

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

const fromQuery = new URLSearchParams(window.location.search).get('lang');
/** The ?lang= this page was opened with: it wins over the agent's saved language until they choose another. */
let pinned: Lang | null = isLang(fromQuery) ? fromQuery : null;

export function pinnedLanguage(): Lang | null {
  return pinned;
}

export function unpinLanguage(): void {
  pinned = null;
}

/** ?lang= wins; otherwise the language the server chose for the page (Accept-Language). */
export function initialLanguage(): Lang {
  if (pinned) return pinned;
  const fromPage = document.documentElement.lang;
  return isLang(fromPage) ? fromPage : 'en';
}

export function applyDocumentLanguage(lang: Lang): void {
  document.documentElement.lang = lang;
  document.documentElement.dir = lang === 'ar' ? 'rtl' : 'ltr';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, el: { translation: el }, ar: { translation: ar } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
applyDocumentLanguage(i18n.language as Lang);
i18n.on('languageChanged', (lng) => {
  if (isLang(lng)) applyDocumentLanguage(lng);
});

export default i18n;
