/**
 * The result of a Digitalcheck: the result page (level names, next steps, strengths, named peer groups with a
 * box plot, trend), its PDF and CSV, publishing and withdrawing (with confirmation), and the published result on
 * the region's public profile (the module's ProfileSection).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ComponentChild } from 'preact';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, Query, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { ModuleDeps, ProfileSection } from '../platform/module.js';
import * as assessment from './assessment.service.js';
import { ChartWithTable, PeerBoxPlot, Trend } from './charts.js';
import { loadModel } from './model.js';
import { renderResultPdf } from './report-pdf.js';
import { levelLabel, peerGroupName, type QuestionStep, STRENGTH_MIN_SCORE } from './result.js';
import { type CsvFormat, resultCsv } from './result-csv.js';
import { K_MIN } from './stats.js';

const actor = (request: FastifyRequest): assessment.Actor => request.auth!.user;

/** A translated text whose `{name}` placeholders not filled by `t` are replaced by markup. */
function withMarkup(template: string, parts: Record<string, ComponentChild>): ComponentChild[] {
  return template.split(/\{(\w+)\}/).map((piece, i) => (i % 2 === 0 ? piece : (parts[piece] ?? `{${piece}}`)));
}

/** One peer group in plain words: its name, n, median, middle half and where the municipality stands. */
export function peerSentence(t: Translate, lang: Lang, p: assessment.PeerGroup, own: number | null): string {
  const group = peerGroupName(t, lang, p);
  if (!p.comparison) return t('check.result.peerTooFew', { group, min: K_MIN });
  const f = (v: number) => formatNumber(lang, v);
  const { peers, percentile, demo } = p.comparison;
  const line = t('check.result.peerLine', {
    group,
    n: peers.n,
    median: f(peers.median),
    q1: f(peers.q1),
    q3: f(peers.q3),
    own: own === null ? '–' : f(own),
    percentile: f(percentile),
  });
  return demo > 0 ? `${line} ${t('check.result.peerDemo', { demo })}` : line;
}

function Step({ ctx, s }: { ctx: PageContext; s: QuestionStep }) {
  const { t } = ctx;
  return (
    <li>
      <p>
        <strong>{s.text}</strong>
      </p>
      <p>
        {t('check.result.stepNow', { level: s.level, name: s.levelName })}{' '}
        {t('check.result.stepNext', { level: s.nextLevel, name: s.nextLevelName })} {s.next}
      </p>
      <p>
        <span class="kern-label">{t('check.result.why')}</span> {s.why}
      </p>
    </li>
  );
}

export function ResultPage({
  ctx,
  r,
  notice,
  sections = [],
}: {
  ctx: PageContext;
  r: assessment.CheckResult;
  notice: string | null;
  /** Other modules' parts of the result page (e.g. the strategy module's "Strategie entwerfen"). */
  sections?: ComponentChild[];
}) {
  const { t, lang } = ctx;
  const c = r.ctx;
  const model = c.model;
  const title = t('check.result.title', { name: c.region.name });
  const f = (v: number) => formatNumber(lang, v);
  const g = r.guidance;
  const dims = g.dimensions.map((d) => ({
    label: d.name,
    value: d.score,
    note: d.level === null ? undefined : levelLabel(t, model, d.level, lang),
  }));
  const sectors = model.sectors
    .map((s) => ({ label: s.name[lang], value: r.score.bySector[s.id]?.score ?? null }))
    .filter((s) => s.value !== null);
  const own = r.score.overall;
  const compared = r.peers.filter((p) => p.comparison !== null);
  const demoInComparison = compared.some((p) => (p.comparison?.demo ?? 0) > 0);
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: `/digitalcheck/${c.check.id}`, label: t('check.titleOf', { name: c.region.name }) },
        { label: t('check.result.crumb') },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{notice}</p>
          </div>
        </div>
      ) : null}
      <p class="kern-body--large">
        {withMarkup(t('check.result.overall', { score: own === null ? '–' : f(own) }), {
          level: <strong>{levelLabel(t, model, r.score.level, lang)}</strong>,
        })}
      </p>
      <p>
        {t('check.result.meta', {
          date: formatDate(lang, new Date(c.check.submittedAt ?? c.check.createdAt)),
          version: c.check.modelVersion,
        })}
      </p>

      <h2 class="kern-heading-medium" id="staerken">
        {t('check.result.strengths')}
      </h2>
      {g.strengths.length ? (
        <ul>
          {g.strengths.map((s) => (
            <li key={s.dimension}>
              {t('check.result.strengthLine', {
                name: s.name,
                score: f(s.score),
                level: levelLabel(t, model, s.level, lang),
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('check.result.noStrengths', { min: STRENGTH_MIN_SCORE })}</p>
      )}

      <h2 class="kern-heading-medium" id="naechste-schritte">
        {t('check.result.nextSteps')}
      </h2>
      {g.weakest.length ? (
        <>
          <p>{t('check.result.nextStepsIntro')}</p>
          <ol class="next-steps">
            {g.weakest.map((s) => (
              <Step key={s.questionId} ctx={ctx} s={s} />
            ))}
          </ol>
        </>
      ) : (
        <p>{t('check.result.allLeading')}</p>
      )}

      <ChartWithTable
        id="dimensions"
        title={t('check.result.byDimension')}
        rows={dims}
        t={t}
        lang={lang}
        labelHeader={t('check.result.col.dimension')}
        valueHeader={t('check.result.col.score')}
      />

      <h2 class="kern-heading-medium" id="dimensionen">
        {t('check.result.perDimension')}
      </h2>
      <p>{t('check.result.perDimensionIntro')}</p>
      {g.dimensions.map((d) => (
        <details key={d.dimension} class="dimension-detail" id={`dim-${d.dimension}`}>
          <summary>
            <strong>{d.name}</strong>:{' '}
            {d.score === null
              ? t('check.result.dimNoScore')
              : t('check.result.dimLine', { score: f(d.score), level: levelLabel(t, model, d.level, lang) })}
          </summary>
          <p>
            <span class="kern-label">{t('check.result.why')}</span> {d.why}
          </p>
          {d.nextLevel === null ? (
            d.score === null ? null : (
              <p>{t('check.result.dimLeading')}</p>
            )
          ) : (
            <>
              <p>{t('check.result.dimNext', { level: levelLabel(t, model, d.nextLevel, lang) })}</p>
              {d.steps.length ? (
                <ul>
                  {d.steps.map((s) => (
                    <li key={s.questionId}>
                      {s.text} — {t('check.result.stepNext', { level: s.nextLevel, name: s.nextLevelName })} {s.next}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          )}
        </details>
      ))}

      <ChartWithTable id="sectors" title={t('check.result.bySector')} rows={sectors} t={t} lang={lang} />

      <h2 class="kern-heading-medium" id="vergleich">
        {t('check.result.peers')}
      </h2>
      {demoInComparison ? (
        <div class="kern-alert kern-alert--info" role="note">
          <div class="kern-alert__body">
            <p>
              <strong>{t('lagebild.demoLabel')}</strong> {t('check.result.demoNote')}
            </p>
          </div>
        </div>
      ) : null}
      <ul>
        {r.peers.map((p) => (
          <li key={p.kind}>{peerSentence(t, lang, p, own)}</li>
        ))}
      </ul>
      {compared.length && own !== null ? (
        <PeerBoxPlot
          id="peers"
          title={t('check.result.peerChart')}
          t={t}
          lang={lang}
          rows={compared.map((p) => ({
            label: peerGroupName(t, lang, p),
            n: p.comparison!.peers.n,
            q1: p.comparison!.peers.q1,
            median: p.comparison!.peers.median,
            q3: p.comparison!.peers.q3,
            own,
            percentile: p.comparison!.percentile,
            demo: p.comparison!.demo,
          }))}
        />
      ) : null}

      {r.history.length > 1 ? (
        <Trend
          id="trend"
          title={t('check.result.trend')}
          t={t}
          lang={lang}
          points={[...r.history]
            .filter((h) => h.overall !== null)
            .reverse()
            .map((h) => ({ date: new Date(h.submittedAt ?? h.createdAt).toISOString(), value: h.overall! }))}
        />
      ) : null}

      {sections}

      <h2 class="kern-heading-medium">{t('check.result.downloads')}</h2>
      <ul>
        <li>
          <a href={`/digitalcheck/${c.check.id}/ergebnis.pdf`}>{t('check.result.pdf')}</a>
        </li>
        <li>
          <a href={`/digitalcheck/${c.check.id}/ergebnis.csv`}>{t('check.result.csv')}</a>
        </li>
        <li>
          <a href={`/digitalcheck/${c.check.id}/ergebnis.csv?format=intl`}>{t('check.result.csvIntl')}</a>
        </li>
      </ul>

      <h2 class="kern-heading-medium" id="veroeffentlichung">
        {t('check.result.publication')}
      </h2>
      {c.check.published ? (
        <p>
          {withMarkup(t('check.result.published'), {
            link: <a href={`/kommunen/${c.region.key}`}>{t('check.result.profileLink', { name: c.region.name })}</a>,
          })}
        </p>
      ) : (
        <p>{t('check.result.private')}</p>
      )}
      {c.canPublish && !c.check.published ? (
        <form method="post" action={`/digitalcheck/${c.check.id}/veroeffentlichen`}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="published" value="true" />
          <p>{t('check.result.publishExplained')}</p>
          <SubmitButton label={t('check.result.publish')} />
        </form>
      ) : null}
      {c.canPublish && c.check.published ? (
        <p>
          <a class="kern-link" href={`/digitalcheck/${c.check.id}/zurueckziehen`}>
            {t('check.result.unpublish')}
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

/** "Really withdraw?" — the confirmation before a published result leaves the public profile. */
export function WithdrawPage({ ctx, c }: { ctx: PageContext; c: assessment.CheckContext }) {
  const { t } = ctx;
  const title = t('check.withdraw.title', { name: c.region.name });
  const back = `/digitalcheck/${c.check.id}/ergebnis`;
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: back, label: t('check.result.title', { name: c.region.name }) },
        { label: t('check.withdraw.crumb') },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {c.check.published ? (
        <>
          <p>{t('check.withdraw.text')}</p>
          <form method="post" action={`/digitalcheck/${c.check.id}/zurueckziehen`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="confirm" value="ja" />
            <SubmitButton label={t('check.withdraw.confirm')} />
          </form>
        </>
      ) : (
        <p>{t('check.withdraw.notPublished')}</p>
      )}
      <p>
        <a href={back}>{t('check.withdraw.cancel')}</a>
      </p>
    </Layout>
  );
}

/** The published result on the region's public profile, or "Noch kein veröffentlichtes Ergebnis". */
export function PublishedResultSection({
  ctx,
  result,
  regionName,
}: {
  ctx: PageContext;
  result: assessment.PublishedResult | null;
  regionName: string;
}) {
  const { t, lang } = ctx;
  if (!result) {
    return (
      <section aria-labelledby="digitalcheck-ergebnis">
        <h2 class="kern-heading-medium" id="digitalcheck-ergebnis">
          {t('check.profile.title')}
        </h2>
        <p>{t('check.profile.none')}</p>
      </section>
    );
  }
  const model = loadModel(result.modelVersion);
  const rows = model.dimensions.map((d) => ({
    label: d.name[lang],
    value: result.byDimension.find((x) => x.dimension === d.id)?.score ?? null,
  }));
  return (
    <section aria-labelledby="digitalcheck-ergebnis">
      <h2 class="kern-heading-medium" id="digitalcheck-ergebnis">
        {t('check.profile.title')}
      </h2>
      <p>
        {withMarkup(
          t('check.profile.overall', {
            name: regionName,
            score: result.overall === null ? '–' : formatNumber(lang, result.overall),
          }),
          { level: <strong>{levelLabel(t, model, result.level, lang)}</strong> },
        )}
      </p>
      <p>{t('check.profile.meta', { date: formatDate(lang, result.submittedAt), version: result.modelVersion })}</p>
      <ChartWithTable
        id="profile-dimensions"
        title={t('check.result.byDimension')}
        rows={rows}
        t={t}
        lang={lang}
        labelHeader={t('check.result.col.dimension')}
        valueHeader={t('check.result.col.score')}
      />
    </section>
  );
}

export function resultProfileSection(d: ModuleDeps): ProfileSection {
  return {
    name: 'assessment.published-result',
    order: 120,
    render: async ({ region, ctx }) => {
      // The Digitalcheck is for Gemeinden, Städte and Kreise; a region that ended only shows a result it published.
      if (region.level !== 'gemeinde' && region.level !== 'kreis') return null;
      const result = await assessment.publishedResult(d.db, region.key);
      if (!result && region.validTo) return null;
      return <PublishedResultSection ctx={ctx} regionName={region.name} result={result} />;
    },
  };
}

const CheckParams = Type.Object({ id: IdParam });

export const resultPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const user = { config: { access: 'user' as const } };
    const resultSections = () =>
      d.modules.flatMap((m) => m.resultSections?.(d) ?? []).sort((a, b) => a.order - b.order);

    app.get(
      '/digitalcheck/:id/ergebnis',
      { ...user, schema: { params: CheckParams, querystring: Query({ geaendert: OptionalText(20) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const r = await assessment.checkResult(db, actor(request), positiveId(request.params.id), ctx.lang);
        const changed = request.query.geaendert;
        const notice =
          changed === 'veroeffentlicht'
            ? ctx.t('check.result.nowPublished')
            : changed === 'zurueckgezogen'
              ? ctx.t('check.result.nowWithdrawn')
              : changed
                ? ctx.t('check.result.saved')
                : null;
        const c = r.ctx.check;
        const rendered = await Promise.all(
          resultSections().map((s) =>
            s.render({
              check: { id: c.id, orgId: c.orgId, regionKey: c.regionKey, status: c.status },
              isMember: r.ctx.isMember,
              ctx,
              user: request.auth!.user,
            }),
          ),
        );
        const sections = rendered.filter((x) => x !== null) as ComponentChild[];
        return sendHtml(reply, renderPage(<ResultPage ctx={ctx} r={r} notice={notice} sections={sections} />));
      },
    );

    app.get(
      '/digitalcheck/:id/ergebnis.csv',
      { ...user, schema: { params: CheckParams, querystring: Query({ format: OptionalText(10) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const format: CsvFormat = request.query.format === 'intl' ? 'intl' : 'de';
        const r = await assessment.checkResult(db, actor(request), positiveId(request.params.id), ctx.lang);
        return reply
          .type('text/csv; charset=utf-8')
          .header(
            'content-disposition',
            `attachment; filename="digitalcheck-${r.ctx.check.regionKey}-${r.ctx.check.id}${format === 'intl' ? '-intl' : ''}.csv"`,
          )
          .header('cache-control', 'no-store')
          .send(resultCsv(r, ctx.t, ctx.lang, format));
      },
    );

    app.get('/digitalcheck/:id/ergebnis.pdf', { ...user, schema: { params: CheckParams } }, async (request, reply) => {
      const ctx = pageContext(request);
      const r = await assessment.checkResult(db, actor(request), positiveId(request.params.id), ctx.lang);
      const pdf = await renderResultPdf(r, ctx.t, ctx.lang);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `attachment; filename="digitalcheck-${r.ctx.check.regionKey}-${r.ctx.check.id}.pdf"`,
        )
        .header('cache-control', 'no-store')
        .send(pdf);
    });

    app.post(
      '/digitalcheck/:id/veroeffentlichen',
      { ...user, schema: { params: CheckParams, body: Form({ published: OptionalText(10) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        // Withdrawing goes through its confirmation page.
        if (request.body.published === 'false') return reply.redirect(`/digitalcheck/${id}/zurueckziehen`, 303);
        await assessment.setPublished(db, actor(request), id, true);
        return reply.redirect(`/digitalcheck/${id}/ergebnis?geaendert=veroeffentlicht#veroeffentlichung`, 303);
      },
    );

    app.get('/digitalcheck/:id/zurueckziehen', { ...user, schema: { params: CheckParams } }, async (request, reply) => {
      const c = await assessment.publishableCheck(db, actor(request), positiveId(request.params.id));
      return sendHtml(reply, renderPage(<WithdrawPage ctx={pageContext(request)} c={c} />));
    });

    app.post(
      '/digitalcheck/:id/zurueckziehen',
      { ...user, schema: { params: CheckParams, body: Form({ confirm: OptionalText(10) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        if (request.body.confirm !== 'ja') return reply.redirect(`/digitalcheck/${id}/zurueckziehen`, 303);
        await assessment.setPublished(db, actor(request), id, false);
        return reply.redirect(`/digitalcheck/${id}/ergebnis?geaendert=zurueckgezogen#veroeffentlichung`, 303);
      },
    );
  };
