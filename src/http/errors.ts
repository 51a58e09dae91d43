// Every failure leaves as { error: { code, message } } with a fitting status. Bad input is
// always a 4xx; only a fault of ours is a 500, and its details go to the log, not the client.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { AppError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** JSON bodies must be valid UTF-8 and valid JSON; anything else is a 400 before any handler runs. */
export function parseJsonStrict(
  _request: FastifyRequest,
  body: Buffer | string,
  done: (error: Error | null, value?: unknown) => void,
): void {
  let textBody: string;
  try {
    textBody = typeof body === 'string' ? body : utf8.decode(body);
  } catch {
    done(new AppError(400, 'invalid_encoding', 'The request body is not valid UTF-8'));
    return;
  }
  if (textBody.trim() === '') {
    done(null, undefined);
    return;
  }
  try {
    done(null, JSON.parse(textBody));
  } catch (error) {
    done(new AppError(400, 'invalid_json', `The request body is not valid JSON: ${(error as Error).message}`));
  }
}

const FASTIFY_CODES: Record<string, { status: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'payload_too_large', message: 'The request body is too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_request',
    message: 'Content-Length does not match the body',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The JSON body is empty' },
};

/**
 * Requests Fastify refuses before any route runs, in our shape too (its own is a different
 * JSON): a path that is not valid percent-encoding (`/s/ws/%FF`), a path segment longer than
 * the router keeps. Passed as Fastify's `frameworkErrors` option.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.status(414).send({ error: { code: 'bad_request', message: 'A part of the URL path is too long' } });
  } else if (error.code === 'FST_ERR_BAD_URL') {
    void reply.status(400).send({ error: { code: 'bad_request', message: 'The URL path is not valid percent-encoded UTF-8' } });
  } else {
    reply.log.error({ err: error }, 'framework error');
    void reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on our side' } });
  }
}

/**
 * For a WebSocket route's preValidation: a request that is not an upgrade gets a clear 426
 * (@fastify/websocket's own answer to it is an empty 404).
 */
export function requireWebSocketUpgrade(request: FastifyRequest): void {
  if (String(request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
    throw new AppError(426, 'bad_request', 'This is a WebSocket endpoint: connect with Upgrade: websocket', undefined, { upgrade: 'websocket' });
  }
}

/**
 * Errors on an open WebSocket (@fastify/websocket's errorHandler). A frame the client got wrong
 * (not UTF-8, over maxPayload, a bad opcode: ws codes WS_ERR_*) or a connection it dropped is not
 * a fault of ours: ws has already started the close with the fitting code (1007, 1009, 1002), so
 * it is logged at info and ws finishes the closing handshake. The plugin's default logged every
 * one as an error and cut the socket, so any visitor could fill the error log.
 */
export function webSocketErrorHandler(error: Error & { code?: string }, socket: WebSocket, request: FastifyRequest): void {
  if (error.code?.startsWith('WS_ERR_') || error.code === 'ECONNRESET' || error.code === 'EPIPE') {
    request.log.info({ err: error }, 'websocket: the client broke the protocol or the connection');
    return;
  }
  request.log.error({ err: error }, 'websocket: connection failed');
  socket.terminate();
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    if (error instanceof AppError) {
      if (error.headers) reply.headers(error.headers);
      return reply.status(error.status).send({
        error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      });
    }
    const known = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (known) return reply.status(known.status).send({ error: { code: known.code, message: known.message } });
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ error: { code: 'bad_request', message: error.message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on our side' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  );
}
