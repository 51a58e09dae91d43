-- Closing the loops (issue 8), part 2: the stage health alert — its settings per workspace and
-- the alerts raised (in-app list, and a webhook delivery state per alert).

CREATE TABLE stage_health_settings (
  workspace_id  uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  -- An alert when a stage's score falls by at least this many points from one period to the next.
  drop_points   real NOT NULL CHECK (drop_points > 0 AND drop_points <= 100),
  period        text NOT NULL CHECK (period IN ('week', 'month')),
  webhook_url   text,
  active        boolean NOT NULL DEFAULT true,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stage_health_alerts (
  id               uuid PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  stage            text NOT NULL CHECK (stage IN ('lzmot', 'zmot', 'fmot', 'smot', 'umot')),
  period           text NOT NULL CHECK (period IN ('week', 'month')),
  -- The period whose score dropped (UTC start), compared with the one before it.
  period_start     timestamptz NOT NULL,
  previous_score   real NOT NULL,
  score            real NOT NULL,
  drop_points      real NOT NULL,
  threshold        real NOT NULL,
  webhook_status   text NOT NULL CHECK (webhook_status IN ('none', 'pending', 'sent', 'failed')),
  webhook_attempts integer NOT NULL DEFAULT 0,
  webhook_error    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  read_at          timestamptz,
  UNIQUE (workspace_id, stage, period, period_start)
);
CREATE INDEX stage_health_alerts_workspace ON stage_health_alerts (workspace_id, id DESC);
