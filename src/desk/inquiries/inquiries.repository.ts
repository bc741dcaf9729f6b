/** SQL of the inquiries: teams, routing rules, inquiries with conversation, attachments, history, canned answers. */
import type { Db } from '../../platform/db/db.js';
import type { Status } from './model.js';

// ---------------------------------------------------------------------------------------------
// Teams

export interface TeamRow {
  id: number;
  name: string;
  isNational: boolean;
  leadUserId: number | null;
  leadEmail: string | null;
  lastAssignedUserId: number | null;
  memberCount: number;
}

const TEAM = `SELECT t.id::int AS id, t.name, t.is_national AS "isNational", t.lead_user_id::int AS "leadUserId",
  u.email AS "leadEmail", t.last_assigned_user_id::int AS "lastAssignedUserId",
  (SELECT count(*)::int FROM desk_team_members m WHERE m.team_id = t.id) AS "memberCount"
  FROM desk_teams t LEFT JOIN users u ON u.id = t.lead_user_id`;

export async function listTeams(db: Db): Promise<TeamRow[]> {
  return db.query<TeamRow>(`${TEAM} ORDER BY t.is_national DESC, t.name`);
}

/** All teams, and which of them the person is a member of (the advisors' queue needs both). */
export async function teamsWithMember(db: Db, userId: number): Promise<{ teams: TeamRow[]; memberOf: number[] }> {
  const rows = await db.query<TeamRow & { isMember: boolean }>(
    `SELECT q.*, EXISTS (SELECT 1 FROM desk_team_members m WHERE m.team_id = q.id AND m.user_id = $1) AS "isMember"
       FROM (${TEAM}) q ORDER BY q."isNational" DESC, q.name`,
    [userId],
    { prepare: true },
  );
  return {
    teams: rows.map(({ isMember: _, ...team }) => team),
    memberOf: rows.filter((r) => r.isMember).map((r) => r.id),
  };
}

export async function teamById(db: Db, id: number, forUpdate = false): Promise<TeamRow | null> {
  if (forUpdate) await db.query('SELECT id FROM desk_teams WHERE id = $1 FOR UPDATE', [id]);
  const [row] = await db.query<TeamRow>(`${TEAM} WHERE t.id = $1`, [id]);
  return row ?? null;
}

export async function nationalTeam(db: Db): Promise<TeamRow | null> {
  const [row] = await db.query<TeamRow>(`${TEAM} WHERE t.is_national`);
  return row ?? null;
}

export async function insertTeam(db: Db, name: string, isNational: boolean): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    'INSERT INTO desk_teams (name, is_national) VALUES ($1, $2) RETURNING id::int AS id',
    [name, isNational],
  );
  return row!.id;
}

export async function clearNational(db: Db, exceptId: number): Promise<void> {
  await db.query('UPDATE desk_teams SET is_national = false WHERE is_national AND id <> $1', [exceptId]);
}

export async function updateTeam(
  db: Db,
  id: number,
  t: { name: string; isNational: boolean; leadUserId: number | null },
): Promise<void> {
  await db.query('UPDATE desk_teams SET name = $2, is_national = $3, lead_user_id = $4 WHERE id = $1', [
    id,
    t.name,
    t.isNational,
    t.leadUserId,
  ]);
}

export async function setLastAssigned(db: Db, teamId: number, userId: number): Promise<void> {
  await db.query('UPDATE desk_teams SET last_assigned_user_id = $2 WHERE id = $1', [teamId, userId]);
}

export interface TeamMemberRow {
  userId: number;
  email: string;
  available: boolean;
}

export async function teamMembers(db: Db, teamId: number): Promise<TeamMemberRow[]> {
  return db.query<TeamMemberRow>(
    `SELECT m.user_id::int AS "userId", u.email, m.available FROM desk_team_members m JOIN users u ON u.id = m.user_id
     WHERE m.team_id = $1 ORDER BY m.user_id`,
    [teamId],
  );
}

export async function addTeamMember(db: Db, teamId: number, userId: number): Promise<void> {
  await db.query('INSERT INTO desk_team_members (team_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    teamId,
    userId,
  ]);
}

export async function removeTeamMember(db: Db, teamId: number, userId: number): Promise<boolean> {
  const rows = await db.query('DELETE FROM desk_team_members WHERE team_id = $1 AND user_id = $2 RETURNING user_id', [
    teamId,
    userId,
  ]);
  return rows.length > 0;
}

export async function setAvailable(db: Db, teamId: number, userId: number, available: boolean): Promise<boolean> {
  const rows = await db.query(
    'UPDATE desk_team_members SET available = $3 WHERE team_id = $1 AND user_id = $2 RETURNING user_id',
    [teamId, userId, available],
  );
  return rows.length > 0;
}

export async function teamIdsOfUser(db: Db, userId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>(
    'SELECT team_id::int AS id FROM desk_team_members WHERE user_id = $1 ORDER BY team_id',
    [userId],
  );
  return rows.map((r) => r.id);
}

export async function userIdByEmail(db: Db, email: string): Promise<number | null> {
  const [row] = await db.query<{ id: number }>('SELECT id::int AS id FROM users WHERE lower(email) = lower($1)', [
    email,
  ]);
  return row?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Routing rules

export interface RuleRow {
  id: number;
  stateKey: string | null;
  sector: string | null;
  teamId: number;
  teamName: string;
}

export async function listRules(db: Db): Promise<RuleRow[]> {
  return db.query<RuleRow>(
    `SELECT r.id::int AS id, r.state_key AS "stateKey", r.sector, r.team_id::int AS "teamId", t.name AS "teamName"
     FROM desk_routing_rules r JOIN desk_teams t ON t.id = r.team_id
     ORDER BY r.state_key NULLS LAST, r.sector NULLS LAST`,
  );
}

/** Adds the rule for a Land and sector, or gives the existing one another team. */
export async function upsertRule(
  db: Db,
  r: { stateKey: string | null; sector: string | null; teamId: number; by: number },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_routing_rules (state_key, sector, team_id, updated_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT ((coalesce(state_key, '')), (coalesce(sector, '')))
     DO UPDATE SET team_id = EXCLUDED.team_id, updated_by = EXCLUDED.updated_by, updated_at = now()
     RETURNING id::int AS id`,
    [r.stateKey, r.sector, r.teamId, r.by],
  );
  return row!.id;
}

export async function deleteRule(db: Db, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM desk_routing_rules WHERE id = $1 RETURNING id', [id])).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Workspaces and people (read from organisations and identity)

/** The region key of a municipal workspace, or null (a provider or the centre asks nothing here). */
export async function municipalRegionOf(db: Db, orgId: number): Promise<string | null> {
  const [row] = await db.query<{ key: string | null }>(
    "SELECT region_key AS key FROM organisations WHERE id = $1 AND kind = 'region'",
    [orgId],
  );
  return row?.key ?? null;
}

export async function workspaceNames(db: Db, orgIds: readonly number[]): Promise<{ id: number; name: string }[]> {
  if (orgIds.length === 0) return [];
  return db.query(
    `SELECT o.id::int AS id, coalesce(r.name, o.name) AS name FROM organisations o
     LEFT JOIN regions r ON r.key = o.region_key WHERE o.id = ANY($1::bigint[]) AND o.kind = 'region' ORDER BY 2`,
    [orgIds],
  );
}

/** Members of a workspace (for notifications). */
export async function memberIdsOf(db: Db, orgId: number): Promise<number[]> {
  const rows = await db.query<{ id: number }>('SELECT user_id::int AS id FROM memberships WHERE org_id = $1', [orgId]);
  return rows.map((r) => r.id);
}

/** Advisors whose scope covers a Land and sector, and the members of a team: who an inquiry may be handed to. */
export async function advisorsFor(
  db: Db,
  stateKey: string,
  sector: string,
  teamId: number | null,
): Promise<{ userId: number; email: string }[]> {
  return db.query(
    `SELECT u.id::int AS "userId", u.email FROM users u
     WHERE EXISTS (SELECT 1 FROM advisor_scopes s WHERE s.user_id = u.id
                     AND (s.state_key IS NULL OR s.state_key = $1) AND (s.topic IS NULL OR s.topic = $2))
        OR EXISTS (SELECT 1 FROM desk_team_members m WHERE m.user_id = u.id AND m.team_id = $3)
     ORDER BY u.email`,
    [stateKey, sector, teamId],
  );
}

// ---------------------------------------------------------------------------------------------
// Inquiries

export interface InquiryRow {
  id: number;
  orgId: number;
  orgName: string;
  regionKey: string;
  stateKey: string;
  authorUserId: number | null;
  authorEmail: string | null;
  subject: string;
  body: string;
  sector: string;
  urgency: 'high' | 'normal' | 'low';
  contextKind: 'question' | 'measure' | 'practice' | 'standard' | null;
  contextRef: string | null;
  status: Status;
  teamId: number | null;
  teamName: string | null;
  teamLeadUserId: number | null;
  assigneeUserId: number | null;
  assigneeEmail: string | null;
  receivedAt: Date;
  firstAnswerDueAt: Date;
  firstAnsweredAt: Date | null;
  closedAt: Date | null;
  escalatedAt: Date | null;
  rating: number | null;
  ratingComment: string | null;
  ratedAt: Date | null;
  version: number;
  updatedAt: Date;
}

/** Names shown with an inquiry, looked up by key (see INQUIRY). */
const ORG_NAME = `coalesce((SELECT r.name FROM regions r WHERE r.key = i.region_key),
           (SELECT o.name FROM organisations o WHERE o.id = i.org_id)) AS "orgName"`;
const ASSIGNEE_EMAIL = `(SELECT u.email FROM users u WHERE u.id = i.assignee_user_id) AS "assigneeEmail"`;

/**
 * An inquiry with the names around it. The names are scalar subqueries by primary key rather than joins: for a
 * page of 50 that is 250 index lookups, where a six-table join cost more to plan (≈ 3 ms) than to run and was
 * planned as hash joins over all users and organisations (bench/desk.ts).
 */
const INQUIRY = `SELECT i.id::int AS id, i.org_id::int AS "orgId",
  ${ORG_NAME},
  i.region_key AS "regionKey", i.state_key AS "stateKey", i.author_user_id::int AS "authorUserId",
  (SELECT u.email FROM users u WHERE u.id = i.author_user_id) AS "authorEmail", i.subject, i.body, i.sector,
  i.urgency, i.context_kind AS "contextKind", i.context_ref AS "contextRef", i.status, i.team_id::int AS "teamId",
  (SELECT t.name FROM desk_teams t WHERE t.id = i.team_id) AS "teamName",
  (SELECT t.lead_user_id::int FROM desk_teams t WHERE t.id = i.team_id) AS "teamLeadUserId",
  i.assignee_user_id::int AS "assigneeUserId",
  ${ASSIGNEE_EMAIL},
  i.received_at AS "receivedAt", i.first_answer_due_at AS "firstAnswerDueAt", i.first_answered_at AS "firstAnsweredAt",
  i.closed_at AS "closedAt", i.escalated_at AS "escalatedAt", i.rating, i.rating_comment AS "ratingComment",
  i.rated_at AS "ratedAt", i.version, i.updated_at AS "updatedAt"
  FROM desk_inquiries i`;

/** What a list of inquiries shows (the advisors' queue): no text, no names it does not show. */
export type InquiryListRow = Pick<
  InquiryRow,
  | 'id'
  | 'orgName'
  | 'stateKey'
  | 'subject'
  | 'sector'
  | 'status'
  | 'assigneeUserId'
  | 'assigneeEmail'
  | 'firstAnswerDueAt'
  | 'firstAnsweredAt'
>;

const INQUIRY_LIST = `SELECT i.id::int AS id,
  ${ORG_NAME},
  i.state_key AS "stateKey", i.subject, i.sector, i.status, i.assignee_user_id::int AS "assigneeUserId",
  ${ASSIGNEE_EMAIL},
  i.first_answer_due_at AS "firstAnswerDueAt", i.first_answered_at AS "firstAnsweredAt"
  FROM desk_inquiries i`;

export async function insertInquiry(
  db: Db,
  i: {
    orgId: number;
    regionKey: string;
    stateKey: string;
    authorUserId: number;
    subject: string;
    body: string;
    sector: string;
    urgency: string;
    contextKind: string | null;
    contextRef: string | null;
    status: Status;
    teamId: number | null;
    assigneeUserId: number | null;
    receivedAt: Date;
    firstAnswerDueAt: Date;
  },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_inquiries (org_id, region_key, state_key, author_user_id, subject, body, sector, urgency,
       context_kind, context_ref, status, team_id, assignee_user_id, received_at, first_answer_due_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14) RETURNING id::int AS id`,
    [
      i.orgId,
      i.regionKey,
      i.stateKey,
      i.authorUserId,
      i.subject,
      i.body,
      i.sector,
      i.urgency,
      i.contextKind,
      i.contextRef,
      i.status,
      i.teamId,
      i.assigneeUserId,
      i.receivedAt,
      i.firstAnswerDueAt,
    ],
  );
  return row!.id;
}

export async function inquiryById(db: Db, id: number, forUpdate = false): Promise<InquiryRow | null> {
  if (forUpdate) await db.query('SELECT id FROM desk_inquiries WHERE id = $1 FOR UPDATE', [id]);
  const [row] = await db.query<InquiryRow>(`${INQUIRY} WHERE i.id = $1`, [id]);
  return row ?? null;
}

export async function inquiriesOfOrgs(db: Db, orgIds: readonly number[], limit = 200): Promise<InquiryRow[]> {
  if (orgIds.length === 0) return [];
  return db.query<InquiryRow>(`${INQUIRY} WHERE i.org_id = ANY($1::bigint[]) ORDER BY i.received_at DESC LIMIT $2`, [
    orgIds,
    limit,
  ]);
}

export interface QueueFilter {
  userId: number;
  /** The advisor's scopes (from the principal: a centre member without scope rows has one with both null). */
  scopes: readonly { stateKey: string | null; topic: string | null }[];
  /** The desk teams the advisor is in. */
  teamIds: readonly number[];
  /** Only this team's inquiries. */
  teamId?: number | null;
  /** Only the ones assigned to the user. */
  mine?: boolean;
  statuses: readonly Status[];
  now: Date;
  limit: number;
  offset: number;
}

/**
 * What an advisor may see, as SQL conditions on columns that desk_inquiries and desk_queue_counts share (both
 * under the alias `i`): `scope` is the OR of the advisor's Länder, topics, Land/topic pairs and teams (null when
 * the advisor sees every inquiry or asks only for the own ones); `mine` the inquiries assigned to the advisor,
 * who may always see them (null when the advisor sees every inquiry anyway).
 * $1 is the statuses, $2 the team filter; every parameter is used, so that PostgreSQL knows its type.
 */
function visibility(f: QueueFilter): { common: string; scope: string | null; mine: string | null; params: unknown[] } {
  const params: unknown[] = [f.statuses, f.teamId ?? null];
  const param = (v: unknown, type: string) => {
    params.push(v);
    return `$${params.length}::${type}`;
  };
  const common = `i.status = ANY($1::text[]) AND ($2::bigint IS NULL OR i.team_id = $2)`;
  if (!f.mine && f.scopes.some((s) => s.stateKey === null && s.topic === null))
    return { common, scope: null, mine: null, params };
  const mine = `i.assignee_user_id = ${param(f.userId, 'bigint')}`;
  if (f.mine) return { common, scope: null, mine, params };
  const states = f.scopes.filter((s) => s.stateKey !== null && s.topic === null).map((s) => s.stateKey);
  const topics = f.scopes.filter((s) => s.stateKey === null && s.topic !== null).map((s) => s.topic);
  const pairs = f.scopes.filter((s) => s.stateKey !== null && s.topic !== null).map((s) => `${s.stateKey}/${s.topic}`);
  const conditions = ['false'];
  if (states.length > 0) conditions.push(`i.state_key = ANY(${param(states, 'text[]')})`);
  if (topics.length > 0) conditions.push(`i.sector = ANY(${param(topics, 'text[]')})`);
  if (pairs.length > 0) conditions.push(`(i.state_key || '/' || i.sector) = ANY(${param(pairs, 'text[]')})`);
  if (f.teamIds.length > 0) conditions.push(`i.team_id = ANY(${param(f.teamIds, 'bigint[]')})`);
  return { common, scope: `(${conditions.join(' OR ')})`, mine, params };
}

/** A page bound as SQL text: only a non-negative safe integer. */
function pageInt(n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a page bound: ${n}`);
  return n;
}

/**
 * One page of the inquiries an advisor may see (scope covering Land and sector, a member of the inquiry's team,
 * or its assignee), the ones still waiting for their first answer first by due time, then the others; with the
 * number of all matching and of the overdue ones.
 *
 * The page walks the queue index in its order and stops after the page. The counts do not count inquiries:
 * they add up the groups of desk_queue_counts (per status, Land, sector, team, answered) that the scope covers,
 * plus the inquiries assigned to the advisor outside it; the overdue ones are the unanswered open ones minus
 * those not yet due, a short range of one index (migration 0028; bench/desk.ts).
 */
export async function queue(
  db: Db,
  f: QueueFilter,
): Promise<{ rows: InquiryListRow[]; total: number; overdue: number }> {
  const { common, scope, mine, params } = visibility(f);
  const n = params.length;
  const visible = mine === null ? 'true' : scope === null ? mine : `(${scope} OR ${mine})`;
  const unansweredOpen = `i.first_answered_at IS NULL AND i.status <> 'closed'`;
  const counted =
    scope === null && mine !== null
      ? `SELECT count(*) AS total, count(*) FILTER (WHERE ${unansweredOpen}) AS unanswered
         FROM desk_inquiries i WHERE ${common} AND ${mine}`
      : `SELECT coalesce(sum(i.n), 0) AS total,
              coalesce(sum(i.n) FILTER (WHERE NOT i.answered AND i.status <> 'closed'), 0) AS unanswered
         FROM desk_queue_counts i WHERE ${common} AND ${scope ?? 'true'}
       ${
         scope === null
           ? ''
           : `UNION ALL
       SELECT count(*), count(*) FILTER (WHERE ${unansweredOpen})
         FROM desk_inquiries i WHERE ${common} AND ${mine} AND ${scope} IS NOT TRUE`
       }`;
  // One statement: every round trip to the database costs the server more than these queries.
  const rows = await db.query<Partial<InquiryListRow> & { queueTotal: number; queueOverdue: number; pos?: number }>(
    `WITH counted AS (${counted}),
     page AS (
       SELECT i.id, row_number() OVER () AS pos FROM (
         SELECT i.id FROM desk_inquiries i WHERE ${common} AND ${visible}
          ORDER BY (i.first_answered_at IS NOT NULL), i.first_answer_due_at, i.id
          LIMIT ${pageInt(f.limit)} OFFSET ${pageInt(f.offset)}) i),
     totals AS (
       SELECT coalesce((SELECT sum(total) FROM counted), 0)::int AS "queueTotal",
              (coalesce((SELECT sum(unanswered) FROM counted), 0)
               - (SELECT count(*) FROM desk_inquiries i
                   WHERE ${unansweredOpen} AND i.first_answer_due_at >= $${n + 1} AND ${common} AND ${visible}))::int
                AS "queueOverdue")
     SELECT totals.*, q.* FROM totals LEFT JOIN LATERAL (
       SELECT q.*, page.pos FROM (${INQUIRY_LIST} WHERE i.id IN (SELECT id FROM page)) q JOIN page ON page.id = q.id) q
       ON true
      ORDER BY q.pos`,
    [...params, f.now],
    // The first page is what advisors open all day: prepared (a handful of texts, one per kind of scope), its
    // plan is reused, which costs less than planning it each time (bench/desk.ts). LIMIT and OFFSET are in the
    // text because a generic plan with them as parameters assumes a tenth of all rows and would sort them.
    { prepare: f.offset === 0 },
  );
  const first = rows[0];
  return {
    rows: rows
      .filter((r) => r.id != null)
      .map(({ queueTotal: _t, queueOverdue: _o, pos: _p, ...r }) => r as InquiryListRow),
    total: first?.queueTotal ?? 0,
    overdue: first?.queueOverdue ?? 0,
  };
}

/** A state change, assignment or hand-over under the version the form was made from; false when it is stale. */
export async function updateInquiry(
  db: Db,
  id: number,
  version: number,
  c: {
    status: Status;
    assigneeUserId: number | null;
    teamId: number | null;
    firstAnsweredAt: Date | null;
    closedAt: Date | null;
    now: Date;
  },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_inquiries SET status = $3, assignee_user_id = $4, team_id = $5, first_answered_at = $6,
       closed_at = $7, updated_at = $8, version = version + 1
     WHERE id = $1 AND version = $2 RETURNING id`,
    [id, version, c.status, c.assigneeUserId, c.teamId, c.firstAnsweredAt, c.closedAt, c.now],
  );
  return rows.length > 0;
}

export async function insertHistory(
  db: Db,
  h: {
    inquiryId: number;
    actorUserId: number | null;
    fromStatus: Status | null;
    toStatus: Status;
    assigneeUserId: number | null;
    note: string | null;
    at: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO desk_inquiry_history (inquiry_id, at, actor_user_id, from_status, to_status, assignee_user_id, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [h.inquiryId, h.at, h.actorUserId, h.fromStatus, h.toStatus, h.assigneeUserId, h.note],
  );
}

export interface HistoryRow {
  at: Date;
  actorEmail: string | null;
  fromStatus: Status | null;
  toStatus: Status;
  assigneeEmail: string | null;
  note: string | null;
}

export async function historyOf(db: Db, inquiryId: number): Promise<HistoryRow[]> {
  return db.query<HistoryRow>(
    `SELECT h.at, a.email AS "actorEmail", h.from_status AS "fromStatus", h.to_status AS "toStatus",
       s.email AS "assigneeEmail", h.note
     FROM desk_inquiry_history h LEFT JOIN users a ON a.id = h.actor_user_id LEFT JOIN users s ON s.id = h.assignee_user_id
     WHERE h.inquiry_id = $1 ORDER BY h.at, h.id`,
    [inquiryId],
  );
}

export async function setRating(
  db: Db,
  id: number,
  r: { rating: number; comment: string | null; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_inquiries SET rating = $2, rating_comment = $3, rated_at = $4
     WHERE id = $1 AND status = 'closed' AND rated_at IS NULL RETURNING id`,
    [id, r.rating, r.comment, r.now],
  );
  return rows.length > 0;
}

/** Open inquiries past their first-answer time without an answer and not yet escalated. */
export async function overdueUnescalated(db: Db, now: Date, limit = 500): Promise<InquiryRow[]> {
  return db.query<InquiryRow>(
    `${INQUIRY} WHERE i.first_answered_at IS NULL AND i.escalated_at IS NULL AND i.first_answer_due_at < $1
       AND i.status <> 'closed' ORDER BY i.first_answer_due_at LIMIT $2`,
    [now, limit],
  );
}

/** Marks an inquiry escalated once; false when another instance did it first. */
export async function markEscalated(db: Db, id: number, now: Date): Promise<boolean> {
  const rows = await db.query(
    'UPDATE desk_inquiries SET escalated_at = $2 WHERE id = $1 AND escalated_at IS NULL RETURNING id',
    [id, now],
  );
  return rows.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Messages and attachments

export interface MessageRow {
  id: number;
  authorUserId: number | null;
  authorEmail: string | null;
  side: 'municipality' | 'advisor';
  internal: boolean;
  body: string;
  createdAt: Date;
}

export async function insertMessage(
  db: Db,
  m: {
    inquiryId: number;
    authorUserId: number;
    side: 'municipality' | 'advisor';
    internal: boolean;
    body: string;
    at: Date;
  },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_inquiry_messages (inquiry_id, author_user_id, side, internal, body, created_at)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id::int AS id`,
    [m.inquiryId, m.authorUserId, m.side, m.internal, m.body, m.at],
  );
  return row!.id;
}

/** The conversation; internal notes only when asked for (advisors). */
export async function messagesOf(db: Db, inquiryId: number, withInternal: boolean): Promise<MessageRow[]> {
  return db.query<MessageRow>(
    `SELECT m.id::int AS id, m.author_user_id::int AS "authorUserId", u.email AS "authorEmail", m.side, m.internal,
       m.body, m.created_at AS "createdAt"
     FROM desk_inquiry_messages m LEFT JOIN users u ON u.id = m.author_user_id
     WHERE m.inquiry_id = $1 AND ($2::boolean OR NOT m.internal) ORDER BY m.created_at, m.id`,
    [inquiryId, withInternal],
  );
}

export interface AttachmentRow {
  id: number;
  messageId: number | null;
  filename: string;
  mediaType: string;
  size: number;
  createdAt: Date;
}

export async function insertAttachment(
  db: Db,
  a: {
    inquiryId: number;
    messageId: number | null;
    filename: string;
    mediaType: string;
    bytes: Buffer;
    sha256: string;
    by: number;
  },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_inquiry_attachments (inquiry_id, message_id, filename, media_type, size, sha256, bytes, uploaded_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id::int AS id`,
    [a.inquiryId, a.messageId, a.filename, a.mediaType, a.bytes.length, a.sha256, a.bytes, a.by],
  );
  return row!.id;
}

export async function attachmentsOf(db: Db, inquiryId: number): Promise<AttachmentRow[]> {
  return db.query<AttachmentRow>(
    `SELECT id::int AS id, message_id::int AS "messageId", filename, media_type AS "mediaType", size,
       created_at AS "createdAt" FROM desk_inquiry_attachments WHERE inquiry_id = $1 ORDER BY id`,
    [inquiryId],
  );
}

export async function attachmentBytes(
  db: Db,
  inquiryId: number,
  id: number,
): Promise<(AttachmentRow & { bytes: Uint8Array }) | null> {
  const [row] = await db.query<AttachmentRow & { bytes: Uint8Array }>(
    `SELECT id::int AS id, message_id::int AS "messageId", filename, media_type AS "mediaType", size,
       created_at AS "createdAt", bytes FROM desk_inquiry_attachments WHERE inquiry_id = $1 AND id = $2`,
    [inquiryId, id],
  );
  return row ?? null;
}

export async function attachmentTotals(db: Db, inquiryId: number): Promise<{ n: number; bytes: number }> {
  const [row] = await db.query<{ n: number; bytes: number }>(
    'SELECT count(*)::int AS n, coalesce(sum(size), 0)::int AS bytes FROM desk_inquiry_attachments WHERE inquiry_id = $1',
    [inquiryId],
  );
  return row ?? { n: 0, bytes: 0 };
}

// ---------------------------------------------------------------------------------------------
// Canned answers

export interface CannedRow {
  id: number;
  title: string;
  body: string;
  sector: string | null;
  updatedAt: Date;
}

const CANNED = 'SELECT id::int AS id, title, body, sector, updated_at AS "updatedAt" FROM desk_canned_answers';

export async function listCanned(db: Db): Promise<CannedRow[]> {
  return db.query<CannedRow>(`${CANNED} ORDER BY sector NULLS FIRST, title, id`);
}

export async function cannedById(db: Db, id: number): Promise<CannedRow | null> {
  const [row] = await db.query<CannedRow>(`${CANNED} WHERE id = $1`, [id]);
  return row ?? null;
}

export async function insertCanned(
  db: Db,
  c: { title: string; body: string; sector: string | null; by: number; now: Date },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_canned_answers (title, body, sector, created_by, updated_at) VALUES ($1, $2, $3, $4, $5)
     RETURNING id::int AS id`,
    [c.title, c.body, c.sector, c.by, c.now],
  );
  return row!.id;
}

export async function deleteCanned(db: Db, id: number): Promise<boolean> {
  return (await db.query('DELETE FROM desk_canned_answers WHERE id = $1 RETURNING id', [id])).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Personal data

export async function personalData(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  const q = (sql: string) => db.query(sql, [userId]);
  const [teams, members, rules, inquiries, messages, attachments, history, canned] = await Promise.all([
    q(
      `SELECT id::int AS id, name, lead_user_id = $1 AS "isLead", last_assigned_user_id = $1 AS "lastAssigned"
       FROM desk_teams WHERE lead_user_id = $1 OR last_assigned_user_id = $1`,
    ),
    q('SELECT team_id::int AS "teamId", available, added_at AS "addedAt" FROM desk_team_members WHERE user_id = $1'),
    q(
      'SELECT id::int AS id, state_key AS "stateKey", sector, updated_at AS "updatedAt" FROM desk_routing_rules WHERE updated_by = $1',
    ),
    q(
      `SELECT id::int AS id, subject, body, sector, urgency, status, received_at AS "receivedAt", rating,
         rating_comment AS "ratingComment", author_user_id = $1 AS "asked", assignee_user_id = $1 AS "assigned"
       FROM desk_inquiries WHERE author_user_id = $1 OR assignee_user_id = $1`,
    ),
    q(
      `SELECT id::int AS id, inquiry_id::int AS "inquiryId", side, internal, body, created_at AS "createdAt"
       FROM desk_inquiry_messages WHERE author_user_id = $1`,
    ),
    q(
      `SELECT id::int AS id, inquiry_id::int AS "inquiryId", filename, media_type AS "mediaType", size,
         created_at AS "createdAt" FROM desk_inquiry_attachments WHERE uploaded_by = $1`,
    ),
    q(
      `SELECT inquiry_id::int AS "inquiryId", at, from_status AS "fromStatus", to_status AS "toStatus", note
       FROM desk_inquiry_history WHERE actor_user_id = $1 OR assignee_user_id = $1`,
    ),
    q('SELECT id::int AS id, title, body, sector FROM desk_canned_answers WHERE created_by = $1'),
  ]);
  return {
    desk_teams: teams,
    desk_team_members: members,
    desk_routing_rules: rules,
    desk_inquiries: inquiries,
    desk_inquiry_messages: messages,
    desk_inquiry_attachments: attachments,
    desk_inquiry_history: history,
    desk_canned_answers: canned,
  };
}

/**
 * The person goes; the workspaces keep their inquiries and conversations (the centre's record of its advice),
 * without the person's name. Returns counts.
 */
export async function forgetPerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const n = async (sql: string) => (await tx.query(`${sql} RETURNING 1`, [userId])).length;
  const inquiries = await n('UPDATE desk_inquiries SET author_user_id = NULL WHERE author_user_id = $1');
  const assigned = await n('UPDATE desk_inquiries SET assignee_user_id = NULL WHERE assignee_user_id = $1');
  const messages = await n('UPDATE desk_inquiry_messages SET author_user_id = NULL WHERE author_user_id = $1');
  await n('UPDATE desk_inquiry_attachments SET uploaded_by = NULL WHERE uploaded_by = $1');
  await n('UPDATE desk_inquiry_history SET actor_user_id = NULL WHERE actor_user_id = $1');
  await n('UPDATE desk_inquiry_history SET assignee_user_id = NULL WHERE assignee_user_id = $1');
  await n('UPDATE desk_teams SET lead_user_id = NULL WHERE lead_user_id = $1');
  await n('UPDATE desk_teams SET last_assigned_user_id = NULL WHERE last_assigned_user_id = $1');
  const teams = await n('DELETE FROM desk_team_members WHERE user_id = $1');
  await n('UPDATE desk_routing_rules SET updated_by = NULL WHERE updated_by = $1');
  await n('UPDATE desk_canned_answers SET created_by = NULL WHERE created_by = $1');
  return { inquiries, inquiriesAssigned: assigned, inquiryMessages: messages, teamMemberships: teams };
}
