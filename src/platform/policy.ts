/**
 * The permission vocabulary: who (a Principal) may do which action on which resource. Every module declares
 * its actions with one rule each (see `Module.actions`); the composition root merges them into one Policy,
 * and services and routes ask `can(principal, 'check.publish', resource)` instead of re-deriving access from
 * booleans. Rules are plain predicates built from the combinators below, so they read like the sentence
 * that defines them and are unit tested as pure functions.
 *
 * The facts a rule may look at are loaded once per request by the organisations module (`loadPrincipal`):
 * memberships with their role, advisor scopes (Land and topic), platform administration. Finer rules for the
 * coming modules (an advisor team for one topic, a provider organisation's admin, the author of an entry)
 * are combinations of the same facts: `advisorFor({ topic: 'desk' })`, `adminOf('providerOrgId')`,
 * `isUser('authorUserId')`.
 */
import { ForbiddenError } from './errors.js';
import type { Text } from './i18n/i18n.js';

export type Role = 'member' | 'admin';

export interface Membership {
  orgId: number;
  kind: 'region' | 'provider' | 'centre';
  role: Role;
}

export interface AdvisorScope {
  /** Land key, or null for all Länder. */
  stateKey: string | null;
  /** Topic (e.g. a sector or a desk team), or null for all topics. */
  topic: string | null;
}

export interface Principal {
  userId: number;
  email: string;
  isPlatformAdmin: boolean;
  memberships: readonly Membership[];
  /** Scopes as advisor of the competence centre; empty for everybody else. */
  advisorScopes: readonly AdvisorScope[];
}

/**
 * What an action is about. Every field is optional; a rule reads the ones it needs (a rule that needs a
 * field the caller did not set denies). Field names are shared across modules on purpose.
 */
export interface Resource {
  /** The organisation (workspace) the resource belongs to. */
  orgId?: number | null;
  /** The Land of the resource (the first two digits of its region key). */
  stateKey?: string | null;
  /** A topic (sector, desk team) for topic-scoped advisors. */
  topic?: string | null;
  /** Whether the owning organisation has an admin (advisors step in where none exists). */
  orgHasAdmin?: boolean;
  /** The person the resource is about or by (an access request's applicant, an author). */
  subjectUserId?: number | null;
  /** A status of the resource (e.g. 'draft', 'submitted'). */
  status?: string | null;
  /** Whether the resource is published. */
  published?: boolean;
}

export type Rule = (p: Principal, r: Resource) => boolean;

// ---------------------------------------------------------------------------------------------
// Combinators

export const anyone: Rule = () => true;
export const nobody: Rule = () => false;
export const platformAdmin: Rule = (p) => p.isPlatformAdmin;

/** A member (any role) of the resource's organisation. */
export const memberOf: Rule = (p, r) => r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId);

/** An admin of the resource's organisation. */
export const adminOf: Rule = (p, r) =>
  r.orgId != null && p.memberships.some((m) => m.orgId === r.orgId && m.role === 'admin');

/** An advisor whose scopes cover the resource's Land (and topic, when `opts.topic` or the resource has one). */
export function advisorFor(opts: { topic?: string } = {}): Rule {
  return (p, r) => {
    const topic = opts.topic ?? r.topic ?? null;
    return p.advisorScopes.some(
      (s) =>
        (s.stateKey === null || (r.stateKey != null && s.stateKey === r.stateKey)) &&
        (s.topic === null || topic === null || s.topic === topic),
    );
  };
}

/** The principal is the person the resource is about (an applicant, an author). */
export const isSubject: Rule = (p, r) => r.subjectUserId != null && r.subjectUserId === p.userId;

export const hasStatus =
  (...statuses: string[]): Rule =>
  (_p, r) =>
    r.status != null && statuses.includes(r.status);

export const orgWithoutAdmin: Rule = (_p, r) => r.orgHasAdmin === false;
export const isPublished: Rule = (_p, r) => r.published === true;

export const anyOf =
  (...rules: Rule[]): Rule =>
  (p, r) =>
    rules.some((rule) => rule(p, r));
export const allOf =
  (...rules: Rule[]): Rule =>
  (p, r) =>
    rules.every((rule) => rule(p, r));
export const not =
  (rule: Rule): Rule =>
  (p, r) =>
    !rule(p, r);

// ---------------------------------------------------------------------------------------------
// Actions

/** An action of a module with its rule and the message shown when it is denied. */
export interface Action {
  /** "<noun>.<verb>", e.g. "check.publish"; unique across the platform (checked at composition). */
  name: string;
  rule: Rule;
  /** What a denied person reads (403 detail). */
  denied: Text;
}

/** A module's action list (the module declares it; the composition root checks names are unique). */
export function defineActions<A extends string>(
  actions: Record<A, { rule: Rule; denied: Text }>,
): { [K in A]: Action } {
  const out = {} as { [K in A]: Action };
  for (const name of Object.keys(actions) as A[]) {
    if (!/^[a-z-]+\.[a-z-]+$/.test(name)) throw new Error(`action "${name}" must be "<noun>.<verb>"`);
    out[name] = { name, ...actions[name] };
  }
  return out;
}

/** May `p` do `action` on `r`? Anonymous (null) may nothing that is an action. */
export function can(p: Principal | null, action: Action, r: Resource = {}): boolean {
  return p !== null && action.rule(p, r);
}

/** `can`, or a 403 with the action's own message. */
export function authorize(p: Principal | null, action: Action, r: Resource = {}): void {
  if (!can(p, action, r)) throw new ForbiddenError(action.denied);
}
