-- Live chat, phone calls, social and review mentions, and who is online (realtime).

-- A chat widget: its public key goes in the embed snippet; it identifies the workspace and
-- nothing else (visitors can only chat through it).
CREATE TABLE chat_widgets (
  id              uuid PRIMARY KEY,
  workspace_id    uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name            text NOT NULL,
  public_key      text NOT NULL UNIQUE,
  -- Empty: any site may embed it; otherwise the page's Origin must be one of these.
  allowed_origins text[] NOT NULL DEFAULT '{}',
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_widgets_workspace ON chat_widgets (workspace_id, id);

-- A visitor of a widget, remembered by a secret token kept in the browser's localStorage (only
-- its hash is stored), so a reconnecting widget resumes the same conversation.
CREATE TABLE chat_visitors (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  widget_id     uuid NOT NULL REFERENCES chat_widgets(id) ON DELETE CASCADE,
  token_hash    text NOT NULL UNIQUE,
  name          text,
  email         text,
  locale        text CHECK (locale IN ('en', 'el', 'ar')),
  customer_id   uuid REFERENCES customers(id) ON DELETE SET NULL,
  ticket_id     uuid REFERENCES tickets(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX chat_visitors_ticket ON chat_visitors (workspace_id, ticket_id) WHERE ticket_id IS NOT NULL;

-- An agent's chosen chat status (absent = available).
CREATE TABLE agent_status (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  status       text NOT NULL CHECK (status IN ('available', 'away')),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, agent_id)
);

-- Open agent WebSockets, from every server process: a row per socket, refreshed by a
-- heartbeat; a process that dies leaves rows that simply expire. Presence on a ticket
-- (viewing, typing) is kept on the same row.
CREATE TABLE agent_connections (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  agent_id     uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  ticket_id    uuid REFERENCES tickets(id) ON DELETE SET NULL,
  activity     text CHECK (activity IN ('viewing', 'typing')),
  activity_expires_at timestamptz,
  connected_at timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX agent_connections_agent ON agent_connections (workspace_id, agent_id);
CREATE INDEX agent_connections_ticket ON agent_connections (workspace_id, ticket_id) WHERE ticket_id IS NOT NULL;

-- Phone calls, logged by agents or a telephony integration.
CREATE TABLE calls (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  direction        text NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  from_number      text NOT NULL,
  to_number        text NOT NULL,
  started_at       timestamptz NOT NULL,
  duration_seconds integer NOT NULL CHECK (duration_seconds >= 0),
  outcome          text NOT NULL CHECK (outcome IN ('answered', 'missed', 'voicemail', 'busy', 'failed', 'no_answer')),
  recording_url    text,
  notes            text NOT NULL DEFAULT '',
  agent_id         uuid REFERENCES agents(id) ON DELETE SET NULL,
  customer_id      uuid NOT NULL REFERENCES customers(id),
  ticket_id        uuid REFERENCES tickets(id) ON DELETE SET NULL,
  -- The telephony system's call id: the same call logged twice is stored once.
  external_id      text,
  valence          text NOT NULL CHECK (valence IN ('positive', 'neutral', 'negative')),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX calls_external ON calls (workspace_id, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX calls_customer ON calls (workspace_id, customer_id, started_at DESC);
CREATE INDEX calls_ticket ON calls (workspace_id, ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX calls_workspace ON calls (workspace_id, id DESC);

-- Public mentions: reviews (Google, Trustpilot, app stores…) and social posts.
CREATE TABLE mentions (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  platform      text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('review', 'social')),
  external_id   text,
  url           text,
  author        text,
  rating        real CHECK (rating >= 1 AND rating <= 5),
  text          text NOT NULL,
  published_at  timestamptz NOT NULL,
  valence       text NOT NULL CHECK (valence IN ('positive', 'neutral', 'negative')),
  customer_id   uuid REFERENCES customers(id) ON DELETE SET NULL,
  ticket_id     uuid REFERENCES tickets(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (url IS NOT NULL OR external_id IS NOT NULL)
);
CREATE UNIQUE INDEX mentions_url ON mentions (workspace_id, platform, url) WHERE url IS NOT NULL;
CREATE UNIQUE INDEX mentions_external ON mentions (workspace_id, platform, external_id) WHERE external_id IS NOT NULL;
CREATE INDEX mentions_workspace ON mentions (workspace_id, published_at DESC, id DESC);
