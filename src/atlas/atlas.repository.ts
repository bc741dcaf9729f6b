/** SQL of the atlas: practice projects, their published versions, regions, attachments and reuses. */
import type { Db } from '../platform/db/db.js';
import type { PracticeContent, ReviewState } from './model.js';

export interface PracticeRow {
  id: number;
  orgId: number | null;
  regionKey: string;
  stateKey: string;
  externalId: string | null;
  review: ReviewState;
  content: PracticeContent;
  revision: number;
  published: PracticeContent | null;
  publishedVersion: number;
  firstPublishedAt: Date | null;
  publishedAt: Date | null;
  reviewComment: string | null;
  reviewedAt: Date | null;
  sizeClass: string | null;
  regionKind: string | null;
  isDemo: boolean;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = `p.id::int AS id, p.org_id::int AS "orgId", p.region_key AS "regionKey", p.state_key AS "stateKey",
  p.external_id AS "externalId", p.review, p.content, p.revision, p.published,
  p.published_version AS "publishedVersion", p.first_published_at AS "firstPublishedAt",
  p.published_at AS "publishedAt", p.review_comment AS "reviewComment", p.reviewed_at AS "reviewedAt",
  p.size_class AS "sizeClass", p.region_kind AS "regionKind", p.is_demo AS "isDemo",
  p.created_by::int AS "createdBy", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;

export async function practiceById(db: Db, id: number): Promise<PracticeRow | null> {
  const rows = await db.query<PracticeRow>(`SELECT ${COLUMNS} FROM practices p WHERE p.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockPractice(db: Db, id: number): Promise<PracticeRow | null> {
  const rows = await db.query<PracticeRow>(`SELECT ${COLUMNS} FROM practices p WHERE p.id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

export async function practicesByIds(db: Db, ids: readonly number[]): Promise<PracticeRow[]> {
  if (ids.length === 0) return [];
  return db.query<PracticeRow>(`SELECT ${COLUMNS} FROM practices p WHERE p.id = ANY($1::bigint[])`, [ids]);
}

/** The working copies of imported projects by their external ids (a re-import keeps what the import does not set). */
export async function practicesByExternalIds(db: Db, externalIds: readonly string[]) {
  if (externalIds.length === 0) return [];
  return db.query<{ id: number; externalId: string; content: PracticeContent }>(
    `SELECT id::int AS id, external_id AS "externalId", content FROM practices WHERE external_id = ANY($1::text[])`,
    [externalIds],
  );
}

export async function practicesOfOrg(db: Db, orgId: number): Promise<PracticeRow[]> {
  return db.query<PracticeRow>(`SELECT ${COLUMNS} FROM practices p WHERE p.org_id = $1 ORDER BY p.updated_at DESC`, [
    orgId,
  ]);
}

/** Projects waiting for review in the given Länder (null: all). */
export async function submittedPractices(db: Db, stateKeys: readonly string[] | null): Promise<PracticeRow[]> {
  return db.query<PracticeRow>(
    `SELECT ${COLUMNS} FROM practices p WHERE p.review = 'submitted' AND ($1::text[] IS NULL OR p.state_key = ANY($1))
     ORDER BY p.updated_at`,
    [stateKeys],
  );
}

/** Every published project (id, published content, facts), in id order, `batch` at a time after `afterId`. */
export async function publishedBatch(db: Db, afterId: number, batch: number): Promise<PracticeRow[]> {
  return db.query<PracticeRow>(
    `SELECT ${COLUMNS} FROM practices p WHERE p.published IS NOT NULL AND p.id > $1 ORDER BY p.id LIMIT $2`,
    [afterId, batch],
  );
}

export async function insertPractice(
  db: Db,
  p: {
    orgId: number | null;
    regionKey: string;
    externalId: string | null;
    content: PracticeContent;
    createdBy: number | null;
    isDemo?: boolean;
  },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO practices (org_id, region_key, state_key, external_id, content, created_by, is_demo)
     VALUES ($1, $2, substr($2, 1, 2), $3, $4::jsonb, $5, $6) RETURNING id::int AS id`,
    [p.orgId, p.regionKey, p.externalId, JSON.stringify(p.content), p.createdBy, p.isDemo ?? false],
  );
  return rows[0]!.id;
}

/** Save the working copy as the next revision (the caller checked the revision it was loaded with). */
export async function saveContent(db: Db, id: number, content: PracticeContent, review: ReviewState): Promise<number> {
  const rows = await db.query<{ revision: number }>(
    `UPDATE practices SET content = $2::jsonb, region_key = $3, state_key = substr($3, 1, 2), review = $4,
       revision = revision + 1, updated_at = now() WHERE id = $1 RETURNING revision`,
    [id, JSON.stringify(content), content.regions[0], review],
  );
  return rows[0]!.revision;
}

export async function setReview(
  db: Db,
  id: number,
  review: ReviewState,
  by: { userId: number | null; comment: string | null } | null,
): Promise<void> {
  await db.query(
    `UPDATE practices SET review = $2, updated_at = now(),
       review_comment = CASE WHEN $3::boolean THEN $4 ELSE review_comment END,
       reviewed_by = CASE WHEN $3::boolean THEN $5 ELSE reviewed_by END,
       reviewed_at = CASE WHEN $3::boolean THEN now() ELSE reviewed_at END
     WHERE id = $1`,
    [id, review, by !== null, by?.comment ?? null, by?.userId ?? null],
  );
}

/** Publish the working copy as the next version; returns the version number. */
export async function publishVersion(
  db: Db,
  id: number,
  facts: { sizeClass: string | null; regionKind: string | null },
  by: number | null,
  note: string | null,
  now: Date,
): Promise<number> {
  const rows = await db.query<{ version: number; content: PracticeContent }>(
    `UPDATE practices SET published = content, published_version = published_version + 1, review = 'published',
       published_at = $4, first_published_at = coalesce(first_published_at, $4), size_class = $2, region_kind = $3,
       review_comment = NULL, reviewed_by = $5, reviewed_at = $4, updated_at = $4
     WHERE id = $1 RETURNING published_version AS version, content`,
    [id, facts.sizeClass, facts.regionKind, now, by],
  );
  const { version, content } = rows[0]!;
  await db.query(
    `INSERT INTO practice_versions (practice_id, version, content, published_by, published_at, note)
     VALUES ($1, $2, $3::jsonb, $4, $5, $6)`,
    [id, version, JSON.stringify(content), by, now, note],
  );
  await db.query('DELETE FROM practice_regions WHERE practice_id = $1', [id]);
  await db.query(
    `INSERT INTO practice_regions (practice_id, region_key, lead)
     SELECT $1, k, n = 1 FROM unnest($2::text[]) WITH ORDINALITY AS x(k, n)`,
    [id, content.regions],
  );
  return version;
}

/** Take a project off the public pages (its versions stay; publishing again makes the next version). */
export async function withdraw(db: Db, id: number): Promise<void> {
  await db.query(
    `UPDATE practices SET published = NULL, published_version = 0, published_at = NULL, review = 'draft',
       updated_at = now() WHERE id = $1`,
    [id],
  );
  await db.query('DELETE FROM practice_regions WHERE practice_id = $1', [id]);
}

export async function versionsOf(db: Db, id: number) {
  return db.query<{
    version: number;
    content: PracticeContent;
    publishedAt: Date;
    publishedBy: string | null;
    note: string | null;
  }>(
    `SELECT v.version, v.content, v.published_at AS "publishedAt", u.email AS "publishedBy", v.note
     FROM practice_versions v LEFT JOIN users u ON u.id = v.published_by
     WHERE v.practice_id = $1 ORDER BY v.version DESC`,
    [id],
  );
}

// ---------------------------------------------------------------------------------------------
// Regions

export interface RegionFacts {
  key: string;
  name: string;
  level: string;
  population: number | null;
  designationCode: string | null;
  validTo: string | null;
}

export async function regionFacts(db: Db, keys: readonly string[]): Promise<RegionFacts[]> {
  if (keys.length === 0) return [];
  return db.query<RegionFacts>(
    `SELECT key, name, level, population, designation_code AS "designationCode", to_char(valid_to, 'YYYY-MM-DD') AS "validTo"
     FROM regions WHERE key = ANY($1::text[])`,
    [keys],
  );
}

/** Published projects a region takes part in (newest first). */
export async function publishedOfRegion(db: Db, regionKey: string, limit: number): Promise<PracticeRow[]> {
  return db.query<PracticeRow>(
    `SELECT ${COLUMNS} FROM practices p JOIN practice_regions r ON r.practice_id = p.id
     WHERE r.region_key = $1 AND p.published IS NOT NULL ORDER BY p.published_at DESC LIMIT $2`,
    [regionKey, limit],
  );
}

// ---------------------------------------------------------------------------------------------
// Attachments

export interface AttachmentRow {
  id: number;
  practiceId: number;
  filename: string;
  mediaType: string;
  size: number;
  createdAt: Date;
}

export async function attachmentsOf(db: Db, practiceId: number): Promise<AttachmentRow[]> {
  return db.query<AttachmentRow>(
    `SELECT id::int AS id, practice_id::int AS "practiceId", filename, media_type AS "mediaType", size,
       created_at AS "createdAt" FROM practice_attachments WHERE practice_id = $1 ORDER BY id`,
    [practiceId],
  );
}

export async function attachmentBytes(db: Db, practiceId: number, id: number) {
  const rows = await db.query<AttachmentRow & { bytes: Uint8Array }>(
    `SELECT id::int AS id, practice_id::int AS "practiceId", filename, media_type AS "mediaType", size,
       created_at AS "createdAt", bytes FROM practice_attachments WHERE practice_id = $1 AND id = $2`,
    [practiceId, id],
  );
  return rows[0] ?? null;
}

export async function insertAttachment(
  db: Db,
  a: { practiceId: number; filename: string; mediaType: string; bytes: Buffer; sha256: string; by: number },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO practice_attachments (practice_id, filename, media_type, size, sha256, bytes, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
    [a.practiceId, a.filename, a.mediaType, a.bytes.length, a.sha256, a.bytes, a.by],
  );
  return rows[0]!.id;
}

export async function deleteAttachment(db: Db, practiceId: number, id: number): Promise<boolean> {
  const rows = await db.query('DELETE FROM practice_attachments WHERE practice_id = $1 AND id = $2 RETURNING id', [
    practiceId,
    id,
  ]);
  return rows.length > 0;
}

export async function attachmentTotals(db: Db, practiceId: number) {
  const rows = await db.query<{ n: number; bytes: number }>(
    'SELECT count(*)::int AS n, coalesce(sum(size), 0)::int AS bytes FROM practice_attachments WHERE practice_id = $1',
    [practiceId],
  );
  return rows[0]!;
}

// ---------------------------------------------------------------------------------------------
// Reuse

export type ReuseStatus = 'requested' | 'attested' | 'confirmed' | 'declined';

export interface ReuseRow {
  id: number;
  practiceId: number;
  adopterOrgId: number;
  adopterRegionKey: string;
  adopterName: string;
  status: ReuseStatus;
  message: string;
  requestedAt: Date;
  inUseSince: string | null;
  attestedAt: Date | null;
  confirmedAt: Date | null;
  isDemo: boolean;
}

const REUSE = `u.id::int AS id, u.practice_id::int AS "practiceId", u.adopter_org_id::int AS "adopterOrgId",
  u.adopter_region_key AS "adopterRegionKey", o.name AS "adopterName", u.status, u.message,
  u.requested_at AS "requestedAt", to_char(u.in_use_since, 'YYYY-MM-DD') AS "inUseSince",
  u.attested_at AS "attestedAt", u.confirmed_at AS "confirmedAt", u.is_demo AS "isDemo"`;

export async function reuseById(db: Db, id: number): Promise<ReuseRow | null> {
  const rows = await db.query<ReuseRow>(
    `SELECT ${REUSE} FROM practice_reuses u JOIN organisations o ON o.id = u.adopter_org_id WHERE u.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function reusesOfPractice(db: Db, practiceId: number): Promise<ReuseRow[]> {
  return db.query<ReuseRow>(
    `SELECT ${REUSE} FROM practice_reuses u JOIN organisations o ON o.id = u.adopter_org_id
     WHERE u.practice_id = $1 ORDER BY u.requested_at`,
    [practiceId],
  );
}

export async function reuseOf(db: Db, practiceId: number, adopterOrgId: number): Promise<ReuseRow | null> {
  const rows = await db.query<ReuseRow>(
    `SELECT ${REUSE} FROM practice_reuses u JOIN organisations o ON o.id = u.adopter_org_id
     WHERE u.practice_id = $1 AND u.adopter_org_id = $2`,
    [practiceId, adopterOrgId],
  );
  return rows[0] ?? null;
}

export async function insertReuse(
  db: Db,
  r: { practiceId: number; adopterOrgId: number; adopterRegionKey: string; message: string; by: number },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO practice_reuses (practice_id, adopter_org_id, adopter_region_key, message, requested_by)
     VALUES ($1, $2, $3, $4, $5) RETURNING id::int AS id`,
    [r.practiceId, r.adopterOrgId, r.adopterRegionKey, r.message, r.by],
  );
  return rows[0]!.id;
}

export async function attestReuse(db: Db, id: number, since: string, by: number): Promise<void> {
  await db.query(
    `UPDATE practice_reuses SET status = 'attested', in_use_since = $2::date, attested_by = $3, attested_at = now(),
       confirmed_by = NULL, confirmed_at = NULL WHERE id = $1`,
    [id, since, by],
  );
}

export async function decideReuse(db: Db, id: number, confirm: boolean, by: number): Promise<void> {
  await db.query(
    `UPDATE practice_reuses SET status = $2, confirmed_by = CASE WHEN $2 = 'confirmed' THEN $3::bigint END,
       confirmed_at = CASE WHEN $2 = 'confirmed' THEN now() END WHERE id = $1`,
    [id, confirm ? 'confirmed' : 'declined', by],
  );
}

export interface GraphEdge {
  practiceId: number;
  title: string;
  fromRegionKey: string;
  fromName: string;
  toRegionKey: string;
  toName: string;
  status: ReuseStatus;
  inUseSince: string | null;
}

/** The reuse graph around a region: what it reused from others, and what others reused from it. */
export async function reuseEdgesOfRegion(db: Db, regionKey: string): Promise<GraphEdge[]> {
  return db.query<GraphEdge>(
    `SELECT p.id::int AS "practiceId", p.published->>'title' AS title, p.region_key AS "fromRegionKey",
       rf.name AS "fromName", u.adopter_region_key AS "toRegionKey", rt.name AS "toName", u.status,
       to_char(u.in_use_since, 'YYYY-MM-DD') AS "inUseSince"
     FROM practice_reuses u JOIN practices p ON p.id = u.practice_id
     JOIN regions rf ON rf.key = p.region_key JOIN regions rt ON rt.key = u.adopter_region_key
     WHERE p.published IS NOT NULL AND u.status IN ('attested', 'confirmed')
       AND (u.adopter_region_key = $1 OR EXISTS (
         SELECT 1 FROM practice_regions pr WHERE pr.practice_id = p.id AND pr.region_key = $1))
     ORDER BY u.in_use_since DESC NULLS LAST, u.id`,
    [regionKey],
  );
}

export async function reusesOfOrg(db: Db, orgId: number): Promise<(ReuseRow & { title: string })[]> {
  return db.query<ReuseRow & { title: string }>(
    `SELECT ${REUSE}, coalesce(p.published->>'title', p.content->>'title') AS title
     FROM practice_reuses u JOIN organisations o ON o.id = u.adopter_org_id JOIN practices p ON p.id = u.practice_id
     WHERE u.adopter_org_id = $1 OR p.org_id = $1 ORDER BY u.requested_at DESC`,
    [orgId],
  );
}

/** Confirmed reuses per project (the open data and the ranking by confirmed users). */
export async function confirmedCounts(db: Db, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: number; n: number }>(
    `SELECT practice_id::int AS id, count(*)::int AS n FROM practice_reuses
     WHERE status = 'confirmed' AND practice_id = ANY($1::bigint[]) GROUP BY practice_id`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

/** Confirmed reuses of every project that has one (the search index's counts). */
export async function allConfirmedCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db.query<{ id: number; n: number }>(
    `SELECT practice_id::int AS id, count(*)::int AS n FROM practice_reuses WHERE status = 'confirmed' GROUP BY practice_id`,
  );
  return new Map(rows.map((r) => [r.id, r.n]));
}

// ---------------------------------------------------------------------------------------------
// Lagebild

/** Per Land: published projects, confirmed reuses, municipalities that reused something (confirmed). */
export async function transferByState(db: Db) {
  return db.query<{ stateKey: string; projects: number; reuses: number; adopters: number; leadRegions: number }>(
    `WITH pub AS (SELECT id, state_key, region_key FROM practices WHERE published IS NOT NULL),
     reuse AS (SELECT u.adopter_region_key, substr(u.adopter_region_key, 1, 2) AS state_key FROM practice_reuses u
               JOIN pub ON pub.id = u.practice_id WHERE u.status = 'confirmed'),
     states AS (SELECT state_key FROM pub UNION SELECT state_key FROM reuse)
     SELECT s.state_key AS "stateKey",
       (SELECT count(*)::int FROM pub WHERE pub.state_key = s.state_key) AS projects,
       (SELECT count(*)::int FROM reuse WHERE reuse.state_key = s.state_key) AS reuses,
       (SELECT count(DISTINCT adopter_region_key)::int FROM reuse WHERE reuse.state_key = s.state_key) AS adopters,
       (SELECT count(DISTINCT region_key)::int FROM pub WHERE pub.state_key = s.state_key) AS "leadRegions"
     FROM states s ORDER BY s.state_key`,
  );
}

// ---------------------------------------------------------------------------------------------
// Personal data, demo data

/** Every row of the atlas about or by the person, by table (the DSGVO export). */
export async function personalRows(db: Db, userId: number) {
  const [practices, versions, reuses, attachments] = await Promise.all([
    db.query(
      `SELECT id, review, content->>'title' AS title, created_by = $1 AS "createdByYou", reviewed_by = $1 AS "reviewedByYou",
         created_at AS "createdAt" FROM practices WHERE created_by = $1 OR reviewed_by = $1 ORDER BY id`,
      [userId],
    ),
    db.query(
      `SELECT practice_id AS "practiceId", version, published_at AS "publishedAt" FROM practice_versions
       WHERE published_by = $1 ORDER BY practice_id, version`,
      [userId],
    ),
    db.query(
      `SELECT id, practice_id AS "practiceId", status, message, requested_by = $1 AS "requestedByYou",
         attested_by = $1 AS "attestedByYou", confirmed_by = $1 AS "confirmedByYou", requested_at AS "requestedAt"
       FROM practice_reuses WHERE $1 IN (requested_by, attested_by, confirmed_by) ORDER BY id`,
      [userId],
    ),
    db.query(
      'SELECT id, practice_id AS "practiceId", filename, created_at AS "createdAt" FROM practice_attachments WHERE uploaded_by = $1',
      [userId],
    ),
  ]);
  return { practices, practice_versions: versions, practice_reuses: reuses, practice_attachments: attachments };
}

/**
 * A contact person's address written into a project (working copy, published version, kept versions) is theirs:
 * the contact is removed wherever it carries one of the person's addresses.
 */
export async function eraseContact(tx: Db, addresses: readonly string[]): Promise<number> {
  if (addresses.length === 0) return 0;
  const rows = await tx.query(
    `UPDATE practices SET
       content = CASE WHEN lower(content->'contact'->>'email') = ANY($1::text[]) THEN content || '{"contact": null}'::jsonb ELSE content END,
       published = CASE WHEN lower(published->'contact'->>'email') = ANY($1::text[]) THEN published || '{"contact": null}'::jsonb ELSE published END
     WHERE lower(content->'contact'->>'email') = ANY($1::text[]) OR lower(published->'contact'->>'email') = ANY($1::text[])
     RETURNING id`,
    [addresses.map((a) => a.toLowerCase())],
  );
  await tx.query(
    `UPDATE practice_versions SET content = content || '{"contact": null}'::jsonb
     WHERE lower(content->'contact'->>'email') = ANY($1::text[])`,
    [addresses.map((a) => a.toLowerCase())],
  );
  return rows.length;
}

export async function erasePerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const a = await tx.query('UPDATE practices SET created_by = NULL WHERE created_by = $1 RETURNING id', [userId]);
  await tx.query('UPDATE practices SET reviewed_by = NULL WHERE reviewed_by = $1', [userId]);
  await tx.query('UPDATE practice_versions SET published_by = NULL WHERE published_by = $1', [userId]);
  const r = await tx.query(
    `UPDATE practice_reuses SET message = CASE WHEN requested_by = $1 THEN '' ELSE message END,
       requested_by = NULLIF(requested_by, $1), attested_by = NULLIF(attested_by, $1),
       confirmed_by = NULLIF(confirmed_by, $1)
     WHERE $1 IN (requested_by, attested_by, confirmed_by) RETURNING id`,
    [userId],
  );
  await tx.query('UPDATE practice_attachments SET uploaded_by = NULL WHERE uploaded_by = $1', [userId]);
  return { practices: a.length, practiceReuses: r.length };
}

export async function deleteDemo(db: Db): Promise<number> {
  await db.query('DELETE FROM practice_reuses WHERE is_demo');
  const rows = await db.query('DELETE FROM practices WHERE is_demo RETURNING id');
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Recipients

/** The advisors whose scope covers the Land (or all Länder): they review its projects. */
export async function reviewerEmails(db: Db, stateKey: string): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    `SELECT DISTINCT u.email FROM advisor_scopes s JOIN users u ON u.id = s.user_id
     WHERE s.state_key IS NULL OR s.state_key = $1 ORDER BY u.email`,
    [stateKey],
  );
  return rows.map((r) => r.email);
}

/** The members of a project's workspace. */
export async function teamEmails(db: Db, orgId: number): Promise<string[]> {
  const rows = await db.query<{ email: string }>(
    `SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 ORDER BY m.role, u.email`,
    [orgId],
  );
  return rows.map((r) => r.email);
}

// ---------------------------------------------------------------------------------------------
// Bulk import

export interface ImportRow {
  externalId: string;
  content: PracticeContent;
  sizeClass: string | null;
  regionKind: string | null;
}

/**
 * Insert or update a chunk of imported projects by their external id (waiting for review), and with `publishAt`
 * publish every one whose content differs from its published version. Returns the ids and which were new.
 */
export async function upsertImported(db: Db, rows: readonly ImportRow[], publishAt: Date | null) {
  const records = JSON.stringify(
    rows.map((r) => ({
      external_id: r.externalId,
      content: r.content,
      size_class: r.sizeClass,
      region_kind: r.regionKind,
    })),
  );
  const saved = await db.query<{ id: number; externalId: string; inserted: boolean }>(
    `INSERT INTO practices (region_key, state_key, external_id, content, review, size_class, region_kind)
     SELECT x.content->'regions'->>0, substr(x.content->'regions'->>0, 1, 2), x.external_id, x.content, 'submitted',
       x.size_class, x.region_kind
     FROM jsonb_to_recordset($1::jsonb) AS x(external_id text, content jsonb, size_class text, region_kind text)
     ON CONFLICT (external_id) DO UPDATE SET content = EXCLUDED.content, region_key = EXCLUDED.region_key,
       state_key = EXCLUDED.state_key, size_class = EXCLUDED.size_class, region_kind = EXCLUDED.region_kind,
       revision = practices.revision + CASE WHEN practices.content IS DISTINCT FROM EXCLUDED.content THEN 1 ELSE 0 END,
       review = CASE WHEN practices.published IS NOT DISTINCT FROM EXCLUDED.content THEN practices.review
                     ELSE 'submitted' END,
       updated_at = now()
     RETURNING id::int AS id, external_id AS "externalId", (xmax = 0) AS inserted`,
    [records],
  );
  const ids = saved.map((s) => s.id);
  let published: number[] = [];
  if (publishAt) {
    published = (
      await db.query<{ id: number }>(
        `UPDATE practices SET published = content, published_version = published_version + 1, review = 'published',
           published_at = $2, first_published_at = coalesce(first_published_at, $2), updated_at = $2
         WHERE id = ANY($1::bigint[]) AND published IS DISTINCT FROM content RETURNING id::int AS id`,
        [ids, publishAt],
      )
    ).map((r) => r.id);
    if (published.length > 0) {
      await db.query(
        `INSERT INTO practice_versions (practice_id, version, content, published_at, note)
         SELECT id, published_version, published, $2, 'Import' FROM practices WHERE id = ANY($1::bigint[])`,
        [published, publishAt],
      );
      await db.query('DELETE FROM practice_regions WHERE practice_id = ANY($1::bigint[])', [published]);
      await db.query(
        `INSERT INTO practice_regions (practice_id, region_key, lead)
         SELECT p.id, x.k, x.n = 1 FROM practices p,
           jsonb_array_elements_text(p.published->'regions') WITH ORDINALITY AS x(k, n)
         WHERE p.id = ANY($1::bigint[]) ON CONFLICT DO NOTHING`,
        [published],
      );
    }
  }
  return { saved, published };
}

/** The register keys among `keys` that exist. */
export async function existingRegionKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db.query<{ key: string }>('SELECT key FROM regions WHERE key = ANY($1::text[])', [keys]);
  return new Set(rows.map((r) => r.key));
}

/** Demo projects or reuses (lotse seed demo) are among the published figures. */
export async function hasDemo(db: Db): Promise<boolean> {
  const rows = await db.query<{ x: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM practices WHERE is_demo AND published IS NOT NULL)
       OR EXISTS (SELECT 1 FROM practice_reuses WHERE is_demo AND status = 'confirmed') AS x`,
  );
  return rows[0]!.x;
}

// ---------------------------------------------------------------------------------------------
// The baseline of the relevance measurement (ADR 0016): PostgreSQL's own `german` full-text search

/** Published projects matching `q` by PostgreSQL's `german` configuration, ranked by ts_rank with field weights. */
export async function germanFullTextSearch(db: Db, q: string, limit: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `WITH d AS (
       SELECT p.id,
         setweight(to_tsvector('german', coalesce(p.published->>'title', '')), 'A')
         || setweight(to_tsvector('german', coalesce(p.published->>'summary', '')), 'B')
         || setweight(to_tsvector('german', coalesce((SELECT string_agg(x, ' ') FROM jsonb_array_elements_text(p.published->'tags') x), '')), 'C')
         || setweight(to_tsvector('german', coalesce(p.published->>'description', '')), 'D') AS v
       FROM practices p WHERE p.published IS NOT NULL)
     SELECT d.id::int AS id FROM d, websearch_to_tsquery('german', $1) AS q
     WHERE d.v @@ q ORDER BY ts_rank(d.v, q) DESC, d.id LIMIT $2`,
    [q, limit],
  );
  return rows.map((r) => r.id);
}
