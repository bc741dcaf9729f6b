/**
 * The `gtfs` conformance validator (issue 11): a GTFS Schedule feed as a ZIP (bytes or URL) or a folder of .txt
 * files, judged against the GTFS Schedule Reference revised 2026-04-27 (../shared/data/standards/gtfs/spec). Rules:
 * docs/conformance/gtfs.md.
 */
import {
  type Artefact,
  FetchRefused,
  type Report,
  type Validator,
  type ValidatorOptions,
  verdictOf,
} from '../types.js';
import {
  DEFAULT_GTFS_LIMITS,
  type FeedSource,
  folderSource,
  type GtfsLimits,
  SourceError,
  zipSource,
} from './feed-source.js';
import { FindingCollector } from './findings.js';
import { src } from './schema.js';
import { validateFeed } from './validate.js';

export { DEFAULT_GTFS_LIMITS, type GtfsLimits } from './feed-source.js';

export const GTFS_REFERENCE_REVISION = '2026-04-27';
export const GTFS_VALIDATOR_VERSION = `kommunallotse-gtfs/1.0.0 (GTFS Schedule Reference ${GTFS_REFERENCE_REVISION})`;

function inputOf(artefact: Artefact): string {
  return artefact.kind === 'bytes' ? artefact.name : artefact.kind === 'folder' ? artefact.path : artefact.url;
}

/** Checks one feed; `limits` override the defaults (tests and the bench use smaller or larger ones). */
export async function checkGtfs(
  artefact: Artefact,
  options: ValidatorOptions,
  limits: Partial<GtfsLimits> = {},
): Promise<Report> {
  const lim: GtfsLimits = { ...DEFAULT_GTFS_LIMITS, ...limits };
  const base = {
    input: inputOf(artefact),
    standard: 'gtfs' as const,
    validatorVersion: GTFS_VALIDATOR_VERSION,
    standardVersion: GTFS_REFERENCE_REVISION,
  };
  const notChecked = (reason: string): Report => ({ ...base, verdict: 'could not be checked', findings: [], reason });
  const c = new FindingCollector(lim.maxFindingsPerRule);
  const broken = (message: string): Report => {
    c.add('gtfs.zip-invalid', 'error', base.input, message, src('File Requirements'));
    const findings = c.finish();
    return { ...base, verdict: verdictOf(findings), findings, reason: message };
  };

  let source: FeedSource;
  try {
    if (artefact.kind === 'folder') {
      source = await folderSource(artefact.path, lim);
    } else {
      let bytes: Uint8Array;
      if (artefact.kind === 'bytes') bytes = artefact.bytes;
      else {
        try {
          const res = await options.fetch(artefact.url, { maxBytes: lim.maxFetchBytes, timeoutMs: lim.fetchTimeoutMs });
          if (res.status < 200 || res.status > 299)
            return notChecked(`Der Server antwortete mit HTTP-Status ${res.status}.`);
          bytes = res.bytes;
        } catch (err) {
          if (err instanceof FetchRefused) return notChecked(`Der Feed konnte nicht geladen werden: ${err.message}`);
          return notChecked(`Der Feed konnte nicht geladen werden: ${(err as Error).message}`);
        }
      }
      source = zipSource(bytes, lim);
    }
  } catch (err) {
    if (err instanceof SourceError && err.kind === 'not-zip') return broken(err.message);
    if (err instanceof SourceError) return notChecked(err.message);
    throw err;
  }
  for (const p of source.problems) {
    c.add(
      p.rule,
      p.rule === 'gtfs.unknown-file' ? 'warning' : 'error',
      p.location,
      p.message,
      src(p.rule === 'gtfs.unknown-file' ? 'Dataset Files' : 'File Requirements'),
    );
  }
  let stats: Record<string, number>;
  try {
    stats = await validateFeed(source, c);
  } catch (err) {
    if (err instanceof SourceError && err.kind === 'not-zip') return broken(err.message);
    if (err instanceof SourceError) return notChecked(err.message);
    throw err;
  }
  const findings = c.finish();
  return { ...base, verdict: verdictOf(findings), findings, stats };
}

export const gtfsValidator: Validator = {
  standard: 'gtfs',
  validatorVersion: GTFS_VALIDATOR_VERSION,
  check: (artefact, options) => checkGtfs(artefact, options),
};
