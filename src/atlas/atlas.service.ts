/**
 * Use cases of the Praxisatlas: a municipal team writes a practice project (working copy with revisions), submits
 * it, an advisor of the Land publishes it or asks for changes (every published version kept), attachments,
 * reuse requests with attestation and confirmation, the bulk import.
 */
import { createHash } from 'node:crypto';
import { regionKindOf, sizeClassOf } from '../assessment/index.js';
import { recordAudit } from '../audit/index.js';
import { type Actor, loadPrincipal, type OrgRow, orgById, workspaceResource } from '../organisations/index.js';
import type { Db } from '../platform/db/db.js';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  fieldError,
  NotFoundError,
  ValidationError,
} from '../platform/errors.js';
import { publish } from '../platform/events/events.js';
import { type Translate, text } from '../platform/i18n/i18n.js';
import type { Mailer } from '../platform/mail/mailer.js';
import { authorize, can, type Principal, type Resource } from '../platform/policy.js';
import { linkMeasure, unlinkMeasure } from '../strategy/index.js';
import { ATLAS_ACTION } from './actions.js';
import * as repo from './atlas.repository.js';
import { ATLAS_EVENTS } from './events.js';
import { type PracticeContent, validatePractice } from './model.js';

export type { AttachmentRow, GraphEdge, PracticeRow, ReuseRow, ReuseStatus } from './atlas.repository.js';

export interface AtlasDeps {
  db: Db;
  mailer: Pick<Mailer, 'send'>;
  publicUrl: string;
  /** German texts for mails (the recipients' language is not known). */
  t: Translate;
  now: () => Date;
}

// ---------------------------------------------------------------------------------------------
// Access

export interface Authorised {
  row: repo.PracticeRow;
  p: Principal | null;
  r: Resource;
}

export function practiceResource(row: repo.PracticeRow): Resource {
  return { orgId: row.orgId, stateKey: row.stateKey, status: row.review, published: row.published !== null };
}

/**
 * The project and the reader's rights; 404 for unknown ids and for projects the reader may not see (a project
 * that was never published exists only for its team and the reviewers of its Land).
 */
export async function authorised(
  db: Db,
  actor: Actor | null,
  id: number,
  action: (typeof ATLAS_ACTION)[keyof typeof ATLAS_ACTION] | null = null,
): Promise<Authorised> {
  const row = Number.isSafeInteger(id) && id > 0 ? await repo.practiceById(db, id) : null;
  if (!row) throw new NotFoundError(text('atlas.err.noSuchPractice', { id }));
  const p = actor ? await loadPrincipal(db, actor) : null;
  const r = practiceResource(row);
  if (row.published === null && !can(p, ATLAS_ACTION.readDraft, r)) {
    throw new NotFoundError(text('atlas.err.noSuchPractice', { id }));
  }
  if (action) authorize(p, action, r);
  return { row, p, r };
}

/** A municipal workspace of the actor (the given one, else their first), or a 403/404. */
async function municipalWorkspace(db: Db, p: Principal, orgId: number | null): Promise<OrgRow> {
  const candidates = p.memberships.filter((m) => m.kind === 'region' && (orgId === null || m.orgId === orgId));
  const chosen = candidates[0];
  if (!chosen) {
    if (orgId !== null && !(await orgById(db, orgId))) throw new NotFoundError(text('atlas.err.noSuchWorkspace'));
    throw new ForbiddenError(text('atlas.err.municipalMembersOnly'));
  }
  const org = await orgById(db, chosen.orgId);
  if (org?.kind !== 'region' || !org.regionKey) throw new NotFoundError(text('atlas.err.noSuchWorkspace'));
  return org;
}

// ---------------------------------------------------------------------------------------------
// Content checks that need the database

/** Every region key must exist in the register; returns field errors in the content's order. */
async function regionErrors(db: Db, c: PracticeContent): Promise<FieldError[]> {
  const known = new Set((await repo.regionFacts(db, c.regions)).map((r) => r.key));
  return c.regions.flatMap((k, i) =>
    known.has(k) ? [] : [fieldError(`regions[${i}]`, 'atlas.err.unknownRegion', { value: k })],
  );
}

async function checkContent(db: Db, c: PracticeContent, complete: boolean): Promise<void> {
  const errors = validatePractice(c, { complete });
  if (errors.length === 0) errors.push(...(await regionErrors(db, c)));
  if (errors.length > 0) throw new ValidationError(errors);
}

// ---------------------------------------------------------------------------------------------
// Writing

/** A new draft of the actor's municipal workspace; its region leads unless the team named regions itself. */
export async function createPractice(d: AtlasDeps, actor: Actor, orgId: number | null, input: PracticeContent) {
  const p = await loadPrincipal(d.db, actor);
  const org = await municipalWorkspace(d.db, p, orgId);
  authorize(p, ATLAS_ACTION.create, { orgId: org.id });
  const own = org.regionKey!;
  const content: PracticeContent = { ...input, regions: [own, ...input.regions.filter((k) => k !== own)] };
  await checkContent(d.db, content, false);
  return d.db.transaction(async (tx) => {
    const id = await repo.insertPractice(tx, {
      orgId: org.id,
      regionKey: own,
      externalId: null,
      content,
      createdBy: actor.id,
    });
    await recordAudit(tx, {
      action: 'practice.create',
      entity: 'practice',
      entityId: id,
      orgId: org.id,
      actorUserId: actor.id,
    });
    return id;
  });
}

export type SaveOutcome =
  | { ok: true; revision: number }
  | { ok: false; conflict: { saved: PracticeContent; revision: number; changedAt: Date } };

/**
 * Save the team's edit of the working copy, made on revision `expected`. When a colleague saved in between, nothing
 * is saved and the caller shows both versions (the person's input is kept by the form).
 */
export async function savePractice(
  d: AtlasDeps,
  actor: Actor,
  id: number,
  input: PracticeContent,
  expected: number,
  opts: { force?: boolean } = {},
): Promise<SaveOutcome> {
  await authorised(d.db, actor, id, ATLAS_ACTION.edit);
  await checkContent(d.db, input, false);
  return d.db.transaction(async (tx) => {
    const row = await repo.lockPractice(tx, id);
    if (!row) throw new NotFoundError(text('atlas.err.noSuchPractice', { id }));
    if (row.revision !== expected && !opts.force) {
      return { ok: false as const, conflict: { saved: row.content, revision: row.revision, changedAt: row.updatedAt } };
    }
    // The lead region stays the workspace's own.
    const lead = row.regionKey;
    const content = { ...input, regions: [lead, ...input.regions.filter((k) => k !== lead)] };
    const review = row.review === 'published' ? 'draft' : row.review === 'submitted' ? 'submitted' : row.review;
    const revision = await repo.saveContent(tx, id, content, review);
    await recordAudit(tx, {
      action: 'practice.edit',
      entity: 'practice',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      before: { revision: row.revision },
      after: { revision },
    });
    return { ok: true as const, revision };
  });
}

/** Submit the working copy for review (complete content needed); the Land's advisors are told by mail. */
export async function submitPractice(d: AtlasDeps, actor: Actor, id: number): Promise<void> {
  const { row } = await authorised(d.db, actor, id, ATLAS_ACTION.submit);
  await checkContent(d.db, row.content, true);
  await d.db.transaction(async (tx) => {
    await repo.setReview(tx, id, 'submitted', null);
    await recordAudit(tx, {
      action: 'practice.submit',
      entity: 'practice',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
    });
    for (const email of await repo.reviewerEmails(tx, row.stateKey)) {
      const params = { title: row.content.title, link: `${d.publicUrl}/praxis/${id}` };
      await d.mailer.send(
        {
          to: email,
          subject: d.t('atlas.mail.submittedSubject', params),
          text: d.t('atlas.mail.submittedText', params),
          kind: 'practice-review',
        },
        tx,
      );
    }
  });
}

/** Facts of the lead region for the index and the recommendations, fixed when a version is published. */
async function leadFacts(db: Db, regionKey: string) {
  const [r] = await repo.regionFacts(db, [regionKey]);
  return {
    sizeClass: r ? sizeClassOf(r.population) : null,
    regionKind: r ? regionKindOf({ level: r.level, designationCode: r.designationCode }) : null,
  };
}

/** Link the published measures of a project in the strategy module's index ("so haben es andere gemacht"). */
async function syncMeasureLinks(tx: Db, id: number, before: readonly string[], after: readonly string[]) {
  for (const m of before) if (!after.includes(m)) await unlinkMeasure(tx, m, 'practice', String(id));
  for (const m of after) if (!before.includes(m)) await linkMeasure(tx, m, 'practice', String(id));
}

export type ReviewDecision = { publish: true; note: string } | { publish: false; comment: string };

/** An advisor's decision on a submitted project: publish it as the next version, or send it back with a comment. */
export async function reviewPractice(d: AtlasDeps, actor: Actor, id: number, decision: ReviewDecision): Promise<void> {
  const { row } = await authorised(d.db, actor, id, ATLAS_ACTION.review);
  if (!decision.publish && decision.comment.trim() === '') {
    throw new ValidationError([fieldError('comment', 'atlas.err.commentRequired')]);
  }
  if (decision.publish) await checkContent(d.db, row.content, true);
  const facts = await leadFacts(d.db, row.regionKey);
  await d.db.transaction(async (tx) => {
    if (decision.publish) {
      const version = await repo.publishVersion(tx, id, facts, actor.id, decision.note.trim() || null, d.now());
      await syncMeasureLinks(tx, id, row.published?.measures ?? [], row.content.measures);
      await publish(tx, ATLAS_EVENTS.practicesChanged, { ids: [id] });
      await recordAudit(tx, {
        action: 'practice.publish',
        entity: 'practice',
        entityId: id,
        orgId: row.orgId,
        actorUserId: actor.id,
        after: { version },
      });
    } else {
      await repo.setReview(tx, id, 'changes_requested', { userId: actor.id, comment: decision.comment.trim() });
      await recordAudit(tx, {
        action: 'practice.request-changes',
        entity: 'practice',
        entityId: id,
        orgId: row.orgId,
        actorUserId: actor.id,
      });
    }
    if (row.orgId !== null) {
      const params = { title: row.content.title, link: `${d.publicUrl}/praxis/${id}` };
      const key = decision.publish ? 'atlas.mail.published' : 'atlas.mail.changes';
      for (const email of await repo.teamEmails(tx, row.orgId)) {
        await d.mailer.send(
          {
            to: email,
            subject: d.t(`${key}Subject`, params),
            text: d.t(`${key}Text`, params),
            kind: 'practice-review',
          },
          tx,
        );
      }
    }
  });
}

/** Take a published project off the public pages (its versions stay; it becomes a draft of its team). */
export async function withdrawPractice(d: AtlasDeps, actor: Actor, id: number): Promise<void> {
  const { row } = await authorised(d.db, actor, id, ATLAS_ACTION.withdraw);
  if (row.published === null) throw new ConflictError(text('atlas.err.notPublished'));
  await d.db.transaction(async (tx) => {
    await repo.withdraw(tx, id);
    await syncMeasureLinks(tx, id, row.published?.measures ?? [], []);
    await publish(tx, ATLAS_EVENTS.practicesChanged, { ids: [id] });
    await recordAudit(tx, {
      action: 'practice.withdraw',
      entity: 'practice',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface PracticeView {
  row: repo.PracticeRow;
  /** What this reader sees: the published version for the public, the working copy for the team and reviewers. */
  content: PracticeContent;
  showsWorkingCopy: boolean;
  canEdit: boolean;
  canSubmit: boolean;
  canReview: boolean;
  canWithdraw: boolean;
  canSeeContact: boolean;
  isTeam: boolean;
  regions: repo.RegionFacts[];
  attachments: repo.AttachmentRow[];
  reuses: repo.ReuseRow[];
  /** The reader's municipal workspaces that may ask to reuse it (not the project's own). */
  reuseWorkspaces: { id: number; name: string; isAdmin: boolean }[];
}

export async function practiceView(db: Db, actor: Actor | null, id: number, opts: { published?: boolean } = {}) {
  const { row, p, r } = await authorised(db, actor, id);
  const mayDraft = can(p, ATLAS_ACTION.readDraft, r);
  const showsWorkingCopy = mayDraft && !opts.published;
  const content = showsWorkingCopy || row.published === null ? row.content : row.published;
  const [regions, attachments, reuses] = await Promise.all([
    repo.regionFacts(db, content.regions),
    repo.attachmentsOf(db, id),
    repo.reusesOfPractice(db, id),
  ]);
  const byKey = new Map(regions.map((x) => [x.key, x]));
  const isTeam = row.orgId !== null && (p?.memberships.some((m) => m.orgId === row.orgId) ?? false);
  const reuseWorkspaces =
    row.published !== null && p
      ? await Promise.all(
          p.memberships
            .filter((m) => m.kind === 'region' && m.orgId !== row.orgId)
            .map(async (m) => ({
              id: m.orgId,
              name: (await orgById(db, m.orgId))?.name ?? '',
              isAdmin: m.role === 'admin',
            })),
        )
      : [];
  const view: PracticeView = {
    row,
    content,
    showsWorkingCopy,
    canEdit: can(p, ATLAS_ACTION.edit, r),
    canSubmit: can(p, ATLAS_ACTION.submit, r),
    canReview: can(p, ATLAS_ACTION.review, r),
    canWithdraw: row.published !== null && can(p, ATLAS_ACTION.withdraw, r),
    canSeeContact: can(p, ATLAS_ACTION.seeContact, {}),
    isTeam,
    regions: content.regions.flatMap((k) => (byKey.get(k) ? [byKey.get(k)!] : [])),
    attachments,
    // Strangers see only attested and confirmed reuses (requests are between the two municipalities).
    reuses: reuses.filter(
      (u) =>
        isTeam ||
        mayDraft ||
        u.status === 'attested' ||
        u.status === 'confirmed' ||
        p?.memberships.some((m) => m.orgId === u.adopterOrgId),
    ),
    reuseWorkspaces,
  };
  return view;
}

export async function versions(db: Db, actor: Actor | null, id: number) {
  const { row } = await authorised(db, actor, id);
  return { row, versions: await repo.versionsOf(db, id) };
}

/** Projects waiting for the actor's review (the Länder of their advisor scopes). */
export async function reviewQueue(db: Db, actor: Actor): Promise<repo.PracticeRow[]> {
  const p = await loadPrincipal(db, actor);
  if (p.isPlatformAdmin || p.advisorScopes.some((s) => s.stateKey === null)) return repo.submittedPractices(db, null);
  const states = p.advisorScopes.map((s) => s.stateKey!).filter(Boolean);
  return states.length > 0 ? repo.submittedPractices(db, states) : [];
}

/** The projects of the actor's municipal workspaces, with their review state. */
export async function ownPractices(db: Db, actor: Actor) {
  const p = await loadPrincipal(db, actor);
  const orgs = p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId);
  return (await Promise.all(orgs.map((o) => repo.practicesOfOrg(db, o)))).flat();
}

/** Published projects (id, title, team's workspace) of a workspace, or with the given ids (the desk's mentors). */
export async function publishedPractices(db: Db, by: { orgId: number } | { ids: readonly number[] }) {
  const rows = 'orgId' in by ? await repo.practicesOfOrg(db, by.orgId) : await repo.practicesByIds(db, by.ids);
  return rows
    .filter((p) => p.published !== null)
    .map((p) => ({ id: p.id, title: p.published!.title, orgId: p.orgId }))
    .sort((a, b) => a.title.localeCompare(b.title, 'de') || a.id - b.id);
}
export const practicesOfRegion = repo.publishedOfRegion;
export const reuseEdgesOfRegion = repo.reuseEdgesOfRegion;
export const confirmedCounts = repo.confirmedCounts;

// ---------------------------------------------------------------------------------------------
// Attachments

export const ATTACHMENT_LIMITS = { bytes: 10 * 1024 * 1024, perPractice: 10, totalBytes: 25 * 1024 * 1024 } as const;

/** The media type of a file by its first bytes (never by the name the browser sends); null: not allowed. */
export function sniffMediaType(bytes: Uint8Array): 'application/pdf' | 'image/png' | 'image/jpeg' | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return null;
}

const EXTENSION = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' } as const;

/** A file name safe for Content-Disposition: letters, digits, dot, dash, underscore; the extension of its type. */
export function safeFilename(name: string, mediaType: keyof typeof EXTENSION): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\.[^.]*$/, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100);
  return `${base || 'anhang'}.${EXTENSION[mediaType]}`;
}

export async function addAttachment(d: AtlasDeps, actor: Actor, id: number, file: { filename: string; bytes: Buffer }) {
  const { row } = await authorised(d.db, actor, id, ATLAS_ACTION.edit);
  if (file.bytes.length === 0) throw new ValidationError([fieldError('file', 'atlas.err.fileEmpty')]);
  if (file.bytes.length > ATTACHMENT_LIMITS.bytes) {
    throw new ValidationError([fieldError('file', 'atlas.err.fileTooLarge', { max: '10 MB' })]);
  }
  const mediaType = sniffMediaType(file.bytes);
  if (!mediaType) throw new ValidationError([fieldError('file', 'atlas.err.fileType')]);
  return d.db.transaction(async (tx) => {
    const totals = await repo.attachmentTotals(tx, id);
    if (totals.n >= ATTACHMENT_LIMITS.perPractice) {
      throw new ValidationError([fieldError('file', 'atlas.err.tooManyFiles', { max: ATTACHMENT_LIMITS.perPractice })]);
    }
    if (totals.bytes + file.bytes.length > ATTACHMENT_LIMITS.totalBytes) {
      throw new ValidationError([fieldError('file', 'atlas.err.filesTooLarge', { max: '25 MB' })]);
    }
    const attachmentId = await repo.insertAttachment(tx, {
      practiceId: id,
      filename: safeFilename(file.filename, mediaType),
      mediaType,
      bytes: file.bytes,
      sha256: createHash('sha256').update(file.bytes).digest('hex'),
      by: actor.id,
    });
    await recordAudit(tx, {
      action: 'practice.attach',
      entity: 'practice',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      after: { attachmentId },
    });
    return attachmentId;
  });
}

export async function removeAttachment(d: AtlasDeps, actor: Actor, id: number, attachmentId: number) {
  const { row } = await authorised(d.db, actor, id, ATLAS_ACTION.edit);
  await d.db.transaction(async (tx) => {
    if (!(await repo.deleteAttachment(tx, id, attachmentId))) throw new NotFoundError(text('atlas.err.noSuchFile'));
    await recordAudit(tx, {
      action: 'practice.detach',
      entity: 'practice',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      before: { attachmentId },
    });
  });
}

/** A file of a project, for whoever may see the project. */
export async function attachment(db: Db, actor: Actor | null, id: number, attachmentId: number) {
  await authorised(db, actor, id);
  const file = Number.isSafeInteger(attachmentId) ? await repo.attachmentBytes(db, id, attachmentId) : null;
  if (!file) throw new NotFoundError(text('atlas.err.noSuchFile'));
  return file;
}

// ---------------------------------------------------------------------------------------------
// Reuse

/**
 * "Nachnutzen": a member of another municipality's workspace asks to reuse a published project. The request goes
 * by mail to the project's contact (or, without one, to its team); both sides see it on the project.
 */
export async function requestReuse(d: AtlasDeps, actor: Actor, id: number, orgId: number | null, message: string) {
  const { row, p } = await authorised(d.db, actor, id);
  if (row.published === null) throw new ConflictError(text('atlas.err.notPublished'));
  if (!p) throw new ForbiddenError(text('atlas.err.municipalMembersOnly'));
  const org = await municipalWorkspace(d.db, p, orgId);
  authorize(p, ATLAS_ACTION.requestReuse, { orgId: org.id });
  if (org.id === row.orgId) throw new ValidationError([fieldError('org', 'atlas.err.ownProject')]);
  if (message.length > 5000)
    throw new ValidationError([fieldError('message', 'atlas.err.tooLong', { max: 5000, length: message.length })]);
  const existing = await repo.reuseOf(d.db, id, org.id);
  if (existing) return existing.id;
  return d.db.transaction(async (tx) => {
    const reuseId = await repo.insertReuse(tx, {
      practiceId: id,
      adopterOrgId: org.id,
      adopterRegionKey: org.regionKey!,
      message: message.trim(),
      by: actor.id,
    });
    const contact = row.published!.contact;
    const to = contact?.email ? [contact.email] : row.orgId !== null ? await repo.teamEmails(tx, row.orgId) : [];
    const params = {
      title: row.published!.title,
      org: org.name,
      email: actor.email,
      message: message.trim() || '–',
      link: `${d.publicUrl}/praxis/${id}#nachnutzung`,
    };
    for (const email of to) {
      await d.mailer.send(
        {
          to: email,
          subject: d.t('atlas.mail.reuseSubject', params),
          text: d.t('atlas.mail.reuseText', params),
          kind: 'reuse-request',
        },
        tx,
      );
    }
    await recordAudit(tx, {
      action: 'practice.reuse-request',
      entity: 'practice',
      entityId: id,
      orgId: org.id,
      actorUserId: actor.id,
      after: { reuseId },
    });
    return reuseId;
  });
}

async function reuseOfPractice(db: Db, id: number, reuseId: number) {
  const reuse = Number.isSafeInteger(reuseId) ? await repo.reuseById(db, reuseId) : null;
  if (!reuse || reuse.practiceId !== id) throw new NotFoundError(text('atlas.err.noSuchReuse'));
  return reuse;
}

/** The adopting workspace's admin attests "wir nutzen diese Lösung seit …" (a claim until the team confirms). */
export async function attestReuse(d: AtlasDeps, actor: Actor, id: number, reuseId: number, since: string) {
  const { row } = await authorised(d.db, actor, id);
  const reuse = await reuseOfPractice(d.db, id, reuseId);
  const p = await loadPrincipal(d.db, actor);
  const org = await orgById(d.db, reuse.adopterOrgId);
  if (!org) throw new NotFoundError(text('atlas.err.noSuchReuse'));
  authorize(p, ATLAS_ACTION.attestReuse, await workspaceResource(d.db, org));
  const today = d.now().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(since)) || since > today || since < '1990-01-01') {
    throw new ValidationError([fieldError('since', 'atlas.err.since')]);
  }
  await d.db.transaction(async (tx) => {
    await repo.attestReuse(tx, reuseId, since, actor.id);
    await publish(tx, ATLAS_EVENTS.reuseChanged, { practiceId: id, reuseId });
    await recordAudit(tx, {
      action: 'practice.reuse-attest',
      entity: 'practice',
      entityId: id,
      orgId: org.id,
      actorUserId: actor.id,
      after: { reuseId, since },
    });
    if (row.orgId !== null) {
      const params = {
        title: row.published?.title ?? row.content.title,
        org: org.name,
        since,
        link: `${d.publicUrl}/praxis/${id}#nachnutzung`,
      };
      for (const email of await repo.teamEmails(tx, row.orgId)) {
        await d.mailer.send(
          {
            to: email,
            subject: d.t('atlas.mail.attestedSubject', params),
            text: d.t('atlas.mail.attestedText', params),
            kind: 'reuse-request',
          },
          tx,
        );
      }
    }
  });
}

/** The project's team confirms an attested reuse (then it counts) or declines it. */
export async function decideReuse(d: AtlasDeps, actor: Actor, id: number, reuseId: number, confirm: boolean) {
  const { row, p, r } = await authorised(d.db, actor, id);
  authorize(p, ATLAS_ACTION.confirmReuse, r);
  const reuse = await reuseOfPractice(d.db, id, reuseId);
  if (confirm && reuse.status !== 'attested') throw new ConflictError(text('atlas.err.notAttested'));
  await d.db.transaction(async (tx) => {
    await repo.decideReuse(tx, reuseId, confirm, actor.id);
    await publish(tx, ATLAS_EVENTS.reuseChanged, { practiceId: id, reuseId });
    await recordAudit(tx, {
      action: confirm ? 'practice.reuse-confirm' : 'practice.reuse-decline',
      entity: 'practice',
      entityId: id,
      orgId: row.orgId,
      actorUserId: actor.id,
      after: { reuseId },
    });
  });
}

export const reusesOfOrg = repo.reusesOfOrg;

// ---------------------------------------------------------------------------------------------
// Personal data, demo data

export const exportPersonalData = repo.personalRows;
export const erasePersonalData = repo.erasePerson;
export const eraseContacts = repo.eraseContact;
export const deleteDemoPractices = repo.deleteDemo;

export { ATLAS_ACTION } from './actions.js';
export type { Actor };

/** The actor's municipal workspaces (they may write projects for them). */
export async function ownWorkspaces(db: Db, actor: Actor) {
  const p = await loadPrincipal(db, actor);
  return p.memberships.filter((m) => m.kind === 'region');
}
