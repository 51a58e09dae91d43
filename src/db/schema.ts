// Typed view of the tables in migrations/*.sql, for Kysely. Keep in step with the SQL.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface WorkspacesTable {
  id: string;
  name: string;
  slug: string;
  write_key: string;
  default_locale: ColumnType<string, string | undefined, string>;
  next_ticket_number: Generated<number>;
  created_at: Timestamp;
  // 032_webhook_signing
  allow_private_webhooks: Generated<boolean>;
}

export interface AgentsTable {
  id: string;
  workspace_id: string;
  email: string;
  name: string;
  role: string;
  locale: ColumnType<string, string | undefined, string>;
  /** system, light or dark (migration 011). */
  theme: ColumnType<string, string | undefined, string>;
  password_hash: string | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TeamsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: Timestamp;
  /** 021: manual, round_robin or load_balanced. */
  assignment_mode: ColumnType<string, string | undefined, string>;
  assign_only_available: ColumnType<boolean, boolean | undefined, boolean>;
  max_open_per_agent: ColumnType<number | null, number | null | undefined, number | null>;
  rr_cursor_agent_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface QueuesTable {
  id: string;
  workspace_id: string;
  name: string;
  team_id: string | null;
  match_channels: ColumnType<string[], string[] | undefined, string[]>;
  match_locales: ColumnType<string[], string[] | undefined, string[]>;
  match_tags: ColumnType<string[], string[] | undefined, string[]>;
  position: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface TeamMembersTable {
  workspace_id: string;
  team_id: string;
  agent_id: string;
}

export interface CompaniesTable {
  id: string;
  workspace_id: string;
  name: string;
  domain: string | null;
  created_at: Timestamp;
}

export interface CustomersTable {
  id: string;
  workspace_id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  locale: string | null;
  company_id: string | null;
  external_id: string | null;
  attributes: Json<Record<string, unknown>>;
  search_text: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketsTable {
  id: string;
  workspace_id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  channel: string;
  customer_id: string;
  assignee_id: string | null;
  team_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  version: Generated<number>;
  search_text: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  first_customer_message_at: NullableTimestamp;
  first_response_at: NullableTimestamp;
  last_customer_message_at: NullableTimestamp;
  last_agent_reply_at: NullableTimestamp;
  public_reply_count: Generated<number>;
  solved_at: NullableTimestamp;
  reopened_at: NullableTimestamp;
  reopen_count: Generated<number>;
  closed_at: NullableTimestamp;
  /** 021: the queue the ticket waits in. */
  queue_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 023: the ticket this one was merged into (it is then closed). */
  merged_into_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** 023: the ticket this one was split out of. */
  split_from_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MessagesTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  kind: string;
  author_agent_id: string | null;
  author_customer_id: string | null;
  body_text: string;
  body_html: string;
  source_id: string | null;
  created_at: Timestamp;
  is_auto_reply: ColumnType<boolean, boolean | undefined, boolean>;
  /** 022: agents an internal note @mentions. */
  mentioned_agent_ids: ColumnType<string[], string[] | undefined, string[]>;
  /** When the row was written (026), for incremental readers; created_at is when it was sent. */
  received_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface NotificationsTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  kind: string;
  ticket_id: string | null;
  message_id: string | null;
  actor_agent_id: string | null;
  excerpt: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface BlobsTable {
  workspace_id: string;
  sha256: string;
  size: number;
  content: Buffer;
  created_at: Timestamp;
}

export interface AttachmentsTable {
  id: string;
  workspace_id: string;
  message_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
}

export interface AuditLogTable {
  id: Generated<string>;
  workspace_id: string;
  actor_type: string;
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: Json<Record<string, unknown>>;
  created_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  workspace_id: string;
  name: string;
  role: string;
  token_hash: string;
  created_by: string | null;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface SessionsTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  token_hash: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface TouchpointsTable {
  id: string;
  workspace_id: string;
  message_id: string;
  customer_id: string | null;
  anonymous_id: string | null;
  kind: string;
  event: string;
  stage: string;
  valence: string;
  channel: string | null;
  properties: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  decided_by: string;
  rule_id: string | null;
  occurred_at: Timestamp;
  received_at: Timestamp;
  ticket_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** messageId → the touchpoint it stored (the idempotency key of a partitioned table). */
export interface TouchpointKeysTable {
  workspace_id: string;
  message_id: string;
  touchpoint_id: string;
  occurred_at: Timestamp;
}

/** Rollups (migration 015): counters per day, and people per day and per month with first/last seen. */
export interface TouchpointDailyTable {
  workspace_id: string;
  day: ColumnType<string, string, string>;
  stage: string;
  valence: string;
  channel: string;
  touchpoints: ColumnType<string, number, number>;
}

export interface TouchpointPersonDaysTable {
  workspace_id: string;
  day: ColumnType<string, string, string>;
  stage: string;
  who: string;
  first_at: Timestamp;
  last_at: Timestamp;
  prev_last: NullableTimestamp;
  conv_at: NullableTimestamp;
  later_conv_at: NullableTimestamp;
}

/** Person-day rows counted per day, stage, day of prev_last and day of conv_at (migration 063). */
export interface TouchpointPersonGapsTable {
  workspace_id: string;
  day: ColumnType<string, string, string>;
  stage: string;
  prev_day: ColumnType<string, string, string>;
  conv_day: ColumnType<string, string, string>;
  people: ColumnType<string, number, number>;
}

/** People whose person-day rows await a refresh (migration 076), one row per write; a null stage: every stage. */
export interface TouchpointPeoplePendingTable {
  id: Generated<string>;
  workspace_id: string;
  whos: string[];
  stages: (string | null)[];
}

export interface ClassificationRuleSetsTable {
  id: string;
  workspace_id: string;
  version: number;
  rules: Json<unknown[]>;
  created_by_actor: string;
  created_at: Timestamp;
}

export interface BusinessHoursTable {
  workspace_id: string;
  time_zone: string;
  week: Json<Record<string, Array<{ start: string; end: string }>>>;
  holidays: Json<string[]>;
  updated_at: Timestamp;
}

export interface SlaPoliciesTable {
  id: string;
  workspace_id: string;
  name: string;
  description: string | null;
  is_default: Generated<boolean>;
  use_business_hours: Generated<boolean>;
  warn_percent: Generated<number>;
  targets: Json<Record<string, unknown>>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KbCategoriesTable {
  id: string;
  workspace_id: string;
  key: string;
  names: Json<Record<string, string>>;
  position: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface TicketStatusLogTable {
  id: Generated<string>;
  workspace_id: string;
  ticket_id: string;
  from_status: string | null;
  to_status: string;
  at: Timestamp;
}

export interface TicketSlasTable {
  ticket_id: string;
  workspace_id: string;
  policy_id: string | null;
  policy_name: string;
  priority: string;
  targets: Json<Record<string, unknown>>;
  use_business_hours: boolean;
  warn_percent: number;
  applied_at: Timestamp;
}

export interface TicketSlaTargetsTable {
  workspace_id: string;
  ticket_id: string;
  metric: string;
  cycle: number;
  target_minutes: number;
  started_at: Timestamp;
  due_at: NullableTimestamp;
  warn_at: NullableTimestamp;
  stopped_at: NullableTimestamp;
  clock: string;
  outcome: string;
  elapsed_ms: ColumnType<string, number | string, number | string>;
  late_by_ms: ColumnType<string, number | string | undefined, number | string>;
  evaluated_at: Timestamp;
}

export interface SlaEventsTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  policy_id: string | null;
  metric: string;
  cycle: number;
  kind: string;
  target_minutes: number;
  due_at: NullableTimestamp;
  late_by_ms: ColumnType<string, number | string | undefined, number | string>;
  occurred_at: Timestamp;
}

export interface CompensationOptionsTable {
  id: string;
  workspace_id: string;
  kind: string;
  label: string;
  amount: ColumnType<string, number | string, number | string>;
  unit: string;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecoveryCasesTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  reason: string;
  detail: Json<Record<string, unknown>>;
  status: string;
  flagged_at: Timestamp;
  updated_at: Timestamp;
}

export interface RecoveryActionsTable {
  id: string;
  workspace_id: string;
  case_id: string;
  ticket_id: string;
  action: string;
  compensation_option_id: string | null;
  compensation: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  canned_response_id: string | null;
  locale: string | null;
  note: string | null;
  actor_type: string;
  actor_id: string | null;
  at: Timestamp;
}

export interface CannedResponsesTable {
  id: string;
  workspace_id: string;
  name: string;
  category: ColumnType<string, string | undefined, string>;
  apology_for: string | null;
  bodies: Json<Record<string, string>>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface KbArticlesTable {
  id: string;
  workspace_id: string;
  category_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KbTranslationsTable {
  id: string;
  workspace_id: string;
  article_id: string;
  lang: string;
  slug: string;
  title: string;
  body_html: string;
  body_text: string;
  status: string;
  version: Generated<number>;
  search_title: string;
  search_body: string;
  /** Generated from search_title / search_body; never written. */
  title_tsv: ColumnType<string, never, never>;
  tsv: ColumnType<string, never, never>;
  published_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KbRevisionsTable {
  id: string;
  workspace_id: string;
  translation_id: string;
  revision: number;
  title: string;
  slug: string;
  body_html: string;
  status: string;
  actor_type: string;
  actor_id: string | null;
  note: string | null;
  created_at: Timestamp;
}

export interface KbWordsTable {
  workspace_id: string;
  word: string;
}

export interface KbSearchesTable {
  id: string;
  workspace_id: string;
  query: string;
  lang: string | null;
  results: number;
  source: string;
  anonymous_id: string | null;
  occurred_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: string;
  applied_at: Timestamp;
}

export interface SurveysTable {
  id: string;
  workspace_id: string;
  name: string;
  type: string;
  question: Json<Record<string, string>>;
  comment_prompt: Json<Record<string, string>>;
  questions: Json<unknown[]>;
  trigger: string;
  trigger_config: Json<Record<string, unknown>>;
  throttle_days: ColumnType<number, number | undefined, number>;
  link_ttl_hours: ColumnType<number, number | undefined, number>;
  negative: Json<Record<string, number>>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  scanned_until: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SurveyInvitationsTable {
  id: string;
  workspace_id: string;
  survey_id: string;
  customer_id: string;
  ticket_id: string | null;
  agent_id: string | null;
  team_id: string | null;
  channel: string | null;
  stage: string;
  locale: string;
  trigger: string;
  trigger_key: string;
  status: string;
  delivery: string;
  due_at: Timestamp;
  sent_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  answered_at: NullableTimestamp;
  token_hash: string | null;
  created_at: Timestamp;
}

export interface SurveyDeliveriesTable {
  id: string;
  workspace_id: string;
  invitation_id: string;
  to_address: string;
  subject: string;
  body_text: string;
  status: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
  // 025_survey_mail
  body_html: ColumnType<string, string | undefined, string>;
  locale: ColumnType<string, string | undefined, string>;
  message_id: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: string | null;
}

export interface SurveyResponsesTable {
  id: string;
  workspace_id: string;
  survey_id: string;
  invitation_id: string;
  customer_id: string;
  ticket_id: string | null;
  agent_id: string | null;
  team_id: string | null;
  channel: string | null;
  stage: string;
  type: string;
  score: number | null;
  comment: string | null;
  comment_public: ColumnType<boolean, boolean | undefined, boolean>;
  answers: Json<Record<string, unknown>>;
  locale: string;
  negative: ColumnType<boolean, boolean | undefined, boolean>;
  recovery_status: string | null;
  touchpoint_id: string | null;
  answered_at: Timestamp;
}

export interface PainCursorsTable {
  workspace_id: string;
  source_type: string;
  scanned_until: Timestamp;
}

export interface PainSourcesTable {
  workspace_id: string;
  source_type: string;
  source_id: string;
  ticket_id: string | null;
  stage: string;
  lang: string;
  valence: string;
  occurred_at: Timestamp;
}

export interface PainPhrasesTable {
  workspace_id: string;
  source_type: string;
  source_id: string;
  phrase_key: string;
  phrase_text: string;
  words: number;
  stage: string;
  lang: string;
  valence: string;
  quote: string;
  ticket_id: string | null;
  occurred_at: Timestamp;
}

export interface ChatWidgetsTable {
  id: string;
  workspace_id: string;
  name: string;
  public_key: string;
  allowed_origins: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
  version: Generated<number>;
}

export interface ChatVisitorsTable {
  id: string;
  workspace_id: string;
  widget_id: string;
  token_hash: string;
  name: string | null;
  email: string | null;
  locale: string | null;
  customer_id: string | null;
  ticket_id: string | null;
  created_at: Timestamp;
  last_seen_at: Timestamp;
}

export interface AgentStatusTable {
  workspace_id: string;
  agent_id: string;
  status: string;
  updated_at: Timestamp;
}

export interface AgentConnectionsTable {
  id: string;
  workspace_id: string;
  agent_id: string;
  ticket_id: string | null;
  activity: string | null;
  activity_expires_at: NullableTimestamp;
  connected_at: Timestamp;
  expires_at: Timestamp;
}

export interface CallsTable {
  id: string;
  workspace_id: string;
  direction: string;
  from_number: string;
  to_number: string;
  started_at: Timestamp;
  duration_seconds: number;
  outcome: string;
  recording_url: string | null;
  notes: ColumnType<string, string | undefined, string>;
  agent_id: string | null;
  customer_id: string;
  ticket_id: string | null;
  external_id: string | null;
  valence: string;
  created_at: Timestamp;
}

export interface MentionsTable {
  id: string;
  workspace_id: string;
  platform: string;
  kind: string;
  external_id: string | null;
  url: string | null;
  author: string | null;
  rating: number | null;
  text: string;
  published_at: Timestamp;
  valence: string;
  customer_id: string | null;
  ticket_id: string | null;
  created_at: Timestamp;
}

export interface DB {
  workspaces: WorkspacesTable;
  agents: AgentsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  companies: CompaniesTable;
  customers: CustomersTable;
  tickets: TicketsTable;
  messages: MessagesTable;
  blobs: BlobsTable;
  attachments: AttachmentsTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  touchpoints: TouchpointsTable;
  touchpoint_keys: TouchpointKeysTable;
  touchpoint_daily: TouchpointDailyTable;
  touchpoint_person_days: TouchpointPersonDaysTable;
  touchpoint_person_gaps: TouchpointPersonGapsTable;
  touchpoint_people_pending: TouchpointPeoplePendingTable;
  schema_migrations: SchemaMigrationsTable;
  classification_rule_sets: ClassificationRuleSetsTable;
  sign_in_throttle: SignInThrottleTable;
  surveys: SurveysTable;
  survey_invitations: SurveyInvitationsTable;
  survey_deliveries: SurveyDeliveriesTable;
  survey_responses: SurveyResponsesTable;
  pain_sources: PainSourcesTable;
  pain_phrases: PainPhrasesTable;
  pain_cursors: PainCursorsTable;
  business_hours: BusinessHoursTable;
  sla_policies: SlaPoliciesTable;
  ticket_status_log: TicketStatusLogTable;
  ticket_slas: TicketSlasTable;
  ticket_sla_targets: TicketSlaTargetsTable;
  sla_events: SlaEventsTable;
  compensation_options: CompensationOptionsTable;
  recovery_cases: RecoveryCasesTable;
  recovery_actions: RecoveryActionsTable;
  canned_responses: CannedResponsesTable;
  // 008_channels: live chat, presence, calls, mentions
  chat_widgets: ChatWidgetsTable;
  chat_visitors: ChatVisitorsTable;
  agent_status: AgentStatusTable;
  agent_connections: AgentConnectionsTable;
  calls: CallsTable;
  mentions: MentionsTable;
  kb_categories: KbCategoriesTable;
  kb_articles: KbArticlesTable;
  kb_translations: KbTranslationsTable;
  kb_revisions: KbRevisionsTable;
  kb_words: KbWordsTable;
  kb_searches: KbSearchesTable;
  support_addresses: SupportAddressesTable;
  email_settings: EmailSettingsTable;
  inbound_emails: InboundEmailsTable;
  email_message_ids: EmailMessageIdsTable;
  outbound_emails: OutboundEmailsTable;
  // 021: queues and assignment
  queues: QueuesTable;
  // 022: agent notifications (@mentions)
  notifications: NotificationsTable;
  // 029_loops_reviews: published reviews, review widgets, loop facts
  submitted_reviews: SubmittedReviewsTable;
  review_moderation: ReviewModerationTable;
  published_reviews: PublishedReviewsView;
  review_widgets: ChatWidgetsTable;
  loop_facts: LoopFactsTable;
  // 030_loops_health: stage health alert settings and alerts
  stage_health_settings: StageHealthSettingsTable;
  stage_health_alerts: StageHealthAlertsTable;
  // 031_review_followups
  review_followups: ReviewFollowupsTable;
}

export interface ReviewFollowupsTable {
  workspace_id: string;
  review_id: string;
  kind: string;
  ticket_id: string | null;
  created_at: Timestamp;
}

export interface StageHealthSettingsTable {
  workspace_id: string;
  drop_points: number;
  period: string;
  webhook_url: string | null;
  active: Generated<boolean>;
  updated_at: Timestamp;
  // 032_webhook_signing
  webhook_secret: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface StageHealthAlertsTable {
  id: string;
  workspace_id: string;
  stage: string;
  period: string;
  period_start: Timestamp;
  previous_score: number;
  score: number;
  drop_points: number;
  threshold: number;
  webhook_status: string;
  webhook_attempts: Generated<number>;
  webhook_error: string | null;
  created_at: Timestamp;
  read_at: NullableTimestamp;
}

export interface SubmittedReviewsTable {
  id: string;
  workspace_id: string;
  customer_id: string | null;
  author: string | null;
  rating: number | null;
  text: string;
  locale: string | null;
  valence: string;
  published_at: Timestamp;
  created_at: Timestamp;
}

export interface ReviewModerationTable {
  workspace_id: string;
  review_id: string;
  hidden: boolean;
  updated_at: Timestamp;
}

/** A view (read-only): every published review of a workspace, whatever its source. */
export interface PublishedReviewsView {
  workspace_id: string;
  id: string;
  source: string;
  platform: string | null;
  kind: string;
  url: string | null;
  author: string | null;
  customer_id: string | null;
  rating: number | null;
  text: string;
  locale: string | null;
  valence: string;
  published_at: Date;
  hidden: boolean;
}

export interface LoopFactsTable {
  workspace_id: string;
  kind: string;
  at: Timestamp;
  touchpoint_id: string;
  message_id: string;
  event: string;
  customer_id: string | null;
  anonymous_id: string | null;
  review_id: string | null;
  visit_id: string | null;
  dwell_ms: ColumnType<string | null, number | null | undefined, number | null>;
  product: string | null;
  page: string | null;
  store: string | null;
  channel: string | null;
}

type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface SupportAddressesTable {
  id: string;
  workspace_id: string;
  address: string;
  created_at: Timestamp;
}

export interface EmailSettingsTable {
  workspace_id: string;
  acknowledge_new: Generated<boolean>;
  updated_at: Timestamp;
}

export interface InboundEmailsTable {
  id: string;
  workspace_id: string;
  envelope_from: string | null;
  envelope_to: TextArray;
  raw: Buffer;
  size: number;
  status: ColumnType<string, string | undefined, string>;
  reason: string | null;
  message_id: string | null;
  from_address: string | null;
  subject: string | null;
  full_text: string | null;
  automated: string | null;
  ticket_id: string | null;
  message_row_id: string | null;
  attempts: Generated<number>;
  received_at: Timestamp;
  processed_at: NullableTimestamp;
}

export interface EmailMessageIdsTable {
  workspace_id: string;
  message_id: string;
  ticket_id: string;
  message_row_id: string | null;
  direction: string;
  created_at: Timestamp;
}

export interface OutboundEmailsTable {
  id: string;
  workspace_id: string;
  ticket_id: string;
  message_row_id: string | null;
  kind: string;
  from_address: string;
  to_address: string;
  subject: string;
  message_id: string;
  in_reply_to: string | null;
  references: TextArray;
  rtl: Generated<boolean>;
  status: ColumnType<string, string | undefined, string>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: NullableTimestamp;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  window_started_at: Date;
  locked_until: Date | null;
  updated_at: Timestamp;
}

export type TicketRow = Selectable<TicketsTable>;
export type NewTicketRow = Insertable<TicketsTable>;
export type TicketUpdate = Updateable<TicketsTable>;
export type CustomerRow = Selectable<CustomersTable>;
export type AgentRow = Selectable<AgentsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type WorkspaceRow = Selectable<WorkspacesTable>;
