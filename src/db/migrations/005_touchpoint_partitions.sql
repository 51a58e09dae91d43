-- Touchpoints partitioned by month of occurred_at (native range partitioning, PostgreSQL and
-- PGlite alike). A partitioned table's unique keys must include the partition column, so the
-- idempotency key (workspace_id, message_id) moves to touchpoint_keys, which names the
-- touchpoint it stored. Partitions: one per UTC month, created by
-- touchpoints_ensure_partition(at) — at start-up for this month and the next two, and by
-- ingestion for the months of each batch (history imports get their months as they arrive);
-- a DEFAULT partition catches anything else (help-desk activity after a month boundary before
-- the next start, timestamps before 1970 or more than a year ahead) so an insert never fails.
-- Creating a month moves that month's rows out of the default partition first.

ALTER TABLE touchpoints RENAME TO touchpoints_unpartitioned;

CREATE TABLE touchpoints (
  id           uuid NOT NULL,
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
  ticket_id    uuid REFERENCES tickets(id) ON DELETE SET NULL,
  -- Leads with the Citus distribution column and the partition column; serves every
  -- "workspace over a period" read (reports' partial days, moments that mattered, retention).
  CONSTRAINT touchpoints_pk PRIMARY KEY (workspace_id, occurred_at, id)
) PARTITION BY RANGE (occurred_at);
-- A journey: one customer's touchpoints in time order.
CREATE INDEX touchpoints_journey ON touchpoints (workspace_id, customer_id, occurred_at) WHERE customer_id IS NOT NULL;
-- identify: a visitor's anonymous touchpoints, to merge them into the customer.
CREATE INDEX touchpoints_anonymous_open ON touchpoints (workspace_id, anonymous_id) WHERE customer_id IS NULL AND anonymous_id IS NOT NULL;
CREATE INDEX touchpoints_by_ticket ON touchpoints (workspace_id, ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TABLE touchpoints_default PARTITION OF touchpoints DEFAULT;

-- messageId → the touchpoint it stored: an insert claims the key first (ON CONFLICT DO NOTHING)
-- and only a claimed key's touchpoint is written, in the same statement.
CREATE TABLE touchpoint_keys (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  message_id    text NOT NULL,
  touchpoint_id uuid NOT NULL,
  occurred_at   timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, message_id)
);

-- The month partition holding `at` (UTC months), created if missing; returns its name.
CREATE FUNCTION touchpoints_ensure_partition(at timestamptz) RETURNS text LANGUAGE plpgsql AS $fn$
DECLARE
  month_start timestamptz := date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
  month_end   timestamptz := (date_trunc('month', at AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
  part        text := 'touchpoints_' || to_char(at AT TIME ZONE 'UTC', 'YYYY_MM');
BEGIN
  IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;
  -- One creator at a time; the loser of a race finds the partition made.
  PERFORM pg_advisory_xact_lock(7420150312);
  IF to_regclass(part) IS NOT NULL THEN RETURN part; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE touchpoints INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format(
    'WITH moved AS (DELETE FROM touchpoints_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
    part) USING month_start, month_end;
  EXECUTE format('ALTER TABLE touchpoints ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, month_start, month_end);
  RETURN part;
END
$fn$;

-- The months existing rows occupy; this month and the next two are made at start-up.
SELECT touchpoints_ensure_partition(m)
FROM (
  SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS m FROM touchpoints_unpartitioned
  WHERE occurred_at >= '1970-01-01T00:00:00Z' AND occurred_at < now() + interval '366 days'
) months;

INSERT INTO touchpoints (id, workspace_id, message_id, customer_id, anonymous_id, kind, event, stage, valence, channel,
                         properties, context, decided_by, rule_id, occurred_at, received_at, ticket_id)
SELECT id, workspace_id, message_id, customer_id, anonymous_id, kind, event, stage, valence, channel,
       properties, context, decided_by, rule_id, occurred_at, received_at, ticket_id
FROM touchpoints_unpartitioned;
INSERT INTO touchpoint_keys (workspace_id, message_id, touchpoint_id, occurred_at)
SELECT workspace_id, message_id, id, occurred_at FROM touchpoints_unpartitioned;
DROP TABLE touchpoints_unpartitioned;
