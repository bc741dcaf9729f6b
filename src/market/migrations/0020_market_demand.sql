-- module: market
-- Demand bundling (gemeinsame Beschaffung): municipalities declare needs, others with the same need join, and
-- together they form a procurement group with a lead municipality. Visible to municipal workspaces only.

CREATE TABLE procurement_groups (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  sector text NOT NULL,
  -- The lead municipality's workspace (Federführung); handed over by the lead.
  lead_org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'forming' CHECK (status IN ('forming', 'tendering', 'closed')),
  revision integer NOT NULL DEFAULT 1,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX procurement_groups_lead ON procurement_groups (lead_org_id);

CREATE TABLE procurement_needs (
  id bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  region_key text NOT NULL REFERENCES regions (key),
  title text NOT NULL CHECK (length(title) BETWEEN 3 AND 200),
  sector text NOT NULL,
  -- Ids of the standards catalogue the solution must meet.
  standards text[] NOT NULL DEFAULT '{}',
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
  -- The timeframe as months (first day of the month).
  needed_from date NOT NULL,
  needed_until date NOT NULL CHECK (needed_until >= needed_from),
  -- Rough volume: an estimate in euros per year and what it covers ("40 Arbeitsplätze", "3 Schulen").
  volume_eur integer CHECK (volume_eur >= 0),
  volume_note text NOT NULL DEFAULT '' CHECK (length(volume_note) <= 300),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'grouped', 'closed')),
  group_id bigint REFERENCES procurement_groups (id) ON DELETE SET NULL,
  joined_at timestamptz,
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'grouped') = (group_id IS NOT NULL))
);
CREATE INDEX procurement_needs_open ON procurement_needs (sector) WHERE status = 'open';
CREATE INDEX procurement_needs_org ON procurement_needs (org_id);
CREATE INDEX procurement_needs_group ON procurement_needs (group_id) WHERE group_id IS NOT NULL;
CREATE INDEX procurement_needs_created_by ON procurement_needs (created_by) WHERE created_by IS NOT NULL;
-- A workspace takes part in a group once.
CREATE UNIQUE INDEX procurement_needs_one_per_group ON procurement_needs (group_id, org_id) WHERE group_id IS NOT NULL;
