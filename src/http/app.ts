// The HTTP application: cross-cutting behaviour (JSON parsing, errors, auth) and then one
// plugin per capability, so this file reads as the list of what TruthDesk offers.
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import type { Database } from '../db/connection.ts';
import { authRoutes } from '../auth/routes.ts';
import { agentRoutes } from '../agents/routes.ts';
import { customerRoutes } from '../customers/routes.ts';
import { ticketRoutes } from '../tickets/routes.ts';
import { assignmentRoutes } from '../assignment/routes.ts';
import { notificationRoutes } from '../notifications/routes.ts';
import { workspaceRoutes } from '../workspaces/routes.ts';
import { auditRoutes } from '../audit/routes.ts';
import { journeyRoutes } from '../journeys/routes.ts';
import { AppError } from '../shared/errors.ts';
import { surveyRoutes } from '../surveys/routes.ts';
import { surveyPages } from '../surveys/pages.ts';
import { painPointRoutes } from '../painpoints/routes.ts';
import { slaRoutes } from '../sla/routes.ts';
import { cannedRoutes } from '../canned/routes.ts';
import { macroRoutes } from '../macros/routes.ts';
import { performanceRoutes } from '../performance/routes.ts';
import { recoveryRoutes } from '../recovery/routes.ts';
import { RealtimeHub } from '../realtime/hub.ts';
import { realtimeRoutes } from '../realtime/routes.ts';
import { presenceRoutes, presenceSocketHooks } from '../presence/routes.ts';
import { chatRoutes } from '../chat/routes.ts';
import { callRoutes } from '../calls/routes.ts';
import { mentionRoutes } from '../mentions/routes.ts';
import { chatWidgetRoutes } from '../chat/socket.ts';
import { kbRoutes } from '../kb/routes.ts';
import { kbPortalRoutes } from '../kb/portal.ts';
import { emailRoutes } from '../channels/email/index.ts';
import { reviewRoutes } from '../reviews/routes.ts';
import { reviewPublicRoutes, reviewWidgetAssets } from '../reviews/public.ts';
import { beaconRoutes } from '../fmot/beacon.ts';
import { loopRoutes } from '../health/routes.ts';
import { frameworkErrors, installErrorHandling, parseJsonStrict, webSocketErrorHandler } from './errors.ts';
import { LOG_SERIALIZERS } from './log-safety.ts';
import { openApiRoutes } from './openapi.ts';
import { registerRoutes } from './route.ts';
import { webRoutes } from './web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
    /** This process's realtime hub: committed events of every process, by workspace. */
    realtime: RealtimeHub;
  }
}

export interface AppOptions {
  database: Database;
  logger?: Logger | false;
  /** Bodies above this are refused with 413 (routes that take attachments allow more). */
  bodyLimit?: number;
  trustProxy?: boolean;
  /** The built web app (default web/dist). */
  webDist?: string;
}

/**
 * Baseline headers on every answer (helmet). Pages that need more set their own
 * Content-Security-Policy, which replaces this strict default. Resources stay loadable
 * cross-origin because the chat and review widgets are embedded in customers' own sites.
 */
const SECURITY_HEADERS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'ws:', 'wss:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' as const },
  crossOriginEmbedderPolicy: false,
  // Plain http on loopback is how TruthDesk runs by default; HSTS belongs to the TLS proxy.
  strictTransportSecurity: false,
};

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
/**
 * The largest frame a WebSocket client may send. Client messages are small JSON objects (a chat
 * message is at most 5,000 characters); ws refuses anything bigger itself, before it is buffered
 * whole, and closes the socket with 1009 (message too big).
 */
export const WEBSOCKET_MAX_PAYLOAD = 64 * 1024;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Whichever logger is passed, request logs show the route and a URL with its secrets masked.
    loggerInstance: options.logger ? options.logger.child({}, { serializers: LOG_SERIALIZERS }) : undefined,
    logger: options.logger === false ? false : undefined,
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    // Ids in paths are validated by each route's schema; keep Fastify from guessing.
    routerOptions: { ignoreTrailingSlash: true },
    // Fastify's 10 s default fails a start on a busy 2-core machine (seen in CI while several
    // servers and Chromium start at once); a plugin that truly hangs still fails, only later.
    pluginTimeout: 60_000,
    frameworkErrors,
  }) as unknown as FastifyInstance;
  app.decorate('database', options.database);
  await app.register(cookie);
  await app.register(helmet, SECURITY_HEADERS);
  // Only routes that declare `rateLimit` in their spec are limited (see route.ts).
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'too_many_requests', `Too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  await app.register(websocket, { options: { maxPayload: WEBSOCKET_MAX_PAYLOAD }, errorHandler: webSocketErrorHandler });
  const hub = new RealtimeHub(options.database, options.logger ? { logger: options.logger } : {});
  await hub.start();
  app.decorate('realtime', hub);
  app.addHook('onClose', async () => hub.stop());
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, parseJsonStrict);
  installErrorHandling(app);

  app.get('/healthz', async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(options.database.db);
      return { status: 'ok', database: options.database.kind };
    } catch {
      return reply.status(503).send({ error: { code: 'database_unreachable', message: 'The database is not reachable' } });
    }
  });

  registerRoutes(app, [
    ...workspaceRoutes,
    ...authRoutes,
    ...agentRoutes,
    ...customerRoutes,
    ...ticketRoutes,
    ...assignmentRoutes,
    ...notificationRoutes,
    ...auditRoutes,
    ...journeyRoutes,
    ...surveyRoutes,
    ...painPointRoutes,
    ...slaRoutes,
    ...cannedRoutes,
    ...macroRoutes,
    ...recoveryRoutes,
    ...performanceRoutes,
    ...presenceRoutes,
    ...chatRoutes,
    ...callRoutes,
    ...mentionRoutes,
    ...kbRoutes,
    ...emailRoutes,
    ...reviewRoutes,
    ...reviewPublicRoutes,
    ...loopRoutes,
    ...openApiRoutes,
  ]);
  realtimeRoutes(app, presenceSocketHooks(app));
  chatWidgetRoutes(app);
  await reviewWidgetAssets(app);
  await beaconRoutes(app);
  await webRoutes(app, options.webDist ? { distDir: options.webDist } : {});
  surveyPages(app);
  kbPortalRoutes(app);
  return app;
}
