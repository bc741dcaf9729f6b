/**
 * Server-rendered charts for assessment results: accessible SVG plus a data table with the same numbers.
 *
 * Pure render functions (no I/O). Works under a strict CSP (`style-src 'self'`): no `style` attributes, only
 * SVG presentation attributes and classes from site.css. Every SVG has `role="img"`, a `<title>` and a
 * `<desc>` referenced by `aria-labelledby`/`aria-describedby`; the ids derive from the `id` prop, so give every
 * chart on a page its own `id`.
 *
 * Colours: bars, lines and columns are dark blue (#08519c, 7.9:1 against white, WCAG 1.4.11 needs 3:1); text is
 * near-black or dark grey (≥ 7:1, WCAG 1.4.3 needs 4.5:1). A missing value is never drawn as a zero bar: it gets
 * a hatched stub and the words "keine Angabe" / "n/a".
 *
 * Texts come from the module's catalogue (`chart.*` in messages.ts) through the `t` every component is given;
 * `lang` only chooses number and date formats.
 */
import type { ComponentChildren } from 'preact';
import { formatDate, formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';

// ---------------------------------------------------------------------------------------------------------
// Shared: colours, ids, number formatting
// ---------------------------------------------------------------------------------------------------------

export const COLORS = {
  /** Bars, columns, lines: 7.9:1 against white. */
  mark: '#08519c',
  /** Main text: 17:1. */
  text: '#1a1a1a',
  /** Secondary text (axis labels, "keine Angabe"): 7.0:1. */
  muted: '#595959',
  /** Gridlines: decoration only. */
  grid: '#d9d9d9',
  /** Hatching and outlines of missing values: 4.5:1. */
  hatch: '#767676',
  white: '#ffffff',
} as const;

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new RangeError(`not a #rrggbb colour: ${hex}`);
  const [r, g, b] = [m[1], m[2], m[3]].map((h) => {
    const c = Number.parseInt(h as string, 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1 … 21). */
export function contrastRatio(a: string, b: string): number {
  const la = luminance(a);
  const lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The text colour (black or white) with the better contrast on `background`. Pure black, not COLORS.text: on
 * mid-tones such as #3182bd neither near-black nor white reaches 4.5:1, black does (5.1:1).
 */
export function textColorOn(background: string): string {
  return contrastRatio('#000000', background) >= contrastRatio(COLORS.white, background) ? '#000000' : COLORS.white;
}

/** An id usable in HTML and in `url(#…)`: letters, digits, `-` and `_`, starting with a letter. */
export function safeId(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9_-]/g, '-');
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `c-${cleaned}`;
}

export type ValueFormat = (value: number) => string;

/** Number with unit, e.g. "45 %" (de), "45%" (en), "3,5 Punkte". */
export function formatValue(lang: Lang, value: number, unit = '', digits = 0): string {
  const n = formatNumber(lang, value, digits);
  if (!unit) return n;
  if (unit === '%' && lang === 'en') return `${n}%`;
  return `${n}\u00a0${unit}`;
}

function valueFormatter(lang: Lang, unit: string, digits: number, custom?: ValueFormat): ValueFormat {
  return custom ?? ((v) => formatValue(lang, v, unit, digits));
}

function isValue(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** Shorten a label drawn in SVG (SVG text does not wrap); the table keeps the full text. */
function fitLabel(label: string, maxChars: number): string {
  return label.length <= maxChars ? label : `${label.slice(0, Math.max(maxChars - 1, 1)).trimEnd()}…`;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * The SVG of a chart or map as an image for assistive technology: `role="img"`, labelled by its `<title>` and
 * described by its `<desc>` (ids from `sid`, unique in the page); the drawing goes in as children.
 */
export function SvgImage(props: {
  sid: string;
  class: string;
  viewBox: string;
  align: 'xMinYMin meet' | 'xMidYMid meet';
  title: string;
  desc: ComponentChildren;
  children?: ComponentChildren;
}) {
  return (
    <svg
      class={props.class}
      viewBox={props.viewBox}
      preserveAspectRatio={props.align}
      role="img"
      aria-labelledby={`${props.sid}-title`}
      aria-describedby={`${props.sid}-desc`}
    >
      <title id={`${props.sid}-title`}>{props.title}</title>
      <desc id={`${props.sid}-desc`}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

/** Diagonal hatching for missing values; `id` must be unique in the page. */
export function HatchPattern({ id, size = 6 }: { id: string; size?: number }) {
  return (
    <pattern id={id} width={size} height={size} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width={size} height={size} fill={COLORS.white} />
      <line x1="0" y1="0" x2="0" y2={size} stroke={COLORS.hatch} stroke-width={r1(size / 3)} />
    </pattern>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Figure and tables
// ---------------------------------------------------------------------------------------------------------

export interface ChartFigureProps {
  id: string;
  title: string;
  /** The graphic (SVG, legend). */
  graphic: ComponentChildren;
  /** The table (with its caption). */
  table: ComponentChildren;
  /** Put the table into a closed `<details>` (long tables, e.g. 400 Kreise). */
  collapseTable?: boolean;
  t: Translate;
}

/** `<figure>` with the title as `<figcaption>`, the graphic and the table side by side (stacked when narrow). */
export function ChartFigure({ id, title, graphic, table, collapseTable = false, t }: ChartFigureProps) {
  const fid = safeId(id);
  return (
    <figure class="chart-figure" id={`${fid}-figure`}>
      <figcaption class="chart-figure__caption">{title}</figcaption>
      <div class={collapseTable ? 'chart-figure__body chart-figure__body--stacked' : 'chart-figure__body'}>
        <div class="chart-figure__graphic">{graphic}</div>
        {collapseTable ? (
          <details class="chart-figure__details">
            <summary>{t('chart.showTable')}</summary>
            {table}
          </details>
        ) : (
          table
        )}
      </div>
    </figure>
  );
}

/** A scrollable, keyboard-reachable wrapper for a table (axe: scrollable-region-focusable). */
export function TableWrap({ labelledBy, children }: { labelledBy: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap chart-table" role="region" tabindex={0} aria-labelledby={labelledBy}>
      {children}
    </div>
  );
}

export interface ChartRow {
  label: string;
  value: number | null;
  note?: string;
}

export interface DataTableProps {
  id: string;
  caption: string;
  rows: ChartRow[];
  t: Translate;
  lang: Lang;
  unit?: string;
  digits?: number;
  valueFormat?: ValueFormat;
  /** Header of the label column; default "Bereich" / "Item". */
  labelHeader?: string;
  /** Header of the value column; default "Wert" / "Value". */
  valueHeader?: string;
}

/** The numbers of a chart as a table; a missing value reads "keine Angabe" / "n/a". */
export function DataTable({
  id,
  caption,
  rows,
  t,
  lang,
  unit = '',
  digits = 0,
  valueFormat,
  labelHeader,
  valueHeader,
}: DataTableProps) {
  const cid = `${safeId(id)}-caption`;
  const fmt = valueFormatter(lang, unit, digits, valueFormat);
  const hasNotes = rows.some((r) => r.note);
  return (
    <TableWrap labelledBy={cid}>
      <table class="kern-table">
        <caption id={cid} class="chart-table__caption">
          {caption}
        </caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__cell">
              {labelHeader ?? t('chart.item')}
            </th>
            <th scope="col" class="kern-table__cell num">
              {valueHeader ?? t('chart.value')}
            </th>
            {hasNotes ? (
              <th scope="col" class="kern-table__cell">
                {t('chart.note')}
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((r, i) => (
            <tr class="kern-table__row" key={i}>
              <th scope="row" class="kern-table__cell">
                {r.label}
              </th>
              <td class="kern-table__cell num">{isValue(r.value) ? fmt(r.value) : t('chart.na')}</td>
              {hasNotes ? <td class="kern-table__cell">{r.note ?? ''}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Bar chart
// ---------------------------------------------------------------------------------------------------------

export interface BarChartProps {
  /** Unique in the page; the ids `${id}-title`, `${id}-desc`, `${id}-hatch` derive from it. */
  id: string;
  title: string;
  /** Text of `<desc>`; default a list of all values. */
  description?: string;
  rows: ChartRow[];
  /** Value of a full-length bar; default 100. Larger values are drawn full length (the label tells). */
  max?: number;
  unit?: string;
  digits?: number;
  valueFormat?: ValueFormat;
  t: Translate;
  lang: Lang;
}

const BAR = { width: 480, labelSize: 16, valueSize: 15, barHeight: 22, rowHeight: 58, valueSpace: 84, axis: 30 };

function rowsSummary(rows: ChartRow[], t: Translate, fmt: ValueFormat): string {
  return rows.map((r) => `${r.label}: ${isValue(r.value) ? fmt(r.value) : t('chart.na')}`).join('; ');
}

/** Horizontal bars, label above each bar, value right of it; gridlines at quarters of `max`. */
export function BarChart({
  id,
  title,
  description,
  rows,
  max = 100,
  unit = '',
  digits = 0,
  valueFormat,
  t,
  lang,
}: BarChartProps) {
  const sid = safeId(id);
  const fmt = valueFormatter(lang, unit, digits, valueFormat);
  const scaleMax = max > 0 ? max : 1;
  const trackW = BAR.width - BAR.valueSpace;
  const height = Math.max(rows.length, 1) * BAR.rowHeight + BAR.axis;
  const plotBottom = height - BAR.axis;
  const maxChars = Math.floor(BAR.width / (BAR.labelSize * 0.55));
  const desc = description ?? (rows.length > 0 ? rowsSummary(rows, t, fmt) : t('chart.noData'));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <SvgImage
      sid={sid}
      class="chart chart--bars"
      viewBox={`0 0 ${BAR.width} ${height}`}
      align="xMinYMin meet"
      title={title}
      desc={desc}
    >
      <defs>
        <HatchPattern id={`${sid}-hatch`} />
      </defs>
      <g stroke={COLORS.grid} stroke-width="1">
        {ticks.map((t) => (
          <line key={t} x1={r1(t * trackW) + 0.5} x2={r1(t * trackW) + 0.5} y1="0" y2={plotBottom} />
        ))}
      </g>
      <g fill={COLORS.muted} font-size="13" text-anchor="middle">
        {ticks.map((t) => (
          <text key={t} x={Math.min(Math.max(r1(t * trackW), 14), trackW - 8)} y={plotBottom + 20}>
            {fmt(t * scaleMax)}
          </text>
        ))}
      </g>
      {rows.length === 0 ? (
        <text x="0" y="30" fill={COLORS.muted} font-size={BAR.labelSize}>
          {t('chart.noData')}
        </text>
      ) : null}
      {rows.map((r, i) => {
        const top = i * BAR.rowHeight;
        const barY = top + 24;
        const mid = barY + BAR.barHeight / 2 + 5;
        const has = isValue(r.value);
        const len = has ? r1((Math.min(Math.max(r.value as number, 0), scaleMax) / scaleMax) * trackW) : 0;
        return (
          <g key={i}>
            <text x="0" y={top + 17} fill={COLORS.text} font-size={BAR.labelSize}>
              {fitLabel(r.label, maxChars)}
            </text>
            {has ? (
              <>
                {len > 0 ? <rect x="0" y={barY} width={len} height={BAR.barHeight} fill={COLORS.mark} /> : null}
                <text x={len + 6} y={mid} fill={COLORS.text} font-size={BAR.valueSize} font-weight="700">
                  {fmt(r.value as number)}
                </text>
              </>
            ) : (
              <>
                <rect
                  x="0.5"
                  y={barY + 0.5}
                  width="40"
                  height={BAR.barHeight - 1}
                  fill={`url(#${sid}-hatch)`}
                  stroke={COLORS.hatch}
                />
                <text x="48" y={mid} fill={COLORS.muted} font-size={BAR.valueSize}>
                  {t('chart.na')}
                </text>
              </>
            )}
          </g>
        );
      })}
    </SvgImage>
  );
}

export interface ChartWithTableProps extends BarChartProps {
  /** Caption of the table; default "Tabelle: {title}". */
  tableCaption?: string;
  labelHeader?: string;
  valueHeader?: string;
}

/** Bar chart and table of the same rows in one `<figure>`. */
export function ChartWithTable(props: ChartWithTableProps) {
  const { id, title, t, lang, tableCaption, labelHeader, valueHeader, rows, unit, digits, valueFormat } = props;
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      graphic={<BarChart {...props} />}
      table={
        <DataTable
          id={`${safeId(id)}-table`}
          caption={tableCaption ?? t('chart.tableCaption', { title })}
          rows={rows}
          t={t}
          lang={lang}
          unit={unit}
          digits={digits}
          valueFormat={valueFormat}
          labelHeader={labelHeader}
          valueHeader={valueHeader}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// Level distribution (levels 0..4)
// ---------------------------------------------------------------------------------------------------------

export interface LevelDistributionProps {
  id: string;
  title: string;
  description?: string;
  /** How many results are at level 0, 1, 2, 3, 4 (other lengths work too). */
  counts: number[];
  /** Names of the levels; default "Stufe 0" … / "Level 0" …. */
  labels?: string[];
  /**
   * The model's names of the levels ("Nicht begonnen" …): drawn as a second line under "Stufe n", and beside it
   * in the table and the text alternative ("Stufe 0 „Nicht begonnen“").
   */
  levelNames?: string[];
  t: Translate;
  lang: Lang;
  tableCaption?: string;
}

const COLUMNS = { width: 480, height: 240, top: 28, bottom: 40 };

function levelLabels(counts: number[], t: Translate, labels?: string[], levelNames?: string[]): string[] {
  return counts.map((_, i) => {
    const label = labels?.[i] ?? t('chart.levelN', { level: i });
    const name = levelNames?.[i];
    return name ? t('chart.levelNamed', { label, name }) : label;
  });
}

/** Columns, one per level, with the count above each column. */
export function LevelChart({ id, title, description, counts, labels, levelNames, t, lang }: LevelDistributionProps) {
  const sid = safeId(id);
  const names = levelLabels(counts, t, labels, levelNames);
  const short = levelLabels(counts, t, labels);
  const COL = levelNames ? { ...COLUMNS, height: COLUMNS.height + 16 } : COLUMNS;
  const total = counts.reduce((a, b) => a + Math.max(b, 0), 0);
  const maxCount = Math.max(...counts, 1);
  const n = Math.max(counts.length, 1);
  const slot = COL.width / n;
  const colW = Math.min(slot * 0.6, 90);
  const base = COL.height - COL.bottom - (levelNames ? 16 : 0);
  const plotH = base - COL.top;
  const maxChars = Math.floor(slot / (14 * 0.55));
  const maxNameChars = Math.floor(slot / (12 * 0.55));
  const desc = description ?? counts.map((c, i) => `${names[i]}: ${formatNumber(lang, c)}`).join('; ');
  return (
    <SvgImage
      sid={sid}
      class="chart chart--columns"
      viewBox={`0 0 ${COL.width} ${COL.height}`}
      align="xMinYMin meet"
      title={title}
      desc={desc}
    >
      <line x1="0" x2={COL.width} y1={base + 0.5} y2={base + 0.5} stroke={COLORS.muted} stroke-width="1" />
      {counts.map((c, i) => {
        const h = total > 0 ? r1((Math.max(c, 0) / maxCount) * plotH) : 0;
        const cx = r1(slot * i + slot / 2);
        return (
          <g key={i}>
            {h > 0 ? (
              <rect x={r1(cx - colW / 2)} y={r1(base - h)} width={r1(colW)} height={h} fill={COLORS.mark} />
            ) : null}
            <text x={cx} y={r1(base - h - 8)} fill={COLORS.text} font-size="16" font-weight="700" text-anchor="middle">
              {formatNumber(lang, c)}
            </text>
            <text x={cx} y={base + 24} fill={COLORS.text} font-size="14" text-anchor="middle">
              {fitLabel(short[i] as string, maxChars)}
            </text>
            {levelNames?.[i] ? (
              <text x={cx} y={base + 40} fill={COLORS.muted} font-size="12" text-anchor="middle">
                {fitLabel(levelNames[i], maxNameChars)}
              </text>
            ) : null}
          </g>
        );
      })}
    </SvgImage>
  );
}

/** Level columns and a table (level, count, share) in one `<figure>`. */
export function LevelDistribution(props: LevelDistributionProps) {
  const { id, title, counts, labels, levelNames, t, lang, tableCaption } = props;
  const sid = safeId(id);
  const names = levelLabels(counts, t, labels, levelNames);
  const total = counts.reduce((a, b) => a + Math.max(b, 0), 0);
  const cid = `${sid}-table-caption`;
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      graphic={<LevelChart {...props} />}
      table={
        <TableWrap labelledBy={cid}>
          <table class="kern-table">
            <caption id={cid} class="chart-table__caption">
              {tableCaption ?? t('chart.tableCaption', { title })}
            </caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__cell">
                  {t('chart.level')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.count')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.share')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {counts.map((c, i) => (
                <tr class="kern-table__row" key={i}>
                  <th scope="row" class="kern-table__cell">
                    {names[i]}
                  </th>
                  <td class="kern-table__cell num">{formatNumber(lang, c)}</td>
                  <td class="kern-table__cell num">
                    {total > 0 ? formatValue(lang, (100 * Math.max(c, 0)) / total, '%') : t('chart.na')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      }
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// Trend of repeated checks
// ---------------------------------------------------------------------------------------------------------

export interface TrendPoint {
  /** ISO date (YYYY-MM-DD or a full timestamp). */
  date: string;
  value: number;
}

export interface TrendProps {
  id: string;
  title: string;
  description?: string;
  points: TrendPoint[];
  /** Top of the y axis; default 100. */
  max?: number;
  unit?: string;
  digits?: number;
  valueFormat?: ValueFormat;
  t: Translate;
  lang: Lang;
  tableCaption?: string;
}

/** x positions by time (evenly spaced when all dates are equal or unparseable). */
function timeXs(points: TrendPoint[], x0: number, x1: number): number[] {
  if (points.length === 1) return [(x0 + x1) / 2];
  const ts = points.map((p) => Date.parse(p.date));
  const lo = Math.min(...ts);
  const hi = Math.max(...ts);
  if (!ts.every(Number.isFinite) || hi === lo) {
    return points.map((_, i) => x0 + ((x1 - x0) * i) / (points.length - 1));
  }
  return ts.map((t) => x0 + ((x1 - x0) * (t - lo)) / (hi - lo));
}

/**
 * Which of the labels at ascending positions `xs` to draw so that none are closer than `gap`: the first and the
 * last always (the last wins over a close neighbour), the others when there is room.
 */
function spacedLabels(xs: number[], gap: number): boolean[] {
  const n = xs.length;
  const shown = xs.map(() => false);
  if (n === 0) return shown;
  shown[0] = true;
  const lastX = xs[n - 1] as number;
  let prev = xs[0] as number;
  for (let i = 1; i < n - 1; i++) {
    const x = xs[i] as number;
    if (x - prev >= gap && lastX - x >= gap) {
      shown[i] = true;
      prev = x;
    }
  }
  if (n > 1 && lastX - (xs[0] as number) >= gap) shown[n - 1] = true;
  return shown;
}

function sortedPoints(points: TrendPoint[]): TrendPoint[] {
  return points.filter((p) => isValue(p.value)).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function trendSummary(points: TrendPoint[], t: Translate, lang: Lang, fmt: ValueFormat): string {
  const first = points[0];
  const last = points[points.length - 1];
  if (!first || !last) return t('chart.noData');
  return t('chart.trend', {
    from: formatDate(lang, first.date),
    a: fmt(first.value),
    to: formatDate(lang, last.date),
    b: fmt(last.value),
  });
}

const TREND = { width: 480, height: 220, left: 52, right: 24, top: 24, bottom: 44 };

/** Line chart of repeated results over time, y axis 0..max. */
export function TrendChart({
  id,
  title,
  description,
  points,
  max = 100,
  unit = '',
  digits = 0,
  valueFormat,
  t,
  lang,
}: TrendProps) {
  const sid = safeId(id);
  const fmt = valueFormatter(lang, unit, digits, valueFormat);
  const pts = sortedPoints(points);
  const scaleMax = max > 0 ? max : 1;
  const x0 = TREND.left;
  const x1 = TREND.width - TREND.right;
  const y0 = TREND.height - TREND.bottom;
  const y1 = TREND.top;
  const xs = timeXs(pts, x0 + 12, x1 - 12);
  const y = (v: number): number => r1(y0 - (Math.min(Math.max(v, 0), scaleMax) / scaleMax) * (y0 - y1));
  const coords = pts.map((p, i) => [r1(xs[i] as number), y(p.value)] as const);
  const valueShown = spacedLabels(xs, 40);
  const dateShown = spacedLabels(xs, 84);
  const showValues = (i: number): boolean => valueShown[i] === true;
  const showDate = (i: number): boolean => dateShown[i] === true;
  const desc = description ?? trendSummary(pts, t, lang, fmt);
  return (
    <SvgImage
      sid={sid}
      class="chart chart--trend"
      viewBox={`0 0 ${TREND.width} ${TREND.height}`}
      align="xMinYMin meet"
      title={title}
      desc={desc}
    >
      {[0, 0.25, 0.5, 0.75, 1].map((t) => {
        const gy = y(t * scaleMax) + 0.5;
        return (
          <g key={t}>
            <line x1={x0} x2={x1} y1={gy} y2={gy} stroke={t === 0 ? COLORS.muted : COLORS.grid} stroke-width="1" />
            <text x={x0 - 8} y={gy + 5} fill={COLORS.muted} font-size="13" text-anchor="end">
              {fmt(t * scaleMax)}
            </text>
          </g>
        );
      })}
      {pts.length === 0 ? (
        <text x={(x0 + x1) / 2} y={(y0 + y1) / 2} fill={COLORS.muted} font-size="16" text-anchor="middle">
          {t('chart.noData')}
        </text>
      ) : null}
      {coords.length > 1 ? (
        <polyline
          points={coords.map(([px, py]) => `${px},${py}`).join(' ')}
          fill="none"
          stroke={COLORS.mark}
          stroke-width="3"
          stroke-linejoin="round"
        />
      ) : null}
      {coords.map(([px, py], i) => (
        <g key={i}>
          <circle cx={px} cy={py} r="5" fill={COLORS.mark} stroke={COLORS.white} stroke-width="2" />
          {showValues(i) ? (
            <text x={px} y={py - 11} fill={COLORS.text} font-size="14" font-weight="700" text-anchor="middle">
              {fmt((pts[i] as TrendPoint).value)}
            </text>
          ) : null}
          {showDate(i) ? (
            <text
              x={px}
              y={y0 + 24}
              fill={COLORS.muted}
              font-size="13"
              text-anchor={
                pts.length > 1 && i === 0 ? 'start' : pts.length > 1 && i === pts.length - 1 ? 'end' : 'middle'
              }
            >
              {formatDate(lang, (pts[i] as TrendPoint).date)}
            </text>
          ) : null}
        </g>
      ))}
    </SvgImage>
  );
}

/** Trend line and a table (date, value) in one `<figure>`. */
export function Trend(props: TrendProps) {
  const { id, title, t, lang, points, unit = '', digits = 0, valueFormat, tableCaption } = props;
  const fmt = valueFormatter(lang, unit, digits, valueFormat);
  const rows: ChartRow[] = sortedPoints(points).map((p) => ({ label: formatDate(lang, p.date), value: p.value }));
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      graphic={<TrendChart {...props} />}
      table={
        <DataTable
          id={`${safeId(id)}-table`}
          caption={tableCaption ?? t('chart.tableCaption', { title })}
          rows={rows}
          t={t}
          lang={lang}
          valueFormat={fmt}
          labelHeader={t('chart.date')}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// Peer box plot: the middle half (q1–q3) and median of each peer group, and the municipality's own score
// ---------------------------------------------------------------------------------------------------------

export interface PeerBoxRow {
  /** The group's name ("Kommunen in Bayern"). */
  label: string;
  n: number;
  q1: number;
  median: number;
  q3: number;
  /** The municipality's own score. */
  own: number;
  /** Share of the group scoring below the municipality (ties count half), 0..100. */
  percentile: number;
  /** How many of the n are demo checks; the row says so. */
  demo: number;
}

export interface PeerBoxPlotProps {
  id: string;
  title: string;
  rows: PeerBoxRow[];
  t: Translate;
  lang: Lang;
}

const BOX = { width: 480, rowHeight: 64, labelSize: 15, boxHeight: 18, axis: 30, pad: 12 };

/**
 * One row per peer group on a 0–100 scale: the box spans the middle half of the group (q1 to q3), the bar in it is
 * the median, the diamond is the municipality's own score. No whiskers: minimum and maximum would be single
 * results of other municipalities. The `<desc>` and the table beside it carry every number.
 */
export function PeerBoxPlot({ id, title, rows, t, lang }: PeerBoxPlotProps) {
  const sid = safeId(id);
  const f = (v: number) => formatNumber(lang, v);
  const trackW = BOX.width - 2 * BOX.pad;
  const x = (v: number) => r1(BOX.pad + (Math.min(Math.max(v, 0), 100) / 100) * trackW);
  const height = Math.max(rows.length, 1) * BOX.rowHeight + BOX.axis;
  const plotBottom = height - BOX.axis;
  const maxChars = Math.floor(BOX.width / (BOX.labelSize * 0.55));
  const line = (r: PeerBoxRow) =>
    t('chart.box.row', {
      group: r.label,
      n: r.n,
      q1: f(r.q1),
      median: f(r.median),
      q3: f(r.q3),
      own: f(r.own),
      percentile: f(r.percentile),
    }) + (r.demo > 0 ? ` ${t('chart.box.demo', { demo: r.demo })}` : '');
  const ticks = [0, 25, 50, 75, 100];
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      graphic={
        <SvgImage
          sid={sid}
          class="chart chart--box"
          viewBox={`0 0 ${BOX.width} ${height}`}
          align="xMinYMin meet"
          title={title}
          desc={rows.length ? `${t('chart.box.legend')} ${rows.map(line).join(' ')}` : t('chart.noData')}
        >
          <g stroke={COLORS.grid} stroke-width="1">
            {ticks.map((v) => (
              <line key={v} x1={x(v) + 0.5} x2={x(v) + 0.5} y1="0" y2={plotBottom} />
            ))}
          </g>
          <g fill={COLORS.muted} font-size="13" text-anchor="middle">
            {ticks.map((v) => (
              <text key={v} x={x(v)} y={plotBottom + 20}>
                {f(v)}
              </text>
            ))}
          </g>
          {rows.map((r, i) => {
            const top = i * BOX.rowHeight;
            const boxY = top + 26;
            const mid = boxY + BOX.boxHeight / 2;
            const ox = x(r.own);
            return (
              <g key={i}>
                <text x={BOX.pad} y={top + 17} fill={COLORS.text} font-size={BOX.labelSize}>
                  {fitLabel(`${r.label} (n = ${r.n}${r.demo > 0 ? `, ${t('chart.box.demoShort')}` : ''})`, maxChars)}
                </text>
                <rect
                  x={x(r.q1)}
                  y={boxY}
                  width={Math.max(x(r.q3) - x(r.q1), 1)}
                  height={BOX.boxHeight}
                  fill="#c6dbef"
                  stroke={COLORS.mark}
                  stroke-width="1.5"
                />
                <line
                  x1={x(r.median)}
                  x2={x(r.median)}
                  y1={boxY - 3}
                  y2={boxY + BOX.boxHeight + 3}
                  stroke={COLORS.mark}
                  stroke-width="3"
                />
                <path
                  d={`M ${ox} ${mid - 9} L ${ox + 9} ${mid} L ${ox} ${mid + 9} L ${ox - 9} ${mid} Z`}
                  fill={COLORS.text}
                  stroke={COLORS.white}
                  stroke-width="1.5"
                />
              </g>
            );
          })}
        </SvgImage>
      }
      table={
        <TableWrap labelledBy={`${sid}-caption`}>
          <table class="kern-table">
            <caption id={`${sid}-caption`} class="chart-table__caption">
              {t('chart.tableCaption', { title })}
            </caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__cell">
                  {t('chart.box.group')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  n
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.box.q1')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.box.median')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.box.q3')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.box.own')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('chart.box.percentile')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((r, i) => (
                <tr class="kern-table__row" key={i}>
                  <th scope="row" class="kern-table__cell">
                    {r.label}
                    {r.demo > 0 ? ` (${t('chart.box.demo', { demo: r.demo })})` : ''}
                  </th>
                  <td class="kern-table__cell num">{r.n}</td>
                  <td class="kern-table__cell num">{f(r.q1)}</td>
                  <td class="kern-table__cell num">{f(r.median)}</td>
                  <td class="kern-table__cell num">{f(r.q3)}</td>
                  <td class="kern-table__cell num">{f(r.own)}</td>
                  <td class="kern-table__cell num">{f(r.percentile)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      }
    />
  );
}
