import { z } from 'zod';
import { APOLOGY_KINDS, CANNED_LOCALES } from '../domain/canned.ts';
import { defineRoute, Reply } from '../http/route.ts';
import { idParams, text, uuid } from '../http/schemas.ts';
import {
  COMPENSATION_KINDS,
  createCompensationOption,
  flagForRecovery,
  getRecovery,
  listCompensationOptions,
  RECOVERY_ACTIONS,
  recordRecoveryAction,
  updateCompensationOption,
} from './service.ts';
import { RECOVERY_GROUPS, recoveryCsv, recoveryReport } from './report.ts';
import { wantsCsv } from '../journeys/csv.ts';
import { AppError } from '../shared/errors.ts';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const recoveryFigures = z.object({
  cases: z.number().int(),
  flagged: z.number().int(),
  offered: z.number().int(),
  sent: z.number().int(),
  accepted: z.number().int(),
  declined: z.number().int(),
  acceptanceRate: z.number().nullable(),
});

const optionSchema = z.object({ id: z.uuid(), kind: z.enum(COMPENSATION_KINDS), label: z.string(), amount: z.number(), unit: z.string(), active: z.boolean() });
const optionFields = {
  kind: z.enum(COMPENSATION_KINDS),
  label: text({ min: 1, max: 200 }),
  amount: z.number().positive().max(1_000_000),
  unit: text({ min: 1, max: 20 }),
  active: z.boolean().optional(),
};
const recoverySchema = z.object({
  case: z.unknown().nullable(),
  apologies: z.array(z.object({ cannedResponseId: z.uuid(), name: z.string(), locale: z.enum(CANNED_LOCALES), text: z.string(), missing: z.array(z.string()), apologyFor: z.enum(APOLOGY_KINDS) })),
  compensationOptions: z.array(optionSchema),
  actions: z.array(z.unknown()),
});

export const recoveryRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/compensation-options',
    summary: 'Compensation the workspace can offer in service recovery (credit, discount, extension)',
    tag: 'recovery',
    access: 'tickets:work',
    responses: { 200: z.object({ data: z.array(optionSchema) }) },
    handler: async ({ ctx }) => ({ data: await listCompensationOptions(ctx) }),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/compensation-options',
    summary: 'Add a compensation option: kind, label, amount and unit (currency code, percent, days)',
    tag: 'recovery',
    access: 'settings:manage',
    body: z.strictObject(optionFields),
    responses: { 201: optionSchema },
    handler: async ({ ctx, body }) => new Reply(201, await createCompensationOption(ctx, body)),
  }),
  defineRoute({
    method: 'PATCH',
    url: '/api/v1/compensation-options/:id',
    summary: 'Change or retire (active: false) a compensation option',
    tag: 'recovery',
    access: 'settings:manage',
    params: idParams,
    body: z
      .strictObject({ kind: optionFields.kind.optional(), label: optionFields.label.optional(), amount: optionFields.amount.optional(), unit: optionFields.unit.optional(), active: z.boolean().optional() })
      .refine((b) => Object.values(b).some((v) => v !== undefined), 'nothing to change'),
    responses: { 200: optionSchema },
    handler: async ({ ctx, params, body }) => updateCompensationOption(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tickets/:id/recovery',
    summary: "The ticket's recovery case, the apology templates rendered in the customer's language (matching one first), compensation options, and what was done",
    tag: 'recovery',
    access: 'tickets:work',
    params: idParams,
    responses: { 200: recoverySchema },
    handler: async ({ ctx, params }) => getRecovery(ctx, params.id),
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/recovery',
    summary: 'Flag a ticket for service recovery by hand (a breach flags it by itself)',
    tag: 'recovery',
    access: 'tickets:work',
    params: idParams,
    body: z.strictObject({ note: text({ max: 2000 }).optional(), apologyFor: z.enum(APOLOGY_KINDS).optional() }),
    responses: { 201: recoverySchema },
    handler: async ({ ctx, params, body }) => {
      await flagForRecovery(ctx, params.id, { reason: 'manual', ...(body.note ? { detail: { note: body.note } } : {}), ...(body.apologyFor ? { apologyFor: body.apologyFor } : {}) });
      return new Reply(201, await getRecovery(ctx, params.id));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tickets/:id/recovery/actions',
    summary: 'Record what was done: offered (compensationOptionId), sent (the apology, cannedResponseId), accepted or declined',
    tag: 'recovery',
    access: 'tickets:work',
    params: idParams,
    body: z.strictObject({
      action: z.enum(RECOVERY_ACTIONS),
      compensationOptionId: uuid.optional(),
      cannedResponseId: uuid.optional(),
      locale: z.enum(CANNED_LOCALES).optional(),
      note: text({ max: 2000 }).optional(),
    }),
    responses: { 201: recoverySchema },
    handler: async ({ ctx, params, body }) => new Reply(201, await recordRecoveryAction(ctx, params.id, body)),
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/recovery',
    summary:
      'Service recovery outcomes in [from, to) (default: the last 30 days): cases, flagged, offered, sent, accepted, declined and the acceptance rate, overall and per agent, team, day, week or month (UTC); CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      from: isoDate.optional(),
      to: isoDate.optional(),
      groupBy: z.enum(RECOVERY_GROUPS).optional(),
      format: z.enum(['json', 'csv']).optional(),
    }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        groupBy: z.enum(RECOVERY_GROUPS).nullable(),
        overall: recoveryFigures,
        groups: z.array(recoveryFigures.extend({ key: z.string().nullable(), label: z.string().nullable() })),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const to = query.to ?? new Date();
      const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
      if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000) throw new AppError(400, 'validation_failed', 'The period may span at most three years');
      const report = await recoveryReport(ctx, from, to, query.groupBy ?? null);
      return wantsCsv(query.format, request.headers.accept) ? new Reply(200, recoveryCsv(report), { 'content-type': 'text/csv; charset=utf-8' }) : report;
    },
  }),
];
