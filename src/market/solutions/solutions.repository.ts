/** SQL of the solution market: solutions, their published versions, references and reviews. */
import type { Db } from '../../platform/db/db.js';
import type { ReviewState, SolutionContent } from './model.js';

export interface SolutionRow {
  id: number;
  orgId: number;
  /** The provider: the name of the owning workspace's organisation. */
  providerName: string;
  review: ReviewState;
  content: SolutionContent;
  revision: number;
  published: SolutionContent | null;
  publishedVersion: number;
  firstPublishedAt: Date | null;
  publishedAt: Date | null;
  reviewComment: string | null;
  reviewedAt: Date | null;
  isDemo: boolean;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `s.id::int AS id, s.org_id::int AS "orgId", o.name AS "providerName", s.review, s.content, s.revision,
  s.published, s.published_version AS "publishedVersion", s.first_published_at AS "firstPublishedAt",
  s.published_at AS "publishedAt", s.review_comment AS "reviewComment", s.reviewed_at AS "reviewedAt",
  s.is_demo AS "isDemo", s.created_by::int AS "createdBy", s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;
const FROM = 'solutions s JOIN organisations o ON o.id = s.org_id';

export async function solutionById(db: Db, id: number): Promise<SolutionRow | null> {
  const rows = await db.query<SolutionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockSolution(db: Db, id: number): Promise<SolutionRow | null> {
  const rows = await db.query<SolutionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.id = $1 FOR UPDATE OF s`, [id]);
  return rows[0] ?? null;
}

export async function solutionsByIds(db: Db, ids: readonly number[]): Promise<SolutionRow[]> {
  if (ids.length === 0) return [];
  return db.query<SolutionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.id = ANY($1::bigint[])`, [ids]);
}

export async function solutionsOfOrgs(db: Db, orgIds: readonly number[]): Promise<SolutionRow[]> {
  if (orgIds.length === 0) return [];
  return db.query<SolutionRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE s.org_id = ANY($1::bigint[]) ORDER BY s.updated_at DESC, s.id DESC`,
    [orgIds],
  );
}

export async function submittedSolutions(db: Db): Promise<SolutionRow[]> {
  return db.query<SolutionRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.review = 'submitted' ORDER BY s.updated_at`);
}

/** The filters of the market list and the API; every one narrows (null / empty: no filter). */
export interface SolutionFilter {
  sector: string | null;
  standard: string | null;
  operatingModel: string | null;
  openSource: boolean | null;
  /** Only these ids (the checked-conformance filter hands in the ids its seam found). */
  ids: readonly number[] | null;
  limit: number;
  offset: number;
}

/** Published solutions matching the filter (by name), and how many match in all. */
export async function publishedSolutions(db: Db, f: SolutionFilter): Promise<{ rows: SolutionRow[]; total: number }> {
  const where = `s.published IS NOT NULL
    AND ($1::text IS NULL OR s.published->'sectors' @> jsonb_build_array($1::text))
    AND ($2::text IS NULL OR s.published->'standards' @> jsonb_build_array($2::text))
    AND ($3::text IS NULL OR s.published->'operatingModels' @> jsonb_build_array($3::text))
    AND ($4::boolean IS NULL OR (s.published->>'openSource')::boolean = $4)
    AND ($5::bigint[] IS NULL OR s.id = ANY($5::bigint[]))`;
  const params = [f.sector, f.standard, f.operatingModel, f.openSource, f.ids];
  const [rows, count] = await Promise.all([
    db.query<SolutionRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where}
       ORDER BY lower(s.published->>'name'), s.id LIMIT $6 OFFSET $7`,
      [...params, f.limit, f.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM solutions s WHERE ${where}`, params),
  ]);
  return { rows, total: count[0]?.n ?? 0 };
}

export async function insertSolution(
  db: Db,
  s: { orgId: number; content: SolutionContent; createdBy: number | null; isDemo?: boolean },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO solutions (org_id, content, created_by, is_demo) VALUES ($1, $2::jsonb, $3, $4) RETURNING id::int AS id`,
    [s.orgId, JSON.stringify(s.content), s.createdBy, s.isDemo ?? false],
  );
  return rows[0]!.id;
}

/** Save the working copy as the next revision (the caller checked the revision it was loaded with). */
export async function saveContent(db: Db, id: number, content: SolutionContent, review: ReviewState): Promise<number> {
  const rows = await db.query<{ revision: number }>(
    `UPDATE solutions SET content = $2::jsonb, review = $3, revision = revision + 1, updated_at = now()
     WHERE id = $1 RETURNING revision`,
    [id, JSON.stringify(content), review],
  );
  return rows[0]!.revision;
}

export async function setReview(
  db: Db,
  id: number,
  review: ReviewState,
  by: { userId: number; comment: string } | null,
): Promise<void> {
  await db.query(
    `UPDATE solutions SET review = $2, updated_at = now(),
       review_comment = CASE WHEN $3::boolean THEN $4 ELSE review_comment END,
       reviewed_by = CASE WHEN $3::boolean THEN $5 ELSE reviewed_by END,
       reviewed_at = CASE WHEN $3::boolean THEN now() ELSE reviewed_at END
     WHERE id = $1`,
    [id, review, by !== null, by?.comment ?? null, by?.userId ?? null],
  );
}

/** Publish the working copy as the next version; returns the version number. */
export async function publishVersion(db: Db, id: number, by: number, note: string | null, now: Date) {
  const rows = await db.query<{ version: number; content: SolutionContent }>(
    `UPDATE solutions SET published = content, published_version = published_version + 1, review = 'published',
       published_at = $2, first_published_at = coalesce(first_published_at, $2), review_comment = NULL,
       reviewed_by = $3, reviewed_at = $2, updated_at = $2
     WHERE id = $1 RETURNING published_version AS version, content`,
    [id, now, by],
  );
  const { version, content } = rows[0]!;
  await db.query(
    `INSERT INTO solution_versions (solution_id, version, content, published_by, published_at, note)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6)`,
    [id, version, JSON.stringify(content), by, now, note],
  );
  return version;
}

/** Take a solution off the market (its versions stay; publishing again makes the next version). */
export async function withdraw(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE solutions SET published = NULL, published_version = 0, published_at = NULL, review = 'draft',
       updated_at = now() WHERE id = $1`,
    [id],
  );
}

export async function versionsOf(db: Db, id: number) {
  return db.query<{ version: number; content: SolutionContent; publishedAt: Date; note: string | null }>(
    `SELECT version, content, published_at AS "publishedAt", note FROM solution_versions
     WHERE solution_id = $1 ORDER BY version DESC`,
    [id],
  );
}

// ---------------------------------------------------------------------------------------------
// Workspaces (read only)

export interface WorkspaceFacts {
  id: number;
  kind: 'region' | 'provider' | 'centre';
  regionKey: string | null;
  name: string;
  admins: number;
}

export async function workspaceFacts(db: Db, orgId: number): Promise<WorkspaceFacts | null> {
  const rows = await db.query<WorkspaceFacts>(
    `SELECT o.id::int AS id, o.kind, o.region_key AS "regionKey", o.name,
       (SELECT count(*)::int FROM memberships m WHERE m.org_id = o.id AND m.role = 'admin') AS admins
     FROM organisations o WHERE o.id = $1`,
    [orgId],
  );
  return rows[0] ?? null;
}

/** The municipal workspace of a region key (Gemeinde, Kreis …), if one exists. */
export async function municipalWorkspaceOf(db: Db, regionKey: string): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    "SELECT id::int AS id FROM organisations WHERE kind = 'region' AND region_key = $1",
    [regionKey],
  );
  return rows[0]?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// References

export type ReferenceStatus = 'requested' | 'confirmed' | 'declined';

export interface ReferenceRow {
  id: number;
  solutionId: number;
  municipalityOrgId: number;
  regionKey: string;
  municipalityName: string;
  status: ReferenceStatus;
  note: string;
  requestedAt: Date;
  decidedAt: Date | null;
}

const REF_COLUMNS = `r.id::int AS id, r.solution_id::int AS "solutionId", r.municipality_org_id::int AS "municipalityOrgId",
  r.region_key AS "regionKey", o.name AS "municipalityName", r.status, r.note, r.requested_at AS "requestedAt",
  r.decided_at AS "decidedAt"`;
const REF_FROM = 'solution_references r JOIN organisations o ON o.id = r.municipality_org_id';

export async function referenceById(db: Db, id: number): Promise<ReferenceRow | null> {
  const rows = await db.query<ReferenceRow>(`SELECT ${REF_COLUMNS} FROM ${REF_FROM} WHERE r.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockReference(db: Db, id: number): Promise<ReferenceRow | null> {
  const rows = await db.query<ReferenceRow>(`SELECT ${REF_COLUMNS} FROM ${REF_FROM} WHERE r.id = $1 FOR UPDATE OF r`, [
    id,
  ]);
  return rows[0] ?? null;
}

export async function referencesOf(db: Db, solutionId: number): Promise<ReferenceRow[]> {
  return db.query<ReferenceRow>(
    `SELECT ${REF_COLUMNS} FROM ${REF_FROM} WHERE r.solution_id = $1 ORDER BY o.name, r.id`,
    [solutionId],
  );
}

export async function referenceOf(db: Db, solutionId: number, orgId: number): Promise<ReferenceRow | null> {
  const rows = await db.query<ReferenceRow>(
    `SELECT ${REF_COLUMNS} FROM ${REF_FROM} WHERE r.solution_id = $1 AND r.municipality_org_id = $2`,
    [solutionId, orgId],
  );
  return rows[0] ?? null;
}

/** References waiting for the decision of a municipal workspace, with the solution's name. */
export async function openReferencesOfOrg(db: Db, orgId: number) {
  return db.query<ReferenceRow & { solutionName: string; providerName: string }>(
    `SELECT ${REF_COLUMNS}, coalesce(s.published->>'name', s.content->>'name') AS "solutionName", p.name AS "providerName"
     FROM ${REF_FROM} JOIN solutions s ON s.id = r.solution_id JOIN organisations p ON p.id = s.org_id
     WHERE r.municipality_org_id = $1 AND r.status = 'requested' ORDER BY r.requested_at`,
    [orgId],
  );
}

export async function insertReference(
  db: Db,
  r: { solutionId: number; orgId: number; regionKey: string; note: string; by: number },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO solution_references (solution_id, municipality_org_id, region_key, note, requested_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING id::int AS id`,
    [r.solutionId, r.orgId, r.regionKey, r.note, r.by],
  );
  return rows[0]!.id;
}

export async function decideReference(db: Db, id: number, status: 'confirmed' | 'declined', by: number, now: Date) {
  await db.query('UPDATE solution_references SET status = $2, decided_by = $3, decided_at = $4 WHERE id = $1', [
    id,
    status,
    by,
    now,
  ]);
}

/** Confirmed references per solution (only they count). */
export async function confirmedReferenceCounts(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: number; n: number }>(
    `SELECT solution_id::int AS id, count(*)::int AS n FROM solution_references
     WHERE solution_id = ANY($1::bigint[]) AND status = 'confirmed' GROUP BY solution_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** The confirmed references of several solutions (the comparison lists them). */
export async function confirmedReferencesOf(db: Db, ids: readonly number[]): Promise<ReferenceRow[]> {
  if (ids.length === 0) return [];
  return db.query<ReferenceRow>(
    `SELECT ${REF_COLUMNS} FROM ${REF_FROM} WHERE r.solution_id = ANY($1::bigint[]) AND r.status = 'confirmed'
     ORDER BY o.name, r.id`,
    [ids],
  );
}

// ---------------------------------------------------------------------------------------------
// Reviews

export interface ReviewRow {
  id: number;
  solutionId: number;
  orgId: number;
  workspaceName: string;
  regionKey: string | null;
  authorUserId: number | null;
  rating: number;
  body: string;
  createdAt: Date;
  answer: string | null;
  answeredAt: Date | null;
}

const REVIEW_COLUMNS = `v.id::int AS id, v.solution_id::int AS "solutionId", v.org_id::int AS "orgId",
  o.name AS "workspaceName", o.region_key AS "regionKey", v.author_user_id::int AS "authorUserId", v.rating::int AS rating,
  v.body, v.created_at AS "createdAt", v.answer, v.answered_at AS "answeredAt"`;
const REVIEW_FROM = 'solution_reviews v JOIN organisations o ON o.id = v.org_id';

export async function reviewsOf(db: Db, solutionId: number): Promise<ReviewRow[]> {
  return db.query<ReviewRow>(
    `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM} WHERE v.solution_id = $1 ORDER BY v.created_at DESC, v.id DESC`,
    [solutionId],
  );
}

export async function lockReview(db: Db, id: number): Promise<ReviewRow | null> {
  const rows = await db.query<ReviewRow>(
    `SELECT ${REVIEW_COLUMNS} FROM ${REVIEW_FROM} WHERE v.id = $1 FOR UPDATE OF v`,
    [id],
  );
  return rows[0] ?? null;
}

/** Insert a review; null when the workspace has reviewed the solution already (the unique key decides). */
export async function insertReview(
  db: Db,
  r: { solutionId: number; orgId: number; by: number; rating: number; body: string; now: Date },
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO solution_reviews (solution_id, org_id, author_user_id, rating, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (solution_id, org_id) DO NOTHING RETURNING id::int AS id`,
    [r.solutionId, r.orgId, r.by, r.rating, r.body, r.now],
  );
  return rows[0]?.id ?? null;
}

/** Write the provider's answer unless there is one (returns false then). */
export async function answerReview(db: Db, id: number, answer: string, by: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE solution_reviews SET answer = $2, answered_by = $3, answered_at = $4 WHERE id = $1 AND answer IS NULL
     RETURNING id`,
    [id, answer, by, now],
  );
  return rows.length === 1;
}

/** Average rating and number of reviews per solution. */
export async function ratingsOf(db: Db, ids: readonly number[]): Promise<Map<number, { n: number; mean: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: number; n: number; mean: number }>(
    `SELECT solution_id::int AS id, count(*)::int AS n, avg(rating)::float8 AS mean FROM solution_reviews
     WHERE solution_id = ANY($1::bigint[]) GROUP BY solution_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { n: r.n, mean: r.mean }]));
}

// ---------------------------------------------------------------------------------------------
// Recipients

/** Every advisor of the centre (solutions are not bound to a Land). */
export async function reviewerEmails(db: Db): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    'SELECT DISTINCT u.email FROM advisor_scopes s JOIN users u ON u.id = s.user_id ORDER BY u.email',
  );
  return rows.map((r) => r.email);
}

/** The members of a workspace (admins first), or only its admins. */
export async function memberEmails(db: Db, orgId: number, adminsOnly = false): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1 AND (NOT $2::boolean OR m.role = 'admin') ORDER BY m.role, u.email`,
    [orgId, adminsOnly],
  );
  return rows.map((r) => r.email);
}

// ---------------------------------------------------------------------------------------------
// Personal data

/** Every row of the solution market about or by the person, by table (the DSGVO export). */
export async function personalRows(db: Db, userId: number, addresses: readonly string[]) {
  const lower = addresses.map((a) => a.toLowerCase());
  const [solutions, versions, contacts, references, reviews] = await Promise.all([
    db.query(
      `SELECT id, review, content->>'name' AS name, created_by = $1 AS "createdByYou", reviewed_by = $1 AS "reviewedByYou",
         created_at AS "createdAt" FROM solutions WHERE created_by = $1 OR reviewed_by = $1 ORDER BY id`,
      [userId],
    ),
    db.query(
      `SELECT solution_id AS "solutionId", version, published_at AS "publishedAt" FROM solution_versions
       WHERE published_by = $1 ORDER BY solution_id, version`,
      [userId],
    ),
    db.query(
      `SELECT id, content->'contact' AS "workingCopyContact", published->'contact' AS "publishedContact" FROM solutions
       WHERE lower(content->'contact'->>'email') = ANY($1::text[]) OR lower(published->'contact'->>'email') = ANY($1::text[])
       ORDER BY id`,
      [lower],
    ),
    db.query(
      `SELECT id, solution_id AS "solutionId", status, note, requested_by = $1 AS "requestedByYou",
         decided_by = $1 AS "decidedByYou", requested_at AS "requestedAt", decided_at AS "decidedAt"
       FROM solution_references WHERE $1 IN (requested_by, decided_by) ORDER BY id`,
      [userId],
    ),
    db.query(
      `SELECT id, solution_id AS "solutionId", rating, body, created_at AS "createdAt",
         CASE WHEN answered_by = $1 THEN answer END AS "yourAnswer", author_user_id = $1 AS "writtenByYou"
       FROM solution_reviews WHERE $1 IN (author_user_id, answered_by) ORDER BY id`,
      [userId],
    ),
  ]);
  return {
    solutions,
    solution_versions: versions,
    solution_contacts: contacts,
    solution_references: references,
    solution_reviews: reviews,
  };
}

/** The contact person's entries are theirs: removed wherever they carry one of the person's addresses. */
export async function eraseContact(tx: Db, addresses: readonly string[]): Promise<number> {
  if (addresses.length === 0) return 0;
  const lower = addresses.map((a) => a.toLowerCase());
  const rows = await tx.query(
    `UPDATE solutions SET
       content = CASE WHEN lower(content->'contact'->>'email') = ANY($1::text[]) THEN content || '{"contact": null}'::jsonb ELSE content END,
       published = CASE WHEN lower(published->'contact'->>'email') = ANY($1::text[]) THEN published || '{"contact": null}'::jsonb ELSE published END
     WHERE lower(content->'contact'->>'email') = ANY($1::text[]) OR lower(published->'contact'->>'email') = ANY($1::text[])
     RETURNING id`,
    [lower],
  );
  await tx.query(
    `UPDATE solution_versions SET content = content || '{"contact": null}'::jsonb
     WHERE lower(content->'contact'->>'email') = ANY($1::text[])`,
    [lower],
  );
  return rows.length;
}

/**
 * The person goes, what they wrote for their workspace stays without them: a review keeps its rating and text as
 * the workspace's (the author is not shown anyway), references and answers keep the fact, not the person.
 */
export async function erasePerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const s = await tx.query('UPDATE solutions SET created_by = NULL WHERE created_by = $1 RETURNING id', [userId]);
  await tx.query('UPDATE solutions SET reviewed_by = NULL WHERE reviewed_by = $1', [userId]);
  await tx.query('UPDATE solution_versions SET published_by = NULL WHERE published_by = $1', [userId]);
  const r = await tx.query(
    `UPDATE solution_references SET requested_by = NULLIF(requested_by, $1), decided_by = NULLIF(decided_by, $1)
     WHERE $1 IN (requested_by, decided_by) RETURNING id`,
    [userId],
  );
  const v = await tx.query(
    `UPDATE solution_reviews SET author_user_id = NULLIF(author_user_id, $1), answered_by = NULLIF(answered_by, $1)
     WHERE $1 IN (author_user_id, answered_by) RETURNING id`,
    [userId],
  );
  return { solutions: s.length, solutionReferences: r.length, solutionReviews: v.length };
}
