import type { Db } from '../platform/db/db.js';
import type { StrategyStatus } from './document-input.js';
import type { Reason, StrategyContent } from './plan.js';

export interface StrategyRow {
  id: number;
  orgId: number | null;
  regionKey: string;
  checkId: number | null;
  previousId: number | null;
  status: StrategyStatus;
  revision: number;
  content: StrategyContent;
  submittedOn: string | null;
  adoptedOn: string | null;
  decisionNumber: string | null;
  councilUrl: string | null;
  published: boolean;
  isDemo: boolean;
  stateKey: string | null;
  sizeClass: string | null;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface RevisionRow {
  revision: number;
  content: StrategyContent;
  changed: string[];
  summary: Reason;
  changedBy: number | null;
  changedByEmail: string | null;
  changedAt: Date;
}

const COLUMNS = `s.id::int AS id, s.org_id::int AS "orgId", s.region_key AS "regionKey", s.check_id::int AS "checkId",
  s.previous_id::int AS "previousId", s.status, s.revision, s.content,
  to_char(s.submitted_on, 'YYYY-MM-DD') AS "submittedOn", to_char(s.adopted_on, 'YYYY-MM-DD') AS "adoptedOn",
  s.decision_number AS "decisionNumber", s.council_url AS "councilUrl", s.published, s.is_demo AS "isDemo",
  s.state_key AS "stateKey", s.size_class AS "sizeClass", s.created_by::int AS "createdBy",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

export async function strategyById(db: Db, id: number): Promise<StrategyRow | null> {
  const rows = await db.query<StrategyRow>(`SELECT ${COLUMNS} FROM strategies s WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The strategy's row, locked until the transaction ends (edits of colleagues wait and then see this one's). */
export async function lockStrategy(db: Db, id: number): Promise<StrategyRow | null> {
  const rows = await db.query<StrategyRow>(`SELECT ${COLUMNS} FROM strategies s WHERE s.id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

export async function strategiesOfOrg(db: Db, orgId: number): Promise<StrategyRow[]> {
  return db.query<StrategyRow>(
    `SELECT ${COLUMNS} FROM strategies s WHERE s.org_id = $1 ORDER BY s.created_at DESC, s.id DESC`,
    [orgId],
  );
}

export async function strategiesOfOrgs(db: Db, orgIds: readonly number[]): Promise<StrategyRow[]> {
  if (orgIds.length === 0) return [];
  return db.query<StrategyRow>(
    `SELECT ${COLUMNS} FROM strategies s WHERE s.org_id = ANY($1::bigint[]) ORDER BY s.created_at DESC, s.id DESC`,
    [orgIds],
  );
}

/** The workspace's strategy in work (draft or submitted to the council), if any. */
export async function openStrategyOfOrg(db: Db, orgId: number): Promise<StrategyRow | null> {
  const rows = await db.query<StrategyRow>(
    `SELECT ${COLUMNS} FROM strategies s WHERE s.org_id = $1 AND s.status IN ('draft', 'submitted')`,
    [orgId],
  );
  return rows[0] ?? null;
}

/** The newest published strategy of a region. */
export async function publishedOfRegion(db: Db, regionKey: string): Promise<StrategyRow | null> {
  const rows = await db.query<StrategyRow>(
    `SELECT ${COLUMNS} FROM strategies s WHERE s.region_key = $1 AND s.published
     ORDER BY s.adopted_on DESC, s.id DESC LIMIT 1`,
    [regionKey],
  );
  return rows[0] ?? null;
}

export async function insertStrategy(
  db: Db,
  s: {
    orgId: number;
    regionKey: string;
    checkId: number | null;
    previousId: number | null;
    content: StrategyContent;
    stateKey: string | null;
    sizeClass: string | null;
    createdBy: number;
    summary: Reason;
  },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO strategies (org_id, region_key, check_id, previous_id, content, state_key, size_class, created_by)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8) RETURNING id::int AS id`,
    [s.orgId, s.regionKey, s.checkId, s.previousId, JSON.stringify(s.content), s.stateKey, s.sizeClass, s.createdBy],
  );
  const id = rows[0]!.id;
  await insertRevision(db, id, 1, s.content, ['*'], s.summary, s.createdBy);
  return id;
}

async function insertRevision(
  db: Db,
  id: number,
  revision: number,
  content: StrategyContent,
  changed: readonly string[],
  summary: Reason,
  by: number | null,
) {
  await db.query(
    `INSERT INTO strategy_revisions (strategy_id, revision, content, changed, summary, changed_by)
     VALUES ($1, $2, $3::jsonb, $4::text[], $5::jsonb, $6)`,
    [id, revision, JSON.stringify(content), changed, JSON.stringify(summary), by],
  );
}

/** Store a new revision of the content (the row must be locked by the caller). Returns the new revision. */
export async function saveContent(
  db: Db,
  id: number,
  revision: number,
  content: StrategyContent,
  changed: readonly string[],
  summary: Reason,
  by: number,
): Promise<number> {
  const next = revision + 1;
  await db.query('UPDATE strategies SET content = $2::jsonb, revision = $3, updated_at = now() WHERE id = $1', [
    id,
    JSON.stringify(content),
    next,
  ]);
  await insertRevision(db, id, next, content, changed, summary, by);
  return next;
}

/** The parts changed by the revisions after `revision` (for conflict detection). */
export async function changedSince(
  db: Db,
  id: number,
  revision: number,
): Promise<{ revision: number; changed: string[]; changedByEmail: string | null; changedAt: Date }[]> {
  return db.query(
    `SELECT r.revision, r.changed, u.email AS "changedByEmail", r.changed_at AS "changedAt"
     FROM strategy_revisions r LEFT JOIN users u ON u.id = r.changed_by
     WHERE r.strategy_id = $1 AND r.revision > $2 ORDER BY r.revision`,
    [id, revision],
  );
}

export async function revisions(db: Db, id: number): Promise<RevisionRow[]> {
  return db.query<RevisionRow>(
    `SELECT r.revision, r.content, r.changed, r.summary, r.changed_by::int AS "changedBy", u.email AS "changedByEmail",
       r.changed_at AS "changedAt"
     FROM strategy_revisions r LEFT JOIN users u ON u.id = r.changed_by
     WHERE r.strategy_id = $1 ORDER BY r.revision DESC`,
    [id],
  );
}

export async function revision(db: Db, id: number, rev: number): Promise<RevisionRow | null> {
  const rows = await db.query<RevisionRow>(
    `SELECT r.revision, r.content, r.changed, r.summary, r.changed_by::int AS "changedBy", u.email AS "changedByEmail",
       r.changed_at AS "changedAt"
     FROM strategy_revisions r LEFT JOIN users u ON u.id = r.changed_by
     WHERE r.strategy_id = $1 AND r.revision = $2`,
    [id, rev],
  );
  return rows[0] ?? null;
}

export async function setStatus(
  db: Db,
  id: number,
  s: {
    status: StrategyStatus;
    submittedOn?: string | null;
    adoptedOn?: string | null;
    decisionNumber?: string | null;
    councilUrl?: string | null;
  },
) {
  await db.query(
    `UPDATE strategies SET status = $2, submitted_on = CASE WHEN $3::boolean THEN $4::date ELSE submitted_on END,
       adopted_on = CASE WHEN $5::boolean THEN $6::date ELSE adopted_on END,
       decision_number = CASE WHEN $5::boolean THEN $7 ELSE decision_number END,
       council_url = CASE WHEN $5::boolean THEN $8 ELSE council_url END,
       updated_at = now()
     WHERE id = $1`,
    [
      id,
      s.status,
      s.submittedOn !== undefined,
      s.submittedOn ?? null,
      s.adoptedOn !== undefined,
      s.adoptedOn ?? null,
      s.decisionNumber ?? null,
      s.councilUrl ?? null,
    ],
  );
}

/** Publishing one strategy of a region withdraws the region's others (one public strategy per region). */
export async function setPublished(db: Db, id: number, regionKey: string, published: boolean) {
  if (published) {
    await db.query('UPDATE strategies SET published = false WHERE region_key = $1 AND published AND id <> $2', [
      regionKey,
      id,
    ]);
  }
  await db.query('UPDATE strategies SET published = $2, updated_at = now() WHERE id = $1', [id, published]);
}

/** Adopted strategies of a workspace older than `id` become superseded when `id` is adopted. */
export async function supersedeOlder(db: Db, orgId: number, id: number) {
  await db.query(
    `UPDATE strategies SET status = 'superseded', updated_at = now() WHERE org_id = $1 AND id <> $2 AND status = 'adopted'`,
    [orgId, id],
  );
}

// Links of measures to practice projects and solutions (written by the atlas and the market through index.ts).

export async function addMeasureLink(db: Db, measureId: string, kind: 'practice' | 'solution', refId: string) {
  await db.query('INSERT INTO measure_links (measure_id, kind, ref_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    measureId,
    kind,
    refId,
  ]);
}

export async function removeMeasureLink(db: Db, measureId: string, kind: 'practice' | 'solution', refId: string) {
  await db.query('DELETE FROM measure_links WHERE measure_id = $1 AND kind = $2 AND ref_id = $3', [
    measureId,
    kind,
    refId,
  ]);
}

export async function measureLinks(
  db: Db,
  measureIds: readonly string[],
): Promise<{ measureId: string; kind: 'practice' | 'solution'; refId: string }[]> {
  return db.query(
    `SELECT measure_id AS "measureId", kind, ref_id AS "refId" FROM measure_links WHERE measure_id = ANY($1::text[])
     ORDER BY measure_id, kind, ref_id`,
    [measureIds],
  );
}

// Personal data: strategies belong to the workspace; a person appears as creator and author of revisions.

export async function personalRows(db: Db, userId: number) {
  const [created, changed] = await Promise.all([
    db.query(
      `SELECT id::int AS id, region_key AS "regionKey", status, created_at AS "createdAt" FROM strategies WHERE created_by = $1`,
      [userId],
    ),
    db.query(
      `SELECT strategy_id::int AS "strategyId", revision, summary, changed_at AS "changedAt"
       FROM strategy_revisions WHERE changed_by = $1 ORDER BY changed_at`,
      [userId],
    ),
  ]);
  // Keyed by table, as the personal-data export lists them.
  return { strategies: created, strategy_revisions: changed };
}

export async function erasePerson(tx: Db, userId: number) {
  const a = await tx.query('UPDATE strategies SET created_by = NULL WHERE created_by = $1 RETURNING id', [userId]);
  const b = await tx.query(
    'UPDATE strategy_revisions SET changed_by = NULL WHERE changed_by = $1 RETURNING strategy_id',
    [userId],
  );
  return { strategies: a.length, strategyRevisions: b.length };
}

export async function deleteDemoStrategies(db: Db): Promise<number> {
  const rows = await db.query('DELETE FROM strategies WHERE is_demo RETURNING id');
  return rows.length;
}

/** Insert a demo strategy (lotse seed demo): no workspace, marked, never published. */
export async function insertDemoStrategy(
  db: Db,
  s: {
    regionKey: string;
    checkId: number;
    content: StrategyContent;
    stateKey: string | null;
    sizeClass: string | null;
    adoptedOn: string | null;
  },
): Promise<void> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO strategies (org_id, region_key, check_id, status, content, adopted_on, submitted_on, state_key, size_class, is_demo)
     VALUES (NULL, $1, $2, $3, $4::jsonb, $5::date, $5::date, $6, $7, true) RETURNING id::int AS id`,
    [
      s.regionKey,
      s.checkId,
      s.adoptedOn ? 'adopted' : 'draft',
      JSON.stringify(s.content),
      s.adoptedOn,
      s.stateKey,
      s.sizeClass,
    ],
  );
  await insertRevision(db, rows[0]!.id, 1, s.content, ['*'], { key: 'strategy.change.demo', params: {} }, null);
}
