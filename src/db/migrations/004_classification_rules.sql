-- Classification rules: a workspace's own ordered rules placing touchpoints on the moments of
-- truth. Every save is a new version (never updated in place); the latest version is the one
-- ingestion uses. UNIQUE (workspace_id, version) keeps concurrent saves from sharing a number.

CREATE TABLE classification_rule_sets (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  version          integer NOT NULL CHECK (version > 0),
  rules            jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by_actor text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, version)
);
