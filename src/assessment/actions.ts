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
  /** A check (its questions, answers and comments): the workspace's members only (not advisors, not platform admins). */
  'check.read': { rule: memberOf, denied: text('check.err.membersOnly') },
  /**
   * Results are private to the workspace until published. A published result (page, PDF, CSV without the
   * workspace's comments) is also open to the advisors responsible for the workspace's Land; withdrawn, it is
   * closed again.
   */
  'check.read-result': {
    rule: anyOf(memberOf, allOf(advisorFor(), hasStatus('submitted'), isPublished)),
    denied: text('check.err.membersOnly'),
  },
  'check.start': { rule: memberOf, denied: text('check.err.startMembersOnly') },
  'check.answer': { rule: allOf(memberOf, hasStatus('draft')), denied: text('check.err.frozen') },
  'check.publish': { rule: allOf(adminOf, hasStatus('submitted')), denied: text('check.err.publishAdminsOnly') },
});

export const CHECK_ACTION = {
  read: CHECK_ACTIONS['check.read'],
  readResult: CHECK_ACTIONS['check.read-result'],
  start: CHECK_ACTIONS['check.start'],
  answer: CHECK_ACTIONS['check.answer'],
  publish: CHECK_ACTIONS['check.publish'],
} as const;
