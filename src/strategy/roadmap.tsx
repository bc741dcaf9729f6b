/**
 * The roadmap of a strategy: an accessible SVG Gantt chart over the strategy's 36 months, the same data as a
 * table, and the capacity view (staff and budget per strategy year against the capacity, warnings in words).
 *
 * Pure render functions (no I/O), for the workspace pages, the public strategy page and the HTML view of the
 * council document. Like the Digitalcheck's charts (src/assessment/charts.tsx): no `style` attributes (strict
 * CSP), `role="img"` with `<title>` and `<desc>` through `SvgImage`, ids derived from the `id` prop (give every
 * roadmap on a page its own). The status of a measure is carried by the bar's fill pattern — outlined
 * (planned), striped (in progress), solid (done) — and by words in the legend, the `<desc>` and the table, never
 * by colour alone (WCAG 1.4.1). Dropped measures are not drawn; the table says how many there are.
 */
import { COLORS, type MaturityModel, SvgImage, safeId, TableWrap } from '../assessment/index.js';
import type { PageContext } from '../platform/http/layout.js';
import { formatNumber } from '../platform/i18n/i18n.js';
import { formatEur, formatYearMonth } from './format.js';
import type { MeasureCatalogue } from './measures.js';
import { measureHref } from './measures.pages.js';
import {
  addMonths,
  type CapacityReport,
  type CapacityYear,
  explain,
  HORIZON_MONTHS,
  type MeasureStatus,
  PHASES,
  type PlanItem,
  phaseOf,
  roadmapOrder,
} from './plan.js';

/** What the roadmap components need of the page: the reader's language and messages. */
export type RoadmapContext = Pick<PageContext, 't' | 'lang'>;

/** The geometry of the chart (viewBox units); exported for tests. */
export const GANTT = {
  /** Width of the label column left of the bars. */
  labelWidth: 300,
  /** Width of one month. */
  monthWidth: 14,
  /** Space right of month 36 (the last year label). */
  right: 30,
  /** Height of the phase band and the year axis above the rows. */
  top: 48,
  rowHeight: 28,
  barHeight: 16,
  fontSize: 13,
  bottom: 8,
} as const;

/** x of the start of month `m` (0-based from the strategy's start). */
export const monthX = (m: number): number => GANTT.labelWidth + m * GANTT.monthWidth;

const WIDTH = GANTT.labelWidth + HORIZON_MONTHS * GANTT.monthWidth + GANTT.right;
/** Characters of a title that fit the label column (the full title is in the row's title and the desc). */
const LABEL_CHARS = Math.floor((GANTT.labelWidth - 10) / (GANTT.fontSize * 0.5));

const clampMonth = (m: number) => Math.min(Math.max(m, 0), HORIZON_MONTHS);

function fitLabel(label: string, maxChars: number): string {
  return label.length <= maxChars ? label : `${label.slice(0, Math.max(maxChars - 1, 1)).trimEnd()}…`;
}

/** The calendar month of the last month of an item ("YYYY-MM"). */
function endMonth(startMonth: string, item: PlanItem): string {
  return addMonths(startMonth, item.startMonth + Math.max(item.durationMonths, 1) - 1);
}

function titleOf(catalogue: Pick<MeasureCatalogue, 'measures'>, id: string, ctx: RoadmapContext): string {
  return catalogue.measures.find((m) => m.id === id)?.title[ctx.lang] ?? id;
}

const statusText = (ctx: RoadmapContext, s: MeasureStatus) => ctx.t(`roadmap.status.${s}`);

/** Ticks of the calendar years: the month offset of each January within the horizon, and its year. */
export function yearTicks(startMonth: string): { month: number; year: number }[] {
  const [y, m] = startMonth.split('-').map(Number) as [number, number];
  const first = (13 - m) % 12;
  const ticks: { month: number; year: number }[] = [];
  for (let month = first, year = m === 1 ? y : y + 1; month < HORIZON_MONTHS; month += 12, year += 1) {
    ticks.push({ month, year });
  }
  return ticks;
}

/**
 * The year labels of the axis: one at each January, and the start year at month 0 when the first January is
 * at least 3 months later (room for the label).
 */
export function yearLabels(startMonth: string): { month: number; year: number }[] {
  const ticks = yearTicks(startMonth);
  const first = ticks[0];
  if (first && first.month === 0) return ticks;
  if (first && first.month < 3) return ticks;
  return [{ month: 0, year: Number(startMonth.slice(0, 4)) }, ...ticks];
}

/**
 * The bar's drawing for a status: the bar itself (exactly the measure's months) in the mark colour, for planned
 * and in-progress measures with a white or striped inside, so the status shows without colour.
 */
function Bar(props: { x: number; y: number; width: number; height: number; status: MeasureStatus; stripes: string }) {
  const { x, y, width, height, status } = props;
  const inner = { x: x + 2, y: y + 2, width: Math.max(width - 4, 0), height: height - 4 };
  return (
    <>
      <rect class="roadmap-bar" data-status={status} x={x} y={y} width={width} height={height} fill={COLORS.mark} />
      {status === 'done' || inner.width === 0 ? null : (
        <rect {...inner} fill={status === 'in_progress' ? `url(#${props.stripes})` : COLORS.white} />
      )}
    </>
  );
}

function Stripes({ id }: { id: string }) {
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill={COLORS.white} />
      <line x1="0" y1="0" x2="0" y2="6" stroke={COLORS.mark} stroke-width="3" />
    </pattern>
  );
}

export interface RoadmapChartProps {
  ctx: RoadmapContext;
  /** The plan's items in the team's order; drawn in `roadmapOrder` (dropped ones left out). */
  items: readonly PlanItem[];
  /** The strategy's first month, "YYYY-MM" (content.startMonth). */
  startMonth: string;
  /** For the measures' titles. */
  catalogue: Pick<MeasureCatalogue, 'measures'>;
  /** Unique in the page (default "roadmap"). */
  id?: string;
  /** The SVG's title (default "Roadmap"). */
  title?: string;
}

/** The Gantt chart: phases shaded and labelled, calendar years on the axis, one bar per measure, and a legend. */
export function RoadmapChart({ ctx, items, startMonth, catalogue, id = 'roadmap', title }: RoadmapChartProps) {
  const { t } = ctx;
  const sid = safeId(id);
  const rows = roadmapOrder(items);
  const height = GANTT.top + Math.max(rows.length, 1) * GANTT.rowHeight + GANTT.bottom;
  const plotBottom = height - GANTT.bottom;
  const stripes = `${sid}-stripes`;
  const ym = (m: number) => formatYearMonth(addMonths(startMonth, m));
  const dropped = items.length - rows.length;
  const desc = [
    t('roadmap.desc', { start: ym(0), end: ym(HORIZON_MONTHS - 1), count: rows.length }),
    ...rows.map((item, i) =>
      t('roadmap.descItem', {
        n: i + 1,
        title: titleOf(catalogue, item.measureId, ctx),
        start: ym(item.startMonth),
        end: formatYearMonth(endMonth(startMonth, item)),
        phase: t('roadmap.phase', { phase: phaseOf(item.startMonth) }),
        status: statusText(ctx, item.status),
      }),
    ),
    ...(dropped > 0 ? [t('roadmap.dropped', { count: dropped })] : []),
  ].join(' ');
  return (
    <div class="roadmap">
      <SvgImage
        sid={sid}
        class="chart chart--roadmap"
        viewBox={`0 0 ${WIDTH} ${height}`}
        align="xMinYMin meet"
        title={title ?? t('roadmap.title')}
        desc={desc}
      >
        <defs>
          <Stripes id={stripes} />
        </defs>
        <g class="roadmap-phases">
          {PHASES.map((p) => (
            <g key={p.id}>
              <rect
                x={monthX(p.from)}
                y="0"
                width={(p.to - p.from) * GANTT.monthWidth}
                height={plotBottom}
                fill={p.id === 2 ? COLORS.white : '#eef2f7'}
              />
              <text x={monthX(p.from) + 4} y="16" fill={COLORS.text} font-size={GANTT.fontSize} font-weight="700">
                {t('roadmap.phase', { phase: p.id })}
              </text>
            </g>
          ))}
        </g>
        <g class="roadmap-years" stroke={COLORS.grid} stroke-width="1">
          {yearTicks(startMonth).map((tick) => (
            <line key={tick.year} x1={monthX(tick.month) + 0.5} x2={monthX(tick.month) + 0.5} y1="24" y2={plotBottom} />
          ))}
          <line x1={monthX(0)} x2={monthX(HORIZON_MONTHS)} y1={GANTT.top - 0.5} y2={GANTT.top - 0.5} />
        </g>
        <g class="roadmap-year-labels" fill={COLORS.muted} font-size={GANTT.fontSize}>
          {yearLabels(startMonth).map((label) => (
            <text key={label.year} x={monthX(label.month) + 3} y="40">
              {label.year}
            </text>
          ))}
        </g>
        {rows.length === 0 ? (
          <text x="0" y={GANTT.top + 19} fill={COLORS.muted} font-size={GANTT.fontSize}>
            {t('roadmap.empty')}
          </text>
        ) : null}
        {rows.map((item, i) => {
          const y = GANTT.top + i * GANTT.rowHeight;
          const from = clampMonth(item.startMonth);
          const to = clampMonth(item.startMonth + Math.max(item.durationMonths, 1));
          const full = titleOf(catalogue, item.measureId, ctx);
          return (
            <g class="roadmap-row" key={`${item.measureId}-${i}`} data-measure={item.measureId}>
              <title>{`${i + 1}. ${full}: ${ym(item.startMonth)}–${formatYearMonth(endMonth(startMonth, item))}, ${statusText(ctx, item.status)}`}</title>
              <line
                x1="0"
                x2={monthX(HORIZON_MONTHS)}
                y1={y + GANTT.rowHeight - 0.5}
                y2={y + GANTT.rowHeight - 0.5}
                stroke={COLORS.grid}
                stroke-width="1"
              />
              <text x="0" y={y + GANTT.rowHeight / 2 + 5} fill={COLORS.text} font-size={GANTT.fontSize}>
                {fitLabel(`${i + 1}. ${full}`, LABEL_CHARS)}
              </text>
              <Bar
                x={monthX(from)}
                y={y + (GANTT.rowHeight - GANTT.barHeight) / 2}
                width={(to - from) * GANTT.monthWidth}
                height={GANTT.barHeight}
                status={item.status}
                stripes={stripes}
              />
            </g>
          );
        })}
      </SvgImage>
      <RoadmapLegend ctx={ctx} sid={sid} />
    </div>
  );
}

/** The legend: each status with the bar drawing it is shown with. */
function RoadmapLegend({ ctx, sid }: { ctx: RoadmapContext; sid: string }) {
  const statuses: MeasureStatus[] = ['planned', 'in_progress', 'done'];
  return (
    <div class="map-legend">
      <p class="map-legend__title" id={`${sid}-legend`}>
        {ctx.t('roadmap.legend')}
      </p>
      <ul class="map-legend__list" aria-labelledby={`${sid}-legend`}>
        {statuses.map((s) => (
          <li key={s}>
            <svg
              class="map-legend__swatch"
              width="30"
              height="16"
              viewBox="0 0 30 16"
              aria-hidden="true"
              focusable="false"
            >
              {s === 'in_progress' ? (
                <defs>
                  <Stripes id={`${sid}-legend-stripes`} />
                </defs>
              ) : null}
              <Bar x={0} y={0} width={30} height={16} status={s} stripes={`${sid}-legend-stripes`} />
            </svg>
            {statusText(ctx, s)}
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface RoadmapTableProps {
  ctx: RoadmapContext;
  items: readonly PlanItem[];
  startMonth: string;
  catalogue: Pick<MeasureCatalogue, 'measures'>;
  /** Unique in the page (default "roadmap-table"). */
  id?: string;
  caption?: string;
  /** Link each measure to its catalogue page /massnahmen/:id (default true). */
  linkMeasures?: boolean;
}

/** The roadmap as a table, in the chart's order: measure, phase, start, end, owner, status, effort, costs. */
export function RoadmapTable({
  ctx,
  items,
  startMonth,
  catalogue,
  id = 'roadmap-table',
  caption,
  linkMeasures = true,
}: RoadmapTableProps) {
  const { t, lang } = ctx;
  const sid = safeId(id);
  const rows = roadmapOrder(items);
  const dropped = items.length - rows.length;
  const sum = (f: (i: PlanItem) => number) => rows.reduce((s, i) => s + f(i), 0);
  const days = (n: number) => formatNumber(lang, n, Number.isInteger(n) ? 0 : 1);
  const cell = 'kern-table__cell';
  return (
    <>
      <TableWrap labelledBy={`${sid}-caption`}>
        <table class="kern-table roadmap-table" id={sid}>
          <caption id={`${sid}-caption`} class="chart-table__caption">
            {caption ?? t('roadmap.tableCaption')}
          </caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.col.number')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.col.measure')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.col.phase')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.col.start')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.col.end')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.col.owner')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.col.status')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.col.effort')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.col.costOneOff')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.col.costPerYear')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {rows.length === 0 ? (
              <tr class="kern-table__row">
                <td class={cell} colSpan={10}>
                  {t('roadmap.empty')}
                </td>
              </tr>
            ) : null}
            {rows.map((item, i) => {
              const title = titleOf(catalogue, item.measureId, ctx);
              return (
                <tr class="kern-table__row" key={`${item.measureId}-${i}`} data-measure={item.measureId}>
                  <td class={`${cell} num`}>{i + 1}</td>
                  <th scope="row" class={cell}>
                    {linkMeasures ? (
                      <a class="kern-link" href={measureHref(item.measureId)}>
                        {title}
                      </a>
                    ) : (
                      title
                    )}
                  </th>
                  <td class={cell}>{t('roadmap.phase', { phase: phaseOf(item.startMonth) })}</td>
                  <td class={cell}>{formatYearMonth(addMonths(startMonth, item.startMonth))}</td>
                  <td class={cell}>{formatYearMonth(endMonth(startMonth, item))}</td>
                  <td class={cell}>{item.owner.trim() || t('roadmap.ownerOpen')}</td>
                  <td class={cell}>{statusText(ctx, item.status)}</td>
                  <td class={`${cell} num`}>{days(item.effortDays)}</td>
                  <td class={`${cell} num`}>{formatEur(t, lang, item.costOneOff)}</td>
                  <td class={`${cell} num`}>{formatEur(t, lang, item.costPerYear)}</td>
                </tr>
              );
            })}
          </tbody>
          {rows.length > 0 ? (
            <tfoot>
              <tr class="kern-table__row">
                <th scope="row" class={cell} colSpan={7}>
                  {t('roadmap.total')}
                </th>
                <td class={`${cell} num`}>{days(sum((i) => i.effortDays))}</td>
                <td class={`${cell} num`}>
                  {formatEur(
                    t,
                    lang,
                    sum((i) => i.costOneOff),
                  )}
                </td>
                <td class={`${cell} num`}>
                  {formatEur(
                    t,
                    lang,
                    sum((i) => i.costPerYear),
                  )}
                </td>
              </tr>
            </tfoot>
          ) : null}
        </table>
      </TableWrap>
      {dropped > 0 ? <p class="kern-body--small">{t('roadmap.dropped', { count: dropped })}</p> : null}
    </>
  );
}

export interface RoadmapProps extends RoadmapChartProps {
  /** Caption of the figure (default: the chart's title). */
  caption?: string;
  linkMeasures?: boolean;
}

/** Chart and table of the same items in one `<figure>`, the table below the chart. */
export function Roadmap(props: RoadmapProps) {
  const { ctx, id = 'roadmap' } = props;
  const sid = safeId(id);
  const caption = props.caption ?? props.title ?? ctx.t('roadmap.title');
  return (
    <figure class="chart-figure roadmap-figure" id={`${sid}-figure`}>
      <figcaption class="chart-figure__caption">{caption}</figcaption>
      <RoadmapChart {...props} id={sid} />
      <RoadmapTable
        ctx={ctx}
        items={props.items}
        startMonth={props.startMonth}
        catalogue={props.catalogue}
        id={`${sid}-table`}
        linkMeasures={props.linkMeasures}
      />
    </figure>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Capacity

/** An amount over its capacity is emphasised (the assessment column says it in words). */
const emphasised = (over: boolean, text: string) => (over ? <strong>{text}</strong> : text);

export interface CapacityViewProps {
  ctx: RoadmapContext;
  report: CapacityReport;
  /** What `explain` needs to name questions, dimensions and measures in the warnings. */
  model: Pick<MaturityModel, 'dimensions' | 'questions'>;
  catalogue: Pick<MeasureCatalogue, 'measures'>;
  /** The strategy's first month "YYYY-MM": names each year's months; without it "Jahr 1 (ab 2026)". */
  startMonth?: string;
  /** Unique in the page (default "capacity"). */
  id?: string;
  caption?: string;
}

/** Staff days and budget per strategy year against the capacity, the totals, and the warnings in words. */
export function CapacityView({
  ctx,
  report,
  model,
  catalogue,
  startMonth,
  id = 'capacity',
  caption,
}: CapacityViewProps) {
  const { t, lang } = ctx;
  const sid = safeId(id);
  const cell = 'kern-table__cell';
  const days = (n: number) => formatNumber(lang, n, Number.isInteger(n) ? 0 : 1);
  const eur = (n: number) => formatEur(t, lang, n);
  const yearLabel = (y: CapacityYear) =>
    startMonth
      ? t('roadmap.capacity.year', {
          year: y.year,
          from: formatYearMonth(addMonths(startMonth, (y.year - 1) * 12)),
          to: formatYearMonth(addMonths(startMonth, y.year * 12 - 1)),
        })
      : t('roadmap.capacity.yearFrom', { year: y.year, calendarYear: y.calendarYear });
  const assessment = (staff: boolean, budget: boolean): string =>
    staff || budget
      ? [
          ...(staff ? [t('roadmap.capacity.overStaff')] : []),
          ...(budget ? [t('roadmap.capacity.overBudget')] : []),
        ].join('; ')
      : t('roadmap.capacity.within');
  const total = {
    staffDays: report.totals.staffDays,
    staffCapacity: report.years.reduce((s, y) => s + y.staffCapacity, 0),
    budget: report.totals.budget,
    budgetCapacity: report.years.reduce((s, y) => s + y.budgetCapacity, 0),
  };
  const explainContext = { t, lang, model, catalogue };
  return (
    <div class="capacity" id={sid}>
      {report.warnings.length > 0 ? (
        <div class="kern-alert kern-alert--warning capacity-warnings" id={`${sid}-warnings`}>
          <div class="kern-alert__header">
            <p class="kern-title">{t('roadmap.capacity.warningsTitle')}</p>
          </div>
          <div class="kern-alert__body">
            <ul>
              {report.warnings.map((w, i) => (
                <li key={String(i)}>{explain(w, explainContext)}</li>
              ))}
            </ul>
          </div>
        </div>
      ) : (
        <p>{t('roadmap.capacity.ok')}</p>
      )}
      <TableWrap labelledBy={`${sid}-caption`}>
        <table class="kern-table capacity-table">
          <caption id={`${sid}-caption`} class="chart-table__caption">
            {caption ?? t('roadmap.capacity.caption')}
          </caption>
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class={cell}>
                {t('roadmap.capacity.col.year')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.capacity.col.staffPlanned')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.capacity.col.staffCapacity')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.capacity.col.budgetPlanned')}
              </th>
              <th scope="col" class={`${cell} num`}>
                {t('roadmap.capacity.col.budgetCapacity')}
              </th>
              <th scope="col" class={cell}>
                {t('roadmap.capacity.col.assessment')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {report.years.map((y) => {
              const overStaff = y.staffDays > y.staffCapacity;
              const overBudget = y.budget > y.budgetCapacity;
              return (
                <tr class="kern-table__row" key={y.year}>
                  <th scope="row" class={cell}>
                    {yearLabel(y)}
                  </th>
                  <td class={`${cell} num`}>{emphasised(overStaff, days(y.staffDays))}</td>
                  <td class={`${cell} num`}>{days(y.staffCapacity)}</td>
                  <td class={`${cell} num`}>{emphasised(overBudget, eur(y.budget))}</td>
                  <td class={`${cell} num`}>{eur(y.budgetCapacity)}</td>
                  <td class={cell}>{assessment(overStaff, overBudget)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr class="kern-table__row">
              <th scope="row" class={cell}>
                {t('roadmap.capacity.total')}
              </th>
              <td class={`${cell} num`}>{days(total.staffDays)}</td>
              <td class={`${cell} num`}>{days(total.staffCapacity)}</td>
              <td class={`${cell} num`}>{eur(total.budget)}</td>
              <td class={`${cell} num`}>{eur(total.budgetCapacity)}</td>
              <td class={cell}>
                {assessment(total.staffDays > total.staffCapacity, total.budget > total.budgetCapacity)}
              </td>
            </tr>
          </tfoot>
        </table>
      </TableWrap>
      <p>
        {t('roadmap.capacity.costs', {
          budget: eur(report.totals.budget),
          oneOff: eur(report.totals.costOneOff),
          running: eur(report.totals.costRunning),
          days: days(report.totals.staffDays),
        })}
      </p>
    </div>
  );
}
