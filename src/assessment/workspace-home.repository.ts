import type { Db } from '../platform/db/db.js';

/**
 * Copy the answers of `fromCheckId` for the given questions into the draft `toCheckId` as a starting point.
 * Their `updated_at` is the draft's `created_at` (the same transaction): an answer is "zu prüfen" until it is
 * saved again (see `needsReview`). Returns the number copied.
 */
export async function copyAnswers(db: Db, fromCheckId: number, toCheckId: number, questionIds: readonly string[]) {
  const rows = await db.query<{ id: string }>(
    `INSERT INTO check_answers (check_id, question_id, level, not_applicable, comment, evidence_url, updated_by, updated_at)
     SELECT $2, a.question_id, a.level, a.not_applicable, a.comment, a.evidence_url, a.updated_by, c.created_at
     FROM check_answers a, checks c WHERE a.check_id = $1 AND c.id = $2 AND a.question_id = ANY($3::text[])
     ON CONFLICT (check_id, question_id) DO NOTHING RETURNING question_id AS id`,
    [fromCheckId, toCheckId, questionIds],
  );
  return rows.length;
}
