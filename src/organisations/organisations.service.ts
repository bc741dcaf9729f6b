import { recordAudit } from '../audit/index.js';
import { emailError, setActingOrganisation, verifiedUserIdByEmail } from '../identity/index.js';
import { hashToken, newToken } from '../platform/crypto.js';
import type { Db } from '../platform/db/db.js';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  fieldError,
  isUniqueViolation,
  NotFoundError,
  ValidationError,
} from '../platform/errors.js';
import type { AuthUser } from '../platform/http/auth.js';
import { formatDate, type Translate, text } from '../platform/i18n/i18n.js';
import { normaliseEmail } from '../platform/mail/address.js';
import type { DataSubject } from '../platform/module.js';
import { type Action, authorize, can, type Principal, type Resource } from '../platform/policy.js';
import { getRegion, municipalityKey, STATES } from '../register/index.js';
import { ORG_ACTION as ORG_ACTIONS } from './actions.js';
import * as repo from './organisations.repository.js';
import { workingDaysPassed } from './working-days.js';

export type { MemberRole, OrgRow, RequestRow } from './organisations.repository.js';

/** Who acts: the signed-in person (the platform's view of an account). */
export type Actor = Pick<AuthUser, 'id' | 'email' | 'isPlatformAdmin'>;

export interface OrgDeps {
  db: Db;
  mailer: { send(msg: { to: string; subject: string; text: string; kind: string }, tx?: Db): Promise<unknown> };
  /** The platform's public URL (config.publicUrl): links in mails come only from configuration. */
  publicUrl: string;
  /** Mail texts in the language of the person who acts. */
  t: Translate;
  now?: () => Date;
  /** Request id for the audit log. */
  requestId?: string;
}

/** One audit entry of an organisation change, in the transaction of the change. */
function audit(
  tx: Db,
  d: OrgDeps,
  actor: Actor,
  orgId: number,
  action: string,
  entityId: number,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
) {
  return recordAudit(tx, {
    action,
    entity: action.split('.')[0]!,
    entityId,
    orgId,
    actorUserId: actor.id,
    before,
    after,
    requestId: d.requestId ?? null,
  });
}

const INVITATION_TTL_MS = 14 * 24 * 3600_000;

// ---------------------------------------------------------------------------------------------
// The facts the permission vocabulary decides on

/** Memberships and advisor scopes of a person: everything `can` looks at (one query, `principalRowsOf`). */
export async function loadPrincipal(db: Db, user: Actor): Promise<Principal> {
  const { memberships, advisorScopes: scopes } = await repo.principalRowsOf(db, user.id);
  return {
    userId: user.id,
    email: user.email,
    isPlatformAdmin: user.isPlatformAdmin,
    memberships,
    advisorScopes: scopes,
  };
}

/** A workspace as a resource of the permission vocabulary. */
export async function workspaceResource(db: Db, org: repo.OrgRow): Promise<Resource> {
  return {
    orgId: org.id,
    stateKey: org.kind === 'region' ? org.regionKey!.slice(0, 2) : null,
    orgHasAdmin: (await repo.countAdmins(db, org.id)) > 0,
  };
}

export interface Permissions {
  role: repo.MemberRole | null;
  /** An advisor whose area covers this workspace's Land. */
  advisor: boolean;
  platformAdmin: boolean;
  hasAdmin: boolean;
  canView: boolean;
  /** Approve requests, invite, remove members, change roles. */
  canManage: boolean;
}

/** What the workspace page shows and offers this person (the rules are ORG_ACTIONS in actions.ts). */
export function permissionsOf(p: Principal, org: repo.OrgRow, r: Resource): Permissions {
  const role = p.memberships.find((m) => m.orgId === org.id)?.role ?? null;
  return {
    role,
    advisor: org.kind === 'region' && p.advisorScopes.length > 0 && can(p, ORG_ACTIONS.advise, r),
    platformAdmin: p.isPlatformAdmin,
    hasAdmin: r.orgHasAdmin === true,
    canView: can(p, ORG_ACTIONS.view, r),
    canManage: can(p, ORG_ACTIONS.manage, r),
  };
}

/** An organisation by id, for other modules (null when unknown). */
export function orgById(db: Db, id: number): Promise<repo.OrgRow | null> {
  return repo.orgById(db, id);
}

async function loadOrg(db: Db, orgId: number): Promise<repo.OrgRow> {
  const org = await repo.orgById(db, orgId);
  if (!org) throw new NotFoundError(text('org.err.noSuchOrg', { id: orgId }));
  return org;
}

/** The workspace, the person's principal and the workspace as a resource, authorised for `action`. */
async function authorised(db: Db, actor: Actor, orgId: number, action: Action) {
  const org = await loadOrg(db, orgId);
  const [p, r] = await Promise.all([loadPrincipal(db, actor), workspaceResource(db, org)]);
  authorize(p, action, r);
  return { org, p, r };
}

// ---------------------------------------------------------------------------------------------

/** Working days without a decision after which the deciders are reminded of an open request (once). */
export const REMINDER_WORKING_DAYS = 3;

const nowOf = (d: Pick<OrgDeps, 'now'>) => d.now?.() ?? new Date();

/** Who decides a workspace's requests: its admins, or — while it has none — the advisors of its Land. */
export type Deciders = 'admins' | 'advisors';

/** The people who decide requests to `org` (never the applicant themselves), and which group they are. */
async function decidersOf(db: Db, org: repo.OrgRow, applicantId: number) {
  const admins = await repo.adminEmails(db, org.id);
  if (admins.length > 0) return { who: 'admins' as Deciders, to: admins.filter((a) => a.userId !== applicantId) };
  const state = org.regionKey?.slice(0, 2) ?? '';
  const advisors = state ? await repo.advisorEmails(db, state) : [];
  return { who: 'advisors' as Deciders, to: advisors.filter((a) => a.userId !== applicantId) };
}

/** The mail about a request to the people who decide it (new, or the reminder after three working days). */
async function mailDeciders(
  tx: Db,
  d: Pick<OrgDeps, 'mailer' | 'publicUrl' | 't'>,
  org: repo.OrgRow,
  req: { userId: number; email: string; note: string; createdAt: Date },
  kind: 'access-request' | 'access-reminder',
): Promise<number> {
  const { to } = await decidersOf(tx, org, req.userId);
  const params = {
    name: org.name,
    email: req.email,
    note: req.note || '–',
    date: formatDate('de', new Date(req.createdAt)),
    link: `${d.publicUrl}/organisationen/${org.id}`,
  };
  const key = kind === 'access-request' ? 'org.mail.request' : 'org.mail.reminder';
  for (const r of to) {
    await d.mailer.send(
      { to: r.email, subject: d.t(`${key}Subject`, params), text: d.t(`${key}Text`, params), kind },
      tx,
    );
  }
  return to.length;
}

/**
 * Ask for access to the workspace of a region (created on first request). The Kreis record of a kreisfreie
 * Stadt and its Gemeinde record lead to one workspace, keyed by the Gemeinde (`municipalityKey`). A new request
 * is mailed to the people who decide it; asking again while a request is open only updates its note.
 */
export async function requestAccess(d: OrgDeps, actor: Actor, regionKey: string, note: string): Promise<number> {
  const { region } = await getRegion(d.db, await municipalityKey(d.db, regionKey));
  if (region.validTo) throw new ValidationError([fieldError('region', 'org.err.regionEnded', { name: region.name })]);
  if (note.length > 2000) throw new ValidationError([fieldError('note', 'org.err.noteTooLong', { max: 2000 })]);
  // A workspace created under the Kreis key of a kreisfreie Stadt before the two were one stays the town's.
  const otherKey = regionKey.trim() !== region.key && /^\d{5}$/.test(regionKey.trim()) ? regionKey.trim() : null;
  const attempt = () =>
    d.db.transaction(async (tx) => {
      const existing =
        (await repo.orgByRegion(tx, region.key)) ?? (otherKey ? await repo.orgByRegion(tx, otherKey) : null);
      const orgId =
        existing?.id ?? (await repo.insertOrg(tx, { kind: 'region', regionKey: region.key, name: region.name }));
      if (await repo.membership(tx, orgId, actor.id)) {
        throw new ConflictError(text('org.err.alreadyMember', { name: region.name }), { orgId });
      }
      const open = (await repo.openRequests(tx, { orgId, userId: actor.id }))[0];
      const at = nowOf(d);
      const id = await repo.insertRequest(tx, {
        orgId,
        userId: actor.id,
        note: note.trim(),
        emailDomain: actor.email.split('@')[1] ?? '',
        at: open ? new Date(open.createdAt) : at,
      });
      if (!open) {
        await audit(tx, d, actor, orgId, 'access-request.create', id, null, { userId: actor.id, status: 'open' });
        const org = (await repo.orgById(tx, orgId))!;
        await mailDeciders(
          tx,
          d,
          org,
          { userId: actor.id, email: actor.email, note: note.trim(), createdAt: at },
          'access-request',
        );
      }
      return orgId;
    });
  try {
    return await attempt();
  } catch (err) {
    // Two first requests for one region at the same moment: the other one created the workspace (or the
    // same person's request) just now. Read it again once.
    if (isUniqueViolation(err)) return attempt();
    throw err;
  }
}

/**
 * Remind the deciders of every request that has waited `REMINDER_WORKING_DAYS` working days (Monday to
 * Friday) without a decision — once per request, also with several instances (the mark is set in the
 * transaction that writes the mail). Returns the number of requests reminded. Run by the module's job.
 */
export async function sendAccessReminders(d: Pick<OrgDeps, 'db' | 'mailer' | 'publicUrl' | 't' | 'now'>) {
  const now = nowOf(d);
  // Three working days are at least three calendar days: the query narrows, the rule decides.
  const candidates = await repo.unremindedRequests(d.db, new Date(now.getTime() - 3 * 24 * 3600_000));
  let reminded = 0;
  for (const req of candidates) {
    if (!workingDaysPassed(new Date(req.createdAt), now, REMINDER_WORKING_DAYS)) continue;
    await d.db.transaction(async (tx) => {
      if (!(await repo.markReminded(tx, req.id, now))) return;
      const org = await repo.orgById(tx, req.orgId);
      if (org) await mailDeciders(tx, d, org, req, 'access-reminder');
      reminded += 1;
    });
  }
  return reminded;
}

/** A person's open requests with who decides each (the applicant's view: "wartet auf …"). */
export async function pendingRequestsOf(db: Db, userId: number) {
  const open = await repo.openRequests(db, { userId });
  return Promise.all(
    open.map(async (r) => {
      const admins = await repo.countAdmins(db, r.orgId);
      return { ...r, deciders: (admins > 0 ? 'admins' : 'advisors') as Deciders };
    }),
  );
}

/** Where a person stands with the workspace of a region: member (with the workspace), pending, or neither. */
export async function standingAt(
  db: Db,
  userId: number,
  regionKey: string,
): Promise<
  | { kind: 'member'; orgId: number }
  | { kind: 'pending'; orgId: number; since: Date; deciders: Deciders }
  | { kind: 'none' }
> {
  const org = await repo.orgByRegion(db, regionKey);
  if (!org) return { kind: 'none' };
  if (await repo.membership(db, org.id, userId)) return { kind: 'member', orgId: org.id };
  const open = (await repo.openRequests(db, { orgId: org.id, userId }))[0];
  if (!open) return { kind: 'none' };
  const deciders: Deciders = (await repo.countAdmins(db, org.id)) > 0 ? 'admins' : 'advisors';
  return { kind: 'pending', orgId: org.id, since: new Date(open.createdAt), deciders };
}

/** The Land's name for texts ("die Beratung für Bayern"). */
export function stateName(stateKey: string): string {
  return STATES[stateKey]?.name ?? stateKey;
}

export interface Workspace {
  org: repo.OrgRow;
  perms: Permissions;
  members: repo.MemberRow[];
  requests: repo.RequestRow[];
  invitations: repo.InvitationRow[];
}

export async function workspace(db: Db, actor: Actor, orgId: number): Promise<Workspace> {
  const org = await loadOrg(db, orgId);
  const [p, r] = await Promise.all([loadPrincipal(db, actor), workspaceResource(db, org)]);
  const perms = permissionsOf(p, org, r);
  if (!perms.canView) {
    // Someone whose request is open sees that it is pending – and nothing of the workspace.
    const own = await repo.openRequests(db, { orgId, userId: actor.id });
    if (own.length === 0) throw new ForbiddenError(ORG_ACTIONS.view.denied);
    return { org, perms, members: [], requests: own, invitations: [] };
  }
  const [members, requests, invitations] = await Promise.all([
    repo.members(db, orgId),
    perms.canManage ? repo.openRequests(db, { orgId }) : repo.openRequests(db, { orgId, userId: actor.id }),
    perms.canManage ? repo.pendingInvitations(db, orgId) : Promise.resolve([]),
  ]);
  return { org, perms, members, requests, invitations };
}

/**
 * Approve or reject an access request. Approving into a workspace without admin makes the person its admin.
 * Nobody decides their own request — not an advisor, not a platform admin: access to a workspace's private
 * data is granted by someone else, and the decision is in the audit log.
 */
export async function decideRequest(
  d: OrgDeps,
  actor: Actor,
  orgId: number,
  requestId: number,
  approve: boolean,
  role: repo.MemberRole | null,
): Promise<void> {
  await d.db.transaction(async (tx) => {
    const org = await loadOrg(tx, orgId);
    await repo.lockOrg(tx, orgId);
    const req = await repo.requestById(tx, requestId);
    if (!req || req.orgId !== orgId) throw new NotFoundError(text('org.err.noSuchRequest', { id: requestId }));
    const [p, base] = await Promise.all([loadPrincipal(tx, actor), workspaceResource(tx, org)]);
    const r: Resource = { ...base, subjectUserId: req.userId };
    if (req.userId === actor.id) throw new ForbiddenError(text('org.err.ownRequest'));
    authorize(p, ORG_ACTIONS.decide, r);
    if (req.status !== 'open') throw new ConflictError(text('org.err.alreadyDecided'));
    const status = approve ? 'approved' : 'rejected';
    await repo.decideRequest(tx, requestId, status, actor.id);
    await audit(
      tx,
      d,
      actor,
      orgId,
      `access-request.${approve ? 'approve' : 'reject'}`,
      requestId,
      { status: 'open' },
      { status },
    );
    if (approve) {
      const newRole = role ?? (r.orgHasAdmin ? 'member' : 'admin');
      await repo.upsertMembership(tx, orgId, req.userId, newRole);
      await audit(tx, d, actor, orgId, 'membership.create', req.userId, null, { userId: req.userId, role: newRole });
    }
    // The applicant learns the decision (links only from the configured public URL).
    const params = {
      name: org.name,
      date: formatDate('de', new Date(req.createdAt)),
      link: approve ? `${d.publicUrl}/organisationen/${orgId}` : `${d.publicUrl}/kommunen/${org.regionKey ?? ''}`,
    };
    const key = approve ? 'org.mail.approved' : 'org.mail.rejected';
    await d.mailer.send(
      {
        to: req.email,
        subject: d.t(`${key}Subject`, params),
        text: d.t(`${key}Text`, params),
        kind: 'access-decision',
      },
      tx,
    );
  });
}

export async function invite(
  d: OrgDeps,
  actor: Actor,
  orgId: number,
  emailInput: string,
  role: repo.MemberRole,
): Promise<void> {
  const email = normaliseEmail(emailInput);
  const bad = emailError('email', emailInput);
  if (bad || !email) throw new ValidationError(bad ? [bad] : []);
  await d.db.transaction(async (tx) => {
    const { org } = await authorised(tx, actor, orgId, ORG_ACTIONS.manage);
    const token = newToken();
    const invitationId = await repo.insertInvitation(tx, {
      orgId,
      email,
      role,
      tokenHash: hashToken(token),
      invitedBy: actor.id,
      expiresAt: new Date((d.now?.() ?? new Date()).getTime() + INVITATION_TTL_MS),
    });
    await audit(tx, d, actor, orgId, 'invitation.create', invitationId, null, { role });
    const link = `${d.publicUrl}/einladung?token=${token}`;
    await d.mailer.send(
      {
        to: email,
        subject: d.t('org.mail.inviteSubject', { name: org.name }),
        text: d.t('org.mail.inviteText', { name: org.name, link }),
        kind: 'invitation',
      },
      tx,
    );
  });
}

export async function invitation(d: OrgDeps, token: string) {
  return repo.invitationByToken(d.db, hashToken(token), d.now?.() ?? new Date());
}

/** Accept an invitation; it must be addressed to the signed-in account's e-mail. Returns the org id. */
export async function acceptInvitation(d: OrgDeps, actor: Actor, token: string): Promise<number> {
  return d.db.transaction(async (tx) => {
    const inv = await repo.invitationByToken(tx, hashToken(token), d.now?.() ?? new Date());
    if (!inv) throw new NotFoundError(text('org.err.invitationGone'));
    // Says neither the invited address nor whether one exists: only that this account is not the invited one.
    if (inv.email !== normaliseEmail(actor.email)) throw new ForbiddenError(text('org.err.invitationOther'));
    if (!(await repo.acceptInvitation(tx, inv.id, actor.id))) {
      throw new ConflictError(text('org.err.invitationAccepted'));
    }
    const current = await repo.membership(tx, inv.orgId, actor.id);
    const role = current === 'admin' ? 'admin' : inv.role;
    await repo.upsertMembership(tx, inv.orgId, actor.id, role);
    await audit(tx, d, actor, inv.orgId, 'membership.create', actor.id, current ? { role: current } : null, {
      userId: actor.id,
      role,
      via: 'invitation',
      invitationId: inv.id,
    });
    return inv.orgId;
  });
}

/** True when `userId` is the only admin of `orgId` and others remain who would be left without one. */
async function wouldOrphan(tx: Db, orgId: number, userId: number): Promise<boolean> {
  const role = await repo.membership(tx, orgId, userId);
  return role === 'admin' && (await repo.countAdmins(tx, orgId)) === 1 && (await repo.countMembers(tx, orgId)) > 1;
}

/**
 * Leave a workspace. The last admin cannot leave while others remain: a workspace never ends up without
 * a way to administer it (hand over the admin role first).
 */
export async function leave(d: OrgDeps, actor: Actor, orgId: number): Promise<void> {
  await d.db.transaction(async (tx) => {
    await loadOrg(tx, orgId);
    await repo.lockOrg(tx, orgId);
    const role = await repo.membership(tx, orgId, actor.id);
    if (!role) throw new NotFoundError(text('org.err.notAMember'));
    if (await wouldOrphan(tx, orgId, actor.id)) throw new ConflictError(text('org.err.lastAdminLeave'));
    await repo.deleteMembership(tx, orgId, actor.id);
    await audit(tx, d, actor, orgId, 'membership.leave', actor.id, { role }, null);
  });
}

/** Remove a member or change their role; the last admin stays. */
export async function changeMember(
  d: OrgDeps,
  actor: Actor,
  orgId: number,
  userId: number,
  action: 'remove' | 'admin' | 'member',
): Promise<void> {
  await d.db.transaction(async (tx) => {
    await loadOrg(tx, orgId);
    await repo.lockOrg(tx, orgId);
    await authorised(tx, actor, orgId, ORG_ACTIONS.manage);
    const role = await repo.membership(tx, orgId, userId);
    if (!role) throw new NotFoundError(text('org.err.personNotMember'));
    const lastAdmin = role === 'admin' && (await repo.countAdmins(tx, orgId)) === 1;
    if (lastAdmin && action !== 'admin') throw new ConflictError(text('org.err.lastAdminChange'));
    if (action === 'remove') await repo.deleteMembership(tx, orgId, userId);
    else await repo.upsertMembership(tx, orgId, userId, action);
    if (action !== role) {
      await audit(
        tx,
        d,
        actor,
        orgId,
        action === 'remove' ? 'membership.delete' : 'membership.update',
        userId,
        { role },
        action === 'remove' ? null : { role: action },
      );
    }
  });
}

/** The organisation whose audit log the actor may read (its managers); 403/404 otherwise. */
export async function auditableOrganisation(db: Db, actor: Actor, orgId: number): Promise<repo.OrgRow> {
  return (await authorised(db, actor, orgId, ORG_ACTIONS.audit)).org;
}

export async function myOrganisations(db: Db, userId: number) {
  return repo.userOrgs(db, userId);
}

/** Open requests an advisor may decide (workspaces without admin in their Länder); null if not an advisor. */
export async function advisorQueue(db: Db, actor: Actor) {
  const scopes = await repo.advisorScopesOf(db, actor.id);
  if (scopes.length === 0) return null;
  const states = scopes.map((s) => s.stateKey);
  // Requests of the advisor themselves are not theirs to decide.
  return (await repo.advisorQueue(db, states)).filter((r) => r.userId !== actor.id);
}

/** Act for one organisation at a time (shown in the header); only for one's own memberships. */
export async function setActing(db: Db, actor: Actor, sessionHash: string, orgId: number | null) {
  if (orgId !== null && !(await repo.membership(db, orgId, actor.id))) {
    throw new ForbiddenError(text('org.err.actOwnOnly'));
  }
  await setActingOrganisation(db, sessionHash, orgId);
}

export async function actingOrg(db: Db, sessionHash: string) {
  return repo.actingOrg(db, sessionHash);
}

/** Make a person an advisor of the competence centre (created on first use), optionally for one Land. */
export async function makeAdvisor(db: Db, userId: number, stateKey: string | null) {
  await db.transaction(async (tx) => {
    const c =
      (await repo.centre(tx))?.id ??
      (await repo.insertOrg(tx, {
        kind: 'centre',
        regionKey: null,
        name: 'Kompetenzzentrum Digitale Städte und Regionen',
      }));
    if (!(await repo.membership(tx, c, userId))) await repo.upsertMembership(tx, c, userId, 'member');
    await repo.addAdvisorScope(tx, userId, stateKey);
  });
}

export async function listOrganisations(db: Db) {
  return repo.listOrgs(db);
}

/**
 * A platform admin creates a provider organisation with its first admin (an existing, verified account):
 * the provider's workspace is administrable from the start.
 */
export async function createProviderOrganisation(
  d: OrgDeps,
  actor: Actor,
  input: { name: string; adminEmail: string },
): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  authorize(p, ORG_ACTIONS.createProvider);
  const name = input.name.trim();
  const errors: FieldError[] = [];
  if (!name || name.length > 200) errors.push(fieldError('name', 'org.err.providerName', { max: 200 }));
  if (!normaliseEmail(input.adminEmail)) errors.push(fieldError('adminEmail', 'org.err.providerAdmin'));
  if (errors.length) throw new ValidationError(errors);
  return d.db.transaction(async (tx) => {
    const userId = await verifiedUserIdByEmail(tx, input.adminEmail);
    if (!userId) throw new ValidationError([fieldError('adminEmail', 'org.err.providerAdminUnknown')]);
    const orgId = await repo.insertOrg(tx, { kind: 'provider', regionKey: null, name });
    await repo.upsertMembership(tx, orgId, userId, 'admin');
    await audit(tx, d, actor, orgId, 'organisation.create', orgId, null, { kind: 'provider', name });
    await audit(tx, d, actor, orgId, 'membership.create', userId, null, { userId, role: 'admin' });
    return orgId;
  });
}

// ---------------------------------------------------------------------------------------------
// Personal data

/** The workspaces a person is the only admin of while others remain (they must hand over first). */
export async function soleAdminOf(db: Db, userId: number): Promise<repo.OrgRow[]> {
  const orgs = await repo.userOrgs(db, userId);
  const out: repo.OrgRow[] = [];
  for (const o of orgs) if (o.role === 'admin' && (await wouldOrphan(db, o.id, userId))) out.push(o);
  return out;
}

export async function exportPersonalData(db: Db, s: DataSubject) {
  return repo.personalRows(db, s.userId, s.addresses);
}

/**
 * Erasure: refused while the person is the only admin of a workspace with other members (the same rule as
 * leaving: no workspace is left without administration). Memberships, advisor scopes and own requests go with
 * the account; invitations to the address lose it; decisions and invitations the person made keep the fact,
 * not the person (SET NULL).
 */
export async function erasePersonalData(tx: Db, s: DataSubject) {
  const blocking = await soleAdminOf(tx, s.userId);
  if (blocking.length) {
    throw new ConflictError(text('org.err.lastAdminDelete', { names: blocking.map((o) => o.name).join(', ') }));
  }
  return { invitationsErased: await repo.scrubInvitations(tx, s.addresses) };
}
