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
  };
}
