-- Personal API tokens (src/identity/api-tokens.service.ts): named, scoped, expiring, revocable.
-- The token itself ("klt_" + 43 base64url characters) is shown once; the table holds only its SHA-256
-- (token_hash) and the first 8 characters (prefix, e.g. "klt_ab12") so lists can tell tokens apart.
-- Scopes look like "register:read" / "register:write"; the valid ones are TOKEN_SCOPES in the code.
CREATE TABLE api_tokens (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  prefix text NOT NULL CHECK (length(prefix) = 8),
  scopes text[] NOT NULL CHECK (cardinality(scopes) > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  -- at most 365 days (one day of slack for clock differences between the app and the database)
  CHECK (expires_at > created_at AND expires_at <= created_at + interval '366 days')
);
-- The token page lists a user's tokens, newest first.
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);
