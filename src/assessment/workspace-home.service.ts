import { loadPrincipal, orgById, workspaceResource } from '../organisations/index.js';
import type { Db } from '../platform/db/db.js';
import { ConflictError } from '../platform/errors.js';
import { text } from '../platform/i18n/i18n.js';
import type { WorkspaceInfo } from '../platform/module.js';
import { can, type Principal } from '../platform/policy.js';
import { CHECK_ACTION } from './actions.js';
import type { AnswerRow, CheckRow } from './assessment.repository.js';
import * as repo from './assessment.repository.js';
import { type Actor, checkContext, startCheck } from './assessment.service.js';
import { copyAnswers } from './workspace-home.repository.js';

/** A carried-over answer that nobody has saved since (its time is the draft's creation, see copyAnswers). */
export function needsReview(check: Pick<CheckRow, 'createdAt'>, answer: Pick<AnswerRow, 'updatedAt'>): boolean {
  return new Date(answer.updatedAt).getTime() === new Date(check.createdAt).getTime();
}

export interface WorkspaceChecks {
  draft: {
    id: number;
    createdAt: Date;
    answered: number;
    total: number;
    toReview: number;
    /** The first unanswered question ("weiter, wo ich aufgehört habe"), null when all are answered. */
    next: string | null;
  } | null;
  /** Submitted checks, newest first, with the change of the score against the one before. */
  results: {
    id: number;
    submittedAt: Date;
    overall: number | null;
    level: number | null;
    published: boolean;
    trend: number | null;
  }[];
  canStart: boolean;
}

/** The Digitalcheck of a workspace as its home page shows it; null for people who may not read its checks. */
export async function workspaceChecks(db: Db, actor: Actor, org: WorkspaceInfo): Promise<WorkspaceChecks | null> {
  if (org.kind !== 'region') return null;
  const row = await orgById(db, org.id);
  if (!row) return null;
  const [p, r]: [Principal, Awaited<ReturnType<typeof workspaceResource>>] = await Promise.all([
    loadPrincipal(db, actor),
    workspaceResource(db, row),
  ]);
  if (!can(p, CHECK_ACTION.read, r)) return null;
  const checks = await repo.checksOfOrg(db, org.id);
  const draftRow = checks.find((c) => c.status === 'draft') ?? null;
  let draft: WorkspaceChecks['draft'] = null;
  if (draftRow) {
    const c = await checkContext(db, actor, draftRow.id);
    const answered = c.questions.filter((q) => c.answers.has(q.id));
    draft = {
      id: draftRow.id,
      createdAt: draftRow.createdAt,
      answered: answered.length,
      total: c.questions.length,
      toReview: answered.filter((q) => needsReview(draftRow, c.answers.get(q.id)!)).length,
      next: c.questions.find((q) => !c.answers.has(q.id))?.id ?? null,
    };
  }
  const submitted = checks
    .filter((c) => c.status === 'submitted' && !c.isDemo)
    .sort((a, b) => new Date(b.submittedAt!).getTime() - new Date(a.submittedAt!).getTime());
  const results = submitted.map((c, i) => {
    const before = submitted[i + 1];
    const trend =
      before && c.overall !== null && before.overall !== null ? Math.round(c.overall - before.overall) : null;
    return {
      id: c.id,
      submittedAt: c.submittedAt!,
      overall: c.overall,
      level: c.level,
      published: c.published,
      trend,
    };
  });
  return { draft, results, canStart: can(p, CHECK_ACTION.start, r) };
}

/**
 * "Neuer Check mit den Antworten des letzten": a new draft of the workspace whose answers start as those of the
 * submitted check `fromCheckId` (for the questions that apply today), each "zu prüfen" until saved again. When a
 * draft is open already, that draft (nothing is copied into it). Returns the draft's id.
 */
export async function startFromCheck(db: Db, actor: Actor, fromCheckId: number): Promise<number> {
  const from = await checkContext(db, actor, fromCheckId);
  if (from.check.status !== 'submitted' || from.check.orgId === null) {
    throw new ConflictError(text('check.err.copyOnlySubmitted'));
  }
  const orgId = from.check.orgId;
  const open = await repo.draftOfOrg(db, orgId);
  if (open) return open.id;
  const id = await startCheck(db, actor, orgId);
  const draft = await checkContext(db, actor, id);
  if (draft.answers.size === 0) {
    await copyAnswers(
      db,
      fromCheckId,
      id,
      draft.questions.map((q) => q.id),
    );
  }
  return id;
}
