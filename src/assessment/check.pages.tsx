/**
 * Taking the Digitalcheck (HTML, no JavaScript needed): the landing page with the time estimate, the overview
 * of a check (progress, remaining time, "Ihnen zugewiesen", the locked view once submitted), one question
 * (back, "später beantworten", "an Kollegin/Kollegen geben", the choice after a conflict), handing questions
 * on, and the summary before submitting. The result pages are in assessment.pages.tsx.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChild } from 'preact';
import { myOrganisations } from '../organisations/index.js';
import { AppError, NotFoundError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, requestLang, sendHtml } from '../platform/http/context.js';
import { Field, Form, IdParam, OptionalText, positiveId, Query, Radio, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { getRegion } from '../register/index.js';
import * as assessment from './assessment.service.js';
import { estimateMinutes } from './estimate.js';
import { applicableQuestions, loadModel, type ModelQuestion, regionKindOf } from './model.js';
import { needsReview } from './workspace-home.service.js';

const actor = (request: FastifyRequest): assessment.Actor => request.auth!.user;

/** A translated text in which some placeholders are markup (a link, <strong>). */
function withMarkup(template: string, parts: Record<string, ComponentChild>): ComponentChild[] {
  return template.split(/\{(\w+)\}/).map((piece, i) => (i % 2 === 0 ? piece : (parts[piece] ?? `{${piece}}`)));
}

type Ctx = assessment.CheckContext;
const checkUrl = (c: Ctx) => `/digitalcheck/${c.check.id}`;
const questionUrl = (c: Ctx, qid: string) => `/digitalcheck/${c.check.id}/frage/${qid}`;

function openQuestions(c: Ctx) {
  return c.questions.filter((q) => !c.answers.has(q.id));
}

/** "etwa 45 Minuten für 43 Fragen" before the start, "noch etwa 20 Minuten für 17 offene Fragen" while answering. */
function TimeEstimate({ ctx, c }: { ctx: PageContext; c: Ctx }) {
  const { t } = ctx;
  const open = openQuestions(c);
  if (open.length === 0) return null;
  const minutes = estimateMinutes(open, ctx.lang);
  return (
    <p class="time-estimate">
      {open.length === c.questions.length
        ? t('check.estimate.before', { minutes, n: c.questions.length })
        : t('check.estimate.remaining', { minutes, n: open.length })}
    </p>
  );
}

function answerLabel(ctx: PageContext, a: assessment.AnswerRow | undefined) {
  const { t } = ctx;
  if (!a) return t('check.status.open');
  return a.notApplicable ? t('check.status.na') : t('check.status.level', { level: a.level ?? '–' });
}

/** Status of a question in lists: its answer, put off, handed to somebody. */
function QuestionStatus({ ctx, c, q }: { ctx: PageContext; c: Ctx; q: ModelQuestion }) {
  const { t } = ctx;
  const a = c.answers.get(q.id);
  const s = c.states.get(q.id);
  return (
    <span class={a ? 'status-done' : 'status-open'}>
      {answerLabel(ctx, a)}
      {a && c.canEdit && needsReview(c.check, a) ? ` ${t('check.status.toReview')}` : ''}
      {!a && s?.skipped ? ` ${t('check.status.skipped')}` : ''}
      {!a && s?.assignedEmail ? ` ${t('check.status.assigned', { email: s.assignedEmail })}` : ''}
    </span>
  );
}

function LandingPage({
  ctx,
  orgs,
}: {
  ctx: PageContext;
  orgs: { id: number; name: string; minutes: number | null }[] | null;
}) {
  const { t } = ctx;
  const title = t('check.title');
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
      ) : orgs.length === 0 ? (
        <p>
          {t('org.none')} <a href="/kommunen">{t('nav.register')}</a>
        </p>
      ) : (
        <ul>
          {orgs.map((o) => (
            <li key={o.id}>
              <form method="post" action="/digitalcheck/start" class="inline-form">
                <CsrfField ctx={ctx} />
                <input type="hidden" name="org" value={String(o.id)} />
                <button type="submit" class="kern-btn kern-btn--primary">
                  <span class="kern-label">{t('check.landing.start', { name: o.name })}</span>
                </button>
              </form>
              {o.minutes !== null ? <p>{t('check.landing.duration', { minutes: o.minutes })}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** "Eingereicht am … von …" and the way to the result: a submitted check has no forms. */
function LockedNotice({ ctx, c }: { ctx: PageContext; c: Ctx }) {
  const { t } = ctx;
  const date = c.check.submittedAt ? formatDate(ctx.lang, c.check.submittedAt) : '–';
  return (
    <div class="kern-alert kern-alert--info" role="status">
      <div class="kern-alert__header">
        <h2 class="kern-title">{t('check.locked.title')}</h2>
      </div>
      <div class="kern-alert__body">
        <p>
          {c.submittedByEmail
            ? t('check.locked.submittedBy', { date, email: c.submittedByEmail })
            : t('check.locked.submitted', { date })}{' '}
          {t('check.locked.frozen')}
        </p>
        <p>
          <a href={`${checkUrl(c)}/ergebnis`}>{t('check.toResult')}</a>
        </p>
      </div>
    </div>
  );
}

function OverviewPage({ ctx, c, mine }: { ctx: PageContext; c: Ctx; mine: ModelQuestion[] }) {
  const { t } = ctx;
  const answered = c.questions.filter((q) => c.answers.has(q.id)).length;
  const total = c.questions.length;
  const title = t('check.titleOf', { name: c.region.name });
  const mineOpen = mine.filter((q) => !c.answers.has(q.id));
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
      {c.canEdit ? null : <LockedNotice ctx={ctx} c={c} />}
      <p>
        <label for="progress">{t('check.progress', { answered, total })}</label>{' '}
        <progress id="progress" max={total} value={answered}>
          {answered} / {total}
        </progress>
      </p>
      {c.canEdit ? <TimeEstimate ctx={ctx} c={c} /> : null}
      {c.canEdit && mineOpen.length ? (
        <section aria-labelledby="mine" class="assigned-to-you">
          <h2 class="kern-heading-medium" id="mine">
            {t('check.assigned.title')}
          </h2>
          <ul>
            {mineOpen.map((q) => (
              <li key={q.id}>
                <a href={questionUrl(c, q.id)}>{q.text[ctx.lang]}</a>
                {c.states.get(q.id)?.assignedByEmail
                  ? ` ${t('check.assigned.by', { email: c.states.get(q.id)!.assignedByEmail! })}`
                  : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {c.model.dimensions.map((d) => {
        const qs = c.questions.filter((q) => q.dimension === d.id);
        if (qs.length === 0) return null;
        return (
          <section key={d.id} aria-labelledby={`dim-${d.id}`}>
            <h2 class="kern-heading-medium" id={`dim-${d.id}`}>
              {d.name[ctx.lang]}
            </h2>
            <ol class="question-list">
              {qs.map((q) => (
                <li key={q.id}>
                  <a href={questionUrl(c, q.id)}>{q.text[ctx.lang]}</a> <QuestionStatus ctx={ctx} c={c} q={q} />
                </li>
              ))}
            </ol>
            {c.canEdit ? (
              <p>
                <a href={`${checkUrl(c)}/zuweisen?dimension=${d.id}`}>
                  {t('check.assign.dimensionLink', { dimension: d.name[ctx.lang] })}
                </a>
              </p>
            ) : null}
          </section>
        );
      })}
      {c.canEdit ? (
        <p>
          <a class="kern-btn kern-btn--primary" href={`${checkUrl(c)}/abschliessen`}>
            <span class="kern-label">{t('check.toSummary')}</span>
          </a>
        </p>
      ) : null}
    </Layout>
  );
}

function AnswerValue({ ctx, q, a }: { ctx: PageContext; q: ModelQuestion; a: { value: string; comment: string } }) {
  const { t } = ctx;
  const level = /^[0-4]$/.test(a.value) ? Number(a.value) : null;
  return (
    <>
      <p>
        <strong>
          {a.value === 'na'
            ? t('check.question.na')
            : level !== null
              ? t('check.question.levelOption', { level, text: q.levels[level]![ctx.lang] })
              : t('check.status.open')}
        </strong>
      </p>
      {a.comment ? <p>{t('check.conflict.comment', { comment: a.comment })}</p> : null}
    </>
  );
}

const formValueOf = (a: assessment.AnswerRow | null | undefined) =>
  a ? (a.notApplicable ? 'na' : a.level === null ? '' : String(a.level)) : '';

interface QuestionProps {
  ctx: PageContext;
  c: Ctx;
  q: ModelQuestion;
  value: string;
  comment: string;
  evidenceUrl: string;
  version: number;
  errors: readonly ShownFieldError[];
  conflict: { current: assessment.AnswerRow | null } | null;
  notice: string | null;
}

function QuestionPage(props: QuestionProps) {
  const { ctx, c, q, conflict } = props;
  const { t } = ctx;
  const n = c.questions.findIndex((x) => x.id === q.id) + 1;
  const title = t('check.question.title', { n, question: q.text[ctx.lang] });
  const dim = c.model.dimensions.find((d) => d.id === q.dimension);
  const prev = assessment.previousQuestion(c, q.id);
  const state = c.states.get(q.id);
  const saved = c.answers.get(q.id);
  return (
    <Layout
      ctx={ctx}
      title={props.errors.length || conflict ? `${t('error.title')}: ${title}` : title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: checkUrl(c), label: t('check.titleOf', { name: c.region.name }) },
        { label: t('check.question.crumb', { n }) },
      ]}
    >
      <p>{t('check.question.position', { dimension: dim?.name[ctx.lang] ?? '', n, total: c.questions.length })}</p>
      {c.canEdit ? <TimeEstimate ctx={ctx} c={c} /> : <LockedNotice ctx={ctx} c={c} />}
      {props.notice ? (
        <div class="kern-alert kern-alert--warning" role="alert">
          <div class="kern-alert__body">
            <p>{props.notice}</p>
          </div>
        </div>
      ) : null}
      <ErrorSummary ctx={ctx} errors={props.errors} />
      {conflict ? <ConflictChoice {...props} conflict={conflict} /> : null}
      {q.needsInput?.length ? (
        <p class="kern-hint needs-input">
          {t('check.needsInput.hint', {
            who: q.needsInput.map((s) => t(`check.needsInput.${s}`)).join(', '),
          })}
        </p>
      ) : null}
      {state?.assignedEmail && !saved ? (
        <p>
          {t('check.status.assignedLong', { email: state.assignedEmail })}
          {state.skipped ? ` ${t('check.status.skipped')}` : ''}
        </p>
      ) : state?.skipped && !saved ? (
        <p>{t('check.status.skippedLong')}</p>
      ) : null}
      {saved && c.canEdit && needsReview(c.check, saved) ? (
        <p class="kern-hint to-review">{t('check.status.toReviewLong')}</p>
      ) : null}
      {c.canEdit ? (
        <AnswerForm {...props} />
      ) : (
        <section aria-labelledby="q-heading">
          <h1 class="kern-heading-large" id="q-heading">
            {q.text[ctx.lang]}
          </h1>
          <p class="kern-hint">{q.help[ctx.lang]}</p>
          <h2 class="kern-heading-small">{t('check.locked.answer')}</h2>
          <AnswerValue ctx={ctx} q={q} a={{ value: formValueOf(saved), comment: saved?.comment ?? '' }} />
          {saved?.evidenceUrl ? (
            <p>
              <a href={saved.evidenceUrl} rel="noopener noreferrer">
                {t('check.question.evidenceUrl')}
              </a>
            </p>
          ) : null}
        </section>
      )}
      <nav aria-label={t('check.nav.label')} class="question-nav">
        <ul>
          {prev ? (
            <li>
              <a href={questionUrl(c, prev)}>{t('check.nav.back')}</a>
            </li>
          ) : null}
          <li>
            <a href={checkUrl(c)}>{t('check.nav.overview')}</a>
          </li>
          {c.canEdit ? (
            <li>
              <a href={`${checkUrl(c)}/zuweisen?frage=${q.id}`}>{t('check.nav.assign')}</a>
            </li>
          ) : null}
          <li>
            <a href={`/beratung/neu?kontext=question&ref=${encodeURIComponent(q.id)}`}>{t('desk.inquiries.ask')}</a>
          </li>
          <li>
            <a href={`/beratung/faq?kontext=question&ref=${encodeURIComponent(q.id)}`}>
              {t('desk.knowledge.contextAnswers')}
            </a>
          </li>
        </ul>
      </nav>
      {c.canEdit && !saved ? (
        <form method="post" action={`${questionUrl(c, q.id)}/spaeter`}>
          <CsrfField ctx={ctx} />
          <SubmitButton secondary label={t('check.nav.skip')} />
        </form>
      ) : null}
    </Layout>
  );
}

/** After a conflict: both answers side by side, and the choice which one stays. */
function ConflictChoice(props: QuestionProps & { conflict: { current: assessment.AnswerRow | null } }) {
  const { ctx, c, q } = props;
  const { t } = ctx;
  const current = props.conflict.current;
  const mine = { value: props.value, comment: props.comment };
  return (
    <div class="kern-alert kern-alert--warning" role="alert">
      <div class="kern-alert__header">
        <h2 class="kern-title">{t('check.conflict.title')}</h2>
      </div>
      <div class="kern-alert__body">
        <p>
          {current?.updatedByEmail
            ? t('check.conflict.introBy', { email: current.updatedByEmail })
            : t('check.conflict.intro')}
        </p>
        <h3 class="kern-heading-small">{t('check.conflict.theirs')}</h3>
        <AnswerValue ctx={ctx} q={q} a={{ value: formValueOf(current), comment: current?.comment ?? '' }} />
        <h3 class="kern-heading-small">{t('check.conflict.mine')}</h3>
        <AnswerValue ctx={ctx} q={q} a={mine} />
        <p>{t('check.conflict.choose')}</p>
        <form method="post" action={questionUrl(c, q.id)} class="inline-form">
          <CsrfField ctx={ctx} />
          <input type="hidden" name="version" value={String(props.version)} />
          <input type="hidden" name="value" value={props.value} />
          <input type="hidden" name="comment" value={props.comment} />
          <input type="hidden" name="evidenceUrl" value={props.evidenceUrl} />
          <SubmitButton label={t('check.conflict.keepMine')} />
        </form>{' '}
        <a class="kern-btn kern-btn--secondary" href={questionUrl(c, q.id)}>
          <span class="kern-label">{t('check.conflict.keepTheirs')}</span>
        </a>
      </div>
    </div>
  );
}

function AnswerForm(props: QuestionProps) {
  const { ctx, c, q } = props;
  const { t } = ctx;
  return (
    <form method="post" action={questionUrl(c, q.id)} novalidate>
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
            <Radio
              key={String(i)}
              name="value"
              value={String(i)}
              id={`value-${i}`}
              current={props.value}
              label={t('check.question.levelOption', { level: i, text: lvl[ctx.lang] })}
            />
          ))}
          <Radio name="value" value="na" id="value-na" current={props.value} label={t('check.question.na')} />
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
  );
}

/** Hand a question or a dimension to a colleague: pick a member, or (admins) invite one by mail. */
function AssignPage(props: {
  ctx: PageContext;
  c: Ctx;
  question: ModelQuestion | null;
  dimension: string;
  member: string;
  email: string;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, c, question } = props;
  const { t } = ctx;
  const dim = c.model.dimensions.find((d) => d.id === (question?.dimension ?? props.dimension));
  const what = question
    ? t('check.assign.question', { question: question.text[ctx.lang] })
    : t('check.assign.dimension', { dimension: dim?.name[ctx.lang] ?? '' });
  const title = t('check.assign.title');
  const others = c.members.filter((m) => m.email !== ctx.user?.email);
  const memberError = props.errors.find((e) => e.field === 'member');
  return (
    <Layout
      ctx={ctx}
      title={props.errors.length ? `${t('error.title')}: ${title}` : title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: checkUrl(c), label: t('check.titleOf', { name: c.region.name }) },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p>{what}</p>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <form method="post" action={`${checkUrl(c)}/zuweisen`} novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="frage" value={question?.id ?? ''} />
        <input type="hidden" name="dimension" value={question ? '' : props.dimension} />
        <fieldset class="kern-fieldset" aria-describedby={memberError ? 'member-error' : undefined}>
          <legend class="kern-label">{t('check.assign.member')}</legend>
          {memberError ? (
            <p class="kern-error" id="member-error">
              {memberError.message}
            </p>
          ) : null}
          <div class="kern-fieldset__body" id="member">
            {others.map((m) => (
              <Radio
                key={m.userId}
                name="member"
                value={String(m.userId)}
                id={`member-${m.userId}`}
                current={props.member}
                label={m.email}
              />
            ))}
            <Radio name="member" value="none" id="member-none" current={props.member} label={t('check.assign.none')} />
          </div>
        </fieldset>
        {c.canInvite ? (
          <Field
            id="email"
            type="email"
            label={t('check.assign.email')}
            hint={t('check.assign.emailHint')}
            value={props.email}
            maxLength={320}
            autocomplete="off"
            errors={props.errors}
          />
        ) : (
          <p>{t('check.assign.inviteByAdmin')}</p>
        )}
        <SubmitButton label={t('check.assign.submit')} />
      </form>
      <p>
        <a href={question ? questionUrl(c, question.id) : checkUrl(c)}>{t('check.assign.cancel')}</a>
      </p>
    </Layout>
  );
}

/** Before submitting: what is still open or put off (with links), and that submitted answers are frozen. */
function SummaryPage({ ctx, c, errors }: { ctx: PageContext; c: Ctx; errors: readonly ShownFieldError[] }) {
  const { t } = ctx;
  const title = t('check.summary.title');
  const open = openQuestions(c);
  const skipped = open.filter((q) => c.states.get(q.id)?.skipped);
  const unanswered = open.filter((q) => !c.states.get(q.id)?.skipped);
  const list = (qs: ModelQuestion[]) => (
    <ul>
      {qs.map((q) => (
        <li key={q.id}>
          <a href={questionUrl(c, q.id)}>{q.text[ctx.lang]}</a> <QuestionStatus ctx={ctx} c={c} q={q} />
        </li>
      ))}
    </ul>
  );
  return (
    <Layout
      ctx={ctx}
      title={errors.length ? `${t('error.title')}: ${title}` : title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: checkUrl(c), label: t('check.titleOf', { name: c.region.name }) },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {c.canEdit ? null : <LockedNotice ctx={ctx} c={c} />}
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        {t('check.progress', {
          answered: c.questions.length - open.length,
          total: c.questions.length,
        })}
      </p>
      <h2 class="kern-heading-medium" id="questions">
        {t('check.summary.unanswered', { n: unanswered.length })}
      </h2>
      {unanswered.length ? list(unanswered) : <p>{t('check.summary.none')}</p>}
      <h2 class="kern-heading-medium">{t('check.summary.skipped', { n: skipped.length })}</h2>
      {skipped.length ? list(skipped) : <p>{t('check.summary.none')}</p>}
      {c.canEdit ? (
        <>
          <div class="kern-alert kern-alert--warning" role="note">
            <div class="kern-alert__header">
              <h2 class="kern-title">{t('check.summary.warningTitle')}</h2>
            </div>
            <div class="kern-alert__body">
              <p>{t('check.summary.warning')}</p>
            </div>
          </div>
          {open.length ? (
            <p>{t('check.summary.answerFirst', { n: open.length })}</p>
          ) : (
            <form method="post" action={`${checkUrl(c)}/absenden`}>
              <CsrfField ctx={ctx} />
              <SubmitButton label={t('check.submit')} />
            </form>
          )}
        </>
      ) : null}
      <p>
        <a href={checkUrl(c)}>{t('check.nav.overview')}</a>
      </p>
    </Layout>
  );
}

const CheckParams = Type.Object({ id: IdParam });
const QuestionParams = Type.Object({ id: IdParam, qid: Type.String({ maxLength: 80 }) });
const AnswerFormBody = Form({
  value: OptionalText(10),
  comment: OptionalText(8000),
  evidenceUrl: OptionalText(2000),
  version: OptionalText(12),
});
const AssignQuery = Query({ frage: OptionalText(80), dimension: OptionalText(40) });
const AssignBody = Form({
  frage: OptionalText(80),
  dimension: OptionalText(40),
  member: OptionalText(20),
  email: OptionalText(400),
});

const isFrozen = (err: unknown) => err instanceof AppError && err.status === 409;

export const checkPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };

    app.get('/digitalcheck', pub, async (request, reply) => {
      const ctx = pageContext(request);
      let orgs: { id: number; name: string; minutes: number | null }[] | null = null;
      if (request.auth) {
        const mine = (await myOrganisations(db, request.auth.user.id)).filter((o) => o.kind === 'region');
        const model = loadModel();
        orgs = await Promise.all(
          mine.map(async (o) => {
            if (!o.regionKey) return { id: o.id, name: o.name, minutes: null };
            const { region } = await getRegion(db, o.regionKey);
            const kind = regionKindOf(region);
            const minutes = kind
              ? estimateMinutes(applicableQuestions(model, { population: region.population, kind }), ctx.lang)
              : null;
            return { id: o.id, name: o.name, minutes };
          }),
        );
      }
      return sendHtml(reply, renderPage(<LandingPage ctx={ctx} orgs={orgs} />));
    });

    app.post(
      '/digitalcheck/start',
      { ...user, schema: { body: Form({ org: OptionalText(20) }) } },
      async (request, reply) => {
        const id = await assessment.startCheck(db, actor(request), positiveId(request.body.org ?? ''));
        return reply.redirect(`/digitalcheck/${id}`, 303);
      },
    );

    app.get('/digitalcheck/:id', { ...user, schema: { params: CheckParams } }, async (request, reply) => {
      const c = await assessment.checkContext(db, actor(request), positiveId(request.params.id));
      const mine = assessment.assignedTo(c, actor(request));
      return sendHtml(reply, renderPage(<OverviewPage ctx={pageContext(request)} c={c} mine={mine} />));
    });

    const questionOf = (c: Ctx, qid: string) => {
      const q = c.questions.find((x) => x.id === qid);
      if (!q) throw new NotFoundError(text('check.err.noSuchQuestion', { id: qid.slice(0, 40) }));
      return q;
    };

    app.get('/digitalcheck/:id/frage/:qid', { ...user, schema: { params: QuestionParams } }, async (request, reply) => {
      const c = await assessment.checkContext(db, actor(request), positiveId(request.params.id));
      const q = questionOf(c, request.params.qid);
      const a = c.answers.get(q.id);
      return sendHtml(
        reply,
        renderPage(
          <QuestionPage
            ctx={pageContext(request)}
            c={c}
            q={q}
            value={formValueOf(a)}
            comment={a?.comment ?? ''}
            evidenceUrl={a?.evidenceUrl ?? ''}
            version={a?.version ?? 0}
            errors={[]}
            conflict={null}
            notice={null}
          />,
        ),
      );
    });

    app.post(
      '/digitalcheck/:id/frage/:qid',
      { ...user, schema: { params: QuestionParams, body: AnswerFormBody }, attachValidation: true },
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
          conflict: { current: assessment.AnswerRow | null } | null,
          status: number,
          notice: string | null = null,
        ) => {
          const c = await assessment.checkContext(db, actor(request), id);
          const q = questionOf(c, qid);
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
                version={conflict?.current?.version ?? input.expectedVersion}
                errors={errors}
                conflict={conflict}
                notice={notice}
              />,
            ),
            status,
          );
        };
        let result: assessment.SaveResult;
        try {
          result = await assessment.saveAnswer(db, actor(request), id, qid, input);
        } catch (err) {
          // Submitted meanwhile: the locked question with what happened, not a bare "Konflikt".
          if (isFrozen(err)) return rerender([], null, 409, pageContext(request).t('check.err.frozen'));
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          return rerender(localFieldErrors(request, err.fieldErrors), null, 400);
        }
        if (!result.ok) return rerender([], { current: result.current }, 409);
        // On to the next open question, else the summary before submitting.
        return reply.redirect(
          result.next ? `/digitalcheck/${id}/frage/${result.next}` : `/digitalcheck/${id}/abschliessen`,
          303,
        );
      },
    );

    app.post(
      '/digitalcheck/:id/frage/:qid/spaeter',
      { ...user, schema: { params: QuestionParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        let next: string | null;
        try {
          next = await assessment.skipQuestion(db, actor(request), id, request.params.qid);
        } catch (err) {
          if (isFrozen(err)) return reply.redirect(`/digitalcheck/${id}`, 303);
          throw err;
        }
        return reply.redirect(next ? `/digitalcheck/${id}/frage/${next}` : `/digitalcheck/${id}/abschliessen`, 303);
      },
    );

    const assignPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      v: { frage: string; dimension: string; member: string; email: string },
      errors: readonly ShownFieldError[],
    ) => {
      const c = await assessment.checkContext(db, actor(request), id);
      if (!c.canEdit) return reply.redirect(`/digitalcheck/${id}`, 303);
      const question = v.frage ? questionOf(c, v.frage) : null;
      if (!question && !c.questions.some((q) => q.dimension === v.dimension))
        throw new NotFoundError(text('check.err.noSuchDimension'));
      return sendHtml(
        reply,
        renderPage(
          <AssignPage
            ctx={pageContext(request)}
            c={c}
            question={question}
            dimension={v.dimension}
            member={v.member}
            email={v.email}
            errors={errors}
          />,
        ),
        errors.length ? 400 : 200,
      );
    };

    app.get(
      '/digitalcheck/:id/zuweisen',
      { ...user, schema: { params: CheckParams, querystring: AssignQuery } },
      async (request, reply) =>
        assignPage(
          request,
          reply,
          positiveId(request.params.id),
          { frage: request.query.frage ?? '', dimension: request.query.dimension ?? '', member: '', email: '' },
          [],
        ),
    );

    app.post(
      '/digitalcheck/:id/zuweisen',
      { ...user, schema: { params: CheckParams, body: AssignBody } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const v = {
          frage: request.body.frage ?? '',
          dimension: request.body.dimension ?? '',
          member: request.body.member ?? '',
          email: (request.body.email ?? '').slice(0, 320),
        };
        const deps = {
          db,
          mailer: d.mailer,
          publicUrl: d.config.publicUrl,
          t: d.i18n.translator(requestLang(request)),
          now: d.clock,
          requestId: String(request.id),
        };
        try {
          await assessment.assignQuestions(deps, actor(request), id, {
            question: v.frage,
            dimension: v.frage ? '' : v.dimension,
            member: v.member,
            email: v.email,
          });
        } catch (err) {
          if (isFrozen(err)) return reply.redirect(`/digitalcheck/${id}`, 303);
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          return assignPage(request, reply, id, v, localFieldErrors(request, err.fieldErrors));
        }
        d.mailer.deliverPending().catch(() => {});
        return reply.redirect(v.frage ? `/digitalcheck/${id}/frage/${v.frage}` : `/digitalcheck/${id}`, 303);
      },
    );

    const summary = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: readonly ShownFieldError[] = [],
    ) => {
      const c = await assessment.checkContext(db, actor(request), id);
      return sendHtml(
        reply,
        renderPage(<SummaryPage ctx={pageContext(request)} c={c} errors={errors} />),
        errors.length ? 400 : 200,
      );
    };

    app.get('/digitalcheck/:id/abschliessen', { ...user, schema: { params: CheckParams } }, async (request, reply) =>
      summary(request, reply, positiveId(request.params.id)),
    );

    app.post('/digitalcheck/:id/absenden', { ...user, schema: { params: CheckParams } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      try {
        await assessment.submitCheck(db, actor(request), id);
      } catch (err) {
        // Submitted already (by a colleague, or a second click): the locked check says by whom and when.
        if (isFrozen(err)) return reply.redirect(`/digitalcheck/${id}`, 303);
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return summary(request, reply, id, localFieldErrors(request, err.fieldErrors));
      }
      return reply.redirect(`/digitalcheck/${id}/ergebnis`, 303);
    });
  };
