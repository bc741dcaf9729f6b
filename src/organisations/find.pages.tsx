import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { AppError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { OptionalText, Query, SubmitButton } from '../platform/http/forms.js';
import { ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import type { MessageKey } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { type SearchHit, searchRegions } from '../register/index.js';
import { PendingText } from './organisations.pages.js';
import * as orgs from './organisations.service.js';

/** Where a person stands with each region's workspace, by region key. */
type Standings = Map<
  string,
  { kind: 'member'; orgId: number } | { kind: 'pending'; since: Date; deciders: orgs.Deciders }
>;

function Result({
  ctx,
  r,
  standing,
}: {
  ctx: PageContext;
  r: SearchHit;
  standing: Standings extends Map<string, infer S> ? S | undefined : never;
}) {
  const { t } = ctx;
  // A kreisfreie Stadt's Kreis is the town itself: not named twice.
  const where = [r.kreisName === r.name ? null : r.kreisName, r.stateName].filter(Boolean).join(', ');
  return (
    <li class="find-result">
      <h3 class="kern-heading-small">
        <a href={`/kommunen/${r.key}`}>{r.name}</a>
      </h3>
      <p>
        {t(`level.${r.level}` as MessageKey)}
        {where ? ` · ${where}` : ''}
      </p>
      <p>
        {standing?.kind === 'member' ? (
          <a href={`/organisationen/${standing.orgId}`}>{t('org.toWorkspace')}</a>
        ) : standing?.kind === 'pending' ? (
          <PendingText ctx={ctx} since={standing.since} deciders={standing.deciders} regionKey={r.key} />
        ) : (
          <a href={`/organisationen/beitreten?region=${r.key}`}>
            {t('org.find.requestFor')}
            <span class="kern-sr-only">: {r.name}</span>
          </a>
        )}
      </p>
    </li>
  );
}

function FindPage(props: {
  ctx: PageContext;
  q: string;
  hits: SearchHit[] | null;
  standings: Standings;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, q, hits } = props;
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={props.errors.length ? `${t('error.title')}: ${t('org.find.title')}` : t('org.find.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('org.find.title') }]}
    >
      <h1 class="kern-heading-large">{t('org.find.title')}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <p>{t('org.find.lead')}</p>
      <form method="get" action="/kommune-finden" class="search-form" role="search">
        <div class="kern-form-input">
          <label class="kern-label" for="q">
            {t('org.find.label')}
          </label>
          <input class="kern-form-input__input" id="q" name="q" type="search" value={q} autocomplete="off" />
        </div>
        <SubmitButton label={t('org.find.submit')} />
      </form>
      {hits ? (
        <section aria-labelledby="find-results">
          <h2 class="kern-heading-medium" id="find-results">
            {t('org.find.results', { q })}
          </h2>
          {hits.length === 0 ? (
            <p>{t('org.find.none')}</p>
          ) : (
            <ul class="find-results">
              {hits.map((r) => (
                <Result key={r.key} ctx={ctx} r={r} standing={props.standings.get(r.key)} />
              ))}
            </ul>
          )}
        </section>
      ) : null}
      <p>
        <a href="/konto">{t('org.find.later')}</a>
      </p>
    </Layout>
  );
}

/** Levels a workspace can belong to: Gemeinden (a kreisfreie Stadt shows once, as its Gemeinde) and Kreise. */
const LEVELS = 'gemeinde,kreis';

/** "Ihre Kommune finden": search the register, then ask for access — the landing of a person without workspace. */
export const findPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/kommune-finden',
      { config: { access: 'user' }, schema: { querystring: Query({ q: OptionalText(200) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const userId = request.auth!.user.id;
        const q = (request.query.q ?? '').trim().slice(0, 100);
        let hits: SearchHit[] | null = null;
        let errors: ShownFieldError[] = [];
        if (q) {
          try {
            hits = (await searchRegions(d.db, { q, level: LEVELS, limit: 20 })).items;
          } catch (err) {
            if (!(err instanceof AppError) || err.status !== 400) throw err;
            errors = localFieldErrors(request, err.fieldErrors);
          }
        }
        const [mine, pending] = await Promise.all([
          orgs.myOrganisations(d.db, userId),
          orgs.pendingRequestsOf(d.db, userId),
        ]);
        const standings: Standings = new Map();
        for (const o of mine) if (o.regionKey) standings.set(o.regionKey, { kind: 'member', orgId: o.id });
        for (const r of pending) {
          if (r.regionKey) standings.set(r.regionKey, { kind: 'pending', since: r.createdAt, deciders: r.deciders });
        }
        return sendHtml(
          reply,
          renderPage(<FindPage ctx={ctx} q={q} hits={hits} standings={standings} errors={errors} />),
          errors.length ? 400 : 200,
        );
      },
    );
  };

/** The landing after sign-in: a person without workspace and without open request finds their municipality. */
export async function landing(d: Pick<ModuleDeps, 'db'>, userId: number): Promise<string | null> {
  const [mine, pending] = await Promise.all([orgs.myOrganisations(d.db, userId), orgs.pendingRequestsOf(d.db, userId)]);
  if (mine.length > 0) return null;
  // With an open request: the overview, which says that it waits and for whom.
  return pending.length > 0 ? '/organisationen' : '/kommune-finden';
}
