// Surveys as the API gives and takes them.
import type { Lang, Me, Stage } from '../../types.ts';

/** Owners and admins build and send surveys; team leaders read their answers. */
export const canManageSurveys = (me: Me) => me.role === 'owner' || me.role === 'admin';

export const SURVEY_KINDS = ['csat', 'nps', 'ces', 'custom'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const SURVEY_TRIGGERS = ['ticket_solved', 'stage_reached', 'manual'] as const;
export type SurveyTrigger = (typeof SURVEY_TRIGGERS)[number];
export type Localised = Partial<Record<Lang, string>>;

export type CustomQuestion =
  | { id: string; kind: 'choice'; text: Localised; options: { value: string; text: Localised }[]; required?: boolean }
  | { id: string; kind: 'scale'; text: Localised; min: number; max: number; required?: boolean }
  | { id: string; kind: 'text'; text: Localised; required?: boolean };

export interface Negative {
  csatMax: number;
  npsMax: number;
  cesMin: number;
}

export interface Survey {
  id: string;
  name: string;
  type: SurveyKind;
  question: Localised;
  commentPrompt: Localised;
  questions: CustomQuestion[];
  trigger: SurveyTrigger;
  delayMinutes: number;
  event: string | null;
  stage: Stage | null;
  throttleDays: number;
  linkTtlHours: number;
  negative: Negative;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SurveyResponse {
  id: string;
  customerId: string;
  ticketId: string | null;
  stage: Stage;
  type: SurveyKind;
  score: number | null;
  comment: string | null;
  answers: Record<string, unknown>;
  locale: Lang;
  negative: boolean;
  answeredAt: string;
}

export const DEFAULT_NEGATIVE: Negative = { csatMax: 2, npsMax: 6, cesMin: 5 };

/** Only the languages actually written, so the server keeps its own defaults for the rest. */
export const written = (text: Localised): Localised =>
  Object.fromEntries(Object.entries(text).filter(([, v]) => v?.trim()).map(([k, v]) => [k, v!.trim()])) as Localised;
