import { z } from 'zod';
import { WEEKDAY_NAMES } from '../domain/sla/calendar.ts';
import { TICKET_PRIORITIES } from '../domain/tickets.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { idParams, text } from '../http/schemas.ts';
import { AppError } from '../shared/errors.ts';
import { createPolicy, deletePolicy, getBusinessHours, getPolicy, listPolicies, putBusinessHours, updatePolicy } from './service.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:mm (00:00–24:00)');
const window = z.strictObject({ start: hhmm, end: hhmm });
const week = z.strictObject(Object.fromEntries(WEEKDAY_NAMES.map((d) => [d, z.array(window).max(6).optional()])) as Record<(typeof WEEKDAY_NAMES)[number], z.ZodOptional<z.ZodArray<typeof window>>>);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date');

const businessHoursBody = z.strictObject({
  timeZone: z.string().min(1).max(64),
  week,
  holidays: z.array(isoDate).max(400).default([]),
});

const businessHoursSchema = z.object({
  timeZone: z.string(),
  week: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))),
  holidays: z.array(z.string()),
  updatedAt: z.string().nullable(),
});

// Minutes of (business) time, up to a year; null: no target for this metric.
const minutes = z.number().int().min(1).max(525_600).nullable();
const targetsForPriority = z.strictObject({
  firstResponseMinutes: minutes.optional(),
  nextResponseMinutes: minutes.optional(),
  resolutionMinutes: minutes.optional(),
});
const targets = z.strictObject(
  Object.fromEntries(TICKET_PRIORITIES.map((p) => [p, targetsForPriority.optional()])) as Record<(typeof TICKET_PRIORITIES)[number], z.ZodOptional<typeof targetsForPriority>>,
);

const policyFields = {
  name: text({ min: 1, max: 120 }),
  description: text({ max: 1000 }).nullable().optional(),
  isDefault: z.boolean().optional(),
  useBusinessHours: z.boolean().optional(),
  warnPercent: z.number().int().min(1).max(99).optional(),
  targets,
};

const targetSchema = z.object({ firstResponseMinutes: z.number().nullable(), nextResponseMinutes: z.number().nullable(), resolutionMinutes: z.number().nullable() });
const policySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  isDefault: z.boolean(),
  useBusinessHours: z.boolean(),
  warnPercent: z.number(),
  targets: z.record(z.enum(TICKET_PRIORITIES), targetSchema),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const slaRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/business-hours',
    summary: 'The workspace business hours (time zone, weekly schedule, holidays); null until set',
    tag: 'sla',
    access: 'tickets:work',
    responses: { 200: z.object({ businessHours: businessHoursSchema.nullable() }) },
    handler: async ({ ctx }) => ({ businessHours: await getBusinessHours(ctx) }),
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/business-hours',
    summary: 'Set the business hours: IANA time zone, open windows per weekday (mon…sun), holiday dates',
    tag: 'sla',
    access: 'settings:manage',
    body: businessHoursBody,
    responses: { 200: z.object({ businessHours: businessHoursSchema }) },
    handler: async ({ ctx, body }) => ({ businessHours: await putBusinessHours(ctx, body) }),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sla-policies',
    summary: 'List SLA policies; the default one is applied to new tickets by priority',
    tag: 'sla',
    access: 'tickets:work',
    responses: { 200: z.object({ data: z.array(policySchema) }) },
    handler: async ({ ctx }) => ({ data: await listPolicies(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/sla-policies',
    summary: 'Create an SLA policy: first-response, next-response and resolution targets (minutes) per priority',
    tag: 'sla',
    access: 'settings:manage',
    body: z.strictObject(policyFields),
    responses: { 201: policySchema },
    handler: async ({ ctx, body }) => new Reply(201, await createPolicy(ctx, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/sla-policies/:id',
    summary: 'Get an SLA policy',
    tag: 'sla',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: policySchema },
    handler: async ({ ctx, params }) => getPolicy(ctx, params.id),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/sla-policies/:id',
    summary: 'Change an SLA policy (applies to tickets created or re-prioritised afterwards); give the version you read to be told (409) if someone changed it since',
    tag: 'sla',
    access: 'settings:manage',
    params: idParams,
    body: z
      .strictObject({
        ...policyFields,
        name: policyFields.name.optional(),
        targets: targets.optional(),
        version: z.number().int().positive().optional().describe('The version you read: 409 if someone changed the policy since'),
      })
      .refine((b) => Object.entries(b).some(([k, v]) => k !== 'version' && v !== undefined), 'nothing to change'),
    responses: { 200: policySchema, 409: z.unknown() },
    handler: async ({ ctx, params, body }) => updatePolicy(ctx, params.id, body),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/sla-policies/:id',
    summary: 'Delete an SLA policy (tickets keep the SLA as applied)',
    tag: 'sla',
    access: 'settings:manage',
    params: idParams,
    handler: async ({ ctx, params }) => {
      const policy = await getPolicy(ctx, params.id);
      if (policy.isDefault && (await listPolicies(ctx)).length > 1) {
        throw new AppError(422, 'unprocessable', 'Make another policy the default before deleting this one');
      }
      await deletePolicy(ctx, params.id);
      return new Reply(204, null);
    },
  }),
];
