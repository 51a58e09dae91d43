-- Macros: a named set of ticket changes an agent applies in one click (status, priority,
-- assignee, team, tags, an internal note, a canned reply in the customer's language).
CREATE TABLE macros (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         text NOT NULL,
  actions      jsonb NOT NULL,
  active       boolean NOT NULL DEFAULT true,
  version      integer NOT NULL DEFAULT 1,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX macros_workspace_name ON macros (workspace_id, lower(name));
