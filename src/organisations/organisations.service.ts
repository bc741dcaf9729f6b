import { recordAudit } from '../audit/audit.service.js';
import { hashToken, newToken, normaliseEmail } from '../identity/tokens.js';
import type { Db } from '../platform/db/db.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../platform/errors.js';
import type { Lang } from '../platform/i18n/messages.js';
import type { MailKind } from '../platform/mail/mailer.js';
import { getRegion } from '../register/register.service.js';
import * as repo from './organisations.repository.js';

export type { MemberRole, OrgRow, RequestRow } from './organisations.repository.js';

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'forbidden', 'error.forbidden', message);
  }
}

/** Who acts: the signed-in person. */
export interface Actor {
  userId: number;
  email: string;
  isPlatformAdmin: boolean;
}

export function actorOf(user: { id: number; email: string; isPlatformAdmin: boolean }): Actor {
  return { userId: user.id, email: user.email, isPlatformAdmin: user.isPlatformAdmin };
}

export interface OrgDeps {
  db: Db;
  mailer: { send(msg: { to: string; subject: string; text: string; kind: MailKind }, tx?: Db): Promise<unknown> };
  baseUrl: string;
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
    actorUserId: actor.userId,
    before,
    after,
    requestId: d.requestId ?? null,
  });
}

const INVITATION_TTL_MS = 14 * 24 * 3600_000;

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

/**
 * The rules in one place: members see their workspace; its admins manage it; advisors of the Land see it
 * and manage it while it has no admin yet; platform admins manage every workspace.
 */
export async function permissions(db: Db, actor: Actor, org: repo.OrgRow): Promise<Permissions> {
  const [role, states, admins] = await Promise.all([
    repo.membership(db, org.id, actor.userId),
    repo.advisorStates(db, actor.userId),
    repo.countAdmins(db, org.id),
  ]);
  const advisor =
    org.kind === 'region' && states !== null && (states.includes(null) || states.includes(org.regionKey!.slice(0, 2)));
  const hasAdmin = admins > 0;
  return {
    role,
    advisor,
    platformAdmin: actor.isPlatformAdmin,
    hasAdmin,
    canView: role !== null || advisor || actor.isPlatformAdmin,
    canManage: role === 'admin' || actor.isPlatformAdmin || (advisor && !hasAdmin),
  };
}

async function loadOrg(db: Db, orgId: number): Promise<repo.OrgRow> {
  const org = await repo.orgById(db, orgId);
  if (!org) throw new NotFoundError(`Es gibt keine Organisation ${orgId}.`);
  return org;
}

async function requireManage(db: Db, actor: Actor, org: repo.OrgRow) {
  const p = await permissions(db, actor, org);
  if (!p.canManage) throw new ForbiddenError('Nur die Administration dieses Arbeitsbereichs darf das.');
  return p;
}

// ---------------------------------------------------------------------------------------------

/** Ask for access to the workspace of a region (created on first request). */
export async function requestAccess(d: OrgDeps, actor: Actor, regionKey: string, note: string): Promise<number> {
  const { region } = await getRegion(d.db, regionKey);
  if (region.validTo)
    throw new ValidationError('Region beendet.', [{ field: 'region', message: `${region.name} besteht nicht mehr.` }]);
  if (note.length > 2000)
    throw new ValidationError('Notiz zu lang.', [{ field: 'note', message: 'Höchstens 2.000 Zeichen.' }]);
  return d.db.transaction(async (tx) => {
    const orgId =
      (await repo.orgByRegion(tx, region.key))?.id ??
      (await repo.insertOrg(tx, { kind: 'region', regionKey: region.key, name: region.name }));
    if (await repo.membership(tx, orgId, actor.userId)) {
      throw new ConflictError(`Sie gehören dem Arbeitsbereich ${region.name} bereits an.`, { orgId });
    }
    const id = await repo.insertRequest(tx, {
      orgId,
      userId: actor.userId,
      note: note.trim(),
      emailDomain: actor.email.split('@')[1] ?? '',
    });
    await audit(tx, d, actor, orgId, 'access-request.create', id, null, { userId: actor.userId, status: 'open' });
    return orgId;
  });
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
  const perms = await permissions(db, actor, org);
  if (!perms.canView) {
    // Someone whose request is open sees that it is pending – and nothing of the workspace.
    const own = await repo.openRequests(db, { orgId, userId: actor.userId });
    if (own.length === 0) throw new ForbiddenError('Dieser Arbeitsbereich ist nur für seine Mitglieder sichtbar.');
    return { org, perms, members: [], requests: own, invitations: [] };
  }
  const [members, requests, invitations] = await Promise.all([
    repo.members(db, orgId),
    perms.canManage ? repo.openRequests(db, { orgId }) : repo.openRequests(db, { orgId, userId: actor.userId }),
    perms.canManage ? repo.pendingInvitations(db, orgId) : Promise.resolve([]),
  ]);
  return { org, perms, members, requests, invitations };
}

/** Approve or reject an access request. Approving into a workspace without admin makes the person its admin. */
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
    const perms = await requireManage(tx, actor, org);
    const req = await repo.requestById(tx, requestId);
    if (!req || req.orgId !== orgId)
      throw new NotFoundError(`Es gibt keinen Antrag ${requestId} in diesem Arbeitsbereich.`);
    if (req.status !== 'open') throw new ConflictError('Über diesen Antrag wurde bereits entschieden.');
    const status = approve ? 'approved' : 'rejected';
    await repo.decideRequest(tx, requestId, status, actor.userId);
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
      const newRole = role ?? (perms.hasAdmin ? 'member' : 'admin');
      await repo.upsertMembership(tx, orgId, req.userId, newRole);
      await audit(tx, d, actor, orgId, 'membership.create', req.userId, null, { userId: req.userId, role: newRole });
    }
  });
}

export async function invite(
  d: OrgDeps,
  actor: Actor,
  orgId: number,
  emailInput: string,
  role: repo.MemberRole,
  lang: Lang,
): Promise<void> {
  const email = normaliseEmail(emailInput);
  if (!email) {
    throw new ValidationError('Ungültige E-Mail-Adresse.', [
      {
        field: 'email',
        message: lang === 'en' ? 'Enter a valid e-mail address.' : 'Bitte geben Sie eine gültige E-Mail-Adresse ein.',
      },
    ]);
  }
  await d.db.transaction(async (tx) => {
    const org = await loadOrg(tx, orgId);
    await requireManage(tx, actor, org);
    const token = newToken();
    await audit(tx, d, actor, orgId, 'invitation.create', orgId, null, { role });
    await repo.insertInvitation(tx, {
      orgId,
      email,
      role,
      tokenHash: hashToken(token),
      invitedBy: actor.userId,
      expiresAt: new Date((d.now?.() ?? new Date()).getTime() + INVITATION_TTL_MS),
    });
    const link = `${d.baseUrl}/einladung?token=${token}`;
    const text =
      lang === 'en'
        ? `Hello,\n\nyou have been invited to the workspace "${org.name}" on Kommunallotse. Sign in (or sign up with this address) and accept the invitation here (valid for 14 days):\n\n${link}\n`
        : `Guten Tag,\n\nSie wurden in den Arbeitsbereich „${org.name}“ beim Kommunallotsen eingeladen. Melden Sie sich an (oder registrieren Sie sich mit dieser Adresse) und nehmen Sie die Einladung hier an (14 Tage gültig):\n\n${link}\n`;
    const subject = lang === 'en' ? `Invitation: ${org.name}` : `Einladung: ${org.name}`;
    await d.mailer.send({ to: email, subject, text, kind: 'invitation' }, tx);
  });
}

export async function invitation(d: OrgDeps, token: string) {
  return repo.invitationByToken(d.db, hashToken(token), d.now?.() ?? new Date());
}

/** Accept an invitation; it must be addressed to the signed-in account's e-mail. Returns the org id. */
export async function acceptInvitation(d: OrgDeps, actor: Actor, token: string): Promise<number> {
  return d.db.transaction(async (tx) => {
    const inv = await repo.invitationByToken(tx, hashToken(token), d.now?.() ?? new Date());
    if (!inv) throw new NotFoundError('Diese Einladung ist unbekannt, abgelaufen oder wurde bereits angenommen.');
    if (inv.email !== actor.email) {
      throw new ForbiddenError(`Diese Einladung gilt für ${inv.email}. Bitte melden Sie sich mit dieser Adresse an.`);
    }
    if (!(await repo.acceptInvitation(tx, inv.id, actor.userId)))
      throw new ConflictError('Die Einladung wurde bereits angenommen.');
    const current = await repo.membership(tx, inv.orgId, actor.userId);
    const role = current === 'admin' ? 'admin' : inv.role;
    await repo.upsertMembership(tx, inv.orgId, actor.userId, role);
    await audit(tx, d, actor, inv.orgId, 'membership.create', actor.userId, current ? { role: current } : null, {
      userId: actor.userId,
      role,
      via: 'invitation',
    });
    return inv.orgId;
  });
}

/**
 * Leave a workspace. The last admin cannot leave while others remain: a workspace never ends up without
 * a way to administer it (hand over the admin role first).
 */
export async function leave(d: OrgDeps, actor: Actor, orgId: number): Promise<void> {
  await d.db.transaction(async (tx) => {
    await loadOrg(tx, orgId);
    await repo.lockOrg(tx, orgId);
    const role = await repo.membership(tx, orgId, actor.userId);
    if (!role) throw new NotFoundError('Sie gehören diesem Arbeitsbereich nicht an.');
    if (role === 'admin' && (await repo.countAdmins(tx, orgId)) === 1 && (await repo.members(tx, orgId)).length > 1) {
      throw new ConflictError(
        'Sie sind die einzige Administration. Übertragen Sie die Rolle zuerst an ein anderes Mitglied.',
      );
    }
    await repo.deleteMembership(tx, orgId, actor.userId);
    await audit(tx, d, actor, orgId, 'membership.leave', actor.userId, { role }, null);
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
    const org = await loadOrg(tx, orgId);
    await repo.lockOrg(tx, orgId);
    await requireManage(tx, actor, org);
    const role = await repo.membership(tx, orgId, userId);
    if (!role) throw new NotFoundError('Diese Person gehört dem Arbeitsbereich nicht an.');
    const lastAdmin = role === 'admin' && (await repo.countAdmins(tx, orgId)) === 1;
    if (lastAdmin && action !== 'admin') {
      throw new ConflictError(
        'Das ist die einzige Administration. Ernennen Sie zuerst eine weitere Person zur Administration.',
      );
    }
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
  if (!Number.isSafeInteger(orgId) || orgId <= 0) throw new NotFoundError('Unbekannte Organisation.');
  const org = await loadOrg(db, orgId);
  await requireManage(db, actor, org);
  return org;
}

export async function myOrganisations(db: Db, userId: number) {
  return repo.userOrgs(db, userId);
}

/** Open requests an advisor may decide (workspaces without admin in their Länder); null if not an advisor. */
export async function advisorQueue(db: Db, actor: Actor) {
  const states = await repo.advisorStates(db, actor.userId);
  return states === null ? null : repo.advisorQueue(db, states);
}

/** Act for one organisation at a time (shown in the header); only for one's own memberships. */
export async function setActing(db: Db, actor: Actor, sessionHash: string, orgId: number | null) {
  if (orgId !== null && !(await repo.membership(db, orgId, actor.userId))) {
    throw new ForbiddenError('Sie können nur für eigene Organisationen handeln.');
  }
  await repo.setActingOrg(db, sessionHash, orgId);
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
  if (!actor.isPlatformAdmin) throw new ForbiddenError('Nur die Plattform-Administration legt Anbieter an.');
  const name = input.name.trim();
  const email = normaliseEmail(input.adminEmail);
  const errors = [];
  if (!name || name.length > 200)
    errors.push({ field: 'name', message: 'Bitte einen Namen mit höchstens 200 Zeichen angeben.' });
  if (!email)
    errors.push({ field: 'adminEmail', message: 'Bitte die E-Mail-Adresse eines bestehenden Kontos angeben.' });
  if (errors.length) throw new ValidationError('Anbieter unvollständig.', errors);
  return d.db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number }>(
      'SELECT id::int AS id FROM users WHERE email = $1 AND email_verified_at IS NOT NULL',
      [email],
    );
    const userId = rows[0]?.id;
    if (!userId) {
      throw new ValidationError('Konto nicht gefunden.', [
        { field: 'adminEmail', message: 'Zu dieser Adresse gibt es kein bestätigtes Konto.' },
      ]);
    }
    const orgId = await repo.insertOrg(tx, { kind: 'provider', regionKey: null, name });
    await repo.upsertMembership(tx, orgId, userId, 'admin');
    await audit(tx, d, actor, orgId, 'organisation.create', orgId, null, { kind: 'provider', name });
    await audit(tx, d, actor, orgId, 'membership.create', userId, null, { userId, role: 'admin' });
    return orgId;
  });
}
