/**
 * The strategy's parts of other pages: "Strategie entwerfen" on a check's result, the strategies on the
 * workspace's home, the published strategy on the region's profile.
 */
import { latestCheckFacts } from '../assessment/index.js';
import { SubmitButton } from '../platform/http/forms.js';
import { CsrfField, type PageContext } from '../platform/http/layout.js';
import { formatDate } from '../platform/i18n/i18n.js';
import type { ModuleDeps, ProfileSection, ResultSection, WorkspaceSection } from '../platform/module.js';
import * as strategy from './strategy.service.js';

function DraftButton({ ctx, checkId }: { ctx: PageContext; checkId: number }) {
  return (
    <form method="post" action={`/digitalcheck/${checkId}/strategie`}>
      <CsrfField ctx={ctx} />
      <SubmitButton label={ctx.t('strategy.section.draft')} />
    </form>
  );
}

function StrategyLine({ ctx, row }: { ctx: PageContext; row: strategy.StrategyRow }) {
  const { t, lang } = ctx;
  const state = row.adoptedOn
    ? t('strategy.section.adopted', { date: formatDate(lang, row.adoptedOn) })
    : t(`strategy.state.${row.status}`);
  return (
    <li>
      <a class="kern-link" href={`/strategie/${row.id}`}>
        {t('strategy.section.line', { state, count: row.content.items.length })}
      </a>
      {row.published ? ` (${t('strategy.page.isPublished')})` : ''}
    </li>
  );
}

export function strategyResultSection(d: ModuleDeps): ResultSection {
  return {
    name: 'strategy.draft',
    order: 10,
    render: async ({ check, isMember, ctx, user }) => {
      if (!isMember || check.status !== 'submitted' || check.orgId === null) return null;
      const rows = await strategy.strategiesOfOrg(d.db, user, check.orgId);
      const open = rows.find((r) => r.status === 'draft' || r.status === 'submitted');
      return (
        <section aria-labelledby="strategie" class="strategy-cta">
          <h2 class="kern-heading-medium" id="strategie">
            {ctx.t('strategy.section.title')}
          </h2>
          {open ? (
            <p>
              {ctx.t('strategy.section.open')}{' '}
              <a class="kern-link" href={`/strategie/${open.id}`}>
                {ctx.t('strategy.section.openLink')}
              </a>
            </p>
          ) : (
            <>
              <p>{ctx.t('strategy.section.intro')}</p>
              <DraftButton ctx={ctx} checkId={check.id} />
            </>
          )}
        </section>
      );
    },
  };
}

export function strategyWorkspaceSection(d: ModuleDeps): WorkspaceSection {
  return {
    name: 'strategy.strategies',
    order: 20,
    render: async ({ org, ctx, user }) => {
      if (org.kind !== 'region' || org.regionKey === null) return null;
      const rows = await strategy.strategiesOfOrg(d.db, user, org.id);
      const open = rows.find((r) => r.status === 'draft' || r.status === 'submitted');
      const latest = open ? null : await latestCheckFacts(d.db, org.id);
      if (rows.length === 0 && !latest) {
        return (
          <section aria-labelledby="strategie">
            <h2 class="kern-heading-medium" id="strategie">
              {ctx.t('strategy.section.title')}
            </h2>
            <p>{ctx.t('strategy.section.needsCheck')}</p>
          </section>
        );
      }
      return (
        <section aria-labelledby="strategie">
          <h2 class="kern-heading-medium" id="strategie">
            {ctx.t('strategy.section.title')}
          </h2>
          {rows.length ? (
            <ul>
              {rows.map((r) => (
                <StrategyLine ctx={ctx} row={r} key={r.id} />
              ))}
            </ul>
          ) : null}
          {latest ? (
            <>
              <p>{ctx.t('strategy.section.fromCheck', { date: formatDate(ctx.lang, latest.submittedAt) })}</p>
              <DraftButton ctx={ctx} checkId={latest.id} />
            </>
          ) : null}
        </section>
      );
    },
  };
}

export function strategyProfileSection(d: ModuleDeps): ProfileSection {
  return {
    name: 'strategy.published',
    order: 130,
    render: async ({ region, ctx }) => {
      const row = await strategy.publishedStrategy(d.db, region.key);
      if (!row) return null;
      return (
        <section aria-labelledby="digitalstrategie">
          <h2 class="kern-heading-medium" id="digitalstrategie">
            {ctx.t('strategy.section.title')}
          </h2>
          <p>
            {ctx.t('strategy.section.published', {
              date: row.adoptedOn ? formatDate(ctx.lang, row.adoptedOn) : '–',
              count: row.content.items.length,
            })}{' '}
            <a class="kern-link" href={`/kommunen/${region.key}/strategie`}>
              {ctx.t('strategy.section.publishedLink')}
            </a>
          </p>
        </section>
      );
    },
  };
}
