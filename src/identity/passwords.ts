/**
 * Passwords of user accounts (OWASP ASVS 4.0 level 2, V2.1 and V2.4): argon2id hashing, verification
 * without account enumeration by timing, and the password policy (length, common passwords, e-mail).
 *
 * Passwords are normalised to Unicode NFC before they are counted, checked, hashed or verified, so that the
 * same password typed on systems that produce composed (Windows) or decomposed (macOS) umlauts verifies.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { type Algorithm, hash, parseOptions, type Version, verify } from '@node-rs/argon2';
import type { MessageKey, Params } from '../platform/i18n/i18n.js';
import { spellOutUmlauts } from '../platform/text.js';

// ---------------------------------------------------------------------------------------------
// Hashing

/**
 * argon2id with m = 64 MiB, t = 3, p = 1: the second recommended option of RFC 9106 (§ 4) and stronger
 * than the OWASP Password Storage Cheat Sheet's minimum (m = 19 MiB, t = 2, p = 1; OWASP lists both as
 * acceptable). Measured on the 2-core reference machine with bench/argon2.ts: ≈ 15.7 hashes/s on one core
 * (≈ 64 ms CPU per hash) and ≈ 28 hashes/s (29 verifications/s) with both cores, above the ≥ 10 hashes/s we
 * require for login capacity, while an offline attacker pays 64 MiB and 3 passes per guess, ≈ 5× the work of
 * the OWASP minimum (≈ 79 hashes/s per core here). Each running hash holds 64 MiB; at most
 * UV_THREADPOOL_SIZE (default 4) run at once, so ≤ 256 MiB.
 *
 * Changing these values: existing hashes keep verifying (the parameters are stored in the hash) and
 * `needsRehash()` reports them, so the login can rehash on success. DUMMY_HASH must then be regenerated
 * (a unit test checks that it matches these parameters).
 */
export const ARGON2_PARAMS = Object.freeze({
  algorithm: 2 as Algorithm, // Algorithm.Argon2id (a const enum: not usable under isolatedModules)
  version: 1 as Version, // Version.V0x13 (argon2 1.3, "v=19" in the PHC string)
  memoryCost: 65_536, // KiB = 64 MiB
  timeCost: 3,
  parallelism: 1,
  outputLen: 32,
});

/** Limits of a stored hash that `verifyPassword` accepts: a hash beyond them (a corrupted or planted row)
 * would cost minutes or gigabytes, so it is treated as malformed. */
const MAX_VERIFY_MEMORY_KIB = 1_048_576; // 1 GiB
const MAX_VERIFY_TIME_COST = 20;
const MAX_VERIFY_PARALLELISM = 16;

/**
 * An argon2id hash with ARGON2_PARAMS of 32 random bytes that were thrown away: no password matches it.
 * `verifyAgainstDummy()` verifies against it when the e-mail of a login is unknown, so that this costs the
 * same time as a wrong password for a known account.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=65536,t=3,p=1$o1HbXCrmdMgLbHcmBf9Z4Q$2xWdzRB5dMvGhBB890rTY2X73mp2+3kvrxU+lFf+Gc0';

function normalize(password: string): string {
  return password.normalize('NFC');
}

/**
 * At most this many argon2 operations (hash or verify) run at once; the others wait in line. Each one keeps a
 * core busy for ≈ 65 ms (t = 3 passes over 64 MiB) on a thread of libuv's pool. Unlimited, a burst of logins
 * takes every core and every pool thread (UV_THREADPOOL_SIZE, default 4, which file access and compression
 * share): pages wait behind them, and so do the logins themselves, whose time then grows with the burst. With
 * one core left for everything else, page views keep answering and logins queue in order. Measured with
 * bench/load.ts (50 virtual users). Waiting in line does not tell accounts apart: unknown e-mails (the dummy
 * verification) wait the same.
 */
const ARGON2_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism() - 1));
let argon2Running = 0;
const argon2Waiting: (() => void)[] = [];

async function argon2Slot<T>(fn: () => Promise<T>): Promise<T> {
  if (argon2Running < ARGON2_CONCURRENCY) argon2Running++;
  else await new Promise<void>((resolve) => argon2Waiting.push(resolve)); // the slot is handed over
  try {
    return await fn();
  } finally {
    const next = argon2Waiting.shift();
    if (next) next();
    else argon2Running--;
  }
}

/** Hash a password (argon2id, ARGON2_PARAMS, random 16-byte salt) into a PHC string `$argon2id$v=19$…`.
 * Run `checkPasswordPolicy` first: this function hashes whatever it is given. */
export async function hashPassword(password: string): Promise<string> {
  const normalized = normalize(password);
  return argon2Slot(() => hash(normalized, { ...ARGON2_PARAMS }));
}

/**
 * Whether `password` matches the stored `storedHash`. Never throws: a malformed, empty or unsupported hash,
 * or one with absurd cost parameters, yields false.
 */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  if (typeof storedHash !== 'string' || typeof password !== 'string' || !storedHash.startsWith('$argon2')) {
    return false;
  }
  try {
    const opts = parseOptions(storedHash);
    if (
      opts.memoryCost > MAX_VERIFY_MEMORY_KIB ||
      opts.timeCost > MAX_VERIFY_TIME_COST ||
      opts.parallelism > MAX_VERIFY_PARALLELISM
    ) {
      return false;
    }
    const normalized = normalize(password);
    return await argon2Slot(() => verify(storedHash, normalized));
  } catch {
    return false;
  }
}

/**
 * Whether a stored hash was made with other parameters than ARGON2_PARAMS (algorithm, version, memory,
 * passes, lanes, output length, a salt shorter than 16 bytes) or is malformed. Call it after a successful
 * login and store `hashPassword(password)` when it is true.
 */
export function needsRehash(storedHash: string): boolean {
  try {
    const o = parseOptions(storedHash);
    return (
      o.algorithm !== ARGON2_PARAMS.algorithm ||
      o.version !== ARGON2_PARAMS.version ||
      o.memoryCost !== ARGON2_PARAMS.memoryCost ||
      o.timeCost !== ARGON2_PARAMS.timeCost ||
      o.parallelism !== ARGON2_PARAMS.parallelism ||
      o.outputLen !== ARGON2_PARAMS.outputLen ||
      o.saltLen < 16
    );
  } catch {
    return true;
  }
}

/**
 * Spend the time of one verification and return false. For a login whose e-mail matches no account (or an
 * account without a password), so that the response time does not tell whether the account exists.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, typeof password === 'string' ? password : '');
  return false;
}

// ---------------------------------------------------------------------------------------------
// Policy

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;
/** Shortest e-mail local part (or part of it) that a password must not contain. */
const MIN_EMAIL_PART = 4;

export type PasswordPolicyCode = 'too-short' | 'too-long' | 'common' | 'contains-email';
export type PasswordPolicyResult =
  | { ok: true }
  | { ok: false; code: PasswordPolicyCode; key: MessageKey; params?: Params };

export interface PasswordContext {
  email?: string;
  name?: string;
}

const MESSAGES: Record<PasswordPolicyCode, MessageKey> = {
  'too-short': 'auth.pwTooShort',
  'too-long': 'auth.pwTooLong',
  common: 'auth.pwCommon',
  'contains-email': 'auth.pwContainsEmail',
};

function refuse(code: PasswordPolicyCode, key = MESSAGES[code]): PasswordPolicyResult {
  const params: Params | undefined =
    code === 'too-short'
      ? { min: MIN_PASSWORD_LENGTH }
      : code === 'too-long'
        ? { max: MAX_PASSWORD_LENGTH }
        : undefined;
  return params ? { ok: false, code, key, params } : { ok: false, code, key };
}

/**
 * Check a new password (registration, password change, reset) against the policy: 12 to 256 characters
 * (Unicode code points after NFC, so "🔒" counts as one), not containing the e-mail's local part (or a
 * part of it separated by . _ - +) of at least 4 characters, and not a common password: the lists below,
 * compared case-insensitively, also with leading/trailing digits, punctuation and spaces stripped
 * ("Passwort1234!" → "passwort"), with common letter substitutions undone ("P4ssw0rt" → "passwort"),
 * umlauts transliterated ("München" → "muenchen"); also trivial patterns ("aaaaaaaaaaaa", "abcabcabcabc",
 * "123456789012") and the user's own name. Loads the lists on first use (synchronously, ≈ 20 ms).
 */
export function checkPasswordPolicy(password: string, context: PasswordContext = {}): PasswordPolicyResult {
  const pw = normalize(password);
  const length = codePointLength(pw);
  if (length < MIN_PASSWORD_LENGTH) return refuse('too-short');
  if (length > MAX_PASSWORD_LENGTH) return refuse('too-long');

  const lower = pw.toLowerCase();
  if (containsEmail(lower, context.email)) return refuse('contains-email');

  const candidates = variants(lower);
  if (matchesName(candidates, context.name, context.email)) return refuse('common', 'auth.pwName');
  if (isCommon(lower, candidates)) return refuse('common');
  return { ok: true };
}

/** Whether a password is on the common-password lists (with the variants of `checkPasswordPolicy`). */
export function isCommonPassword(password: string): boolean {
  const lower = normalize(password).toLowerCase();
  return isCommon(lower, variants(lower));
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function containsEmail(lowerPw: string, email: string | undefined): boolean {
  const local = emailLocalPart(email);
  if (!local) return false;
  const parts = [local, ...local.split(/[._+-]+/)];
  return parts.some((p) => codePointLength(p) >= MIN_EMAIL_PART && lowerPw.includes(p));
}

function emailLocalPart(email: string | undefined): string {
  if (!email) return '';
  const at = email.lastIndexOf('@');
  return normalize(at >= 0 ? email.slice(0, at) : email)
    .trim()
    .toLowerCase();
}

/** The user's name (or e-mail local part), possibly with digits or punctuation around it, is refused. */
function matchesName(candidates: Set<string>, name: string | undefined, email: string | undefined): boolean {
  const words = new Set<string>();
  const add = (s: string) => {
    const tokens = s.split(/[\s._+-]+/).filter((t) => codePointLength(t) >= 3);
    for (const t of tokens) words.add(t);
    if (tokens.length > 1) words.add(tokens.join(''));
  };
  if (name) add(normalize(name).toLowerCase());
  const local = emailLocalPart(email);
  if (local) add(local);
  for (const w of [...words]) words.add(transliterate(w));
  for (const c of candidates) if (words.has(c) || words.has(c.replace(/[\s._+-]+/g, ''))) return true;
  return false;
}

const EDGE_JUNK = /^[\p{N}\p{P}\p{S}\s]+|[\p{N}\p{P}\p{S}\s]+$/gu;
const LEET_I: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '€': 'e',
  '!': 'i',
};
const LEET_L: Record<string, string> = { ...LEET_I, '1': 'l', '!': 'l' };

const transliterate = spellOutUmlauts;

/** The forms of a lower-case password that are looked up in the lists. */
function variants(lower: string): Set<string> {
  const out = new Set<string>();
  const add = (s: string) => {
    if (!s) return;
    out.add(s);
    out.add(transliterate(s));
  };
  const compact = lower.replace(/\s+/g, '');
  for (const s of [lower, compact]) {
    add(s);
    const repeated = /^([\s\S]+?)\1+$/u.exec(s)?.[1]; // "passwortpasswort" → "passwort"
    if (repeated) add(repeated.replace(EDGE_JUNK, ''));
    const base = s.replace(EDGE_JUNK, '');
    add(base);
    for (const map of [LEET_I, LEET_L]) {
      const unleet = [...base].map((c) => map[c] ?? c).join('');
      add(unleet);
      add(unleet.replace(EDGE_JUNK, ''));
    }
  }
  return out;
}

function isCommon(lower: string, candidates: Set<string>): boolean {
  const list = commonPasswords();
  for (const c of candidates) if (list.has(c)) return true;
  if (isTrivial(lower)) return true;
  const base = lower.replace(EDGE_JUNK, '');
  return codePointLength(base) >= 4 && isTrivial(base);
}

/** A short unit repeated ("aaaa…", "abcabc…", "2024 2024 …") or a run of consecutive characters
 * ("abcdefgh…", "1234567890…", "987654…"). */
function isTrivial(s: string): boolean {
  const compact = s.replace(/\s+/g, '');
  if (/^([\s\S]{1,4}?)\1+$/u.test(compact)) return true;
  const cps = [...compact].map((c) => c.codePointAt(0)!);
  if (cps.length < 3) return false;
  const isDigit = (c: number) => c >= 48 && c <= 57;
  const step = (a: number, b: number) => {
    if (isDigit(a) && isDigit(b)) {
      if (a === 57 && b === 48) return 1; // 9 → 0
      if (a === 48 && b === 57) return -1; // 0 → 9
    }
    return b - a;
  };
  const first = step(cps[0]!, cps[1]!);
  if (first !== 1 && first !== -1) return false;
  for (let i = 2; i < cps.length; i++) if (step(cps[i - 1]!, cps[i]!) !== first) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Common-password lists

/**
 * German choices that the English-based list misses or that matter here: words, cities, football clubs,
 * keyboard walks of the QWERTZ layout, and context-specific words of this service (NIST SP 800-63B
 * § 5.1.1.2). Lower case, without spaces (spaces are removed before lookup); umlauts are transliterated
 * before lookup, so "ae"/"oe"/"ue"/"ss" forms suffice. Leading and trailing digits and punctuation are
 * stripped before lookup, so "hallo" covers "Hallo123!"; entries with digits (clubs) cover the unstripped
 * form. A string, not an array, so that the formatter keeps it compact; `#` starts a comment line.
 */
const GERMAN_COMMON = parseWordList(`
# passwords, greetings, affection
passwort kennwort meinpasswort neuespasswort startpasswort initialpasswort passwortvergessen geheim geheimnis
strenggeheim sicherheit sicher zugang anmelden anmeldung benutzer benutzername nutzer willkommen
herzlichwillkommen hallo hallo123 hallihallo halloduda servus moin moinmoin tschuess danke bitte keineahnung
weissnicht egal vergessen schatz schatzi schatzilein liebling liebe ichliebedich iloveyou mausi maus mäuschen
hase hasi haeschen baerchen baer engel engelchen prinzessin prinz spatz schnucki schnuckel knuddel kuschel
zuckerschnecke sonnenschein sonne mond sterne sternchen blume blumen rose katze kater hund hunde pferd pferde
vogel drache drachen teufel gott himmel hoelle familie kinder mama papa mutti vati oma opa zuhause heimat urlaub
freiheit freund freundin fussball handball schule arbeit computer internet scheisse arschloch ficken wichser
bier schnaps
# seasons, months, days
fruehling sommer herbst winter januar februar maerz april mai juni juli august september oktober november
dezember montag dienstag mittwoch donnerstag freitag samstag sonntag weihnachten ostern silvester geburtstag
# places
deutschland germany berlin hamburg muenchen koeln frankfurt stuttgart duesseldorf dortmund essen leipzig bremen
dresden hannover nuernberg duisburg bochum wuppertal bielefeld bonn muenster mannheim karlsruhe augsburg
wiesbaden gelsenkirchen moenchengladbach braunschweig kiel chemnitz aachen halle magdeburg freiburg krefeld
mainz luebeck erfurt oberhausen rostock kassel hagen potsdam saarbruecken hamm ludwigshafen oldenburg osnabrueck
leverkusen heidelberg darmstadt regensburg wuerzburg ingolstadt ulm wolfsburg goettingen schwerin bayern sachsen
hessen thueringen brandenburg niedersachsen westfalen ruhrpott schwaben franken ostfriesland wien oesterreich
schweiz zuerich
# football clubs
fcbayern fcbayernmuenchen bayernmuenchen fcb borussia borussiadortmund bvb bvb09 schalke schalke04 s04 werder
werderbremen svwerder hsv hamburgersv stpauli eintracht eintrachtfrankfurt sge hertha herthabsc unionberlin
fcunion effzeh fckoeln 1fckoeln gladbach fohlen vfb vfbstuttgart vfl vflwolfsburg vflbochum bayer04 werkself
hoffenheim scfreiburg fcaugsburg mainz05 hannover96 96 fcn clubberer fck kaiserslautern lautern fortuna
fortunaduesseldorf dynamo dynamodresden rbleipzig hansa hansarostock arminia kickers
# keyboard walks (QWERTZ) and number patterns
qwertz qwertzu qwertzui qwertzuiop qwertzuiopue ztrewq asdfghjkl asdfghjkloe yxcvbnm yxcvbn qaywsx qaywsxedc
qaywsxedcrfv 1qay2wsx 1qay2wsx3edc qay123 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6z q1w2e3r4t5z6 qwertz123 123qwe qwe123
abc123 abcdef test test123 testtest admin administrator login root gast demo muster mustermann maxmustermann
erikamustermann
# this service and its context (NIST SP 800-63B: context-specific words)
kommunallotse lotse kommune kommunen kompetenzzentrum kompetenzzentrumdigitalestaedteundregionen
digitalestaedte digitalestaedteundregionen digitaleregionen digitalisierung smartcity gemeinde gemeinderat
rathaus verwaltung stadtverwaltung kreisverwaltung landkreis landratsamt buergeramt buergermeister
buergermeisterin stadt stadtrat amt behoerde ozg onlinezugangsgesetz
`);

function parseWordList(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .flatMap((line) => line.split(/\s+/))
    .filter(Boolean);
}

interface CommonLanguagePackage {
  dictionary: { 'passwords-common': string[] };
}

let commonSet: Set<string> | null = null;
let loadInfo: { size: number; ms: number } | null = null;

/**
 * The set of common passwords (lower case): the 49 233 passwords of the npm package
 * `@zxcvbn-ts/language-common` (MIT licence, © 2012-2016 Dan Wheeler and Dropbox, Inc., © 2021 zxcvbn-ts;
 * derived from Mark Burnett's 10 million leaked passwords published by xato.net in 2015: every password
 * seen more than 10 times, lower-cased, without those that zxcvbn's pattern matchers catch anyway), plus
 * GERMAN_COMMON. Loaded on first use and kept for the process.
 *
 * The package ships the list twice: as plain JSON (`src/passwords.json`, 487 kB, parsed in ≈ 15 ms) and
 * compressed behind its entry point (decompressed in ≈ 30 ms on a busy machine). The JSON is read when
 * present; the entry point is the fallback should a later version stop shipping it.
 */
function commonPasswords(): Set<string> {
  if (commonSet) return commonSet;
  const t0 = performance.now();
  const require = createRequire(import.meta.url);
  let list: string[];
  try {
    list = JSON.parse(readFileSync(require.resolve('@zxcvbn-ts/language-common/src/passwords.json'), 'utf8'));
  } catch {
    list = (require('@zxcvbn-ts/language-common') as CommonLanguagePackage).dictionary['passwords-common'];
  }
  const set = new Set<string>(list);
  for (const w of GERMAN_COMMON) set.add(w);
  commonSet = set;
  loadInfo = { size: set.size, ms: performance.now() - t0 };
  return set;
}

/** Load the lists now (e.g. at server start) and return their size and the load time in ms. */
export function loadCommonPasswords(): { size: number; ms: number } {
  commonPasswords();
  return loadInfo!;
}
