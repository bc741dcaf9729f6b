/**
 * The pages of the standards catalogue: `/standards` (the list, filtered by sector and obligation with a plain GET
 * form, and the centre's current recommendation per sector; with a sector chosen, that sector's recommendation
 * history), `/standards/:id` (one standard: everything the catalogue says, the measures that use it, the current
 * recommendations naming it and their history) and the advisors' form `/standards/empfehlungen/neu` (a plain form
 * with CSRF; an error shows it again with everything typed). No client script.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { type ComponentChildren, Fragment } from 'preact';
import type { MaturityModel } from '../../assessment/index.js';
import { AppError, ForbiddenError, type ShownFieldError } from '../../platform/errors.js';
import { localFieldErrors, localText, pageContext, sendHtml } from '../../platform/http/context.js';
import { Form, OptionalText, Query, SubmitButton, TextArea } from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../../platform/http/layout.js';
import { formatDate, text } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { Standard, StandardsCatalogue } from './catalogue.js';
import * as service from './standards.service.js';

export const STANDARDS_PATH = '/standards';
export const RECOMMEND_PATH = `${STANDARDS_PATH}/empfehlungen/neu`;
/** The measures catalogue's pages (strategy module); linked by path, not imported. */
const MEASURES_PATH = '/massnahmen';

export const standardHref = (id: string): string => `${STANDARDS_PATH}/${encodeURIComponent(id)}`;

type Row = service.RecommendationRow;

// ---------------------------------------------------------------------------------------------
// Small views

const sectorName = (model: Pick<MaturityModel, 'sectors'>, id: string, ctx: PageContext) =>
  model.sectors.find((s) => s.id === id)?.name[ctx.lang] ?? id;

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

function ObligationBadge({ ctx, standard }: { ctx: PageContext; standard: Standard }) {
  const mandatory = standard.obligation.status === 'mandatory';
  return (
    <span class={`kern-badge kern-badge--${mandatory ? 'warning' : 'info'}`}>
      <span class="kern-label">{ctx.t(mandatory ? 'market.standards.mandatory' : 'market.standards.recommended')}</span>
    </span>
  );
}

function StandardLinks({
  ctx,
  ids,
  catalogue,
}: {
  ctx: PageContext;
  ids: readonly string[];
  catalogue: StandardsCatalogue;
}) {
  return (
    <ul>
      {ids.map((id) => {
        const s = catalogue.standards.find((x) => x.id === id);
        return (
          <li key={id}>
            {s ? (
              <a class="kern-link" href={standardHref(id)}>
                {s.name}
              </a>
            ) : (
              // A standard a later catalogue dropped: the recommendation keeps its id.
              <>
                <code>{id}</code> ({ctx.t('market.standards.droppedStandard')})
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A text as typed: blank lines separate paragraphs, single line breaks stay (no inline styles: strict CSP). */
function Paragraphs({ text: value }: { text: string }) {
  const paras = value.split(/\n{2,}/);
  return (
    <>
      {paras.map((para, i) => {
        const lines = para.split('\n');
        return (
          <p key={`${i}-${para.slice(0, 20)}`}>
            {lines.map((line, j) => (
              <Fragment key={`${j}-${line.slice(0, 20)}`}>
                {j > 0 ? <br /> : null}
                {line}
              </Fragment>
            ))}
          </p>
        );
      })}
    </>
  );
}

/** One recommendation: sector, date, the standards, the rationale (paragraphs as written). */
function Recommendation({
  ctx,
  row,
  model,
  catalogue,
  headingLevel,
}: {
  ctx: PageContext;
  row: Row;
  model: Pick<MaturityModel, 'sectors'>;
  catalogue: StandardsCatalogue;
  headingLevel: 3 | 4;
}) {
  const { t, lang } = ctx;
  const H = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <article class="recommendation" id={`empfehlung-${row.id}`}>
      <H class="kern-heading-small">
        {t('market.standards.recommendationFor', {
          sector: sectorName(model, row.sector, ctx),
          date: formatDate(lang, row.publishedAt),
        })}
      </H>
      {row.supersededAt ? (
        <p class="kern-body--small">
          {t('market.standards.supersededOn', { date: formatDate(lang, row.supersededAt) })}
        </p>
      ) : null}
      <p>{t('market.standards.requireLead')}</p>
      <StandardLinks ctx={ctx} ids={row.standardIds} catalogue={catalogue} />
      <p class="kern-label">{t('market.standards.rationale')}</p>
      <Paragraphs text={row.rationale} />
      <p class="kern-body--small">{t('market.standards.catalogueVersion', { version: row.catalogueVersion })}</p>
    </article>
  );
}

function FilterSelect(props: {
  id: string;
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

// ---------------------------------------------------------------------------------------------
// The list

export interface ListValues {
  sektor: string;
  verbindlichkeit: string;
}

/** Query values of the obligation filter (German in the address, ids in the code). */
const OBLIGATION_QUERY = { pflicht: 'mandatory', empfohlen: 'recommended' } as const;

export function StandardsListPage(props: {
  ctx: PageContext;
  catalogue: StandardsCatalogue;
  model: MaturityModel;
  values: ListValues;
  errors: readonly ShownFieldError[];
  /** Null when the filter is invalid. */
  shown: readonly Standard[] | null;
  current: readonly Row[];
  /** The chosen sector's recommendations, newest first (empty without a sector). */
  sectorHistory: readonly Row[];
  canRecommend: boolean;
  notice: string | null;
}) {
  const { ctx, catalogue, model, values, errors, shown, current, sectorHistory } = props;
  const { t, lang } = ctx;
  const title = t('market.standards.title');
  const recommendedIn = (id: string) => current.filter((r) => r.standardIds.includes(id)).map((r) => r.sector);
  const chosenSector = shown && values.sektor ? values.sektor : null;
  const shownCurrent = chosenSector ? current.filter((r) => r.sector === chosenSector) : current;
  // A filtered list is its own page: its title names the filter (unique titles, WCAG 2.4.2).
  const chosenName = chosenSector ? sectorName(model, chosenSector, ctx) : undefined;
  const filters = [
    chosenName,
    shown && values.verbindlichkeit === 'pflicht'
      ? t('market.standards.mandatory')
      : shown && values.verbindlichkeit === 'empfohlen'
        ? t('market.standards.recommended')
        : '',
  ]
    .filter(Boolean)
    .join(', ');
  const pageTitle = filters ? `${title}: ${filters}` : title;
  return (
    <Layout
      ctx={ctx}
      title={errors.length ? `${t('error.title')}: ${title}` : pageTitle}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: title }]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {props.notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__header">
            <span class="kern-title">{props.notice}</span>
          </div>
        </div>
      ) : null}
      <p>{t('market.standards.lead')}</p>
      <p class="kern-body--small">
        {t('market.standards.edition', {
          version: catalogue.version,
          date: formatDate(lang, catalogue.published),
          count: catalogue.standards.length,
        })}{' '}
        {catalogue.note[lang]}{' '}
        <a class="kern-link" href="/api/v1/standards" type="application/json">
          {t('market.standards.openData')}
        </a>
      </p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action={STANDARDS_PATH} novalidate>
        <fieldset class="kern-fieldset filters-fieldset">
          <legend class="kern-label">{t('market.standards.filters')}</legend>
          <div class="kern-fieldset__body filters">
            <FilterSelect
              id="sektor"
              label={t('market.standards.sector')}
              all={t('market.standards.sectorAll')}
              options={model.sectors.map((s) => ({ value: s.id, label: s.name[lang] }))}
              value={values.sektor}
              errors={errors}
            />
            <FilterSelect
              id="verbindlichkeit"
              label={t('market.standards.obligation')}
              all={t('market.standards.obligationAll')}
              options={[
                { value: 'pflicht', label: t('market.standards.mandatory') },
                { value: 'empfohlen', label: t('market.standards.recommended') },
              ]}
              value={values.verbindlichkeit}
              errors={errors}
            />
            <button class="kern-btn kern-btn--primary" type="submit">
              <span class="kern-label">{t('market.standards.apply')}</span>
            </button>
          </div>
        </fieldset>
      </form>

      <Section id="empfehlungen" title={t('market.standards.recommendationsTitle')}>
        <p>{t('market.standards.recommendationsLead')}</p>
        {props.canRecommend ? (
          <p>
            <a
              class="kern-btn kern-btn--secondary"
              href={chosenSector ? `${RECOMMEND_PATH}?sektor=${encodeURIComponent(chosenSector)}` : RECOMMEND_PATH}
            >
              <span class="kern-label">{t('market.standards.publish')}</span>
            </a>
          </p>
        ) : null}
        {shownCurrent.length === 0 ? (
          <p>{t(chosenSector ? 'market.standards.noRecommendationSector' : 'market.standards.noRecommendations')}</p>
        ) : (
          shownCurrent.map((r) => (
            <Recommendation key={r.id} ctx={ctx} row={r} model={model} catalogue={catalogue} headingLevel={3} />
          ))
        )}
        {chosenSector && sectorHistory.some((r) => r.supersededAt) ? (
          <>
            <h3 class="kern-heading-small" id="verlauf">
              {t('market.standards.historyTitle')}
            </h3>
            {sectorHistory
              .filter((r) => r.supersededAt)
              .map((r) => (
                <Recommendation key={r.id} ctx={ctx} row={r} model={model} catalogue={catalogue} headingLevel={4} />
              ))}
          </>
        ) : null}
      </Section>

      {shown ? (
        <section aria-labelledby="standards-count">
          <h2 class="kern-heading-medium" id="standards-count">
            {t('market.standards.count', { shown: shown.length, total: catalogue.standards.length })}
          </h2>
          {shown.length < catalogue.standards.length ? (
            <p>
              <a class="kern-link" href={STANDARDS_PATH}>
                {t('market.standards.reset')}
              </a>
            </p>
          ) : null}
          {shown.length === 0 ? (
            <p>{t('market.standards.none')}</p>
          ) : (
            <ol class="results">
              {shown.map((s) => {
                const rec = recommendedIn(s.id);
                return (
                  <li class="result" key={s.id} id={`s-${s.id}`}>
                    <h3 class="result__name">
                      <a class="kern-link" href={standardHref(s.id)}>
                        {s.name}
                      </a>{' '}
                      <ObligationBadge ctx={ctx} standard={s} />
                    </h3>
                    <p class="result__text">{s.purpose[lang]}</p>
                    <dl class="result__facts">
                      <div>
                        <dt>{t('market.standards.owner')}</dt>
                        <dd>{s.owner}</dd>
                      </div>
                      <div>
                        <dt>{t('market.standards.sectors')}</dt>
                        <dd>{s.sectors.map((x) => sectorName(model, x, ctx)).join(', ')}</dd>
                      </div>
                      {rec.length ? (
                        <div>
                          <dt>{t('market.standards.recommendedIn')}</dt>
                          <dd>{rec.map((x) => sectorName(model, x, ctx)).join(', ')}</dd>
                        </div>
                      ) : null}
                    </dl>
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      ) : (
        <p>
          <a class="kern-link" href={STANDARDS_PATH}>
            {t('market.standards.reset')}
          </a>
        </p>
      )}
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// One standard

export function StandardPage({ ctx, v }: { ctx: PageContext; v: service.StandardDetail }) {
  const { t, lang } = ctx;
  const s = v.standard;
  const facts: [string, ComponentChildren][] = [
    [t('market.standards.owner'), s.owner],
    [
      t('market.standards.version'),
      t('market.standards.versionAsOf', {
        version: s.version ?? t('market.standards.noVersion'),
        date: formatDate(lang, s.versionAsOf),
      }),
    ],
    [t('market.standards.sectors'), s.sectors.map((x) => sectorName(v.model, x, ctx)).join(', ')],
    [t('market.standards.obligation'), <ObligationBadge key="b" ctx={ctx} standard={s} />],
    [t('market.standards.basis'), s.obligation.basis[lang]],
    [
      t('market.standards.check'),
      s.check === 'none' ? t('market.standards.checkNone') : t('market.standards.checkBy', { check: s.check }),
    ],
  ];
  return (
    <Layout
      ctx={ctx}
      title={s.name}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: STANDARDS_PATH, label: t('market.standards.title') },
        { label: s.name },
      ]}
    >
      <h1 class="kern-heading-large">{s.name}</h1>
      <p class="kern-body--large">{s.purpose[lang]}</p>
      <p>
        <a class="kern-link" href={`/beratung/neu?kontext=standard&ref=${encodeURIComponent(s.id)}`}>
          {t('desk.inquiries.ask')}
        </a>{' '}
        ·{' '}
        <a class="kern-link" href={`/beratung/faq?kontext=standard&ref=${encodeURIComponent(s.id)}`}>
          {t('desk.knowledge.contextAnswers')}
        </a>
      </p>
      {lang === 'de' ? null : <p class="kern-body--small">{t('market.standards.purposeDeNote')}</p>}

      <Section id="eckdaten" title={t('market.standards.factsTitle')}>
        <dl class="facts">
          {facts.map(([name, value]) => (
            <Fragment key={name}>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </Fragment>
          ))}
        </dl>
      </Section>

      <Section id="spezifikation" title={t('market.standards.specificationsTitle')}>
        <ul>
          {s.specifications.map((l) => (
            <li key={l.url}>
              <a class="kern-link" href={l.url}>
                {l.title}
              </a>
            </li>
          ))}
        </ul>
        <p>
          {t('market.standards.source')}{' '}
          <a class="kern-link" href={s.source.url}>
            {s.source.title}
          </a>
        </p>
      </Section>

      <Section id="empfehlungen" title={t('market.standards.recommendationsTitle')}>
        {v.current.length === 0 ? (
          <p>{t('market.standards.notRecommended')}</p>
        ) : (
          v.current.map((r) => (
            <Recommendation key={r.id} ctx={ctx} row={r} model={v.model} catalogue={v.catalogue} headingLevel={3} />
          ))
        )}
        {v.history.length ? (
          <>
            <h3 class="kern-heading-small" id="verlauf">
              {t('market.standards.historyTitle')}
            </h3>
            {v.history.map((r) => (
              <Recommendation key={r.id} ctx={ctx} row={r} model={v.model} catalogue={v.catalogue} headingLevel={4} />
            ))}
          </>
        ) : null}
      </Section>

      <Section id="massnahmen" title={t('market.standards.measuresTitle')}>
        {v.measures.length === 0 ? (
          <p>{t('market.standards.measuresNone')}</p>
        ) : (
          <ul>
            {v.measures.map((m) => (
              <li key={m.id}>
                <a class="kern-link" href={`${MEASURES_PATH}/${encodeURIComponent(m.id)}`}>
                  {m.title[lang]}
                </a>
              </li>
            ))}
          </ul>
        )}
      </Section>

      <p>
        <a class="kern-link" href={STANDARDS_PATH}>
          {t('market.standards.back')}
        </a>
      </p>
    </Layout>
  );
}

function NotFoundPage({ ctx, id }: { ctx: PageContext; id: string }) {
  const { t } = ctx;
  const title = t('market.standards.notFoundTitle');
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: STANDARDS_PATH, label: t('market.standards.title') },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('market.standards.err.noSuchStandard', { id: id.length > 80 ? `${id.slice(0, 79)}…` : id })}</p>
      <p>
        <a class="kern-link" href={STANDARDS_PATH}>
          {t('market.standards.back')}
        </a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// The advisors' form

export interface RecommendFormValues {
  sector: string;
  standards: string[];
  rationale: string;
}

export function RecommendFormPage(props: {
  ctx: PageContext;
  catalogue: StandardsCatalogue;
  model: MaturityModel;
  sectors: readonly string[];
  values: RecommendFormValues;
  errors: readonly ShownFieldError[];
  current: Row | null;
}) {
  const { ctx, catalogue, model, values, errors } = props;
  const { t, lang } = ctx;
  const title = t('market.standards.formTitle');
  const sectorError = errors.find((e) => e.field === 'sector');
  const standardsError = errors.find((e) => e.field === 'standards');
  // Standards of the chosen sector first, then the others; each group by name.
  const byName = [...catalogue.standards].sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const groups = values.sector
    ? [
        { legend: t('market.standards.formOfSector'), items: byName.filter((s) => s.sectors.includes(values.sector)) },
        { legend: t('market.standards.formOthers'), items: byName.filter((s) => !s.sectors.includes(values.sector)) },
      ]
    : [{ legend: null, items: byName }];
  let first = true;
  return (
    <Layout
      ctx={ctx}
      title={errors.length ? `${t('error.title')}: ${title}` : title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: STANDARDS_PATH, label: t('market.standards.title') },
        { label: title },
      ]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('market.standards.formLead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={RECOMMEND_PATH} novalidate>
        <CsrfField ctx={ctx} />
        <div class={`kern-form-input${sectorError ? ' kern-form-input--error' : ''}`}>
          <label class="kern-label" for="sector">
            {t('market.standards.sector')}
          </label>
          {sectorError ? (
            <p class="kern-error" id="sector-error">
              {sectorError.message}
            </p>
          ) : null}
          <div class="kern-form-input__select-wrapper">
            <select
              class="kern-form-input__select"
              id="sector"
              name="sector"
              aria-invalid={sectorError ? 'true' : undefined}
              aria-describedby={sectorError ? 'sector-error' : undefined}
            >
              <option value="">{t('market.standards.formChooseSector')}</option>
              {model.sectors
                .filter((s) => props.sectors.includes(s.id))
                .map((s) => (
                  <option value={s.id} selected={values.sector === s.id} key={s.id}>
                    {s.name[lang]}
                  </option>
                ))}
            </select>
          </div>
        </div>
        {props.current ? (
          <p class="kern-body--small">
            {t('market.standards.formSupersedes', { date: formatDate(lang, props.current.publishedAt) })}
          </p>
        ) : null}
        <fieldset
          class={`kern-fieldset${standardsError ? ' kern-fieldset--error' : ''}`}
          aria-describedby={['standards-hint', standardsError ? 'standards-error' : null].filter(Boolean).join(' ')}
        >
          <legend class="kern-label">{t('market.standards.formStandards')}</legend>
          <div class="kern-hint" id="standards-hint">
            {t('market.standards.formStandardsHint')}
          </div>
          {standardsError ? (
            <p class="kern-error" id="standards-error">
              {standardsError.message}
            </p>
          ) : null}
          {groups.map((g) => (
            <div class="kern-fieldset__body" key={g.legend ?? 'all'}>
              {g.legend ? <p class="kern-label">{g.legend}</p> : null}
              {g.items.map((s) => {
                // The first checkbox carries the field's id, so that the error summary's link lands on it.
                const id = first ? 'standards' : `standards-${s.id}`;
                first = false;
                return (
                  <div class="kern-form-check" key={s.id}>
                    <input
                      class="kern-form-check__checkbox"
                      type="checkbox"
                      id={id}
                      name="standards"
                      value={s.id}
                      checked={values.standards.includes(s.id)}
                    />
                    <label class="kern-label" for={id}>
                      {s.name}
                    </label>
                  </div>
                );
              })}
            </div>
          ))}
        </fieldset>
        <TextArea
          id="rationale"
          label={t('market.standards.rationale')}
          hint={t('market.standards.formRationaleHint', { max: service.RECOMMENDATION_LIMITS.rationale })}
          value={values.rationale}
          rows={8}
          errors={errors}
        />
        <SubmitButton label={t('market.standards.formSubmit')} />
      </form>
      <p>
        <a class="kern-link" href={STANDARDS_PATH}>
          {t('market.standards.back')}
        </a>
      </p>
    </Layout>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

const ListQuery = Query({ sektor: OptionalText(100), verbindlichkeit: OptionalText(100), hinweis: OptionalText(40) });
const IdParams = Type.Object({ id: Type.String({ maxLength: 200 }) });
const RecommendBody = Form({
  sector: OptionalText(100),
  rationale: OptionalText(20_000),
  standards: Type.Optional(
    Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 })]),
  ),
});

const asList = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

export const standardsPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const maybeActor = (request: FastifyRequest) => request.auth?.user ?? null;

    app.get(
      STANDARDS_PATH,
      { config: { access: 'public' }, schema: { querystring: ListQuery } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const { catalogue, model } = service.currentCatalogue();
        const values: ListValues = {
          sektor: (request.query.sektor ?? '').trim(),
          verbindlichkeit: (request.query.verbindlichkeit ?? '').trim(),
        };
        const obligation =
          values.verbindlichkeit === ''
            ? ''
            : (OBLIGATION_QUERY[values.verbindlichkeit as keyof typeof OBLIGATION_QUERY] ?? values.verbindlichkeit);
        const parsed = service.parseStandardsFilter({ sector: values.sektor, obligation }, model, {
          sector: 'sektor',
          obligation: 'verbindlichkeit',
        });
        const errors = localFieldErrors(request, parsed.errors);
        const shown = errors.length ? null : service.filterStandards(catalogue.standards, parsed.filter);
        const [current, sectorHistory, sectors] = await Promise.all([
          service.currentRecommendations(db),
          parsed.filter.sector && !errors.length ? service.recommendationHistory(db, parsed.filter.sector) : [],
          service.recommendableSectors(db, maybeActor(request)),
        ]);
        const notice = request.query.hinweis === 'veroeffentlicht' ? ctx.t('market.standards.published') : null;
        return sendHtml(
          reply,
          renderPage(
            <StandardsListPage
              ctx={ctx}
              catalogue={catalogue}
              model={model}
              values={values}
              errors={errors}
              shown={shown}
              current={current}
              sectorHistory={sectorHistory}
              canRecommend={sectors.length > 0}
              notice={notice}
            />,
          ),
          errors.length ? 400 : 200,
        );
      },
    );

    app.get(
      `${STANDARDS_PATH}/:id`,
      { config: { access: 'public' }, schema: { params: IdParams } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const { catalogue } = service.currentCatalogue();
        if (!catalogue.standards.some((s) => s.id === request.params.id))
          return sendHtml(reply, renderPage(<NotFoundPage ctx={ctx} id={request.params.id} />), 404);
        const v = await service.standardDetail(db, request.params.id);
        return sendHtml(reply, renderPage(<StandardPage ctx={ctx} v={v} />));
      },
    );

    /** The form page for the person (403 for everybody but advisors of the centre). */
    const formPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      values: RecommendFormValues,
      errors: ShownFieldError[],
      status: number,
    ) => {
      const sectors = await service.recommendableSectors(db, maybeActor(request));
      if (sectors.length === 0) throw new ForbiddenError(text('market.standards.err.centreAdvisorsOnly'));
      const { catalogue, model } = service.currentCatalogue();
      const current = sectors.includes(values.sector)
        ? ((await service.currentRecommendations(db)).find((r) => r.sector === values.sector) ?? null)
        : null;
      return sendHtml(
        reply,
        renderPage(
          <RecommendFormPage
            ctx={pageContext(request)}
            catalogue={catalogue}
            model={model}
            sectors={sectors}
            values={values}
            errors={errors}
            current={current}
          />,
        ),
        status,
      );
    };

    app.get(
      RECOMMEND_PATH,
      { config: { access: 'user' }, schema: { querystring: Query({ sektor: OptionalText(100) }) } },
      async (request, reply) => {
        const sector = (request.query.sektor ?? '').trim();
        // Start from the sector's current recommendation: an update usually changes a little, not everything.
        const current = sector
          ? (await service.currentRecommendations(db)).find((r) => r.sector === sector)
          : undefined;
        return formPage(
          request,
          reply,
          { sector, standards: current ? [...current.standardIds] : [], rationale: current?.rationale ?? '' },
          [],
          200,
        );
      },
    );

    app.post(
      RECOMMEND_PATH,
      { config: { access: 'user' }, schema: { body: RecommendBody } },
      async (request, reply) => {
        const values: RecommendFormValues = {
          sector: request.body.sector ?? '',
          standards: asList(request.body.standards),
          rationale: request.body.rationale ?? '',
        };
        try {
          const row = await service.publishRecommendation(db, request.auth!.user, values);
          return reply.redirect(
            `${STANDARDS_PATH}?sektor=${encodeURIComponent(row.sector)}&hinweis=veroeffentlicht#empfehlung-${row.id}`,
            303,
          );
        } catch (err) {
          if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
          const errors = localFieldErrors(request, err.fieldErrors);
          if (errors.length === 0 && err.detail)
            errors.push({ field: 'form', message: localText(request, err.detail) });
          return formPage(request, reply, values, errors, err.status);
        }
      },
    );
  };
