-- module: market
-- Recommendations of the competence centre ("Empfehlung des Kompetenzzentrums"): per sector of the maturity model,
-- the standards of the catalogue (content/standards) a municipality should require when it procures, with a
-- rationale. A new recommendation for a sector supersedes the current one; every recommendation is kept as history.

CREATE TABLE standard_recommendations (
  id bigserial PRIMARY KEY,
  -- A sector id of the maturity model (checked by the service against the model in use).
  sector text NOT NULL CHECK (sector ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(sector) <= 60),
  -- Ids of the standards catalogue version below, in the order the advisor chose them.
  standard_ids text[] NOT NULL CHECK (cardinality(standard_ids) BETWEEN 1 AND 100),
  rationale text NOT NULL CHECK (length(rationale) BETWEEN 1 AND 5000),
  catalogue_version text NOT NULL CHECK (catalogue_version ~ '^[1-9][0-9]*$'),
  published_at timestamptz NOT NULL DEFAULT now(),
  -- The advisor who published it; the recommendation stays (as the centre's) when the account is deleted.
  published_by bigint REFERENCES users (id) ON DELETE SET NULL,
  -- The recommendation it replaced, and when this one was replaced in turn (null: current).
  supersedes bigint REFERENCES standard_recommendations (id),
  superseded_at timestamptz,
  CHECK (superseded_at IS NULL OR superseded_at >= published_at)
);

-- At most one current recommendation per sector (two advisors publishing at once: the second gets a conflict).
CREATE UNIQUE INDEX standard_recommendations_current ON standard_recommendations (sector) WHERE superseded_at IS NULL;
CREATE INDEX standard_recommendations_history ON standard_recommendations (sector, published_at DESC, id DESC);
-- "Which recommendations name this standard" (standard_ids @> ARRAY[id]).
CREATE INDEX standard_recommendations_standards ON standard_recommendations USING gin (standard_ids);
CREATE INDEX standard_recommendations_publisher ON standard_recommendations (published_by) WHERE published_by IS NOT NULL;
