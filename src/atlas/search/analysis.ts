/**
 * The German analysis chain of the practice search (ADR 0016): normalising, tokenising with positions, one pinned
 * light stemmer, dictionary-based decompounding, stop words, thesaurus lookup and edit distance for typo
 * correction. Every step is a pure function; the same code analyses documents and queries, on every database.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../platform/paths.js';

// ---------------------------------------------------------------------------------------------
// Normalising

const VOWELS_Q = new Set(['a', 'e', 'i', 'o', 'u', 'q']);

/**
 * Folds one lowercase word: ß → ss, diacritics removed (ä → a, é → e), and the transliterations ae/oe/ue → a/o/u
 * so that "Bürgerbüro", "Buergerbuero" and "Burgerburo" meet. A digraph is kept after a vowel or q, so that
 * diphthongs and "qu" survive ("Bauer", "neue", "Steuer", "Quelle" — otherwise "neuen" would become "neun"); the
 * remaining collisions ("aktuell" → "aktull") are harmless because index and query fold alike.
 */
export function foldWord(lower: string): string {
  const s = lower
    .replace(/ß|ẞ/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '');
  if (!/[aou]e/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if ((c === 'a' || c === 'o' || c === 'u') && s[i + 1] === 'e' && (i === 0 || !VOWELS_Q.has(s[i - 1]!))) {
      out += c;
      i++; // drop the e
      continue;
    }
    out += c;
  }
  return out;
}

/** Lowercases (German locale) and folds a single word; characters other than letters and digits are removed. */
export function normalizeWord(word: string): string {
  const hit = NORM_CACHE.get(word);
  if (hit !== undefined) return hit;
  const norm = /^[a-z0-9]+$/.test(word)
    ? foldWord(word)
    : foldWord(word.toLocaleLowerCase('de-DE')).replace(/[^\p{L}\p{N}]+/gu, '');
  if (NORM_CACHE.size >= 200_000) NORM_CACHE.clear();
  NORM_CACHE.set(word, norm);
  return norm;
}
const NORM_CACHE = new Map<string, string>();

/** One word of a text: its position (stop words do not count), the original spelling and the folded form. */
export interface Token {
  /** Folded word; for a hyphenated word the joined form ("E-Akte" → "eakte"). */
  norm: string;
  /** As written in the text ("E-Akte"). */
  raw: string;
  pos: number;
  /** For a hyphenated word its parts, folded ("e", "akte"); they take the positions pos, pos+1, … */
  hyphenParts?: string[];
}

/** A word of a text as `tokenize` matches it (letters, digits, marks; hyphenated parts joined). */
export const WORD_PATTERN = /[\p{L}\p{N}\p{M}]+(?:[-\u2010\u2011][\p{L}\p{N}\p{M}]+)*/gu;

const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
/** Per UTF-16 code unit of the BMP: 0 unknown, 1 word character (letter, digit, mark), 2 other. */
const CHAR_CLASS = new Uint8Array(65536);

/** Whether the code point is a letter, digit or mark (the characters of WORD_PATTERN's runs). */
function isWordCode(cp: number): boolean {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57);
  if (cp < 65536) {
    let c = CHAR_CLASS[cp]!;
    if (c === 0) {
      c = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
      CHAR_CLASS[cp] = c;
    }
    return c === 1;
  }
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

const isHyphenCode = (c: number) => c === 45 || c === 0x2010 || c === 0x2011;

/**
 * Calls `each` with every match of WORD_PATTERN in the text, in order, without the regular expression engine: runs
 * of letters, digits and marks, joined by single hyphens (-, U+2010, U+2011) that have a word character on both
 * sides. The same words as `text.matchAll(WORD_PATTERN)`, several times faster on long texts.
 */
export function forEachWord(text: string, each: (raw: string) => void): void {
  const n = text.length;
  // the length (1 or 2 code units) of the word character at i, or 0
  const wordAt = (i: number): number => {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) return isWordCode(cp) ? 2 : 0;
    }
    return isWordCode(c) ? 1 : 0;
  };
  let i = 0;
  while (i < n) {
    let k = wordAt(i);
    if (k === 0) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (k > 0) {
        i += k;
        k = i < n ? wordAt(i) : 0;
      }
      if (i + 1 < n && isHyphenCode(text.charCodeAt(i)) && wordAt(i + 1) > 0) {
        i++;
        k = wordAt(i);
        continue;
      }
      break;
    }
    each(text.slice(start, i));
  }
}

/**
 * Splits a text into words with positions. Punctuation is dropped, digits are kept, stop words are removed and do
 * not take a position (so "Digitalisierung der Verwaltung" has its two words side by side). A hyphenated word
 * becomes one token with the joined form and keeps its parts ("E-Akte" → "eakte" with parts "e", "akte"; the
 * caller indexes parts of at least two characters). Positions advance by the number of parts of a hyphenated word.
 */
export function tokenize(text: string, keepStopWords = false): Token[] {
  const out: Token[] = [];
  let pos = 0;
  for (const m of text.matchAll(WORD_PATTERN)) {
    const raw = m[0];
    const hyphenated = raw.includes('-') || raw.includes('\u2010') || raw.includes('\u2011');
    const pieces = hyphenated ? raw.split(/[-\u2010\u2011]/).map(normalizeWord) : [normalizeWord(raw)];
    const norm = hyphenated ? pieces.join('') : pieces[0]!;
    if (norm === '') continue;
    if (pieces.length === 1) {
      if (!keepStopWords && STOP_WORDS.has(norm)) continue;
      out.push({ norm, raw, pos });
      pos++;
    } else {
      out.push({ norm, raw, pos, hyphenParts: pieces });
      pos += pieces.length;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Stop words (folded). Articles, pronouns, prepositions, conjunctions, auxiliaries and the verbs of questions,
// so that "Wie kann ich Bauanträge digital einreichen?" keeps only its content words.

export const STOP_WORDS: ReadonlySet<string> = new Set(
  `aber alle allem allen aller alles als also am an andere anderem anderen anderer anderes auch auf aus bei beim
  bin bis bist bitte da damit dann das dass dem den denen denn der deren des dessen dich die dies diese diesem diesen
  dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwa etwas euch euer fur gab gibt gegen
  habe haben hat hatte hatten hier hin ich ihr ihre ihrem ihren ihrer im in innen ins ist ja jede jedem jeden jeder
  jedes jetzt kann kannst konnen konnte mal man mehr mein meine meinem meinen meiner mich mir mit muss mussen nach nicht
  nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seit sich sie sind so solch soll sollen sollte
  sondern sonst uber um und uns unser unsere unserem unseren unter viel vom von vor war waren warum was weil welche
  welchem welchen welcher welches wenn wer werden wie wieder will wir wird wo wobei wohin wollen wurde wurden zu zum zur
  zwischen gibts geht gehen finde finden findet suche suchen suchten mochte mochten brauche brauchen machen macht
  wollte beispiel beispiele beispielen etc bzw usw z b`
    .split(/\s+/)
    .filter(Boolean),
);

export const isStopWord = (norm: string): boolean => STOP_WORDS.has(norm);

/** Folded words that open a question ("Wie …", "Welche Kommunen …"); a text ending in "?" is a question too. */
export const QUESTION_WORDS: ReadonlySet<string> = new Set(
  'wie was wer wen wem wo wann warum weshalb wieso womit wodurch wofur woher wohin welche welcher welches welchen welchem gibt kann konnen lasst'.split(
    ' ',
  ),
);

/**
 * Verbs that carry no topic in a question: the asker's "get, use, do, abolish, let" ("Wie bekommen Schulen …",
 * "Wer nutzt …", "Was tun Gemeinden …", "Papierakten abschaffen"). Dropped from questions only; in a plain query
 * ("Nachnutzung", "Tablets nutzen") they stay.
 */
export const QUESTION_VERBS: ReadonlySet<string> = new Set(
  `bekommen bekommt bekomme erhalten erhalt erhalte kriegen kriegt nutzen nutzt nutze benutzen benutzt verwenden
  verwendet einsetzen setzen setzt tun tut mache lassen lasst gelingt gelingen klappt funktioniert funktionieren
  helfen hilft schaffen schafft abschaffen umsetzen umgesetzt angehen anfangen starten loswerden vermeiden
  verbessern verbessert`
    .split(/\s+/)
    .filter(Boolean),
);

/**
 * Stems of the generic actors of a question ("Welche Kommunen …", "Wie können Bürger …", "Was tun Gemeinden …"):
 * the asker names who acts, the topic is the rest. In a question they still rank but are not required.
 */
export const QUESTION_ACTORS: ReadonlySet<string> = new Set(
  'kommun gemeind stadt landkreis kreis verwalt burger einwohner behord amt amter rathaus ort orte'.split(' '),
);

/** Whether a query is a question: it ends in "?" or opens with a question word. */
export function isQuestion(text: string): boolean {
  if (/\?\s*$/.test(text)) return true;
  const first = tokenize(text, true)[0];
  return first !== undefined && QUESTION_WORDS.has(first.norm);
}

// ---------------------------------------------------------------------------------------------
// Stemming: a light German stemmer of our own, pinned (its behaviour is fixed by the unit tests). It works on
// folded words. Inflection: -e, -en, -es, -s, -n after -er/-el, -er/-em only after an adjective ending (so that
// "Bürger" stays "burger" and never meets "Burg"), feminine -in/-innen after -er. Derivation: -ierung/-ieren/-iert
// → -ier, -ung → verb stem when at least five letters remain, separable participles ("eingereicht" →
// "einreich", "ausgebaut" → "ausbau"). Rules in the spirit of CISTEM (Weißweiler & Fraser, "Developing a
// stemmer for German based on a comparative analysis of publicly available stemmers", GSCL 2017), written anew.

const ADJECTIVE_ENDINGS = [
  'al',
  'ell',
  'ull',
  'il',
  'ig',
  'lich',
  'isch',
  'iv',
  'bar',
  'sam',
  'haft',
  'los',
  'ent',
  'ant',
];
const ADJECTIVES = new Set(
  'neu alt frei klein gross hoch smart schnell modern offen intern extern direkt breit weit dicht sicher stark schwach gut einfach lang kurz ganz'.split(
    ' ',
  ),
);
const ERN_KEEP = new Set(['modern', 'intern', 'extern', 'konzern', 'gestern', 'western', 'stern', 'kern', 'fern']);
/** Stems that -ung must not be reduced to, because another word owns them (Schulung ≠ Schule, Steuerung ≠ Steuer). */
const UNG_KEEP = new Set(['schul', 'steuer', 'ander', 'stift', 'sicher', 'leit', 'halt']);
const SEPARABLE = [
  'zuruck',
  'zusammen',
  'nach',
  'fest',
  'auf',
  'aus',
  'bei',
  'ein',
  'mit',
  'vor',
  'weg',
  'ab',
  'an',
  'um',
  'zu',
];
const VOWEL = /[aeiouy]/;

const isAdjectiveStem = (s: string): boolean => ADJECTIVES.has(s) || ADJECTIVE_ENDINGS.some((e) => s.endsWith(e));

function stripInflection(w: string): string {
  for (const suffix of ['en', 'em', 'er', 'es', 'e']) {
    if (w.endsWith(suffix) && ADJECTIVES.has(w.slice(0, -suffix.length))) return w.slice(0, -suffix.length);
  }
  if (w.endsWith('erinnen') && w.length >= 9) return w.slice(0, -5);
  if (w.endsWith('innen') && w.length >= 9) return w.slice(0, -5);
  if (w.endsWith('erin') && w.length >= 7) return w.slice(0, -2);
  if (w.endsWith('nisse') || w.endsWith('nissen')) return w.slice(0, w.indexOf('nisse', w.length - 7) + 3);
  if (w.endsWith('em') || w.endsWith('er')) {
    const s = w.slice(0, -2);
    if (s.length >= 3 && isAdjectiveStem(s)) return s;
  }
  if (w.endsWith('ern') || w.endsWith('eln')) {
    if (w.length >= 7 && !ERN_KEEP.has(w)) {
      const s = w.slice(0, -1);
      if (w.endsWith('ern') && isAdjectiveStem(s.slice(0, -2))) return s.slice(0, -2);
      return s;
    }
    return w;
  }
  if (w.endsWith('es') && w.length >= 6) {
    const s = w.slice(0, -2);
    if (!VOWEL.test(s[s.length - 1]!)) return s;
  }
  if (w.endsWith('en') && w.length >= 5) {
    const s = w.slice(0, -2);
    if (s.length >= 4) return s;
    return w.slice(0, -1); // "akten" → "akte" (too short to lose the e: "akt" is another word)
  }
  if (w.endsWith('e') && w.length >= 5) return w.slice(0, -1);
  if (w.endsWith('s') && w.length >= 5) {
    const p = w[w.length - 2]!;
    // "Verkehrs" → "verkehr", "Kitas" → "kita"; "Kreis", "Haus", "Prozess" keep their s
    if ((p !== 's' && !VOWEL.test(p)) || p === 'a' || p === 'o' || p === 'y') return w.slice(0, -1);
  }
  return w;
}

function stripDerivation(w: string): string {
  if (w.endsWith('ierung') && w.length >= 9) return w.slice(0, -3);
  if (w.endsWith('iert') && w.length >= 7) return w.slice(0, -1);
  if (w.endsWith('iertes') || w.endsWith('ierter') || w.endsWith('iertem')) return w.slice(0, -3);
  if (w.endsWith('iert')) return w.slice(0, -1);
  if (w.endsWith('ung') && w.length >= 8) {
    const s = w.slice(0, -3);
    if (!UNG_KEEP.has(s)) return s;
  }
  if (w.endsWith('heit') || w.endsWith('keit')) return w;
  for (const p of SEPARABLE) {
    if (w.startsWith(`${p}ge`) && w.endsWith('t')) {
      let core = w.slice(p.length + 2);
      core = core.endsWith('tet') || core.endsWith('det') ? core.slice(0, -2) : core.slice(0, -1);
      if (core.length >= 3 && VOWEL.test(core)) return p + core;
    }
  }
  return w;
}

/** The stem of a folded word. Words shorter than four letters and words with digits are returned unchanged. */
const IRREGULAR: Readonly<Record<string, string>> = { busse: 'bus', bussen: 'bus', apps: 'app' };

export function stem(norm: string): string {
  const hit = STEM_CACHE.get(norm);
  if (hit !== undefined) return hit;
  const s = stemUncached(norm);
  if (STEM_CACHE.size >= 200_000) STEM_CACHE.clear();
  STEM_CACHE.set(norm, s);
  return s;
}
const STEM_CACHE = new Map<string, string>();

function stemUncached(norm: string): string {
  if (norm.length < 4 || /\d/.test(norm)) return norm;
  const irregular = IRREGULAR[norm];
  if (irregular) return irregular;
  let w = stripInflection(norm);
  // an inflected participle or -ier form: "digitalisierte" → "digitalisiert" → "digitalisier"
  w = stripDerivation(w);
  if (w.endsWith('iert')) w = w.slice(0, -1);
  return w;
}

// ---------------------------------------------------------------------------------------------
// Decompounding

/** Joining elements (Fugenelemente) between the parts of a compound, longest first. */
export const LINKING_ELEMENTS = ['es', 'en', 'er', 's', 'n', 'e'] as const;
export const MIN_PART = 3;

/**
 * Splits a folded word into known parts by dynamic programming: the fewest parts win, then the split with fewer
 * joining letters; every part must be at least `minPart` letters long and be known (`isKnown` of the part or of
 * its stem), a joining element may follow any part but the last. Returns the parts (without joining elements) or
 * null when the word is not a compound of known words. The word itself counts only when split into ≥ 2 parts.
 */
export function decompound(word: string, isKnown: (part: string) => boolean, minPart = MIN_PART): string[] | null {
  const n = word.length;
  if (n < 2 * minPart || /\d/.test(word)) return null;
  const known = (p: string) => p.length >= minPart && !STOP_WORDS.has(p) && (isKnown(p) || isKnown(stem(p)));
  // best[i]: the best split of word.slice(i) as [parts, joining letters] or null
  const best: ({ parts: string[]; link: number } | null)[] = new Array(n + 1).fill(null);
  for (let i = n - minPart; i >= 0; i--) {
    let cand: { parts: string[]; link: number } | null = null;
    const consider = (c: { parts: string[]; link: number }) => {
      if (!cand || c.parts.length < cand.parts.length || (c.parts.length === cand.parts.length && c.link < cand.link))
        cand = c;
    };
    if (i > 0 && known(word.slice(i))) consider({ parts: [word.slice(i)], link: 0 });
    for (let j = i + minPart; j <= n - minPart; j++) {
      const part = word.slice(i, j);
      if (!known(part)) continue;
      const rest = best[j];
      if (rest) consider({ parts: [part, ...rest.parts], link: rest.link });
      for (const l of LINKING_ELEMENTS) {
        if (word.startsWith(l, j)) {
          const r = best[j + l.length];
          if (r) consider({ parts: [part, ...r.parts], link: r.link + l.length });
        }
      }
    }
    best[i] = cand;
  }
  const b = best[0];
  return b && b.parts.length >= 2 ? b.parts : null;
}

// ---------------------------------------------------------------------------------------------
// Edit distance for typo correction

/**
 * Damerau-Levenshtein distance (optimal string alignment: insert, delete, substitute, swap two neighbours),
 * stopping early and returning max + 1 once the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = 2): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prev2 = new Int32Array(lb + 1);
  let prev = new Int32Array(lb + 1);
  let cur = new Int32Array(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[lb]!, max + 1);
}

/** The largest edit distance a typo correction may bridge for a word of this length (folded). */
export function maxTypoDistance(length: number): number {
  if (length < 4) return 0;
  return length <= 6 ? 1 : 2;
}

/** Trigrams of a word padded with one space each side ("bau" → " ba", "bau", "au "). */
export function trigrams(word: string): string[] {
  const w = ` ${word} `;
  const out: string[] = [];
  for (let i = 0; i + 3 <= w.length; i++) out.push(w.slice(i, i + 3));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Thesaurus and lexicon (content/atlas/)

export interface ThesaurusGroup {
  /** Equivalent terms or phrases, as written ("E-Akte", "elektronische Akte"). */
  terms: readonly string[];
  /** Narrower terms a query for the group also finds, with a lower weight (never the other way round). */
  narrower?: readonly string[];
  /** The public source that documents the equivalence. */
  source: string;
}
export interface Thesaurus {
  version: number;
  groups: readonly ThesaurusGroup[];
}

export const ATLAS_CONTENT_DIR = `${path.join(ROOT, 'content', 'atlas')}${path.sep}`;

/** Loads and checks content/atlas/thesaurus.json (or `file`). Throws with the group's index when malformed. */
export function loadThesaurus(file = `${ATLAS_CONTENT_DIR}thesaurus.json`): Thesaurus {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as Thesaurus;
  if (typeof json.version !== 'number' || !Array.isArray(json.groups)) throw new Error(`${file}: version and groups`);
  json.groups.forEach((g, i) => {
    const ok = (a: unknown) => Array.isArray(a) && a.every((t) => typeof t === 'string' && t.trim() !== '');
    if (!ok(g.terms) || g.terms.length < 2) throw new Error(`${file}: group ${i} needs at least two terms`);
    if (g.narrower !== undefined && !ok(g.narrower)) throw new Error(`${file}: group ${i}: narrower`);
    if (typeof g.source !== 'string' || g.source.trim() === '') throw new Error(`${file}: group ${i} has no source`);
  });
  return json;
}

/** Loads content/atlas/lexicon.txt (or `file`): one word a line, `#` starts a comment; returns folded words. */
export function loadLexicon(file = `${ATLAS_CONTENT_DIR}lexicon.txt`): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter(Boolean)
    .map(normalizeWord);
}

/** The key of a term or phrase for thesaurus lookup: the stems of its words, joined by spaces. */
export function phraseKey(text: string): string {
  return tokenize(text, true)
    .map((t) => stem(t.norm))
    .join(' ');
}
