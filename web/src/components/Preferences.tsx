// Language and theme switchers: applied at once, and saved on the signed-in agent.
import { useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useLocation } from 'react-router';
import { api } from '../api.ts';
import { isLang, unpinLanguage } from '../i18n/index.ts';
import { applyTheme, storedTheme } from '../theme.ts';
import { LANGUAGES, THEMES } from '../types.ts';
import type { Lang, Me, Theme } from '../types.ts';

/** Each language is named in itself, so anyone can find their own. */
export const LANGUAGE_NAMES: Record<Lang, string> = { en: 'English', el: 'Ελληνικά', ar: 'العربية' };

export function LanguageSwitcher({ remember }: { remember: boolean }) {
  const { t, i18n } = useTranslation();
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const id = useId();

  async function change(lang: Lang) {
    unpinLanguage();
    await i18n.changeLanguage(lang);
    // A ?lang= in the address would override the choice on the next load: drop it.
    const params = new URLSearchParams(location.search);
    if (params.has('lang')) {
      params.delete('lang');
      const search = params.toString();
      void navigate({ pathname: location.pathname, search: search ? `?${search}` : '' }, { replace: true });
    }
    if (remember) {
      const preferences = await api<Me['preferences']>('/api/v1/me', { method: 'PATCH', body: { locale: lang } });
      client.setQueryData<Me | null>(['me'], (me) => (me ? { ...me, preferences } : me));
    }
  }

  return (
    <div className="switcher">
      <label htmlFor={id}>{t('prefs.language')}</label>
      <select id={id} value={i18n.language} onChange={(e) => isLang(e.target.value) && void change(e.target.value)}>
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {LANGUAGE_NAMES[lang]}
          </option>
        ))}
      </select>
    </div>
  );
}

export function ThemeSwitcher({ me }: { me: Me }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const id = useId();
  const current = me.preferences?.theme ?? storedTheme();

  async function change(theme: Theme) {
    applyTheme(theme);
    if (!me.agent) return;
    const preferences = await api<Me['preferences']>('/api/v1/me', { method: 'PATCH', body: { theme } });
    client.setQueryData<Me | null>(['me'], (old) => (old ? { ...old, preferences } : old));
  }

  return (
    <div className="switcher">
      <label htmlFor={id}>{t('prefs.theme')}</label>
      <select id={id} value={current} onChange={(e) => void change(e.target.value as Theme)}>
        {THEMES.map((theme) => (
          <option key={theme} value={theme}>
            {t(`prefs.themes.${theme}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
