/**
 * The workspace's strategy pages: the overview with goals, measures, roadmap and capacity (every part a plain
 * form, saved at once; conflicting edits shown with both values), a measure's plan and implementation, the
 * settings, versions and their diff, the council document (HTML, PDF, DOCX), submission, adoption,
 * publication, and the public page of a published strategy.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { levelName } from '../assessment/index.js';
import { AppError, NotFoundError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { Field, Form, IdParam, OptionalText, positiveId, Query, Select, SubmitButton, TextArea } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, formatNumber, type Lang, text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { renderStrategyDocument } from './document.js';
import {
  addMonths,
  type ExplainContext,
  explain,
  formatMonth,
  MEASURE_STATUSES,
  type PlanItem,
  phaseOf,
  REPORTING_CYCLES,
  type StrategyContent,
} from './plan.js';
import { CapacityView, RoadmapChart, RoadmapTable } from './roadmap.js';
import * as strategy from './strategy.service.js';

type Actor = strategy.Actor;
const actorOf = (request: FastifyRequest): Actor => request.auth!.user;
const maybeActor = (request: FastifyRequest): Actor | null => request.auth?.user ?? null;

export const strategyUrl = (id: number) => `/strategie/${id}`;
const itemUrl = (id: number, measureId: string) => `/strategie/${id}/massnahmen/${encodeURIComponent(measureId)}`;

const eur = (lang: Lang, n: number) => (lang === 'de' ? `${formatNumber(lang, n)} €` : `EUR ${formatNumber(lang, n)}`);
const days = (lang: Lang, n: number) => formatNumber(lang, n, Number.isInteger(n) ? 0 : 1);

function explainer(ctx: PageContext, v: Pick<strategy.StrategyView, 'model' | 'catalogue'>): ExplainContext {
  return { t: ctx.t, lang: ctx.lang, model: v.model, catalogue: v.catalogue };
}

function measureTitle(v: Pick<strategy.StrategyView, 'catalogue'>, id: string, lang: Lang): string {
  return v.catalogue.measures.find((m) => m.id === id)?.title[lang] ?? id;
}

/** The calendar months of an item: "03/2027 – 08/2027". */
export function itemMonths(content: Pick<StrategyContent, 'startMonth'>, item: Pick<PlanItem, 'startMonth' | 'durationMonths'>) {
  return {
    start: formatMonth(addMonths(content.startMonth, item.startMonth)),
    end: formatMonth(addMonths(content.startMonth, item.startMonth + item.durationMonths - 1)),
  };
}

function Notice({ children, kind = 'success' }: { children: ComponentChildren; kind?: 'success' | 'info' | 'warning' }) {
  return (
    <div class={`kern-alert kern-alert--${kind}`} role="status">
      <div class="kern-alert__body">
        <p>{children}</p>
      </div>
    </div>
  );
}

function RevisionField({ revision }: { revision: number }) {
  return <input type="hidden" name="rev" value={String(revision)} />;
}

/** A one-button form (move, remove, status changes). */
function ButtonForm(props: {
  ctx: PageContext;
  action: string;
  label: string;
  revision?: number;
  fields?: Record<string, string>;
  secondary?: boolean;
}) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfField ctx={props.ctx} />
      {props.revision !== undefined ? <RevisionField revision={props.revision} /> : null}
      {Object.entries(props.fields ?? {}).map(([k, v]) => (
        <input type="hidden" name={k} value={v} key={k} />
      ))}
      <SubmitButton label={props.label} secondary={props.secondary ?? true} />
    </form>
  );
}

export interface ConflictInfo {
  by: string | null;
  at: Date;
  /** What the person tried, in words. */
  attempt: string;
  /** The form to repeat the attempt on the current revision. */
  retry: { action: string; fields: Record<string, string> };
}

function ConflictAlert({ ctx, c, revision }: { ctx: PageContext; c: ConflictInfo; revision: number }) {
  const { t } = ctx;
  return (
    <div class="kern-alert kern-alert--warning" role="alert">
      <div class="kern-alert__header">
        <h2 class="kern-title">{t('strategy.page.conflict.title')}</h2>
      </div>
      <div class="kern-alert__body">
        <p>
          {c.by
            ? t('strategy.page.conflict.by', { email: c.by, at: formatDate(ctx.lang, c.at) })
            : t('strategy.page.conflict.someone', { at: formatDate(ctx.lang, c.at) })}
        </p>
        <p>{t('strategy.page.conflict.attempt', { attempt: c.attempt })}</p>
        <p>{t('strategy.page.conflict.choose')}</p>
        <ButtonForm
          ctx={ctx}
          action={c.retry.action}
          label={t('strategy.page.conflict.mine')}
          revision={revision}
          fields={c.retry.fields}
          secondary={false}
        />{' '}
        <a class="kern-link" href={ctx.url.split('?')[0]}>
          {t('strategy.page.conflict.theirs')}
        </a>
      </div>
    </div>
  );
}

// ---------------------------------------------------------------------------------------------
// The overview

function StatusLine({ ctx, row }: { ctx: PageContext; row: strategy.StrategyRow }) {
  const { t, lang } = ctx;
  const parts = [t(`strategy.state.${row.status}`)];
  if (row.submittedOn && row.status === 'submitted') parts.push(t('strategy.page.submittedOn', { date: formatDate(lang, row.submittedOn) }));
  if (row.adoptedOn) {
    parts.push(
      row.decisionNumber
        ? t('strategy.page.adoptedOnNumber', { date: formatDate(lang, row.adoptedOn), number: row.decisionNumber })
        : t('strategy.page.adoptedOn', { date: formatDate(lang, row.adoptedOn) }),
    );
  }
  if (row.published) parts.push(t('strategy.page.isPublished'));
  return (
    <p class="kern-body">
      <strong>{t('strategy.page.status')}</strong> {parts.join(' · ')}
      {row.isDemo ? ` · ${t('strategy.page.demo')}` : ''}
    </p>
  );
}

function Goals({ ctx, v, errors }: { ctx: PageContext; v: strategy.StrategyView; errors: readonly ShownFieldError[] }) {
  const { t, lang } = ctx;
  const { row } = v;
  const ex = explainer(ctx, v);
  const reached = v.progress ? strategy.goalsReached(row.content, v.progress.byDimension) : null;
  const levels = [0, 1, 2, 3, 4].map((l) => ({ value: String(l), label: `${l} – ${levelName(v.model, l, lang)}` }));
  const list = (
    <table class="kern-table">
      <caption class="kern-sr-only">{t('strategy.page.goals')}</caption>
      <thead class="kern-table__head">
        <tr class="kern-table__row">
          <th scope="col" class="kern-table__header">{t('strategy.page.goal.dimension')}</th>
          <th scope="col" class="kern-table__header">{t('strategy.page.goal.today')}</th>
          <th scope="col" class="kern-table__header">{t('strategy.page.goal.target')}</th>
          {reached ? <th scope="col" class="kern-table__header">{t('strategy.page.goal.reached')}</th> : null}
          <th scope="col" class="kern-table__header">{t('strategy.page.goal.why')}</th>
        </tr>
      </thead>
      <tbody class="kern-table__body">
        {row.content.goals.map((g) => {
          const dim = v.model.dimensions.find((d) => d.id === g.dimension);
          const r = reached?.[g.dimension];
          return (
            <tr class="kern-table__row" key={g.dimension}>
              <th scope="row" class="kern-table__cell">{dim?.name[lang] ?? g.dimension}</th>
              <td class="kern-table__cell">
                {g.currentLevel === null ? '–' : `${g.currentLevel} – ${levelName(v.model, g.currentLevel, lang)}`}
              </td>
              <td class="kern-table__cell">
                {v.canEdit ? (
                  <Select
                    id={`goal-${g.dimension}`}
                    label={t('strategy.page.goal.targetFor', { dimension: dim?.name[lang] ?? g.dimension })}
                    options={levels}
                    value={String(g.targetLevel)}
                    errors={errors}
                  />
                ) : (
                  `${g.targetLevel} – ${levelName(v.model, g.targetLevel, lang)}`
                )}
              </td>
              {reached ? (
                <td class="kern-table__cell">
                  {r?.level === null || r === undefined
                    ? '–'
                    : t(r.reached ? 'strategy.page.goal.yes' : 'strategy.page.goal.no', { level: r.level })}
                </td>
              ) : null}
              <td class="kern-table__cell">{explain(g.reason, ex)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
  return (
    <section aria-labelledby="ziele">
      <h2 class="kern-heading-medium" id="ziele">
        {t('strategy.page.goals')}
      </h2>
      <p>{t('strategy.page.goalsIntro')}</p>
      {v.progress ? (
        <p>
          {t('strategy.page.goal.laterCheck', { date: formatDate(lang, v.progress.submittedAt) })}{' '}
          <a class="kern-link" href={`/digitalcheck/${v.progress.checkId}/ergebnis`}>
            {t('strategy.page.goal.laterCheckLink')}
          </a>
        </p>
      ) : null}
      {v.canEdit ? (
        <form method="post" action={`${strategyUrl(row.id)}/ziele`}>
          <CsrfField ctx={ctx} />
          <RevisionField revision={row.revision} />
          <div class="table-scroll" role="region" aria-label={t('strategy.page.goals')} tabindex={0}>
            {list}
          </div>
          <SubmitButton label={t('strategy.page.goal.save')} />
        </form>
      ) : (
        <div class="table-scroll" role="region" aria-label={t('strategy.page.goals')} tabindex={0}>
          {list}
        </div>
      )}
    </section>
  );
}

function Measures({ ctx, v }: { ctx: PageContext; v: strategy.StrategyView }) {
  const { t, lang } = ctx;
  const { row } = v;
  const ex = explainer(ctx, v);
  const items = row.content.items;
  return (
    <section aria-labelledby="massnahmen">
      <h2 class="kern-heading-medium" id="massnahmen">
        {t('strategy.page.measures', { count: items.length })}
      </h2>
      {items.length === 0 ? <p>{t('strategy.page.noMeasures')}</p> : null}
      <ol class="strategy-items">
        {items.map((item, i) => {
          const months = itemMonths(row.content, item);
          const title = measureTitle(v, item.measureId, lang);
          const links = v.links.get(item.measureId) ?? [];
          return (
            <li key={item.measureId} id={`m-${item.measureId}`} class="strategy-item">
              <h3 class="kern-heading-small">{title}</h3>
              <p>{explain(item.reason, ex)}</p>
              <dl class="facts">
                <dt>{t('strategy.page.item.when')}</dt>
                <dd>
                  {t('strategy.page.item.phase', { phase: phaseOf(item.startMonth) })}, {months.start} – {months.end}
                </dd>
                <dt>{t('strategy.page.item.owner')}</dt>
                <dd>{item.owner || t('strategy.page.item.noOwner')}</dd>
                <dt>{t('strategy.page.item.effort')}</dt>
                <dd>
                  {t('strategy.page.item.effortValue', {
                    days: days(lang, item.effortDays),
                    once: eur(lang, item.costOneOff),
                    yearly: eur(lang, item.costPerYear),
                  })}
                </dd>
                <dt>{t('strategy.page.item.status')}</dt>
                <dd>{t(`strategy.status.${item.status}`)}</dd>
              </dl>
              <p class="item-actions">
                <a class="kern-link" href={itemUrl(row.id, item.measureId)}>
                  {v.canEdit
                    ? t('strategy.page.item.edit', { title })
                    : t('strategy.page.item.track', { title })}
                </a>{' '}
                <a class="kern-link" href={`/massnahmen/${encodeURIComponent(item.measureId)}`}>
                  {t('strategy.page.item.about', { title })}
                </a>
                {links.length > 0 ? (
                  <>
                    {' '}
                    <span>{t('strategy.page.item.others', { count: links.length })}</span>
                  </>
                ) : null}
              </p>
              {v.canEdit ? (
                <div class="item-buttons">
                  {i > 0 ? (
                    <ButtonForm
                      ctx={ctx}
                      action={`${strategyUrl(row.id)}/reihenfolge`}
                      label={t('strategy.page.item.up', { title })}
                      revision={row.revision}
                      fields={{ measure: item.measureId, direction: 'up' }}
                    />
                  ) : null}
                  {i < items.length - 1 ? (
                    <ButtonForm
                      ctx={ctx}
                      action={`${strategyUrl(row.id)}/reihenfolge`}
                      label={t('strategy.page.item.down', { title })}
                      revision={row.revision}
                      fields={{ measure: item.measureId, direction: 'down' }}
                    />
                  ) : null}
                  <ButtonForm
                    ctx={ctx}
                    action={`${strategyUrl(row.id)}/entfernen`}
                    label={t('strategy.page.item.remove', { title })}
                    revision={row.revision}
                    fields={{ measure: item.measureId }}
                  />
                </div>
              ) : null}
            </li>
          );
        })}
      </ol>
      {v.canEdit && v.addable.length > 0 ? <AddMeasure ctx={ctx} v={v} errors={[]} /> : null}
    </section>
  );
}

function AddMeasure({ ctx, v, errors }: { ctx: PageContext; v: strategy.StrategyView; errors: readonly ShownFieldError[] }) {
  const { t, lang } = ctx;
  const options = v.model.dimensions.flatMap((d) =>
    v.addable
      .filter((m) => m.dimensions[0] === d.id)
      .map((m) => ({ value: m.id, label: m.title[lang], group: d.name[lang] })),
  );
  return (
    <form method="post" action={`${strategyUrl(v.row.id)}/hinzufuegen`} class="add-measure">
      <CsrfField ctx={ctx} />
      <RevisionField revision={v.row.revision} />
      <Select
        id="measure"
        label={t('strategy.page.add.label')}
        hint={t('strategy.page.add.hint')}
        options={[{ value: '', label: t('strategy.page.add.choose') }, ...options]}
        errors={errors}
      />
      <SubmitButton label={t('strategy.page.add.submit')} />
    </form>
  );
}

function Decisions({ ctx, v, errors, typed }: { ctx: PageContext; v: strategy.StrategyView; errors: readonly ShownFieldError[]; typed: Record<string, string> }) {
  const { t } = ctx;
  const { row } = v;
  if (!v.canDecide) {
    return (
      <section aria-labelledby="beschluss">
        <h2 class="kern-heading-medium" id="beschluss">
          {t('strategy.page.decide')}
        </h2>
        <p>{t('strategy.page.decide.adminsOnly')}</p>
      </section>
    );
  }
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section aria-labelledby="beschluss">
      <h2 class="kern-heading-medium" id="beschluss">
        {t('strategy.page.decide')}
      </h2>
      {row.status === 'draft' ? (
        <>
          <p>{t('strategy.page.decide.submitIntro')}</p>
          <ButtonForm ctx={ctx} action={`${strategyUrl(row.id)}/vorlegen`} label={t('strategy.page.decide.submit')} />
        </>
      ) : null}
      {row.status === 'submitted' ? (
        <ButtonForm ctx={ctx} action={`${strategyUrl(row.id)}/entwurf`} label={t('strategy.page.decide.backToDraft')} />
      ) : null}
      {row.status === 'draft' || row.status === 'submitted' ? (
        <form method="post" action={`${strategyUrl(row.id)}/beschliessen`} class="adopt-form">
          <CsrfField ctx={ctx} />
          <h3 class="kern-heading-small">{t('strategy.page.adopt.title')}</h3>
          <p>{t('strategy.page.adopt.intro')}</p>
          <ErrorSummary ctx={ctx} errors={errors} />
          <Field
            id="adoptedOn"
            label={t('strategy.page.adopt.date')}
            hint={t('strategy.page.adopt.dateHint')}
            value={typed.adoptedOn ?? formatDate('de', today)}
            maxLength={10}
            errors={errors}
          />
          <Field
            id="decisionNumber"
            label={t('strategy.page.adopt.number')}
            hint={t('strategy.page.optional')}
            value={typed.decisionNumber ?? ''}
            maxLength={100}
            errors={errors}
          />
          <Field
            id="councilUrl"
            type="url"
            label={t('strategy.page.adopt.url')}
            hint={t('strategy.page.adopt.urlHint')}
            value={typed.councilUrl ?? ''}
            maxLength={1000}
            errors={errors}
          />
          <SubmitButton label={t('strategy.page.adopt.submit')} />
        </form>
      ) : null}
      {row.status === 'adopted' || row.status === 'superseded' ? (
        <>
          <p>{row.published ? t('strategy.page.publish.isPublic') : t('strategy.page.publish.intro')}</p>
          <ButtonForm
            ctx={ctx}
            action={`${strategyUrl(row.id)}/veroeffentlichen`}
            label={row.published ? t('strategy.page.publish.withdraw') : t('strategy.page.publish.submit')}
            fields={{ published: row.published ? 'false' : 'true' }}
            secondary={row.published}
          />
        </>
      ) : null}
      {row.status === 'adopted' ? (
        <>
          <p>{t('strategy.page.newVersion.intro')}</p>
          <ButtonForm ctx={ctx} action={`${strategyUrl(row.id)}/neue-fassung`} label={t('strategy.page.newVersion.submit')} />
        </>
      ) : null}
    </section>
  );
}

export function DocumentLinks({ ctx, id }: { ctx: PageContext; id: number }) {
  const { t } = ctx;
  const base = `${strategyUrl(id)}/dokument`;
  const other = ctx.lang === 'de' ? 'en' : 'de';
  return (
    <ul class="document-links">
      <li>
        <a class="kern-link" href={base}>
          {t('strategy.page.doc.html')}
        </a>
      </li>
      <li>
        <a class="kern-link" href={`${base}.pdf`}>
          {t('strategy.page.doc.pdf')}
        </a>
      </li>
      <li>
        <a class="kern-link" href={`${base}.docx`}>
          {t('strategy.page.doc.docx')}
        </a>
      </li>
      <li>
        <a class="kern-link" href={`${base}.pdf?sprache=${other}`} hreflang={other}>
          {t('strategy.page.doc.other')}
        </a>
      </li>
    </ul>
  );
}

export function StrategyPage(props: {
  ctx: PageContext;
  v: strategy.StrategyView;
  notice?: string | null;
  conflict?: ConflictInfo | null;
  errors?: readonly ShownFieldError[];
  typed?: Record<string, string>;
}) {
  const { ctx, v } = props;
  const { t } = ctx;
  const { row } = v;
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  const errors = props.errors ?? [];
  const ex = explainer(ctx, v);
  return (
    <Layout
      ctx={ctx}
      title={texts.title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        ...(row.orgId ? [{ href: `/organisationen/${row.orgId}`, label: v.regionName }] : []),
        { label: texts.title },
      ]}
    >
      <h1 class="kern-heading-large">{texts.title}</h1>
      <StatusLine ctx={ctx} row={row} />
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      {props.conflict ? <ConflictAlert ctx={ctx} c={props.conflict} revision={row.revision} /> : null}
      {errors.length && !props.typed ? <ErrorSummary ctx={ctx} errors={errors} /> : null}
      <p>{row.status === 'draft' ? t('strategy.page.introDraft') : t('strategy.page.introFrozen')}</p>
      <nav aria-label={t('strategy.page.toc')}>
        <ul class="toc">
          <li>
            <a href="#ziele">{t('strategy.page.goals')}</a>
          </li>
          <li>
            <a href="#massnahmen">{t('strategy.page.measures', { count: row.content.items.length })}</a>
          </li>
          <li>
            <a href="#fahrplan">{t('strategy.page.roadmap')}</a>
          </li>
          <li>
            <a href="#kapazitaet">{t('strategy.page.capacity')}</a>
          </li>
          <li>
            <a href="#dokument">{t('strategy.page.doc')}</a>
          </li>
          <li>
            <a href="#beschluss">{t('strategy.page.decide')}</a>
          </li>
        </ul>
      </nav>
      <Goals ctx={ctx} v={v} errors={props.typed ? [] : errors} />
      <Measures ctx={ctx} v={v} />
      <section aria-labelledby="fahrplan">
        <h2 class="kern-heading-medium" id="fahrplan">
          {t('strategy.page.roadmap')}
        </h2>
        <RoadmapChart ctx={ctx} items={row.content.items} startMonth={row.content.startMonth} catalogue={v.catalogue} />
        <RoadmapTable ctx={ctx} items={row.content.items} startMonth={row.content.startMonth} catalogue={v.catalogue} />
      </section>
      <section aria-labelledby="kapazitaet">
        <h2 class="kern-heading-medium" id="kapazitaet">
          {t('strategy.page.capacity')}
        </h2>
        <p>
          {t('strategy.page.capacityIntro', {
            staff: days(ctx.lang, row.content.capacity.staffDaysPerMonth),
            budget: eur(ctx.lang, row.content.capacity.budgetPerYear),
          })}{' '}
          {v.canEdit ? (
            <a class="kern-link" href={`${strategyUrl(row.id)}/einstellungen`}>
              {t('strategy.page.settingsLink')}
            </a>
          ) : null}
        </p>
        <CapacityView ctx={ctx} report={v.report} explain={(r) => explain(r, ex)} />
      </section>
      <section aria-labelledby="dokument">
        <h2 class="kern-heading-medium" id="dokument">
          {t('strategy.page.doc')}
        </h2>
        <p>{t('strategy.page.docIntro')}</p>
        <DocumentLinks ctx={ctx} id={row.id} />
        <p>
          <a class="kern-link" href={`${strategyUrl(row.id)}/versionen`}>
            {t('strategy.page.versionsLink', { revision: row.revision })}
          </a>
        </p>
      </section>
      <Decisions ctx={ctx} v={v} errors={props.typed ? errors : []} typed={props.typed ?? {}} />
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// A measure: plan and implementation

function ItemPage(props: {
  ctx: PageContext;
  v: strategy.StrategyView;
  item: PlanItem;
  typed?: Record<string, string>;
  errors?: readonly ShownFieldError[];
  conflict?: { by: string | null; at: Date } | null;
  which?: 'plan' | 'progress';
}) {
  const { ctx, v, item } = props;
  const { t, lang } = ctx;
  const { row } = v;
  const errors = props.errors ?? [];
  const title = measureTitle(v, item.measureId, lang);
  const months = itemMonths(row.content, item);
  const typedPlan = props.which === 'plan' ? props.typed : undefined;
  const typedProgress = props.which === 'progress' ? props.typed : undefined;
  const m = v.catalogue.measures.find((x) => x.id === item.measureId);
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: strategyUrl(row.id), label: texts.title },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {m ? <p>{m.description[lang]}</p> : null}
      <p>{explain(item.reason, explainer(ctx, v))}</p>
      {props.conflict ? (
        <div class="kern-alert kern-alert--warning" role="alert">
          <div class="kern-alert__header">
            <h2 class="kern-title">{t('strategy.page.conflict.title')}</h2>
          </div>
          <div class="kern-alert__body">
            <p>
              {props.conflict.by
                ? t('strategy.page.conflict.by', { email: props.conflict.by, at: formatDate(lang, props.conflict.at) })
                : t('strategy.page.conflict.someone', { at: formatDate(lang, props.conflict.at) })}
            </p>
            <h3 class="kern-heading-small">{t('strategy.page.conflict.saved')}</h3>
            <p>
              {t('strategy.page.conflict.savedValues', {
                start: months.start,
                end: months.end,
                owner: item.owner || '–',
                days: days(lang, item.effortDays),
                once: eur(lang, item.costOneOff),
                yearly: eur(lang, item.costPerYear),
                status: t(`strategy.status.${item.status}`),
              })}
            </p>
            <p>{t('strategy.page.conflict.yoursBelow')}</p>
            <a class="kern-link" href={itemUrl(row.id, item.measureId)}>
              {t('strategy.page.conflict.theirs')}
            </a>
          </div>
        </div>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      {v.canEdit ? (
        <form method="post" action={itemUrl(row.id, item.measureId)}>
          <CsrfField ctx={ctx} />
          <RevisionField revision={row.revision} />
          <h2 class="kern-heading-medium">{t('strategy.page.item.plan')}</h2>
          <Field id="owner" label={t('strategy.page.item.owner')} hint={t('strategy.page.item.ownerHint')} value={typedPlan?.owner ?? item.owner} maxLength={200} errors={errors} />
          <Field id="start" label={t('strategy.page.item.start')} hint={t('strategy.page.item.monthHint')} value={typedPlan?.start ?? months.start} maxLength={7} errors={errors} />
          <Field id="durationMonths" inputmode="numeric" label={t('strategy.page.item.duration')} value={typedPlan?.durationMonths ?? String(item.durationMonths)} maxLength={3} errors={errors} />
          <Field id="effortDays" label={t('strategy.page.item.effortDays')} value={typedPlan?.effortDays ?? days(lang, item.effortDays)} maxLength={10} errors={errors} />
          <Field id="costOneOff" label={t('strategy.page.item.costOneOff')} value={typedPlan?.costOneOff ?? formatNumber(lang, item.costOneOff)} maxLength={15} errors={errors} />
          <Field id="costPerYear" label={t('strategy.page.item.costPerYear')} value={typedPlan?.costPerYear ?? formatNumber(lang, item.costPerYear)} maxLength={15} errors={errors} />
          <SubmitButton label={t('strategy.page.item.savePlan')} />
        </form>
      ) : (
        <p>
          {t('strategy.page.conflict.savedValues', {
            start: months.start,
            end: months.end,
            owner: item.owner || '–',
            days: days(lang, item.effortDays),
            once: eur(lang, item.costOneOff),
            yearly: eur(lang, item.costPerYear),
            status: t(`strategy.status.${item.status}`),
          })}
        </p>
      )}
      {v.canTrack && row.status !== 'superseded' ? (
        <form method="post" action={`${itemUrl(row.id, item.measureId)}/umsetzung`}>
          <CsrfField ctx={ctx} />
          <RevisionField revision={row.revision} />
          <h2 class="kern-heading-medium">{t('strategy.page.item.progress')}</h2>
          <Select
            id="status"
            label={t('strategy.page.item.status')}
            options={MEASURE_STATUSES.map((s) => ({ value: s, label: t(`strategy.status.${s}`) }))}
            value={typedProgress?.status ?? item.status}
            errors={errors}
          />
          <Field id="actualStart" label={t('strategy.page.item.actualStart')} hint={t('strategy.page.item.monthHintOptional')} value={typedProgress?.actualStart ?? (item.actualStart ? formatMonth(item.actualStart) : '')} maxLength={7} errors={errors} />
          <Field id="actualEnd" label={t('strategy.page.item.actualEnd')} hint={t('strategy.page.item.monthHintOptional')} value={typedProgress?.actualEnd ?? (item.actualEnd ? formatMonth(item.actualEnd) : '')} maxLength={7} errors={errors} />
          <TextArea id="note" label={t('strategy.page.item.note')} value={typedProgress?.note ?? item.note} maxLength={4000} errors={errors} />
          <SubmitButton label={t('strategy.page.item.saveProgress')} />
        </form>
      ) : null}
      <p>
        <a class="kern-link" href={`${strategyUrl(row.id)}#m-${item.measureId}`}>
          {t('strategy.page.back')}
        </a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Settings

function SettingsPage(props: { ctx: PageContext; v: strategy.StrategyView; typed?: Record<string, string>; errors?: readonly ShownFieldError[]; conflict?: { by: string | null; at: Date } | null }) {
  const { ctx, v } = props;
  const { t, lang } = ctx;
  const c = v.row.content;
  const errors = props.errors ?? [];
  const typed = props.typed ?? {};
  const texts = strategy.documentTexts(c, t, v.regionName);
  const title = t('strategy.page.settings');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { href: strategyUrl(v.row.id), label: texts.title }, { label: title }]}>
      <h1 class="kern-heading-large">{title}</h1>
      {props.conflict ? (
        <Notice kind="warning">
          {props.conflict.by
            ? t('strategy.page.conflict.by', { email: props.conflict.by, at: formatDate(lang, props.conflict.at) })
            : t('strategy.page.conflict.someone', { at: formatDate(lang, props.conflict.at) })}{' '}
          {t('strategy.page.conflict.yoursBelow')}
        </Notice>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${strategyUrl(v.row.id)}/einstellungen`}>
        <CsrfField ctx={ctx} />
        <RevisionField revision={v.row.revision} />
        <Field id="title" label={t('strategy.page.set.title')} hint={t('strategy.page.set.titleHint', { title: t('strategy.doc.defaultTitle', { name: v.regionName }) })} value={typed.title ?? c.title} maxLength={200} errors={errors} />
        <TextArea id="vision" label={t('strategy.page.set.vision')} hint={t('strategy.page.set.visionHint')} value={typed.vision ?? c.vision} maxLength={4000} rows={5} errors={errors} />
        <Field id="startMonth" label={t('strategy.page.set.start')} hint={t('strategy.page.item.monthHint')} value={typed.startMonth ?? formatMonth(c.startMonth)} maxLength={7} errors={errors} />
        <Field id="staffDaysPerMonth" label={t('strategy.page.set.staff')} hint={t('strategy.page.set.staffHint')} value={typed.staffDaysPerMonth ?? days(lang, c.capacity.staffDaysPerMonth)} maxLength={10} errors={errors} />
        <Field id="budgetPerYear" label={t('strategy.page.set.budget')} value={typed.budgetPerYear ?? formatNumber(lang, c.capacity.budgetPerYear)} maxLength={15} errors={errors} />
        <TextArea id="steering" label={t('strategy.page.set.steering')} hint={t('strategy.page.set.steeringHint')} value={typed.steering ?? c.governance.steering} maxLength={2000} errors={errors} />
        <Select
          id="reportingCycle"
          label={t('strategy.page.set.cycle')}
          options={REPORTING_CYCLES.map((r) => ({ value: r, label: t(`strategy.cycle.${r}`) }))}
          value={typed.reportingCycle ?? c.governance.reportingCycle}
          errors={errors}
        />
        <SubmitButton label={t('strategy.page.set.save')} />
      </form>
      <p class="kern-hint">{texts.title === c.title ? '' : t('strategy.page.set.defaults')}</p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Versions and diff

function VersionsPage({ ctx, row, revisions, v }: { ctx: PageContext; row: strategy.StrategyRow; revisions: strategy.RevisionRow[]; v: Pick<strategy.StrategyView, 'model' | 'catalogue' | 'regionName'> }) {
  const { t, lang } = ctx;
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  const title = t('strategy.page.versions');
  const ex = explainer(ctx, v);
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { href: strategyUrl(row.id), label: texts.title }, { label: title }]}>
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('strategy.page.versionsIntro')}</p>
      <form method="get" action={`${strategyUrl(row.id)}/vergleich`}>
        <div class="table-scroll" role="region" aria-label={title} tabindex={0}>
          <table class="kern-table">
            <caption class="kern-sr-only">{title}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">{t('strategy.page.version.no')}</th>
                <th scope="col" class="kern-table__header">{t('strategy.page.version.change')}</th>
                <th scope="col" class="kern-table__header">{t('strategy.page.version.by')}</th>
                <th scope="col" class="kern-table__header">{t('strategy.page.version.from')}</th>
                <th scope="col" class="kern-table__header">{t('strategy.page.version.to')}</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {revisions.map((r, i) => (
                <tr class="kern-table__row" key={r.revision}>
                  <th scope="row" class="kern-table__cell">{r.revision}</th>
                  <td class="kern-table__cell">{explain(r.summary, ex)}</td>
                  <td class="kern-table__cell">
                    {r.changedByEmail ?? '–'}, {formatDate(lang, r.changedAt)}
                  </td>
                  <td class="kern-table__cell">
                    <input type="radio" name="a" value={String(r.revision)} id={`a-${r.revision}`} checked={i === 1 || (revisions.length === 1 && i === 0)} />
                    <label for={`a-${r.revision}`} class="kern-sr-only">
                      {t('strategy.page.version.fromLabel', { no: r.revision })}
                    </label>
                  </td>
                  <td class="kern-table__cell">
                    <input type="radio" name="b" value={String(r.revision)} id={`b-${r.revision}`} checked={i === 0} />
                    <label for={`b-${r.revision}`} class="kern-sr-only">
                      {t('strategy.page.version.toLabel', { no: r.revision })}
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <SubmitButton label={t('strategy.page.version.compare')} />
      </form>
    </Layout>
  );
}

function DiffPage({ ctx, row, a, b, v }: { ctx: PageContext; row: strategy.StrategyRow; a: strategy.RevisionRow; b: strategy.RevisionRow; v: Pick<strategy.StrategyView, 'model' | 'catalogue' | 'regionName'> }) {
  const { t, lang } = ctx;
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  const title = t('strategy.page.diff', { a: a.revision, b: b.revision });
  const changes = strategy.diffContents(a.content, b.content);
  const ex = explainer(ctx, v);
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { href: strategyUrl(row.id), label: texts.title }, { href: `${strategyUrl(row.id)}/versionen`, label: t('strategy.page.versions') }, { label: title }]}>
      <h1 class="kern-heading-large">{title}</h1>
      <p>
        {t('strategy.page.diffIntro', {
          a: a.revision,
          aDate: formatDate(lang, a.changedAt),
          b: b.revision,
          bDate: formatDate(lang, b.changedAt),
        })}
      </p>
      {changes.length === 0 ? (
        <p>{t('strategy.page.diffNone')}</p>
      ) : (
        <ul class="diff">
          {changes.map((c, i) => (
            <li key={String(i)}>{explain(c, ex)}</li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

const Params = Type.Object({ id: IdParam });
const ItemParams = Type.Object({ id: IdParam, measure: Type.String({ maxLength: 80, pattern: '^[a-z0-9-]+$' }) });
const Rev = { rev: OptionalText(12) };
const revOf = (body: { rev?: string }) => Number(body.rev ?? '') || 0;

function docLang(ctx: PageContext, wanted: string | undefined): Lang {
  return wanted === 'en' || wanted === 'de' ? wanted : ctx.lang;
}

export const strategyPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };

    const view = (request: FastifyRequest, id: number) => strategy.strategyView(db, maybeActor(request), id);

    const overview = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      extra: { notice?: string | null; conflict?: ConflictInfo | null; errors?: ShownFieldError[]; typed?: Record<string, string> } = {},
      status = 200,
    ) => sendHtml(reply, renderPage(<StrategyPage ctx={pageContext(request)} v={await view(request, id)} {...extra} />), status);

    /** Run an edit from the overview: saved → back to the overview; conflict → the overview with both. */
    const editFromOverview = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      rev: number,
      edit: strategy.Edit,
      retry: ConflictInfo['retry'],
      attempt: string,
      anchor: string,
    ) => {
      try {
        const out = await strategy.editStrategy(db, actorOf(request), id, rev, edit);
        if (!out.ok) {
          const last = out.conflict[out.conflict.length - 1]!;
          return overview(request, reply, id, { conflict: { by: last.by, at: last.at, attempt, retry } }, 409);
        }
      } catch (err) {
        if (err instanceof AppError && err.status === 400) {
          return overview(request, reply, id, { errors: localFieldErrors(request, err.fieldErrors) }, 400);
        }
        throw err;
      }
      return reply.redirect(`${strategyUrl(id)}?gespeichert=1#${anchor}`, 303);
    };

    app.get('/strategie/:id', { ...pub, schema: { params: Params, querystring: Query({ gespeichert: OptionalText(20) }) } }, async (request, reply) => {
      const ctx = pageContext(request);
      const saved = request.query.gespeichert;
      const notice =
        saved === 'entwurf'
          ? ctx.t('strategy.page.notice.drafted')
          : saved === 'vorhanden'
            ? ctx.t('strategy.page.notice.existing')
            : saved
              ? ctx.t('strategy.page.notice.saved')
              : null;
      return overview(request, reply, positiveId(request.params.id), { notice });
    });

    app.post(
      '/digitalcheck/:id/strategie',
      { ...user, schema: { params: Params } },
      async (request, reply) => {
        const out = await strategy.createDraft(db, actorOf(request), positiveId(request.params.id), d.clock());
        return reply.redirect(`${strategyUrl(out.id)}?gespeichert=${out.existing ? 'vorhanden' : 'entwurf'}`, 303);
      },
    );

    app.post('/strategie/:id/ziele', { ...user, schema: { params: Params, body: Form({ ...Rev }) } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const v = await view(request, id);
      const raw = request.body as Record<string, string>;
      let targets: Record<string, number>;
      try {
        targets = strategy.parseGoals(raw, v.row.content);
      } catch (err) {
        if (err instanceof AppError && err.status === 400) {
          return overview(request, reply, id, { errors: localFieldErrors(request, err.fieldErrors) }, 400);
        }
        throw err;
      }
      const fields = Object.fromEntries(Object.entries(targets).map(([k, n]) => [`goal-${k}`, String(n)]));
      return editFromOverview(request, reply, id, revOf(request.body), { kind: 'goals', targets }, { action: `${strategyUrl(id)}/ziele`, fields }, pageContext(request).t('strategy.page.attempt.goals'), 'ziele');
    });

    app.post(
      '/strategie/:id/reihenfolge',
      { ...user, schema: { params: Params, body: Form({ ...Rev, measure: OptionalText(80), direction: OptionalText(5) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const measureId = request.body.measure ?? '';
        const direction = request.body.direction === 'up' ? 'up' : 'down';
        const ctx = pageContext(request);
        const v = await view(request, id);
        return editFromOverview(
          request,
          reply,
          id,
          revOf(request.body),
          { kind: 'move', measureId, direction },
          { action: `${strategyUrl(id)}/reihenfolge`, fields: { measure: measureId, direction } },
          ctx.t('strategy.page.attempt.move', { title: measureTitle(v, measureId, ctx.lang) }),
          `m-${measureId}`,
        );
      },
    );

    app.post(
      '/strategie/:id/entfernen',
      { ...user, schema: { params: Params, body: Form({ ...Rev, measure: OptionalText(80) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const measureId = request.body.measure ?? '';
        const ctx = pageContext(request);
        const v = await view(request, id);
        return editFromOverview(
          request,
          reply,
          id,
          revOf(request.body),
          { kind: 'remove', measureId },
          { action: `${strategyUrl(id)}/entfernen`, fields: { measure: measureId } },
          ctx.t('strategy.page.attempt.remove', { title: measureTitle(v, measureId, ctx.lang) }),
          'massnahmen',
        );
      },
    );

    app.post(
      '/strategie/:id/hinzufuegen',
      { ...user, schema: { params: Params, body: Form({ ...Rev, measure: OptionalText(80) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const measureId = request.body.measure ?? '';
        const ctx = pageContext(request);
        const v = await view(request, id);
        if (!v.catalogue.measures.some((m) => m.id === measureId)) {
          return overview(request, reply, id, { errors: [{ field: 'measure', message: ctx.t('strategy.err.unknownMeasure') }] }, 400);
        }
        return editFromOverview(
          request,
          reply,
          id,
          revOf(request.body),
          { kind: 'add', measureId },
          { action: `${strategyUrl(id)}/hinzufuegen`, fields: { measure: measureId } },
          ctx.t('strategy.page.attempt.add', { title: measureTitle(v, measureId, ctx.lang) }),
          `m-${measureId}`,
        );
      },
    );

    // A measure: its plan (draft only) and its implementation.
    const itemOf = (v: strategy.StrategyView, measureId: string) => {
      const item = v.row.content.items.find((i) => i.measureId === measureId);
      if (!item) throw new NotFoundError(text('strategy.err.noSuchItem'));
      return item;
    };

    app.get('/strategie/:id/massnahmen/:measure', { ...pub, schema: { params: ItemParams } }, async (request, reply) => {
      const v = await view(request, positiveId(request.params.id));
      return sendHtml(reply, renderPage(<ItemPage ctx={pageContext(request)} v={v} item={itemOf(v, request.params.measure)} />));
    });

    const itemPost = (which: 'plan' | 'progress') => async (request: FastifyRequest<{ Params: { id: string; measure: string }; Body: Record<string, string> }>, reply: FastifyReply) => {
      const id = positiveId(request.params.id);
      const measureId = request.params.measure;
      const raw = (request.body ?? {}) as Record<string, string>;
      const rerender = async (errors: ShownFieldError[], conflict: { by: string | null; at: Date } | null, status: number) => {
        const v = await view(request, id);
        return sendHtml(reply, renderPage(<ItemPage ctx={pageContext(request)} v={v} item={itemOf(v, measureId)} typed={raw} errors={errors} conflict={conflict} which={which} />), status);
      };
      try {
        const v = await view(request, id);
        itemOf(v, measureId);
        const edit: strategy.Edit =
          which === 'plan'
            ? { kind: 'item', measureId, fields: strategy.parseItemFields(raw, v.row.content.startMonth) }
            : { kind: 'progress', measureId, fields: strategy.parseProgressFields(raw) };
        const out = await strategy.editStrategy(db, actorOf(request), id, revOf(raw), edit);
        if (!out.ok) {
          const last = out.conflict[out.conflict.length - 1]!;
          return rerender([], { by: last.by, at: last.at }, 409);
        }
      } catch (err) {
        if (err instanceof AppError && err.status === 400) return rerender(localFieldErrors(request, err.fieldErrors), null, 400);
        throw err;
      }
      return reply.redirect(`${strategyUrl(id)}?gespeichert=1#m-${measureId}`, 303);
    };
    const ItemBody = Form({
      ...Rev,
      owner: OptionalText(400),
      start: OptionalText(20),
      durationMonths: OptionalText(20),
      effortDays: OptionalText(20),
      costOneOff: OptionalText(30),
      costPerYear: OptionalText(30),
    });
    const ProgressBody = Form({
      ...Rev,
      status: OptionalText(20),
      note: OptionalText(8000),
      actualStart: OptionalText(20),
      actualEnd: OptionalText(20),
    });
    app.post('/strategie/:id/massnahmen/:measure', { ...user, schema: { params: ItemParams, body: ItemBody } }, itemPost('plan') as never);
    app.post('/strategie/:id/massnahmen/:measure/umsetzung', { ...user, schema: { params: ItemParams, body: ProgressBody } }, itemPost('progress') as never);

    // Settings
    app.get('/strategie/:id/einstellungen', { ...user, schema: { params: Params } }, async (request, reply) => {
      const v = await view(request, positiveId(request.params.id));
      if (!v.canEdit) throw new NotFoundError(text('strategy.err.notDraft'));
      return sendHtml(reply, renderPage(<SettingsPage ctx={pageContext(request)} v={v} />));
    });
    const SettingsBody = Form({
      ...Rev,
      title: OptionalText(400),
      vision: OptionalText(8000),
      startMonth: OptionalText(20),
      staffDaysPerMonth: OptionalText(20),
      budgetPerYear: OptionalText(30),
      steering: OptionalText(4000),
      reportingCycle: OptionalText(20),
    });
    app.post('/strategie/:id/einstellungen', { ...user, schema: { params: Params, body: SettingsBody } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const raw = (request.body ?? {}) as Record<string, string>;
      const rerender = async (errors: ShownFieldError[], conflict: { by: string | null; at: Date } | null, status: number) =>
        sendHtml(reply, renderPage(<SettingsPage ctx={pageContext(request)} v={await view(request, id)} typed={raw} errors={errors} conflict={conflict} />), status);
      try {
        const fields = strategy.parseSettings(raw);
        const out = await strategy.editStrategy(db, actorOf(request), id, revOf(raw), { kind: 'settings', fields });
        if (!out.ok) {
          const last = out.conflict[out.conflict.length - 1]!;
          return rerender([], { by: last.by, at: last.at }, 409);
        }
      } catch (err) {
        if (err instanceof AppError && err.status === 400) return rerender(localFieldErrors(request, err.fieldErrors), null, 400);
        throw err;
      }
      return reply.redirect(`${strategyUrl(id)}?gespeichert=1#kapazitaet`, 303);
    });

    // Versions
    app.get('/strategie/:id/versionen', { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const { row, revisions } = await strategy.history(db, actorOf(request), id);
      const v = await view(request, id);
      return sendHtml(reply, renderPage(<VersionsPage ctx={pageContext(request)} row={row} revisions={revisions} v={v} />));
    });
    app.get(
      '/strategie/:id/vergleich',
      { ...user, schema: { params: Params, querystring: Query({ a: OptionalText(12), b: OptionalText(12) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const a = positiveId(request.query.a ?? '');
        const b = positiveId(request.query.b ?? '');
        const pair = await strategy.revisionPair(db, actorOf(request), id, Math.min(a, b), Math.max(a, b));
        const v = await view(request, id);
        return sendHtml(reply, renderPage(<DiffPage ctx={pageContext(request)} row={pair.row} a={pair.a} b={pair.b} v={v} />));
      },
    );

    // The council document
    const DocQuery = Query({ sprache: OptionalText(5) });
    const docInput = async (request: FastifyRequest) => {
      const ctx = pageContext(request);
      const lang = docLang(ctx, (request.query as { sprache?: string }).sprache);
      const id = positiveId((request.params as { id: string }).id);
      return strategy.documentInput(db, maybeActor(request), id, lang, d.i18n.translator(lang), d.clock());
    };
    app.get('/strategie/:id/dokument', { ...pub, schema: { params: Params, querystring: DocQuery } }, async (request, reply) => {
      const input = await docInput(request);
      return sendHtml(reply, renderPage(renderStrategyDocument(pageContext(request), input)));
    });
    app.get('/strategie/:id/dokument.pdf', { ...pub, schema: { params: Params, querystring: DocQuery } }, async (request, reply) => {
      const input = await docInput(request);
      const { renderStrategyPdf } = await import('./document/pdf.js');
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="digitalstrategie-${input.region.key}-${input.strategy.id}-${input.lang}.pdf"`)
        .header('cache-control', 'no-store')
        .send(await renderStrategyPdf(input));
    });
    app.get('/strategie/:id/dokument.docx', { ...pub, schema: { params: Params, querystring: DocQuery } }, async (request, reply) => {
      const input = await docInput(request);
      const { renderStrategyDocx } = await import('./document/docx.js');
      return reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('content-disposition', `attachment; filename="digitalstrategie-${input.region.key}-${input.strategy.id}-${input.lang}.docx"`)
        .header('cache-control', 'no-store')
        .send(await renderStrategyDocx(input));
    });

    // Decisions (workspace admins)
    const decision = (url: string, run: (request: FastifyRequest, id: number) => Promise<string>) =>
      app.post(url, { ...user, schema: { params: Params } }, async (request, reply) => {
        const id = positiveId((request.params as { id: string }).id);
        return reply.redirect(await run(request, id), 303);
      });
    decision('/strategie/:id/vorlegen', async (request, id) => {
      await strategy.submitToCouncil(db, actorOf(request), id, d.clock().toISOString().slice(0, 10));
      return `${strategyUrl(id)}?gespeichert=1#beschluss`;
    });
    decision('/strategie/:id/entwurf', async (request, id) => {
      await strategy.backToDraft(db, actorOf(request), id);
      return `${strategyUrl(id)}?gespeichert=1#beschluss`;
    });
    decision('/strategie/:id/neue-fassung', async (request, id) => {
      const out = await strategy.newVersion(db, actorOf(request), id);
      return `${strategyUrl(out.id)}?gespeichert=${out.existing ? 'vorhanden' : '1'}`;
    });
    app.post(
      '/strategie/:id/veroeffentlichen',
      { ...user, schema: { params: Params, body: Form({ published: OptionalText(10) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        await strategy.setPublished(db, actorOf(request), id, request.body.published !== 'false');
        return reply.redirect(`${strategyUrl(id)}?gespeichert=1#beschluss`, 303);
      },
    );
    app.post(
      '/strategie/:id/beschliessen',
      {
        ...user,
        schema: { params: Params, body: Form({ adoptedOn: OptionalText(20), decisionNumber: OptionalText(200), councilUrl: OptionalText(2000) }) },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const raw = (request.body ?? {}) as Record<string, string>;
        try {
          const f = strategy.parseAdoption(raw, d.clock().toISOString().slice(0, 10));
          await strategy.adopt(db, actorOf(request), id, f);
        } catch (err) {
          if (err instanceof AppError && err.status === 400) {
            return overview(request, reply, id, { errors: localFieldErrors(request, err.fieldErrors), typed: raw }, 400);
          }
          throw err;
        }
        return reply.redirect(`${strategyUrl(id)}?gespeichert=1#beschluss`, 303);
      },
    );

    // The published strategy of a region
    app.get(
      '/kommunen/:key/strategie',
      { ...pub, schema: { params: Type.Object({ key: Type.String({ pattern: '^[0-9]{2,12}$' }) }), querystring: DocQuery } },
      async (request, reply) => {
        const row = await strategy.publishedStrategy(db, request.params.key);
        if (!row) throw new NotFoundError(text('strategy.err.noPublished'));
        const ctx = pageContext(request);
        const lang = docLang(ctx, request.query.sprache);
        const input = await strategy.documentInputOf(db, row, lang, d.i18n.translator(lang), d.clock());
        return sendHtml(reply, renderPage(renderStrategyDocument(ctx, input, { publicKey: request.params.key })));
      },
    );
  };
