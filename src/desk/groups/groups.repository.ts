/** SQL of the cooperation groups: groups, member workspaces, threads and posts, documents, decisions. */
import type { Db } from '../../platform/db/db.js';
import type { MemberState } from './model.js';

// ---------------------------------------------------------------------------------------------
// Groups

export interface GroupRow {
  id: number;
  title: string;
  description: string;
  regionKey: string | null;
  regionName: string | null;
  leadOrgId: number;
  listed: boolean;
  createdAt: Date;
  version: number;
}

const GROUP = `SELECT g.id::int AS id, g.title, g.description, g.region_key AS "regionKey", r.name AS "regionName",
  g.lead_org_id::int AS "leadOrgId", g.listed, g.created_at AS "createdAt", g.version
  FROM desk_groups g LEFT JOIN regions r ON r.key = g.region_key`;

export async function insertGroup(
  tx: Db,
  g: { title: string; description: string; regionKey: string | null; listed: boolean; leadOrgId: number; by: number },
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO desk_groups (title, description, region_key, listed, lead_org_id, created_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
    [g.title, g.description, g.regionKey, g.listed, g.leadOrgId, g.by],
  );
  await tx.query(
    "INSERT INTO desk_group_members (group_id, org_id, state, requested_by) VALUES ($1, $2, 'member', $3)",
    [row!.id, g.leadOrgId, g.by],
  );
  return row!.id;
}

export async function groupById(db: Db, id: number, forUpdate = false): Promise<GroupRow | null> {
  if (forUpdate) await db.query('SELECT 1 FROM desk_groups WHERE id = $1 FOR UPDATE', [id]);
  const [row] = await db.query<GroupRow>(`${GROUP} WHERE g.id = $1`, [id]);
  return row ?? null;
}

/** Title, description, region and listing under the version the form was made from; false when stale. */
export async function updateGroup(
  tx: Db,
  id: number,
  version: number,
  g: { title: string; description: string; regionKey: string | null; listed: boolean },
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE desk_groups SET title = $3, description = $4, region_key = $5, listed = $6, updated_at = now(),
       version = version + 1 WHERE id = $1 AND version = $2 RETURNING 1`,
    [id, version, g.title, g.description, g.regionKey, g.listed],
  );
  return rows.length === 1;
}

export async function setLead(tx: Db, id: number, orgId: number): Promise<void> {
  await tx.query('UPDATE desk_groups SET lead_org_id = $2, updated_at = now(), version = version + 1 WHERE id = $1', [
    id,
    orgId,
  ]);
}

export async function deleteGroup(tx: Db, id: number): Promise<void> {
  await tx.query('DELETE FROM desk_groups WHERE id = $1', [id]);
}

export interface GroupListRow extends GroupRow {
  memberCount: number;
  /** The workspaces' names, lead first. */
  memberNames: string[];
}

const MEMBER_NAMES = `ARRAY(SELECT coalesce(r2.name, o.name) FROM desk_group_members m
    JOIN organisations o ON o.id = m.org_id LEFT JOIN regions r2 ON r2.key = o.region_key
    WHERE m.group_id = g.id AND m.state = 'member' ORDER BY (m.org_id = g.lead_org_id) DESC, 1) AS "memberNames",
  (SELECT count(*)::int FROM desk_group_members m WHERE m.group_id = g.id AND m.state = 'member') AS "memberCount"`;

/** Listed groups (the public list), newest first. */
export async function listedGroups(db: Db): Promise<GroupListRow[]> {
  return db.query<GroupListRow>(
    `SELECT g.id::int AS id, g.title, g.description, g.region_key AS "regionKey", r.name AS "regionName",
       g.lead_org_id::int AS "leadOrgId", g.listed, g.created_at AS "createdAt", g.version, ${MEMBER_NAMES}
     FROM desk_groups g LEFT JOIN regions r ON r.key = g.region_key WHERE g.listed ORDER BY g.created_at DESC, g.id DESC
     LIMIT 500`,
  );
}

export interface OwnGroupRow extends GroupListRow {
  /** The best standing of the given workspaces: 'member' over 'invited' over 'requested'. */
  state: MemberState;
}

/** Groups the workspaces belong to, are invited to or asked to join. */
export async function groupsOfOrgs(db: Db, orgIds: readonly number[]): Promise<OwnGroupRow[]> {
  if (orgIds.length === 0) return [];
  return db.query<OwnGroupRow>(
    `SELECT g.id::int AS id, g.title, g.description, g.region_key AS "regionKey", r.name AS "regionName",
       g.lead_org_id::int AS "leadOrgId", g.listed, g.created_at AS "createdAt", g.version, ${MEMBER_NAMES},
       (SELECT m.state FROM desk_group_members m WHERE m.group_id = g.id AND m.org_id = ANY($1::bigint[])
        ORDER BY CASE m.state WHEN 'member' THEN 0 WHEN 'invited' THEN 1 ELSE 2 END LIMIT 1) AS state
     FROM desk_groups g LEFT JOIN regions r ON r.key = g.region_key
     WHERE EXISTS (SELECT 1 FROM desk_group_members m WHERE m.group_id = g.id AND m.org_id = ANY($1::bigint[]))
     ORDER BY g.title, g.id`,
    [orgIds],
  );
}

// ---------------------------------------------------------------------------------------------
// Member workspaces

export interface MemberRow {
  orgId: number;
  name: string;
  regionKey: string | null;
  state: MemberState;
  since: Date;
}

export async function membersOf(db: Db, groupId: number): Promise<MemberRow[]> {
  return db.query<MemberRow>(
    `SELECT m.org_id::int AS "orgId", coalesce(r.name, o.name) AS name, o.region_key AS "regionKey", m.state,
       m.since FROM desk_group_members m JOIN organisations o ON o.id = m.org_id
       LEFT JOIN regions r ON r.key = o.region_key WHERE m.group_id = $1 ORDER BY 2, 1`,
    [groupId],
  );
}

export async function putMember(tx: Db, groupId: number, orgId: number, state: MemberState, by: number) {
  await tx.query(
    `INSERT INTO desk_group_members (group_id, org_id, state, requested_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (group_id, org_id) DO UPDATE SET state = EXCLUDED.state, requested_by = EXCLUDED.requested_by,
       since = now()`,
    [groupId, orgId, state, by],
  );
}

export async function setMemberState(tx: Db, groupId: number, orgId: number, state: MemberState): Promise<void> {
  await tx.query('UPDATE desk_group_members SET state = $3, since = now() WHERE group_id = $1 AND org_id = $2', [
    groupId,
    orgId,
    state,
  ]);
}

export async function removeMember(tx: Db, groupId: number, orgId: number): Promise<boolean> {
  const rows = await tx.query('DELETE FROM desk_group_members WHERE group_id = $1 AND org_id = $2 RETURNING 1', [
    groupId,
    orgId,
  ]);
  return rows.length === 1;
}

/** Municipal workspaces by register key (the region's key, or a Land/Kreis prefix) or by name, at most 20. */
export async function findWorkspaces(
  db: Db,
  q: { key: string } | { name: string },
): Promise<{ orgId: number; name: string; regionKey: string }[]> {
  if ('key' in q) {
    return db.query(
      `SELECT o.id::int AS "orgId", coalesce(r.name, o.name) AS name, o.region_key AS "regionKey"
       FROM organisations o LEFT JOIN regions r ON r.key = o.region_key
       WHERE o.kind = 'region' AND (o.region_key = $1 OR r.ars = $1) ORDER BY 2 LIMIT 20`,
      [q.key],
    );
  }
  const like = `%${q.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return db.query(
    `SELECT o.id::int AS "orgId", coalesce(r.name, o.name) AS name, o.region_key AS "regionKey"
     FROM organisations o LEFT JOIN regions r ON r.key = o.region_key
     WHERE o.kind = 'region' AND (coalesce(r.name, o.name) ILIKE $1 OR o.name ILIKE $1) ORDER BY 2 LIMIT 20`,
    [like],
  );
}

/** The accounts of the workspaces' members (notifications), without the actor. */
export async function userIdsOfOrgs(db: Db, orgIds: readonly number[], except: number | null): Promise<number[]> {
  if (orgIds.length === 0) return [];
  const rows = await db.query<{ id: number }>(
    'SELECT DISTINCT user_id::int AS id FROM memberships WHERE org_id = ANY($1::bigint[]) AND user_id <> $2 ORDER BY 1',
    [orgIds, except ?? 0],
  );
  return rows.map((r) => r.id);
}

export async function workspaceNames(db: Db, orgIds: readonly number[]): Promise<{ id: number; name: string }[]> {
  if (orgIds.length === 0) return [];
  return db.query(
    `SELECT o.id::int AS id, coalesce(r.name, o.name) AS name FROM organisations o
     LEFT JOIN regions r ON r.key = o.region_key WHERE o.id = ANY($1::bigint[]) AND o.kind = 'region' ORDER BY 2, 1`,
    [orgIds],
  );
}

// ---------------------------------------------------------------------------------------------
// Threads and posts

export interface ThreadRow {
  id: number;
  groupId: number;
  title: string;
  authorEmail: string | null;
  createdAt: Date;
  lastPostAt: Date;
  postCount: number;
}

const THREAD = `SELECT t.id::int AS id, t.group_id::int AS "groupId", t.title, u.email AS "authorEmail",
  t.created_at AS "createdAt", t.last_post_at AS "lastPostAt",
  (SELECT count(*)::int FROM desk_group_posts p WHERE p.thread_id = t.id) AS "postCount"
  FROM desk_group_threads t LEFT JOIN users u ON u.id = t.author_user_id`;

export async function insertThread(tx: Db, groupId: number, title: string, by: number): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    'INSERT INTO desk_group_threads (group_id, title, author_user_id) VALUES ($1, $2, $3) RETURNING id::int AS id',
    [groupId, title, by],
  );
  return row!.id;
}

export async function threadsOf(db: Db, groupId: number): Promise<ThreadRow[]> {
  return db.query<ThreadRow>(`${THREAD} WHERE t.group_id = $1 ORDER BY t.last_post_at DESC, t.id DESC LIMIT 200`, [
    groupId,
  ]);
}

export async function threadById(db: Db, groupId: number, id: number): Promise<ThreadRow | null> {
  const [row] = await db.query<ThreadRow>(`${THREAD} WHERE t.group_id = $1 AND t.id = $2`, [groupId, id]);
  return row ?? null;
}

export interface PostRow {
  id: number;
  authorUserId: number | null;
  authorEmail: string | null;
  orgName: string | null;
  body: string;
  createdAt: Date;
  editedAt: Date | null;
  version: number;
}

export async function insertPost(tx: Db, threadId: number, orgId: number | null, body: string, by: number) {
  await tx.query('INSERT INTO desk_group_posts (thread_id, author_user_id, org_id, body) VALUES ($1, $2, $3, $4)', [
    threadId,
    by,
    orgId,
    body,
  ]);
  await tx.query('UPDATE desk_group_threads SET last_post_at = now() WHERE id = $1', [threadId]);
}

export async function postsOf(db: Db, threadId: number): Promise<PostRow[]> {
  return db.query<PostRow>(`${POST} WHERE p.thread_id = $1 ORDER BY p.id LIMIT 1000`, [threadId]);
}

const POST = `SELECT p.id::int AS id, p.author_user_id::int AS "authorUserId", u.email AS "authorEmail",
    coalesce(r.name, o.name) AS "orgName", p.body, p.created_at AS "createdAt", p.edited_at AS "editedAt", p.version
  FROM desk_group_posts p LEFT JOIN users u ON u.id = p.author_user_id
  LEFT JOIN organisations o ON o.id = p.org_id LEFT JOIN regions r ON r.key = o.region_key`;

export async function postById(db: Db, threadId: number, postId: number): Promise<PostRow | null> {
  const [row] = await db.query<PostRow>(`${POST} WHERE p.thread_id = $1 AND p.id = $2`, [threadId, postId]);
  return row ?? null;
}

/** A post's new text under the version the form was made from; false when it is stale. */
export async function updatePost(tx: Db, postId: number, version: number, body: string, now: Date): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE desk_group_posts SET body = $3, edited_at = $4, version = version + 1
     WHERE id = $1 AND version = $2 RETURNING id`,
    [postId, version, body, now],
  );
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Documents

export interface DocumentRow {
  id: number;
  filename: string;
  mediaType: string;
  size: number;
  uploadedBy: number | null;
  uploaderEmail: string | null;
  createdAt: Date;
}

export async function insertDocument(
  tx: Db,
  d: { groupId: number; filename: string; mediaType: string; bytes: Buffer; sha256: string; by: number },
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO desk_group_documents (group_id, filename, media_type, size, sha256, bytes, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::int AS id`,
    [d.groupId, d.filename, d.mediaType, d.bytes.length, d.sha256, d.bytes, d.by],
  );
  return row!.id;
}

export async function documentsOf(db: Db, groupId: number): Promise<DocumentRow[]> {
  return db.query<DocumentRow>(
    `SELECT d.id::int AS id, d.filename, d.media_type AS "mediaType", d.size, d.uploaded_by::int AS "uploadedBy",
       u.email AS "uploaderEmail",
       d.created_at AS "createdAt" FROM desk_group_documents d LEFT JOIN users u ON u.id = d.uploaded_by
       WHERE d.group_id = $1 ORDER BY d.created_at DESC, d.id DESC`,
    [groupId],
  );
}

export async function groupBytes(db: Db, groupId: number): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    'SELECT coalesce(sum(size), 0)::bigint::float8 AS n FROM desk_group_documents WHERE group_id = $1',
    [groupId],
  );
  return Number(row?.n ?? 0);
}

export async function documentBytes(
  db: Db,
  groupId: number,
  id: number,
): Promise<{ filename: string; mediaType: string; bytes: Uint8Array } | null> {
  const [row] = await db.query<{ filename: string; mediaType: string; bytes: Uint8Array }>(
    `SELECT filename, media_type AS "mediaType", bytes FROM desk_group_documents WHERE group_id = $1 AND id = $2`,
    [groupId, id],
  );
  return row ?? null;
}

/** Who uploaded a document of the group (null: gone, or no such document). */
export async function documentOwner(
  db: Db,
  groupId: number,
  id: number,
): Promise<{ filename: string; uploadedBy: number | null } | null> {
  const [row] = await db.query<{ filename: string; uploadedBy: number | null }>(
    `SELECT filename, uploaded_by::int AS "uploadedBy" FROM desk_group_documents
     WHERE group_id = $1 AND id = $2 FOR UPDATE`,
    [groupId, id],
  );
  return row ?? null;
}

export async function deleteDocument(tx: Db, groupId: number, id: number): Promise<boolean> {
  return (
    (await tx.query('DELETE FROM desk_group_documents WHERE group_id = $1 AND id = $2 RETURNING id', [groupId, id]))
      .length > 0
  );
}

// ---------------------------------------------------------------------------------------------
// Decisions

export interface DecisionRow {
  id: number;
  groupId: number;
  title: string;
  body: string;
  /** YYYY-MM-DD */
  decidedOn: string;
  version: number;
  updatedAt: Date;
}

const DECISION = `SELECT id::int AS id, group_id::int AS "groupId", title, body, to_char(decided_on, 'YYYY-MM-DD') AS
  "decidedOn", version, updated_at AS "updatedAt" FROM desk_group_decisions`;

export async function insertDecision(
  tx: Db,
  groupId: number,
  d: { title: string; body: string; decidedOn: string },
  by: number,
): Promise<number> {
  const [row] = await tx.query<{ id: number }>(
    `INSERT INTO desk_group_decisions (group_id, title, body, decided_on, created_by, updated_by)
     VALUES ($1, $2, $3, $4::date, $5, $5) RETURNING id::int AS id`,
    [groupId, d.title, d.body, d.decidedOn, by],
  );
  return row!.id;
}

export async function decisionsOf(db: Db, groupId: number): Promise<DecisionRow[]> {
  return db.query<DecisionRow>(`${DECISION} WHERE group_id = $1 ORDER BY decided_on DESC, id DESC`, [groupId]);
}

export async function decisionById(db: Db, groupId: number, id: number): Promise<DecisionRow | null> {
  const [row] = await db.query<DecisionRow>(`${DECISION} WHERE group_id = $1 AND id = $2`, [groupId, id]);
  return row ?? null;
}

/** The decision under the version the form was made from; false when stale. */
export async function updateDecision(
  tx: Db,
  groupId: number,
  id: number,
  version: number,
  d: { title: string; body: string; decidedOn: string },
  by: number,
): Promise<boolean> {
  const rows = await tx.query(
    `UPDATE desk_group_decisions SET title = $4, body = $5, decided_on = $6::date, updated_by = $7,
       updated_at = now(), version = version + 1 WHERE group_id = $1 AND id = $2 AND version = $3 RETURNING 1`,
    [groupId, id, version, d.title, d.body, d.decidedOn, by],
  );
  return rows.length === 1;
}

// ---------------------------------------------------------------------------------------------
// Personal data

export async function personalData(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => db.query(sql, [userId]);
  const [groups, members, threads, posts, documents, decisions] = await Promise.all([
    q('SELECT id::int AS id, title, created_at AS "createdAt" FROM desk_groups WHERE created_by = $1'),
    q(
      'SELECT group_id::int AS "groupId", org_id::int AS "orgId", state, since FROM desk_group_members WHERE requested_by = $1',
    ),
    q(
      'SELECT id::int AS id, group_id::int AS "groupId", title, created_at AS "createdAt" FROM desk_group_threads WHERE author_user_id = $1',
    ),
    q(
      'SELECT id::int AS id, thread_id::int AS "threadId", body, created_at AS "createdAt" FROM desk_group_posts WHERE author_user_id = $1',
    ),
    q(
      `SELECT id::int AS id, group_id::int AS "groupId", filename, media_type AS "mediaType", size,
         created_at AS "createdAt" FROM desk_group_documents WHERE uploaded_by = $1`,
    ),
    q(
      `SELECT id::int AS id, group_id::int AS "groupId", title, to_char(decided_on, 'YYYY-MM-DD') AS "decidedOn",
         created_by = $1 AS created, updated_by = $1 AS updated FROM desk_group_decisions
       WHERE created_by = $1 OR updated_by = $1`,
    ),
  ]);
  return {
    desk_groups: groups,
    desk_group_members: members,
    desk_group_threads: threads,
    desk_group_posts: posts,
    desk_group_documents: documents,
    desk_group_decisions: decisions,
  };
}

/**
 * The person goes, the groups' work stays: their posts, threads, documents and decisions lose the author (posts
 * keep the workspace they were written for).
 */
export async function forgetPerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const n = async (sql: string) => (await tx.query(`${sql} RETURNING 1`, [userId])).length;
  await n('UPDATE desk_groups SET created_by = NULL WHERE created_by = $1');
  await n('UPDATE desk_group_members SET requested_by = NULL WHERE requested_by = $1');
  await n('UPDATE desk_group_threads SET author_user_id = NULL WHERE author_user_id = $1');
  const posts = await n('UPDATE desk_group_posts SET author_user_id = NULL WHERE author_user_id = $1');
  const documents = await n('UPDATE desk_group_documents SET uploaded_by = NULL WHERE uploaded_by = $1');
  await n('UPDATE desk_group_decisions SET created_by = NULL WHERE created_by = $1');
  await n('UPDATE desk_group_decisions SET updated_by = NULL WHERE updated_by = $1');
  return { groupPosts: posts, groupDocuments: documents };
}
