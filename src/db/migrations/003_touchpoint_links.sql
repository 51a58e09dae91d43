-- A touchpoint made by help-desk activity points at its ticket, so a journey links back to
-- the conversation.
ALTER TABLE touchpoints ADD COLUMN ticket_id uuid REFERENCES tickets(id) ON DELETE SET NULL;
CREATE INDEX touchpoints_ticket ON touchpoints (workspace_id, ticket_id) WHERE ticket_id IS NOT NULL;
