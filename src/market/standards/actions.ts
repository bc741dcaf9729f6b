import { text } from '../../platform/i18n/i18n.js';
import { defineActions, type Rule } from '../../platform/policy.js';

/**
 * An advisor of the competence centre itself: an advisor scope not bound to a Land (`stateKey` null), for all
 * topics or for the resource's topic (a sector). Advisors of one Land advise their Land's municipalities; the
 * centre's recommendations speak for all of them, so a Land advisor may not publish one. Platform administrators
 * run the instance and are not advisors by that role (they make themselves one with `lotse user create --advisor`).
 */
export const centreAdvisor: Rule = (p, r) =>
  p.advisorScopes.some((s) => s.stateKey === null && (s.topic === null || r.topic == null || s.topic === r.topic));

/** The standards catalogue's part of the permission vocabulary. */
export const STANDARDS_ACTIONS = defineActions({
  /** Publish the centre's recommendation for a sector (resource: `{ topic: sector }`), superseding the current one. */
  'standard.recommend': { rule: centreAdvisor, denied: text('market.standards.err.centreAdvisorsOnly') },
});

export const STANDARDS_ACTION = {
  recommend: STANDARDS_ACTIONS['standard.recommend'],
} as const;
