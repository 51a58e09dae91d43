// Merge a ticket into another, and split messages out into a new ticket — each behind a modal
// dialog that says exactly what will move before anything does. Banners on a merged or split
// ticket link to the ticket it went into, or came from.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError, query } from '../api.ts';
import { useFormat } from '../format.ts';
import type { Message, Page, Ticket } from '../types.ts';

/** A native modal dialog, open while mounted: focus moves in, Escape closes, focus returns. */
function Modal({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement as HTMLElement | null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={ref} className="modal card" aria-labelledby={titleId} onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}>
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}

function errorText(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError && error.status === 409) return t('ticket.conflict');
  if (error instanceof ApiError && error.status === 422) return t('merge.refused');
  return t('common.saveFailed');
}

export function MergeDialog({ ticket, messageCount, onClose, onMerged }: { ticket: Ticket; messageCount: number; onClose: () => void; onMerged: (result: { ticket: Ticket; merged: Ticket }) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const ids = { search: useId(), results: useId(), different: useId() };
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<Ticket | null>(null);
  const [different, setDifferent] = useState(false);
  const found = useQuery({
    queryKey: ['merge-candidates', q],
    queryFn: async () =>
      (await api<Page<Ticket>>(`/api/v1/tickets${query({ q, status: 'new,open,pending,on_hold,solved', limit: 10 })}`)).data.filter((c) => c.id !== ticket.id),
    enabled: q.trim().length > 0,
  });
  const merge = useMutation({
    mutationFn: (into: Ticket) =>
      api<{ ticket: Ticket; merged: Ticket }>(`/api/v1/tickets/${ticket.id}/merge`, {
        method: 'POST',
        body: { into: into.id, ...(different ? { allowDifferentCustomers: true } : {}) },
      }),
    onSuccess: onMerged,
  });
  const otherCustomer = chosen !== null && chosen.customer.id !== ticket.customer.id;

  function search(event: FormEvent) {
    event.preventDefault();
    setChosen(null);
    setQ(text.trim());
  }

  return (
    <Modal title={t('merge.title', { number: format.number(ticket.number) })} onClose={onClose}>
      <form className="inline-form" role="search" onSubmit={search}>
        <label htmlFor={ids.search}>{t('merge.search')}</label>
        <input id={ids.search} type="search" dir="auto" value={text} onChange={(e) => setText(e.target.value)} autoFocus />
        <button type="submit">{t('merge.find')}</button>
      </form>
      {found.isFetching && <p role="status">{t('common.loading')}</p>}
      {found.data && found.data.length === 0 && <p role="status">{t('merge.noneFound')}</p>}
      {found.data && found.data.length > 0 && (
        <fieldset className="merge-results">
          <legend>{t('merge.results')}</legend>
          {found.data.map((c) => (
            <label key={c.id} className="merge-result">
              <input type="radio" name={ids.results} checked={chosen?.id === c.id} onChange={() => {
                  setChosen(c);
                  setDifferent(false);
                }} />
              <span>
                #{format.number(c.number)} · <bdi>{c.subject}</bdi>
                <span className="muted">
                  {' · '}
                  <bdi>{c.customer.name ?? c.customer.email}</bdi> · {t(`status.${c.status}`)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {chosen && (
        <div className="merge-confirm" data-testid="merge-confirm">
          <p>
            {t('merge.confirm', {
              source: format.number(ticket.number),
              target: format.number(chosen.number),
              subject: chosen.subject,
              count: messageCount,
            })}
          </p>
          <p className="muted">{t('merge.final', { source: format.number(ticket.number) })}</p>
          {otherCustomer && (
            <label className="check-label">
              <input type="checkbox" checked={different} onChange={(e) => setDifferent(e.target.checked)} />
              {t('merge.differentCustomers', { customer: chosen.customer.name ?? chosen.customer.email ?? '' })}
            </label>
          )}
        </div>
      )}
      {merge.isError && (
        <p role="alert" className="form-error">
          {errorText(merge.error, t)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t('merge.cancel')}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!chosen || (otherCustomer && !different) || merge.isPending}
          onClick={() => chosen && merge.mutate(chosen)}
        >
          {chosen ? t('merge.submit', { number: format.number(chosen.number) }) : t('merge.submitNone')}
        </button>
      </div>
    </Modal>
  );
}

export function SplitDialog({
  ticket,
  message,
  messages,
  onClose,
  onSplit,
}: {
  ticket: Ticket;
  message: Message;
  messages: Message[];
  onClose: () => void;
  onSplit: (result: { ticket: Ticket; source: Ticket }) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const ids = { subject: useId(), scope: useId() };
  const [subject, setSubject] = useState(ticket.subject);
  const [scope, setScope] = useState<'one' | 'later'>('one');
  const index = messages.findIndex((m) => m.id === message.id);
  const count = scope === 'one' ? 1 : messages.length - index;
  const leavesNothing = count >= messages.length;
  const split = useMutation({
    mutationFn: () =>
      api<{ ticket: Ticket; source: Ticket }>(`/api/v1/tickets/${ticket.id}/split`, {
        method: 'POST',
        body: { ...(scope === 'one' ? { messageIds: [message.id] } : { fromMessageId: message.id }), ...(subject.trim() ? { subject: subject.trim() } : {}) },
      }),
    onSuccess: onSplit,
  });
  return (
    <Modal title={t('split.title')} onClose={onClose}>
      <blockquote className="split-quote" dir="auto">
        {message.text.length > 280 ? `${message.text.slice(0, 280)}…` : message.text}
      </blockquote>
      <fieldset>
        <legend>{t('split.scope')}</legend>
        <label className="check-label">
          <input type="radio" name={ids.scope} checked={scope === 'one'} onChange={() => setScope('one')} />
          {t('split.onlyThis')}
        </label>
        {index < messages.length - 1 && (
          <label className="check-label">
            <input type="radio" name={ids.scope} checked={scope === 'later'} onChange={() => setScope('later')} />
            {t('split.andLater', { count: messages.length - index })}
          </label>
        )}
      </fieldset>
      <div className="field">
        <label htmlFor={ids.subject}>{t('split.subject')}</label>
        <input id={ids.subject} dir="auto" value={subject} maxLength={300} onChange={(e) => setSubject(e.target.value)} />
      </div>
      <p>{leavesNothing ? t('split.leavesNothing') : t('split.confirm', { count, number: format.number(ticket.number) })}</p>
      {split.isError && (
        <p role="alert" className="form-error">
          {errorText(split.error, t)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t('merge.cancel')}
        </button>
        <button type="button" className="primary" disabled={leavesNothing || split.isPending || !subject.trim()} onClick={() => split.mutate()}>
          {t('split.submit')}
        </button>
      </div>
    </Modal>
  );
}

/** "Merged into #N" or "Split from #N", linking there. */
export function LineageBanner({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const format = useFormat();
  const otherId = ticket.mergedIntoId ?? ticket.splitFromId;
  const other = useQuery({
    queryKey: ['ticket', otherId],
    queryFn: () => api<Ticket>(`/api/v1/tickets/${otherId}`),
    enabled: Boolean(otherId),
  });
  if (!otherId) return null;
  const label = other.data ? `#${format.number(other.data.number)} · ${other.data.subject}` : t('merge.thatTicket');
  return (
    <p className={ticket.mergedIntoId ? 'lineage lineage-merged' : 'lineage lineage-split'} role="note" data-testid="lineage">
      {ticket.mergedIntoId ? t('merge.banner') : t('split.banner')}{' '}
      <Link to={`/tickets/${otherId}`} dir="auto">
        {label}
      </Link>
    </p>
  );
}
