-- Pain-point catch-up reads only what arrived since its last pass: a watermark per workspace and
-- source (customer messages, touchpoints with text) on the time rows were written, with an
-- index that serves "arrived since". Scans start a few minutes before the watermark, so a
-- transaction that committed late is still found; pain_sources keeps each source analysed once.

CREATE TABLE pain_cursors (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  source_type   text NOT NULL CHECK (source_type IN ('message', 'touchpoint')),
  scanned_until timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, source_type)
);

-- When a message was written (created_at is when it was sent, which an import or a mail's own
-- date can put in the past). Existing rows take the time of this migration: the first pass of
-- each workspace has no watermark and reads them all anyway.
ALTER TABLE messages ADD COLUMN received_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX messages_customer_received ON messages (workspace_id, received_at) WHERE kind = 'customer';

-- Touchpoints already have received_at; only those with text to analyse are indexed.
CREATE INDEX touchpoints_text_received ON touchpoints (workspace_id, received_at)
  WHERE kind <> 'internal' AND coalesce(properties->>'text', '') <> '';
