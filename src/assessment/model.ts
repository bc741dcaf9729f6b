/**
 * The maturity model of the Digitalcheck: types, loading and validation of the versioned content files
 * (content/maturity-model/v<version>.json), which questions apply to a municipality, size classes, and the
 * mapping of a model version's questions to the previous version.
 *
 * Content is data: a new model version is a new file, never an edit of a published one (see
 * content/maturity-model/README.md). Every file is validated completely when it is loaded; a broken file
 * throws a `ModelError` that lists every problem with the question (or other item) and field it concerns.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CONTENT_ID,
  ContentChecker,
  type ContentProblem,
  contentVersions,
  deepFreeze,
  isNonEmptyString,
  isRecord,
} from '../platform/content-check.js';
import { ROOT } from '../platform/paths.js';

/** Folder of the model files. */
export const MODEL_DIR = path.join(ROOT, 'content', 'maturity-model');

/** The kinds of municipality the Digitalcheck serves; `appliesTo.types` uses these. */
export const REGION_KINDS = ['gemeinde', 'kreisfreie-stadt', 'kreis'] as const;
export type RegionKind = (typeof REGION_KINDS)[number];

/** Levels per question and generic level names: 0 (not started) … 4 (leading). */
export const LEVEL_COUNT = 5;
/** Allowed number of dimensions and questions of a model version. */
export const DIMENSION_COUNT = { min: 6, max: 8 } as const;
export const QUESTION_COUNT = { min: 40, max: 70 } as const;

export interface LocalizedText {
  de: string;
  en: string;
}

/** Five descriptors, index = level 0..4. */
export type LevelTexts = [LocalizedText, LocalizedText, LocalizedText, LocalizedText, LocalizedText];

/** A public framework the model rests on. */
export interface ModelSource {
  id: string;
  name: string;
  publisher: string;
  url: string;
  /** What is taken from the source and on which terms (no text of a source is reproduced). */
  licenceNote: string;
}

/** A question's citation: a source id plus, optionally, the category, area or topic it rests on. */
export interface SourceRef {
  id: string;
  detail?: string;
}

export interface ModelDimension {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  sources: string[];
}

export interface ModelSector {
  id: string;
  name: LocalizedText;
}

/**
 * For which municipalities a question applies. All given conditions must hold:
 * `minPopulation <= population < maxPopulation` and the kind is one of `types`. An empty object applies to all.
 */
export interface AppliesTo {
  minPopulation?: number;
  maxPopulation?: number;
  types?: RegionKind[];
}

/**
 * Who besides the digital officer usually has the facts a question needs (`needsInput`): the page says so, so
 * the question can be handed on or the facts asked for first. Names are in messages.ts (`check.needsInput.*`).
 */
export const INPUT_SOURCES = [
  'it-dienstleister',
  'kaemmerei',
  'personalamt',
  'bauamt',
  'schultraeger',
  'feuerwehr',
  'versorger',
] as const;
export type InputSource = (typeof INPUT_SOURCES)[number];

export interface ModelQuestion {
  /** Stable id ("sg-01"); answers are stored under it. */
  id: string;
  dimension: string;
  sector: string;
  text: LocalizedText;
  help: LocalizedText;
  why: LocalizedText;
  levels: LevelTexts;
  sources: SourceRef[];
  appliesTo: AppliesTo;
  /** Id of the question of the previous model version this one continues; null for a new question. */
  mapsTo: string | null;
  /** Who else usually has the facts (optional; a hint on the page, no effect on scoring). */
  needsInput?: InputSource[];
}

/**
 * One version of the maturity model. Models returned by `loadModel` are cached and deeply frozen: treat them
 * as read-only.
 */
export interface MaturityModel {
  version: string;
  /** ISO date "YYYY-MM-DD". */
  published: string;
  title: LocalizedText;
  sources: ModelSource[];
  /** Generic names of the levels 0..4. */
  levels: LevelTexts;
  dimensions: ModelDimension[];
  sectors: ModelSector[];
  questions: ModelQuestion[];
}

/** The municipality a check is for, as far as applicability needs it. */
export interface ModelRegion {
  population: number | null;
  kind: RegionKind;
}

// ---------------------------------------------------------------------------------------------
// Errors

/** One problem of a model file: what it concerns (`question "sg-01"`), which field, what is wrong. */
export type ModelProblem = ContentProblem;

export class ModelError extends Error {
  constructor(
    readonly problems: ModelProblem[],
    context = 'maturity model',
  ) {
    const lines = problems.map((p) => `- ${p.subject}, field "${p.field}": ${p.message}`);
    super(`${context}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}\n${lines.join('\n')}`);
    this.name = 'ModelError';
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const ID = CONTENT_ID;
const VERSION = /^[1-9][0-9]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const MODEL_KEYS = ['version', 'published', 'title', 'sources', 'levels', 'dimensions', 'sectors', 'questions'];
const SOURCE_KEYS = ['id', 'name', 'publisher', 'url', 'licenceNote'];
const DIMENSION_KEYS = ['id', 'name', 'description', 'sources'];
const SECTOR_KEYS = ['id', 'name'];
const QUESTION_KEYS = [
  'id',
  'dimension',
  'sector',
  'needsInput',
  'text',
  'help',
  'why',
  'levels',
  'sources',
  'appliesTo',
  'mapsTo',
];
const SOURCE_REF_KEYS = ['id', 'detail'];
const APPLIES_TO_KEYS = ['minPopulation', 'maxPopulation', 'types'];

class Checker extends ContentChecker {
  levels(subject: string, field: string, v: unknown): void {
    if (!Array.isArray(v)) {
      this.add(subject, field, v === undefined ? 'missing' : `must be an array of ${LEVEL_COUNT} texts`);
      return;
    }
    if (v.length !== LEVEL_COUNT) this.add(subject, field, `expected ${LEVEL_COUNT} levels (0..4), found ${v.length}`);
    v.forEach((lvl, i) => {
      this.text(subject, `${field}[${i}]`, lvl);
    });
  }
}

const label = (kind: string, id: unknown, index: number): string =>
  typeof id === 'string' && id !== '' ? `${kind} "${id}"` : `${kind} #${index + 1}`;

function checkAppliesTo(c: Checker, subject: string, v: unknown): void {
  if (!isRecord(v)) {
    c.add(subject, 'appliesTo', v === undefined ? 'missing (use {} for all municipalities)' : 'must be an object');
    return;
  }
  c.keys(subject, 'appliesTo', v, APPLIES_TO_KEYS);
  const bound = (key: 'minPopulation' | 'maxPopulation', min: number): number | null => {
    const n = v[key];
    if (n === undefined) return null;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
      c.add(subject, `appliesTo.${key}`, `must be an integer ≥ ${min}`);
      return null;
    }
    return n;
  };
  const lo = bound('minPopulation', 0);
  const hi = bound('maxPopulation', 1);
  if (lo !== null && hi !== null && lo >= hi) {
    c.add(
      subject,
      'appliesTo',
      `minPopulation (${lo}) must be below maxPopulation (${hi}), or no municipality qualifies`,
    );
  }
  if (v.types !== undefined) {
    if (!Array.isArray(v.types) || v.types.length === 0) {
      c.add(
        subject,
        'appliesTo.types',
        `must be a non-empty array of ${REGION_KINDS.join(', ')} (omit it for all types)`,
      );
    } else {
      const seen = new Set<unknown>();
      for (const t of v.types) {
        if (!(REGION_KINDS as readonly unknown[]).includes(t)) {
          c.add(subject, 'appliesTo.types', `unknown type "${String(t)}" (allowed: ${REGION_KINDS.join(', ')})`);
        } else if (seen.has(t)) c.add(subject, 'appliesTo.types', `type "${String(t)}" listed twice`);
        seen.add(t);
      }
    }
  }
}

function checkNeedsInput(c: Checker, subject: string, v: unknown): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.length === 0) {
    c.add(subject, 'needsInput', `must be a non-empty array of ${INPUT_SOURCES.join(', ')} (omit it for none)`);
    return;
  }
  const seen = new Set<unknown>();
  for (const s of v) {
    if (!(INPUT_SOURCES as readonly unknown[]).includes(s))
      c.add(subject, 'needsInput', `unknown input source "${String(s)}" (allowed: ${INPUT_SOURCES.join(', ')})`);
    else if (seen.has(s)) c.add(subject, 'needsInput', `"${String(s)}" listed twice`);
    seen.add(s);
  }
}

function checkSourceRefs(c: Checker, subject: string, v: unknown, known: Set<string>): void {
  if (!Array.isArray(v) || v.length === 0) {
    c.add(subject, 'sources', v === undefined ? 'missing' : 'must be a non-empty array of { id, detail? }');
    return;
  }
  v.forEach((ref, i) => {
    const field = `sources[${i}]`;
    if (!isRecord(ref)) {
      c.add(subject, field, 'must be an object { id, detail? }');
      return;
    }
    c.keys(subject, field, ref, SOURCE_REF_KEYS);
    if (typeof ref.id !== 'string' || !known.has(ref.id))
      c.add(subject, `${field}.id`, `unknown source "${String(ref.id)}"`);
    if (ref.detail !== undefined && !isNonEmptyString(ref.detail))
      c.add(subject, `${field}.detail`, 'must be a non-empty string when given');
  });
}

/**
 * Checks a parsed model file completely and returns it typed. Throws a `ModelError` listing every problem,
 * each naming the item (e.g. `question "sg-01"`) and the field (e.g. `levels[3].en`).
 */
export function validateModel(json: unknown): MaturityModel {
  const c = new Checker();
  const M = 'model';
  if (!isRecord(json)) throw new ModelError([{ subject: M, field: '(root)', message: 'must be a JSON object' }]);
  c.keys(M, '', json, MODEL_KEYS);

  const version = json.version;
  if (typeof version !== 'string' || !VERSION.test(version)) c.add(M, 'version', 'must be a string like "1", "2", …');
  if (typeof json.published !== 'string' || !DATE.test(json.published) || Number.isNaN(Date.parse(json.published))) {
    c.add(M, 'published', 'must be an ISO date "YYYY-MM-DD"');
  }
  c.text(M, 'title', json.title);
  c.levels(M, 'levels', json.levels);

  // Sources
  const sourceIds = new Set<string>();
  if (!Array.isArray(json.sources) || json.sources.length === 0) c.add(M, 'sources', 'must be a non-empty array');
  else {
    for (const [i, s] of json.sources.entries()) {
      if (!isRecord(s)) {
        c.add(`source #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('source', s.id, i);
      c.id(subject, s.id, sourceIds);
      c.keys(subject, '', s, SOURCE_KEYS);
      c.string(subject, 'name', s.name);
      c.string(subject, 'publisher', s.publisher);
      c.string(subject, 'licenceNote', s.licenceNote);
      if (c.string(subject, 'url', s.url)) {
        let ok = false;
        try {
          ok = new URL(s.url).protocol === 'https:';
        } catch {
          ok = false;
        }
        if (!ok) c.add(subject, 'url', `"${s.url}" is not an https URL`);
      }
    }
  }

  // Dimensions
  const dimensionIds = new Set<string>();
  if (!Array.isArray(json.dimensions)) c.add(M, 'dimensions', 'must be an array');
  else {
    if (json.dimensions.length < DIMENSION_COUNT.min || json.dimensions.length > DIMENSION_COUNT.max) {
      c.add(
        M,
        'dimensions',
        `expected ${DIMENSION_COUNT.min}–${DIMENSION_COUNT.max} dimensions, found ${json.dimensions.length}`,
      );
    }
    for (const [i, d] of json.dimensions.entries()) {
      if (!isRecord(d)) {
        c.add(`dimension #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('dimension', d.id, i);
      c.id(subject, d.id, dimensionIds);
      c.keys(subject, '', d, DIMENSION_KEYS);
      c.text(subject, 'name', d.name);
      c.text(subject, 'description', d.description);
      if (!Array.isArray(d.sources) || d.sources.length === 0)
        c.add(subject, 'sources', 'must be a non-empty array of source ids');
      else {
        d.sources.forEach((s, j) => {
          if (typeof s !== 'string' || !sourceIds.has(s))
            c.add(subject, `sources[${j}]`, `unknown source "${String(s)}"`);
        });
      }
    }
  }

  // Sectors
  const sectorIds = new Set<string>();
  if (!Array.isArray(json.sectors) || json.sectors.length === 0) c.add(M, 'sectors', 'must be a non-empty array');
  else {
    for (const [i, s] of json.sectors.entries()) {
      if (!isRecord(s)) {
        c.add(`sector #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('sector', s.id, i);
      c.id(subject, s.id, sectorIds);
      c.keys(subject, '', s, SECTOR_KEYS);
      c.text(subject, 'name', s.name);
    }
  }

  // Questions
  const questionIds = new Set<string>();
  const usedDimensions = new Set<string>();
  const mappedFrom = new Map<string, string>();
  if (!Array.isArray(json.questions)) c.add(M, 'questions', 'must be an array');
  else {
    if (json.questions.length < QUESTION_COUNT.min || json.questions.length > QUESTION_COUNT.max) {
      c.add(
        M,
        'questions',
        `expected ${QUESTION_COUNT.min}–${QUESTION_COUNT.max} questions, found ${json.questions.length}`,
      );
    }
    for (const [i, q] of json.questions.entries()) {
      if (!isRecord(q)) {
        c.add(`question #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('question', q.id, i);
      const id = c.id(subject, q.id, questionIds);
      c.keys(subject, '', q, QUESTION_KEYS);
      if (typeof q.dimension !== 'string' || !dimensionIds.has(q.dimension)) {
        c.add(subject, 'dimension', `unknown dimension "${String(q.dimension)}"`);
      } else usedDimensions.add(q.dimension);
      if (typeof q.sector !== 'string' || !sectorIds.has(q.sector))
        c.add(subject, 'sector', `unknown sector "${String(q.sector)}"`);
      c.text(subject, 'text', q.text);
      c.text(subject, 'help', q.help);
      c.text(subject, 'why', q.why);
      c.levels(subject, 'levels', q.levels);
      checkSourceRefs(c, subject, q.sources, sourceIds);
      checkAppliesTo(c, subject, q.appliesTo);
      checkNeedsInput(c, subject, q.needsInput);
      if (!('mapsTo' in q)) c.add(subject, 'mapsTo', 'missing (null for a question without predecessor)');
      else if (q.mapsTo !== null) {
        if (typeof q.mapsTo !== 'string' || !ID.test(q.mapsTo))
          c.add(subject, 'mapsTo', 'must be null or a question id');
        else if (version === '1') c.add(subject, 'mapsTo', 'must be null in version 1 (there is no previous version)');
        else {
          const other = mappedFrom.get(q.mapsTo);
          if (other !== undefined)
            c.add(subject, 'mapsTo', `"${q.mapsTo}" is already continued by question "${other}"`);
          else mappedFrom.set(q.mapsTo, id ?? subject);
        }
      }
    }
  }
  for (const d of dimensionIds) {
    if (!usedDimensions.has(d)) c.add(`dimension "${d}"`, 'questions', 'has no questions');
  }

  if (c.problems.length > 0)
    throw new ModelError(c.problems, typeof version === 'string' ? `maturity model v${version}` : undefined);
  return json as unknown as MaturityModel;
}

// ---------------------------------------------------------------------------------------------
// Loading

const cache = new Map<string, MaturityModel>();

/** The model versions present in `dir`, oldest first ("1", "2", …). */
export function availableVersions(dir: string = MODEL_DIR): string[] {
  return contentVersions(dir);
}

/** The version before `version` ("2" → "1"), null for version 1. */
export function previousVersionOf(version: string): string | null {
  const n = Number(version);
  return n > 1 ? String(n - 1) : null;
}

/**
 * Loads, validates and caches `content/maturity-model/v<version>.json` (default: the newest version present).
 * For versions after 1, every `mapsTo` is also checked against the previous version's questions.
 * Throws a `ModelError` when the file is missing or invalid. The result is frozen.
 */
export function loadModel(version?: string, dir: string = MODEL_DIR): MaturityModel {
  const v = version ?? availableVersions(dir).at(-1);
  if (v === undefined)
    throw new ModelError([{ subject: 'model', field: 'file', message: `no model file v<n>.json in ${dir}` }]);
  if (!VERSION.test(v))
    throw new ModelError([{ subject: `version "${v}"`, field: 'version', message: 'not a model version' }]);
  const key = `${dir}\0${v}`;
  const cached = cache.get(key);
  if (cached) return cached;

  const file = path.join(dir, `v${v}.json`);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ModelError([{ subject: `version "${v}"`, field: 'file', message: `model file ${file} not found` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new ModelError([
      { subject: `version "${v}"`, field: 'file', message: `${file} is not valid JSON: ${(err as Error).message}` },
    ]);
  }
  const model = validateModel(json);
  if (model.version !== v) {
    throw new ModelError([
      { subject: 'model', field: 'version', message: `file v${v}.json declares version "${model.version}"` },
    ]);
  }
  const prev = previousVersionOf(v);
  if (prev !== null && model.questions.some((q) => q.mapsTo !== null)) mapToPrevious(model, loadModel(prev, dir));
  deepFreeze(model);
  cache.set(key, model);
  return model;
}

/** Forgets cached models (for tests that write model files). */
export function clearModelCache(): void {
  cache.clear();
}

// ---------------------------------------------------------------------------------------------
// Applicability and size classes

/** Whether a question applies to a municipality. With an unknown population, size bounds are not applied. */
export function questionApplies(q: ModelQuestion, region: ModelRegion): boolean {
  const a = q.appliesTo;
  if (a.types && !a.types.includes(region.kind)) return false;
  if (region.population === null) return true;
  if (a.minPopulation !== undefined && region.population < a.minPopulation) return false;
  if (a.maxPopulation !== undefined && region.population >= a.maxPopulation) return false;
  return true;
}

/** The questions that apply to a municipality, in model order. */
export function applicableQuestions(model: MaturityModel, region: ModelRegion): ModelQuestion[] {
  return model.questions.filter((q) => questionApplies(q, region));
}

/** Population size classes (lower bound inclusive, upper bound exclusive), used for peer groups. */
export const SIZE_CLASSES = [
  { id: '<2000', min: 0, max: 2000, label: { de: 'unter 2.000 Einwohner', en: 'under 2,000 inhabitants' } },
  {
    id: '2000-5000',
    min: 2000,
    max: 5000,
    label: { de: '2.000 bis unter 5.000 Einwohner', en: '2,000 to under 5,000 inhabitants' },
  },
  {
    id: '5000-20000',
    min: 5000,
    max: 20000,
    label: { de: '5.000 bis unter 20.000 Einwohner', en: '5,000 to under 20,000 inhabitants' },
  },
  {
    id: '20000-100000',
    min: 20000,
    max: 100000,
    label: { de: '20.000 bis unter 100.000 Einwohner', en: '20,000 to under 100,000 inhabitants' },
  },
  {
    id: '100000-500000',
    min: 100000,
    max: 500000,
    label: { de: '100.000 bis unter 500.000 Einwohner', en: '100,000 to under 500,000 inhabitants' },
  },
  {
    id: '>500000',
    min: 500000,
    max: null,
    label: { de: '500.000 Einwohner und mehr', en: '500,000 inhabitants and more' },
  },
] as const satisfies readonly { id: string; min: number; max: number | null; label: LocalizedText }[];

export type SizeClass = (typeof SIZE_CLASSES)[number]['id'];

/**
 * The kind of municipality a check is for (drives which questions apply and the peer group by type), from
 * the register's level and official designation; null for levels without a Digitalcheck.
 */
export function regionKindOf(r: { level: string; designationCode: string | null }): RegionKind | null {
  if (r.level === 'kreis')
    return r.designationCode === '41' || r.designationCode === '42' ? 'kreisfreie-stadt' : 'kreis';
  if (r.level === 'gemeinde') {
    return r.designationCode === '61' || r.designationCode === '62' ? 'kreisfreie-stadt' : 'gemeinde';
  }
  return null;
}

/**
 * The size class of a population, or null when the population is unknown — consistent with the questions:
 * with an unknown population no size bound applies (`questionApplies`), and no size peer group is formed.
 */
export function sizeClassOf(population: number | null): SizeClass | null {
  return population === null ? null : sizeClass(population);
}

/** The size class of a population (lower bound inclusive: 2,000 → "2000-5000"). */
export function sizeClass(population: number): SizeClass {
  if (!Number.isFinite(population) || population < 0) throw new RangeError(`invalid population: ${population}`);
  for (const c of SIZE_CLASSES) {
    if (c.max === null || population < c.max) return c.id;
  }
  throw new RangeError(`invalid population: ${population}`);
}

// ---------------------------------------------------------------------------------------------
// Versions

export interface VersionMapping {
  version: string;
  /** The version the mapping points to; null for version 1. */
  previousVersion: string | null;
  /**
   * Every question id of `version` → the id of the previous version's question it continues, or null when
   * new. Results of different versions are compared on the questions with a non-null entry only. The shape
   * is `QuestionMapping` of scoring.ts.
   */
  mapping: Record<string, string | null>;
}

/**
 * The mapping table of a model version to its previous version. With `previous` given, every `mapsTo` is
 * checked against it (throws a `ModelError` naming the question when the target does not exist there).
 */
export function mapToPrevious(model: MaturityModel, previous?: MaturityModel): VersionMapping {
  const previousVersion = previousVersionOf(model.version);
  if (previous) {
    const problems: ModelProblem[] = [];
    if (previous.version !== previousVersion) {
      problems.push({
        subject: 'model',
        field: 'version',
        message: `v${model.version} maps to v${previousVersion ?? '–'}, not to v${previous.version}`,
      });
    } else {
      const old = new Set(previous.questions.map((q) => q.id));
      for (const q of model.questions) {
        if (q.mapsTo !== null && !old.has(q.mapsTo)) {
          problems.push({
            subject: `question "${q.id}"`,
            field: 'mapsTo',
            message: `"${q.mapsTo}" is not a question of v${previous.version}`,
          });
        }
      }
    }
    if (problems.length > 0) throw new ModelError(problems, `maturity model v${model.version}`);
  }
  return {
    version: model.version,
    previousVersion,
    mapping: Object.fromEntries(model.questions.map((q) => [q.id, q.mapsTo])),
  };
}
