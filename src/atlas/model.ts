/**
 * The practice project (Praxisbeispiel) of the atlas: its fields, their limits and the one validation that the
 * form, the API and the bulk import share. Content rules only (types, lengths, controlled lists); whether a
 * region key exists in the register is checked by the service, which has the database.
 */
import { loadModel } from '../assessment/index.js';
import { type FieldError, fieldError } from '../platform/errors.js';
import { loadMeasures } from '../strategy/index.js';

/** Where a project stands in its own life (not in the review). */
export const PRACTICE_STATUSES = ['idea', 'planning', 'implementation', 'operation', 'ended'] as const;
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

/** Where a project stands in the review: a draft of its team, submitted, sent back with a comment, published. */
export const REVIEW_STATES = ['draft', 'submitted', 'changes_requested', 'published'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const LIMITS = {
  title: 200,
  summary: 300,
  description: 20_000,
  lessons: 5_000,
  /** Free text lines (organisations, indicators, funding, licence, source). */
  line: 300,
  listItems: 30,
  tags: 20,
  tag: 60,
  regions: 50,
  url: 1_000,
  year: { min: 1990, max: 2100 },
  cost: 1_000_000_000,
} as const;

export interface PracticeContact {
  name: string;
  email: string;
  phone: string;
  /** Opt-in: shown only to signed-in members of municipal workspaces, and only when true. */
  visible: boolean;
}

export interface PracticeLinks {
  website: string;
  repository: string;
  publiccode: string;
}

/** Everything a practice project says about itself (one version of it). */
export interface PracticeContent {
  title: string;
  summary: string;
  /** Markdown; rendered sanitised (no raw HTML, only http(s) and mailto links). */
  description: string;
  /** Register keys of the Gemeinden, Verbände, Kreise involved; the first is the lead region. */
  regions: string[];
  providers: string[];
  partners: string[];
  /** Maturity-model sector ids. */
  sectors: string[];
  /** Maturity-model dimension ids. */
  dimensions: string[];
  status: PracticeStatus;
  startYear: number | null;
  endYear: number | null;
  /** EUR, whole euros. */
  costOneOff: number | null;
  costPerYear: number | null;
  funding: string;
  /** Stable standard ids, as the measures catalogue uses them (e.g. "oparl", "xrechnung"). */
  standards: string[];
  /** Outcome indicators, one per line ("Anteil online gestellter Anträge: 62 %"). */
  indicators: string[];
  lessons: string;
  tags: string[];
  contact: PracticeContact | null;
  links: PracticeLinks;
  licence: string;
  /** Where the information comes from (the team itself, a funding report, an import source). */
  source: string;
  /** Ids of the measures catalogue the project implements. */
  measures: string[];
}

export const EMPTY_LINKS: PracticeLinks = { website: '', repository: '', publiccode: '' };

/** A new practice's content with every field empty (the form starts from it). */
export function emptyPractice(): PracticeContent {
  return {
    title: '',
    summary: '',
    description: '',
    regions: [],
    providers: [],
    partners: [],
    sectors: [],
    dimensions: [],
    status: 'implementation',
    startYear: null,
    endYear: null,
    costOneOff: null,
    costPerYear: null,
    funding: '',
    standards: [],
    indicators: [],
    lessons: '',
    tags: [],
    contact: null,
    links: { ...EMPTY_LINKS },
    licence: '',
    source: '',
    measures: [],
  };
}

/** The ids the controlled lists accept (from the maturity model and the measures catalogue). */
export interface Vocabulary {
  sectors: ReadonlySet<string>;
  dimensions: ReadonlySet<string>;
  measures: ReadonlySet<string>;
  standards: ReadonlySet<string>;
}

let vocabulary: Vocabulary | null = null;

export function practiceVocabulary(): Vocabulary {
  if (!vocabulary) {
    const model = loadModel();
    const catalogue = loadMeasures();
    vocabulary = {
      sectors: new Set(model.sectors.map((s) => s.id)),
      dimensions: new Set(model.dimensions.map((d) => d.id)),
      measures: new Set(catalogue.measures.map((m) => m.id)),
      standards: new Set(catalogue.measures.flatMap((m) => m.standards)),
    };
  }
  return vocabulary;
}

const REGION_KEY = /^\d{2}(?:\d{1,10})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** An http(s) URL, or the empty string. */
export function isWebUrl(s: string): boolean {
  if (s === '') return true;
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * Every problem of a practice's content, each naming its field (`regions[2]`, `links.website` …), in field
 * order; empty when the content may be saved. Drafts may be incomplete (`complete: false` checks only what is
 * there); submitting and publishing need a title, a summary, a region and a sector.
 */
export function validatePractice(c: PracticeContent, opts: { complete: boolean }, vocab = practiceVocabulary()) {
  const errors: FieldError[] = [];
  const text = (field: string, value: string, max: number, required = false) => {
    if (required && value.trim() === '') errors.push(fieldError(field, 'atlas.err.required'));
    else if (value.length > max) errors.push(fieldError(field, 'atlas.err.tooLong', { max, length: value.length }));
  };
  const list = (field: string, values: readonly string[], max: number, known?: ReadonlySet<string>) => {
    if (values.length > max) errors.push(fieldError(field, 'atlas.err.tooMany', { max }));
    values.forEach((v, i) => {
      if (known && !known.has(v)) errors.push(fieldError(`${field}[${i}]`, 'atlas.err.unknownId', { value: v }));
      else if (v.length > LIMITS.line)
        errors.push(fieldError(`${field}[${i}]`, 'atlas.err.tooLong', { max: LIMITS.line, length: v.length }));
    });
    if (new Set(values).size !== values.length) errors.push(fieldError(field, 'atlas.err.duplicate'));
  };
  const year = (field: string, y: number | null) => {
    if (y !== null && (!Number.isInteger(y) || y < LIMITS.year.min || y > LIMITS.year.max)) {
      errors.push(fieldError(field, 'atlas.err.year', { min: LIMITS.year.min, max: LIMITS.year.max }));
    }
  };
  const cost = (field: string, v: number | null) => {
    if (v !== null && (!Number.isInteger(v) || v < 0 || v > LIMITS.cost))
      errors.push(fieldError(field, 'atlas.err.cost'));
  };
  const url = (field: string, v: string) => {
    if (v.length > LIMITS.url || !isWebUrl(v)) errors.push(fieldError(field, 'atlas.err.url'));
  };

  text('title', c.title, LIMITS.title, opts.complete);
  text('summary', c.summary, LIMITS.summary, opts.complete);
  text('description', c.description, LIMITS.description);
  if (opts.complete && c.regions.length === 0) errors.push(fieldError('regions', 'atlas.err.required'));
  if (c.regions.length > LIMITS.regions)
    errors.push(fieldError('regions', 'atlas.err.tooMany', { max: LIMITS.regions }));
  c.regions.forEach((k, i) => {
    if (!REGION_KEY.test(k)) errors.push(fieldError(`regions[${i}]`, 'atlas.err.regionKey', { value: k }));
  });
  if (new Set(c.regions).size !== c.regions.length) errors.push(fieldError('regions', 'atlas.err.duplicate'));
  list('providers', c.providers, LIMITS.listItems);
  list('partners', c.partners, LIMITS.listItems);
  if (opts.complete && c.sectors.length === 0) errors.push(fieldError('sectors', 'atlas.err.required'));
  list('sectors', c.sectors, LIMITS.listItems, vocab.sectors);
  list('dimensions', c.dimensions, LIMITS.listItems, vocab.dimensions);
  if (!(PRACTICE_STATUSES as readonly string[]).includes(c.status)) {
    errors.push(fieldError('status', 'atlas.err.status', { values: PRACTICE_STATUSES.join(', ') }));
  }
  year('startYear', c.startYear);
  year('endYear', c.endYear);
  if (c.startYear !== null && c.endYear !== null && c.endYear < c.startYear) {
    errors.push(fieldError('endYear', 'atlas.err.endBeforeStart'));
  }
  cost('costOneOff', c.costOneOff);
  cost('costPerYear', c.costPerYear);
  text('funding', c.funding, LIMITS.line);
  list('standards', c.standards, LIMITS.listItems, vocab.standards);
  list('indicators', c.indicators, LIMITS.listItems);
  text('lessons', c.lessons, LIMITS.lessons);
  if (c.tags.length > LIMITS.tags) errors.push(fieldError('tags', 'atlas.err.tooMany', { max: LIMITS.tags }));
  c.tags.forEach((t, i) => {
    if (t.trim() === '' || t.length > LIMITS.tag)
      errors.push(fieldError(`tags[${i}]`, 'atlas.err.tag', { max: LIMITS.tag }));
  });
  if (c.contact) {
    text('contact.name', c.contact.name, LIMITS.line, c.contact.visible);
    if (c.contact.email !== '' && (!EMAIL.test(c.contact.email) || c.contact.email.length > 254)) {
      errors.push(fieldError('contact.email', 'atlas.err.email'));
    }
    text('contact.phone', c.contact.phone, 50);
  }
  url('links.website', c.links.website);
  url('links.repository', c.links.repository);
  url('links.publiccode', c.links.publiccode);
  text('licence', c.licence, LIMITS.line);
  text('source', c.source, LIMITS.line);
  list('measures', c.measures, LIMITS.listItems, vocab.measures);
  return errors;
}
