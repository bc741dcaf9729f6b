/** SQL of the peer mentors: offers of municipal workspaces and the mentorings requested from them. */
import type { Db } from '../../platform/db/db.js';
import { displayName } from '../../register/index.js';
import type { MentoringFacts, MentoringStatus, OfferStatus, SubjectKind } from './model.js';

/** A municipal workspace with the register's facts of its region (size class, type, seat are derived). */
export interface WorkspaceFacts {
  id: number;
  name: string;
  regionKey: string;
  level: string;
  population: number | null;
  designationCode: string | null;
}

const WORKSPACE = `o.id::int AS id, coalesce(r.name, o.name) AS name, o.region_key AS "regionKey", r.level,
  r.population, r.designation_code AS "designationCode"`;

export async function municipalWorkspaces(db: Db, orgIds: readonly number[]): Promise<WorkspaceFacts[]> {
  if (orgIds.length === 0) return [];
  const rows = await db.query<WorkspaceFacts>(
    `SELECT ${WORKSPACE} FROM organisations o JOIN regions r ON r.key = o.region_key
     WHERE o.id = ANY($1::bigint[]) AND o.kind = 'region' ORDER BY 2, 1`,
    [orgIds],
  );
  return rows.map((w) => ({ ...w, name: displayName(w.name) }));
}

/** The accounts of a workspace (contact person choices, notifications). */
export async function membersOf(db: Db, orgId: number): Promise<{ id: number; email: string; name: string | null }[]> {
  return db.query(
    `SELECT u.id::int AS id, u.email, u.display_name AS name FROM memberships m JOIN users u ON u.id = m.user_id
     WHERE m.org_id = $1 ORDER BY u.email`,
    [orgId],
  );
}

// ---------------------------------------------------------------------------------------------
// Offers

export interface OfferRow {
  id: number;
  orgId: number;
  orgName: string;
  regionKey: string;
  subjectKind: SubjectKind;
  subjectRef: string;
  contactUserId: number | null;
  hoursPerMonth: number | null;
  note: string;
  status: OfferStatus;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const OFFER = `f.id::int AS id, f.org_id::int AS "orgId", coalesce(r.name, o.name) AS "orgName",
  o.region_key AS "regionKey", f.subject_kind AS "subjectKind", f.subject_ref AS "subjectRef",
  f.contact_user_id::int AS "contactUserId", f.hours_per_month::int AS "hoursPerMonth", f.note, f.status, f.version,
  f.created_at AS "createdAt", f.updated_at AS "updatedAt"`;
/** Names as lists show them (without the designation suffix: "Weimar", not "Weimar, Stadt"). */
const namedOffer = <T extends { orgName: string }>(o: T): T => ({ ...o, orgName: displayName(o.orgName) });
const namedMentoring = <T extends { mentorName: string; menteeName: string }>(m: T): T => ({
  ...m,
  mentorName: displayName(m.mentorName),
  menteeName: displayName(m.menteeName),
});

const OFFER_FROM = `desk_mentor_offers f JOIN organisations o ON o.id = f.org_id LEFT JOIN regions r ON r.key = o.region_key`;

export async function offerById(db: Db, id: number, forUpdate = false): Promise<OfferRow | null> {
  const rows = await db.query<OfferRow>(
    `SELECT ${OFFER} FROM ${OFFER_FROM} WHERE f.id = $1${forUpdate ? ' FOR UPDATE OF f' : ''}`,
    [id],
  );
  return rows[0] ? namedOffer(rows[0]) : null;
}

export async function offersOfOrgs(db: Db, orgIds: readonly number[]): Promise<OfferRow[]> {
  if (orgIds.length === 0) return [];
  const rows = await db.query<OfferRow>(
    `SELECT ${OFFER} FROM ${OFFER_FROM} WHERE f.org_id = ANY($1::bigint[]) ORDER BY f.created_at DESC, f.id DESC`,
    [orgIds],
  );
  return rows.map(namedOffer);
}

/** Active offers about any of the subjects, with the facts of their workspaces' regions. */
export async function activeOffersFor(
  db: Db,
  measures: readonly string[],
  practices: readonly string[],
): Promise<(OfferRow & Omit<WorkspaceFacts, 'id' | 'name' | 'regionKey'>)[]> {
  if (measures.length === 0 && practices.length === 0) return [];
  const rows = await db.query<OfferRow & Omit<WorkspaceFacts, 'id' | 'name' | 'regionKey'>>(
    `SELECT ${OFFER}, r.level, r.population, r.designation_code AS "designationCode" FROM ${OFFER_FROM}
     WHERE f.status = 'active' AND f.contact_user_id IS NOT NULL
       AND ((f.subject_kind = 'measure' AND f.subject_ref = ANY($1::text[]))
         OR (f.subject_kind = 'practice' AND f.subject_ref = ANY($2::text[])))
     ORDER BY f.id`,
    [measures, practices],
  );
  return rows.map(namedOffer);
}

export async function insertOffer(
  db: Db,
  o: {
    orgId: number;
    kind: SubjectKind;
    ref: string;
    contactUserId: number;
    hoursPerMonth: number | null;
    note: string;
    status: OfferStatus;
    by: number;
  },
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO desk_mentor_offers (org_id, subject_kind, subject_ref, contact_user_id, hours_per_month, note, status,
       created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (org_id, subject_kind, subject_ref) DO NOTHING RETURNING id::int AS id`,
    [o.orgId, o.kind, o.ref, o.contactUserId, o.hoursPerMonth, o.note, o.status, o.by],
  );
  return rows[0]?.id ?? null;
}

/** Saves the offer if it still has `version`; false when someone changed it in between. */
export async function updateOffer(
  db: Db,
  id: number,
  version: number,
  o: { contactUserId: number; hoursPerMonth: number | null; note: string; status: OfferStatus },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_mentor_offers SET contact_user_id = $3, hours_per_month = $4, note = $5, status = $6,
       version = version + 1, updated_at = now() WHERE id = $1 AND version = $2 RETURNING 1`,
    [id, version, o.contactUserId, o.hoursPerMonth, o.note, o.status],
  );
  return rows.length === 1;
}

export async function deleteOffer(db: Db, id: number): Promise<void> {
  await db.query('DELETE FROM desk_mentor_offers WHERE id = $1', [id]);
}

// ---------------------------------------------------------------------------------------------
// Mentorings

export interface MentoringRow {
  id: number;
  offerId: number | null;
  mentorOrgId: number;
  mentorName: string;
  menteeOrgId: number;
  menteeName: string;
  subjectKind: SubjectKind;
  subjectRef: string;
  menteeStateKey: string;
  requestedBy: number | null;
  decidedBy: number | null;
  message: string;
  status: MentoringStatus;
  reply: string;
  decidedAt: Date | null;
  acceptedAt: Date | null;
  closedAt: Date | null;
  version: number;
  createdAt: Date;
}

const MENTORING = `m.id::int AS id, m.offer_id::int AS "offerId", m.mentor_org_id::int AS "mentorOrgId",
  coalesce(rm.name, om.name) AS "mentorName", m.mentee_org_id::int AS "menteeOrgId",
  coalesce(re.name, oe.name) AS "menteeName", m.subject_kind AS "subjectKind", m.subject_ref AS "subjectRef",
  m.mentee_state_key AS "menteeStateKey", m.requested_by::int AS "requestedBy", m.decided_by::int AS "decidedBy", m.message, m.status, m.reply,
  m.decided_at AS "decidedAt", m.accepted_at AS "acceptedAt", m.closed_at AS "closedAt", m.version,
  m.created_at AS "createdAt"`;
const MENTORING_FROM = `desk_mentorings m
  JOIN organisations om ON om.id = m.mentor_org_id LEFT JOIN regions rm ON rm.key = om.region_key
  JOIN organisations oe ON oe.id = m.mentee_org_id LEFT JOIN regions re ON re.key = oe.region_key`;

export async function mentoringById(db: Db, id: number, forUpdate = false): Promise<MentoringRow | null> {
  const rows = await db.query<MentoringRow>(
    `SELECT ${MENTORING} FROM ${MENTORING_FROM} WHERE m.id = $1${forUpdate ? ' FOR UPDATE OF m' : ''}`,
    [id],
  );
  return rows[0] ? namedMentoring(rows[0]) : null;
}

/** Mentorings in which any of the workspaces is mentor or mentee, newest first. */
export async function mentoringsOfOrgs(db: Db, orgIds: readonly number[]): Promise<MentoringRow[]> {
  if (orgIds.length === 0) return [];
  const rows = await db.query<MentoringRow>(
    `SELECT ${MENTORING} FROM ${MENTORING_FROM}
     WHERE m.mentor_org_id = ANY($1::bigint[]) OR m.mentee_org_id = ANY($1::bigint[])
     ORDER BY m.created_at DESC, m.id DESC`,
    [orgIds],
  );
  return rows.map(namedMentoring);
}

export async function insertMentoring(
  db: Db,
  m: {
    offerId: number;
    mentorOrgId: number;
    menteeOrgId: number;
    kind: SubjectKind;
    ref: string;
    menteeStateKey: string;
    by: number;
    message: string;
  },
): Promise<number | null> {
  const rows = await db.query<{ id: number }>(
    `INSERT INTO desk_mentorings (offer_id, mentor_org_id, mentee_org_id, subject_kind, subject_ref, mentee_state_key,
       requested_by, message) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (offer_id, mentee_org_id) WHERE status IN ('requested', 'accepted') DO NOTHING
     RETURNING id::int AS id`,
    [m.offerId, m.mentorOrgId, m.menteeOrgId, m.kind, m.ref, m.menteeStateKey, m.by, m.message],
  );
  return rows[0]?.id ?? null;
}

/** Moves the mentoring if it still has `version`; false when someone changed it in between. */
export async function setMentoringStatus(
  db: Db,
  id: number,
  version: number,
  to: MentoringStatus,
  by: number,
  reply: string | null,
  at: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_mentorings SET status = $3,
       reply = coalesce($5, reply),
       decided_by = CASE WHEN $3 IN ('accepted', 'declined') THEN $4 ELSE decided_by END,
       decided_at = CASE WHEN $3 IN ('accepted', 'declined') THEN $6 ELSE decided_at END,
       accepted_at = CASE WHEN $3 = 'accepted' THEN $6 ELSE accepted_at END,
       closed_at = CASE WHEN $3 IN ('completed', 'cancelled', 'declined') THEN $6 ELSE closed_at END,
       version = version + 1, updated_at = $6
     WHERE id = $1 AND version = $2 RETURNING 1`,
    [id, version, to, by, reply, at],
  );
  return rows.length === 1;
}

// ---------------------------------------------------------------------------------------------
// Lagebild, personal data

/** Accepted mentorings (accepted or completed) per Land of the mentee. */
export async function acceptedByState(db: Db): Promise<MentoringFacts[]> {
  return db.query<MentoringFacts>(
    `SELECT mentee_state_key AS "stateKey", count(*)::int AS accepted FROM desk_mentorings
     WHERE status IN ('accepted', 'completed') GROUP BY mentee_state_key ORDER BY 1`,
  );
}

export async function personalData(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  const [offers, mentorings] = await Promise.all([
    db.query(
      `SELECT id::int AS id, org_id::int AS "orgId", subject_kind AS "subjectKind", subject_ref AS "subjectRef",
         contact_user_id = $1 AS "isContact", created_by = $1 AS "createdByYou", hours_per_month AS "hoursPerMonth",
         note, status, created_at AS "createdAt"
       FROM desk_mentor_offers WHERE contact_user_id = $1 OR created_by = $1 ORDER BY id`,
      [userId],
    ),
    db.query(
      `SELECT id::int AS id, mentor_org_id::int AS "mentorOrgId", mentee_org_id::int AS "menteeOrgId",
         subject_kind AS "subjectKind", subject_ref AS "subjectRef", status,
         CASE WHEN requested_by = $1 THEN message END AS message, requested_by = $1 AS "requestedByYou",
         CASE WHEN decided_by = $1 THEN reply END AS reply, decided_by = $1 AS "decidedByYou",
         created_at AS "createdAt"
       FROM desk_mentorings WHERE requested_by = $1 OR decided_by = $1 ORDER BY id`,
      [userId],
    ),
  ]);
  return { desk_mentor_offers: offers, desk_mentorings: mentorings };
}

/** The person's offers lose their contact and pause; requests and decisions lose their author. */
export async function forgetPerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const n = async (sql: string) => (await tx.query(`${sql} RETURNING 1`, [userId])).length;
  const contacts = await n(
    "UPDATE desk_mentor_offers SET contact_user_id = NULL, status = 'paused', version = version + 1 WHERE contact_user_id = $1",
  );
  await n('UPDATE desk_mentor_offers SET created_by = NULL WHERE created_by = $1');
  const requested = await n('UPDATE desk_mentorings SET requested_by = NULL WHERE requested_by = $1');
  await n('UPDATE desk_mentorings SET decided_by = NULL WHERE decided_by = $1');
  return { mentorOfferContacts: contacts, mentoringRequests: requested };
}

/** Requests of a withdrawn offer that nobody answered yet are cancelled. */
export async function cancelOpenRequests(db: Db, offerId: number, at: Date): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `UPDATE desk_mentorings SET status = 'cancelled', closed_at = $2, version = version + 1, updated_at = $2
     WHERE offer_id = $1 AND status = 'requested' RETURNING id::int AS id`,
    [offerId, at],
  );
  return rows.map((r) => r.id);
}

/** Name and address of accounts (contact details after acceptance). */
export async function accounts(
  db: Db,
  ids: readonly number[],
): Promise<{ id: number; email: string; name: string | null }[]> {
  if (ids.length === 0) return [];
  return db.query(
    'SELECT id::int AS id, email, display_name AS name FROM users WHERE id = ANY($1::bigint[]) ORDER BY id',
    [ids],
  );
}
