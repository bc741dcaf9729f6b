import type { Db } from '../platform/db/db.js';
import { ERASED_ADDRESS } from '../platform/mail/mail.repository.js';
import type { AdvisorScope, Membership } from '../platform/policy.js';

export type OrgKind = 'region' | 'provider' | 'centre';
export type MemberRole = 'member' | 'admin';

export interface OrgRow {
  id: number;
  kind: OrgKind;
  regionKey: string | null;
  name: string;
  createdAt: Date;
}

export interface MemberRow {
  userId: number;
  email: string;
  role: MemberRole;
  createdAt: Date;
}

export interface RequestRow {
  id: number;
  orgId: number;
  orgName: string;
  regionKey: string | null;
  userId: number;
  email: string;
  note: string;
  emailDomain: string;
  status: 'open' | 'approved' | 'rejected' | 'withdrawn';
  createdAt: Date;
}

export interface InvitationRow {
  id: number;
  orgId: number;
  email: string;
  role: MemberRole;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
}

const ORG = `o.id::int AS id, o.kind, o.region_key AS "regionKey", o.name, o.created_at AS "createdAt"`;
const REQ = `r.id::int AS id, r.org_id::int AS "orgId", o.name AS "orgName", o.region_key AS "regionKey",
  r.user_id::int AS "userId", u.email, r.note, r.email_domain AS "emailDomain", r.status, r.created_at AS "createdAt"`;

export async function orgById(db: Db, id: number): Promise<OrgRow | null> {
  const rows = await db.query<OrgRow>(`SELECT ${ORG} FROM organisations o WHERE o.id = $1`, [id]);
  return rows[0] ?? null;
}

export async function orgByRegion(db: Db, regionKey: string): Promise<OrgRow | null> {
  const rows = await db.query<OrgRow>(`SELECT ${ORG} FROM organisations o WHERE o.region_key = $1`, [regionKey]);
  return rows[0] ?? null;
}

export async function centre(db: Db): Promise<OrgRow | null> {
  const rows = await db.query<OrgRow>(`SELECT ${ORG} FROM organisations o WHERE o.kind = 'centre'`);
  return rows[0] ?? null;
}

export async function insertOrg(db: Db, o: { kind: OrgKind; regionKey: string | null; name: string }): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO organisations (kind, region_key, name) VALUES ($1, $2, $3)
     ON CONFLICT (region_key) DO UPDATE SET name = organisations.name RETURNING id::int AS id`,
    [o.kind, o.regionKey, o.name],
  );
  return rows[0]!.id;
}

export async function listOrgs(db: Db): Promise<(OrgRow & { members: number; admins: number })[]> {
  return db.query(
    `SELECT ${ORG}, (SELECT count(*)::int FROM memberships m WHERE m.org_id = o.id) AS members,
       (SELECT count(*)::int FROM memberships m WHERE m.org_id = o.id AND m.role = 'admin') AS admins
     FROM organisations o ORDER BY o.kind, o.name`,
  );
}

export async function members(db: Db, orgId: number): Promise<MemberRow[]> {
  return db.query<MemberRow>(
    `SELECT m.user_id::int AS "userId", u.email, m.role, m.created_at AS "createdAt"
     FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 ORDER BY m.role, u.email`,
    [orgId],
  );
}

export async function membership(db: Db, orgId: number, userId: number): Promise<MemberRole | null> {
  const rows = await db.query<{ role: MemberRole }>('SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2', [
    orgId,
    userId,
  ]);
  return rows[0]?.role ?? null;
}

export async function userOrgs(db: Db, userId: number): Promise<(OrgRow & { role: MemberRole })[]> {
  return db.query(
    `SELECT ${ORG}, m.role FROM memberships m JOIN organisations o ON o.id = m.org_id
     WHERE m.user_id = $1 ORDER BY o.name`,
    [userId],
  );
}

/** A person's scopes as advisor: only members of the competence centre are advisors (no scope row: all Länder). */
export async function advisorScopesOf(db: Db, userId: number): Promise<AdvisorScope[]> {
  return (await principalRowsOf(db, userId)).advisorScopes;
}

/**
 * A person's memberships with the organisation's kind and advisor scopes (the principal of the permission
 * vocabulary) in one round trip: every signed-in request needs both, and each
 * query costs the server more in its socket write to the database than in the query (bench/desk.ts profile).
 */
export async function principalRowsOf(
  db: Db,
  userId: number,
): Promise<{ memberships: Membership[]; advisorScopes: AdvisorScope[] }> {
  const [row] = await db.query<{
    memberships: Membership[];
    centre: boolean;
    scopes: { stateKey: string | null; topic: string | null }[];
  }>(
    `SELECT coalesce((SELECT json_agg(json_build_object('orgId', m.org_id::int, 'kind', o.kind, 'role', m.role))
                        FROM memberships m JOIN organisations o ON o.id = m.org_id WHERE m.user_id = $1), '[]') AS memberships,
            EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.org_id AND o.kind = 'centre'
                     WHERE m.user_id = $1) AS centre,
            coalesce((SELECT json_agg(json_build_object('stateKey', s.state_key, 'topic', s.topic))
                        FROM advisor_scopes s WHERE s.user_id = $1), '[]') AS scopes`,
    [userId],
    { prepare: true }, // every signed-in request
  );
  const scopes = row!.scopes.filter((r) => r.stateKey !== null || r.topic !== null);
  return {
    memberships: row!.memberships,
    advisorScopes: !row!.centre ? [] : scopes.length ? scopes : [{ stateKey: null, topic: null }],
  };
}

export async function countMembers(db: Db, orgId: number): Promise<number> {
  const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM memberships WHERE org_id = $1', [orgId]);
  return rows[0]?.n ?? 0;
}

export async function countAdmins(db: Db, orgId: number): Promise<number> {
  const rows = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM memberships WHERE org_id = $1 AND role = 'admin'",
    [orgId],
  );
  return rows[0]?.n ?? 0;
}

export async function upsertMembership(db: Db, orgId: number, userId: number, role: MemberRole) {
  await db.query(
    `INSERT INTO memberships (org_id, user_id, role) VALUES ($1, $2, $3)
     ON CONFLICT (org_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
    [orgId, userId, role],
  );
}

export async function deleteMembership(db: Db, orgId: number, userId: number) {
  await db.query('DELETE FROM memberships WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
}

/** Lock the organisation's row so concurrent membership changes are serialised (last-admin checks). */
export async function lockOrg(db: Db, orgId: number) {
  await db.query('SELECT id FROM organisations WHERE id = $1 FOR UPDATE', [orgId]);
}

// Advisors

export async function addAdvisorScope(db: Db, userId: number, stateKey: string | null) {
  await db.query(
    `INSERT INTO advisor_scopes (user_id, state_key) VALUES ($1, $2)
     ON CONFLICT (user_id, coalesce(state_key, ''), coalesce(topic, '')) DO NOTHING`,
    [userId, stateKey],
  );
}

// Access requests

export async function insertRequest(
  db: Db,
  r: { orgId: number; userId: number; note: string; emailDomain: string; at: Date },
) {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO access_requests (org_id, user_id, note, email_domain, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (org_id, user_id) WHERE status = 'open' DO UPDATE SET note = EXCLUDED.note
     RETURNING id::int AS id`,
    [r.orgId, r.userId, r.note, r.emailDomain, r.at],
  );
  return rows[0]!.id;
}

export async function requestById(db: Db, id: number): Promise<RequestRow | null> {
  const rows = await db.query<RequestRow>(
    `SELECT ${REQ} FROM access_requests r JOIN organisations o ON o.id = r.org_id JOIN users u ON u.id = r.user_id
     WHERE r.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

export async function openRequests(db: Db, filter: { orgId?: number; userId?: number }): Promise<RequestRow[]> {
  return db.query<RequestRow>(
    `SELECT ${REQ} FROM access_requests r JOIN organisations o ON o.id = r.org_id JOIN users u ON u.id = r.user_id
     WHERE r.status = 'open' AND ($1::bigint IS NULL OR r.org_id = $1) AND ($2::bigint IS NULL OR r.user_id = $2)
     ORDER BY r.created_at`,
    [filter.orgId ?? null, filter.userId ?? null],
  );
}

/** Open requests to region workspaces that have no admin, in the given Länder (null in the list: all). */
export async function advisorQueue(db: Db, states: (string | null)[]): Promise<RequestRow[]> {
  const all = states.includes(null);
  return db.query<RequestRow>(
    `SELECT ${REQ} FROM access_requests r JOIN organisations o ON o.id = r.org_id JOIN users u ON u.id = r.user_id
     WHERE r.status = 'open' AND o.kind = 'region'
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.org_id = o.id AND m.role = 'admin')
       AND ($1 OR left(o.region_key, 2) = ANY($2::text[]))
     ORDER BY r.created_at`,
    [all, states.filter((s): s is string => s !== null)],
  );
}

/** The addresses of a workspace's admins. */
export async function adminEmails(db: Db, orgId: number): Promise<{ userId: number; email: string }[]> {
  return db.query(
    `SELECT u.id::int AS "userId", u.email FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1 AND m.role = 'admin' ORDER BY u.email`,
    [orgId],
  );
}

/**
 * The addresses of the advisors responsible for a Land: members of the competence centre with a scope for the
 * Land, for every Land (a scope without Land), or without scope rows at all (every Land; see advisorScopesOf).
 */
export async function advisorEmails(db: Db, stateKey: string): Promise<{ userId: number; email: string }[]> {
  return db.query(
    `SELECT u.id::int AS "userId", u.email FROM memberships m
     JOIN organisations o ON o.id = m.org_id AND o.kind = 'centre' JOIN users u ON u.id = m.user_id
     WHERE NOT EXISTS (SELECT 1 FROM advisor_scopes s WHERE s.user_id = m.user_id)
        OR EXISTS (SELECT 1 FROM advisor_scopes s WHERE s.user_id = m.user_id
                   AND (s.state_key IS NULL OR s.state_key = $1))
     ORDER BY u.email`,
    [stateKey],
  );
}

/** Open requests made before `before` that have not been brought to their deciders' attention again. */
export async function unremindedRequests(db: Db, before: Date): Promise<RequestRow[]> {
  return db.query<RequestRow>(
    `SELECT ${REQ} FROM access_requests r JOIN organisations o ON o.id = r.org_id JOIN users u ON u.id = r.user_id
     WHERE r.status = 'open' AND r.reminded_at IS NULL AND r.created_at <= $1 ORDER BY r.created_at`,
    [before],
  );
}

/** Mark a request as reminded; false when another instance did it first (the reminder goes out once). */
export async function markReminded(db: Db, id: number, at: Date): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `UPDATE access_requests SET reminded_at = $2 WHERE id = $1 AND status = 'open' AND reminded_at IS NULL
     RETURNING id`,
    [id, at],
  );
  return rows.length > 0;
}

export async function decideRequest(db: Db, id: number, status: 'approved' | 'rejected', by: number) {
  const rows = await db.query<{ id: number }>(
    `UPDATE access_requests SET status = $2, decided_by = $3, decided_at = now()
     WHERE id = $1 AND status = 'open' RETURNING id`,
    [id, status, by],
  );
  return rows.length > 0;
}

// Invitations

export async function insertInvitation(
  db: Db,
  i: { orgId: number; email: string; role: MemberRole; tokenHash: string; invitedBy: number; expiresAt: Date },
) {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO invitations (org_id, email, role, token_hash, invited_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id::int AS id`,
    [i.orgId, i.email, i.role, i.tokenHash, i.invitedBy, i.expiresAt],
  );
  return rows[0]!.id;
}

export async function invitationByToken(db: Db, tokenHash: string, now: Date) {
  const rows = await db.query<InvitationRow & { orgName: string }>(
    `SELECT i.id::int AS id, i.org_id::int AS "orgId", i.email, i.role, i.created_at AS "createdAt",
       i.expires_at AS "expiresAt", i.accepted_at AS "acceptedAt", o.name AS "orgName"
     FROM invitations i JOIN organisations o ON o.id = i.org_id
     WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > $2`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

export async function acceptInvitation(db: Db, id: number, userId: number): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    'UPDATE invitations SET accepted_at = now(), accepted_by = $2 WHERE id = $1 AND accepted_at IS NULL RETURNING id',
    [id, userId],
  );
  return rows.length > 0;
}

export async function pendingInvitations(db: Db, orgId: number): Promise<InvitationRow[]> {
  return db.query<InvitationRow>(
    `SELECT id::int AS id, org_id::int AS "orgId", email, role, created_at AS "createdAt", expires_at AS "expiresAt",
       accepted_at AS "acceptedAt" FROM invitations WHERE org_id = $1 AND accepted_at IS NULL AND expires_at > now()
     ORDER BY created_at DESC`,
    [orgId],
  );
}

// Acting for an organisation

export async function actingOrg(db: Db, sessionHash: string): Promise<OrgRow | null> {
  const rows = await db.query<OrgRow>(
    `SELECT ${ORG} FROM sessions s JOIN organisations o ON o.id = s.acting_org_id
     JOIN memberships m ON m.org_id = o.id AND m.user_id = s.user_id WHERE s.id_hash = $1`,
    [sessionHash],
  );
  return rows[0] ?? null;
}

// Personal data (DSGVO)

/** The module's rows about a person, grouped by table (for the data export). */
export async function personalRows(db: Db, userId: number, addresses: readonly string[]) {
  const json = (sql: string, param: unknown) =>
    db.query<{ row: Record<string, unknown> }>(sql, [param]).then((rows) => rows.map((r) => r.row));
  return {
    memberships: await json('SELECT to_jsonb(t) AS row FROM memberships t WHERE t.user_id = $1', userId),
    advisor_scopes: await json('SELECT to_jsonb(t) AS row FROM advisor_scopes t WHERE t.user_id = $1', userId),
    access_requests: await json(
      'SELECT to_jsonb(t) AS row FROM access_requests t WHERE t.user_id = $1 OR t.decided_by = $1',
      userId,
    ),
    // Invitations to the person, and the fact of invitations they sent or accepted (without the invitees' addresses).
    invitations: [
      ...(await json(
        "SELECT to_jsonb(t) - 'token_hash' AS row FROM invitations t WHERE lower(t.email) = ANY($1::text[])",
        addresses,
      )),
      ...(await json(
        `SELECT jsonb_build_object('id', t.id, 'orgId', t.org_id, 'role', t.role, 'createdAt', t.created_at,
           'invitedByYou', t.invited_by = $1, 'acceptedByYou', t.accepted_by = $1) AS row
         FROM invitations t WHERE (t.invited_by = $1 OR t.accepted_by = $1)`,
        userId,
      )),
    ],
  };
}

/** Erase the address from invitations to it (the organisation keeps the fact that it invited someone). */
export async function scrubInvitations(db: Db, addresses: readonly string[]): Promise<number> {
  const rows = await db.query<{ id: number }>(
    'UPDATE invitations SET email = $2 WHERE lower(email) = ANY($1::text[]) RETURNING id',
    [addresses, ERASED_ADDRESS],
  );
  return rows.length;
}
