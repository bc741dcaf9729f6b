import { type LocalizedText, loadModel, SIZE_CLASSES, stateName } from '../assessment/index.js';
import { FigureTable } from '../platform/http/figure-table.js';
import type { PageContext } from '../platform/http/layout.js';
import { formatNumber } from '../platform/i18n/i18n.js';
import type { LagebildContribution } from '../platform/module.js';
import { STRATEGY_EVENTS } from './events.js';
import { type DoneFigure, type ShareFigure, STRATEGY_LAGEBILD_SCHEMA, type StrategyLagebild } from './lagebild.js';
import { strategyLagebildFigures } from './lagebild.service.js';

/**
 * The keys of `figures` in the order of the maturity model's list, with their names; keys the model does not know
 * come last (the snapshot is jsonb, which does not keep the order of keys).
 */
function inModelOrder(
  list: readonly { id: string; name: LocalizedText }[],
  figures: Record<string, unknown>,
): [string, LocalizedText | undefined][] {
  const known = list.filter((x) => x.id in figures).map((x): [string, LocalizedText] => [x.id, x.name]);
  const ids = new Set(list.map((x) => x.id));
  const other = Object.keys(figures)
    .filter((key) => !ids.has(key))
    .sort()
    .map((key): [string, undefined] => [key, undefined]);
  return [...known, ...other];
}

/** The strategy section of /lagebild: adopted strategies by Land and size class, measures done. */
export function StrategyLagebildSection({ data, ctx }: { data: StrategyLagebild; ctx: PageContext }) {
  const { t, lang } = ctx;
  const k = data.kMin;
  const model = loadModel();
  const num = (n: number) => formatNumber(lang, n);
  const percent = (s: number) => formatNumber(lang, s * 100, 1);
  const na = (why: string | undefined) =>
    why === 'complementary' ? t('lagebild.strategy.withheld') : t('lagebild.strategy.tooFew', { k });
  const shareCells = (f: ShareFigure | undefined, why: string | undefined) => [
    num(f?.municipalities ?? 0),
    f && f.adopted !== null ? num(f.adopted) : na(why),
    f && f.share !== null ? percent(f.share) : '–',
  ];
  const doneCells = (f: DoneFigure | undefined) =>
    f ? [num(f.measures), num(f.municipalities)] : [t('lagebild.strategy.done.tooFew', { k }), '–'];
  const total = data.adopted.total;
  const shareColumns = [
    t('lagebild.strategy.col.municipalities'),
    t('lagebild.strategy.col.adopted'),
    t('lagebild.strategy.col.share'),
  ];
  const doneColumns = [t('lagebild.strategy.col.measures'), t('lagebild.strategy.col.from')];
  return (
    <>
      <h2 class="kern-heading-medium" id="strategies">
        {t('lagebild.strategy.title')}
      </h2>
      {data.includesDemo ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__body">
            <p>
              <strong>{t('lagebild.strategy.demoLabel')}</strong> {t('lagebild.strategy.demoText')}
            </p>
          </div>
        </div>
      ) : null}
      <p>
        {total.adopted === null
          ? t('lagebild.strategy.totalTooFew', { k })
          : total.adopted === 0
            ? t('lagebild.strategy.totalNone')
            : t('lagebild.strategy.total', {
                adopted: num(total.adopted),
                municipalities: num(total.municipalities),
                share: total.share === null ? '–' : percent(total.share),
              })}{' '}
        {t('lagebild.strategy.explained', { k })}
      </p>
      <FigureTable
        id="strategies-by-state"
        caption={t('lagebild.strategy.byState')}
        columns={[t('lagebild.strategy.col.land'), ...shareColumns]}
        rows={Object.keys(data.adopted.byState)
          .sort()
          .map((key) => ({
            key,
            name: stateName(t, key),
            cells: shareCells(data.adopted.byState[key], data.suppressed.byState[key]),
          }))}
      />
      <FigureTable
        id="strategies-by-size"
        caption={t('lagebild.strategy.bySize')}
        columns={[t('lagebild.strategy.col.size'), ...shareColumns]}
        rows={SIZE_CLASSES.filter((c) => c.id in data.adopted.bySize).map((c) => ({
          key: c.id,
          name: c.label[lang],
          cells: shareCells(data.adopted.bySize[c.id], data.suppressed.bySize[c.id]),
        }))}
      />
      <h3 class="kern-heading-small" id="strategies-done">
        {t('lagebild.strategy.done.title')}
      </h3>
      <p>{t('lagebild.strategy.done.text', { k })}</p>
      <FigureTable
        id="strategies-done-by-sector"
        caption={t('lagebild.strategy.done.bySector')}
        columns={[t('lagebild.strategy.col.sector'), ...doneColumns]}
        rows={inModelOrder(model.sectors, data.done.bySector).map(([key, name]) => ({
          key,
          name: name?.[lang] ?? key,
          cells: doneCells(data.done.bySector[key] ?? undefined),
        }))}
      />
      <FigureTable
        id="strategies-done-by-dimension"
        caption={t('lagebild.strategy.done.byDimension')}
        columns={[t('lagebild.strategy.col.dimension'), ...doneColumns]}
        rows={inModelOrder(model.dimensions, data.done.byDimension).map(([key, name]) => ({
          key,
          name: name?.[lang] ?? key,
          cells: doneCells(data.done.byDimension[key] ?? undefined),
        }))}
      />
    </>
  );
}

/**
 * The strategy module's part of the Lagebild (`Module.lagebildFigures`): computed at every release, released again
 * after adoptions, changes of a measure's status and publications.
 */
export const strategyLagebildContribution: LagebildContribution<StrategyLagebild> = {
  name: 'strategy',
  events: [STRATEGY_EVENTS.adopted, STRATEGY_EVENTS.measureStatusChanged, STRATEGY_EVENTS.published],
  compute: strategyLagebildFigures,
  render: (data, ctx) => <StrategyLagebildSection data={data} ctx={ctx} />,
  schema: STRATEGY_LAGEBILD_SCHEMA,
};
