// "Apply a macro" on the ticket: the workspace's active macros; applying one makes all of its
// changes at once on the server (reply, note, status, priority, tags, assignee), or none.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.ts';
import type { Ticket } from '../types.ts';

export interface MacroSummary {
  id: string;
  name: string;
  active: boolean;
  version: number;
  actions: Record<string, unknown>;
}

export function MacroPicker({ ticket, onApplied }: { ticket: Ticket; onApplied: (ticket: Ticket, notice: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const macros = useQuery({ queryKey: ['macros'], queryFn: () => api<{ data: MacroSummary[] }>('/api/v1/macros') });
  const [chosen, setChosen] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const list = macros.data?.data ?? [];
  if (list.length === 0) return null;

  async function apply() {
    const macro = list.find((m) => m.id === chosen);
    if (!macro) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api<Ticket>(`/api/v1/tickets/${ticket.id}/macros/${macro.id}`, { method: 'POST', body: { version: ticket.version } });
      setChosen('');
      onApplied(updated, t('macros.applied', { name: macro.name }));
    } catch (e) {
      setError(e instanceof ApiError && e.status === 409 ? t('ticket.conflict') : t('macros.failed', { message: e instanceof Error ? e.message : '' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="macro-picker">
      <label htmlFor={id}>{t('macros.apply')}</label>
      <select id={id} value={chosen} onChange={(e) => setChosen(e.target.value)}>
        <option value="">{t('macros.choose')}</option>
        {list.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={!chosen || busy} onClick={() => void apply()}>
        {t('macros.applyButton')}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
