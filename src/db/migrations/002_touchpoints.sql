-- Touchpoints: every interaction of a customer (or an anonymous visitor), placed on a moment
-- of truth. messageId makes ingestion idempotent per workspace.
-- Partitioning by occurred_at (monthly) is planned once volumes call for it; the unique
-- (workspace_id, message_id) key would then move to a small key table, since a partitioned
-- table's unique keys must include the partition column.

CREATE TABLE touchpoints (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  message_id   text NOT NULL,
  customer_id  uuid REFERENCES customers(id) ON DELETE CASCADE,
  anonymous_id text,
  kind         text NOT NULL CHECK (kind IN ('track', 'identify', 'internal')),
  event        text NOT NULL,
  stage        text NOT NULL CHECK (stage IN ('lzmot', 'zmot', 'fmot', 'smot', 'umot')),
  valence      text NOT NULL CHECK (valence IN ('positive', 'neutral', 'negative')),
  channel      text,
  properties   jsonb NOT NULL DEFAULT '{}'::jsonb,
  context      jsonb NOT NULL DEFAULT '{}'::jsonb,
  decided_by   text NOT NULL,
  rule_id      text,
  occurred_at  timestamptz NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, message_id)
);
CREATE INDEX touchpoints_customer ON touchpoints (workspace_id, customer_id, occurred_at);
CREATE INDEX touchpoints_anonymous ON touchpoints (workspace_id, anonymous_id) WHERE anonymous_id IS NOT NULL;
CREATE INDEX touchpoints_time ON touchpoints (workspace_id, occurred_at);
