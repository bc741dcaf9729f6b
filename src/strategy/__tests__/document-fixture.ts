/**
 * A realistic input of the council document, built from the real maturity model and measures catalogue: a
 * Gemeinde of about 4,000 inhabitants with a submitted check, goals, ten planned measures with different start
 * months (listed out of roadmap order, one dropped), a capacity report with a warning. Shared by the document
 * tests and bench/strategy-documents.ts.
 *
 * The reasons use keys of a fixture catalogue (`fixture.*`) so the documents do not depend on the draft's own
 * wording; `explain` turns their `question`, `dimension` and `measure` parameters into names as for real ones.
 */
import { loadModel } from '../../assessment/index.js';
import { createI18n } from '../../modules.js';
import { type Catalogue, I18n, type Lang, type MessageKey } from '../../platform/i18n/i18n.js';
import type { StrategyDocumentInput } from '../document-input.js';
import { loadMeasures } from '../measures.js';
import { type CapacityReport, HORIZON_MONTHS, type PlanItem, type Reason, type StrategyContent } from '../plan.js';

export const FIXTURE_NAME = 'Mühlhausen-Ehingen';
export const FIXTURE_STATE = 'Baden-Württemberg';

const fixtureMessages: Catalogue = {
  module: 'fixture',
  de: {
    'fixture.goal': 'weil vergleichbare Gemeinden in {dimension} im oberen Viertel Stufe {target} erreichen',
    'fixture.measure':
      'weil Ihre Antwort zu Frage „{question}“ Stufe {level} ist und vergleichbare Gemeinden im Median Stufe {median} erreichen',
    'fixture.prerequisite': 'weil „{measure}“ darauf aufbaut',
    'fixture.warn.budget':
      'Im Jahr {year} übersteigt das geplante Budget von {planned} Euro den Rahmen von {capacity} Euro.',
  },
  en: {
    'fixture.goal': 'because comparable municipalities in the upper quarter reach level {target} in {dimension}',
    'fixture.measure':
      'because your answer to question “{question}” is level {level} and comparable municipalities reach level {median} on median',
    'fixture.prerequisite': 'because “{measure}” builds on it',
    'fixture.warn.budget':
      'In year {year} the planned budget of {planned} euros exceeds the framework of {capacity} euros.',
  },
};

const i18n = new I18n([...createI18n().catalogues, fixtureMessages]);
export const fixtureTranslator = (lang: Lang) => i18n.translator(lang);

const reason = (key: string, params: Reason['params']): Reason => ({ key: key as MessageKey, params });

/** Measure id, start month, duration, effort, one-off cost, cost per year, owner — in the team's order. */
const PLAN: [string, number, number, number, number, number, string][] = [
  ['breitband-markterkundung', 1, 4, 20, 8_000, 0, 'Bauamt'],
  ['digitalbeauftragte-benennen', 0, 2, 5, 0, 0, 'Bürgermeisterin'],
  ['isb-benennen', 2, 2, 5, 1_500, 6_000, 'Hauptamt, Herr Öztürk'],
  ['steuerungsgruppe-einrichten', 2, 2, 8, 0, 0, ''],
  ['fortbildungsplan-digital', 4, 6, 10, 2_500, 8_000, 'Personalamt'],
  ['ratsinformationssystem', 7, 5, 12, 9_000, 3_500, 'Hauptamt'],
  ['glasfaser-schulen', 9, 18, 20, 120_000, 4_000, 'Bauamt'],
  ['oparl-veroeffentlichen', 14, 3, 6, 4_000, 1_000, ''],
  ['e-rechnung', 13, 6, 12, 7_500, 2_500, 'Kämmerei'],
  ['digitalsprechstunde-buerger', 20, 4, 10, 1_000, 1_500, 'Bürgerbüro'],
  ['beteiligungsplattform', 26, 5, 12, 7_000, 4_000, ''],
];
/** Dropped by the team: not in the document. */
const DROPPED = 'kita-platz-online';

function item(
  measureId: string,
  startMonth: number,
  durationMonths: number,
  effortDays: number,
  costOneOff: number,
  costPerYear: number,
  owner: string,
  r: Reason,
): PlanItem {
  return {
    measureId,
    startMonth,
    durationMonths,
    effortDays,
    costOneOff,
    costPerYear,
    owner,
    status: 'planned',
    note: '',
    actualStart: null,
    actualEnd: null,
    reason: r,
  };
}

/** Staff and budget per year, totals (running costs from the start year on), as the scheduler reports them. */
export function capacityOf(content: StrategyContent, warnings: Reason[]): CapacityReport {
  const active = content.items.filter((i) => i.status !== 'dropped');
  const startYear = Number(content.startMonth.slice(0, 4));
  const startIndex = Number(content.startMonth.slice(5, 7)) - 1;
  const years = [0, 1, 2].map((y) => {
    let staffDays = 0;
    let budget = 0;
    for (const i of active) {
      for (let m = i.startMonth; m < Math.min(HORIZON_MONTHS, i.startMonth + i.durationMonths); m++) {
        if (Math.floor(m / 12) === y) staffDays += i.effortDays / i.durationMonths;
      }
      const first = Math.floor(i.startMonth / 12);
      if (y >= first) budget += i.costPerYear + (y === first ? i.costOneOff : 0);
    }
    return {
      year: y + 1,
      calendarYear: startYear + Math.floor((startIndex + y * 12) / 12),
      staffDays: Math.round(staffDays * 10) / 10,
      staffCapacity: content.capacity.staffDaysPerMonth * 12,
      budget,
      budgetCapacity: content.capacity.budgetPerYear,
    };
  });
  const costOneOff = active.reduce((s, i) => s + i.costOneOff, 0);
  const costRunning = active.reduce((s, i) => s + i.costPerYear * (3 - Math.floor(i.startMonth / 12)), 0);
  return {
    years,
    warnings,
    totals: {
      staffDays: active.reduce((s, i) => s + i.effortDays, 0),
      costOneOff,
      costRunning,
      budget: costOneOff + costRunning,
    },
  };
}

export interface FixtureOptions {
  /** Plan this many measures of the catalogue instead of the hand-picked ten (the benchmark's 25). */
  measures?: number;
  status?: StrategyDocumentInput['strategy']['status'];
  isDemo?: boolean;
}

/** The council document's input for the fixture Gemeinde, in `lang`. */
export function documentFixture(lang: Lang, options: FixtureOptions = {}): StrategyDocumentInput {
  const model = loadModel();
  const catalogue = loadMeasures();
  const firstQuestion = (id: string) => catalogue.measures.find((m) => m.id === id)!.raises[0]!.question;
  let items: PlanItem[];
  if (options.measures === undefined) {
    items = PLAN.map(([id, start, duration, effort, oneOff, perYear, owner]) =>
      item(
        id,
        start,
        duration,
        effort,
        oneOff,
        perYear,
        owner,
        reason('fixture.measure', { question: firstQuestion(id), level: 1, median: 3 }),
      ),
    );
    items.splice(
      4,
      0,
      item(DROPPED, 3, 6, 20, 10_000, 4_000, '', reason('fixture.measure', { question: 'vs-01', level: 0, median: 2 })),
    );
    items[4]!.status = 'dropped';
    items[3]!.reason = reason('fixture.prerequisite', { measure: 'digitalbeirat' });
  } else {
    const suitable = catalogue.measures.filter((m) => m.sizes.includes('2000-5000') && m.types.includes('gemeinde'));
    items = suitable.slice(0, options.measures).map((m, i) => {
      const duration = Math.max(1, Math.round((m.durationMonths.min + m.durationMonths.max) / 2));
      const start = Math.min(HORIZON_MONTHS - 1, Math.floor((i * HORIZON_MONTHS) / options.measures!));
      return item(
        m.id,
        start,
        Math.min(duration, HORIZON_MONTHS - start),
        Math.round((m.effortDays.min + m.effortDays.max) / 2),
        Math.round((m.costOneOff.min + m.costOneOff.max) / 2),
        Math.round((m.costPerYear.min + m.costPerYear.max) / 2),
        i % 3 === 0 ? 'Hauptamt' : '',
        reason('fixture.measure', { question: m.raises[0]!.question, level: 1, median: 3 }),
      );
    });
  }
  const byDimension: Record<string, number | null> = { sg: 31, ps: 44, ic: 58, di: 19, vs: 37, is: 50, bt: null };
  const goal = (dimension: string, currentLevel: number | null, targetLevel: number) => ({
    dimension,
    currentScore: byDimension[dimension] ?? null,
    currentLevel,
    targetLevel,
    reason: reason('fixture.goal', { dimension, target: targetLevel }),
  });
  const content: StrategyContent = {
    title: '',
    vision: '',
    startMonth: '2026-03',
    capacity: { staffDaysPerMonth: 3, budgetPerYear: 60_000 },
    governance: { steering: '', reportingCycle: 'halfyearly' },
    goals: [goal('sg', 1, 3), goal('ps', 1, 2), goal('ic', 2, 3), goal('di', 0, 2), goal('bt', null, 2)],
    items,
    catalogueVersion: catalogue.version,
    modelVersion: model.version,
  };
  const t = fixtureTranslator(lang);
  const warnings =
    options.measures === undefined
      ? [reason('fixture.warn.budget', { year: 1, planned: 150_500, capacity: 60_000 })]
      : [];
  const title = lang === 'de' ? `Digitalstrategie ${FIXTURE_NAME}` : `Digital strategy of ${FIXTURE_NAME}`;
  return {
    lang,
    t,
    region: {
      key: '08335055',
      name: FIXTURE_NAME,
      designation: 'Gemeinde',
      population: 3_912,
      stateName: FIXTURE_STATE,
    },
    strategy: {
      id: 7,
      status: options.status ?? 'draft',
      revision: 3,
      submittedOn: options.status && options.status !== 'draft' ? '2026-04-14' : null,
      adoptedOn: options.status === 'adopted' ? '2026-05-12' : null,
      decisionNumber: options.status === 'adopted' ? 'GR 2026/031' : null,
      councilUrl: options.status === 'adopted' ? 'https://www.muehlhausen-ehingen.de/ratsinfo/2026-031' : null,
      updatedAt: new Date('2026-02-20T09:30:00Z'),
      isDemo: options.isDemo ?? false,
    },
    title,
    vision:
      lang === 'de'
        ? 'Mühlhausen-Ehingen ist 2029 eine Gemeinde, in der Bürgerinnen, Bürger und Betriebe ihre Anliegen digital erledigen können und die Verwaltung sicher und vernetzt arbeitet.'
        : 'By 2029 Mühlhausen-Ehingen is a municipality where residents and businesses can do their business digitally and the administration works securely and connected.',
    steering:
      lang === 'de'
        ? 'Die Bürgermeisterin steuert die Strategie mit der oder dem Digitalbeauftragten; eine Steuerungsgruppe aus Hauptamt, Kämmerei und Bauamt trifft sich monatlich.'
        : 'The mayor steers the strategy together with the digital officer; a steering group of the central office, treasury and building office meets monthly.',
    content,
    catalogue,
    model,
    check: {
      submittedAt: new Date('2026-02-10T14:00:00Z'),
      overall: 41,
      level: 2,
      byDimension,
      peers: [
        {
          name:
            lang === 'de'
              ? 'Kommunen mit 2.000 bis unter 5.000 Einwohnern in Baden-Württemberg'
              : 'Municipalities with 2,000 to under 5,000 inhabitants in Baden-Württemberg',
          n: 42,
          q1: 30,
          median: 44,
          q3: 57,
        },
        {
          name: lang === 'de' ? 'Kommunen in Baden-Württemberg' : 'Municipalities in Baden-Württemberg',
          n: 318,
          q1: 33,
          median: 47,
          q3: 61,
        },
      ],
    },
    capacity: capacityOf(content, warnings),
    generatedAt: new Date('2026-02-21T10:00:00Z'),
  };
}
