/**
 * Demand bundling (gemeinsame Beschaffung, issue 11): a municipal workspace declares a need (sector, required
 * standards, timeframe, rough volume); other municipalities see matching open needs and join; the first join forms
 * a procurement group led by the municipality that declared the need. The group's page has the members, their
 * requirements, the recommended standards and the matching solutions, and an export for the joint call for
 * tenders. Everything here is visible to members of municipal workspaces only — never to providers.
 */
import { loadModel } from '../../assessment/index.js';
import { recordAudit } from '../../audit/index.js';
import { type Actor, loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { ConflictError, type FieldError, fieldError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import { authorize, can, defineActions, memberOf, type Principal, type Rule } from '../../platform/policy.js';
import * as repo from './demand.repository.js';

export type { GroupRow, GroupStatus, NeedInput, NeedRow, NeedStatus } from './demand.repository.js';

/** A member of any municipal workspace. */
const municipalMember: Rule = (p) => p.memberships.some((m) => m.kind === 'region');
const municipalMemberOf: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === 'region');

export const DEMAND_ACTIONS = defineActions({
  /** Needs and groups: members of municipal workspaces only (providers never see them). */
  'need.read': { rule: municipalMember, denied: text('market.demand.err.municipalOnly') },
  /** Declare a need, or join one: a member of the municipal workspace that declares or joins. */
  'need.declare': { rule: municipalMemberOf, denied: text('market.demand.err.municipalOnly') },
  /** Close a need, or leave a group with it: a member of the workspace that declared it. */
  'need.manage': { rule: memberOf, denied: text('market.demand.err.ownNeedOnly') },
  /** Hand over the lead, change the group's status: a member of the lead municipality's workspace. */
  'group.lead': { rule: memberOf, denied: text('market.demand.err.leadOnly') },
});
const A = {
  read: DEMAND_ACTIONS['need.read'],
  declare: DEMAND_ACTIONS['need.declare'],
  manage: DEMAND_ACTIONS['need.manage'],
  lead: DEMAND_ACTIONS['group.lead'],
};

export interface DemandDeps {
  db: Db;
  now: () => Date;
  /** Ids of the standards catalogue (the market's catalogue; injected so the rule has one source). */
  knownStandard: (id: string) => boolean;
}

export const NEED_LIMITS = { title: 200, description: 5000, volumeNote: 300, standards: 20, volumeEur: 1_000_000_000 };

/** The raw form of a need (strings as typed; standards comma- or line-separated, months YYYY-MM). */
export interface NeedForm {
  title?: string;
  sector?: string;
  standards?: string;
  description?: string;
  neededFrom?: string;
  neededUntil?: string;
  volumeEur?: string;
  volumeNote?: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The need a form describes, or every field error at once (field names as in the form). */
export function parseNeedForm(f: NeedForm, knownStandard: (id: string) => boolean): repo.NeedInput {
  const errors: FieldError[] = [];
  const title = (f.title ?? '').trim();
  if (title.length < 3) errors.push(fieldError('title', 'market.demand.err.titleLength', { max: NEED_LIMITS.title }));
  else if (title.length > NEED_LIMITS.title)
    errors.push(fieldError('title', 'market.demand.err.titleLength', { max: NEED_LIMITS.title }));
  const sector = (f.sector ?? '').trim();
  if (!loadModel().sectors.some((s) => s.id === sector)) {
    errors.push(
      fieldError('sector', sector ? 'market.demand.err.unknownSector' : 'market.demand.err.required', {
        value: sector,
      }),
    );
  }
  const standards = [
    ...new Set(
      (f.standards ?? '')
        .split(/[\s,;]+/)
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const unknown = standards.filter((s) => !knownStandard(s));
  if (unknown.length > 0) {
    errors.push(fieldError('standards', 'market.demand.err.unknownStandard', { value: unknown.join(', ') }));
  } else if (standards.length > NEED_LIMITS.standards) {
    errors.push(fieldError('standards', 'market.demand.err.tooManyStandards', { max: NEED_LIMITS.standards }));
  }
  const description = (f.description ?? '').trim();
  if (description.length > NEED_LIMITS.description) {
    errors.push(fieldError('description', 'market.demand.err.tooLong', { max: NEED_LIMITS.description }));
  }
  const month = (field: 'neededFrom' | 'neededUntil'): string | null => {
    const v = (f[field] ?? '').trim();
    if (!MONTH.test(v)) {
      errors.push(fieldError(field, v ? 'market.demand.err.month' : 'market.demand.err.required', { value: v }));
      return null;
    }
    return `${v}-01`;
  };
  const neededFrom = month('neededFrom');
  const neededUntil = month('neededUntil');
  if (neededFrom && neededUntil && neededUntil < neededFrom) {
    errors.push(fieldError('neededUntil', 'market.demand.err.untilBeforeFrom'));
  }
  const rawVolume = (f.volumeEur ?? '').trim().replace(/[.\s]/g, '').replace(/€$/, '');
  let volumeEur: number | null = null;
  if (rawVolume !== '') {
    if (!/^\d{1,10}$/.test(rawVolume) || Number(rawVolume) > NEED_LIMITS.volumeEur) {
      errors.push(fieldError('volumeEur', 'market.demand.err.volume', { value: f.volumeEur ?? '' }));
    } else volumeEur = Number(rawVolume);
  }
  const volumeNote = (f.volumeNote ?? '').trim();
  if (volumeNote.length > NEED_LIMITS.volumeNote) {
    errors.push(fieldError('volumeNote', 'market.demand.err.tooLong', { max: NEED_LIMITS.volumeNote }));
  }
  if (errors.length > 0) throw new ValidationError(errors);
  return {
    title,
    sector,
    standards,
    description,
    neededFrom: neededFrom!,
    neededUntil: neededUntil!,
    volumeEur,
    volumeNote,
  };
}

async function reader(db: Db, actor: Actor): Promise<Principal> {
  const p = await loadPrincipal(db, actor);
  authorize(p, A.read);
  return p;
}

/** The actor's municipal workspaces (ids). */
const ownMunicipal = (p: Principal) => p.memberships.filter((m) => m.kind === 'region').map((m) => m.orgId);

export async function declareNeed(d: DemandDeps, actor: Actor, orgId: number, input: repo.NeedInput): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  authorize(p, A.declare, { orgId });
  return d.db.transaction(async (tx) => {
    const regionKey = await repo.municipalRegionOf(tx, orgId);
    if (!regionKey) throw new NotFoundError(text('market.demand.err.noSuchWorkspace'));
    const id = await repo.insertNeed(tx, {
      ...input,
      orgId,
      regionKey,
      createdBy: actor.id,
      now: d.now(),
    });
    await recordAudit(tx, {
      action: 'need.declare',
      entity: 'procurement_need',
      entityId: id,
      orgId,
      actorUserId: actor.id,
      after: { ...input },
    });
    return id;
  });
}

export interface Overview {
  own: repo.NeedRow[];
  groups: repo.GroupRow[];
  /** Open needs of others matching one of the actor's open needs (same sector), best first. */
  matching: repo.NeedRow[];
  /** Other open needs, newest first. */
  others: repo.NeedRow[];
  workspaces: { id: number; name: string }[];
}

export async function overview(d: DemandDeps, actor: Actor): Promise<Overview> {
  const p = await reader(d.db, actor);
  const mine = ownMunicipal(p);
  const [own, groups, workspaces] = await Promise.all([
    repo.needsOfOrgs(d.db, mine),
    repo.groupsOfOrgs(d.db, mine),
    repo.workspaceNames(d.db, mine),
  ]);
  const seen = new Set<number>();
  const matching: repo.NeedRow[] = [];
  for (const n of own.filter((x) => x.status === 'open')) {
    for (const m of await repo.matchingNeeds(d.db, n.sector, n.standards, mine, 20)) {
      if (!seen.has(m.id)) {
        seen.add(m.id);
        matching.push(m);
      }
    }
  }
  const others = (await repo.openNeeds(d.db, mine, 50)).filter((n) => !seen.has(n.id));
  return { own, groups, matching, others, workspaces };
}

export interface NeedView {
  need: repo.NeedRow;
  group: repo.GroupRow | null;
  /** The actor's workspaces that may join (municipal, not the need's own, not yet in its group). */
  canJoinWith: { id: number; name: string }[];
  canManage: boolean;
}

export async function needView(d: DemandDeps, actor: Actor, id: number): Promise<NeedView> {
  const p = await reader(d.db, actor);
  const need = await repo.needById(d.db, id);
  if (!need) throw new NotFoundError(text('market.demand.err.noSuchNeed', { id }));
  const group = need.groupId ? await repo.groupById(d.db, need.groupId) : null;
  const inGroup = group ? new Set((await repo.needsOfGroup(d.db, group.id)).map((n) => n.orgId)) : new Set<number>();
  const joinable =
    need.status === 'open' || (group !== null && group.status === 'forming')
      ? ownMunicipal(p).filter((o) => o !== need.orgId && !inGroup.has(o))
      : [];
  const canJoinWith = joinable.length ? await repo.workspaceNames(d.db, joinable) : [];
  return { need, group, canJoinWith, canManage: can(p, A.manage, { orgId: need.orgId }) };
}

/**
 * `orgId` joins the need `needId` with its own need (the same sector, standards and timeframe; its own volume).
 * The first join forms a group led by the need's municipality; later joins add to that group while it is forming.
 * Returns the group's id.
 */
export async function joinNeed(
  d: DemandDeps,
  actor: Actor,
  needId: number,
  orgId: number,
  volume: { volumeEur: number | null; volumeNote: string },
): Promise<number> {
  const p = await loadPrincipal(d.db, actor);
  authorize(p, A.declare, { orgId });
  return d.db.transaction(async (tx) => {
    const need = await repo.needById(tx, needId, true);
    if (!need) throw new NotFoundError(text('market.demand.err.noSuchNeed', { id: needId }));
    if (need.orgId === orgId) throw new ConflictError(text('market.demand.err.ownNeed'));
    if (need.status === 'closed') throw new ConflictError(text('market.demand.err.needClosed'));
    const now = d.now();
    let groupId = need.groupId;
    if (groupId === null) {
      groupId = await repo.insertGroup(tx, {
        title: need.title,
        sector: need.sector,
        leadOrgId: need.orgId,
        createdBy: actor.id,
        now,
      });
      await repo.setNeedStatus(tx, need.id, 'grouped', groupId, now);
    } else {
      const group = await repo.groupById(tx, groupId, true);
      if (group?.status !== 'forming') throw new ConflictError(text('market.demand.err.groupNotForming'));
    }
    if ((await repo.needsOfGroup(tx, groupId)).some((n) => n.orgId === orgId)) {
      throw new ConflictError(text('market.demand.err.alreadyMember'));
    }
    const regionKey = await repo.municipalRegionOf(tx, orgId);
    if (!regionKey) throw new NotFoundError(text('market.demand.err.noSuchWorkspace'));
    const own = await repo.insertNeed(tx, {
      title: need.title,
      sector: need.sector,
      standards: need.standards,
      description: '',
      neededFrom: need.neededFrom,
      neededUntil: need.neededUntil,
      volumeEur: volume.volumeEur,
      volumeNote: volume.volumeNote,
      orgId,
      regionKey,
      createdBy: actor.id,
      now,
    });
    await repo.setNeedStatus(tx, own, 'grouped', groupId, now);
    await recordAudit(tx, {
      action: 'group.join',
      entity: 'procurement_group',
      entityId: groupId,
      orgId,
      actorUserId: actor.id,
      after: { need: own, joined: needId },
    });
    return groupId;
  });
}

export interface GroupView {
  group: repo.GroupRow;
  members: repo.NeedRow[];
  /** The union of the members' required standards. */
  standards: string[];
  volumeEur: number;
  population: number;
  /** The actor's workspaces in the group. */
  mine: number[];
  isLead: boolean;
}

export async function groupView(d: DemandDeps, actor: Actor, id: number): Promise<GroupView> {
  const p = await reader(d.db, actor);
  const group = await repo.groupById(d.db, id);
  if (!group) throw new NotFoundError(text('market.demand.err.noSuchGroup', { id }));
  const members = await repo.needsOfGroup(d.db, id);
  const standards = [...new Set(members.flatMap((m) => m.standards))].sort();
  const own = new Set(ownMunicipal(p));
  return {
    group,
    members,
    standards,
    volumeEur: members.reduce((s, m) => s + (m.volumeEur ?? 0), 0),
    population: members.reduce((s, m) => s + (m.population ?? 0), 0),
    mine: members.filter((m) => own.has(m.orgId)).map((m) => m.orgId),
    isLead: can(p, A.lead, { orgId: group.leadOrgId }),
  };
}

/** The lead hands over the lead to another member, or changes the status; 409 on a stale form. */
export async function changeGroup(
  d: DemandDeps,
  actor: Actor,
  id: number,
  revision: number,
  change: { leadOrgId?: number; status?: repo.GroupStatus },
): Promise<void> {
  const p = await loadPrincipal(d.db, actor);
  await d.db.transaction(async (tx) => {
    const group = await repo.groupById(tx, id, true);
    if (!group) throw new NotFoundError(text('market.demand.err.noSuchGroup', { id }));
    authorize(p, A.lead, { orgId: group.leadOrgId });
    const members = await repo.needsOfGroup(tx, id);
    const leadOrgId = change.leadOrgId ?? group.leadOrgId;
    if (!members.some((m) => m.orgId === leadOrgId)) {
      throw new ValidationError([fieldError('lead', 'market.demand.err.leadNotMember')]);
    }
    const status = change.status ?? group.status;
    if (!(await repo.updateGroup(tx, id, revision, { leadOrgId, status }, d.now()))) {
      throw new ConflictError(text('market.demand.err.stale'));
    }
    await recordAudit(tx, {
      action: 'group.change',
      entity: 'procurement_group',
      entityId: id,
      orgId: group.leadOrgId,
      actorUserId: actor.id,
      before: { leadOrgId: group.leadOrgId, status: group.status },
      after: { leadOrgId, status },
    });
  });
}

/**
 * The workspace of need `needId` leaves its group (the need is open again) or closes an open need. The lead leaves
 * only as the last member (then the group is dissolved); otherwise it hands over the lead first.
 */
export async function withdrawNeed(d: DemandDeps, actor: Actor, needId: number): Promise<{ groupId: number | null }> {
  const p = await loadPrincipal(d.db, actor);
  return d.db.transaction(async (tx) => {
    const need = await repo.needById(tx, needId, true);
    if (!need) throw new NotFoundError(text('market.demand.err.noSuchNeed', { id: needId }));
    authorize(p, A.manage, { orgId: need.orgId });
    const now = d.now();
    if (need.status === 'closed') return { groupId: null };
    if (need.groupId === null) {
      await repo.setNeedStatus(tx, need.id, 'closed', null, now);
    } else {
      const group = (await repo.groupById(tx, need.groupId, true))!;
      const members = await repo.needsOfGroup(tx, group.id);
      if (group.leadOrgId === need.orgId && members.length > 2) {
        throw new ConflictError(text('market.demand.err.leadLeaves'));
      }
      await repo.setNeedStatus(tx, need.id, 'open', null, now);
      if (members.length <= 1) await repo.deleteGroup(tx, group.id);
      // A group of one is no group: the last other member's need is open again.
      if (members.length === 2) {
        const rest = members.find((m) => m.id !== need.id)!;
        await repo.setNeedStatus(tx, rest.id, 'open', null, now);
        await repo.deleteGroup(tx, group.id);
      }
    }
    await recordAudit(tx, {
      action: need.groupId ? 'group.leave' : 'need.close',
      entity: 'procurement_need',
      entityId: need.id,
      orgId: need.orgId,
      actorUserId: actor.id,
      before: { status: need.status, groupId: need.groupId },
    });
    return { groupId: need.groupId };
  });
}

/** The sector's name in the maturity model (German). */
export function sectorName(id: string, lang: 'de' | 'en' = 'de'): string {
  const s = loadModel().sectors.find((x) => x.id === id);
  if (!s) return id;
  const name = s.name as unknown;
  return typeof name === 'string' ? name : ((name as Record<string, string>)[lang] ?? id);
}

export const DEMAND_ACTION = A;
