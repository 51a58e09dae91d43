// The workspace's business hours: a time zone (every zone this browser knows), open windows per
// weekday, and holiday dates. SLA clocks that use business hours only run inside them.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.ts';
import { useFormat } from '../../format.ts';
import { FormError, useSave } from './shared.tsx';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof WEEKDAYS)[number];
interface Window {
  start: string;
  end: string;
}
export interface BusinessHoursData {
  timeZone: string;
  week: Partial<Record<Weekday, Window[]>>;
  holidays: string[];
  updatedAt: string | null;
}

function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

/** A weekday's name in the reader's language (1 January 2024 was a Monday). */
function weekdayName(locale: string, index: number): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + index)));
}

const EMPTY_WEEK: Record<Weekday, Window[]> = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };

export function BusinessHours() {
  const { t } = useTranslation();
  // Kept here: the form is made anew from what was saved, and says so.
  const [justSaved, setJustSaved] = useState(false);
  const hours = useQuery({ queryKey: ['business-hours'], queryFn: async () => (await api<{ businessHours: BusinessHoursData | null }>('/api/v1/business-hours')).businessHours });
  if (hours.isPending) return <p className="muted">{t('common.loading')}</p>;
  if (hours.isError) return <p className="form-error">{t('common.loadFailed')}</p>;
  return <HoursForm key={hours.data?.updatedAt ?? 'new'} saved={hours.data} justSaved={justSaved} onSaved={setJustSaved} />;
}

function HoursForm({ saved, justSaved, onSaved }: { saved: BusinessHoursData | null; justSaved: boolean; onSaved: (saved: boolean) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const save = useSave();
  const ids = { zone: useId(), holiday: useId() };
  const [zone, setZone] = useState(saved?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [week, setWeek] = useState<Record<Weekday, Window[]>>(() => ({ ...EMPTY_WEEK, ...(saved?.week ?? { mon: [{ start: '09:00', end: '17:00' }], tue: [{ start: '09:00', end: '17:00' }], wed: [{ start: '09:00', end: '17:00' }], thu: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] }) }));
  const [holidays, setHolidays] = useState<string[]>(saved?.holidays ?? []);
  const [holiday, setHoliday] = useState('');

  const today = new Date().toISOString().slice(0, 10);
  const removeHoliday = (date: string) => setHolidays((hs) => hs.filter((x) => x !== date));
  const setWindow = (day: Weekday, i: number, part: keyof Window, value: string) =>
    setWeek((w) => ({ ...w, [day]: w[day].map((win, j) => (j === i ? { ...win, [part]: value } : win)) }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSaved(false);
    // A window that ends at midnight is entered as 00:00 and stored as 24:00.
    const body = {
      timeZone: zone,
      week: Object.fromEntries(WEEKDAYS.map((d) => [d, week[d].map((w) => ({ start: w.start, end: w.end === '00:00' ? '24:00' : w.end }))])),
      holidays,
    };
    const done = await save.run(() => api('/api/v1/business-hours', { method: 'PUT', body }));
    if (!done) return;
    onSaved(true);
    await client.invalidateQueries({ queryKey: ['business-hours'] });
  }

  return (
    <form onSubmit={submit} className="hours-form" aria-labelledby="hours-title">
      <h2 id="hours-title">{t('settings.hours.title')}</h2>
      <p className="muted">{t('settings.hours.help')}</p>
      <div className="field">
        <label htmlFor={ids.zone}>{t('settings.hours.timeZone')}</label>
        <select id={ids.zone} value={zone} onChange={(e) => setZone(e.target.value)} dir="ltr">
          {timeZones().map((z) => (
            <option key={z} value={z}>
              {z}
            </option>
          ))}
        </select>
      </div>
      <table className="data hours">
        <caption className="visually-hidden">{t('settings.hours.week')}</caption>
        <tbody>
          {WEEKDAYS.map((day, index) => {
            const name = weekdayName(format.locale, index);
            return (
              <tr key={day}>
                <th scope="row">{name}</th>
                <td>
                  {week[day].length === 0 && <span className="muted">{t('settings.hours.closed')}</span>}
                  {week[day].map((w, i) => (
                    <span key={i} className="window">
                      <input type="time" aria-label={t('settings.hours.opens', { day: name })} value={w.start} required onChange={(e) => setWindow(day, i, 'start', e.target.value)} />
                      <span aria-hidden="true">–</span>
                      <input type="time" aria-label={t('settings.hours.closes', { day: name })} value={w.end === '24:00' ? '00:00' : w.end} required onChange={(e) => setWindow(day, i, 'end', e.target.value)} />
                      <button type="button" onClick={() => setWeek((wk) => ({ ...wk, [day]: wk[day].filter((_, j) => j !== i) }))} aria-label={t('settings.hours.removeWindow', { day: name })}>
                        ✕
                      </button>
                    </span>
                  ))}
                </td>
                <td>
                  {week[day].length < 6 && (
                    <button type="button" onClick={() => setWeek((wk) => ({ ...wk, [day]: [...wk[day], { start: '09:00', end: '17:00' }] }))} aria-label={t('settings.hours.addWindowFor', { day: name })}>
                      {t('settings.hours.addWindow')}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h3>{t('settings.hours.holidays')}</h3>
      <div className="inline-form">
        <label htmlFor={ids.holiday}>{t('settings.hours.holidayDate')}</label>
        <input id={ids.holiday} type="date" value={holiday} onChange={(e) => setHoliday(e.target.value)} />
        <button
          type="button"
          disabled={!holiday}
          onClick={() => {
            setHolidays((h) => [...new Set([...h, holiday])].sort());
            setHoliday('');
          }}
        >
          {t('settings.hours.addHoliday')}
        </button>
      </div>
      {holidays.length === 0 ? (
        <p className="muted">{t('settings.hours.noHolidays')}</p>
      ) : (
        <>
          <Holidays dates={holidays.filter((h) => h >= today)} onRemove={removeHoliday} />
          {holidays.some((h) => h < today) && (
            <details>
              <summary>{t('settings.hours.pastHolidays', { count: holidays.filter((h) => h < today).length, n: format.number(holidays.filter((h) => h < today).length) })}</summary>
              <Holidays dates={holidays.filter((h) => h < today)} onRemove={removeHoliday} />
            </details>
          )}
        </>
      )}
      <p>
        <button type="submit" className="primary" disabled={save.busy}>
          {t('settings.hours.save')}
        </button>{' '}
        <span role="status" className="notice">
          {justSaved ? t('settings.hours.saved') : saved?.updatedAt ? t('settings.hours.lastSaved', { when: format.dateTime(saved.updatedAt) }) : ''}
        </span>
      </p>
      <FormError error={save.error} />
    </form>
  );
}

/** Holiday dates in the reader's language, each with a button that removes it. */
function Holidays({ dates, onRemove }: { dates: string[]; onRemove: (date: string) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const full = new Intl.DateTimeFormat(format.locale, { dateStyle: 'full', timeZone: 'UTC' });
  return (
    <ul className="chips">
      {dates.map((h) => {
        const label = full.format(new Date(`${h}T00:00:00Z`));
        return (
          <li key={h}>
            <time dateTime={h}>{label}</time>{' '}
            <button type="button" onClick={() => onRemove(h)} aria-label={t('settings.hours.removeHoliday', { date: label })}>
              ✕
            </button>
          </li>
        );
      })}
    </ul>
  );
}
