/**
 * Scheduling measures within a municipality's capacity, and the plan's staff and budget per year against it.
 *
 * The model (documented in docs/strategy.md):
 * - A measure's internal effort is spread evenly over its months; in no month may the planned measures need
 *   more staff days than the capacity's `staffDaysPerMonth`. A measure that needs more per month than there is
 *   is stretched: its duration becomes at least ⌈effort ÷ staff days per month⌉.
 * - One-off costs fall into the strategy year in which the measure starts; running costs (per year) into every
 *   strategy year from the one in which it starts. In no strategy year may the budget exceed `budgetPerYear`.
 * - A measure starts at the earliest month after all its planned prerequisites have ended at which it fits, and
 *   must end within the three-year horizon.
 */
import { addMonths, type Capacity, type CapacityReport, HORIZON_MONTHS, type PlanItem, type Reason } from './plan.js';

const YEARS = HORIZON_MONTHS / 12;

/** The load of a plan: staff days per month and budget per strategy year. */
export class Load {
  readonly staff = new Float64Array(HORIZON_MONTHS);
  readonly budget = new Float64Array(YEARS);

  constructor(readonly capacity: Capacity) {}

  /** Whether `item`, starting at `start`, fits beside what is planned (within a rounding tolerance). */
  fits(item: Pick<PlanItem, 'durationMonths' | 'effortDays' | 'costOneOff' | 'costPerYear'>, start: number): boolean {
    const end = start + item.durationMonths;
    if (start < 0 || end > HORIZON_MONTHS) return false;
    const perMonth = item.effortDays / item.durationMonths;
    for (let m = start; m < end; m++) {
      if (this.staff[m]! + perMonth > this.capacity.staffDaysPerMonth + 1e-9) return false;
    }
    const firstYear = Math.floor(start / 12);
    for (let y = firstYear; y < YEARS; y++) {
      const cost = item.costPerYear + (y === firstYear ? item.costOneOff : 0);
      if (this.budget[y]! + cost > this.capacity.budgetPerYear + 1e-9) return false;
    }
    return true;
  }

  add(item: Pick<PlanItem, 'startMonth' | 'durationMonths' | 'effortDays' | 'costOneOff' | 'costPerYear'>): void {
    const start = Math.max(0, item.startMonth);
    const perMonth = item.effortDays / Math.max(1, item.durationMonths);
    for (let m = start; m < Math.min(HORIZON_MONTHS, start + item.durationMonths); m++) this.staff[m]! += perMonth;
    const firstYear = Math.floor(start / 12);
    for (let y = firstYear; y < YEARS; y++) {
      this.budget[y]! += item.costPerYear + (y === firstYear ? item.costOneOff : 0);
    }
  }
}

/** The duration a measure is planned with: the catalogue's, stretched so that its effort fits the staff per month. */
export function plannedDuration(durationMonths: number, effortDays: number, capacity: Capacity): number {
  const perMonth = Math.max(capacity.staffDaysPerMonth, 0.1);
  return Math.max(1, Math.round(durationMonths), Math.ceil(effortDays / perMonth - 1e-9));
}

/** The earliest start at or after `earliest` at which `item` fits, or null when it does not fit the horizon. */
export function earliestFit(
  load: Load,
  item: Pick<PlanItem, 'durationMonths' | 'effortDays' | 'costOneOff' | 'costPerYear'>,
  earliest: number,
): number | null {
  for (let s = Math.max(0, earliest); s + item.durationMonths <= HORIZON_MONTHS; s++) {
    if (load.fits(item, s)) return s;
  }
  return null;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Staff days and budget per strategy year against the capacity, totals, and warnings in words where the plan
 * (as the team edited it) exceeds the capacity or the horizon. Dropped measures do not count.
 */
export function capacityReport(
  items: readonly PlanItem[],
  capacity: Capacity,
  startMonth: string,
  measureIds: ReadonlySet<string> = new Set(items.map((i) => i.measureId)),
): CapacityReport {
  const load = new Load(capacity);
  const active = items.filter((i) => i.status !== 'dropped' && measureIds.has(i.measureId));
  const warnings: Reason[] = [];
  let costOneOff = 0;
  let costRunning = 0;
  for (const item of active) {
    load.add(item);
    costOneOff += item.costOneOff;
    costRunning += item.costPerYear * Math.max(0, YEARS - Math.floor(Math.max(0, item.startMonth) / 12));
    if (item.startMonth + item.durationMonths > HORIZON_MONTHS) {
      warnings.push({
        key: 'strategy.warn.horizon',
        params: { measure: item.measureId, end: addMonths(startMonth, item.startMonth + item.durationMonths - 1) },
      });
    }
  }
  const startYear = Number(startMonth.slice(0, 4));
  const startMonthIndex = Number(startMonth.slice(5, 7)) - 1;
  const years = Array.from({ length: YEARS }, (_, y) => {
    let staffDays = 0;
    let peak = 0;
    let peakMonth = y * 12;
    for (let m = y * 12; m < y * 12 + 12; m++) {
      staffDays += load.staff[m]!;
      if (load.staff[m]! > peak + 1e-9) {
        peak = load.staff[m]!;
        peakMonth = m;
      }
    }
    const year = {
      year: y + 1,
      calendarYear: startYear + Math.floor((startMonthIndex + y * 12) / 12),
      staffDays: round(staffDays),
      staffCapacity: round(capacity.staffDaysPerMonth * 12),
      budget: Math.round(load.budget[y]!),
      budgetCapacity: Math.round(capacity.budgetPerYear),
    };
    if (peak > capacity.staffDaysPerMonth + 1e-9) {
      warnings.push({
        key: 'strategy.warn.staff',
        params: {
          month: addMonths(startMonth, peakMonth),
          planned: round(peak),
          capacity: round(capacity.staffDaysPerMonth),
        },
      });
    }
    if (load.budget[y]! > capacity.budgetPerYear + 1e-9) {
      warnings.push({
        key: 'strategy.warn.budget',
        params: { year: y + 1, planned: Math.round(load.budget[y]!), capacity: Math.round(capacity.budgetPerYear) },
      });
    }
    return year;
  });
  const staffDays = round(active.reduce((s, i) => s + i.effortDays, 0));
  return {
    years,
    warnings,
    totals: {
      staffDays,
      costOneOff: Math.round(costOneOff),
      costRunning: Math.round(costRunning),
      budget: Math.round(costOneOff + costRunning),
    },
  };
}
