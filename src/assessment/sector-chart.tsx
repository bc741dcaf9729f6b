/**
 * The level distribution per sector as one small chart: a stacked bar per sector (share of results at level
 * 0 … 4), the legend as an HTML list, and a table with the same numbers (n, median, count per level). Pure
 * render function, server-side SVG, CSP-safe (no `style` attributes); texts through `t`.
 */

import { formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import { ChartFigure, COLORS, SvgImage, safeId, TableWrap, textColorOn } from './charts.js';
import { PALETTES } from './maps.js';

export interface SectorRow {
  id: string;
  name: string;
  /** Median score, null when withheld (too few results). */
  median: number | null;
  n: number | null;
  /** Results at level 0 … 4, null when withheld. */
  counts: number[] | null;
}

export interface SectorChartProps {
  id: string;
  title: string;
  rows: SectorRow[];
  /** The names of the levels 0 … 4. */
  levelNames: string[];
  /** Text for a withheld sector ("nicht genug Daten"). */
  tooFew: string;
  t: Translate;
  lang: Lang;
}

const BAR = { width: 480, label: 185, height: 22, gap: 10, top: 4 };
const LEVEL_FILLS = PALETTES[4] as readonly string[];

const r1 = (v: number) => Math.round(v * 10) / 10;

function fit(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(max - 1, 1))}…`;
}

/** One stacked bar per sector; withheld sectors show their text instead of a bar. */
export function SectorChart({ id, title, rows, levelNames, tooFew, t, lang }: SectorChartProps) {
  const sid = safeId(id);
  const plot = BAR.width - BAR.label;
  const height = BAR.top + rows.length * (BAR.height + BAR.gap);
  const desc = rows
    .map((r) =>
      r.counts
        ? `${r.name}: ${r.counts.map((c, i) => `${levelNames[i] ?? t('chart.levelN', { level: i })} ${formatNumber(lang, c)}`).join(', ')}`
        : `${r.name}: ${tooFew}`,
    )
    .join('; ');
  return (
    <div class="sector-chart">
      <SvgImage
        sid={sid}
        class="chart chart--sectors"
        viewBox={`0 0 ${BAR.width} ${height}`}
        align="xMinYMin meet"
        title={title}
        desc={desc}
      >
        {rows.map((r, i) => {
          const y = BAR.top + i * (BAR.height + BAR.gap);
          const total = r.counts ? r.counts.reduce((a, b) => a + Math.max(b, 0), 0) : 0;
          let x = BAR.label;
          return (
            <g key={r.id}>
              <text x="0" y={y + 16} fill={COLORS.text} font-size="14">
                {fit(r.name, 24)}
              </text>
              {r.counts && total > 0 ? (
                r.counts.map((c, level) => {
                  const w = r1((Math.max(c, 0) / total) * plot);
                  const x0 = x;
                  x += w;
                  const fill = LEVEL_FILLS[level] ?? COLORS.mark;
                  return w > 0 ? (
                    <g key={String(level)}>
                      <rect x={r1(x0)} y={y} width={w} height={BAR.height} fill={fill} stroke={COLORS.white} />
                      {w >= 28 ? (
                        <text
                          x={r1(x0 + w / 2)}
                          y={y + 16}
                          fill={textColorOn(fill)}
                          font-size="12"
                          text-anchor="middle"
                        >
                          {formatNumber(lang, c)}
                        </text>
                      ) : null}
                    </g>
                  ) : null;
                })
              ) : (
                <text x={BAR.label} y={y + 16} fill={COLORS.muted} font-size="14">
                  {tooFew}
                </text>
              )}
            </g>
          );
        })}
      </SvgImage>
      <ul class="map-legend__list sector-chart__legend" aria-label={t('chart.level')}>
        {levelNames.map((name, level) => (
          <li key={name}>
            <svg class="map-legend__swatch" viewBox="0 0 18 18" width="18" height="18" aria-hidden="true">
              <rect x="0.5" y="0.5" width="17" height="17" fill={LEVEL_FILLS[level]} stroke={COLORS.text} />
            </svg>
            {name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The sector chart and its table (sector, n, median, count per level) in one `<figure>`. */
export function SectorDistribution(props: SectorChartProps & { medianHeader: string; nHeader: string }) {
  const { id, title, rows, levelNames, tooFew, t, lang } = props;
  const cid = `${safeId(id)}-table-caption`;
  return (
    <ChartFigure
      id={id}
      title={title}
      t={t}
      graphic={<SectorChart {...props} />}
      table={
        <TableWrap labelledBy={cid}>
          <table class="kern-table">
            <caption id={cid} class="chart-table__caption">
              {t('chart.tableCaption', { title })}
            </caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__cell">
                  {t('chart.item')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {props.nHeader}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {props.medianHeader}
                </th>
                {levelNames.map((name) => (
                  <th scope="col" class="kern-table__cell num" key={name}>
                    {name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((r) => (
                <tr class="kern-table__row" key={r.id}>
                  <th scope="row" class="kern-table__cell">
                    {r.name}
                  </th>
                  <td class="kern-table__cell num">{r.n === null ? '–' : formatNumber(lang, r.n)}</td>
                  <td class="kern-table__cell num">{r.median === null ? tooFew : formatNumber(lang, r.median)}</td>
                  {levelNames.map((name, level) => (
                    <td class="kern-table__cell num" key={name}>
                      {r.counts ? formatNumber(lang, r.counts[level] ?? 0) : '–'}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      }
    />
  );
}
