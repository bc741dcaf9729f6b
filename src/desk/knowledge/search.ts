/**
 * The FAQ search with the atlas's German analysis (normalising, stop words, the pinned stemmer, decompounding
 * against the atlas lexicon): a document becomes a list of terms (stems of its words and of their compound parts)
 * stored in `desk_faq_entries.search_terms` and indexed as a 'simple' tsvector; a query becomes a tsquery over the
 * same terms: every word must match (its stem, or all its parts' stems), falling back to any word. Pure functions;
 * the same on PGlite and PostgreSQL, and on every instance (no in-memory state besides the lexicon).
 */
import {
  decompound,
  editDistance,
  loadLexicon,
  maxTypoDistance,
  normalizeWord,
  stem,
  tokenize,
} from '../../atlas/index.js';

let lexicon: { words: Set<string>; stems: Set<string> } | null = null;
function lex() {
  if (!lexicon) {
    const words = new Set(loadLexicon().filter((w) => w.length >= 3));
    lexicon = { words, stems: new Set([...words].map(stem)) };
  }
  return lexicon;
}

/** A lexeme safe inside a tsquery/tsvector: folded letters and digits only (normalizeWord drops the rest). */
const safe = (term: string) => normalizeWord(term).replace(/[^\p{L}\p{N}]/gu, '');

/** The parts of a folded word that is a compound of known words (the lexicon and `own` words), else null. */
function partsOf(norm: string, own: ReadonlySet<string>): string[] | null {
  const { words, stems } = lex();
  return decompound(norm, (p) => words.has(p) || stems.has(p) || (p.length >= 4 && own.has(p)));
}

/** The search terms of a text: per word its stem and the stems of its compound (or hyphen) parts. */
export function documentTerms(text: string): string[] {
  const tokens = tokenize(text);
  const own = new Set(tokens.filter((t) => !t.hyphenParts).flatMap((t) => [t.norm, stem(t.norm)]));
  const out: string[] = [];
  for (const t of tokens) {
    out.push(stem(t.norm));
    const pieces = t.hyphenParts ? t.hyphenParts.filter((p) => p.length >= 2) : [t.norm];
    for (const p of pieces) {
      if (t.hyphenParts) out.push(stem(p));
      for (const part of partsOf(p, own) ?? []) out.push(stem(part));
    }
  }
  return out.map(safe).filter(Boolean);
}

/** One query word: its alternatives, each a list of terms that must all match. */
type Alternatives = string[][];

/** The query's words as alternatives (the stem; the parts of a compound or hyphenated word). */
export function queryWords(q: string): Alternatives[] {
  const out: Alternatives[] = [];
  for (const t of tokenize(q).slice(0, 12)) {
    const alts: Alternatives = [[stem(t.norm)]];
    const pieces = t.hyphenParts ? t.hyphenParts.filter((p) => p.length >= 2) : [t.norm];
    const parts = pieces.flatMap((p) => partsOf(p, new Set()) ?? (t.hyphenParts ? [p] : []));
    if (parts.length >= 2) alts.push([...new Set(parts.map(stem))]);
    const clean = alts.map((a) => a.map(safe).filter(Boolean)).filter((a) => a.length > 0);
    if (clean.length) out.push(clean);
  }
  return out;
}

/** The tsquery text of a query ('' for no words): all words (`and`) or any word. */
export function toTsQuery(words: readonly Alternatives[], mode: 'and' | 'or'): string {
  const word = (alts: Alternatives) => `(${alts.map((a) => `(${a.map((x) => `'${x}'`).join(' & ')})`).join(' | ')})`;
  return words.map(word).join(mode === 'and' ? ' & ' : ' | ');
}

/** A query word replaced by a published entry's term within the atlas's typo distance. */
export interface Correction {
  /** The word as typed. */
  from: string;
  /** The term (a stem) it was corrected to. */
  to: string;
}

/**
 * Typo correction against the terms of the published entries (the atlas's distance rule: none below 4 letters,
 * 1 up to 6, else 2; Damerau–Levenshtein): every query word whose stem and compound parts are not among the terms is
 * replaced by the nearest term (ties: the term used by more entries, then alphabetical). Null when nothing was
 * corrected. `terms` maps a term to the number of entries using it.
 */
export function correctQuery(
  q: string,
  terms: ReadonlyMap<string, number>,
): { words: Alternatives[]; corrections: Correction[] } | null {
  const words: Alternatives[] = [];
  const corrections: Correction[] = [];
  for (const t of tokenize(q).slice(0, 12)) {
    const [alts] = queryWords(t.raw);
    if (!alts) continue;
    if (alts.some((a) => a.every((x) => terms.has(x)))) {
      words.push(alts);
      continue;
    }
    const typed = alts[0]![0]!;
    const max = maxTypoDistance(typed.length);
    let best: { term: string; d: number; n: number } | null = null;
    if (max > 0) {
      for (const [term, n] of terms) {
        if (Math.abs(term.length - typed.length) > max) continue;
        const d = editDistance(typed, term, max);
        if (d > max) continue;
        if (!best || d < best.d || (d === best.d && (n > best.n || (n === best.n && term < best.term))))
          best = { term, d, n };
      }
    }
    if (best) {
      words.push([[best.term]]);
      corrections.push({ from: t.raw, to: best.term });
    } else words.push(alts);
  }
  return corrections.length > 0 ? { words, corrections } : null;
}

/** How a corrected term is written in a text (the first word whose term it is), else the term itself. */
export function spelledIn(term: string, text: string): string {
  for (const t of tokenize(text)) if (safe(stem(t.norm)) === term) return t.raw;
  return term;
}
