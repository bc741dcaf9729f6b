/** SQL of demand bundling: needs of municipal workspaces and the procurement groups they form. */
import type { Db } from '../../platform/db/db.js';

export type NeedStatus = 'open' | 'grouped' | 'closed';
export type GroupStatus = 'forming' | 'tendering' | 'closed';

export interface NeedInput {
  title: string;
  sector: string;
  standards: string[];
  description: string;
  /** First day of the month, YYYY-MM-01. */
  neededFrom: string;
  neededUntil: string;
  volumeEur: number | null;
  volumeNote: string;
}

export interface NeedRow extends NeedInput {
  id: number;
  orgId: number;
  orgName: string;
  regionKey: string;
  regionName: string;
  stateKey: string;
  population: number | null;
  status: NeedStatus;
  groupId: number | null;
  joinedAt: Date | null;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface GroupRow {
  id: number;
  title: string;
  sector: string;
  leadOrgId: number;
  leadName: string;
  status: GroupStatus;
  revision: number;
  createdBy: number | null;
  createdAt: Date;
  updatedAt: Date;
}

const NEED = `n.id::int AS id, n.org_id::int AS "orgId", o.name AS "orgName", n.region_key AS "regionKey",
  r.name AS "regionName", r.state_key AS "stateKey", r.population, n.title, n.sector, n.standards, n.description,
  to_char(n.needed_from, 'YYYY-MM-DD') AS "neededFrom", to_char(n.needed_until, 'YYYY-MM-DD') AS "neededUntil",
  n.volume_eur AS "volumeEur", n.volume_note AS "volumeNote", n.status, n.group_id::int AS "groupId",
  n.joined_at AS "joinedAt", n.created_by::int AS "createdBy", n.created_at AS "createdAt", n.updated_at AS "updatedAt"`;
const NEED_FROM = 'procurement_needs n JOIN organisations o ON o.id = n.org_id JOIN regions r ON r.key = n.region_key';

const GROUP = `g.id::int AS id, g.title, g.sector, g.lead_org_id::int AS "leadOrgId", o.name AS "leadName", g.status,
  g.revision, g.created_by::int AS "createdBy", g.created_at AS "createdAt", g.updated_at AS "updatedAt"`;
const GROUP_FROM = 'procurement_groups g JOIN organisations o ON o.id = g.lead_org_id';

export async function needById(db: Db, id: number, lock = false): Promise<NeedRow | null> {
  const rows = await db.query<NeedRow>(
    `SELECT ${NEED} FROM ${NEED_FROM} WHERE n.id = $1${lock ? ' FOR UPDATE OF n' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function insertNeed(
  db: Db,
  n: NeedInput & { orgId: number; regionKey: string; createdBy: number; now: Date },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO procurement_needs (org_id, region_key, title, sector, standards, description, needed_from,
       needed_until, volume_eur, volume_note, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7::date, $8::date, $9, $10, $11, $12, $12) RETURNING id::int AS id`,
    [
      n.orgId,
      n.regionKey,
      n.title,
      n.sector,
      n.standards,
      n.description,
      n.neededFrom,
      n.neededUntil,
      n.volumeEur,
      n.volumeNote,
      n.createdBy,
      n.now,
    ],
  );
  return rows[0]!.id;
}

export async function setNeedStatus(
  db: Db,
  id: number,
  status: NeedStatus,
  groupId: number | null,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE procurement_needs SET status = $2, group_id = $3, joined_at = CASE WHEN $3::bigint IS NULL THEN NULL ELSE $4::timestamptz END,
       updated_at = $4 WHERE id = $1`,
    [id, status, groupId, now],
  );
}

/** Open needs of other workspaces in the same sector, those sharing most required standards first. */
export async function matchingNeeds(
  db: Db,
  sector: string,
  standards: readonly string[],
  excludeOrgIds: readonly number[],
  limit: number,
): Promise<NeedRow[]> {
  return db.query<NeedRow>(
    `SELECT ${NEED} FROM ${NEED_FROM}
     WHERE n.status = 'open' AND n.sector = $1 AND NOT (n.org_id = ANY($3::bigint[]))
     ORDER BY cardinality(ARRAY(SELECT unnest(n.standards) INTERSECT SELECT unnest($2::text[]))) DESC,
       n.needed_from, n.id
     LIMIT $4`,
    [sector, standards, excludeOrgIds, limit],
  );
}

/** Needs of groups and open needs that other workspaces may join, newest first (the overview). */
export async function openNeeds(db: Db, excludeOrgIds: readonly number[], limit: number): Promise<NeedRow[]> {
  return db.query<NeedRow>(
    `SELECT ${NEED} FROM ${NEED_FROM} WHERE n.status = 'open' AND NOT (n.org_id = ANY($1::bigint[]))
     ORDER BY n.created_at DESC, n.id DESC LIMIT $2`,
    [excludeOrgIds, limit],
  );
}

export async function needsOfOrgs(db: Db, orgIds: readonly number[]): Promise<NeedRow[]> {
  if (orgIds.length === 0) return [];
  return db.query<NeedRow>(
    `SELECT ${NEED} FROM ${NEED_FROM} WHERE n.org_id = ANY($1::bigint[]) ORDER BY n.created_at DESC, n.id DESC`,
    [orgIds],
  );
}

export async function needsOfGroup(db: Db, groupId: number): Promise<NeedRow[]> {
  return db.query<NeedRow>(`SELECT ${NEED} FROM ${NEED_FROM} WHERE n.group_id = $1 ORDER BY n.joined_at, n.id`, [
    groupId,
  ]);
}

export async function insertGroup(
  db: Db,
  g: { title: string; sector: string; leadOrgId: number; createdBy: number; now: Date },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO procurement_groups (title, sector, lead_org_id, created_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $5) RETURNING id::int AS id`,
    [g.title, g.sector, g.leadOrgId, g.createdBy, g.now],
  );
  return rows[0]!.id;
}

export async function groupById(db: Db, id: number, lock = false): Promise<GroupRow | null> {
  const rows = await db.query<GroupRow>(
    `SELECT ${GROUP} FROM ${GROUP_FROM} WHERE g.id = $1${lock ? ' FOR UPDATE OF g' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

export async function groupsOfOrgs(db: Db, orgIds: readonly number[]): Promise<GroupRow[]> {
  if (orgIds.length === 0) return [];
  return db.query<GroupRow>(
    `SELECT ${GROUP} FROM ${GROUP_FROM}
     WHERE g.id IN (SELECT group_id FROM procurement_needs WHERE org_id = ANY($1::bigint[]) AND group_id IS NOT NULL)
     ORDER BY g.updated_at DESC, g.id DESC`,
    [orgIds],
  );
}

/** Change lead or status; false when the revision the form was loaded with is no longer current. */
export async function updateGroup(
  db: Db,
  id: number,
  revision: number,
  change: { leadOrgId: number; status: GroupStatus },
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE procurement_groups SET lead_org_id = $3, status = $4, revision = revision + 1, updated_at = $5
     WHERE id = $1 AND revision = $2 RETURNING id::int AS id`,
    [id, revision, change.leadOrgId, change.status, now],
  );
  return rows.length === 1;
}

export async function deleteGroup(db: Db, id: number): Promise<void> {
  await db.query('DELETE FROM procurement_groups WHERE id = $1', [id]);
}

// ---- personal data

export async function needsCreatedBy(db: Db, userId: number) {
  return db.query(
    `SELECT id::int AS id, title, sector, status, created_at AS "createdAt" FROM procurement_needs
     WHERE created_by = $1 ORDER BY id`,
    [userId],
  );
}

export async function groupsCreatedBy(db: Db, userId: number) {
  return db.query(
    `SELECT id::int AS id, title, status, created_at AS "createdAt" FROM procurement_groups WHERE created_by = $1 ORDER BY id`,
    [userId],
  );
}

/** The person's name stays nowhere in these tables; only the author reference goes. */
export async function forgetAuthor(db: Db, userId: number): Promise<{ needs: number; groups: number }> {
  const needs = await db.query('UPDATE procurement_needs SET created_by = NULL WHERE created_by = $1 RETURNING id', [
    userId,
  ]);
  const groups = await db.query('UPDATE procurement_groups SET created_by = NULL WHERE created_by = $1 RETURNING id', [
    userId,
  ]);
  return { needs: needs.length, groups: groups.length };
}

/** The region of a municipal workspace (null: no such municipal workspace). */
export async function municipalRegionOf(db: Db, orgId: number): Promise<string | null> {
  const rows = await db.query<{ regionKey: string }>(
    `SELECT region_key AS "regionKey" FROM organisations WHERE id = $1 AND kind = 'region'`,
    [orgId],
  );
  return rows[0]?.regionKey ?? null;
}

export async function workspaceNames(db: Db, orgIds: readonly number[]): Promise<{ id: number; name: string }[]> {
  if (orgIds.length === 0) return [];
  return db.query<{ id: number; name: string }>(
    'SELECT id::int AS id, name FROM organisations WHERE id = ANY($1::bigint[]) ORDER BY name',
    [orgIds],
  );
}
