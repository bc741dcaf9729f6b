/**
 * The contract every conformance validator keeps (issue 11). A validator reads an artefact — bytes of a file, a
 * folder, or a URL fetched through the safe `Fetcher` — checks it against the rules of one standard, each rule
 * written from the specification and citing its section, and returns a `Report`. It never throws for bad input:
 * input it cannot read is a finding of a `not conformant` report (malformed data) or a `could not be checked`
 * report (unreachable, too large, timed out, refused address), with the reason.
 */

export const STANDARD_IDS = ['publiccode', 'oparl', 'dcat-ap-de', 'gtfs'] as const;
export type CheckStandard = (typeof STANDARD_IDS)[number];

export type Verdict = 'conformant' | 'not conformant' | 'could not be checked';
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Stable rule id, e.g. "gtfs.required-file" or "publiccode.licence-spdx". */
  rule: string;
  /** Only `error` findings make a report `not conformant`. */
  severity: Severity;
  /** Where: "stops.txt:14 stop_lat", "$.maintenance.contacts[0].name", an object URL, a node IRI. */
  location: string;
  /** One sentence, German, saying what is wrong (and what was expected). */
  message: string;
  /** The section of the specification the rule comes from, e.g. "GTFS Reference §stops.txt". */
  source?: string;
}

export interface Report {
  /** What was checked, as the user named it (path or URL). */
  input: string;
  standard: CheckStandard;
  verdict: Verdict;
  findings: Finding[];
  /** e.g. "kommunallotse-gtfs/1.0.0 (GTFS Schedule Reference 2024-08)". Bump when rules change. */
  validatorVersion: string;
  /** The version of the standard the artefact was judged against, when known (e.g. "0.4" or "1.1"). */
  standardVersion?: string;
  /** Why a report is `could not be checked`. */
  reason?: string;
  /** Counts for the closing note and the page: objects, files, rows, triples … */
  stats?: Record<string, number>;
}

/** An artefact as handed to a validator. */
export type Artefact =
  | { kind: 'bytes'; name: string; bytes: Uint8Array; mediaType?: string }
  | { kind: 'folder'; path: string }
  | { kind: 'url'; url: string };

export interface FetchLimits {
  /** Largest body in bytes (default 20 MB). */
  maxBytes: number;
  /** Whole request, headers and body, in ms (default 15 s). */
  timeoutMs: number;
  /** Redirects followed, each one checked again (default 5). */
  maxRedirects: number;
}

export interface Fetched {
  /** The final URL after redirects. */
  url: string;
  status: number;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

/**
 * Safe HTTP(S) GET: refuses non-http(s) URLs, loopback, private, link-local and other special addresses (after DNS
 * resolution, also on every redirect) unless allowed, and enforces the limits. Throws `FetchRefused` on any of that.
 */
export type Fetcher = (url: string, limits?: Partial<FetchLimits>) => Promise<Fetched>;

export class FetchRefused extends Error {
  constructor(
    readonly code: 'scheme' | 'private-address' | 'dns' | 'timeout' | 'too-large' | 'redirects' | 'network' | 'status',
    message: string,
  ) {
    super(message);
    this.name = 'FetchRefused';
  }
}

export interface ValidatorOptions {
  fetch: Fetcher;
  /** Crawlers: most objects visited (OParl default 500). */
  maxObjects?: number;
  /** Crawlers: pause between requests to one host, ms (default 100). */
  politenessMs?: number;
  /** Crawlers: whole check, ms (default 120 s). */
  deadlineMs?: number;
}

export interface Validator {
  standard: CheckStandard;
  validatorVersion: string;
  check(artefact: Artefact, options: ValidatorOptions): Promise<Report>;
}

/** Verdict from findings: any error → not conformant. */
export function verdictOf(findings: readonly Finding[]): Verdict {
  return findings.some((f) => f.severity === 'error') ? 'not conformant' : 'conformant';
}
