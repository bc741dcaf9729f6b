/**
 * Formatting of the strategy module's quantities for pages and documents: ranges of person-days, EUR and
 * months ("3–10 Personentage", "0–5.000 €", "2–4 Monate"), amounts ("12.500 €" / "€12,500") and calendar
 * months ("03/2027"). Pure; texts come from the messages through `t`.
 */
import { formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { Range } from './measures.js';

const DASH = '\u2013';

function numberRange(lang: Lang, r: Range): string {
  return r.min === r.max
    ? formatNumber(lang, r.min)
    : `${formatNumber(lang, r.min)}${DASH}${formatNumber(lang, r.max)}`;
}

/** An amount in EUR, whole euros: "12.500 €" (de), "€12,500" (en). */
export function formatEur(t: Translate, lang: Lang, amount: number): string {
  return t('measures.page.eur', { range: formatNumber(lang, Math.round(amount)) });
}

/** A cost range: "0–5.000 €", "5.000 €" when min = max, "keine" / "none" when both are 0. */
export function eurRange(t: Translate, lang: Lang, r: Range): string {
  if (r.min === 0 && r.max === 0) return t('measures.page.noCost');
  return t('measures.page.eur', { range: numberRange(lang, r) });
}

/** An effort range: "3–10 Personentage", "1 Personentag". */
export function daysRange(t: Translate, lang: Lang, r: Range): string {
  if (r.min === 1 && r.max === 1) return t('measures.page.daysOne');
  return t('measures.page.days', { range: numberRange(lang, r) });
}

/** A duration range: "2–4 Monate", "1 Monat". */
export function monthsRange(t: Translate, lang: Lang, r: Range): string {
  if (r.min === 1 && r.max === 1) return t('measures.page.monthsOne');
  return t('measures.page.months', { range: numberRange(lang, r) });
}

/** "2027-03" → "03/2027" (the same in both languages). */
export function formatYearMonth(yearMonth: string): string {
  const [y, m] = yearMonth.split('-');
  return `${m}/${y}`;
}

/** Abbreviations after which a full stop does not end a sentence. */
const ABBREVIATIONS = new Set([
  'ca',
  'nr',
  'abs',
  'bzw',
  'vgl',
  'ggf',
  'inkl',
  'etc',
  'usw',
  'dr',
  'st',
  'vs',
  'approx',
]);

/**
 * The first sentence of a description (what is done), for lists; the whole text when it has one sentence.
 * A full stop after a single letter ("z. B."), after short parts joined by dots ("e.g.") or after a known
 * abbreviation does not end a sentence.
 */
export function firstSentence(text: string): string {
  const re = /[.!?](?=\s+[A-ZÄÖÜ0-9„"])/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const before = text.slice(0, m.index);
    const token = before.slice(before.search(/\S+$/)).replace(/^[^\p{L}]+/u, '');
    const abbreviation =
      token.length <= 1 ||
      ABBREVIATIONS.has(token.toLowerCase()) ||
      (token.includes('.') && token.split('.').every((part) => part.length <= 2));
    if (text[m.index] === '.' && abbreviation) continue;
    return text.slice(0, m.index + 1);
  }
  return text;
}
