/** The strategy's secondary pages: a measure's plan and implementation, the settings, versions and a diff. */
import type { ShownFieldError } from '../platform/errors.js';
import { Field, Select, SubmitButton, TextArea } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext } from '../platform/http/layout.js';
import { formatDate, formatNumber } from '../platform/i18n/i18n.js';
import { explain, formatMonth, MEASURE_STATUSES, type PlanItem, REPORTING_CYCLES } from './plan.js';
import * as strategy from './strategy.service.js';
import {
  conflictLine,
  days,
  explainer,
  itemMonths,
  itemUrl,
  measureTitle,
  Notice,
  RevisionField,
  savedValues,
  strategyUrl,
} from './strategy.views.js';

// ---------------------------------------------------------------------------------------------
// A measure: plan and implementation

export function ItemPage(props: {
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
            <p>{conflictLine(ctx, props.conflict)}</p>
            <h3 class="kern-heading-small">{t('strategy.page.conflict.saved')}</h3>
            <p>{savedValues(ctx, row.content, item)}</p>
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
          <Field
            id="owner"
            label={t('strategy.page.item.owner')}
            hint={t('strategy.page.item.ownerHint')}
            value={typedPlan?.owner ?? item.owner}
            maxLength={200}
            errors={errors}
          />
          <Field
            id="start"
            label={t('strategy.page.item.start')}
            hint={t('strategy.page.item.monthHint')}
            value={typedPlan?.start ?? months.start}
            maxLength={7}
            errors={errors}
          />
          <Field
            id="durationMonths"
            inputmode="numeric"
            label={t('strategy.page.item.duration')}
            value={typedPlan?.durationMonths ?? String(item.durationMonths)}
            maxLength={3}
            errors={errors}
          />
          <Field
            id="effortDays"
            label={t('strategy.page.item.effortDays')}
            value={typedPlan?.effortDays ?? days(lang, item.effortDays)}
            maxLength={10}
            errors={errors}
          />
          <Field
            id="costOneOff"
            label={t('strategy.page.item.costOneOff')}
            value={typedPlan?.costOneOff ?? formatNumber(lang, item.costOneOff)}
            maxLength={15}
            errors={errors}
          />
          <Field
            id="costPerYear"
            label={t('strategy.page.item.costPerYear')}
            value={typedPlan?.costPerYear ?? formatNumber(lang, item.costPerYear)}
            maxLength={15}
            errors={errors}
          />
          <SubmitButton label={t('strategy.page.item.savePlan')} />
        </form>
      ) : (
        <p>{savedValues(ctx, row.content, item)}</p>
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
          <Field
            id="actualStart"
            label={t('strategy.page.item.actualStart')}
            hint={t('strategy.page.item.monthHintOptional')}
            value={typedProgress?.actualStart ?? (item.actualStart ? formatMonth(item.actualStart) : '')}
            maxLength={7}
            errors={errors}
          />
          <Field
            id="actualEnd"
            label={t('strategy.page.item.actualEnd')}
            hint={t('strategy.page.item.monthHintOptional')}
            value={typedProgress?.actualEnd ?? (item.actualEnd ? formatMonth(item.actualEnd) : '')}
            maxLength={7}
            errors={errors}
          />
          <TextArea
            id="note"
            label={t('strategy.page.item.note')}
            value={typedProgress?.note ?? item.note}
            maxLength={4000}
            errors={errors}
          />
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

export function SettingsPage(props: {
  ctx: PageContext;
  v: strategy.StrategyView;
  typed?: Record<string, string>;
  errors?: readonly ShownFieldError[];
  conflict?: { by: string | null; at: Date } | null;
}) {
  const { ctx, v } = props;
  const { t, lang } = ctx;
  const c = v.row.content;
  const errors = props.errors ?? [];
  const typed = props.typed ?? {};
  const texts = strategy.documentTexts(c, t, v.regionName);
  const title = t('strategy.page.settings');
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: strategyUrl(v.row.id), label: texts.title },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {props.conflict ? (
        <Notice kind="warning">
          {conflictLine(ctx, props.conflict)} {t('strategy.page.conflict.yoursBelow')}
        </Notice>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${strategyUrl(v.row.id)}/einstellungen`}>
        <CsrfField ctx={ctx} />
        <RevisionField revision={v.row.revision} />
        <Field
          id="title"
          label={t('strategy.page.set.title')}
          hint={t('strategy.page.set.titleHint', { title: t('strategy.doc.defaultTitle', { name: v.regionName }) })}
          value={typed.title ?? c.title}
          maxLength={200}
          errors={errors}
        />
        <TextArea
          id="vision"
          label={t('strategy.page.set.vision')}
          hint={t('strategy.page.set.visionHint')}
          value={typed.vision ?? c.vision}
          maxLength={4000}
          rows={5}
          errors={errors}
        />
        <Field
          id="startMonth"
          label={t('strategy.page.set.start')}
          hint={t('strategy.page.item.monthHint')}
          value={typed.startMonth ?? formatMonth(c.startMonth)}
          maxLength={7}
          errors={errors}
        />
        <Field
          id="staffDaysPerMonth"
          label={t('strategy.page.set.staff')}
          hint={t('strategy.page.set.staffHint')}
          value={typed.staffDaysPerMonth ?? days(lang, c.capacity.staffDaysPerMonth)}
          maxLength={10}
          errors={errors}
        />
        <Field
          id="budgetPerYear"
          label={t('strategy.page.set.budget')}
          value={typed.budgetPerYear ?? formatNumber(lang, c.capacity.budgetPerYear)}
          maxLength={15}
          errors={errors}
        />
        <TextArea
          id="steering"
          label={t('strategy.page.set.steering')}
          hint={t('strategy.page.set.steeringHint')}
          value={typed.steering ?? c.governance.steering}
          maxLength={2000}
          errors={errors}
        />
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

export function VersionsPage({
  ctx,
  row,
  revisions,
  v,
}: {
  ctx: PageContext;
  row: strategy.StrategyRow;
  revisions: strategy.RevisionRow[];
  v: Pick<strategy.StrategyView, 'model' | 'catalogue' | 'regionName'>;
}) {
  const { t, lang } = ctx;
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  const title = t('strategy.page.versions');
  const ex = explainer(ctx, v);
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
      <p>{t('strategy.page.versionsIntro')}</p>
      <form method="get" action={`${strategyUrl(row.id)}/vergleich`}>
        <div class="table-scroll" role="region" aria-label={title} tabindex={0}>
          <table class="kern-table">
            <caption class="kern-sr-only">{title}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('strategy.page.version.no')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('strategy.page.version.change')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('strategy.page.version.by')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('strategy.page.version.from')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('strategy.page.version.to')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {revisions.map((r, i) => (
                <tr class="kern-table__row" key={r.revision}>
                  <th scope="row" class="kern-table__cell">
                    {r.revision}
                  </th>
                  <td class="kern-table__cell">{explain(r.summary, ex)}</td>
                  <td class="kern-table__cell">
                    {r.changedByEmail ?? '–'}, {formatDate(lang, r.changedAt)}
                  </td>
                  <td class="kern-table__cell">
                    <input
                      type="radio"
                      name="a"
                      value={String(r.revision)}
                      id={`a-${r.revision}`}
                      checked={i === 1 || (revisions.length === 1 && i === 0)}
                    />
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

export function DiffPage({
  ctx,
  row,
  a,
  b,
  v,
}: {
  ctx: PageContext;
  row: strategy.StrategyRow;
  a: strategy.RevisionRow;
  b: strategy.RevisionRow;
  v: Pick<strategy.StrategyView, 'model' | 'catalogue' | 'regionName'>;
}) {
  const { t, lang } = ctx;
  const texts = strategy.documentTexts(row.content, t, v.regionName);
  const title = t('strategy.page.diff', { a: a.revision, b: b.revision });
  const changes = strategy.diffContents(a.content, b.content);
  const ex = explainer(ctx, v);
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: strategyUrl(row.id), label: texts.title },
        { href: `${strategyUrl(row.id)}/versionen`, label: t('strategy.page.versions') },
        { label: title },
      ]}
    >
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
