-- The web app remembers each agent's theme (light, dark, or the system's), next to their
-- language (agents.locale), so it follows them from browser to browser.
ALTER TABLE agents ADD COLUMN theme text NOT NULL DEFAULT 'system'
  CHECK (theme IN ('system', 'light', 'dark'));
