import { z } from 'zod';
import { defineRoute, Reply } from '../http/route.ts';
import { uuid } from '../http/schemas.ts';
import { wantsCsv } from '../journeys/csv.ts';
import { AppError } from '../shared/errors.ts';
import {
  PERFORMANCE_FIGURES,
  PERFORMANCE_GROUPS,
  performanceCsv,
  performanceReport,
  performanceTickets,
  performanceTicketsCsv,
} from './report.ts';

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((s) => new Date(s));
const period = { from: isoDate.optional(), to: isoDate.optional() };
const format = z.enum(['json', 'csv']).optional();

const figures = z.object({
  tickets: z.number().int(),
  solved: z.number().int(),
  firstResponseMinutes: z.number().nullable(),
  nextResponseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  fcr: z.number().int(),
  fcrRate: z.number().nullable(),
  slaHit: z.number().int(),
  slaMissed: z.number().int(),
});
const ticketRow = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: z.string(),
  priority: z.string(),
  channel: z.string(),
  assigneeId: z.uuid().nullable(),
  assignee: z.string().nullable(),
  teamId: z.uuid().nullable(),
  team: z.string().nullable(),
  createdAt: z.string(),
  solvedAt: z.string().nullable(),
  firstResponseMinutes: z.number().nullable(),
  resolutionMinutes: z.number().nullable(),
  fcr: z.boolean(),
  slaHit: z.number().int(),
  slaMissed: z.number().int(),
  csat: z.number().nullable(),
  recovery: z.string().nullable(),
});

function range(query: { from?: Date | undefined; to?: Date | undefined }): { from: Date; to: Date } {
  const to = query.to ?? new Date();
  const from = query.from ?? new Date(to.getTime() - 30 * 86_400_000);
  if (from >= to) throw new AppError(400, 'validation_failed', 'from must be before to');
  if (to.getTime() - from.getTime() > 3 * 366 * 86_400_000) throw new AppError(400, 'validation_failed', 'The period may span at most three years');
  return { from, to };
}

export const performanceRoutes = [
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/performance',
    summary:
      'Team leader report on the tickets opened in [from, to) (default: the last 30 days): volume, solved, median first response and resolution minutes, mean next response minutes (SLA clocks), first-contact resolution, SLA targets hit and missed — overall and per agent (assignee) or team; CSV with format=csv or Accept: text/csv',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({ ...period, groupBy: z.enum(PERFORMANCE_GROUPS).optional(), format }),
    responses: {
      200: z.object({
        from: z.string(),
        to: z.string(),
        groupBy: z.enum(PERFORMANCE_GROUPS).nullable(),
        overall: figures,
        groups: z.array(figures.extend({ key: z.string().nullable(), label: z.string().nullable() })),
      }),
    },
    handler: async ({ ctx, query, request }) => {
      const { from, to } = range(query);
      const report = await performanceReport(ctx, from, to, query.groupBy ?? null);
      return wantsCsv(query.format, request.headers.accept) ? new Reply(200, performanceCsv(report), { 'content-type': 'text/csv; charset=utf-8' }) : report;
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/reports/performance/tickets',
    summary:
      'The tickets behind a performance figure, one row per ticket (newest first): opened in [from, to), optionally for one agent or team (or none) and one figure (solved, fcr, sla_hit, sla_missed), with response and resolution minutes, SLA outcomes, CSAT and recovery status; JSON up to limit (default 200), CSV with format=csv (up to 100 000 rows)',
    tag: 'reports',
    access: 'reports:read',
    query: z.strictObject({
      ...period,
      agent: z.union([z.literal('none'), uuid]).optional(),
      team: z.union([z.literal('none'), uuid]).optional(),
      figure: z.enum(PERFORMANCE_FIGURES).optional(),
      limit: z.coerce.number().int().min(1).max(1000).optional(),
      format,
    }),
    responses: { 200: z.object({ from: z.string(), to: z.string(), data: z.array(ticketRow) }) },
    handler: async ({ ctx, query, request }) => {
      const { from, to } = range(query);
      const csv = wantsCsv(query.format, request.headers.accept);
      const data = await performanceTickets(ctx, from, to, { agent: query.agent, team: query.team, figure: query.figure, limit: csv ? 100_000 : (query.limit ?? 200) });
      return csv
        ? new Reply(200, performanceTicketsCsv(data), { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="tickets.csv"' })
        : { from: from.toISOString(), to: to.toISOString(), data };
    },
  }),
];
