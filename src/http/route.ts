// Routes are declared once, with zod schemas that both validate requests and describe the
// API in the OpenAPI document, and with the permission they need.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../domain/roles.ts';
import { AppError } from '../shared/errors.ts';
import type { WorkspaceContext } from '../shared/context.ts';
import { authenticate } from './auth-hook.ts';

export type Access = Permission | 'authenticated' | 'public';

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  access: Access;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Response schemas by status, for the OpenAPI document. */
  responses?: Record<number, z.ZodType>;
  bodyLimit?: number;
  /**
   * Requests allowed per window before a 429 with Retry-After; counted per client address,
   * or per credentials (Authorization header, e.g. a write key) for machine clients.
   * Counts are per server process (in memory).
   */
  rateLimit?: { max: number; timeWindowMs: number; by?: 'address' | 'credentials' };
  handler: (input: RouteInput<P, Q, B>) => Promise<unknown>;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Present on every route that is not public. */
  ctx: WorkspaceContext;
}

/** Lets a handler choose a status and headers while returning its body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

function parseOrThrow<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new AppError(
    400,
    'validation_failed',
    first ? `Invalid ${first.path}: ${first.message}` : `Invalid ${where}`,
    issues,
  );
}

function rateLimitConfig(limit: NonNullable<RouteSpec['rateLimit']>) {
  return {
    max: limit.max,
    timeWindow: limit.timeWindowMs,
    keyGenerator: (request: FastifyRequest) =>
      limit.by === 'credentials' && request.headers.authorization
        ? `c:${createHash('sha256').update(request.headers.authorization).digest('base64url')}`
        : `a:${request.ip}`,
  };
}

export const routeCatalog: RouteSpec[] = [];

export function defineRoute<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

export function registerRoutes(app: FastifyInstance, specs: RouteSpec[]): void {
  for (const spec of specs) {
    if (!routeCatalog.includes(spec)) routeCatalog.push(spec);
    app.route({
      method: spec.method,
      url: spec.url,
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      ...(spec.rateLimit ? { config: { rateLimit: rateLimitConfig(spec.rateLimit) } } : {}),
      handler: async (request, reply) => {
        const ctx = spec.access === 'public' ? undefined : await authenticate(app, request, spec.access);
        const params = parseOrThrow(spec.params, request.params, 'params');
        const query = parseOrThrow(spec.query, request.query, 'query');
        const body = parseOrThrow(spec.body, request.body, 'body');
        const result = await spec.handler({
          params,
          query,
          body,
          request,
          reply,
          ctx: ctx as WorkspaceContext,
        });
        if (result instanceof Reply) {
          reply.status(result.status).headers(result.headers);
          return result.status === 204 ? reply.send() : result.body;
        }
        return result;
      },
    });
  }
}
