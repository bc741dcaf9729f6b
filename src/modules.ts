/**
 * The list of modules: the one central place a new module is added. Order matters only for the navigation
 * (each entry has its own `order`) and for init (a module's init may rely on the modules before it).
 */
import { assessment } from './assessment/module.js';
import { atlas } from './atlas/module.js';
import { audit } from './audit/module.js';
import { desk } from './desk/module.js';
import { identity } from './identity/module.js';
import { market } from './market/module.js';
import { organisations } from './organisations/module.js';
import type { Db } from './platform/db/db.js';
import { migrate, readMigrations } from './platform/db/migrate.js';
import { I18n } from './platform/i18n/i18n.js';
import { messages as platformMessages } from './platform/messages.js';
import type { Module } from './platform/module.js';
import { PLATFORM_MIGRATIONS_DIR } from './platform/paths.js';
import { register } from './register/module.js';
import { site } from './site/module.js';
import { strategy } from './strategy/module.js';

export const MODULES: readonly Module[] = [
  register,
  identity,
  audit,
  organisations,
  assessment,
  strategy,
  atlas,
  market,
  desk,
  site,
];

/** Every migration of the platform and its modules, in order. */
export function allMigrations(modules: readonly Module[] = MODULES) {
  return readMigrations([PLATFORM_MIGRATIONS_DIR, ...modules.flatMap((m) => (m.migrations ? [m.migrations] : []))]);
}

/** Create or update the schema of every module. */
export function migrateAll(db: Db, modules: readonly Module[] = MODULES): Promise<number[]> {
  return migrate(db, allMigrations(modules));
}

/** The merged message catalogues (throws when two modules define the same key). */
export function createI18n(modules: readonly Module[] = MODULES): I18n {
  return new I18n([platformMessages, ...modules.map((m) => m.messages)]);
}
