// The notifications bell in the sidebar: how many @mentions are unread (kept live by the
// notification.created event), the latest ones with a link to their ticket, and mark-read.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useFormat } from '../format.ts';
import { useRefetchInterval } from '../realtime.ts';

interface Notification {
  id: string;
  kind: 'mention';
  ticket: { id: string; number: number; subject: string } | null;
  by: { id: string; name: string } | null;
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

export function NotificationsBell() {
  const { t } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const notifications = useQuery({
    queryKey: ['notifications'],
    queryFn: () => api<{ data: Notification[]; unreadCount: number }>('/api/v1/notifications?limit=20'),
    refetchInterval: useRefetchInterval(60_000),
  });
  const markRead = useMutation({
    mutationFn: (ids?: string[]) => api('/api/v1/notifications/read', { method: 'POST', body: ids ? { ids } : {} }),
    onSettled: () => client.invalidateQueries({ queryKey: ['notifications'] }),
  });
  const unread = notifications.data?.unreadCount ?? 0;

  return (
    <div className="bell">
      <button type="button" aria-expanded={open} aria-controls={panelId} onClick={() => setOpen(!open)} data-testid="bell">
        {t('notifications.title')}
        {unread > 0 && <span className="bell-count"> {t('notifications.unread', { count: unread, n: format.number(unread) })}</span>}
      </button>
      {open && (
        <div id={panelId} className="bell-panel card" role="group" aria-label={t('notifications.title')}>
          {notifications.data && notifications.data.data.length === 0 && <p className="muted">{t('notifications.none')}</p>}
          <ul>
            {notifications.data?.data.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
                {n.ticket ? (
                  <Link
                    to={`/tickets/${n.ticket.id}`}
                    onClick={() => {
                      if (!n.readAt) markRead.mutate([n.id]);
                      setOpen(false);
                    }}
                  >
                    {t('notifications.mention', { name: n.by?.name ?? t('ticket.agent'), number: format.number(n.ticket.number) })}
                  </Link>
                ) : (
                  t('notifications.mention', { name: n.by?.name ?? t('ticket.agent'), number: '' })
                )}
                <span className="excerpt" dir="auto">
                  {n.excerpt}
                </span>
                <time className="muted" dateTime={n.createdAt}>
                  {format.relative(n.createdAt)}
                </time>
              </li>
            ))}
          </ul>
          {unread > 0 && (
            <button type="button" onClick={() => markRead.mutate(undefined)} disabled={markRead.isPending}>
              {t('notifications.markAll')}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
