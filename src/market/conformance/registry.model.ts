/**
 * Pure rules of the conformance registry: what a registration may name, how a validator's report becomes a stored
 * check, when an artefact is due again, and which check a badge shows. No I/O.
 */
import { createHash } from 'node:crypto';
import type { CheckStandard, Finding, Report, Verdict } from './types.js';
import { STANDARD_IDS } from './types.js';

/** At most this many findings are stored per check (the count of all is kept). */
export const MAX_STORED_FINDINGS = 1000;
const MAX_TEXT = 2000;

export const isStandard = (v: unknown): v is CheckStandard =>
  typeof v === 'string' && (STANDARD_IDS as readonly string[]).includes(v);

export type UrlProblem = 'empty' | 'invalid' | 'scheme' | 'credentials' | 'tooLong';

/**
 * The endpoint URL as stored, or what is wrong with it: http(s) only, no user name or password in it (the URL is
 * public), at most 2000 characters; the fragment is dropped (it never reaches a server). Addresses in private
 * networks are refused by the fetcher when the check runs (after DNS resolution, on every redirect).
 */
export function normaliseUrl(raw: string): { url: string } | { problem: UrlProblem } {
  const s = raw.trim();
  if (!s) return { problem: 'empty' };
  if (s.length > MAX_TEXT) return { problem: 'tooLong' };
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return { problem: 'invalid' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { problem: 'scheme' };
  if (u.username || u.password) return { problem: 'credentials' };
  u.hash = '';
  const url = u.toString();
  return url.length > MAX_TEXT ? { problem: 'tooLong' } : { url };
}

/** A file name as shown on the public page: the last path segment, control characters removed, at most 200 chars. */
export function cleanFileName(raw: string): string {
  const base =
    raw
      .split(/[\\/]/)
      .pop()!
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
      .replace(/[\u0000-\u001f\u007f"]/g, '')
      .trim() || 'datei';
  return base.slice(0, 200);
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** What a check records as its input: the URL, or `sha256:<hex>` of the file. */
export const inputOf = (a: { url: string | null; fileSha256: string | null }): string =>
  a.url ?? `sha256:${a.fileSha256}`;

const clip = (s: string, n = MAX_TEXT) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export interface StoredCheck {
  standard: CheckStandard;
  standardVersion: string | null;
  validatorVersion: string;
  verdict: Verdict;
  reason: string | null;
  findings: Finding[];
  findingsTotal: number;
  errors: number;
  warnings: number;
  stats: Record<string, number>;
}

/**
 * A validator's report as stored. The verdict is the report's, except that a `could not be checked` report without
 * a reason gets one, and a report that claims `conformant` while it has error findings is `not conformant` (badges
 * come only from what the findings show).
 */
export function storedCheckOf(report: Report, standard: CheckStandard): StoredCheck {
  const findings = Array.isArray(report.findings) ? report.findings : [];
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  let verdict: Verdict = report.verdict;
  if (verdict !== 'could not be checked' && verdict !== 'not conformant' && verdict !== 'conformant') {
    verdict = 'could not be checked';
  }
  if (verdict === 'conformant' && errors > 0) verdict = 'not conformant';
  const reason =
    verdict === 'could not be checked'
      ? clip(report.reason?.trim() || 'Das Prüfprogramm hat keinen Grund genannt.')
      : report.reason
        ? clip(report.reason)
        : null;
  const stats: Record<string, number> = {};
  for (const [k, v] of Object.entries(report.stats ?? {})) if (Number.isFinite(v)) stats[k.slice(0, 100)] = v;
  return {
    standard,
    standardVersion: report.standardVersion ? clip(report.standardVersion, 100) : null,
    validatorVersion: clip(report.validatorVersion || 'unbekannt', 200),
    verdict,
    reason,
    findings: findings.slice(0, MAX_STORED_FINDINGS).map((f) => ({
      rule: clip(String(f.rule), 200),
      severity: f.severity,
      location: clip(String(f.location ?? ''), 500),
      message: clip(String(f.message ?? '')),
      ...(f.source ? { source: clip(String(f.source), 300) } : {}),
    })),
    findingsTotal: findings.length,
    errors,
    warnings,
    stats,
  };
}

/** A check that could not run at all (no validator, the validator threw, the time ran out). */
export function notCheckable(standard: CheckStandard, validatorVersion: string, reason: string): StoredCheck {
  return {
    standard,
    standardVersion: null,
    validatorVersion,
    verdict: 'could not be checked',
    reason: clip(reason),
    findings: [],
    findingsTotal: 0,
    errors: 0,
    warnings: 0,
    stats: {},
  };
}

/** When an artefact is due again: the re-check interval, or sooner (the retry) after `could not be checked`. */
export function nextCheckAt(checkedAt: Date, verdict: Verdict, s: { recheckAfterMs: number; retryAfterMs: number }) {
  const wait = verdict === 'could not be checked' ? Math.min(s.retryAfterMs, s.recheckAfterMs) : s.recheckAfterMs;
  return new Date(checkedAt.getTime() + wait);
}

/** When "Jetzt erneut prüfen" is possible again (null: now). */
export function demandAllowedAt(lastStartedAt: Date | null, now: Date, intervalMs: number): Date | null {
  if (!lastStartedAt) return null;
  const at = new Date(lastStartedAt.getTime() + intervalMs);
  return at > now ? at : null;
}

/** Whether a claimed run still holds the artefact (its lease has not run out). */
export const isRunning = (runningSince: Date | null, now: Date, leaseMs: number): boolean =>
  runningSince !== null && now.getTime() - runningSince.getTime() < leaseMs;

export interface BadgeVerdict {
  verdict: Verdict;
  checkedAt: Date;
  artefactId: number;
}

const RANK: Record<Verdict, number> = { conformant: 0, 'not conformant': 1, 'could not be checked': 2 };

/**
 * The badge of a subject for one standard, from the latest checks of its active artefacts: a subject shows
 * `conformant` when one of its artefacts is conformant by its latest check; else the latest check's verdict.
 * Ties: the newer check. Only checks count — nothing a provider or municipality claims.
 */
export function pickBadge(latest: readonly BadgeVerdict[]): BadgeVerdict | null {
  let best: BadgeVerdict | null = null;
  for (const v of latest) {
    if (
      !best ||
      RANK[v.verdict] < RANK[best.verdict] ||
      (RANK[v.verdict] === RANK[best.verdict] && v.checkedAt.getTime() > best.checkedAt.getTime())
    ) {
      best = v;
    }
  }
  return best;
}

/** Group latest checks by a key and standard, and pick each badge. */
export function badgesBy<R extends BadgeVerdict & { standard: CheckStandard }, K>(
  rows: readonly R[],
  keyOf: (r: R) => K,
): Map<K, Map<CheckStandard, BadgeVerdict>> {
  const groups = new Map<K, Map<CheckStandard, BadgeVerdict[]>>();
  for (const r of rows) {
    const k = keyOf(r);
    let g = groups.get(k);
    if (!g) {
      g = new Map();
      groups.set(k, g);
    }
    const list = g.get(r.standard) ?? [];
    list.push({ verdict: r.verdict, checkedAt: r.checkedAt, artefactId: r.artefactId });
    g.set(r.standard, list);
  }
  const out = new Map<K, Map<CheckStandard, BadgeVerdict>>();
  for (const [k, g] of groups) {
    const m = new Map<CheckStandard, BadgeVerdict>();
    for (const s of STANDARD_IDS) {
      const b = g.get(s) ? pickBadge(g.get(s)!) : null;
      if (b) m.set(s, b);
    }
    out.set(k, m);
  }
  return out;
}
