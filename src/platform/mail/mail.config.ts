import { ConfigError } from '../config.js';
import { MailAddressError, parseMailbox } from './eml.js';

export interface MailConfig {
  /** smtp:// or smtps:// URL (credentials may be in it); null = every mail goes to the outbox. */
  smtpUrl: string | null;
  /** Sender, `address` or `Name <address>`. */
  from: string;
}

export const DEFAULT_MAIL_FROM = 'Kommunallotse <noreply@localhost>';

/** The URL with its password masked, for error messages. */
function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

/**
 * SMTP_URL (e.g. smtps://user:password@mail.example.org:465 or smtp://mail.example.org:587) and MAIL_FROM
 * (e.g. "Kommunallotse <noreply@example.org>"; required with SMTP, a local default without).
 */
export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig {
  const rawUrl = env.SMTP_URL?.trim() || null;
  if (rawUrl) {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new ConfigError('SMTP_URL', 'is not a URL (e.g. smtps://user:password@mail.example.org:465)');
    }
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
      throw new ConfigError('SMTP_URL', `must start with smtp:// or smtps:// (got ${redact(url)})`);
    }
    if (!url.hostname) throw new ConfigError('SMTP_URL', `has no host name (got ${redact(url)})`);
  }
  const rawFrom = env.MAIL_FROM?.trim() || null;
  if (!rawFrom && rawUrl) {
    throw new ConfigError('MAIL_FROM', 'must be set when SMTP_URL is set, e.g. "Kommunallotse <noreply@example.org>"');
  }
  const from = rawFrom ?? DEFAULT_MAIL_FROM;
  try {
    parseMailbox(from);
  } catch (err) {
    if (err instanceof MailAddressError) {
      throw new ConfigError('MAIL_FROM', `${err.message}; use "Name <address>" or "address"`);
    }
    throw err;
  }
  return { smtpUrl: rawUrl, from };
}
