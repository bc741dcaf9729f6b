-- The register of German regions (Länder … Gemeinden), its releases, history and boundaries.
-- One row per imported release (Gebietsstand) of a source.
CREATE TABLE register_releases (
  id serial PRIMARY KEY,
  source text NOT NULL CHECK (source IN ('landkreise-deutschland', 'gv100ad')),
  release date NOT NULL,
  file_name text,
  file_sha256 text,
  imported_at timestamptz NOT NULL DEFAULT now(),
  summary jsonb NOT NULL DEFAULT '{}'::jsonb
);

-- The current state of every region ever known; ended ones keep their row with valid_to set.
CREATE TABLE regions (
  key text PRIMARY KEY CHECK (key ~ '^[0-9]{2,9}$'),
  level text NOT NULL CHECK (level IN ('land', 'regierungsbezirk', 'region', 'kreis', 'gemeindeverband', 'gemeinde')),
  ars text NOT NULL,
  parent_key text,
  state_key text NOT NULL,
  kreis_key text,
  name text NOT NULL,
  designation_code text,
  seat text,
  area_km2 double precision,
  population integer,
  population_male integer,
  population_female integer,
  postcode text,
  multiple_postcodes boolean NOT NULL DEFAULT false,
  release date NOT NULL,
  release_id integer NOT NULL REFERENCES register_releases (id),
  valid_from date NOT NULL,
  valid_to date,
  successor_key text,
  successor_method text,
  successor_inferred boolean,
  -- search forms, computed by the application (src/register/search-normalize.ts); the search index is
  -- built from them in memory (src/register/search-index.ts, docs/adr/0003-register-search.md)
  name_fold text NOT NULL,
  name_translit text NOT NULL,
  base_fold text NOT NULL,
  base_translit text NOT NULL
) WITH (fillfactor = 70); -- room for in-place (HOT) updates when a release brings new figures

CREATE INDEX regions_current_parent ON regions (parent_key) WHERE valid_to IS NULL;
CREATE INDEX regions_ars ON regions (ars);
CREATE INDEX regions_successor ON regions (successor_key) WHERE successor_key IS NOT NULL;
CREATE INDEX regions_key_prefix ON regions (key text_pattern_ops);

-- Earlier states of a region (before a rename, re-parenting or new figures).
CREATE TABLE region_versions (
  id bigserial PRIMARY KEY,
  key text NOT NULL REFERENCES regions (key),
  valid_from date NOT NULL,
  valid_to date NOT NULL,
  release_id integer NOT NULL REFERENCES register_releases (id),
  data jsonb NOT NULL
);
CREATE INDEX region_versions_key ON region_versions (key);

-- The change report of each release update.
CREATE TABLE register_changes (
  id bigserial PRIMARY KEY,
  release_id integer NOT NULL REFERENCES register_releases (id),
  key text NOT NULL,
  level text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('added', 'ended', 'renamed', 'reparented', 'updated')),
  before jsonb,
  after jsonb,
  successor_key text,
  successor_method text
);
CREATE INDEX register_changes_release ON register_changes (release_id, kind);
CREATE INDEX register_changes_key ON register_changes (key);

-- Simplified boundaries for web maps (GeoJSON MultiPolygon in WGS84).
CREATE TABLE region_boundaries (
  key text PRIMARY KEY,
  level text NOT NULL,
  geometry jsonb NOT NULL,
  bbox double precision[] NOT NULL,
  vertex_count integer NOT NULL,
  source_file text NOT NULL,
  imported_at timestamptz NOT NULL DEFAULT now()
);
