/** What other modules may use of the advisory desk. */

export type { Notification, Notifier, NotifyKind } from './contract.js';
export { computeFigures, type Figures, type FiguresFilter } from './knowledge/knowledge.service.js';
export { unsubscribeToken } from './notify/notify.service.js';
export { firstAnswerDue, isWorkingDay } from './sla/clock.js';
export { holidays } from './sla/holidays.js';
