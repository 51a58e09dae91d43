// Live updates over the agents' WebSocket (/api/v1/realtime): events carry ids, so each one
// marks the matching queries stale and TanStack Query refetches what is on screen. The socket
// reconnects with backoff; while it is down, the screens' own polling keeps them fresh.
import { useQueryClient } from '@tanstack/react-query';
import type { QueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';

export interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
}

type Listener = (event: LiveEvent) => void;
type Status = 'connecting' | 'live' | 'offline';

class RealtimeConnection {
  private socket: WebSocket | null = null;
  private retry = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private listeners = new Set<Listener>();
  private statusListeners = new Set<() => void>();
  private presence: { ticketId: string | null; activity: 'viewing' | 'typing' | null } = { ticketId: null, activity: null };
  status: Status = 'connecting';

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
  }

  private setStatus(status: Status): void {
    this.status = status;
    for (const l of this.statusListeners) l();
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
    if (event.type.startsWith('ticket.') || event.type.startsWith('message.')) {
      void this.client.invalidateQueries({ queryKey: ['tickets'] });
      if (ticketId) {
        void this.client.invalidateQueries({ queryKey: ['ticket', ticketId] });
        void this.client.invalidateQueries({ queryKey: ['messages', ticketId] });
      }
    }
    if (event.type === 'presence.changed' && ticketId) void this.client.invalidateQueries({ queryKey: ['presence', ticketId] });
    for (const l of this.listeners) l(event);
  }

  /** Tells the other agents which ticket this agent has open, and whether they are typing. */
  setPresence(ticketId: string | null, activity: 'viewing' | 'typing' | null): void {
    if (this.presence.ticketId === ticketId && this.presence.activity === activity) return;
    this.presence = { ticketId, activity };
    this.sendPresence();
  }

  private sendPresence(): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'presence', ...this.presence }));
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  subscribeStatus(listener: () => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }
}

let connection: RealtimeConnection | null = null;

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
  return useSyncExternalStore(
    (listener) => connection?.subscribeStatus(listener) ?? (() => undefined),
    () => connection?.status ?? 'offline',
  );
}

export function setPresence(ticketId: string | null, activity: 'viewing' | 'typing' | null): void {
  connection?.setPresence(ticketId, activity);
}
