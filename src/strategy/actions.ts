import { text } from '../platform/i18n/i18n.js';
import { adminOf, allOf, anyOf, defineActions, hasStatus, isPublished, memberOf } from '../platform/policy.js';

/** The strategy module's part of the permission vocabulary. */
export const STRATEGY_ACTIONS = defineActions({
  /** A strategy in work is the workspace's own; a published one is public. */
  'strategy.read': { rule: anyOf(memberOf, isPublished), denied: text('strategy.err.membersOnly') },
  /** The team edits the plan while it is a draft. */
  'strategy.edit': { rule: allOf(memberOf, hasStatus('draft')), denied: text('strategy.err.notDraft') },
  /** Implementation tracking (status, notes, actual dates): the team, on any version. */
  'strategy.track': { rule: memberOf, denied: text('strategy.err.membersOnly') },
  /** Drafting, a new version: the workspace's members. */
  'strategy.create': { rule: memberOf, denied: text('strategy.err.membersOnly') },
  /** Submitting to the council, recording the adoption, publishing: the workspace's admins. */
  'strategy.decide': { rule: adminOf, denied: text('strategy.err.adminsOnly') },
});

export const STRATEGY_ACTION = {
  read: STRATEGY_ACTIONS['strategy.read'],
  edit: STRATEGY_ACTIONS['strategy.edit'],
  track: STRATEGY_ACTIONS['strategy.track'],
  create: STRATEGY_ACTIONS['strategy.create'],
  decide: STRATEGY_ACTIONS['strategy.decide'],
} as const;
