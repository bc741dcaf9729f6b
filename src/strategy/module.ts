import path from 'node:path';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { strategyLagebildContribution } from './lagebild-view.js';
import { messages } from './messages.js';
import { strategyApi } from './strategy.api.js';

/**
 * The Digitalstrategie (issue 9). So far: the measures catalogue (content/measures/, validated at load) and
 * its open-data route; the draft strategy, roadmap and council document follow.
 */
export const strategy = defineModule({
  name: 'strategy',
  messages,
  migrations: path.join(ROOT, 'src/strategy/migrations'),
  tables: ['strategies', 'strategy_revisions', 'measure_links'],
  access: {
    'GET /api/v1/measures': access(ROWS.public),
  },
  apiExamples: { getMeasures: '/api/v1/measures' },
  apiTags: [{ name: 'strategy', description: 'Measures catalogue for digital strategies' }],
  api: () => strategyApi(),
  // The Lagebild's strategy figures, released with it after adoptions, measure progress and publications.
  lagebildFigures: () => [strategyLagebildContribution],
});
