/**
 * Use cases of the solution market: a provider workspace writes a solution (working copy with revisions), submits
 * it, an advisor of the centre publishes it or asks for changes (every published version kept); the provider names
 * municipalities as references and only the admin of that municipality's workspace confirms one; members of
 * verified municipal workspaces review (one per workspace) and the provider answers once; up to four published
 * solutions are compared side by side.
 */
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal, orgById, workspaceResource } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { publish } from '../../platform/events/events.js';
import { type Translate, text } from '../../platform/i18n/i18n.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { authorize, can, type Principal, type Resource } from '../../platform/policy.js';
import type { Verdict } from '../conformance/types.js';
import { SOLUTION_ACTION, type SolutionAction } from './actions.js';
import { SOLUTION_EVENTS } from './events.js';
import {
  mergePubliccode,
  OPERATING_MODELS,
  type PubliccodeFields,
  type SolutionContent,
  type SolutionVocabulary,
  solutionVocabulary,
  validateSolution,
} from './model.js';
import * as repo from './solutions.repository.js';

export { SOLUTION_ACTION } from './actions.js';
export type { ReferenceRow, ReferenceStatus, ReviewRow, SolutionRow } from './solutions.repository.js';
export type { Actor };

/** The name of a workspace (null when unknown). */
export async function workspaceName(db: Db, orgId: number): Promise<string | null> {
  return (await orgById(db, orgId))?.name ?? null;
}

// ---------------------------------------------------------------------------------------------
// The conformance seam

/** Verdicts of the platform's own checks, per solution id and standard id (never from claims). */
export type ConformanceVerdicts = Map<number, Map<string, Verdict>>;

/**
 * Where checked conformance comes from. The conformance part of issue 11 (registered artefacts, checks, history)
 * provides it; until then `NO_CONFORMANCE` answers that nothing was checked.
 */
export interface ConformanceSource {
  /** The latest verdict per solution and standard (only standards that were checked). */
  verdicts(solutionIds: readonly number[]): Promise<ConformanceVerdicts>;
  /** Ids of solutions whose latest check of `standard` (null: of any standard) is conformant. */
  conformantIds(standard: string | null): Promise<number[]>;
}

export const NO_CONFORMANCE: ConformanceSource = {
  verdicts: async () => new Map(),
  conformantIds: async () => [],
};

export interface SolutionDeps {
  db: Db;
  mailer: Pick<Mailer, 'send'>;
  publicUrl: string;
  /** German texts for mails (the recipients' language is not known). */
  t: Translate;
  now: () => Date;
  /** The controlled lists (default: maturity-model sectors, loosely checked standard ids). */
  vocab?: SolutionVocabulary;
}

export const SOLUTIONS_PATH = '/loesungen';
export const solutionUrl = (id: number) => `${SOLUTIONS_PATH}/${id}`;

// ---------------------------------------------------------------------------------------------
// Access

export interface Authorised {
  row: repo.SolutionRow;
  p: Principal | null;
  r: Resource;
}

export function solutionResource(row: repo.SolutionRow): Resource {
  return { orgId: row.orgId, status: row.review, published: row.published !== null };
}

/**
 * The solution and the reader's rights; 404 for unknown ids and for solutions the reader may not see (one that was
 * never published exists only for its provider and the centre's advisors).
 */
export async function authorised(
  db: Db,
  actor: Actor | null,
  id: number,
  action: SolutionAction | null = null,
): Promise<Authorised> {
  const row = Number.isSafeInteger(id) && id > 0 ? await repo.solutionById(db, id) : null;
  if (!row) throw new NotFoundError(text('market.solutions.err.noSuchSolution', { id }));
  const p = actor ? await loadPrincipal(db, actor) : null;
  const r = solutionResource(row);
  if (row.published === null && !can(p, SOLUTION_ACTION.readDraft, r)) {
    throw new NotFoundError(text('market.solutions.err.noSuchSolution', { id }));
  }
  if (action) authorize(p, action, r);
  return { row, p, r };
}

/** The provider workspaces of a person (they may list solutions for them). */
export async function providerWorkspaces(db: Db, actor: Actor) {
  const p = await loadPrincipal(db, actor);
  return p.memberships.filter((m) => m.kind === 'provider');
}

/** The actor's provider workspace (the given one, else their first), or a 403/404. */
async function providerWorkspace(db: Db, p: Principal, orgId: number | null): Promise<number> {
  const chosen = p.memberships.find((m) => m.kind === 'provider' && (orgId === null || m.orgId === orgId));
  if (!chosen) {
    if (orgId !== null && !(await orgById(db, orgId))) {
      throw new NotFoundError(text('market.solutions.err.noSuchWorkspace'));
    }
    throw new ForbiddenError(text('market.solutions.err.providersOnly'));
  }
  return chosen.orgId;
}

function checkContent(c: SolutionContent, complete: boolean, vocab?: SolutionVocabulary): void {
  const errors = validateSolution(c, { complete }, vocab ?? solutionVocabulary());
  if (errors.length > 0) throw new ValidationError(errors);
}

async function mailAll(
  d: SolutionDeps,
  tx: Db,
  to: readonly string[],
  key:
    | 'market.solutions.mail.submitted'
    | 'market.solutions.mail.published'
    | 'market.solutions.mail.changes'
    | 'market.solutions.mail.referenceRequested'
    | 'market.solutions.mail.referenceDecided'
    | 'market.solutions.mail.reviewed',
  params: Record<string, string | number>,
  kind: 'solution-review' | 'solution-reference' | 'solution-rating',
) {
  for (const email of to) {
    await d.mailer.send(
      { to: email, subject: d.t(`${key}Subject`, params), text: d.t(`${key}Text`, params), kind },
      tx,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A new draft of the actor's provider workspace. */
export async function createSolution(
  d: SolutionDeps,
  actor: Actor,
  orgId: number | null,
  content: SolutionContent,
): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  const org = await providerWorkspace(d.db, p, orgId);
  authorize(p, SOLUTION_ACTION.create, { orgId: org });
  checkContent(content, false, d.vocab);
  return d.db.transaction(async (tx) => {
    const id = await repo.insertSolution(tx, { orgId: org, content, createdBy: actor.id });
    await recordAudit(tx, {
      action: 'solution.create',
      entity: 'solution',
      entityId: id,
      orgId: org,
      actorUserId: actor.id,
    });
    return id;
  });
}

export type SaveOutcome =
  | { ok: true; revision: number }
  | { ok: false; conflict: { saved: SolutionContent; revision: number; changedAt: Date } };

/**
 * Save the provider's edit of the working copy, made on revision `expected`. When a colleague saved in between,
 * nothing is saved and the caller shows both versions (the form keeps the person's input). Editing a published
 * solution makes its working copy a draft again; the public keeps seeing the published version.
 */
export async function saveSolution(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  input: SolutionContent,
  expected: number,
): Promise<SaveOutcome> {
  await authorised(d.db, actor, id, SOLUTION_ACTION.edit);
  checkContent(input, false, d.vocab);
  return d.db.transaction(async (tx) => {
    const row = await repo.lockSolution(tx, id);
    if (!row) throw new NotFoundError(text('market.solutions.err.noSuchSolution', { id }));
    if (row.review === 'submitted') throw new ConflictError(text('market.solutions.err.notEditable'));
    if (row.revision !== expected) {
      return { ok: false as const, conflict: { saved: row.content, revision: row.revision, changedAt: row.updatedAt } };
    }
    const review = row.review === 'published' ? 'draft' : row.review;
    const revision = await repo.saveContent(tx, id, input, review);
    await recordAudit(tx, {
      action: 'solution.edit',
      entity: 'solution',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      before: { revision: row.revision },
      after: { revision },
    });
    return { ok: true as const, revision };
  });
}

/**
 * The seam of the publiccode.yml import: lay the fields another function mapped from the file over the working
 * copy (what the file does not say stays as typed) and save them as the next revision. Returns the fields filled.
 */
export async function prefillFromPubliccode(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  fields: PubliccodeFields,
): Promise<{ revision: number; filled: string[] }> {
  const { row } = await authorised(d.db, actor, id, SOLUTION_ACTION.edit);
  const { content, filled } = mergePubliccode(row.content, fields);
  const out = await saveSolution(d, actor, id, content, row.revision);
  if (!out.ok) throw new ConflictError(text('market.solutions.err.conflict'));
  return { revision: out.revision, filled };
}

/** Submit the working copy for review (complete content needed); the centre's advisors are told by mail. */
export async function submitSolution(d: SolutionDeps, actor: Actor, id: number): Promise<void> {
  const { row } = await authorised(d.db, actor, id, SOLUTION_ACTION.submit);
  checkContent(row.content, true, d.vocab);
  await d.db.transaction(async (tx) => {
    const locked = await repo.lockSolution(tx, id);
    if (locked?.review !== row.review || locked.revision !== row.revision) {
      throw new ConflictError(text('market.solutions.err.conflict'));
    }
    await repo.setReview(tx, id, 'submitted', null);
    await recordAudit(tx, {
      action: 'solution.submit',
      entity: 'solution',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      after: { revision: row.revision },
    });
    await mailAll(
      d,
      tx,
      await repo.reviewerEmails(tx),
      'market.solutions.mail.submitted',
      { name: row.content.name, provider: row.providerName, link: `${d.publicUrl}${solutionUrl(id)}` },
      'solution-review',
    );
  });
}

export type ReviewDecision = { publish: true; note: string } | { publish: false; comment: string };

/** An advisor's decision on a submitted solution: publish it as the next version, or send it back with a comment. */
export async function reviewSolution(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  decision: ReviewDecision,
): Promise<number | null> {
  const { row } = await authorised(d.db, actor, id, SOLUTION_ACTION.review);
  if (!decision.publish && decision.comment.trim() === '') {
    throw new ValidationError([fieldError('comment', 'market.solutions.err.commentRequired')]);
  }
  if (decision.publish) checkContent(row.content, true, d.vocab);
  return d.db.transaction(async (tx) => {
    // Two advisors deciding at once: the second finds it decided.
    const locked = await repo.lockSolution(tx, id);
    if (locked?.review !== 'submitted') throw new ConflictError(text('market.solutions.err.alreadyDecided'));
    let version: number | null = null;
    if (decision.publish) {
      version = await repo.publishVersion(tx, id, actor.id, decision.note.trim() || null, d.now());
      await publish(tx, SOLUTION_EVENTS.solutionsChanged, { ids: [id] });
      await recordAudit(tx, {
        action: 'solution.publish',
        entity: 'solution',
        entityId: id,
        orgId: row.orgId,
        actorUserId: actor.id,
        after: { version },
      });
    } else {
      await repo.setReview(tx, id, 'changes_requested', { userId: actor.id, comment: decision.comment.trim() });
      await recordAudit(tx, {
        action: 'solution.request-changes',
        entity: 'solution',
        entityId: id,
        orgId: row.orgId,
        actorUserId: actor.id,
      });
    }
    await mailAll(
      d,
      tx,
      await repo.memberEmails(tx, row.orgId),
      decision.publish ? 'market.solutions.mail.published' : 'market.solutions.mail.changes',
      {
        name: row.content.name,
        comment: decision.publish ? '' : decision.comment.trim(),
        link: `${d.publicUrl}${solutionUrl(id)}`,
      },
      'solution-review',
    );
    return version;
  });
}

/** Take a published solution off the market (its versions, references and reviews stay; it becomes a draft). */
export async function withdrawSolution(d: SolutionDeps, actor: Actor, id: number): Promise<void> {
  const { row } = await authorised(d.db, actor, id, SOLUTION_ACTION.withdraw);
  if (row.published === null) throw new ConflictError(text('market.solutions.err.notPublished'));
  await d.db.transaction(async (tx) => {
    await repo.withdraw(tx, id);
    await publish(tx, SOLUTION_EVENTS.solutionsChanged, { ids: [id] });
    await recordAudit(tx, {
      action: 'solution.withdraw',
      entity: 'solution',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      before: { version: row.publishedVersion },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// References

/**
 * The provider names a municipality that uses the solution (by its region key; the municipality needs a workspace
 * on the platform). The workspace's admins are told by mail; until one of them confirms, it does not count.
 */
export async function requestReference(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  regionKey: string,
  note: string,
): Promise<number> {
  const { row } = await authorised(d.db, actor, id, SOLUTION_ACTION.requestReference);
  const key = regionKey.trim();
  if (!/^\d{2,12}$/.test(key)) throw new ValidationError([fieldError('region', 'market.solutions.err.regionKey')]);
  if (note.length > 2000) {
    throw new ValidationError([fieldError('note', 'market.solutions.err.tooLong', { max: 2000, length: note.length })]);
  }
  const orgId = await repo.municipalWorkspaceOf(d.db, key);
  if (orgId === null) throw new ValidationError([fieldError('region', 'market.solutions.err.noWorkspace')]);
  const existing = await repo.referenceOf(d.db, id, orgId);
  if (existing) {
    if (existing.status === 'declined') throw new ConflictError(text('market.solutions.err.referenceDeclined'));
    return existing.id;
  }
  return d.db.transaction(async (tx) => {
    const refId = await repo.insertReference(tx, {
      solutionId: id,
      orgId,
      regionKey: key,
      note: note.trim(),
      by: actor.id,
    });
    await recordAudit(tx, {
      action: 'solution.reference-request',
      entity: 'solution',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      after: { referenceId: refId, municipalityOrgId: orgId },
    });
    await mailAll(
      d,
      tx,
      await repo.memberEmails(tx, orgId, true),
      'market.solutions.mail.referenceRequested',
      {
        name: (row.published ?? row.content).name,
        provider: row.providerName,
        note: note.trim() || '–',
        link: `${d.publicUrl}/organisationen/${orgId}#loesungen-referenzen`,
      },
      'solution-reference',
    );
    return refId;
  });
}

/** The admin of the named municipality's workspace confirms the reference (then it counts) or declines it. */
export async function decideReference(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  referenceId: number,
  confirm: boolean,
): Promise<void> {
  const { row } = await authorised(d.db, actor, id);
  const ref = Number.isSafeInteger(referenceId) ? await repo.referenceById(d.db, referenceId) : null;
  if (!ref || ref.solutionId !== id) throw new NotFoundError(text('market.solutions.err.noSuchReference'));
  const org = await orgById(d.db, ref.municipalityOrgId);
  if (!org) throw new NotFoundError(text('market.solutions.err.noSuchReference'));
  const p = await loadPrincipal(d.db, actor);
  authorize(p, SOLUTION_ACTION.decideReference, await workspaceResource(d.db, org));
  // Nobody confirms a reference for their own provider's solution (an admin of both workspaces).
  if (p.memberships.some((m) => m.orgId === row.orgId))
    throw new ForbiddenError(text('market.solutions.err.ownSolution'));
  await d.db.transaction(async (tx) => {
    const locked = await repo.lockReference(tx, referenceId);
    // Confirming needs an open request; declining also takes back a confirmation.
    if (!locked || (confirm ? locked.status !== 'requested' : locked.status === 'declined')) {
      throw new ConflictError(text('market.solutions.err.referenceDecided'));
    }
    const status = confirm ? 'confirmed' : 'declined';
    await repo.decideReference(tx, referenceId, status, actor.id, d.now());
    await publish(tx, SOLUTION_EVENTS.referenceChanged, { solutionId: id, referenceId, status });
    await recordAudit(tx, {
      action: confirm ? 'solution.reference-confirm' : 'solution.reference-decline',
      entity: 'solution',
      entityId: id,
      orgId: org.id,
      actorUserId: actor.id,
      before: { referenceId, status: locked.status },
      after: { referenceId, status },
    });
    await mailAll(
      d,
      tx,
      await repo.memberEmails(tx, row.orgId),
      'market.solutions.mail.referenceDecided',
      {
        name: (row.published ?? row.content).name,
        municipality: org.name,
        decision: d.t(
          confirm ? 'market.solutions.reference.status.confirmed' : 'market.solutions.reference.status.declined',
        ),
        link: `${d.publicUrl}${solutionUrl(id)}#referenzen`,
      },
      'solution-reference',
    );
  });
}

/** References waiting for a municipal workspace's decision (its workspace page lists them). */
export const openReferencesOfOrg = repo.openReferencesOfOrg;

// ---------------------------------------------------------------------------------------------
// Reviews

export const RATING = { min: 1, max: 5 } as const;

/**
 * A member of a verified municipal workspace reviews a published solution for the workspace: one review per
 * workspace (a second one is a 409), a rating of 1 to 5 and a text. The provider is told by mail.
 */
export async function writeReview(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  orgId: number | null,
  input: { rating: number; body: string },
): Promise<number> {
  const { row, p } = await authorised(d.db, actor, id);
  if (row.published === null) throw new ConflictError(text('market.solutions.err.notPublished'));
  if (!p) throw new ForbiddenError(text('market.solutions.err.verifiedMunicipalOnly'));
  const chosen = p.memberships.find((m) => m.kind === 'region' && (orgId === null || m.orgId === orgId));
  if (!chosen) throw new ForbiddenError(text('market.solutions.err.verifiedMunicipalOnly'));
  const org = await orgById(d.db, chosen.orgId);
  if (!org) throw new NotFoundError(text('market.solutions.err.noSuchWorkspace'));
  authorize(p, SOLUTION_ACTION.rate, await workspaceResource(d.db, org));
  // The provider's own people do not review its solution.
  if (p.memberships.some((m) => m.orgId === row.orgId))
    throw new ForbiddenError(text('market.solutions.err.ownSolution'));
  const errors = [];
  if (!Number.isInteger(input.rating) || input.rating < RATING.min || input.rating > RATING.max) {
    errors.push(fieldError('rating', 'market.solutions.err.rating', RATING));
  }
  const body = input.body.replace(/\r\n/g, '\n').trim();
  if (body === '') errors.push(fieldError('body', 'market.solutions.err.required'));
  else if (body.length > 5000)
    errors.push(fieldError('body', 'market.solutions.err.tooLong', { max: 5000, length: body.length }));
  if (errors.length > 0) throw new ValidationError(errors);
  return d.db.transaction(async (tx) => {
    const reviewId = await repo.insertReview(tx, {
      solutionId: id,
      orgId: org.id,
      by: actor.id,
      rating: input.rating,
      body,
      now: d.now(),
    });
    if (reviewId === null) throw new ConflictError(text('market.solutions.err.alreadyReviewed', { name: org.name }));
    await publish(tx, SOLUTION_EVENTS.reviewChanged, { solutionId: id, reviewId });
    await recordAudit(tx, {
      action: 'solution.rate',
      entity: 'solution',
      entityId: id,
      orgId: org.id,
      actorUserId: actor.id,
      after: { reviewId, rating: input.rating },
    });
    await mailAll(
      d,
      tx,
      await repo.memberEmails(tx, row.orgId),
      'market.solutions.mail.reviewed',
      {
        name: row.published!.name,
        municipality: org.name,
        rating: input.rating,
        link: `${d.publicUrl}${solutionUrl(id)}#bewertungen`,
      },
      'solution-rating',
    );
    return reviewId;
  });
}

/** The provider's team answers a review, once (a second answer is a 409). */
export async function answerReview(
  d: SolutionDeps,
  actor: Actor,
  id: number,
  reviewId: number,
  answer: string,
): Promise<void> {
  const { row } = await authorised(d.db, actor, id, SOLUTION_ACTION.answer);
  const textOf = answer.replace(/\r\n/g, '\n').trim();
  if (textOf === '') throw new ValidationError([fieldError('answer', 'market.solutions.err.required')]);
  if (textOf.length > 5000) {
    throw new ValidationError([
      fieldError('answer', 'market.solutions.err.tooLong', { max: 5000, length: textOf.length }),
    ]);
  }
  await d.db.transaction(async (tx) => {
    const review = Number.isSafeInteger(reviewId) ? await repo.lockReview(tx, reviewId) : null;
    if (!review || review.solutionId !== id) throw new NotFoundError(text('market.solutions.err.noSuchReview'));
    if (!(await repo.answerReview(tx, reviewId, textOf, actor.id, d.now()))) {
      throw new ConflictError(text('market.solutions.err.alreadyAnswered'));
    }
    await publish(tx, SOLUTION_EVENTS.reviewChanged, { solutionId: id, reviewId });
    await recordAudit(tx, {
      action: 'solution.answer',
      entity: 'solution',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      after: { reviewId },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface SolutionView {
  row: repo.SolutionRow;
  /** What this reader sees: the published version for the public, the working copy for the team and reviewers. */
  content: SolutionContent;
  showsWorkingCopy: boolean;
  isTeam: boolean;
  canEdit: boolean;
  canSubmit: boolean;
  canReview: boolean;
  canWithdraw: boolean;
  canSeeContact: boolean;
  canRequestReference: boolean;
  canAnswer: boolean;
  /** References: confirmed ones for everybody; requested and declined ones only for the team and the municipality. */
  references: repo.ReferenceRow[];
  /** The reader's municipal workspaces whose admin they are, with their open references here. */
  decidableReferences: number[];
  reviews: repo.ReviewRow[];
  /** The reader's verified municipal workspaces that have not reviewed it yet. */
  reviewWorkspaces: { id: number; name: string }[];
  verdicts: Map<string, Verdict>;
}

export async function solutionView(
  db: Db,
  actor: Actor | null,
  id: number,
  opts: { published?: boolean; conformance?: ConformanceSource } = {},
): Promise<SolutionView> {
  const { row, p, r } = await authorised(db, actor, id);
  const mayDraft = can(p, SOLUTION_ACTION.readDraft, r);
  const showsWorkingCopy = mayDraft && !opts.published;
  const content = showsWorkingCopy || row.published === null ? row.content : row.published;
  const [references, reviews, verdicts] = await Promise.all([
    repo.referencesOf(db, id),
    repo.reviewsOf(db, id),
    (opts.conformance ?? NO_CONFORMANCE).verdicts([id]),
  ]);
  const isTeam = p?.memberships.some((m) => m.orgId === row.orgId) ?? false;
  const mine = new Set(p?.memberships.map((m) => m.orgId) ?? []);
  const adminOf = new Set(p?.memberships.filter((m) => m.role === 'admin').map((m) => m.orgId) ?? []);
  const reviewed = new Set(reviews.map((v) => v.orgId));
  const reviewWorkspaces: { id: number; name: string }[] = [];
  if (p && row.published !== null && !isTeam) {
    for (const m of p.memberships) {
      if (m.kind !== 'region' || reviewed.has(m.orgId)) continue;
      const org = await orgById(db, m.orgId);
      if (org && can(p, SOLUTION_ACTION.rate, await workspaceResource(db, org))) {
        reviewWorkspaces.push({ id: org.id, name: org.name });
      }
    }
  }
  return {
    row,
    content,
    showsWorkingCopy,
    isTeam,
    canEdit: can(p, SOLUTION_ACTION.edit, r),
    canSubmit: can(p, SOLUTION_ACTION.submit, r),
    canReview: can(p, SOLUTION_ACTION.review, r),
    canWithdraw: row.published !== null && can(p, SOLUTION_ACTION.withdraw, r),
    canSeeContact: can(p, SOLUTION_ACTION.seeContact, {}),
    canRequestReference: can(p, SOLUTION_ACTION.requestReference, r),
    canAnswer: can(p, SOLUTION_ACTION.answer, r),
    references: references.filter(
      (x) => x.status === 'confirmed' || isTeam || mayDraft || mine.has(x.municipalityOrgId),
    ),
    decidableReferences: references
      .filter((x) => !isTeam && adminOf.has(x.municipalityOrgId) && x.status !== 'declined')
      .map((x) => x.id),
    reviews,
    reviewWorkspaces,
    verdicts: verdicts.get(id) ?? new Map(),
  };
}

export async function versions(db: Db, actor: Actor | null, id: number) {
  const { row } = await authorised(db, actor, id);
  return { row, versions: await repo.versionsOf(db, id) };
}

/** Solutions waiting for the actor's review (every submitted one for advisors; nothing for others). */
export async function reviewQueue(db: Db, actor: Actor): Promise<repo.SolutionRow[]> {
  const p = await loadPrincipal(db, actor);
  if (!p.isPlatformAdmin && p.advisorScopes.length === 0) return [];
  return repo.submittedSolutions(db);
}

/** The solutions of the actor's provider workspaces, with their review state. */
export async function ownSolutions(db: Db, actor: Actor): Promise<repo.SolutionRow[]> {
  const p = await loadPrincipal(db, actor);
  return repo.solutionsOfOrgs(
    db,
    p.memberships.filter((m) => m.kind === 'provider').map((m) => m.orgId),
  );
}

export const solutionsOfOrg = (db: Db, orgId: number) => repo.solutionsOfOrgs(db, [orgId]);

// ---------------------------------------------------------------------------------------------
// The market list (pages and API share the query)

export interface SolutionQuery {
  sector: string | null;
  standard: string | null;
  operatingModel: string | null;
  openSource: boolean | null;
  /** Only solutions with a conformant check: of this standard, or of any ('any'). */
  conformant: string | null;
  limit: number;
  offset: number;
}

const single = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim();

/** The query from URL parameters (page and API); unknown values are a 400 naming the parameter. */
export function parseSolutionQuery(raw: Record<string, unknown>, vocab = solutionVocabulary()): SolutionQuery {
  const errors = [];
  const sector = single(raw.sector) || null;
  if (sector && !vocab.sectors.has(sector))
    errors.push(fieldError('sector', 'market.solutions.err.unknownId', { value: sector }));
  const standard = single(raw.standard) || null;
  if (standard && !vocab.knownStandard(standard)) {
    errors.push(fieldError('standard', 'market.solutions.err.unknownId', { value: standard }));
  }
  const operatingModel = single(raw.operatingModel) || null;
  if (operatingModel && !(OPERATING_MODELS as readonly string[]).includes(operatingModel)) {
    errors.push(fieldError('operatingModel', 'market.solutions.err.unknownId', { value: operatingModel }));
  }
  const os = single(raw.openSource);
  const openSource = os === 'true' || os === 'ja' ? true : os === 'false' || os === 'nein' ? false : null;
  if (os && openSource === null) errors.push(fieldError('openSource', 'market.solutions.err.boolean'));
  const conformant = single(raw.conformant) || null;
  if (conformant && conformant !== 'any' && !vocab.knownStandard(conformant)) {
    errors.push(fieldError('conformant', 'market.solutions.err.unknownId', { value: conformant }));
  }
  const limitRaw = single(raw.limit);
  const limit = limitRaw === '' ? 20 : Number(limitRaw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100)
    errors.push(fieldError('limit', 'market.solutions.err.limit'));
  const offsetRaw = single(raw.offset);
  const offset = offsetRaw === '' ? 0 : Number(offsetRaw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) {
    errors.push(fieldError('offset', 'market.solutions.err.offset'));
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return { sector, standard, operatingModel, openSource, conformant, limit, offset };
}

export interface SolutionListItem {
  row: repo.SolutionRow;
  confirmedReferences: number;
  rating: { n: number; mean: number } | null;
  verdicts: Map<string, Verdict>;
}

export async function listSolutions(
  db: Db,
  q: SolutionQuery,
  conformance: ConformanceSource = NO_CONFORMANCE,
): Promise<{ total: number; items: SolutionListItem[] }> {
  const ids = q.conformant ? await conformance.conformantIds(q.conformant === 'any' ? null : q.conformant) : null;
  const { rows, total } = await repo.publishedSolutions(db, {
    sector: q.sector,
    standard: q.standard,
    operatingModel: q.operatingModel,
    openSource: q.openSource,
    ids,
    limit: q.limit,
    offset: q.offset,
  });
  const rowIds = rows.map((r) => r.id);
  const [refs, ratings, verdicts] = await Promise.all([
    repo.confirmedReferenceCounts(db, rowIds),
    repo.ratingsOf(db, rowIds),
    conformance.verdicts(rowIds),
  ]);
  return {
    total,
    items: rows.map((row) => ({
      row,
      confirmedReferences: refs.get(row.id) ?? 0,
      rating: ratings.get(row.id) ?? null,
      verdicts: verdicts.get(row.id) ?? new Map(),
    })),
  };
}

/** A published solution for the API (null when unknown or not published). */
export async function publishedSolution(db: Db, id: number, conformance: ConformanceSource = NO_CONFORMANCE) {
  const row = Number.isSafeInteger(id) && id > 0 ? await repo.solutionById(db, id) : null;
  if (!row?.published) return null;
  const [references, reviews, verdicts] = await Promise.all([
    repo.referencesOf(db, id),
    repo.reviewsOf(db, id),
    conformance.verdicts([id]),
  ]);
  return {
    row,
    references: references.filter((r) => r.status === 'confirmed'),
    reviews,
    verdicts: verdicts.get(id) ?? new Map<string, Verdict>(),
  };
}

// ---------------------------------------------------------------------------------------------
// Comparison

export const MAX_COMPARED = 4;

export interface ComparedSolution {
  row: repo.SolutionRow;
  content: SolutionContent;
  references: repo.ReferenceRow[];
  rating: { n: number; mean: number } | null;
  verdicts: Map<string, Verdict>;
}

/** The ids of `?ids=1,2,3` (1 to 4 distinct positive numbers, in the order given), or a 400. */
export function parseCompareIds(raw: string): number[] {
  const parts = raw
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const ids = [...new Set(parts)].map((s) => (/^\d{1,15}$/.test(s) ? Number(s) : Number.NaN));
  if (ids.length === 0 || ids.some((n) => !Number.isSafeInteger(n) || n <= 0)) {
    throw new ValidationError([fieldError('ids', 'market.solutions.err.compareIds', { max: MAX_COMPARED })]);
  }
  if (ids.length > MAX_COMPARED) {
    throw new ValidationError([fieldError('ids', 'market.solutions.err.compareTooMany', { max: MAX_COMPARED })]);
  }
  return ids;
}

/** Up to four published solutions side by side, in the order asked; a 404 names an id that is not published. */
export async function compareSolutions(
  db: Db,
  ids: readonly number[],
  conformance: ConformanceSource = NO_CONFORMANCE,
): Promise<ComparedSolution[]> {
  const rows = new Map((await repo.solutionsByIds(db, ids)).map((r) => [r.id, r]));
  const missing = ids.find((id) => !rows.get(id)?.published);
  if (missing !== undefined) throw new NotFoundError(text('market.solutions.err.noSuchSolution', { id: missing }));
  const [references, ratings, verdicts] = await Promise.all([
    repo.confirmedReferencesOf(db, ids),
    repo.ratingsOf(db, ids),
    conformance.verdicts(ids),
  ]);
  return ids.map((id) => {
    const row = rows.get(id)!;
    return {
      row,
      content: row.published!,
      references: references.filter((r) => r.solutionId === id),
      rating: ratings.get(id) ?? null,
      verdicts: verdicts.get(id) ?? new Map(),
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Personal data

export const exportPersonalData = repo.personalRows;
export const erasePersonalData = repo.erasePerson;
export const eraseContacts = repo.eraseContact;

/** The provider workspace a solution belongs to (null: no such solution); the conformance registry asks it. */
export async function solutionOwner(db: Db, id: number): Promise<number | null> {
  return Number.isSafeInteger(id) && id > 0 ? ((await repo.solutionById(db, id))?.orgId ?? null) : null;
}
