import { z } from 'zod';
import { ROLES } from '../domain/roles.ts';
import { getAgent, getPreferences, THEMES, updatePreferences } from '../agents/service.ts';
import { agentSchema } from '../agents/routes.ts';
import { SESSION_COOKIE } from '../http/auth-hook.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { email, idParams, locale, text } from '../http/schemas.ts';
import { AppError } from '../shared/errors.ts';
import { actingAgentId } from '../shared/context.ts';
import { createToken, listTokens, revokeToken, signIn, signOut } from './service.ts';
import { SESSION_DAYS } from './store.ts';

const tokenInfo = z.object({
  id: z.uuid(),
  name: z.string(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const preferencesSchema = z.object({ locale, theme: z.enum(THEMES) });

export const authRoutes = [
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/login',
    summary: 'Sign in with e-mail and password; sets an HTTP-only session cookie',
    tag: 'auth',
    access: 'public',
    // Beside the per-e-mail lockout: one address may not hammer the sign-in at all.
    rateLimit: { max: 60, timeWindowMs: 60_000 },
    body: z.strictObject({ email, password: z.string().min(1).max(200), workspace: z.string().max(100).optional() }),
    responses: { 200: z.object({ agentId: z.uuid(), workspaceId: z.uuid() }), 401: z.unknown(), 429: z.unknown() },
    handler: async ({ request, reply, body }) => {
      const session = await signIn(request.server.database.db, body, { address: request.ip, at: new Date() });
      reply.setCookie(SESSION_COOKIE, session.sessionToken, {
        httpOnly: true,
        sameSite: 'lax',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: SESSION_DAYS * 86_400,
      });
      return { agentId: session.agentId, workspaceId: session.workspaceId };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/auth/logout',
    summary: 'Sign out (ends the session)',
    tag: 'auth',
    access: 'public',
    handler: async ({ request, reply }) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await signOut(request.server.database.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return new Reply(204, null);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me',
    summary: 'Who is calling: the agent (for sessions and agent-made tokens) and role',
    tag: 'auth',
    access: 'authenticated',
    responses: {
      200: z.object({
        role: z.enum(ROLES),
        workspaceId: z.uuid(),
        agent: agentSchema.nullable(),
        preferences: preferencesSchema.nullable().describe("the agent's language and theme in the web app"),
      }),
    },
    handler: async ({ ctx }) => {
      const agentId = actingAgentId(ctx.actor);
      return {
        role: ctx.actor.role,
        workspaceId: ctx.workspaceId,
        agent: agentId ? await getAgent(ctx, agentId) : null,
        preferences: agentId ? await getPreferences(ctx, agentId) : null,
      };
    },
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/me',
    summary: "Change the calling agent's own language (en, el, ar) or web-app theme (system, light, dark); any role",
    tag: 'auth',
    access: 'authenticated',
    body: z
      .strictObject({ locale: locale.optional(), theme: z.enum(THEMES).optional() })
      .refine((b) => b.locale !== undefined || b.theme !== undefined, 'nothing to change'),
    responses: { 200: preferencesSchema, 422: z.unknown() },
    handler: async ({ ctx, body }) => {
      const agentId = actingAgentId(ctx.actor);
      if (!agentId) throw new AppError(422, 'unprocessable', 'This token belongs to no agent, so it has no preferences');
      return updatePreferences(ctx, agentId, body);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tokens',
    summary: 'List API tokens (never their secrets)',
    tag: 'auth',
    access: 'settings:manage',
    responses: { 200: z.object({ data: z.array(tokenInfo) }) },
    handler: async ({ ctx }) => ({ data: await listTokens(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: 'Create an API token; the secret is in this answer only',
    tag: 'auth',
    access: 'settings:manage',
    body: z.strictObject({ name: text({ min: 1, max: 100 }), role: z.enum(ROLES).default('agent') }),
    responses: { 201: z.object({ id: z.uuid(), name: z.string(), role: z.enum(ROLES), token: z.string(), createdAt: z.string() }) },
    handler: async ({ ctx, body }) => {
      const token = await createToken(ctx, body);
      return new Reply(201, { ...token, createdAt: token.createdAt.toISOString() });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    summary: 'Revoke an API token',
    tag: 'auth',
    access: 'settings:manage',
    params: idParams,
    handler: async ({ ctx, params }) => {
      await revokeToken(ctx, params.id);
      return new Reply(204, null);
    },
  }),
];
