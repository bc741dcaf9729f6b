import type { ComponentChildren } from 'preact';
import type { PageContext } from '../platform/http/layout.js';
import { Layout } from '../platform/http/layout.js';
import { formatDate, formatNumber, type Translate } from '../platform/i18n/i18n.js';
import type { BoundaryMultiPolygon } from '../register/index.js';
import { displayName, STATES } from '../register/index.js';
import { LevelDistribution } from './charts.js';
import type { Lagebild } from './lagebild.js';
import { type FillLabels, fixedBreaks, isLandCode, landName, MapWithTable, TileMapWithTable } from './maps.js';
import { loadModel, SIZE_CLASSES } from './model.js';
import { levelName } from './result.js';
import { SectorDistribution } from './sector-chart.js';

export interface MapBoundaries {
  laender: { key: string; name: string; geometry: BoundaryMultiPolygon }[];
  kreise: { key: string; name: string; geometry: BoundaryMultiPolygon }[];
  /** Current Kreise without a boundary (listed in the map's table only). */
  unmappedKreise?: { key: string; name: string }[];
  /** Boundaries of regions that ended since, drawn under their successor. */
  merged?: number;
  /** Years of the boundary files. */
  boundaryYears?: string[];
}

/** What the Lagebild shows of a city state's own published result. */
export interface CityResult {
  modelVersion: string;
  level: number | null;
  overall: number | null;
  submittedAt: Date;
}

/** The city states: Länder whose figure would be one or two cities' results (Hamburg, Bremen, Berlin). */
export const CITY_STATES: Record<string, string[]> = {
  '02': ['02000000'],
  '04': ['04011000', '04012000'],
  '11': ['11000000'],
};

/** The Länder keys of a record in the official order (01 Schleswig-Holstein … 16 Thüringen). */
export function landOrder(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort();
}

const BREAKS = fixedBreaks([20, 40, 60, 80]);

function sectorName(id: string, lang: 'de' | 'en'): string {
  return loadModel().sectors.find((s) => s.id === id)?.name[lang] ?? id;
}

/** A Land by its key, in the reader's language. */
export function stateName(t: Translate, key: string): string {
  return isLandCode(key) ? landName(t, key) : (STATES[key]?.name ?? key);
}

interface GroupRow {
  key: string;
  name: string;
  submitted: number;
  municipalities: number;
  median: number | null;
  counts: number[] | null;
  /** Withheld although large enough, so that smaller groups cannot be derived. */
  withheld?: boolean;
  /** A Land that is a city state (its row says so). */
  cityState?: boolean;
}

const naLabel = (ctx: PageContext, withheld: boolean | undefined, key?: string) =>
  key && CITY_STATES[key]
    ? ctx.t('lagebild.cityState')
    : withheld
      ? ctx.t('lagebild.withheld')
      : ctx.t('lagebild.notEnough');

/** Participation, median and level distribution of groups (size classes, Länder) in one table. */
function GroupTable({ ctx, id, title, rows }: { ctx: PageContext; id: string; title: string; rows: GroupRow[] }) {
  const { t, lang } = ctx;
  return (
    <>
      <h2 class="kern-heading-medium" id={id}>
        {title}
      </h2>
      <div class="table-wrap" role="region" tabindex={0} aria-labelledby={id}>
        <table class="kern-table">
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__cell">
                {t('lagebild.col.group')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.checks')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.municipalities')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.median')}
              </th>
              {[0, 1, 2, 3, 4].map((l) => (
                <th scope="col" class="kern-table__cell num" key={String(l)}>
                  {t('lagebild.col.level', { level: l, name: levelName(loadModel(), l, ctx.lang) })}
                </th>
              ))}
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {rows.map((r) => (
              <tr class="kern-table__row" key={r.key}>
                <th scope="row" class="kern-table__cell">
                  {r.name}
                </th>
                <td class="kern-table__cell num">{formatNumber(lang, r.submitted)}</td>
                <td class="kern-table__cell num">{formatNumber(lang, r.municipalities)}</td>
                <td class="kern-table__cell num">
                  {r.median === null
                    ? naLabel(ctx, r.withheld, r.cityState ? r.key : undefined)
                    : formatNumber(lang, r.median)}
                </td>
                {[0, 1, 2, 3, 4].map((l) => (
                  <td class="kern-table__cell num" key={String(l)}>
                    {r.counts ? formatNumber(lang, r.counts[l] ?? 0) : '–'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Names of the city-state municipalities (their own names, not the Länder's). */
const CITY_NAMES: Record<string, string> = {
  '02000000': 'Hamburg',
  '04011000': 'Bremen',
  '04012000': 'Bremerhaven',
  '11000000': 'Berlin',
};

/** The 16 Länder keys. */
const LAND_NAMES_KEYS = Object.fromEntries(Object.keys(STATES).map((k) => [k, true]));

/** The public national picture: participation, levels, divergence, maps – aggregates of ≥ 5 only. */
export function LagebildView({
  ctx,
  lagebild: lb,
  boundaries,
  cityResults = {},
  sections = [],
}: {
  ctx: PageContext;
  lagebild: Lagebild;
  boundaries: MapBoundaries;
  /** The city states' own published results (public on their profiles as well), by AGS. */
  cityResults?: Readonly<Record<string, CityResult | null>>;
  /** Sections of other modules (`Module.lagebildFigures`), shown before the open data. */
  sections?: readonly ComponentChildren[];
}) {
  const { t, lang } = ctx;
  const title = t('lagebild.title');
  const p = lb.participation;
  const stateValues = Object.fromEntries(Object.entries(lb.scores.byState).map(([k, a]) => [k, a ? a.median : null]));
  const stateKeys = landOrder([...Object.keys(p.byState), ...Object.keys(lb.scores.byState)]);
  // Every Land without a value is either protected (withheld although large enough) or has too few checks —
  // including none at all, which is just as "too few".
  const withheldStates = stateKeys.filter((k) => lb.suppressed?.byState[k] === 'complementary');
  const suppressedStates = landOrder(
    [...stateKeys, ...Object.keys(LAND_NAMES_KEYS)].filter(
      (k) => stateValues[k] == null && !withheldStates.includes(k),
    ),
  );
  const labels: FillLabels = {
    suppressed: t('lagebild.legend.tooFew', { k: lb.kMin }),
    withheld: t('lagebild.legend.withheld'),
  };
  const unmapped = boundaries.unmappedKreise ?? [];
  const cityNotes: Record<string, string> = Object.fromEntries(
    Object.keys(CITY_STATES).map((k) => [k, t('lagebild.cityState')]),
  );
  const years = boundaries.boundaryYears ?? [];
  const share = (s: number, n: number) => (n ? formatNumber(lang, (s / n) * 100, 1) : '0');
  const kreisValue = (b: { key: string; name: string }) => {
    const k = lb.scores.byKreis[b.key];
    const median = k?.median ?? null;
    return {
      key: b.key,
      name: displayName(b.name),
      value: median,
      withheld: median === null && lb.suppressed?.byKreis[b.key] === 'complementary',
      suppressed: median === null && lb.suppressed?.byKreis[b.key] !== 'complementary',
    };
  };
  const legendTitle = t('lagebild.mapLegend');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('nav.lagebild') }]}>
      <h1 class="kern-heading-large">{title}</h1>
      {lb.includesDemo ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__body">
            <p>
              <strong>{t('lagebild.demoLabel')}</strong> {t('lagebild.demoText')}
            </p>
          </div>
        </div>
      ) : null}
      <p>
        {t('lagebild.participation', {
          submitted: formatNumber(lang, p.total.submitted),
          municipalities: formatNumber(lang, p.total.municipalities),
          share: share(p.total.submitted, p.total.municipalities),
        })}{' '}
        {t('lagebild.kAnonymity', { k: lb.kMin })} {t('lagebild.withheldExplained')}
        {lb.scores.national
          ? ` ${t('lagebild.nationalMedian', { median: formatNumber(lang, lb.scores.national.median) })}`
          : ''}
      </p>
      {boundaries.laender.length >= 16 ? (
        <MapWithTable
          id="map-laender"
          title={t('lagebild.mapLaender')}
          legendTitle={legendTitle}
          classes={BREAKS}
          t={t}
          lang={lang}
          labels={labels}
          explainAllFills
          features={boundaries.laender.map((b) => ({
            ...b,
            name: isLandCode(b.key) ? landName(t, b.key) : b.name,
            value: stateValues[b.key] ?? null,
            suppressed: suppressedStates.includes(b.key),
            withheld: withheldStates.includes(b.key),
            note: cityNotes[b.key],
          }))}
        />
      ) : (
        <TileMapWithTable
          id="map-laender"
          title={t('lagebild.mapLaender')}
          legendTitle={legendTitle}
          classes={BREAKS}
          t={t}
          lang={lang}
          values={stateValues}
          suppressed={suppressedStates}
          withheld={withheldStates}
          notes={cityNotes}
          labels={labels}
          explainAllFills
        />
      )}
      {boundaries.kreise.length > 0 ? (
        <MapWithTable
          id="map-kreise"
          title={t('lagebild.mapKreise')}
          legendTitle={legendTitle}
          classes={BREAKS}
          t={t}
          lang={lang}
          labels={labels}
          explainAllFills
          unmappedLabel={unmapped.length ? t('lagebild.legend.noBoundary', { n: unmapped.length }) : undefined}
          unmapped={unmapped.map((b) => kreisValue(b))}
          features={boundaries.kreise.map((b) => ({ ...kreisValue(b), geometry: b.geometry }))}
        />
      ) : null}
      <p>
        {years.length > 0 ? t('lagebild.boundaryYear', { years: years.join(', ') }) : ''}
        {years.length > 0 && boundaries.merged ? ` ${t('lagebild.boundaryMerged', { n: boundaries.merged })}` : ''}
        {boundaries.laender.length < 16 ? ` ${t('lagebild.noBoundaries')}` : ''}
      </p>
      <h2 class="kern-heading-medium" id="city-states">
        {t('lagebild.cityStates.title')}
      </h2>
      <p>{t('lagebild.cityStates.text')}</p>
      <ul>
        {Object.values(CITY_STATES)
          .flat()
          .map((ags) => {
            const r = cityResults[ags];
            return (
              <li key={ags}>
                <a href={`/kommunen/${ags}`}>{CITY_NAMES[ags]}</a>:{' '}
                {r && r.level !== null
                  ? t('lagebild.cityStates.published', {
                      level: r.level,
                      name: levelName(loadModel(r.modelVersion), r.level, lang),
                      score: r.overall === null ? '–' : formatNumber(lang, r.overall),
                      date: formatDate(lang, r.submittedAt),
                    })
                  : t('lagebild.cityStates.none')}
              </li>
            );
          })}
      </ul>
      {lb.levels.national ? (
        <LevelDistribution
          id="levels"
          title={t('lagebild.levelsNational')}
          counts={lb.levels.national.counts}
          levelNames={[0, 1, 2, 3, 4].map((l) => levelName(loadModel(), l, lang))}
          t={t}
          lang={lang}
        />
      ) : null}
      <h2 class="kern-heading-medium" id="participation">
        {t('lagebild.divergence.title')}
      </h2>
      <p>{t('lagebild.divergence.text')}</p>
      <div class="table-wrap" role="region" tabindex={0} aria-labelledby="participation">
        <table class="kern-table">
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__cell">
                {t('lagebild.col.land')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.checks')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.municipalities')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.share')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.median')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.gini')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {t('lagebild.col.quintileGap')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {stateKeys.map((k) => {
              const v = p.byState[k] ?? { submitted: 0, municipalities: 0 };
              const agg = lb.scores.byState[k];
              const div = lb.divergence.byState[k];
              const na = naLabel(ctx, lb.suppressed?.byState[k] === 'complementary', k);
              return (
                <tr class="kern-table__row" key={k}>
                  <th scope="row" class="kern-table__cell">
                    {stateName(t, k)}
                  </th>
                  <td class="kern-table__cell num">{formatNumber(lang, v.submitted)}</td>
                  <td class="kern-table__cell num">{formatNumber(lang, v.municipalities)}</td>
                  <td class="kern-table__cell num">{share(v.submitted, v.municipalities)}</td>
                  <td class="kern-table__cell num">{agg ? formatNumber(lang, agg.median) : na}</td>
                  <td class="kern-table__cell num">{div?.gini == null ? '–' : formatNumber(lang, div.gini, 2)}</td>
                  <td class="kern-table__cell num">
                    {div?.quintileGap == null ? '–' : formatNumber(lang, div.quintileGap)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <GroupTable
        ctx={ctx}
        id="by-size"
        title={t('lagebild.bySize')}
        rows={SIZE_CLASSES.map((c) => ({
          key: c.id,
          name: c.label[lang],
          submitted: p.bySize[c.id]?.submitted ?? 0,
          municipalities: p.bySize[c.id]?.municipalities ?? 0,
          median: lb.scores.bySize[c.id]?.median ?? null,
          counts: lb.levels.bySize[c.id]?.counts ?? null,
          withheld: lb.suppressed?.bySize[c.id] === 'complementary',
        }))}
      />
      <GroupTable
        ctx={ctx}
        id="levels-by-state"
        title={t('lagebild.levelsByState')}
        rows={stateKeys.map((k) => ({
          key: k,
          cityState: !!CITY_STATES[k],
          name: stateName(t, k),
          submitted: p.byState[k]?.submitted ?? 0,
          municipalities: p.byState[k]?.municipalities ?? 0,
          median: lb.scores.byState[k]?.median ?? null,
          counts: lb.levels.byState[k]?.counts ?? null,
          withheld: lb.suppressed?.byState[k] === 'complementary',
        }))}
      />
      <h2 class="kern-heading-medium" id="by-sector">
        {t('lagebild.sectorTitle')}
      </h2>
      <p>{t('lagebild.sectorText')}</p>
      <SectorDistribution
        id="sectors"
        title={t('lagebild.sectorTitle')}
        rows={Object.keys(lb.scores.bySector).map((k) => {
          const a = lb.scores.bySector[k];
          const levels = lb.levels.bySector?.[k];
          return {
            id: k,
            name: sectorName(k, lang),
            median: a ? a.median : null,
            n: a ? a.n : null,
            counts: levels ? levels.counts : null,
          };
        })}
        levelNames={[0, 1, 2, 3, 4].map((l) => t('chart.levelN', { level: l }))}
        tooFew={t('lagebild.notEnough')}
        medianHeader={t('lagebild.col.median')}
        nHeader={t('lagebild.col.n')}
        t={t}
        lang={lang}
      />
      <h2 class="kern-heading-medium" id="over-time">
        {t('lagebild.overTime')}
      </h2>
      <ul>
        {Object.entries(lb.divergence.byYear).map(([year, d]) => (
          <li key={year}>
            {d
              ? t('lagebild.yearLine', {
                  year,
                  gini: d.gini === null ? '–' : formatNumber(lang, d.gini, 2),
                  gap: d.quintileGap === null ? '–' : formatNumber(lang, d.quintileGap),
                  n: d.n,
                })
              : t('lagebild.yearTooFew', { year })}
          </li>
        ))}
      </ul>
      {sections}
      <h2 class="kern-heading-medium">{t('lagebild.openData')}</h2>
      <p>
        <a href="/api/v1/lagebild">JSON</a> · <a href="/api/v1/lagebild?format=csv">CSV</a> ·{' '}
        {t('lagebild.asOf', { date: formatDate(lang, lb.release?.releasedAt ?? lb.computedAt) })}
      </p>
    </Layout>
  );
}
