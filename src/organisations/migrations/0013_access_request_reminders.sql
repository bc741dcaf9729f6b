-- module: organisations
-- An open access request is brought to its deciders' attention once more after three working days without a
-- decision (the organisations module's reminder job); reminded_at records that this happened (sent once).
ALTER TABLE access_requests ADD COLUMN reminded_at timestamptz;
CREATE INDEX access_requests_unreminded ON access_requests (created_at) WHERE status = 'open' AND reminded_at IS NULL;
