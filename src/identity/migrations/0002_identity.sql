-- Identity: accounts, sessions, one-time links, organisations and memberships, access requests,
-- invitations, API tokens and the append-only audit log.

CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL CHECK (email = lower(email) AND position('@' IN email) > 1),
  email_verified_at timestamptz,
  password_hash text,
  display_name text,
  is_platform_admin boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email ON users (email);
CREATE INDEX users_unverified ON users (created_at) WHERE email_verified_at IS NULL;

-- Server-side sessions; the cookie carries a random token, the table only its SHA-256.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_secret text NOT NULL,
  acting_org_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use, expiring links (e-mail verification, password reset, login link, e-mail change).
CREATE TABLE one_time_tokens (
  token_hash text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('verify-email', 'password-reset', 'login-link', 'change-email')),
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id, purpose);
