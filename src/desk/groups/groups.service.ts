/**
 * Cooperation groups (issue 12, "interkommunale Zusammenarbeit"): a member of a municipal workspace founds a group
 * around a topic and its workspace leads it; the lead invites further workspaces (found in the register by key or
 * name), whose members accept or decline; a listed group can also be asked to join. Members of member workspaces
 * share threads, documents and decisions and download agreement templates; everyone else is told the group does
 * not exist, unless it is listed — then title, description and member municipalities are public. The lead edits
 * the group, records decisions, removes members and hands the lead over. A stale form is a 409.
 */
import { createHash } from 'node:crypto';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, ForbiddenError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { formatDate, type Text, type Translate, text } from '../../platform/i18n/i18n.js';
import {
  authorize,
  can,
  defineActions,
  memberOf,
  type Principal,
  type Resource,
  type Rule,
} from '../../platform/policy.js';
import type { Notifier } from '../contract.js';
import * as repo from './groups.repository.js';
import {
  checkDocument,
  type DecisionInput,
  type GroupInput,
  joinableOrgs,
  parseInvitee,
  parsePost,
  type Standing,
  standingOf,
  type Upload,
} from './model.js';
import { renderTemplate, type TemplateKind, templateFilename } from './templates.js';

export type {
  DecisionRow,
  DocumentRow,
  GroupListRow,
  MemberRow,
  OwnGroupRow,
  PostRow,
  ThreadRow,
} from './groups.repository.js';

/** A group's own fields (settings forms, crumbs). */
export type GroupSettings = repo.GroupRow;

/** A group as rules see it: the lead workspace is `orgId`; the member and invited workspaces. */
export interface GroupResource extends Resource {
  memberOrgIds?: readonly number[];
  invitedOrgIds?: readonly number[];
}

const asGroup = (r: Resource) => r as GroupResource;
const municipalMemberOf: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === 'region');
const memberOfMemberWorkspace: Rule = (p, r) =>
  p.memberships.some((m) => asGroup(r).memberOrgIds?.includes(m.orgId) === true);
const memberOfInvitedWorkspace: Rule = (p, r) =>
  p.memberships.some((m) => asGroup(r).invitedOrgIds?.includes(m.orgId) === true);

export const GROUP_ACTIONS = defineActions({
  /** Found a group: a member of the municipal workspace that will lead it. */
  'cooperation.found': { rule: municipalMemberOf, denied: text('desk.groups.err.municipalOnly') },
  /** Threads, posts, documents, templates: members of member workspaces. */
  'cooperation.take-part': { rule: memberOfMemberWorkspace, denied: text('desk.groups.err.notFound') },
  /** Settings, invitations, join requests, decisions, removing members, handing over: the lead's members. */
  'cooperation.lead': { rule: memberOf, denied: text('desk.groups.err.leadOnly') },
  /** Accept or decline an invitation: members of the invited workspace. */
  'cooperation.respond': { rule: memberOfInvitedWorkspace, denied: text('desk.groups.err.notInvited') },
});
const A = {
  found: GROUP_ACTIONS['cooperation.found'],
  takePart: GROUP_ACTIONS['cooperation.take-part'],
  lead: GROUP_ACTIONS['cooperation.lead'],
  respond: GROUP_ACTIONS['cooperation.respond'],
};

export interface GroupDeps {
  db: Db;
  now: () => Date;
  notifier: Notifier;
  /** German texts of the notifications. */
  t: Translate;
}

export const GROUPS_PATH = '/kooperation';
export const groupPath = (id: number) => `${GROUPS_PATH}/${id}`;

const notFound = () => new NotFoundError(text('desk.groups.err.notFound'));
const stale = () => new ConflictError(text('desk.groups.err.stale'));
const municipalOrgs = (p: Principal) => p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId);

interface Loaded {
  p: Principal | null;
  group: repo.GroupRow;
  members: repo.MemberRow[];
  r: GroupResource;
  standing: Standing;
}

async function load(db: Db, actor: Actor | null, id: number, forUpdate = false): Promise<Loaded | null> {
  const group = Number.isSafeInteger(id) && id > 0 ? await repo.groupById(db, id, forUpdate) : null;
  if (!group) return null;
  const p = actor ? await loadPrincipal(db, actor) : null;
  const members = await repo.membersOf(db, id);
  const r: GroupResource = {
    orgId: group.leadOrgId,
    memberOrgIds: members.filter((m) => m.state === 'member').map((m) => m.orgId),
    invitedOrgIds: members.filter((m) => m.state === 'invited').map((m) => m.orgId),
  };
  const standing = standingOf(p ? municipalOrgs(p) : [], group.leadOrgId, members);
  return { p, group, members, r, standing };
}

/** The group for a member of a member workspace; 404 for everyone else (its existence is not revealed). */
async function asMember(db: Db, actor: Actor, id: number, forUpdate = false): Promise<Loaded & { p: Principal }> {
  const l = await load(db, actor, id, forUpdate);
  if (!l || !can(l.p, A.takePart, l.r)) throw notFound();
  return l as Loaded & { p: Principal };
}

/** The group for the lead: 404 for strangers, 403 for members of other member workspaces. */
async function asLead(db: Db, actor: Actor, id: number): Promise<Loaded & { p: Principal }> {
  const l = await asMember(db, actor, id, true);
  authorize(l.p, A.lead, l.r);
  return l;
}

/** The workspace of the actor that acts in the group (the lead when the actor is in it). */
const actingOrg = (l: Loaded) =>
  l.standing.memberOrgs.includes(l.group.leadOrgId) ? l.group.leadOrgId : (l.standing.memberOrgs[0] ?? null);

async function notifyOrgs(
  d: GroupDeps,
  orgIds: readonly number[],
  except: number | null,
  subject: Text,
  body: Text,
  link: string,
) {
  for (const userId of await repo.userIdsOfOrgs(d.db, orgIds, except)) {
    await d.notifier.notify({
      userId,
      kind: 'groups',
      subject: d.t(subject.key, subject.params),
      text: d.t(body.key, body.params),
      link,
    });
  }
}
/** A document is deleted by the person who uploaded it or by the lead's members. */
const mayDeleteDocument = (l: Loaded, actorId: number | undefined, uploadedBy: number | null) =>
  (uploadedBy !== null && uploadedBy === actorId) || can(l.p, A.lead, l.r);

const memberOrgIds = (l: Loaded) => l.members.filter((m) => m.state === 'member').map((m) => m.orgId);
const nameOf = (l: Loaded, orgId: number) => l.members.find((m) => m.orgId === orgId)?.name ?? '';

// ---------------------------------------------------------------------------------------------
// The list and founding

export interface ListView {
  listed: repo.GroupListRow[];
  own: repo.OwnGroupRow[];
  /** The actor's municipal workspaces (they may found a group for them). */
  workspaces: { id: number; name: string }[];
}

/** "/kooperation": the listed groups for everyone, and one's own groups and invitations when signed in. */
export async function listView(db: Db, actor: Actor | null): Promise<ListView> {
  const listed = await repo.listedGroups(db);
  if (!actor) return { listed, own: [], workspaces: [] };
  const p = await loadPrincipal(db, actor);
  const orgs = p ? municipalOrgs(p) : [];
  const [own, workspaces] = await Promise.all([repo.groupsOfOrgs(db, orgs), repo.workspaceNames(db, orgs)]);
  return { listed, own, workspaces };
}

/** The actor's municipal workspaces; a 403 for people without one (only municipalities found groups). */
export async function foundingWorkspaces(db: Db, actor: Actor): Promise<{ id: number; name: string }[]> {
  const p = await loadPrincipal(db, actor);
  const ws = await repo.workspaceNames(db, p ? municipalOrgs(p) : []);
  if (ws.length === 0) authorize(p, A.found, {});
  return ws;
}

export async function found(d: GroupDeps, actor: Actor, orgId: number, input: GroupInput): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  authorize(p, A.found, { orgId });
  return d.db.transaction(async (tx) => {
    const id = await repo.insertGroup(tx, { ...input, leadOrgId: orgId, by: actor.id });
    await recordAudit(tx, {
      action: 'cooperation.found',
      entity: 'desk_group',
      entityId: id,
      orgId,
      actorUserId: actor.id,
      after: { title: input.title, listed: input.listed },
    });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// One group

export interface PublicView {
  kind: 'public';
  group: repo.GroupRow;
  /** Member municipalities (names only). */
  members: { name: string; lead: boolean }[];
  /** The actor's workspaces that are invited (they may accept or decline). */
  invitedOrgs: { id: number; name: string }[];
  /** The actor's workspaces that already asked to join. */
  requested: boolean;
  /** The actor's municipal workspaces that may ask to join (listed groups only). */
  joinable: { id: number; name: string }[];
}

export interface MemberView {
  kind: 'member';
  group: repo.GroupRow;
  members: repo.MemberRow[];
  isLead: boolean;
  threads: repo.ThreadRow[];
  documents: (repo.DocumentRow & { mayDelete: boolean })[];
  decisions: repo.DecisionRow[];
  usedBytes: number;
  /** Workspaces that asked to join (the lead decides). */
  requests: repo.MemberRow[];
  invited: repo.MemberRow[];
}

/**
 * A group as the actor may see it: everything for members of member workspaces; for others the public part if the
 * group is listed or their workspace is invited; else 404.
 */
export async function groupView(db: Db, actor: Actor | null, id: number): Promise<PublicView | MemberView> {
  const l = await load(db, actor, id);
  if (!l) throw notFound();
  if (can(l.p, A.takePart, l.r)) {
    const [threads, documents, decisions, usedBytes] = await Promise.all([
      repo.threadsOf(db, id),
      repo.documentsOf(db, id),
      repo.decisionsOf(db, id),
      repo.groupBytes(db, id),
    ]);
    return {
      kind: 'member',
      group: l.group,
      members: l.members.filter((m) => m.state === 'member'),
      isLead: can(l.p, A.lead, l.r),
      threads,
      documents: documents.map((doc) => ({
        ...doc,
        mayDelete: mayDeleteDocument(l, actor?.id, doc.uploadedBy),
      })),
      decisions,
      usedBytes,
      requests: l.members.filter((m) => m.state === 'requested'),
      invited: l.members.filter((m) => m.state === 'invited'),
    };
  }
  const invited = l.standing.invitedOrgs;
  if (!l.group.listed && invited.length === 0) throw notFound();
  const names = l.p ? await repo.workspaceNames(db, municipalOrgs(l.p)) : [];
  const joinable = l.group.listed ? joinableOrgs(l.p ? municipalOrgs(l.p) : [], l.members) : [];
  return {
    kind: 'public',
    group: l.group,
    members: l.members
      .filter((m) => m.state === 'member')
      .map((m) => ({ name: m.name, lead: m.orgId === l.group.leadOrgId }))
      .sort((a, b) => Number(b.lead) - Number(a.lead)),
    invitedOrgs: names.filter((w) => invited.includes(w.id)),
    requested: l.standing.requestedOrgs.length > 0,
    joinable: names.filter((w) => joinable.includes(w.id)),
  };
}

/** The group for the settings form (lead only). */
export async function settingsOf(db: Db, actor: Actor, id: number): Promise<repo.GroupRow> {
  return (await asLead(db, actor, id)).group;
}

export async function updateSettings(
  d: GroupDeps,
  actor: Actor,
  id: number,
  version: number,
  input: GroupInput,
): Promise<void> {
  await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    if (version !== l.group.version) throw stale();
    if (!(await repo.updateGroup(tx, id, version, input))) throw stale();
    await recordAudit(tx, {
      action: 'cooperation.update',
      entity: 'desk_group',
      entityId: id,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      before: { title: l.group.title, listed: l.group.listed },
      after: { title: input.title, listed: input.listed },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Member workspaces

/** The lead invites a municipal workspace found by register key or name (exactly one must match). */
export async function invite(d: GroupDeps, actor: Actor, id: number, raw: string): Promise<string> {
  const query = parseInvitee(raw);
  const out = await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    const found = await repo.findWorkspaces(tx, query);
    if (found.length === 0) throw new ValidationError([fieldError('invitee', 'desk.groups.err.noWorkspace')]);
    const exact = found.filter((w) => 'name' in query && w.name.toLowerCase() === query.name.toLowerCase());
    const pick = found.length === 1 ? found[0]! : exact.length === 1 ? exact[0]! : null;
    if (!pick) {
      throw new ValidationError([
        fieldError('invitee', 'desk.groups.err.ambiguous', {
          names: found.map((w) => `${w.name} (${w.regionKey})`).join(', '),
        }),
      ]);
    }
    const existing = l.members.find((m) => m.orgId === pick.orgId);
    if (existing?.state === 'member') throw new ValidationError([fieldError('invitee', 'desk.groups.err.already')]);
    // A workspace that asked to join and is now invited is simply in.
    const state = existing?.state === 'requested' ? 'member' : 'invited';
    await repo.putMember(tx, id, pick.orgId, state, actor.id);
    await recordAudit(tx, {
      action: 'cooperation.invite',
      entity: 'desk_group',
      entityId: id,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      after: { orgId: pick.orgId, state },
    });
    return { pick, title: l.group.title, state };
  });
  if (out.state === 'invited') {
    await notifyOrgs(
      d,
      [out.pick.orgId],
      actor.id,
      text('desk.groups.mail.invitedSubject', { title: out.title }),
      text('desk.groups.mail.invitedText', { title: out.title }),
      groupPath(id),
    );
  }
  return out.pick.name;
}

/** A member of an invited workspace accepts or declines (for `orgId`, or the only invited workspace). */
export async function respond(d: GroupDeps, actor: Actor, id: number, accept: boolean, orgId: number | null) {
  const out = await d.db.transaction(async (tx) => {
    const l = await load(tx, actor, id, true);
    if (!l) throw notFound();
    if (!can(l.p, A.respond, l.r)) {
      if (l.group.listed || can(l.p, A.takePart, l.r)) authorize(l.p, A.respond, l.r);
      throw notFound();
    }
    const org = orgId !== null && l.standing.invitedOrgs.includes(orgId) ? orgId : l.standing.invitedOrgs[0]!;
    if (accept) await repo.setMemberState(tx, id, org, 'member');
    else await repo.removeMember(tx, id, org);
    await recordAudit(tx, {
      action: accept ? 'cooperation.join' : 'cooperation.decline',
      entity: 'desk_group',
      entityId: id,
      orgId: org,
      actorUserId: actor.id,
    });
    return { l, org };
  });
  if (accept) {
    await notifyOrgs(
      d,
      memberOrgIds(out.l),
      actor.id,
      text('desk.groups.mail.joinedSubject', { title: out.l.group.title }),
      text('desk.groups.mail.joinedText', { title: out.l.group.title, name: nameOf(out.l, out.org) }),
      groupPath(id),
    );
  }
}

/** A member of a municipal workspace asks a listed group to let the workspace join. */
export async function requestJoin(d: GroupDeps, actor: Actor, id: number, orgId: number) {
  const out = await d.db.transaction(async (tx) => {
    const l = await load(tx, actor, id, true);
    if (!l || (!l.group.listed && !can(l.p, A.takePart, l.r))) throw notFound();
    authorize(l.p, A.found, { orgId });
    if (!joinableOrgs([orgId], l.members).length)
      throw new ValidationError([fieldError('org', 'desk.groups.err.already')]);
    if (!l.group.listed) throw notFound();
    await repo.putMember(tx, id, orgId, 'requested', actor.id);
    return l;
  });
  await notifyOrgs(
    d,
    [out.group.leadOrgId],
    actor.id,
    text('desk.groups.mail.requestSubject', { title: out.group.title }),
    text('desk.groups.mail.requestText', { title: out.group.title }),
    groupPath(id),
  );
}

/** The lead accepts or declines a workspace's request to join. */
export async function decideRequest(d: GroupDeps, actor: Actor, id: number, orgId: number, accept: boolean) {
  await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    if (!l.members.some((m) => m.orgId === orgId && m.state === 'requested')) throw notFound();
    if (accept) await repo.setMemberState(tx, id, orgId, 'member');
    else await repo.removeMember(tx, id, orgId);
    await recordAudit(tx, {
      action: accept ? 'cooperation.admit' : 'cooperation.refuse',
      entity: 'desk_group',
      entityId: id,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      after: { orgId },
    });
  });
}

/** A member workspace leaves (a member of it does so). The lead must hand over first (409). */
export async function leave(d: GroupDeps, actor: Actor, id: number, orgId: number | null) {
  await d.db.transaction(async (tx) => {
    const l = await asMember(tx, actor, id, true);
    const org = orgId !== null && l.standing.memberOrgs.includes(orgId) ? orgId : l.standing.memberOrgs[0]!;
    if (org === l.group.leadOrgId) throw new ConflictError(text('desk.groups.err.leadLeaves'));
    await repo.removeMember(tx, id, org);
    await recordAudit(tx, {
      action: 'cooperation.leave',
      entity: 'desk_group',
      entityId: id,
      orgId: org,
      actorUserId: actor.id,
    });
  });
}

/** The lead removes a member workspace (or withdraws an invitation). */
export async function removeMember(d: GroupDeps, actor: Actor, id: number, orgId: number) {
  await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    if (orgId === l.group.leadOrgId) throw new ConflictError(text('desk.groups.err.removeLead'));
    if (!(await repo.removeMember(tx, id, orgId))) throw notFound();
    await recordAudit(tx, {
      action: 'cooperation.remove',
      entity: 'desk_group',
      entityId: id,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      after: { orgId },
    });
  });
}

/** The lead hands the lead over to another member workspace. */
export async function handOver(d: GroupDeps, actor: Actor, id: number, orgId: number) {
  const l = await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    if (orgId === l.group.leadOrgId || !l.members.some((m) => m.orgId === orgId && m.state === 'member'))
      throw new ValidationError([fieldError('org', 'desk.groups.err.handOver')]);
    await repo.setLead(tx, id, orgId);
    await recordAudit(tx, {
      action: 'cooperation.hand-over',
      entity: 'desk_group',
      entityId: id,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      before: { leadOrgId: l.group.leadOrgId },
      after: { leadOrgId: orgId },
    });
    return l;
  });
  await notifyOrgs(
    d,
    [orgId],
    actor.id,
    text('desk.groups.mail.leadSubject', { title: l.group.title }),
    text('desk.groups.mail.leadText', { title: l.group.title }),
    groupPath(id),
  );
}

// ---------------------------------------------------------------------------------------------
// Threads

export async function addThread(d: GroupDeps, actor: Actor, id: number, input: { title: string; body: string }) {
  const out = await d.db.transaction(async (tx) => {
    const l = await asMember(tx, actor, id);
    const threadId = await repo.insertThread(tx, id, input.title, actor.id);
    await repo.insertPost(tx, threadId, actingOrg(l), input.body, actor.id);
    return { l, threadId };
  });
  await notifyOrgs(
    d,
    memberOrgIds(out.l),
    actor.id,
    text('desk.groups.mail.threadSubject', { title: out.l.group.title }),
    text('desk.groups.mail.threadText', { title: out.l.group.title, thread: input.title }),
    threadPath(id, out.threadId),
  );
  return out.threadId;
}

export const threadPath = (id: number, threadId: number) => `${groupPath(id)}/themen/${threadId}`;

export interface ThreadView {
  group: repo.GroupRow;
  thread: repo.ThreadRow;
  /** `mayEdit`: the actor wrote it. */
  posts: (repo.PostRow & { mayEdit: boolean })[];
}

export async function threadView(db: Db, actor: Actor, id: number, threadId: number): Promise<ThreadView> {
  const l = await asMember(db, actor, id);
  const thread = await repo.threadById(db, id, threadId);
  if (!thread) throw notFound();
  const posts = (await repo.postsOf(db, threadId)).map((p) => ({ ...p, mayEdit: p.authorUserId === actor.id }));
  return { group: l.group, thread, posts };
}

export const postEditPath = (id: number, threadId: number, postId: number) =>
  `${threadPath(id, threadId)}/beitraege/${postId}/bearbeiten`;

/** A post for its author's edit form: 404 for strangers and unknown posts, 403 for other members. */
export async function postForEdit(db: Db, actor: Actor, id: number, threadId: number, postId: number) {
  const l = await asMember(db, actor, id);
  const thread = await repo.threadById(db, id, threadId);
  const post = thread && Number.isSafeInteger(postId) ? await repo.postById(db, threadId, postId) : null;
  if (!thread || !post) throw notFound();
  if (post.authorUserId !== actor.id) throw new ForbiddenError(text('desk.groups.err.authorOnly'));
  return { group: l.group, thread, post };
}

/** The author corrects a post (no notification: the members were told of the post when it was written). */
export async function editPost(
  d: GroupDeps,
  actor: Actor,
  id: number,
  threadId: number,
  postId: number,
  version: number,
  raw: string,
): Promise<void> {
  await d.db.transaction(async (tx) => {
    await postForEdit(tx, actor, id, threadId, postId);
    const body = parsePost(raw);
    if (!(await repo.updatePost(tx, postId, version, body, d.now()))) throw stale();
  });
}

export async function addPost(d: GroupDeps, actor: Actor, id: number, threadId: number, raw: string) {
  const l = await asMember(d.db, actor, id);
  const thread = await repo.threadById(d.db, id, threadId);
  if (!thread) throw notFound();
  const body = parsePost(raw);
  await d.db.transaction((tx) => repo.insertPost(tx, threadId, actingOrg(l), body, actor.id));
  await notifyOrgs(
    d,
    memberOrgIds(l),
    actor.id,
    text('desk.groups.mail.postSubject', { title: l.group.title }),
    text('desk.groups.mail.postText', { title: l.group.title, thread: thread.title }),
    threadPath(id, threadId),
  );
}

// ---------------------------------------------------------------------------------------------
// Documents

export async function upload(d: GroupDeps, actor: Actor, id: number, file: Upload | null): Promise<number> {
  const out = await d.db.transaction(async (tx) => {
    const l = await asMember(tx, actor, id, true);
    const checked = checkDocument(file, await repo.groupBytes(tx, id));
    const docId = await repo.insertDocument(tx, {
      groupId: id,
      ...checked,
      sha256: createHash('sha256').update(checked.bytes).digest('hex'),
      by: actor.id,
    });
    return { l, docId, filename: checked.filename };
  });
  await notifyOrgs(
    d,
    memberOrgIds(out.l),
    actor.id,
    text('desk.groups.mail.documentSubject', { title: out.l.group.title }),
    // The file's name only, never its content.
    text('desk.groups.mail.documentText', { title: out.l.group.title, name: out.filename }),
    groupPath(id),
  );
  return out.docId;
}

export async function document(db: Db, actor: Actor, id: number, docId: number) {
  await asMember(db, actor, id);
  const f = Number.isSafeInteger(docId) ? await repo.documentBytes(db, id, docId) : null;
  if (!f) throw notFound();
  return f;
}

/**
 * Delete a document: the person who uploaded it, or a member of the lead workspace (403 for other members; 404
 * for strangers and unknown documents). The group's storage is freed; the deletion is in the audit log.
 */
export async function deleteDocument(d: GroupDeps, actor: Actor, id: number, docId: number): Promise<void> {
  await d.db.transaction(async (tx) => {
    const l = await asMember(tx, actor, id, true);
    const doc = Number.isSafeInteger(docId) ? await repo.documentOwner(tx, id, docId) : null;
    if (!doc) throw notFound();
    if (!mayDeleteDocument(l, actor.id, doc.uploadedBy)) {
      throw new ForbiddenError(text('desk.groups.err.documentOwnerOnly'));
    }
    await repo.deleteDocument(tx, id, docId);
    await recordAudit(tx, {
      action: 'cooperation.document.delete',
      entity: 'desk_group_document',
      entityId: docId,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      before: { filename: doc.filename },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Decisions

export const decisionPath = (id: number, decisionId: number) => `${groupPath(id)}/beschluesse/${decisionId}`;

export async function addDecision(d: GroupDeps, actor: Actor, id: number, input: DecisionInput): Promise<number> {
  const out = await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    const decisionId = await repo.insertDecision(tx, id, input, actor.id);
    await recordAudit(tx, {
      action: 'cooperation.decide',
      entity: 'desk_group_decision',
      entityId: decisionId,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      after: { title: input.title, decidedOn: input.decidedOn },
    });
    return { l, decisionId };
  });
  await notifyOrgs(
    d,
    memberOrgIds(out.l),
    actor.id,
    text('desk.groups.mail.decisionSubject', { title: out.l.group.title }),
    text('desk.groups.mail.decisionText', { title: out.l.group.title, decision: input.title }),
    groupPath(id),
  );
  return out.decisionId;
}

export async function decisionOf(db: Db, actor: Actor, id: number, decisionId: number) {
  const l = await asLead(db, actor, id);
  const row = await repo.decisionById(db, id, decisionId);
  if (!row) throw notFound();
  return { group: l.group, decision: row };
}

export async function updateDecision(
  d: GroupDeps,
  actor: Actor,
  id: number,
  decisionId: number,
  version: number,
  input: DecisionInput,
) {
  await d.db.transaction(async (tx) => {
    const l = await asLead(tx, actor, id);
    const row = await repo.decisionById(tx, id, decisionId);
    if (!row) throw notFound();
    if (row.version !== version) throw stale();
    if (!(await repo.updateDecision(tx, id, decisionId, version, input, actor.id))) throw stale();
    await recordAudit(tx, {
      action: 'cooperation.decision-update',
      entity: 'desk_group_decision',
      entityId: decisionId,
      orgId: l.group.leadOrgId,
      actorUserId: actor.id,
      before: { title: row.title, decidedOn: row.decidedOn },
      after: { title: input.title, decidedOn: input.decidedOn },
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Templates

/** A cooperation agreement template as DOCX, prefilled with the group's topic and member municipalities. */
export async function template(
  d: Pick<GroupDeps, 'db' | 'now'>,
  actor: Actor,
  id: number,
  kind: TemplateKind,
): Promise<{ filename: string; bytes: Buffer }> {
  const l = await asMember(d.db, actor, id);
  const members = l.members
    .filter((m) => m.state === 'member')
    .map((m) => ({ name: m.name, lead: m.orgId === l.group.leadOrgId }))
    .sort((a, b) => Number(b.lead) - Number(a.lead));
  const bytes = await renderTemplate(kind, {
    title: l.group.title,
    description: l.group.description,
    members,
    date: formatDate('de', d.now()),
  });
  return { filename: templateFilename(kind, l.group.title), bytes };
}
