-- Chat and review widgets get a version, as queues, canned responses and SLA policies have: an
-- edit names the version it was made from and is refused (409) when another admin changed the
-- widget since, instead of silently overwriting their allowed origins or switching it back on.
ALTER TABLE chat_widgets ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE review_widgets ADD COLUMN version integer NOT NULL DEFAULT 1;
