-- UMOT → ZMOT attribution counted at write time (issue 8: the report over 1M views and 100k
-- conversions under 500 ms). The report over loop_facts reads every view of its period and
-- joins them to the conversions by person (8–9 s for a year at 1M views); these tables let it
-- read sums per review × month instead, for periods of whole UTC months and the lookbacks of
-- 7, 30 and 90 days; other periods with these lookbacks count the period's rows of
-- attribution_views and attribution_credits (no join by person). Any other lookback stays on
-- the exact report over loop_facts.
--
-- Everything here is derived from loop_facts (review views and conversions) by the statement
-- triggers at the end, person by person: a batch, a late view or conversion, an identify
-- merge (the visitor's facts change person) or an erasure recomputes the rows of the people it
-- touched, takes their old contribution out of the monthly sums and adds the new one. Nothing
-- here is exported: an import writes loop_facts and the triggers rebuild the rest.
--
-- The person is the customer, else 'anon:' || anonymous_id, as in the report.
-- Months are UTC; a missing link is '-infinity' (before everything) or 'infinity' (after).

-- One row per review view, with its links to the same person's other views. With these, the
-- report's per-person questions become conditions on one row:
--   reach         a person is reached by a review in [F, T) once: at the view whose previous
--                 view of the same review (prev_at) is before F;
--   people        the same across reviews (prev_any_at);
--   lost          a (review, person)'s last view in the period is the one whose next view
--                 (next_at) is at or after T; the pair is won when one of its views in the
--                 period was followed by a conversion of the person within the lookback, i.e.
--                 when won_L — the latest view of the pair up to this one that a conversion
--                 followed within L days — is at or after F.
CREATE TABLE attribution_views (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  person        text NOT NULL,
  review_id     uuid NOT NULL,
  at            timestamptz NOT NULL,
  touchpoint_id uuid NOT NULL,
  prev_at       timestamptz,
  prev_any_at   timestamptz,
  next_at       timestamptz,
  won_7         timestamptz,
  won_30        timestamptz,
  won_90        timestamptz
);
-- No unique key: a person's rows are deleted and written again in one statement.
CREATE INDEX attribution_views_person ON attribution_views (workspace_id, person);
-- Periods of whole months read single views only in the month where the lookback window
-- closes; other periods read the period's views.
CREATE INDEX attribution_views_at ON attribution_views (workspace_id, at);

-- Per conversion and lookback, the reviews its person saw in the window before it (the
-- domain's candidate views, one row per distinct review) and how the models share it.
CREATE TABLE attribution_credits (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  person        text NOT NULL,
  lookback      smallint NOT NULL,
  conversion_id uuid NOT NULL,
  converted_at  timestamptz NOT NULL,
  review_id     uuid NOT NULL,
  first_touch   boolean NOT NULL,
  last_touch    boolean NOT NULL,
  -- Distinct reviews of the conversion: its linear credit is 1 / reviews.
  reviews       integer NOT NULL
);
CREATE INDEX attribution_credits_person ON attribution_credits (workspace_id, person);
-- A period that is not whole months reads its conversions' credits row by row.
CREATE INDEX attribution_credits_period ON attribution_credits (workspace_id, lookback, converted_at);

-- The monthly sums the report reads (rows whose sums fell back to zero stay; the report
-- reads zero as nothing).
CREATE TABLE attribution_reach_months (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  review_id    uuid NOT NULL,
  month        date NOT NULL,
  prev_month   date NOT NULL,
  views        bigint NOT NULL,
  PRIMARY KEY (workspace_id, month, review_id, prev_month)
);
CREATE TABLE attribution_people_months (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  month        date NOT NULL,
  prev_month   date NOT NULL,
  views        bigint NOT NULL,
  PRIMARY KEY (workspace_id, month, prev_month)
);
CREATE TABLE attribution_lost_months (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  lookback     smallint NOT NULL,
  month        date NOT NULL,
  review_id    uuid NOT NULL,
  next_month   date NOT NULL,
  won_month    date NOT NULL,
  views        bigint NOT NULL,
  PRIMARY KEY (workspace_id, lookback, month, review_id, next_month, won_month)
);
CREATE TABLE attribution_credit_months (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  lookback     smallint NOT NULL,
  month        date NOT NULL,
  review_id    uuid NOT NULL,
  influenced   bigint NOT NULL,
  first_touch  bigint NOT NULL,
  last_touch   bigint NOT NULL,
  -- Sum of 1 / reviews: numeric, so taking a person's old share out is exact.
  linear       numeric NOT NULL,
  PRIMARY KEY (workspace_id, lookback, month, review_id)
);

-- The facts of a person are found by customer or by visitor.
CREATE INDEX loop_facts_customer ON loop_facts (workspace_id, customer_id) WHERE customer_id IS NOT NULL;

CREATE FUNCTION attribution_month(t timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT date_trunc('month', t AT TIME ZONE 'UTC')::date $$;

-- Recomputes the attribution rows of these people (NULL: every person of the workspace) from
-- loop_facts and moves the monthly sums by the difference.
CREATE FUNCTION attribution_refresh(ws uuid, persons text[]) RETURNS void
  LANGUAGE plpgsql AS $$
DECLARE
  everyone boolean := persons IS NULL;
  customer_ids uuid[];
  anonymous_ids text[];
BEGIN
  -- A workspace being deleted takes its rows by cascade.
  IF NOT EXISTS (SELECT 1 FROM workspaces WHERE id = ws) THEN RETURN; END IF;
  -- Two transactions recomputing one person would each miss the other's facts: one person at
  -- a time (locks in one order), a whole workspace alone.
  IF everyone OR cardinality(persons) > 500 THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('attribution:' || ws::text, 0));
  ELSE
    PERFORM pg_advisory_xact_lock_shared(hashtextextended('attribution:' || ws::text, 0));
    PERFORM pg_advisory_xact_lock(k)
    FROM (SELECT DISTINCT hashtextextended(ws::text || ':' || p, 0) AS k FROM unnest(persons) p ORDER BY 1) x;
  END IF;
  SELECT array_agg(p::uuid) FILTER (WHERE p NOT LIKE 'anon:%'), array_agg(substr(p, 6)) FILTER (WHERE p LIKE 'anon:%')
  INTO customer_ids, anonymous_ids
  FROM unnest(persons) p;

  WITH f AS MATERIALIZED (
    SELECT COALESCE(customer_id::text, 'anon:' || anonymous_id) AS person, kind = 'conversion' AS conv, review_id, at, touchpoint_id
    FROM loop_facts
    WHERE workspace_id = ws AND kind IN ('review_view', 'conversion')
      AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL)
      AND (kind = 'conversion' OR review_id IS NOT NULL)
      AND (everyone OR customer_id = ANY(customer_ids) OR (customer_id IS NULL AND anonymous_id = ANY(anonymous_ids)))
  ),
  -- The person's next conversion at or after each fact (a conversion at the same instant counts).
  timeline AS (
    SELECT f.*, min(at) FILTER (WHERE conv) OVER (PARTITION BY person ORDER BY at DESC, conv DESC ROWS UNBOUNDED PRECEDING) AS next_conv
    FROM f
  ),
  linked AS (
    SELECT person, review_id, at, touchpoint_id,
           lag(at) OVER pair AS prev_at, lag(at) OVER anyone AS prev_any_at, lead(at) OVER pair AS next_at,
           max(at) FILTER (WHERE next_conv <= at + interval '168 hours') OVER pair AS won_7,
           max(at) FILTER (WHERE next_conv <= at + interval '720 hours') OVER pair AS won_30,
           max(at) FILTER (WHERE next_conv <= at + interval '2160 hours') OVER pair AS won_90
    FROM timeline WHERE NOT conv
    WINDOW pair AS (PARTITION BY person, review_id ORDER BY at, touchpoint_id),
           anyone AS (PARTITION BY person ORDER BY at, touchpoint_id)
  ),
  gone_views AS (
    DELETE FROM attribution_views v WHERE v.workspace_id = ws AND (everyone OR v.person = ANY(persons))
    RETURNING v.*
  ),
  new_views AS (
    INSERT INTO attribution_views (workspace_id, person, review_id, at, touchpoint_id, prev_at, prev_any_at, next_at, won_7, won_30, won_90)
    SELECT ws, person, review_id, at, touchpoint_id, prev_at, prev_any_at, next_at, won_7, won_30, won_90 FROM linked
    RETURNING *
  ),
  view_delta AS MATERIALIZED (
    SELECT -1 AS d, * FROM gone_views UNION ALL SELECT 1, * FROM new_views
  ),
  reach AS (
    INSERT INTO attribution_reach_months AS a (workspace_id, review_id, month, prev_month, views)
    SELECT ws, review_id, attribution_month(at), COALESCE(attribution_month(prev_at), '-infinity'), sum(d)
    FROM view_delta GROUP BY 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 3, 2, 4
    ON CONFLICT (workspace_id, month, review_id, prev_month) DO UPDATE SET views = a.views + EXCLUDED.views
  ),
  people AS (
    INSERT INTO attribution_people_months AS a (workspace_id, month, prev_month, views)
    SELECT ws, attribution_month(at), COALESCE(attribution_month(prev_any_at), '-infinity'), sum(d)
    FROM view_delta GROUP BY 2, 3 HAVING sum(d) <> 0 ORDER BY 2, 3
    ON CONFLICT (workspace_id, month, prev_month) DO UPDATE SET views = a.views + EXCLUDED.views
  ),
  lost AS (
    INSERT INTO attribution_lost_months AS a (workspace_id, lookback, month, review_id, next_month, won_month, views)
    SELECT ws, l.lookback, attribution_month(at), review_id, COALESCE(attribution_month(next_at), 'infinity'),
           COALESCE(attribution_month(CASE l.lookback WHEN 7 THEN won_7 WHEN 30 THEN won_30 ELSE won_90 END), '-infinity'), sum(d)
    FROM view_delta CROSS JOIN (VALUES (7::smallint), (30::smallint), (90::smallint)) AS l(lookback)
    GROUP BY 2, 3, 4, 5, 6 HAVING sum(d) <> 0 ORDER BY 2, 3, 4, 5, 6
    ON CONFLICT (workspace_id, lookback, month, review_id, next_month, won_month) DO UPDATE SET views = a.views + EXCLUDED.views
  ),
  -- Credits: per conversion and lookback, the distinct reviews seen in [converted − L, converted].
  candidates AS (
    SELECT c.person, l.lookback, c.touchpoint_id AS conversion_id, c.at AS converted_at, v.review_id,
           min(v.at) AS first_at, max(v.at) AS last_at
    FROM f c
    CROSS JOIN (VALUES (7::smallint), (30::smallint), (90::smallint)) AS l(lookback)
    JOIN f v ON NOT v.conv AND v.person = c.person AND v.at <= c.at AND v.at >= c.at - l.lookback * interval '24 hours'
    WHERE c.conv
    GROUP BY 1, 2, 3, 4, 5
  ),
  gone_credits AS (
    DELETE FROM attribution_credits c WHERE c.workspace_id = ws AND (everyone OR c.person = ANY(persons))
    RETURNING c.*
  ),
  new_credits AS (
    INSERT INTO attribution_credits (workspace_id, person, lookback, conversion_id, converted_at, review_id, first_touch, last_touch, reviews)
    SELECT ws, person, lookback, conversion_id, converted_at, review_id,
           row_number() OVER (PARTITION BY lookback, conversion_id, converted_at ORDER BY first_at, review_id) = 1,
           row_number() OVER (PARTITION BY lookback, conversion_id, converted_at ORDER BY last_at DESC, review_id DESC) = 1,
           count(*) OVER (PARTITION BY lookback, conversion_id, converted_at)
    FROM candidates
    RETURNING *
  ),
  credit_delta AS (
    SELECT -1 AS d, * FROM gone_credits UNION ALL SELECT 1, * FROM new_credits
  )
  INSERT INTO attribution_credit_months AS a (workspace_id, lookback, month, review_id, influenced, first_touch, last_touch, linear)
  SELECT ws, lookback, attribution_month(converted_at), review_id, sum(d), COALESCE(sum(d) FILTER (WHERE first_touch), 0), COALESCE(sum(d) FILTER (WHERE last_touch), 0),
         sum(d / reviews::numeric)
  FROM credit_delta GROUP BY 2, 3, 4
  HAVING sum(d) <> 0 OR sum(d) FILTER (WHERE first_touch) <> 0 OR sum(d) FILTER (WHERE last_touch) <> 0 OR sum(d / reviews::numeric) <> 0
  ORDER BY 2, 3, 4
  ON CONFLICT (workspace_id, lookback, month, review_id) DO UPDATE
    SET influenced = a.influenced + EXCLUDED.influenced,
        first_touch = a.first_touch + EXCLUDED.first_touch,
        last_touch = a.last_touch + EXCLUDED.last_touch,
        linear = a.linear + EXCLUDED.linear;
END $$;

-- The people whose review views or conversions a statement on loop_facts wrote, moved or
-- removed (an identify merge changes a fact's person: the visitor's rows and the customer's
-- are both recomputed). A conversion of someone who never viewed a review changes nothing
-- here, so only people with a view in the statement or already in attribution_views (which
-- holds every view) are recomputed: most conversions cost one index probe.
-- Keys are ('v' for a view, else 'c') || workspace id || ' ' || person.
CREATE FUNCTION attribution_facts_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  keys text[] := '{}';
  r record;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    keys := keys || ARRAY(
      SELECT CASE kind WHEN 'review_view' THEN 'v' ELSE 'c' END || workspace_id::text || ' ' || COALESCE(customer_id::text, 'anon:' || anonymous_id)
      FROM changed_new
      WHERE kind IN ('review_view', 'conversion') AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    keys := keys || ARRAY(
      SELECT CASE kind WHEN 'review_view' THEN 'v' ELSE 'c' END || workspace_id::text || ' ' || COALESCE(customer_id::text, 'anon:' || anonymous_id)
      FROM changed_old
      WHERE kind IN ('review_view', 'conversion') AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL));
  END IF;
  IF cardinality(keys) = 0 THEN RETURN NULL; END IF;
  FOR r IN
    SELECT ws, array_agg(person) AS persons
    FROM (
      SELECT substr(k, 2, 36)::uuid AS ws, substr(k, 39) AS person, bool_or(left(k, 1) = 'v') AS viewed
      FROM unnest(keys) k GROUP BY 1, 2
    ) x
    WHERE viewed OR EXISTS (SELECT 1 FROM attribution_views a WHERE a.workspace_id = x.ws AND a.person = x.person)
    GROUP BY ws ORDER BY ws
  LOOP
    -- A bulk load (an import, a back-fill) recomputes the workspace in one pass.
    PERFORM attribution_refresh(r.ws, CASE WHEN cardinality(r.persons) > 20000 THEN NULL ELSE r.persons END);
  END LOOP;
  RETURN NULL;
END $$;

CREATE TRIGGER loop_facts_attribution_insert AFTER INSERT ON loop_facts
  REFERENCING NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION attribution_facts_changed();
CREATE TRIGGER loop_facts_attribution_update AFTER UPDATE ON loop_facts
  REFERENCING OLD TABLE AS changed_old NEW TABLE AS changed_new FOR EACH STATEMENT EXECUTE FUNCTION attribution_facts_changed();
CREATE TRIGGER loop_facts_attribution_delete AFTER DELETE ON loop_facts
  REFERENCING OLD TABLE AS changed_old FOR EACH STATEMENT EXECUTE FUNCTION attribution_facts_changed();

-- The facts already stored.
SELECT attribution_refresh(id, NULL) FROM workspaces;
