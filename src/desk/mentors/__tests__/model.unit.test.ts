import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../../platform/errors.js';
import {
  type Candidate,
  canTransition,
  distanceKm,
  matchOrder,
  mentorLagebild,
  parseOfferForm,
  parseSubject,
  type Seat,
  tierOf,
} from '../model.js';

const MUENCHEN: Seat = [11.5755, 48.1374];
const AUGSBURG: Seat = [10.8978, 48.3705];
const BERLIN: Seat = [13.405, 52.52];
const HAMBURG: Seat = [9.9937, 53.5511];
const EISENACH: Seat = [10.3193, 50.9807];
const ERFURT: Seat = [11.0299, 50.9787];

describe('great-circle distance between seats', () => {
  test('hand-checked: München–Augsburg ≈ 57 km, Berlin–Hamburg ≈ 255 km, Eisenach–Erfurt ≈ 50 km', () => {
    assert.ok(Math.abs(distanceKm(MUENCHEN, AUGSBURG) - 56.5) < 1, String(distanceKm(MUENCHEN, AUGSBURG)));
    assert.ok(Math.abs(distanceKm(BERLIN, HAMBURG) - 255.3) < 1, String(distanceKm(BERLIN, HAMBURG)));
    assert.ok(Math.abs(distanceKm(EISENACH, ERFURT) - 49.7) < 1);
  });
  test('symmetric, zero for the same seat', () => {
    assert.equal(distanceKm(MUENCHEN, MUENCHEN), 0);
    assert.equal(distanceKm(MUENCHEN, BERLIN), distanceKm(BERLIN, MUENCHEN));
  });
});

describe('mentor matching order', () => {
  const viewer = { sizeClass: '20000-100000', kind: 'gemeinde', seat: MUENCHEN };
  const c = (
    id: number,
    name: string,
    sizeClass: string | null,
    kind: string | null,
    seat: Seat | null,
  ): Candidate => ({
    id,
    name,
    sizeClass,
    kind,
    seat,
  });

  test('tiers: same size class and type, then one of both, then the rest; unknown is never the same', () => {
    assert.equal(tierOf(viewer, { sizeClass: '20000-100000', kind: 'gemeinde', seat: null }), 0);
    assert.equal(tierOf(viewer, { sizeClass: '20000-100000', kind: 'kreis', seat: null }), 1);
    assert.equal(tierOf(viewer, { sizeClass: '<2000', kind: 'gemeinde', seat: null }), 1);
    assert.equal(tierOf(viewer, { sizeClass: '<2000', kind: 'kreis', seat: null }), 2);
    assert.equal(tierOf({ sizeClass: null, kind: null, seat: null }, { sizeClass: null, kind: null, seat: null }), 2);
  });

  test('a near municipality of another size class comes after a far one of the same size class and type', () => {
    const ranked = matchOrder(viewer, [
      c(1, 'Augsburg', '<2000', 'kreis', AUGSBURG),
      c(2, 'Hamburg', '20000-100000', 'gemeinde', HAMBURG),
      c(3, 'Berlin', '20000-100000', 'gemeinde', BERLIN),
      c(4, 'Erfurt', '20000-100000', 'kreis', ERFURT),
      c(5, 'Eisenach', '<2000', 'gemeinde', EISENACH),
    ]);
    // Hand-checked from München: Berlin ≈ 504 km before Hamburg ≈ 612 km (tier 0); Erfurt ≈ 318 km before
    // Eisenach ≈ 328 km (tier 1); Augsburg ≈ 57 km, the nearest, last (tier 2).
    assert.ok(Math.abs(distanceKm(MUENCHEN, BERLIN) - 504) < 2 && Math.abs(distanceKm(MUENCHEN, HAMBURG) - 612) < 2);
    assert.ok(distanceKm(MUENCHEN, ERFURT) < distanceKm(MUENCHEN, EISENACH));
    assert.deepEqual(
      ranked.map((r) => [r.candidate.name, r.tier]),
      [
        ['Berlin', 0],
        ['Hamburg', 0],
        ['Erfurt', 1],
        ['Eisenach', 1],
        ['Augsburg', 2],
      ],
    );
    assert.ok(Math.abs(ranked[4]!.distanceKm! - 56.5) < 1);
  });

  test('within a tier: known distances before unknown ones, then by name (German collation), then id', () => {
    const ranked = matchOrder(viewer, [
      c(1, 'Zell', '20000-100000', 'gemeinde', null),
      c(2, 'Ähringen', '20000-100000', 'gemeinde', null),
      c(3, 'Augsburg', '20000-100000', 'gemeinde', AUGSBURG),
      c(4, 'Ähringen', '20000-100000', 'gemeinde', null),
    ]);
    assert.deepEqual(
      ranked.map((r) => r.candidate.id),
      [3, 2, 4, 1],
    );
  });

  test('without the viewer’s seat there are no distances: by tier, then by name', () => {
    const ranked = matchOrder({ ...viewer, seat: null }, [
      c(1, 'Hamburg', '20000-100000', 'gemeinde', HAMBURG),
      c(2, 'Berlin', '20000-100000', 'gemeinde', BERLIN),
      c(3, 'Augsburg', '<2000', 'kreis', AUGSBURG),
    ]);
    assert.deepEqual(
      ranked.map((r) => [r.candidate.name, r.distanceKm]),
      [
        ['Berlin', null],
        ['Hamburg', null],
        ['Augsburg', null],
      ],
    );
  });
});

describe('mentoring states and forms', () => {
  test('the mentor accepts or declines a request; the requester may only cancel it; accepted ends either way', () => {
    assert.ok(canTransition('requested', 'accepted', 'mentor'));
    assert.ok(canTransition('requested', 'declined', 'mentor'));
    assert.ok(!canTransition('requested', 'accepted', 'mentee'));
    assert.ok(!canTransition('requested', 'cancelled', 'mentor'));
    assert.ok(canTransition('requested', 'cancelled', 'mentee'));
    for (const side of ['mentor', 'mentee'] as const) {
      assert.ok(canTransition('accepted', 'completed', side));
      assert.ok(canTransition('accepted', 'cancelled', side));
      assert.ok(!canTransition('declined', 'accepted', side));
      assert.ok(!canTransition('completed', 'cancelled', side));
      assert.ok(!canTransition('accepted', 'requested', side));
    }
  });

  test('subjects and offer fields', () => {
    assert.deepEqual(parseSubject('measure:digitalbeauftragte-benennen'), {
      kind: 'measure',
      ref: 'digitalbeauftragte-benennen',
    });
    assert.deepEqual(parseSubject('practice:12'), { kind: 'practice', ref: '12' });
    assert.equal(parseSubject('practice:abc'), null);
    assert.equal(parseSubject('solution:1'), null);
    assert.deepEqual(parseOfferForm({ contact: '7', hours: ' 4 ', note: ' per Video ', status: 'paused' }), {
      contactUserId: 7,
      hoursPerMonth: 4,
      note: 'per Video',
      status: 'paused',
    });
    assert.equal(parseOfferForm({ contact: '7', hours: '' }).hoursPerMonth, null);
    assert.throws(
      () => parseOfferForm({ contact: '', hours: '0', status: 'gone' }),
      (e: unknown) =>
        e instanceof ValidationError && e.fieldErrors.map((f) => f.field).join() === 'contact,hours,status',
    );
  });
});

describe('Lagebild: accepted mentorings per Land, small numbers withheld', () => {
  const states = ['01', '02', '09', '16'];
  test('a Land with 1..k−1 is withheld, zero is shown, the total stays when it is at least k', () => {
    const l = mentorLagebild(
      [
        { stateKey: '09', accepted: 12 },
        { stateKey: '16', accepted: 6 },
        { stateKey: '02', accepted: 3 },
        { stateKey: '01', accepted: 2 },
      ],
      states,
      5,
    );
    assert.deepEqual(l.byState, { '01': null, '02': null, '09': 12, '16': 6 });
    assert.deepEqual(l.suppressed, { '01': 'primary', '02': 'primary' });
    assert.equal(l.total, 23);
  });
  test('a single withheld Land would be revealed by the total: the smallest visible one is withheld too', () => {
    const l = mentorLagebild(
      [
        { stateKey: '09', accepted: 12 },
        { stateKey: '16', accepted: 6 },
        { stateKey: '02', accepted: 3 },
      ],
      states,
      5,
    );
    assert.deepEqual(l.suppressed, { '02': 'primary', '16': 'complementary' });
    assert.deepEqual(l.byState, { '01': 0, '02': null, '09': 12, '16': null });
  });
  test('a total below k is withheld', () => {
    const l = mentorLagebild([{ stateKey: '16', accepted: 4 }], states, 5);
    assert.equal(l.total, null);
    assert.equal(l.byState['16'], null);
  });
});
