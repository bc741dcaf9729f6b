import { access, defineModule, ROWS } from '../platform/module.js';
import { measuresPages } from './measures.pages.js';
import { messages } from './messages.js';
import { strategyApi } from './strategy.api.js';

/**
 * The Digitalstrategie (issue 9). So far: the measures catalogue (content/measures/, validated at load),
 * its open-data route and its public pages; the draft strategy, roadmap and council document follow.
 */
export const strategy = defineModule({
  name: 'strategy',
  messages,
  access: {
    'GET /api/v1/measures': access(ROWS.public),
    'GET /massnahmen': access(ROWS.public, { query: { sektor: 'bildung', groesse: '2000-5000' } }),
    'GET /massnahmen/:id': access(ROWS.public, { params: { id: 'digitalbeauftragte-benennen' } }),
  },
  apiExamples: { getMeasures: '/api/v1/measures' },
  apiTags: [{ name: 'strategy', description: 'Measures catalogue for digital strategies' }],
  pages: (d) => measuresPages(d),
  api: () => strategyApi(),
});
