// The per-connection flood gate (src/domain/socket-flood.ts) on a live WebSocket: a refused
// frame is answered with the sockets' usual error frame (code too_many_requests, like the chat
// widget's own limits, which the widget shows as "please wait N s"), the first refusal of a
// connection is logged once at warn, and past the hard ceiling the socket is closed with 1008.
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { FrameGate } from '../domain/socket-flood.ts';
import type { FloodRule } from '../domain/socket-flood.ts';

/** The close reason (at most 123 bytes), for the client's logs. */
export const FLOOD_CLOSE_REASON = 'too many messages on this connection (flood limit)';

export interface FloodGuard {
  /** Call first for every frame; when false the frame was refused or dropped and must not be handled. */
  admit(): boolean;
  /** Call once a frame admit() let through has been handled. */
  done(): void;
}

/** `send` is the socket's own JSON sender (sendJson in ./routes.ts: it also drops a client that does not read). */
export function floodGuard(
  socket: WebSocket,
  send: (message: unknown) => void,
  log: FastifyBaseLogger,
  rule: FloodRule,
  context: Record<string, unknown>,
): FloodGuard {
  const gate = new FrameGate(rule);
  return {
    admit() {
      const verdict = gate.offer(Date.now());
      if (verdict.kind === 'take') return true;
      if (verdict.kind === 'refuse') {
        if (verdict.first) {
          log.warn({ ...context, limit: rule }, 'websocket: client sends too many messages; refusing frames over the per-connection limit');
        }
        send({
          type: 'error',
          code: 'too_many_requests',
          message: `Too many messages on this connection; wait ${verdict.retryAfterSeconds} s before sending more`,
          retryAfterSeconds: verdict.retryAfterSeconds,
        });
      } else if (verdict.kind === 'close') {
        log.info(context, 'websocket: closing a connection that kept sending after being refused');
        socket.close(1008, FLOOD_CLOSE_REASON);
      }
      return false;
    },
    done: () => gate.done(),
  };
}
