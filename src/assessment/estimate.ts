/**
 * How long the Digitalcheck takes a municipality: computed from the questions that apply to it, not a fixed
 * promise. Pure; the overview shows it before the start and as the remaining time while answering.
 *
 * Formula, per question: the words a person reads (question text, help text and the five level descriptors —
 * "why it matters" is folded away and optional) at READING_WPM words per minute, plus ANSWER_SECONDS to decide
 * and click. The sum is rounded up to whole ROUND_TO minutes, so the figure is a promise we keep ("etwa 45
 * Minuten"), not an optimistic minimum.
 *
 * Reading speed: Brysbaert, M. (2019). How many words do we read per minute? A review and meta-analysis of
 * reading rate. Journal of Memory and Language 109, 104047, https://doi.org/10.1016/j.jml.2019.104047 —
 * adults read non-fiction silently at about 238 words per minute on average (English; the German studies in
 * the review are in the same range), and more slowly when a text has to be understood precisely and acted on.
 * Choosing one of five descriptors that fits one's own town hall is such functional reading, so we take
 * 200 words per minute.
 */
import type { Lang } from '../platform/i18n/i18n.js';
import type { ModelQuestion } from './model.js';

/** Words per minute for functional reading (see above). */
export const READING_WPM = 200;
/** Seconds per question to weigh the levels, pick one and save (looking facts up is not included). */
export const ANSWER_SECONDS = 30;
/** The estimate is rounded up to whole multiples of this many minutes. */
export const ROUND_TO = 5;

/** Words of a text: runs of non-space characters. */
export function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => w !== '').length;
}

/** The words a person reads to answer a question: its text, help and the five level descriptors. */
export function readingWords(q: Pick<ModelQuestion, 'text' | 'help' | 'levels'>, lang: Lang): number {
  return wordCount(q.text[lang]) + wordCount(q.help[lang]) + q.levels.reduce((n, l) => n + wordCount(l[lang]), 0);
}

/** Seconds for one question: reading at READING_WPM plus ANSWER_SECONDS. */
export function questionSeconds(q: Pick<ModelQuestion, 'text' | 'help' | 'levels'>, lang: Lang): number {
  return (readingWords(q, lang) / READING_WPM) * 60 + ANSWER_SECONDS;
}

/**
 * The estimated minutes for the given questions (all applicable ones before the start, the open ones while
 * answering), rounded up to ROUND_TO minutes; 0 when nothing is left.
 */
export function estimateMinutes(questions: readonly Pick<ModelQuestion, 'text' | 'help' | 'levels'>[], lang: Lang) {
  if (questions.length === 0) return 0;
  const seconds = questions.reduce((s, q) => s + questionSeconds(q, lang), 0);
  return Math.ceil(seconds / 60 / ROUND_TO) * ROUND_TO;
}
