-- Knowledge base: categories, articles with one localised version per language (en, el, ar),
-- every save kept as a revision, the words of every article for typo-tolerant search, and the
-- searches customers made (to find what the knowledge base lacks).
--
-- Search columns hold text already folded by the domain normaliser (src/domain/kb.ts): accents,
-- case, final sigma, Arabic letter variants and clitics are dealt with in one place, for
-- documents and queries alike, so the 'simple' configuration is all PostgreSQL needs.

CREATE TABLE kb_categories (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  key          text NOT NULL,
  names        jsonb NOT NULL DEFAULT '{}'::jsonb,
  position     integer NOT NULL DEFAULT 0,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, key)
);

-- The article itself: what its translations share.
CREATE TABLE kb_articles (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  category_id  uuid REFERENCES kb_categories(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_articles_workspace ON kb_articles (workspace_id, category_id);

-- One language version of an article: what the API calls "an article" and the portal shows.
CREATE TABLE kb_translations (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  article_id   uuid NOT NULL REFERENCES kb_articles(id) ON DELETE CASCADE,
  lang         text NOT NULL CHECK (lang IN ('en', 'el', 'ar')),
  slug         text NOT NULL CHECK (slug <> ''),
  title        text NOT NULL,
  body_html    text NOT NULL,
  body_text    text NOT NULL,
  status       text NOT NULL CHECK (status IN ('draft', 'published')),
  version      integer NOT NULL DEFAULT 1,
  search_title text NOT NULL,
  search_body  text NOT NULL,
  title_tsv    tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_title)) STORED,
  tsv          tsvector GENERATED ALWAYS AS (
                 setweight(to_tsvector('simple'::regconfig, search_title), 'A') ||
                 setweight(to_tsvector('simple'::regconfig, search_body), 'B')) STORED,
  published_at timestamptz,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (workspace_id, lang, slug),
  UNIQUE (article_id, lang)
);
CREATE INDEX kb_translations_tsv ON kb_translations USING gin (tsv);
CREATE INDEX kb_translations_title_tsv ON kb_translations USING gin (title_tsv);
CREATE INDEX kb_translations_list ON kb_translations (workspace_id, lang, status, id);

CREATE TABLE kb_revisions (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  translation_id uuid NOT NULL REFERENCES kb_translations(id) ON DELETE CASCADE,
  revision       integer NOT NULL,
  title          text NOT NULL,
  slug           text NOT NULL,
  body_html      text NOT NULL,
  status         text NOT NULL,
  actor_type     text NOT NULL,
  actor_id       uuid,
  note           text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (translation_id, revision)
);
CREATE INDEX kb_revisions_workspace ON kb_revisions (workspace_id, translation_id, revision);

-- Every folded word of every article, once per workspace: the dictionary that typo-tolerant
-- search corrects query words against with pg_trgm similarity.
CREATE TABLE kb_words (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  word         text NOT NULL,
  PRIMARY KEY (workspace_id, word)
);
CREATE INDEX kb_words_trgm ON kb_words USING gin (word gin_trgm_ops);

-- What customers searched for on the portal and the public search API, and how many
-- published articles they found.
CREATE TABLE kb_searches (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  query        text NOT NULL,
  lang         text,
  results      integer NOT NULL,
  source       text NOT NULL CHECK (source IN ('portal', 'public_api')),
  anonymous_id text,
  occurred_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX kb_searches_time ON kb_searches (workspace_id, occurred_at);
