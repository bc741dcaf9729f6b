import { text } from '../platform/i18n/i18n.js';
import {
  adminOf,
  advisorFor,
  allOf,
  anyOf,
  defineActions,
  hasStatus,
  memberOf,
  platformAdmin,
  type Rule,
} from '../platform/policy.js';

/** A member of any municipal workspace (contact persons are shown to them only). */
const municipalMember: Rule = (p) => p.memberships.some((m) => m.kind === 'region');
/** An advisor of the project's Land, or a platform administrator. */
const reviewer = anyOf(advisorFor(), platformAdmin);

/** The atlas module's part of the permission vocabulary. */
export const ATLAS_ACTIONS = defineActions({
  /** The working copy (draft, review comments, requests): the team and the reviewers of its Land. */
  'practice.read-draft': { rule: anyOf(memberOf, reviewer), denied: text('atlas.err.teamOnly') },
  /** A new project: members of a municipal workspace, for their region. */
  'practice.create': { rule: memberOf, denied: text('atlas.err.teamOnly') },
  /** The team edits the working copy unless it waits for review. */
  'practice.edit': {
    rule: allOf(memberOf, hasStatus('draft', 'changes_requested', 'published')),
    denied: text('atlas.err.notEditable'),
  },
  'practice.submit': {
    rule: allOf(memberOf, hasStatus('draft', 'changes_requested')),
    denied: text('atlas.err.notSubmittable'),
  },
  /** Publish or request changes: an advisor of the Land (or a platform administrator), on a submitted project. */
  'practice.review': { rule: allOf(reviewer, hasStatus('submitted')), denied: text('atlas.err.reviewersOnly') },
  /** Take a published project off the public pages: its workspace's admins, or a reviewer. */
  'practice.withdraw': { rule: anyOf(adminOf, reviewer), denied: text('atlas.err.reviewersOnly') },
  /** See a project's contact person: signed-in members of municipal workspaces. */
  'practice.see-contact': { rule: municipalMember, denied: text('atlas.err.contactMembersOnly') },
  /** Ask to reuse a project: a member of the adopting municipality's workspace (the resource is that workspace). */
  'practice.request-reuse': { rule: memberOf, denied: text('atlas.err.reuseMembersOnly') },
  /** Attest "wir nutzen diese Lösung seit …": the adopting workspace's admins. */
  'practice.attest-reuse': { rule: adminOf, denied: text('atlas.err.attestAdminsOnly') },
  /** Confirm (or decline) an attested reuse: the original project's team. */
  'practice.confirm-reuse': { rule: memberOf, denied: text('atlas.err.teamOnly') },
});

export const ATLAS_ACTION = {
  readDraft: ATLAS_ACTIONS['practice.read-draft'],
  create: ATLAS_ACTIONS['practice.create'],
  edit: ATLAS_ACTIONS['practice.edit'],
  submit: ATLAS_ACTIONS['practice.submit'],
  review: ATLAS_ACTIONS['practice.review'],
  withdraw: ATLAS_ACTIONS['practice.withdraw'],
  seeContact: ATLAS_ACTIONS['practice.see-contact'],
  requestReuse: ATLAS_ACTIONS['practice.request-reuse'],
  attestReuse: ATLAS_ACTIONS['practice.attest-reuse'],
  confirmReuse: ATLAS_ACTIONS['practice.confirm-reuse'],
} as const;
