/**
 * Inquiries to the competence centre (issue 12, "Anfragen"): a member of a municipal workspace asks; the inquiry is
 * routed (most specific rule of Land × sector, round robin in the team, the national team as fallback) and
 * acknowledged; advisors answer in the conversation, keep internal notes, change the state, hand it over; the
 * municipality replies (reopening an answered or closed inquiry) and rates it once after closing. Every transition
 * is in the history; a stale form is a 409. Overdue inquiries are escalated to the team lead once.
 */
import { createHash } from 'node:crypto';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { type Text, type Translate, text } from '../../platform/i18n/i18n.js';
import {
  advisorFor,
  allOf,
  anyOf,
  authorize,
  can,
  defineActions,
  hasStatus,
  memberOf,
  type Principal,
  platformAdmin,
  type Resource,
  type Rule,
} from '../../platform/policy.js';
import type { Notifier } from '../contract.js';
import { firstAnswerDue } from '../sla/clock.js';
import * as repo from './inquiries.repository.js';
import {
  ATTACHMENT_LIMITS,
  advisorTargets,
  afterAdvisorReply,
  afterAssignment,
  afterMunicipalReply,
  canTransition,
  chooseRule,
  type InquiryInput,
  isSector,
  LIMITS,
  nextAssignee,
  OPEN_STATUSES,
  STATUSES,
  type Status,
  safeFilename,
  sniffMediaType,
} from './model.js';

export type {
  AttachmentRow,
  CannedRow,
  HistoryRow,
  InquiryListRow,
  InquiryRow,
  MessageRow,
  RuleRow,
  TeamMemberRow,
  TeamRow,
} from './inquiries.repository.js';

/** An inquiry as rules see it: the policy's facts plus who is assigned and who is in its team. */
export interface InquiryResource extends Resource {
  assigneeUserId?: number | null;
  teamMemberIds?: readonly number[];
  /** For the queue and canned answers: the principal is in some desk team. */
  inSomeTeam?: boolean;
}

const asInquiry = (r: Resource) => r as InquiryResource;
const isAssignee: Rule = (p, r) => asInquiry(r).assigneeUserId != null && asInquiry(r).assigneeUserId === p.userId;
const inTeam: Rule = (p, r) => asInquiry(r).teamMemberIds?.includes(p.userId) === true;
/** Advisors of the inquiry: scope covering its Land (and sector as topic), its assignee, a member of its team. */
const advisesIt: Rule = anyOf(advisorFor(), isAssignee, inTeam);
const municipalMemberOf: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === 'region');
const deskAdvisor: Rule = (p, r) => p.advisorScopes.length > 0 || asInquiry(r).inSomeTeam === true;

export const INQUIRY_ACTIONS = defineActions({
  /** Ask: a member of the municipal workspace that asks. */
  'inquiry.ask': { rule: municipalMemberOf, denied: text('desk.inquiries.err.municipalOnly') },
  /** Read: the workspace's members, and the inquiry's advisors. */
  'inquiry.read': { rule: anyOf(memberOf, advisesIt), denied: text('desk.inquiries.err.notFound') },
  /** Answer, note, change the state, hand over, take: the inquiry's advisors. */
  'inquiry.advise': { rule: advisesIt, denied: text('desk.inquiries.err.advisorsOnly') },
  /** Rate once after closing: a member of the workspace. */
  'inquiry.rate': { rule: allOf(memberOf, hasStatus('closed')), denied: text('desk.inquiries.err.rateClosed') },
  /** The queue and the canned answers: advisors of the centre (an advisor scope or a desk team). */
  'inquiry.queue': { rule: deskAdvisor, denied: text('desk.inquiries.err.advisorsOnly') },
  /** Teams and routing rules: platform admins. */
  'inquiry.configure': { rule: platformAdmin, denied: text('desk.inquiries.err.adminOnly') },
});
const A = {
  ask: INQUIRY_ACTIONS['inquiry.ask'],
  read: INQUIRY_ACTIONS['inquiry.read'],
  advise: INQUIRY_ACTIONS['inquiry.advise'],
  rate: INQUIRY_ACTIONS['inquiry.rate'],
  queue: INQUIRY_ACTIONS['inquiry.queue'],
  configure: INQUIRY_ACTIONS['inquiry.configure'],
};

export interface InquiryDeps {
  db: Db;
  now: () => Date;
  notifier: Notifier;
  /** German texts of the notifications. */
  t: Translate;
}

export const inquiryPath = (id: number) => `/beratung/anfragen/${id}`;

async function resourceOf(db: Db, row: repo.InquiryRow): Promise<InquiryResource> {
  const team = row.teamId ? await repo.teamMembers(db, row.teamId) : [];
  return {
    orgId: row.orgId,
    stateKey: row.stateKey,
    topic: row.sector,
    status: row.status,
    assigneeUserId: row.assigneeUserId,
    teamMemberIds: team.map((m) => m.userId),
  };
}

/** The inquiry and the actor's principal, or 404 for whoever may not read it (its existence is not revealed). */
async function readable(db: Db, actor: Actor, id: number, forUpdate = false) {
  const p = await loadPrincipal(db, actor);
  const row = Number.isSafeInteger(id) ? await repo.inquiryById(db, id, forUpdate) : null;
  if (!row) throw new NotFoundError(text('desk.inquiries.err.notFound'));
  const r = await resourceOf(db, row);
  if (!can(p, A.read, r)) throw new NotFoundError(text('desk.inquiries.err.notFound'));
  return { p, row, r };
}

const notify = async (
  d: InquiryDeps,
  userId: number | null,
  subject: Text,
  body: Text,
  link: string,
  essential = false,
) => {
  if (userId === null) return;
  await d.notifier.notify({
    userId,
    kind: 'inquiry',
    subject: d.t(subject.key, subject.params),
    text: d.t(body.key, body.params),
    link,
    ...(essential ? { essential: true } : {}),
  });
};

// ---------------------------------------------------------------------------------------------
// Asking

export interface FileUpload {
  filename: string;
  bytes: Buffer;
}

/** Checks files against the limits and recognises their types; every problem as a field error on `files`. */
export function checkFiles(files: readonly FileUpload[], already = { n: 0, bytes: 0 }) {
  if (files.length + already.n > ATTACHMENT_LIMITS.perInquiry) {
    throw new ValidationError([
      fieldError('files', 'desk.inquiries.err.tooManyFiles', { max: ATTACHMENT_LIMITS.perInquiry }),
    ]);
  }
  let total = already.bytes;
  return files.map((f) => {
    if (f.bytes.length === 0) throw new ValidationError([fieldError('files', 'desk.inquiries.err.fileEmpty')]);
    if (f.bytes.length > ATTACHMENT_LIMITS.bytes)
      throw new ValidationError([fieldError('files', 'desk.inquiries.err.fileTooLarge', { max: '10 MB' })]);
    total += f.bytes.length;
    if (total > ATTACHMENT_LIMITS.totalBytes)
      throw new ValidationError([fieldError('files', 'desk.inquiries.err.filesTooLarge', { max: '20 MB' })]);
    const mediaType = sniffMediaType(f.bytes, f.filename);
    if (!mediaType)
      throw new ValidationError([
        fieldError('files', 'desk.inquiries.err.fileType', { name: f.filename.slice(0, 100) }),
      ]);
    return {
      filename: safeFilename(f.filename, mediaType),
      mediaType,
      bytes: f.bytes,
      sha256: createHash('sha256').update(f.bytes).digest('hex'),
    };
  });
}

/** Where an inquiry goes: the team by the rules (or the national team) and its next available member. */
export async function route(
  tx: Db,
  stateKey: string,
  sector: string,
): Promise<{ teamId: number | null; assigneeUserId: number | null }> {
  const rule = chooseRule(await repo.listRules(tx), stateKey, sector);
  const team = rule ? await repo.teamById(tx, rule.teamId, true) : await repo.nationalTeam(tx);
  if (!team) return { teamId: null, assigneeUserId: null };
  if (!rule) await repo.teamById(tx, team.id, true); // lock the national team's round robin too
  const assignee = nextAssignee(await repo.teamMembers(tx, team.id), team.lastAssignedUserId);
  if (assignee !== null) await repo.setLastAssigned(tx, team.id, assignee);
  return { teamId: team.id, assigneeUserId: assignee };
}

/** A member of a municipal workspace asks; returns the inquiry's id. */
export async function ask(
  d: InquiryDeps,
  actor: Actor,
  orgId: number,
  input: InquiryInput,
  files: readonly FileUpload[] = [],
): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  authorize(p, A.ask, { orgId });
  const checked = checkFiles(files);
  const now = d.now();
  const out = await d.db.transaction(async (tx) => {
    const regionKey = await repo.municipalRegionOf(tx, orgId);
    if (!regionKey) throw new NotFoundError(text('desk.inquiries.err.noWorkspace'));
    const stateKey = regionKey.slice(0, 2);
    const { teamId, assigneeUserId } = await route(tx, stateKey, input.sector);
    const status: Status = assigneeUserId === null ? 'new' : 'assigned';
    const id = await repo.insertInquiry(tx, {
      orgId,
      regionKey,
      stateKey,
      authorUserId: actor.id,
      subject: input.subject,
      body: input.body,
      sector: input.sector,
      urgency: input.urgency,
      contextKind: input.context?.kind ?? null,
      contextRef: input.context?.ref ?? null,
      status,
      teamId,
      assigneeUserId,
      receivedAt: now,
      firstAnswerDueAt: firstAnswerDue(now, input.urgency, stateKey),
    });
    await repo.insertHistory(tx, {
      inquiryId: id,
      actorUserId: actor.id,
      fromStatus: null,
      toStatus: 'new',
      assigneeUserId: null,
      note: null,
      at: now,
    });
    if (status === 'assigned') {
      await repo.insertHistory(tx, {
        inquiryId: id,
        actorUserId: null,
        fromStatus: 'new',
        toStatus: 'assigned',
        assigneeUserId,
        note: null,
        at: now,
      });
    }
    for (const f of checked) await repo.insertAttachment(tx, { inquiryId: id, messageId: null, ...f, by: actor.id });
    await recordAudit(tx, {
      action: 'inquiry.ask',
      entity: 'desk_inquiry',
      entityId: id,
      orgId,
      actorUserId: actor.id,
      after: { sector: input.sector, urgency: input.urgency, teamId, assigneeUserId, files: checked.length },
    });
    return { id, assigneeUserId };
  });
  const link = inquiryPath(out.id);
  await notify(
    d,
    actor.id,
    text('desk.inquiries.mail.ackSubject', { id: out.id }),
    text('desk.inquiries.mail.ackText', { subject: input.subject }),
    link,
    true,
  );
  await notify(
    d,
    out.assigneeUserId,
    text('desk.inquiries.mail.assignedSubject', { id: out.id }),
    text('desk.inquiries.mail.assignedText', { id: out.id }),
    link,
  );
  return out.id;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface AskView {
  workspaces: { id: number; name: string }[];
}

/** The actor's municipal workspaces (they may ask for them). */
export async function askableWorkspaces(db: Db, actor: Actor): Promise<{ id: number; name: string }[]> {
  const p = await loadPrincipal(db, actor);
  return repo.workspaceNames(
    db,
    p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId),
  );
}

/** The form to ask: refused for people without a municipal workspace. */
export async function askForm(db: Db, actor: Actor): Promise<AskView> {
  const workspaces = await askableWorkspaces(db, actor);
  if (workspaces.length === 0) throw new ForbiddenError(text('desk.inquiries.err.municipalOnly'));
  return { workspaces };
}

export interface OverviewView {
  workspaces: { id: number; name: string }[];
  inquiries: repo.InquiryRow[];
  /** The actor is an advisor of the desk (link to the queue). */
  isAdvisor: boolean;
}

/** "Beratung": one's own workspaces' inquiries. */
export async function overview(db: Db, actor: Actor): Promise<OverviewView> {
  const p = await loadPrincipal(db, actor);
  const orgIds = p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId);
  const [workspaces, inquiries, teams] = await Promise.all([
    repo.workspaceNames(db, orgIds),
    repo.inquiriesOfOrgs(db, orgIds),
    repo.teamIdsOfUser(db, actor.id),
  ]);
  return { workspaces, inquiries, isAdvisor: can(p, A.queue, { inSomeTeam: teams.length > 0 } as InquiryResource) };
}

/** The inquiries of the actor's municipal workspaces (the API). */
export async function ownInquiries(db: Db, actor: Actor): Promise<repo.InquiryRow[]> {
  const p = await loadPrincipal(db, actor);
  return repo.inquiriesOfOrgs(
    db,
    p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId),
  );
}

export interface InquiryView {
  row: repo.InquiryRow;
  /** The conversation; internal notes only for advisors. */
  messages: repo.MessageRow[];
  attachments: repo.AttachmentRow[];
  history: repo.HistoryRow[];
  /** The actor advises this inquiry (advisor view) — else the municipality's view. */
  asAdvisor: boolean;
  isMember: boolean;
  canRate: boolean;
  /** States an advisor may choose now. */
  targets: readonly Status[];
  /** Whom an advisor may hand the inquiry to. */
  handOverTo: { userId: number; email: string }[];
  canned: repo.CannedRow[];
  overdue: boolean;
}

export async function inquiryView(d: Pick<InquiryDeps, 'db' | 'now'>, actor: Actor, id: number): Promise<InquiryView> {
  const { p, row, r } = await readable(d.db, actor, id);
  const asAdvisor = can(p, A.advise, r);
  const [messages, attachments, history, handOverTo, canned] = await Promise.all([
    repo.messagesOf(d.db, id, asAdvisor),
    repo.attachmentsOf(d.db, id),
    asAdvisor ? repo.historyOf(d.db, id) : Promise.resolve([]),
    asAdvisor ? repo.advisorsFor(d.db, row.stateKey, row.sector, row.teamId) : Promise.resolve([]),
    asAdvisor ? repo.listCanned(d.db) : Promise.resolve([]),
  ]);
  return {
    row,
    messages,
    attachments,
    history,
    asAdvisor,
    isMember: memberOf(p, r),
    canRate: can(p, A.rate, r) && row.ratedAt === null,
    targets: asAdvisor ? advisorTargets(row.status) : [],
    handOverTo: handOverTo.filter((a) => a.userId !== row.assigneeUserId),
    canned: canned.filter((c) => c.sector === null || c.sector === row.sector),
    overdue: isOverdue(row, d.now()),
  };
}

export const isOverdue = (row: Pick<repo.InquiryRow, 'firstAnsweredAt' | 'firstAnswerDueAt' | 'status'>, now: Date) =>
  row.firstAnsweredAt === null && row.status !== 'closed' && row.firstAnswerDueAt.getTime() < now.getTime();

/** A file of an inquiry, for whoever may read the inquiry. */
export async function attachment(db: Db, actor: Actor, id: number, fileId: number) {
  await readable(db, actor, id);
  const f = Number.isSafeInteger(fileId) ? await repo.attachmentBytes(db, id, fileId) : null;
  if (!f) throw new NotFoundError(text('desk.inquiries.err.noSuchFile'));
  return f;
}

// ---------------------------------------------------------------------------------------------
// Conversation and state

const stale = () => new ConflictError(text('desk.inquiries.err.stale'));

function checkBody(body: string): string {
  const b = body.trim();
  if (b.length === 0 || b.length > LIMITS.body)
    throw new ValidationError([fieldError('body', 'desk.inquiries.err.reply', { max: LIMITS.body })]);
  return b;
}

/** Applies a state change with its history row under the form's version (null: the current one). */
async function change(
  tx: Db,
  row: repo.InquiryRow,
  version: number | null,
  to: { status: Status; assigneeUserId?: number | null; firstAnswer?: boolean; note?: string | null },
  actorId: number,
  now: Date,
) {
  if (version !== null && version !== row.version) throw stale();
  const assignee = to.assigneeUserId === undefined ? row.assigneeUserId : to.assigneeUserId;
  const ok = await repo.updateInquiry(tx, row.id, row.version, {
    status: to.status,
    assigneeUserId: assignee,
    teamId: row.teamId,
    firstAnsweredAt: row.firstAnsweredAt ?? (to.firstAnswer ? now : null),
    closedAt: to.status === 'closed' ? (row.status === 'closed' ? row.closedAt : now) : null,
    now,
  });
  if (!ok) throw stale();
  if (to.status !== row.status || assignee !== row.assigneeUserId) {
    await repo.insertHistory(tx, {
      inquiryId: row.id,
      actorUserId: actorId,
      fromStatus: row.status,
      toStatus: to.status,
      assigneeUserId: assignee,
      note: to.note ?? null,
      at: now,
    });
  }
}

/**
 * A message in the conversation. An advisor's answer sets the state to answered (and the first answer's time once);
 * the municipality's reply reopens an answered or closed inquiry (and one waiting for it) to in progress.
 */
export async function reply(
  d: InquiryDeps,
  actor: Actor,
  id: number,
  body: string,
  version: number | null,
  files: readonly FileUpload[] = [],
  /** The API speaks for the workspace only, also when its account advises too. */
  only?: 'municipality',
): Promise<void> {
  const text_ = checkBody(body);
  const now = d.now();
  const out = await d.db.transaction(async (tx) => {
    const { p, row, r } = await readable(tx, actor, id, true);
    const asAdvisor = only !== 'municipality' && can(p, A.advise, r);
    if (!asAdvisor && !memberOf(p, r)) throw new NotFoundError(text('desk.inquiries.err.notFound'));
    const checked = checkFiles(files, await repo.attachmentTotals(tx, id));
    const side = asAdvisor ? 'advisor' : 'municipality';
    const messageId = await repo.insertMessage(tx, {
      inquiryId: id,
      authorUserId: actor.id,
      side,
      internal: false,
      body: text_,
      at: now,
    });
    for (const f of checked) await repo.insertAttachment(tx, { inquiryId: id, messageId, ...f, by: actor.id });
    const status = asAdvisor ? afterAdvisorReply(row.status) : afterMunicipalReply(row.status);
    await change(
      tx,
      row,
      version,
      {
        status,
        firstAnswer: asAdvisor,
        // An advisor who answers an unassigned inquiry takes it.
        ...(asAdvisor && row.assigneeUserId === null ? { assigneeUserId: actor.id } : {}),
      },
      actor.id,
      now,
    );
    return { row, asAdvisor };
  });
  const link = inquiryPath(id);
  if (out.asAdvisor) {
    await notify(
      d,
      out.row.authorUserId,
      text('desk.inquiries.mail.answerSubject', { id }),
      text('desk.inquiries.mail.answerText', { subject: out.row.subject }),
      link,
    );
  } else {
    await notify(
      d,
      out.row.assigneeUserId ?? out.row.teamLeadUserId,
      text('desk.inquiries.mail.replySubject', { id }),
      text('desk.inquiries.mail.replyText', { id }),
      link,
    );
  }
}

/** An advisor's internal note (never shown to the municipality, never mailed). */
export async function addNote(d: InquiryDeps, actor: Actor, id: number, body: string): Promise<void> {
  const b = checkBody(body);
  await d.db.transaction(async (tx) => {
    const { p, r } = await readable(tx, actor, id, true);
    authorize(p, A.advise, r);
    await repo.insertMessage(tx, {
      inquiryId: id,
      authorUserId: actor.id,
      side: 'advisor',
      internal: true,
      body: b,
      at: d.now(),
    });
  });
}

/** An advisor changes the state by hand. */
export async function setStatus(d: InquiryDeps, actor: Actor, id: number, version: number, status: string) {
  if (!(STATUSES as readonly string[]).includes(status))
    throw new ValidationError([fieldError('status', 'desk.inquiries.err.status')]);
  const to = status as Status;
  const now = d.now();
  await d.db.transaction(async (tx) => {
    const { p, row, r } = await readable(tx, actor, id, true);
    authorize(p, A.advise, r);
    if (version !== row.version) throw stale();
    if (!canTransition(row.status, to, 'advisor')) {
      throw new ConflictError(text('desk.inquiries.err.transition', { from: row.status, to }));
    }
    // Who starts work on an unassigned inquiry takes it.
    const take = row.assigneeUserId === null && to === 'in_progress' ? { assigneeUserId: actor.id } : {};
    await change(tx, row, version, { status: to, ...take }, actor.id, now);
  });
}

/** The municipality marks an answered inquiry as done. */
export async function closeByMunicipality(d: InquiryDeps, actor: Actor, id: number, version: number) {
  const now = d.now();
  await d.db.transaction(async (tx) => {
    const { p, row, r } = await readable(tx, actor, id, true);
    if (!memberOf(p, r)) throw new NotFoundError(text('desk.inquiries.err.notFound'));
    if (version !== row.version) throw stale();
    if (!canTransition(row.status, 'closed', 'municipality')) {
      throw new ConflictError(text('desk.inquiries.err.transition', { from: row.status, to: 'closed' }));
    }
    await change(tx, row, version, { status: 'closed' }, actor.id, now);
  });
}

/** An advisor takes the inquiry ("Mir zuweisen"). */
export async function assignToMe(d: InquiryDeps, actor: Actor, id: number, version: number) {
  const now = d.now();
  await d.db.transaction(async (tx) => {
    const { p, row, r } = await readable(tx, actor, id, true);
    authorize(p, A.advise, r);
    if (version !== row.version) throw stale();
    await change(tx, row, version, { status: afterAssignment(row.status), assigneeUserId: actor.id }, actor.id, now);
  });
}

/** An advisor hands the inquiry over to another advisor of it (scope, team); the new assignee is notified. */
export async function handOver(
  d: InquiryDeps,
  actor: Actor,
  id: number,
  version: number,
  toUserId: number,
  note: string,
) {
  const n = note.trim();
  if (n.length > LIMITS.comment)
    throw new ValidationError([fieldError('note', 'desk.inquiries.err.tooLong', { max: LIMITS.comment })]);
  const now = d.now();
  const subject = await d.db.transaction(async (tx) => {
    const { p, row, r } = await readable(tx, actor, id, true);
    authorize(p, A.advise, r);
    if (version !== row.version) throw stale();
    const target = await loadPrincipal(tx, { id: toUserId, email: '', isPlatformAdmin: false });
    if (
      !Number.isSafeInteger(toUserId) ||
      toUserId <= 0 ||
      !can(target, A.advise, { ...r, assigneeUserId: null } as InquiryResource)
    ) {
      throw new ValidationError([fieldError('to', 'desk.inquiries.err.handOverTarget')]);
    }
    await change(
      tx,
      row,
      version,
      { status: afterAssignment(row.status), assigneeUserId: toUserId, note: n || null },
      actor.id,
      now,
    );
    return row.subject;
  });
  void subject;
  await notify(
    d,
    toUserId,
    text('desk.inquiries.mail.handOverSubject', { id }),
    text('desk.inquiries.mail.handOverText', { id }),
    inquiryPath(id),
  );
}

/** After closing, a member of the workspace rates once: 1–5 and a comment. */
export async function rate(d: InquiryDeps, actor: Actor, id: number, rating: number, comment: string) {
  const c = comment.trim();
  const errors = [];
  if (!Number.isInteger(rating) || rating < 1 || rating > 5)
    errors.push(fieldError('rating', 'desk.inquiries.err.rating'));
  if (c.length > LIMITS.comment)
    errors.push(fieldError('comment', 'desk.inquiries.err.tooLong', { max: LIMITS.comment }));
  if (errors.length) throw new ValidationError(errors);
  await d.db.transaction(async (tx) => {
    const { p, r } = await readable(tx, actor, id, true);
    authorize(p, A.rate, r);
    if (!(await repo.setRating(tx, id, { rating, comment: c || null, now: d.now() }))) {
      throw new ConflictError(text('desk.inquiries.err.rated'));
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The advisors' queue

export const QUEUE_STATUS = ['open', ...STATUSES, 'all'] as const;
export type QueueStatus = (typeof QUEUE_STATUS)[number];

/** Inquiries per page of the queue. */
export const QUEUE_PAGE_SIZE = 50;

export interface QueueView {
  rows: repo.InquiryListRow[];
  teams: repo.TeamRow[];
  now: Date;
  /** All matching inquiries, and the overdue ones among them (not only this page's). */
  total: number;
  overdue: number;
  /** 1-based page number; `pages` is at least 1. */
  page: number;
  pages: number;
}

/** The queue is for advisors: an advisor scope or a desk team. */
const authorizeQueue = (p: Principal, teamIds: readonly number[]) =>
  authorize(p, A.queue, { inSomeTeam: teamIds.length > 0 } as InquiryResource);

async function queueAdvisor(db: Db, actor: Actor): Promise<{ p: Principal; teams: number[] }> {
  const [p, teams] = await Promise.all([loadPrincipal(db, actor), repo.teamIdsOfUser(db, actor.id)]);
  authorizeQueue(p, teams);
  return { p, teams };
}

export async function queue(
  d: Pick<InquiryDeps, 'db' | 'now'>,
  actor: Actor,
  f: { teamId: number | null; mine: boolean; status: QueueStatus; page?: number },
): Promise<QueueView> {
  const [p, { teams, memberOf: teamIds }] = await Promise.all([
    loadPrincipal(d.db, actor),
    repo.teamsWithMember(d.db, actor.id),
  ]);
  authorizeQueue(p, teamIds);
  const statuses: readonly Status[] =
    f.status === 'open' ? OPEN_STATUSES : f.status === 'all' ? STATUSES : [f.status as Status];
  const page = Number.isSafeInteger(f.page) && f.page! > 0 ? f.page! : 1;
  const now = d.now();
  const found = await repo.queue(d.db, {
    userId: actor.id,
    scopes: p.advisorScopes,
    teamIds,
    teamId: f.teamId,
    mine: f.mine,
    statuses,
    now,
    limit: QUEUE_PAGE_SIZE,
    offset: (page - 1) * QUEUE_PAGE_SIZE,
  });
  const pages = Math.max(1, Math.ceil(found.total / QUEUE_PAGE_SIZE));
  return { rows: found.rows, teams, now, total: found.total, overdue: found.overdue, page, pages };
}

// ---------------------------------------------------------------------------------------------
// Canned answers (advisors)

export async function cannedAnswers(db: Db, actor: Actor): Promise<repo.CannedRow[]> {
  await queueAdvisor(db, actor);
  return repo.listCanned(db);
}

export async function addCanned(d: InquiryDeps, actor: Actor, c: { title?: string; body?: string; sector?: string }) {
  await queueAdvisor(d.db, actor);
  const title = (c.title ?? '').trim();
  const body = (c.body ?? '').trim();
  const sector = (c.sector ?? '').trim();
  const errors = [];
  if (title.length < 1 || title.length > LIMITS.title)
    errors.push(fieldError('title', 'desk.inquiries.err.title', { max: LIMITS.title }));
  if (body.length < 1 || body.length > LIMITS.body)
    errors.push(fieldError('body', 'desk.inquiries.err.reply', { max: LIMITS.body }));
  if (sector && !isSector(sector)) errors.push(fieldError('sector', 'desk.inquiries.err.sector'));
  if (errors.length) throw new ValidationError(errors);
  return repo.insertCanned(d.db, { title, body, sector: sector || null, by: actor.id, now: d.now() });
}

export async function removeCanned(db: Db, actor: Actor, id: number) {
  await queueAdvisor(db, actor);
  if (!(await repo.deleteCanned(db, id))) throw new NotFoundError(text('desk.inquiries.err.noSuchCanned'));
}

export async function cannedById(db: Db, id: number) {
  return Number.isSafeInteger(id) ? repo.cannedById(db, id) : null;
}

// ---------------------------------------------------------------------------------------------
// Teams and routing rules (platform admins)

async function admin(db: Db, actor: Actor) {
  authorize(await loadPrincipal(db, actor), A.configure);
}

export async function teamsView(db: Db, actor: Actor) {
  await admin(db, actor);
  return repo.listTeams(db);
}

function teamName(name: string | undefined): string {
  const n = (name ?? '').trim();
  if (n.length < 1 || n.length > 120) throw new ValidationError([fieldError('name', 'desk.inquiries.err.teamName')]);
  return n;
}

export async function createTeam(db: Db, actor: Actor, name: string | undefined, national: boolean): Promise<number> {
  await admin(db, actor);
  const n = teamName(name);
  return db.transaction(async (tx) => {
    const id = await repo.insertTeam(tx, n, false);
    if (national) {
      await repo.clearNational(tx, id);
      await repo.updateTeam(tx, id, { name: n, isNational: true, leadUserId: null });
    }
    await recordAudit(tx, {
      action: 'desk-team.create',
      entity: 'desk_team',
      entityId: id,
      actorUserId: actor.id,
      after: { name: n, national },
    });
    return id;
  });
}

export async function teamView(db: Db, actor: Actor, id: number) {
  await admin(db, actor);
  const team = Number.isSafeInteger(id) ? await repo.teamById(db, id) : null;
  if (!team) throw new NotFoundError(text('desk.inquiries.err.noSuchTeam'));
  return { team, members: await repo.teamMembers(db, id) };
}

/** Name, national fallback (exactly one team is national: setting it moves the mark) and lead (a member). */
export async function updateTeam(
  db: Db,
  actor: Actor,
  id: number,
  t: { name?: string; national: boolean; leadUserId: number | null },
) {
  await admin(db, actor);
  const name = teamName(t.name);
  await db.transaction(async (tx) => {
    const team = await repo.teamById(tx, id, true);
    if (!team) throw new NotFoundError(text('desk.inquiries.err.noSuchTeam'));
    if (t.leadUserId !== null && !(await repo.teamMembers(tx, id)).some((m) => m.userId === t.leadUserId)) {
      throw new ValidationError([fieldError('lead', 'desk.inquiries.err.leadNotMember')]);
    }
    if (t.national) await repo.clearNational(tx, id);
    await repo.updateTeam(tx, id, { name, isNational: t.national, leadUserId: t.leadUserId });
    await recordAudit(tx, {
      action: 'desk-team.update',
      entity: 'desk_team',
      entityId: id,
      actorUserId: actor.id,
      before: { name: team.name, national: team.isNational, lead: team.leadUserId },
      after: { name, national: t.national, lead: t.leadUserId },
    });
  });
}

/** Adds an advisor of the centre (an account with an advisor scope) to a team by address. */
export async function addMember(db: Db, actor: Actor, teamId: number, email: string | undefined) {
  await admin(db, actor);
  const team = await repo.teamById(db, teamId);
  if (!team) throw new NotFoundError(text('desk.inquiries.err.noSuchTeam'));
  const userId = await repo.userIdByEmail(db, (email ?? '').trim());
  const p = userId ? await loadPrincipal(db, { id: userId, email: '', isPlatformAdmin: false }) : null;
  if (!userId || !p || p.advisorScopes.length === 0) {
    throw new ValidationError([fieldError('email', 'desk.inquiries.err.notAdvisor')]);
  }
  await repo.addTeamMember(db, teamId, userId);
}

export async function removeMember(db: Db, actor: Actor, teamId: number, userId: number) {
  await admin(db, actor);
  if (!(await repo.removeTeamMember(db, teamId, userId)))
    throw new NotFoundError(text('desk.inquiries.err.noSuchTeam'));
}

export async function setMemberAvailable(db: Db, actor: Actor, teamId: number, userId: number, available: boolean) {
  await admin(db, actor);
  if (!(await repo.setAvailable(db, teamId, userId, available)))
    throw new NotFoundError(text('desk.inquiries.err.noSuchTeam'));
}

export async function rulesView(db: Db, actor: Actor) {
  await admin(db, actor);
  const [rules, teams] = await Promise.all([repo.listRules(db), repo.listTeams(db)]);
  return { rules, teams };
}

export async function saveRule(
  db: Db,
  actor: Actor,
  r: { stateKey?: string; sector?: string; teamId: number },
): Promise<number> {
  await admin(db, actor);
  const stateKey = (r.stateKey ?? '').trim() || null;
  const sector = (r.sector ?? '').trim() || null;
  const errors = [];
  if (stateKey !== null && !/^(0[1-9]|1[0-6])$/.test(stateKey))
    errors.push(fieldError('state', 'desk.inquiries.err.state'));
  if (sector !== null && !isSector(sector)) errors.push(fieldError('sector', 'desk.inquiries.err.sector'));
  if (!(await repo.teamById(db, r.teamId))) errors.push(fieldError('team', 'desk.inquiries.err.noSuchTeam'));
  if (errors.length) throw new ValidationError(errors);
  return db.transaction(async (tx) => {
    const id = await repo.upsertRule(tx, { stateKey, sector, teamId: r.teamId, by: actor.id });
    await recordAudit(tx, {
      action: 'desk-rule.save',
      entity: 'desk_routing_rule',
      entityId: id,
      actorUserId: actor.id,
      after: { stateKey, sector, teamId: r.teamId },
    });
    return id;
  });
}

export async function removeRule(db: Db, actor: Actor, id: number) {
  await admin(db, actor);
  if (!(await repo.deleteRule(db, id))) throw new NotFoundError(text('desk.inquiries.err.noSuchRule'));
}

// ---------------------------------------------------------------------------------------------
// Escalation

/**
 * Marks every overdue inquiry (first answer due, none given) as escalated, once, and tells its team's lead (or the
 * national team's lead when its team has none). Returns how many were escalated now.
 */
export async function escalateOverdue(d: InquiryDeps): Promise<number> {
  const now = d.now();
  const due = await repo.overdueUnescalated(d.db, now);
  if (due.length === 0) return 0;
  const national = await repo.nationalTeam(d.db);
  let n = 0;
  for (const row of due) {
    if (!(await repo.markEscalated(d.db, row.id, now))) continue;
    n++;
    const lead = row.teamLeadUserId ?? national?.leadUserId ?? null;
    await notify(
      d,
      lead,
      text('desk.inquiries.mail.escalatedSubject', { id: row.id }),
      text('desk.inquiries.mail.escalatedText', { id: row.id, team: row.teamName ?? '–' }),
      inquiryPath(row.id),
    );
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// For other parts (knowledge/: FAQ, figures)

/**
 * An inquiry with its public (non-internal) conversation, for the advisor who turns an answer into an FAQ entry:
 * null when the actor may not advise it. Never the internal notes or attachments.
 */
export async function inquiryForFaq(
  db: Db,
  actor: Actor,
  id: number,
): Promise<{ inquiry: repo.InquiryRow; messages: repo.MessageRow[] } | null> {
  const p = await loadPrincipal(db, actor);
  const row = Number.isSafeInteger(id) ? await repo.inquiryById(db, id) : null;
  if (!row || !can(p, A.advise, await resourceOf(db, row))) return null;
  return { inquiry: row, messages: await repo.messagesOf(db, id, false) };
}

/** Whether the actor advises the inquiry (scope, team, assignee). */
export async function advisesInquiry(db: Db, actor: Actor, id: number): Promise<boolean> {
  return (await inquiryForFaq(db, actor, id)) !== null;
}

export const INQUIRY_ACTION = A;
