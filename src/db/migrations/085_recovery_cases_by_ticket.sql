-- A ticket's recovery cases by ticket: the ticket list (and a single ticket) reads them for
-- every ticket of a page, and until now only open cases had an index on (workspace, ticket)
-- (recovery_cases_open), so finished ones were found by reading all of the workspace's cases.
CREATE INDEX recovery_cases_ticket ON recovery_cases (workspace_id, ticket_id);
