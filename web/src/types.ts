// The shapes the API answers with (see GET /api/v1/openapi.json).

export const LANGUAGES = ['en', 'el', 'ar'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const CHANNELS = ['email', 'chat', 'phone', 'web', 'social', 'api'] as const;
export type Channel = (typeof CHANNELS)[number];
export const STAGES = ['lzmot', 'zmot', 'fmot', 'smot', 'umot'] as const;
export type Stage = (typeof STAGES)[number];
export const VALENCES = ['positive', 'neutral', 'negative'] as const;
export type Valence = (typeof VALENCES)[number];
export const OUTCOMES = ['conversion', 'renewal_upgrade', 'churn', 'complaint', 'public_review'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type Role = 'owner' | 'admin' | 'team_leader' | 'agent';

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: Role;
  locale: Lang;
  active: boolean;
  teamIds: string[];
  /** Now: an open session and status available, away, or no session. */
  availability?: Availability;
  createdAt: string;
}

export const ASSIGNMENT_MODES = ['manual', 'round_robin', 'load_balanced'] as const;
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number];

export type Availability = 'available' | 'away' | 'offline';

export interface Team {
  id: string;
  name: string;
  memberIds: string[];
  assignment: { mode: AssignmentMode; onlyAvailable: boolean; maxOpenPerAgent: number | null };
  createdAt: string;
}

export interface Me {
  role: Role;
  workspaceId: string;
  agent: Agent | null;
  preferences: { locale: Lang; theme: Theme } | null;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  defaultLocale: Lang;
  createdAt: string;
  writeKey?: string;
  allowPrivateWebhookTargets?: boolean;
}

export interface Ticket {
  id: string;
  number: number;
  subject: string;
  status: Status;
  priority: Priority;
  channel: Channel;
  customer: { id: string; name: string | null; email: string | null };
  assigneeId: string | null;
  teamId: string | null;
  queueId: string | null;
  mergedIntoId: string | null;
  splitFromId: string | null;
  tags: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  lastCustomerMessageAt: string | null;
  publicReplyCount: number;
  solvedAt: string | null;
  reopenCount: number;
  sla: {
    policyName: string;
    breached: boolean;
    atRisk: boolean;
    nextDueAt: string | null;
    targets: SlaTarget[];
  } | null;
  recovery: RecoveryCase | null;
}

/** One SLA clock of a ticket (first response, next response, resolution). */
export interface SlaTarget {
  metric: string;
  dueAt: string | null;
  warnAt: string | null;
  clock: 'running' | 'paused' | 'stopped';
  outcome: 'pending' | 'hit' | 'missed';
  breached: boolean;
}

export type RecoveryStatus = 'needed' | 'offered' | 'sent' | 'accepted' | 'declined';
export interface RecoveryCase {
  id: string;
  status: RecoveryStatus;
  reason: 'sla_breach' | 'negative_survey' | 'manual';
  flaggedAt: string;
}

export interface CompensationOption {
  id: string;
  kind: 'credit' | 'discount' | 'extension';
  label: string;
  amount: number;
  unit: string;
  active: boolean;
}

export interface Recovery {
  case: RecoveryCase | null;
  apologies: { cannedResponseId: string; name: string; locale: 'en' | 'el' | 'ar'; text: string; missing: string[] }[];
  compensationOptions: CompensationOption[];
  actions: { id: string; action: RecoveryStatus | 'flagged'; compensation: CompensationOption | null; at: string }[];
}

export interface Message {
  id: string;
  ticketId: string;
  kind: 'reply' | 'note' | 'customer';
  authorAgentId: string | null;
  authorCustomerId: string | null;
  text: string;
  html: string;
  attachments: { id: string; filename: string; contentType: string; size: number }[];
  createdAt: string;
}

export interface Customer {
  id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  locale: Lang | null;
  company: { id: string; name: string } | null;
  externalId: string | null;
  attributes: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface Touchpoint {
  id: string;
  messageId: string;
  event: string;
  stage: Stage;
  valence: Valence;
  channel: string | null;
  occurredAt: string;
  decidedBy: string;
  ticketId: string | null;
  properties: Record<string, unknown>;
}

export interface Journey {
  customer: Customer;
  touchpoints: Touchpoint[];
}

export const HEALTH_PARTS = ['nps', 'csat', 'ces', 'sentiment', 'conversion', 'negativeShare'] as const;
export type HealthPart = (typeof HEALTH_PARTS)[number];

export interface StageHealthReport {
  from: string;
  to: string;
  interval: string;
  weights: Record<HealthPart, number>;
  periods: {
    period: string;
    stages: {
      stage: Stage;
      score: number | null;
      parts: { part: HealthPart; value: number; normalised: number; weight: number }[];
      missing: HealthPart[];
    }[];
  }[];
}

export interface MomentsReport {
  from: string;
  to: string;
  stages: {
    stage: Stage;
    touchpoints: number;
    customers: number;
    positiveShare: number;
    negativeShare: number;
    conversionToNext: number | null;
  }[];
}

export interface PrecedingMoment {
  event: string;
  stage: Stage;
  valence: Valence;
  outcomes: number;
  share: number;
  lift: number;
}

export interface MatteredReport {
  from: string;
  to: string;
  windowDays: number;
  truncated: boolean;
  outcomes: Record<Outcome, { count: number; precededBy: PrecedingMoment[] }>;
}

export interface CustomerMattered {
  customerId: string;
  windowDays: number;
  outcomes: {
    kind: Outcome;
    touchpoint: { id: string; event: string; stage: Stage; valence: Valence; occurredAt: string };
    precededBy: { id: string; event: string; stage: Stage; valence: Valence; occurredAt: string }[];
  }[];
}

export interface RetentionReport {
  from: string;
  to: string;
  asOf: string;
  days: number[];
  windowDays: number;
  truncated: boolean;
  cohorts: {
    cohort: string;
    onboarding: 'all' | 'completed' | 'struggled' | 'none';
    size: number;
    retained: Record<string, { eligible: number; retained: number; rate: number | null }>;
  }[];
}

export interface Queue {
  id: string;
  name: string;
  teamId: string | null;
  active: boolean;
  counts: { unsolved: number; unassigned: number };
}

export interface Assignment {
  assigneeId: string | null;
  teamId: string | null;
  queueId: string | null;
  by: 'manual' | 'round_robin' | 'load_balanced' | null;
  reason?: string;
}
