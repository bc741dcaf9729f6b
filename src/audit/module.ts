import path from 'node:path';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { auditPages } from './audit.pages.js';
import { auditOfUser } from './audit.service.js';
import { messages } from './messages.js';

/** The append-only audit log of every change, its views and CSV export. */
export const audit = defineModule({
  name: 'audit',
  messages,
  migrations: path.join(ROOT, 'src/audit/migrations'),
  tables: ['audit_log'],
  access: {
    'GET /admin/audit': access(ROWS.platformAdmin),
    'GET /admin/audit.csv': access(ROWS.platformAdmin),
  },
  pages: (d) => auditPages(d.db),
  personalData: {
    // The log is the platform's proof of what happened (Art. 5 (2) DSGVO): entries stay, and never held
    // addresses or secrets (scrubFields); the person gets every entry by or about them.
    export: async (db, subject) => ({ audit_log: await auditOfUser(db, subject.userId) }),
    erase: async () => ({}),
  },
});
