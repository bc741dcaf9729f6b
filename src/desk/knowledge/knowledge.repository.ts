/** SQL of the knowledge part: FAQ entries, their search, and the centre's figures over desk_inquiries. */
import type { Db } from '../../platform/db/db.js';

// ---------------------------------------------------------------------------------------------
// FAQ entries

export type FaqStatus = 'draft' | 'published' | 'withdrawn';
export type Consent = 'pending' | 'given' | 'declined';

export interface FaqRow {
  id: number;
  inquiryId: number | null;
  sourceMessageId: number | null;
  question: string;
  answer: string;
  sector: string;
  contextKind: 'question' | 'measure' | 'practice' | 'standard' | null;
  contextRef: string | null;
  status: FaqStatus;
  consent: Consent;
  consentAt: Date | null;
  publishedAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const FAQ = `SELECT id::int AS id, inquiry_id::int AS "inquiryId", source_message_id::int AS "sourceMessageId", question,
  answer, sector, context_kind AS "contextKind", context_ref AS "contextRef", status, consent, consent_at AS "consentAt",
  published_at AS "publishedAt", version, created_at AS "createdAt", updated_at AS "updatedAt"
  FROM desk_faq_entries`;

export async function insertEntry(
  db: Db,
  e: {
    inquiryId: number;
    sourceMessageId: number | null;
    question: string;
    answer: string;
    sector: string;
    contextKind: string | null;
    contextRef: string | null;
    terms: string;
    authorUserId: number;
    now: Date;
  },
): Promise<number> {
  const [row] = await db.query<{ id: number }>(
    `INSERT INTO desk_faq_entries (inquiry_id, source_message_id, question, answer, sector, context_kind, context_ref,
       search_terms, search_vector, author_user_id, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, to_tsvector('simple', $8), $9, $10, $10) RETURNING id::int AS id`,
    [
      e.inquiryId,
      e.sourceMessageId,
      e.question,
      e.answer,
      e.sector,
      e.contextKind,
      e.contextRef,
      e.terms,
      e.authorUserId,
      e.now,
    ],
  );
  return row!.id;
}

export async function entryById(db: Db, id: number, forUpdate = false): Promise<FaqRow | null> {
  const [row] = await db.query<FaqRow>(`${FAQ} WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return row ?? null;
}

export async function entriesOfInquiry(db: Db, inquiryId: number): Promise<FaqRow[]> {
  return db.query<FaqRow>(`${FAQ} WHERE inquiry_id = $1 ORDER BY id`, [inquiryId]);
}

/**
 * New text (and sector) under the version the form was made from; a changed text asks for consent again and takes
 * a published entry back to draft. False when stale.
 */
export async function updateText(
  db: Db,
  id: number,
  version: number,
  e: { question: string; answer: string; sector: string; terms: string; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_faq_entries SET
       consent = CASE WHEN question = $3 AND answer = $4 THEN consent ELSE 'pending' END,
       consent_user_id = CASE WHEN question = $3 AND answer = $4 THEN consent_user_id END,
       consent_at = CASE WHEN question = $3 AND answer = $4 THEN consent_at END,
       status = CASE WHEN question = $3 AND answer = $4 THEN status ELSE 'draft' END,
       question = $3, answer = $4, sector = $5, search_terms = $6, search_vector = to_tsvector('simple', $6),
       updated_at = $7, version = version + 1
     WHERE id = $1 AND version = $2 RETURNING id`,
    [id, version, e.question, e.answer, e.sector, e.terms, e.now],
  );
  return rows.length > 0;
}

export async function setConsent(
  db: Db,
  id: number,
  version: number,
  c: { consent: 'given' | 'declined'; userId: number; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_faq_entries SET consent = $3, consent_user_id = $4, consent_at = $5,
       status = CASE WHEN $3 = 'declined' AND status = 'published' THEN 'withdrawn' ELSE status END,
       updated_at = $5, version = version + 1
     WHERE id = $1 AND version = $2 RETURNING id`,
    [id, version, c.consent, c.userId, c.now],
  );
  return rows.length > 0;
}

export async function setStatus(
  db: Db,
  id: number,
  version: number,
  s: { status: 'published' | 'withdrawn'; userId: number; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE desk_faq_entries SET status = $3,
       published_by = CASE WHEN $3 = 'published' THEN $4 ELSE published_by END,
       published_at = CASE WHEN $3 = 'published' THEN $5 ELSE published_at END,
       updated_at = $5, version = version + 1
     WHERE id = $1 AND version = $2 AND ($3 <> 'published' OR consent = 'given') RETURNING id`,
    [id, version, s.status, s.userId, s.now],
  );
  return rows.length > 0;
}

export interface PublicFaqRow {
  id: number;
  question: string;
  answer: string;
  sector: string;
  contextKind: FaqRow['contextKind'];
  contextRef: string | null;
  publishedAt: Date;
  updatedAt: Date;
}

const PUBLIC = `SELECT id::int AS id, question, answer, sector, context_kind AS "contextKind", context_ref AS "contextRef",
  published_at AS "publishedAt", updated_at AS "updatedAt" FROM desk_faq_entries`;

/** Published entries matching a tsquery (null: all), newest or best first; with the total. */
export async function searchPublished(
  db: Db,
  f: {
    tsquery: string | null;
    sector: string | null;
    /** Only the entries of a context (a question, measure, practice project or standard). */
    context?: { kind: string; ref: string } | null;
    limit: number;
    offset: number;
  },
): Promise<{ total: number; rows: PublicFaqRow[] }> {
  const where = `status = 'published' AND ($2::text IS NULL OR sector = $2)
    AND ($1::text IS NULL OR search_vector @@ to_tsquery('simple', $1))
    AND ($3::text IS NULL OR (context_kind = $3 AND context_ref = $4::text))`;
  const filter = [f.tsquery, f.sector, f.context?.kind ?? null, f.context?.ref ?? null];
  const [rows, count] = await Promise.all([
    db.query<PublicFaqRow>(
      `${PUBLIC} WHERE ${where}
       ORDER BY CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(search_vector, to_tsquery('simple', $1)) END DESC,
         published_at DESC, id DESC LIMIT $5 OFFSET $6`,
      [...filter, f.limit, f.offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM desk_faq_entries WHERE ${where}`, filter),
  ]);
  return { total: count[0]?.n ?? 0, rows };
}

export async function publishedById(db: Db, id: number): Promise<PublicFaqRow | null> {
  const [row] = await db.query<PublicFaqRow>(`${PUBLIC} WHERE id = $1 AND status = 'published'`, [id]);
  return row ?? null;
}

/** A cheap fingerprint of the published entries (changes whenever one is published, edited or withdrawn). */
export async function publishedFingerprint(db: Db): Promise<string> {
  const [row] = await db.query<{ f: string }>(
    `SELECT count(*) || '|' || coalesce(max(updated_at)::text, '') || '|' || coalesce(sum(id), 0) AS f
     FROM desk_faq_entries WHERE status = 'published'`,
  );
  return row?.f ?? '';
}

/** Every search term of the published entries with the number of entries using it (for typo correction). */
export async function publishedTerms(db: Db): Promise<Map<string, number>> {
  const rows = await db.query<{ term: string; n: number }>(
    `SELECT term, count(DISTINCT e.id)::int AS n
     FROM desk_faq_entries e, unnest(string_to_array(e.search_terms, ' ')) AS term
     WHERE e.status = 'published' AND term <> '' GROUP BY term`,
  );
  return new Map(rows.map((r) => [r.term, r.n]));
}

/** The latest published entries of some contexts of one kind (e.g. the measures of a strategy), newest first. */
export async function publishedForContexts(
  db: Db,
  kind: string,
  refs: readonly string[],
  limit = 10,
): Promise<PublicFaqRow[]> {
  if (refs.length === 0) return [];
  return db.query<PublicFaqRow>(
    `${PUBLIC} WHERE status = 'published' AND context_kind = $1 AND context_ref = ANY($2::text[])
     ORDER BY published_at DESC, id DESC LIMIT $3`,
    [kind, refs, limit],
  );
}

// ---------------------------------------------------------------------------------------------
// What the anonymiser needs to know about an inquiry

export interface InquiryIdentity {
  names: string[];
  kreis: string[];
  keys: string[];
  people: string[];
}

/** The municipality's name(s), its Kreis, its keys, and the names and addresses of the conversation's people. */
export async function identityOf(db: Db, inquiryId: number): Promise<InquiryIdentity> {
  return (await identitiesOf(db, [inquiryId])).get(inquiryId) ?? { names: [], kreis: [], keys: [], people: [] };
}

/** `identityOf` for several inquiries in two queries. */
export async function identitiesOf(db: Db, inquiryIds: readonly number[]): Promise<Map<number, InquiryIdentity>> {
  const out = new Map<number, InquiryIdentity>();
  if (inquiryIds.length === 0) return out;
  const places = await db.query<{
    id: number;
    name: string | null;
    orgName: string;
    kreis: string | null;
    key: string;
    ars: string | null;
  }>(
    `SELECT i.id::int AS id, r.name, o.name AS "orgName", k.name AS kreis, i.region_key AS key, r.ars
     FROM desk_inquiries i JOIN organisations o ON o.id = i.org_id
     LEFT JOIN regions r ON r.key = i.region_key LEFT JOIN regions k ON k.key = r.kreis_key AND k.key <> r.key
     WHERE i.id = ANY($1::bigint[])`,
    [inquiryIds],
  );
  for (const p of places) {
    out.set(p.id, {
      names: [...new Set([p.name, p.orgName].filter((x): x is string => !!x))],
      kreis: p.kreis ? [p.kreis] : [],
      keys: [p.key, p.ars ?? ''].filter(Boolean),
      people: [],
    });
  }
  const people = await db.query<{ id: number; name: string | null; email: string }>(
    `SELECT x.id::int AS id, u.display_name AS name, u.email FROM (
       SELECT id, author_user_id AS u FROM desk_inquiries WHERE id = ANY($1::bigint[])
       UNION SELECT id, assignee_user_id FROM desk_inquiries WHERE id = ANY($1::bigint[])
       UNION SELECT inquiry_id, author_user_id FROM desk_inquiry_messages WHERE inquiry_id = ANY($1::bigint[])) x
     JOIN users u ON u.id = x.u`,
    [inquiryIds],
  );
  for (const p of people) out.get(p.id)?.people.push(...[p.name ?? '', p.email].filter(Boolean));
  return out;
}

/** The workspace an inquiry belongs to, or null. */
export async function orgOfInquiry(db: Db, inquiryId: number): Promise<{ orgId: number } | null> {
  const [row] = await db.query<{ orgId: number }>('SELECT org_id::int AS "orgId" FROM desk_inquiries WHERE id = $1', [
    inquiryId,
  ]);
  return row ?? null;
}

/** Members of the inquiry's workspace (consent is theirs). */
export async function isWorkspaceMember(db: Db, orgId: number, userId: number): Promise<boolean> {
  const rows = await db.query('SELECT 1 FROM memberships WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
  return rows.length > 0;
}

export async function inSomeTeam(db: Db, userId: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM desk_team_members WHERE user_id = $1 LIMIT 1', [userId])).length > 0;
}

// ---------------------------------------------------------------------------------------------
// Figures of the centre (every figure one aggregate query over desk_inquiries; see the indexes of 0022)

const OPEN = "('new', 'assigned', 'in_progress', 'waiting')";

export interface FigureFilter {
  stateKey: string | null;
  from: Date;
  to: Date;
}

export async function openByStateAndSector(
  db: Db,
  stateKey: string | null,
): Promise<{ stateKey: string; sector: string; n: number }[]> {
  // from the queue's trigger-kept groups (migration 0028): a few hundred rows instead of every open inquiry
  return db.query(
    `SELECT state_key AS "stateKey", sector, sum(n)::int AS n FROM desk_queue_counts
     WHERE status IN ${OPEN} AND ($1::text IS NULL OR state_key = $1) GROUP BY state_key, sector HAVING sum(n) > 0`,
    [stateKey],
  );
}

export interface Durations {
  received: number;
  answered: number;
  closed: number;
  onTime: number;
  /** Hours (calendar time) from receipt to the first answer / to closing. */
  firstMedian: number | null;
  firstP90: number | null;
  closeMedian: number | null;
  closeP90: number | null;
}

/** Median and 90th percentile of the hours to the first answer and to closing, of inquiries received in the period. */
export async function durations(db: Db, f: FigureFilter): Promise<Durations> {
  // one sort per measure: percentile_cont over an array of fractions
  const [row] = await db.query<{
    received: number;
    answered: number;
    closed: number;
    onTime: number;
    first: (number | string)[] | null;
    close: (number | string)[] | null;
  }>(
    `SELECT count(*)::int AS received, count(first_answered_at)::int AS answered, count(closed_at)::int AS closed,
       count(*) FILTER (WHERE first_answered_at <= first_answer_due_at)::int AS "onTime",
       percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY extract(epoch FROM first_answered_at - received_at) / 3600)
         AS first,
       percentile_cont(ARRAY[0.5, 0.9]::float8[]) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - received_at) / 3600)
         AS close
     FROM desk_inquiries WHERE received_at >= $2 AND received_at < $3 AND ($1::text IS NULL OR state_key = $1)`,
    [f.stateKey, f.from, f.to],
  );
  const at = (a: (number | string)[] | null | undefined, i: number) =>
    a?.[i] === null || a?.[i] === undefined ? null : Number(a[i]);
  return {
    received: row?.received ?? 0,
    answered: row?.answered ?? 0,
    closed: row?.closed ?? 0,
    onTime: row?.onTime ?? 0,
    firstMedian: at(row?.first, 0),
    firstP90: at(row?.first, 1),
    closeMedian: at(row?.close, 0),
    closeP90: at(row?.close, 1),
  };
}

/**
 * Inquiries received per month and sector; `bounds` are the months' first instants (Europe/Berlin) and the end, so
 * that rows are counted by comparisons (width_bucket) instead of a time-zone conversion per row. `bucket` 1 is the
 * first month.
 */
export async function topicsByMonth(
  db: Db,
  f: FigureFilter & { bounds: readonly Date[] },
): Promise<{ bucket: number; sector: string; n: number }[]> {
  return db.query(
    `SELECT width_bucket(received_at, $4::timestamptz[]) AS bucket, sector, count(*)::int AS n
     FROM desk_inquiries WHERE received_at >= $2 AND received_at < $3 AND ($1::text IS NULL OR state_key = $1)
     GROUP BY 1, 2`,
    [f.stateKey, f.from, f.to, f.bounds],
  );
}

export interface TeamRating {
  teamId: number | null;
  teamName: string | null;
  n: number;
  average: number;
  d1: number;
  d2: number;
  d3: number;
  d4: number;
  d5: number;
}

/** Ratings given in the period, per team. */
export async function ratingsByTeam(db: Db, f: FigureFilter): Promise<TeamRating[]> {
  const rows = await db.query<TeamRating>(
    `SELECT i.team_id::int AS "teamId", t.name AS "teamName", count(*)::int AS n, avg(i.rating)::float8 AS average,
       count(*) FILTER (WHERE i.rating = 1)::int AS d1, count(*) FILTER (WHERE i.rating = 2)::int AS d2,
       count(*) FILTER (WHERE i.rating = 3)::int AS d3, count(*) FILTER (WHERE i.rating = 4)::int AS d4,
       count(*) FILTER (WHERE i.rating = 5)::int AS d5
     FROM desk_inquiries i LEFT JOIN desk_teams t ON t.id = i.team_id
     WHERE i.rating IS NOT NULL AND i.rated_at >= $2 AND i.rated_at < $3 AND ($1::text IS NULL OR i.state_key = $1)
     GROUP BY i.team_id, t.name ORDER BY t.name NULLS LAST`,
    [f.stateKey, f.from, f.to],
  );
  return rows.map((r) => ({ ...r, average: Number(r.average) }));
}

export interface RatingComment {
  inquiryId: number;
  teamId: number | null;
  rating: number;
  comment: string;
  ratedAt: Date;
}

/** The latest comments per team (at most `per` each), with the inquiry for anonymising. */
export async function latestComments(db: Db, f: FigureFilter, per = 3): Promise<RatingComment[]> {
  return db.query<RatingComment>(
    `SELECT id AS "inquiryId", "teamId", rating, comment, "ratedAt" FROM (
       SELECT i.id::int AS id, i.team_id::int AS "teamId", i.rating::int AS rating, i.rating_comment AS comment,
         i.rated_at AS "ratedAt", row_number() OVER (PARTITION BY i.team_id ORDER BY i.rated_at DESC, i.id DESC) AS k
       FROM desk_inquiries i
       WHERE i.rating IS NOT NULL AND i.rating_comment IS NOT NULL AND i.rated_at >= $2 AND i.rated_at < $3
         AND ($1::text IS NULL OR i.state_key = $1)) x
     WHERE k <= $4 ORDER BY "ratedAt" DESC`,
    [f.stateKey, f.from, f.to, per],
  );
}

// ---------------------------------------------------------------------------------------------
// Personal data

export async function personalData(db: Db, userId: number): Promise<Record<string, unknown[]>> {
  const rows = await db.query(
    `SELECT id::int AS id, inquiry_id::int AS "inquiryId", question, status, consent,
       author_user_id = $1 AS "author", consent_user_id = $1 AS "decidedConsent", consent_at AS "consentAt",
       published_by = $1 AS "published", published_at AS "publishedAt", created_at AS "createdAt"
     FROM desk_faq_entries WHERE author_user_id = $1 OR consent_user_id = $1 OR published_by = $1 ORDER BY id`,
    [userId],
  );
  return { desk_faq_entries: rows };
}

/** The entries stay (anonymous public knowledge, consent recorded by time); the person is removed from them. */
export async function forgetPerson(tx: Db, userId: number): Promise<Record<string, number>> {
  const n = async (sql: string) => (await tx.query(sql, [userId])).length;
  return {
    faqAuthor: await n('UPDATE desk_faq_entries SET author_user_id = NULL WHERE author_user_id = $1 RETURNING id'),
    faqConsent: await n('UPDATE desk_faq_entries SET consent_user_id = NULL WHERE consent_user_id = $1 RETURNING id'),
    faqPublisher: await n('UPDATE desk_faq_entries SET published_by = NULL WHERE published_by = $1 RETURNING id'),
  };
}
