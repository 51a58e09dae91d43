-- Core help-desk schema: workspaces, people, tickets, messages, attachments, audit, auth.
-- Every table carries workspace_id; every query filters by it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE workspaces (
  id                 uuid PRIMARY KEY,
  name               text NOT NULL,
  slug               text NOT NULL UNIQUE,
  write_key          text NOT NULL UNIQUE,
  default_locale     text NOT NULL DEFAULT 'en' CHECK (default_locale IN ('en', 'el', 'ar')),
  next_ticket_number integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE agents (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'team_leader', 'agent')),
  locale        text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'el', 'ar')),
  password_hash text,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agents_workspace_email ON agents (workspace_id, lower(email));
-- Sign-in looks an agent up by e-mail across workspaces before it knows which one.
CREATE INDEX agents_email ON agents (lower(email));

CREATE TABLE teams (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name)
);

CREATE TABLE team_members (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  team_id      uuid NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, agent_id)
);
CREATE INDEX team_members_agent ON team_members (workspace_id, agent_id);

CREATE TABLE companies (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         text NOT NULL,
  domain       text,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX companies_workspace_name ON companies (workspace_id, lower(name));

CREATE TABLE customers (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  email        text,
  phone        text,
  name         text,
  locale       text CHECK (locale IN ('en', 'el', 'ar')),
  company_id   uuid REFERENCES companies(id) ON DELETE SET NULL,
  external_id  text,
  attributes   jsonb NOT NULL DEFAULT '{}'::jsonb,
  search_text  text NOT NULL DEFAULT '',
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_workspace_email ON customers (workspace_id, lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX customers_workspace_external ON customers (workspace_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX customers_workspace_created ON customers (workspace_id, created_at, id);
CREATE INDEX customers_search ON customers USING gin (search_text gin_trgm_ops);

CREATE TABLE tickets (
  id                       uuid PRIMARY KEY,
  workspace_id             uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  number                   integer NOT NULL,
  subject                  text NOT NULL,
  status                   text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'on_hold', 'solved', 'closed')),
  priority                 text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
  channel                  text NOT NULL CHECK (channel IN ('email', 'chat', 'phone', 'web', 'social', 'api')),
  customer_id              uuid NOT NULL REFERENCES customers(id),
  assignee_id              uuid REFERENCES agents(id) ON DELETE SET NULL,
  team_id                  uuid REFERENCES teams(id) ON DELETE SET NULL,
  tags                     text[] NOT NULL DEFAULT '{}',
  version                  integer NOT NULL DEFAULT 1,
  -- Subject and message text, normalised by the domain's text normaliser, for inbox search.
  search_text              text NOT NULL DEFAULT '',
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  first_customer_message_at timestamptz,
  first_response_at        timestamptz,
  last_customer_message_at timestamptz,
  last_agent_reply_at      timestamptz,
  public_reply_count       integer NOT NULL DEFAULT 0,
  solved_at                timestamptz,
  reopened_at              timestamptz,
  reopen_count             integer NOT NULL DEFAULT 0,
  closed_at                timestamptz,
  UNIQUE (workspace_id, number)
);
CREATE INDEX tickets_workspace_created ON tickets (workspace_id, created_at DESC, id DESC);
CREATE INDEX tickets_workspace_status ON tickets (workspace_id, status, created_at DESC, id DESC);
CREATE INDEX tickets_workspace_assignee ON tickets (workspace_id, assignee_id, created_at DESC);
CREATE INDEX tickets_workspace_customer ON tickets (workspace_id, customer_id, created_at DESC);
CREATE INDEX tickets_tags ON tickets USING gin (tags);
CREATE INDEX tickets_search ON tickets USING gin (search_text gin_trgm_ops);

CREATE TABLE messages (
  id                 uuid PRIMARY KEY,
  workspace_id       uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  ticket_id          uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  kind               text NOT NULL CHECK (kind IN ('customer', 'reply', 'note')),
  author_agent_id    uuid REFERENCES agents(id) ON DELETE SET NULL,
  author_customer_id uuid REFERENCES customers(id) ON DELETE SET NULL,
  body_text          text NOT NULL,
  body_html          text NOT NULL,
  -- Idempotency key from the source (e-mail Message-ID, client id); one message per key.
  source_id          text,
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_ticket ON messages (workspace_id, ticket_id, created_at, id);
CREATE UNIQUE INDEX messages_source ON messages (workspace_id, source_id) WHERE source_id IS NOT NULL;

-- Attachment bytes are stored once per workspace by content hash.
CREATE TABLE blobs (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  sha256       text NOT NULL,
  size         integer NOT NULL,
  content      bytea NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, sha256)
);

CREATE TABLE attachments (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  message_id   uuid NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  filename     text NOT NULL,
  content_type text NOT NULL,
  size         integer NOT NULL,
  sha256       text NOT NULL,
  FOREIGN KEY (workspace_id, sha256) REFERENCES blobs (workspace_id, sha256)
);
CREATE INDEX attachments_message ON attachments (workspace_id, message_id);

CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  actor_type   text NOT NULL CHECK (actor_type IN ('agent', 'token', 'system', 'customer')),
  actor_id     text,
  action       text NOT NULL,
  entity_type  text NOT NULL,
  entity_id    text NOT NULL,
  changes      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_entity ON audit_log (workspace_id, entity_type, entity_id, id);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, id DESC);

CREATE TABLE api_tokens (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         text NOT NULL,
  role         text NOT NULL CHECK (role IN ('owner', 'admin', 'team_leader', 'agent')),
  token_hash   text NOT NULL UNIQUE,
  created_by   uuid REFERENCES agents(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
CREATE INDEX api_tokens_workspace ON api_tokens (workspace_id);

CREATE TABLE sessions (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_agent ON sessions (workspace_id, agent_id);
