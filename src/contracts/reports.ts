// The JSON the report routes answer, in one place: the server builds these shapes and the web
// app reads them, so the two cannot drift apart. Types only (nothing here runs), importing only
// pure domain types, so the web app's compiler can read it too.
import type { Stage } from '../domain/moments.ts';
import type { TicketPriority, TicketStatus } from '../domain/tickets.ts';

/** Figures per group (an agent, a team, a channel, a week…), with everyone's beside them. */
interface Grouped<Group extends string, Figures> {
  from: string;
  to: string;
  groupBy: Group | null;
  overall: Figures;
  groups: Array<Figures & { key: string | null; label: string | null }>;
}

export type PerformanceGroup = 'agent' | 'team';
/** The figures a leader can drill into: the tickets behind each. */
export type PerformanceFigure = 'tickets' | 'solved' | 'fcr' | 'sla_hit' | 'sla_missed';

export interface PerformanceFigures {
  tickets: number;
  solved: number;
  /** Minutes from the customer's first message to the first public reply; median; null with none. */
  firstResponseMinutes: number | null;
  /** Mean minutes of the stopped next-response SLA clocks (tickets under an SLA policy). */
  nextResponseMinutes: number | null;
  /** Minutes from opening to solving, median over solved tickets. */
  resolutionMinutes: number | null;
  /** Solved tickets solved with one public reply and never reopened. */
  fcr: number;
  /** fcr ÷ solved in percent, one decimal; null when nothing was solved. */
  fcrRate: number | null;
  slaHit: number;
  slaMissed: number;
}

export type PerformanceReport = Grouped<PerformanceGroup, PerformanceFigures>;

/** One ticket behind a figure of the performance report. */
export interface PerformanceTicket {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
  priority: TicketPriority;
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
  /** Mean CSAT answer (1–5) for the ticket; null when unanswered. */
  csat: number | null;
  recovery: string | null;
}

export interface PerformanceTickets {
  from: string;
  to: string;
  data: PerformanceTicket[];
}

export type SurveyGroup = 'agent' | 'team' | 'channel' | 'stage' | 'week';

export interface SurveyFigures {
  responses: number;
  csat: number | null;
  csatAnswers: number;
  nps: number | null;
  npsAnswers: number;
  ces: number | null;
  cesAnswers: number;
}

export type SurveyReport = Grouped<SurveyGroup, SurveyFigures>;

export type RecoveryGroup = 'agent' | 'team' | 'day' | 'week' | 'month';

export interface RecoveryFigures {
  /** Cases with any action in the period. */
  cases: number;
  flagged: number;
  offered: number;
  sent: number;
  accepted: number;
  declined: number;
  /** accepted ÷ (accepted + declined), in percent with one decimal; null with no answer yet. */
  acceptanceRate: number | null;
}

export type RecoveryReport = Grouped<RecoveryGroup, RecoveryFigures>;

export type PainSourceType = 'survey' | 'message' | 'touchpoint';
export type PainTrend = 'new' | 'up' | 'down' | 'same';

export interface PainPointExample {
  sourceType: PainSourceType;
  sourceId: string;
  ticketId: string | null;
  quote: string;
  valence: string;
  occurredAt: string;
}

export interface PainPoint {
  phrase: string;
  key: string;
  count: number;
  previousCount: number;
  trend: PainTrend;
  /** Change against the previous period of the same length, in %; null when it had none. */
  change: number | null;
  negativeShare: number;
  examples: PainPointExample[];
}

export interface PainPointStage {
  stage: Stage;
  sources: number;
  negativeShare: number | null;
  phrases: PainPoint[];
}

export interface PainPointReport {
  from: string;
  to: string;
  previousFrom: string;
  lang: 'en' | 'el' | 'ar' | null;
  stages: PainPointStage[];
}
