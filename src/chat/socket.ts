// The public side of live chat: GET /widget.js (the embeddable script) and the visitors'
// WebSocket GET /api/v1/widget/ws?key=<public key>. Authenticated by the widget's public key
// only (it can do nothing but chat), limited per key and address.
import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Locale } from '../customers/service.ts';
import { takeToken } from '../domain/rate-limit.ts';
import type { Bucket, BucketRule } from '../domain/rate-limit.ts';
import { SOCKET_FLOOD_LIMITS } from '../domain/socket-flood.ts';
import { requireWebSocketUpgrade } from '../http/errors.ts';
import { email, locale as localeSchema, text } from '../http/schemas.ts';
import { availableAgentCount } from '../presence/service.ts';
import { publish } from '../realtime/events.ts';
import { floodGuard } from '../realtime/flood-guard.ts';
import { sendJson } from '../realtime/routes.ts';
import { AppError } from '../shared/errors.ts';
import { answerWidgetSurvey, pendingWidgetSurvey } from '../surveys/service.ts';
import { publicSurvey } from '../surveys/routes.ts';
import type { SurveyLocale } from '../domain/surveys.ts';
import { chatLine, leaveOfflineMessage, resumeOrStartVisitor, transcript, visitorSays, widgetByKey } from './service.ts';
import type { Visitor } from './service.ts';

export const WIDGET_SOCKET_PATH = '/api/v1/widget/ws';

/** Per public key and client address; generous for people, tight for scripts. */
export const WIDGET_LIMITS: Record<'connect' | 'message' | 'typing' | 'offline' | 'survey', BucketRule> = {
  connect: { capacity: 10, perSecond: 10 / 60 },
  survey: { capacity: 10, perSecond: 1 / 6 },
  message: { capacity: 20, perSecond: 1 / 3 },
  typing: { capacity: 20, perSecond: 1 },
  offline: { capacity: 3, perSecond: 3 / 3600 },
};

const widgetScript = readFileSync(new URL('./widget.js', import.meta.url), 'utf8');

const helloMessage = z.strictObject({ type: z.literal('hello'), token: z.string().max(100).optional(), lang: localeSchema.optional() });
const chatMessage = z.strictObject({ type: z.literal('message'), text: text({ min: 1, max: 5000 }), clientId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/) });
const typingMessage = z.strictObject({ type: z.literal('typing'), typing: z.boolean() });
const surveyAnswerMessage = z.strictObject({
  type: z.literal('survey_answer'),
  invitationId: z.uuid(),
  score: z.number().int(),
  comment: text({ max: 5000 }).optional(),
  publishComment: z.boolean().optional(),
});
const offlineMessage = z.strictObject({
  type: z.literal('offline'),
  name: text({ min: 1, max: 200 }),
  email,
  message: text({ min: 1, max: 5000 }),
});

class Limiter {
  private readonly buckets = new Map<string, Bucket>();
  take(kind: keyof typeof WIDGET_LIMITS, id: string, now = Date.now()): { allowed: boolean; retryAfterSeconds: number } {
    const key = `${kind}|${id}`;
    const result = takeToken(this.buckets.get(key), WIDGET_LIMITS[kind], now);
    this.buckets.set(key, result.bucket);
    if (this.buckets.size > 50_000) {
      // Full buckets carry no information: forget the oldest half rather than grow without end.
      let n = 0;
      for (const k of this.buckets.keys()) {
        if (n++ > 25_000) break;
        this.buckets.delete(k);
      }
    }
    return result;
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    chatWidget?: { id: string; workspace_id: string; public_key: string };
  }
}

function rateLimited(retryAfterSeconds: number, what: string): AppError {
  return new AppError(429, 'too_many_requests', `Too many ${what} from this address for this widget; retry in ${retryAfterSeconds} s`, { retryAfterSeconds });
}

export function chatWidgetRoutes(app: FastifyInstance): void {
  const limiter = new Limiter();

  app.get('/widget.js', async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .send(widgetScript),
  );

  const checkWidget = async (request: FastifyRequest) => {
    requireWebSocketUpgrade(request);
    const key = (request.query as { key?: unknown }).key;
    if (typeof key !== 'string' || !/^cw_[A-Za-z0-9_-]{10,60}$/.test(key)) {
      throw new AppError(400, 'validation_failed', 'Invalid query.key: the widget\'s public key (data-key) is required');
    }
    const widget = await widgetByKey(app.database.db, key);
    if (!widget) throw new AppError(404, 'not_found', 'No active chat widget has this key');
    const origin = request.headers.origin;
    if (widget.allowed_origins.length > 0 && (!origin || !widget.allowed_origins.includes(origin))) {
      throw new AppError(403, 'forbidden', 'This widget may not be embedded on this site (origin not allowed)');
    }
    const limit = limiter.take('connect', `${key}|${request.ip}`);
    if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'connections');
    request.chatWidget = widget;
  };

  app.get(WIDGET_SOCKET_PATH, { websocket: true, preValidation: checkWidget }, (socket: WebSocket, request) => {
    const widget = request.chatWidget;
    if (!widget) {
      socket.close(1008, 'no widget');
      return;
    }
    const db = app.database.db;
    const limitId = `${widget.public_key}|${request.ip}`;
    const send = (message: unknown) => sendJson(socket, message);
    const fail = (error: unknown) => {
      if (error instanceof AppError && error.status < 500) {
        send({ type: 'error', code: error.code, message: error.message, ...((error.details as object | undefined) ?? {}) });
      } else {
        request.log.error({ err: error }, 'chat widget: message failed');
        send({ type: 'error', code: 'internal_error', message: 'Something went wrong on our side' });
      }
    };
    let visitor: Visitor | undefined;
    let locale: Locale | null = null;
    let online: boolean | undefined;
    let unsubscribe: (() => void) | undefined;
    // One message at a time per socket, in order (the first creates the ticket).
    let queue: Promise<void> = Promise.resolve();

    const refreshAvailability = async () => {
      const now = (await availableAgentCount(db, widget.workspace_id)) > 0;
      if (now !== online) {
        online = now;
        send({ type: 'availability', online: now });
      }
    };

    // A survey waiting for this visitor's customer (e.g. their chat was just solved) is shown in
    // the widget: pushed after the welcome and whenever their ticket is solved.
    let surveyShown: string | null = null;
    const offerSurvey = async () => {
      const v = visitor;
      if (!v?.customerId) return;
      const pending = await pendingWidgetSurvey(db, widget.workspace_id, { customerId: v.customerId, ticketId: v.ticketId });
      if (!pending || pending.invitationId === surveyShown) return;
      surveyShown = pending.invitationId;
      const lang = (locale ?? 'en') as SurveyLocale;
      send({ type: 'survey', invitationId: pending.invitationId, survey: publicSurvey(lang, pending.definition, pending.expiresAt) });
    };

    const onEvent = (event: { type: string; data: Record<string, unknown> }) => {
      if (!visitor) return;
      const v = visitor;
      if (event.type === 'ticket.updated' && event.data.ticketId === v.ticketId && event.data.status === 'solved') {
        queue = queue.then(offerSurvey).catch(fail);
        return;
      }
      if (event.type === 'message.created' && event.data.ticketId === v.ticketId && typeof event.data.messageId === 'string') {
        const messageId = event.data.messageId;
        queue = queue.then(async () => {
          const line = await chatLine(db, v, messageId);
          if (line) send({ type: 'message', ...line });
        }).catch(fail);
      } else if (event.type === 'presence.changed' && event.data.ticketId === v.ticketId) {
        send({ type: 'typing', typing: event.data.activity === 'typing' });
      } else if (event.type === 'agent.online' || event.type === 'agent.offline' || event.type === 'agent.status') {
        queue = queue.then(refreshAvailability).catch(fail);
      }
    };

    const handle = async (message: Record<string, unknown>) => {
      if (message.type === 'hello') {
        const hello = parse(helloMessage, message);
        if (visitor) return;
        locale = hello.lang ?? null;
        const started = await resumeOrStartVisitor(db, widget, hello.token, locale);
        visitor = started.visitor;
        unsubscribe = app.realtime.subscribe(widget.workspace_id, onEvent);
        online = (await availableAgentCount(db, widget.workspace_id)) > 0;
        send({
          type: 'welcome',
          visitorId: visitor.id,
          ...(started.token ? { token: started.token } : {}),
          online,
          conversation: await transcript(db, visitor),
        });
        await offerSurvey();
        return;
      }
      if (!visitor) throw new AppError(400, 'bad_request', 'Send {"type":"hello"} first');
      if (message.type === 'message') {
        const m = parse(chatMessage, message);
        const limit = limiter.take('message', limitId);
        if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'messages');
        const result = await visitorSays(db, visitor, { text: m.text, clientId: m.clientId, locale });
        visitor = result.visitor;
        send({ type: 'ack', clientId: m.clientId, id: result.messageId, ticketNumber: result.ticketNumber });
        // Sent straight away too, not only through the hub: the ticket may be new to this socket.
        const line = await chatLine(db, visitor, result.messageId);
        if (line) send({ type: 'message', ...line });
        return;
      }
      if (message.type === 'typing') {
        const m = parse(typingMessage, message);
        if (!visitor.ticketId || !limiter.take('typing', limitId).allowed) return;
        await publish(db, widget.workspace_id, { type: 'chat.typing', data: { ticketId: visitor.ticketId, visitorId: visitor.id, typing: m.typing } });
        return;
      }
      if (message.type === 'survey_answer') {
        const m = parse(surveyAnswerMessage, message);
        const limit = limiter.take('survey', limitId);
        if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'survey answers');
        if (!visitor.customerId) throw new AppError(404, 'not_found', 'Survey not found');
        const answer = await answerWidgetSurvey(db, widget.workspace_id, { customerId: visitor.customerId, ticketId: visitor.ticketId }, m.invitationId, {
          score: m.score, ...(m.comment ? { comment: m.comment } : {}), ...(m.publishComment !== undefined ? { publishComment: m.publishComment } : {}),
        });
        send({ type: 'survey_answered', invitationId: m.invitationId, score: answer.score });
        return;
      }
      if (message.type === 'offline') {
        const m = parse(offlineMessage, message);
        const limit = limiter.take('offline', limitId);
        if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds, 'offline messages');
        const result = await leaveOfflineMessage(db, visitor, { name: m.name, email: m.email, message: m.message, locale });
        visitor = { ...visitor, ticketId: result.ticketId, name: m.name, email: m.email };
        send({ type: 'offline_received', ticketNumber: result.ticketNumber });
        return;
      }
      throw new AppError(400, 'bad_request', `Unknown message type ${JSON.stringify(message.type)}`);
    };

    // Frames over the per-connection limit are refused before they are even parsed or queued.
    const flood = floodGuard(socket, send, request.log, SOCKET_FLOOD_LIMITS.widget, { socket: 'chat widget', workspaceId: widget.workspace_id, widgetId: widget.id });
    socket.on('message', (raw, isBinary) => {
      if (!flood.admit()) return;
      let message: Record<string, unknown>;
      try {
        if (isBinary) throw new Error('binary');
        const parsed: unknown = JSON.parse(raw.toString());
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        message = parsed as Record<string, unknown>;
      } catch {
        send({ type: 'error', code: 'invalid_message', message: 'Send JSON objects with a "type"' });
        flood.done();
        return;
      }
      queue = queue.then(() => handle(message)).catch(fail).finally(flood.done);
    });

    let alive = true;
    socket.on('pong', () => {
      alive = true;
    });
    const heartbeat = setInterval(() => {
      if (!alive) return socket.terminate();
      alive = false;
      socket.ping();
    }, 30_000);
    heartbeat.unref();
    socket.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe?.();
      const v = visitor;
      if (v?.ticketId) {
        void publish(db, widget.workspace_id, { type: 'chat.typing', data: { ticketId: v.ticketId, visitorId: v.id, typing: false } }).catch(() => undefined);
      }
    });
  });
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new AppError(400, 'validation_failed', issue ? `Invalid ${issue.path.join('.') || 'message'}: ${issue.message}` : 'Invalid message');
}
