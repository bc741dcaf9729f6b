import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CheckFact, computeLagebild, type Denominators } from '../lagebild.js';
import { attackMargins, linearAttack, prng } from './differencing-attacker.js';

function fact(regionKey: string, overall: number, extra: Partial<CheckFact> = {}): CheckFact {
  return {
    regionKey,
    stateKey: regionKey.slice(0, 2),
    kreisKey: regionKey.slice(0, 5),
    sizeClass: '<2000',
    overall,
    level: Math.min(4, Math.floor(overall / 20)),
    bySector: { verwaltung: overall },
    submittedYear: 2026,
    isDemo: false,
    ...extra,
  };
}

const denominators = { total: 100, byState: { '09': 60, '16': 40 }, bySize: { '<2000': 100 } };

test('groups under 5 municipalities show counts but no scores or levels', () => {
  const facts = [fact('09100001', 40), fact('09100002', 60), fact('09100003', 80), fact('09100004', 20)];
  const lb = computeLagebild(facts, denominators, new Date('2026-11-26T00:00:00Z'));
  assert.equal(lb.participation.total.submitted, 4);
  assert.deepEqual(lb.participation.byState['09'], { submitted: 4, municipalities: 60 });
  assert.equal(lb.scores.national, null);
  assert.equal(lb.scores.byState['09'], null);
  assert.equal(lb.levels.national, null);
  assert.equal(lb.divergence.national, null);
  assert.equal(lb.scores.bySector.verwaltung, null);
});

test('five or more: median and quartiles, no minimum or maximum', () => {
  // scores 20, 40, 60, 80, 100 → median 60, q1 40, q3 80 (type 7 quantiles)
  const facts = [20, 40, 60, 80, 100].map((s, i) => fact(`0910000${i}`, s));
  const lb = computeLagebild(facts, denominators);
  assert.equal(lb.scores.national?.n, 5);
  assert.equal(lb.scores.national?.median, 60);
  assert.equal(lb.scores.national?.q1, 40);
  assert.equal(lb.scores.national?.q3, 80);
  assert.equal((lb.scores.national as unknown as Record<string, unknown>).min, undefined);
  assert.deepEqual(lb.levels.national?.counts, [0, 1, 1, 1, 2]);
  // sector scores equal the overall scores here: the same distribution per sector
  assert.deepEqual(lb.levels.bySector.verwaltung?.counts, [0, 1, 1, 1, 2]);
});

test('Kreise: fewer than 5 → "not enough data", and a Kreis whose figure could be subtracted from the Land is hidden too', () => {
  // Land 09: Kreis 09100 has 6 checks, Kreis 09200 has 5, Kreis 09300 has 2 (primary suppression).
  // Land n = 13; visible 6 + 5 = 11 → remainder 2 (09300) would be revealed by subtraction,
  // unless one more Kreis is suppressed (complementary suppression of the smallest visible one).
  const facts = [
    ...[10, 20, 30, 40, 50, 60].map((s, i) => fact(`0910000${i}`, s)),
    ...[15, 25, 35, 45, 55].map((s, i) => fact(`0920000${i}`, s)),
    fact('09300001', 90),
    fact('09300002', 95),
  ];
  const lb = computeLagebild(facts, denominators);
  assert.ok(lb.scores.byState['09']);
  assert.equal(lb.scores.byKreis['09300']?.median, null, 'primary');
  assert.equal(lb.scores.byKreis['09300']?.n, 2, 'participation counts stay visible');
  const visible = ['09100', '09200'].filter((k) => lb.scores.byKreis[k]?.median !== null);
  assert.equal(visible.length, 1, 'one more Kreis suppressed so the small one cannot be derived');
});

test('demo checks are flagged', () => {
  const lb = computeLagebild([fact('09100001', 50, { isDemo: true })], denominators);
  assert.equal(lb.includesDemo, true);
  assert.equal(lb.contributions, undefined, "other modules' figures are added by the release");
});

// ---------------------------------------------------------------------------------------------
// Differencing within one snapshot (security review, attack 1)

const residueTotal = (national: number[], parts: ({ counts: number[] } | null)[]) =>
  parts.reduce(
    (t, p) => t - (p ? p.counts.reduce((a, b) => a + b, 0) : 0),
    national.reduce((a, b) => a + b, 0),
  );

function cityFacts() {
  // Länder 01 (6 checks) and 09 (7 checks) of small municipalities, and Hamburg ('02', one Gemeinde) at level 2.
  return [
    ...[10, 30, 50, 70, 90, 95].map((s, i) => fact(`0100000${i}`, s)),
    ...[15, 25, 45, 55, 65, 85, 99].map((s, i) => fact(`0900000${i}`, s)),
    fact('02000000', 45, { sizeClass: '>500000' }),
  ];
}
const cityDenominators = {
  total: 300,
  byState: { '01': 100, '02': 1, '09': 199 },
  bySize: { '<2000': 299, '>500000': 1 },
};

test('attack 1a: national minus the published Länder does not reveal Hamburg', () => {
  const facts = cityFacts();
  const lb = computeLagebild(facts, cityDenominators);
  assert.equal(lb.levels.byState['02'], null, 'one check: withheld');
  assert.ok(lb.levels.national, 'the national distribution is published');
  const residue = residueTotal(lb.levels.national.counts, Object.values(lb.levels.byState));
  assert.ok(residue === 0 || residue >= 5, `national − Σ published Länder covers ${residue} checks`);
  assert.equal(lb.suppressed?.byState['02'], 'primary');
  assert.equal(lb.suppressed?.byState['01'], 'complementary', 'the smallest other Land is withheld with it');
  assert.equal(lb.scores.byState['01'], null, 'scores use the same marks as levels');
  assert.deepEqual(attackMargins(lb, facts), []);
});

test('attack 1b: national minus the published size classes does not reveal the one large city (Aachen)', () => {
  const facts = [
    ...[12, 22, 32, 42, 52, 62, 72, 82].map((s, i) => fact(`0533410${i}`, s)),
    fact('05334002', 65, { sizeClass: '100000-500000' }), // Aachen, level 3
    ...[18, 28, 38, 48, 58, 68].map((s, i) => fact(`0916210${i}`, s)),
  ];
  const denominators = { total: 400, byState: { '05': 200, '09': 200 }, bySize: { '<2000': 390, '100000-500000': 10 } };
  const lb = computeLagebild(facts, denominators);
  assert.equal(lb.levels.bySize['100000-500000'], null);
  const residue = residueTotal(lb.levels.national!.counts, Object.values(lb.levels.bySize));
  assert.ok(residue === 0 || residue >= 5, `national − Σ published size classes covers ${residue} checks`);
  assert.equal(lb.scores.bySize['<2000'], null, 'withheld for the levels → withheld for the scores');
  assert.deepEqual(attackMargins(lb, facts), []);
});

test('attack 1c: a Land minus a size class does not reveal the two municipalities in neither', () => {
  // Cells: (01, small) 10, (01, large) 1, (09, small) 1, (09, large) 10 — every margin has 11 checks, but
  // Land 01 − size class small = one check in (01, large) minus one in (09, small): both levels readable.
  const facts = [
    ...Array.from({ length: 10 }, (_, i) => fact(`010000${10 + i}`, 10 + i * 8)),
    fact('01000099', 90, { sizeClass: '>500000' }),
    fact('09000099', 5),
    ...Array.from({ length: 10 }, (_, i) => fact(`090000${10 + i}`, 12 + i * 8, { sizeClass: '>500000' })),
  ];
  const denominators = { total: 100, byState: { '01': 50, '09': 50 }, bySize: { '<2000': 50, '>500000': 50 } };
  const lb = computeLagebild(facts, denominators);
  assert.deepEqual(attackMargins(lb, facts), []);
  const shown = (t: Record<string, unknown>) => Object.values(t).filter((v) => v !== null).length;
  assert.ok(
    shown(lb.levels.byState) === 0 || shown(lb.levels.bySize) === 0,
    'Länder and size classes cannot both be shown here',
  );
  assert.ok(lb.levels.national, 'the national figure stays');
});

function randomFacts(seed: number): { facts: CheckFact[]; denominators: Denominators } {
  const rand = prng(seed);
  const states = Array.from({ length: 2 + Math.floor(rand() * 5) }, (_, i) => String(i + 1).padStart(2, '0'));
  const sizes = Array.from({ length: 2 + Math.floor(rand() * 3) }, (_, i) => `s${i}`);
  // Skewed weights make small cells, small Länder and small size classes common.
  const ws = states.map(() => rand() ** 2);
  const wz = sizes.map(() => rand() ** 2);
  const pick = (keys: string[], w: number[]) => {
    let r = rand() * w.reduce((a, b) => a + b, 0);
    for (let i = 0; i < keys.length; i++) {
      r -= w[i]!;
      if (r <= 0) return keys[i]!;
    }
    return keys[keys.length - 1]!;
  };
  const facts = Array.from({ length: 3 + Math.floor(rand() * 45) }, (_, i) => {
    const s = pick(states, ws);
    return fact(`${s}${String(i).padStart(6, '0')}`, Math.floor(rand() * 100), {
      sizeClass: pick(sizes, wz),
      kreisKey: `${s}00${Math.floor(rand() * 3)}`,
    });
  });
  return {
    facts,
    denominators: {
      total: 1000,
      byState: Object.fromEntries(states.map((s) => [s, 100])),
      bySize: Object.fromEntries(sizes.map((s) => [s, 100])),
    },
  };
}

test('random fact sets: no union of published Länder and size classes differs from another by 1–4 checks', () => {
  // 400 seeded trials: 2–6 Länder, 2–4 size classes, 3–47 checks, skewed so that small groups are common. The
  // brute-force attacker (all unions A of Land figures and B of size-class figures, residues included) and the
  // full linear attacker (every linear combination of every published count, exact over a prime field) must
  // both come away empty. (Before the cross-margin audit, about two thirds of these trials leaked.)
  for (let seed = 1; seed <= 400; seed++) {
    const { facts, denominators } = randomFacts(seed);
    const lb = computeLagebild(facts, denominators);
    assert.deepEqual(attackMargins(lb, facts), [], `seed ${seed}`);
    const versions = facts.map((f) => ({ ...f, version: f.regionKey }));
    assert.equal(linearAttack([{ facts: versions, lagebild: lb }]), null, `seed ${seed}`);
    for (const s of Object.keys(denominators.byState)) {
      assert.equal(lb.levels.byState[s] === null, lb.scores.byState[s] === null, `seed ${seed}: one mark per Land`);
    }
    for (const s of Object.keys(denominators.bySize)) {
      assert.equal(lb.levels.bySize[s] === null, lb.scores.bySize[s] === null, `seed ${seed}: one mark per size`);
    }
  }
});

test('the attackers find what they should (hand-checked)', () => {
  // Without suppression beyond k: Hamburg's level-2 check is national − Länder 01 − 09.
  const facts = cityFacts();
  const naive = computeLagebild(facts, cityDenominators, new Date(), {
    pattern: { byState: { '02': 'primary' }, bySize: { '>500000': 'primary' } },
  });
  const findings = attackMargins(naive, facts);
  const hamburg = findings.find((f) => f.regions.length === 1 && f.regions[0] === '02000000');
  assert.ok(hamburg, 'the review attack is reproduced');
  assert.deepEqual(
    findings.find((f) => f.a.join() === 'residue' && f.b.length === 0)?.counts,
    [0, 0, 1, 0, 0],
    'national − published Länder = one check at level 2',
  );
  const versions = facts.map((f) => ({ ...f, version: f.regionKey }));
  assert.deepEqual(linearAttack([{ facts: versions, lagebild: naive }])?.versions, ['02000000']);
});

test('Kreise of a withheld Land are withheld too, and marked', () => {
  const facts = cityFacts();
  const lb = computeLagebild(facts, cityDenominators);
  // Land 01 is withheld to protect Hamburg; its Kreis 01000 (6 checks) would stand in for it.
  assert.equal(lb.scores.byKreis['01000']?.median, null);
  assert.equal(lb.scores.byKreis['01000']?.n, 6, 'participation stays visible');
  assert.equal(lb.suppressed?.byKreis['01000'], 'complementary');
  assert.equal(lb.suppressed?.byKreis['02000'], 'primary');
  assert.ok(lb.scores.byKreis['09000']?.median, 'Kreise of a published Land stay');
});

test('time series: per year each region’s latest check of that year (yearFacts)', () => {
  const keys = ['09100001', '09100002', '09100003', '09100004', '09100005'];
  const facts = keys.map((k) => fact(k, 80, { submittedYear: 2027 }));
  // Every region submitted in 2026 (score 20) and again in 2027 (80): the latest-only view loses 2026.
  const yearFacts = keys.flatMap((k) => [
    { regionKey: k, year: 2026, overall: 20, isDemo: false },
    { regionKey: k, year: 2027, overall: 80, isDemo: false },
  ]);
  const legacy = computeLagebild(facts, denominators);
  assert.deepEqual(Object.keys(legacy.divergence.byYear), ['2027']);
  const lb = computeLagebild(facts, denominators, new Date(), { yearFacts });
  assert.deepEqual(Object.keys(lb.divergence.byYear), ['2026', '2027']);
  assert.deepEqual(lb.divergence.byYear['2026'], { n: 5, gini: 0, quintileGap: null });
  assert.throws(() => computeLagebild(facts, denominators, new Date(), { yearFacts: [...yearFacts, yearFacts[0]!] }));
});

test('performance: a realistic national picture (no timing assertion)', () => {
  // 10,953 checks in 16 Länder and 6 size classes with ~400 Kreise. Measured with process.cpuUsage over 30 runs on
  // the development machine (2 cores, load 6–9 at the time; a 10,000-number sort took ~9 ms instead of ~1.5 ms):
  // 55–75 ms CPU per computeLagebild, against 60–80 ms for the version before the audit; the cross-margin audit
  // (lagebildPattern) is 5–7 ms of it. Most of the rest is sorting scores for the quartiles.
  const rand = prng(42);
  const states = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16'];
  const gemeinden = [1106, 1, 941, 2, 396, 421, 2301, 1101, 2056, 52, 1, 413, 726, 418, 218, 800];
  const sizes = ['<2000', '2000-5000', '5000-20000', '20000-100000', '100000-500000', '>500000'];
  const facts: CheckFact[] = [];
  states.forEach((s, si) => {
    for (let j = 0; j < gemeinden[si]!; j++) {
      const r = rand();
      const size =
        gemeinden[si]! <= 2
          ? '>500000'
          : sizes[r < 0.55 ? 0 : r < 0.75 ? 1 : r < 0.92 ? 2 : r < 0.985 ? 3 : r < 0.998 ? 4 : 5]!;
      const kreis = `${s}${String(Math.floor(rand() * 25)).padStart(3, '0')}`;
      facts.push(
        fact(`${kreis}${String(j).padStart(3, '0')}`, Math.floor(rand() * 1000) / 10, {
          sizeClass: size,
          kreisKey: kreis,
        }),
      );
    }
  });
  assert.equal(facts.length, 10_953);
  const lb = computeLagebild(facts, {
    total: facts.length,
    byState: Object.fromEntries(states.map((s, i) => [s, gemeinden[i]!])),
    bySize: Object.fromEntries(sizes.map((s) => [s, 1000])),
  });
  assert.equal(lb.levels.byState['02'], null);
  assert.equal(lb.levels.byState['11'], null);
  assert.equal(lb.participation.total.submitted, 10_953);
  assert.ok(lb.levels.national);
});
