// GET /api/v1/realtime — the agents' WebSocket. Authenticated like every API route (session
// cookie in the browser, `Authorization: Bearer` elsewhere) before the upgrade; afterwards it
// streams the caller's workspace events, and only those its role may see.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { can } from '../domain/roles.ts';
import { SOCKET_FLOOD_LIMITS } from '../domain/socket-flood.ts';
import { authenticate } from '../http/auth-hook.ts';
import { requireWebSocketUpgrade } from '../http/errors.ts';
import { actingAgentId } from '../shared/context.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { newId } from '../shared/ids.ts';
import type { DeliveredEvent } from './events.ts';
import { floodGuard } from './flood-guard.ts';

export const REALTIME_PATH = '/api/v1/realtime';

/** Credentials are checked again this often, so a revoked token or ended session is cut off. */
const REAUTH_MS = 60_000;
/** A socket that answers no ping within this long is considered gone. */
const HEARTBEAT_MS = 30_000;
/** A client that does not read its events is disconnected rather than buffered forever. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

declare module 'fastify' {
  interface FastifyRequest {
    realtimeCtx?: WorkspaceContext;
  }
}

/** Hooks a connection can extend (presence uses these). */
export interface AgentConnection {
  /** Unique per socket (the presence row's id). */
  id: string;
  ctx: WorkspaceContext;
  agentId: string | null;
  socket: WebSocket;
  send(message: unknown): void;
}

export type AgentMessageHandler = (connection: AgentConnection, message: Record<string, unknown>) => Promise<boolean> | boolean;

export interface RealtimeRouteOptions {
  /** Extra message types (e.g. presence); return true when handled. */
  onMessage?: AgentMessageHandler[];
  /** Awaited before "ready" is sent. */
  onOpen?: ((connection: AgentConnection) => Promise<void>)[];
  onClose?: ((connection: AgentConnection) => void)[];
  /** Every heartbeat (30 s) while the socket is alive. */
  onHeartbeat?: ((connection: AgentConnection) => void)[];
}

export function sendJson(socket: WebSocket, message: unknown): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
    socket.close(1013, 'too slow: reconnect');
    return;
  }
  socket.send(JSON.stringify(message));
}

export function visibleTo(ctx: WorkspaceContext, event: DeliveredEvent): boolean {
  return (
    event.workspaceId === ctx.workspaceId &&
    can(ctx.actor.role, event.permission ?? 'tickets:work') &&
    (event.agentId === undefined || event.agentId === actingAgentId(ctx.actor))
  );
}

export function realtimeRoutes(app: FastifyInstance, options: RealtimeRouteOptions = {}): void {
  const authenticateRequest = async (request: FastifyRequest) => {
    requireWebSocketUpgrade(request);
    request.realtimeCtx = await authenticate(app, request, 'tickets:work');
  };
  app.get(REALTIME_PATH, { websocket: true, preValidation: authenticateRequest }, (socket, request) => {
    const ctx = request.realtimeCtx;
    if (!ctx) {
      socket.close(1008, 'unauthenticated');
      return;
    }
    const connection: AgentConnection = {
      id: newId(),
      ctx,
      agentId: actingAgentId(ctx.actor),
      socket,
      send: (message) => sendJson(socket, message),
    };
    const unsubscribe = app.realtime.subscribe(ctx.workspaceId, (event) => {
      if (visibleTo(ctx, event)) connection.send({ type: 'event', event });
    });
    const unResync = app.realtime.onResync(() => connection.send({ type: 'resync' }));

    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    const heartbeat = setInterval(() => {
      if (!alive) {
        socket.terminate();
        return;
      }
      alive = false;
      socket.ping();
      for (const hook of options.onHeartbeat ?? []) hook(connection);
    }, HEARTBEAT_MS);
    const reauth = setInterval(() => {
      authenticate(app, request, 'tickets:work').catch(() => socket.close(4401, 'credentials revoked or expired'));
    }, REAUTH_MS);
    heartbeat.unref();
    reauth.unref();

    // Frames over the per-connection limit are refused before they are even parsed.
    const flood = floodGuard(socket, connection.send, request.log, SOCKET_FLOOD_LIMITS.agent, {
      socket: 'realtime',
      workspaceId: ctx.workspaceId,
      agentId: connection.agentId,
      connectionId: connection.id,
    });
    socket.on('message', (raw, isBinary) => {
      if (!flood.admit()) return;
      void (async () => {
        let message: Record<string, unknown>;
        try {
          if (isBinary) throw new Error('binary');
          const parsed: unknown = JSON.parse(raw.toString());
          if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
          message = parsed as Record<string, unknown>;
        } catch {
          connection.send({ type: 'error', code: 'invalid_message', message: 'Send JSON objects with a "type"' });
          return;
        }
        if (message.type === 'ping') {
          connection.send({ type: 'pong' });
          return;
        }
        for (const handler of options.onMessage ?? []) {
          try {
            if (await handler(connection, message)) return;
          } catch (error) {
            const status = (error as { status?: number }).status;
            if (status && status < 500) {
              connection.send({ type: 'error', code: (error as { code?: string }).code ?? 'bad_request', message: (error as Error).message });
            } else {
              request.log.error({ err: error }, 'realtime: message handler failed');
              connection.send({ type: 'error', code: 'internal_error', message: 'Something went wrong on our side' });
            }
            return;
          }
        }
        connection.send({ type: 'error', code: 'unknown_type', message: `Unknown message type ${JSON.stringify(message.type)}` });
      })().finally(flood.done);
    });

    socket.on('close', () => {
      clearInterval(heartbeat);
      clearInterval(reauth);
      unsubscribe();
      unResync();
      for (const hook of options.onClose ?? []) hook(connection);
    });
    void (async () => {
      for (const hook of options.onOpen ?? []) {
        try {
          await hook(connection);
        } catch (error) {
          request.log.error({ err: error }, 'realtime: opening hook failed');
        }
      }
      connection.send({ type: 'ready', workspaceId: ctx.workspaceId, agentId: connection.agentId, role: ctx.actor.role });
    })();
  });
}
