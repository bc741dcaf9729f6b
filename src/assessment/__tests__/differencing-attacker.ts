/**
 * Test helpers: attackers that try to recover small groups of results from published Lagebild figures.
 * Independent of the implementation under test (they only read published figures and the true facts).
 *
 * The attacker is assumed to know which results exist and where they belong (region, Land, size class — e.g.
 * from participation lists and press releases), but not their levels. A result is recovered when some linear
 * combination of published level counts depends on fewer than k results: its level (or, for a signed
 * combination, the levels of a handful of municipalities) can be read off.
 */
import type { CheckFact, Lagebild } from '../lagebild.js';

/** mulberry32, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const scored = (f: CheckFact) => f.overall !== null && f.level !== null;

export interface MarginFinding {
  /** Land blocks in A ('residue' = all withheld Länder, obtained as national − published Länder). */
  a: string[];
  /** Size-class blocks in B. */
  b: string[];
  /** Published counts of A minus those of B. */
  counts: number[];
  /** Regions in exactly one of A and B. */
  regions: string[];
}

/**
 * The attack of the security review, generalised: for every union A of published Land figures (each published
 * Land, and the residue national − Σ published Länder) and every union B of published size-class figures (the
 * same), compute counts(A) − counts(B) from the published numbers and check against the true facts whether it
 * rests on 1..k−1 results. Covers "national − visible Länder", "national − visible size classes", "a Land minus a
 * size class inside it" and crossing differences. Exponential: use with few Länder and size classes.
 */
export function attackMargins(lb: Lagebild, facts: readonly CheckFact[], k = 5): MarginFinding[] {
  const national = lb.levels.national;
  if (!national) return []; // nothing published to difference against
  const rows = Object.keys(lb.levels.byState);
  const cols = Object.keys(lb.levels.bySize);
  const shownRows = rows.filter((s) => lb.levels.byState[s]);
  const shownCols = cols.filter((s) => lb.levels.bySize[s]);
  if (shownRows.length > 14 || shownCols.length > 10)
    throw new RangeError('too many blocks for the brute-force attacker');
  const sub = (a: number[], b: number[]) => a.map((x, i) => x - (b[i] ?? 0));
  const add = (a: number[], b: number[]) => a.map((x, i) => x + (b[i] ?? 0));
  const zero = [0, 0, 0, 0, 0];
  const residueCounts = (shown: string[], table: Record<string, { counts: number[] } | null>) =>
    shown.reduce((acc, s) => sub(acc, table[s]!.counts), national.counts);
  const rowBlocks = [
    ...shownRows.map((s) => ({
      id: s,
      counts: lb.levels.byState[s]!.counts,
      has: (f: CheckFact) => f.stateKey === s,
    })),
    {
      id: 'residue',
      counts: residueCounts(shownRows, lb.levels.byState),
      has: (f: CheckFact) => !shownRows.includes(f.stateKey),
    },
  ];
  const colBlocks = [
    ...shownCols.map((s) => ({
      id: s,
      counts: lb.levels.bySize[s]!.counts,
      has: (f: CheckFact) => f.sizeClass === s,
    })),
    {
      id: 'residue',
      counts: residueCounts(shownCols, lb.levels.bySize),
      has: (f: CheckFact) => !shownCols.includes(f.sizeClass),
    },
  ];
  const results = facts.filter(scored);
  const findings: MarginFinding[] = [];
  for (let ma = 0; ma < 1 << rowBlocks.length; ma++) {
    const A = rowBlocks.filter((_, i) => (ma >> i) & 1);
    const countsA = A.reduce((acc, b) => add(acc, b.counts), zero);
    for (let mb = 0; mb < 1 << colBlocks.length; mb++) {
      const B = colBlocks.filter((_, i) => (mb >> i) & 1);
      const counts = sub(
        countsA,
        B.reduce((acc, b) => add(acc, b.counts), zero),
      );
      const regions = results
        .filter((f) => A.some((b) => b.has(f)) !== B.some((b) => b.has(f)))
        .map((f) => f.regionKey);
      if (regions.length >= 1 && regions.length < k) {
        findings.push({ a: A.map((b) => b.id), b: B.map((b) => b.id), counts, regions });
      }
    }
  }
  return findings;
}

/** A result as published in one release: `version` identifies it across releases (region and its version). */
export interface VersionedFact extends CheckFact {
  version: string;
}

export interface PublishedRelease {
  facts: readonly VersionedFact[];
  lagebild: Lagebild;
}

export interface LinearFinding {
  /** Result versions that some combination of published counts depends on (1..k−1 of them). */
  versions: string[];
}

const P = 999_983; // prime; products stay below 2^53

function modInverse(a: number): number {
  let [t, newT, r, newR] = [0, 1, P, ((a % P) + P) % P];
  while (newR !== 0) {
    const q = Math.floor(r / newR);
    [t, newT] = [newT, t - q * newT];
    [r, newR] = [newR, r - q * newR];
  }
  return ((t % P) + P) % P;
}

/** Reduced row echelon form over GF(P); returns the pivot column of each non-zero row. */
function rref(m: number[][]): { rows: number[][]; pivots: number[] } {
  const rows = m.map((r) => r.map((x) => ((x % P) + P) % P));
  const pivots: number[] = [];
  const width = rows[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && row[c] !== 0);
    if (p === -1) continue;
    [rows[r], rows[p]] = [rows[p]!, rows[r]!];
    const inv = modInverse(rows[r]![c]!);
    rows[r] = rows[r]!.map((x) => (x * inv) % P);
    for (let i = 0; i < rows.length; i++) {
      if (i === r || rows[i]![c] === 0) continue;
      const f = rows[i]![c]!;
      rows[i] = rows[i]!.map((x, j) => (((x - f * rows[r]![j]!) % P) + P) % P);
    }
    pivots.push(c);
    r++;
  }
  return { rows: rows.slice(0, r), pivots };
}

const rank = (vectors: number[][]) => (vectors.length === 0 ? 0 : rref(vectors).pivots.length);

/**
 * The strongest linear attacker: collects every published level-count table of every release (national,
 * published Länder, published size classes) as a linear equation over result versions, and searches the whole
 * span for a combination that depends on 1..k−1 result versions (at least one of them not demo data) — any
 * coefficients, any number of tables and releases. Exact (linear algebra over a prime field) for small inputs.
 */
export function linearAttack(releases: readonly PublishedRelease[], k = 5): LinearFinding | null {
  const versions = new Map<string, VersionedFact>();
  for (const r of releases) for (const f of r.facts) if (scored(f)) versions.set(f.version, f);
  const columns = [...versions.keys()].sort();
  const index = new Map(columns.map((v, i) => [v, i]));
  const equations: number[][] = [];
  for (const r of releases) {
    const lb = r.lagebild;
    const sets: ((f: CheckFact) => boolean)[] = [];
    if (lb.levels.national) sets.push(() => true);
    for (const [s, d] of Object.entries(lb.levels.byState)) if (d) sets.push((f) => f.stateKey === s);
    for (const [s, d] of Object.entries(lb.levels.bySize)) if (d) sets.push((f) => f.sizeClass === s);
    for (const has of sets) {
      const row = new Array<number>(columns.length).fill(0);
      for (const f of r.facts) if (scored(f) && has(f)) row[index.get(f.version)!] = 1;
      equations.push(row);
    }
  }
  if (equations.length === 0) return null;
  // Atoms: versions that appear in exactly the same equations are never separated.
  const atoms = new Map<string, string[]>();
  columns.forEach((v, j) => {
    const sig = equations.map((e) => e[j]).join('');
    atoms.set(sig, [...(atoms.get(sig) ?? []), v]);
  });
  const atomList = [...atoms.values()];
  const matrix = equations.map((e) => atomList.map((a) => e[index.get(a[0]!)!]!));
  const { rows, pivots } = rref(matrix);
  const free = atomList.map((_, j) => j).filter((j) => !pivots.includes(j));
  // Row j of the kernel basis: combinations supported on a set T of atoms exist iff these rows are dependent.
  const kernelRow = (j: number): number[] => {
    const p = pivots.indexOf(j);
    if (p === -1) return free.map((f) => (f === j ? 1 : 0));
    return free.map((f) => (P - rows[p]![f]!) % P);
  };
  const small = atomList
    .map((a, j) => ({ j, size: a.length, sensitive: a.some((v) => !versions.get(v)!.isDemo) }))
    .filter((a) => a.size < k);
  const z = new Map(small.map((a) => [a.j, kernelRow(a.j)]));
  const chosen: typeof small = [];
  const search = (from: number, size: number): LinearFinding | null => {
    const vectors = chosen.map((a) => z.get(a.j)!);
    const r = rank(vectors);
    if (r < chosen.length) {
      // Dependent: a combination supported on these atoms exists. It reveals a real result if it can have a non-zero
      // coefficient on a sensitive atom, i.e. that atom's row is in the span of the others.
      const hit = chosen.some((a, i) => a.sensitive && rank(vectors.filter((_, j) => j !== i)) === r);
      return hit ? { versions: chosen.flatMap((a) => atomList[a.j]!) } : null; // supersets add nothing new
    }
    for (let i = from; i < small.length; i++) {
      const a = small[i]!;
      if (size + a.size >= k) continue;
      chosen.push(a);
      const found = search(i + 1, size + a.size);
      chosen.pop();
      if (found) return found;
    }
    return null;
  };
  return search(0, 0);
}
