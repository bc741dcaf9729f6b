import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/db.js';
import { type AppState, buildApp } from '../../src/platform/http/app.js';

export const TEST_ENV = { LOG_LEVEL: 'silent', API_RATE_LIMIT: '0', DATA_DIR: '/nonexistent' } as const;

export function buildTestApp(db: Db, state?: AppState, env: Record<string, string> = {}): Promise<FastifyInstance> {
  return buildApp({ config: loadConfig({ ...TEST_ENV, ...env }), db, ...(state ? { state } : {}) });
}
