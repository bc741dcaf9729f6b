import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChild } from 'preact';
import { myOrganisations } from '../organisations/index.js';
import { csvLine } from '../platform/csv.js';
import { AppError, NotFoundError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, Query, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatNumber, type Lang, type Translate, text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import * as assessment from './assessment.service.js';
import { ChartWithTable, Trend } from './charts.js';
import { LagebildView } from './lagebild.pages.js';
import { currentLagebild, mapBoundaries } from './lagebild.service.js';
import type { ModelQuestion } from './model.js';
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

function LandingPage({ ctx, orgs }: { ctx: PageContext; orgs: Awaited<ReturnType<typeof myOrganisations>> | null }) {
  const { t } = ctx;
  const title = t('check.title');
  const regionOrgs = (orgs ?? []).filter((o) => o.kind === 'region');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { label: title }]}>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body--large">{t('check.landing.intro')}</p>
      <p>
        {withMarkup(t('check.landing.privacy'), {
          link: <a href="/lagebild">{t('check.landing.lagebildLink')}</a>,
        })}
      </p>
      {orgs === null ? (
        <p>
          <a class="kern-link" href="/anmelden?weiter=%2Fdigitalcheck">
            {t('check.landing.signIn')}
          </a>
        </p>
      ) : regionOrgs.length === 0 ? (
        <p>
          {t('org.none')} <a href="/kommunen">{t('nav.register')}</a>
        </p>
      ) : (
        <ul>
          {regionOrgs.map((o) => (
            <li key={o.id}>
              <form method="post" action="/digitalcheck/start" class="inline-form">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="org" value={String(o.id)} />
                <button type="submit" class="kern-btn kern-btn--primary">
                  <span class="kern-label">{t('check.landing.start', { name: o.name })}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

function progressOf(c: assessment.CheckContext) {
  const answered = c.questions.filter((q) => c.answers.has(q.id)).length;
  return { answered, total: c.questions.length };
}

function OverviewPage({
  ctx,
  c,
  errors,
}: {
  ctx: PageContext;
  c: assessment.CheckContext;
  errors: readonly ShownFieldError[];
}) {
  const { t } = ctx;
  const { answered, total } = progressOf(c);
  const title = t('check.titleOf', { name: c.region.name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: '/digitalcheck', label: t('check.title') },
        { label: c.region.name },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        <label for="progress">{t('check.progress', { answered, total })}</label>{' '}
        <progress id="progress" max={total} value={answered}>
          {answered} / {total}
        </progress>
      </p>
      {c.model.dimensions.map((d) => {
        const qs = c.questions.filter((q) => q.dimension === d.id);
        if (qs.length === 0) return null;
        return (
          <section key={d.id} aria-labelledby={`dim-${d.id}`}>
            <h2 class="kern-heading-medium" id={`dim-${d.id}`}>
              {d.name[ctx.lang]}
            </h2>
            <ol class="question-list">
              {qs.map((q) => {
                const a = c.answers.get(q.id);
                return (
                  <li key={q.id}>
                    <a href={`/digitalcheck/${c.check.id}/frage/${q.id}`}>{q.text[ctx.lang]}</a>{' '}
                    <span class={a ? 'status-done' : 'status-open'}>
                      {a
                        ? a.notApplicable
                          ? t('check.status.na')
                          : t('check.status.level', { level: a.level ?? '–' })
                        : t('check.status.open')}
                    </span>
                  </li>
                );
              })}
            </ol>
          </section>
        );
      })}
      {c.canEdit ? (
        <form method="post" action={`/digitalcheck/${c.check.id}/absenden`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('check.submit')} />
        </form>
      ) : (
        <p>
          <a href={`/digitalcheck/${c.check.id}/ergebnis`}>{t('check.toResult')}</a>
        </p>
      )}
    </Layout>
  );
}

function QuestionPage(props: {
  ctx: PageContext;
  c: assessment.CheckContext;
  q: ModelQuestion;
  value: string;
  comment: string;
  evidenceUrl: string;
  version: number;
  errors: readonly ShownFieldError[];
  conflict: assessment.AnswerRow | null;
}) {
  const { ctx, c, q, conflict } = props;
  const { t } = ctx;
  const n = c.questions.findIndex((x) => x.id === q.id) + 1;
  const title = t('check.question.title', { n, question: q.text[ctx.lang] });
  const dim = c.model.dimensions.find((d) => d.id === q.dimension);
  const conflictAnswer = conflict ? (
    <strong>
      {conflict.notApplicable ? t('check.conflict.na') : t('check.conflict.level', { level: conflict.level ?? '–' })}
    </strong>
  ) : null;
  return (
    <Layout
      ctx={ctx}
      title={props.errors.length || conflict ? `${t('error.title')}: ${title}` : title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: `/digitalcheck/${c.check.id}`, label: t('check.titleOf', { name: c.region.name }) },
        { label: t('check.question.crumb', { n }) },
      ]}
    >
      <p>{t('check.question.position', { dimension: dim?.name[ctx.lang] ?? '', n, total: c.questions.length })}</p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {conflict ? (
        <div class="kern-alert kern-alert--warning" role="alert">
          <div class="kern-alert__header">
            <h2 class="kern-title">{t('check.conflict.title')}</h2>
          </div>
          <div class="kern-alert__body">
            <p>
              {withMarkup(
                conflict.updatedByEmail
                  ? t('check.conflict.bodyBy', { email: conflict.updatedByEmail })
                  : t('check.conflict.body'),
                { answer: conflictAnswer },
              )}
            </p>
          </div>
        </div>
      ) : null}
      <form method="post" action={`/digitalcheck/${c.check.id}/frage/${q.id}`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={String(props.version)} />
        <fieldset class="kern-fieldset" aria-describedby={`${q.id}-help`}>
          <legend>
            <h1 class="kern-heading-large">{q.text[ctx.lang]}</h1>
          </legend>
          <p class="kern-hint" id={`${q.id}-help`}>
            {q.help[ctx.lang]}
          </p>
          <div class="kern-fieldset__body" id="value">
            {q.levels.map((lvl, i) => (
              <div class="kern-form-check" key={String(i)}>
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`value-${i}`}
                  name="value"
                  value={String(i)}
                  checked={props.value === String(i)}
                />
                <label class="kern-label" for={`value-${i}`}>
                  {t('check.question.levelOption', { level: i, text: lvl[ctx.lang] })}
                </label>
              </div>
            ))}
            <div class="kern-form-check">
              <input
                class="kern-form-check__radio"
                type="radio"
                id="value-na"
                name="value"
                value="na"
                checked={props.value === 'na'}
              />
              <label class="kern-label" for="value-na">
                {t('check.question.na')}
              </label>
            </div>
          </div>
        </fieldset>
        <details>
          <summary>{t('check.question.why')}</summary>
          <p>{q.why[ctx.lang]}</p>
        </details>
        <div class="kern-form-input">
          <label class="kern-label" for="comment">
            {t('check.question.comment')}
          </label>
          <textarea class="kern-form-input__input" id="comment" name="comment" rows={3} maxLength={4000}>
            {props.comment}
          </textarea>
        </div>
        <div class="kern-form-input">
          <label class="kern-label" for="evidenceUrl">
            {t('check.question.evidenceUrl')}
          </label>
          <input
            class="kern-form-input__input"
            type="url"
            id="evidenceUrl"
            name="evidenceUrl"
            value={props.evidenceUrl}
            maxLength={1000}
          />
        </div>
        <SubmitButton label={t('check.question.save')} />
      </form>
    </Layout>
  );
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
const QuestionParams = Type.Object({ id: IdParam, qid: Type.String({ maxLength: 80 }) });
const AnswerForm = Form({
  value: OptionalText(10),
  comment: OptionalText(8000),
  evidenceUrl: OptionalText(2000),
  version: OptionalText(12),
});

export const assessmentPages =
  (d: ModuleDeps, cache: LagebildPageCache): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };

    app.get('/digitalcheck', pub, async (request, reply) => {
      const orgs = request.auth ? await myOrganisations(db, request.auth.user.id) : null;
      return sendHtml(reply, renderPage(<LandingPage ctx={pageContext(request)} orgs={orgs} />));
    });

    app.post(
      '/digitalcheck/start',
      { ...user, schema: { body: Form({ org: OptionalText(20) }) } },
      async (request, reply) => {
        const id = await assessment.startCheck(db, actor(request), positiveId(request.body.org ?? ''));
        return reply.redirect(`/digitalcheck/${id}`, 303);
      },
    );

    const overview = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: readonly ShownFieldError[] = [],
    ) => {
      const c = await assessment.checkContext(db, actor(request), id);
      return sendHtml(
        reply,
        renderPage(<OverviewPage ctx={pageContext(request)} c={c} errors={errors} />),
        errors.length ? 400 : 200,
      );
    };

    app.get('/digitalcheck/:id', { ...user, schema: { params: CheckParams } }, async (request, reply) =>
      overview(request, reply, positiveId(request.params.id)),
    );

    app.get('/digitalcheck/:id/frage/:qid', { ...user, schema: { params: QuestionParams } }, async (request, reply) => {
      const c = await assessment.checkContext(db, actor(request), positiveId(request.params.id));
      const q = c.questions.find((x) => x.id === request.params.qid);
      if (!q) throw new NotFoundError(text('check.err.noSuchQuestion', { id: request.params.qid }));
      const a = c.answers.get(q.id);
      const value = a ? (a.notApplicable ? 'na' : String(a.level)) : '';
      return sendHtml(
        reply,
        renderPage(
          <QuestionPage
            ctx={pageContext(request)}
            c={c}
            q={q}
            value={value}
            comment={a?.comment ?? ''}
            evidenceUrl={a?.evidenceUrl ?? ''}
            version={a?.version ?? 0}
            errors={[]}
            conflict={null}
          />,
        ),
      );
    });

    app.post(
      '/digitalcheck/:id/frage/:qid',
      { ...user, schema: { params: QuestionParams, body: AnswerForm }, attachValidation: true },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const qid = request.params.qid;
        const body = request.body ?? {};
        const input = {
          value: typeof body.value === 'string' ? body.value : '',
          comment: (typeof body.comment === 'string' ? body.comment : '').slice(0, 8000),
          evidenceUrl: (typeof body.evidenceUrl === 'string' ? body.evidenceUrl : '').slice(0, 2000),
          expectedVersion: Number(typeof body.version === 'string' ? body.version : '') || 0,
        };
        const rerender = async (
          errors: readonly ShownFieldError[],
          conflict: assessment.AnswerRow | null,
          status: number,
        ) => {
          const c = await assessment.checkContext(db, actor(request), id);
          const q = c.questions.find((x) => x.id === qid);
          if (!q) throw new NotFoundError(text('check.err.noSuchQuestion', { id: qid }));
          return sendHtml(
            reply,
            renderPage(
              <QuestionPage
                ctx={pageContext(request)}
                c={c}
                q={q}
                value={input.value}
                comment={input.comment}
                evidenceUrl={input.evidenceUrl}
                version={conflict?.version ?? input.expectedVersion}
                errors={errors}
                conflict={conflict}
              />,
            ),
            status,
          );
        };
        let result: assessment.SaveResult;
        try {
          result = await assessment.saveAnswer(db, actor(request), id, qid, input);
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          return rerender(localFieldErrors(request, err.fieldErrors), null, 400);
        }
        if (!result.ok) return rerender([], result.current, 409);
        // On to the next open question, else the overview.
        return reply.redirect(result.next ? `/digitalcheck/${id}/frage/${result.next}` : `/digitalcheck/${id}`, 303);
      },
    );

    app.post('/digitalcheck/:id/absenden', { ...user, schema: { params: CheckParams } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      try {
        await assessment.submitCheck(db, actor(request), id);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return overview(request, reply, id, localFieldErrors(request, err.fieldErrors));
      }
      return reply.redirect(`/digitalcheck/${id}/ergebnis`, 303);
    });

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
