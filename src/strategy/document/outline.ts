/**
 * The council document (Gremienvorlage) as one outline, independent of the output format: the PDF (pdf.ts), the
 * DOCX (docx.ts) and the HTML view (document.tsx) lay out the same blocks, so the three say the same.
 *
 * Texts are already in the input's language (`input.t`, `input.lang`); numbers, money and months are formatted
 * for it. The renderers add no words of their own except what the outline hands them (page numbers, header).
 *
 * Order of the document: title page · summary (one page) · status quo (overall level, scores per dimension as a
 * bar chart and a table, named peer groups) · vision and goals · measures with rationale (roadmap order) ·
 * roadmap (Gantt chart and the same data as a table) · organisation and governance · budget and staff per year
 * with the capacity warnings · indicators · sources.
 */
import { levelForScore, levelLabel } from '../../assessment/index.js';
import { formatDate, formatNumber, type Lang, type MessageKey } from '../../platform/i18n/i18n.js';
import type { StrategyDocumentInput } from '../document-input.js';
import type { Measure } from '../measures.js';
import {
  addMonths,
  type ExplainContext,
  explain,
  HORIZON_MONTHS,
  PHASES,
  type PhaseId,
  phaseOf,
  roadmapOrder,
} from '../plan.js';

/** A label and its value (title page, a measure's facts). */
export interface Fact {
  label: string;
  value: string;
}

export interface Column {
  header: string;
  /** Right-aligned numbers. */
  numeric?: boolean;
  /** Share of the table's width, relative to the other columns. */
  weight: number;
}

export interface TableBlock {
  kind: 'table';
  id: string;
  caption: string;
  columns: Column[];
  rows: string[][];
  /** The first cell of every row is the row's header. */
  rowHeaders: boolean;
  /** A closing row of totals; its first cell heads it. */
  totals?: string[];
}

/** Horizontal bars of scores 0–100. */
export interface BarsBlock {
  kind: 'bars';
  id: string;
  title: string;
  /** The chart in words (every value). */
  alt: string;
  bars: { label: string; value: number | null; text: string }[];
}

export interface GanttBar {
  label: string;
  /** First month (0-based from the strategy's start) and the month after the last, within the horizon. */
  from: number;
  to: number;
  phase: PhaseId;
  /** "März 2026 bis August 2026". */
  period: string;
}

/** The roadmap as a chart: one bar per measure over the horizon, with the phases and calendar years marked. */
export interface GanttBlock {
  kind: 'gantt';
  id: string;
  title: string;
  alt: string;
  months: number;
  years: { label: string; from: number; to: number }[];
  phases: { id: PhaseId; label: string; from: number; to: number }[];
  bars: GanttBar[];
  /** The table with the same data (its caption). */
  tableCaption: string;
}

export interface ListItem {
  text: string;
  url?: string;
}

export type Block =
  | { kind: 'paragraph'; text: string; strong?: boolean }
  | { kind: 'list'; items: ListItem[] }
  | { kind: 'facts'; facts: Fact[] }
  | TableBlock
  | BarsBlock
  | GanttBlock
  /** A third-level heading and its content (one measure). */
  | { kind: 'subsection'; id: string; heading: string; blocks: Block[] };

export interface Section {
  id: string;
  heading: string;
  /** Start on a new page in PDF and DOCX. */
  newPage: boolean;
  blocks: Block[];
}

export interface DocumentOutline {
  lang: Lang;
  /** BCP 47 tag of the document language. */
  languageTag: 'de-DE' | 'en-GB';
  title: string;
  subject: string;
  author: string;
  /** The header line of every page: "Kommunallotse · Baden-Württemberg" (no coat of arms). */
  header: string;
  /** "Seite 3 von 12" (DOCX passes its field placeholders as strings). */
  page: (page: number | string, pages: number | string) => string;
  titlePage: {
    kicker: string;
    title: string;
    municipality: string;
    facts: Fact[];
    status: string;
    /** The demo label, or null for a real strategy. */
    demo: string | null;
    generated: string;
  };
  sections: Section[];
}

export const LANGUAGE_TAG: Record<Lang, 'de-DE' | 'en-GB'> = { de: 'de-DE', en: 'en-GB' };

/** The ids of the sections, in document order (anchors of the HTML view). */
export const SECTION_IDS = [
  'summary',
  'status-quo',
  'goals',
  'measures',
  'roadmap',
  'governance',
  'budget',
  'indicators',
  'sources',
] as const;

/** "123.450 €" / "€123,450". */
export function formatEuro(lang: Lang, value: number): string {
  return new Intl.NumberFormat(LANGUAGE_TAG[lang], {
    style: 'currency',
    currency: 'EUR',
    maximumFractionDigits: 0,
    minimumFractionDigits: 0,
  }).format(value);
}

/** A number with at most one decimal: "12,5" / "12.5", "12". */
export function formatAmount(lang: Lang, value: number): string {
  return new Intl.NumberFormat(LANGUAGE_TAG[lang], { maximumFractionDigits: 1 }).format(value);
}

/** "YYYY-MM" as "März 2026" / "March 2026". */
export function formatMonth(lang: Lang, yearMonth: string): string {
  const [y, m] = yearMonth.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(LANGUAGE_TAG[lang], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
}

/** The body that adopts the strategy, by the municipality's designation. */
function councilKey(designation: string | null): MessageKey {
  const d = (designation ?? '').toLowerCase();
  if (d.includes('stadt')) return 'doc.council.stadt';
  if (d.includes('kreis')) return 'doc.council.kreis';
  return 'doc.council.gemeinde';
}

/** The status line of the title page: draft, submitted to the council, adopted (date, decision number). */
export function statusText(input: StrategyDocumentInput): string {
  const { t, lang, strategy: s } = input;
  const council = t(councilKey(input.region.designation));
  const date = (d: string | null) => (d ? formatDate(lang, d) : null);
  if (s.status === 'draft') return t('doc.status.draft');
  if (s.status === 'submitted') {
    const on = date(s.submittedOn);
    return on ? t('doc.status.submitted', { council, date: on }) : t('doc.status.submittedNoDate', { council });
  }
  const on = date(s.adoptedOn);
  let line = on ? t('doc.status.adopted', { council, date: on }) : t('doc.status.adoptedNoDate', { council });
  if (s.decisionNumber) line += `, ${t('doc.status.decision', { number: s.decisionNumber })}`;
  if (s.status === 'superseded') line += `; ${t('doc.status.superseded')}`;
  return line;
}

/** Builds the outline of the council document from its input. Pure. */
export function buildOutline(input: StrategyDocumentInput): DocumentOutline {
  const { t, lang, content, catalogue, model, region, check, capacity } = input;
  const ctx: ExplainContext = { t, lang, model, catalogue };
  const num = (v: number) => formatNumber(lang, v);
  const amount = (v: number) => formatAmount(lang, v);
  const eur = (v: number) => formatEuro(lang, v);
  const month = (offset: number) => formatMonth(lang, addMonths(content.startMonth, offset));
  const range = (from: string, to: string) => t('doc.range', { from, to });
  const measureCount = (n: number) =>
    n === 1 ? t('doc.count.measure.one') : t('doc.count.measure.other', { count: n });
  const monthCount = (n: number) => (n === 1 ? t('doc.count.month.one') : t('doc.count.month.other', { count: n }));
  const level = (l: number | null) => (l === null ? t('doc.na') : levelLabel(t, model, l, lang));
  const scoreLevel = (score: number | null) =>
    score === null ? null : levelForScore(Math.max(0, Math.min(100, score)));
  const dimensionName = (id: string) => model.dimensions.find((d) => d.id === id)?.name[lang] ?? id;
  const council = t(councilKey(region.designation));
  const municipality = region.designation ? `${region.designation} ${region.name}` : region.name;
  const checkDate = formatDate(lang, check.submittedAt);
  const endLabel = month(HORIZON_MONTHS - 1);

  const byId = new Map(catalogue.measures.map((m) => [m.id, m]));
  const items = roadmapOrder(content.items).map((item, i) => {
    const measure: Measure | undefined = byId.get(item.measureId);
    const from = Math.max(0, Math.min(HORIZON_MONTHS - 1, item.startMonth));
    const to = Math.max(from + 1, Math.min(HORIZON_MONTHS, item.startMonth + item.durationMonths));
    return {
      n: i + 1,
      item,
      measure,
      title: measure?.title[lang] ?? item.measureId,
      phase: phaseOf(item.startMonth),
      start: formatMonth(lang, addMonths(content.startMonth, item.startMonth)),
      end: formatMonth(lang, addMonths(content.startMonth, item.startMonth + item.durationMonths - 1)),
      from,
      to,
    };
  });
  const phaseMonths = (id: PhaseId) => {
    const p = PHASES.find((x) => x.id === id)!;
    return t('doc.phaseMonths', { phase: id, from: p.from + 1, to: p.to });
  };
  const phaseRange = (p: (typeof PHASES)[number]) => range(month(p.from), month(p.to - 1));

  const sectionHeading: Record<(typeof SECTION_IDS)[number], string> = {
    summary: t('doc.summary.heading'),
    'status-quo': t('doc.statusQuo.heading'),
    goals: t('doc.goals.heading'),
    measures: t('doc.measures.heading'),
    roadmap: t('doc.roadmap.heading'),
    governance: t('doc.governance.heading'),
    budget: t('doc.budget.heading'),
    indicators: t('doc.indicators.heading'),
    sources: t('doc.sources.heading'),
  };
  const sections: Section[] = [];
  const section = (id: (typeof SECTION_IDS)[number], blocks: Block[], newPage = false) =>
    sections.push({ id, heading: sectionHeading[id], newPage, blocks });

  // Summary ------------------------------------------------------------------------------------
  const overall = check.overall === null ? null : num(check.overall);
  const budgetLine = t('doc.summary.budget', {
    total: eur(capacity.totals.budget),
    oneOff: eur(capacity.totals.costOneOff),
    running: eur(capacity.totals.costRunning),
    days: amount(capacity.totals.staffDays),
  });
  const raised = content.goals.filter((g) => g.currentLevel === null || g.targetLevel > g.currentLevel);
  const firstPeer = check.peers[0];
  const summary: Block[] = [
    {
      kind: 'paragraph',
      text:
        check.level === null || overall === null
          ? t('doc.summary.whereNone', { date: checkDate })
          : t('doc.summary.where', { name: region.name, date: checkDate, level: level(check.level), score: overall }),
    },
  ];
  if (firstPeer) {
    summary.push({
      kind: 'paragraph',
      text: t('doc.summary.peer', {
        group: firstPeer.name,
        median: num(firstPeer.median),
        q3: num(firstPeer.q3),
        n: firstPeer.n,
      }),
    });
  }
  summary.push({ kind: 'paragraph', text: t('doc.summary.goals', { end: endLabel }), strong: true });
  summary.push(
    raised.length
      ? {
          kind: 'list',
          items: raised.map((g) => ({
            text:
              g.currentLevel === null
                ? t('doc.summary.goalLineNew', { dimension: dimensionName(g.dimension), to: level(g.targetLevel) })
                : t('doc.summary.goalLine', {
                    dimension: dimensionName(g.dimension),
                    from: level(g.currentLevel),
                    to: level(g.targetLevel),
                  }),
          })),
        }
      : { kind: 'paragraph', text: t('doc.summary.noGoals') },
  );
  summary.push({
    kind: 'paragraph',
    text: t('doc.summary.measures', { count: measureCount(items.length) }),
    strong: true,
  });
  summary.push({
    kind: 'table',
    id: 'summary-phases',
    caption: t('doc.summary.phasesCaption'),
    columns: [
      { header: t('doc.col.phase'), weight: 2 },
      { header: t('doc.col.period'), weight: 4 },
      { header: t('doc.col.count'), weight: 1.5, numeric: true },
    ],
    rows: PHASES.map((p) => [phaseMonths(p.id), phaseRange(p), num(items.filter((x) => x.phase === p.id).length)]),
    rowHeaders: true,
    totals: [t('doc.total'), range(month(0), endLabel), num(items.length)],
  });
  summary.push({ kind: 'paragraph', text: budgetLine });
  summary.push({
    kind: 'paragraph',
    text:
      capacity.warnings.length === 0
        ? t('doc.summary.withinCapacity')
        : capacity.warnings.length === 1
          ? t('doc.summary.overCapacity.one', { section: sectionHeading.budget })
          : t('doc.summary.overCapacity.other', { count: capacity.warnings.length, section: sectionHeading.budget }),
  });
  summary.push({ kind: 'paragraph', text: t('doc.summary.proposal', { council, title: input.title }), strong: true });
  section('summary', summary, true);

  // Status quo ---------------------------------------------------------------------------------
  const dims = model.dimensions.map((d) => {
    const score = check.byDimension[d.id] ?? null;
    return { id: d.id, name: d.name[lang], score, level: scoreLevel(score) };
  });
  const scoreText = (s: number | null) => (s === null ? t('doc.na') : num(s));
  const statusQuo: Block[] = [
    {
      kind: 'paragraph',
      text:
        check.level === null || overall === null
          ? t('doc.statusQuo.overallNone', { date: checkDate })
          : t('doc.statusQuo.overall', { level: level(check.level), score: overall, date: checkDate }),
      strong: true,
    },
    {
      kind: 'bars',
      id: 'status-bars',
      title: t('doc.statusQuo.chart'),
      alt: t('doc.statusQuo.chartAlt', { values: dims.map((d) => `${d.name} ${scoreText(d.score)}`).join('; ') }),
      bars: dims.map((d) => ({ label: d.name, value: d.score, text: scoreText(d.score) })),
    },
    {
      kind: 'table',
      id: 'status-table',
      caption: t('doc.statusQuo.tableCaption'),
      columns: [
        { header: t('doc.col.dimension'), weight: 3 },
        { header: t('doc.col.level'), weight: 3 },
        { header: t('doc.col.score'), weight: 1.3, numeric: true },
      ],
      rows: dims.map((d) => [d.name, level(d.level), scoreText(d.score)]),
      rowHeaders: true,
    },
  ];
  if (check.peers.length) {
    statusQuo.push({ kind: 'paragraph', text: t('doc.statusQuo.peers', { own: overall ?? t('doc.na') }) });
    statusQuo.push({
      kind: 'table',
      id: 'status-peers',
      caption: t('doc.statusQuo.peersCaption'),
      columns: [
        { header: t('doc.col.group'), weight: 5 },
        { header: t('doc.col.n'), weight: 1.4, numeric: true },
        { header: t('doc.col.median'), weight: 1.2, numeric: true },
        { header: t('doc.col.q3'), weight: 1.4, numeric: true },
      ],
      rows: check.peers.map((p) => [p.name, num(p.n), num(p.median), num(p.q3)]),
      rowHeaders: true,
    });
  } else {
    statusQuo.push({ kind: 'paragraph', text: t('doc.statusQuo.noPeers') });
  }
  section('status-quo', statusQuo, true);

  // Vision and goals ---------------------------------------------------------------------------
  const goals: Block[] = [{ kind: 'paragraph', text: input.vision }];
  goals.push(
    content.goals.length
      ? {
          kind: 'table',
          id: 'goals-table',
          caption: t('doc.goals.caption', { end: endLabel }),
          columns: [
            { header: t('doc.col.dimension'), weight: 2.2 },
            { header: t('doc.col.today'), weight: 2 },
            { header: t('doc.col.target'), weight: 2 },
            { header: t('doc.col.reason'), weight: 5 },
          ],
          rows: content.goals.map((g) => [
            dimensionName(g.dimension),
            level(g.currentLevel),
            level(g.targetLevel),
            explain(g.reason, ctx),
          ]),
          rowHeaders: true,
        }
      : { kind: 'paragraph', text: t('doc.goals.none') },
  );
  section('goals', goals);

  // Measures -----------------------------------------------------------------------------------
  const fundingName = (id: string) => catalogue.funding.find((f) => f.id === id)?.name[lang] ?? id;
  const measures: Block[] = [
    { kind: 'paragraph', text: items.length ? t('doc.measures.intro') : t('doc.measures.none') },
  ];
  for (const x of items) {
    const { item, measure } = x;
    const facts: Fact[] = [
      { label: t('doc.measure.phase'), value: phaseMonths(x.phase) },
      {
        label: t('doc.measure.period'),
        value: `${range(x.start, x.end)} (${monthCount(item.durationMonths)})`,
      },
      { label: t('doc.measure.owner'), value: item.owner.trim() || t('doc.measure.ownerNone') },
      { label: t('doc.measure.effort'), value: t('doc.days', { days: amount(item.effortDays) }) },
      {
        label: t('doc.measure.cost'),
        value: t('doc.measure.costValue', { oneOff: eur(item.costOneOff), perYear: eur(item.costPerYear) }),
      },
      { label: t('doc.measure.standards'), value: measure?.standards.join(', ') || t('doc.none') },
    ];
    if (measure?.funding.length) {
      facts.push({ label: t('doc.measure.funding'), value: measure.funding.map(fundingName).join('; ') });
    }
    facts.push({ label: t('doc.measure.reason'), value: explain(item.reason, ctx) });
    const blocks: Block[] = [];
    if (measure) blocks.push({ kind: 'paragraph', text: measure.description[lang] });
    blocks.push({ kind: 'facts', facts });
    if (measure?.indicators.length) {
      blocks.push({ kind: 'paragraph', text: t('doc.measure.indicators'), strong: true });
      blocks.push({ kind: 'list', items: measure.indicators.map((i) => ({ text: i[lang] })) });
    }
    measures.push({
      kind: 'subsection',
      id: `measure-${item.measureId}`,
      heading: t('doc.measure.title', { n: x.n, title: x.title }),
      blocks,
    });
  }
  section('measures', measures, true);

  // Roadmap ------------------------------------------------------------------------------------
  const roadmapCaption = t('doc.roadmap.caption');
  const startLabel = month(0);
  const phaseWords = PHASES.map((p) =>
    t('doc.roadmap.introPhase', { phase: p.id, from: month(p.from), to: month(p.to - 1) }),
  ).join('; ');
  const altPhases = PHASES.map((p) =>
    t('doc.roadmap.altPhase', {
      phase: p.id,
      from: month(p.from),
      to: month(p.to - 1),
      count: measureCount(items.filter((x) => x.phase === p.id).length),
    }),
  ).join(' ');
  const years: GanttBlock['years'] = [];
  for (let m = 0; m < HORIZON_MONTHS; ) {
    const ym = addMonths(content.startMonth, m);
    const untilJanuary = 12 - (Number(ym.slice(5, 7)) - 1);
    const to = Math.min(HORIZON_MONTHS, m + untilJanuary);
    years.push({ label: ym.slice(0, 4), from: m, to });
    m = to;
  }
  section('roadmap', [
    { kind: 'paragraph', text: t('doc.roadmap.intro', { from: startLabel, to: endLabel, phases: phaseWords }) },
    {
      kind: 'gantt',
      id: 'roadmap-gantt',
      title: t('doc.roadmap.figure'),
      alt: t('doc.roadmap.alt', {
        count: measureCount(items.length),
        from: startLabel,
        to: endLabel,
        phases: altPhases,
        table: roadmapCaption,
      }),
      months: HORIZON_MONTHS,
      years,
      phases: PHASES.map((p) => ({ id: p.id, label: t('doc.phase', { phase: p.id }), from: p.from, to: p.to })),
      bars: items.map((x) => ({
        label: `${x.n}. ${x.title}`,
        from: x.from,
        to: x.to,
        phase: x.phase,
        period: range(x.start, x.end),
      })),
      tableCaption: roadmapCaption,
    },
    {
      kind: 'table',
      id: 'roadmap-table',
      caption: roadmapCaption,
      columns: [
        { header: t('doc.col.measure'), weight: 6 },
        { header: t('doc.col.phase'), weight: 1.4 },
        { header: t('doc.col.start'), weight: 2.2 },
        { header: t('doc.col.end'), weight: 2.2 },
        { header: t('doc.col.months'), weight: 1.3, numeric: true },
      ],
      rows: items.map((x) => [`${x.n}. ${x.title}`, num(x.phase), x.start, x.end, num(x.item.durationMonths)]),
      rowHeaders: true,
    },
  ]);

  // Governance ---------------------------------------------------------------------------------
  const cycleKey: Record<typeof content.governance.reportingCycle, MessageKey> = {
    quarterly: 'doc.cycle.quarterly',
    halfyearly: 'doc.cycle.halfyearly',
    yearly: 'doc.cycle.yearly',
  };
  section('governance', [
    { kind: 'paragraph', text: input.steering },
    {
      kind: 'paragraph',
      text: t('doc.governance.reporting', { council, cycle: t(cycleKey[content.governance.reportingCycle]) }),
    },
    { kind: 'paragraph', text: t('doc.governance.recheck') },
  ]);

  // Budget -------------------------------------------------------------------------------------
  const years3 = capacity.years;
  const sum = (f: (y: (typeof years3)[number]) => number) => years3.reduce((s, y) => s + f(y), 0);
  const budget: Block[] = [
    {
      kind: 'paragraph',
      text: t('doc.budget.capacity', {
        days: amount(content.capacity.staffDaysPerMonth),
        budget: eur(content.capacity.budgetPerYear),
      }),
    },
    {
      kind: 'table',
      id: 'budget-table',
      caption: t('doc.budget.caption'),
      columns: [
        { header: t('doc.col.year'), weight: 2.2 },
        { header: t('doc.col.staffDays'), weight: 1.8, numeric: true },
        { header: t('doc.col.staffCapacity'), weight: 1.8, numeric: true },
        { header: t('doc.col.budget'), weight: 2, numeric: true },
        { header: t('doc.col.budgetCapacity'), weight: 2, numeric: true },
      ],
      rows: years3.map((y) => [
        t('doc.year', { year: y.year, calendarYear: y.calendarYear }),
        amount(y.staffDays),
        amount(y.staffCapacity),
        eur(y.budget),
        eur(y.budgetCapacity),
      ]),
      rowHeaders: true,
      totals: [
        t('doc.total'),
        amount(sum((y) => y.staffDays)),
        amount(sum((y) => y.staffCapacity)),
        eur(sum((y) => y.budget)),
        eur(sum((y) => y.budgetCapacity)),
      ],
    },
    { kind: 'paragraph', text: budgetLine },
  ];
  if (capacity.warnings.length) {
    budget.push({ kind: 'paragraph', text: t('doc.budget.warnings'), strong: true });
    budget.push({ kind: 'list', items: capacity.warnings.map((w) => ({ text: explain(w, ctx) })) });
  } else {
    budget.push({ kind: 'paragraph', text: t('doc.budget.ok') });
  }
  section('budget', budget, true);

  // Indicators ---------------------------------------------------------------------------------
  const withIndicators = items.filter((x) => x.measure?.indicators.length);
  const indicators: Block[] = [{ kind: 'paragraph', text: t('doc.indicators.intro') }];
  if (withIndicators.length) {
    indicators.push({
      kind: 'table',
      id: 'indicators-table',
      caption: t('doc.indicators.caption'),
      columns: [
        { header: t('doc.col.measure'), weight: 2 },
        { header: t('doc.col.indicators'), weight: 3 },
      ],
      rows: withIndicators.map((x) => [`${x.n}. ${x.title}`, x.measure!.indicators.map((i) => i[lang]).join('; ')]),
      rowHeaders: true,
    });
  }
  section('indicators', indicators);

  // Sources ------------------------------------------------------------------------------------
  const cited: string[] = [];
  for (const x of items) for (const s of x.measure?.sources ?? []) if (!cited.includes(s.id)) cited.push(s.id);
  const sourceItems: ListItem[] = [];
  for (const id of cited) {
    const s = catalogue.sources.find((c) => c.id === id);
    if (s) sourceItems.push({ text: t('doc.sources.item', { title: s.title, publisher: s.publisher }), url: s.url });
  }
  sourceItems.push({
    text: t('doc.sources.edition', {
      title: catalogue.title[lang],
      version: catalogue.version,
      date: formatDate(lang, catalogue.published),
    }),
  });
  sourceItems.push({
    text: t('doc.sources.edition', {
      title: model.title[lang],
      version: model.version,
      date: formatDate(lang, model.published),
    }),
  });
  const modelSources = new Set(
    content.goals.flatMap((g) => model.dimensions.find((d) => d.id === g.dimension)?.sources ?? []),
  );
  for (const s of model.sources) {
    // The model's sources that the catalogue cites too (same address) are listed once.
    if (modelSources.has(s.id) && !sourceItems.some((i) => i.url === s.url)) {
      sourceItems.push({ text: t('doc.sources.item', { title: s.name, publisher: s.publisher }), url: s.url });
    }
  }
  section('sources', [
    { kind: 'paragraph', text: t('doc.sources.intro') },
    { kind: 'list', items: sourceItems },
  ]);

  // Title page ---------------------------------------------------------------------------------
  const facts: Fact[] = [
    { label: t('doc.fact.municipality'), value: municipality },
    { label: t('doc.fact.state'), value: region.stateName },
    { label: t('doc.fact.key'), value: region.key },
  ];
  if (region.population !== null) facts.push({ label: t('doc.fact.population'), value: num(region.population) });
  facts.push(
    { label: t('doc.fact.period'), value: range(startLabel, endLabel) },
    { label: t('doc.fact.basis'), value: t('doc.fact.basisValue', { date: checkDate }) },
    { label: t('doc.fact.revision'), value: num(input.strategy.revision) },
    { label: t('doc.fact.date'), value: formatDate(lang, input.generatedAt) },
  );
  const status = statusText(input);
  facts.push({ label: t('doc.fact.status'), value: status });
  if (input.strategy.councilUrl && (input.strategy.status === 'adopted' || input.strategy.status === 'superseded')) {
    facts.push({ label: t('doc.fact.record'), value: input.strategy.councilUrl });
  }

  return {
    lang,
    languageTag: LANGUAGE_TAG[lang],
    title: input.title,
    subject: t('doc.subject'),
    author: 'Kommunallotse',
    header: input.strategy.isDemo
      ? t('doc.headerDemo', { state: region.stateName })
      : t('doc.header', { state: region.stateName }),
    page: (page, pages) => t('doc.page', { page, pages }),
    titlePage: {
      kicker: t('doc.kicker'),
      title: input.title,
      municipality,
      facts,
      status,
      demo: input.strategy.isDemo ? t('doc.demo') : null,
      generated: t('doc.generated', { date: formatDate(lang, input.generatedAt) }),
    },
    sections,
  };
}
