import { createI18n } from '../../src/modules.js';

/** German mail texts for use cases called directly in tests (identity, organisations). */
export const TEST_T = createI18n().translator('de');
