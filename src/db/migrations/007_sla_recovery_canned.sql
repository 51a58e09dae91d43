-- SLA policies and business hours, the SLA applied to each ticket with its targets and events,
-- service recovery (cases, actions, compensation options) and canned responses.

-- Business hours of a workspace, in its time zone: open windows per weekday and holidays.
CREATE TABLE business_hours (
  workspace_id uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  time_zone    text NOT NULL,
  -- {"mon": [{"start": "09:00", "end": "17:00"}], …}; a missing day is closed.
  week         jsonb NOT NULL,
  -- ["2025-03-25", …] local dates, closed all day.
  holidays     jsonb NOT NULL DEFAULT '[]'::jsonb,
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sla_policies (
  id                 uuid PRIMARY KEY,
  workspace_id       uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name               text NOT NULL,
  description        text,
  is_default         boolean NOT NULL DEFAULT false,
  -- false: the clock runs around the clock (calendar time).
  use_business_hours boolean NOT NULL DEFAULT true,
  warn_percent       integer NOT NULL DEFAULT 80 CHECK (warn_percent BETWEEN 1 AND 99),
  -- {"urgent": {"firstResponseMinutes": 30, "nextResponseMinutes": 60, "resolutionMinutes": 240}, …}
  targets            jsonb NOT NULL,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sla_policies_name ON sla_policies (workspace_id, lower(name));
CREATE UNIQUE INDEX sla_policies_one_default ON sla_policies (workspace_id) WHERE is_default;

-- Every status a ticket was in, from creation: the SLA clock is a function of this history.
CREATE TABLE ticket_status_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  ticket_id    uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  from_status  text,
  to_status    text NOT NULL,
  at           timestamptz NOT NULL
);
CREATE INDEX ticket_status_log_ticket ON ticket_status_log (workspace_id, ticket_id, at, id);

-- Tickets from before this migration: the best history their columns allow.
INSERT INTO ticket_status_log (workspace_id, ticket_id, from_status, to_status, at)
SELECT workspace_id, id, NULL, 'new', created_at FROM tickets;
INSERT INTO ticket_status_log (workspace_id, ticket_id, from_status, to_status, at)
SELECT workspace_id, id, 'new', 'solved', solved_at FROM tickets WHERE solved_at IS NOT NULL;
INSERT INTO ticket_status_log (workspace_id, ticket_id, from_status, to_status, at)
SELECT workspace_id, id, 'solved', 'closed', closed_at FROM tickets WHERE closed_at IS NOT NULL;
INSERT INTO ticket_status_log (workspace_id, ticket_id, from_status, to_status, at)
SELECT workspace_id, id, 'new', status, updated_at FROM tickets WHERE status NOT IN ('new', 'solved', 'closed');

-- An automatic reply (acknowledgement) is not a response: it never stops an SLA clock.
ALTER TABLE messages ADD COLUMN is_auto_reply boolean NOT NULL DEFAULT false;

-- The SLA applied to a ticket: the policy and the targets for its priority, as applied.
CREATE TABLE ticket_slas (
  ticket_id          uuid PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
  workspace_id       uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  policy_id          uuid REFERENCES sla_policies(id) ON DELETE SET NULL,
  policy_name        text NOT NULL,
  priority           text NOT NULL,
  targets            jsonb NOT NULL,
  use_business_hours boolean NOT NULL,
  warn_percent       integer NOT NULL,
  applied_at         timestamptz NOT NULL
);
CREATE INDEX ticket_slas_workspace ON ticket_slas (workspace_id, policy_id);

-- Each target's state as last evaluated (re-evaluated on every change of the ticket and by timers).
CREATE TABLE ticket_sla_targets (
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  ticket_id      uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  metric         text NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
  cycle          integer NOT NULL,
  target_minutes integer NOT NULL,
  started_at     timestamptz NOT NULL,
  due_at         timestamptz,
  warn_at        timestamptz,
  stopped_at     timestamptz,
  clock          text NOT NULL CHECK (clock IN ('running', 'paused', 'stopped')),
  outcome        text NOT NULL CHECK (outcome IN ('pending', 'hit', 'missed')),
  elapsed_ms     bigint NOT NULL,
  late_by_ms     bigint NOT NULL DEFAULT 0,
  evaluated_at   timestamptz NOT NULL,
  PRIMARY KEY (ticket_id, metric, cycle)
);
CREATE INDEX ticket_sla_targets_due ON ticket_sla_targets (workspace_id, clock, due_at);

-- Facts: a warning before the due time, the breach at the due time, and the final hit or miss
-- of each target (a miss with how late it was).
CREATE TABLE sla_events (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  ticket_id      uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  policy_id      uuid,
  metric         text NOT NULL CHECK (metric IN ('first_response', 'next_response', 'resolution')),
  cycle          integer NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('warning', 'breach', 'hit', 'miss')),
  target_minutes integer NOT NULL,
  due_at         timestamptz,
  late_by_ms     bigint NOT NULL DEFAULT 0,
  occurred_at    timestamptz NOT NULL,
  UNIQUE (workspace_id, ticket_id, metric, cycle, kind)
);
CREATE INDEX sla_events_workspace ON sla_events (workspace_id, occurred_at);

-- Service recovery: what a workspace can offer an unhappy customer.
CREATE TABLE compensation_options (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('credit', 'discount', 'extension')),
  label        text NOT NULL,
  amount       numeric NOT NULL CHECK (amount > 0),
  -- a currency code for credits, 'percent' for discounts, 'days' for extensions
  unit         text NOT NULL,
  active       boolean NOT NULL DEFAULT true,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX compensation_options_label ON compensation_options (workspace_id, lower(label));

CREATE TABLE recovery_cases (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  ticket_id    uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  reason       text NOT NULL CHECK (reason IN ('sla_breach', 'negative_survey', 'manual')),
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  status       text NOT NULL CHECK (status IN ('needed', 'offered', 'sent', 'accepted', 'declined')),
  flagged_at   timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);
-- At most one open case per ticket; a second reason joins it.
CREATE UNIQUE INDEX recovery_cases_open ON recovery_cases (workspace_id, ticket_id) WHERE status IN ('needed', 'offered', 'sent');
CREATE INDEX recovery_cases_status ON recovery_cases (workspace_id, status);

CREATE TABLE recovery_actions (
  id                     uuid PRIMARY KEY,
  workspace_id           uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  case_id                uuid NOT NULL REFERENCES recovery_cases(id) ON DELETE CASCADE,
  ticket_id              uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  action                 text NOT NULL CHECK (action IN ('flagged', 'offered', 'sent', 'accepted', 'declined')),
  compensation_option_id uuid REFERENCES compensation_options(id) ON DELETE SET NULL,
  -- what exactly was offered, as it was at that moment
  compensation           jsonb,
  canned_response_id     uuid,
  locale                 text,
  note                   text,
  actor_type             text NOT NULL,
  actor_id               text,
  at                     timestamptz NOT NULL
);
CREATE INDEX recovery_actions_case ON recovery_actions (workspace_id, case_id, at);

-- Canned responses: one response, a version per language ({"en": "…", "el": "…", "ar": "…"}).
CREATE TABLE canned_responses (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         text NOT NULL,
  category     text NOT NULL DEFAULT 'general' CHECK (category IN ('general', 'apology')),
  -- for apologies: which situation it answers
  apology_for  text CHECK (apology_for IN ('late_answer', 'outage', 'customer_caused')),
  bodies       jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX canned_responses_name ON canned_responses (workspace_id, lower(name));
CREATE INDEX canned_responses_apology ON canned_responses (workspace_id, apology_for) WHERE apology_for IS NOT NULL;
