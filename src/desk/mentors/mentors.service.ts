/**
 * Peer mentors (issue 12, "Kommune hilft Kommune"): a municipal workspace that has done a strategy measure or run a
 * (published) practice project offers itself as mentor for it — with a contact person of the workspace, the time it
 * can give, active or paused, withdrawn at any time. A municipality planning the measure sees the matching mentors
 * (same size class and type first, then nearest seat) and requests a mentoring, which the mentor's workspace
 * accepts or declines; an accepted one is completed or cancelled. Contact details only after acceptance; a stale
 * form is a 409; notifications go through the desk's notifier (kind "mentoring").
 */
import { regionKindOf, sizeClassOf } from '../../assessment/index.js';
import { publishedPractices } from '../../atlas/index.js';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { publish } from '../../platform/events/events.js';
import { type Lang, type Text, type Translate, text } from '../../platform/i18n/i18n.js';
import {
  authorize,
  can,
  defineActions,
  memberOf,
  type Principal,
  type Resource,
  type Rule,
} from '../../platform/policy.js';
import { seatCoordinates } from '../../register/index.js';
import { loadMeasures, measureLinks, measuresDoneByOrg, measureTitle } from '../../strategy/index.js';
import type { Notifier } from '../contract.js';
import * as repo from './mentors.repository.js';
import {
  type Candidate,
  CONTACT_VISIBLE,
  canTransition,
  type MentoringStatus,
  matchOrder,
  type OfferInput,
  type Profile,
  parseMessage,
  type Ranked,
  type Side,
  type SubjectKind,
} from './model.js';

export type { MentoringRow, OfferRow, WorkspaceFacts } from './mentors.repository.js';

export const MENTORS_PATH = '/beratung/mentoren';
export const offerPath = (id: number) => `${MENTORS_PATH}/angebote/${id}`;
export const mentoringPath = (id: number) => `${MENTORS_PATH}/anfragen/${id}`;
export const searchPath = (measureId: string, orgId?: number) =>
  `${MENTORS_PATH}/suche?massnahme=${encodeURIComponent(measureId)}${orgId ? `&org=${orgId}` : ''}`;

/** Domain event after which the Lagebild's mentoring figures may have changed. */
export const MENTOR_EVENTS = { mentoringsChanged: 'desk.mentorings-changed' } as const;

/** A mentoring as rules see it: the mentor's workspace is `orgId`, the requesting one `menteeOrgId`. */
interface MentoringResource extends Resource {
  menteeOrgId?: number;
}
const municipalMemberOf: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === 'region');
const menteeMember: Rule = (p, r) => {
  const id = (r as MentoringResource).menteeOrgId;
  return id != null && p.memberships.some((m) => m.orgId === id);
};

export const MENTOR_ACTIONS = defineActions({
  /** Offer oneself as mentor, request a mentoring: a member of the municipal workspace. */
  'mentor.offer': { rule: municipalMemberOf, denied: text('desk.mentors.err.municipalOnly') },
  /** Change, pause or withdraw an offer: a member of its workspace. */
  'mentor.manage': { rule: memberOf, denied: text('desk.mentors.err.ownOffer') },
  'mentoring.request': { rule: municipalMemberOf, denied: text('desk.mentors.err.municipalOnly') },
  /** Read a mentoring: the members of both workspaces. */
  'mentoring.read': {
    rule: (p, r) => memberOf(p, r) || menteeMember(p, r),
    denied: text('desk.mentors.err.notFound'),
  },
  /** Accept or decline: the mentor's workspace. */
  'mentoring.decide': { rule: memberOf, denied: text('desk.mentors.err.mentorOnly') },
});
const A = {
  offer: MENTOR_ACTIONS['mentor.offer'],
  manage: MENTOR_ACTIONS['mentor.manage'],
  request: MENTOR_ACTIONS['mentoring.request'],
  read: MENTOR_ACTIONS['mentoring.read'],
  decide: MENTOR_ACTIONS['mentoring.decide'],
};

export interface MentorDeps {
  db: Db;
  now: () => Date;
  notifier: Notifier;
  /** German texts of the notifications. */
  t: Translate;
}

const municipalIds = (p: Principal) => p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId);

async function notify(d: MentorDeps, userIds: readonly (number | null)[], subject: Text, body: Text, link: string) {
  for (const userId of new Set(userIds)) {
    if (userId === null) continue;
    await d.notifier.notify({
      userId,
      kind: 'mentoring',
      subject: d.t(subject.key, subject.params),
      text: d.t(body.key, body.params),
      link,
    });
  }
}

/** The size class, type and (without seat) profile of a workspace's region. */
export const profileOf = (w: { population: number | null; level: string; designationCode: string | null }) => ({
  sizeClass: sizeClassOf(w.population),
  kind: regionKindOf(w),
});

// ---------------------------------------------------------------------------------------------
// Subjects

export interface Subject {
  kind: SubjectKind;
  ref: string;
  title: string;
}

/** The titles of the subjects of offers or mentorings, in the reader's language. */
export async function subjectTitles(
  db: Db,
  rows: readonly { subjectKind: SubjectKind; subjectRef: string }[],
  lang: Lang,
): Promise<Map<string, string>> {
  const practiceIds = [...new Set(rows.filter((r) => r.subjectKind === 'practice').map((r) => Number(r.subjectRef)))];
  const practices = practiceIds.length ? await publishedPractices(db, { ids: practiceIds }) : [];
  const out = new Map<string, string>();
  for (const r of rows) {
    const key = `${r.subjectKind}:${r.subjectRef}`;
    if (r.subjectKind === 'measure') out.set(key, measureTitle(r.subjectRef, lang));
    else out.set(key, practices.find((p) => String(p.id) === r.subjectRef)?.title ?? `#${r.subjectRef}`);
  }
  return out;
}

/** What a workspace may offer mentoring for: its done measures and its published practice projects. */
export async function offerableSubjects(db: Db, orgId: number, lang: Lang): Promise<Subject[]> {
  const [measures, practices] = await Promise.all([measuresDoneByOrg(db, orgId), publishedPractices(db, { orgId })]);
  return [
    ...measures.map((id) => ({ kind: 'measure' as const, ref: id, title: measureTitle(id, lang) })),
    ...practices.map((p) => ({ kind: 'practice' as const, ref: String(p.id), title: p.title })),
  ];
}

// ---------------------------------------------------------------------------------------------
// Offers

export interface OfferFormView {
  workspaces: repo.WorkspaceFacts[];
  org: repo.WorkspaceFacts;
  subjects: Subject[];
  members: { id: number; email: string; name: string | null }[];
}

/** The offer form for one of the actor's municipal workspaces (the first when none is chosen). */
export async function offerForm(db: Db, actor: Actor, orgId: number, lang: Lang): Promise<OfferFormView> {
  const p = await loadPrincipal(db, actor);
  const workspaces = await repo.municipalWorkspaces(db, municipalIds(p));
  if (workspaces.length === 0) throw new ForbiddenError(text('desk.mentors.err.municipalOnly'));
  const org = workspaces.find((w) => w.id === orgId) ?? workspaces[0]!;
  const [subjects, members] = await Promise.all([offerableSubjects(db, org.id, lang), repo.membersOf(db, org.id)]);
  return { workspaces, org, subjects, members };
}

async function checkContact(db: Db, orgId: number, userId: number) {
  if (!(await repo.membersOf(db, orgId)).some((m) => m.id === userId))
    throw new ValidationError([fieldError('contact', 'desk.mentors.err.contact')]);
}

/** A member offers their workspace as mentor for a measure it has done or a project it has run. */
export async function createOffer(
  d: MentorDeps,
  actor: Actor,
  orgId: number,
  subject: { kind: SubjectKind; ref: string } | null,
  input: OfferInput,
): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  authorize(p, A.offer, { orgId });
  const subjects = await offerableSubjects(d.db, orgId, 'de');
  if (!subject || !subjects.some((s) => s.kind === subject.kind && s.ref === subject.ref))
    throw new ValidationError([fieldError('subject', 'desk.mentors.err.subject')]);
  await checkContact(d.db, orgId, input.contactUserId);
  return d.db.transaction(async (tx) => {
    const id = await repo.insertOffer(tx, { orgId, ...subject, ...input, by: actor.id });
    if (id === null) throw new ConflictError(text('desk.mentors.err.alreadyOffered'));
    await recordAudit(tx, {
      action: 'mentor.offer',
      entity: 'desk_mentor_offer',
      entityId: id,
      orgId,
      actorUserId: actor.id,
      after: { subject: `${subject.kind}:${subject.ref}`, status: input.status },
    });
    return id;
  });
}

export interface OfferView {
  offer: repo.OfferRow;
  title: string;
  /** The actor is a member of the offering workspace (may edit it). */
  own: boolean;
  members: { id: number; email: string; name: string | null }[];
  /** The actor's municipal workspaces that may request it (not the offering one). */
  requesters: { id: number; name: string }[];
  /** The actor's workspaces' mentorings of this offer. */
  mentorings: repo.MentoringRow[];
}

/** An offer: active ones for every signed-in person, paused ones for its workspace only (404 otherwise). */
async function visibleOffer(db: Db, actor: Actor, id: number, forUpdate = false) {
  const p = await loadPrincipal(db, actor);
  const offer = Number.isSafeInteger(id) ? await repo.offerById(db, id, forUpdate) : null;
  if (!offer) throw new NotFoundError(text('desk.mentors.err.notFound'));
  const own = can(p, A.manage, { orgId: offer.orgId });
  if (!own && (offer.status !== 'active' || offer.contactUserId === null))
    throw new NotFoundError(text('desk.mentors.err.notFound'));
  return { p, offer, own };
}

export async function offerView(db: Db, actor: Actor, id: number, lang: Lang): Promise<OfferView> {
  const { p, offer, own } = await visibleOffer(db, actor, id);
  const mine = municipalIds(p);
  const [titles, members, workspaces, mentorings] = await Promise.all([
    subjectTitles(db, [offer], lang),
    own ? repo.membersOf(db, offer.orgId) : Promise.resolve([]),
    repo.municipalWorkspaces(
      db,
      mine.filter((o) => o !== offer.orgId),
    ),
    repo.mentoringsOfOrgs(db, mine),
  ]);
  return {
    offer,
    title: titles.get(`${offer.subjectKind}:${offer.subjectRef}`) ?? offer.subjectRef,
    own,
    members,
    requesters: workspaces.map((w) => ({ id: w.id, name: w.name })),
    mentorings: mentorings.filter((m) => m.offerId === offer.id),
  };
}

export async function updateOffer(
  d: MentorDeps,
  actor: Actor,
  id: number,
  version: number,
  input: OfferInput,
): Promise<void> {
  await d.db.transaction(async (tx) => {
    const { p, offer } = await visibleOffer(tx, actor, id, true);
    authorize(p, A.manage, { orgId: offer.orgId });
    if (offer.version !== version) throw new ConflictError(text('desk.mentors.err.stale'));
    await checkContact(tx, offer.orgId, input.contactUserId);
    if (!(await repo.updateOffer(tx, id, version, input))) throw new ConflictError(text('desk.mentors.err.stale'));
    await recordAudit(tx, {
      action: 'mentor.offer-change',
      entity: 'desk_mentor_offer',
      entityId: id,
      orgId: offer.orgId,
      actorUserId: actor.id,
      before: { status: offer.status },
      after: { status: input.status },
    });
  });
}

/** Withdraws an offer: it is deleted; unanswered requests are cancelled, accepted mentorings stay. */
export async function withdrawOffer(d: MentorDeps, actor: Actor, id: number): Promise<void> {
  const cancelled = await d.db.transaction(async (tx) => {
    const { p, offer } = await visibleOffer(tx, actor, id, true);
    authorize(p, A.manage, { orgId: offer.orgId });
    const ids = await repo.cancelOpenRequests(tx, id, d.now());
    await repo.deleteOffer(tx, id);
    await recordAudit(tx, {
      action: 'mentor.withdraw',
      entity: 'desk_mentor_offer',
      entityId: id,
      orgId: offer.orgId,
      actorUserId: actor.id,
      after: { cancelledRequests: ids.length },
    });
    return ids;
  });
  for (const mid of cancelled) {
    const m = await repo.mentoringById(d.db, mid);
    if (m)
      await notify(
        d,
        [m.requestedBy],
        text('desk.mentors.mail.cancelledSubject'),
        text('desk.mentors.mail.withdrawnText', { mentor: m.mentorName }),
        mentoringPath(mid),
      );
  }
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface MatchView {
  measureId: string;
  title: string;
  /** The workspace the order is computed for (null: the actor has no municipal workspace). */
  viewer: repo.WorkspaceFacts | null;
  workspaces: repo.WorkspaceFacts[];
  ranked: Ranked<Candidate & { offer: repo.OfferRow; subjectTitle: string }>[];
  /** Seats are known (boundaries imported) for the viewer; otherwise no distances, the order within tiers by name. */
  distances: boolean;
}

/** The active mentors for a measure (offers for it and for practice projects linked to it), in matching order. */
export async function matchingMentors(
  db: Db,
  actor: Actor,
  measureId: string,
  orgId: number,
  lang: Lang,
): Promise<MatchView> {
  if (!loadMeasures().measures.some((m) => m.id === measureId))
    throw new NotFoundError(text('desk.mentors.err.noMeasure'));
  const p = await loadPrincipal(db, actor);
  const workspaces = await repo.municipalWorkspaces(db, municipalIds(p));
  const viewer = workspaces.find((w) => w.id === orgId) ?? workspaces[0] ?? null;
  const links = (await measureLinks(db, [measureId])).filter((l) => l.kind === 'practice').map((l) => l.refId);
  const offers = (await repo.activeOffersFor(db, [measureId], links)).filter((o) => o.orgId !== viewer?.id);
  const seats = await seatCoordinates(db, [...new Set([...offers.map((o) => o.regionKey), viewer?.regionKey ?? ''])]);
  const titles = await subjectTitles(db, offers, lang);
  const viewerProfile: Profile = viewer
    ? { ...profileOf(viewer), seat: seats.get(viewer.regionKey) ?? null }
    : { sizeClass: null, kind: null, seat: null };
  const candidates = offers.map((o) => ({
    id: o.id,
    name: o.orgName,
    ...profileOf(o),
    seat: seats.get(o.regionKey) ?? null,
    offer: o,
    subjectTitle: titles.get(`${o.subjectKind}:${o.subjectRef}`) ?? o.subjectRef,
  }));
  return {
    measureId,
    title: measureTitle(measureId, lang),
    viewer,
    workspaces,
    ranked: matchOrder(viewerProfile, candidates),
    distances: viewerProfile.seat !== null,
  };
}

/** For a strategy: per measure it plans (not done), how many active mentors there are (other workspaces). */
export async function mentorCounts(db: Db, orgId: number | null, measureIds: readonly string[]) {
  const done = orgId ? new Set(await measuresDoneByOrg(db, orgId)) : new Set<string>();
  const planned = measureIds.filter((m) => !done.has(m));
  const links = (await measureLinks(db, planned)).filter((l) => l.kind === 'practice');
  const offers = (
    await repo.activeOffersFor(
      db,
      planned,
      links.map((l) => l.refId),
    )
  ).filter((o) => o.orgId !== orgId);
  return planned
    .map((m) => {
      const practiceIds = new Set(links.filter((l) => l.measureId === m).map((l) => l.refId));
      const n = offers.filter(
        (o) =>
          (o.subjectKind === 'measure' && o.subjectRef === m) ||
          (o.subjectKind === 'practice' && practiceIds.has(o.subjectRef)),
      );
      return { measureId: m, mentors: new Set(n.map((o) => o.orgId)).size };
    })
    .filter((c) => c.mentors > 0);
}

// ---------------------------------------------------------------------------------------------
// Mentorings

/** A member of a (different) municipal workspace requests a mentoring from an active offer. */
export async function requestMentoring(
  d: MentorDeps,
  actor: Actor,
  offerId: number,
  orgId: number,
  message: string,
): Promise<number> {
  const { p, offer } = await visibleOffer(d.db, actor, offerId);
  authorize(p, A.request, { orgId });
  if (orgId === offer.orgId) throw new ValidationError([fieldError('org', 'desk.mentors.err.ownWorkspace')]);
  if (offer.status !== 'active') throw new ConflictError(text('desk.mentors.err.paused'));
  const body = parseMessage(message, 'message', true);
  const [mentee] = await repo.municipalWorkspaces(d.db, [orgId]);
  if (!mentee) throw new ValidationError([fieldError('org', 'desk.mentors.err.municipalOnly')]);
  const id = await d.db.transaction(async (tx) => {
    const mid = await repo.insertMentoring(tx, {
      offerId,
      mentorOrgId: offer.orgId,
      menteeOrgId: orgId,
      kind: offer.subjectKind,
      ref: offer.subjectRef,
      menteeStateKey: mentee.regionKey.slice(0, 2),
      by: actor.id,
      message: body,
    });
    if (mid === null) throw new ConflictError(text('desk.mentors.err.alreadyRequested'));
    await recordAudit(tx, {
      action: 'mentoring.request',
      entity: 'desk_mentoring',
      entityId: mid,
      orgId,
      actorUserId: actor.id,
      after: { offerId, mentorOrgId: offer.orgId },
    });
    return mid;
  });
  await notify(
    d,
    [offer.contactUserId],
    text('desk.mentors.mail.requestSubject'),
    text('desk.mentors.mail.requestText', { mentee: mentee.name }),
    mentoringPath(id),
  );
  return id;
}

export interface Contact {
  name: string | null;
  email: string;
}

export interface MentoringView {
  row: repo.MentoringRow;
  title: string;
  /** The actor's side(s): a member of the mentor's workspace may decide. */
  asMentor: boolean;
  asMentee: boolean;
  /** Only after acceptance: the mentor's contact person and the person who asked. */
  mentorContact: Contact | null;
  menteeContact: Contact | null;
}

async function readable(db: Db, actor: Actor, id: number, forUpdate = false) {
  const p = await loadPrincipal(db, actor);
  const row = Number.isSafeInteger(id) ? await repo.mentoringById(db, id, forUpdate) : null;
  if (!row) throw new NotFoundError(text('desk.mentors.err.notFound'));
  const r: MentoringResource = { orgId: row.mentorOrgId, menteeOrgId: row.menteeOrgId, status: row.status };
  if (!can(p, A.read, r)) throw new NotFoundError(text('desk.mentors.err.notFound'));
  return { p, row, r, asMentor: can(p, A.decide, r), asMentee: menteeMember(p, r) };
}

export async function mentoringView(db: Db, actor: Actor, id: number, lang: Lang): Promise<MentoringView> {
  const { row, asMentor, asMentee } = await readable(db, actor, id);
  const titles = await subjectTitles(db, [row], lang);
  let mentorContact: Contact | null = null;
  let menteeContact: Contact | null = null;
  if (CONTACT_VISIBLE.includes(row.status)) {
    const offer = row.offerId ? await repo.offerById(db, row.offerId) : null;
    const mentorUser = offer?.contactUserId ?? row.decidedBy;
    const people = await repo.accounts(
      db,
      [mentorUser, row.requestedBy].filter((x): x is number => x !== null),
    );
    const pick = (uid: number | null) => {
      const u = people.find((x) => x.id === uid);
      return u ? { name: u.name, email: u.email } : null;
    };
    mentorContact = pick(mentorUser);
    menteeContact = pick(row.requestedBy);
  }
  return {
    row,
    title: titles.get(`${row.subjectKind}:${row.subjectRef}`) ?? row.subjectRef,
    asMentor,
    asMentee,
    mentorContact,
    menteeContact,
  };
}

/** The mentor's workspace accepts or declines a request (with an optional reply). */
export async function decide(
  d: MentorDeps,
  actor: Actor,
  id: number,
  version: number,
  accept: boolean,
  reply: string,
): Promise<void> {
  const body = parseMessage(reply, 'reply', false);
  const row = await d.db.transaction(async (tx) => {
    const { p, row, r } = await readable(tx, actor, id, true);
    authorize(p, A.decide, r);
    if (row.version !== version) throw new ConflictError(text('desk.mentors.err.stale'));
    const to: MentoringStatus = accept ? 'accepted' : 'declined';
    if (!canTransition(row.status, to, 'mentor')) throw new ConflictError(text('desk.mentors.err.transition'));
    if (!(await repo.setMentoringStatus(tx, id, version, to, actor.id, body, d.now())))
      throw new ConflictError(text('desk.mentors.err.stale'));
    await recordAudit(tx, {
      action: 'mentoring.decide',
      entity: 'desk_mentoring',
      entityId: id,
      orgId: row.mentorOrgId,
      actorUserId: actor.id,
      before: { status: row.status },
      after: { status: to },
    });
    if (accept) await publish(tx, MENTOR_EVENTS.mentoringsChanged, { id });
    return row;
  });
  await notify(
    d,
    [row.requestedBy],
    text(accept ? 'desk.mentors.mail.acceptedSubject' : 'desk.mentors.mail.declinedSubject'),
    text(accept ? 'desk.mentors.mail.acceptedText' : 'desk.mentors.mail.declinedText', { mentor: row.mentorName }),
    mentoringPath(id),
  );
}

/** Either side completes or cancels an accepted mentoring; the requesting side may cancel an unanswered request. */
export async function closeMentoring(
  d: MentorDeps,
  actor: Actor,
  id: number,
  version: number,
  to: MentoringStatus,
): Promise<void> {
  if (to !== 'completed' && to !== 'cancelled')
    throw new ValidationError([fieldError('to', 'desk.mentors.err.transition')]);
  const out = await d.db.transaction(async (tx) => {
    const { row, asMentor, asMentee } = await readable(tx, actor, id, true);
    if (row.version !== version) throw new ConflictError(text('desk.mentors.err.stale'));
    const side: Side | null =
      asMentee && canTransition(row.status, to, 'mentee')
        ? 'mentee'
        : asMentor && canTransition(row.status, to, 'mentor')
          ? 'mentor'
          : null;
    if (side === null) {
      if (row.status === 'requested' && asMentor) throw new ForbiddenError(text('desk.mentors.err.menteeOnly'));
      throw new ConflictError(text('desk.mentors.err.transition'));
    }
    if (!(await repo.setMentoringStatus(tx, id, version, to, actor.id, null, d.now())))
      throw new ConflictError(text('desk.mentors.err.stale'));
    await recordAudit(tx, {
      action: 'mentoring.close',
      entity: 'desk_mentoring',
      entityId: id,
      orgId: side === 'mentor' ? row.mentorOrgId : row.menteeOrgId,
      actorUserId: actor.id,
      before: { status: row.status },
      after: { status: to },
    });
    if (row.status === 'accepted') await publish(tx, MENTOR_EVENTS.mentoringsChanged, { id });
    return { row, side };
  });
  const offer = out.row.offerId ? await repo.offerById(d.db, out.row.offerId) : null;
  const other = out.side === 'mentor' ? [out.row.requestedBy] : [offer?.contactUserId ?? null];
  await notify(
    d,
    other.filter((u) => u !== actor.id),
    text(to === 'completed' ? 'desk.mentors.mail.completedSubject' : 'desk.mentors.mail.cancelledSubject'),
    text(to === 'completed' ? 'desk.mentors.mail.completedText' : 'desk.mentors.mail.cancelledText', {
      mentor: out.row.mentorName,
      mentee: out.row.menteeName,
    }),
    mentoringPath(id),
  );
}

// ---------------------------------------------------------------------------------------------
// Overview

export interface OverviewView {
  workspaces: repo.WorkspaceFacts[];
  offers: repo.OfferRow[];
  mentorings: repo.MentoringRow[];
  titles: Map<string, string>;
}

/** One's workspaces' offers and mentorings (given and received). */
export async function overview(db: Db, actor: Actor, lang: Lang, onlyOrg?: number): Promise<OverviewView> {
  const p = await loadPrincipal(db, actor);
  const ids = municipalIds(p).filter((o) => onlyOrg === undefined || o === onlyOrg);
  const [workspaces, offers, mentorings] = await Promise.all([
    repo.municipalWorkspaces(db, ids),
    repo.offersOfOrgs(db, ids),
    repo.mentoringsOfOrgs(db, ids),
  ]);
  const titles = await subjectTitles(db, [...offers, ...mentorings], lang);
  return { workspaces, offers, mentorings, titles };
}
