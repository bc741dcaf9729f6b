/**
 * Checking versioned content files (the maturity model, the measures catalogue) at load: every problem is
 * collected with what it concerns, which field and what is wrong, so that one run names all of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.js';

/** One problem of a content file: what it concerns (`question "sg-01"`), which field, what is wrong. */
export interface ContentProblem {
  subject: string;
  field: string;
  message: string;
}

/** Ids of content items: lowercase letters and digits in parts joined by "-" (`sg-01`, `ratsinfo-oparl`). */
export const CONTENT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim() !== '';
}

/** The checks every content file needs; a file's own checker extends it with its rules. */
export class ContentChecker {
  readonly problems: ContentProblem[] = [];

  add(subject: string, field: string, message: string): void {
    this.problems.push({ subject, field, message });
  }

  /** Rejects keys outside `allowed` (typos such as "appliesto" would otherwise be ignored silently). */
  keys(subject: string, field: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) this.add(subject, field ? `${field}.${k}` : k, 'unknown field');
    }
  }

  string(subject: string, field: string, v: unknown): v is string {
    if (isNonEmptyString(v)) return true;
    this.add(subject, field, v === undefined ? 'missing' : 'must be a non-empty string');
    return false;
  }

  /** A text in both languages: `{ de, en }`, both non-empty. */
  text(subject: string, field: string, v: unknown): void {
    if (!isRecord(v)) {
      this.add(subject, field, v === undefined ? 'missing' : 'must be an object with "de" and "en"');
      return;
    }
    if (!isNonEmptyString(v.de)) this.add(subject, `${field}.de`, 'missing or empty German text');
    if (!isNonEmptyString(v.en)) this.add(subject, `${field}.en`, 'missing or empty English text');
    this.keys(subject, field, v, ['de', 'en']);
  }

  /** A valid id not seen before in `seen` (which it is added to); null otherwise. */
  id(subject: string, v: unknown, seen: Set<string>): string | null {
    if (typeof v !== 'string' || !CONTENT_ID.test(v)) {
      this.add(
        subject,
        'id',
        v === undefined ? 'missing' : `"${String(v)}" is not a valid id (lowercase letters, digits, "-")`,
      );
      return null;
    }
    if (seen.has(v)) {
      this.add(subject, 'id', `duplicate id "${v}"`);
      return null;
    }
    seen.add(v);
    return v;
  }
}

/** Freeze a loaded content file (and everything in it) so that no caller can change the cached copy. */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const child of Object.values(v)) deepFreeze(child);
  }
  return v;
}

/** The content shipped with the release: it does not change while the server runs (a new version is a deploy). */
const SHIPPED_CONTENT = path.join(ROOT, 'content') + path.sep;
const shippedVersions = new Map<string, readonly string[]>();

/**
 * The versions of a versioned content folder (files `v1.json`, `v2.json` …), oldest first; [] without the
 * folder. The shipped folders are listed once per process: `loadModel()` asks for every sector name on a page,
 * and the directory listing was 12 % of the server's time on the advisors' queue (bench/desk.ts profile).
 */
export function contentVersions(dir: string): string[] {
  const shipped = path.resolve(dir).startsWith(SHIPPED_CONTENT);
  const known = shipped ? shippedVersions.get(dir) : undefined;
  if (known) return [...known];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const versions = names
    .map((n) => /^v([1-9][0-9]*)\.json$/.exec(n)?.[1])
    .filter((v): v is string => v !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  if (shipped) shippedVersions.set(dir, versions);
  return [...versions];
}
