import { text } from '../../platform/i18n/i18n.js';
import {
  adminOf,
  allOf,
  anyOf,
  defineActions,
  hasStatus,
  memberOf,
  platformAdmin,
  type Rule,
} from '../../platform/policy.js';

/** A member of the resource's workspace, which is a provider workspace. */
const providerMember: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === 'provider');
/** A member of any municipal workspace (contact persons are shown to them only). */
const municipalMember: Rule = (p) => p.memberships.some((m) => m.kind === 'region');
/** A member of the resource's workspace, which is a municipal one. */
const municipalMemberOf: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.kind === 'region');
/**
 * The resource's municipal workspace is verified: it has an admin. A municipal workspace gets its first admin only
 * when an advisor of its Land approves the access request (organisations: decidersOf), so an admin means the
 * centre has checked who runs it. (`orgHasAdmin` is set by `workspaceResource`.)
 */
const verifiedWorkspace: Rule = (_p, r) => r.orgHasAdmin === true;
/**
 * Solutions are not bound to a Land: every advisor of the centre reviews (or a platform administrator).
 */
const reviewer: Rule = anyOf((p) => p.advisorScopes.length > 0, platformAdmin);

/** The solution market's part of the permission vocabulary (resource: the solution, or the workspace named). */
export const SOLUTION_ACTIONS = defineActions({
  /** The working copy (draft, review comment): the provider's team and the centre's advisors. */
  'solution.read-draft': { rule: anyOf(memberOf, reviewer), denied: text('market.solutions.err.teamOnly') },
  /** A new solution: members of a provider workspace (resource: that workspace). */
  'solution.create': { rule: providerMember, denied: text('market.solutions.err.providersOnly') },
  /** The provider edits the working copy unless it waits for review (editing a published one makes a draft). */
  'solution.edit': {
    rule: allOf(memberOf, hasStatus('draft', 'changes_requested', 'published')),
    denied: text('market.solutions.err.notEditable'),
  },
  'solution.submit': {
    rule: allOf(memberOf, hasStatus('draft', 'changes_requested')),
    denied: text('market.solutions.err.notSubmittable'),
  },
  /** Publish or request changes: an advisor of the centre, on a submitted solution. */
  'solution.review': {
    rule: allOf(reviewer, hasStatus('submitted')),
    denied: text('market.solutions.err.reviewersOnly'),
  },
  /** Take a published solution off the market: the provider workspace's admins, or an advisor. */
  'solution.withdraw': { rule: anyOf(adminOf, reviewer), denied: text('market.solutions.err.withdrawOnly') },
  /** See the contact person: signed-in members of municipal workspaces. */
  'solution.see-contact': { rule: municipalMember, denied: text('market.solutions.err.contactMembersOnly') },
  /** Name a municipality as reference: the provider's team (resource: the solution). */
  'solution.request-reference': { rule: memberOf, denied: text('market.solutions.err.teamOnly') },
  /** Confirm or decline a reference: the admins of the municipality's workspace (resource: that workspace). */
  'solution.decide-reference': { rule: adminOf, denied: text('market.solutions.err.referenceAdminsOnly') },
  /** Write a review: a member of a verified municipal workspace (resource: that workspace). */
  'solution.rate': {
    rule: allOf(municipalMemberOf, verifiedWorkspace),
    denied: text('market.solutions.err.verifiedMunicipalOnly'),
  },
  /** Answer a review (once): the provider's team (resource: the solution). */
  'solution.answer': { rule: memberOf, denied: text('market.solutions.err.teamOnly') },
});

export const SOLUTION_ACTION = {
  readDraft: SOLUTION_ACTIONS['solution.read-draft'],
  create: SOLUTION_ACTIONS['solution.create'],
  edit: SOLUTION_ACTIONS['solution.edit'],
  submit: SOLUTION_ACTIONS['solution.submit'],
  review: SOLUTION_ACTIONS['solution.review'],
  withdraw: SOLUTION_ACTIONS['solution.withdraw'],
  seeContact: SOLUTION_ACTIONS['solution.see-contact'],
  requestReference: SOLUTION_ACTIONS['solution.request-reference'],
  decideReference: SOLUTION_ACTIONS['solution.decide-reference'],
  rate: SOLUTION_ACTIONS['solution.rate'],
  answer: SOLUTION_ACTIONS['solution.answer'],
} as const;
export type SolutionAction = (typeof SOLUTION_ACTION)[keyof typeof SOLUTION_ACTION];
