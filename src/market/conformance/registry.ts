/**
 * The validators by standard, and `checkInputs`: what `lotse check` (and later the platform's own checks) runs
 * for inputs as a person names them — a URL, a file or a folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { dcatValidator } from './dcat/index.js';
import { gtfsValidator } from './gtfs/index.js';
import { oparlValidator } from './oparl/index.js';
import { publiccodeValidator } from './publiccode/index.js';
import {
  type Artefact,
  type CheckStandard,
  type Fetcher,
  FetchRefused,
  type Report,
  type Validator,
  type ValidatorOptions,
} from './types.js';

/**
 * The validators built in, by standard. A standard without one (only possible for a registry a test empties) gives
 * a `could not be checked` report saying so.
 */
export const VALIDATORS: Partial<Record<CheckStandard, Validator>> = {
  publiccode: publiccodeValidator,
  oparl: oparlValidator,
  'dcat-ap-de': dcatValidator,
  gtfs: gtfsValidator,
};

/** The validator version of a report written here when no validator ran. */
export const NO_VALIDATOR_VERSION = 'kommunallotse-check/1.0.0';

export interface CheckInputsOptions {
  fetch: Fetcher;
  /** The validators to use (default: VALIDATORS). */
  validators?: Partial<Record<CheckStandard, Validator>>;
  /** Crawler limits handed to the validator (maxObjects, politenessMs, deadlineMs). */
  validatorOptions?: Omit<ValidatorOptions, 'fetch'>;
}

/** A `could not be checked` report with its reason. */
export function couldNotBeChecked(
  input: string,
  standard: CheckStandard,
  reason: string,
  validatorVersion = NO_VALIDATOR_VERSION,
): Report {
  return { input, standard, verdict: 'could not be checked', findings: [], validatorVersion, reason };
}

const MEDIA_TYPES: Record<string, string> = {
  '.yml': 'application/yaml',
  '.yaml': 'application/yaml',
  '.json': 'application/json',
  '.jsonld': 'application/ld+json',
  '.ttl': 'text/turtle',
  '.rdf': 'application/rdf+xml',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
};

/** An input as the artefact a validator reads, or the reason it cannot be one. */
export async function artefactOf(input: string): Promise<Artefact | { reason: string }> {
  if (/^https?:\/\//i.test(input)) return { kind: 'url', url: input };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    return { reason: `„${input}“: nur http(s)-URLs, Dateien und Ordner können geprüft werden.` };
  }
  const file = path.resolve(input);
  let stat: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stat = await fs.stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT'
      ? { reason: `Die Datei oder der Ordner „${input}“ existiert nicht.` }
      : { reason: `„${input}“ lässt sich nicht lesen (${code ?? (err as Error).message}).` };
  }
  if (stat.isDirectory()) return { kind: 'folder', path: file };
  if (!stat.isFile()) return { reason: `„${input}“ ist weder eine Datei noch ein Ordner.` };
  try {
    const bytes = new Uint8Array(await fs.readFile(file));
    const mediaType = MEDIA_TYPES[path.extname(file).toLowerCase()];
    return { kind: 'bytes', name: path.basename(file), bytes, ...(mediaType ? { mediaType } : {}) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { reason: `„${input}“ lässt sich nicht lesen (${code ?? (err as Error).message}).` };
  }
}

/**
 * Check each input against `standard`, one after the other, one report per input in the order given. Never throws
 * for an input: a missing file, an unreadable one, a standard without a validator or a validator that throws
 * becomes a `could not be checked` report with the reason. The report's `input` and `standard` are always the
 * input as given and the standard asked for (a validator sees only a file's name, not the path typed).
 */
export async function checkInputs(
  standard: CheckStandard,
  inputs: readonly string[],
  opts: CheckInputsOptions,
): Promise<Report[]> {
  const validator = (opts.validators ?? VALIDATORS)[standard];
  const reports: Report[] = [];
  for (const input of inputs) {
    if (!validator) {
      reports.push(couldNotBeChecked(input, standard, `Für den Standard ${standard} ist kein Prüfprogramm eingebaut.`));
      continue;
    }
    const artefact = await artefactOf(input);
    if ('reason' in artefact) {
      reports.push(couldNotBeChecked(input, standard, artefact.reason, validator.validatorVersion));
      continue;
    }
    try {
      const report = await validator.check(artefact, { ...opts.validatorOptions, fetch: opts.fetch });
      reports.push({ ...report, input, standard });
    } catch (err) {
      const reason =
        err instanceof FetchRefused
          ? err.message
          : `Das Prüfprogramm ist mit einem Fehler abgebrochen: ${err instanceof Error ? err.message : String(err)}`;
      reports.push(couldNotBeChecked(input, standard, reason, validator.validatorVersion));
    }
  }
  return reports;
}
