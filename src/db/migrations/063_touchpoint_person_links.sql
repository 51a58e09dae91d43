-- Distinct people and conversion over any [from, to) from rows proportional to days, not
-- people (issue 4: the moments report at 10M touchpoints). touchpoint_person_months grouped one
-- row per person × stage × month, so a year's report read every person; it is replaced by links
-- on the person-day rows and a small aggregate of them.
--
-- Each touchpoint_person_days row (who × stage × UTC day) gets:
--   prev_last      last_at of the same who and stage's previous day row (null: none). A row is
--                  a person's first at that stage in [F, T) exactly when prev_last < F.
--   conv_at        the earliest next-stage touchpoint strictly after first_at (null: none). For
--                  a row that is the person's first in the period, converted ⇔ conv_at < T.
--   later_conv_at  the earliest next-stage touchpoint on a later day: the partial first day of
--                  a period is read raw, and this is what lies beyond it.
--
-- touchpoint_person_gaps counts those rows per (day, stage, day of prev_last, day of conv_at),
-- '-infinity' / 'infinity' for none: the whole days of a period are summed from it, and only
-- the rows whose prev_last or conv_at fall on the day of a partial edge are read one by one
-- (indexes below). Rows per workspace ≈ days × stages × typical gaps.
--
-- Maintenance is exact under any arrival order: for the people a batch touches, their rows
-- are recomputed from their touchpoints and the aggregate gets the difference
-- (touchpoint_people_refresh, called in the transaction that writes the touchpoints).

ALTER TABLE touchpoint_person_days
  ADD COLUMN prev_last timestamptz,
  ADD COLUMN conv_at timestamptz,
  ADD COLUMN later_conv_at timestamptz;

CREATE INDEX touchpoint_person_days_who ON touchpoint_person_days (workspace_id, who);
CREATE INDEX touchpoint_person_days_prev ON touchpoint_person_days (workspace_id, prev_last) WHERE prev_last IS NOT NULL;
CREATE INDEX touchpoint_person_days_conv ON touchpoint_person_days (workspace_id, conv_at) WHERE conv_at IS NOT NULL;

CREATE TABLE touchpoint_person_gaps (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  day          date NOT NULL,
  stage        text NOT NULL,
  prev_day     date NOT NULL,
  conv_day     date NOT NULL,
  people       bigint NOT NULL,
  PRIMARY KEY (workspace_id, day, stage, prev_day, conv_day)
);
-- A difference can leave a count at zero; those rows are removed right after, found here.
CREATE INDEX touchpoint_person_gaps_empty ON touchpoint_person_gaps (workspace_id) WHERE people = 0;

DROP TABLE touchpoint_person_months;

-- The person-day rows of a workspace's touchpoints, with their links, as one query over the
-- touchpoints that pass `filter` (extra SQL ANDed to the WHERE; $1 is the workspace). Shared by
-- the rebuild and the incremental refresh so both compute exactly the same rows.
--
-- The links come from one window pass per (who, stage): the stage's day rows ask at their
-- first_at (k = 0: strictly after) and at their next midnight (k = 2: at or after), the next
-- stage's touchpoints answer (k = 1); latest first, the running min of the answers seen so far
-- is the earliest answer after the question. Ties: ORDER BY at DESC, k puts a k = 0 question
-- before an answer at the same instant (not after it) and a k = 2 one behind it.
CREATE FUNCTION touchpoint_person_rows_sql(filter text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
SELECT format($q$
  WITH raw AS (
    SELECT COALESCE(customer_id::text, 'anon:' || anonymous_id) AS who, stage, occurred_at AS at
    FROM touchpoints
    WHERE workspace_id = $1 AND kind <> 'identify' AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL) %s
  ),
  next_of(stage, next) AS (VALUES ('lzmot', 'zmot'), ('zmot', 'fmot'), ('fmot', 'smot'), ('smot', 'umot')),
  days AS (
    SELECT who, stage, (at AT TIME ZONE 'UTC')::date AS day, min(at) AS first_at, max(at) AS last_at FROM raw GROUP BY 1, 2, 3
  ),
  events AS (
    SELECT who, stage, day, first_at AS at, 0 AS k, first_at, last_at FROM days
    UNION ALL
    SELECT r.who, n.stage, NULL, r.at, 1, NULL, NULL FROM raw r JOIN next_of n ON n.next = r.stage
    UNION ALL
    SELECT who, stage, day, (day + 1)::timestamp AT TIME ZONE 'UTC', 2, NULL, NULL FROM days
  ),
  answered AS (
    SELECT who, stage, day, k, first_at, last_at,
           min(at) FILTER (WHERE k = 1) OVER (PARTITION BY who, stage ORDER BY at DESC, k ROWS UNBOUNDED PRECEDING) AS answer
    FROM events
  ),
  linked AS (
    SELECT who, stage, day, max(first_at) AS first_at, max(last_at) AS last_at,
           max(answer) FILTER (WHERE k = 0) AS conv_at, max(answer) FILTER (WHERE k = 2) AS later_conv_at
    FROM answered WHERE k <> 1 GROUP BY 1, 2, 3
  )
  SELECT who, stage, day, first_at, last_at,
         lag(last_at) OVER (PARTITION BY who, stage ORDER BY day) AS prev_last, conv_at, later_conv_at
  FROM linked
$q$, filter)
$fn$;

-- The aggregate key of a person-day row.
CREATE FUNCTION touchpoint_gap_day(at timestamptz, fallback date) RETURNS date LANGUAGE sql IMMUTABLE AS $fn$
  SELECT COALESCE((at AT TIME ZONE 'UTC')::date, fallback)
$fn$;

-- Recomputes the person-day rows of these people (who: a customer id, or 'anon:' || anonymousId)
-- from their touchpoints and applies the difference to touchpoint_person_gaps; returns the
-- person-day rows removed. Cost: the people's own history. Must run after their touchpoints
-- are written, in the same transaction. A lock per person (taken in key order, in its own
-- statement so the statements after it see whatever a concurrent writer committed meanwhile)
-- keeps two transactions from recomputing the same person from different snapshots.
CREATE FUNCTION touchpoint_people_refresh(ws uuid, whos text[]) RETURNS bigint LANGUAGE plpgsql AS $fn$
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
    gone AS (
      DELETE FROM touchpoint_person_days p USING old o
      WHERE p.workspace_id = $1 AND p.who = o.who AND p.stage = o.stage AND p.day = o.day
        AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.who = o.who AND f.stage = o.stage AND f.day = o.day)
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
      INSERT INTO touchpoint_person_gaps AS g (workspace_id, day, stage, prev_day, conv_day, people)
      SELECT $1, day, stage, prev_day, conv_day, n FROM delta ORDER BY day, stage, prev_day, conv_day
      ON CONFLICT (workspace_id, day, stage, prev_day, conv_day) DO UPDATE SET people = g.people + EXCLUDED.people
    )
    SELECT count(*) FROM gone
  $q$, touchpoint_person_rows_sql('AND (customer_id = ANY($2) OR (customer_id IS NULL AND anonymous_id = ANY($3)))'))
  INTO removed USING ws, custs, anons, whos;
  DELETE FROM touchpoint_person_gaps WHERE workspace_id = ws AND people = 0;
  RETURN removed;
END
$fn$;

-- As in 059 (pending daily deltas dropped under the fold's lock), plus the links and the
-- aggregate; person months are gone. The links are one sort of the workspace's touchpoints:
-- more memory than the 4 MB default keeps it off disk longer.
CREATE OR REPLACE FUNCTION touchpoint_rollups_rebuild(ws uuid) RETURNS bigint LANGUAGE plpgsql SET work_mem = '64MB' AS $fn$
DECLARE counted bigint;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('touchpoint_daily'), hashtext(ws::text));
  DELETE FROM touchpoint_daily_deltas WHERE workspace_id = ws;
  DELETE FROM touchpoint_daily WHERE workspace_id = ws;
  DELETE FROM touchpoint_person_days WHERE workspace_id = ws;
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

SELECT touchpoint_rollups_rebuild(id) FROM workspaces;
