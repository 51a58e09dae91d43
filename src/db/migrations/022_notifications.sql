-- In-app notifications for agents: an @mention in an internal note notifies the agent named.

-- The agents a note mentions (resolved when it was written; unknown names stay plain text).
ALTER TABLE messages ADD COLUMN mentioned_agent_ids uuid[] NOT NULL DEFAULT '{}';

CREATE TABLE notifications (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- Whose notification it is: only that agent lists it, reads it, and hears of it.
  agent_id       uuid NOT NULL REFERENCES agents(id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('mention')),
  ticket_id      uuid REFERENCES tickets(id) ON DELETE CASCADE,
  message_id     uuid REFERENCES messages(id) ON DELETE CASCADE,
  -- Who wrote the note (null for an API token without an agent, or a deleted agent).
  actor_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL,
  excerpt        text NOT NULL DEFAULT '',
  created_at     timestamptz NOT NULL DEFAULT now(),
  read_at        timestamptz
);
CREATE UNIQUE INDEX notifications_once ON notifications (workspace_id, agent_id, kind, message_id);
CREATE INDEX notifications_agent ON notifications (workspace_id, agent_id, id DESC);
CREATE INDEX notifications_unread ON notifications (workspace_id, agent_id) WHERE read_at IS NULL;
