/**
 * Settings of the conformance registry, from the environment (pure). The platform's Config does not carry them yet;
 * the module reads them once from `process.env` (the lead may move them into src/platform/config.ts).
 */
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

function int(env: Record<string, string | undefined>, name: string, def: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}"`);
  }
  return Number(raw);
}

export function conformanceSettingsFromEnv(env: Record<string, string | undefined>): ConformanceSettings {
  return {
    ...DEFAULT_SETTINGS,
    recheckAfterMs: int(env, 'CONFORMANCE_RECHECK_DAYS', 7, 1, 365) * 24 * 3600_000,
    retryAfterMs: int(env, 'CONFORMANCE_RETRY_HOURS', 24, 1, 24 * 365) * 3600_000,
    demandIntervalMs: int(env, 'CONFORMANCE_DEMAND_MINUTES', 10, 0, 24 * 60) * 60_000,
    scheduleEveryMs: int(env, 'CONFORMANCE_SCHEDULE_MINUTES', 15, 0, 24 * 60) * 60_000,
    batchSize: int(env, 'CONFORMANCE_BATCH', 20, 1, 1000),
    maxUploadBytes: int(env, 'CONFORMANCE_MAX_UPLOAD_MB', 20, 1, 50) * 1024 * 1024,
  };
}
