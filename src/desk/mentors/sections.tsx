/**
 * What the peer mentors contribute to other pages: on a strategy, the measures it plans for which other
 * municipalities offer mentoring; on a municipal workspace, its offers and mentorings; and the Lagebild's
 * accepted mentorings per Land (small numbers withheld).
 */
import { K_MIN, stateName } from '../../assessment/index.js';
import type { Db } from '../../platform/db/db.js';
import { FigureTable } from '../../platform/http/figure-table.js';
import type { PageContext } from '../../platform/http/layout.js';
import { formatNumber } from '../../platform/i18n/i18n.js';
import type { LagebildContribution, StrategySection, WorkspaceSection } from '../../platform/module.js';
import { STATES } from '../../register/index.js';
import { measureTitle } from '../../strategy/index.js';
import { OffersList } from './mentors.pages.js';
import * as repo from './mentors.repository.js';
import * as svc from './mentors.service.js';
import { MENTOR_LAGEBILD_SCHEMA, type MentorLagebild, mentorLagebild } from './model.js';

export function mentorStrategySection(db: Db): StrategySection {
  return {
    name: 'desk.mentors',
    order: 70,
    render: async ({ strategy, ctx, user }) => {
      // Offers are shown to signed-in people only (the search needs an account).
      if (!user) return null;
      const counts = await svc.mentorCounts(db, strategy.orgId, strategy.measureIds);
      if (counts.length === 0) return null;
      const { t, lang } = ctx;
      const title = (id: string) => measureTitle(id, lang);
      return (
        <section aria-labelledby="mentoren">
          <h2 class="kern-heading-medium" id="mentoren">
            {t('desk.mentors.strategy.title')}
          </h2>
          <p>{t('desk.mentors.strategy.lead')}</p>
          <ul>
            {counts.map((c) => (
              <li key={c.measureId}>
                <a class="kern-link" href={svc.searchPath(c.measureId, strategy.orgId ?? undefined)}>
                  {title(c.measureId)}
                </a>
                : {t('desk.mentors.strategy.count', { n: c.mentors })}
              </li>
            ))}
          </ul>
        </section>
      );
    },
  };
}

export function mentorWorkspaceSection(db: Db): WorkspaceSection {
  return {
    name: 'desk.mentors',
    order: 75,
    render: async ({ org, ctx, user }) => {
      if (org.kind !== 'region') return null;
      const v = await svc.overview(db, user, ctx.lang, org.id);
      if (v.workspaces.length === 0) return null;
      const { t } = ctx;
      const open = v.mentorings.filter((m) => m.status === 'requested' || m.status === 'accepted');
      return (
        <section aria-labelledby="ws-mentoren">
          <h2 class="kern-heading-medium" id="ws-mentoren">
            {t('desk.mentors.workspace.title')}
          </h2>
          {v.offers.length ? (
            <OffersList ctx={ctx} offers={v.offers} titles={v.titles} />
          ) : (
            <p>{t('desk.mentors.noOffers')}</p>
          )}
          {open.length ? (
            <ul>
              {open.map((m) => (
                <li key={m.id}>
                  <a class="kern-link" href={svc.mentoringPath(m.id)}>
                    {v.titles.get(`${m.subjectKind}:${m.subjectRef}`) ?? m.subjectRef}
                  </a>
                  : {m.mentorOrgId === org.id ? m.menteeName : m.mentorName} – {t(`desk.mentors.state.${m.status}`)}
                </li>
              ))}
            </ul>
          ) : null}
          <p>
            <a class="kern-link" href={svc.MENTORS_PATH}>
              {t('desk.mentors.workspace.all')}
            </a>{' '}
            ·{' '}
            <a class="kern-link" href={`${svc.MENTORS_PATH}/angebote/neu?org=${org.id}`}>
              {t('desk.mentors.offerNew')}
            </a>
          </p>
        </section>
      );
    },
  };
}

function LagebildSection({ data, ctx }: { data: MentorLagebild; ctx: PageContext }) {
  const { t, lang } = ctx;
  const num = (n: number | null) => (n === null ? t('desk.mentors.lagebild.withheld') : formatNumber(lang, n));
  return (
    <>
      <h2 class="kern-heading-medium" id="mentorings">
        {t('desk.mentors.lagebild.title')}
      </h2>
      <p>
        {t('desk.mentors.lagebild.total', { n: num(data.total) })}{' '}
        {t('desk.mentors.lagebild.explained', { k: data.kMin })}
      </p>
      <FigureTable
        id="mentorings-by-state"
        caption={t('desk.mentors.lagebild.byState')}
        columns={[t('desk.mentors.lagebild.col.land'), t('desk.mentors.lagebild.col.accepted')]}
        rows={Object.keys(data.byState)
          .sort()
          .map((key) => ({ key, name: stateName(t, key), cells: [num(data.byState[key]!)] }))}
      />
    </>
  );
}

/** Accepted mentorings per Land of the mentee, released again after acceptances and closings. */
export const mentorLagebildContribution: LagebildContribution<MentorLagebild> = {
  name: 'mentorings',
  events: [svc.MENTOR_EVENTS.mentoringsChanged],
  compute: async (db) => mentorLagebild(await repo.acceptedByState(db), Object.keys(STATES), K_MIN),
  render: (data, ctx) => <LagebildSection data={data} ctx={ctx} />,
  schema: MENTOR_LAGEBILD_SCHEMA,
};
