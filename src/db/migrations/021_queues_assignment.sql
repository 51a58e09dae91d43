-- Teams assign tickets (manually, round robin, or to the least-loaded available agent), and
-- queues are where tickets wait: routed by rules (channel, customer language, tags) or chosen
-- explicitly, each feeding one team.

-- Per-team assignment settings. rr_cursor_agent_id is the agent who got the team's last
-- automatic assignment; assignment locks the team row (SELECT … FOR UPDATE), so two tickets
-- arriving at once take turns instead of both reading the same cursor.
ALTER TABLE teams ADD COLUMN assignment_mode text NOT NULL DEFAULT 'manual'
  CHECK (assignment_mode IN ('manual', 'round_robin', 'load_balanced'));
ALTER TABLE teams ADD COLUMN assign_only_available boolean NOT NULL DEFAULT true;
ALTER TABLE teams ADD COLUMN max_open_per_agent integer CHECK (max_open_per_agent > 0);
ALTER TABLE teams ADD COLUMN rr_cursor_agent_id uuid REFERENCES agents(id) ON DELETE SET NULL;

CREATE TABLE queues (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name          text NOT NULL,
  team_id       uuid REFERENCES teams(id) ON DELETE SET NULL,
  -- Routing rule: every non-empty condition must hold (empty: any).
  match_channels text[] NOT NULL DEFAULT '{}',
  match_locales  text[] NOT NULL DEFAULT '{}',
  match_tags     text[] NOT NULL DEFAULT '{}',
  -- Rules are tried by position (lowest first); the first match wins.
  position      integer NOT NULL DEFAULT 0,
  active        boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, name)
);
CREATE INDEX queues_workspace ON queues (workspace_id, position, id);

ALTER TABLE tickets ADD COLUMN queue_id uuid REFERENCES queues(id) ON DELETE SET NULL;
CREATE INDEX tickets_workspace_queue ON tickets (workspace_id, queue_id, created_at DESC) WHERE queue_id IS NOT NULL;
-- Load-aware assignment counts each agent's unsolved tickets.
CREATE INDEX tickets_unsolved_by_assignee ON tickets (workspace_id, assignee_id)
  WHERE assignee_id IS NOT NULL AND status IN ('new', 'open', 'pending', 'on_hold');
