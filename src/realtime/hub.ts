// The realtime hub of one process: it LISTENs on the database and hands each committed event
// to this process's subscribers of that workspace (WebSocket connections, the chat widget).
//
// On PostgreSQL it holds one dedicated connection outside the pool (a pooled connection
// would be handed to someone else between queries and lose the LISTEN), and reconnects with
// backoff if it drops, telling subscribers to resynchronise since events may have been missed.
// On PGlite, which is in-process, NOTIFY reaches PGlite's own `listen` callback at commit.
import type { Logger } from 'pino';
import pg from 'pg';
import type { Database } from '../db/connection.ts';
import { decodeEvent, REALTIME_CHANNEL } from './events.ts';
import type { DeliveredEvent } from './events.ts';

export type Subscriber = (event: DeliveredEvent) => void;

export interface HubOptions {
  logger?: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** First reconnection delay on PostgreSQL; doubles up to 30 s. */
  reconnectDelayMs?: number;
}

const quietLogger = { warn: () => undefined, error: () => undefined, info: () => undefined };

export class RealtimeHub {
  private readonly byWorkspace = new Map<string, Set<Subscriber>>();
  private readonly resyncListeners = new Set<() => void>();
  private client: pg.Client | undefined;
  private stopPglite: (() => Promise<void>) | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly logger: NonNullable<HubOptions['logger']>;
  /** Events received, for tests and metrics. */
  delivered = 0;

  constructor(
    private readonly database: Database,
    private readonly options: HubOptions = {},
  ) {
    this.logger = options.logger ?? quietLogger;
  }

  async start(): Promise<void> {
    if (this.database.pglite) {
      this.stopPglite = await this.database.pglite.listen(REALTIME_CHANNEL, (payload) => this.dispatch(payload));
      return;
    }
    await this.connect(0, true);
  }

  private async connect(attempt: number, throwOnFailure = false): Promise<void> {
    const client = new pg.Client(this.database.pool.options);
    client.on('notification', (message) => {
      if (message.channel === REALTIME_CHANNEL && message.payload !== undefined) this.dispatch(message.payload);
    });
    const lost = (error?: Error) => {
      if (this.client !== client || this.stopped) return;
      this.client = undefined;
      this.logger.warn({ err: error }, 'realtime: lost the LISTEN connection; reconnecting');
      client.end().catch(() => undefined);
      this.scheduleReconnect(0);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${REALTIME_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      if (throwOnFailure) throw error;
      this.scheduleReconnect(attempt + 1);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.hasEverConnected;
    this.hasEverConnected = true;
    this.client = client;
    if (reconnected) {
      this.logger.info('realtime: LISTEN connection restored');
      for (const listener of this.resyncListeners) listener();
    }
  }

  private hasEverConnected = false;

  private scheduleReconnect(attempt: number): void {
    if (this.stopped || this.reconnectTimer) return;
    const base = this.options.reconnectDelayMs ?? 250;
    const delay = Math.min(30_000, base * 2 ** attempt);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect(attempt);
    }, delay);
    this.reconnectTimer.unref();
  }

  private dispatch(payload: string): void {
    const event = decodeEvent(payload);
    if (!event) {
      this.logger.warn({ payload: payload.slice(0, 200) }, 'realtime: ignored a malformed event');
      return;
    }
    this.delivered++;
    const subscribers = this.byWorkspace.get(event.workspaceId);
    if (!subscribers) return;
    for (const subscriber of [...subscribers]) {
      try {
        subscriber(event);
      } catch (error) {
        this.logger.error({ err: error }, 'realtime: a subscriber failed');
      }
    }
  }

  /** Receives every committed event of one workspace, from any process; returns the unsubscribe. */
  subscribe(workspaceId: string, subscriber: Subscriber): () => void {
    let set = this.byWorkspace.get(workspaceId);
    if (!set) {
      set = new Set();
      this.byWorkspace.set(workspaceId, set);
    }
    set.add(subscriber);
    return () => {
      const current = this.byWorkspace.get(workspaceId);
      current?.delete(subscriber);
      if (current?.size === 0) this.byWorkspace.delete(workspaceId);
    };
  }

  /** Called after the LISTEN connection came back: events in the gap may be missing. */
  onResync(listener: () => void): () => void {
    this.resyncListeners.add(listener);
    return () => this.resyncListeners.delete(listener);
  }

  subscriberCount(workspaceId?: string): number {
    if (workspaceId) return this.byWorkspace.get(workspaceId)?.size ?? 0;
    let n = 0;
    for (const set of this.byWorkspace.values()) n += set.size;
    return n;
  }

  /** For tests: drops the LISTEN connection as a network failure would. */
  simulateConnectionLoss(): void {
    this.client?.emit('error', new Error('simulated connection loss'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.byWorkspace.clear();
    this.resyncListeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
    await this.stopPglite?.().catch(() => undefined);
  }
}
