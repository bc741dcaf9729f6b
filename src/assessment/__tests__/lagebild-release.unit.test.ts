import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckFact, computeLagebild, type Denominators, type Lagebild } from '../lagebild.js';
import { nextRelease, type ReleaseState, releaseLagebild } from '../lagebild-release.js';
import { linearAttack, type PublishedRelease, prng } from './differencing-attacker.js';

const SECTORS = ['verwaltung', 'mobilitaet', 'energie-umwelt', 'bildung', 'wasser-abfall', 'sicherheit-ordnung'];

/** A check; kreisfreie Städte (and Kreise) also have the sector gesundheit-pflege. */
function fact(regionKey: string, overall: number, extra: Partial<CheckFact> & { kreisfrei?: boolean } = {}): CheckFact {
  const { kreisfrei, ...rest } = extra;
  const bySector: Record<string, number | null> = Object.fromEntries(
    SECTORS.map((s, i) => [s, Math.min(100, (overall + i * 7) % 101)]),
  );
  if (kreisfrei) bySector['gesundheit-pflege'] = Math.min(100, overall + 3);
  return {
    regionKey,
    stateKey: regionKey.slice(0, 2),
    kreisKey: regionKey.slice(0, 5),
    sizeClass: '<2000',
    overall,
    level: Math.min(4, Math.floor(overall / 20)),
    bySector,
    submittedYear: 2026,
    isDemo: false,
    ...rest,
  };
}

const CITY = '100000-500000';
const denominators: Denominators = {
  total: 1000,
  byState: { '01': 100, '05': 400, '09': 500 },
  bySize: { '<2000': 900, [CITY]: 100 },
};

/** NRW and Bayern, each with 20 small Gemeinden (4 Kreise) and 6 kreisfreie Städte. */
function baseline(): CheckFact[] {
  const out: CheckFact[] = [];
  for (const land of ['05', '09']) {
    for (let i = 0; i < 20; i++) out.push(fact(`${land}1${i % 4}0${String(i).padStart(3, '0')}`, (i * 37 + 11) % 100));
    for (let i = 0; i < 6; i++) {
      out.push(fact(`${land}9${i}0000`, (i * 23 + 30) % 100, { sizeClass: CITY, kreisfrei: true }));
    }
  }
  return out;
}

const published = (lb: Lagebild) => JSON.stringify({ ...lb, computedAt: null, release: null });

test('attack 2: one new check (a kreisfreie Stadt) changes no published figure; k new checks in its group do', () => {
  const day = (d: number) => new Date(Date.UTC(2026, 11, d));
  const r1 = releaseLagebild(null, baseline(), denominators, { now: day(1) });
  assert.equal(r1.admitted.length, 52, 'the first release publishes everything there is');
  const koeln = fact('05315000', 72, { sizeClass: CITY, kreisfrei: true });
  const r2 = releaseLagebild(r1.state, [...baseline(), koeln], denominators, { now: day(8) });
  assert.deepEqual(r2.admitted, []);
  assert.deepEqual(r2.pending, { total: 1, byGroup: { [`05|${CITY}`]: 1 } });
  assert.equal(published(r2.lagebild), published(r1.lagebild), 'identical figures: nothing to difference');
  assert.equal(r2.lagebild.release?.pending, 1);
  assert.equal(r2.lagebild.release?.seq, 2);

  const more = [1, 2, 3, 4].map((i) => fact(`0531${i}000`, 20 + i * 15, { sizeClass: CITY, kreisfrei: true }));
  const r3 = releaseLagebild(r2.state, [...baseline(), koeln, ...more], denominators, { now: day(15) });
  assert.deepEqual(r3.admitted, ['05311000', '05312000', '05313000', '05314000', '05315000']);
  assert.equal(r3.pending.total, 0);
  assert.notEqual(published(r3.lagebild), published(r2.lagebild));
  assert.equal(r3.lagebild.participation.byState['05']!.submitted, 31, 'participation from the released facts');
  assert.equal(r3.lagebild.levels.bySize[CITY]!.n, 17, 'the city size class moves by five checks at once');
  // The five new checks are all in Land 05 × size class CITY: every published difference covers all five.
  const releases = [r1, r2, r3].map(asPublished);
  assert.equal(linearAttack(releases), null);
});

test('attack 2 (review variant): sector levels of one new check are not readable from a release', () => {
  const r1 = releaseLagebild(null, baseline(), denominators);
  // Five new checks in one cell are released together, but only one of them (Köln) has the sector
  // gesundheit-pflege: its national figure would change by Köln's result alone, so it is carried over.
  const koeln = fact('05315000', 72, { sizeClass: CITY, kreisfrei: true });
  const towns = [1, 2, 3, 4].map((i) => fact(`0515800${i}`, 30 + i * 11, { sizeClass: CITY }));
  const r2 = releaseLagebild(r1.state, [...baseline(), koeln, ...towns], denominators);
  assert.equal(r2.admitted.length, 5);
  assert.deepEqual(r2.lagebild.scores.bySector['gesundheit-pflege'], r1.lagebild.scores.bySector['gesundheit-pflege']);
  assert.deepEqual(r2.lagebild.levels.bySector['gesundheit-pflege'], r1.lagebild.levels.bySector['gesundheit-pflege']);
  assert.notDeepEqual(r2.lagebild.scores.bySector.verwaltung, r1.lagebild.scores.bySector.verwaltung);
  // The four towns are in one Kreis (05158) with nobody else: a new Kreis of 4 → withheld (primary).
  assert.equal(r2.lagebild.scores.byKreis['05158']?.median, null);
  // Five more kreisfreie Städte: now six members of the sector changed since its last published value.
  const more = [1, 2, 3, 4, 5].map((i) => fact(`0532${i}000`, 10 + i * 9, { sizeClass: CITY, kreisfrei: true }));
  const r3 = releaseLagebild(r2.state, [...baseline(), koeln, ...towns, ...more], denominators);
  assert.equal(r3.admitted.length, 5);
  assert.equal(r3.lagebild.levels.bySector['gesundheit-pflege']!.n, 18);
  assert.equal(linearAttack([r1, r2, r3].map(asPublished)), null);
});

test('Kreis medians are carried until k of their members changed', () => {
  const base = baseline();
  const r1 = releaseLagebild(null, base, denominators);
  const kreis = '05100'; // 5 of the small Gemeinden of Land 05
  const before = r1.lagebild.scores.byKreis[kreis]!;
  assert.equal(before.n, 5);
  assert.ok(before.median !== null);
  // Five new small Gemeinden in Land 05: one in Kreis 05100, four in a new Kreis.
  const added = [fact('05100999', 99), ...[1, 2, 3, 4].map((i) => fact(`0517000${i}`, 5 + i))];
  const r2 = releaseLagebild(r1.state, [...base, ...added], denominators);
  assert.equal(r2.admitted.length, 5);
  assert.deepEqual(r2.lagebild.scores.byKreis[kreis], { n: 6, median: before.median }, 'carried, n is participation');
  // Four more in Kreis 05100 (and one elsewhere to make five in the cell): five members changed → recomputed.
  const more = [...[1, 2, 3, 4].map((i) => fact(`0510099${i}`, 90 + i)), fact('05170005', 50)];
  const r3 = releaseLagebild(r2.state, [...base, ...added, ...more], denominators);
  assert.equal(r3.admitted.length, 5);
  assert.notEqual(r3.lagebild.scores.byKreis[kreis]!.median, before.median);
});

test('a re-submission replaces the released fact only together with k changes', () => {
  const base = baseline();
  const r1 = releaseLagebild(null, base, denominators);
  const changed = base.map((f) => (f.regionKey === '05100000' ? { ...f, overall: 95, level: 4 } : f));
  const r2 = releaseLagebild(r1.state, changed, denominators);
  assert.deepEqual(r2.admitted, []);
  assert.equal(r2.state.facts.find((f) => f.regionKey === '05100000')!.overall, base[0]!.overall);
  const keys = ['05100000', '05110001', '05120002', '05130003', '05100004'];
  const five = base.map((f) => (keys.includes(f.regionKey) ? { ...f, overall: 95, level: 4 } : f));
  const r3 = releaseLagebild(r2.state, five, denominators);
  assert.deepEqual(r3.admitted, [...keys].sort());
  assert.equal(r3.state.facts.length, base.length, 'replaced, not added');
  assert.equal(r3.state.facts.find((f) => f.regionKey === '05100000')!.overall, 95);
  assert.equal(linearAttack([r1, r2, r3].map(asPublished)), null);
});

test('removing the demo data: all removals at once, nothing left marked as demo', () => {
  const rand = prng(5);
  const demo: CheckFact[] = [];
  for (const land of ['01', '05', '09']) {
    for (let i = 0; i < 30; i++) {
      demo.push(
        fact(`${land}2${i % 5}0${String(i).padStart(3, '0')}`, Math.floor(rand() * 100), {
          isDemo: true,
          sizeClass: i % 7 === 0 ? CITY : '<2000',
        }),
      );
    }
  }
  const real = [
    fact('09162000', 64, { sizeClass: CITY, kreisfrei: true }),
    ...Array.from({ length: 7 }, (_, i) => fact(`0918${i}001`, 20 + i * 9)),
  ];
  const r1 = releaseLagebild(null, [...demo, ...real], denominators);
  assert.equal(r1.lagebild.includesDemo, true);
  const r2 = releaseLagebild(r1.state, real, denominators);
  assert.equal(r2.admitted.length, demo.length);
  assert.equal(r2.pending.total, 0);
  assert.equal(r2.lagebild.includesDemo, false);
  assert.equal(r2.state.facts.length, real.length);
  assert.equal(linearAttack([r1, r2].map(asPublished)), null);
});

test('history: a withheld group is not shown while its partner in the residue is unchanged', () => {
  // Release 1: Land 01 has one check (withheld), 03 is withheld with it, 05 and 09 are published.
  const cells = (land: string, n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => fact(`${land}0000${String(from + i).padStart(2, '0')}`, (i * 29 + 7) % 100));
  const d: Denominators = {
    total: 400,
    byState: { '01': 50, '03': 50, '05': 150, '09': 150 },
    bySize: { '<2000': 400 },
  };
  const start = [...cells('01', 1), ...cells('03', 7), ...cells('05', 30), ...cells('09', 30)];
  const r1 = releaseLagebild(null, start, d);
  assert.deepEqual(r1.lagebild.suppressed?.byState, { '01': 'primary', '03': 'complementary' });
  // Land 01 grows to 6. Shown now, 03 would be alone in the residue: 03 = national − 01 − 05 − 09, and release 1's
  // residue (01 + 03) − 03 = Land 01's first check.
  const grown = [...start, ...cells('01', 5, 1)];
  const r2 = releaseLagebild(r1.state, grown, d);
  assert.equal(r2.admitted.length, 5);
  assert.equal(r2.lagebild.levels.byState['01'], null, 'still withheld');
  assert.equal(r2.lagebild.levels.byState['03'], null);
  assert.equal(linearAttack([r1, r2].map(asPublished)), null);
  // What a fresh snapshot would publish instead — the attack the history checks prevent:
  const fresh = computeLagebild(grown, d);
  assert.ok(fresh.levels.byState['01'] && fresh.levels.byState['03']);
  const naive = { facts: asPublished(r2).facts, lagebild: fresh };
  assert.deepEqual(linearAttack([asPublished(r1), naive])?.versions, ['01000000@1']);
});

test('history: a group that would shrink below k next to unchanged groups waits for other changes', () => {
  const cells = (land: string, n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => fact(`${land}0000${String(from + i).padStart(2, '0')}`, (i * 31 + 3) % 100));
  const d: Denominators = { total: 400, byState: { '01': 50, '05': 150, '09': 150 }, bySize: { '<2000': 400 } };
  const start = [...cells('01', 7), ...cells('05', 30), ...cells('09', 30)];
  const r1 = releaseLagebild(null, start, d);
  assert.deepEqual(r1.lagebild.suppressed?.byState, {});
  // Five of Land 01's seven checks are withdrawn: 01 would be withheld, but 05 and 09 are known from release 1,
  // so national − 05 − 09 would still show the two left. Held back.
  const shrunk = start.filter(
    (f) => !['01000000', '01000001', '01000002', '01000003', '01000004'].includes(f.regionKey),
  );
  const r2 = releaseLagebild(r1.state, shrunk, d);
  assert.deepEqual(r2.admitted, []);
  assert.equal(r2.pending.total, 5);
  // Once Land 05 changes as well, both go out together (05 is withheld with 01).
  const r3 = releaseLagebild(r2.state, [...shrunk, ...cells('05', 5, 30)], d);
  assert.equal(r3.admitted.length, 10);
  assert.equal(r3.lagebild.levels.byState['01'], null);
  assert.equal(linearAttack([r1, r2, r3].map(asPublished)), null);
});

test('history: a published group is not withdrawn after fewer than k changes', () => {
  // Its earlier figure would stand in for the withheld one, off by one check — and that check is then
  // recoverable once the group is shown again.
  const cells = (land: string, n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => fact(`${land}0000${String(from + i).padStart(2, '0')}`, (i * 13 + 9) % 100));
  const d: Denominators = {
    total: 400,
    byState: { '01': 50, '03': 50, '04': 50, '05': 150, '09': 100 },
    bySize: { '<2000': 400 },
  };
  const start = [...cells('01', 5), ...cells('03', 3), ...cells('04', 3), ...cells('05', 30), ...cells('09', 30)];
  const r1 = releaseLagebild(null, start, d);
  assert.deepEqual(r1.lagebild.suppressed?.byState, { '03': 'primary', '04': 'primary' });
  const next = [...start.filter((f) => f.regionKey !== '01000000'), ...cells('03', 5, 3)];
  const r2 = releaseLagebild(r1.state, next, d);
  assert.deepEqual(r2.pending.byGroup, { '01|<2000': 1 }, 'the withdrawal waits');
  assert.ok(r2.lagebild.levels.byState['01'], 'Land 01 stays published');
  assert.equal(r2.admitted.length, 5);
});

test('history: changes of a withheld group that is not small are batched, so that it can be shown again', () => {
  const cells = (land: string, n: number, from = 0) =>
    Array.from({ length: n }, (_, i) => fact(`${land}0000${String(from + i).padStart(2, '0')}`, (i * 17 + 5) % 100));
  const d: Denominators = {
    total: 400,
    byState: { '01': 50, '03': 50, '05': 150, '09': 150 },
    bySize: { '<2000': 400 },
  };
  const start = [...cells('01', 1), ...cells('03', 7), ...cells('05', 30), ...cells('09', 30)];
  const r1 = releaseLagebild(null, start, d);
  assert.equal(r1.lagebild.suppressed?.byState['03'], 'complementary');
  // Two new checks in 03 (withheld, 7 checks), three in 01: the residue {01, 03} changes by five, but 03 by two —
  // admitted now, 03 could only be shown again after it changed by k in a single release.
  const r2 = releaseLagebild(r1.state, [...start, ...cells('03', 2, 7), ...cells('01', 3, 1)], d);
  assert.deepEqual(r2.pending.byGroup, { '01|<2000': 3, '03|<2000': 2 });
  const r3 = releaseLagebild(r2.state, [...start, ...cells('03', 5, 7), ...cells('01', 3, 1)], d);
  assert.equal(r3.admitted.length, 8);
  assert.equal(linearAttack([r1, r2].map(asPublished)), null);
});

test('random release sequences: no combination of published counts across releases isolates 1–4 results', () => {
  // 100 seeded sequences of 5 releases each on tiny tables (2–5 Länder, 2–3 size classes, 5–30 checks, 20 % demo)
  // with additions, withdrawals, re-submissions (some moving to another size class) and demo removal between
  // releases. The exact linear attacker sees every published level count of every release. Publishing fresh
  // snapshots instead leaks in almost every sequence.
  let naiveLeaks = 0;
  for (let seed = 1; seed <= 100; seed++) {
    const { releases, naive } = randomSequence(seed, 5);
    assert.equal(linearAttack(releases), null, `seed ${seed}`);
    if (linearAttack(naive)) naiveLeaks++;
  }
  assert.ok(naiveLeaks >= 90, `fresh snapshots leak in ${naiveLeaks} of 100`);
});

test('fewer than k checks in total: nothing is published, and releases carry on', () => {
  const three = [fact('01000001', 10), fact('01000002', 50, { sizeClass: CITY }), fact('05000001', 90)];
  const r1 = releaseLagebild(null, three, denominators);
  assert.equal(r1.lagebild.levels.national, null);
  const r2 = releaseLagebild(r1.state, three, denominators);
  assert.equal(published(r2.lagebild), published(r1.lagebild));
  const r3 = releaseLagebild(r2.state, three.slice(1), denominators);
  assert.equal(r3.state.facts.length, 2, 'below k nothing is published, so nothing needs holding back');
});

test('deterministic, and the first release admits everything', () => {
  const base = baseline();
  const a = nextRelease(null, base, denominators);
  const b = nextRelease(null, [...base].reverse(), denominators);
  assert.deepEqual(a, b);
  assert.equal(a.seq, 1);
  assert.equal(a.pending.total, 0);
  assert.throws(() => nextRelease(null, [...base, base[0]!], denominators), RangeError);
});

function asPublished(r: { state: ReleaseState; lagebild: Lagebild }): PublishedRelease {
  return { facts: r.state.facts.map((f) => ({ ...f, version: `${f.regionKey}@${f.mainSeq}` })), lagebild: r.lagebild };
}

function randomSequence(seed: number, steps: number): { releases: PublishedRelease[]; naive: PublishedRelease[] } {
  const rand = prng(seed);
  const states = Array.from({ length: 2 + Math.floor(rand() * 4) }, (_, i) => String(i + 1).padStart(2, '0'));
  const sizes = Array.from({ length: 2 + Math.floor(rand() * 2) }, (_, i) => `s${i}`);
  const ws = states.map(() => rand() ** 2 + 0.05);
  const wz = sizes.map(() => rand() ** 2 + 0.05);
  const pick = (keys: string[], w: number[]) => {
    let r = rand() * w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < keys.length; i++) {
      r -= w[i]!;
      if (r <= 0) return keys[i]!;
    }
    return keys[keys.length - 1]!;
  };
  const d: Denominators = {
    total: 300,
    byState: Object.fromEntries(states.map((s) => [s, 100])),
    bySize: Object.fromEntries(sizes.map((s) => [s, 100])),
  };
  let next = 0;
  const make = (): CheckFact => {
    const s = pick(states, ws);
    return fact(`${s}${String(next++).padStart(6, '0')}`, Math.floor(rand() * 100), {
      sizeClass: pick(sizes, wz),
      isDemo: rand() < 0.2,
      bySector: {},
    });
  };
  let current = Array.from({ length: 5 + Math.floor(rand() * 25) }, make);
  let state: ReleaseState | null = null;
  const versions = new Map<string, number>();
  const releases: PublishedRelease[] = [];
  const naive: PublishedRelease[] = [];
  for (let step = 0; step < steps; step++) {
    const r = releaseLagebild(state, current, d, { now: new Date(Date.UTC(2027, 0, 1 + 7 * step)) });
    state = r.state;
    releases.push(asPublished(r));
    naive.push({
      facts: current.map((f) => ({ ...f, version: `${f.regionKey}@${versions.get(f.regionKey) ?? 0}` })),
      lagebild: computeLagebild(current, d),
    });
    for (let op = 1 + Math.floor(rand() * 6); op > 0; op--) {
      const x = rand();
      if (x < 0.5) current.push(make());
      else if (x < 0.7 && current.length > 0) current.splice(Math.floor(rand() * current.length), 1);
      else if (current.length > 0) {
        const i = Math.floor(rand() * current.length);
        const f = current[i]!;
        const overall = Math.floor(rand() * 100);
        const sizeClass = rand() < 0.2 ? pick(sizes, wz) : f.sizeClass;
        current[i] = { ...f, overall, level: Math.min(4, Math.floor(overall / 20)), sizeClass };
        versions.set(f.regionKey, (versions.get(f.regionKey) ?? 0) + 1);
      }
    }
    if (rand() < 0.1) current = current.filter((f) => !f.isDemo);
  }
  return { releases, naive };
}
