import { lagebildDenominators, stateName } from '../assessment/index.js';
import type { Db } from '../platform/db/db.js';
import { FigureTable } from '../platform/http/figure-table.js';
import type { PageContext } from '../platform/http/layout.js';
import { formatNumber } from '../platform/i18n/i18n.js';
import type { LagebildContribution } from '../platform/module.js';
import * as repo from './atlas.repository.js';
import { ATLAS_EVENTS } from './events.js';
import { ATLAS_LAGEBILD_SCHEMA, type AtlasLagebild, atlasLagebild } from './lagebild.js';

async function compute(db: Db): Promise<AtlasLagebild> {
  const [facts, denominators, demo] = await Promise.all([
    repo.transferByState(db),
    lagebildDenominators(db),
    repo.hasDemo(db),
  ]);
  return atlasLagebild(facts, denominators, demo);
}

function AtlasLagebildSection({ data, ctx }: { data: AtlasLagebild; ctx: PageContext }) {
  const { t, lang } = ctx;
  const num = (n: number | null) => (n === null ? t('lagebild.atlas.withheld') : formatNumber(lang, n));
  const pct = (n: number | null) => (n === null ? t('lagebild.atlas.withheld') : `${formatNumber(lang, n * 100, 1)} %`);
  return (
    <>
      <h2 class="kern-heading-medium" id="wissenstransfer">
        {t('lagebild.atlas.title')}
      </h2>
      {data.includesDemo ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__body">
            <p>
              <strong>{t('lagebild.atlas.demoLabel')}</strong> {t('lagebild.atlas.demoText')}
            </p>
          </div>
        </div>
      ) : null}
      <p>
        {t('lagebild.atlas.total', {
          projects: num(data.total.projects),
          reuses: num(data.total.reuses),
          adopters: num(data.total.adopters),
        })}{' '}
        {t('lagebild.atlas.explained', { k: data.kMin })}
      </p>
      <FigureTable
        id="transfer-by-state"
        caption={t('lagebild.atlas.byState')}
        columns={[
          t('lagebild.atlas.col.land'),
          t('lagebild.atlas.col.projects'),
          t('lagebild.atlas.col.reuses'),
          t('lagebild.atlas.col.adopters'),
          t('lagebild.atlas.col.share'),
        ]}
        rows={Object.keys(data.byState)
          .sort()
          .map((key) => {
            const c = data.byState[key]!;
            return {
              key,
              name: stateName(t, key),
              cells: [num(c.projects), num(c.reuses), num(c.adopters), pct(c.share)],
            };
          })}
      />
    </>
  );
}

/** The atlas's part of the Lagebild, released again after publications and reuse decisions. */
export const atlasLagebildContribution: LagebildContribution<AtlasLagebild> = {
  name: 'atlas',
  events: [ATLAS_EVENTS.practicesChanged, ATLAS_EVENTS.reuseChanged],
  compute,
  render: (data, ctx) => <AtlasLagebildSection data={data} ctx={ctx} />,
  schema: ATLAS_LAGEBILD_SCHEMA,
};
