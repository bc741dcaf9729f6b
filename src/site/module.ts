import { access, defineModule, ROWS } from '../platform/module.js';
import { messages } from './messages.js';
import { sitePages } from './site.pages.js';

/** The site's own pages: data sources, imprint, accessibility statement. */
export const site = defineModule({
  name: 'site',
  messages,
  nav: [
    { href: '/impressum', label: 'footer.imprint', order: 10, audience: 'everyone', place: 'footer' },
    { href: '/barrierefreiheit', label: 'footer.accessibility', order: 20, audience: 'everyone', place: 'footer' },
    { href: '/datenquellen', label: 'footer.sources', order: 40, audience: 'everyone', place: 'footer' },
  ],
  access: {
    'GET /datenquellen': access(ROWS.public),
    'GET /impressum': access(ROWS.public),
    'GET /barrierefreiheit': access(ROWS.public),
  },
  pages: (d) => sitePages(d.db, d.config.operator),
});
