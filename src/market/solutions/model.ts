/**
 * A solution (Lösung) of the market: its fields, their limits and the one validation that the form, the API and the
 * publiccode.yml prefill share. Content rules only (types, lengths, controlled lists); whether a standard id is known
 * is asked of a predicate the caller hands in (the standards catalogue of issue 11 replaces the default).
 */
import { loadModel } from '../../assessment/index.js';
import { type FieldError, fieldError } from '../../platform/errors.js';
import { loadStandards } from '../standards/catalogue.js';

/** Where a solution stands in the review: a draft of its provider, submitted, sent back, published. */
export const REVIEW_STATES = ['draft', 'submitted', 'changes_requested', 'published'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/**
 * How a municipality can run it (several may apply): as a service of the provider (SaaS), in its own data centre,
 * at a municipal IT service provider (kommunaler IT-Dienstleister), or from the open source code by itself.
 */
export const OPERATING_MODELS = ['saas', 'on-premises', 'municipal-it', 'open-source'] as const;
export type OperatingModel = (typeof OPERATING_MODELS)[number];

/** Where the data is stored and processed (the free text says more, e.g. the data centre). */
export const DATA_LOCATIONS = ['germany', 'eu', 'other'] as const;
export type DataLocation = (typeof DATA_LOCATIONS)[number];

/** How the price is built (the free text gives figures). */
export const PRICE_MODELS = [
  'free',
  'one-off',
  'subscription',
  'per-inhabitant',
  'per-user',
  'per-transaction',
  'on-request',
] as const;
export type PriceModel = (typeof PRICE_MODELS)[number];

export const LIMITS = {
  name: 200,
  summary: 300,
  problem: 10_000,
  line: 300,
  note: 2_000,
  url: 1_000,
  listItems: 30,
} as const;

export interface SolutionContact {
  name: string;
  email: string;
  phone: string;
  /** Opt-in: shown only to signed-in members of municipal workspaces, and only when true. */
  visible: boolean;
}

/** Everything a solution says about itself (one version of it). */
export interface SolutionContent {
  name: string;
  /** One or two sentences for lists and the comparison. */
  summary: string;
  /** What problem it solves, for whom (plain text, paragraphs kept). */
  problem: string;
  /** Maturity-model sector ids. */
  sectors: string[];
  dataLocation: DataLocation | null;
  /** Hosting in words ("Rechenzentrum in Frankfurt am Main, ISO 27001"). */
  hostingNote: string;
  operatingModels: OperatingModel[];
  /** SPDX expression or the name of a proprietary licence. */
  licence: string;
  openSource: boolean;
  /** Where its publiccode.yml is (stored; the import maps it, see `prefillFromPubliccode`). */
  publiccodeUrl: string;
  website: string;
  /** publiccode.yml `maintenance` in words ("vom Anbieter gepflegt, Vertrag"). */
  maintenance: string;
  /** publiccode.yml `dependsOn`: software it needs (one per entry). */
  dependencies: string[];
  priceModel: PriceModel | null;
  priceNote: string;
  accessibilityUrl: string;
  /** Ids of standards the provider claims (claims only; checks are the conformance module's). */
  standards: string[];
  contact: SolutionContact | null;
}

export function emptySolution(): SolutionContent {
  return {
    name: '',
    summary: '',
    problem: '',
    sectors: [],
    dataLocation: null,
    hostingNote: '',
    operatingModels: [],
    licence: '',
    openSource: false,
    publiccodeUrl: '',
    website: '',
    maintenance: '',
    dependencies: [],
    priceModel: null,
    priceNote: '',
    accessibilityUrl: '',
    standards: [],
    contact: null,
  };
}

/** The ids the controlled lists accept. `knownStandard` is swappable (the standards catalogue decides later). */
export interface SolutionVocabulary {
  sectors: ReadonlySet<string>;
  knownStandard: (id: string) => boolean;
}

let defaultVocabulary: SolutionVocabulary | null = null;

/** Sectors from the maturity model; standards: the ids of the standards catalogue (content/standards). */
export function solutionVocabulary(): SolutionVocabulary {
  if (!defaultVocabulary) {
    const ids = new Set(loadStandards().standards.map((s) => s.id));
    defaultVocabulary = {
      sectors: new Set(loadModel().sectors.map((s) => s.id)),
      knownStandard: (id) => ids.has(id),
    };
  }
  return defaultVocabulary;
}

/** The standard ids offered on the form: those of the standards catalogue. */
export function standardChoices(): string[] {
  return loadStandards()
    .standards.map((s) => s.id)
    .sort();
}

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
 * Every problem of a solution's content, each naming its field (`standards[2]`, `contact.email` …), in field order;
 * empty when it may be saved. Drafts may be incomplete (`complete: false`); submitting and publishing need a name,
 * a summary, the problem it solves, a sector, an operating model and a price model, and an open-source solution
 * needs its licence.
 */
export function validateSolution(
  c: SolutionContent,
  opts: { complete: boolean },
  vocab: SolutionVocabulary = solutionVocabulary(),
): FieldError[] {
  const errors: FieldError[] = [];
  const text = (field: string, value: string, max: number, required = false) => {
    if (required && value.trim() === '') errors.push(fieldError(field, 'market.solutions.err.required'));
    else if (value.length > max)
      errors.push(fieldError(field, 'market.solutions.err.tooLong', { max, length: value.length }));
  };
  const list = (field: string, values: readonly string[], known?: (v: string) => boolean, required = false) => {
    if (required && values.length === 0) errors.push(fieldError(field, 'market.solutions.err.required'));
    if (values.length > LIMITS.listItems)
      errors.push(fieldError(field, 'market.solutions.err.tooMany', { max: LIMITS.listItems }));
    values.forEach((v, i) => {
      if (known && !known(v)) errors.push(fieldError(`${field}[${i}]`, 'market.solutions.err.unknownId', { value: v }));
      else if (v.length > LIMITS.line)
        errors.push(
          fieldError(`${field}[${i}]`, 'market.solutions.err.tooLong', { max: LIMITS.line, length: v.length }),
        );
    });
    if (new Set(values).size !== values.length) errors.push(fieldError(field, 'market.solutions.err.duplicate'));
  };
  const oneOf = (field: string, value: string | null, values: readonly string[], required: boolean) => {
    if (value === null) {
      if (required) errors.push(fieldError(field, 'market.solutions.err.required'));
    } else if (!values.includes(value)) {
      errors.push(fieldError(field, 'market.solutions.err.oneOf', { values: values.join(', ') }));
    }
  };
  const url = (field: string, v: string) => {
    if (v.length > LIMITS.url || !isWebUrl(v)) errors.push(fieldError(field, 'market.solutions.err.url'));
  };
  const complete = opts.complete;

  text('name', c.name, LIMITS.name, complete);
  text('summary', c.summary, LIMITS.summary, complete);
  text('problem', c.problem, LIMITS.problem, complete);
  list('sectors', c.sectors, (s) => vocab.sectors.has(s), complete);
  oneOf('dataLocation', c.dataLocation, DATA_LOCATIONS, false);
  text('hostingNote', c.hostingNote, LIMITS.line);
  list('operatingModels', c.operatingModels, (m) => (OPERATING_MODELS as readonly string[]).includes(m), complete);
  text('licence', c.licence, LIMITS.line, complete && c.openSource);
  url('publiccodeUrl', c.publiccodeUrl);
  url('website', c.website);
  text('maintenance', c.maintenance, LIMITS.line);
  list('dependencies', c.dependencies);
  oneOf('priceModel', c.priceModel, PRICE_MODELS, complete);
  text('priceNote', c.priceNote, LIMITS.note);
  url('accessibilityUrl', c.accessibilityUrl);
  list('standards', c.standards, vocab.knownStandard);
  if (c.contact) {
    text('contact.name', c.contact.name, LIMITS.line, c.contact.visible);
    if (c.contact.email !== '' && (!EMAIL.test(c.contact.email) || c.contact.email.length > 254)) {
      errors.push(fieldError('contact.email', 'market.solutions.err.email'));
    }
    text('contact.phone', c.contact.phone, 50);
  }
  return errors;
}

/**
 * Fields a publiccode.yml import may fill (the mapping from the file is another function's work: it hands in the
 * fields it read). Only these are taken; what the provider typed is kept where the import has nothing.
 */
export const PUBLICCODE_FIELDS = [
  'name',
  'summary',
  'problem',
  'licence',
  'openSource',
  'website',
  'maintenance',
  'dependencies',
  'publiccodeUrl',
] as const satisfies readonly (keyof SolutionContent)[];
export type PubliccodeFields = Partial<Pick<SolutionContent, (typeof PUBLICCODE_FIELDS)[number]>>;

/** The part of a read publiccode.yml (`publiccodeToSolution`) that a solution takes; `url` is where it was read. */
export function publiccodeFields(
  s: {
    name: string;
    description: string;
    shortDescription?: string;
    licence: string;
    openSource: boolean;
    maintenance: { type: string; contractors?: { name: string }[] };
    dependencies: string[];
    url?: string;
    landingURL?: string;
  },
  url: string,
): PubliccodeFields {
  const kinds: Record<string, string> = {
    internal: 'vom Anbieter selbst gepflegt',
    contract: 'per Vertrag gepflegt',
    community: 'von der Community gepflegt',
    none: 'nicht gepflegt',
  };
  const contractors = (s.maintenance.contractors ?? []).map((c) => c.name).filter(Boolean);
  const type = s.maintenance.type ? (kinds[s.maintenance.type] ?? s.maintenance.type) : '';
  const maintenance = [type, contractors.length ? contractors.join(', ') : ''].filter(Boolean).join(': ');
  const website = s.landingURL ?? s.url ?? '';
  return {
    name: s.name,
    summary: s.shortDescription ?? '',
    problem: s.description,
    licence: s.licence,
    // Only a readable licence says "open source"; a missing one leaves the typed flag alone.
    ...(s.licence ? { openSource: s.openSource } : {}),
    website: /^https?:\/\//i.test(website) ? website : '',
    maintenance,
    dependencies: s.dependencies,
    publiccodeUrl: url,
  };
}

/** The content with the imported fields laid over it (empty imported values do not erase typed ones). */
export function mergePubliccode(
  base: SolutionContent,
  fields: PubliccodeFields,
): { content: SolutionContent; filled: string[] } {
  const content: SolutionContent = { ...base };
  const filled: string[] = [];
  for (const key of PUBLICCODE_FIELDS) {
    const v = fields[key];
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    (content as unknown as Record<string, unknown>)[key] = Array.isArray(v) ? [...v] : v;
    filled.push(key);
  }
  return { content, filled };
}
