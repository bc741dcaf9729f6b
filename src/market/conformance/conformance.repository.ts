/** SQL of the conformance registry: registered artefacts and their checks (the history is append-only). */
import type { Db } from '../../platform/db/db.js';
import type { CheckStandard, Finding, Verdict } from './types.js';

export type SubjectKind = 'region' | 'solution';
export type CheckTrigger = 'registered' | 'schedule' | 'demand';
export type ArtefactStatus = 'active' | 'removed';

export interface ArtefactRow {
  id: number;
  orgId: number | null;
  registeredBy: number | null;
  subjectKind: SubjectKind;
  regionKey: string | null;
  /** The region's name (region subjects). */
  regionName: string | null;
  solutionId: number | null;
  standard: CheckStandard;
  url: string | null;
  fileName: string | null;
  fileMediaType: string | null;
  fileSize: number | null;
  fileSha256: string | null;
  status: ArtefactStatus;
  removedAt: Date | null;
  nextCheckAt: Date;
  runningSince: Date | null;
  lastStartedAt: Date | null;
  createdAt: Date;
}

export interface CheckRow {
  id: number;
  artefactId: number;
  checkedAt: Date;
  standard: CheckStandard;
  standardVersion: string | null;
  validatorVersion: string;
  input: string;
  verdict: Verdict;
  reason: string | null;
  findingsTotal: number;
  errors: number;
  warnings: number;
  stats: Record<string, number>;
  trigger: CheckTrigger;
  durationMs: number;
}

export interface CheckWithFindings extends CheckRow {
  findings: Finding[];
}

const A = `a.id::int AS id, a.org_id::int AS "orgId", a.registered_by::int AS "registeredBy",
  a.subject_kind AS "subjectKind", a.region_key AS "regionKey", r.name AS "regionName",
  a.solution_id::int AS "solutionId", a.standard, a.url, a.file_name AS "fileName",
  a.file_media_type AS "fileMediaType", a.file_size AS "fileSize", a.file_sha256 AS "fileSha256", a.status,
  a.removed_at AS "removedAt", a.next_check_at AS "nextCheckAt", a.running_since AS "runningSince",
  a.last_started_at AS "lastStartedAt", a.created_at AS "createdAt"`;
const FROM_A = 'conformance_artefacts a LEFT JOIN regions r ON r.key = a.region_key';

const C = `c.id::int AS id, c.artefact_id::int AS "artefactId", c.checked_at AS "checkedAt", c.standard,
  c.standard_version AS "standardVersion", c.validator_version AS "validatorVersion", c.input, c.verdict, c.reason,
  c.findings_total AS "findingsTotal", c.errors, c.warnings, c.stats, c.trigger, c.duration_ms AS "durationMs"`;

export interface NewArtefact {
  orgId: number;
  registeredBy: number;
  subjectKind: SubjectKind;
  regionKey: string | null;
  solutionId: number | null;
  standard: CheckStandard;
  url: string | null;
  file: { name: string; mediaType: string | null; bytes: Uint8Array; sha256: string } | null;
  /** The first check starts at once (the artefact is claimed for it). */
  now: Date;
}

export async function insertArtefact(db: Db, a: NewArtefact): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO conformance_artefacts (org_id, registered_by, subject_kind, region_key, solution_id, standard, url,
       file_name, file_media_type, file_size, file_sha256, file_bytes, next_check_at, running_since, last_started_at,
       created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13, $13) RETURNING id::int AS id`,
    [
      a.orgId,
      a.registeredBy,
      a.subjectKind,
      a.regionKey,
      a.solutionId,
      a.standard,
      a.url,
      a.file?.name ?? null,
      a.file?.mediaType ?? null,
      a.file ? a.file.bytes.byteLength : null,
      a.file?.sha256 ?? null,
      a.file ? a.file.bytes : null,
      a.now,
    ],
  );
  return rows[0]!.id;
}

/** The active artefact with the same subject, standard and input, if any (one registration each). */
export async function findActiveDuplicate(
  db: Db,
  a: Pick<NewArtefact, 'subjectKind' | 'regionKey' | 'solutionId' | 'standard'> & { input: string },
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `SELECT id::int AS id FROM conformance_artefacts
     WHERE status = 'active' AND subject_kind = $1 AND coalesce(region_key, '') = coalesce($2, '')
       AND coalesce(solution_id, 0) = coalesce($3::bigint, 0) AND standard = $4 AND coalesce(url, file_sha256) = $5`,
    [a.subjectKind, a.regionKey, a.solutionId, a.standard, a.input],
  );
  return rows[0]?.id ?? null;
}

export async function artefactById(db: Db, id: number): Promise<ArtefactRow | null> {
  const rows = await db.query<ArtefactRow>(`SELECT ${A} FROM ${FROM_A} WHERE a.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function lockArtefact(db: Db, id: number): Promise<ArtefactRow | null> {
  const rows = await db.query<ArtefactRow>(`SELECT ${A} FROM ${FROM_A} WHERE a.id = $1 FOR UPDATE OF a`, [id]);
  return rows[0] ?? null;
}

/** The artefact's file (never served publicly; the validators read it). */
export async function artefactBytes(db: Db, id: number): Promise<Uint8Array | null> {
  const rows = await db.query<{ bytes: Uint8Array | null }>(
    'SELECT file_bytes AS bytes FROM conformance_artefacts WHERE id = $1',
    [id],
  );
  return rows[0]?.bytes ?? null;
}

export interface ArtefactFilter {
  subjectKind?: SubjectKind;
  regionKey?: string;
  solutionId?: number;
  standard?: CheckStandard;
  orgId?: number;
  includeRemoved?: boolean;
  limit: number;
  offset: number;
}

export async function listArtefacts(db: Db, f: ArtefactFilter): Promise<{ total: number; rows: ArtefactRow[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, v: unknown) => {
    params.push(v);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (!f.includeRemoved) where.push("a.status = 'active'");
  if (f.subjectKind) add('a.subject_kind = ?', f.subjectKind);
  if (f.regionKey) add('a.region_key = ?', f.regionKey);
  if (f.solutionId !== undefined) add('a.solution_id = ?', f.solutionId);
  if (f.standard) add('a.standard = ?', f.standard);
  if (f.orgId !== undefined) add('a.org_id = ?', f.orgId);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM conformance_artefacts a ${w}`, params);
  const rows = await db.query<ArtefactRow>(
    `SELECT ${A} FROM ${FROM_A} ${w} ORDER BY a.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, f.limit, f.offset],
  );
  return { total: count?.n ?? 0, rows };
}

/** Claim an artefact for a check starting now (inside the transaction that locked the row and judged it free). */
export async function claim(db: Db, id: number, now: Date): Promise<void> {
  await db.query('UPDATE conformance_artefacts SET running_since = $2, last_started_at = $2 WHERE id = $1', [id, now]);
}

/**
 * Claim up to `limit` active artefacts whose next check is due and which no other run holds (or whose run's lease
 * ran out): one statement, rows locked with SKIP LOCKED, so two instances never claim the same artefact.
 */
export async function claimDue(db: Db, now: Date, leaseMs: number, limit: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `UPDATE conformance_artefacts SET running_since = $1, last_started_at = $1
     WHERE id IN (
       SELECT id FROM conformance_artefacts
       WHERE status = 'active' AND next_check_at <= $1
         AND (running_since IS NULL OR running_since < $1::timestamptz - make_interval(secs => $2::double precision / 1000))
       ORDER BY next_check_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     RETURNING id::int AS id`,
    [now, leaseMs, limit],
  );
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

export interface NewCheck {
  artefactId: number;
  checkedAt: Date;
  standard: CheckStandard;
  standardVersion: string | null;
  validatorVersion: string;
  input: string;
  verdict: Verdict;
  reason: string | null;
  findings: Finding[];
  findingsTotal: number;
  errors: number;
  warnings: number;
  stats: Record<string, number>;
  trigger: CheckTrigger;
  durationMs: number;
}

export async function insertCheck(db: Db, c: NewCheck): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO conformance_checks (artefact_id, checked_at, standard, standard_version, validator_version, input,
       verdict, reason, findings, findings_total, errors, warnings, stats, trigger, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13::jsonb, $14, $15) RETURNING id::int AS id`,
    [
      c.artefactId,
      c.checkedAt,
      c.standard,
      c.standardVersion,
      c.validatorVersion,
      c.input,
      c.verdict,
      c.reason,
      JSON.stringify(c.findings),
      c.findingsTotal,
      c.errors,
      c.warnings,
      JSON.stringify(c.stats),
      c.trigger,
      c.durationMs,
    ],
  );
  return rows[0]!.id;
}

/** The run is over: release the claim and set when the artefact is due again. */
export async function finishRun(db: Db, id: number, nextCheckAt: Date): Promise<void> {
  await db.query('UPDATE conformance_artefacts SET running_since = NULL, next_check_at = $2 WHERE id = $1', [
    id,
    nextCheckAt,
  ]);
}

export async function removeArtefact(db: Db, id: number, at: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE conformance_artefacts SET status = 'removed', removed_at = $2, running_since = NULL
     WHERE id = $1 AND status = 'active' RETURNING id`,
    [id, at],
  );
  return rows.length > 0;
}

/** The checks of an artefact, newest first (without findings). */
export async function checksOf(db: Db, artefactId: number, limit = 100): Promise<CheckRow[]> {
  return db.query<CheckRow>(
    `SELECT ${C} FROM conformance_checks c WHERE c.artefact_id = $1 ORDER BY c.checked_at DESC, c.id DESC LIMIT $2`,
    [artefactId, limit],
  );
}

export async function checkById(db: Db, artefactId: number, id: number): Promise<CheckWithFindings | null> {
  const rows = await db.query<CheckWithFindings>(
    `SELECT ${C}, c.findings FROM conformance_checks c WHERE c.artefact_id = $1 AND c.id = $2`,
    [artefactId, id],
  );
  return rows[0] ?? null;
}

export async function latestCheck(db: Db, artefactId: number): Promise<CheckWithFindings | null> {
  const rows = await db.query<CheckWithFindings>(
    `SELECT ${C}, c.findings FROM conformance_checks c WHERE c.artefact_id = $1
     ORDER BY c.checked_at DESC, c.id DESC LIMIT 1`,
    [artefactId],
  );
  return rows[0] ?? null;
}

/** The latest check of each given artefact (without findings). */
export async function latestChecks(db: Db, artefactIds: readonly number[]): Promise<Map<number, CheckRow>> {
  if (artefactIds.length === 0) return new Map();
  const rows = await db.query<CheckRow>(
    `SELECT DISTINCT ON (c.artefact_id) ${C} FROM conformance_checks c WHERE c.artefact_id = ANY($1::bigint[])
     ORDER BY c.artefact_id, c.checked_at DESC, c.id DESC`,
    [artefactIds],
  );
  return new Map(rows.map((r) => [r.artefactId, r]));
}

export interface LatestVerdictRow {
  artefactId: number;
  regionKey: string | null;
  solutionId: number | null;
  standard: CheckStandard;
  verdict: Verdict;
  checkedAt: Date;
}

const LATEST = `SELECT DISTINCT ON (c.artefact_id) c.artefact_id::int AS "artefactId", a.region_key AS "regionKey",
    a.solution_id::int AS "solutionId", a.standard, c.verdict, c.checked_at AS "checkedAt"
  FROM conformance_checks c JOIN conformance_artefacts a ON a.id = c.artefact_id
  WHERE a.status = 'active'`;
const LATEST_ORDER = 'ORDER BY c.artefact_id, c.checked_at DESC, c.id DESC';

/** The latest check of every active artefact of the given solutions. */
export async function latestVerdictsOfSolutions(db: Db, solutionIds: readonly number[]): Promise<LatestVerdictRow[]> {
  if (solutionIds.length === 0) return [];
  return db.query<LatestVerdictRow>(`${LATEST} AND a.solution_id = ANY($1::bigint[]) ${LATEST_ORDER}`, [solutionIds]);
}

/** The latest check of every active artefact of a region. */
export async function latestVerdictsOfRegion(db: Db, regionKey: string): Promise<LatestVerdictRow[]> {
  return db.query<LatestVerdictRow>(`${LATEST} AND a.region_key = $1 ${LATEST_ORDER}`, [regionKey]);
}

/**
 * Per Land and standard, the regions (municipalities, Kreise) with an active artefact of that standard whose latest
 * check is conformant.
 */
export async function conformantRegionsByState(
  db: Db,
  standards: readonly CheckStandard[],
): Promise<{ stateKey: string; standard: CheckStandard; regions: number }[]> {
  return db.query(
    `WITH latest AS (${LATEST} AND a.subject_kind = 'region' AND a.standard = ANY($1::text[]) ${LATEST_ORDER})
     SELECT left("regionKey", 2) AS "stateKey", standard, count(DISTINCT "regionKey")::int AS regions
     FROM latest WHERE verdict = 'conformant' GROUP BY 1, 2 ORDER BY 1, 2`,
    [standards],
  );
}

/** Whether a region exists in the register (and whether it still does). */
export async function regionFacts(db: Db, key: string): Promise<{ key: string; name: string; ended: boolean } | null> {
  const rows = await db.query<{ key: string; name: string; ended: boolean }>(
    'SELECT key, name, valid_to IS NOT NULL AS ended FROM regions WHERE key = $1',
    [key],
  );
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Personal data: who registered an artefact

export async function artefactsRegisteredBy(db: Db, userId: number) {
  return db.query(
    `SELECT id::int AS id, org_id::int AS "orgId", subject_kind AS "subjectKind", region_key AS "regionKey",
       solution_id::int AS "solutionId", standard, url, file_name AS "fileName", status, created_at AS "createdAt"
     FROM conformance_artefacts WHERE registered_by = $1 ORDER BY id`,
    [userId],
  );
}

export async function forgetRegistrant(db: Db, userId: number): Promise<number> {
  const rows = await db.query(
    'UPDATE conformance_artefacts SET registered_by = NULL WHERE registered_by = $1 RETURNING id',
    [userId],
  );
  return rows.length;
}

/** Solutions with an active artefact of `standard` (null: of any standard) whose latest check is conformant. */
export async function conformantSolutionIds(db: Db, standard: CheckStandard | null): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT DISTINCT l."solutionId" AS id FROM (${LATEST} AND a.solution_id IS NOT NULL ${LATEST_ORDER}) l
     WHERE l.verdict = 'conformant' AND ($1::text IS NULL OR l.standard = $1) ORDER BY 1`,
    [standard],
  );
  return rows.map((r) => r.id);
}
