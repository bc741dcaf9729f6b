import { stateName } from '../../assessment/index.js';
import type { Db } from '../../platform/db/db.js';
import { FigureTable } from '../../platform/http/figure-table.js';
import type { PageContext } from '../../platform/http/layout.js';
import { formatNumber } from '../../platform/i18n/i18n.js';
import type { LagebildContribution } from '../../platform/module.js';
import { STATES } from '../../register/index.js';
import * as repo from './conformance.repository.js';
import { CONFORMANCE_PATH, STANDARD_NAMES } from './conformance.views.js';
import { CONFORMANCE_EVENTS } from './events.js';
import {
  CONFORMANCE_LAGEBILD_SCHEMA,
  type ConformanceLagebild,
  conformanceLagebild,
  LAGEBILD_STANDARDS,
} from './lagebild.js';

async function compute(db: Db): Promise<ConformanceLagebild> {
  // Every Land is listed, with zeros where no municipality has a conformant endpoint yet.
  return conformanceLagebild(await repo.conformantRegionsByState(db, LAGEBILD_STANDARDS), Object.keys(STATES));
}

function ConformanceLagebildSection({ data, ctx }: { data: ConformanceLagebild; ctx: PageContext }) {
  const { t, lang } = ctx;
  const num = (n: number) => formatNumber(lang, n);
  return (
    <>
      <h2 class="kern-heading-medium" id="konformitaet">
        {t('market.conformance.lagebild.title')}
      </h2>
      <p>
        {t('market.conformance.lagebild.total', {
          oparl: num(data.total.oparl),
          dcat: num(data.total['dcat-ap-de']),
          gtfs: num(data.total.gtfs),
        })}{' '}
        {t('market.conformance.lagebild.explained')}{' '}
        <a class="kern-link" href={CONFORMANCE_PATH}>
          {t('market.conformance.lagebild.link')}
        </a>
      </p>
      <FigureTable
        id="conformance-by-state"
        caption={t('market.conformance.lagebild.byState')}
        columns={[t('market.conformance.lagebild.land'), ...LAGEBILD_STANDARDS.map((s) => STANDARD_NAMES[s])]}
        rows={Object.keys(data.byState)
          .sort()
          .map((key) => ({
            key,
            name: stateName(t, key),
            cells: LAGEBILD_STANDARDS.map((s) => num(data.byState[key]![s])),
          }))}
      />
    </>
  );
}

/** The conformance part of the Lagebild, released again after each stored check and each (de)registration. */
export const conformanceLagebildContribution: LagebildContribution<ConformanceLagebild> = {
  name: 'conformance',
  events: [CONFORMANCE_EVENTS.checked, CONFORMANCE_EVENTS.changed],
  compute,
  render: (data, ctx) => <ConformanceLagebildSection data={data} ctx={ctx} />,
  schema: CONFORMANCE_LAGEBILD_SCHEMA,
};
