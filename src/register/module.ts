import path from 'node:path';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { registerCommands } from './cli.js';
import { messages } from './messages.js';
import { registerApi } from './register.api.js';
import { registerPages } from './register.pages.js';
import { ensureEmbeddedDefault, invalidateRegister, REGISTER_EVENTS, warmRegister } from './register.service.js';

/** The register of all German regions (Länder … Gemeinden) from the official Destatis releases. */
export const register = defineModule({
  name: 'register',
  messages,
  migrations: path.join(ROOT, 'src/register/migrations'),
  tables: ['register_releases', 'regions', 'region_versions', 'register_changes', 'region_boundaries'],
  tokenScopes: { register: 'register.scope' },
  nav: [{ href: '/kommunen', label: 'nav.register', order: 10, audience: 'everyone' }],
  apiExamples: {
    searchRegions: '/api/v1/regions?q=M%C3%BCnchen&limit=2',
    getRegion: '/api/v1/regions/09184',
    getRegionChildren: '/api/v1/regions/09/children',
  },
  apiTags: [{ name: 'register', description: 'Regions of Germany and their key figures' }],
  access: {
    'GET /': access(ROWS.public),
    'GET /kommunen': access(ROWS.public, { query: { q: 'Eisenach' } }),
    'GET /kommunen/:key': access(ROWS.public, { params: { key: '$region' } }),
    'GET /api/v1/regions': access(ROWS.public, { query: { q: 'Eisenach' } }),
    'GET /api/v1/regions/:key': access(ROWS.public, { params: { key: '$region' } }),
    'GET /api/v1/regions/:key/children': access(ROWS.public, { params: { key: '$region' } }),
  },
  pages: (d) => registerPages(d.db, () => d.modules.flatMap((m) => m.profileSections?.(d) ?? [])),
  api: (d) => registerApi(d.db),
  subscriptions: () => [
    {
      // Every instance keeps the register in memory; an import by another process or instance replaces it.
      name: 'register.refresh-memory',
      events: [REGISTER_EVENTS.releaseImported, REGISTER_EVENTS.boundariesImported],
      mode: 'each-instance',
      handle: async (_events, db) => invalidateRegister(db),
    },
  ],
  cli: registerCommands,
  init: async (d) => {
    await ensureEmbeddedDefault(d.db);
  },
  // The register in memory (view and search index) is built before /health reports ready, so that the first
  // search after a restart is as fast as every other.
  warm: (d) => warmRegister(d.db),
});
