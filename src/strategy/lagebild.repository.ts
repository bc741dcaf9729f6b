import type { Db } from '../platform/db/db.js';

export interface AdoptedStrategyRow {
  regionKey: string;
  stateKey: string;
  sizeClass: string | null;
  isDemo: boolean;
  catalogueVersion: string | null;
  /** Measure ids of the items with status 'done'. */
  done: string[];
}

/**
 * Per current Gemeinde its adopted strategy: the newest row with status 'adopted', else the newest 'superseded'
 * one (a newer version exists that is not adopted yet — the Gemeinde still has an adopted strategy); a real
 * strategy before a demo one. Only the done measures' ids leave the database, not the whole content.
 */
export async function adoptedStrategies(db: Db): Promise<AdoptedStrategyRow[]> {
  return db.query<AdoptedStrategyRow>(
    `WITH chosen AS (
       SELECT DISTINCT ON (s.region_key) s.id, s.region_key, coalesce(s.state_key, r.state_key) AS state_key,
         s.size_class, s.is_demo
       FROM strategies s JOIN regions r ON r.key = s.region_key
       WHERE s.status IN ('adopted', 'superseded') AND r.level = 'gemeinde' AND r.valid_to IS NULL
       ORDER BY s.region_key, s.is_demo, s.status = 'adopted' DESC, s.id DESC
     )
     SELECT c.region_key AS "regionKey", c.state_key AS "stateKey", c.size_class AS "sizeClass", c.is_demo AS "isDemo",
       s.content->>'catalogueVersion' AS "catalogueVersion",
       ARRAY(SELECT i->>'measureId' FROM jsonb_array_elements(s.content->'items') i
             WHERE i->>'status' = 'done' AND i->>'measureId' IS NOT NULL) AS done
     FROM chosen c JOIN strategies s ON s.id = c.id
     ORDER BY c.region_key`,
  );
}
