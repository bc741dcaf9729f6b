/**
 * Settings of the conformance registry (pure): the operator's part comes from the platform configuration
 * (`Config.check`, CONFORMANCE_* variables), the rest are fixed defaults.
 */
import type { CheckConfig } from '../../platform/config.js';

export interface ConformanceSettings {
  /** CONFORMANCE_RECHECK_DAYS (default 7): every active artefact is checked again this long after its last check. */
  recheckAfterMs: number;
  /** CONFORMANCE_RETRY_HOURS (default 24): after "could not be checked", the next try comes sooner. */
  retryAfterMs: number;
  /** CONFORMANCE_DEMAND_MINUTES (default 10): "Jetzt erneut prüfen" at most once in this time per artefact. */
  demandIntervalMs: number;
  /** CONFORMANCE_SCHEDULE_MINUTES (default 15; 0 = no scheduled checks): how often the job looks for due artefacts. */
  scheduleEveryMs: number;
  /** CONFORMANCE_BATCH (default 20): most artefacts one scheduled run checks. */
  batchSize: number;
  /** A claimed check whose run has not finished after this time (default 15 min) is taken over by the next run. */
  leaseMs: number;
  /** CONFORMANCE_MAX_UPLOAD_MB (default 20, at most 50): largest uploaded file. */
  maxUploadBytes: number;
  /** The longest one check may take before it is "could not be checked" (default: 5 min). */
  checkTimeoutMs: number;
}

export const DEFAULT_SETTINGS: ConformanceSettings = {
  recheckAfterMs: 7 * 24 * 3600_000,
  retryAfterMs: 24 * 3600_000,
  demandIntervalMs: 10 * 60_000,
  scheduleEveryMs: 15 * 60_000,
  batchSize: 20,
  leaseMs: 15 * 60_000,
  maxUploadBytes: 20 * 1024 * 1024,
  checkTimeoutMs: 5 * 60_000,
};

/** The registry's settings from the platform configuration (CONFORMANCE_*, read and checked by loadConfig). */
export function conformanceSettings(check: CheckConfig): ConformanceSettings {
  return {
    ...DEFAULT_SETTINGS,
    recheckAfterMs: check.recheckDays * 24 * 3600_000,
    retryAfterMs: check.retryHours * 3600_000,
    demandIntervalMs: check.demandMinutes * 60_000,
    scheduleEveryMs: check.scheduleMinutes * 60_000,
    batchSize: check.batch,
    maxUploadBytes: check.maxUploadMb * 1024 * 1024,
  };
}
