import {
  invite,
  loadPrincipal,
  type OrgDeps,
  orgById,
  permissionsOf,
  workspaceResource,
} from '../organisations/index.js';
import type { Db } from '../platform/db/db.js';
import { ConflictError, type FieldError, fieldError, NotFoundError, ValidationError } from '../platform/errors.js';
import { publish } from '../platform/events/events.js';
import type { AuthUser } from '../platform/http/auth.js';
import { type Lang, text } from '../platform/i18n/i18n.js';
import { normaliseEmail } from '../platform/mail/address.js';
import { authorize, can, memberOf, type Resource } from '../platform/policy.js';
import { getRegion, type RegionRow } from '../register/index.js';
import { CHECK_ACTION } from './actions.js';
import * as repo from './assessment.repository.js';
import {
  applicableQuestions,
  loadModel,
  type MaturityModel,
  type ModelQuestion,
  type RegionKind,
  regionKindOf,
  sizeClassOf,
} from './model.js';
import { loadGuidance, type ResultGuidance, resultGuidance } from './result.js';
import { type Answer, type CheckScore, type Level, scoreCheck } from './scoring.js';
import { K_MIN } from './stats.js';

export type { AnswerRow, CheckRow, QuestionState } from './assessment.repository.js';

/** The Digitalcheck's domain events. */
export const ASSESSMENT_EVENTS = {
  checkSubmitted: 'assessment.check-submitted',
  checkPublished: 'assessment.check-published',
  demoChanged: 'assessment.demo-changed',
  lagebildReleased: 'assessment.lagebild-released',
} as const;

export type Actor = Pick<AuthUser, 'id' | 'email' | 'isPlatformAdmin'>;

export interface CheckContext {
  check: repo.CheckRow;
  region: RegionRow;
  model: MaturityModel;
  /** The questions of the check: for a submitted check exactly those it was submitted with. */
  questions: ModelQuestion[];
  answers: Map<string, repo.AnswerRow>;
  /** Put off and handed-on questions, by question id. */
  states: Map<string, repo.QuestionState>;
  /** The workspace's members (to hand questions on to). */
  members: { userId: number; email: string }[];
  /** Who submitted the check, when known. */
  submittedByEmail: string | null;
  canEdit: boolean;
  canPublish: boolean;
  /** May invite colleagues to the workspace (its admins). */
  canInvite: boolean;
  /** A member of the workspace (advisors may read a published result, but not the workspace's other checks). */
  isMember: boolean;
}

/** The check as a resource of the permission vocabulary, with the person's principal; 404 for unknown ids. */
async function authorisedCheck(db: Db, actor: Actor, checkId: number, action = CHECK_ACTION.read) {
  const check = await repo.checkById(db, checkId);
  if (!check || check.orgId === null) throw new NotFoundError(text('check.err.noSuchCheck', { id: checkId }));
  const org = await orgById(db, check.orgId);
  if (!org) throw new NotFoundError(text('check.err.noSuchCheck', { id: checkId }));
  const [p, base] = await Promise.all([loadPrincipal(db, actor), workspaceResource(db, org)]);
  const r: Resource = { ...base, status: check.status, published: check.published };
  // Results are private to the workspace until published: only its members see a check (advisors: a published
  // result, see actions.ts).
  authorize(p, action, r);
  return { check, p, r, org };
}

/** The questions that applied when the check was submitted (older checks: as today). */
function questionsOf(model: MaturityModel, check: repo.CheckRow, region: RegionRow): ModelQuestion[] {
  if (check.status === 'submitted' && check.questionIds) {
    const ids = new Set(check.questionIds);
    return model.questions.filter((q) => ids.has(q.id));
  }
  const kind = regionKindOf(region) ?? 'gemeinde';
  return applicableQuestions(model, { population: region.population, kind });
}

export async function checkContext(
  db: Db,
  actor: Actor,
  checkId: number,
  action = CHECK_ACTION.read,
): Promise<CheckContext> {
  const { check, p, r, org } = await authorisedCheck(db, actor, checkId, action);
  const { region } = await getRegion(db, check.regionKey);
  const model = loadModel(check.modelVersion);
  const [answerRows, stateRows, members, submittedByEmail] = await Promise.all([
    repo.answers(db, checkId),
    repo.questionStates(db, checkId),
    repo.orgMembers(db, org.id),
    check.status === 'submitted' ? repo.submitterEmail(db, checkId) : Promise.resolve(null),
  ]);
  return {
    check,
    region,
    model,
    questions: questionsOf(model, check, region),
    answers: new Map(answerRows.map((a) => [a.questionId, a])),
    states: new Map(stateRows.map((s) => [s.questionId, s])),
    members,
    submittedByEmail,
    canEdit: can(p, CHECK_ACTION.answer, r),
    canPublish: can(p, CHECK_ACTION.publish, r),
    canInvite: permissionsOf(p, org, r).canManage,
    isMember: memberOf(p, r),
  };
}

/** Start the workspace's check (or continue its draft). Only for workspaces of a Gemeinde or Kreis. */
export async function startCheck(db: Db, actor: Actor, orgId: number): Promise<number> {
  const org = await orgById(db, orgId);
  if (!org) throw new NotFoundError(text('check.err.noSuchOrg', { id: orgId }));
  const [p, r] = await Promise.all([loadPrincipal(db, actor), workspaceResource(db, org)]);
  authorize(p, CHECK_ACTION.start, r);
  if (org.kind !== 'region' || !org.regionKey) throw new ValidationError([fieldError('org', 'check.err.notMunicipal')]);
  const { region } = await getRegion(db, org.regionKey);
  if (!regionKindOf(region)) throw new ValidationError([fieldError('org', 'check.err.notMunicipal')]);
  return db.transaction(async (tx) => {
    const draft = await repo.draftOfOrg(tx, orgId);
    if (draft) return draft.id;
    return repo.insertCheck(tx, {
      orgId,
      regionKey: region.key,
      modelVersion: loadModel().version,
      startedBy: actor.id,
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
 * it meanwhile, nothing is overwritten and the current answer comes back for the page to show both. A
 * submitted check refuses (here, and in the database by a trigger).
 */
export async function saveAnswer(
  db: Db,
  actor: Actor,
  checkId: number,
  questionId: string,
  input: AnswerInput,
): Promise<SaveResult> {
  const ctx = await checkContext(db, actor, checkId);
  if (!ctx.canEdit) throw new ConflictError(text('check.err.frozen'));
  const question = ctx.questions.find((q) => q.id === questionId);
  if (!question) throw new NotFoundError(text('check.err.noSuchQuestion', { id: questionId.slice(0, 40) }));
  const errors = [];
  const na = input.value === 'na';
  const level = /^[0-4]$/.test(input.value) ? Number(input.value) : null;
  if (!na && level === null) errors.push(fieldError('value', 'check.err.chooseLevel'));
  if (input.evidenceUrl && !/^https?:\/\/\S+$/.test(input.evidenceUrl)) {
    errors.push(fieldError('evidenceUrl', 'check.err.evidenceUrl'));
  }
  if (input.evidenceUrl.length > 1000)
    errors.push(fieldError('evidenceUrl', 'form.tooLong', { field: 'evidenceUrl', max: 1000 }));
  if (input.comment.length > 4000) errors.push(fieldError('comment', 'check.err.commentTooLong', { max: 4000 }));
  if (errors.length) throw new ValidationError(errors);
  const version = await repo.saveAnswer(db, {
    checkId,
    questionId,
    level,
    notApplicable: na,
    comment: input.comment.trim(),
    evidenceUrl: input.evidenceUrl.trim(),
    userId: actor.id,
    expectedVersion: input.expectedVersion,
  });
  if (version !== null) {
    // Answered: no longer put off.
    await repo.setSkipped(db, checkId, questionId, false);
    return { ok: true, version, next: nextOpen(ctx, questionId) };
  }
  const current = (await repo.answers(db, checkId)).find((a) => a.questionId === questionId) ?? null;
  return { ok: false, current };
}

/**
 * The next question to answer after `questionId` (wrapping around): unanswered and not put off, preferring
 * those handed to nobody else; null when only answered or put-off questions are left.
 */
export function nextOpen(ctx: Pick<CheckContext, 'questions' | 'answers' | 'states'>, questionId: string) {
  const at = ctx.questions.findIndex((q) => q.id === questionId);
  const next = [...ctx.questions.slice(at + 1), ...ctx.questions.slice(0, at)].find(
    (q) => !ctx.answers.has(q.id) && !ctx.states.get(q.id)?.skipped,
  );
  return next?.id ?? null;
}

/** The question before `questionId` in model order (for "zurück"), null at the first. */
export function previousQuestion(ctx: Pick<CheckContext, 'questions'>, questionId: string) {
  const at = ctx.questions.findIndex((q) => q.id === questionId);
  return at > 0 ? ctx.questions[at - 1]!.id : null;
}

/** Put a question off ("später beantworten"); returns the next question to answer, null when none is left. */
export async function skipQuestion(db: Db, actor: Actor, checkId: number, questionId: string): Promise<string | null> {
  const ctx = await checkContext(db, actor, checkId);
  if (!ctx.canEdit) throw new ConflictError(text('check.err.frozen'));
  if (!ctx.questions.some((q) => q.id === questionId))
    throw new NotFoundError(text('check.err.noSuchQuestion', { id: questionId.slice(0, 40) }));
  if (!ctx.answers.has(questionId)) await repo.setSkipped(db, checkId, questionId, true);
  const states = new Map(ctx.states);
  states.set(questionId, { ...(states.get(questionId) ?? emptyState(questionId)), skipped: true });
  return nextOpen({ ...ctx, states }, questionId);
}

const emptyState = (questionId: string): repo.QuestionState => ({
  questionId,
  skipped: false,
  assignedTo: null,
  assignedEmail: null,
  assignedByEmail: null,
  assignedAt: null,
});

export interface AssignInput {
  /** One question id, or empty when a whole dimension is handed on. */
  question: string;
  /** A dimension id, or empty. */
  dimension: string;
  /** A member's user id (as typed in the form), 'none' to take the assignment back, or empty to invite. */
  member: string;
  /** The address of a colleague to invite (workspace admins only), when `member` is empty. */
  email: string;
}

/**
 * Hand a question or a whole dimension to a colleague: a member of the workspace, or somebody invited by mail
 * (through the organisations module's invitation, which only the workspace's admins may send). The colleague
 * finds it under "Ihnen zugewiesen". Returns the question ids handed on and to whom.
 */
export async function assignQuestions(
  d: OrgDeps,
  actor: Actor,
  checkId: number,
  input: AssignInput,
): Promise<{ questionIds: string[]; to: string | null }> {
  const ctx = await checkContext(d.db, actor, checkId);
  if (!ctx.canEdit) throw new ConflictError(text('check.err.frozen'));
  const errors: FieldError[] = [];
  let questionIds: string[] = [];
  if (input.question) {
    if (!ctx.questions.some((q) => q.id === input.question))
      throw new NotFoundError(text('check.err.noSuchQuestion', { id: input.question.slice(0, 40) }));
    questionIds = [input.question];
  } else if (input.dimension) {
    questionIds = ctx.questions.filter((q) => q.dimension === input.dimension).map((q) => q.id);
    if (questionIds.length === 0) errors.push(fieldError('dimension', 'check.err.noSuchDimension'));
  } else errors.push(fieldError('dimension', 'check.err.chooseWhat'));
  let to: { userId: number | null; email: string | null } | null = null;
  const email = normaliseEmail(input.email);
  if (input.member === 'none') to = { userId: null, email: null };
  else if (input.member) {
    const m = ctx.members.find((x) => String(x.userId) === input.member);
    if (!m) errors.push(fieldError('member', 'check.err.notAMember'));
    else to = { userId: m.userId, email: null };
  } else if (input.email.trim()) {
    const m = ctx.members.find((x) => normaliseEmail(x.email) === email);
    if (m) to = { userId: m.userId, email: null };
    else if (!ctx.canInvite) errors.push(fieldError('email', 'check.err.inviteAdminsOnly'));
    else if (!email) errors.push(fieldError('email', 'auth.emailInvalid'));
    else to = { userId: null, email };
  } else errors.push(fieldError('member', 'check.err.chooseColleague'));
  if (errors.length || !to) throw new ValidationError(errors);
  if (to.email && ctx.check.orgId !== null) await invite(d, actor, ctx.check.orgId, input.email, 'member');
  await repo.assign(d.db, checkId, questionIds, { ...to, by: actor.id });
  const shown = to.userId !== null ? (ctx.members.find((m) => m.userId === to.userId)?.email ?? null) : to.email;
  return { questionIds, to: shown };
}

/** The questions handed to this person (as a member, or by the address they were invited with). */
export function assignedTo(ctx: Pick<CheckContext, 'questions' | 'states'>, actor: Actor): ModelQuestion[] {
  const email = normaliseEmail(actor.email);
  return ctx.questions.filter((q) => {
    const s = ctx.states.get(q.id);
    if (!s) return false;
    return s.assignedTo === actor.id || (s.assignedTo === null && email !== null && s.assignedEmail === email);
  });
}

function toAnswers(rows: Iterable<repo.AnswerRow>): Answer[] {
  return [...rows].map((a) => ({ questionId: a.questionId, level: a.notApplicable ? null : (a.level as Level) }));
}

/** The result of a check: for a submitted one exactly what was stored at submission. */
export function scoreOf(ctx: Pick<CheckContext, 'check' | 'questions' | 'answers'>): CheckScore {
  if (ctx.check.status === 'submitted' && ctx.check.result) return ctx.check.result as CheckScore;
  const score = scoreCheck(ctx.questions, toAnswers(ctx.answers.values()));
  if (ctx.check.status !== 'submitted') return score;
  // Checks submitted before results were frozen in full: the stored overall and group scores count.
  const stored = ctx.check.scores as Pick<CheckScore, 'byDimension' | 'bySector'> | null;
  return {
    ...score,
    overall: ctx.check.overall,
    level: ctx.check.level as Level | null,
    ...(stored ? { byDimension: stored.byDimension, bySector: stored.bySector } : {}),
  };
}

/**
 * Submit a complete check, in one transaction: the check row is locked (an answer saved at the same moment
 * either lands before and counts, or is refused), the result and everything it depends on are frozen
 * (questions, population, type, Kreis, model version), and the event for the Lagebild is written.
 */
export async function submitCheck(db: Db, actor: Actor, checkId: number): Promise<void> {
  const { check: unlocked } = await authorisedCheck(db, actor, checkId);
  // The register in memory is held per long-lived handle: read the region before the transaction (a check's
  // region never changes), not through `tx`, which would build a second copy of the register.
  const { region } = await getRegion(db, unlocked.regionKey);
  await db.transaction(async (tx) => {
    const check = await repo.lockCheck(tx, checkId);
    if (check?.status !== 'draft') throw new ConflictError(text('check.err.alreadySubmitted'));
    const model = loadModel(check.modelVersion);
    const questions = questionsOf(model, check, region);
    const answers = await repo.answers(tx, checkId);
    const score = scoreCheck(questions, toAnswers(answers));
    if (!score.complete) {
      throw new ValidationError([fieldError('questions', 'check.err.incomplete', { missing: score.missing })]);
    }
    const kind: RegionKind = regionKindOf(region) ?? 'gemeinde';
    await repo.submitCheck(tx, checkId, {
      overall: score.overall,
      level: score.level,
      scores: { byDimension: score.byDimension, bySector: score.bySector },
      result: score,
      questionIds: questions.map((q) => q.id),
      population: region.population,
      kreisKey: region.kreisKey,
      stateKey: region.stateKey,
      sizeClass: sizeClassOf(region.population),
      regionType: kind,
    });
    await repo.setSubmittedBy(tx, checkId, actor.id);
    await repo.markLatest(tx, check.regionKey);
    await publish(tx, ASSESSMENT_EVENTS.checkSubmitted, { checkId, regionKey: check.regionKey });
  });
}

export async function setPublished(db: Db, actor: Actor, checkId: number, published: boolean) {
  const { p, r } = await authorisedCheck(db, actor, checkId);
  if (r.status !== 'submitted') throw new ConflictError(text('check.err.publishDraft'));
  authorize(p, CHECK_ACTION.publish, r);
  await db.transaction(async (tx) => {
    await repo.setPublished(tx, checkId, published);
    await publish(tx, ASSESSMENT_EVENTS.checkPublished, { checkId, published });
  });
}

/** A published result as the public profile and the API show it. */
export interface PublishedResult {
  checkId: number;
  regionKey: string;
  modelVersion: string;
  submittedAt: Date;
  overall: number | null;
  level: Level | null;
  byDimension: { dimension: string; score: number | null }[];
}

/** The region's newest published result (withdrawn ones and demo data never), or null. Public. */
export async function publishedResult(db: Db, regionKey: string): Promise<PublishedResult | null> {
  const check = await repo.publishedOfRegion(db, regionKey);
  if (!check) return null;
  const model = loadModel(check.modelVersion);
  const stored = (check.result ?? check.scores) as Pick<CheckScore, 'byDimension'> | null;
  return {
    checkId: check.id,
    regionKey: check.regionKey,
    modelVersion: check.modelVersion,
    submittedAt: check.submittedAt ?? check.createdAt,
    overall: check.overall,
    level: check.level as Level | null,
    byDimension: model.dimensions.map((d) => ({ dimension: d.id, score: stored?.byDimension?.[d.id]?.score ?? null })),
  };
}

/** The check for the publish/withdraw pages: submitted, and the person is an admin of its workspace. */
export async function publishableCheck(db: Db, actor: Actor, checkId: number): Promise<CheckContext> {
  const { p, r } = await authorisedCheck(db, actor, checkId);
  if (r.status !== 'submitted') throw new ConflictError(text('check.err.publishDraft'));
  authorize(p, CHECK_ACTION.publish, r);
  return checkContext(db, actor, checkId);
}

export interface PeerGroup {
  /** Same size class (nationally), same Land, same size class in the same Land, same type (nationally). */
  kind: 'size' | 'state' | 'sizeState' | 'type';
  /** The size class, the Land's key, "<size class>|<Land>", or the type. */
  key: string;
  /** The size class and Land the group is made of (for its name; see result.ts `peerGroupName`). */
  sizeClass: string | null;
  stateKey: string | null;
  regionType: string | null;
  /** Median and quartiles of the peers and the municipality's percentile; null with fewer than K_MIN peers. */
  comparison: {
    peers: { n: number; q1: number; median: number; q3: number; gini: null; quintileGap: null };
    percentile: number;
    /** How many of the n peers are demo checks (invented, `lotse seed demo`); labelled wherever they appear. */
    demo: number;
  } | null;
}

export interface CheckResult {
  ctx: CheckContext;
  score: CheckScore;
  /** Next steps, why they matter, strengths (see result.ts). */
  guidance: ResultGuidance;
  peers: PeerGroup[];
  /** Earlier submitted checks of the workspace with the same model version (comparable scores). */
  history: repo.CheckRow[];
}

/** The result page: scores, strengths and gaps, peers (≥ 5 others per group, else nothing), earlier checks. */
export async function checkResult(db: Db, actor: Actor, checkId: number, lang: Lang): Promise<CheckResult> {
  const ctx = await checkContext(db, actor, checkId, CHECK_ACTION.readResult);
  if (ctx.check.status !== 'submitted') throw new ConflictError(text('check.err.notSubmitted'));
  const score = scoreOf(ctx);
  const own = ctx.check.overall ?? 0;
  const stats = await repo.peerStats(db, {
    regionKey: ctx.check.regionKey,
    sizeClass: ctx.check.sizeClass,
    stateKey: ctx.check.stateKey,
    regionType: ctx.check.regionType,
    own,
  });
  const { sizeClass, stateKey, regionType } = ctx.check;
  const group = (kind: PeerGroup['kind'], key: string | null): PeerGroup => {
    const s = stats.find((x) => x.kind === kind);
    // Same rule as stats.peerComparison: at least K_MIN peers besides the municipality itself.
    const comparison =
      s && s.n >= K_MIN
        ? {
            peers: { n: s.n, q1: s.q1, median: s.median, q3: s.q3, gini: null, quintileGap: null },
            percentile: ((s.below + s.ties / 2) / s.n) * 100,
            demo: s.demo,
          }
        : null;
    return {
      kind,
      key: key ?? '',
      sizeClass: kind === 'size' || kind === 'sizeState' ? sizeClass : null,
      stateKey: kind === 'state' || kind === 'sizeState' ? stateKey : null,
      regionType: kind === 'type' ? regionType : null,
      comparison,
    };
  };
  const levels = new Map<string, Level | null>(
    [...ctx.answers.values()].map((a) => [a.questionId, a.notApplicable ? null : (a.level as Level)]),
  );
  const history =
    ctx.check.orgId === null
      ? []
      : (await repo.checksOfOrg(db, ctx.check.orgId)).filter(
          (c) =>
            c.status === 'submitted' &&
            c.modelVersion === ctx.check.modelVersion &&
            (ctx.isMember || c.published || c.id === ctx.check.id),
        );
  return {
    ctx,
    score,
    guidance: resultGuidance(ctx.model, loadGuidance(ctx.model), ctx.questions, levels, score, lang),
    peers: [
      ...(sizeClass ? [group('sizeState', `${sizeClass}|${stateKey ?? ''}`), group('size', sizeClass)] : []),
      group('state', stateKey),
      group('type', regionType),
    ],
    history,
  };
}

/** What comparable municipalities reached, for goals and reasons of a strategy (groups of at least K_MIN). */
export interface PeerProfile {
  /** The group the figures come from: the size class in the same Land, else nationally; null: too few peers. */
  group: { kind: 'size' | 'sizeState'; sizeClass: string; stateKey: string | null; n: number } | null;
  /** Dimension id → upper quartile of the peers' scores (0–100). */
  dimensionQ3: Record<string, number>;
  /** Question id → median answer level of the peers. */
  questionMedian: Record<string, number>;
}

/**
 * Peer figures of a submitted check for its strategy: the same size class in the same Land when at least K_MIN
 * others have a check there, else the same size class nationally; per dimension and question only figures that
 * rest on at least K_MIN checks.
 */
export async function peerProfile(
  db: Db,
  check: Pick<repo.CheckRow, 'regionKey' | 'sizeClass' | 'stateKey'>,
): Promise<PeerProfile> {
  const empty: PeerProfile = { group: null, dimensionQ3: {}, questionMedian: {} };
  if (!check.sizeClass) return empty;
  const rows = await repo.peerLevelStats(db, {
    regionKey: check.regionKey,
    sizeClass: check.sizeClass,
    stateKey: check.stateKey,
  });
  const count = (kind: string) => rows.find((r) => r.what === 'checks' && r.kind === kind)?.n ?? 0;
  const kind = count('sizeState') >= K_MIN ? 'sizeState' : count('size') >= K_MIN ? 'size' : null;
  if (!kind) return empty;
  const out: PeerProfile = {
    group: { kind, sizeClass: check.sizeClass, stateKey: kind === 'sizeState' ? check.stateKey : null, n: count(kind) },
    dimensionQ3: {},
    questionMedian: {},
  };
  for (const r of rows) {
    if (r.kind !== kind || r.n < K_MIN) continue;
    if (r.what === 'dimension') out.dimensionQ3[r.id] = r.value;
    if (r.what === 'question') out.questionMedian[r.id] = r.value;
  }
  return out;
}

/** The figures of a submitted check another module builds on (a strategy): no answers, no comments. */
export interface CheckFacts {
  id: number;
  orgId: number | null;
  regionKey: string;
  modelVersion: string;
  submittedAt: Date;
  overall: number | null;
  level: number | null;
  byDimension: Record<string, number | null>;
  sizeClass: string | null;
  stateKey: string | null;
  regionType: string | null;
}

const factsOf = (c: repo.CheckRow): CheckFacts => {
  const dims = ((c.scores as { byDimension?: Record<string, { score: number | null }> } | null)?.byDimension ??
    {}) as Record<string, { score: number | null }>;
  return {
    id: c.id,
    orgId: c.orgId,
    regionKey: c.regionKey,
    modelVersion: c.modelVersion,
    submittedAt: c.submittedAt ?? c.createdAt,
    overall: c.overall,
    level: c.level,
    byDimension: Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, v.score])),
    sizeClass: c.sizeClass,
    stateKey: c.stateKey,
    regionType: c.regionType,
  };
};

/** A submitted check's figures (null for drafts and unknown ids). The caller decides who may see them. */
export async function checkFacts(db: Db, checkId: number): Promise<CheckFacts | null> {
  const c = await repo.checkById(db, checkId);
  return c && c.status === 'submitted' ? factsOf(c) : null;
}

/** The workspace's newest submitted check after `afterCheckId` with the same model version, if any. */
export async function laterCheckFacts(
  db: Db,
  orgId: number,
  afterCheckId: number,
  modelVersion: string,
): Promise<CheckFacts | null> {
  const all = await repo.checksOfOrg(db, orgId);
  const after = all.find((c) => c.id === afterCheckId);
  const later = all.find(
    (c) =>
      c.status === 'submitted' &&
      c.modelVersion === modelVersion &&
      c.id !== afterCheckId &&
      (!after?.submittedAt || (c.submittedAt !== null && c.submittedAt > after.submittedAt)),
  );
  return later ? factsOf(later) : null;
}

/** The submitted demo checks (lotse seed demo) with their figures and answers, for other modules' demo data. */
export async function demoCheckFacts(
  db: Db,
): Promise<(CheckFacts & { answers: { questionId: string; level: number | null }[] })[]> {
  return (await repo.demoChecksWithAnswers(db)).map((c) => ({ ...factsOf(c), answers: c.answers }));
}

/** The workspace's newest submitted check, if any. */
export async function latestCheckFacts(db: Db, orgId: number): Promise<CheckFacts | null> {
  const latest = (await repo.checksOfOrg(db, orgId)).find((c) => c.status === 'submitted');
  return latest ? factsOf(latest) : null;
}

/** The named peer groups of a submitted check with at least K_MIN others (overall scores), as on the result. */
export async function checkPeerGroups(db: Db, checkId: number) {
  const c = await repo.checkById(db, checkId);
  if (c?.status !== 'submitted') return [];
  const stats = await repo.peerStats(db, {
    regionKey: c.regionKey,
    sizeClass: c.sizeClass,
    stateKey: c.stateKey,
    regionType: c.regionType,
    own: c.overall ?? 0,
  });
  const order = ['sizeState', 'size', 'state', 'type'] as const;
  return order
    .map((kind) => stats.find((s) => s.kind === kind))
    .filter((s): s is repo.PeerStats => s !== undefined && s.n >= K_MIN)
    .map((s) => ({
      kind: s.kind,
      sizeClass: s.kind === 'size' || s.kind === 'sizeState' ? c.sizeClass : null,
      stateKey: s.kind === 'state' || s.kind === 'sizeState' ? c.stateKey : null,
      regionType: s.kind === 'type' ? c.regionType : null,
      n: s.n,
      q1: s.q1,
      median: s.median,
      q3: s.q3,
      demo: s.demo,
    }));
}

// ---------------------------------------------------------------------------------------------
// Personal data

export async function exportPersonalData(db: Db, userId: number) {
  return repo.personalRows(db, userId);
}

/** Erasure: the workspace keeps its checks and answers; the person's name goes, and so do their comments. */
export async function erasePersonalData(tx: Db, userId: number) {
  return repo.anonymise(tx, userId);
}
