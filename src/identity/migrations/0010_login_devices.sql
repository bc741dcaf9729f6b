-- module: identity
-- Browsers a person has signed in on. While an account sees many failed logins (someone guessing its password
-- from many addresses), password logins are held back — except from these devices, so the attacker cannot lock
-- the owner out. Only the SHA-256 of the cookie value is stored.
CREATE TABLE login_devices (
  token_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  expires_at timestamptz NOT NULL
);
CREATE INDEX login_devices_user ON login_devices (user_id);
