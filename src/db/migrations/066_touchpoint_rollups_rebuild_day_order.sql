-- The rebuild wrote a workspace's person-day rows in the order its window pass produced them
-- (person by person), so one day's rows lay scattered over the whole table, and the moments
-- report's edge reads (one day's rows, and the rows whose previous day or conversion falls on
-- an edge day) cost a random heap page per row: about a second at 10M touchpoints. Rows kept at
-- ingest arrive roughly in time order already; the rebuild now writes them in day order too.

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
    ORDER BY day, stage, who
  $q$, touchpoint_person_rows_sql('')) USING ws;
  INSERT INTO touchpoint_person_gaps (workspace_id, day, stage, prev_day, conv_day, people)
  SELECT ws, day, stage, touchpoint_gap_day(prev_last, '-infinity'), touchpoint_gap_day(conv_at, 'infinity'), count(*)
  FROM touchpoint_person_days WHERE workspace_id = ws
  GROUP BY 2, 3, 4, 5;
  SELECT COALESCE(sum(touchpoints), 0) INTO counted FROM touchpoint_daily WHERE workspace_id = ws;
  RETURN counted;
END
$fn$;

