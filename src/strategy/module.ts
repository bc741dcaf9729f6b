import { access, defineModule, ROWS } from '../platform/module.js';
import { messages } from './messages.js';
import { strategyApi } from './strategy.api.js';

/**
 * The Digitalstrategie (issue 9). So far: the measures catalogue (content/measures/, validated at load) and
 * its open-data route; the draft strategy, roadmap and council document follow.
 */
export const strategy = defineModule({
  name: 'strategy',
  messages,
  access: {
    'GET /api/v1/measures': access(ROWS.public),
  },
  apiExamples: { getMeasures: '/api/v1/measures' },
  apiTags: [{ name: 'strategy', description: 'Measures catalogue for digital strategies' }],
  api: () => strategyApi(),
});
