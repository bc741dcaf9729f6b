import { orgById } from '../organisations/organisations.repository.js';
import { type Actor, ForbiddenError, permissions } from '../organisations/organisations.service.js';
import type { Db } from '../platform/db/db.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { BoundaryMultiPolygon } from '../register/boundaries.js';
import { getRegion, type RegionRow } from '../register/register.service.js';
import * as repo from './assessment.repository.js';
import { type CheckFact, computeLagebild, type Lagebild } from './lagebild.js';
import type { MapBoundaries } from './lagebild.pages.js';
import { applicableQuestions, loadModel, type MaturityModel, type ModelQuestion, sizeClass } from './model.js';
import { type Answer, type CheckScore, type Level, scoreCheck, strengthsAndGaps } from './scoring.js';
import { K_MIN } from './stats.js';

export type { AnswerRow, CheckRow } from './assessment.repository.js';

/** The kind of municipality a check is for: drives which questions apply and the peer group by type. */
export type RegionType = 'gemeinde' | 'kreisfreie-stadt' | 'kreis';

export function regionType(r: RegionRow): RegionType | null {
  if (r.level === 'kreis')
    return r.designationCode === '41' || r.designationCode === '42' ? 'kreisfreie-stadt' : 'kreis';
  if (r.level === 'gemeinde')
    return r.designationCode === '61' || r.designationCode === '62' ? 'kreisfreie-stadt' : 'gemeinde';
  return null;
}

export interface CheckContext {
  check: repo.CheckRow;
  region: RegionRow;
  model: MaturityModel;
  questions: ModelQuestion[];
  answers: Map<string, repo.AnswerRow>;
  canEdit: boolean;
  canPublish: boolean;
}

async function memberCheck(db: Db, actor: Actor, checkId: number): Promise<{ check: repo.CheckRow; isAdmin: boolean }> {
  const check = await repo.checkById(db, checkId);
  if (!check || check.orgId === null) throw new NotFoundError(`Es gibt keinen Digitalcheck ${checkId}.`);
  const org = await orgById(db, check.orgId);
  if (!org) throw new NotFoundError(`Es gibt keinen Digitalcheck ${checkId}.`);
  const p = await permissions(db, actor, org);
  // Results are private to the workspace until published: only its members see a check.
  if (!p.role) throw new ForbiddenError('Dieser Digitalcheck ist nur für den Arbeitsbereich sichtbar.');
  return { check, isAdmin: p.role === 'admin' };
}

export async function checkContext(db: Db, actor: Actor, checkId: number): Promise<CheckContext> {
  const { check, isAdmin } = await memberCheck(db, actor, checkId);
  const { region } = await getRegion(db, check.regionKey);
  const model = loadModel(check.modelVersion);
  const type = regionType(region) ?? 'gemeinde';
  const questions = applicableQuestions(model, { population: region.population, kind: type });
  const answers = new Map((await repo.answers(db, checkId)).map((a) => [a.questionId, a]));
  return {
    check,
    region,
    model,
    questions,
    answers,
    canEdit: check.status === 'draft',
    canPublish: isAdmin && check.status === 'submitted',
  };
}

/** Start the workspace's check (or continue its draft). Only for workspaces of a Gemeinde or Kreis. */
export async function startCheck(db: Db, actor: Actor, orgId: number): Promise<number> {
  const org = await orgById(db, orgId);
  if (!org) throw new NotFoundError(`Es gibt keine Organisation ${orgId}.`);
  const p = await permissions(db, actor, org);
  if (!p.role) throw new ForbiddenError('Nur Mitglieder des Arbeitsbereichs können den Digitalcheck beginnen.');
  if (org.kind !== 'region' || !org.regionKey)
    throw new ValidationError('Kein Kommunal-Arbeitsbereich.', [
      { field: 'org', message: 'Der Digitalcheck ist für Gemeinden, Städte und Kreise.' },
    ]);
  const { region } = await getRegion(db, org.regionKey);
  if (!regionType(region)) {
    throw new ValidationError('Ebene ohne Digitalcheck.', [
      { field: 'org', message: 'Der Digitalcheck ist für Gemeinden, Städte und Kreise.' },
    ]);
  }
  return db.transaction(async (tx) => {
    const draft = await repo.draftOfOrg(tx, orgId);
    if (draft) return draft.id;
    return repo.insertCheck(tx, {
      orgId,
      regionKey: region.key,
      modelVersion: loadModel().version,
      startedBy: actor.userId,
    });
  });
}

export interface AnswerInput {
  value: string; // '0'..'4' or 'na'
  comment: string;
  evidenceUrl: string;
  expectedVersion: number;
}

export type SaveResult =
  /** `next`: the first unanswered question after this one (wrapping around), null when all are answered. */
  { ok: true; version: number; next: string | null } | { ok: false; current: repo.AnswerRow | null };

/**
 * Save one answer. Concurrent edits of the same answer are detected by its version: when somebody saved
 * it meanwhile, nothing is overwritten and the current answer comes back for the page to show both.
 */
export async function saveAnswer(
  db: Db,
  actor: Actor,
  checkId: number,
  questionId: string,
  input: AnswerInput,
): Promise<SaveResult> {
  const ctx = await checkContext(db, actor, checkId);
  if (!ctx.canEdit) throw new ConflictError('Dieser Digitalcheck ist abgeschickt und kann nicht mehr geändert werden.');
  const question = ctx.questions.find((q) => q.id === questionId);
  if (!question) throw new NotFoundError(`Die Frage ${questionId} gehört nicht zu diesem Digitalcheck.`);
  const errors = [];
  const na = input.value === 'na';
  const level = /^[0-4]$/.test(input.value) ? Number(input.value) : null;
  if (!na && level === null)
    errors.push({ field: 'value', message: 'Bitte wählen Sie eine Stufe oder „trifft nicht zu“.' });
  if (input.evidenceUrl && !/^https?:\/\/\S+$/.test(input.evidenceUrl)) {
    errors.push({
      field: 'evidenceUrl',
      message: 'Der Nachweis muss ein Link sein, der mit http:// oder https:// beginnt.',
    });
  }
  if (input.comment.length > 4000) errors.push({ field: 'comment', message: 'Höchstens 4.000 Zeichen.' });
  if (errors.length) throw new ValidationError('Antwort unvollständig.', errors);
  const version = await repo.saveAnswer(db, {
    checkId,
    questionId,
    level,
    notApplicable: na,
    comment: input.comment.trim(),
    evidenceUrl: input.evidenceUrl.trim(),
    userId: actor.userId,
    expectedVersion: input.expectedVersion,
  });
  if (version !== null) {
    const at = ctx.questions.findIndex((q) => q.id === questionId);
    const next = [...ctx.questions.slice(at + 1), ...ctx.questions.slice(0, at)].find((q) => !ctx.answers.has(q.id));
    return { ok: true, version, next: next?.id ?? null };
  }
  const current = (await repo.answers(db, checkId)).find((a) => a.questionId === questionId) ?? null;
  return { ok: false, current };
}

function toAnswers(rows: Iterable<repo.AnswerRow>): Answer[] {
  return [...rows].map((a) => ({ questionId: a.questionId, level: a.notApplicable ? null : (a.level as Level) }));
}

export function scoreOf(ctx: Pick<CheckContext, 'questions' | 'answers'>): CheckScore {
  return scoreCheck(ctx.questions, toAnswers(ctx.answers.values()));
}

/** Submit a complete check; fixes its result and peer groups and refreshes the Lagebild. */
export async function submitCheck(db: Db, actor: Actor, checkId: number): Promise<void> {
  const ctx = await checkContext(db, actor, checkId);
  if (!ctx.canEdit) throw new ConflictError('Dieser Digitalcheck ist bereits abgeschickt.');
  const score = scoreOf(ctx);
  if (!score.complete) {
    throw new ValidationError('Noch nicht vollständig.', [
      { field: 'questions', message: `Es fehlen noch ${score.missing} Antworten.` },
    ]);
  }
  await repo.submitCheck(db, checkId, {
    overall: score.overall,
    level: score.level,
    scores: { byDimension: score.byDimension, bySector: score.bySector },
    stateKey: ctx.region.stateKey,
    sizeClass: sizeClass(ctx.region.population ?? 0),
    regionType: regionType(ctx.region) ?? 'gemeinde',
  });
  await repo.markLatest(db, ctx.check.regionKey);
  await refreshLagebild(db);
}

export async function setPublished(db: Db, actor: Actor, checkId: number, published: boolean) {
  const { check, isAdmin } = await memberCheck(db, actor, checkId);
  if (!isAdmin)
    throw new ForbiddenError('Nur die Administration des Arbeitsbereichs kann ein Ergebnis veröffentlichen.');
  if (check.status !== 'submitted')
    throw new ConflictError('Nur ein abgeschickter Digitalcheck kann veröffentlicht werden.');
  await repo.setPublished(db, checkId, published);
}

export interface PeerGroup {
  kind: 'size' | 'state' | 'type';
  key: string;
  /** Median and quartiles of the peers and the municipality's percentile; null with fewer than K_MIN peers. */
  comparison: {
    peers: { n: number; q1: number; median: number; q3: number; gini: null; quintileGap: null };
    percentile: number;
  } | null;
}

export interface CheckResult {
  ctx: CheckContext;
  score: CheckScore;
  highlights: ReturnType<typeof strengthsAndGaps>;
  peers: PeerGroup[];
  history: repo.CheckRow[];
}

/** The result page: scores, strengths and gaps, peers (≥ 5 others per group, else nothing), earlier checks. */
export async function checkResult(db: Db, actor: Actor, checkId: number, lang: 'de' | 'en'): Promise<CheckResult> {
  const ctx = await checkContext(db, actor, checkId);
  if (ctx.check.status !== 'submitted')
    throw new AppError(409, 'conflict', 'error.conflict', 'Dieser Digitalcheck ist noch nicht abgeschickt.');
  const score = scoreOf(ctx);
  const names = Object.fromEntries(ctx.model.dimensions.map((d) => [d.id, d.name[lang]]));
  const own = ctx.check.overall ?? 0;
  const stats = await repo.peerStats(db, {
    regionKey: ctx.check.regionKey,
    sizeClass: ctx.check.sizeClass,
    stateKey: ctx.check.stateKey,
    regionType: ctx.check.regionType,
    own,
  });
  const group = (kind: PeerGroup['kind'], key: string | null): PeerGroup => {
    const s = stats.find((x) => x.kind === kind);
    // Same rule as stats.peerComparison: at least K_MIN peers besides the municipality itself.
    const comparison =
      s && s.n >= K_MIN
        ? {
            peers: { n: s.n, q1: s.q1, median: s.median, q3: s.q3, gini: null, quintileGap: null },
            percentile: ((s.below + s.ties / 2) / s.n) * 100,
          }
        : null;
    return { kind, key: key ?? '', comparison };
  };
  const history =
    ctx.check.orgId === null
      ? []
      : (await repo.checksOfOrg(db, ctx.check.orgId)).filter((c) => c.status === 'submitted');
  return {
    ctx,
    score,
    highlights: strengthsAndGaps(score, names),
    peers: [
      group('size', ctx.check.sizeClass),
      group('state', ctx.check.stateKey),
      group('type', ctx.check.regionType),
    ],
    history,
  };
}

export async function checksOfOrganisation(db: Db, actor: Actor, orgId: number) {
  const org = await orgById(db, orgId);
  if (!org) throw new NotFoundError(`Es gibt keine Organisation ${orgId}.`);
  const p = await permissions(db, actor, org);
  if (!p.role) throw new ForbiddenError('Nur für Mitglieder des Arbeitsbereichs.');
  return repo.checksOfOrg(db, orgId);
}

// ---------------------------------------------------------------------------------------------
// Lagebild

export async function refreshLagebild(db: Db): Promise<Lagebild> {
  const latest = await repo.latestFacts(db);
  const facts: CheckFact[] = latest.map((c) => ({
    regionKey: c.regionKey,
    stateKey: c.stateKey ?? c.regionKey.slice(0, 2),
    kreisKey: c.kreisKey,
    sizeClass: c.sizeClass ?? '',
    overall: c.overall,
    level: c.level,
    bySector: c.sectorScores ?? {},
    submittedYear: new Date(c.submittedAt ?? 0).getUTCFullYear(),
    isDemo: c.isDemo,
  }));
  const rows = await db.query<{ stateKey: string; population: number | null }>(
    `SELECT state_key AS "stateKey", population FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL`,
  );
  const denominators = {
    total: rows.length,
    byState: {} as Record<string, number>,
    bySize: {} as Record<string, number>,
  };
  for (const r of rows) {
    denominators.byState[r.stateKey] = (denominators.byState[r.stateKey] ?? 0) + 1;
    const s = sizeClass(r.population ?? 0);
    denominators.bySize[s] = (denominators.bySize[s] ?? 0) + 1;
  }
  const lagebild = computeLagebild(facts, denominators);
  await repo.saveSnapshot(db, lagebild);
  return lagebild;
}

export async function currentLagebild(db: Db): Promise<Lagebild> {
  const snap = await repo.latestSnapshot<Lagebild>(db);
  return snap ? snap.data : refreshLagebild(db);
}

/** Boundaries of the Länder and Kreise for the Lagebild maps (empty when none are imported). */
export async function mapBoundaries(db: Db): Promise<MapBoundaries> {
  const rows = await db.query<{ key: string; level: string; name: string; geometry: BoundaryMultiPolygon }>(
    `SELECT b.key, b.level, r.name, b.geometry FROM region_boundaries b JOIN regions r ON r.key = b.key
     WHERE b.level IN ('land', 'kreis') AND r.valid_to IS NULL ORDER BY b.key`,
  );
  return {
    laender: rows.filter((r) => r.level === 'land'),
    kreise: rows.filter((r) => r.level === 'kreis'),
  };
}

export async function lagebildVersion(db: Db): Promise<string> {
  return repo.lagebildVersion(db);
}
