/**
 * The content of a digital strategy: goals per dimension, the planned measures with their schedule, the
 * capacity it is planned against, governance. Stored as one JSON document per strategy revision
 * (strategy.repository.ts); produced by the draft (draft.ts), changed by the team's edits (strategy.service.ts),
 * rendered by the pages, the roadmap (roadmap.tsx) and the council document (document/).
 *
 * Explanations are stored language-independent (`Reason`: a message key with ids and numbers as parameters)
 * and rendered in the reader's language by `explain`.
 */
import type { LocalizedText, MaturityModel, SizeClass } from '../assessment/index.js';
import { formatNumber, type Lang, type MessageKey, type Translate } from '../platform/i18n/i18n.js';
import type { MeasureCatalogue } from './measures.js';

/** The horizon of a strategy: three years, in months from its start. */
export const HORIZON_MONTHS = 36;

/** The roadmap's phases: months [from, to) from the start of the strategy. */
export const PHASES = [
  { id: 1, from: 0, to: 6 },
  { id: 2, from: 6, to: 18 },
  { id: 3, from: 18, to: 36 },
] as const;
export type PhaseId = (typeof PHASES)[number]['id'];

/** The phase a measure starting in month `startMonth` (0-based) belongs to. */
export function phaseOf(startMonth: number): PhaseId {
  for (const p of PHASES) if (startMonth < p.to) return p.id;
  return 3;
}

export const MEASURE_STATUSES = ['planned', 'in_progress', 'done', 'dropped'] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

export const REPORTING_CYCLES = ['quarterly', 'halfyearly', 'yearly'] as const;
export type ReportingCycle = (typeof REPORTING_CYCLES)[number];

/**
 * Why a goal or a measure is what it is, in one sentence: a message key of the strategy module and its
 * parameters. Parameters named `question`, `dimension`, `measure` hold ids and are rendered as the question's
 * text, the dimension's or the measure's name in the reader's language; the others are numbers or plain text.
 */
export interface Reason {
  key: MessageKey;
  params: Record<string, string | number>;
}

/** The municipality's capacity the plan is scheduled within. */
export interface Capacity {
  /** Internal staff days per month available for the strategy's measures. */
  staffDaysPerMonth: number;
  /** External budget per year in EUR (one-off and running costs together). */
  budgetPerYear: number;
}

/** A goal: the level a dimension of the maturity model shall reach within the strategy's three years. */
export interface Goal {
  dimension: string;
  /** The dimension's score (0–100) and level (0–4) in the check the strategy starts from. */
  currentScore: number | null;
  currentLevel: number | null;
  /** 0–4. */
  targetLevel: number;
  reason: Reason;
}

/** A measure of the catalogue as planned by the municipality. */
export interface PlanItem {
  measureId: string;
  /** Month of the start, 0-based from the strategy's start month. */
  startMonth: number;
  durationMonths: number;
  /** Internal effort in person-days, external cost in EUR (planned values; the draft takes the catalogue's midpoints). */
  effortDays: number;
  costOneOff: number;
  costPerYear: number;
  /** Who is responsible (free text, e.g. "Hauptamt, Frau Beispiel"); empty until someone is named. */
  owner: string;
  status: MeasureStatus;
  /** Progress notes. */
  note: string;
  /** Actual start and end, "YYYY-MM" (implementation tracking). */
  actualStart: string | null;
  actualEnd: string | null;
  reason: Reason;
  /** Added by the team rather than by the draft. */
  addedByTeam?: boolean;
}

export interface StrategyContent {
  /** Title of the strategy; empty: "Digitalstrategie <Name>". */
  title: string;
  /** The vision in the municipality's own words; empty: the generated vision text is used. */
  vision: string;
  /** First month of the strategy, "YYYY-MM". */
  startMonth: string;
  capacity: Capacity;
  governance: {
    /** Who steers (free text); empty: the generated text (mayor and digital officer, steering group). */
    steering: string;
    reportingCycle: ReportingCycle;
  };
  goals: Goal[];
  /** In the team's order (the roadmap sorts by start month, then by this order). */
  items: PlanItem[];
  /** The catalogue and maturity-model versions the ids refer to. */
  catalogueVersion: string;
  modelVersion: string;
}

/** Staff and budget of one year of the plan against the capacity. */
export interface CapacityYear {
  /** 1–3: the strategy's year (months 0–11, 12–23, 24–35). */
  year: number;
  /** Calendar year in which the strategy year starts. */
  calendarYear: number;
  staffDays: number;
  staffCapacity: number;
  budget: number;
  budgetCapacity: number;
}

export interface CapacityReport {
  years: CapacityYear[];
  /** The plan exceeds the capacity in some month or year, in words (see `explain`). */
  warnings: Reason[];
  totals: { staffDays: number; costOneOff: number; costRunning: number; budget: number };
}

/** Default capacity per size class: a small Gemeinde has about half a day a week for digitalisation. */
export const DEFAULT_CAPACITY: Readonly<Record<SizeClass, Capacity>> = {
  '<2000': { staffDaysPerMonth: 2, budgetPerYear: 15_000 },
  '2000-5000': { staffDaysPerMonth: 3, budgetPerYear: 30_000 },
  '5000-20000': { staffDaysPerMonth: 6, budgetPerYear: 60_000 },
  '20000-100000': { staffDaysPerMonth: 20, budgetPerYear: 250_000 },
  '100000-500000': { staffDaysPerMonth: 60, budgetPerYear: 1_000_000 },
  '>500000': { staffDaysPerMonth: 150, budgetPerYear: 4_000_000 },
};

/** What `explain` needs to turn ids into names. */
export interface ExplainContext {
  t: Translate;
  lang: Lang;
  model: Pick<MaturityModel, 'dimensions' | 'questions'>;
  catalogue: Pick<MeasureCatalogue, 'measures'>;
}

const pick = (text: LocalizedText | undefined, lang: Lang, fallback: string) => (text ? text[lang] : fallback);

/** A reason as a sentence in the reader's language. */
export function explain(reason: Reason, c: ExplainContext): string {
  const params: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(reason.params)) {
    const id = String(value);
    if (name === 'question' || name.startsWith('question')) {
      params[name] = pick(c.model.questions.find((q) => q.id === id)?.text, c.lang, id);
    } else if (name === 'dimension' || name.startsWith('dimension')) {
      params[name] = pick(c.model.dimensions.find((d) => d.id === id)?.name, c.lang, id);
    } else if (name === 'measure' || name.startsWith('measure')) {
      params[name] = pick(c.catalogue.measures.find((m) => m.id === id)?.title, c.lang, id);
    } else if (name.startsWith('status') && (MEASURE_STATUSES as readonly string[]).includes(id)) {
      params[name] = c.t(`strategy.status.${id as MeasureStatus}`);
    } else if (typeof value === 'number') {
      params[name] = formatNumber(c.lang, value, Number.isInteger(value) ? 0 : 1);
    } else if (/^\d{4}-\d{2}$/.test(value)) {
      params[name] = formatMonth(value);
    } else {
      params[name] = value;
    }
  }
  return c.t(reason.key, params);
}

/** The items in roadmap order: by start month, then by the team's order. */
export function roadmapOrder(items: readonly PlanItem[]): PlanItem[] {
  return items
    .map((item, i) => ({ item, i }))
    .filter(({ item }) => item.status !== 'dropped')
    .sort((a, b) => a.item.startMonth - b.item.startMonth || a.i - b.i)
    .map(({ item }) => item);
}

/** "YYYY-MM" plus `months` months. */
export function addMonths(yearMonth: string, months: number): string {
  const [y, m] = yearMonth.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** "2027-03" → "03/2027" (the same in German and English). */
export function formatMonth(yearMonth: string): string {
  return `${yearMonth.slice(5, 7)}/${yearMonth.slice(0, 4)}`;
}
