import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Form, IdParam, positiveId, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, type PageContext } from '../platform/http/layout.js';
import { formatDate, formatNumber } from '../platform/i18n/i18n.js';
import type { ModuleDeps, WorkspaceSection } from '../platform/module.js';
import { startFromCheck, type WorkspaceChecks, workspaceChecks } from './workspace-home.service.js';

const day = (ctx: PageContext, d: Date) => formatDate(ctx.lang, new Date(d));

function trendText(ctx: PageContext, trend: number | null, first: boolean) {
  if (first) return ctx.t('check.home.trendFirst');
  if (trend === null || trend === 0) return ctx.t('check.home.trendSame');
  return trend > 0
    ? ctx.t('check.home.trendUp', { diff: formatNumber(ctx.lang, trend) })
    : ctx.t('check.home.trendDown', { diff: formatNumber(ctx.lang, -trend) });
}

/** The Digitalcheck on the workspace's home page: open check, past results with trend, what is published. */
export function CheckHome({ ctx, orgId, w }: { ctx: PageContext; orgId: number; w: WorkspaceChecks }) {
  const { t } = ctx;
  const last = w.results[0];
  const published = w.results.find((r) => r.published);
  return (
    <section aria-labelledby="check-home" class="check-home">
      <h2 class="kern-heading-medium" id="check-home">
        {t('check.home.title')}
      </h2>
      {w.draft ? (
        <>
          <p>{t('check.home.open', { date: day(ctx, w.draft.createdAt) })}</p>
          <p>
            <label for="check-progress">
              {t('check.progress', { answered: w.draft.answered, total: w.draft.total })}
            </label>{' '}
            <progress id="check-progress" max={w.draft.total} value={w.draft.answered}>
              {w.draft.answered} / {w.draft.total}
            </progress>
          </p>
          {w.draft.toReview > 0 ? <p>{t('check.home.review', { n: w.draft.toReview })}</p> : null}
          <p>
            {w.draft.next ? (
              <a class="kern-btn kern-btn--primary" href={`/digitalcheck/${w.draft.id}/frage/${w.draft.next}`}>
                <span class="kern-label">{t('check.home.continue')}</span>
              </a>
            ) : (
              t('check.home.complete')
            )}{' '}
            <a href={`/digitalcheck/${w.draft.id}`}>{t('check.home.toOverview')}</a>
          </p>
        </>
      ) : w.canStart ? (
        <>
          {w.results.length === 0 ? <p>{t('check.home.none')}</p> : null}
          <form method="post" action="/digitalcheck/start" class="search-form">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="org" value={String(orgId)} />
            <SubmitButton label={t('check.home.start')} secondary={Boolean(last)} />
          </form>
          {last ? (
            <form method="post" action={`/digitalcheck/${last.id}/neu-aus-letztem`}>
              <CsrfField ctx={ctx} />
              <p class="kern-hint" id="copy-hint">
                {t('check.home.copyHint', { date: day(ctx, last.submittedAt) })}
              </p>
              <button class="kern-btn kern-btn--primary" type="submit" aria-describedby="copy-hint">
                <span class="kern-label">{t('check.home.copy')}</span>
              </button>
            </form>
          ) : null}
        </>
      ) : null}
      {w.results.length > 0 ? (
        <div class="kern-table-responsive">
          <table class="kern-table">
            <caption class="kern-title">{t('check.home.results')}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__cell">
                  {t('check.home.colDate')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('check.home.colScore')}
                </th>
                <th scope="col" class="kern-table__cell num">
                  {t('check.home.colLevel')}
                </th>
                <th scope="col" class="kern-table__cell">
                  {t('check.home.colTrend')}
                </th>
                <th scope="col" class="kern-table__cell">
                  {t('check.home.colPublished')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {w.results.map((r, i) => (
                <tr class="kern-table__row" key={r.id}>
                  <th scope="row" class="kern-table__cell">
                    <a href={`/digitalcheck/${r.id}/ergebnis`}>
                      {t('check.home.toResult', { date: day(ctx, r.submittedAt) })}
                    </a>
                  </th>
                  <td class="kern-table__cell num">
                    {r.overall === null ? '–' : formatNumber(ctx.lang, Math.round(r.overall))}
                  </td>
                  <td class="kern-table__cell num">{r.level ?? '–'}</td>
                  <td class="kern-table__cell">{trendText(ctx, r.trend, i === w.results.length - 1)}</td>
                  <td class="kern-table__cell">{r.published ? t('check.home.yes') : t('check.home.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <p>
        {published
          ? t('check.home.published', { date: day(ctx, published.submittedAt) })
          : t('check.home.notPublished')}
      </p>
    </section>
  );
}

/** The assessment module's section of a workspace's home page (members only: results are private). */
export function checkWorkspaceSection(d: Pick<ModuleDeps, 'db'>): WorkspaceSection {
  return {
    name: 'assessment.checks',
    order: 10,
    render: async ({ org, ctx, user }) => {
      const w = await workspaceChecks(d.db, user, org);
      return w ? <CheckHome ctx={ctx} orgId={org.id} w={w} /> : null;
    },
  };
}

/** POST /digitalcheck/:id/neu-aus-letztem: a new draft starting from the answers of the submitted check :id. */
export const workspaceHomePages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.post(
      '/digitalcheck/:id/neu-aus-letztem',
      { config: { access: 'user' }, schema: { params: Type.Object({ id: IdParam }), body: Form({}) } },
      async (request, reply) => {
        const id = await startFromCheck(d.db, request.auth!.user, positiveId(request.params.id));
        return reply.redirect(`/digitalcheck/${id}`, 303);
      },
    );
  };
