-- Rows written beside every touchpoint, in the statement that stores it, no longer check their
-- workspace by foreign key: the message key (touchpoint_keys), the daily counters' delta
-- (touchpoint_daily_deltas) and the loop fact (loop_facts). The touchpoint stored with them
-- checks the same workspace by its own key, so these ~900 checks a batch of 500 (each a
-- lookup and a share lock on the workspace row) checked nothing new; they cost a fifth of
-- PostgreSQL's work a touchpoint (insertTouchpoints, 60,000 touchpoints: 92-93 -> 59-76 µs).
-- Deleting a workspace still deletes them, by the trigger below instead of the cascade.
ALTER TABLE touchpoint_keys DROP CONSTRAINT touchpoint_keys_workspace_id_fkey;
ALTER TABLE touchpoint_daily_deltas DROP CONSTRAINT touchpoint_daily_deltas_workspace_id_fkey;
ALTER TABLE loop_facts DROP CONSTRAINT loop_facts_workspace_id_fkey;

CREATE FUNCTION workspaces_delete_touchpoint_side_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM touchpoint_keys WHERE workspace_id IN (SELECT id FROM gone);
  DELETE FROM touchpoint_daily_deltas WHERE workspace_id IN (SELECT id FROM gone);
  DELETE FROM loop_facts WHERE workspace_id IN (SELECT id FROM gone);
  RETURN NULL;
END $$;

CREATE TRIGGER workspaces_delete_touchpoint_side_rows AFTER DELETE ON workspaces
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION workspaces_delete_touchpoint_side_rows();

-- The loop facts' trigger (migration 077) queued a recompute for the people of the workspace
-- being deleted, which failed the deletion on attribution_pending's foreign key (it did under
-- the old cascade as well): a workspace that is gone has nothing to recompute.
CREATE OR REPLACE FUNCTION attribution_facts_changed() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  keys text[] := '{}';
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    keys := keys || ARRAY(
      SELECT workspace_id::text || ' ' || COALESCE(customer_id::text, 'anon:' || anonymous_id)
      FROM changed_new
      WHERE kind IN ('review_view', 'conversion') AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    keys := keys || ARRAY(
      SELECT workspace_id::text || ' ' || COALESCE(customer_id::text, 'anon:' || anonymous_id)
      FROM changed_old
      WHERE kind IN ('review_view', 'conversion') AND (customer_id IS NOT NULL OR anonymous_id IS NOT NULL));
  END IF;
  IF cardinality(keys) = 0 THEN RETURN NULL; END IF;
  INSERT INTO attribution_pending (workspace_id, persons)
  SELECT ws, CASE WHEN count(*) > 20000 THEN NULL ELSE array_agg(person) END
  FROM (SELECT DISTINCT substr(k, 1, 36)::uuid AS ws, substr(k, 38) AS person FROM unnest(keys) k) x
  WHERE EXISTS (SELECT 1 FROM workspaces w WHERE w.id = x.ws)
  GROUP BY ws;
  RETURN NULL;
END $$;
