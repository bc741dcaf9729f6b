import { text } from '../platform/i18n/i18n.js';
import {
  adminOf,
  advisorFor,
  allOf,
  anyOf,
  defineActions,
  isSubject,
  memberOf,
  not,
  orgWithoutAdmin,
  platformAdmin,
} from '../platform/policy.js';

/** Administration of a workspace: its admins, platform admins, and an advisor of its Land while it has no admin. */
const manages = anyOf(adminOf, platformAdmin, allOf(advisorFor(), orgWithoutAdmin));

/** The organisations module's part of the permission vocabulary. */
export const ORG_ACTIONS = defineActions({
  'workspace.view': {
    rule: anyOf(memberOf, advisorFor(), platformAdmin),
    denied: text('org.err.viewOnlyMembers'),
  },
  /** An advisor of the competence centre responsible for the workspace's Land. */
  'workspace.advise': { rule: advisorFor(), denied: text('org.err.advisorsOnly') },
  'workspace.manage': { rule: manages, denied: text('org.err.manageOnlyAdmins') },
  /** Deciding an access request: who manages the workspace — never the applicant themselves. */
  'request.decide': { rule: allOf(not(isSubject), manages), denied: text('org.err.manageOnlyAdmins') },
  'workspace.audit': { rule: manages, denied: text('org.err.manageOnlyAdmins') },
  'provider.create': { rule: platformAdmin, denied: text('org.err.providerAdminOnly') },
});

/** Short names for the services. */
export const ORG_ACTION = {
  view: ORG_ACTIONS['workspace.view'],
  advise: ORG_ACTIONS['workspace.advise'],
  manage: ORG_ACTIONS['workspace.manage'],
  decide: ORG_ACTIONS['request.decide'],
  audit: ORG_ACTIONS['workspace.audit'],
  createProvider: ORG_ACTIONS['provider.create'],
} as const;
