/** The pages of the atlas: search (/praxis), a project, its form, versions, and the advisors' review queue. */
import { loadModel, SIZE_CLASSES, stateName } from '../assessment/index.js';
import type { ShownFieldError } from '../platform/errors.js';
import { SubmitButton, TextArea } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext } from '../platform/http/layout.js';
import { formatDate, formatNumber } from '../platform/i18n/i18n.js';
import { loadMeasures, measureTitle } from '../strategy/index.js';
import type { PracticeRow, PracticeView, ReuseRow } from './atlas.service.js';
import { renderMarkdown } from './markdown.js';
import { PracticeForm, type PracticeFormValues } from './practice-form.js';
import { FACETS, type Facet } from './search/engine.js';
import type { PracticeQuery, PracticeResults } from './search.service.js';

export const ATLAS_PATH = '/praxis';
export const practiceUrl = (id: number) => `${ATLAS_PATH}/${id}`;

const crumbs = (ctx: PageContext, ...more: { href?: string; label: string }[]) => [
  { href: '/', label: ctx.t('nav.home') },
  { href: ATLAS_PATH, label: ctx.t('atlas.title') },
  ...more,
];

/** The name of a facet value in the reader's language. */
export function facetLabel(ctx: PageContext, facet: Facet, value: string): string {
  const model = loadModel();
  switch (facet) {
    case 'sector':
      return model.sectors.find((s) => s.id === value)?.name[ctx.lang] ?? value;
    case 'dimension':
      return model.dimensions.find((s) => s.id === value)?.name[ctx.lang] ?? value;
    case 'state':
      return stateName(ctx.t, value);
    case 'sizeClass':
      return SIZE_CLASSES.find((c) => c.id === value)?.label[ctx.lang] ?? value;
    case 'status':
      return ctx.t(`atlas.status.${value as 'idea'}`);
    case 'measure':
      return measureTitle(value, ctx.lang);
    default:
      return value;
  }
}

/** The filters shown on the search page (dimension and measure work by URL and API). */
const PAGE_FACETS: readonly Facet[] = ['sector', 'state', 'sizeClass', 'status', 'standard'];

function FacetFieldset({
  ctx,
  facet,
  results,
  query,
}: {
  ctx: PageContext;
  facet: Facet;
  results: PracticeResults | null;
  query: PracticeQuery;
}) {
  const selected = query.filters[facet] ?? [];
  const counts = results?.facets[facet] ?? [];
  const values = [...new Set([...selected, ...counts.map((c) => c.value)])];
  if (values.length === 0) return null;
  return (
    <fieldset class="kern-fieldset facet">
      <legend class="kern-label">{ctx.t(`atlas.facet.${facet}`)}</legend>
      <div class="kern-fieldset__body">
        {values.map((value) => {
          const id = `f-${facet}-${value.replace(/[^a-z0-9-]/gi, '_')}`;
          const n = counts.find((c) => c.value === value)?.count ?? 0;
          return (
            <div class="kern-form-check" key={value}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={id}
                name={facet}
                value={value}
                checked={selected.includes(value)}
              />
              <label class="kern-label" for={id}>
                {facetLabel(ctx, facet, value)} ({formatNumber(ctx.lang, n)})
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

export function PracticeCard({
  ctx,
  row,
  why,
  reuses,
}: {
  ctx: PageContext;
  row: PracticeRow;
  why?: string;
  reuses?: number;
}) {
  const c = row.published ?? row.content;
  return (
    <li class="practice-card">
      <h3 class="kern-heading-small">
        <a class="kern-link" href={practiceUrl(row.id)}>
          {c.title}
        </a>
      </h3>
      <p>{c.summary}</p>
      <p class="practice-card__meta">
        {ctx.t(`atlas.status.${c.status}`)}
        {c.startYear ? ` · ${ctx.t('atlas.since', { year: c.startYear })}` : ''}
        {reuses ? ` · ${ctx.t('atlas.reuseCount', { n: reuses })}` : ''}
      </p>
      {why ? <p class="practice-card__why">{why}</p> : null}
    </li>
  );
}

export function SearchPage(props: {
  ctx: PageContext;
  query: PracticeQuery;
  results: PracticeResults | null;
  errors: readonly ShownFieldError[];
  canCreate: boolean;
}) {
  const { ctx, query, results, errors } = props;
  const { t, lang } = ctx;
  const title = t('atlas.title');
  const params = (extra: Record<string, string>) => {
    const u = new URLSearchParams();
    if (query.q) u.set('q', query.q);
    for (const f of FACETS) for (const v of query.filters[f] ?? []) u.append(f, v);
    for (const [k, v] of Object.entries(extra)) u.set(k, v);
    return `${ATLAS_PATH}?${u}`;
  };
  return (
    <Layout
      ctx={ctx}
      title={query.q ? `${query.q} – ${title}` : title}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: title }]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('atlas.intro')}</p>
      {props.canCreate ? (
        <p>
          <a class="kern-btn kern-btn--secondary" href={`${ATLAS_PATH}/neu`}>
            <span class="kern-label">{t('atlas.new')}</span>
          </a>
        </p>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action={ATLAS_PATH} role="search" class="practice-search">
        <div class="kern-form-input">
          <label class="kern-label" for="q">
            {t('atlas.search.label')}
          </label>
          <div class="kern-hint" id="q-hint">
            {t('atlas.search.hint')}
          </div>
          <input
            class="kern-form-input__input"
            type="search"
            id="q"
            name="q"
            value={query.q}
            maxLength={200}
            list="q-suggestions"
            autocomplete="off"
            aria-describedby="q-hint"
            data-suggest="/api/v1/practices/suggestions"
          />
          <datalist id="q-suggestions" />
        </div>
        <p>
          <SubmitButton label={t('atlas.search.submit')} />
        </p>
        <details class="practice-filters" open={PAGE_FACETS.some((f) => (query.filters[f] ?? []).length > 0)}>
          <summary>{t('atlas.search.filters')}</summary>
          {PAGE_FACETS.map((f) => (
            <FacetFieldset ctx={ctx} facet={f} results={results} query={query} key={f} />
          ))}
          <p>
            <SubmitButton label={t('atlas.search.apply')} secondary />
          </p>
        </details>
      </form>
      {results ? (
        <section aria-labelledby="results-title">
          <h2 class="kern-heading-medium" id="results-title">
            {t('atlas.search.results', { n: formatNumber(lang, results.total) })}
          </h2>
          {results.corrected.length > 0 ? (
            <p class="kern-alert kern-alert--info" role="status">
              {t('atlas.search.corrected', {
                words: results.corrected.map((c) => `„${c.from}“ → „${c.to}“`).join(', '),
              })}
            </p>
          ) : null}
          {results.hits.length === 0 ? <p>{t('atlas.search.none')}</p> : null}
          <ol class="practice-list" start={query.offset + 1}>
            {results.hits.map((h) => (
              <PracticeCard ctx={ctx} row={h.row} reuses={h.confirmedReuses} key={h.row.id} />
            ))}
          </ol>
          {results.nextCursor ? (
            <p>
              <a class="kern-link" href={params({ cursor: results.nextCursor })}>
                {t('atlas.search.more')}
              </a>
            </p>
          ) : null}
          <p>
            <a class="kern-link" href={`/api/v1/practices?${params({ format: 'csv' }).split('?')[1]}`}>
              {t('atlas.search.csv')}
            </a>
          </p>
        </section>
      ) : null}
      <script src="/assets/practice-suggest.js" defer />
    </Layout>
  );
}

function Definition({ term, children }: { term: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

const eur = (ctx: PageContext, n: number | null) => (n === null ? '–' : `${formatNumber(ctx.lang, n)} €`);

function ReuseList({ ctx, v, reuses }: { ctx: PageContext; v: PracticeView; reuses: readonly ReuseRow[] }) {
  const { t, lang } = ctx;
  if (reuses.length === 0) return <p>{t('atlas.reuse.none')}</p>;
  return (
    <ul class="reuse-list">
      {reuses.map((u) => (
        <li key={u.id}>
          <a class="kern-link" href={`/kommunen/${u.adopterRegionKey}`}>
            {u.adopterName}
          </a>
          {': '}
          {t(`atlas.reuse.status.${u.status}`, { since: u.inUseSince ? formatDate(lang, new Date(u.inUseSince)) : '' })}
          {u.message && (v.isTeam || v.reuseWorkspaces.some((w) => w.id === u.adopterOrgId)) ? (
            <blockquote>{u.message}</blockquote>
          ) : null}
          {v.reuseWorkspaces.some((w) => w.id === u.adopterOrgId && w.isAdmin) &&
          (u.status === 'requested' || u.status === 'attested') ? (
            <form method="post" action={`${practiceUrl(v.row.id)}/nachnutzung/${u.id}/bestaetigen`} class="inline-form">
              <CsrfField ctx={ctx} />
              <div class="kern-form-input">
                <label class="kern-label" for={`since-${u.id}`}>
                  {t('atlas.reuse.since')}
                </label>
                <input
                  class="kern-form-input__input"
                  type="date"
                  id={`since-${u.id}`}
                  name="since"
                  value={u.inUseSince ?? ''}
                  required
                />
              </div>
              <SubmitButton label={t('atlas.reuse.attest')} />
            </form>
          ) : null}
          {v.isTeam && u.status === 'attested' ? (
            <form method="post" action={`${practiceUrl(v.row.id)}/nachnutzung/${u.id}/entscheiden`} class="inline-form">
              <CsrfField ctx={ctx} />
              <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="confirm">
                <span class="kern-label">{t('atlas.reuse.confirm')}</span>
              </button>{' '}
              <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="decline">
                <span class="kern-label">{t('atlas.reuse.decline')}</span>
              </button>
            </form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export function PracticePage({
  ctx,
  v,
  notice,
  errors = [],
  jsonLd,
}: {
  ctx: PageContext;
  v: PracticeView;
  notice?: string | null;
  errors?: readonly ShownFieldError[];
  jsonLd?: string | null;
}) {
  const { t, lang } = ctx;
  const c = v.content;
  const model = loadModel();
  const measures = loadMeasures().measures;
  const url = practiceUrl(v.row.id);
  return (
    <Layout
      ctx={ctx}
      title={c.title || t('atlas.untitled')}
      breadcrumb={crumbs(ctx, { label: c.title || t('atlas.untitled') })}
    >
      {jsonLd ? <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLd }} /> : null}
      <h1 class="kern-heading-large">{c.title || t('atlas.untitled')}</h1>
      <p>
        <a class="kern-link" href={`/beratung/neu?kontext=practice&ref=${v.row.id}`}>
          {t('desk.inquiries.ask')}
        </a>{' '}
        ·{' '}
        <a class="kern-link" href={`/beratung/faq?kontext=practice&ref=${encodeURIComponent(String(v.row.id))}`}>
          {t('desk.knowledge.contextAnswers')}
        </a>
      </p>
      {notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{notice}</p>
          </div>
        </div>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      {v.showsWorkingCopy ? (
        <div class="kern-alert kern-alert--info" role="status">
          <div class="kern-alert__body">
            <p>
              {t(`atlas.review.${v.row.review}`)}
              {v.row.publishedVersion > 0
                ? ` ${t('atlas.review.publishedVersion', { version: v.row.publishedVersion })}`
                : ''}
            </p>
            {v.row.review === 'changes_requested' && v.row.reviewComment ? (
              <p>
                {t('atlas.review.comment')} <q>{v.row.reviewComment}</q>
              </p>
            ) : null}
          </div>
        </div>
      ) : null}
      {v.showsWorkingCopy && (v.canEdit || v.canSubmit) ? (
        <p class="button-row">
          {v.canEdit ? (
            <a class="kern-btn kern-btn--secondary" href={`${url}/bearbeiten`}>
              <span class="kern-label">{t('atlas.edit')}</span>
            </a>
          ) : null}{' '}
          {v.canSubmit ? (
            <form method="post" action={`${url}/einreichen`} class="inline-form">
              <CsrfField ctx={ctx} />
              <SubmitButton label={t('atlas.submit')} />
            </form>
          ) : null}
        </p>
      ) : null}
      {v.canReview ? (
        <section aria-labelledby="review-title" class="review-box">
          <h2 class="kern-heading-medium" id="review-title">
            {t('atlas.review.title')}
          </h2>
          <form method="post" action={`${url}/pruefung`}>
            <CsrfField ctx={ctx} />
            <TextArea
              id="comment"
              label={t('atlas.review.commentLabel')}
              hint={t('atlas.review.commentHint')}
              rows={3}
              errors={errors}
            />
            <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="publish">
              <span class="kern-label">{t('atlas.review.publish')}</span>
            </button>{' '}
            <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="changes">
              <span class="kern-label">{t('atlas.review.changes')}</span>
            </button>
          </form>
        </section>
      ) : null}
      <p class="kern-body kern-body--large">{c.summary}</p>
      {/* The description is Markdown rendered without raw HTML (markdown.ts). */}
      <div class="practice-description" dangerouslySetInnerHTML={{ __html: renderMarkdown(c.description) }} />
      <h2 class="kern-heading-medium">{t('atlas.facts')}</h2>
      <dl class="facts">
        <Definition term={t('atlas.field.regions')}>
          {v.regions.map((r, i) => (
            <span key={r.key}>
              {i > 0 ? ', ' : ''}
              <a class="kern-link" href={`/kommunen/${r.key}`}>
                {r.name}
              </a>
            </span>
          ))}
        </Definition>
        <Definition term={t('atlas.field.status')}>
          {t(`atlas.status.${c.status}`)}
          {c.startYear ? ` (${c.startYear}${c.endYear ? `–${c.endYear}` : ''})` : ''}
        </Definition>
        {c.sectors.length ? (
          <Definition term={t('atlas.field.sectors')}>
            {c.sectors.map((s) => model.sectors.find((x) => x.id === s)?.name[lang] ?? s).join(', ')}
          </Definition>
        ) : null}
        {c.providers.length ? (
          <Definition term={t('atlas.field.providers')}>{c.providers.join(', ')}</Definition>
        ) : null}
        {c.partners.length ? <Definition term={t('atlas.field.partners')}>{c.partners.join(', ')}</Definition> : null}
        {c.costOneOff !== null || c.costPerYear !== null ? (
          <Definition term={t('atlas.costs')}>
            {t('atlas.costsText', { oneOff: eur(ctx, c.costOneOff), perYear: eur(ctx, c.costPerYear) })}
          </Definition>
        ) : null}
        {c.funding ? <Definition term={t('atlas.field.funding')}>{c.funding}</Definition> : null}
        {c.standards.length ? (
          <Definition term={t('atlas.field.standards')}>
            {c.standards.map((s, i) => (
              <span key={s}>
                {i > 0 ? ', ' : ''}
                <a class="kern-link" href={`${ATLAS_PATH}?standard=${encodeURIComponent(s)}`}>
                  {s}
                </a>
              </span>
            ))}
          </Definition>
        ) : null}
        {c.measures.length ? (
          <Definition term={t('atlas.field.measures')}>
            <ul>
              {c.measures.map((m) => (
                <li key={m}>
                  <a class="kern-link" href={`/massnahmen/${encodeURIComponent(m)}`}>
                    {measures.find((x) => x.id === m)?.title[lang] ?? m}
                  </a>
                </li>
              ))}
            </ul>
          </Definition>
        ) : null}
        {c.licence ? <Definition term={t('atlas.field.licence')}>{c.licence}</Definition> : null}
        {c.source ? <Definition term={t('atlas.field.source')}>{c.source}</Definition> : null}
        {c.links.website ? (
          <Definition term={t('atlas.field.website')}>
            <a class="kern-link" href={c.links.website} rel="nofollow noopener">
              {c.links.website}
            </a>
          </Definition>
        ) : null}
        {c.links.repository ? (
          <Definition term={t('atlas.field.repository')}>
            <a class="kern-link" href={c.links.repository} rel="nofollow noopener">
              {c.links.repository}
            </a>
          </Definition>
        ) : null}
        {c.links.publiccode ? (
          <Definition term={t('atlas.field.publiccode')}>
            <a class="kern-link" href={c.links.publiccode} rel="nofollow noopener">
              {c.links.publiccode}
            </a>
          </Definition>
        ) : null}
      </dl>
      {c.indicators.length ? (
        <>
          <h2 class="kern-heading-medium">{t('atlas.field.indicators')}</h2>
          <ul>
            {c.indicators.map((i) => (
              <li key={i}>{i}</li>
            ))}
          </ul>
        </>
      ) : null}
      {c.lessons ? (
        <>
          <h2 class="kern-heading-medium">{t('atlas.field.lessons')}</h2>
          <p class="preserve-lines">{c.lessons}</p>
        </>
      ) : null}
      {c.contact?.visible ? (
        <>
          <h2 class="kern-heading-medium">{t('atlas.contact')}</h2>
          {v.canSeeContact ? (
            <p>
              {c.contact.name}
              {c.contact.email ? (
                <>
                  {', '}
                  <a class="kern-link" href={`mailto:${c.contact.email}`}>
                    {c.contact.email}
                  </a>
                </>
              ) : null}
              {c.contact.phone ? `, ${c.contact.phone}` : ''}
            </p>
          ) : (
            <p>{t('atlas.contactMembersOnly')}</p>
          )}
        </>
      ) : null}
      {v.attachments.length ? (
        <>
          <h2 class="kern-heading-medium">{t('atlas.attachments')}</h2>
          <ul>
            {v.attachments.map((a) => (
              <li key={a.id}>
                <a class="kern-link" href={`${url}/anhaenge/${a.id}`} download>
                  {a.filename}
                </a>{' '}
                ({a.mediaType === 'application/pdf' ? 'PDF' : a.mediaType === 'image/png' ? 'PNG' : 'JPEG'},{' '}
                {formatNumber(lang, Math.ceil(a.size / 1024))} KB)
                {v.canEdit ? (
                  <form method="post" action={`${url}/anhaenge/${a.id}/loeschen`} class="inline-form">
                    <CsrfField ctx={ctx} />
                    <SubmitButton label={t('atlas.attachment.remove', { name: a.filename })} secondary />
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {v.canEdit ? (
        <form method="post" action={`${url}/anhaenge`} encType="multipart/form-data" class="attachment-form">
          <CsrfField ctx={ctx} />
          <div class="kern-form-input">
            <label class="kern-label" for="file">
              {t('atlas.attachment.label')}
            </label>
            <div class="kern-hint" id="file-hint">
              {t('atlas.attachment.hint')}
            </div>
            <input
              class="kern-form-input__input"
              type="file"
              id="file"
              name="file"
              accept="application/pdf,image/png,image/jpeg"
              aria-describedby="file-hint"
            />
          </div>
          <SubmitButton label={t('atlas.attachment.upload')} secondary />
        </form>
      ) : null}
      <h2 class="kern-heading-medium" id="nachnutzung">
        {t('atlas.reuse.title')}
      </h2>
      <p>{t('atlas.reuse.explained')}</p>
      <ReuseList ctx={ctx} v={v} reuses={v.reuses} />
      {v.row.published && v.reuseWorkspaces.length > 0 && !v.isTeam ? (
        <form method="post" action={`${url}/nachnutzen`} class="reuse-form">
          <CsrfField ctx={ctx} />
          {v.reuseWorkspaces.length > 1 ? (
            <div class="kern-form-input">
              <label class="kern-label" for="org">
                {t('atlas.reuse.org')}
              </label>
              <select class="kern-form-input__select" id="org" name="org">
                {v.reuseWorkspaces.map((w) => (
                  <option value={String(w.id)} key={w.id}>
                    {w.name}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <input type="hidden" name="org" value={String(v.reuseWorkspaces[0]!.id)} />
          )}
          <TextArea
            id="message"
            label={t('atlas.reuse.message')}
            hint={t('atlas.reuse.messageHint')}
            rows={3}
            maxLength={5000}
            errors={errors}
          />
          <SubmitButton label={t('atlas.reuse.request')} />
        </form>
      ) : null}
      <p>
        <a class="kern-link" href={`${url}/versionen`}>
          {t('atlas.versions')}
        </a>
        {' · '}
        {v.row.published ? (
          <a class="kern-link" href={`/api/v1/practices/${v.row.id}/jsonld`}>
            {t('atlas.jsonld')}
          </a>
        ) : null}
      </p>
      {v.canWithdraw ? (
        <form method="post" action={`${url}/zurueckziehen`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('atlas.withdraw')} secondary />
        </form>
      ) : null}
    </Layout>
  );
}

export function PracticeFormPage(props: {
  ctx: PageContext;
  title: string;
  action: string;
  values: PracticeFormValues;
  errors: readonly ShownFieldError[];
  revision: number | null;
  conflict?: { savedTitle: string; savedSummary: string; changedAt: Date; revision: number } | null;
  backHref: string;
}) {
  const { ctx } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={props.title} breadcrumb={crumbs(ctx, { label: props.title })}>
      <h1 class="kern-heading-large">{props.title}</h1>
      {props.conflict ? (
        <div class="kern-alert kern-alert--warning" role="alert">
          <div class="kern-alert__body">
            <p>{t('atlas.conflict.text', { when: formatDate(lang, props.conflict.changedAt) })}</p>
            <p>
              {t('atlas.conflict.saved')} <strong>{props.conflict.savedTitle}</strong> – {props.conflict.savedSummary}
            </p>
            <p>{t('atlas.conflict.yours')}</p>
            <p>
              <a class="kern-link" href={props.backHref}>
                {t('atlas.conflict.keepSaved')}
              </a>
            </p>
          </div>
        </div>
      ) : null}
      <PracticeForm
        ctx={ctx}
        action={props.action}
        values={props.values}
        errors={props.errors}
        revision={props.conflict ? props.conflict.revision : props.revision}
        submitLabel={props.conflict ? t('atlas.conflict.saveMine') : t('atlas.save')}
      />
    </Layout>
  );
}

export function VersionsPage({
  ctx,
  row,
  versions,
}: {
  ctx: PageContext;
  row: PracticeRow;
  versions: { version: number; content: { title: string; summary: string }; publishedAt: Date; note: string | null }[];
}) {
  const { t, lang } = ctx;
  const title = t('atlas.versionsTitle', { title: (row.published ?? row.content).title });
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={crumbs(
        ctx,
        { href: practiceUrl(row.id), label: (row.published ?? row.content).title },
        { label: t('atlas.versions') },
      )}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {versions.length === 0 ? <p>{t('atlas.noVersions')}</p> : null}
      <ol reversed>
        {versions.map((v) => (
          <li key={v.version}>
            {t('atlas.versionLine', { version: v.version, date: formatDate(lang, v.publishedAt) })}:{' '}
            <strong>{v.content.title}</strong> – {v.content.summary}
            {v.note ? <q>{v.note}</q> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

export function QueuePage({ ctx, rows, own }: { ctx: PageContext; rows: PracticeRow[]; own: PracticeRow[] }) {
  const { t } = ctx;
  const title = t('atlas.queue.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx, { label: title })}>
      <h1 class="kern-heading-large">{title}</h1>
      <h2 class="kern-heading-medium">{t('atlas.queue.review')}</h2>
      {rows.length === 0 ? <p>{t('atlas.queue.empty')}</p> : null}
      <ul class="practice-list">
        {rows.map((r) => (
          <PracticeCard ctx={ctx} row={r} key={r.id} />
        ))}
      </ul>
      <h2 class="kern-heading-medium">{t('atlas.queue.own')}</h2>
      {own.length === 0 ? <p>{t('atlas.queue.ownEmpty')}</p> : null}
      <ul class="practice-list">
        {own.map((r) => (
          <PracticeCard ctx={ctx} row={r} why={t(`atlas.review.${r.review}`)} key={r.id} />
        ))}
      </ul>
    </Layout>
  );
}
