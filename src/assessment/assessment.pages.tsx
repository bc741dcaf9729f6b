import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChild } from 'preact';
import { myOrganisations } from '../organisations/index.js';
import { AppError, NotFoundError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import * as assessment from './assessment.service.js';
import { LagebildView } from './lagebild.pages.js';
import { currentLagebild, mapBoundaries } from './lagebild.service.js';
import type { ModelQuestion } from './model.js';

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
