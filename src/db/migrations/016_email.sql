-- E-mail channel: support addresses, inbound mail kept raw before processing, the Message-ID
-- map that threads mail into tickets, and outgoing mail with its delivery state.

CREATE TABLE support_addresses (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  address      text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
-- An address routes to exactly one workspace.
CREATE UNIQUE INDEX support_addresses_address ON support_addresses (lower(address));
CREATE INDEX support_addresses_workspace ON support_addresses (workspace_id);

CREATE TABLE email_settings (
  workspace_id        uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  -- Send "we received your request" to a customer who opens a ticket by e-mail.
  acknowledge_new     boolean NOT NULL DEFAULT false,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Every message the SMTP listener accepted, stored before it answered 250.
CREATE TABLE inbound_emails (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  envelope_from    text,
  envelope_to      text[] NOT NULL DEFAULT '{}',
  raw              bytea NOT NULL,
  size             integer NOT NULL,
  status           text NOT NULL DEFAULT 'received'
                   CHECK (status IN ('received', 'processed', 'failed', 'ignored')),
  reason           text,
  -- Filled by processing:
  message_id       text,
  from_address     text,
  subject          text,
  full_text        text,
  automated        text,
  ticket_id        uuid REFERENCES tickets(id) ON DELETE SET NULL,
  message_row_id   uuid REFERENCES messages(id) ON DELETE SET NULL,
  attempts         integer NOT NULL DEFAULT 0,
  received_at      timestamptz NOT NULL DEFAULT now(),
  processed_at     timestamptz
);
CREATE INDEX inbound_emails_workspace ON inbound_emails (workspace_id, id DESC);
CREATE INDEX inbound_emails_status ON inbound_emails (workspace_id, status, id DESC);
CREATE INDEX inbound_emails_message_id ON inbound_emails (workspace_id, message_id);

-- Every Message-ID we know in a ticket's thread (the customer's and ours), for threading by
-- In-Reply-To and References.
CREATE TABLE email_message_ids (
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  message_id     text NOT NULL,
  ticket_id      uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  message_row_id uuid REFERENCES messages(id) ON DELETE SET NULL,
  direction      text NOT NULL CHECK (direction IN ('in', 'out')),
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, message_id)
);
CREATE INDEX email_message_ids_ticket ON email_message_ids (workspace_id, ticket_id, created_at);

CREATE TABLE outbound_emails (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  ticket_id      uuid NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
  message_row_id uuid REFERENCES messages(id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('reply', 'acknowledgement')),
  from_address   text NOT NULL,
  to_address     text NOT NULL,
  subject        text NOT NULL,
  message_id     text NOT NULL,
  in_reply_to    text,
  "references"   text[] NOT NULL DEFAULT '{}',
  rtl            boolean NOT NULL DEFAULT false,
  status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
  attempts       integer NOT NULL DEFAULT 0,
  last_error     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  sent_at        timestamptz
);
CREATE INDEX outbound_emails_ticket ON outbound_emails (workspace_id, ticket_id, created_at);
CREATE INDEX outbound_emails_message ON outbound_emails (workspace_id, message_row_id);
