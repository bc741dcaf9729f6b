/**
 * The measures catalogue of the Digitalstrategie: types, loading and validation of the versioned content
 * files (content/measures/v<version>.json), and the ordering of measures by their prerequisites.
 *
 * Content is data: a new catalogue version is a new file, never an edit of a published one (see
 * content/measures/README.md). Every file is validated completely when it is loaded, against the maturity
 * model version it names; a broken file throws a `MeasureError` that lists every problem with the measure
 * (or source, funding programme) and the field it concerns, e.g.
 * `measure "oparl-schnittstelle", field "raises[0].question": unknown question "bt-99" of maturity model v1`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  type LocalizedText,
  loadModel,
  type MaturityModel,
  REGION_KINDS,
  type RegionKind,
  SIZE_CLASSES,
  type SizeClass,
} from '../assessment/index.js';
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

/** Folder of the catalogue files. */
export const MEASURES_DIR = path.join(ROOT, 'content', 'measures');

/** The levels a measure can raise a question to (0 is "not started", so never a target). */
export const TARGET_LEVEL = { min: 1, max: 4 } as const;

/** An inclusive range of a non-negative quantity: person-days, EUR, months. */
export interface Range {
  min: number;
  max: number;
}

/** A maturity-model question a measure raises, and the level it brings the answer to when done. */
export interface MeasureRaise {
  question: string;
  toLevel: number;
}

/** A public framework or guide measures are based on. */
export interface MeasureSource {
  id: string;
  title: string;
  publisher: string;
  url: string;
  /** What is taken from the source and on which terms (no text of a source is reproduced). */
  licenceNote: string;
}

/** A measure's citation: a source id plus, optionally, the chapter, topic or item it rests on. */
export interface MeasureSourceRef {
  id: string;
  detail?: string;
}

/** A public funding programme. `url` is null where no address is known for certain. */
export interface FundingProgramme {
  id: string;
  name: LocalizedText;
  url: string | null;
  note: LocalizedText;
}

export interface Measure {
  /** Stable kebab-case id; strategies store measures under it. */
  id: string;
  title: LocalizedText;
  /** What is done and why. */
  description: LocalizedText;
  dimensions: string[];
  sectors: string[];
  raises: MeasureRaise[];
  /** Ids of measures that must be done (or under way) first. */
  prerequisites: string[];
  /** Internal staff effort in person-days. */
  effortDays: Range;
  /** External cost in EUR: one-off and per year. */
  costOneOff: Range;
  costPerYear: Range;
  durationMonths: Range;
  /** Size classes (as the Digitalcheck's peer groups) and kinds of municipality the measure suits. */
  sizes: SizeClass[];
  types: RegionKind[];
  /** Stable ids of the standards involved (`oparl`, `xoev-xbau`, …); a later module catalogues them. */
  standards: string[];
  /** Ids of the funding programmes of the catalogue that may pay for it. */
  funding: string[];
  indicators: LocalizedText[];
  sources: MeasureSourceRef[];
}

/** One version of the catalogue. Catalogues returned by `loadMeasures` are cached and deeply frozen. */
export interface MeasureCatalogue {
  version: string;
  /** ISO date "YYYY-MM-DD". */
  published: string;
  /** The maturity-model version whose question ids the measures raise. */
  modelVersion: string;
  title: LocalizedText;
  sources: MeasureSource[];
  funding: FundingProgramme[];
  measures: Measure[];
}

// ---------------------------------------------------------------------------------------------
// Errors

/** One problem of a catalogue file: what it concerns (`measure "x"`), which field, what is wrong. */
export type MeasureProblem = ContentProblem;

export class MeasureError extends Error {
  constructor(
    readonly problems: MeasureProblem[],
    context = 'measures catalogue',
  ) {
    const lines = problems.map((p) => `- ${p.subject}, field "${p.field}": ${p.message}`);
    super(`${context}: ${problems.length === 1 ? '1 problem' : `${problems.length} problems`}\n${lines.join('\n')}`);
    this.name = 'MeasureError';
  }
}

// ---------------------------------------------------------------------------------------------
// Validation

const ID = CONTENT_ID;
const VERSION = /^[1-9][0-9]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const CATALOGUE_KEYS = ['version', 'published', 'modelVersion', 'title', 'sources', 'funding', 'measures'];
const SOURCE_KEYS = ['id', 'title', 'publisher', 'url', 'licenceNote'];
const FUNDING_KEYS = ['id', 'name', 'url', 'note'];
const MEASURE_KEYS = [
  'id',
  'title',
  'description',
  'dimensions',
  'sectors',
  'raises',
  'prerequisites',
  'effortDays',
  'costOneOff',
  'costPerYear',
  'durationMonths',
  'sizes',
  'types',
  'standards',
  'funding',
  'indicators',
  'sources',
];
const SIZE_IDS: readonly string[] = SIZE_CLASSES.map((c) => c.id);

function isHttpsUrl(v: string): boolean {
  try {
    return new URL(v).protocol === 'https:';
  } catch {
    return false;
  }
}

class Checker extends ContentChecker {
  /**
   * An array of strings from `allowed` (or matching the id pattern when `allowed` is null), without
   * duplicates; `nonEmpty` demands at least one entry. Returns the valid entries.
   */
  idList(
    subject: string,
    field: string,
    v: unknown,
    allowed: ReadonlySet<string> | readonly string[] | null,
    what: string,
    nonEmpty: boolean,
  ): string[] {
    if (!Array.isArray(v)) {
      this.add(subject, field, v === undefined ? 'missing' : `must be an array of ${what} ids`);
      return [];
    }
    if (nonEmpty && v.length === 0) this.add(subject, field, `must name at least one ${what}`);
    const seen = new Set<string>();
    const out: string[] = [];
    v.forEach((x, i) => {
      const known =
        typeof x === 'string' &&
        (allowed === null
          ? ID.test(x)
          : Array.isArray(allowed)
            ? allowed.includes(x)
            : (allowed as Set<string>).has(x));
      if (!known) {
        const list = Array.isArray(allowed) ? ` (allowed: ${allowed.join(', ')})` : '';
        this.add(subject, `${field}[${i}]`, `unknown ${what} "${String(x)}"${list}`);
      } else if (seen.has(x)) this.add(subject, `${field}[${i}]`, `${what} "${x}" listed twice`);
      else {
        seen.add(x);
        out.push(x);
      }
    });
    return out;
  }

  /** A range { min, max } of non-negative numbers with min ≤ max (and max > 0 when `positive`). */
  range(subject: string, field: string, v: unknown, positive: boolean): void {
    if (!isRecord(v)) {
      this.add(subject, field, v === undefined ? 'missing' : 'must be an object { min, max }');
      return;
    }
    this.keys(subject, field, v, ['min', 'max']);
    const num = (k: 'min' | 'max'): number | null => {
      const n = v[k];
      if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
        this.add(subject, `${field}.${k}`, n === undefined ? 'missing' : 'must be a non-negative number');
        return null;
      }
      return n;
    };
    const lo = num('min');
    const hi = num('max');
    if (lo !== null && hi !== null) {
      if (lo > hi) this.add(subject, field, `min (${lo}) is greater than max (${hi})`);
      else if (positive && hi === 0) this.add(subject, field, 'max must be greater than 0');
    }
  }
}

const label = (kind: string, id: unknown, index: number): string =>
  typeof id === 'string' && id !== '' ? `${kind} "${id}"` : `${kind} #${index + 1}`;

/** What validation needs of the maturity model: its version, dimensions, sectors and questions. */
export type ModelForMeasures = Pick<MaturityModel, 'version' | 'dimensions' | 'sectors'> & {
  questions: readonly { id: string; dimension: string }[];
};

/**
 * Checks a parsed catalogue completely against a maturity model and returns it typed. Throws a
 * `MeasureError` listing every problem, each naming the measure (or source, funding programme) and field.
 */
export function validateMeasures(json: unknown, model: ModelForMeasures): MeasureCatalogue {
  const c = new Checker();
  const C = 'catalogue';
  if (!isRecord(json)) throw new MeasureError([{ subject: C, field: '(root)', message: 'must be a JSON object' }]);
  c.keys(C, '', json, CATALOGUE_KEYS);
  const version = json.version;
  if (typeof version !== 'string' || !VERSION.test(version)) c.add(C, 'version', 'must be a string like "1", "2", …');
  if (typeof json.published !== 'string' || !DATE.test(json.published) || Number.isNaN(Date.parse(json.published))) {
    c.add(C, 'published', 'must be an ISO date "YYYY-MM-DD"');
  }
  if (json.modelVersion !== model.version) {
    c.add(
      C,
      'modelVersion',
      `must name the maturity model version it was checked against ("${model.version}"), found "${String(json.modelVersion)}"`,
    );
  }
  c.text(C, 'title', json.title);

  // Sources
  const sourceIds = new Set<string>();
  if (!Array.isArray(json.sources) || json.sources.length === 0) c.add(C, 'sources', 'must be a non-empty array');
  else {
    for (const [i, s] of json.sources.entries()) {
      if (!isRecord(s)) {
        c.add(`source #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('source', s.id, i);
      c.id(subject, s.id, sourceIds);
      c.keys(subject, '', s, SOURCE_KEYS);
      c.string(subject, 'title', s.title);
      c.string(subject, 'publisher', s.publisher);
      c.string(subject, 'licenceNote', s.licenceNote);
      if (c.string(subject, 'url', s.url) && !isHttpsUrl(s.url))
        c.add(subject, 'url', `"${s.url}" is not an https URL`);
    }
  }

  // Funding programmes
  const fundingIds = new Set<string>();
  if (!Array.isArray(json.funding)) c.add(C, 'funding', 'must be an array');
  else {
    for (const [i, f] of json.funding.entries()) {
      if (!isRecord(f)) {
        c.add(`funding #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('funding', f.id, i);
      c.id(subject, f.id, fundingIds);
      c.keys(subject, '', f, FUNDING_KEYS);
      c.text(subject, 'name', f.name);
      c.text(subject, 'note', f.note);
      if (!('url' in f)) c.add(subject, 'url', 'missing (null when no address is known for certain)');
      else if (f.url !== null && (typeof f.url !== 'string' || !isHttpsUrl(f.url)))
        c.add(subject, 'url', `"${String(f.url)}" is not an https URL (use null when unknown)`);
    }
  }

  // Measures
  const dimensionIds = new Set(model.dimensions.map((d) => d.id));
  const sectorIds = new Set(model.sectors.map((s) => s.id));
  const questionDimension = new Map(model.questions.map((q) => [q.id, q.dimension]));
  const measureIds = new Set<string>();
  const edges: { id: string; subject: string; prerequisites: unknown }[] = [];
  const suits = new Map<string, { sizes: string[]; types: string[] }>();
  if (!Array.isArray(json.measures) || json.measures.length === 0) c.add(C, 'measures', 'must be a non-empty array');
  else {
    for (const [i, m] of json.measures.entries()) {
      if (!isRecord(m)) {
        c.add(`measure #${i + 1}`, '(entry)', 'must be an object');
        continue;
      }
      const subject = label('measure', m.id, i);
      const id = c.id(subject, m.id, measureIds);
      c.keys(subject, '', m, MEASURE_KEYS);
      c.text(subject, 'title', m.title);
      c.text(subject, 'description', m.description);
      const dims = c.idList(subject, 'dimensions', m.dimensions, dimensionIds, 'dimension', true);
      c.idList(subject, 'sectors', m.sectors, sectorIds, 'sector', true);
      checkRaises(c, subject, m.raises, questionDimension, new Set(dims), model.version);
      c.range(subject, 'effortDays', m.effortDays, true);
      c.range(subject, 'costOneOff', m.costOneOff, false);
      c.range(subject, 'costPerYear', m.costPerYear, false);
      c.range(subject, 'durationMonths', m.durationMonths, true);
      const sizes = c.idList(subject, 'sizes', m.sizes, SIZE_IDS, 'size class', true);
      const types = c.idList(subject, 'types', m.types, REGION_KINDS, 'type', true);
      c.idList(subject, 'standards', m.standards, null, 'standard', false);
      c.idList(subject, 'funding', m.funding, fundingIds, 'funding programme', false);
      if (!Array.isArray(m.indicators) || m.indicators.length === 0)
        c.add(subject, 'indicators', m.indicators === undefined ? 'missing' : 'must name at least one indicator');
      else {
        for (const [j, t] of m.indicators.entries()) c.text(subject, `indicators[${j}]`, t);
      }
      checkSourceRefs(c, subject, m.sources, sourceIds);
      if (id !== null) {
        edges.push({ id, subject, prerequisites: m.prerequisites });
        suits.set(id, { sizes, types });
      } else if (!Array.isArray(m.prerequisites)) c.add(subject, 'prerequisites', 'must be an array of measure ids');
    }
  }

  // Prerequisites: every one exists, none twice, none the measure itself; then no cycle.
  const graph = new Map<string, string[]>();
  for (const e of edges) {
    const ok = c.idList(e.subject, 'prerequisites', e.prerequisites, measureIds, 'measure', false);
    const self = ok.indexOf(e.id);
    if (self >= 0) c.add(e.subject, `prerequisites[${self}]`, 'a measure cannot be its own prerequisite');
    graph.set(
      e.id,
      ok.filter((p) => p !== e.id),
    );
    // A prerequisite is pulled into every strategy the measure is chosen for, so it must suit at least the
    // same municipalities.
    const own = suits.get(e.id);
    for (const p of ok) {
      const pre = suits.get(p);
      if (!own || !pre || p === e.id) continue;
      const sizes = own.sizes.filter((x) => !pre.sizes.includes(x));
      const types = own.types.filter((x) => !pre.types.includes(x));
      if (sizes.length > 0 || types.length > 0) {
        const missing = [...sizes.map((x) => `size class ${x}`), ...types.map((x) => `type ${x}`)].join(', ');
        c.add(e.subject, 'prerequisites', `prerequisite "${p}" does not suit ${missing}, which the measure suits`);
      }
    }
  }
  for (const cycle of findCycles(graph)) {
    c.add(`measure "${cycle[0]}"`, 'prerequisites', `prerequisites form a cycle: ${cycle.join(' → ')}`);
  }

  if (c.problems.length > 0)
    throw new MeasureError(c.problems, typeof version === 'string' ? `measures catalogue v${version}` : undefined);
  return json as unknown as MeasureCatalogue;
}

function checkRaises(
  c: Checker,
  subject: string,
  v: unknown,
  questionDimension: ReadonlyMap<string, string>,
  dimensions: ReadonlySet<string>,
  modelVersion: string,
): void {
  if (!Array.isArray(v) || v.length === 0) {
    c.add(subject, 'raises', v === undefined ? 'missing' : 'must be a non-empty array of { question, toLevel }');
    return;
  }
  const seen = new Set<string>();
  v.forEach((r, i) => {
    const field = `raises[${i}]`;
    if (!isRecord(r)) {
      c.add(subject, field, 'must be an object { question, toLevel }');
      return;
    }
    c.keys(subject, field, r, ['question', 'toLevel']);
    const q = r.question;
    const dim = typeof q === 'string' ? questionDimension.get(q) : undefined;
    if (typeof q !== 'string' || dim === undefined)
      c.add(subject, `${field}.question`, `unknown question "${String(q)}" of maturity model v${modelVersion}`);
    else if (seen.has(q)) c.add(subject, `${field}.question`, `question "${q}" raised twice`);
    else {
      seen.add(q);
      if (!dimensions.has(dim))
        c.add(
          subject,
          `${field}.question`,
          `question "${q}" is in dimension "${dim}", which the measure does not list`,
        );
    }
    const lvl = r.toLevel;
    if (typeof lvl !== 'number' || !Number.isInteger(lvl) || lvl < TARGET_LEVEL.min || lvl > TARGET_LEVEL.max)
      c.add(subject, `${field}.toLevel`, `must be an integer from ${TARGET_LEVEL.min} to ${TARGET_LEVEL.max}`);
  });
}

function checkSourceRefs(c: Checker, subject: string, v: unknown, known: ReadonlySet<string>): void {
  if (!Array.isArray(v) || v.length === 0) {
    c.add(subject, 'sources', v === undefined ? 'missing' : 'must cite at least one source { id, detail? }');
    return;
  }
  v.forEach((ref, i) => {
    const field = `sources[${i}]`;
    if (!isRecord(ref)) {
      c.add(subject, field, 'must be an object { id, detail? }');
      return;
    }
    c.keys(subject, field, ref, ['id', 'detail']);
    if (typeof ref.id !== 'string' || !known.has(ref.id))
      c.add(subject, `${field}.id`, `unknown source "${String(ref.id)}"`);
    if (ref.detail !== undefined && !isNonEmptyString(ref.detail))
      c.add(subject, `${field}.detail`, 'must be a non-empty string when given');
  });
}

// ---------------------------------------------------------------------------------------------
// Prerequisite order

/**
 * The cycles of a graph (node → the nodes it depends on), each as a closed path `[a, b, …, a]`. Every node
 * on a cycle is reported in at most one cycle; the result is empty for an acyclic graph. Deterministic: the
 * search follows the map's and the lists' order.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const onCycle = new Set<string>();
  const visit = (n: string): void => {
    state.set(n, 'open');
    stack.push(n);
    for (const next of graph.get(n) ?? []) {
      if (!graph.has(next)) continue;
      const s = state.get(next);
      if (s === 'open') {
        const path = stack.slice(stack.indexOf(next));
        if (!path.some((p) => onCycle.has(p))) {
          for (const p of path) onCycle.add(p);
          cycles.push([...path, next]);
        }
      } else if (s === undefined) visit(next);
    }
    stack.pop();
    state.set(n, 'done');
  };
  for (const n of graph.keys()) if (!state.has(n)) visit(n);
  return cycles;
}

/**
 * Orders items so that each comes after its prerequisites (only prerequisites among `items` count). Stable:
 * among items whose prerequisites are placed, the one earliest in `items` comes first — so a list sorted by
 * priority stays as close to that order as the prerequisites allow. Throws a `MeasureError` naming the
 * cycle when there is one.
 */
export function topologicalOrder<T extends { id: string; prerequisites: readonly string[] }>(items: readonly T[]): T[] {
  const index = new Map(items.map((m, i) => [m.id, i]));
  if (index.size !== items.length) {
    const dup = items.find((m, i) => items.findIndex((o) => o.id === m.id) !== i);
    throw new MeasureError([{ subject: `measure "${dup?.id}"`, field: 'id', message: 'listed twice' }], 'order');
  }
  const graph = new Map(items.map((m) => [m.id, m.prerequisites.filter((p) => index.has(p))]));
  const cycles = findCycles(graph);
  if (cycles.length > 0) {
    throw new MeasureError(
      cycles.map((cy) => ({
        subject: `measure "${cy[0]}"`,
        field: 'prerequisites',
        message: `prerequisites form a cycle: ${cy.join(' → ')}`,
      })),
      'order',
    );
  }
  const placed = new Set<string>();
  const out: T[] = [];
  const remaining = [...items];
  while (remaining.length > 0) {
    const i = remaining.findIndex((m) => (graph.get(m.id) ?? []).every((p) => placed.has(p)));
    const [next] = remaining.splice(i, 1);
    if (next === undefined) break;
    placed.add(next.id);
    out.push(next);
  }
  return out;
}

/**
 * The given measure ids plus, transitively, all their prerequisites, in catalogue order. Throws a
 * `MeasureError` for an id that is not in the catalogue.
 */
export function withPrerequisites(catalogue: Pick<MeasureCatalogue, 'measures'>, ids: readonly string[]): Measure[] {
  const byId = new Map(catalogue.measures.map((m) => [m.id, m]));
  const wanted = new Set<string>();
  const add = (id: string): void => {
    if (wanted.has(id)) return;
    const m = byId.get(id);
    if (!m) throw new MeasureError([{ subject: `measure "${id}"`, field: 'id', message: 'not in the catalogue' }]);
    wanted.add(id);
    for (const p of m.prerequisites) add(p);
  };
  for (const id of ids) add(id);
  return catalogue.measures.filter((m) => wanted.has(m.id));
}

// ---------------------------------------------------------------------------------------------
// Loading

const cache = new Map<string, MeasureCatalogue>();

/** The catalogue versions present in `dir`, oldest first ("1", "2", …). */
export function availableMeasureVersions(dir: string = MEASURES_DIR): string[] {
  return contentVersions(dir);
}

export interface LoadMeasuresOptions {
  /** Folder of the catalogue files (default content/measures). */
  dir?: string;
  /** The maturity model to check against (default: `loadModel(catalogue.modelVersion)`). */
  model?: ModelForMeasures;
}

/**
 * Loads, validates and caches `content/measures/v<version>.json` (default: the newest version present),
 * checked against the maturity-model version the file names. Throws a `MeasureError` when the file is
 * missing or invalid (a missing model version surfaces as the model's own error). The result is frozen.
 */
export function loadMeasures(version?: string, options: LoadMeasuresOptions = {}): MeasureCatalogue {
  const dir = options.dir ?? MEASURES_DIR;
  const v = version ?? availableMeasureVersions(dir).at(-1);
  if (v === undefined)
    throw new MeasureError([{ subject: 'catalogue', field: 'file', message: `no catalogue file v<n>.json in ${dir}` }]);
  if (!VERSION.test(v))
    throw new MeasureError([{ subject: `version "${v}"`, field: 'version', message: 'not a catalogue version' }]);
  const key = `${dir}\0${v}`;
  const cached = options.model ? undefined : cache.get(key);
  if (cached) return cached;

  const file = path.join(dir, `v${v}.json`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new MeasureError([
      {
        subject: `version "${v}"`,
        field: 'file',
        message: missing ? `catalogue file ${file} not found` : `${file} is not valid JSON: ${(err as Error).message}`,
      },
    ]);
  }
  const modelVersion = isRecord(json) && typeof json.modelVersion === 'string' ? json.modelVersion : undefined;
  if (!options.model && (modelVersion === undefined || !VERSION.test(modelVersion))) {
    throw new MeasureError([
      { subject: 'catalogue', field: 'modelVersion', message: 'must name a maturity model version like "1"' },
    ]);
  }
  const catalogue = validateMeasures(json, options.model ?? loadModel(modelVersion));
  if (catalogue.version !== v) {
    throw new MeasureError([
      { subject: 'catalogue', field: 'version', message: `file v${v}.json declares version "${catalogue.version}"` },
    ]);
  }
  deepFreeze(catalogue);
  if (!options.model) cache.set(key, catalogue);
  return catalogue;
}

/** A measure's title in the current catalogue, in a language; its id when the catalogue has no such measure. */
export function measureTitle(id: string, lang: keyof LocalizedText): string {
  return loadMeasures().measures.find((m) => m.id === id)?.title[lang] ?? id;
}

/** Forgets cached catalogues (for tests that write catalogue files). */
export function clearMeasuresCache(): void {
  cache.clear();
}
