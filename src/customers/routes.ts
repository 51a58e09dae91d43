import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { afterId, email, idParams, locale, pageQuery, pageSchema, storableJson, text, toPage } from '../http/schemas.ts';
import { eraseCustomer } from './erase.ts';
import { createCustomer, getCustomer, listCustomers, updateCustomer } from './service.ts';

export const customerSchema = z.object({
  id: z.uuid(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  name: z.string().nullable(),
  locale: locale.nullable(),
  company: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  externalId: z.string().nullable(),
  attributes: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ()\-.]{3,32}$/, 'must be a phone number such as +30 210 123 4567');

const customerFields = {
  email: email.nullable().optional(),
  phone: phone.nullable().optional(),
  name: text({ max: 200 }).nullable().optional(),
  locale: locale.nullable().optional(),
  company: text({ max: 200 }).nullable().optional(),
  externalId: text({ min: 1, max: 200 }).nullable().optional(),
  attributes: z
    .record(z.string().max(100), z.unknown())
    .refine((a) => JSON.stringify(a).length <= 16_384, 'must be at most 16 KB as JSON')
    .refine(storableJson, 'must not contain NUL characters or lone surrogates')
    .optional(),
};

const createBody = z
  .strictObject(customerFields)
  .refine((c) => c.email || c.phone || c.externalId, 'a customer needs an email, a phone or an externalId');

const listQuery = z.strictObject({ q: text({ max: 200 }).optional(), ...pageQuery });

export const customerRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/customers',
    summary: 'List customers, newest first; q searches name, e-mail and phone (accent-insensitive)',
    tag: 'customers',
    access: 'tickets:work',
    query: listQuery,
    responses: { 200: pageSchema(customerSchema) },
    handler: async ({ ctx, query }) => {
      const rows = await listCustomers(ctx, { q: query.q || undefined, limit: query.limit, afterId: afterId(query.cursor) });
      return toPage(rows, query.limit);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/customers',
    summary: 'Create a customer',
    tag: 'customers',
    access: 'tickets:work',
    body: createBody,
    responses: { 201: customerSchema, 409: z.unknown() },
    handler: async ({ ctx, body }) => new Reply(201, await createCustomer(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/customers/:id',
    summary: 'Get a customer',
    tag: 'customers',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: customerSchema },
    handler: async ({ ctx, params }) => getCustomer(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/customers/:id',
    summary: 'Update a customer',
    tag: 'customers',
    access: 'tickets:work',
    params: idParams,
    body: z.strictObject(customerFields),
    responses: { 200: customerSchema },
    handler: async ({ ctx, params, body }) => updateCustomer(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/customers/:id/erase',
    summary:
      'Erase a customer for good (right to erasure): their tickets, messages, attachments, raw mail, touchpoints, survey answers, calls, chats and mentions; the audit log keeps that it happened, not what was said',
    tag: 'customers',
    access: 'customers:erase',
    params: idParams,
    body: z.strictObject({ reason: text({ max: 500 }).optional() }),
    responses: {
      200: z.object({
        customerId: z.uuid(),
        erasedAt: z.string(),
        removed: z.record(z.string(), z.number()),
        auditEntriesRedacted: z.number(),
      }),
    },
    handler: async ({ ctx, params, body }) => eraseCustomer(ctx, params.id, body),
  }),
];
