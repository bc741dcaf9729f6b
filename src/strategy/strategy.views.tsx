/**
 * The overview page of a strategy and the small parts the other strategy pages share: goals, measures with
 * their buttons, adding a measure, roadmap, capacity, the council document's links, decisions, conflicts.
 */
import type { ComponentChildren } from 'preact';
import { levelName } from '../assessment/index.js';
import type { ShownFieldError } from '../platform/errors.js';
import { Field, Select, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext } from '../platform/http/layout.js';
import { formatDate, formatNumber, type Lang } from '../platform/i18n/i18n.js';
import {
  addMonths,
  type ExplainContext,
  explain,
  formatMonth,
  type PlanItem,
  phaseOf,
  type StrategyContent,
} from './plan.js';
import { CapacityView, Roadmap } from './roadmap.js';
import * as strategy from './strategy.service.js';

export const strategyUrl = (id: number) => `/strategie/${id}`;
export const itemUrl = (id: number, measureId: string) =>
  `/strategie/${id}/massnahmen/${encodeURIComponent(measureId)}`;

export const eur = (lang: Lang, n: number) =>
  lang === 'de' ? `${formatNumber(lang, n)} €` : `EUR ${formatNumber(lang, n)}`;
export const days = (lang: Lang, n: number) => formatNumber(lang, n, Number.isInteger(n) ? 0 : 1);

export function explainer(ctx: PageContext, v: Pick<strategy.StrategyView, 'model' | 'catalogue'>): ExplainContext {
  return { t: ctx.t, lang: ctx.lang, model: v.model, catalogue: v.catalogue };
}

export function measureTitle(v: Pick<strategy.StrategyView, 'catalogue'>, id: string, lang: Lang): string {
  return v.catalogue.measures.find((m) => m.id === id)?.title[lang] ?? id;
}

/** The calendar months of an item: "03/2027 – 08/2027". */
export function itemMonths(
  content: Pick<StrategyContent, 'startMonth'>,
  item: Pick<PlanItem, 'startMonth' | 'durationMonths'>,
) {
  return {
    start: formatMonth(addMonths(content.startMonth, item.startMonth)),
    end: formatMonth(addMonths(content.startMonth, item.startMonth + item.durationMonths - 1)),
  };
}

export function Notice({
  children,
  kind = 'success',
}: {
  children: ComponentChildren;
  kind?: 'success' | 'info' | 'warning';
}) {
  return (
    <div class={`kern-alert kern-alert--${kind}`} role="status">
      <div class="kern-alert__body">
        <p>{children}</p>
      </div>
    </div>
  );
}

export function RevisionField({ revision }: { revision: number }) {
  return <input type="hidden" name="rev" value={String(revision)} />;
}

/** A one-button form (move, remove, status changes). */
export function ButtonForm(props: {
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

/** "X hat das am … geändert" (or "Jemand …" when the account is gone). */
export function conflictLine(ctx: PageContext, c: { by: string | null; at: Date }): string {
  return c.by
    ? ctx.t('strategy.page.conflict.by', { email: c.by, at: formatDate(ctx.lang, c.at) })
    : ctx.t('strategy.page.conflict.someone', { at: formatDate(ctx.lang, c.at) });
}

/** The saved plan of a measure in one sentence (shown beside a conflicting input, and to readers). */
export function savedValues(ctx: PageContext, content: Pick<StrategyContent, 'startMonth'>, item: PlanItem): string {
  const months = itemMonths(content, item);
  return ctx.t('strategy.page.conflict.savedValues', {
    start: months.start,
    end: months.end,
    owner: item.owner || '–',
    days: days(ctx.lang, item.effortDays),
    once: eur(ctx.lang, item.costOneOff),
    yearly: eur(ctx.lang, item.costPerYear),
    status: ctx.t(`strategy.status.${item.status}`),
  });
}

export interface ConflictInfo {
  by: string | null;
  at: Date;
  /** What the person tried, in words. */
  attempt: string;
  /** The form to repeat the attempt on the current revision. */
  retry: { action: string; fields: Record<string, string> };
}

export function ConflictAlert({ ctx, c, revision }: { ctx: PageContext; c: ConflictInfo; revision: number }) {
  const { t } = ctx;
  return (
    <div class="kern-alert kern-alert--warning" role="alert">
      <div class="kern-alert__header">
        <h2 class="kern-title">{t('strategy.page.conflict.title')}</h2>
      </div>
      <div class="kern-alert__body">
        <p>{conflictLine(ctx, c)}</p>
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
  if (row.submittedOn && row.status === 'submitted')
    parts.push(t('strategy.page.submittedOn', { date: formatDate(lang, row.submittedOn) }));
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
          <th scope="col" class="kern-table__header">
            {t('strategy.page.goal.dimension')}
          </th>
          <th scope="col" class="kern-table__header">
            {t('strategy.page.goal.today')}
          </th>
          <th scope="col" class="kern-table__header">
            {t('strategy.page.goal.target')}
          </th>
          {reached ? (
            <th scope="col" class="kern-table__header">
              {t('strategy.page.goal.reached')}
            </th>
          ) : null}
          <th scope="col" class="kern-table__header">
            {t('strategy.page.goal.why')}
          </th>
        </tr>
      </thead>
      <tbody class="kern-table__body">
        {row.content.goals.map((g) => {
          const dim = v.model.dimensions.find((d) => d.id === g.dimension);
          const r = reached?.[g.dimension];
          return (
            <tr class="kern-table__row" key={g.dimension}>
              <th scope="row" class="kern-table__cell">
                {dim?.name[lang] ?? g.dimension}
              </th>
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
                  {v.canEdit ? t('strategy.page.item.edit', { title }) : t('strategy.page.item.track', { title })}
                </a>{' '}
                <a class="kern-link" href={`/massnahmen/${encodeURIComponent(item.measureId)}`}>
                  {t('strategy.page.item.about', { title })}
                </a>
                {links.length > 0 ? (
                  <>
                    {' '}
                    {links.some((l) => l.kind === 'practice') ? (
                      <a class="kern-link" href={`/praxis?measure=${encodeURIComponent(item.measureId)}`}>
                        {t('strategy.page.item.others', { count: links.length })}
                      </a>
                    ) : (
                      <span>{t('strategy.page.item.others', { count: links.length })}</span>
                    )}
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

function AddMeasure({
  ctx,
  v,
  errors,
}: {
  ctx: PageContext;
  v: strategy.StrategyView;
  errors: readonly ShownFieldError[];
}) {
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

function Decisions({
  ctx,
  v,
  errors,
  typed,
}: {
  ctx: PageContext;
  v: strategy.StrategyView;
  errors: readonly ShownFieldError[];
  typed: Record<string, string>;
}) {
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
          <ButtonForm
            ctx={ctx}
            action={`${strategyUrl(row.id)}/neue-fassung`}
            label={t('strategy.page.newVersion.submit')}
          />
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
  /** Parts other modules contribute (e.g. the atlas's "Kommunen wie Ihre"), rendered after the measures. */
  sections?: ComponentChildren;
}) {
  const { ctx, v } = props;
  const { t } = ctx;
  const { row } = v;
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  const errors = props.errors ?? [];
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
      {props.sections ?? null}
      <section aria-labelledby="fahrplan">
        <h2 class="kern-heading-medium" id="fahrplan">
          {t('strategy.page.roadmap')}
        </h2>
        <Roadmap ctx={ctx} items={row.content.items} startMonth={row.content.startMonth} catalogue={v.catalogue} />
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
        <CapacityView
          ctx={ctx}
          report={v.report}
          model={v.model}
          catalogue={v.catalogue}
          startMonth={row.content.startMonth}
        />
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

/** `/strategie`: how a strategy comes about, the catalogue, and the signed-in person's workspaces. */
export function StrategyLandingPage({
  ctx,
  workspaces,
}: {
  ctx: PageContext;
  workspaces: { id: number; name: string; strategies: strategy.StrategyRow[] }[] | null;
}) {
  const { t, lang } = ctx;
  const title = t('strategy.landing.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { label: title }]}>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body--large">{t('strategy.landing.lead')}</p>
      <ol>
        <li>{t('strategy.landing.step1')}</li>
        <li>{t('strategy.landing.step2')}</li>
        <li>{t('strategy.landing.step3')}</li>
        <li>{t('strategy.landing.step4')}</li>
      </ol>
      <p>
        <a class="kern-link" href="/massnahmen">
          {t('strategy.landing.catalogue')}
        </a>
      </p>
      {workspaces === null ? (
        <p>
          <a class="kern-link" href="/anmelden?weiter=%2Fstrategie">
            {t('strategy.landing.signIn')}
          </a>
        </p>
      ) : (
        <section aria-labelledby="ihre">
          <h2 class="kern-heading-medium" id="ihre">
            {t('strategy.landing.yours')}
          </h2>
          {workspaces.length === 0 ? (
            <p>
              <a class="kern-link" href="/kommune-finden">
                {t('strategy.landing.noWorkspace')}
              </a>
            </p>
          ) : (
            <ul>
              {workspaces.map((w) => {
                const current = w.strategies[0];
                return (
                  <li key={w.id}>
                    <a class="kern-link" href={current ? strategyUrl(current.id) : `/organisationen/${w.id}#strategie`}>
                      {w.name}
                    </a>
                    {': '}
                    {current
                      ? current.adoptedOn
                        ? t('strategy.section.adopted', { date: formatDate(lang, current.adoptedOn) })
                        : t(`strategy.state.${current.status}`)
                      : t('strategy.landing.none')}
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </Layout>
  );
}
