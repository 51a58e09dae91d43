-- The team leader's performance report from maintained rollups instead of a scan of the
-- period's tickets (issue 6: "reports stay fast with 50+ agents and a million tickets").
--
-- Each ticket contributes to one key: the UTC day and month it was opened, its assignee and
-- its team. Triggers append the change of a ticket's contribution (and of its SLA targets')
-- to the delta tables, so no two writers ever update the same row (a counter row per agent
-- and day would serialise every ticket of that agent); the report folds the deltas into the
-- rollups (compact_ticket_performance) and reads rollups plus any deltas left.
--
-- Medians come from histograms: a first response or resolution time of m minutes falls in
-- bucket floor(ln(1 + m) / ln(1.05)), so a bucket is 5% wide and the median read from it
-- (interpolated inside its bucket by src/domain/histogram.ts) is within 5% of the exact one.

CREATE TABLE ticket_performance_rollups (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  grain        text NOT NULL CHECK (grain IN ('day', 'month')),
  period_start date NOT NULL,
  assignee_id  uuid,
  team_id      uuid,
  tickets      integer NOT NULL,
  solved       integer NOT NULL,
  fcr          integer NOT NULL,
  sla_hit      integer NOT NULL,
  sla_missed   integer NOT NULL,
  nrt_ms       bigint NOT NULL,
  nrt_n        integer NOT NULL,
  UNIQUE NULLS NOT DISTINCT (workspace_id, grain, period_start, assignee_id, team_id)
);

CREATE TABLE ticket_performance_deltas (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  grain        text NOT NULL,
  period_start date NOT NULL,
  assignee_id  uuid,
  team_id      uuid,
  tickets      integer NOT NULL,
  solved       integer NOT NULL,
  fcr          integer NOT NULL,
  sla_hit      integer NOT NULL,
  sla_missed   integer NOT NULL,
  nrt_ms       bigint NOT NULL,
  nrt_n        integer NOT NULL
);
CREATE INDEX ticket_performance_deltas_workspace ON ticket_performance_deltas (workspace_id);

CREATE TABLE ticket_performance_histograms (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  grain        text NOT NULL CHECK (grain IN ('day', 'month')),
  period_start date NOT NULL,
  assignee_id  uuid,
  team_id      uuid,
  metric       text NOT NULL CHECK (metric IN ('first_response', 'resolution')),
  bucket       integer NOT NULL,
  n            integer NOT NULL,
  UNIQUE NULLS NOT DISTINCT (workspace_id, grain, period_start, assignee_id, team_id, metric, bucket)
);

CREATE TABLE ticket_performance_histogram_deltas (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  grain        text NOT NULL,
  period_start date NOT NULL,
  assignee_id  uuid,
  team_id      uuid,
  metric       text NOT NULL,
  bucket       integer NOT NULL,
  n            integer NOT NULL
);
CREATE INDEX ticket_performance_histogram_deltas_workspace ON ticket_performance_histogram_deltas (workspace_id);

-- The histogram bucket of a duration in minutes (negative durations, an agent writing before
-- the customer did, count as zero).
CREATE FUNCTION performance_bucket(minutes double precision) RETURNS integer
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT floor(ln(1 + greatest(minutes, 0)) / ln(1.05))::integer $$;

-- What one ticket adds to the report, with the sign given: its own figures (counted, solved,
-- first-contact resolution, the two durations) when with_ticket, its SLA targets' outcomes
-- when with_sla. The same rules as src/performance/report.ts (solved = status solved or closed
-- with a solved_at; FCR = solved with at most one public reply and never reopened).
CREATE FUNCTION add_ticket_performance(t tickets, sign integer, with_ticket boolean, with_sla boolean) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  is_solved boolean := t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL;
  day date := (t.created_at AT TIME ZONE 'UTC')::date;
  month date := date_trunc('month', (t.created_at AT TIME ZONE 'UTC')::date)::date;
  hit integer := 0;
  missed integer := 0;
  nrt bigint := 0;
  nrt_count integer := 0;
BEGIN
  IF with_sla THEN
    SELECT count(*) FILTER (WHERE s.outcome = 'hit'), count(*) FILTER (WHERE s.outcome = 'missed'),
           coalesce(sum(s.elapsed_ms) FILTER (WHERE s.metric = 'next_response' AND s.stopped_at IS NOT NULL), 0),
           count(*) FILTER (WHERE s.metric = 'next_response' AND s.stopped_at IS NOT NULL)
      INTO hit, missed, nrt, nrt_count
      FROM ticket_sla_targets s WHERE s.workspace_id = t.workspace_id AND s.ticket_id = t.id;
  END IF;
  INSERT INTO ticket_performance_deltas
    SELECT t.workspace_id, g.grain, g.start, t.assignee_id, t.team_id,
           CASE WHEN with_ticket THEN sign ELSE 0 END,
           CASE WHEN with_ticket AND is_solved THEN sign ELSE 0 END,
           CASE WHEN with_ticket AND is_solved AND t.public_reply_count <= 1 AND t.reopen_count = 0 THEN sign ELSE 0 END,
           sign * hit, sign * missed, sign * nrt, sign * nrt_count
    FROM (VALUES ('day', day), ('month', month)) AS g(grain, start);
  IF with_ticket AND (t.first_response_at IS NOT NULL OR is_solved) THEN
    INSERT INTO ticket_performance_histogram_deltas
      SELECT t.workspace_id, g.grain, g.start, t.assignee_id, t.team_id, m.metric, performance_bucket(m.minutes), sign
      FROM (VALUES ('day', day), ('month', month)) AS g(grain, start),
           (VALUES ('first_response', CASE WHEN t.first_response_at IS NOT NULL
                      THEN extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at))::double precision / 60 END),
                   ('resolution', CASE WHEN is_solved THEN extract(epoch FROM t.solved_at - t.created_at)::double precision / 60 END)) AS m(metric, minutes)
      WHERE m.minutes IS NOT NULL;
  END IF;
END $$;

-- The ticket's own figures as the report sees them: a change to anything else (its subject,
-- tags, a reply that does not change FCR) appends nothing.
CREATE FUNCTION ticket_performance_signature(t tickets) RETURNS text
  LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|',
    t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL,
    t.public_reply_count <= 1 AND t.reopen_count = 0,
    CASE WHEN t.first_response_at IS NOT NULL
      THEN performance_bucket(extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at))::double precision / 60) END,
    CASE WHEN t.solved_at IS NOT NULL THEN performance_bucket(extract(epoch FROM t.solved_at - t.created_at)::double precision / 60) END)
$$;

CREATE FUNCTION tickets_performance_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.merged_into_id IS NULL THEN PERFORM add_ticket_performance(NEW, 1, true, true); END IF;
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    -- Before the row goes (its SLA targets are still there). A workspace being deleted takes
    -- its rollups with it.
    IF OLD.merged_into_id IS NULL AND EXISTS (SELECT 1 FROM workspaces w WHERE w.id = OLD.workspace_id) THEN
      PERFORM add_ticket_performance(OLD, -1, true, true);
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
     OR OLD.team_id IS DISTINCT FROM NEW.team_id OR (OLD.merged_into_id IS NULL) <> (NEW.merged_into_id IS NULL) THEN
    -- Another key: the whole contribution moves, its SLA outcomes with it.
    IF OLD.merged_into_id IS NULL THEN PERFORM add_ticket_performance(OLD, -1, true, true); END IF;
    IF NEW.merged_into_id IS NULL THEN PERFORM add_ticket_performance(NEW, 1, true, true); END IF;
  ELSIF NEW.merged_into_id IS NULL AND ticket_performance_signature(OLD) IS DISTINCT FROM ticket_performance_signature(NEW) THEN
    PERFORM add_ticket_performance(OLD, -1, true, false);
    PERFORM add_ticket_performance(NEW, 1, true, false);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER tickets_performance AFTER INSERT OR UPDATE ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_performance_trigger();
CREATE TRIGGER tickets_performance_delete BEFORE DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_performance_trigger();

-- An SLA target's outcome counted under its ticket's current key. When the ticket itself is
-- being deleted (its targets go by cascade after it), its trigger has already taken them off.
CREATE FUNCTION ticket_sla_performance_trigger() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  t tickets;
  d_hit integer := 0;
  d_missed integer := 0;
  d_nrt bigint := 0;
  d_nrt_n integer := 0;
BEGIN
  SELECT * INTO t FROM tickets WHERE id = coalesce(NEW.ticket_id, OLD.ticket_id);
  IF NOT FOUND OR t.merged_into_id IS NOT NULL THEN RETURN NULL; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    d_hit := (NEW.outcome = 'hit')::integer;
    d_missed := (NEW.outcome = 'missed')::integer;
    IF NEW.metric = 'next_response' AND NEW.stopped_at IS NOT NULL THEN d_nrt := NEW.elapsed_ms; d_nrt_n := 1; END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    d_hit := d_hit - (OLD.outcome = 'hit')::integer;
    d_missed := d_missed - (OLD.outcome = 'missed')::integer;
    IF OLD.metric = 'next_response' AND OLD.stopped_at IS NOT NULL THEN d_nrt := d_nrt - OLD.elapsed_ms; d_nrt_n := d_nrt_n - 1; END IF;
  END IF;
  IF d_hit = 0 AND d_missed = 0 AND d_nrt = 0 AND d_nrt_n = 0 THEN RETURN NULL; END IF;
  INSERT INTO ticket_performance_deltas
    SELECT t.workspace_id, g.grain, g.start, t.assignee_id, t.team_id, 0, 0, 0, d_hit, d_missed, d_nrt, d_nrt_n
    FROM (VALUES ('day', (t.created_at AT TIME ZONE 'UTC')::date),
                 ('month', date_trunc('month', (t.created_at AT TIME ZONE 'UTC')::date)::date)) AS g(grain, start);
  RETURN NULL;
END $$;

CREATE TRIGGER ticket_sla_targets_performance AFTER INSERT OR UPDATE OR DELETE ON ticket_sla_targets
  FOR EACH ROW EXECUTE FUNCTION ticket_sla_performance_trigger();

-- Folds a workspace's deltas into its rollups. Only the deltas this statement sees are moved
-- (a concurrent writer's uncommitted ones stay for the next fold), and two folds at once
-- cannot move a delta twice: the second waits on the first's deleted rows and skips them.
-- A key whose sums fall back to zero (its tickets all moved away) keeps its row: the report
-- reads zeros as nothing, and finding them would mean reading every row.
CREATE FUNCTION compact_ticket_performance(ws uuid) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  WITH moved AS (DELETE FROM ticket_performance_deltas WHERE workspace_id = ws RETURNING *)
  INSERT INTO ticket_performance_rollups AS r
    SELECT workspace_id, grain, period_start, assignee_id, team_id,
           sum(tickets), sum(solved), sum(fcr), sum(sla_hit), sum(sla_missed), sum(nrt_ms), sum(nrt_n)
    FROM moved GROUP BY workspace_id, grain, period_start, assignee_id, team_id
  ON CONFLICT (workspace_id, grain, period_start, assignee_id, team_id) DO UPDATE SET
    tickets = r.tickets + excluded.tickets, solved = r.solved + excluded.solved, fcr = r.fcr + excluded.fcr,
    sla_hit = r.sla_hit + excluded.sla_hit, sla_missed = r.sla_missed + excluded.sla_missed,
    nrt_ms = r.nrt_ms + excluded.nrt_ms, nrt_n = r.nrt_n + excluded.nrt_n;
  WITH moved AS (DELETE FROM ticket_performance_histogram_deltas WHERE workspace_id = ws RETURNING *)
  INSERT INTO ticket_performance_histograms AS h
    SELECT workspace_id, grain, period_start, assignee_id, team_id, metric, bucket, sum(n)
    FROM moved GROUP BY workspace_id, grain, period_start, assignee_id, team_id, metric, bucket
  ON CONFLICT (workspace_id, grain, period_start, assignee_id, team_id, metric, bucket) DO UPDATE SET n = h.n + excluded.n;
END $$;

-- Rebuilds a workspace's rollups from its tickets in one pass (tickets already stored when
-- this migration runs; a bulk load with the triggers off). Takes the same figures as the
-- triggers; the rollup test holds the two to each other.
CREATE FUNCTION rebuild_ticket_performance(ws uuid) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM ticket_performance_deltas WHERE workspace_id = ws;
  DELETE FROM ticket_performance_histogram_deltas WHERE workspace_id = ws;
  DELETE FROM ticket_performance_rollups WHERE workspace_id = ws;
  DELETE FROM ticket_performance_histograms WHERE workspace_id = ws;
  CREATE TEMPORARY TABLE performance_rebuild ON COMMIT DROP AS
    SELECT t.assignee_id, t.team_id, t.created_at, t.public_reply_count, t.reopen_count,
           (t.created_at AT TIME ZONE 'UTC')::date AS day,
           (t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL) AS is_solved,
           CASE WHEN t.first_response_at IS NOT NULL
             THEN extract(epoch FROM t.first_response_at - coalesce(t.first_customer_message_at, t.created_at))::double precision / 60 END AS frt,
           CASE WHEN t.status IN ('solved', 'closed') AND t.solved_at IS NOT NULL
             THEN extract(epoch FROM t.solved_at - t.created_at)::double precision / 60 END AS res,
           coalesce(s.hit, 0) AS hit, coalesce(s.missed, 0) AS missed, coalesce(s.nrt_ms, 0) AS nrt_ms, coalesce(s.nrt_n, 0) AS nrt_n
    FROM tickets t
    LEFT JOIN (
      SELECT ticket_id, count(*) FILTER (WHERE outcome = 'hit') AS hit, count(*) FILTER (WHERE outcome = 'missed') AS missed,
             sum(elapsed_ms) FILTER (WHERE metric = 'next_response' AND stopped_at IS NOT NULL) AS nrt_ms,
             count(*) FILTER (WHERE metric = 'next_response' AND stopped_at IS NOT NULL) AS nrt_n
      FROM ticket_sla_targets WHERE workspace_id = ws GROUP BY ticket_id) s ON s.ticket_id = t.id
    WHERE t.workspace_id = ws AND t.merged_into_id IS NULL;
  INSERT INTO ticket_performance_rollups
    SELECT ws, g.grain, g.start, r.assignee_id, r.team_id, count(*), count(*) FILTER (WHERE r.is_solved),
           count(*) FILTER (WHERE r.is_solved AND r.public_reply_count <= 1 AND r.reopen_count = 0),
           sum(r.hit), sum(r.missed), sum(r.nrt_ms), sum(r.nrt_n)
    FROM performance_rebuild r
    CROSS JOIN LATERAL (VALUES ('day', r.day), ('month', date_trunc('month', r.day)::date)) AS g(grain, start)
    GROUP BY g.grain, g.start, r.assignee_id, r.team_id;
  INSERT INTO ticket_performance_histograms
    SELECT ws, g.grain, g.start, r.assignee_id, r.team_id, m.metric, performance_bucket(m.minutes), count(*)
    FROM performance_rebuild r
    CROSS JOIN LATERAL (VALUES ('day', r.day), ('month', date_trunc('month', r.day)::date)) AS g(grain, start)
    CROSS JOIN LATERAL (VALUES ('first_response', r.frt), ('resolution', r.res)) AS m(metric, minutes)
    WHERE m.minutes IS NOT NULL
    GROUP BY g.grain, g.start, r.assignee_id, r.team_id, m.metric, performance_bucket(m.minutes);
  DROP TABLE performance_rebuild;
END $$;

SELECT rebuild_ticket_performance(id) FROM workspaces;
