// The OpenAPI document is generated from the same zod schemas that validate requests.
import { z } from 'zod';
import { defineRoute, routeCatalog } from './route.ts';
import type { RouteSpec } from './route.ts';
import { errorSchema } from './schemas.ts';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' }) as Record<string, unknown>;
}

function operation(spec: RouteSpec): Record<string, unknown> {
  const parameters: unknown[] = [];
  for (const [where, schema] of [
    ['path', spec.params],
    ['query', spec.query],
  ] as const) {
    if (!schema) continue;
    const json = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
    for (const [name, property] of Object.entries(json.properties ?? {})) {
      parameters.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: property });
    }
  }
  const responses: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(spec.responses ?? { 200: z.unknown() })) {
    responses[status] = { description: `HTTP ${status}`, content: { 'application/json': { schema: jsonSchema(schema, 'output') } } };
  }
  const errorContent = { 'application/json': { schema: jsonSchema(errorSchema, 'output') } };
  responses['4XX'] = { description: 'Client error: { error: { code, message } }', content: errorContent };
  return {
    summary: spec.summary,
    tags: [spec.tag],
    operationId: `${spec.method.toLowerCase()}${spec.url.replace(/\/api\/v1/, '').replace(/[/:](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body, 'input') } } } }
      : {}),
    responses,
    ...(spec.access === 'public' ? { security: [] } : { 'x-required-permission': spec.access }),
  };
}

export function buildOpenApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routeCatalog) {
    const path = spec.url.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = operation(spec);
  }
  return {
    openapi: '3.0.3',
    info: { title: 'TruthDesk API', version: '1', description: 'Help desk and moments-of-truth API' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (truthdesk token create)' },
        session: { type: 'apiKey', in: 'cookie', name: 'td_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
    paths,
  };
}

let cached: Record<string, unknown> | undefined;

export const openApiRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/openapi.json',
    summary: 'This document',
    tag: 'meta',
    access: 'public',
    handler: async () => (cached ??= buildOpenApiDocument()),
  }),
];
