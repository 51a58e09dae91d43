-- touchpoint_person_gaps (migration 063) without hot rows, as migration 059 did for the daily
-- counters: every batch of a day's activity changed the same few aggregate rows (one per day ×
-- stage × gap), so concurrent batches queued on their locks until each commit, and a batch
-- holding a person's lock while waiting for such a row could deadlock with one holding the row
-- and waiting for the person. The refresh now appends its difference to
-- touchpoint_person_gap_deltas (no key, no conflict, no lock); the touchpoints.people.fold job
-- adds them into touchpoint_person_gaps; readers add the deltas not yet folded, so every report
-- is exact at any moment. Deltas may be negative (a merge, an erasure, a late touchpoint).

CREATE TABLE touchpoint_person_gap_deltas (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  day          date NOT NULL,
  stage        text NOT NULL,
  prev_day     date NOT NULL,
  conv_day     date NOT NULL,
  people       bigint NOT NULL
);
-- Readers take a workspace's days in a range; the fold takes a workspace's all.
CREATE INDEX touchpoint_person_gap_deltas_day ON touchpoint_person_gap_deltas (workspace_id, day);

-- Folds a workspace's gap deltas into touchpoint_person_gaps; returns the deltas moved. As
-- fold_touchpoint_daily (059): only deltas this statement sees move, folds of one workspace take
-- turns (an advisory lock), and a count that falls to zero is removed.
CREATE FUNCTION fold_touchpoint_person_gaps(ws uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  moved bigint;
  emptied bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('touchpoint_person_gaps'), hashtext(ws::text));
  WITH gone AS (DELETE FROM touchpoint_person_gap_deltas WHERE workspace_id = ws RETURNING *),
  summed AS (
    SELECT day, stage, prev_day, conv_day, sum(people) AS n, count(*) AS deltas
    FROM gone GROUP BY day, stage, prev_day, conv_day
  ),
  up AS (
    INSERT INTO touchpoint_person_gaps AS g (workspace_id, day, stage, prev_day, conv_day, people)
    SELECT ws, day, stage, prev_day, conv_day, n FROM summed WHERE n <> 0 ORDER BY day, stage, prev_day, conv_day
    ON CONFLICT (workspace_id, day, stage, prev_day, conv_day) DO UPDATE SET people = g.people + EXCLUDED.people
    RETURNING g.people
  )
  SELECT (SELECT coalesce(sum(deltas), 0) FROM summed), (SELECT count(*) FROM up WHERE people = 0) INTO moved, emptied;
  IF emptied > 0 THEN
    DELETE FROM touchpoint_person_gaps WHERE workspace_id = ws AND people = 0;
  END IF;
  RETURN moved;
END $$;

-- As in 063, the difference appended instead of applied, and the rows gone found by EXCEPT.
CREATE OR REPLACE FUNCTION touchpoint_people_refresh(ws uuid, whos text[]) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  custs uuid[];
  anons text[];
  removed bigint;
BEGIN
  IF whos IS NULL OR cardinality(whos) = 0 THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(ws::text || '|' || w, 4))
  FROM (SELECT DISTINCT w FROM unnest(whos) w ORDER BY w) x;
  custs := ARRAY(SELECT w::uuid FROM unnest(whos) w WHERE w NOT LIKE 'anon:%');
  anons := ARRAY(SELECT substr(w, 6) FROM unnest(whos) w WHERE w LIKE 'anon:%');
  -- Rows that did not change keep their aggregate key: only the net difference is written.
  EXECUTE format($q$
    WITH fresh AS (%s),
    old AS (
      SELECT who, stage, day, prev_last, conv_at FROM touchpoint_person_days WHERE workspace_id = $1 AND who = ANY($4)
    ),
    -- EXCEPT, not NOT EXISTS: the planner cannot see the CTEs' sizes and chose a nested loop
    -- over them (old × fresh rows, seconds per batch once people have a history).
    stale AS (SELECT who, stage, day FROM old EXCEPT ALL SELECT who, stage, day FROM fresh),
    gone AS (
      DELETE FROM touchpoint_person_days p USING stale o
      WHERE p.workspace_id = $1 AND p.day = o.day AND p.stage = o.stage AND p.who = o.who
      RETURNING 1
    ),
    kept AS (
      INSERT INTO touchpoint_person_days AS p (workspace_id, day, stage, who, first_at, last_at, prev_last, conv_at, later_conv_at)
      SELECT $1, day, stage, who, first_at, last_at, prev_last, conv_at, later_conv_at FROM fresh ORDER BY day, stage, who
      ON CONFLICT (workspace_id, day, stage, who) DO UPDATE
        SET first_at = EXCLUDED.first_at, last_at = EXCLUDED.last_at, prev_last = EXCLUDED.prev_last,
            conv_at = EXCLUDED.conv_at, later_conv_at = EXCLUDED.later_conv_at
        WHERE (p.first_at, p.last_at, p.prev_last, p.conv_at, p.later_conv_at)
              IS DISTINCT FROM (EXCLUDED.first_at, EXCLUDED.last_at, EXCLUDED.prev_last, EXCLUDED.conv_at, EXCLUDED.later_conv_at)
    ),
    delta AS (
      SELECT day, stage, touchpoint_gap_day(prev_last, '-infinity') AS prev_day, touchpoint_gap_day(conv_at, 'infinity') AS conv_day, sum(n) AS n
      FROM (SELECT day, stage, prev_last, conv_at, 1 AS n FROM fresh UNION ALL SELECT day, stage, prev_last, conv_at, -1 FROM old) x
      GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
    ),
    applied AS (
      INSERT INTO touchpoint_person_gap_deltas (workspace_id, day, stage, prev_day, conv_day, people)
      SELECT $1, day, stage, prev_day, conv_day, n FROM delta
    )
    SELECT count(*) FROM gone
  $q$, touchpoint_person_rows_sql('AND (customer_id = ANY($2) OR (customer_id IS NULL AND anonymous_id = ANY($3)))'))
  INTO removed USING ws, custs, anons, whos;
  RETURN removed;
END
$fn$;

-- As in 063, pending gap deltas dropped under the fold's lock.
CREATE OR REPLACE FUNCTION touchpoint_rollups_rebuild(ws uuid) RETURNS bigint LANGUAGE plpgsql SET work_mem = '64MB' AS $fn$
DECLARE counted bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('touchpoint_daily'), hashtext(ws::text));
  DELETE FROM touchpoint_daily_deltas WHERE workspace_id = ws;
  DELETE FROM touchpoint_daily WHERE workspace_id = ws;
  DELETE FROM touchpoint_person_days WHERE workspace_id = ws;
  PERFORM pg_advisory_xact_lock(hashtext('touchpoint_person_gaps'), hashtext(ws::text));
  DELETE FROM touchpoint_person_gap_deltas WHERE workspace_id = ws;
  DELETE FROM touchpoint_person_gaps WHERE workspace_id = ws;
  INSERT INTO touchpoint_daily (workspace_id, day, stage, valence, channel, touchpoints)
  SELECT ws, (occurred_at AT TIME ZONE 'UTC')::date, stage, valence, COALESCE(channel, ''), count(*)
  FROM touchpoints WHERE workspace_id = ws AND kind <> 'identify'
  GROUP BY 2, 3, 4, 5;
  EXECUTE format($q$
    INSERT INTO touchpoint_person_days (workspace_id, day, stage, who, first_at, last_at, prev_last, conv_at, later_conv_at)
    SELECT $1, day, stage, who, first_at, last_at, prev_last, conv_at, later_conv_at FROM (%s) f
  $q$, touchpoint_person_rows_sql('')) USING ws;
  INSERT INTO touchpoint_person_gaps (workspace_id, day, stage, prev_day, conv_day, people)
  SELECT ws, day, stage, touchpoint_gap_day(prev_last, '-infinity'), touchpoint_gap_day(conv_at, 'infinity'), count(*)
  FROM touchpoint_person_days WHERE workspace_id = ws
  GROUP BY 2, 3, 4, 5;
  SELECT COALESCE(sum(touchpoints), 0) INTO counted FROM touchpoint_daily WHERE workspace_id = ws;
  RETURN counted;
END
$fn$;

