// The agent's inbox: views, filters, search, keyboard (j/k, Enter, r, e, x, /), bulk changes.
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, query } from '../api.ts';
import { PriorityBadge, StatusBadge } from '../components/Badges.tsx';
import { RecoveryBadge, SlaBadge } from '../components/Sla.tsx';
import { useFormat } from '../format.ts';
import { useRefetchInterval, useUnread } from '../realtime.ts';
import { agentName, useAgents } from '../session.ts';
import { useUrlParams } from '../url-params.ts';
import { CHANNELS, PRIORITIES, STATUSES } from '../types.ts';
import type { Me, Page, Status, Ticket } from '../types.ts';

const VIEWS = ['mine', 'unassigned', 'team', 'slaAtRisk', 'recovery', 'all'] as const;
type View = (typeof VIEWS)[number];
const UNSOLVED = 'new,open,pending,on_hold';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function Inbox({ me }: { me: Me }) {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const client = useQueryClient();
  const agents = useAgents();
  const [params, updateParams] = useUrlParams();
  const teamId = me.agent?.teamIds[0] ?? null;
  const views = VIEWS.filter((v) => v !== 'team' || teamId);
  const view: View = (views as readonly string[]).includes(params.get('view') ?? '') ? (params.get('view') as View) : 'all';
  const status = params.get('status') ?? UNSOLVED;
  const priority = params.get('priority') ?? '';
  const channel = params.get('channel') ?? '';
  const q = params.get('q') ?? '';
  const [search, setSearch] = useState(q);
  const [current, setCurrent] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const tableRef = useRef<HTMLTableElement>(null);
  const ids = { status: useId(), priority: useId(), channel: useId(), search: useId(), bulkStatus: useId(), bulkAssignee: useId() };

  const filters = {
    status: status === 'any' ? undefined : status,
    priority,
    channel,
    q,
    assignee: view === 'mine' ? 'me' : view === 'unassigned' ? 'none' : undefined,
    team: view === 'team' ? (teamId ?? undefined) : undefined,
    sla: view === 'slaAtRisk' ? 'at_risk' : undefined,
    recovery: view === 'recovery' ? 'needed' : undefined,
  };
  const refetchInterval = useRefetchInterval(20_000);
  const unread = useUnread();
  const tickets = useInfiniteQuery({
    queryKey: ['tickets', filters],
    queryFn: ({ pageParam, signal }) =>
      api<Page<Ticket>>(`/api/v1/tickets${query({ ...filters, limit: 50, cursor: pageParam })}`, { signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Live events refresh the list; without the socket it polls quietly.
    refetchInterval,
  });
  const rows = useMemo(() => tickets.data?.pages.flatMap((p) => p.data) ?? [], [tickets.data]);

  const setParam = useCallback(
    (key: string, value: string) => {
      updateParams({ [key]: value });
      setCurrent(0);
      setSelected(new Set());
    },
    [updateParams],
  );

  const solve = useCallback(
    async (ticket: Ticket) => {
      try {
        await api<Ticket>(`/api/v1/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'solved', version: ticket.version } });
        setNotice(t('inbox.solved', { number: ticket.number }));
      } catch (error) {
        setNotice(error instanceof ApiError && error.status === 409 ? t('ticket.conflict') : t('inbox.cannotSolve', { number: ticket.number }));
      }
      await client.invalidateQueries({ queryKey: ['tickets'] });
    },
    [client, t],
  );

  const focusRow = useCallback((index: number) => {
    const link = tableRef.current?.querySelectorAll<HTMLAnchorElement>('tbody a.subject')[index];
    link?.focus();
  }, []);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      const ticket = rows[current];
      switch (event.key) {
        case 'j':
          event.preventDefault();
          setCurrent((c) => {
            const next = Math.min(c + 1, rows.length - 1);
            focusRow(next);
            return next;
          });
          break;
        case 'k':
          event.preventDefault();
          setCurrent((c) => {
            const next = Math.max(c - 1, 0);
            focusRow(next);
            return next;
          });
          break;
        case 'Enter':
          if (ticket && !(event.target instanceof HTMLAnchorElement) && !(event.target instanceof HTMLButtonElement)) {
            void navigate(`/tickets/${ticket.id}`);
          }
          break;
        case 'r':
          if (ticket) void navigate(`/tickets/${ticket.id}?reply=1`);
          break;
        case 'e':
          if (ticket) void solve(ticket);
          break;
        case 'x':
          if (ticket) {
            setSelected((s) => {
              const next = new Set(s);
              if (next.has(ticket.id)) next.delete(ticket.id);
              else next.add(ticket.id);
              return next;
            });
          }
          break;
        case '/':
          event.preventDefault();
          searchRef.current?.focus();
          break;
        default:
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rows, current, navigate, solve, focusRow]);

  async function bulk(change: { status?: Status; assigneeId?: string | null }) {
    const chosen = rows.filter((r) => selected.has(r.id));
    let done = 0;
    for (const ticket of chosen) {
      try {
        await api(`/api/v1/tickets/${ticket.id}`, { method: 'PATCH', body: { ...change, version: ticket.version } });
        done += 1;
      } catch {
        // Counted below: a ticket someone else changed, or a change its status forbids.
      }
    }
    setNotice(t('inbox.bulkDone', { done, total: chosen.length }));
    setSelected(new Set());
    await client.invalidateQueries({ queryKey: ['tickets'] });
  }

  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));

  return (
    <section className="page inbox">
      <header className="page-head">
        <h1>{t('inbox.title')}</h1>
        <div role="tablist" aria-label={t('inbox.views')} className="tabs">
          {views.map((v) => (
            <button
              key={v}
              type="button"
              role="tab"
              aria-selected={view === v}
              className={view === v ? 'tab active' : 'tab'}
              onClick={() => setParam('view', v === 'all' ? '' : v)}
            >
              {t(`inbox.view.${v}`)}
            </button>
          ))}
        </div>
      </header>

      <form
        className="filters"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setParam('q', search.trim());
        }}
      >
        <div className="field">
          <label htmlFor={ids.search}>{t('inbox.search')}</label>
          <input id={ids.search} ref={searchRef} type="search" value={search} dir="auto" onChange={(e) => setSearch(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.status}>{t('ticket.status')}</label>
          <select id={ids.status} value={status} onChange={(e) => setParam('status', e.target.value === UNSOLVED ? '' : e.target.value)}>
            <option value={UNSOLVED}>{t('inbox.unsolved')}</option>
            <option value="any">{t('inbox.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.priority}>{t('ticket.priority')}</label>
          <select id={ids.priority} value={priority} onChange={(e) => setParam('priority', e.target.value)}>
            <option value="">{t('inbox.any')}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.channel}>{t('ticket.channel')}</label>
          <select id={ids.channel} value={channel} onChange={(e) => setParam('channel', e.target.value)}>
            <option value="">{t('inbox.any')}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`channel.${c}`)}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">{t('inbox.searchButton')}</button>
      </form>

      {selected.size > 0 && (
        <div className="bulk" role="region" aria-label={t('inbox.bulk')}>
          <span>{t('inbox.selected', { count: selected.size })}</span>
          <label htmlFor={ids.bulkStatus}>{t('inbox.setStatus')}</label>
          <select
            id={ids.bulkStatus}
            value=""
            onChange={(e) => e.target.value && void bulk({ status: e.target.value as Status })}
          >
            <option value="">—</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
          <label htmlFor={ids.bulkAssignee}>{t('inbox.assignTo')}</label>
          <select
            id={ids.bulkAssignee}
            value=""
            onChange={(e) => e.target.value && void bulk({ assigneeId: e.target.value === 'none' ? null : e.target.value })}
          >
            <option value="">—</option>
            <option value="none">{t('ticket.unassigned')}</option>
            {agents.data
              ?.filter((a) => a.active)
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </select>
        </div>
      )}

      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>

      {tickets.isError && (
        <p role="alert" className="form-error">
          {t('common.loadFailed')}
        </p>
      )}

      <table className="tickets" ref={tableRef} aria-label={t('inbox.title')} aria-busy={tickets.isFetching}>
        <thead>
          <tr>
            <th scope="col" className="check">
              <input
                type="checkbox"
                aria-label={t('inbox.selectAll')}
                checked={allSelected}
                onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
              />
            </th>
            <th scope="col">{t('ticket.number')}</th>
            <th scope="col">{t('ticket.subject')}</th>
            <th scope="col">{t('ticket.customer')}</th>
            <th scope="col">{t('ticket.status')}</th>
            <th scope="col">{t('ticket.priority')}</th>
            <th scope="col">{t('sla.column')}</th>
            <th scope="col">{t('ticket.assignee')}</th>
            <th scope="col">{t('ticket.updated')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((ticket, index) => (
            <tr
              key={ticket.id}
              className={[index === current ? 'current' : '', unread.has(ticket.id) ? 'unread' : ''].filter(Boolean).join(' ') || undefined}
              aria-selected={selected.has(ticket.id)}
              data-ticket={ticket.number}
              onFocus={() => setCurrent(index)}
            >
              <td className="check">
                <input
                  type="checkbox"
                  aria-label={t('inbox.select', { number: ticket.number })}
                  checked={selected.has(ticket.id)}
                  onChange={() =>
                    setSelected((s) => {
                      const next = new Set(s);
                      if (next.has(ticket.id)) next.delete(ticket.id);
                      else next.add(ticket.id);
                      return next;
                    })
                  }
                />
              </td>
              <td className="num">#{format.number(ticket.number)}</td>
              <td>
                <Link className="subject" to={`/tickets/${ticket.id}`} dir="auto">
                  {ticket.subject}
                </Link>
                {unread.has(ticket.id) && <span className="badge unread-badge">{t('inbox.unread')}</span>}
              </td>
              <td dir="auto">{ticket.customer.name ?? ticket.customer.email}</td>
              <td>
                <StatusBadge status={ticket.status} />
              </td>
              <td>
                <PriorityBadge priority={ticket.priority} />
              </td>
              <td className="sla-cell">
                <SlaBadge sla={ticket.sla} /> <RecoveryBadge recovery={ticket.recovery} />
              </td>
              <td dir="auto">{agentName(agents.data, ticket.assigneeId) ?? <span className="muted">{t('ticket.unassigned')}</span>}</td>
              <td>
                <time dateTime={ticket.updatedAt} title={format.dateTime(ticket.updatedAt)}>
                  {format.relative(ticket.updatedAt)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!tickets.isPending && rows.length === 0 && <p className="empty">{t('inbox.empty')}</p>}
      {tickets.hasNextPage && (
        <button type="button" onClick={() => void tickets.fetchNextPage()} disabled={tickets.isFetchingNextPage}>
          {t('inbox.more')}
        </button>
      )}
      <p className="muted shortcuts">{t('inbox.shortcuts')}</p>
    </section>
  );
}
