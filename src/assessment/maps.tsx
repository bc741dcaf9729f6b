/**
 * Choropleth maps for assessment results, rendered on the server as SVG, each with a table of the same numbers.
 *
 * Pure render functions (no I/O): the caller loads the boundaries (`region_boundaries`) and the values. Without
 * imported boundaries, `TileMap` shows the 16 Länder as a tile grid.
 *
 * Colours: a five-class sequential blue scale (ColorBrewer "Blues", colour-blind safe, also readable in
 * greyscale); regions are outlined dark grey so that even the lightest class stands out from the white page.
 * Regions without a value are plain grey ("keine Angabe"); regions whose value is withheld (e.g. Kreise with
 * fewer than 5 participating municipalities, decided by the caller via `suppressed`) are hatched
 * ("nicht genug Daten"). CSP-safe: no `style` attributes.
 *
 * Texts (`map.*`, `chart.*` in messages.ts, the Länder names `map.land.01` … `map.land.16`) come through the
 * `t` every component is given; `lang` only chooses number formats.
 */

import type { Lang, Translate } from '../platform/i18n/i18n.js';
import type { BBox, BoundaryMultiPolygon } from '../register/index.js';
import {
  ChartFigure,
  COLORS,
  formatValue,
  HatchPattern,
  SvgImage,
  safeId,
  TableWrap,
  textColorOn,
  type ValueFormat,
} from './charts.js';
import { fitProjection, geometryBBox, geometryToPath, unionBBox } from './projection.js';

// ---------------------------------------------------------------------------------------------------------
// Classes and colours
// ---------------------------------------------------------------------------------------------------------

/** ColorBrewer "Blues" for 1–5 classes (light → dark). */
export const PALETTES: readonly (readonly string[])[] = [
  ['#6baed6'],
  ['#bdd7e7', '#3182bd'],
  ['#deebf7', '#9ecae1', '#3182bd'],
  ['#eff3ff', '#bdd7e7', '#6baed6', '#2171b5'],
  ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'],
];

/** Fill of regions without a value. */
export const NO_VALUE_FILL = '#cccccc';
/** Outline of regions. */
export const OUTLINE = '#4d4d4d';

/**
 * Break points for `classes` classes with about equally many values each (quantiles). Returns at most
 * `classes - 1` ascending break points; fewer when values repeat. A value equal to a break point belongs to the
 * class above it. Nulls and non-finite values are ignored. `digits` rounds the breaks (nicer legends).
 */
export function equalCountBreaks(values: (number | null | undefined)[], classes = 5, digits?: number): number[] {
  const sorted = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  const n = Math.min(Math.max(Math.floor(classes), 1), PALETTES.length);
  if (sorted.length === 0) return [];
  const min = sorted[0] as number;
  const breaks: number[] = [];
  for (let i = 1; i < n; i++) {
    let b = sorted[Math.min(Math.round((i * sorted.length) / n), sorted.length - 1)] as number;
    if (digits !== undefined) b = Math.round(b * 10 ** digits) / 10 ** digits;
    if (b > min && (breaks.length === 0 || b > (breaks[breaks.length - 1] as number))) breaks.push(b);
  }
  return breaks;
}

/** Fixed break points (e.g. [20, 40, 60, 80] for scores 0–100 → five classes); checked and copied. */
export function fixedBreaks(breaks: number[]): number[] {
  if (breaks.length > PALETTES.length - 1) {
    throw new RangeError(`at most ${PALETTES.length - 1} break points, got ${breaks.length}`);
  }
  breaks.forEach((b, i) => {
    if (!Number.isFinite(b)) throw new RangeError(`break point ${i} is not a finite number`);
    if (i > 0 && b <= (breaks[i - 1] as number)) throw new RangeError('break points must be strictly ascending');
  });
  return [...breaks];
}

/** Class index (0 … breaks.length) of a value: the number of break points ≤ value. */
export function classOf(value: number, breaks: number[]): number {
  let c = 0;
  for (const b of breaks) if (value >= b) c++;
  return c;
}

function paletteFor(breaks: number[]): readonly string[] {
  return PALETTES[Math.min(breaks.length, PALETTES.length - 1)] as readonly string[];
}

export interface Valued {
  key: string;
  name: string;
  value: number | null;
  /** Value withheld (too few participants): shown as "nicht genug Daten". */
  suppressed?: boolean;
  /** Value withheld although large enough, to protect smaller groups: dotted ("zurückgehalten zum Schutz"). */
  withheld?: boolean;
  /** Says why there is no value for this region in particular (e.g. a city state), instead of the fill's label. */
  note?: string;
}

/** What the fills stand for, where a page says it more precisely than "keine Angabe" / "nicht genug Daten". */
export interface FillLabels {
  na?: string;
  suppressed?: string;
  withheld?: string;
}

type State =
  | { kind: 'value'; value: number; fill: string }
  | { kind: 'na' }
  | { kind: 'suppressed' }
  | { kind: 'withheld' };

function stateOf(row: Valued, breaks: number[]): State {
  if (row.withheld) return { kind: 'withheld' };
  if (row.suppressed) return { kind: 'suppressed' };
  if (typeof row.value !== 'number' || !Number.isFinite(row.value)) return { kind: 'na' };
  return { kind: 'value', value: row.value, fill: paletteFor(breaks)[classOf(row.value, breaks)] as string };
}

/** The text of a region: its value, or its own note, or what its fill means. */
function rowText(row: Valued, state: State, t: Translate, fmt: ValueFormat, labels?: FillLabels): string {
  return state.kind !== 'value' && row.note ? row.note : stateText(state, t, fmt, labels);
}

function stateText(state: State, t: Translate, fmt: ValueFormat, labels: FillLabels = {}): string {
  if (state.kind === 'withheld') return labels.withheld ?? t('chart.withheld');
  if (state.kind === 'suppressed') return labels.suppressed ?? t('chart.notEnough');
  if (state.kind === 'na') return labels.na ?? t('chart.na');
  return fmt(state.value);
}

/** Dots on white for values withheld to protect smaller groups; `id` must be unique in the page. */
export function DotPattern({ id, size = 6 }: { id: string; size?: number }) {
  return (
    <pattern id={id} width={size} height={size} patternUnits="userSpaceOnUse">
      <rect width={size} height={size} fill={COLORS.white} />
      <circle cx={size / 2} cy={size / 2} r={size / 4} fill={COLORS.text} />
    </pattern>
  );
}

function fillOf(state: State, hatchId: string): string {
  if (state.kind === 'withheld') return `url(#${hatchId}-dots)`;
  if (state.kind === 'suppressed') return `url(#${hatchId})`;
  if (state.kind === 'na') return NO_VALUE_FILL;
  return state.fill;
}

// ---------------------------------------------------------------------------------------------------------
// Legend and table
// ---------------------------------------------------------------------------------------------------------

export interface LegendProps {
  /** Unique in the page (the legend defines its own hatch pattern `${id}-legend-hatch`). */
  id: string;
  title: string;
  breaks: number[];
  t: Translate;
  valueFormat: ValueFormat;
  /** Show the "keine Angabe" / "nicht genug Daten" / "zurückgehalten" entries. */
  showNoValue: boolean;
  showSuppressed: boolean;
  showWithheld?: boolean;
  labels?: FillLabels;
  /** A last entry without swatch fill for regions the map cannot draw (e.g. "keine Grenzen: 3 Kreise"). */
  unmappedLabel?: string;
}

/** The class legend as an HTML list (text scales with the page), each entry with a small swatch. */
export function MapLegend({
  id,
  title,
  breaks,
  t,
  valueFormat: fmt,
  showNoValue,
  showSuppressed,
  showWithheld = false,
  labels = {},
  unmappedLabel,
}: LegendProps) {
  const sid = safeId(id);
  const palette = paletteFor(breaks);
  const hatchId = `${sid}-legend-hatch`;
  const entries: { label: string; fill: string }[] = palette.map((fill, i) => {
    const lo = breaks[i - 1];
    const hi = breaks[i];
    const label =
      lo === undefined && hi === undefined
        ? t('map.all')
        : lo === undefined
          ? t('map.below', { a: fmt(hi as number) })
          : hi === undefined
            ? t('map.above', { a: fmt(lo) })
            : t('map.range', { a: fmt(lo), b: fmt(hi) });
    return { label, fill };
  });
  if (showNoValue) entries.push({ label: labels.na ?? t('chart.na'), fill: NO_VALUE_FILL });
  if (showSuppressed) entries.push({ label: labels.suppressed ?? t('chart.notEnough'), fill: `url(#${hatchId})` });
  if (showWithheld) entries.push({ label: labels.withheld ?? t('chart.withheld'), fill: `url(#${hatchId}-dots)` });
  if (unmappedLabel) entries.push({ label: unmappedLabel, fill: 'none' });
  return (
    <div class="map-legend">
      <p class="map-legend__title" id={`${sid}-legend-title`}>
        {title}
      </p>
      <ul class="map-legend__list" aria-labelledby={`${sid}-legend-title`}>
        {entries.map((e, i) => (
          <li key={e.label}>
            <svg class="map-legend__swatch" viewBox="0 0 18 18" width="18" height="18" aria-hidden="true">
              {i === 0 && (showSuppressed || showWithheld) ? (
                <defs>
                  <HatchPattern id={hatchId} size={5} />
                  <DotPattern id={`${hatchId}-dots`} size={5} />
                </defs>
              ) : null}
              <rect
                x="0.5"
                y="0.5"
                width="17"
                height="17"
                fill={e.fill}
                stroke={OUTLINE}
                stroke-dasharray={e.fill === 'none' ? '3 2' : undefined}
              />
            </svg>
            {e.label}
          </li>
        ))}
      </ul>
    </div>
  );
}

export interface RegionTableProps {
  id: string;
  caption: string;
  rows: Valued[];
  t: Translate;
  valueFormat: ValueFormat;
  /** Header of the name column; default "Gebiet" / "Area". */
  nameHeader?: string;
  /** Header of the value column; default "Wert" / "Value". */
  valueHeader?: string;
  labels?: FillLabels;
}

/** The numbers of a map: name and value, or "keine Angabe" / "nicht genug Daten". */
export function RegionTable({
  id,
  caption,
  rows,
  t,
  valueFormat: fmt,
  nameHeader,
  valueHeader,
  labels,
}: RegionTableProps) {
  const cid = `${safeId(id)}-caption`;
  return (
    <TableWrap labelledBy={cid}>
      <table class="kern-table">
        <caption id={cid} class="chart-table__caption">
          {caption}
        </caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__cell">
              {nameHeader ?? t('map.region')}
            </th>
            <th scope="col" class="kern-table__cell num">
              {valueHeader ?? t('chart.value')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((r) => (
            <tr class="kern-table__row" key={r.key}>
              <th scope="row" class="kern-table__cell">
                {r.name}
              </th>
              <td class="kern-table__cell num">{rowText(r, stateOf(r, []), t, fmt, labels)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

// ---------------------------------------------------------------------------------------------------------
// Choropleth from boundaries
// ---------------------------------------------------------------------------------------------------------

export interface MapFeature extends Valued {
  geometry: BoundaryMultiPolygon;
}

export interface ChoroplethProps {
  /** Unique in the page; ids `${id}-title`, `${id}-desc`, `${id}-hatch`, `${id}-legend-…` derive from it. */
  id: string;
  title: string;
  /** Text of `<desc>`; default "Karte mit {n} Gebieten. Die Zahlen stehen in der Tabelle." */
  description?: string;
  features: MapFeature[];
  /** Break points (see `equalCountBreaks`, `fixedBreaks`): n break points make n + 1 classes (at most 5). */
  classes: number[];
  legendTitle: string;
  t: Translate;
  lang: Lang;
  unit?: string;
  digits?: number;
  valueFormat?: ValueFormat;
  /** Extent to draw; default the union of the features' geometry. */
  bbox?: BBox;
  /** Thicker outlines drawn on top without fill (e.g. the Länder on a Kreis map). */
  outlines?: BoundaryMultiPolygon[];
  /** What the fills mean on this map (legend, tooltips, table). */
  labels?: FillLabels;
  /** Show every explanatory legend entry (no value, too few, withheld), not only those that occur. */
  explainAllFills?: boolean;
  /** Legend entry for regions that have no boundary (listed in the table only). */
  unmappedLabel?: string;
  /** viewBox width; default 500 (the height follows from the extent). */
  width?: number;
  /**
   * Douglas–Peucker tolerance in viewBox units applied when drawing (see `geometryToPath`). Default 0.8: in a
   * 500-wide map of Germany about 1 km, under a CSS pixel at the map's maximum width (36rem). Measured on VG5000
   * Kreise (401 regions, 31,917 stored vertices): SVG 222 kB at 0, 135 kB at 0.8, with no visible difference at
   * 2× device pixels. Pass 0 to draw the stored geometry as is.
   */
  tolerance?: number;
}

function formatterOf(lang: Lang, unit: string, digits: number, custom?: ValueFormat): ValueFormat {
  return custom ?? ((v) => formatValue(lang, v, unit, digits));
}

/** The map: one `<path>` per region with a `<title>` (name and value) for tooltips, plus the legend. */
export function Choropleth({
  id,
  title,
  description,
  features,
  classes,
  legendTitle,
  t,
  lang,
  unit = '',
  digits = 0,
  valueFormat,
  bbox,
  outlines,
  width = 500,
  tolerance = 0.8,
  labels,
  explainAllFills = false,
  unmappedLabel,
}: ChoroplethProps) {
  const sid = safeId(id);
  const breaks = fixedBreaks(classes);
  const fmt = formatterOf(lang, unit, digits, valueFormat);
  const extent = bbox ?? unionBBox(features.map((f) => geometryBBox(f.geometry)));
  const projection = fitProjection(extent, { width, padding: 4 });
  const hatchId = `${sid}-hatch`;
  const states = features.map((f) => stateOf(f, breaks));
  const strokeWidth = features.length > 60 ? '0.35' : '0.8';
  return (
    <div class="map">
      <SvgImage
        sid={sid}
        class="map__svg"
        viewBox={projection.viewBox}
        align="xMidYMid meet"
        title={title}
        desc={description ?? t('map.desc', { n: features.length })}
      >
        <defs>
          <HatchPattern id={hatchId} size={4} />
          <DotPattern id={`${hatchId}-dots`} size={4} />
        </defs>
        <g stroke={OUTLINE} stroke-width={strokeWidth} stroke-linejoin="round" fill-rule="evenodd">
          {features.map((f, i) => {
            const state = states[i] as State;
            return (
              <path
                key={f.key}
                d={geometryToPath(f.geometry, projection.project, { tolerance })}
                fill={fillOf(state, hatchId)}
              >
                <title>{`${f.name}: ${rowText(f, state, t, fmt, labels)}`}</title>
              </path>
            );
          })}
        </g>
        {outlines && outlines.length > 0 ? (
          <g fill="none" stroke={COLORS.text} stroke-width="1" stroke-linejoin="round" fill-rule="evenodd">
            {outlines.map((g, i) => (
              <path key={i} d={geometryToPath(g, projection.project, { tolerance })} />
            ))}
          </g>
        ) : null}
      </SvgImage>
      <MapLegend
        id={sid}
        title={legendTitle}
        breaks={breaks}
        t={t}
        valueFormat={fmt}
        showNoValue={states.some((s) => s.kind === 'na')}
        showSuppressed={explainAllFills || states.some((s) => s.kind === 'suppressed')}
        showWithheld={explainAllFills || states.some((s) => s.kind === 'withheld')}
        labels={labels}
        unmappedLabel={unmappedLabel}
      />
    </div>
  );
}

export interface MapWithTableProps extends ChoroplethProps {
  tableCaption?: string;
  nameHeader?: string;
  valueHeader?: string;
  /** Put the table into a closed `<details>`; default when there are more than 20 regions. */
  collapseTable?: boolean;
  /** Regions without a boundary: not drawn, but listed in the table. */
  unmapped?: Valued[];
}

/** Map, legend and table in one `<figure>`. */
export function MapWithTable(props: MapWithTableProps) {
  const {
    id,
    title,
    t,
    lang,
    features,
    unit = '',
    digits = 0,
    valueFormat,
    tableCaption,
    nameHeader,
    valueHeader,
    unmapped = [],
  } = props;
  const rows: Valued[] = [...features, ...unmapped].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      collapseTable={props.collapseTable ?? rows.length > 20}
      graphic={<Choropleth {...props} />}
      table={
        <RegionTable
          id={`${safeId(id)}-table`}
          caption={tableCaption ?? t('chart.tableCaption', { title })}
          labels={props.labels}
          rows={rows}
          t={t}
          valueFormat={formatterOf(lang, unit, digits, valueFormat)}
          nameHeader={nameHeader}
          valueHeader={valueHeader}
        />
      }
    />
  );
}

// ---------------------------------------------------------------------------------------------------------
// Tile map of the 16 Länder
// ---------------------------------------------------------------------------------------------------------

export type LandCode =
  | '01'
  | '02'
  | '03'
  | '04'
  | '05'
  | '06'
  | '07'
  | '08'
  | '09'
  | '10'
  | '11'
  | '12'
  | '13'
  | '14'
  | '15'
  | '16';

/** The Länder by their 2-digit key: abbreviation and tile position (column, row) in a 5 × 5 grid;
 * the names are messages (`landName`). */
export const LAENDER: Record<LandCode, { abbr: string; col: number; row: number }> = {
  '01': { abbr: 'SH', col: 2, row: 0 },
  '02': { abbr: 'HH', col: 2, row: 1 },
  '03': { abbr: 'NI', col: 1, row: 2 },
  '04': { abbr: 'HB', col: 1, row: 1 },
  '05': { abbr: 'NW', col: 0, row: 2 },
  '06': { abbr: 'HE', col: 1, row: 3 },
  '07': { abbr: 'RP', col: 0, row: 3 },
  '08': { abbr: 'BW', col: 1, row: 4 },
  '09': { abbr: 'BY', col: 2, row: 4 },
  '10': { abbr: 'SL', col: 0, row: 4 },
  '11': { abbr: 'BE', col: 4, row: 2 },
  '12': { abbr: 'BB', col: 3, row: 2 },
  '13': { abbr: 'MV', col: 3, row: 1 },
  '14': { abbr: 'SN', col: 3, row: 3 },
  '15': { abbr: 'ST', col: 2, row: 2 },
  '16': { abbr: 'TH', col: 2, row: 3 },
};

export const LAND_CODES = Object.keys(LAENDER).sort() as LandCode[];

export function isLandCode(key: string): key is LandCode {
  return Object.hasOwn(LAENDER, key);
}

/** The name of a Land in the reader's language ("Bayern" / "Bavaria"). */
export function landName(t: Translate, code: LandCode): string {
  return t(`map.land.${code}`);
}

export interface TileMapProps {
  id: string;
  title: string;
  description?: string;
  /** Value per Land key ('01' … '16'); a missing key counts as null. */
  values: Partial<Record<string, number | null>>;
  /** Länder whose value is withheld ("nicht genug Daten"). */
  suppressed?: string[];
  classes: number[];
  legendTitle: string;
  t: Translate;
  lang: Lang;
  unit?: string;
  digits?: number;
  valueFormat?: ValueFormat;
  /** Override the Länder names (e.g. from the register). */
  names?: Partial<Record<string, string>>;
  /** Länder withheld to protect smaller groups (dotted). */
  withheld?: string[];
  /** A note per Land key that says why it has no value (e.g. city states). */
  notes?: Partial<Record<string, string>>;
  labels?: FillLabels;
  explainAllFills?: boolean;
}

const TILE = { size: 96, gap: 6, cols: 5, rows: 5 };

function tileRows(
  values: TileMapProps['values'],
  suppressed: string[],
  t: Translate,
  names?: TileMapProps['names'],
  withheld: string[] = [],
  notes: TileMapProps['notes'] = {},
) {
  const hidden = new Set(suppressed);
  const protectedSet = new Set(withheld);
  return LAND_CODES.map((code) => ({
    key: code,
    name: names?.[code] ?? landName(t, code),
    value: values[code] ?? null,
    suppressed: hidden.has(code),
    withheld: protectedSet.has(code),
    note: notes[code],
  }));
}

/** The 16 Länder as equal tiles, coloured like the choropleth, each labelled with abbreviation and value. */
export function TileMap({
  id,
  title,
  description,
  values,
  suppressed = [],
  classes,
  legendTitle,
  t,
  lang,
  unit = '',
  digits = 0,
  valueFormat,
  names,
  withheld = [],
  labels,
  explainAllFills = false,
  notes,
}: TileMapProps) {
  const sid = safeId(id);
  const breaks = fixedBreaks(classes);
  const fmt = formatterOf(lang, unit, digits, valueFormat);
  const rows = tileRows(values, suppressed, t, names, withheld, notes);
  const states = rows.map((r) => stateOf(r, breaks));
  const hatchId = `${sid}-hatch`;
  const step = TILE.size + TILE.gap;
  const w = TILE.cols * step - TILE.gap;
  const h = TILE.rows * step - TILE.gap;
  return (
    <div class="map map--tiles">
      <SvgImage
        sid={sid}
        class="map__svg"
        viewBox={`0 0 ${w} ${h}`}
        align="xMidYMid meet"
        title={title}
        desc={
          description ?? rows.map((r, i) => `${r.name}: ${rowText(r, states[i] as State, t, fmt, labels)}`).join('; ')
        }
      >
        <defs>
          <HatchPattern id={hatchId} size={8} />
          <DotPattern id={`${hatchId}-dots`} size={8} />
        </defs>
        {rows.map((r, i) => {
          const state = states[i] as State;
          const land = LAENDER[r.key];
          const x = land.col * step;
          const y = land.row * step;
          const fill = fillOf(state, hatchId);
          const ink = state.kind === 'value' ? textColorOn(state.fill) : COLORS.text;
          // On hatching, a white halo keeps the text readable.
          const halo =
            state.kind === 'suppressed' || state.kind === 'withheld'
              ? { stroke: COLORS.white, 'stroke-width': 4, 'paint-order': 'stroke' }
              : {};
          const short =
            state.kind === 'value'
              ? fmt(state.value)
              : t(
                  state.kind === 'na'
                    ? 'chart.naShort'
                    : state.kind === 'withheld'
                      ? 'chart.withheldShort'
                      : 'chart.notEnoughShort',
                );
          return (
            <g key={r.key} class="tile">
              <title>{`${r.name}: ${rowText(r, state, t, fmt, labels)}`}</title>
              <rect
                x={x + 0.5}
                y={y + 0.5}
                width={TILE.size - 1}
                height={TILE.size - 1}
                rx="4"
                fill={fill}
                stroke={OUTLINE}
              />
              <text
                x={x + TILE.size / 2}
                y={y + 42}
                fill={ink}
                font-size="24"
                font-weight="700"
                text-anchor="middle"
                {...halo}
              >
                {land.abbr}
              </text>
              <text x={x + TILE.size / 2} y={y + 72} fill={ink} font-size="18" text-anchor="middle" {...halo}>
                {short}
              </text>
            </g>
          );
        })}
      </SvgImage>
      <MapLegend
        id={sid}
        title={legendTitle}
        breaks={breaks}
        t={t}
        valueFormat={fmt}
        showNoValue={states.some((s) => s.kind === 'na')}
        showSuppressed={explainAllFills || states.some((s) => s.kind === 'suppressed')}
        showWithheld={explainAllFills || states.some((s) => s.kind === 'withheld')}
        labels={labels}
      />
    </div>
  );
}

export interface TileMapWithTableProps extends TileMapProps {
  tableCaption?: string;
  nameHeader?: string;
  valueHeader?: string;
}

/** Tile map, legend and table of the 16 Länder in one `<figure>`. */
export function TileMapWithTable(props: TileMapWithTableProps) {
  const {
    id,
    title,
    t,
    lang,
    values,
    suppressed = [],
    names,
    unit = '',
    digits = 0,
    valueFormat,
    withheld,
    notes,
  } = props;
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      graphic={<TileMap {...props} />}
      table={
        <RegionTable
          id={`${safeId(id)}-table`}
          caption={props.tableCaption ?? t('chart.tableCaption', { title })}
          rows={tileRows(values, suppressed, t, names, withheld, notes)}
          labels={props.labels}
          t={t}
          valueFormat={formatterOf(lang, unit, digits, valueFormat)}
          nameHeader={props.nameHeader}
          valueHeader={props.valueHeader}
        />
      }
    />
  );
}
