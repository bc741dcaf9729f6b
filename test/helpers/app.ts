import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/db.js';
import { type AppState, buildApp } from '../../src/platform/http/app.js';
import { createMailer } from '../../src/platform/mail/mailer.js';

export const TEST_ENV = { LOG_LEVEL: 'silent', API_RATE_LIMIT: '0', DATA_DIR: '/nonexistent' } as const;

/** The app on a test database, with an outbox-only mailer that writes no files (read mails from `mail_outbox`). */
export function buildTestApp(db: Db, state?: AppState, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const mailer = createMailer({ db, smtpUrl: null, from: config.mail.from, outboxDir: null });
  return buildApp({ config, db, mailer, ...(state ? { state } : {}) });
}
