-- Merging and splitting tickets. A merged ticket is closed (without being solved: it was not
-- resolved on its own, so it counts in no resolution metric) and points at the ticket that
-- took its conversation; a ticket split out of another remembers where it came from.
ALTER TABLE tickets ADD COLUMN merged_into_id uuid REFERENCES tickets(id) ON DELETE SET NULL;
ALTER TABLE tickets ADD COLUMN split_from_id uuid REFERENCES tickets(id) ON DELETE SET NULL;
CREATE INDEX tickets_merged_into ON tickets (workspace_id, merged_into_id) WHERE merged_into_id IS NOT NULL;
