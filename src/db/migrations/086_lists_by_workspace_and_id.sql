-- Newest-first lists page by id (UUIDv7, time-ordered) within one workspace:
--   WHERE workspace_id = $1 [AND filters] [AND id < $cursor] ORDER BY id DESC LIMIT n + 1
-- These four tables had no index starting with (workspace_id, id), so PostgreSQL walked the
-- primary key backward and filtered by workspace: a workspace whose newest rows are older
-- than other workspaces' read every newer row of every other workspace before its first page
-- (measured on tickets: 400,000 rows read and 437 ms for a page of 25, growing with the other
-- tenants' data). With these, a page reads about a page of the workspace's own rows (the same
-- page: 26 rows, 0.3 ms); filters (status, priority, channel, platform, lang, …) are checked
-- along the way, and lists filtered by a column with its own index (assignee, customer) may
-- still use that one: either way only the workspace's own rows are read.
-- (calls, inbound_emails, audit_log, notifications and stage_health_alerts already had theirs.)
--
-- A large install should create these beforehand without blocking writes, then migrate
-- (IF NOT EXISTS below makes the migration keep them):
--   CREATE INDEX CONCURRENTLY IF NOT EXISTS tickets_workspace_id ON tickets (workspace_id, id);
--   … and the same for the other three.
CREATE INDEX IF NOT EXISTS tickets_workspace_id ON tickets (workspace_id, id);
CREATE INDEX IF NOT EXISTS customers_workspace_id ON customers (workspace_id, id);
CREATE INDEX IF NOT EXISTS mentions_workspace_id ON mentions (workspace_id, id);
CREATE INDEX IF NOT EXISTS kb_translations_workspace_id ON kb_translations (workspace_id, id);
