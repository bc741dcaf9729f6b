-- module: organisations
-- Who decided a request and who sent or accepted an invitation point to the account; when an account is
-- erased, the organisation keeps the fact and loses the person (SET NULL). Links to accounts that no longer
-- exist are cleared first.
UPDATE access_requests SET decided_by = NULL WHERE decided_by IS NOT NULL AND decided_by NOT IN (SELECT id FROM users);
UPDATE invitations SET invited_by = NULL WHERE invited_by IS NOT NULL AND invited_by NOT IN (SELECT id FROM users);
UPDATE invitations SET accepted_by = NULL WHERE accepted_by IS NOT NULL AND accepted_by NOT IN (SELECT id FROM users);
ALTER TABLE access_requests ADD CONSTRAINT access_requests_decided_by FOREIGN KEY (decided_by) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE invitations ADD CONSTRAINT invitations_invited_by FOREIGN KEY (invited_by) REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE invitations ADD CONSTRAINT invitations_accepted_by FOREIGN KEY (accepted_by) REFERENCES users (id) ON DELETE SET NULL;
