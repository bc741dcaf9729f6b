import type { FastifyInstance } from 'fastify';
import { type AppState, buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/db.js';
import { createMailer, type Mailer } from '../../src/platform/mail/mailer.js';

export const TEST_ENV = {
  LOG_LEVEL: 'silent',
  API_RATE_LIMIT: '0',
  DATA_DIR: '/nonexistent',
  LAGEBILD_RELEASE_MINUTES: '0',
} as const;

/**
 * The app on a test database, with an outbox-only mailer that writes no files (read mails from `mail_outbox`),
 * unless another mailer is given.
 */
export function buildTestApp(
  db: Db,
  state?: AppState,
  env: Record<string, string> = {},
  clock?: () => Date,
  mailer?: Mailer,
): Promise<FastifyInstance> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const m = mailer ?? createMailer({ db, smtpUrl: null, from: config.mail.from, outboxDir: null });
  return buildApp({ config, db, mailer: m, ...(state ? { state } : {}), ...(clock ? { clock } : {}) });
}

/** Wait until the work requests started after their answers (sign-up and reset mails) is done, and events are delivered. */
export async function settle(app: FastifyInstance): Promise<void> {
  await app.platform.tasks.idle();
  await app.platform.events.drain();
}
