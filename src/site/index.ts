/** What other modules may use of the site pages. */
export { DATA_SOURCES } from './site.pages.js';
