-- Closing the loops (issue 8), part 3: the follow-up of a reviewer — a thank-you for a review
-- that helped, a recovery for a negative one — as a ticket, at most one per review.
CREATE TABLE review_followups (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  review_id     uuid NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('thank_you', 'recovery')),
  ticket_id     uuid REFERENCES tickets(id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, review_id)
);
