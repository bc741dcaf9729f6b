import { text } from '../platform/i18n/i18n.js';
import {
  adminOf,
  advisorFor,
  allOf,
  anyOf,
  defineActions,
  hasStatus,
  isPublished,
  memberOf,
} from '../platform/policy.js';

/** The Digitalcheck's part of the permission vocabulary. */
export const CHECK_ACTIONS = defineActions({
  /**
   * Results are private to the workspace until published: its members only (not platform admins). A published
   * result is also open to the advisors responsible for the workspace's Land (withdrawn: closed again).
   */
  'check.read': {
    rule: anyOf(memberOf, allOf(advisorFor(), hasStatus('submitted'), isPublished)),
    denied: text('check.err.membersOnly'),
  },
  'check.start': { rule: memberOf, denied: text('check.err.startMembersOnly') },
  'check.answer': { rule: allOf(memberOf, hasStatus('draft')), denied: text('check.err.frozen') },
  'check.publish': { rule: allOf(adminOf, hasStatus('submitted')), denied: text('check.err.publishAdminsOnly') },
});

export const CHECK_ACTION = {
  read: CHECK_ACTIONS['check.read'],
  start: CHECK_ACTIONS['check.start'],
  answer: CHECK_ACTIONS['check.answer'],
  publish: CHECK_ACTIONS['check.publish'],
} as const;
