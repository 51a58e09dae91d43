-- attribution_fold (migration 077) recomputed all the queued people of a workspace in one
-- attribution_refresh statement, however large the backlog (a burst of review-view ingest, a
-- job stopped for a while): one statement's memory and locks grew with it, and above 500
-- people the refresh locks the whole workspace's attribution. The people are now recomputed
-- 500 at a time, in one order. (Measured on the attribution benchmark's ingest, 20,000
-- touchpoints over 4,000 visitors at load 1.5: the same time either way.)
CREATE OR REPLACE FUNCTION attribution_fold(ws uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  everyone boolean;
  people text[];
  taken bigint;
  i int;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('attribution_pending'), hashtext(ws::text));
  WITH gone AS (DELETE FROM attribution_pending a WHERE a.workspace_id = ws RETURNING a.persons)
  SELECT count(*), bool_or(g.persons IS NULL), ARRAY(SELECT DISTINCT p FROM gone x CROSS JOIN LATERAL unnest(x.persons) p ORDER BY p)
  INTO taken, everyone, people FROM gone g;
  IF taken = 0 THEN RETURN 0; END IF;
  IF everyone THEN
    -- A bulk load (an import, a back-fill) recomputes the workspace in one pass.
    PERFORM attribution_refresh(ws, NULL);
  ELSE
    FOR i IN 1 .. cardinality(people) BY 500 LOOP
      PERFORM attribution_refresh(ws, people[i : i + 499]);
    END LOOP;
  END IF;
  RETURN taken;
END $$;
