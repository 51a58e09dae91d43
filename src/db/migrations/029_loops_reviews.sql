-- Closing the loops between moments (issue 8), part 1: published reviews as public content,
-- the review widget's keys, and the facts the loop reports read.

-- Reviews submitted through TruthDesk itself (the other published reviews are imported
-- mentions and survey comments the customer agreed to publish).
CREATE TABLE submitted_reviews (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  customer_id   uuid REFERENCES customers(id) ON DELETE SET NULL,
  author        text,
  rating        smallint CHECK (rating BETWEEN 1 AND 5),
  text          text NOT NULL,
  locale        text CHECK (locale IN ('en', 'el', 'ar')),
  valence       text NOT NULL CHECK (valence IN ('positive', 'neutral', 'negative')),
  published_at  timestamptz NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX submitted_reviews_workspace ON submitted_reviews (workspace_id, published_at DESC, id DESC);

-- A published review hidden from the widget by an admin (moderation); it stays in reports.
CREATE TABLE review_moderation (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  review_id     uuid NOT NULL,
  hidden        boolean NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (workspace_id, review_id)
);

-- Every published review of a workspace, with one id whatever its source: an imported
-- mention (its id), a survey comment made public (the response id), a submitted review.
-- Survey valence follows src/domain/survey-metrics.ts scoreValence.
CREATE VIEW published_reviews AS
  SELECT m.workspace_id, m.id, 'mention'::text AS source, m.platform, m.kind, m.url, m.author, m.customer_id,
         m.rating::real AS rating, m.text, NULL::text AS locale, m.valence, m.published_at,
         COALESCE(h.hidden, false) AS hidden
  FROM mentions m
  LEFT JOIN review_moderation h ON h.workspace_id = m.workspace_id AND h.review_id = m.id
  UNION ALL
  SELECT r.workspace_id, r.id, 'survey', NULL, 'review', NULL, c.name, r.customer_id,
         CASE WHEN r.type = 'csat' THEN r.score::real END, r.comment, r.locale,
         CASE
           WHEN r.type = 'csat' THEN CASE WHEN r.score >= 4 THEN 'positive' WHEN r.score <= 2 THEN 'negative' ELSE 'neutral' END
           WHEN r.type = 'nps' THEN CASE WHEN r.score >= 9 THEN 'positive' WHEN r.score <= 6 THEN 'negative' ELSE 'neutral' END
           WHEN r.type = 'ces' THEN CASE WHEN r.score <= 3 THEN 'positive' WHEN r.score >= 5 THEN 'negative' ELSE 'neutral' END
           ELSE 'neutral'
         END,
         r.answered_at, COALESCE(h.hidden, false)
  FROM survey_responses r
  JOIN customers c ON c.workspace_id = r.workspace_id AND c.id = r.customer_id
  LEFT JOIN review_moderation h ON h.workspace_id = r.workspace_id AND h.review_id = r.id
  WHERE r.comment_public AND r.comment IS NOT NULL AND btrim(r.comment) <> ''
  UNION ALL
  SELECT s.workspace_id, s.id, 'truthdesk', 'truthdesk', 'review', NULL, s.author, s.customer_id,
         s.rating::real, s.text, s.locale, s.valence, s.published_at, COALESCE(h.hidden, false)
  FROM submitted_reviews s
  LEFT JOIN review_moderation h ON h.workspace_id = s.workspace_id AND h.review_id = s.id;

-- The embeddable review widget: its public key identifies the workspace and nothing else
-- (it can read published reviews and record views of them).
CREATE TABLE review_widgets (
  id              uuid PRIMARY KEY,
  workspace_id    uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name            text NOT NULL,
  public_key      text NOT NULL UNIQUE,
  -- Empty: any site may embed it; otherwise the page's Origin must be one of these.
  allowed_origins text[] NOT NULL DEFAULT '{}',
  active          boolean NOT NULL DEFAULT true,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_widgets_workspace ON review_widgets (workspace_id, id);

-- Facts for the loop reports, written by insertTouchpoints in the statement that stores the
-- touchpoint (src/domain/loop-facts.ts decides which touchpoints are facts) and kept in step
-- by the identify merge, so reports never scan raw touchpoints:
--   review_view  a ZMOT view of a published review (event "Review Viewed", properties.reviewId)
--   conversion   an FMOT purchase or trial (Order Completed, Purchase, Trial Started, …)
--   visit_start  a first-contact event (Product Viewed, App Opened, Sample Tried, Demo Started, …)
--   visit_leave  the end of one (Page Left, App Closed, …), naming it by properties.visitId
-- The person is the customer, else 'anon:' || anonymous_id, as in the rollups.
CREATE TABLE loop_facts (
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  kind          text NOT NULL CHECK (kind IN ('review_view', 'conversion', 'visit_start', 'visit_leave')),
  at            timestamptz NOT NULL,
  touchpoint_id uuid NOT NULL,
  message_id    text NOT NULL,
  event         text NOT NULL,
  customer_id   uuid,
  anonymous_id  text,
  review_id     uuid,
  visit_id      text,
  dwell_ms      bigint,
  product       text,
  page          text,
  store         text,
  channel       text,
  PRIMARY KEY (workspace_id, kind, at, touchpoint_id)
);
CREATE INDEX loop_facts_anonymous ON loop_facts (workspace_id, anonymous_id) WHERE customer_id IS NULL AND anonymous_id IS NOT NULL;
CREATE INDEX loop_facts_review ON loop_facts (workspace_id, review_id) WHERE review_id IS NOT NULL;

-- Conversions already stored before this migration (event names normalised as in
-- src/domain/classifier.ts normalizeEventName).
INSERT INTO loop_facts (workspace_id, kind, at, touchpoint_id, message_id, event, customer_id, anonymous_id, channel)
SELECT workspace_id, 'conversion', occurred_at, id, message_id, event, customer_id, anonymous_id, channel
FROM touchpoints
WHERE kind <> 'identify'
  AND lower(btrim(regexp_replace(regexp_replace(regexp_replace(event, '([a-z0-9])([A-Z])', '\1 \2', 'g'),
        '([A-Z]+)([A-Z][a-z])', '\1 \2', 'g'), '[\s_\-.:/]+', ' ', 'g')))
      IN ('order completed', 'purchase', 'trial converted', 'subscription started', 'trial started')
ON CONFLICT DO NOTHING;
