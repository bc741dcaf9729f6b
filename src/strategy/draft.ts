/**
 * The draft strategy, made from a submitted Digitalcheck without any input (docs/strategy.md explains the rules
 * with a worked example):
 *
 * 1. Goals. Per dimension the target level in three years: one level above today, or the level of the upper
 *    quartile of comparable municipalities when that is higher — at most two levels above today, at most 4.
 * 2. Priorities. For every question below its dimension's target, the gap is `target − level`; a measure gains
 *    `min(toLevel, target) − level` on each question it raises. Priority = Σ (gap × gain) ÷ effort (the
 *    midpoint of its person-days). Only measures that suit the size class and kind count, and only with a
 *    priority above 0 (a measure whose questions are already at its level is done).
 * 3. Selection. Highest priority first, each with its prerequisites (those not already reached by the answers);
 *    a measure whose prerequisites do not suit the municipality is left out. A measure is taken only when it and
 *    its prerequisites fit the capacity within three years (schedule.ts); at most `MAX_ITEMS` measures.
 * 4. Order and schedule. Prerequisites first (topological order, stable by priority), each at its earliest fit.
 * Every goal and measure carries its reason in one sentence (`Reason`, rendered by plan.ts `explain`).
 */
import type { MaturityModel, RegionKind, SizeClass } from '../assessment/index.js';
import { levelForScore } from '../assessment/index.js';
import { type Measure, type MeasureCatalogue, topologicalOrder } from './measures.js';
import {
  type Capacity,
  DEFAULT_CAPACITY,
  type Goal,
  type PlanItem,
  type Reason,
  type StrategyContent,
} from './plan.js';
import { earliestFit, Load, plannedDuration } from './schedule.js';

/** A draft has at most this many measures: more would not be carried out by a small team in three years. */
export const MAX_ITEMS = 15;
/** Goals are at most this many levels above today. */
export const MAX_STEP = 2;

/** What comparable municipalities reached (only groups with at least 5 others; see assessment `peerProfile`). */
export interface PeerLevels {
  /** Dimension id → upper quartile of the peers' dimension scores (0–100). */
  dimensionQ3: Readonly<Record<string, number>>;
  /** Question id → median answer level of the peers. */
  questionMedian: Readonly<Record<string, number>>;
}

export interface DraftInput {
  model: Pick<MaturityModel, 'version' | 'dimensions' | 'questions'>;
  catalogue: MeasureCatalogue;
  /** Ids of the questions that applied to the check. */
  questionIds: readonly string[];
  /** Question id → answered level; null or absent: not applicable or not answered (no gap is counted). */
  levels: ReadonlyMap<string, number | null>;
  /** Dimension id → score 0–100 (null: nothing answered). */
  dimensionScores: Readonly<Record<string, number | null>>;
  peers: PeerLevels | null;
  sizeClass: SizeClass;
  kind: RegionKind;
  capacity?: Capacity;
  /** First month of the strategy, "YYYY-MM". */
  startMonth: string;
}

// ---------------------------------------------------------------------------------------------
// Goals

export function deriveGoals(input: Pick<DraftInput, 'model' | 'dimensionScores' | 'peers'>): Goal[] {
  const goals: Goal[] = [];
  for (const d of input.model.dimensions) {
    const score = input.dimensionScores[d.id];
    if (score === null || score === undefined) continue;
    const current = levelForScore(score);
    const q3 = input.peers?.dimensionQ3[d.id];
    const peerLevel = q3 === undefined ? null : levelForScore(q3);
    let target: number;
    let reason: Reason;
    if (current >= 4) {
      target = 4;
      reason = { key: 'strategy.reason.goal.keep', params: {} };
    } else if (peerLevel !== null && peerLevel > current + 1) {
      target = Math.min(4, current + MAX_STEP, peerLevel);
      reason =
        target === peerLevel
          ? { key: 'strategy.reason.goal.peers', params: { level: current, peerLevel } }
          : { key: 'strategy.reason.goal.peersCapped', params: { level: current, peerLevel, step: MAX_STEP } };
    } else if (peerLevel !== null) {
      target = current + 1;
      reason = { key: 'strategy.reason.goal.aheadOfPeers', params: { level: current, peerLevel } };
    } else {
      target = current + 1;
      reason = { key: 'strategy.reason.goal.next', params: { level: current } };
    }
    goals.push({ dimension: d.id, currentScore: score, currentLevel: current, targetLevel: target, reason });
  }
  return goals;
}

// ---------------------------------------------------------------------------------------------
// Priorities

export interface Priority {
  measure: Measure;
  priority: number;
  /** The question that contributes most (for the reason), with the numbers of the reason. */
  top: { question: string; level: number; target: number; gain: number } | null;
}

/** The midpoint of a measure's effort in person-days (at least half a day, so nothing divides by zero). */
export const effortOf = (m: Pick<Measure, 'effortDays'>) => Math.max(0.5, (m.effortDays.min + m.effortDays.max) / 2);

/** Whether a measure suits a municipality of this size class and kind. */
export const suits = (m: Pick<Measure, 'sizes' | 'types'>, sizeClass: SizeClass, kind: RegionKind) =>
  m.sizes.includes(sizeClass) && m.types.includes(kind);

/** Question id → target level (its dimension's goal), for the questions that applied and were answered. */
export function questionTargets(
  input: Pick<DraftInput, 'model' | 'questionIds' | 'levels'>,
  goals: readonly Goal[],
): Map<string, number> {
  const byDimension = new Map(goals.map((g) => [g.dimension, g.targetLevel]));
  const applicable = new Set(input.questionIds);
  const out = new Map<string, number>();
  for (const q of input.model.questions) {
    const target = byDimension.get(q.dimension);
    if (!applicable.has(q.id) || target === undefined) continue;
    out.set(q.id, target);
  }
  return out;
}

/** gap × gain ÷ effort for one measure (see the file's comment). */
export function priorityOf(
  m: Measure,
  levels: ReadonlyMap<string, number | null>,
  targets: ReadonlyMap<string, number>,
): Priority {
  let sum = 0;
  let top: Priority['top'] = null;
  let topValue = 0;
  for (const r of m.raises) {
    const level = levels.get(r.question);
    const target = targets.get(r.question);
    if (level === null || level === undefined || target === undefined) continue;
    const gap = Math.max(0, target - level);
    const gain = Math.max(0, Math.min(r.toLevel, target) - level);
    const value = gap * gain;
    sum += value;
    if (value > topValue) {
      topValue = value;
      top = { question: r.question, level, target, gain };
    }
  }
  return { measure: m, priority: sum / effortOf(m), top };
}

/** Whether the answers already reach what a measure brings (every question it raises answered at its level). */
export function reached(m: Measure, levels: ReadonlyMap<string, number | null>): boolean {
  if (m.raises.length === 0) return false;
  return m.raises.every((r) => {
    const level = levels.get(r.question);
    return level !== null && level !== undefined && level >= r.toLevel;
  });
}

// ---------------------------------------------------------------------------------------------
// The draft

/** A plan item for a catalogue measure with the catalogue's midpoints, stretched to the staff capacity. */
export function itemFor(m: Measure, capacity: Capacity, reason: Reason, startMonth = 0): PlanItem {
  const effortDays = Math.round(effortOf(m) * 2) / 2;
  return {
    measureId: m.id,
    startMonth,
    durationMonths: plannedDuration((m.durationMonths.min + m.durationMonths.max) / 2, effortDays, capacity),
    effortDays,
    costOneOff: Math.round((m.costOneOff.min + m.costOneOff.max) / 2),
    costPerYear: Math.round((m.costPerYear.min + m.costPerYear.max) / 2),
    owner: '',
    status: 'planned',
    note: '',
    actualStart: null,
    actualEnd: null,
    reason,
  };
}

function measureReason(p: Priority, peers: PeerLevels | null): Reason {
  if (!p.top) return { key: 'strategy.reason.measure.general', params: {} };
  const median = peers?.questionMedian[p.top.question];
  if (median !== undefined && median > p.top.level) {
    return {
      key: 'strategy.reason.measure.peers',
      params: { question: p.top.question, level: p.top.level, median: Math.round(median * 10) / 10 },
    };
  }
  return {
    key: 'strategy.reason.measure.goal',
    params: { question: p.top.question, level: p.top.level, target: p.top.target },
  };
}

/** Schedule `items` (in prerequisite order) at their earliest fits; null when one does not fit. */
export function scheduleAll(
  load: Load,
  items: PlanItem[],
  byId: ReadonlyMap<string, Measure>,
  placed: Map<string, PlanItem>,
) {
  const trial: PlanItem[] = [];
  const ends = new Map<string, number>();
  for (const item of items) {
    const prereqs = byId.get(item.measureId)?.prerequisites ?? [];
    let earliest = 0;
    for (const p of prereqs) {
      const end = ends.get(p) ?? (placed.get(p) ? placed.get(p)!.startMonth + placed.get(p)!.durationMonths : 0);
      earliest = Math.max(earliest, end);
    }
    const start = earliestFit(load, item, earliest);
    if (start === null) {
      return null;
    }
    const scheduled = { ...item, startMonth: start };
    load.add(scheduled);
    ends.set(item.measureId, start + item.durationMonths);
    trial.push(scheduled);
  }
  return trial;
}

/** Copy a load (to try a candidate without committing it). */
function cloneLoad(load: Load): Load {
  const c = new Load(load.capacity);
  c.staff.set(load.staff);
  c.budget.set(load.budget);
  return c;
}

/** The complete draft: goals, measures with reasons, scheduled within the capacity. */
export function draftStrategy(input: DraftInput): StrategyContent {
  const capacity = input.capacity ?? DEFAULT_CAPACITY[input.sizeClass];
  const goals = deriveGoals(input);
  const targets = questionTargets(input, goals);
  const byId = new Map(input.catalogue.measures.map((m) => [m.id, m]));
  const ranked = input.catalogue.measures
    .filter((m) => suits(m, input.sizeClass, input.kind))
    .map((m) => priorityOf(m, input.levels, targets))
    .filter((p) => p.priority > 0)
    .sort((a, b) => b.priority - a.priority || a.measure.id.localeCompare(b.measure.id));

  let load = new Load(capacity);
  const placed = new Map<string, PlanItem>();
  const rank = new Map<string, number>();
  for (const p of ranked) {
    if (placed.size >= MAX_ITEMS) break;
    if (placed.has(p.measure.id)) continue;
    // The prerequisites still to do, transitively, skipping those the answers already reach.
    const needed: Measure[] = [];
    const seen = new Set<string>();
    let unsuitable = false;
    const visit = (id: string, parent: string) => {
      if (seen.has(id) || placed.has(id)) return;
      seen.add(id);
      const m = byId.get(id);
      if (!m) return;
      if (id !== p.measure.id && reached(m, input.levels)) return;
      if (!suits(m, input.sizeClass, input.kind)) unsuitable = true;
      for (const pre of m.prerequisites) visit(pre, id);
      needed.push(m);
      if (id !== p.measure.id) parentOf.set(id, parent);
    };
    const parentOf = new Map<string, string>();
    visit(p.measure.id, p.measure.id);
    if (unsuitable || placed.size + needed.length > MAX_ITEMS) continue;
    const reasonOf = (m: Measure): Reason =>
      m.id === p.measure.id
        ? measureReason(p, input.peers)
        : { key: 'strategy.reason.measure.prerequisite', params: { measure: parentOf.get(m.id) ?? p.measure.id } };
    const items = topologicalOrder(needed).map((m) => itemFor(m, capacity, reasonOf(m)));
    const trialLoad = cloneLoad(load);
    const scheduled = scheduleAll(trialLoad, items, byId, placed);
    if (!scheduled) continue;
    load = trialLoad;
    for (const item of scheduled) {
      placed.set(item.measureId, item);
      rank.set(item.measureId, rank.size);
    }
  }
  // Prerequisites first, then by start month, then by priority.
  const ordered = [...placed.values()].sort(
    (a, b) => a.startMonth - b.startMonth || (rank.get(a.measureId) ?? 0) - (rank.get(b.measureId) ?? 0),
  );
  return {
    title: '',
    vision: '',
    startMonth: input.startMonth,
    capacity,
    governance: { steering: '', reportingCycle: 'halfyearly' },
    goals,
    items: ordered,
    catalogueVersion: input.catalogue.version,
    modelVersion: input.model.version,
  };
}
