import { text } from '../../platform/i18n/i18n.js';
import { advisorFor, anyOf, defineActions, memberOf, platformAdmin, type Rule } from '../../platform/policy.js';

/** A member of the resource's workspace, and that workspace is a municipality's (region) workspace. */
const memberOfKind =
  (kind: 'region' | 'provider'): Rule =>
  (p, r) =>
    r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === kind);

/**
 * The conformance registry's part of the permission vocabulary. The resource of a registration is the registering
 * workspace (`orgId`); of a registered artefact, the workspace that registered it and the Land of its region.
 */
export const CONFORMANCE_ACTIONS = defineActions({
  /** Register an endpoint or file of the own municipality: members of its municipal workspace. */
  'conformance.register-region': {
    rule: memberOfKind('region'),
    denied: text('market.conformance.err.regionMembersOnly'),
  },
  /**
   * Register an artefact of a solution: members of the provider workspace; that the solution is the workspace's own
   * is asked of the solution market (`ownsSolution`) in the service.
   */
  'conformance.register-solution': {
    rule: memberOfKind('provider'),
    denied: text('market.conformance.err.providerMembersOnly'),
  },
  /** "Jetzt erneut prüfen": the registering workspace, the advisors of the Land, platform administrators. */
  'conformance.recheck': {
    rule: anyOf(memberOf, advisorFor(), platformAdmin),
    denied: text('market.conformance.err.recheckDenied'),
  },
  /** Take a registration off (its history stays): the registering workspace, or a platform administrator. */
  'conformance.remove': { rule: anyOf(memberOf, platformAdmin), denied: text('market.conformance.err.removeDenied') },
});

export const CONFORMANCE_ACTION = {
  registerRegion: CONFORMANCE_ACTIONS['conformance.register-region'],
  registerSolution: CONFORMANCE_ACTIONS['conformance.register-solution'],
  recheck: CONFORMANCE_ACTIONS['conformance.recheck'],
  remove: CONFORMANCE_ACTIONS['conformance.remove'],
} as const;
