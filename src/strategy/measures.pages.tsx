/**
 * The public pages of the measures catalogue: `/massnahmen` (the list, filtered by sector, dimension and size
 * class with a plain GET form) and `/massnahmen/:id` (one measure with everything the catalogue knows of it).
 * No client script; the newest catalogue version, in the reader's language.
 *
 * Filter values are ids of the maturity model (sector, dimension) and of the size classes; an unknown value
 * answers 400 with the form, the error summary naming the field and the value, and no list (a list that
 * silently ignores a filter would look filtered).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { type ComponentChildren, Fragment } from 'preact';
import { loadModel, type MaturityModel, SIZE_CLASSES, type SizeClass } from '../assessment/index.js';
import { type FieldError, fieldError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { OptionalText, Query } from '../platform/http/forms.js';
import { ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { daysRange, eurRange, firstSentence, monthsRange } from './format.js';
import { loadMeasures, type Measure, type MeasureCatalogue } from './measures.js';

export const MEASURES_PATH = '/massnahmen';

/** The link to a measure's page. */
export const measureHref = (id: string): string => `${MEASURES_PATH}/${encodeURIComponent(id)}`;

// ---------------------------------------------------------------------------------------------
// Filter

/** The filter form's fields as typed (query parameter = select name = id). */
export interface MeasureFilterValues {
  sektor: string;
  dimension: string;
  groesse: string;
}

export interface MeasureFilter {
  sector?: string;
  dimension?: string;
  size?: SizeClass;
}

const SIZE_IDS: readonly string[] = SIZE_CLASSES.map((c) => c.id);

/**
 * Reads the filter from a query string. Empty values mean "all"; a value that is not an id of the model's
 * sectors or dimensions or of the size classes is a field error naming it.
 */
export function parseMeasureFilter(
  query: Partial<Record<keyof MeasureFilterValues, string>>,
  model: Pick<MaturityModel, 'sectors' | 'dimensions'>,
): { values: MeasureFilterValues; filter: MeasureFilter; errors: FieldError[] } {
  const values: MeasureFilterValues = {
    sektor: (query.sektor ?? '').trim(),
    dimension: (query.dimension ?? '').trim(),
    groesse: (query.groesse ?? '').trim(),
  };
  const filter: MeasureFilter = {};
  const errors: FieldError[] = [];
  const shown = (v: string) => (v.length > 40 ? `${v.slice(0, 39)}…` : v);
  if (values.sektor) {
    if (model.sectors.some((s) => s.id === values.sektor)) filter.sector = values.sektor;
    else errors.push(fieldError('sektor', 'measures.page.err.sektor', { value: shown(values.sektor) }));
  }
  if (values.dimension) {
    if (model.dimensions.some((d) => d.id === values.dimension)) filter.dimension = values.dimension;
    else errors.push(fieldError('dimension', 'measures.page.err.dimension', { value: shown(values.dimension) }));
  }
  if (values.groesse) {
    if (SIZE_IDS.includes(values.groesse)) filter.size = values.groesse as SizeClass;
    else errors.push(fieldError('groesse', 'measures.page.err.groesse', { value: shown(values.groesse) }));
  }
  return { values, filter, errors };
}

/** The measures matching every given filter, in catalogue order. */
export function filterMeasures(measures: readonly Measure[], filter: MeasureFilter): Measure[] {
  return measures.filter(
    (m) =>
      (filter.sector === undefined || m.sectors.includes(filter.sector)) &&
      (filter.dimension === undefined || m.dimensions.includes(filter.dimension)) &&
      (filter.size === undefined || m.sizes.includes(filter.size)),
  );
}

// ---------------------------------------------------------------------------------------------
// Views

const nameOf = (items: readonly { id: string; name: { de: string; en: string } }[], id: string, ctx: PageContext) =>
  items.find((x) => x.id === id)?.name[ctx.lang] ?? id;

function Select(props: {
  id: keyof MeasureFilterValues;
  label: string;
  all: string;
  options: { value: string; label: string }[];
  value: string;
  errors: readonly ShownFieldError[];
}) {
  const error = props.errors.find((e) => e.field === props.id);
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {error ? (
        <p class="kern-error" id={`${props.id}-error`}>
          {error.message}
        </p>
      ) : null}
      <div class="kern-form-input__select-wrapper">
        <select
          class={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
          id={props.id}
          name={props.id}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `${props.id}-error` : undefined}
        >
          <option value="">{props.all}</option>
          {props.options.map((o) => (
            <option value={o.value} selected={props.value === o.value} key={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

function FilterForm({
  ctx,
  model,
  values,
  errors,
}: {
  ctx: PageContext;
  model: MaturityModel;
  values: MeasureFilterValues;
  errors: readonly ShownFieldError[];
}) {
  const { t, lang } = ctx;
  return (
    <form method="get" action={MEASURES_PATH} novalidate>
      <fieldset class="kern-fieldset filters-fieldset">
        <legend class="kern-label">{t('measures.page.filters')}</legend>
        <div class="kern-fieldset__body filters">
          <Select
            id="sektor"
            label={t('measures.page.sector')}
            all={t('measures.page.sectorAll')}
            options={model.sectors.map((s) => ({ value: s.id, label: s.name[lang] }))}
            value={values.sektor}
            errors={errors}
          />
          <Select
            id="dimension"
            label={t('measures.page.dimension')}
            all={t('measures.page.dimensionAll')}
            options={model.dimensions.map((d) => ({ value: d.id, label: d.name[lang] }))}
            value={values.dimension}
            errors={errors}
          />
          <Select
            id="groesse"
            label={t('measures.page.size')}
            all={t('measures.page.sizeAll')}
            options={SIZE_CLASSES.map((c) => ({ value: c.id, label: c.label[lang] }))}
            value={values.groesse}
            errors={errors}
          />
          <button class="kern-btn kern-btn--primary" type="submit">
            <span class="kern-label">{t('measures.page.apply')}</span>
          </button>
        </div>
      </fieldset>
    </form>
  );
}

function Edition({ ctx, catalogue }: { ctx: PageContext; catalogue: MeasureCatalogue }) {
  return (
    <p class="kern-body--small">
      {ctx.t('measures.page.edition', { version: catalogue.version, date: formatDate(ctx.lang, catalogue.published) })}{' '}
      <a class="kern-link" href="/api/v1/measures" type="application/json">
        {ctx.t('measures.page.openData')}
      </a>
    </p>
  );
}

/** The facts every entry of the list shows, as name–value pairs. */
function MeasureFacts({ ctx, measure, model }: { ctx: PageContext; measure: Measure; model: MaturityModel }) {
  const { t, lang } = ctx;
  const facts: [string, string][] = [
    [t('measures.page.dimensions'), measure.dimensions.map((d) => nameOf(model.dimensions, d, ctx)).join(', ')],
    [t('measures.page.sectors'), measure.sectors.map((s) => nameOf(model.sectors, s, ctx)).join(', ')],
    [t('measures.page.effort'), daysRange(t, lang, measure.effortDays)],
    [t('measures.page.costOneOff'), eurRange(t, lang, measure.costOneOff)],
    [t('measures.page.costPerYear'), eurRange(t, lang, measure.costPerYear)],
    [t('measures.page.duration'), monthsRange(t, lang, measure.durationMonths)],
  ];
  return (
    <dl class="result__facts">
      {facts.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MeasuresListPage(props: {
  ctx: PageContext;
  catalogue: MeasureCatalogue;
  model: MaturityModel;
  values: MeasureFilterValues;
  errors: readonly ShownFieldError[];
  /** The measures to list; null when the filter is invalid. */
  shown: readonly Measure[] | null;
}) {
  const { ctx, catalogue, model, values, errors, shown } = props;
  const { t, lang } = ctx;
  const title = t('measures.page.title');
  return (
    <Layout
      ctx={ctx}
      title={errors.length ? `${t('error.title')}: ${title}` : title}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: title }]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('measures.page.lead')}</p>
      <Edition ctx={ctx} catalogue={catalogue} />
      <ErrorSummary ctx={ctx} errors={errors} />
      <FilterForm ctx={ctx} model={model} values={values} errors={errors} />
      {shown ? (
        <section aria-labelledby="measures-count">
          <h2 class="kern-heading-medium" id="measures-count">
            {t('measures.page.count', { shown: shown.length, total: catalogue.measures.length })}
          </h2>
          {shown.length < catalogue.measures.length ? (
            <p>
              <a class="kern-link" href={MEASURES_PATH}>
                {t('measures.page.reset')}
              </a>
            </p>
          ) : null}
          {shown.length === 0 ? (
            <p>{t('measures.page.none')}</p>
          ) : (
            <ol class="results">
              {shown.map((m) => (
                <li class="result" key={m.id} id={`m-${m.id}`}>
                  <h3 class="result__name">
                    <a class="kern-link" href={measureHref(m.id)}>
                      {m.title[lang]}
                    </a>
                  </h3>
                  <p class="result__text">{firstSentence(m.description[lang])}</p>
                  <MeasureFacts ctx={ctx} measure={m} model={model} />
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : (
        <p>
          <a class="kern-link" href={MEASURES_PATH}>
            {t('measures.page.reset')}
          </a>
        </p>
      )}
    </Layout>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id}>
      <h2 class="kern-heading-medium" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}

function MeasureLinks({
  ctx,
  ids,
  catalogue,
}: {
  ctx: PageContext;
  ids: readonly string[];
  catalogue: MeasureCatalogue;
}) {
  return (
    <ul>
      {ids.map((id) => (
        <li key={id}>
          <a class="kern-link" href={measureHref(id)}>
            {catalogue.measures.find((m) => m.id === id)?.title[ctx.lang] ?? id}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function MeasurePage({
  ctx,
  catalogue,
  model,
  measure: m,
}: {
  ctx: PageContext;
  catalogue: MeasureCatalogue;
  model: MaturityModel;
  measure: Measure;
}) {
  const { t, lang } = ctx;
  const title = m.title[lang];
  const enables = catalogue.measures.filter((o) => o.prerequisites.includes(m.id)).map((o) => o.id);
  const facts: [string, string][] = [
    [t('measures.page.effort'), daysRange(t, lang, m.effortDays)],
    [t('measures.page.costOneOff'), eurRange(t, lang, m.costOneOff)],
    [t('measures.page.costPerYear'), eurRange(t, lang, m.costPerYear)],
    [t('measures.page.duration'), monthsRange(t, lang, m.durationMonths)],
    [t('measures.page.dimensions'), m.dimensions.map((d) => nameOf(model.dimensions, d, ctx)).join(', ')],
    [t('measures.page.sectors'), m.sectors.map((s) => nameOf(model.sectors, s, ctx)).join(', ')],
  ];
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: MEASURES_PATH, label: t('measures.page.title') },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body--large">{m.description[lang]}</p>
      <p>
        <a class="kern-link" href={`/beratung/neu?kontext=measure&ref=${encodeURIComponent(m.id)}`}>
          {t('desk.inquiries.ask')}
        </a>{' '}
        ·{' '}
        <a class="kern-link" href={`/beratung/faq?kontext=measure&ref=${encodeURIComponent(m.id)}`}>
          {t('desk.knowledge.contextAnswers')}
        </a>
      </p>

      <Section id="eckdaten" title={t('measures.page.factsTitle')}>
        <dl class="facts">
          {facts.map(([name, value]) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
        <p class="kern-body--small">{t('measures.page.factsNote')}</p>
      </Section>

      <Section id="fragen" title={t('measures.page.raisesTitle')}>
        <p>{t('measures.page.raisesLead')}</p>
        <ul>
          {m.raises.map((r) => {
            const q = model.questions.find((x) => x.id === r.question);
            const levelName = model.levels[r.toLevel]?.[lang] ?? String(r.toLevel);
            return (
              <li key={r.question}>
                {q ? q.text[lang] : r.question}{' '}
                <strong>{t('measures.page.raise', { level: r.toLevel, levelName })}</strong>
              </li>
            );
          })}
        </ul>
      </Section>

      <Section id="voraussetzungen" title={t('measures.page.prerequisitesTitle')}>
        {m.prerequisites.length === 0 ? (
          <p>{t('measures.page.prerequisitesNone')}</p>
        ) : (
          <>
            <p>{t('measures.page.prerequisitesLead')}</p>
            <MeasureLinks ctx={ctx} ids={m.prerequisites} catalogue={catalogue} />
          </>
        )}
        {enables.length > 0 ? (
          <>
            <h3 class="kern-heading-small">{t('measures.page.enablesTitle')}</h3>
            <p>{t('measures.page.enablesLead')}</p>
            <MeasureLinks ctx={ctx} ids={enables} catalogue={catalogue} />
          </>
        ) : null}
      </Section>

      <Section id="passt-zu" title={t('measures.page.suitsTitle')}>
        <dl class="facts">
          <dt>{t('measures.page.sizes')}</dt>
          <dd>
            {SIZE_CLASSES.filter((c) => m.sizes.includes(c.id))
              .map((c) => c.label[lang])
              .join('; ')}
          </dd>
          <dt>{t('measures.page.types')}</dt>
          <dd>{m.types.map((k) => t(`measures.page.type.${k}`)).join(', ')}</dd>
        </dl>
      </Section>

      <Section id="standards" title={t('measures.page.standardsTitle')}>
        {m.standards.length === 0 ? (
          <p>{t('measures.page.standardsNone')}</p>
        ) : (
          <ul>
            {m.standards.map((s) => (
              <li key={s}>
                <code>{s}</code>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <Section id="foerderung" title={t('measures.page.fundingTitle')}>
        {m.funding.length === 0 ? (
          <p>{t('measures.page.fundingNone')}</p>
        ) : (
          <ul>
            {m.funding.map((id) => {
              const f = catalogue.funding.find((x) => x.id === id);
              if (!f) return <li key={id}>{id}</li>;
              return (
                <li key={id}>
                  {f.url ? (
                    <a class="kern-link" href={f.url}>
                      {f.name[lang]}
                    </a>
                  ) : (
                    <>
                      {f.name[lang]} ({t('measures.page.fundingNoUrl')})
                    </>
                  )}
                  : {f.note[lang]}
                </li>
              );
            })}
          </ul>
        )}
      </Section>

      <Section id="indikatoren" title={t('measures.page.indicatorsTitle')}>
        <ul>
          {m.indicators.map((i) => (
            <li key={i.de}>{i[lang]}</li>
          ))}
        </ul>
      </Section>

      <Section id="quellen" title={t('measures.page.sourcesTitle')}>
        <ul>
          {m.sources.map((ref) => {
            const s = catalogue.sources.find((x) => x.id === ref.id);
            if (!s) return <li key={ref.id}>{ref.id}</li>;
            return (
              <li key={ref.id}>
                <a class="kern-link" href={s.url}>
                  {s.title}
                </a>
                {`, ${s.publisher}${ref.detail ? ` – ${ref.detail}` : ''}`}
              </li>
            );
          })}
        </ul>
      </Section>

      <Edition ctx={ctx} catalogue={catalogue} />
      <p>
        <a class="kern-link" href={MEASURES_PATH}>
          {t('measures.page.back')}
        </a>
      </p>
    </Layout>
  );
}

function MeasureNotFoundPage({ ctx, id }: { ctx: PageContext; id: string }) {
  const { t } = ctx;
  const title = t('measures.page.notFoundTitle');
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: MEASURES_PATH, label: t('measures.page.title') },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('measures.page.notFound', { id: id.length > 80 ? `${id.slice(0, 79)}…` : id })}</p>
      <p>
        <a class="kern-link" href={MEASURES_PATH}>
          {t('measures.page.back')}
        </a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

const ListQuery = Query({ sektor: OptionalText(100), dimension: OptionalText(100), groesse: OptionalText(100) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });

/** The catalogue's public pages (GET only, no state): a plugin the strategy module composes into its pages. */
export const measuresPages =
  (_deps: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const current = () => {
      const catalogue = loadMeasures();
      return { catalogue, model: loadModel(catalogue.modelVersion) };
    };

    app.get(
      MEASURES_PATH,
      { config: { access: 'public' }, schema: { querystring: ListQuery } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const { catalogue, model } = current();
        const parsed = parseMeasureFilter(request.query, model);
        const errors = localFieldErrors(request, parsed.errors);
        const shown = errors.length ? null : filterMeasures(catalogue.measures, parsed.filter);
        return sendHtml(
          reply,
          renderPage(
            <MeasuresListPage
              ctx={ctx}
              catalogue={catalogue}
              model={model}
              values={parsed.values}
              errors={errors}
              shown={shown}
            />,
          ),
          errors.length ? 400 : 200,
        );
      },
    );

    app.get(
      `${MEASURES_PATH}/:id`,
      { config: { access: 'public' }, schema: { params: IdParams } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const { catalogue, model } = current();
        const measure = catalogue.measures.find((m) => m.id === request.params.id);
        if (!measure) return sendHtml(reply, renderPage(<MeasureNotFoundPage ctx={ctx} id={request.params.id} />), 404);
        return sendHtml(
          reply,
          renderPage(<MeasurePage ctx={ctx} catalogue={catalogue} model={model} measure={measure} />),
        );
      },
    );
  };
