-- Single sign-on: accounts linked to an OpenID Connect provider. The link is the provider's issuer and
-- subject (stable at the provider), so a later change of the e-mail address there still finds the account.

CREATE TABLE user_identities (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  issuer text NOT NULL,
  subject text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (issuer, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);
