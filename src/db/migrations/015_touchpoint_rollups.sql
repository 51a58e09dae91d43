-- Rollups of touchpoints, maintained in the same transaction as every insert (and every
-- identify merge), so reports never scan raw touchpoints except for the partial days at the
-- edges of a period. Identify calls are not interactions and are not counted. Days and months
-- are UTC. A "person" (who) is a customer id, or 'anon:' || anonymousId until identified.
--
-- touchpoint_daily          counters per workspace × day × stage × valence × channel
-- touchpoint_person_days    per workspace × day × stage × person: first and last time seen
-- touchpoint_person_months  the same per month
--
-- Distinct people (and conversion) over [from, to) come from person rows — whole months
-- from person_months, whole days of partial months from person_days, and raw touchpoints only
-- for the partial days at each end — grouped by person: exact for any period, and the rows
-- read are at most one per person × stage × month in between.

CREATE TABLE touchpoint_daily (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  day          date NOT NULL,
  stage        text NOT NULL,
  valence      text NOT NULL,
  channel      text NOT NULL DEFAULT '',
  touchpoints  bigint NOT NULL,
  PRIMARY KEY (workspace_id, day, stage, valence, channel)
);

CREATE TABLE touchpoint_person_days (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  day          date NOT NULL,
  stage        text NOT NULL,
  who          text NOT NULL,
  first_at     timestamptz NOT NULL,
  last_at      timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, day, stage, who)
);

CREATE TABLE touchpoint_person_months (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  month        date NOT NULL,
  stage        text NOT NULL,
  who          text NOT NULL,
  first_at     timestamptz NOT NULL,
  last_at      timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, month, stage, who)
);

-- Recomputes a workspace's rollups from its touchpoints (after a bulk load done outside the
-- product, or to check the incremental maintenance); returns the touchpoints counted.
CREATE FUNCTION touchpoint_rollups_rebuild(ws uuid) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE counted bigint;
BEGIN
  DELETE FROM touchpoint_daily WHERE workspace_id = ws;
  DELETE FROM touchpoint_person_days WHERE workspace_id = ws;
  DELETE FROM touchpoint_person_months WHERE workspace_id = ws;
  INSERT INTO touchpoint_daily (workspace_id, day, stage, valence, channel, touchpoints)
  SELECT ws, (occurred_at AT TIME ZONE 'UTC')::date, stage, valence, COALESCE(channel, ''), count(*)
  FROM touchpoints WHERE workspace_id = ws AND kind <> 'identify'
  GROUP BY 2, 3, 4, 5;
  GET DIAGNOSTICS counted = ROW_COUNT;
  INSERT INTO touchpoint_person_days (workspace_id, day, stage, who, first_at, last_at)
  SELECT ws, (occurred_at AT TIME ZONE 'UTC')::date, stage, COALESCE(customer_id::text, 'anon:' || anonymous_id),
         min(occurred_at), max(occurred_at)
  FROM touchpoints WHERE workspace_id = ws AND kind <> 'identify' AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)
  GROUP BY 2, 3, 4;
  INSERT INTO touchpoint_person_months (workspace_id, month, stage, who, first_at, last_at)
  SELECT ws, date_trunc('month', day)::date, stage, who, min(first_at), max(last_at)
  FROM touchpoint_person_days WHERE workspace_id = ws
  GROUP BY 2, 3, 4;
  SELECT COALESCE(sum(touchpoints), 0) INTO counted FROM touchpoint_daily WHERE workspace_id = ws;
  RETURN counted;
END
$fn$;

SELECT touchpoint_rollups_rebuild(id) FROM workspaces;
