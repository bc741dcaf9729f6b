/**
 * What the atlas contributes to other modules' pages: a region's projects and reuse graph on its profile,
 * "Kommunen wie Ihre" on a Digitalcheck's result and on a strategy, and the workspace's projects and reuses.
 */
import { checkFacts, loadModel } from '../assessment/index.js';
import type { Db } from '../platform/db/db.js';
import type { PageContext } from '../platform/http/layout.js';
import type { ProfileSection, ResultSection, StrategySection, WorkspaceSection } from '../platform/module.js';
import { displayName } from '../register/index.js';
import * as atlas from './atlas.service.js';
import { ATLAS_PATH, PracticeCard, practiceUrl } from './atlas.views.js';
import { recommendationsFor } from './recommend.js';

async function Recommendations({ db, checkId, ctx }: { db: Db; checkId: number; ctx: PageContext }) {
  const facts = await checkFacts(db, checkId);
  if (!facts) return null;
  const recs = await recommendationsFor(db, facts);
  const { t, lang } = ctx;
  const model = loadModel();
  return (
    <section aria-labelledby="kommunen-wie-ihre">
      <h2 class="kern-heading-medium" id="kommunen-wie-ihre">
        {t('atlas.recommend.title')}
      </h2>
      {recs.length === 0 ? (
        <p>
          {t('atlas.recommend.none')}{' '}
          <a class="kern-link" href={ATLAS_PATH}>
            {t('atlas.recommend.browse')}
          </a>
        </p>
      ) : (
        <ul class="practice-list">
          {recs.map((r) => (
            <PracticeCard
              ctx={ctx}
              row={r.row}
              key={r.row.id}
              why={t(r.why.key, {
                ...r.why.params,
                dimension: model.dimensions.find((d) => d.id === r.dimension)?.name[lang] ?? r.dimension,
              })}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

export function atlasResultSection(db: Db): ResultSection {
  return {
    name: 'atlas.recommendations',
    order: 60,
    render: async ({ check, ctx }) => Recommendations({ db, checkId: check.id, ctx }),
  };
}

export function atlasStrategySection(db: Db): StrategySection {
  return {
    name: 'atlas.recommendations',
    order: 60,
    render: async ({ strategy, ctx }) =>
      strategy.checkId === null ? null : Recommendations({ db, checkId: strategy.checkId, ctx }),
  };
}

export function atlasProfileSection(db: Db): ProfileSection {
  return {
    name: 'atlas.practices',
    order: 130,
    render: async ({ region, ctx }) => {
      const [rows, edges] = await Promise.all([
        atlas.practicesOfRegion(db, region.key, 10),
        atlas.reuseEdgesOfRegion(db, region.key),
      ]);
      const { t } = ctx;
      if (rows.length === 0 && edges.length === 0) return null;
      return (
        <section aria-labelledby="praxisbeispiele">
          <h2 class="kern-heading-medium" id="praxisbeispiele">
            {t('atlas.profile.title')}
          </h2>
          {rows.length > 0 ? (
            <ul class="practice-list">
              {rows.map((r) => (
                <PracticeCard ctx={ctx} row={r} key={r.id} />
              ))}
            </ul>
          ) : null}
          {edges.length > 0 ? (
            <>
              <h3 class="kern-heading-small">{t('atlas.profile.reuse')}</h3>
              <ul>
                {edges.map((e) => (
                  <li key={`${e.practiceId}-${e.toRegionKey}`}>
                    {t(e.toRegionKey === region.key ? 'atlas.profile.reusedFrom' : 'atlas.profile.reusedBy', {
                      other: displayName(e.toRegionKey === region.key ? e.fromName : e.toName),
                    })}{' '}
                    <a class="kern-link" href={practiceUrl(e.practiceId)}>
                      {e.title}
                    </a>{' '}
                    ({t(e.status === 'confirmed' ? 'atlas.reuse.confirmedShort' : 'atlas.reuse.claimShort')})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      );
    },
  };
}

export function atlasWorkspaceSection(db: Db): WorkspaceSection {
  return {
    name: 'atlas.workspace',
    order: 60,
    render: async ({ org, ctx }) => {
      if (org.kind !== 'region') return null;
      const reuses = await atlas.reusesOfOrg(db, org.id);
      const { t } = ctx;
      return (
        <section aria-labelledby="ws-praxis">
          <h2 class="kern-heading-medium" id="ws-praxis">
            {t('atlas.workspace.title')}
          </h2>
          <p>
            <a class="kern-link" href={`${ATLAS_PATH}/pruefung`}>
              {t('atlas.workspace.own')}
            </a>{' '}
            ·{' '}
            <a class="kern-link" href={`${ATLAS_PATH}/neu`}>
              {t('atlas.new')}
            </a>
          </p>
          {reuses.length > 0 ? (
            <ul>
              {reuses.map((u) => (
                <li key={u.id}>
                  <a class="kern-link" href={`${practiceUrl(u.practiceId)}#nachnutzung`}>
                    {u.title}
                  </a>
                  : {u.adopterName} – {t(`atlas.reuse.state.${u.status}`)}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      );
    },
  };
}
