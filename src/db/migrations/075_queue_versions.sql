-- Queues get a version, as SLA policies and canned responses have: an edit names the version
-- it was made from and is refused (409) when another admin changed the queue since, instead of
-- silently overwriting their routing rules.
ALTER TABLE queues ADD COLUMN version integer NOT NULL DEFAULT 1;
