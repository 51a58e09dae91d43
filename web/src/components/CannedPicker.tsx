// The canned-response picker beside the reply editor: search by name or text (in any language),
// then insert one rendered for this ticket — in the customer's language, variables filled.
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';

interface Canned {
  id: string;
  name: string;
  category: 'general' | 'apology';
  bodies: Partial<Record<'en' | 'el' | 'ar', string>>;
  locales: ('en' | 'el' | 'ar')[];
}
export interface RenderedCanned {
  cannedResponseId: string;
  name: string;
  locale: 'en' | 'el' | 'ar';
  text: string;
  missing: string[];
}

/** Lower-case without accents, so "καλημερα" finds "Καλημέρα". */
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();

export function CannedPicker({ ticketId, onInsert }: { ticketId: string; onInsert: (rendered: RenderedCanned) => void }) {
  const { t } = useTranslation();
  const ids = { panel: useId(), search: useId() };
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState('');
  const [error, setError] = useState(false);
  const canned = useQuery({
    queryKey: ['canned-responses'],
    queryFn: async () => (await api<{ data: Canned[] }>('/api/v1/canned-responses')).data,
    enabled: open,
    staleTime: 60_000,
  });
  const q = fold(search.trim());
  const matches = (canned.data ?? []).filter((c) => !q || fold(c.name).includes(q) || Object.values(c.bodies).some((b) => b && fold(b).includes(q)));

  async function insert(id: string) {
    setError(false);
    try {
      onInsert(await api<RenderedCanned>(`/api/v1/tickets/${ticketId}/canned-responses/${id}`));
      setOpen(false);
      setSearch('');
    } catch {
      setError(true);
    }
  }

  return (
    <div className="canned">
      <button type="button" aria-expanded={open} aria-controls={ids.panel} onClick={() => setOpen(!open)}>
        {t('canned.open')}
      </button>
      {open && (
        <div id={ids.panel} className="canned-panel card" role="group" aria-label={t('canned.title')}>
          <label htmlFor={ids.search}>{t('canned.search')}</label>
          <input
            id={ids.search}
            type="search"
            dir="auto"
            value={search}
            autoFocus
            onChange={(e) => setSearch(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') setOpen(false);
              if (e.key === 'Enter') {
                e.preventDefault();
                if (matches[0]) void insert(matches[0].id);
              }
            }}
          />
          {canned.isPending && <p className="muted">{t('common.loading')}</p>}
          {canned.isError && <p className="form-error">{t('common.loadFailed')}</p>}
          {canned.data && matches.length === 0 && <p className="muted">{t('canned.none')}</p>}
          <ul className="canned-list">
            {matches.map((c) => (
              <li key={c.id}>
                <button type="button" className="link-button" onClick={() => void insert(c.id)}>
                  <span dir="auto">{c.name}</span>
                </button>{' '}
                <span className="muted">{c.locales.map((l) => t(`languages.${l}`)).join(' · ')}</span>
              </li>
            ))}
          </ul>
          {error && <p className="form-error">{t('canned.failed')}</p>}
        </div>
      )}
    </div>
  );
}
