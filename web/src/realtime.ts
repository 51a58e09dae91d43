// Live updates over the agents' WebSocket (/api/v1/realtime): events carry ids, so each one
// marks the matching queries stale and TanStack Query refetches what is on screen. The socket
// reconnects with backoff; while it is down, the screens' own polling keeps them fresh
// (useRefetchInterval: no polling while the socket is live). New tickets and customer messages
// on tickets this agent does not have open are remembered as unread until the ticket is opened.
import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';

export interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
}

type Listener = (event: LiveEvent) => void;
type Status = 'connecting' | 'live' | 'offline';

// Which ticket this agent has open, kept here: a screen's effect runs before the Shell's opens the
// socket, which sends it as soon as it is open.
let presence: { ticketId: string | null; activity: 'viewing' | 'typing' | null } = { ticketId: null, activity: null };
let presenceSentAt = 0;
/** The server turns "typing" back into "viewing" after 8 s without a repeat. */
const TYPING_REPEAT_MS = 4000;

class RealtimeConnection {
  private socket: WebSocket | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private listeners = new Set<Listener>();

  constructor(private readonly client: QueryClient) {}

  start(): void {
    this.closed = false;
    this.open();
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
    setStatus('offline');
  }

  private setStatus(next: Status): void {
    setStatus(next);
  }

  private open(): void {
    const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/v1/realtime`;
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.retry = 0;
      this.setStatus('live');
      this.sendPresence();
    });
    socket.addEventListener('message', (message) => {
      let parsed: { type?: string; event?: LiveEvent } | null;
      try {
        parsed = JSON.parse(String(message.data)) as { type?: string; event?: LiveEvent };
      } catch {
        return;
      }
      if (parsed?.type === 'event' && parsed.event) this.dispatch(parsed.event);
      // The server lost track of what we missed: refresh everything on screen.
      if (parsed?.type === 'resync') void this.client.invalidateQueries();
    });
    socket.addEventListener('close', () => {
      if (this.socket === socket) this.socket = null;
      if (!this.closed) {
        this.setStatus('offline');
        this.scheduleReconnect();
      }
    });
  }

  private scheduleReconnect(): void {
    clearTimeout(this.timer);
    const delay = Math.min(30_000, 1000 * 2 ** this.retry) * (0.75 + Math.random() / 2);
    this.retry += 1;
    this.timer = setTimeout(() => {
      if (!this.closed) {
        // Coming back: what happened meanwhile is unknown.
        void this.client.invalidateQueries();
        this.open();
      }
    }, delay);
  }

  private dispatch(event: LiveEvent): void {
    const ticketId = typeof event.data.ticketId === 'string' ? event.data.ticketId : undefined;
    const unread = event.type === 'ticket.created' || (event.type === 'message.created' && event.data.kind === 'customer');
    if (unread && ticketId && ticketId !== presence.ticketId) markUnread(ticketId);
    if (event.type.startsWith('ticket.') || event.type.startsWith('message.')) {
      void this.client.invalidateQueries({ queryKey: ['tickets'] });
      if (ticketId) {
        void this.client.invalidateQueries({ queryKey: ['ticket', ticketId] });
        void this.client.invalidateQueries({ queryKey: ['messages', ticketId] });
      }
    }
    if (event.type === 'notification.created') void this.client.invalidateQueries({ queryKey: ['notifications'] });
    if (event.type === 'presence.changed' && ticketId) void this.client.invalidateQueries({ queryKey: ['presence', ticketId] });
    for (const l of this.listeners) l(event);
  }

  sendPresence(): void {
    if (this.socket?.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type: 'presence', ...presence }));
    presenceSentAt = Date.now();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

}

let connection: RealtimeConnection | null = null;

// The socket's state, kept outside the connection so screens can subscribe before it opens.
let status: Status = 'offline';
const statusListeners = new Set<() => void>();
function setStatus(next: Status): void {
  if (status === next) return;
  status = next;
  for (const l of statusListeners) l();
}
function subscribeStatus(listener: () => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}

// Tickets with something new for this agent, for this browser tab's session.
const UNREAD_KEY = 'truthdesk.unread';
function loadUnread(): ReadonlySet<string> {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(UNREAD_KEY) ?? '[]');
    return new Set(Array.isArray(saved) ? saved.filter((v): v is string => typeof v === 'string') : []);
  } catch {
    return new Set();
  }
}
let unread: ReadonlySet<string> = loadUnread();
const unreadListeners = new Set<() => void>();
function setUnread(next: ReadonlySet<string>): void {
  unread = next;
  try {
    sessionStorage.setItem(UNREAD_KEY, JSON.stringify([...next].slice(-500)));
  } catch {
    // Storage full or disabled: the markers last until the page is reloaded.
  }
  for (const l of unreadListeners) l();
}
function markUnread(ticketId: string): void {
  if (!unread.has(ticketId)) setUnread(new Set([...unread, ticketId]));
}
/** The agent opened the ticket: nothing on it is unread any more. */
export function markRead(ticketId: string): void {
  if (!unread.has(ticketId)) return;
  const next = new Set(unread);
  next.delete(ticketId);
  setUnread(next);
}
export function useUnread(): ReadonlySet<string> {
  return useSyncExternalStore(
    (listener) => {
      unreadListeners.add(listener);
      return () => unreadListeners.delete(listener);
    },
    () => unread,
  );
}

/** Opens the socket for the signed-in agent (once), and closes it when they sign out. */
export function useRealtimeConnection(enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    connection = new RealtimeConnection(client);
    connection.start();
    return () => {
      connection?.stop();
      connection = null;
    };
  }, [enabled, client]);
}

export function useLiveStatus(): Status {
  return useSyncExternalStore(subscribeStatus, () => status);
}

/** How often a screen polls: never while the socket is live (events refresh it), else every `ms`. */
export function useRefetchInterval(ms: number): number | false {
  return useLiveStatus() === 'live' ? false : ms;
}

/** Tells the other agents which ticket this agent has open, and whether they are typing (call it on each keystroke). */
export function setPresence(ticketId: string | null, activity: 'viewing' | 'typing' | null): void {
  const same = presence.ticketId === ticketId && presence.activity === activity;
  if (same && (activity !== 'typing' || Date.now() - presenceSentAt < TYPING_REPEAT_MS)) return;
  presence = { ticketId, activity };
  connection?.sendPresence();
}
