-- Touchpoint month partitions (migration 005) made ahead of need, and many months in one step.
--
-- touchpoints_ensure_partitions(months) makes, in one transaction, the UTC month partition of
-- every timestamp in `months` that has none; returns how many it made. Callers: start-up and the
-- daily touchpoints.partitions job (this month and the next PARTITION_MONTHS_AHEAD,
-- src/journeys/partitions.ts), and ingestion, once per batch for all the months of its history.
--
-- Concurrent callers (several API processes, concurrent batches):
--   * a month that exists costs a lookup in pg_class and takes no lock at all;
--   * a missing month is claimed by an advisory lock of its own (all of them in month order, so
--     two callers cannot deadlock), then looked up again by a plain query of pg_class, which sees
--     what a caller that held the lock before committed (to_regclass, as in 005, could answer
--     from a stale cache, and making the table then failed with "already exists"). A caller waiting
--     for a month that another is making waits for that caller only, and then makes nothing;
--   * the table locks that ATTACH PARTITION needs are taken up front, in the order it takes them
--     (the parent SHARE UPDATE EXCLUSIVE, which does not stop inserts or reads, then the default
--     partition ACCESS EXCLUSIVE), so two makers of different months cannot deadlock by upgrading
--     a weaker lock; and the default partition is locked before its rows of the new months move
--     out, so no row of those months can land there between the move and the attach.
-- The default partition's lock is the one wait that remains (it waits for the transactions that
-- touch the default partition, and new ones wait behind it); it is taken once per call, however
-- many months are made, and with the coming months made ahead, only history imports take it.
CREATE FUNCTION touchpoints_ensure_partitions(months timestamptz[]) RETURNS integer LANGUAGE plpgsql AS $fn$
DECLARE
  ns    oid;
  nsp   name;
  todo  timestamptz[];
  m     timestamptz;
  part  text;
  made  integer := 0;
BEGIN
  SELECT c.relnamespace, n.nspname INTO ns, nsp
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.oid = 'touchpoints'::regclass;

  -- The months asked for, as UTC month starts in order, less those that have their partition.
  SELECT coalesce(array_agg(s ORDER BY s), '{}') INTO todo
  FROM (
    SELECT DISTINCT date_trunc('month', x AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS s
    FROM unnest(months) AS x WHERE x IS NOT NULL
  ) d
  WHERE NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = ns AND relname = 'touchpoints_' || to_char(d.s AT TIME ZONE 'UTC', 'YYYY_MM'));
  IF cardinality(todo) = 0 THEN RETURN 0; END IF;

  FOREACH m IN ARRAY todo LOOP
    PERFORM pg_advisory_xact_lock(hashtext('touchpoints_partition'),
                                  (extract(year FROM m AT TIME ZONE 'UTC') * 12 + extract(month FROM m AT TIME ZONE 'UTC') - 1)::integer);
  END LOOP;
  -- Again, under the locks: this statement's snapshot sees the months made meanwhile.
  SELECT coalesce(array_agg(s ORDER BY s), '{}') INTO todo
  FROM unnest(todo) AS s
  WHERE NOT EXISTS (SELECT 1 FROM pg_class WHERE relnamespace = ns AND relname = 'touchpoints_' || to_char(s AT TIME ZONE 'UTC', 'YYYY_MM'));
  IF cardinality(todo) = 0 THEN RETURN 0; END IF;

  FOREACH m IN ARRAY todo LOOP
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.touchpoints INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                   nsp, 'touchpoints_' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM'), nsp);
  END LOOP;
  EXECUTE format('LOCK TABLE %I.touchpoints IN SHARE UPDATE EXCLUSIVE MODE', nsp);
  EXECUTE format('LOCK TABLE %I.touchpoints_default IN ACCESS EXCLUSIVE MODE', nsp);
  FOREACH m IN ARRAY todo LOOP
    part := 'touchpoints_' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM');
    EXECUTE format(
      'WITH moved AS (DELETE FROM %I.touchpoints_default WHERE occurred_at >= $1 AND occurred_at < $2 RETURNING *) INSERT INTO %I.%I SELECT * FROM moved',
      nsp, nsp, part) USING m, (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC';
    EXECUTE format('ALTER TABLE %I.touchpoints ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   nsp, nsp, part, m, (m AT TIME ZONE 'UTC' + interval '1 month') AT TIME ZONE 'UTC');
    made := made + 1;
  END LOOP;
  RETURN made;
END
$fn$;

-- The one-month form of 005, kept for its callers (tools, older processes during an upgrade):
-- it now goes through the same locks.
CREATE OR REPLACE FUNCTION touchpoints_ensure_partition(at timestamptz) RETURNS text LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM touchpoints_ensure_partitions(ARRAY[at]);
  RETURN 'touchpoints_' || to_char(at AT TIME ZONE 'UTC', 'YYYY_MM');
END
$fn$;

-- This month and the next three (PARTITION_MONTHS_AHEAD when this was written), so a database
-- just migrated has them before any process starts.
SELECT touchpoints_ensure_partitions(ARRAY(
  SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => n)) AT TIME ZONE 'UTC'
  FROM generate_series(0, 3) AS n
));
