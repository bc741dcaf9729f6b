/** What other modules may use of the market module. */

export type { Standard, StandardsCatalogue } from './standards/catalogue.js';
export { loadStandards } from './standards/catalogue.js';
