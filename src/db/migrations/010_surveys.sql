-- Surveys (CSAT, NPS, CES or custom questions), who was invited to answer them and what they
-- answered. An invitation is the durable record of a survey to send: it is written when the
-- trigger fires (with due_at for a delayed send), gets its single-use token when it is sent,
-- and is answered at most once. Tokens are random and stored only as SHA-256 hashes.

CREATE TABLE surveys (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name           text NOT NULL,
  type           text NOT NULL CHECK (type IN ('csat', 'nps', 'ces', 'custom')),
  -- Localised texts: { "en": …, "el": …, "ar": … } for the main question and the comment prompt;
  -- custom questions: [{ id, kind: choice|scale|text, text: {…}, options?, min?, max? }].
  question       jsonb NOT NULL DEFAULT '{}'::jsonb,
  comment_prompt jsonb NOT NULL DEFAULT '{}'::jsonb,
  questions      jsonb NOT NULL DEFAULT '[]'::jsonb,
  trigger        text NOT NULL CHECK (trigger IN ('ticket_solved', 'stage_reached', 'manual')),
  -- ticket_solved: { delayMinutes }; stage_reached: { event?, stage? }
  trigger_config jsonb NOT NULL DEFAULT '{}'::jsonb,
  throttle_days  integer NOT NULL DEFAULT 30 CHECK (throttle_days >= 0),
  link_ttl_hours integer NOT NULL DEFAULT 168 CHECK (link_ttl_hours > 0),
  -- { csatMax, npsMax, cesMin }: answers at or beyond these ask for service recovery.
  negative       jsonb NOT NULL DEFAULT '{}'::jsonb,
  active         boolean NOT NULL DEFAULT true,
  -- Scanning touchpoints for stage_reached triggers resumes from here.
  scanned_until  timestamptz,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX surveys_workspace ON surveys (workspace_id, trigger) WHERE active;

CREATE TABLE survey_invitations (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  survey_id      uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  customer_id    uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  ticket_id      uuid REFERENCES tickets(id) ON DELETE SET NULL,
  agent_id       uuid REFERENCES agents(id) ON DELETE SET NULL,
  team_id        uuid REFERENCES teams(id) ON DELETE SET NULL,
  channel        text,
  stage          text NOT NULL CHECK (stage IN ('lzmot', 'zmot', 'fmot', 'smot', 'umot')),
  locale         text NOT NULL CHECK (locale IN ('en', 'el', 'ar')),
  trigger        text NOT NULL CHECK (trigger IN ('ticket_solved', 'stage_reached', 'manual')),
  -- One invitation per trigger fact (a solve, a touchpoint, a manual send to a customer).
  trigger_key    text NOT NULL,
  status         text NOT NULL CHECK (status IN ('scheduled', 'sent', 'answered', 'throttled', 'cancelled')),
  delivery       text NOT NULL CHECK (delivery IN ('email', 'widget')),
  due_at         timestamptz NOT NULL,
  sent_at        timestamptz,
  expires_at     timestamptz,
  answered_at    timestamptz,
  token_hash     text UNIQUE,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, trigger_key)
);
CREATE INDEX survey_invitations_due ON survey_invitations (due_at) WHERE status = 'scheduled';
CREATE INDEX survey_invitations_customer ON survey_invitations (workspace_id, customer_id, created_at);
CREATE INDEX survey_invitations_ticket ON survey_invitations (workspace_id, ticket_id) WHERE ticket_id IS NOT NULL;

-- E-mail that carries a survey link, until the outbound mail path sends it.
CREATE TABLE survey_deliveries (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  invitation_id  uuid NOT NULL REFERENCES survey_invitations(id) ON DELETE CASCADE,
  to_address     text NOT NULL,
  subject        text NOT NULL,
  body_text      text NOT NULL,
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz
);
CREATE INDEX survey_deliveries_queued ON survey_deliveries (workspace_id, created_at) WHERE status = 'queued';

CREATE TABLE survey_responses (
  id              uuid PRIMARY KEY,
  workspace_id    uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  survey_id       uuid NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
  invitation_id   uuid NOT NULL UNIQUE REFERENCES survey_invitations(id) ON DELETE CASCADE,
  customer_id     uuid NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  ticket_id       uuid REFERENCES tickets(id) ON DELETE SET NULL,
  agent_id        uuid REFERENCES agents(id) ON DELETE SET NULL,
  team_id         uuid REFERENCES teams(id) ON DELETE SET NULL,
  channel         text,
  stage           text NOT NULL CHECK (stage IN ('lzmot', 'zmot', 'fmot', 'smot', 'umot')),
  type            text NOT NULL CHECK (type IN ('csat', 'nps', 'ces', 'custom')),
  score           integer,
  comment         text,
  comment_public  boolean NOT NULL DEFAULT false,
  answers         jsonb NOT NULL DEFAULT '{}'::jsonb,
  locale          text NOT NULL CHECK (locale IN ('en', 'el', 'ar')),
  negative        boolean NOT NULL DEFAULT false,
  -- Service recovery asked for by a negative answer, until the recovery capability takes it.
  recovery_status text CHECK (recovery_status IN ('needed', 'flagged')),
  touchpoint_id   uuid,
  answered_at     timestamptz NOT NULL
);
CREATE INDEX survey_responses_time ON survey_responses (workspace_id, answered_at);
