/** What other modules may use of the audit log. */

export { type AuditScope, auditRoutes } from './audit.pages.js';
export type { AuditEntry } from './audit.service.js';
export { changedFields, hasChanges, recordAudit } from './audit.service.js';
