/**
 * The standards catalogue: types, loading and validation of the versioned content files
 * (content/standards/v<version>.json, format in content/standards/README.md).
 *
 * Content is data: a new catalogue version is a new file, never an edit of a published one. Every file is
 * validated completely when it is loaded, against the maturity-model version it names (for the sector ids);
 * a broken file throws a `StandardsError` that lists every problem with the standard and the field, e.g.
 * `standard "oparl", field "sectors[1]": unknown sector "rathaus"`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type LocalizedText, loadModel, type MaturityModel } from '../../assessment/index.js';
import {
  ContentChecker,
  type ContentProblem,
  contentVersions,
  deepFreeze,
  isRecord,
} from '../../platform/content-check.js';
import { ROOT } from '../../platform/paths.js';

/** Folder of the catalogue files. */
export const STANDARDS_DIR = path.join(ROOT, 'content', 'standards');

/** The conformance checks the platform runs itself (issue 11), or none. */
export const STANDARD_CHECKS = ['publiccode', 'oparl', 'dcat-ap-de', 'gtfs', 'none'] as const;
export type StandardCheck = (typeof STANDARD_CHECKS)[number];

/** Whether a municipality must meet a standard (and by which law or decision), or is advised to. */
export const OBLIGATIONS = ['mandatory', 'recommended'] as const;
export type ObligationStatus = (typeof OBLIGATIONS)[number];

export interface StandardLink {
  title: string;
  /** https only. */
  url: string;
}

export interface Standard {
  /** Stable kebab-case id; measures and recommendations name standards by it. */
  id: string;
  name: string;
  /** The body that owns or maintains the standard (KoSIT, FITKO, OGC, W3C …). */
  owner: string;
  /** The current version as known on `versionAsOf`; null for living standards and frameworks without one. */
  version: string | null;
  /** ISO date on which `version` and `obligation` were recorded. */
  versionAsOf: string;
  /** Sector ids of the maturity model. */
  sectors: string[];
  /** What it is for, in one paragraph (our own words). */
  purpose: LocalizedText;
  obligation: { status: ObligationStatus; basis: LocalizedText };
  specifications: StandardLink[];
  /** Where the facts of the entry can be checked. */
  source: StandardLink;
  /** The platform's own conformance check for the standard. */
  check: StandardCheck;
}

/** One version of the catalogue. Catalogues returned by `loadStandards` are cached and deeply frozen. */
export interface StandardsCatalogue {
  version: string;
  /** ISO date "YYYY-MM-DD". */
  published: string;
  /** The maturity-model version whose sector ids the standards use. */
  modelVersion: string;
  title: LocalizedText;
  /** How the facts were gathered and what to check. */
  note: LocalizedText;
  standards: Standard[];
}

// ---------------------------------------------------------------------------------------------
// Errors

export class StandardsError extends Error {
  constructor(
    readonly problems: ContentProblem[],
    context = 'standards catalogue',
  ) {
    const lines = problems.map((p) => `- ${p.subject}, field "${p.field}": ${p.message}`);
    super(`${context}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}\n${lines.join('\n')}`);
    this.name = 'StandardsError';
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const VERSION = /^[1-9][0-9]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CATALOGUE_KEYS = ['version', 'published', 'modelVersion', 'title', 'note', 'standards'];
const STANDARD_KEYS = [
  'id',
  'name',
  'owner',
  'version',
  'versionAsOf',
  'sectors',
  'purpose',
  'obligation',
  'specifications',
  'source',
  'check',
];

function isHttpsUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return u.protocol === 'https:' && u.hostname.includes('.') && !u.username && !u.password;
  } catch {
    return false;
  }
}

function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string' || !DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

class Checker extends ContentChecker {
  link(subject: string, field: string, v: unknown): void {
    if (!isRecord(v)) {
      this.add(subject, field, v === undefined ? 'missing' : 'must be an object { title, url }');
      return;
    }
    this.keys(subject, field, v, ['title', 'url']);
    this.string(subject, `${field}.title`, v.title);
    if (this.string(subject, `${field}.url`, v.url) && !isHttpsUrl(v.url))
      this.add(subject, `${field}.url`, `"${v.url}" is not an https URL`);
  }
}

const label = (id: unknown, index: number): string =>
  typeof id === 'string' && id !== '' ? `standard "${id}"` : `standard #${index + 1}`;

/** What validation needs of the maturity model: its version and sectors. */
export type ModelForStandards = Pick<MaturityModel, 'version' | 'sectors'>;

/**
 * Checks a parsed catalogue completely against a maturity model (its sector ids) and returns it typed. Throws a
 * `StandardsError` listing every problem, each naming the standard and the field.
 */
export function validateStandards(json: unknown, model: ModelForStandards): StandardsCatalogue {
  const c = new Checker();
  const C = 'catalogue';
  if (!isRecord(json)) throw new StandardsError([{ subject: C, field: '(root)', message: 'must be a JSON object' }]);
  c.keys(C, '', json, CATALOGUE_KEYS);
  const version = json.version;
  if (typeof version !== 'string' || !VERSION.test(version)) c.add(C, 'version', 'must be a string like "1", "2", …');
  const published = isIsoDate(json.published) ? json.published : null;
  if (!published) c.add(C, 'published', 'must be an ISO date "YYYY-MM-DD"');
  if (json.modelVersion !== model.version) {
    c.add(
      C,
      'modelVersion',
      `must name the maturity model version it was checked against ("${model.version}"), found "${String(json.modelVersion)}"`,
    );
  }
  c.text(C, 'title', json.title);
  c.text(C, 'note', json.note);

  const sectorIds = new Set(model.sectors.map((s) => s.id));
  const ids = new Set<string>();
  if (!Array.isArray(json.standards) || json.standards.length === 0) c.add(C, 'standards', 'must be a non-empty array');
  else {
    for (const [i, s] of json.standards.entries()) {
      if (!isRecord(s)) {
        c.add(`standard #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label(s.id, i);
      c.id(subject, s.id, ids);
      c.keys(subject, '', s, STANDARD_KEYS);
      c.string(subject, 'name', s.name);
      c.string(subject, 'owner', s.owner);
      if (!('version' in s)) c.add(subject, 'version', 'missing (null when the standard has no version number)');
      else if (s.version !== null) c.string(subject, 'version', s.version);
      if (!isIsoDate(s.versionAsOf)) c.add(subject, 'versionAsOf', 'must be an ISO date "YYYY-MM-DD"');
      else if (published && s.versionAsOf > published)
        c.add(subject, 'versionAsOf', `${s.versionAsOf} is after the catalogue's publication (${published})`);
      checkSectors(c, subject, s.sectors, sectorIds);
      c.text(subject, 'purpose', s.purpose);
      if (!isRecord(s.obligation)) {
        c.add(subject, 'obligation', s.obligation === undefined ? 'missing' : 'must be an object { status, basis }');
      } else {
        c.keys(subject, 'obligation', s.obligation, ['status', 'basis']);
        if (!(OBLIGATIONS as readonly unknown[]).includes(s.obligation.status))
          c.add(
            subject,
            'obligation.status',
            `must be one of ${OBLIGATIONS.join(', ')}, found "${String(s.obligation.status)}"`,
          );
        c.text(subject, 'obligation.basis', s.obligation.basis);
      }
      if (!Array.isArray(s.specifications) || s.specifications.length === 0) {
        c.add(
          subject,
          'specifications',
          s.specifications === undefined ? 'missing' : 'must link at least one specification { title, url }',
        );
      } else {
        const urls = new Set<string>();
        s.specifications.forEach((l, j) => {
          c.link(subject, `specifications[${j}]`, l);
          if (isRecord(l) && typeof l.url === 'string') {
            if (urls.has(l.url)) c.add(subject, `specifications[${j}].url`, `"${l.url}" listed twice`);
            urls.add(l.url);
          }
        });
      }
      c.link(subject, 'source', s.source);
      if (!(STANDARD_CHECKS as readonly unknown[]).includes(s.check))
        c.add(subject, 'check', `must be one of ${STANDARD_CHECKS.join(', ')}, found "${String(s.check)}"`);
    }
  }
  if (c.problems.length > 0)
    throw new StandardsError(c.problems, typeof version === 'string' ? `standards catalogue v${version}` : undefined);
  return json as unknown as StandardsCatalogue;
}

function checkSectors(c: Checker, subject: string, v: unknown, known: ReadonlySet<string>): void {
  if (!Array.isArray(v) || v.length === 0) {
    c.add(subject, 'sectors', v === undefined ? 'missing' : 'must name at least one sector');
    return;
  }
  const seen = new Set<string>();
  v.forEach((x, i) => {
    if (typeof x !== 'string' || !known.has(x))
      c.add(subject, `sectors[${i}]`, `unknown sector "${String(x)}" (allowed: ${[...known].join(', ')})`);
    else if (seen.has(x)) c.add(subject, `sectors[${i}]`, `sector "${x}" listed twice`);
    else seen.add(x);
  });
}

// ---------------------------------------------------------------------------------------------
// Loading

const cache = new Map<string, StandardsCatalogue>();

/** The catalogue versions present in `dir`, oldest first ("1", "2", …). */
export function availableStandardsVersions(dir: string = STANDARDS_DIR): string[] {
  return contentVersions(dir);
}

export interface LoadStandardsOptions {
  /** Folder of the catalogue files (default content/standards). */
  dir?: string;
  /** The maturity model to check against (default: `loadModel(catalogue.modelVersion)`). */
  model?: ModelForStandards;
}

/**
 * Loads, validates and caches `content/standards/v<version>.json` (default: the newest version present), checked
 * against the maturity-model version the file names. Throws a `StandardsError` when the file is missing or
 * invalid. The result is frozen.
 */
export function loadStandards(version?: string, options: LoadStandardsOptions = {}): StandardsCatalogue {
  const dir = options.dir ?? STANDARDS_DIR;
  const v = version ?? availableStandardsVersions(dir).at(-1);
  if (v === undefined)
    throw new StandardsError([
      { subject: 'catalogue', field: 'file', message: `no catalogue file v<n>.json in ${dir}` },
    ]);
  if (!VERSION.test(v))
    throw new StandardsError([{ subject: `version "${v}"`, field: 'version', message: 'not a catalogue version' }]);
  const key = `${dir}\0${v}`;
  const cached = options.model ? undefined : cache.get(key);
  if (cached) return cached;

  const file = path.join(dir, `v${v}.json`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new StandardsError([
      {
        subject: `version "${v}"`,
        field: 'file',
        message: missing ? `catalogue file ${file} not found` : `${file} is not valid JSON: ${(err as Error).message}`,
      },
    ]);
  }
  const modelVersion = isRecord(json) && typeof json.modelVersion === 'string' ? json.modelVersion : undefined;
  if (!options.model && (modelVersion === undefined || !VERSION.test(modelVersion))) {
    throw new StandardsError([
      { subject: 'catalogue', field: 'modelVersion', message: 'must name a maturity model version like "1"' },
    ]);
  }
  const catalogue = validateStandards(json, options.model ?? loadModel(modelVersion));
  if (catalogue.version !== v) {
    throw new StandardsError([
      { subject: 'catalogue', field: 'version', message: `file v${v}.json declares version "${catalogue.version}"` },
    ]);
  }
  deepFreeze(catalogue);
  if (!options.model) cache.set(key, catalogue);
  return catalogue;
}

/** Forgets cached catalogues (for tests that write catalogue files). */
export function clearStandardsCache(): void {
  cache.clear();
}

/** A standard of a catalogue by id, or undefined. */
export function standardById(catalogue: StandardsCatalogue, id: string): Standard | undefined {
  return catalogue.standards.find((s) => s.id === id);
}
