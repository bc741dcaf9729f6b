import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Db } from '../platform/db/db.js';
import { AppError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { Field, OptionalText, Query } from '../platform/http/forms.js';
import { type Crumb, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, formatNumber, type Lang, type Translate } from '../platform/i18n/i18n.js';
import type { ProfileSection } from '../platform/module.js';
import { STATES } from './embedded-default.js';
import { designationLabel } from './gv100ad.js';
import { displayName, type EndKnown, splitName } from './names.js';
import { LEVELS, type Level } from './region.js';
import type { RegionRow } from './register.repository.js';
import type { SearchHit } from './register.service.js';
import * as service from './register.service.js';

const SOURCE_LABELS: Record<string, string> = {
  gv100ad: 'Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys (GV100AD)',
  'landkreise-deutschland': 'npm-Paket landkreise-deutschland (CC-BY-4.0), nach Destatis GV-ISys',
};

function profileHref(key: string) {
  return `/kommunen/${key}`;
}

/** The sentence that says a region ended and what is known about when ("beendet zwischen … und …"). */
export function endedText(t: Translate, lang: Lang, end: EndKnown): string {
  return end.kind === 'between'
    ? t('profile.endedBetween', { from: formatDate(lang, end.from), to: formatDate(lang, end.to) })
    : t('profile.endedOn', { date: formatDate(lang, end.date) });
}

/** The written-out designation of a region: its Textkennzeichen, else the suffix of its name, else its level. */
function designationOf(ctx: PageContext, r: { level: Level; designationCode: string | null; name: string }): string {
  return (
    (r.designationCode ? designationLabel(r.level, r.designationCode, ctx.lang) : null) ??
    splitName(r.name).title ??
    ctx.t(`level.${r.level}`)
  );
}

function num(ctx: PageContext, n: number | null, digits = 0) {
  return n === null ? ctx.t('profile.noData') : formatNumber(ctx.lang, n, digits);
}

/** The search field with its label, hint and button (used on the home page and the search page). */
function SearchField({ ctx, q }: { ctx: PageContext; q: string }) {
  return (
    <div class="search-form">
      <div class="kern-form-input">
        <label class="kern-label" for="q">
          {ctx.t('search.label')}
        </label>
        <div class="kern-hint" id="q-hint">
          {ctx.t('search.hint')}
        </div>
        <input
          class="kern-form-input__input"
          type="search"
          id="q"
          name="q"
          value={q}
          maxLength={100}
          autocomplete="off"
          aria-describedby="q-hint"
        />
      </div>
      <button class="kern-btn kern-btn--primary" type="submit">
        <span class="kern-label">{ctx.t('search.submit')}</span>
      </button>
    </div>
  );
}

/** One of the platform's jobs on the home page: a heading, what it does, and where it starts. */
function Job({
  ctx,
  id,
  href,
  children,
}: {
  ctx: PageContext;
  id: 'find' | 'check' | 'lagebild' | 'strategy' | 'atlas';
  href?: string;
  children?: ComponentChildren;
}) {
  const { t } = ctx;
  return (
    <li class={href || children ? 'job' : 'job job--later'}>
      <h3 class="kern-heading-small" id={`job-${id}`}>
        {t(`home.job.${id}.title`)}
        {href || children ? null : (
          <>
            {' '}
            <span class="badge-later">{t('home.later')}</span>
          </>
        )}
      </h3>
      <p>{t(`home.job.${id}.text`)}</p>
      {href ? (
        <p>
          <a class="kern-link" href={href}>
            {t(`home.job.${id}.link`)}
          </a>
        </p>
      ) : null}
      {children}
    </li>
  );
}

function HomePage({ ctx, status }: { ctx: PageContext; status: Awaited<ReturnType<typeof service.registerStatus>> }) {
  const latest = status.releases[status.releases.length - 1];
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('home.title')}>
      <h1 class="kern-heading-x-large">{t('home.title')}</h1>
      <p class="kern-body--large">{t('home.lead')}</p>
      <h2 class="kern-heading-medium" id="jobs">
        {t('home.jobs')}
      </h2>
      <ul class="jobs" aria-labelledby="jobs">
        <Job ctx={ctx} id="find">
          <form action="/kommunen" method="get" role="search">
            <SearchField ctx={ctx} q="" />
          </form>
        </Job>
        <Job ctx={ctx} id="check" href="/digitalcheck" />
        <Job ctx={ctx} id="lagebild" href="/lagebild" />
        <Job ctx={ctx} id="strategy" href="/strategie" />
        <Job ctx={ctx} id="atlas" />
      </ul>
      <h2 class="kern-heading-medium">{t('home.registerState')}</h2>
      <dl class="facts">
        {LEVELS.filter((l) => status.counts[l]).map((l) => (
          <>
            <dt>{t(`level.${l}`)}</dt>
            <dd>{formatNumber(ctx.lang, status.counts[l] ?? 0)}</dd>
          </>
        ))}
        {latest ? (
          <>
            <dt>{t('home.release')}</dt>
            <dd>
              {formatDate(ctx.lang, latest.release)} ({SOURCE_LABELS[latest.source] ?? latest.source})
            </dd>
          </>
        ) : null}
      </dl>
    </Layout>
  );
}

interface SearchForm {
  q: string;
  level: string;
  state: string;
  minPopulation: string;
  maxPopulation: string;
  cursor: string;
}

/**
 * The results as a list of blocks (readable at 320 px): the name as a heading with its link, then designation,
 * Kreis, Land, inhabitants and key as a small description list.
 */
function ResultsList({ ctx, items }: { ctx: PageContext; items: SearchHit[] }) {
  const { t } = ctx;
  return (
    <ol class="results">
      {items.map((r) => (
        <li class="result" key={r.key}>
          <h3 class="result__name">
            <a href={profileHref(r.key)}>{displayName(r.name)}</a>
            {r.validTo ? (
              <>
                {' '}
                <span class="badge-ended">{t('search.ended')}</span>
              </>
            ) : null}
          </h3>
          <dl class="result__facts">
            <div>
              <dt>{t('profile.designation')}</dt>
              <dd>{designationOf(ctx, r)}</dd>
            </div>
            {r.kreisName ? (
              <div>
                <dt>{t('search.colKreis')}</dt>
                <dd>{displayName(r.kreisName)}</dd>
              </div>
            ) : null}
            {r.stateName && r.level !== 'land' ? (
              <div>
                <dt>{t('search.colState')}</dt>
                <dd>{r.stateName}</dd>
              </div>
            ) : null}
            {r.population !== null ? (
              <div>
                <dt>{t('search.colPopulation')}</dt>
                <dd>{num(ctx, r.population)}</dd>
              </div>
            ) : null}
            <div>
              <dt>{t('search.colKey')}</dt>
              <dd>{r.key}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ol>
  );
}

/** Whether any filter is set (then the filters are shown unfolded). */
function filtersSet(form: SearchForm): boolean {
  return !!(form.level || form.state || form.minPopulation || form.maxPopulation);
}

function SearchPage({
  ctx,
  form,
  page,
  errors,
}: {
  ctx: PageContext;
  form: SearchForm;
  page: service.SearchPage | null;
  errors: readonly ShownFieldError[];
}) {
  const title = form.q ? ctx.t('search.titleWithQuery', { q: form.q }) : ctx.t('search.title');
  const nextParams = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v && k !== 'cursor') nextParams.set(k, v);
  if (page?.nextCursor) nextParams.set('cursor', page.nextCursor);
  return (
    <Layout
      ctx={ctx}
      title={errors.length ? `${ctx.t('error.title')}: ${title}` : title}
      breadcrumb={[{ href: '/', label: ctx.t('nav.home') }, { label: title }]}
    >
      <h1 class="kern-heading-large">{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form action="/kommunen" method="get" role="search">
        <SearchField ctx={ctx} q={form.q} />
        <details class="filters-toggle" open={filtersSet(form) || errors.length > 0}>
          <summary>{ctx.t('search.filters')}</summary>
          <fieldset class="kern-fieldset filters-fieldset">
            <legend class="kern-sr-only">{ctx.t('search.filters')}</legend>
            <div class="filters">
              <div class="kern-form-input">
                <label class="kern-label" for="level">
                  {ctx.t('search.level')}
                </label>
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="level" name="level">
                    <option value="">{ctx.t('search.levelAll')}</option>
                    {LEVELS.map((l) => (
                      <option value={l} selected={form.level === l} key={l}>
                        {ctx.t(`level.${l}`)}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <div class="kern-form-input">
                <label class="kern-label" for="state">
                  {ctx.t('search.state')}
                </label>
                <div class="kern-form-input__select-wrapper">
                  <select class="kern-form-input__select" id="state" name="state">
                    <option value="">{ctx.t('search.stateAll')}</option>
                    {Object.entries(STATES).map(([k, s]) => (
                      <option value={k} selected={form.state === k} key={k}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
              <NumberField
                ctx={ctx}
                id="minPopulation"
                label={ctx.t('search.minPopulation')}
                value={form.minPopulation}
                errors={errors}
              />
              <NumberField
                ctx={ctx}
                id="maxPopulation"
                label={ctx.t('search.maxPopulation')}
                value={form.maxPopulation}
                errors={errors}
              />
              <button class="kern-btn kern-btn--secondary" type="submit">
                <span class="kern-label">{ctx.t('search.apply')}</span>
              </button>
            </div>
          </fieldset>
        </details>
      </form>
      {page ? (
        <section aria-labelledby="results-heading">
          <h2 class="kern-heading-medium" id="results-heading">
            {ctx.t('search.results', { count: formatNumber(ctx.lang, page.total) })}
          </h2>
          {page.items.length === 0 ? <p>{ctx.t('search.noResults')}</p> : <ResultsList ctx={ctx} items={page.items} />}
          {page.nextCursor ? (
            <p>
              <a class="kern-link" href={`/kommunen?${nextParams.toString()}`}>
                {ctx.t('search.next')}
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
    </Layout>
  );
}

function NumberField(props: {
  ctx: PageContext;
  id: string;
  label: string;
  value: string;
  errors: readonly ShownFieldError[];
}) {
  const { ctx: _ctx, ...rest } = props;
  return <Field {...rest} inputmode="numeric" maxLength={9} />;
}

function ProfilePage({
  ctx,
  d,
  peers,
  children,
  above,
  below,
}: {
  ctx: PageContext;
  d: service.RegionDetail;
  peers: RegionRow[];
  children: RegionRow[];
  /** What other modules contribute (ProfileSection), above and below the key figures. */
  above: ComponentChildren[];
  below: ComponentChildren[];
}) {
  const r = d.region;
  const { t } = ctx;
  const designation = r.designationCode ? designationLabel(r.level, r.designationCode, ctx.lang) : null;
  const { short: name, title: nameTitle } = splitName(r.name);
  const crumbs: Crumb[] = [
    { href: '/', label: t('nav.home') },
    // A verbandsfreie Gemeinde's own Verband entry carries its name: leave it out of the trail.
    ...d.parents
      .filter((p) => !(p.level === 'gemeindeverband' && p.name === r.name))
      .map((p) => ({ href: profileHref(p.key), label: displayName(p.name) })),
    { label: name },
  ];
  const stateName = r.level === 'land' ? r.name : (d.parents.find((p) => p.key === r.stateKey)?.name ?? '');
  const density = r.population !== null && r.areaKm2 ? r.population / r.areaKm2 : null;
  return (
    <Layout ctx={ctx} title={name} breadcrumb={crumbs}>
      <h1 class="kern-heading-large">{name}</h1>
      <p class="kern-body--large">
        {designationOf(ctx, r)}
        {stateName && r.level !== 'land' ? ` · ${stateName}` : ''}
      </p>
      {r.validTo ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__header">
            <h2 class="kern-title">{d.end ? endedText(t, ctx.lang, d.end) : null}</h2>
          </div>
          {d.successor ? (
            <div class="kern-alert__body">
              <p>
                <a href={profileHref(d.successor.key)}>
                  {t('profile.successor', { name: displayName(d.successor.name) })}
                </a>
              </p>
              <p>
                {d.successor.inferred
                  ? t('profile.successorInferred', { method: d.successor.method ?? '' })
                  : t('profile.successorOfficial')}
              </p>
            </div>
          ) : null}
        </div>
      ) : null}
      {above}
      <h2 class="kern-heading-medium">{t('profile.keyFigures')}</h2>
      <dl class="facts">
        <dt>{r.level === 'gemeinde' ? t('profile.ags') : t('profile.key')}</dt>
        <dd>{r.key}</dd>
        {r.ars !== r.key ? (
          <>
            <dt>{t('profile.ars')}</dt>
            <dd>{r.ars}</dd>
          </>
        ) : null}
        {(designation ?? nameTitle) ? (
          <>
            <dt>{t('profile.designation')}</dt>
            <dd>{designation ?? nameTitle}</dd>
          </>
        ) : null}
        {nameTitle ? (
          <>
            <dt>{t('profile.officialName')}</dt>
            <dd>{r.name}</dd>
          </>
        ) : null}
        {r.seat ? (
          <>
            <dt>{t('profile.seat')}</dt>
            <dd>{r.seat}</dd>
          </>
        ) : null}
        <dt>{t('profile.area')}</dt>
        <dd>{r.areaKm2 === null ? t('profile.noData') : `${num(ctx, r.areaKm2, 2)} km²`}</dd>
        <dt>{t('profile.population')}</dt>
        <dd>{num(ctx, r.population)}</dd>
        {r.populationMale !== null ? (
          <>
            <dt>{t('profile.populationMale')}</dt>
            <dd>{num(ctx, r.populationMale)}</dd>
            <dt>{t('profile.populationFemale')}</dt>
            <dd>{num(ctx, r.populationFemale)}</dd>
          </>
        ) : null}
        <dt>{t('profile.density')}</dt>
        <dd>{density === null ? t('profile.noData') : num(ctx, density, 1)}</dd>
        {r.postcode ? (
          <>
            <dt>{t('profile.postcode')}</dt>
            <dd>
              {r.postcode}
              {r.multiplePostcodes ? ` (${t('profile.severalPostcodes')})` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {d.predecessors.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{t('profile.predecessors')}</h2>
          <ul>
            {d.predecessors.map((p) => (
              <li key={p.key}>
                <a href={profileHref(p.key)}>{displayName(p.name)}</a> ({p.key}
                {p.validTo ? `, ${t('profile.validTo')} ${formatDate(ctx.lang, p.validTo)}` : ''})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {children.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{t('profile.children')}</h2>
          <ul class="children">
            {children.slice(0, 200).map((c) => (
              <li key={c.key}>
                <a href={profileHref(c.key)}>{displayName(c.name)}</a>
                {c.population !== null ? ` – ${t('profile.inhabitants', { count: num(ctx, c.population) })}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.level !== 'land' && !r.validTo ? (
        <>
          <h2 class="kern-heading-medium">{t('profile.peers', { state: stateName })}</h2>
          {peers.length === 0 ? (
            <p>{t('profile.noPeers')}</p>
          ) : (
            <ul>
              {peers.map((p) => (
                <li key={p.key}>
                  <a href={profileHref(p.key)}>{displayName(p.name)}</a> –{' '}
                  {t('profile.inhabitants', { count: num(ctx, p.population) })}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
      {below}
      <h2 class="kern-heading-medium">{t('profile.source')}</h2>
      <p>
        {t('profile.sourceText', {
          source: SOURCE_LABELS[r.source] ?? r.source,
          release: formatDate(ctx.lang, r.release),
        })}{' '}
        {t('profile.validFrom', { date: formatDate(ctx.lang, r.validFrom) })}{' '}
        <a href="/datenquellen">{t('profile.sourcesLink')}</a>
      </p>
    </Layout>
  );
}

function parseCount(v: string, field: 'minPopulation' | 'maxPopulation', errors: ShownFieldError[], ctx: PageContext) {
  const s = v.replace(/[.\s]/g, '');
  if (!s) return undefined;
  if (!/^\d{1,9}$/.test(s)) {
    errors.push({ field, message: ctx.t(`register.search.${field}`) });
    return undefined;
  }
  return Number(s);
}

const SearchQuery = Query({
  q: OptionalText(200),
  level: OptionalText(100),
  state: OptionalText(20),
  minPopulation: OptionalText(40),
  maxPopulation: OptionalText(40),
  cursor: OptionalText(500),
});

export const registerPages =
  (db: Db, profileSections: () => ProfileSection[]): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const sections = profileSections().sort((a, b) => a.order - b.order);
    app.get('/', { config: { access: 'public' } }, async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(reply, renderPage(<HomePage ctx={ctx} status={await service.registerStatus(db)} />));
    });

    app.get(
      '/kommunen',
      { config: { access: 'public' }, schema: { querystring: SearchQuery } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const q = request.query;
        const form: SearchForm = {
          q: (q.q ?? '').slice(0, 100),
          level: q.level ?? '',
          state: q.state ?? '',
          minPopulation: (q.minPopulation ?? '').slice(0, 12),
          maxPopulation: (q.maxPopulation ?? '').slice(0, 12),
          cursor: q.cursor ?? '',
        };
        const errors: ShownFieldError[] = [];
        const minPopulation = parseCount(form.minPopulation, 'minPopulation', errors, ctx);
        const maxPopulation = parseCount(form.maxPopulation, 'maxPopulation', errors, ctx);
        let page: service.SearchPage | null = null;
        if (errors.length === 0) {
          try {
            page = await service.searchRegions(db, {
              q: form.q,
              level: LEVELS.includes(form.level as Level) ? form.level : undefined,
              state: form.state || undefined,
              minPopulation,
              maxPopulation,
              cursor: form.cursor || undefined,
              limit: 25,
            });
          } catch (err) {
            if (!(err instanceof AppError) || err.status !== 400) throw err;
            errors.push(...localFieldErrors(request, err.fieldErrors));
          }
        }
        return sendHtml(
          reply,
          renderPage(<SearchPage ctx={ctx} form={form} page={page} errors={errors} />),
          errors.length ? 400 : 200,
        );
      },
    );

    const KeyParams = Type.Object({ key: Type.String({ maxLength: 40 }) });
    app.get(
      '/kommunen/:key',
      { config: { access: 'public' }, schema: { params: KeyParams } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const d = await service.getRegion(db, request.params.key);
        // An ARS shows under its AGS; the Kreis record of a kreisfreie Stadt under its Gemeinde (one profile).
        const canonical = await service.municipalityKey(db, d.region.key);
        if (canonical !== request.params.key) return reply.redirect(profileHref(canonical), 301);
        const user = request.auth?.user ?? null;
        const [peers, children, parts] = await Promise.all([
          d.region.level === 'land' ? [] : service.getPeers(db, d.region),
          service.getProfileChildren(db, d.region),
          Promise.all(sections.map((s) => s.render({ region: d.region, ctx, user }))),
        ]);
        const above = parts.filter((_, i) => sections[i]!.order < 100);
        const below = parts.filter((_, i) => sections[i]!.order >= 100);
        return sendHtml(
          reply,
          renderPage(<ProfilePage ctx={ctx} d={d} peers={peers} children={children} above={above} below={below} />),
        );
      },
    );
  };
