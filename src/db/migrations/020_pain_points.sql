-- Pain points: key phrases found in what customers wrote (survey comments, their ticket
-- messages, reviews and mentions ingested as touchpoints with text), extracted once per source
-- so reports count rows instead of re-reading every text.

-- One row per analysed source: marks it done, and keeps its stage, language and sentiment.
CREATE TABLE pain_sources (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  source_type  text NOT NULL CHECK (source_type IN ('survey', 'message', 'touchpoint')),
  source_id    uuid NOT NULL,
  ticket_id    uuid,
  stage        text NOT NULL CHECK (stage IN ('lzmot', 'zmot', 'fmot', 'smot', 'umot')),
  lang         text NOT NULL CHECK (lang IN ('en', 'el', 'ar')),
  valence      text NOT NULL CHECK (valence IN ('positive', 'neutral', 'negative')),
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, source_type, source_id)
);
CREATE INDEX pain_sources_time ON pain_sources (workspace_id, occurred_at);

-- One row per distinct phrase (by group key) of a source.
CREATE TABLE pain_phrases (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  source_type  text NOT NULL,
  source_id    uuid NOT NULL,
  phrase_key   text NOT NULL,
  phrase_text  text NOT NULL,
  words        smallint NOT NULL,
  stage        text NOT NULL,
  lang         text NOT NULL,
  valence      text NOT NULL,
  quote        text NOT NULL,
  ticket_id    uuid,
  occurred_at  timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, source_type, source_id, phrase_key),
  FOREIGN KEY (workspace_id, source_type, source_id) REFERENCES pain_sources (workspace_id, source_type, source_id) ON DELETE CASCADE
);
CREATE INDEX pain_phrases_report ON pain_phrases (workspace_id, occurred_at, stage);
CREATE INDEX pain_phrases_key ON pain_phrases (workspace_id, phrase_key, occurred_at);
