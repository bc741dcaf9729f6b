import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ComponentChild } from 'preact';
import { csvLine } from '../platform/csv.js';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, Query, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import * as assessment from './assessment.service.js';
import { ChartWithTable, Trend } from './charts.js';
import { LagebildView } from './lagebild.pages.js';
import { currentLagebild, mapBoundaries } from './lagebild.service.js';
import { renderResultPdf } from './report-pdf.js';
import { K_MIN } from './stats.js';

const actor = (request: FastifyRequest): assessment.Actor => request.auth!.user;

/**
 * A translated text in which some placeholders are markup (a link, <strong>): the placeholders not filled by
 * `t` stay as `{name}` and are replaced here, so that translations may put them anywhere in the sentence.
 */
function withMarkup(template: string, parts: Record<string, ComponentChild>): ComponentChild[] {
  return template.split(/\{(\w+)\}/).map((piece, i) => (i % 2 === 0 ? piece : (parts[piece] ?? `{${piece}}`)));
}

/** One line of the peer comparison: median, quartiles and percentile, or "not enough comparable municipalities". */
function peerLine(t: Translate, lang: Lang, p: assessment.PeerGroup): string {
  const group = t(`check.peer.${p.kind}`);
  if (!p.comparison) return t('check.result.peerTooFew', { group, min: K_MIN });
  const f = (v: number) => formatNumber(lang, v);
  const { peers, percentile } = p.comparison;
  return t('check.result.peerLine', {
    group,
    median: f(peers.median),
    q1: f(peers.q1),
    q3: f(peers.q3),
    n: peers.n,
    percentile: f(percentile ?? 0),
  });
}

export function ResultPage({ ctx, r, notice }: { ctx: PageContext; r: assessment.CheckResult; notice: string | null }) {
  const { t, lang } = ctx;
  const c = r.ctx;
  const title = t('check.result.title', { name: c.region.name });
  const dims = c.model.dimensions.map((d) => ({
    label: d.name[lang],
    value: r.score.byDimension[d.id]?.score ?? null,
  }));
  const sectors = c.model.sectors
    .map((s) => ({ label: s.name[lang], value: r.score.bySector[s.id]?.score ?? null }))
    .filter((s) => s.value !== null);
  const list = (items: readonly { name: string; score: number }[]) =>
    items.map((s) => `${s.name} (${formatNumber(lang, s.score)})`).join(', ');
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
        {withMarkup(
          t('check.result.overall', {
            score: r.score.overall === null ? '–' : formatNumber(lang, r.score.overall),
          }),
          { level: <strong>{r.score.level ?? '–'}</strong> },
        )}
      </p>
      {r.highlights.strengths.length ? (
        <p>
          {t('check.result.highlights', {
            strengths: list(r.highlights.strengths),
            gaps: list(r.highlights.gaps),
          })}
        </p>
      ) : null}
      <ChartWithTable id="dimensions" title={t('check.result.byDimension')} rows={dims} t={t} lang={lang} />
      <ChartWithTable id="sectors" title={t('check.result.bySector')} rows={sectors} t={t} lang={lang} />
      <h2 class="kern-heading-medium">{t('check.result.peers')}</h2>
      <ul>
        {r.peers.map((p) => (
          <li key={p.kind}>{peerLine(t, lang, p)}</li>
        ))}
      </ul>
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
      <p>
        <a href={`/digitalcheck/${c.check.id}/ergebnis.pdf`}>{t('check.result.pdf')}</a> ·{' '}
        <a href={`/digitalcheck/${c.check.id}/ergebnis.csv`}>{t('check.result.csv')}</a>
      </p>
      <p>{c.check.published ? t('check.result.published') : t('check.result.private')}</p>
      {c.canPublish ? (
        <form method="post" action={`/digitalcheck/${c.check.id}/veroeffentlichen`}>
          <CsrfField ctx={ctx} />
          <input type="hidden" name="published" value={c.check.published ? 'false' : 'true'} />
          <SubmitButton secondary label={c.check.published ? t('check.result.unpublish') : t('check.result.publish')} />
        </form>
      ) : null}
    </Layout>
  );
}

const CheckParams = Type.Object({ id: IdParam });
export const assessmentPages =
  (d: ModuleDeps, cache: LagebildPageCache): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };

    app.get(
      '/digitalcheck/:id/ergebnis',
      { ...user, schema: { params: CheckParams, querystring: Query({ geaendert: OptionalText(5) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const r = await assessment.checkResult(db, actor(request), positiveId(request.params.id), ctx.lang);
        const notice = request.query.geaendert === '1' ? ctx.t('check.result.saved') : null;
        return sendHtml(reply, renderPage(<ResultPage ctx={ctx} r={r} notice={notice} />));
      },
    );

    app.get('/digitalcheck/:id/ergebnis.csv', { ...user, schema: { params: CheckParams } }, async (request, reply) => {
      const ctx = pageContext(request);
      const r = await assessment.checkResult(db, actor(request), positiveId(request.params.id), ctx.lang);
      const lines = [
        ['question_id', 'dimension', 'sector', 'question', 'level', 'not_applicable', 'comment', 'evidence_url'],
      ];
      for (const q of r.ctx.questions) {
        const a = r.ctx.answers.get(q.id);
        lines.push([
          q.id,
          q.dimension,
          q.sector,
          q.text[ctx.lang],
          a?.level === null || a?.level === undefined ? '' : String(a.level),
          a?.notApplicable ? 'true' : 'false',
          a?.comment ?? '',
          a?.evidenceUrl ?? '',
        ]);
      }
      lines.push([]);
      lines.push(['dimension', 'score']);
      for (const dim of r.ctx.model.dimensions) lines.push([dim.id, String(r.score.byDimension[dim.id]?.score ?? '')]);
      lines.push(['overall', String(r.score.overall ?? '')]);
      return reply
        .type('text/csv; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="digitalcheck-${r.ctx.check.regionKey}-${r.ctx.check.id}.csv"`,
        )
        .header('cache-control', 'no-store')
        .send(`\ufeff${lines.map(csvLine).join('')}`);
    });

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
        await assessment.setPublished(db, actor(request), id, request.body.published === 'true');
        return reply.redirect(`/digitalcheck/${id}/ergebnis?geaendert=1`, 303);
      },
    );

    // The Lagebild page is the same for every anonymous visitor until the next release or boundary import:
    // keep the rendered HTML per language (the page has no parameters; other query strings do not create
    // cache entries). Every instance drops its copy when the release event reaches it.
    app.get('/lagebild', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const key = request.auth ? null : ctx.lang;
      const cached = key ? cache.get(key) : undefined;
      if (cached) return sendHtml(reply, cached);
      const generation = cache.generation;
      const [lagebild, boundaries] = await Promise.all([currentLagebild(db), mapBoundaries(db)]);
      const html = renderPage(<LagebildView ctx={ctx} lagebild={lagebild} boundaries={boundaries} />);
      if (key) cache.set(key, html, generation);
      return sendHtml(reply, html);
    });
  };

/** The rendered anonymous Lagebild page per language, dropped on every release (see module.ts). */
export class LagebildPageCache {
  private readonly pages = new Map<string, string>();
  /** Bumped on every clear, so a page rendered from older data is not stored after a release. */
  generation = 0;

  get(key: string) {
    return this.pages.get(key);
  }

  set(key: string, html: string, generation: number) {
    if (generation === this.generation) this.pages.set(key, html);
  }

  clear() {
    this.generation++;
    this.pages.clear();
  }

  get size() {
    return this.pages.size;
  }
}
