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
  /** Public base URL (used for links in the API document); null = derived from the request. */
  baseUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  trustProxy: boolean;
  /** Maximum API requests per minute and client IP (0 = unlimited). */
  apiRateLimit: number;
  /** SMTP_URL and MAIL_FROM; without SMTP every mail goes to the outbox (DATA_DIR/outbox, /admin/outbox). */
  mail: MailConfig;
  /** Single sign-on through OpenID Connect (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_NAME); null = off. */
  oidc: OidcConfig | null;
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

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `"${raw}" is not a boolean (use true or false)`);
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const baseUrl = env.BASE_URL?.trim() || null;
  if (baseUrl && !/^https?:\/\/[^/]+/.test(baseUrl)) {
    throw new ConfigError('BASE_URL', `"${baseUrl}" is not an http(s) URL`);
  }
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }
  return {
    port: intVar(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    databaseUrl,
    baseUrl: baseUrl ? baseUrl.replace(/\/+$/, '') : null,
    logLevel,
    trustProxy: boolVar(env, 'TRUST_PROXY', false),
    apiRateLimit: intVar(env, 'API_RATE_LIMIT', 600, 0, 1_000_000),
    mail: mailConfigFromEnv(env),
    oidc: oidcConfigFromEnv(env),
  };
}
