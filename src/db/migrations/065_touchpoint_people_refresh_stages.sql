-- The person refresh (migrations 063, 064) recomputed every stage of a touched person; ingest
-- paid for the person's whole history on every batch (about 0.6 of the earlier throughput in
-- the ingest benchmark). A touchpoint at stage S changes only S's rows (their days, previous
-- links, and their own conversion links through first_at) and the conversion links of the
-- previous stage's rows, so only those are recomputed, from those stages' touchpoints and the
-- next stage's. The two-argument form (every stage) remains for merges and erasure.

CREATE FUNCTION touchpoint_people_refresh(ws uuid, whos text[], stages text[]) RETURNS bigint LANGUAGE plpgsql AS $fn$
DECLARE
  custs uuid[];
  anons text[];
  removed bigint;
  r_who text[];
  r_stage text[];
  n_who text[];
  n_stage text[];
BEGIN
  IF whos IS NULL OR cardinality(whos) = 0 THEN RETURN 0; END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended(ws::text || '|' || w, 4))
  FROM (SELECT DISTINCT w FROM unnest(whos) w ORDER BY w) x;
  custs := ARRAY(SELECT w::uuid FROM unnest(whos) w WHERE w NOT LIKE 'anon:%');
  anons := ARRAY(SELECT substr(w, 6) FROM unnest(whos) w WHERE w LIKE 'anon:%');
  -- The rows to recompute: a touch at stage S changes S's rows and the conversion links of the
  -- previous stage's rows; a null stage (a merge, an erasure) all five. Their inputs: those
  -- stages' touchpoints and the next stage's.
  SELECT array_agg(who), array_agg(stage) INTO r_who, r_stage FROM (
    SELECT DISTINCT t.w AS who, st.stage
    FROM unnest(whos, stages) AS t(w, s)
    JOIN unnest(ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot']) WITH ORDINALITY AS st(stage, n)
      ON t.s IS NULL OR st.n IN (array_position(ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot'], t.s),
                                 array_position(ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot'], t.s) - 1)
  ) x;
  SELECT array_agg(who), array_agg(stage) INTO n_who, n_stage FROM (
    SELECT DISTINCT r.w AS who, st.stage
    FROM unnest(r_who, r_stage) AS r(w, s)
    JOIN unnest(ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot']) WITH ORDINALITY AS st(stage, n)
      ON st.n IN (array_position(ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot'], r.s),
                  array_position(ARRAY['lzmot', 'zmot', 'fmot', 'smot', 'umot'], r.s) + 1)
  ) x;
  -- Rows that did not change keep their aggregate key: only the net difference is written.
  EXECUTE format($q$
    WITH fresh AS (
      SELECT f.* FROM (%s) f WHERE (f.who, f.stage) IN (SELECT * FROM unnest($4::text[], $5::text[]))
    ),
    old AS (
      SELECT who, stage, day, prev_last, conv_at FROM touchpoint_person_days
      WHERE workspace_id = $1 AND who = ANY($4) AND (who, stage) IN (SELECT * FROM unnest($4::text[], $5::text[]))
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
  $q$, touchpoint_person_rows_sql('AND (customer_id = ANY($2) OR (customer_id IS NULL AND anonymous_id = ANY($3)))
    AND (COALESCE(customer_id::text, ''anon:'' || anonymous_id), stage) IN (SELECT * FROM unnest($6::text[], $7::text[]))'))
  INTO removed USING ws, custs, anons, r_who, r_stage, n_who, n_stage;
  RETURN removed;
END
$fn$;

CREATE OR REPLACE FUNCTION touchpoint_people_refresh(ws uuid, whos text[]) RETURNS bigint LANGUAGE sql AS $fn$
  SELECT touchpoint_people_refresh(ws, whos, array_fill(NULL::text, ARRAY[cardinality(whos)]))
$fn$;
