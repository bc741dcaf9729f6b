import {
  buildLagebild,
  type CheckFact,
  type Denominators,
  emptyMemory,
  type FigureMemory,
  isScored,
  type Lagebild,
  patternOfCells,
  type SuppressionPattern,
  sortCells,
  type YearFact,
} from './lagebild.js';
import { type DifferenceUnit, findSmallDifference, K_MIN } from './stats.js';

/**
 * Batched publication of the Lagebild (ADR 0006). Pure: the caller loads the previous release state and the
 * current facts, calls `releaseLagebild` on a schedule (not on every submission) and stores the returned state and
 * Lagebild.
 *
 * The problem: two snapshots that differ by one new check give that check away (its Land, size class and every
 * level, read off the differences). The rule: a change (a region added, re-submitted with different figures, or
 * removed) is only released when every published set it touches changes by 0 or at least k results, and the
 * suppression pattern only changes where that cannot be exploited against earlier releases:
 *
 * 1. Admission. All pending changes are tried; every check below that fails names the Land × size class cells
 *    involved, the changes in those cells are held back, and the checks run again (holding back only ever removes
 *    changes, so this ends — at the latest with the previous release). Changes of demo checks only are held back
 *    only when nothing else is left to hold back; changes that do not touch the Land / size-class tables (sector
 *    scores, Kreis, year, demo flag only) are always admitted — their figures are protected by the carry-over
 *    rule in lagebild.ts (`carry`).
 * 2. Pattern. The previous suppression marks stay (sticky); primary suppression and the cross-margin audit of
 *    `suppressAcrossMargins` add marks, with earlier residues that are unchanged since counted as known sums and
 *    earlier published figures that are unchanged since as "fixed" (suppressing them would hide nothing). A
 *    withheld group is published again only if the pattern without it still passes every check.
 * 3. History. Against every earlier release still holding a current result, for the Land and size-class tables:
 *    old Länder vs new Länder, old size classes vs new size classes, old Länder vs new size classes, old size
 *    classes vs new Länder, and the change of a union of Länder minus the change of a union of size classes —
 *    each searched with `findSmallDifference` over all unions (results that changed count in both, unchanged
 *    ones cancel). No difference of 1..k−1 results containing a real (non-demo) result may exist. Further, per
 *    margin: a block (a published group, or the residue as a set of groups) that did not exist in the earlier
 *    release needs ≥ k changed results since then — otherwise it stands in for something that release withheld;
 *    a block that existed then and no longer does must have changed by 0 or ≥ k; and a withheld group of ≥ k
 *    results changes only in batches of ≥ k (so that it can be shown again later).
 *
 * Limits (ADR 0006): the checks are exact for one release and for any pair of releases, but not for every
 * combination of three or more releases; the randomized test measures what remains.
 *
 * In the simple case — same pattern, changes in one Land × size class cell — this is the rule "a cell is released
 * when it has at least k pending changes"; the audit additionally lets small cells (a Land's only city over
 * 500,000) be released together with enough changes elsewhere, and it catches what a fixed cell rule misses:
 * a group that shrinks below k, a residue that a group leaves, several releases that add up to a small change.
 */

/** A released fact with the release numbers needed to tell which results changed since an earlier release. */
export interface ReleasedFact extends CheckFact {
  /** Release in which this version of the fact was admitted. */
  releasedSeq: number;
  /** Release since which its contribution to the Land / size-class tables (cell, score, level) is unchanged. */
  mainSeq: number;
}

/** What an earlier release published, as far as the history checks need it. */
export interface ReleaseRecord {
  seq: number;
  /** Länder and size classes published with figures; everything else formed the residue. */
  visible: { byState: string[]; bySize: string[] };
  /** "stateKey|sizeClass" → [scored results, of which not demo]. */
  cells: Record<string, [number, number]>;
}

/** The state to persist between releases (private: it holds single results). */
export interface ReleaseState {
  seq: number;
  releasedAt: string;
  facts: ReleasedFact[];
  pattern: SuppressionPattern;
  /** Earlier releases that still hold a current result (older ones are dropped). */
  history: ReleaseRecord[];
  memory: FigureMemory;
}

export interface ReleaseDecision {
  seq: number;
  /** The next released fact set (one per region). */
  facts: ReleasedFact[];
  /** Region keys whose change is released now. */
  admitted: string[];
  /** Changes held back: total and per Land × size class ("stateKey|sizeClass"), for an operator view. */
  pending: { total: number; byGroup: Record<string, number> };
  pattern: SuppressionPattern;
  history: ReleaseRecord[];
  /** Rounds in which changes were held back (diagnostics). */
  rounds: number;
}

interface Change {
  key: string;
  old: ReleasedFact | null;
  new: CheckFact | null;
  /** Touches the Land / size-class tables. */
  main: boolean;
  /** Old or new fact is a real (not demo) check. */
  real: boolean;
  /** Cells whose tables it touches. */
  cells: string[];
  group: string;
}

const cellOf = (f: CheckFact) => `${f.stateKey}|${f.sizeClass}`;
const mainSig = (f: CheckFact | null) =>
  f && isScored(f) ? JSON.stringify([f.stateKey, f.sizeClass, f.overall, f.level]) : null;

function sameFact(a: CheckFact, b: CheckFact): boolean {
  if (
    a.stateKey !== b.stateKey ||
    a.kreisKey !== b.kreisKey ||
    a.sizeClass !== b.sizeClass ||
    a.overall !== b.overall ||
    a.level !== b.level ||
    a.submittedYear !== b.submittedYear ||
    a.isDemo !== b.isDemo
  )
    return false;
  const ka = Object.keys(a.bySector);
  if (ka.length !== Object.keys(b.bySector).length) return false;
  return ka.every((s) => s in b.bySector && a.bySector[s] === b.bySector[s]);
}

function diff(previous: readonly ReleasedFact[], current: readonly CheckFact[]): Change[] {
  const old = new Map(previous.map((f) => [f.regionKey, f]));
  const now = new Map<string, CheckFact>();
  for (const f of current) {
    if (now.has(f.regionKey)) throw new RangeError(`more than one current fact for region ${f.regionKey}`);
    now.set(f.regionKey, f);
  }
  const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: Change[] = [];
  for (const key of keys) {
    const o = old.get(key) ?? null;
    const n = now.get(key) ?? null;
    if (o && n && sameFact(o, n)) continue;
    const main = mainSig(o) !== mainSig(n);
    const cells = new Set<string>();
    if (main) {
      if (o && isScored(o)) cells.add(cellOf(o));
      if (n && isScored(n)) cells.add(cellOf(n));
    }
    changes.push({
      key,
      old: o,
      new: n,
      main,
      real: (o !== null && !o.isDemo) || (n !== null && !n.isDemo),
      cells: [...cells],
      group: cellOf((n ?? o)!),
    });
  }
  return changes;
}

function apply(previous: readonly ReleasedFact[], admitted: readonly Change[], seq: number): ReleasedFact[] {
  const out = new Map(previous.map((f) => [f.regionKey, f]));
  for (const c of admitted) {
    if (!c.new) out.delete(c.key);
    else {
      const mainSeq = c.main || !c.old ? seq : c.old.mainSeq;
      out.set(c.key, { ...c.new, bySector: { ...c.new.bySector }, releasedSeq: seq, mainSeq });
    }
  }
  return [...out.values()].sort((a, b) => (a.regionKey < b.regionKey ? -1 : 1));
}

/** Per cell: results at an earlier release (a), now (n), and results in only one of the two (d). */
interface CellStat {
  cell: string;
  row: string;
  col: string;
  a: number;
  n: number;
  d: number;
  sensitive: boolean;
}

/** Scored results per cell and per release since which they are unchanged: cell → mainSeq → [results, real]. */
type Tally = Map<string, Map<number, [number, number]>>;

function tallyOf(facts: readonly ReleasedFact[]): Tally {
  const out: Tally = new Map();
  for (const f of facts) if (isScored(f)) bump(out, cellOf(f), f.mainSeq, f.isDemo, 1);
  return out;
}

function bump(t: Tally, cell: string, seq: number, demo: boolean, by: number): void {
  const bySeq = t.get(cell) ?? new Map<number, [number, number]>();
  const [n, real] = bySeq.get(seq) ?? [0, 0];
  if (n + by === 0) bySeq.delete(seq);
  else bySeq.set(seq, [n + by, real + (demo ? 0 : by)]);
  if (bySeq.size === 0) t.delete(cell);
  else t.set(cell, bySeq);
}

/** The tally after admitting `admitted` (copy on write; `base` is not changed). */
function withChanges(base: Tally, admitted: readonly Change[], seq: number): Tally {
  const out: Tally = new Map(base);
  const copied = new Set<string>();
  const own = (cell: string) => {
    if (!copied.has(cell)) {
      copied.add(cell);
      const m = base.get(cell);
      if (m) out.set(cell, new Map(m));
    }
  };
  for (const c of admitted) {
    if (!c.main) continue;
    if (c.old && isScored(c.old)) {
      own(cellOf(c.old));
      bump(out, cellOf(c.old), c.old.mainSeq, c.old.isDemo, -1);
    }
    if (c.new && isScored(c.new)) {
      own(cellOf(c.new));
      bump(out, cellOf(c.new), seq, c.new.isDemo, 1);
    }
  }
  return out;
}

function cellCounts(t: Tally): Map<string, [number, number]> {
  const out = new Map<string, [number, number]>();
  for (const [cell, bySeq] of t) {
    let n = 0;
    let real = 0;
    for (const [a, b] of bySeq.values()) {
      n += a;
      real += b;
    }
    out.set(cell, [n, real]);
  }
  return out;
}

function historyStats(t: Tally, history: readonly ReleaseRecord[]): Map<number, CellStat[]> {
  const now = cellCounts(t);
  const out = new Map<number, CellStat[]>();
  for (const rec of history) {
    const cells = [...new Set([...Object.keys(rec.cells), ...now.keys()])].sort();
    out.set(
      rec.seq,
      cells.map((cell) => {
        const [a, aReal] = rec.cells[cell] ?? [0, 0];
        const [n, nReal] = now.get(cell) ?? [0, 0];
        // Results present at rec and still present: unchanged since a release no later than rec.
        let u = 0;
        for (const [seq, [c]] of t.get(cell) ?? []) if (seq <= rec.seq) u += c;
        const [row, col] = cell.split('|') as [string, string];
        return { cell, row, col, a, n, d: a - u + (n - u), sensitive: aReal + nReal > 0 };
      }),
    );
  }
  return out;
}

function sumBy(stats: readonly CellStat[], key: 'row' | 'col'): CellStat[] {
  const out = new Map<string, CellStat>();
  for (const s of stats) {
    const g = out.get(s[key]);
    if (g) {
      g.a += s.a;
      g.n += s.n;
      g.d += s.d;
      g.sensitive ||= s.sensitive;
    } else out.set(s[key], { ...s, cell: s[key] });
  }
  return [...out.values()];
}

class UnionFind {
  private parent = new Map<string, string>();
  find(x: string): string {
    const p = this.parent.get(x);
    if (p === undefined || p === x) return x;
    const r = this.find(p);
    this.parent.set(x, r);
    return r;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // The smaller key becomes the root, so that roots do not depend on the order of unions.
    if (ra < rb) this.parent.set(rb, ra);
    else this.parent.set(ra, rb);
  }
}

interface Context {
  denominators: Denominators;
  previous: ReleaseState | null;
  k: number;
}

/** The history checks of one candidate release; returns the cells of a finding, or null. */
function checkHistory(
  pattern: SuppressionPattern,
  stats: Map<number, CellStat[]>,
  history: readonly ReleaseRecord[],
  ctx: Context,
): Set<string> | null {
  const visibleNow = {
    rows: new Set(Object.keys(ctx.denominators.byState).filter((s) => !(s in pattern.byState))),
    cols: new Set(Object.keys(ctx.denominators.bySize).filter((s) => !(s in pattern.bySize))),
  };
  // A release with fewer than k results in total published no result figure at all (not even the national one,
  // so not its residues either): nothing to combine with.
  const published = (cells: CellStat[], f: 'a' | 'n') => cells.reduce((t, c) => t + c[f], 0) >= ctx.k;
  for (const rec of history) {
    const cells = stats.get(rec.seq)!;
    if (!published(cells, 'n')) return null;
    if (!published(cells, 'a')) continue;
    const rows = sumBy(cells, 'row');
    const cols = sumBy(cells, 'col');
    const before = { rows: new Set(rec.visible.byState), cols: new Set(rec.visible.bySize) };
    const block = (vis: Set<string>, key: string) => (vis.has(key) ? `v:${key}` : 'R');
    const meet = { rows: new UnionFind(), cols: new UnionFind() };
    for (const [m, list] of [
      ['rows', rows],
      ['cols', cols],
    ] as const) {
      for (const s of list) {
        if (!before[m].has(s.cell)) meet[m].union('R:before', s.cell);
        if (!visibleNow[m].has(s.cell)) meet[m].union('R:now', s.cell);
      }
    }
    const weighted = (list: readonly CellStat[], x: (s: CellStat) => string, y: (s: CellStat) => string) =>
      list
        .filter((s) => s.a + s.n + s.d > 0)
        .map((s): DifferenceUnit & { stat: CellStat } => ({
          x: x(s),
          y: y(s),
          onlyX: s.a,
          onlyY: s.n,
          both: s.d,
          sensitive: s.sensitive,
          stat: s,
        }));
    const checks: { units: (DifferenceUnit & { stat: CellStat })[]; expand: 'row' | 'col' | 'cell' }[] = [
      // Länder then vs Länder now; size classes then vs now.
      {
        units: weighted(
          rows,
          (s) => block(before.rows, s.row),
          (s) => block(visibleNow.rows, s.row),
        ),
        expand: 'row',
      },
      {
        units: weighted(
          cols,
          (s) => block(before.cols, s.col),
          (s) => block(visibleNow.cols, s.col),
        ),
        expand: 'col',
      },
      // Länder then vs size classes now, size classes then vs Länder now.
      {
        units: weighted(
          cells,
          (s) => `L${block(before.rows, s.row)}`,
          (s) => `S${block(visibleNow.cols, s.col)}`,
        ),
        expand: 'cell',
      },
      {
        units: weighted(
          cells,
          (s) => `S${block(before.cols, s.col)}`,
          (s) => `L${block(visibleNow.rows, s.row)}`,
        ),
        expand: 'cell',
      },
      // Change of a union of Länder minus change of a union of size classes (unions valid in both releases).
      {
        units: cells
          .filter((s) => s.d > 0)
          .map((s) => ({
            x: meet.rows.find(s.row),
            y: meet.cols.find(s.col),
            onlyX: s.d,
            onlyY: s.d,
            both: 0,
            sensitive: s.sensitive,
            stat: s,
          })),
        expand: 'cell',
      },
    ];
    // A block (a published group, or the residue as a set) that exists in only one of the two releases must not be
    // a stand-in for something the other release withheld: a new block needs ≥ k changed results since, a block
    // that ceased to exist 0 or ≥ k. And a withheld group that is not small changes in batches of ≥ k, so that it
    // can be shown again later.
    const last = rec === history[history.length - 1];
    for (const [m, list, key] of [
      ['rows', rows, 'row'],
      ['cols', cols, 'col'],
    ] as const) {
      const blocks = (vis: Set<string>) => {
        const out = new Map<string, CellStat[]>();
        for (const u of list) {
          const id = vis.has(u.cell) ? `v:${u.cell}` : 'R';
          out.set(id, [...(out.get(id) ?? []), u]);
        }
        return new Map([...out.values()].map((us) => [us.map((u) => u.cell).join(','), us]));
      };
      const then = blocks(before[m]);
      const now = blocks(visibleNow[m]);
      const total = (us: CellStat[], f: 'a' | 'n' | 'd') => us.reduce((x, u) => x + u[f], 0);
      const hit = (us: CellStat[]) =>
        new Set(cells.filter((c) => us.some((u) => u.cell === c[key])).map((c) => c.cell));
      for (const [id, us] of now) {
        if (then.has(id) || !us.some((u) => u.sensitive) || total(us, 'n') === 0) continue;
        if (total(us, 'd') < ctx.k) return hit(us);
      }
      for (const [id, us] of then) {
        if (now.has(id) || !us.some((u) => u.sensitive) || total(us, 'a') === 0) continue;
        const d = total(us, 'd');
        if (d > 0 && d < ctx.k) return hit(us);
      }
      if (last) {
        for (const u of list) {
          const withheld = !visibleNow[m].has(u.cell);
          if (u.sensitive && withheld && (u.n >= ctx.k || u.a >= ctx.k) && u.d > 0 && u.d < ctx.k) return hit([u]);
        }
      }
    }
    for (const check of checks) {
      const w = findSmallDifference(check.units, ctx.k);
      if (!w) continue;
      const hit = new Set<string>();
      for (const i of w.units) {
        const s = check.units[i]!.stat;
        for (const c of cells) {
          if (check.expand === 'cell' ? c.cell === s.cell : c[check.expand] === s.cell) hit.add(c.cell);
        }
      }
      return hit;
    }
  }
  return null;
}

const patternKeys = (p: SuppressionPattern) => ({ rows: Object.keys(p.byState), cols: Object.keys(p.bySize) });
const sameKeys = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

function marginCells(t: Tally) {
  return sortCells(
    [...cellCounts(t)].map(([cell, [n]]) => {
      const [row, col] = cell.split('|') as [string, string];
      return { row, col, n };
    }),
  );
}

/** Decides the pattern for a candidate release, or returns the cells of a finding that holds changes back. */
function evaluate(
  tally: Tally,
  history: readonly ReleaseRecord[],
  ctx: Context,
): { pattern: SuppressionPattern } | { cells: Set<string> } {
  const stats = historyStats(tally, history);
  const cells = marginCells(tally);
  const known: { rows: string[][]; cols: string[][] } = { rows: [], cols: [] };
  const fixed: { rows: string[]; cols: string[] } = { rows: [], cols: [] };
  for (const rec of history) {
    const cells = stats.get(rec.seq)!;
    if (cells.reduce((t, c) => t + c.a, 0) < ctx.k) continue; // published nothing
    for (const [m, key, vis] of [
      ['rows', 'row', new Set(rec.visible.byState)],
      ['cols', 'col', new Set(rec.visible.bySize)],
    ] as const) {
      const units = sumBy(cells, key);
      const residue = units.filter((u) => !vis.has(u.cell));
      if (residue.length > 0 && residue.every((u) => u.d === 0)) known[m].push(residue.map((u) => u.cell));
      for (const u of units) if (vis.has(u.cell) && u.d === 0 && u.a > 0) fixed[m].push(u.cell);
    }
  }
  const initial = ctx.previous ? patternKeys(ctx.previous.pattern) : { rows: [], cols: [] };
  const audit = { initial, known, fixed };
  let best = patternOfCells(cells, ctx.denominators, audit);
  if (best.unresolved) {
    const w = best.unresolved;
    return { cells: new Set(w.units.map((i) => `${cells[i]!.row}|${cells[i]!.col}`)) };
  }
  const finding = checkHistory(best.pattern, stats, history, ctx);
  if (finding) return { cells: finding };
  if (ctx.previous) {
    // Publish withheld groups again where that is safe (only those the pattern from scratch would show).
    const scratch = patternOfCells(cells, ctx.denominators).pattern;
    const candidates = [
      ...Object.entries(best.pattern.byState)
        .filter(([s, why]) => why === 'complementary' && !(s in scratch.byState))
        .map(([s]) => ['rows', s] as const),
      ...Object.entries(best.pattern.bySize)
        .filter(([s, why]) => why === 'complementary' && !(s in scratch.bySize))
        .map(([s]) => ['cols', s] as const),
    ].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));
    for (const [m, key] of candidates) {
      const keys = patternKeys(best.pattern);
      const trialInitial = { ...keys, [m]: keys[m].filter((s) => s !== key) };
      const trial = patternOfCells(cells, ctx.denominators, { ...audit, initial: trialInitial });
      const got = patternKeys(trial.pattern);
      if (trial.unresolved || !sameKeys(got.rows, trialInitial.rows) || !sameKeys(got.cols, trialInitial.cols))
        continue;
      if (checkHistory(trial.pattern, stats, history, ctx)) continue;
      best = trial;
    }
  }
  return { pattern: best.pattern };
}

function record(seq: number, tally: Tally, pattern: SuppressionPattern, d: Denominators) {
  return {
    seq,
    visible: {
      byState: Object.keys(d.byState).filter((s) => !(s in pattern.byState)),
      bySize: Object.keys(d.bySize).filter((s) => !(s in pattern.bySize)),
    },
    cells: Object.fromEntries([...cellCounts(tally)].sort(([a], [b]) => (a < b ? -1 : 1))),
  } satisfies ReleaseRecord;
}

/**
 * Decides the next release: which pending changes are admitted, the released facts and suppression pattern, and
 * the history to keep. `previous` is null before the first release (then everything current is released, subject
 * to the within-release audit only). Deterministic.
 */
export function nextRelease(
  previous: ReleaseState | null,
  current: readonly CheckFact[],
  denominators: Denominators,
): ReleaseDecision {
  const k = K_MIN;
  const seq = (previous?.seq ?? 0) + 1;
  const before = previous?.facts ?? [];
  const history = previous?.history ?? [];
  const ctx: Context = { denominators, previous, k };
  const changes = diff(before, current);
  const tiers = [changes.filter((c) => c.main && c.real), changes.filter((c) => c.main && !c.real)];
  const held = new Set<string>();
  const base = tallyOf(before);
  for (let rounds = 0; ; rounds++) {
    const admitted = changes.filter((c) => !held.has(c.key));
    const tally = withChanges(base, admitted, seq);
    const result = evaluate(tally, history, ctx);
    if ('pattern' in result) {
      const facts = apply(before, admitted, seq);
      const pending = changes.filter((c) => held.has(c.key));
      const byGroup: Record<string, number> = {};
      for (const c of pending) byGroup[c.group] = (byGroup[c.group] ?? 0) + 1;
      // A release that changed neither the tables nor the pattern publishes nothing new: no record needed.
      const rec = record(seq, tally, result.pattern, denominators);
      const last = history[history.length - 1];
      const same =
        last !== undefined &&
        !admitted.some((c) => c.main) &&
        JSON.stringify(last.visible) === JSON.stringify(rec.visible);
      const next = same ? [...history] : [...history, rec];
      let oldest = seq;
      for (const f of facts) if (isScored(f) && f.mainSeq < oldest) oldest = f.mainSeq;
      return {
        seq,
        facts,
        admitted: admitted.map((c) => c.key),
        pending: { total: pending.length, byGroup },
        pattern: result.pattern,
        history: next.filter((r) => r.seq >= oldest),
        rounds,
      };
    }
    const open = (tier: Change[]) => tier.filter((c) => !held.has(c.key));
    const touching = (tier: Change[]) => open(tier).filter((c) => c.cells.some((x) => result.cells.has(x)));
    const hold = [touching(tiers[0]!), touching(tiers[1]!), open(tiers[0]!), open(tiers[1]!)].find((l) => l.length);
    if (!hold) {
      // Unreachable: with every table change held back the facts are those of the previous release, which passed
      // every check. Fail loudly rather than publish an unchecked state; the caller keeps the previous release.
      throw new Error('lagebild release: no admissible state found');
    }
    for (const c of hold) held.add(c.key);
  }
}

/**
 * One scheduled release: decides the admitted changes (`nextRelease`) and computes the Lagebild from the released
 * facts, with the suppression pattern of the release and the carried figures of the previous one. Store `state`
 * (privately) and publish `lagebild`; the next call gets `state` as `previous`.
 */
export function releaseLagebild(
  previous: ReleaseState | null,
  current: readonly CheckFact[],
  denominators: Denominators,
  options: { now?: Date; yearFacts?: readonly YearFact[] } = {},
): { lagebild: Lagebild; state: ReleaseState; admitted: string[]; pending: ReleaseDecision['pending'] } {
  const now = options.now ?? new Date();
  const d = nextRelease(previous, current, denominators);
  const releasedAt = now.toISOString();
  const { lagebild, memory } = buildLagebild(d.facts, denominators, now, {
    pattern: d.pattern,
    memory: previous?.memory ?? emptyMemory(),
    ...(options.yearFacts ? { yearFacts: options.yearFacts } : {}),
    release: { seq: d.seq, releasedAt, pending: d.pending.total },
  });
  return {
    lagebild,
    state: { seq: d.seq, releasedAt, facts: d.facts, pattern: d.pattern, history: d.history, memory },
    admitted: d.admitted,
    pending: d.pending,
  };
}
