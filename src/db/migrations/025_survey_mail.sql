-- Survey invitations are mailed through the outbound mail path: each queued e-mail keeps its
-- HTML body, language and Message-ID, and the sending job records attempts and the last error,
-- so a mail that cannot be delivered ends visibly 'failed'. 'skipped': the invitation was
-- answered (in the chat widget) or withdrawn before the mail went out.
ALTER TABLE survey_deliveries
  ADD COLUMN body_html  text NOT NULL DEFAULT '',
  ADD COLUMN locale     text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'el', 'ar')),
  -- Set when the sending job is queued; rows queued before this migration have none and are
  -- handed to the job by the survey sweep.
  ADD COLUMN message_id text,
  ADD COLUMN attempts   integer NOT NULL DEFAULT 0,
  ADD COLUMN last_error text;

ALTER TABLE survey_deliveries DROP CONSTRAINT survey_deliveries_status_check;
ALTER TABLE survey_deliveries ADD CONSTRAINT survey_deliveries_status_check CHECK (status IN ('queued', 'sent', 'failed', 'skipped'));

CREATE INDEX survey_deliveries_invitation ON survey_deliveries (workspace_id, invitation_id);
CREATE INDEX survey_deliveries_unqueued ON survey_deliveries (workspace_id) WHERE status = 'queued' AND message_id IS NULL;
