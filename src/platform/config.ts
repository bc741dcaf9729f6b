import path from 'node:path';
import { type MailConfig, mailConfigFromEnv } from './mail/mail.config.js';

/** Typed configuration, read once at boot from the environment and validated. */
export interface Config {
  port: number;
  host: string;
  /** Directory of the embedded database and other local state. */
  dataDir: string;
  /** PostgreSQL connection string; when set, PGlite is not used. */
  databaseUrl: string | null;
  /**
   * The public URL of the platform: every link in a mail (verification, password reset, invitations), the
   * OpenID Connect redirect and the API document's server come from it, never from a request's Host header.
   * BASE_URL, or http://localhost:PORT when the server listens on a loopback address only.
   */
  publicUrl: string;
  /** BASE_URL as configured (null: not set, `publicUrl` is the localhost default). */
  baseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * Which X-Forwarded-* hops to trust (Fastify's trustProxy): false; a number of proxies in front of the
   * platform (the client address is taken that many hops from the right of X-Forwarded-For, so addresses a
   * client adds itself are ignored); or a list of proxy addresses/CIDR ranges.
   */
  trustProxy: false | number | string[];
  /** Maximum API requests per minute and client IP (0 = unlimited). */
  apiRateLimit: number;
  /**
   * Minutes between two releases of the public Lagebild at most (its schedule, ADR 0006); 0 = release as soon as
   * changes can be admitted.
   */
  lagebildReleaseMinutes: number;
  /**
   * Minutes between two runs of the job that reminds deciders of access requests open for three working days
   * (ACCESS_REMINDER_CHECK_MINUTES, default 60); 0 = no reminders.
   */
  accessReminderCheckMinutes: number;
  /**
   * Answers the practice search keeps per instance (SEARCH_CACHE_ENTRIES, default 1000; 0 = no cache). Every change
   * of the index empties the cache, so answers are never stale (ADR 0016).
   */
  searchCacheEntries: number;
  /** SMTP_URL and MAIL_FROM; without SMTP every mail goes to the outbox (DATA_DIR/outbox, /admin/outbox). */
  mail: MailConfig;
  /** Single sign-on through OpenID Connect (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME); null = off. */
  oidc: OidcConfig | null;
  /** Who operates this instance: imprint, privacy and accessibility contact (OPERATOR_*, PRIVACY_CONTACT …). */
  operator: OperatorConfig;
  /** Conformance checks (issue 11, docs/conformance/README.md). */
  check: CheckConfig;
}

export interface CheckConfig {
  /**
   * CHECK_ALLOW_PRIVATE (default false): the conformance fetcher may also reach loopback, private, link-local and
   * other non-public addresses. Off, the platform cannot be used to probe the networks it runs in; on only where
   * every reachable host may be checked (tests with fixture servers on 127.0.0.1, an intranet installation).
   */
  allowPrivate: boolean;
  /** CONFORMANCE_RECHECK_DAYS (default 7, 1–365): every registered artefact is checked again this long after its last check. */
  recheckDays: number;
  /** CONFORMANCE_RETRY_HOURS (default 24): after "could not be checked", the next try comes this much sooner. */
  retryHours: number;
  /** CONFORMANCE_DEMAND_MINUTES (default 10): "Jetzt erneut prüfen" at most once in this time per artefact. */
  demandMinutes: number;
  /** CONFORMANCE_SCHEDULE_MINUTES (default 15; 0 = no scheduled checks): how often the job looks for due artefacts. */
  scheduleMinutes: number;
  /** CONFORMANCE_BATCH (default 20, 1–1000): most artefacts one scheduled run checks. */
  batch: number;
  /** CONFORMANCE_MAX_UPLOAD_MB (default 20, 1–50): largest uploaded file to check. */
  maxUploadMb: number;
}

/**
 * The operator's details for the imprint (§ 5 DDG, § 18 MStV), the privacy contact (Art. 13 DSGVO) and the
 * accessibility feedback contact (§ 12b BGG). Each is null until the operator sets it; while one of the required
 * ones is missing the server warns at start and /impressum says so (`missingOperatorSettings`).
 */
export interface OperatorConfig {
  /** OPERATOR_NAME: the operating body, e.g. "Landkreis Beispiel, Stabsstelle Digitalisierung". */
  name: string | null;
  /** OPERATOR_ADDRESS: postal address; lines separated by "|" ("Musterstraße 1 | 12345 Musterstadt"). */
  address: string | null;
  /** OPERATOR_EMAIL: contact mail address. */
  email: string | null;
  /** OPERATOR_PHONE (optional). */
  phone: string | null;
  /** OPERATOR_RESPONSIBLE (optional): the person responsible for the content under § 18 Abs. 2 MStV. */
  responsible: string | null;
  /** PRIVACY_CONTACT: the data protection officer or privacy contact (mail address or text). */
  privacyContact: string | null;
  /** ACCESSIBILITY_CONTACT: where barriers are reported (mail address or text). */
  accessibilityContact: string | null;
}

/** The names of the required operator settings that are not set (empty: the imprint is complete). */
export function missingOperatorSettings(o: OperatorConfig): string[] {
  const required: [string, string | null][] = [
    ['OPERATOR_NAME', o.name],
    ['OPERATOR_ADDRESS', o.address],
    ['OPERATOR_EMAIL', o.email],
    ['PRIVACY_CONTACT', o.privacyContact],
    ['ACCESSIBILITY_CONTACT', o.accessibilityContact],
  ];
  return required.filter(([, v]) => v === null).map(([k]) => k);
}

export function operatorConfigFromEnv(env: NodeJS.ProcessEnv): OperatorConfig {
  const v = (name: string, max = 500): string | null => {
    const raw = env[name]?.trim() || null;
    if (raw !== null && raw.length > max) throw new ConfigError(name, `is longer than ${max} characters`);
    return raw;
  };
  const email = v('OPERATOR_EMAIL', 254);
  if (email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new ConfigError('OPERATOR_EMAIL', `"${email}" is not a mail address`);
  }
  return {
    name: v('OPERATOR_NAME'),
    address: v('OPERATOR_ADDRESS'),
    email,
    phone: v('OPERATOR_PHONE', 50),
    responsible: v('OPERATOR_RESPONSIBLE'),
    privacyContact: v('PRIVACY_CONTACT'),
    accessibilityContact: v('ACCESSIBILITY_CONTACT'),
  };
}

export interface OidcConfig {
  /** Issuer identifier, exactly as in the provider's discovery document (e.g. https://sso.example.de/realms/land). */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Shown on the login button: "Mit <name> anmelden". */
  name: string;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Configuration error in ${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `"${raw}" is not a whole number`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `${value} is outside ${min}–${max}`);
  return value;
}

export function checkConfigFromEnv(env: NodeJS.ProcessEnv): CheckConfig {
  return {
    allowPrivate: boolVar(env, 'CHECK_ALLOW_PRIVATE', false),
    recheckDays: intVar(env, 'CONFORMANCE_RECHECK_DAYS', 7, 1, 365),
    retryHours: intVar(env, 'CONFORMANCE_RETRY_HOURS', 24, 1, 24 * 365),
    demandMinutes: intVar(env, 'CONFORMANCE_DEMAND_MINUTES', 10, 0, 24 * 60),
    scheduleMinutes: intVar(env, 'CONFORMANCE_SCHEDULE_MINUTES', 15, 0, 24 * 60),
    batch: intVar(env, 'CONFORMANCE_BATCH', 20, 1, 1000),
    maxUploadMb: intVar(env, 'CONFORMANCE_MAX_UPLOAD_MB', 20, 1, 50),
  };
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * TRUST_PROXY: false/0 (default), true (= one proxy in front), a number of proxies, or a comma-separated list of
 * proxy addresses or CIDR ranges (e.g. "10.0.0.1, 192.168.0.0/16").
 */
export function trustProxyVar(env: NodeJS.ProcessEnv): false | number | string[] {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  if (raw === '' || ['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes'].includes(raw.toLowerCase())) return 1;
  if (/^\d+$/.test(raw)) {
    const n = Number(raw);
    if (n > 10) throw new ConfigError('TRUST_PROXY', `${n} proxy hops is implausible (at most 10)`);
    return n;
  }
  const list = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a));
  if (bad.length) {
    throw new ConfigError(
      'TRUST_PROXY',
      `"${bad.join(', ')}" is not an address or CIDR range (use true, a number of proxies, or addresses like 10.0.0.1,192.168.0.0/16)`,
    );
  }
  return list;
}

/** OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET: all three or none. http:// only for a provider on this machine. */
export function oidcConfigFromEnv(env: NodeJS.ProcessEnv): OidcConfig | null {
  const issuer = env.OIDC_ISSUER?.trim() || null;
  const clientId = env.OIDC_CLIENT_ID?.trim() || null;
  const clientSecret = env.OIDC_CLIENT_SECRET?.trim() || null;
  const name = env.OIDC_NAME?.trim() || null;
  if (!issuer && !clientId && !clientSecret) {
    if (name) throw new ConfigError('OIDC_ISSUER', 'must be set when OIDC_NAME is set');
    return null;
  }
  if (!issuer) throw new ConfigError('OIDC_ISSUER', 'must be set together with OIDC_CLIENT_ID and OIDC_CLIENT_SECRET');
  if (!clientId)
    throw new ConfigError('OIDC_CLIENT_ID', 'must be set together with OIDC_ISSUER and OIDC_CLIENT_SECRET');
  if (!clientSecret) {
    throw new ConfigError('OIDC_CLIENT_SECRET', 'must be set together with OIDC_ISSUER and OIDC_CLIENT_ID');
  }
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    throw new ConfigError('OIDC_ISSUER', `"${issuer}" is not a URL (e.g. https://sso.example.de/realms/land)`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigError('OIDC_ISSUER', `must be an https:// URL (http:// only for localhost), got "${issuer}"`);
  }
  if (url.search || url.hash) throw new ConfigError('OIDC_ISSUER', 'must not have a query or fragment');
  return { issuer, clientId, clientSecret, name: name ?? 'Single Sign-on' };
}

/** A yes/no variable: true/1/yes or false/0/no (any case); unset or empty is `fallback`. */
function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `"${env[name]}" is not true or false`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const rawBase = env.BASE_URL?.trim() || null;
  let baseUrl: string | null = null;
  if (rawBase) {
    let u: URL;
    try {
      u = new URL(rawBase);
    } catch {
      throw new ConfigError('BASE_URL', `"${rawBase}" is not an http(s) URL`);
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password || u.search || u.hash) {
      throw new ConfigError('BASE_URL', `"${rawBase}" must be an http(s) URL without credentials, query or fragment`);
    }
    baseUrl = `${u.origin}${u.pathname}`.replace(/\/+$/, '');
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const port = intVar(env, 'PORT', 3000, 0, 65535);
  if (!baseUrl && !isLoopbackHost(host)) {
    throw new ConfigError(
      'BASE_URL',
      `must be set when HOST is ${host} (not only this machine): it is the public URL of the platform, used for ` +
        'the links in mails and for single sign-on, e.g. BASE_URL=https://lotse.example.de',
    );
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    databaseUrl,
    baseUrl,
    publicUrl: baseUrl ?? `http://localhost:${port}`,
    logLevel,
    trustProxy: trustProxyVar(env),
    apiRateLimit: intVar(env, 'API_RATE_LIMIT', 600, 0, 1_000_000),
    lagebildReleaseMinutes: intVar(env, 'LAGEBILD_RELEASE_MINUTES', 60, 0, 7 * 24 * 60),
    accessReminderCheckMinutes: intVar(env, 'ACCESS_REMINDER_CHECK_MINUTES', 60, 0, 24 * 60),
    searchCacheEntries: intVar(env, 'SEARCH_CACHE_ENTRIES', 1000, 0, 1_000_000),
    mail: mailConfigFromEnv(env),
    oidc: oidcConfigFromEnv(env),
    operator: operatorConfigFromEnv(env),
    check: checkConfigFromEnv(env),
  };
}
