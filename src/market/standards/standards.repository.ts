/** SQL of the standards catalogue's recommendations (the catalogue itself is content, not a table). */
import type { Db } from '../../platform/db/db.js';

export interface RecommendationRow {
  id: number;
  sector: string;
  standardIds: string[];
  rationale: string;
  catalogueVersion: string;
  publishedAt: Date;
  publishedBy: number | null;
  supersedes: number | null;
  /** Null while the recommendation is the sector's current one. */
  supersededAt: Date | null;
}

const COLUMNS = `id::int AS id, sector, standard_ids AS "standardIds", rationale,
  catalogue_version AS "catalogueVersion", published_at AS "publishedAt", published_by::int AS "publishedBy",
  supersedes::int AS supersedes, superseded_at AS "supersededAt"`;

/** The current recommendation of every sector that has one. */
export async function currentRecommendations(db: Db): Promise<RecommendationRow[]> {
  return db.query<RecommendationRow>(
    `SELECT ${COLUMNS} FROM standard_recommendations WHERE superseded_at IS NULL ORDER BY sector`,
  );
}

/** Every recommendation (current and superseded), of one sector or all, newest first. */
export async function recommendationHistory(db: Db, sector: string | null): Promise<RecommendationRow[]> {
  return db.query<RecommendationRow>(
    `SELECT ${COLUMNS} FROM standard_recommendations WHERE ($1::text IS NULL OR sector = $1)
     ORDER BY published_at DESC, id DESC`,
    [sector],
  );
}

/** Every recommendation (current and superseded) that names the standard, newest first. */
export async function recommendationsNaming(db: Db, standardId: string): Promise<RecommendationRow[]> {
  return db.query<RecommendationRow>(
    `SELECT ${COLUMNS} FROM standard_recommendations WHERE standard_ids @> ARRAY[$1]::text[]
     ORDER BY published_at DESC, id DESC`,
    [standardId],
  );
}

/** The sector's current recommendation, locked until the end of the transaction. */
export async function lockCurrent(tx: Db, sector: string): Promise<RecommendationRow | null> {
  const rows = await tx.query<RecommendationRow>(
    `SELECT ${COLUMNS} FROM standard_recommendations WHERE sector = $1 AND superseded_at IS NULL FOR UPDATE`,
    [sector],
  );
  return rows[0] ?? null;
}

/** Mark a recommendation as replaced (it stays as history). */
export async function supersede(tx: Db, id: number): Promise<void> {
  await tx.query('UPDATE standard_recommendations SET superseded_at = now() WHERE id = $1', [id]);
}

export async function insertRecommendation(
  tx: Db,
  r: {
    sector: string;
    standardIds: readonly string[];
    rationale: string;
    catalogueVersion: string;
    publishedBy: number;
    supersedes: number | null;
  },
): Promise<RecommendationRow> {
  const rows = await tx.query<RecommendationRow>(
    `INSERT INTO standard_recommendations (sector, standard_ids, rationale, catalogue_version, published_by, supersedes)
     VALUES ($1, $2::text[], $3, $4, $5, $6) RETURNING ${COLUMNS}`,
    [r.sector, [...r.standardIds], r.rationale, r.catalogueVersion, r.publishedBy, r.supersedes],
  );
  return rows[0]!;
}

/** The person's recommendations for the personal-data export. */
export async function personalRows(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  const rows = await db.query<RecommendationRow>(
    `SELECT ${COLUMNS} FROM standard_recommendations WHERE published_by = $1 ORDER BY id`,
    [userId],
  );
  return rows.length ? { standard_recommendations: rows } : {};
}

/** On account deletion the recommendations stay (the centre's statements), without their author. */
export async function erasePerson(tx: Db, userId: number): Promise<number> {
  const rows = await tx.query<{ id: number }>(
    'UPDATE standard_recommendations SET published_by = NULL WHERE published_by = $1 RETURNING id::int AS id',
    [userId],
  );
  return rows.length;
}
