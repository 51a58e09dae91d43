// Shapes of the team leader and voice-of-the-customer reports, as the API answers them.
import type { Priority, Stage, Status } from './types.ts';

export const PERFORMANCE_FIGURES = ['tickets', 'solved', 'fcr', 'sla_hit', 'sla_missed'] as const;
export type PerformanceFigure = (typeof PERFORMANCE_FIGURES)[number];

export interface PerformanceFigures {
  tickets: number;
  solved: number;
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  fcr: number;
  fcrRate: number | null;
  slaHit: number;
  slaMissed: number;
}

interface Grouped<F> {
  from: string;
  to: string;
  overall: F;
  groups: Array<F & { key: string | null; label: string | null }>;
}

export type PerformanceReport = Grouped<PerformanceFigures>;

export interface PerformanceTicket {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  channel: string;
  assigneeId: string | null;
  assignee: string | null;
  teamId: string | null;
  team: string | null;
  createdAt: string;
  solvedAt: string | null;
  firstResponseMinutes: number | null;
  resolutionMinutes: number | null;
  fcr: boolean;
  slaHit: number;
  slaMissed: number;
  csat: number | null;
  recovery: string | null;
}

export interface PerformanceTickets {
  from: string;
  to: string;
  data: PerformanceTicket[];
}

export interface SurveyFigures {
  responses: number;
  csat: number | null;
  csatAnswers: number;
  nps: number | null;
  npsAnswers: number;
  ces: number | null;
  cesAnswers: number;
}
export type SurveyReport = Grouped<SurveyFigures>;

export interface RecoveryFigures {
  cases: number;
  flagged: number;
  offered: number;
  sent: number;
  accepted: number;
  declined: number;
  acceptanceRate: number | null;
}
export type RecoveryReport = Grouped<RecoveryFigures>;

export type PainTrend = 'new' | 'up' | 'down' | 'same';
export interface PainPoint {
  phrase: string;
  key: string;
  count: number;
  previousCount: number;
  trend: PainTrend;
  change: number | null;
  negativeShare: number;
  examples: { sourceType: 'survey' | 'message' | 'touchpoint'; sourceId: string; ticketId: string | null; quote: string; valence: string; occurredAt: string }[];
}
export interface PainPointReport {
  from: string;
  to: string;
  previousFrom: string;
  stages: { stage: Stage; sources: number; negativeShare: number | null; phrases: PainPoint[] }[];
}
