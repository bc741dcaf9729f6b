/**
 * Scoring of a Digitalcheck (maturity model): scores per dimension and sector, the overall score and level,
 * strengths and gaps for the result page. (The result page's trend compares checks of the same model version
 * only, so no answers are carried between versions.)
 *
 * Pure functions, no I/O. Rules (all documented where they are implemented):
 *
 * - An answer is a level 0..4 or `null` = "not applicable" (n/a). Scoring never punishes n/a: n/a and
 *   unanswered questions are left out of numerator and denominator alike, so a check with all levels 4 plus
 *   any number of n/a scores 100.
 * - Only the questions that apply to the municipality (size class / type) are passed in; answers to other
 *   questions are ignored.
 * - Score of a group (dimension or sector) = mean of the answered levels / 4 × 100, i.e. 0..100; a group
 *   without any answered level has score `null`.
 * - Overall score = unweighted mean of the dimension scores that are not `null` (see `scoreCheck`).
 * - Overall level = `levelForScore(overall)`: [0,20) → 0, [20,40) → 1, [40,60) → 2, [60,80) → 3, [80,100] → 4.
 * - Scores are not rounded here; rounding for display is the view's job.
 */

/** A maturity level of the model. */
export type Level = 0 | 1 | 2 | 3 | 4;

export const LEVELS: readonly Level[] = Object.freeze([0, 1, 2, 3, 4] as const);

/** One answer of a check; `level: null` means "not applicable" for this municipality. */
export interface Answer {
  questionId: string;
  level: Level | null;
}

/** A question of the model version the check was made with, as far as scoring needs it. */
export interface QuestionRef {
  id: string;
  dimension: string;
  sector: string;
}

export interface GroupScore {
  /** 0..100, or null when no question of the group was answered with a level. */
  score: number | null;
  /** Questions answered with a level 0..4. */
  answered: number;
  /** Questions answered "not applicable". */
  notApplicable: number;
  /** Applicable questions of the group (answered + notApplicable + unanswered). */
  total: number;
}

export interface CheckScore {
  /** 0..100: unweighted mean of the non-null dimension scores; null when no question was answered with a level. */
  overall: number | null;
  /** `levelForScore(overall)`, null when `overall` is null. */
  level: Level | null;
  byDimension: Record<string, GroupScore>;
  bySector: Record<string, GroupScore>;
  /** Questions answered with a level. */
  answered: number;
  /** Questions answered "not applicable". */
  notApplicable: number;
  /** Applicable questions without any answer. */
  missing: number;
  /** Applicable questions (answered + notApplicable + missing). */
  total: number;
  /** Every applicable question has an answer (a level or n/a). */
  complete: boolean;
}

// ---------------------------------------------------------------------------------------------
// Levels

/**
 * Lower bounds of levels 1..4 on the 0..100 scale: [0,20) → 0, [20,40) → 1, [40,60) → 2, [60,80) → 3,
 * [80,100] → 4 — the same as floor(score / 20), capped at 4 so that 100 is level 4.
 *
 * Consequence worth knowing for the result texts: answering every question with level L gives the score
 * 25·L and thus exactly level L (0 → 0, 25 → 1, 50 → 2, 75 → 3, 100 → 4); a mean answered level of 3.2
 * (score 80) already reaches level 4.
 */
export const LEVEL_THRESHOLDS = Object.freeze([20, 40, 60, 80] as const);

/**
 * Tolerance for the level boundaries: the overall score is a mean of means and may come out as
 * 79.99999999999999 where the exact value is 80; such a score must still be level 4.
 */
const BOUNDARY_EPSILON = 1e-9;

/** Maps a score 0..100 to the level 0..4 (see LEVEL_THRESHOLDS). Throws RangeError outside 0..100. */
export function levelForScore(score: number): Level {
  if (!Number.isFinite(score) || score < -BOUNDARY_EPSILON || score > 100 + BOUNDARY_EPSILON) {
    throw new RangeError(`score must be within 0..100, got ${score}`);
  }
  let level = 0;
  for (const threshold of LEVEL_THRESHOLDS) {
    if (score + BOUNDARY_EPSILON >= threshold) level++;
  }
  return level as Level;
}

function isLevel(value: unknown): value is Level {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 4;
}

// ---------------------------------------------------------------------------------------------
// Scoring a check

interface GroupAcc {
  sum: number;
  answered: number;
  notApplicable: number;
  total: number;
}

function groupScore(acc: GroupAcc): GroupScore {
  return {
    // sum·25/answered = (sum/answered)/4·100, computed so that integral results are exact.
    score: acc.answered === 0 ? null : (acc.sum * 25) / acc.answered,
    answered: acc.answered,
    notApplicable: acc.notApplicable,
    total: acc.total,
  };
}

function answersById(answers: readonly Answer[]): Map<string, Level | null> {
  const byId = new Map<string, Level | null>();
  for (const answer of answers) {
    if (byId.has(answer.questionId)) throw new RangeError(`duplicate answer for question ${answer.questionId}`);
    if (answer.level !== null && !isLevel(answer.level)) {
      throw new RangeError(`invalid level ${String(answer.level)} for question ${answer.questionId}`);
    }
    byId.set(answer.questionId, answer.level);
  }
  return byId;
}

/**
 * Scores one check.
 *
 * `questions` are the questions that apply to the municipality (its size class and type); answers to any
 * other question are ignored (e.g. a question that stopped applying after a change of size class).
 * Duplicate question ids or answers, and levels outside 0..4, throw RangeError (data errors, not user input).
 *
 * Overall = unweighted mean of the dimension scores (dimensions with score null left out), not the mean over
 * all answered questions: the dimensions are the model's equally important axes of maturity, and a dimension
 * with many questions (or one where the municipality answered more questions because fewer were n/a) must not
 * dominate the result. Sectors cut across the dimensions and are reported, but do not enter the overall score
 * (the same answers would otherwise count twice).
 */
export function scoreCheck(questions: readonly QuestionRef[], answers: readonly Answer[]): CheckScore {
  const byId = answersById(answers);
  const seen = new Set<string>();
  const dims = new Map<string, GroupAcc>();
  const sectors = new Map<string, GroupAcc>();
  let answered = 0;
  let notApplicable = 0;
  let missing = 0;

  const acc = (map: Map<string, GroupAcc>, key: string): GroupAcc => {
    let a = map.get(key);
    if (!a) {
      a = { sum: 0, answered: 0, notApplicable: 0, total: 0 };
      map.set(key, a);
    }
    return a;
  };

  for (const q of questions) {
    if (seen.has(q.id)) throw new RangeError(`duplicate question ${q.id}`);
    seen.add(q.id);
    const groups = [acc(dims, q.dimension), acc(sectors, q.sector)];
    for (const g of groups) g.total++;
    if (!byId.has(q.id)) {
      missing++;
      continue;
    }
    const level = byId.get(q.id) ?? null;
    if (level === null) {
      notApplicable++;
      for (const g of groups) g.notApplicable++;
    } else {
      answered++;
      for (const g of groups) {
        g.answered++;
        g.sum += level;
      }
    }
  }

  const byDimension: Record<string, GroupScore> = {};
  for (const [key, a] of dims) byDimension[key] = groupScore(a);
  const bySector: Record<string, GroupScore> = {};
  for (const [key, a] of sectors) bySector[key] = groupScore(a);

  const dimScores = Object.values(byDimension)
    .map((g) => g.score)
    .filter((s): s is number => s !== null);
  const overall = dimScores.length === 0 ? null : dimScores.reduce((s, x) => s + x, 0) / dimScores.length;

  return {
    overall,
    level: overall === null ? null : levelForScore(overall),
    byDimension,
    bySector,
    answered,
    notApplicable,
    missing,
    total: questions.length,
    complete: missing === 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Model versions

/**
 * Published with a new model version: new question id → the question id of the previous version it
 * continues, or null for a new question. A question missing from the mapping counts as new too, so a
 * question carried over unchanged must be listed explicitly (`'Q7': 'Q7'`).
 */
export type QuestionMapping = Readonly<Record<string, string | null>>;
