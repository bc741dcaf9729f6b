import type { Db } from '../platform/db/db.js';

export interface CheckRow {
  id: number;
  orgId: number | null;
  regionKey: string;
  modelVersion: string;
  status: 'draft' | 'submitted';
  published: boolean;
  isDemo: boolean;
  createdAt: Date;
  submittedAt: Date | null;
  overall: number | null;
  level: number | null;
  scores: unknown;
  stateKey: string | null;
  sizeClass: string | null;
  regionType: string | null;
  /** Frozen at submission (null for drafts and for checks submitted before results were frozen in full). */
  questionIds: string[] | null;
  population: number | null;
  kreisKey: string | null;
  result: unknown;
}

export interface AnswerRow {
  questionId: string;
  level: number | null;
  notApplicable: boolean;
  comment: string;
  evidenceUrl: string;
  version: number;
  updatedBy: number | null;
  updatedByEmail: string | null;
  updatedAt: Date;
}

const CHECK = `c.id::int AS id, c.org_id::int AS "orgId", c.region_key AS "regionKey", c.model_version AS "modelVersion",
  c.status, c.published, c.is_demo AS "isDemo", c.created_at AS "createdAt", c.submitted_at AS "submittedAt",
  c.overall, c.level, c.scores, c.state_key AS "stateKey", c.size_class AS "sizeClass", c.region_type AS "regionType",
  c.question_ids AS "questionIds", c.population, c.kreis_key AS "kreisKey", c.result`;

export async function checkById(db: Db, id: number): Promise<CheckRow | null> {
  const rows = await db.query<CheckRow>(`SELECT ${CHECK} FROM checks c WHERE c.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The check's row, locked for this transaction (answers wait until the transaction ends). */
export async function lockCheck(db: Db, id: number): Promise<CheckRow | null> {
  const rows = await db.query<CheckRow>(`SELECT ${CHECK} FROM checks c WHERE c.id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

export async function checksOfOrg(db: Db, orgId: number): Promise<CheckRow[]> {
  return db.query<CheckRow>(`SELECT ${CHECK} FROM checks c WHERE c.org_id = $1 ORDER BY c.created_at DESC`, [orgId]);
}

export async function draftOfOrg(db: Db, orgId: number): Promise<CheckRow | null> {
  const rows = await db.query<CheckRow>(`SELECT ${CHECK} FROM checks c WHERE c.org_id = $1 AND c.status = 'draft'`, [
    orgId,
  ]);
  return rows[0] ?? null;
}

export async function insertCheck(
  db: Db,
  c: { orgId: number | null; regionKey: string; modelVersion: string; startedBy: number | null; isDemo?: boolean },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO checks (org_id, region_key, model_version, started_by, is_demo) VALUES ($1, $2, $3, $4, $5)
     RETURNING id::int AS id`,
    [c.orgId, c.regionKey, c.modelVersion, c.startedBy, c.isDemo ?? false],
  );
  return rows[0]!.id;
}

export async function answers(db: Db, checkId: number): Promise<AnswerRow[]> {
  return db.query<AnswerRow>(
    `SELECT a.question_id AS "questionId", a.level, a.not_applicable AS "notApplicable", a.comment,
       a.evidence_url AS "evidenceUrl", a.version, a.updated_by::int AS "updatedBy", u.email AS "updatedByEmail",
       a.updated_at AS "updatedAt"
     FROM check_answers a LEFT JOIN users u ON u.id = a.updated_by WHERE a.check_id = $1`,
    [checkId],
  );
}

/**
 * Save an answer if nobody changed it since `expectedVersion` (0 = not answered yet). Returns the new
 * version, or null on a conflict (the caller then shows both versions).
 */
export async function saveAnswer(
  db: Db,
  a: {
    checkId: number;
    questionId: string;
    level: number | null;
    notApplicable: boolean;
    comment: string;
    evidenceUrl: string;
    userId: number;
    expectedVersion: number;
  },
): Promise<number | null> {
  if (a.expectedVersion === 0) {
    const rows = await db.query<{ version: number }>(
      `INSERT INTO check_answers (check_id, question_id, level, not_applicable, comment, evidence_url, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (check_id, question_id) DO NOTHING RETURNING version`,
      [a.checkId, a.questionId, a.level, a.notApplicable, a.comment, a.evidenceUrl, a.userId],
    );
    return rows[0]?.version ?? null;
  }
  const rows = await db.query<{ version: number }>(
    `UPDATE check_answers SET level = $3, not_applicable = $4, comment = $5, evidence_url = $6, updated_by = $7,
       updated_at = now(), version = version + 1
     WHERE check_id = $1 AND question_id = $2 AND version = $8 RETURNING version`,
    [a.checkId, a.questionId, a.level, a.notApplicable, a.comment, a.evidenceUrl, a.userId, a.expectedVersion],
  );
  return rows[0]?.version ?? null;
}

export async function submitCheck(
  db: Db,
  id: number,
  r: {
    overall: number | null;
    level: number | null;
    scores: unknown;
    result: unknown;
    questionIds: string[];
    population: number | null;
    kreisKey: string | null;
    stateKey: string;
    sizeClass: string | null;
    regionType: string;
  },
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE checks SET status = 'submitted', submitted_at = now(), overall = $2, level = $3, scores = $4::jsonb,
       state_key = $5, size_class = $6, region_type = $7, result = $8::jsonb, question_ids = $9::text[],
       population = $10, kreis_key = $11
     WHERE id = $1 AND status = 'draft' RETURNING id`,
    [
      id,
      r.overall,
      r.level,
      JSON.stringify(r.scores),
      r.stateKey,
      r.sizeClass,
      r.regionType,
      JSON.stringify(r.result),
      r.questionIds,
      r.population,
      r.kreisKey,
    ],
  );
  return rows.length > 0;
}

export async function setPublished(db: Db, id: number, published: boolean) {
  await db.query("UPDATE checks SET published = $2 WHERE id = $1 AND status = 'submitted'", [id, published]);
}

/**
 * The newest published result of a region: a submitted check of a workspace (never demo data) that is
 * published now (a withdrawn one is not). Null when there is none.
 */
export async function publishedOfRegion(db: Db, regionKey: string): Promise<CheckRow | null> {
  const rows = await db.query<CheckRow>(
    `SELECT ${CHECK} FROM checks c
     WHERE c.region_key = $1 AND c.status = 'submitted' AND c.published AND NOT c.is_demo AND c.org_id IS NOT NULL
     ORDER BY c.submitted_at DESC, c.id DESC LIMIT 1`,
    [regionKey],
  );
  return rows[0] ?? null;
}

/**
 * Mark the newest submitted check of each region (of one region, or all when `regionKey` is null) as the
 * latest; the others lose the mark.
 */
export async function markLatest(db: Db, regionKey: string | null) {
  await db.query(
    `UPDATE checks c SET is_latest = (c.id = l.id)
     FROM (SELECT DISTINCT ON (region_key) region_key, id FROM checks
           WHERE status = 'submitted' AND ($1::text IS NULL OR region_key = $1)
           ORDER BY region_key, submitted_at DESC, id DESC) l
     WHERE c.region_key = l.region_key AND c.status = 'submitted' AND c.is_latest IS DISTINCT FROM (c.id = l.id)`,
    [regionKey],
  );
}

export interface LatestFact {
  regionKey: string;
  stateKey: string | null;
  kreisKey: string | null;
  sizeClass: string | null;
  overall: number | null;
  level: number | null;
  /** Sector id → score, taken from the stored result. */
  sectorScores: Record<string, number | null> | null;
  submittedAt: Date | null;
  isDemo: boolean;
}

/** The latest check of every region, with just what the Lagebild needs. */
export async function latestFacts(db: Db): Promise<LatestFact[]> {
  return db.query<LatestFact>(
    `SELECT c.region_key AS "regionKey", c.state_key AS "stateKey", coalesce(c.kreis_key, r.kreis_key) AS "kreisKey",
       c.size_class AS "sizeClass", c.overall, c.level, c.submitted_at AS "submittedAt", c.is_demo AS "isDemo",
       (SELECT jsonb_object_agg(e.key, e.value->'score') FROM jsonb_each(c.scores->'bySector') e) AS "sectorScores"
     FROM checks c JOIN regions r ON r.key = c.region_key WHERE c.is_latest`,
  );
}

export interface PeerStats {
  kind: 'size' | 'state' | 'sizeState' | 'type';
  n: number;
  /** How many of the n are demo checks (lotse seed demo). */
  demo: number;
  q1: number;
  median: number;
  q3: number;
  below: number;
  ties: number;
}

/**
 * Peer groups of a check computed in the database: for the latest checks of other regions with the same size
 * class, Land, size class and Land, or type, the count (and how many of them are demo checks), quartiles (linear interpolation, as stats.ts) and how many score below or
 * equal to `own`. Three rows instead of thousands.
 */
export async function peerStats(
  db: Db,
  g: { regionKey: string; sizeClass: string | null; stateKey: string | null; regionType: string | null; own: number },
): Promise<PeerStats[]> {
  return db.query<PeerStats>(
    `SELECT g.kind, count(*)::int AS n,
       percentile_cont(0.25) WITHIN GROUP (ORDER BY c.overall) AS q1,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY c.overall) AS median,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY c.overall) AS q3,
       count(*) FILTER (WHERE c.overall < $5)::int AS below,
       count(*) FILTER (WHERE c.overall = $5)::int AS ties,
       count(*) FILTER (WHERE c.is_demo)::int AS demo
     FROM checks c
     CROSS JOIN LATERAL (VALUES ('size', c.size_class = $2), ('state', c.state_key = $3),
       ('sizeState', c.size_class = $2 AND c.state_key = $3), ('type', c.region_type = $4)) AS g(kind, hit)
     WHERE c.is_latest AND c.region_key <> $1 AND c.overall IS NOT NULL AND g.hit
     GROUP BY g.kind`,
    [g.regionKey, g.sizeClass, g.stateKey, g.regionType, g.own],
  );
}

/**
 * Store a released Lagebild (`data`, public) with the release state it was computed from (`state`, private: it
 * holds single results and is never served). Only the newest release is kept.
 */
export async function saveSnapshot(db: Db, data: unknown, state: unknown) {
  await db.query('INSERT INTO lagebild_snapshots (data, facts) VALUES ($1::jsonb, $2::jsonb)', [
    JSON.stringify(data),
    JSON.stringify(state),
  ]);
  await db.query('DELETE FROM lagebild_snapshots WHERE id < (SELECT max(id) FROM lagebild_snapshots)');
}

/** Only one release at a time on the platform (the lock ends with the transaction); false when another runs. */
export async function tryReleaseLock(tx: Db): Promise<boolean> {
  const rows = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(727274) AS ok');
  return rows[0]?.ok === true;
}

/** Wait for other releases to finish (inside the release's transaction). */
export async function releaseLock(tx: Db): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock(727274)');
}

/** The private state of the newest release (null before the first). */
export async function latestReleaseState<T>(db: Db): Promise<{ computedAt: Date; state: T | null } | null> {
  const rows = await db.query<{ computedAt: Date; state: T | null }>(
    'SELECT computed_at AS "computedAt", facts AS state FROM lagebild_snapshots ORDER BY id DESC LIMIT 1',
  );
  return rows[0] ?? null;
}

/** Per region and calendar year its latest submitted check (the Lagebild's time series). */
export async function yearFacts(
  db: Db,
): Promise<{ regionKey: string; year: number; overall: number | null; isDemo: boolean }[]> {
  return db.query(
    `SELECT DISTINCT ON (c.region_key, y.year) c.region_key AS "regionKey", y.year, c.overall, c.is_demo AS "isDemo"
     FROM checks c CROSS JOIN LATERAL (SELECT extract(year FROM c.submitted_at AT TIME ZONE 'UTC')::int AS year) y
     WHERE c.status = 'submitted'
     ORDER BY c.region_key, y.year, c.submitted_at DESC, c.id DESC`,
  );
}

export async function latestSnapshot<T>(db: Db): Promise<{ computedAt: Date; data: T } | null> {
  const rows = await db.query<{ computedAt: Date; data: T }>(
    'SELECT computed_at AS "computedAt", data FROM lagebild_snapshots ORDER BY id DESC LIMIT 1',
  );
  return rows[0] ?? null;
}

export async function deleteDemoChecks(db: Db): Promise<number> {
  const rows = await db.query<{ id: number }>('DELETE FROM checks WHERE is_demo RETURNING id');
  return rows.length;
}

// Demo data (lotse seed demo)

/** Answers of demo checks in one statement (the checks are drafts until `submitDemoChecks`). */
export async function insertDemoAnswers(
  db: Db,
  rows: { check_id: number; question_id: string; level: number | null; not_applicable: boolean }[],
) {
  await db.query(
    `INSERT INTO check_answers (check_id, question_id, level, not_applicable)
     SELECT check_id, question_id, level, not_applicable
     FROM jsonb_to_recordset($1::jsonb) AS x(check_id bigint, question_id text, level smallint, not_applicable boolean)`,
    [JSON.stringify(rows)],
  );
}

/** Submit demo checks with their results in one statement. */
export async function submitDemoChecks(db: Db, checks: Record<string, unknown>[]) {
  await db.query(
    `UPDATE checks c SET status = 'submitted', submitted_at = now(), overall = x.overall, level = x.level,
       scores = x.scores, result = x.result, question_ids = x.question_ids, population = x.population,
       kreis_key = x.kreis_key, state_key = x.state_key, size_class = x.size_class, region_type = x.region_type
     FROM jsonb_to_recordset($1::jsonb)
       AS x(id bigint, overall double precision, level smallint, scores jsonb, result jsonb, question_ids text[],
            population integer, kreis_key text, state_key text, size_class text, region_type text)
     WHERE c.id = x.id`,
    [JSON.stringify(checks)],
  );
}

// Personal data (DSGVO)

/** The checks a person started and the answers they last changed (with their comments). */
export async function personalRows(db: Db, userId: number) {
  const checks = await db.query<Record<string, unknown>>(
    `SELECT c.id::int AS id, c.org_id::int AS "orgId", c.region_key AS "regionKey", c.status, c.created_at AS "createdAt"
     FROM checks c WHERE c.started_by = $1 OR c.submitted_by = $1 ORDER BY c.id`,
    [userId],
  );
  const answers = await db.query<Record<string, unknown>>(
    `SELECT a.check_id::int AS "checkId", a.question_id AS "questionId", a.level, a.not_applicable AS "notApplicable",
       a.comment, a.evidence_url AS "evidenceUrl", a.updated_at AS "updatedAt"
     FROM check_answers a WHERE a.updated_by = $1 ORDER BY a.check_id, a.question_id`,
    [userId],
  );
  const states = await db.query<Record<string, unknown>>(
    `SELECT s.check_id::int AS "checkId", s.question_id AS "questionId", s.skipped,
       s.assigned_to = $1 AS "assignedToYou", s.assigned_by = $1 AS "assignedByYou", s.assigned_at AS "assignedAt"
     FROM check_question_states s
     WHERE s.assigned_to = $1 OR s.assigned_by = $1
        OR s.assigned_email IN (SELECT email FROM users WHERE id = $1)
     ORDER BY s.check_id, s.question_id`,
    [userId],
  );
  return { checks, check_answers: answers, check_question_states: states };
}

/** Keep the workspace's data, lose the person: their comments are cleared, their name removed. */
export async function anonymise(db: Db, userId: number) {
  const answers = await db.query<{ n: number }>(
    `UPDATE check_answers SET comment = '', updated_by = NULL WHERE updated_by = $1 RETURNING 1 AS n`,
    [userId],
  );
  const checks = await db.query<{ n: number }>(
    `UPDATE checks SET started_by = CASE WHEN started_by = $1 THEN NULL ELSE started_by END,
       submitted_by = CASE WHEN submitted_by = $1 THEN NULL ELSE submitted_by END
     WHERE started_by = $1 OR submitted_by = $1 RETURNING 1 AS n`,
    [userId],
  );
  await db.query(
    `UPDATE check_question_states SET assigned_to = NULL, assigned_email = NULL, assigned_at = NULL
     WHERE assigned_to = $1 OR assigned_email IN (SELECT email FROM users WHERE id = $1)`,
    [userId],
  );
  await db.query('UPDATE check_question_states SET assigned_by = NULL WHERE assigned_by = $1', [userId]);
  return { answersAnonymised: answers.length, checksAnonymised: checks.length };
}

// Taking the check together: put off and handed-on questions, who submitted

export interface QuestionState {
  questionId: string;
  skipped: boolean;
  assignedTo: number | null;
  /** The member's address, or the invited address of somebody not yet in the workspace. */
  assignedEmail: string | null;
  assignedByEmail: string | null;
  assignedAt: Date | null;
}

export async function questionStates(db: Db, checkId: number): Promise<QuestionState[]> {
  return db.query<QuestionState>(
    `SELECT s.question_id AS "questionId", s.skipped, s.assigned_to::int AS "assignedTo",
       coalesce(u.email, s.assigned_email) AS "assignedEmail", b.email AS "assignedByEmail", s.assigned_at AS "assignedAt"
     FROM check_question_states s LEFT JOIN users u ON u.id = s.assigned_to LEFT JOIN users b ON b.id = s.assigned_by
     WHERE s.check_id = $1`,
    [checkId],
  );
}

/** Put a question off ("später beantworten") or take it back up (saving an answer does). */
export async function setSkipped(db: Db, checkId: number, questionId: string, skipped: boolean) {
  if (!skipped) {
    await db.query(
      'UPDATE check_question_states SET skipped = false, updated_at = now() WHERE check_id = $1 AND question_id = $2 AND skipped',
      [checkId, questionId],
    );
    return;
  }
  await db.query(
    `INSERT INTO check_question_states (check_id, question_id, skipped) VALUES ($1, $2, true)
     ON CONFLICT (check_id, question_id) DO UPDATE SET skipped = true, updated_at = now()`,
    [checkId, questionId],
  );
}

/** Hand questions to a member (`userId`) or an invited address (`email`); both null takes the assignment back. */
export async function assign(
  db: Db,
  checkId: number,
  questionIds: readonly string[],
  to: { userId: number | null; email: string | null; by: number },
) {
  const assigned = to.userId !== null || to.email !== null;
  await db.query(
    `INSERT INTO check_question_states (check_id, question_id, assigned_to, assigned_email, assigned_by, assigned_at)
     SELECT $1, q, $3, $4, $5, CASE WHEN $6::boolean THEN now() END FROM unnest($2::text[]) AS q
     ON CONFLICT (check_id, question_id) DO UPDATE SET assigned_to = EXCLUDED.assigned_to,
       assigned_email = EXCLUDED.assigned_email, assigned_by = EXCLUDED.assigned_by,
       assigned_at = EXCLUDED.assigned_at, updated_at = now()`,
    [checkId, questionIds, to.userId, to.email, assigned ? to.by : null, assigned],
  );
}

export async function setSubmittedBy(db: Db, checkId: number, userId: number) {
  await db.query('UPDATE checks SET submitted_by = $2 WHERE id = $1', [checkId, userId]);
}

/** Who submitted the check (null: before this was recorded, or the person was erased). */
export async function submitterEmail(db: Db, checkId: number): Promise<string | null> {
  const rows = await db.query<{ email: string }>(
    'SELECT u.email FROM checks c JOIN users u ON u.id = c.submitted_by WHERE c.id = $1',
    [checkId],
  );
  return rows[0]?.email ?? null;
}

/** The members of a workspace (a read of the organisations module's tables), for handing questions on. */
export async function orgMembers(db: Db, orgId: number): Promise<{ userId: number; email: string }[]> {
  return db.query(
    `SELECT m.user_id::int AS "userId", u.email FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1 ORDER BY u.email`,
    [orgId],
  );
}

export interface PeerLevelRow {
  kind: 'size' | 'sizeState';
  /** 'dimension' rows: upper quartile of the dimension scores; 'question' rows: median answer level. */
  what: 'checks' | 'dimension' | 'question';
  id: string;
  n: number;
  value: number;
}

/**
 * What the latest checks of other regions of the same size class (nationally, and in the same Land) reached:
 * per group the number of checks, per dimension the upper quartile of the scores, per question the median
 * answer level (levels only; "not applicable" does not count). The caller applies the K_MIN rule.
 */
export async function peerLevelStats(
  db: Db,
  g: { regionKey: string; sizeClass: string; stateKey: string | null },
): Promise<PeerLevelRow[]> {
  return db.query<PeerLevelRow>(
    `WITH peers AS (
       SELECT c.id, c.scores, g.kind FROM checks c
       CROSS JOIN LATERAL (VALUES ('size', true), ('sizeState', c.state_key = $3)) AS g(kind, hit)
       WHERE c.is_latest AND c.region_key <> $1 AND c.size_class = $2 AND c.overall IS NOT NULL AND g.hit
     )
     SELECT kind, 'checks' AS what, '' AS id, count(*)::int AS n, 0::float8 AS value FROM peers GROUP BY kind
     UNION ALL
     SELECT p.kind, 'dimension', d.key, count(*)::int,
       percentile_cont(0.75) WITHIN GROUP (ORDER BY (d.value->>'score')::float8)
     FROM peers p CROSS JOIN LATERAL jsonb_each(p.scores->'byDimension') d
     WHERE d.value->>'score' IS NOT NULL GROUP BY p.kind, d.key
     UNION ALL
     SELECT p.kind, 'question', a.question_id, count(*)::int,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY a.level)
     FROM peers p JOIN check_answers a ON a.check_id = p.id
     WHERE a.level IS NOT NULL GROUP BY p.kind, a.question_id`,
    [g.regionKey, g.sizeClass, g.stateKey],
  );
}

/** The submitted demo checks with their answers (for other modules' demo data, e.g. demo strategies). */
export async function demoChecksWithAnswers(
  db: Db,
): Promise<(CheckRow & { answers: { questionId: string; level: number | null }[] })[]> {
  const checks = await db.query<CheckRow>(
    `SELECT ${CHECK} FROM checks c WHERE c.is_demo AND c.status = 'submitted' AND c.is_latest ORDER BY c.id`,
  );
  if (checks.length === 0) return [];
  const rows = await db.query<{ checkId: number; questionId: string; level: number | null }>(
    `SELECT a.check_id::int AS "checkId", a.question_id AS "questionId", a.level FROM check_answers a
     JOIN checks c ON c.id = a.check_id WHERE c.is_demo AND c.status = 'submitted' AND c.is_latest`,
  );
  const by = new Map<number, { questionId: string; level: number | null }[]>();
  for (const r of rows) by.set(r.checkId, [...(by.get(r.checkId) ?? []), { questionId: r.questionId, level: r.level }]);
  return checks.map((c) => ({ ...c, answers: by.get(c.id) ?? [] }));
}
