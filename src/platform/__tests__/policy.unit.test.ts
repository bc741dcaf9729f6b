import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHECK_ACTIONS } from '../../assessment/actions.js';
import { MODULES } from '../../modules.js';
import { ORG_ACTIONS } from '../../organisations/actions.js';
import { ForbiddenError } from '../errors.js';
import { advisorFor, authorize, can, type Principal } from '../policy.js';

const person = (over: Partial<Principal> = {}): Principal => ({
  userId: 1,
  email: 'a@example.org',
  isPlatformAdmin: false,
  memberships: [],
  advisorScopes: [],
  ...over,
});
const ws = { orgId: 7, stateKey: '16', orgHasAdmin: true };

test('workspace rules: members see, admins manage, advisors of the Land step in only without an admin', () => {
  const member = person({ memberships: [{ orgId: 7, kind: 'region', role: 'member' }] });
  const admin = person({ memberships: [{ orgId: 7, kind: 'region', role: 'admin' }] });
  const advisor = person({ advisorScopes: [{ stateKey: '16', topic: null }] });
  const otherLand = person({ advisorScopes: [{ stateKey: '09', topic: null }] });
  const platform = person({ isPlatformAdmin: true });
  const view = ORG_ACTIONS['workspace.view'];
  const manage = ORG_ACTIONS['workspace.manage'];
  assert.deepEqual(
    [member, admin, advisor, otherLand, platform, person()].map((p) => can(p, view, ws)),
    [true, true, true, false, true, false],
  );
  assert.deepEqual(
    [member, admin, advisor, otherLand, platform].map((p) => can(p, manage, ws)),
    [false, true, false, false, true],
  );
  assert.equal(can(advisor, manage, { ...ws, orgHasAdmin: false }), true);
  assert.equal(can(null, view, ws), false, 'anonymous may nothing');
});

test('nobody decides their own request, whatever their role', () => {
  const decide = ORG_ACTIONS['request.decide'];
  const advisor = person({ userId: 5, advisorScopes: [{ stateKey: null, topic: null }] });
  const platform = person({ userId: 6, isPlatformAdmin: true });
  const noAdmin = { ...ws, orgHasAdmin: false };
  assert.equal(can(advisor, decide, { ...noAdmin, subjectUserId: 9 }), true);
  assert.equal(can(advisor, decide, { ...noAdmin, subjectUserId: 5 }), false);
  assert.equal(can(platform, decide, { ...ws, subjectUserId: 6 }), false);
  assert.throws(() => authorize(platform, decide, { ...ws, subjectUserId: 6 }), ForbiddenError);
});

test('a Digitalcheck: members read and answer drafts; admins publish submitted ones; advisors read nothing private', () => {
  const member = person({ memberships: [{ orgId: 7, kind: 'region', role: 'member' }] });
  const admin = person({ memberships: [{ orgId: 7, kind: 'region', role: 'admin' }] });
  const advisor = person({ advisorScopes: [{ stateKey: null, topic: null }] });
  const draft = { ...ws, status: 'draft' };
  const submitted = { ...ws, status: 'submitted' };
  assert.equal(can(member, CHECK_ACTIONS['check.answer'], draft), true);
  assert.equal(can(member, CHECK_ACTIONS['check.answer'], submitted), false, 'frozen');
  assert.equal(can(member, CHECK_ACTIONS['check.publish'], submitted), false);
  assert.equal(can(admin, CHECK_ACTIONS['check.publish'], submitted), true);
  assert.equal(can(admin, CHECK_ACTIONS['check.publish'], draft), false);
  assert.equal(can(advisor, CHECK_ACTIONS['check.read'], submitted), false);
});

test('topic-scoped advisors (for the advisory desk and the market)', () => {
  const deskTeam = person({ advisorScopes: [{ stateKey: '16', topic: 'verwaltung' }] });
  const rule = advisorFor();
  assert.equal(rule(deskTeam, { stateKey: '16', topic: 'verwaltung' }), true);
  assert.equal(rule(deskTeam, { stateKey: '16', topic: 'schule' }), false);
  assert.equal(rule(deskTeam, { stateKey: '09', topic: 'verwaltung' }), false);
  assert.equal(advisorFor({ topic: 'verwaltung' })(deskTeam, { stateKey: '16' }), true);
});

test('action names are unique across modules and read "<noun>.<verb>"', () => {
  const names = MODULES.flatMap((m) => Object.values(m.actions ?? {}).map((a) => a.name));
  assert.equal(new Set(names).size, names.length);
  for (const n of names) assert.match(n, /^[a-z-]+\.[a-z-]+$/);
  assert.ok(names.length >= 8);
});
