import type { PageContext } from '../platform/http/layout.js';
import { Layout } from '../platform/http/layout.js';
import { formatNumber } from '../platform/i18n/i18n.js';
import type { BoundaryMultiPolygon } from '../register/index.js';
import { STATES } from '../register/index.js';
import { LevelDistribution } from './charts.js';
import type { Lagebild } from './lagebild.js';
import { fixedBreaks, MapWithTable, TileMapWithTable } from './maps.js';
import { loadModel, SIZE_CLASSES } from './model.js';

export interface MapBoundaries {
  laender: { key: string; name: string; geometry: BoundaryMultiPolygon }[];
  kreise: { key: string; name: string; geometry: BoundaryMultiPolygon }[];
}

const L = (ctx: PageContext, de: string, en: string) => (ctx.lang === 'en' ? en : de);
const BREAKS = fixedBreaks([20, 40, 60, 80]);

function sectorName(id: string, lang: 'de' | 'en'): string {
  return loadModel().sectors.find((s) => s.id === id)?.name[lang] ?? id;
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
}

const naLabel = (ctx: PageContext, withheld: boolean | undefined) =>
  withheld ? L(ctx, 'zurückgehalten', 'withheld') : L(ctx, 'nicht genug Daten', 'not enough data');

/** Participation, median and level distribution of groups (size classes, Länder) in one table. */
function GroupTable({ ctx, id, title, rows }: { ctx: PageContext; id: string; title: string; rows: GroupRow[] }) {
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
                {L(ctx, 'Gruppe', 'Group')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Checks', 'Checks')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Gemeinden', 'Municipalities')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Median', 'Median')}
              </th>
              {[0, 1, 2, 3, 4].map((l) => (
                <th scope="col" class="kern-table__cell num" key={String(l)}>
                  {L(ctx, 'Stufe', 'Level')} {l}
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
                <td class="kern-table__cell num">{formatNumber(ctx.lang, r.submitted)}</td>
                <td class="kern-table__cell num">{formatNumber(ctx.lang, r.municipalities)}</td>
                <td class="kern-table__cell num">
                  {r.median === null ? naLabel(ctx, r.withheld) : formatNumber(ctx.lang, r.median)}
                </td>
                {[0, 1, 2, 3, 4].map((l) => (
                  <td class="kern-table__cell num" key={String(l)}>
                    {r.counts ? formatNumber(ctx.lang, r.counts[l] ?? 0) : '–'}
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

/** The public national picture: participation, levels, divergence, maps – aggregates of ≥ 5 only. */
export function LagebildView({
  ctx,
  lagebild: lb,
  boundaries,
}: {
  ctx: PageContext;
  lagebild: Lagebild;
  boundaries: MapBoundaries;
}) {
  const title = L(ctx, 'Lagebild: Digitalisierung der Kommunen', 'National picture: digitalisation of municipalities');
  const p = lb.participation;
  const stateValues = Object.fromEntries(Object.entries(lb.scores.byState).map(([k, a]) => [k, a ? a.median : null]));
  const suppressedStates = Object.entries(lb.scores.byState)
    .filter(([k, a]) => a === null && (p.byState[k]?.submitted ?? 0) > 0)
    .map(([k]) => k);
  const share = (s: number, n: number) => (n ? formatNumber(ctx.lang, (s / n) * 100, 1) : '0');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: ctx.t('nav.home') }, { label: 'Lagebild' }]}>
      <h1 class="kern-heading-large">{title}</h1>
      {lb.includesDemo ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__body">
            <p>
              <strong>{L(ctx, 'Demodaten:', 'Demo data:')}</strong>{' '}
              {L(
                ctx,
                'Dieses Lagebild enthält erfundene Beispiel-Checks (mit „lotse seed demo“ erzeugt). Sie sind keine echten Ergebnisse.',
                'This picture contains invented example checks (created with “lotse seed demo”). They are not real results.',
              )}
            </p>
          </div>
        </div>
      ) : null}
      <p>
        {L(ctx, 'Teilnahme', 'Participation')}: {formatNumber(ctx.lang, p.total.submitted)} {L(ctx, 'von', 'of')}{' '}
        {formatNumber(ctx.lang, p.total.municipalities)} {L(ctx, 'Gemeinden', 'municipalities')} (
        {share(p.total.submitted, p.total.municipalities)} %).{' '}
        {L(
          ctx,
          `Punktzahlen und Stufen erscheinen nur für Gruppen mit mindestens ${lb.kMin} Kommunen; „zurückgehalten“ heißt: groß genug, aber verborgen, damit kleinere Gruppen nicht herausgerechnet werden können.`,
          `Scores and levels appear only for groups of at least ${lb.kMin} municipalities; “withheld” means large enough but hidden so that smaller groups cannot be derived.`,
        )}{' '}
        {lb.scores.national
          ? `${L(ctx, 'Median bundesweit', 'National median')}: ${formatNumber(ctx.lang, lb.scores.national.median)} / 100.`
          : ''}
      </p>
      {boundaries.laender.length >= 16 ? (
        <MapWithTable
          id="map-laender"
          title={L(ctx, 'Median der Punktzahl nach Land', 'Median score by Land')}
          legendTitle={L(ctx, 'Punktzahl', 'Score')}
          classes={BREAKS}
          lang={ctx.lang}
          features={boundaries.laender.map((b) => ({
            ...b,
            value: stateValues[b.key] ?? null,
            suppressed: suppressedStates.includes(b.key),
          }))}
        />
      ) : (
        <TileMapWithTable
          id="map-laender"
          title={L(ctx, 'Median der Punktzahl nach Land', 'Median score by Land')}
          legendTitle={L(ctx, 'Punktzahl', 'Score')}
          classes={BREAKS}
          lang={ctx.lang}
          values={stateValues}
          suppressed={suppressedStates}
        />
      )}
      {boundaries.kreise.length > 0 ? (
        <MapWithTable
          id="map-kreise"
          title={L(ctx, 'Median der Punktzahl nach Kreis', 'Median score by Kreis')}
          legendTitle={L(ctx, 'Punktzahl', 'Score')}
          classes={BREAKS}
          lang={ctx.lang}
          features={boundaries.kreise.map((b) => {
            const k = lb.scores.byKreis[b.key];
            return { ...b, value: k?.median ?? null, suppressed: !!k && k.median === null };
          })}
        />
      ) : null}
      {lb.levels.national ? (
        <LevelDistribution
          id="levels"
          title={L(ctx, 'Verteilung der Gesamtstufen bundesweit', 'Distribution of overall levels nationally')}
          counts={lb.levels.national.counts}
          lang={ctx.lang}
        />
      ) : null}
      <h2 class="kern-heading-medium" id="participation">
        {L(ctx, 'Teilnahme und Auseinanderdriften nach Land', 'Participation and divergence by Land')}
      </h2>
      <p>
        {L(
          ctx,
          'Das Auseinanderdriften misst, wie weit die Kommunen eines Landes auseinanderliegen: der Gini-Koeffizient der Punktzahlen (0 = alle gleich) und der Abstand zwischen dem besten und dem schwächsten Fünftel (erst ab 25 Kommunen).',
          'Divergence measures how far apart the municipalities of a Land are: the Gini coefficient of scores (0 = all equal) and the gap between the top and bottom fifth (from 25 municipalities).',
        )}
      </p>
      <div class="table-wrap" role="region" tabindex={0} aria-labelledby="participation">
        <table class="kern-table">
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__cell">
                {L(ctx, 'Land', 'Land')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Checks', 'Checks')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Gemeinden', 'Municipalities')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Anteil %', 'Share %')}
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Median', 'Median')}
              </th>
              <th scope="col" class="kern-table__cell num">
                Gini
              </th>
              <th scope="col" class="kern-table__cell num">
                {L(ctx, 'Abstand Fünftel', 'Quintile gap')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {Object.entries(p.byState).map(([k, v]) => {
              const agg = lb.scores.byState[k];
              const div = lb.divergence.byState[k];
              const na = naLabel(ctx, lb.suppressed?.byState[k] === 'complementary');
              return (
                <tr class="kern-table__row" key={k}>
                  <th scope="row" class="kern-table__cell">
                    {STATES[k]?.name ?? k}
                  </th>
                  <td class="kern-table__cell num">{formatNumber(ctx.lang, v.submitted)}</td>
                  <td class="kern-table__cell num">{formatNumber(ctx.lang, v.municipalities)}</td>
                  <td class="kern-table__cell num">{share(v.submitted, v.municipalities)}</td>
                  <td class="kern-table__cell num">{agg ? formatNumber(ctx.lang, agg.median) : na}</td>
                  <td class="kern-table__cell num">{div?.gini == null ? '–' : formatNumber(ctx.lang, div.gini, 2)}</td>
                  <td class="kern-table__cell num">
                    {div?.quintileGap == null ? '–' : formatNumber(ctx.lang, div.quintileGap)}
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
        title={L(ctx, 'Nach Größenklasse (Einwohner)', 'By size class (inhabitants)')}
        rows={SIZE_CLASSES.map((c) => ({
          key: c.id,
          name: c.label[ctx.lang],
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
        title={L(ctx, 'Stufen nach Land', 'Levels by Land')}
        rows={Object.keys(p.byState).map((k) => ({
          key: k,
          name: STATES[k]?.name ?? k,
          submitted: p.byState[k]?.submitted ?? 0,
          municipalities: p.byState[k]?.municipalities ?? 0,
          median: lb.scores.byState[k]?.median ?? null,
          counts: lb.levels.byState[k]?.counts ?? null,
          withheld: lb.suppressed?.byState[k] === 'complementary',
        }))}
      />
      <h2 class="kern-heading-medium" id="by-sector">
        {L(ctx, 'Nach Sektor', 'By sector')}
      </h2>
      <ul>
        {Object.entries(lb.scores.bySector).map(([k, a]) => (
          <li key={k}>
            {sectorName(k, ctx.lang)}:{' '}
            {a
              ? `${L(ctx, 'Median', 'median')} ${formatNumber(ctx.lang, a.median)} (n = ${a.n})`
              : L(ctx, 'nicht genug Daten', 'not enough data')}
            {lb.levels.bySector?.[k]
              ? `; ${L(ctx, 'Stufen', 'levels')} 0–4: ${lb.levels.bySector[k]!.counts.join(' / ')}`
              : ''}
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium" id="over-time">
        {L(ctx, 'Auseinanderdriften im Zeitverlauf', 'Divergence over time')}
      </h2>
      <ul>
        {Object.entries(lb.divergence.byYear).map(([year, d]) => (
          <li key={year}>
            {year}:{' '}
            {d
              ? `Gini ${d.gini === null ? '–' : formatNumber(ctx.lang, d.gini, 2)}, ${L(ctx, 'Abstand der Fünftel', 'quintile gap')} ${d.quintileGap === null ? '–' : formatNumber(ctx.lang, d.quintileGap)} (n = ${d.n})`
              : L(ctx, 'nicht genug Daten', 'not enough data')}
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">{L(ctx, 'Strategie', 'Strategy')}</h2>
      <p>
        {L(
          ctx,
          'Der Anteil der Kommunen mit beschlossener Digitalstrategie folgt, sobald das Strategie-Modul verfügbar ist.',
          'The share of municipalities with an adopted digital strategy follows once the strategy module is available.',
        )}
      </p>
      <h2 class="kern-heading-medium">{L(ctx, 'Offene Daten', 'Open data')}</h2>
      <p>
        <a href="/api/v1/lagebild">JSON</a> · <a href="/api/v1/lagebild?format=csv">CSV</a> · {L(ctx, 'Stand', 'As of')}{' '}
        {(lb.release?.releasedAt ?? lb.computedAt).slice(0, 10)}
      </p>
    </Layout>
  );
}
