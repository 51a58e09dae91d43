-- Closing the loops (issue 8), part 4: signed webhooks that cannot be aimed inside the network.
-- Each stage health webhook has its own signing secret (shown once, when made); a workspace must
-- say explicitly that its webhooks may reach loopback, private or link-local addresses.

ALTER TABLE stage_health_settings ADD COLUMN webhook_secret text;
ALTER TABLE workspaces ADD COLUMN allow_private_webhooks boolean NOT NULL DEFAULT false;

-- Webhooks saved before signing get a secret too (every delivery is signed); rotating it shows it.
UPDATE stage_health_settings
   SET webhook_secret = 'whsec_' || encode(sha256(convert_to(gen_random_uuid()::text || clock_timestamp()::text, 'UTF8')), 'hex')
 WHERE webhook_url IS NOT NULL;
