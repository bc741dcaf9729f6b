/** The pages of the solution market: the list with filters, a solution, its form, versions, the queue, the comparison. */
import { loadModel } from '../../assessment/index.js';
import type { ShownFieldError } from '../../platform/errors.js';
import { Select, SubmitButton, TextArea } from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext } from '../../platform/http/layout.js';
import { formatDate, formatNumber } from '../../platform/i18n/i18n.js';
import type { ComparisonTable } from './compare.js';
import { SolutionForm, type SolutionFormValues } from './form.js';
import { OPERATING_MODELS, standardChoices } from './model.js';
import {
  MAX_COMPARED,
  SOLUTIONS_PATH,
  type SolutionListItem,
  type SolutionQuery,
  type SolutionRow,
  type SolutionView,
  solutionUrl,
} from './solutions.service.js';

const crumbs = (ctx: PageContext, ...more: { href?: string; label: string }[]) => [
  { href: '/', label: ctx.t('nav.home') },
  { href: SOLUTIONS_PATH, label: ctx.t('market.solutions.title') },
  ...more,
];

function Notice({ text }: { text: string | null | undefined }) {
  return text ? (
    <div class="kern-alert kern-alert--success" role="status">
      <div class="kern-alert__body">
        <p>{text}</p>
      </div>
    </div>
  ) : null;
}

function Definition({ term, children }: { term: string; children: preact.ComponentChildren }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

const sectorName = (ctx: PageContext, id: string) => loadModel().sectors.find((s) => s.id === id)?.name[ctx.lang] ?? id;

export function SolutionCard({ ctx, item, compare }: { ctx: PageContext; item: SolutionListItem; compare?: boolean }) {
  const { t, lang } = ctx;
  const c = item.row.published ?? item.row.content;
  const checkbox = `cmp-${item.row.id}`;
  return (
    <li class="practice-card">
      <h3 class="kern-heading-small">
        <a class="kern-link" href={solutionUrl(item.row.id)}>
          {c.name}
        </a>
      </h3>
      <p>{c.summary}</p>
      <p class="practice-card__meta">
        {item.row.providerName}
        {' · '}
        {t('market.solutions.refCount', { n: formatNumber(lang, item.confirmedReferences) })}
        {item.rating
          ? ` · ${t('market.solutions.ratingLine', {
              mean: formatNumber(lang, Math.round(item.rating.mean * 10) / 10),
              n: formatNumber(lang, item.rating.n),
            })}`
          : ''}
        {c.openSource ? ' · Open Source' : ''}
      </p>
      {compare ? (
        <div class="kern-form-check">
          <input
            class="kern-form-check__checkbox"
            type="checkbox"
            id={checkbox}
            name="ids"
            value={String(item.row.id)}
          />
          <label class="kern-label" for={checkbox}>
            {t('market.solutions.compareThis')}
            <span class="kern-sr-only">: {c.name}</span>
          </label>
        </div>
      ) : null}
    </li>
  );
}

export function ListPage(props: {
  ctx: PageContext;
  query: SolutionQuery;
  result: { total: number; items: SolutionListItem[] } | null;
  errors: readonly ShownFieldError[];
  canCreate: boolean;
}) {
  const { ctx, query, result, errors } = props;
  const { t, lang } = ctx;
  const title = t('market.solutions.title');
  const model = loadModel();
  const all = { value: '', label: t('market.solutions.filter.all') };
  const params = (extra: Record<string, string>) => {
    const u = new URLSearchParams();
    if (query.sector) u.set('sector', query.sector);
    if (query.standard) u.set('standard', query.standard);
    if (query.operatingModel) u.set('operatingModel', query.operatingModel);
    if (query.openSource !== null) u.set('openSource', String(query.openSource));
    if (query.conformant) u.set('conformant', query.conformant);
    for (const [k, v] of Object.entries(extra)) u.set(k, v);
    return u.toString();
  };
  return (
    <Layout ctx={ctx} title={title} breadcrumb={[{ href: '/', label: t('nav.home') }, { label: title }]}>
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('market.solutions.intro')}</p>
      {props.canCreate ? (
        <p>
          <a class="kern-btn kern-btn--secondary" href={`${SOLUTIONS_PATH}/neu`}>
            <span class="kern-label">{t('market.solutions.new')}</span>
          </a>
        </p>
      ) : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action={SOLUTIONS_PATH} class="solution-filters" aria-labelledby="filter-title">
        <h2 class="kern-heading-medium" id="filter-title">
          {t('market.solutions.filter.title')}
        </h2>
        <Select
          id="sector"
          label={t('market.solutions.filter.sector')}
          value={query.sector ?? ''}
          options={[all, ...model.sectors.map((s) => ({ value: s.id, label: s.name[lang] }))]}
          errors={errors}
        />
        <Select
          id="standard"
          label={t('market.solutions.filter.standard')}
          value={query.standard ?? ''}
          options={[all, ...standardChoices().map((s) => ({ value: s, label: s }))]}
          errors={errors}
        />
        <Select
          id="operatingModel"
          label={t('market.solutions.filter.operatingModel')}
          value={query.operatingModel ?? ''}
          options={[all, ...OPERATING_MODELS.map((m) => ({ value: m, label: t(`market.solutions.operating.${m}`) }))]}
          errors={errors}
        />
        <Select
          id="openSource"
          label={t('market.solutions.filter.openSource')}
          value={query.openSource === null ? '' : String(query.openSource)}
          options={[
            all,
            { value: 'true', label: t('market.solutions.yes') },
            { value: 'false', label: t('market.solutions.no') },
          ]}
          errors={errors}
        />
        <Select
          id="conformant"
          label={t('market.solutions.filter.conformant')}
          value={query.conformant ?? ''}
          options={[
            all,
            { value: 'any', label: t('market.solutions.filter.conformantAny') },
            ...standardChoices().map((s) => ({ value: s, label: s })),
          ]}
          errors={errors}
        />
        <p>
          <SubmitButton label={t('market.solutions.filter.apply')} secondary />
        </p>
      </form>
      {result ? (
        <section aria-labelledby="results-title">
          <h2 class="kern-heading-medium" id="results-title">
            {t('market.solutions.results', { n: formatNumber(lang, result.total) })}
          </h2>
          {result.items.length === 0 ? <p>{t('market.solutions.noResults')}</p> : null}
          {/* Choosing solutions to compare is a plain GET form: ids=1&ids=2 (the page also reads ids=1,2). */}
          <form method="get" action={`${SOLUTIONS_PATH}/vergleich`}>
            <ol class="practice-list" start={query.offset + 1}>
              {result.items.map((item) => (
                <SolutionCard ctx={ctx} item={item} compare key={item.row.id} />
              ))}
            </ol>
            {result.items.length > 1 ? (
              <p>
                <SubmitButton label={t('market.solutions.compare.select')} />
              </p>
            ) : null}
          </form>
          {query.offset + result.items.length < result.total ? (
            <p>
              <a class="kern-link" href={`${SOLUTIONS_PATH}?${params({ offset: String(query.offset + query.limit) })}`}>
                {t('market.solutions.more')}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}

function ReviewStateBox({ ctx, v }: { ctx: PageContext; v: SolutionView }) {
  const { t } = ctx;
  if (!v.showsWorkingCopy) return null;
  return (
    <div class="kern-alert kern-alert--info" role="status">
      <div class="kern-alert__body">
        <p>
          {t(`market.solutions.review.${v.row.review}`)}
          {v.row.publishedVersion > 0
            ? ` ${t('market.solutions.review.publishedVersion', { version: v.row.publishedVersion })}`
            : ''}
        </p>
        {v.row.review === 'changes_requested' && v.row.reviewComment ? (
          <p>
            {t('market.solutions.review.comment')} <q>{v.row.reviewComment}</q>
          </p>
        ) : null}
      </div>
    </div>
  );
}

function Link({ href }: { href: string }) {
  return (
    <a class="kern-link" href={href} rel="nofollow noopener">
      {href}
    </a>
  );
}

export function SolutionPage({
  ctx,
  v,
  notice,
  errors = [],
}: {
  ctx: PageContext;
  v: SolutionView;
  notice?: string | null;
  errors?: readonly ShownFieldError[];
}) {
  const { t, lang } = ctx;
  const c = v.content;
  const url = solutionUrl(v.row.id);
  const name = c.name || t('market.solutions.untitled');
  const confirmed = v.references.filter((r) => r.status === 'confirmed');
  return (
    <Layout ctx={ctx} title={name} breadcrumb={crumbs(ctx, { label: name })}>
      <h1 class="kern-heading-large">{name}</h1>
      <p class="kern-body kern-body--large">
        {t('market.solutions.provider')}: {v.row.providerName}
      </p>
      <Notice text={notice} />
      <ErrorSummary ctx={ctx} errors={errors} />
      <ReviewStateBox ctx={ctx} v={v} />
      {v.showsWorkingCopy && (v.canEdit || v.canSubmit) ? (
        <p class="button-row">
          {v.canEdit ? (
            <a class="kern-btn kern-btn--secondary" href={`${url}/bearbeiten`}>
              <span class="kern-label">{t('market.solutions.edit')}</span>
            </a>
          ) : null}{' '}
          {v.canEdit && c.publiccodeUrl ? (
            <form method="post" action={`${url}/publiccode`} class="inline-form">
              <CsrfField ctx={ctx} />
              <SubmitButton label={t('market.solutions.publiccode.take')} />
            </form>
          ) : null}{' '}
          {v.canSubmit ? (
            <form method="post" action={`${url}/einreichen`} class="inline-form">
              <CsrfField ctx={ctx} />
              <SubmitButton label={t('market.solutions.submit')} />
            </form>
          ) : null}
        </p>
      ) : null}
      {v.canReview ? (
        <section aria-labelledby="review-title" class="review-box">
          <h2 class="kern-heading-medium" id="review-title">
            {t('market.solutions.review.title')}
          </h2>
          <form method="post" action={`${url}/pruefung`}>
            <CsrfField ctx={ctx} />
            <TextArea
              id="comment"
              label={t('market.solutions.review.commentLabel')}
              hint={t('market.solutions.review.commentHint')}
              rows={3}
              maxLength={5000}
              errors={errors}
            />
            <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="publish">
              <span class="kern-label">{t('market.solutions.review.publish')}</span>
            </button>{' '}
            <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="changes">
              <span class="kern-label">{t('market.solutions.review.changes')}</span>
            </button>
          </form>
        </section>
      ) : null}
      <p>{c.summary}</p>
      {c.problem ? (
        <>
          <h2 class="kern-heading-medium">{t('market.solutions.field.problem')}</h2>
          <p class="preserve-lines">{c.problem}</p>
        </>
      ) : null}
      <h2 class="kern-heading-medium">{t('market.solutions.facts')}</h2>
      <dl class="facts">
        {c.sectors.length ? (
          <Definition term={t('market.solutions.field.sectors')}>
            {c.sectors.map((s) => sectorName(ctx, s)).join(', ')}
          </Definition>
        ) : null}
        {c.operatingModels.length ? (
          <Definition term={t('market.solutions.field.operatingModels')}>
            {c.operatingModels.map((m) => t(`market.solutions.operating.${m}`)).join(', ')}
          </Definition>
        ) : null}
        {c.dataLocation || c.hostingNote ? (
          <Definition term={t('market.solutions.field.dataLocation')}>
            {[c.dataLocation ? t(`market.solutions.location.${c.dataLocation}`) : '', c.hostingNote]
              .filter(Boolean)
              .join(', ')}
          </Definition>
        ) : null}
        {c.licence || c.openSource ? (
          <Definition term={t('market.solutions.field.licence')}>
            {c.licence}
            {c.openSource ? ' (Open Source)' : ''}
          </Definition>
        ) : null}
        {c.priceModel ? (
          <Definition term={t('market.solutions.field.priceModel')}>
            {t(`market.solutions.price.${c.priceModel}`)}
            {c.priceNote ? ` – ${c.priceNote}` : ''}
          </Definition>
        ) : null}
        {c.maintenance ? <Definition term={t('market.solutions.field.maintenance')}>{c.maintenance}</Definition> : null}
        {c.dependencies.length ? (
          <Definition term={t('market.solutions.field.dependencies')}>{c.dependencies.join(', ')}</Definition>
        ) : null}
        {c.standards.length ? (
          <Definition term={t('market.solutions.field.standards')}>
            {c.standards.map((s, i) => (
              <span key={s}>
                {i > 0 ? ', ' : ''}
                <a class="kern-link" href={`${SOLUTIONS_PATH}?standard=${encodeURIComponent(s)}`}>
                  {s}
                </a>
              </span>
            ))}
          </Definition>
        ) : null}
        {c.accessibilityUrl ? (
          <Definition term={t('market.solutions.field.accessibilityUrl')}>
            <Link href={c.accessibilityUrl} />
          </Definition>
        ) : null}
        {c.website ? (
          <Definition term={t('market.solutions.field.website')}>
            <Link href={c.website} />
          </Definition>
        ) : null}
        {c.publiccodeUrl ? (
          <Definition term={t('market.solutions.field.publiccodeUrl')}>
            <Link href={c.publiccodeUrl} />
          </Definition>
        ) : null}
      </dl>
      <h2 class="kern-heading-medium" id="konformitaet">
        {t('market.solutions.conformance.title')}
      </h2>
      {v.verdicts.size === 0 ? (
        <p>{t('market.solutions.conformance.none')}</p>
      ) : (
        <ul>
          {[...v.verdicts].map(([std, verdict]) => (
            <li key={std}>
              {std}: {t(`market.solutions.verdict.${verdict}`)}
            </li>
          ))}
        </ul>
      )}
      {c.contact?.visible ? (
        <>
          <h2 class="kern-heading-medium">{t('market.solutions.contact')}</h2>
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
            <p>{t('market.solutions.contactMembersOnly')}</p>
          )}
        </>
      ) : null}

      <h2 class="kern-heading-medium" id="referenzen">
        {t('market.solutions.reference.title')}
      </h2>
      <p>{t('market.solutions.reference.explained')}</p>
      {confirmed.length === 0 && v.references.length === 0 ? <p>{t('market.solutions.reference.none')}</p> : null}
      {v.references.length ? (
        <ul class="reuse-list">
          {v.references.map((r) => (
            <li key={r.id}>
              <a class="kern-link" href={`/kommunen/${r.regionKey}`}>
                {r.municipalityName}
              </a>
              {r.status === 'confirmed' ? '' : ` (${t(`market.solutions.reference.status.${r.status}`)})`}
              {v.decidableReferences.includes(r.id) ? (
                <form method="post" action={`${url}/referenzen/${r.id}/entscheiden`} class="inline-form">
                  <CsrfField ctx={ctx} />
                  {r.status === 'requested' ? (
                    <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="confirm">
                      <span class="kern-label">{t('market.solutions.reference.confirm')}</span>
                    </button>
                  ) : null}{' '}
                  <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="decline">
                    <span class="kern-label">
                      {r.status === 'requested'
                        ? t('market.solutions.reference.decline')
                        : t('market.solutions.reference.revoke')}
                    </span>
                  </button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {v.canRequestReference ? (
        <form method="post" action={`${url}/referenzen`} class="reuse-form">
          <CsrfField ctx={ctx} />
          <div class="kern-form-input">
            <label class="kern-label" for="region">
              {t('market.solutions.reference.region')}
            </label>
            <div class="kern-hint" id="region-hint">
              {t('market.solutions.reference.regionHint')}
            </div>
            {errors.find((e) => e.field === 'region') ? (
              <p class="kern-error" id="region-error">
                {errors.find((e) => e.field === 'region')!.message}
              </p>
            ) : null}
            <input
              class="kern-form-input__input"
              type="text"
              inputmode="numeric"
              id="region"
              name="region"
              maxLength={12}
              aria-describedby={`region-hint${errors.find((e) => e.field === 'region') ? ' region-error' : ''}`}
            />
          </div>
          <TextArea id="note" label={t('market.solutions.reference.note')} rows={2} maxLength={2000} errors={errors} />
          <SubmitButton label={t('market.solutions.reference.request')} secondary />
        </form>
      ) : null}

      <h2 class="kern-heading-medium" id="bewertungen">
        {t('market.solutions.rating.title')}
      </h2>
      <p>{t('market.solutions.rating.explained')}</p>
      {v.reviews.length === 0 ? <p>{t('market.solutions.rating.none')}</p> : null}
      {v.reviews.map((r) => (
        <article class="solution-review" key={r.id} aria-labelledby={`review-${r.id}`}>
          <h3 class="kern-heading-small" id={`review-${r.id}`}>
            {t('market.solutions.rating.stars', { rating: r.rating })} –{' '}
            {t('market.solutions.rating.by', { name: r.workspaceName, date: formatDate(lang, r.createdAt) })}
          </h3>
          <p class="preserve-lines">{r.body}</p>
          {r.answer ? (
            <blockquote>
              <p>
                <strong>{t('market.solutions.rating.answer')}:</strong>
              </p>
              <p class="preserve-lines">{r.answer}</p>
            </blockquote>
          ) : v.canAnswer && v.row.published ? (
            <form method="post" action={`${url}/bewertungen/${r.id}/antwort`}>
              <CsrfField ctx={ctx} />
              <div class="kern-form-input">
                <label class="kern-label" for={`answer-${r.id}`}>
                  {t('market.solutions.rating.answerLabel')}
                </label>
                <textarea
                  class="kern-form-input__input"
                  id={`answer-${r.id}`}
                  name="answer"
                  rows={3}
                  maxLength={5000}
                />
              </div>
              <SubmitButton label={t('market.solutions.rating.answerSubmit')} secondary />
            </form>
          ) : null}
        </article>
      ))}
      {v.reviewWorkspaces.length > 0 ? (
        <form method="post" action={`${url}/bewertungen`} class="review-form">
          <CsrfField ctx={ctx} />
          {v.reviewWorkspaces.length > 1 ? (
            <Select
              id="org"
              label={t('market.solutions.rating.workspace')}
              options={v.reviewWorkspaces.map((w) => ({ value: String(w.id), label: w.name }))}
              errors={errors}
            />
          ) : (
            <input type="hidden" name="org" value={String(v.reviewWorkspaces[0]!.id)} />
          )}
          <Select
            id="rating"
            label={t('market.solutions.rating.rating')}
            options={[5, 4, 3, 2, 1].map((n) => ({
              value: String(n),
              label: t('market.solutions.rating.stars', { rating: n }),
            }))}
            errors={errors}
          />
          <TextArea id="body" label={t('market.solutions.rating.body')} rows={4} maxLength={5000} errors={errors} />
          <SubmitButton label={t('market.solutions.rating.submit')} />
        </form>
      ) : null}

      <p>
        <a class="kern-link" href={`${url}/versionen`}>
          {t('market.solutions.versions')}
        </a>
        {v.row.published ? (
          <>
            {' · '}
            <a class="kern-link" href={`${SOLUTIONS_PATH}/vergleich?ids=${v.row.id}`}>
              {t('market.solutions.compare.title')}
            </a>
            {' · '}
            <a class="kern-link" href={`/api/v1/solutions/${v.row.id}`}>
              JSON
            </a>
          </>
        ) : null}
      </p>
      {v.canWithdraw ? (
        <form method="post" action={`${url}/zurueckziehen`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('market.solutions.withdraw')} secondary />
        </form>
      ) : null}
    </Layout>
  );
}

export function SolutionFormPage(props: {
  ctx: PageContext;
  title: string;
  action: string;
  values: SolutionFormValues;
  errors: readonly ShownFieldError[];
  revision: number | null;
  conflict?: { savedName: string; savedSummary: string; changedAt: Date; revision: number } | null;
  backHref: string;
  workspaces?: { id: number; name: string }[];
}) {
  const { ctx } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={props.title} breadcrumb={crumbs(ctx, { label: props.title })}>
      <h1 class="kern-heading-large">{props.title}</h1>
      {props.conflict ? (
        <div class="kern-alert kern-alert--warning" role="alert">
          <div class="kern-alert__body">
            <p>{t('market.solutions.conflict.text', { when: formatDate(lang, props.conflict.changedAt) })}</p>
            <p>
              {t('market.solutions.conflict.saved')} <strong>{props.conflict.savedName}</strong> –{' '}
              {props.conflict.savedSummary}
            </p>
            <p>{t('market.solutions.conflict.yours')}</p>
            <p>
              <a class="kern-link" href={props.backHref}>
                {t('market.solutions.conflict.keepSaved')}
              </a>
            </p>
          </div>
        </div>
      ) : null}
      <SolutionForm
        ctx={ctx}
        action={props.action}
        values={props.values}
        errors={props.errors}
        revision={props.conflict ? props.conflict.revision : props.revision}
        submitLabel={props.conflict ? t('market.solutions.conflict.saveMine') : t('market.solutions.save')}
        workspaces={props.workspaces}
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
  row: SolutionRow;
  versions: { version: number; content: { name: string; summary: string }; publishedAt: Date; note: string | null }[];
}) {
  const { t, lang } = ctx;
  const name = (row.published ?? row.content).name;
  const title = t('market.solutions.versionsTitle', { name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={crumbs(ctx, { href: solutionUrl(row.id), label: name }, { label: t('market.solutions.versions') })}
    >
      <h1 class="kern-heading-large">{title}</h1>
      {versions.length === 0 ? <p>{t('market.solutions.noVersions')}</p> : null}
      <ol reversed>
        {versions.map((v) => (
          <li key={v.version}>
            {t('market.solutions.versionLine', { version: v.version, date: formatDate(lang, v.publishedAt) })}:{' '}
            <strong>{v.content.name}</strong> – {v.content.summary}
            {v.note ? <q>{v.note}</q> : null}
          </li>
        ))}
      </ol>
    </Layout>
  );
}

function RowList({ ctx, rows, state }: { ctx: PageContext; rows: SolutionRow[]; state?: boolean }) {
  return (
    <ul class="practice-list">
      {rows.map((r) => (
        <li class="practice-card" key={r.id}>
          <h3 class="kern-heading-small">
            <a class="kern-link" href={solutionUrl(r.id)}>
              {r.content.name || ctx.t('market.solutions.untitled')}
            </a>
          </h3>
          <p class="practice-card__meta">
            {r.providerName}
            {state ? ` · ${ctx.t(`market.solutions.review.${r.review}`)}` : ''}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function QueuePage({ ctx, queue, own }: { ctx: PageContext; queue: SolutionRow[]; own: SolutionRow[] }) {
  const { t } = ctx;
  const title = t('market.solutions.queue.title');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx, { label: title })}>
      <h1 class="kern-heading-large">{title}</h1>
      <h2 class="kern-heading-medium">{t('market.solutions.queue.review')}</h2>
      {queue.length === 0 ? <p>{t('market.solutions.queue.empty')}</p> : <RowList ctx={ctx} rows={queue} />}
      <h2 class="kern-heading-medium">{t('market.solutions.queue.own')}</h2>
      {own.length === 0 ? <p>{t('market.solutions.queue.ownEmpty')}</p> : <RowList ctx={ctx} rows={own} state />}
    </Layout>
  );
}

/** Providers' own solutions on their workspace page. */
export function WorkspaceSolutions({ ctx, rows }: { ctx: PageContext; rows: SolutionRow[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="ws-loesungen">
      <h2 class="kern-heading-medium" id="ws-loesungen">
        {t('market.solutions.workspace.title')}
      </h2>
      <p>
        <a class="kern-link" href={`${SOLUTIONS_PATH}/pruefung`}>
          {t('market.solutions.workspace.own')}
        </a>
        {' · '}
        <a class="kern-link" href={`${SOLUTIONS_PATH}/neu`}>
          {t('market.solutions.new')}
        </a>
      </p>
      {rows.length === 0 ? <p>{t('market.solutions.workspace.none')}</p> : <RowList ctx={ctx} rows={rows} state />}
    </section>
  );
}

export function ComparePage({
  ctx,
  table,
  ids,
  errors = [],
}: {
  ctx: PageContext;
  table: ComparisonTable | null;
  ids: readonly number[];
  errors?: readonly ShownFieldError[];
}) {
  const { t } = ctx;
  const title = t('market.solutions.compare.title');
  const q = `ids=${ids.join(',')}`;
  return (
    <Layout ctx={ctx} title={title} breadcrumb={crumbs(ctx, { label: title })}>
      <h1 class="kern-heading-large">{title}</h1>
      <p>{t('market.solutions.compare.intro')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      {table ? (
        <>
          <div class="table-wrap" role="region" tabindex={0} aria-labelledby="compare-caption">
            <table class="kern-table compare-table">
              <caption id="compare-caption">{t('market.solutions.compare.caption', { n: table.names.length })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('market.solutions.compare.criterion')}</th>
                  {table.names.map((n, i) => (
                    <th scope="col" key={`${n}-${i}`}>
                      <a class="kern-link" href={solutionUrl(ids[i]!)}>
                        {n}
                      </a>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.rows
                  .filter((r) => r.id !== 'url')
                  .map((r) => (
                    <tr key={r.id}>
                      <th scope="row">{r.label}</th>
                      {r.cells.map((c, i) => (
                        <td key={`${r.id}-${i}`}>{c}</td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
          <p>
            <a class="kern-link" href={`${SOLUTIONS_PATH}/vergleich?${q}&format=csv`} download>
              {t('market.solutions.compare.csv')}
            </a>
            {' · '}
            <a class="kern-link" href={`${SOLUTIONS_PATH}/vergleich?${q}&format=pdf`} download>
              {t('market.solutions.compare.pdf')}
            </a>
          </p>
        </>
      ) : null}
      <p class="kern-hint">{t('market.solutions.err.compareIds', { max: MAX_COMPARED })}</p>
    </Layout>
  );
}
