/** SQL of the events and trainings (the only file of events/ with SQL; every statement parameterised). */
import type { Db } from '../../platform/db/db.js';
import type { EventFilter, EventInput, Format, RegStatus } from './model.js';

export interface EventRow {
  id: number;
  title: string;
  description: string;
  format: Format;
  joinUrl: string | null;
  address: string | null;
  sizeClasses: string[];
  stateKeys: string[];
  targetRoles: string[];
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  registrationDeadline: Date;
  status: 'scheduled' | 'cancelled';
  cancelledAt: Date | null;
  version: number;
  updatedAt: Date;
  createdAt: Date;
  registered: number;
  waiting: number;
}

const EVENT_COLUMNS = `e.id::int AS id, e.title, e.description, e.format, e.join_url AS "joinUrl", e.address,
  e.size_classes AS "sizeClasses", e.state_keys AS "stateKeys", e.target_roles AS "targetRoles",
  e.starts_at AS "startsAt", e.ends_at AS "endsAt", e.capacity, e.registration_deadline AS "registrationDeadline",
  e.status, e.cancelled_at AS "cancelledAt", e.version, e.updated_at AS "updatedAt", e.created_at AS "createdAt",
  (SELECT count(*)::int FROM desk_event_registrations r WHERE r.event_id = e.id AND r.status = 'registered') AS registered,
  (SELECT count(*)::int FROM desk_event_registrations r WHERE r.event_id = e.id AND r.status = 'waiting') AS waiting`;

export async function insertEvent(db: Db, input: EventInput, by: number, now: Date): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_events (title, description, format, join_url, address, size_classes, state_keys, target_roles,
       starts_at, ends_at, capacity, registration_deadline, created_by, updated_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $14) RETURNING id::int AS id`,
    [
      input.title,
      input.description,
      input.format,
      input.joinUrl,
      input.address,
      input.sizeClasses,
      input.stateKeys,
      input.targetRoles,
      input.startsAt,
      input.endsAt,
      input.capacity,
      input.registrationDeadline,
      by,
      now,
    ],
  );
  return row!.id;
}

/** Update when the version still matches; false when someone else changed it first. */
export async function updateEvent(
  db: Db,
  id: number,
  version: number,
  input: EventInput,
  by: number,
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_events SET title = $3, description = $4, format = $5, join_url = $6, address = $7, size_classes = $8,
       state_keys = $9, target_roles = $10, starts_at = $11, ends_at = $12, capacity = $13, registration_deadline = $14,
       updated_by = $15, updated_at = $16, version = version + 1
     WHERE id = $1 AND version = $2 RETURNING id`,
    [
      id,
      version,
      input.title,
      input.description,
      input.format,
      input.joinUrl,
      input.address,
      input.sizeClasses,
      input.stateKeys,
      input.targetRoles,
      input.startsAt,
      input.endsAt,
      input.capacity,
      input.registrationDeadline,
      by,
      now,
    ],
  );
  return rows.length > 0;
}

export async function cancelEvent(db: Db, id: number, version: number, by: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_events SET status = 'cancelled', cancelled_at = $3, updated_by = $4, updated_at = $3,
       version = version + 1
     WHERE id = $1 AND version = $2 AND status = 'scheduled' RETURNING id`,
    [id, version, now, by],
  );
  return rows.length > 0;
}

export async function eventById(db: Db, id: number, forUpdate = false): Promise<EventRow | null> {
  if (forUpdate) await db.query('SELECT id FROM desk_events WHERE id = $1 FOR UPDATE', [id]);
  const [row] = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM desk_events e WHERE e.id = $1`, [id]);
  return row ?? null;
}

/** The public list: upcoming (by start) or past (newest first), with the filters. */
export async function listEvents(db: Db, f: EventFilter, now: Date, limit = 200): Promise<EventRow[]> {
  const where: string[] = [f.when === 'past' ? 'e.ends_at < $1' : 'e.ends_at >= $1'];
  const params: unknown[] = [now];
  if (f.format) {
    params.push(f.format);
    where.push(`e.format = $${params.length}`);
  }
  // A target group left empty means "everyone", so it matches every filter value.
  const inArray = (column: string, v: string | null) => {
    if (!v) return;
    params.push(v);
    where.push(`(cardinality(${column}) = 0 OR $${params.length} = ANY(${column}))`);
  };
  inArray('e.state_keys', f.stateKey);
  inArray('e.size_classes', f.sizeClass);
  inArray('e.target_roles', f.role);
  params.push(limit);
  return db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM desk_events e WHERE ${where.join(' AND ')}
     ORDER BY e.starts_at ${f.when === 'past' ? 'DESC' : 'ASC'}, e.id LIMIT $${params.length}`,
    params,
  );
}

// ---------------------------------------------------------------------------------------------
// Registrations

export interface RegistrationRow {
  id: number;
  eventId: number;
  userId: number;
  email: string;
  /** The display name, else the address. */
  name: string;
  status: RegStatus;
  queuedAt: Date;
  promotedAt: Date | null;
  attended: boolean | null;
}

const REG_COLUMNS = `r.id::int AS id, r.event_id::int AS "eventId", r.user_id::int AS "userId", u.email,
  coalesce(nullif(u.display_name, ''), u.email) AS name,
  r.status, r.queued_at AS "queuedAt", r.promoted_at AS "promotedAt", r.attended`;

export async function registrationsOf(db: Db, eventId: number): Promise<RegistrationRow[]> {
  return db.query<RegistrationRow>(
    `SELECT ${REG_COLUMNS} FROM desk_event_registrations r JOIN users u ON u.id = r.user_id
     WHERE r.event_id = $1 ORDER BY r.queued_at, r.id`,
    [eventId],
  );
}

export async function registrationOf(db: Db, eventId: number, userId: number): Promise<RegistrationRow | null> {
  const [row] = await db.query<RegistrationRow>(
    `SELECT ${REG_COLUMNS} FROM desk_event_registrations r JOIN users u ON u.id = r.user_id
     WHERE r.event_id = $1 AND r.user_id = $2`,
    [eventId, userId],
  );
  return row ?? null;
}

/** Register (or register again after a cancellation: the person queues anew). */
export async function upsertRegistration(
  db: Db,
  eventId: number,
  userId: number,
  status: 'registered' | 'waiting',
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO desk_event_registrations (event_id, user_id, status, queued_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (event_id, user_id) DO UPDATE SET status = EXCLUDED.status, queued_at = EXCLUDED.queued_at,
       promoted_at = NULL, cancelled_at = NULL, reminded_at = NULL, attended = NULL, attendance_marked_by = NULL`,
    [eventId, userId, status, now],
  );
}

export async function cancelRegistration(db: Db, eventId: number, userId: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_event_registrations SET status = 'cancelled', cancelled_at = $3
     WHERE event_id = $1 AND user_id = $2 AND status <> 'cancelled' RETURNING id`,
    [eventId, userId, now],
  );
  return rows.length > 0;
}

/** Move waiting registrations up; returns their people. `noticeDue`: they are told later (claimPromotionNotices). */
export async function promote(db: Db, ids: readonly number[], now: Date, noticeDue = false): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ userId: number }>(
    `UPDATE desk_event_registrations SET status = 'registered', promoted_at = $2, promotion_notice_due = $3
     WHERE id = ANY($1::bigint[]) AND status = 'waiting' RETURNING user_id::int AS "userId"`,
    [ids, now, noticeDue],
  );
  return rows.map((r) => r.userId);
}

/** The upcoming, not cancelled events in which a person holds a place (their erasure frees it). */
export async function upcomingPlacesOf(db: Db, userId: number, now: Date): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    `SELECT e.id::int AS id FROM desk_event_registrations r JOIN desk_events e ON e.id = r.event_id
     WHERE r.user_id = $1 AND r.status = 'registered' AND e.status = 'scheduled' AND e.starts_at > $2
     ORDER BY e.id`,
    [userId, now],
  );
  return rows.map((r) => r.id);
}

/** The people moved up by an erasure who have not been told yet; claimed once (several instances may run). */
export async function claimPromotionNotices(db: Db, limit = 500): Promise<{ eventId: number; userId: number }[]> {
  return db.query<{ eventId: number; userId: number }>(
    `UPDATE desk_event_registrations r SET promotion_notice_due = false
     WHERE r.id IN (SELECT id FROM desk_event_registrations WHERE promotion_notice_due ORDER BY id LIMIT $1)
       AND r.promotion_notice_due
     RETURNING r.event_id::int AS "eventId", r.user_id::int AS "userId"`,
    [limit],
  );
}

export async function setAttendance(
  db: Db,
  eventId: number,
  attendedUserIds: readonly number[],
  by: number,
): Promise<void> {
  await db.query(
    `UPDATE desk_event_registrations SET attended = (user_id = ANY($2::bigint[])), attendance_marked_by = $3
     WHERE event_id = $1 AND status = 'registered'`,
    [eventId, attendedUserIds, by],
  );
}

/** The person's events (registered or waiting), for the feed and "Meine Veranstaltungen". */
export async function eventsOfUser(db: Db, userId: number): Promise<(EventRow & { regStatus: RegStatus })[]> {
  return db.query<EventRow & { regStatus: RegStatus }>(
    `SELECT ${EVENT_COLUMNS}, r.status AS "regStatus" FROM desk_events e
     JOIN desk_event_registrations r ON r.event_id = e.id
     WHERE r.user_id = $1 AND r.status <> 'cancelled' ORDER BY e.starts_at DESC LIMIT 500`,
    [userId],
  );
}

/**
 * Claim the reminders due: registered participants of scheduled events starting within the window, not yet
 * reminded. The conditional update claims each row once, however many instances run it at the same time.
 */
export async function claimReminders(
  db: Db,
  now: Date,
  until: Date,
  limit = 500,
): Promise<{ eventId: number; userId: number }[]> {
  return db.query<{ eventId: number; userId: number }>(
    `UPDATE desk_event_registrations r SET reminded_at = $1
     WHERE r.id IN (
       SELECT r2.id FROM desk_event_registrations r2 JOIN desk_events e ON e.id = r2.event_id
       WHERE r2.status = 'registered' AND r2.reminded_at IS NULL AND e.status = 'scheduled'
         AND e.starts_at > $1 AND e.starts_at <= $2
       ORDER BY r2.id LIMIT $3)
       AND r.reminded_at IS NULL
     RETURNING r.event_id::int AS "eventId", r.user_id::int AS "userId"`,
    [now, until, limit],
  );
}

// ---------------------------------------------------------------------------------------------
// Materials

export interface MaterialRow {
  id: number;
  eventId: number;
  kind: 'material' | 'recording';
  title: string;
  url: string;
  addedAt: Date;
}

export async function materialsOf(db: Db, eventId: number): Promise<MaterialRow[]> {
  return db.query<MaterialRow>(
    `SELECT id::int AS id, event_id::int AS "eventId", kind, title, url, added_at AS "addedAt"
     FROM desk_event_materials WHERE event_id = $1 ORDER BY id`,
    [eventId],
  );
}

export async function insertMaterial(
  db: Db,
  eventId: number,
  m: { kind: 'material' | 'recording'; title: string; url: string },
  by: number,
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_event_materials (event_id, kind, title, url, added_by) VALUES ($1, $2, $3, $4, $5)
     RETURNING id::int AS id`,
    [eventId, m.kind, m.title, m.url, by],
  );
  return row!.id;
}

export async function deleteMaterial(db: Db, eventId: number, id: number): Promise<boolean> {
  return (
    (await db.query('DELETE FROM desk_event_materials WHERE id = $1 AND event_id = $2 RETURNING id', [id, eventId]))
      .length > 0
  );
}

// ---------------------------------------------------------------------------------------------
// Feed tokens and who is an advisor

export async function feedTokenCreatedAt(db: Db, userId: number): Promise<Date | null> {
  const [row] = await db.query<{ at: Date }>('SELECT created_at AS at FROM desk_event_feed_tokens WHERE user_id = $1', [
    userId,
  ]);
  return row?.at ?? null;
}

export async function setFeedToken(db: Db, userId: number, tokenHash: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO desk_event_feed_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)
     ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at`,
    [userId, tokenHash, now],
  );
}

export async function deleteFeedToken(db: Db, userId: number): Promise<boolean> {
  return (
    (await db.query('DELETE FROM desk_event_feed_tokens WHERE user_id = $1 RETURNING user_id', [userId])).length > 0
  );
}

export async function userOfFeedToken(db: Db, tokenHash: string): Promise<number | null> {
  const [row] = await db.query<{ userId: number }>(
    'SELECT user_id::int AS "userId" FROM desk_event_feed_tokens WHERE token_hash = $1',
    [tokenHash],
  );
  return row?.userId ?? null;
}

/** Whether the person is in some team of the desk (an advisor of the centre, like the inquiries' queue). */
export async function inDeskTeam(db: Db, userId: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM desk_team_members WHERE user_id = $1 LIMIT 1', [userId]);
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Personal data

export async function personalData(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => db.query(sql, [userId]);
  const [events, registrations, materials, feed] = await Promise.all([
    q(
      `SELECT id::int AS id, title, starts_at AS "startsAt", created_by = $1 AS "created", updated_by = $1 AS "updated"
       FROM desk_events WHERE created_by = $1 OR updated_by = $1`,
    ),
    q(
      `SELECT r.event_id::int AS "eventId", e.title, r.status, r.queued_at AS "queuedAt", r.promoted_at AS "promotedAt",
         r.cancelled_at AS "cancelledAt", r.reminded_at AS "remindedAt", r.attended,
         r.user_id = $1 AS "own", r.attendance_marked_by = $1 AS "markedAttendance"
       FROM desk_event_registrations r JOIN desk_events e ON e.id = r.event_id
       WHERE r.user_id = $1 OR r.attendance_marked_by = $1`,
    ),
    q(
      `SELECT id::int AS id, event_id::int AS "eventId", kind, title, url, added_at AS "addedAt"
       FROM desk_event_materials WHERE added_by = $1`,
    ),
    // The token itself is never stored; only that there is one.
    q('SELECT created_at AS "createdAt" FROM desk_event_feed_tokens WHERE user_id = $1'),
  ]);
  return {
    desk_events: events,
    desk_event_registrations: registrations,
    desk_event_materials: materials,
    desk_event_feed_tokens: feed,
  };
}

/**
 * The person goes: their registrations and feed token are deleted (the service then gives their places in upcoming
 * events to the waiting lists, `forgetPerson` in events.service.ts); the events and materials they created stay,
 * without their name. Returns counts.
 */
export async function forgetPerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const n = async (sql: string) => (await tx.query(`${sql} RETURNING 1`, [userId])).length;
  const registrations = await n('DELETE FROM desk_event_registrations WHERE user_id = $1');
  await n('UPDATE desk_event_registrations SET attendance_marked_by = NULL WHERE attendance_marked_by = $1');
  await n('UPDATE desk_events SET created_by = NULL WHERE created_by = $1');
  await n('UPDATE desk_events SET updated_by = NULL WHERE updated_by = $1');
  await n('UPDATE desk_event_materials SET added_by = NULL WHERE added_by = $1');
  const feedTokens = await n('DELETE FROM desk_event_feed_tokens WHERE user_id = $1');
  return { eventRegistrations: registrations, eventFeeds: feedTokens };
}
