// Numbers, percentages and dates in the reader's language, with Intl.
import { useTranslation } from 'react-i18next';

const LOCALES: Record<string, string> = { en: 'en-GB', el: 'el-GR', ar: 'ar' };

export function intlLocale(lang: string): string {
  return LOCALES[lang] ?? 'en-GB';
}

export function useFormat() {
  const { i18n } = useTranslation();
  const locale = intlLocale(i18n.language);
  const number = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const decimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const month = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' });
  const list = new Intl.ListFormat(locale, { type: 'unit', style: 'short' });
  return {
    locale,
    number: (n: number) => number.format(n),
    decimal: (n: number) => decimal.format(n),
    percent: (n: number | null) => (n === null ? '—' : percent.format(n)),
    dateTime: (iso: string) => dateTime.format(new Date(iso)),
    date: (iso: string) => date.format(new Date(iso)),
    list: (items: string[]) => list.format(items),
    month: (yyyyMm: string) => month.format(new Date(`${yyyyMm}-01T00:00:00Z`)),
    /** "5 min ago", "in 2 h": the nearest sensible unit. */
    relative: (iso: string, now: number = Date.now()) => {
      const seconds = (new Date(iso).getTime() - now) / 1000;
      const abs = Math.abs(seconds);
      if (abs < 60) return relative.format(Math.round(seconds), 'second');
      if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute');
      if (abs < 86_400) return relative.format(Math.round(seconds / 3600), 'hour');
      if (abs < 30 * 86_400) return relative.format(Math.round(seconds / 86_400), 'day');
      return date.format(new Date(iso));
    },
  };
}
