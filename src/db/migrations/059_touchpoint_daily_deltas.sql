-- The daily touchpoint counters (migration 015) without a hot row: every touchpoint of a day
-- (each ticket's "Ticket Created" among them) added to one touchpoint_daily row per day × stage ×
-- valence × channel with INSERT … ON CONFLICT DO UPDATE, so concurrent creates queued on that
-- row's lock until each commit. Writers now append their counts to touchpoint_daily_deltas (no
-- key, no conflict, no lock); a background job folds them into touchpoint_daily; readers add the
-- deltas not yet folded (touchpoint_daily UNION ALL touchpoint_daily_deltas), so every report is
-- exact at any moment. The same pattern as the team report's rollups (migration 055).
--
-- Deltas may be negative (a customer erased takes their counts out).

CREATE TABLE touchpoint_daily_deltas (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  day          date NOT NULL,
  stage        text NOT NULL,
  valence      text NOT NULL,
  channel      text NOT NULL DEFAULT '',
  touchpoints  bigint NOT NULL
);
-- Readers take a workspace's days in a range; the fold takes a workspace's all.
CREATE INDEX touchpoint_daily_deltas_day ON touchpoint_daily_deltas (workspace_id, day);

-- Folds a workspace's deltas into touchpoint_daily; returns the deltas moved. Only deltas this
-- statement sees move (a writer's uncommitted ones wait for the next fold), and no delta moves
-- twice: a second fold at once waits on the first's deleted rows and then skips them. Folds of
-- one workspace take turns anyway (an advisory lock), so they never contend on the counter rows.
-- A counter that falls to zero (a customer erased) is removed, as a rebuild would not have it.
CREATE FUNCTION fold_touchpoint_daily(ws uuid) RETURNS bigint
  LANGUAGE plpgsql AS $$
DECLARE
  moved bigint;
  emptied bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('touchpoint_daily'), hashtext(ws::text));
  WITH gone AS (DELETE FROM touchpoint_daily_deltas WHERE workspace_id = ws RETURNING *),
  summed AS (
    SELECT day, stage, valence, channel, sum(touchpoints) AS n, count(*) AS deltas
    FROM gone GROUP BY day, stage, valence, channel
  ),
  up AS (
    INSERT INTO touchpoint_daily AS d (workspace_id, day, stage, valence, channel, touchpoints)
    SELECT ws, day, stage, valence, channel, n FROM summed ORDER BY day, stage, valence, channel
    ON CONFLICT (workspace_id, day, stage, valence, channel) DO UPDATE SET touchpoints = d.touchpoints + EXCLUDED.touchpoints
    RETURNING d.touchpoints
  )
  SELECT (SELECT coalesce(sum(deltas), 0) FROM summed), (SELECT count(*) FROM up WHERE touchpoints <= 0) INTO moved, emptied;
  IF emptied > 0 THEN
    DELETE FROM touchpoint_daily WHERE workspace_id = ws AND touchpoints <= 0;
  END IF;
  RETURN moved;
END $$;

-- As in 015 (and whatever replaces it later keeps this): a rebuild counts from the touchpoints
-- themselves, so the deltas not yet folded go, or they would be counted twice.
CREATE OR REPLACE FUNCTION touchpoint_rollups_rebuild(ws uuid) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE counted bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('touchpoint_daily'), hashtext(ws::text));
  DELETE FROM touchpoint_daily_deltas WHERE workspace_id = ws;
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
