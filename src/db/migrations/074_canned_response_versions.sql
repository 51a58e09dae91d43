-- Canned responses get a version, as SLA policies have (migration 007): an edit names the
-- version it was made from and is refused (409) when another admin saved the response since,
-- instead of silently overwriting their wording.
ALTER TABLE canned_responses ADD COLUMN version integer NOT NULL DEFAULT 1;
