-- Sign-in throttling: wrong passwords counted per e-mail, per client address and per both,
-- so a brute-force attempt is locked out for a while on every server process alike.
-- Not per workspace: sign-in happens before anyone knows the workspace, and an e-mail may
-- belong to agents of several. The key holds a SHA-256 of the e-mail/address, never the
-- plain value, so the table reveals nothing about who tried.

CREATE TABLE sign_in_throttle (
  key               text PRIMARY KEY,
  failures          integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until      timestamptz,
  updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_throttle_updated ON sign_in_throttle (updated_at);
