/**
 * Pages of demand bundling (gemeinsame Beschaffung): the overview with the actor's needs, matching needs of others
 * and their groups; declaring a need; a need with "Beitreten"; the group's shared page and its export for the joint
 * call for tenders (CSV). Members of municipal workspaces only; every state change is a plain form.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { loadModel } from '../../assessment/index.js';
import type { Actor } from '../../organisations/index.js';
import { csvCell } from '../../platform/csv.js';
import { AppError, fieldError, type ShownFieldError, ValidationError } from '../../platform/errors.js';
import { localFieldErrors, localText, pageContext, sendHtml } from '../../platform/http/context.js';
import {
  Field,
  Form,
  formRoute,
  IdParam,
  OptionalText,
  positiveId,
  Query,
  Select,
  SubmitButton,
  TextArea,
} from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../../platform/http/layout.js';
import type { ModuleDeps } from '../../platform/module.js';
import * as demand from './demand.service.js';

export const DEMAND_PATH = '/beschaffung';
export const needUrl = (id: number) => `${DEMAND_PATH}/${id}`;
export const groupUrl = (id: number) => `${DEMAND_PATH}/gruppen/${id}`;

/** What other parts of the market add to a group's page (wired by the module; empty by default). */
export interface DemandSeams {
  knownStandard(id: string): boolean;
  standardName(id: string): string;
  /** The centre's current recommendation for a sector: standards with the rationale. */
  recommendedStandards(sector: string): Promise<{ id: string; name: string }[]>;
  /** Published solutions of the sector that claim all of `standards` (or most of them), with their page. */
  matchingSolutions(
    sector: string,
    standards: readonly string[],
  ): Promise<{ id: number; name: string; href: string }[]>;
  /** The comparison page of up to four solutions. */
  compareHref(ids: readonly number[]): string | null;
}

const Params = Type.Object({ id: IdParam });
const NeedFormSchema = Form({
  org: OptionalText(20),
  title: OptionalText(400),
  sector: OptionalText(60),
  standards: OptionalText(1000),
  description: OptionalText(10000),
  neededFrom: OptionalText(20),
  neededUntil: OptionalText(20),
  volumeEur: OptionalText(30),
  volumeNote: OptionalText(600),
});
const NOTICES = ['erfasst', 'beigetreten', 'geaendert', 'zurueckgezogen'] as const;

const actorOf = (request: FastifyRequest): Actor => request.auth!.user;
const month = (iso: string) => iso.slice(0, 7);
const euro = (ctx: PageContext, v: number | null) =>
  v === null ? '–' : `${v.toLocaleString(ctx.lang === 'de' ? 'de-DE' : 'en-GB')} €`;

function sectorOptions(ctx: PageContext) {
  return [
    { value: '', label: ctx.t('market.demand.chooseSector') },
    ...loadModel().sectors.map((s) => ({ value: s.id, label: demand.sectorName(s.id, ctx.lang) })),
  ];
}

function Page(props: {
  ctx: PageContext;
  title: string;
  crumbs?: { href?: string; label: string }[];
  notice?: string | null;
  children: ComponentChildren;
}) {
  const { ctx } = props;
  return (
    <Layout
      ctx={ctx}
      title={props.title}
      breadcrumb={[
        { href: '/', label: ctx.t('nav.home') },
        ...(props.crumbs ?? [{ label: ctx.t('market.demand.title') }]),
      ]}
    >
      <h1 class="kern-heading-large">{props.title}</h1>
      {props.notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{props.notice}</p>
          </div>
        </div>
      ) : null}
      {props.children}
    </Layout>
  );
}

function NeedTable({ ctx, rows, caption }: { ctx: PageContext; rows: readonly demand.NeedRow[]; caption: string }) {
  const { t } = ctx;
  if (rows.length === 0) return null;
  return (
    <div class="table-wrap">
      <table class="kern-table">
        <caption class="kern-table__caption">{caption}</caption>
        <thead class="kern-table__head">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__header">
              {t('market.demand.need')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('market.demand.municipality')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('market.demand.sector')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('market.demand.timeframe')}
            </th>
            <th scope="col" class="kern-table__header">
              {t('market.demand.status')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((n) => (
            <tr class="kern-table__row" key={n.id}>
              <td class="kern-table__cell">
                <a class="kern-link" href={needUrl(n.id)}>
                  {n.title}
                </a>
              </td>
              <td class="kern-table__cell">{n.regionName}</td>
              <td class="kern-table__cell">{demand.sectorName(n.sector, ctx.lang)}</td>
              <td class="kern-table__cell">
                {month(n.neededFrom)} – {month(n.neededUntil)}
              </td>
              <td class="kern-table__cell">{t(`market.demand.needStatus.${n.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function OverviewPage({ ctx, v, notice }: { ctx: PageContext; v: demand.Overview; notice: string | null }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('market.demand.title')} notice={notice}>
      <p>{t('market.demand.lead')}</p>
      <p>
        <a class="kern-btn kern-btn--primary" href={`${DEMAND_PATH}/neu`}>
          <span class="kern-label">{t('market.demand.declare')}</span>
        </a>
      </p>
      <h2 class="kern-heading-medium">{t('market.demand.groups')}</h2>
      {v.groups.length === 0 ? (
        <p>{t('market.demand.noGroups')}</p>
      ) : (
        <ul>
          {v.groups.map((g) => (
            <li key={g.id}>
              <a class="kern-link" href={groupUrl(g.id)}>
                {g.title}
              </a>{' '}
              ({t(`market.demand.groupStatus.${g.status}`)}, {t('market.demand.leadBy', { name: g.leadName })})
            </li>
          ))}
        </ul>
      )}
      <h2 class="kern-heading-medium">{t('market.demand.own')}</h2>
      {v.own.length === 0 ? <p>{t('market.demand.noOwn')}</p> : null}
      <NeedTable ctx={ctx} rows={v.own} caption={t('market.demand.own')} />
      <h2 class="kern-heading-medium">{t('market.demand.matching')}</h2>
      {v.matching.length === 0 ? <p>{t('market.demand.noMatching')}</p> : null}
      <NeedTable ctx={ctx} rows={v.matching} caption={t('market.demand.matching')} />
      <h2 class="kern-heading-medium">{t('market.demand.others')}</h2>
      {v.others.length === 0 ? <p>{t('market.demand.noOthers')}</p> : null}
      <NeedTable ctx={ctx} rows={v.others} caption={t('market.demand.others')} />
    </Page>
  );
}

function NeedFormPage(props: {
  ctx: PageContext;
  values: Record<string, string>;
  errors: readonly ShownFieldError[];
  workspaces: readonly { id: number; name: string }[];
}) {
  const { ctx, values: v, errors } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('market.demand.declare')}
      crumbs={[{ href: DEMAND_PATH, label: t('market.demand.title') }, { label: t('market.demand.declare') }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${DEMAND_PATH}/neu`} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        {props.workspaces.length > 1 ? (
          <Select
            id="org"
            label={t('market.demand.workspace')}
            options={props.workspaces.map((w) => ({ value: String(w.id), label: w.name }))}
            value={v.org}
            errors={errors}
          />
        ) : (
          <input type="hidden" name="org" value={String(props.workspaces[0]?.id ?? '')} />
        )}
        <Field
          id="title"
          label={t('market.demand.fieldTitle')}
          hint={t('market.demand.fieldTitleHint')}
          value={v.title}
          maxLength={200}
          errors={errors}
          required
        />
        <Select
          id="sector"
          label={t('market.demand.sector')}
          options={sectorOptions(ctx)}
          value={v.sector}
          errors={errors}
        />
        <Field
          id="standards"
          label={t('market.demand.fieldStandards')}
          hint={t('market.demand.fieldStandardsHint')}
          value={v.standards}
          errors={errors}
        />
        <TextArea
          id="description"
          label={t('market.demand.fieldDescription')}
          value={v.description}
          maxLength={5000}
          errors={errors}
        />
        <Field
          id="neededFrom"
          label={t('market.demand.fieldFrom')}
          hint={t('market.demand.monthHint')}
          value={v.neededFrom}
          maxLength={7}
          errors={errors}
        />
        <Field
          id="neededUntil"
          label={t('market.demand.fieldUntil')}
          hint={t('market.demand.monthHint')}
          value={v.neededUntil}
          maxLength={7}
          errors={errors}
        />
        <Field
          id="volumeEur"
          label={t('market.demand.fieldVolume')}
          hint={t('market.demand.fieldVolumeHint')}
          inputmode="numeric"
          value={v.volumeEur}
          errors={errors}
        />
        <Field
          id="volumeNote"
          label={t('market.demand.fieldVolumeNote')}
          hint={t('market.demand.fieldVolumeNoteHint')}
          value={v.volumeNote}
          maxLength={300}
          errors={errors}
        />
        <SubmitButton label={t('market.demand.declareSubmit')} />
      </form>
    </Page>
  );
}

function NeedPage(props: {
  ctx: PageContext;
  v: demand.NeedView;
  seams: DemandSeams;
  notice: string | null;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { ctx, v, errors } = props;
  const { t } = ctx;
  const n = v.need;
  return (
    <Page
      ctx={ctx}
      title={n.title}
      notice={props.notice}
      crumbs={[{ href: DEMAND_PATH, label: t('market.demand.title') }, { label: n.title }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <dl class="facts">
        <dt>{t('market.demand.municipality')}</dt>
        <dd>
          <a class="kern-link" href={`/kommunen/${n.regionKey}`}>
            {n.regionName}
          </a>
        </dd>
        <dt>{t('market.demand.sector')}</dt>
        <dd>{demand.sectorName(n.sector, ctx.lang)}</dd>
        <dt>{t('market.demand.fieldStandards')}</dt>
        <dd>{n.standards.length ? n.standards.map((s) => props.seams.standardName(s)).join(', ') : '–'}</dd>
        <dt>{t('market.demand.timeframe')}</dt>
        <dd>
          {month(n.neededFrom)} – {month(n.neededUntil)}
        </dd>
        <dt>{t('market.demand.fieldVolume')}</dt>
        <dd>
          {euro(ctx, n.volumeEur)}
          {n.volumeNote ? ` (${n.volumeNote})` : ''}
        </dd>
        <dt>{t('market.demand.status')}</dt>
        <dd>{t(`market.demand.needStatus.${n.status}`)}</dd>
      </dl>
      {n.description ? <p class="prewrap">{n.description}</p> : null}
      {v.group ? (
        <p>
          {t('market.demand.inGroup')}{' '}
          <a class="kern-link" href={groupUrl(v.group.id)}>
            {v.group.title}
          </a>
        </p>
      ) : null}
      {v.canJoinWith.length > 0 ? (
        <section aria-labelledby="join">
          <h2 class="kern-heading-medium" id="join">
            {t('market.demand.join')}
          </h2>
          <p>{t('market.demand.joinLead')}</p>
          <form method="post" action={`${needUrl(n.id)}/beitreten`} class="form-narrow">
            <CsrfField ctx={ctx} />
            {v.canJoinWith.length > 1 ? (
              <Select
                id="org"
                label={t('market.demand.workspace')}
                options={v.canJoinWith.map((w) => ({ value: String(w.id), label: w.name }))}
                value={props.values.org}
                errors={errors}
              />
            ) : (
              <input type="hidden" name="org" value={String(v.canJoinWith[0]!.id)} />
            )}
            <Field
              id="volumeEur"
              label={t('market.demand.fieldVolume')}
              hint={t('market.demand.fieldVolumeHint')}
              inputmode="numeric"
              value={props.values.volumeEur}
              errors={errors}
            />
            <Field
              id="volumeNote"
              label={t('market.demand.fieldVolumeNote')}
              value={props.values.volumeNote}
              maxLength={300}
              errors={errors}
            />
            <SubmitButton label={t('market.demand.joinSubmit')} />
          </form>
        </section>
      ) : null}
      {v.canManage && n.status !== 'closed' ? (
        <form method="post" action={`${needUrl(n.id)}/zurueckziehen`}>
          <CsrfField ctx={ctx} />
          <SubmitButton secondary label={t(n.groupId ? 'market.demand.leave' : 'market.demand.close')} />
        </form>
      ) : null}
    </Page>
  );
}

interface GroupExtras {
  recommended: { id: string; name: string }[];
  solutions: { id: number; name: string; href: string }[];
  compareHref: string | null;
}

function GroupPage(props: {
  ctx: PageContext;
  v: demand.GroupView;
  x: GroupExtras;
  seams: DemandSeams;
  notice: string | null;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, v, x, errors } = props;
  const { t } = ctx;
  const g = v.group;
  return (
    <Page
      ctx={ctx}
      title={g.title}
      notice={props.notice}
      crumbs={[{ href: DEMAND_PATH, label: t('market.demand.title') }, { label: g.title }]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>
        {t('market.demand.leadBy', { name: g.leadName })} · {t(`market.demand.groupStatus.${g.status}`)} ·{' '}
        {demand.sectorName(g.sector, ctx.lang)}
      </p>
      <div class="table-wrap">
        <table class="kern-table">
          <caption class="kern-table__caption">{t('market.demand.members', { count: v.members.length })}</caption>
          <thead class="kern-table__head">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__header">
                {t('market.demand.municipality')}
              </th>
              <th scope="col" class="kern-table__header">
                {t('market.demand.inhabitants')}
              </th>
              <th scope="col" class="kern-table__header">
                {t('market.demand.timeframe')}
              </th>
              <th scope="col" class="kern-table__header">
                {t('market.demand.fieldVolume')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {v.members.map((m) => (
              <tr class="kern-table__row" key={m.id}>
                <th scope="row" class="kern-table__header">
                  {m.regionName}
                  {m.orgId === g.leadOrgId ? ` (${t('market.demand.leadShort')})` : ''}
                </th>
                <td class="kern-table__cell">{m.population?.toLocaleString('de-DE') ?? '–'}</td>
                <td class="kern-table__cell">
                  {month(m.neededFrom)} – {month(m.neededUntil)}
                </td>
                <td class="kern-table__cell">
                  {euro(ctx, m.volumeEur)}
                  {m.volumeNote ? ` (${m.volumeNote})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr class="kern-table__row">
              <th scope="row" class="kern-table__header">
                {t('market.demand.total')}
              </th>
              <td class="kern-table__cell">{v.population.toLocaleString('de-DE')}</td>
              <td class="kern-table__cell" />
              <td class="kern-table__cell">{euro(ctx, v.volumeEur)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <h2 class="kern-heading-medium">{t('market.demand.requirements')}</h2>
      {v.standards.length ? (
        <ul>
          {v.standards.map((s) => (
            <li key={s}>
              <a class="kern-link" href={`/standards/${s}`}>
                {props.seams.standardName(s)}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('market.demand.noRequirements')}</p>
      )}
      <h2 class="kern-heading-medium">{t('market.demand.recommended')}</h2>
      {x.recommended.length ? (
        <ul>
          {x.recommended.map((s) => (
            <li key={s.id}>
              <a class="kern-link" href={`/standards/${s.id}`}>
                {s.name}
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('market.demand.noRecommendation')}</p>
      )}
      <h2 class="kern-heading-medium">{t('market.demand.solutions')}</h2>
      {x.solutions.length ? (
        <>
          <ul>
            {x.solutions.map((s) => (
              <li key={s.id}>
                <a class="kern-link" href={s.href}>
                  {s.name}
                </a>
              </li>
            ))}
          </ul>
          {x.compareHref ? (
            <p>
              <a class="kern-link" href={x.compareHref}>
                {t('market.demand.compare')}
              </a>
            </p>
          ) : null}
        </>
      ) : (
        <p>{t('market.demand.noSolutions')}</p>
      )}
      <p>
        <a class="kern-link" href={`${groupUrl(g.id)}/export`} download>
          {t('market.demand.export')}
        </a>
      </p>
      {v.isLead ? (
        <section aria-labelledby="lead">
          <h2 class="kern-heading-medium" id="lead">
            {t('market.demand.manage')}
          </h2>
          <form method="post" action={`${groupUrl(g.id)}/aendern`} class="form-narrow">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="rev" value={String(g.revision)} />
            <Select
              id="lead"
              label={t('market.demand.leadField')}
              options={v.members.map((m) => ({ value: String(m.orgId), label: m.orgName }))}
              value={String(g.leadOrgId)}
              errors={errors}
            />
            <Select
              id="status"
              label={t('market.demand.status')}
              options={(['forming', 'tendering', 'closed'] as const).map((s) => ({
                value: s,
                label: t(`market.demand.groupStatus.${s}`),
              }))}
              value={g.status}
              errors={errors}
            />
            <SubmitButton label={t('market.demand.save')} />
          </form>
        </section>
      ) : null}
      {v.mine.length > 0 ? (
        <ul>
          {v.members
            .filter((m) => v.mine.includes(m.orgId))
            .map((m) => (
              <li key={m.id}>
                <a class="kern-link" href={needUrl(m.id)}>
                  {t('market.demand.ownEntry', { name: m.orgName })}
                </a>
              </li>
            ))}
        </ul>
      ) : null}
    </Page>
  );
}

/** The group's export for the joint call for tenders: semicolon CSV with BOM (German spreadsheets). */
export function groupCsv(v: demand.GroupView, x: GroupExtras, standardName: (id: string) => string): string {
  const line = (cells: unknown[]) => `${cells.map((c) => csvCell(c, ';')).join(';')}\r\n`;
  const g = v.group;
  let out = '\uFEFF';
  out += line(['Gemeinsame Beschaffung', g.title]);
  out += line(['Bereich', demand.sectorName(g.sector)]);
  out += line(['Federführung', g.leadName]);
  out += line(['Status', g.status]);
  out += line(['Anforderungen (Standards)', v.standards.map((s) => `${standardName(s)} (${s})`).join(', ')]);
  out += line(['Empfehlung des Kompetenzzentrums', x.recommended.map((s) => `${s.name} (${s.id})`).join(', ')]);
  out += line(['Passende Lösungen im Markt', x.solutions.map((s) => s.name).join(', ')]);
  out += '\r\n';
  out += line([
    'Gemeindeschlüssel',
    'Kommune',
    'Arbeitsbereich',
    'Einwohner',
    'Bedarf ab',
    'Bedarf bis',
    'Volumen (EUR/Jahr)',
    'Umfang',
    'Federführung',
  ]);
  for (const m of v.members) {
    out += line([
      m.regionKey,
      m.regionName,
      m.orgName,
      m.population ?? '',
      month(m.neededFrom),
      month(m.neededUntil),
      m.volumeEur ?? '',
      m.volumeNote,
      m.orgId === g.leadOrgId ? 'ja' : 'nein',
    ]);
  }
  out += line(['', 'Summe', '', v.population, '', '', v.volumeEur, '', '']);
  return out;
}

export const demandPages =
  (d: ModuleDeps, seams: DemandSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const deps = (): demand.DemandDeps => ({ db: d.db, now: d.clock, knownStandard: seams.knownStandard });
    const user = { config: { access: 'user' as const } };
    const noticeOf = (ctx: PageContext, raw: string | undefined) =>
      raw && (NOTICES as readonly string[]).includes(raw)
        ? ctx.t(`market.demand.notice.${raw as (typeof NOTICES)[number]}`)
        : null;
    const shown = (request: FastifyRequest, err: AppError): ShownFieldError[] => {
      const s = localFieldErrors(request, err.fieldErrors);
      if (s.length === 0 && err.detail) s.push({ field: 'form', message: localText(request, err.detail) });
      return s;
    };
    const extras = async (v: demand.GroupView): Promise<GroupExtras> => {
      const [recommended, solutions] = await Promise.all([
        seams.recommendedStandards(v.group.sector),
        seams.matchingSolutions(v.group.sector, v.standards),
      ]);
      return { recommended, solutions, compareHref: seams.compareHref(solutions.slice(0, 4).map((s) => s.id)) };
    };

    app.get(
      DEMAND_PATH,
      { ...user, schema: { querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const v = await demand.overview(deps(), actorOf(request));
        return sendHtml(
          reply,
          renderPage(<OverviewPage ctx={ctx} v={v} notice={noticeOf(ctx, request.query.hinweis)} />),
        );
      },
    );

    const workspacesOf = async (request: FastifyRequest) =>
      (await demand.overview(deps(), actorOf(request))).workspaces;
    app.get(`${DEMAND_PATH}/neu`, user, async (request, reply) => {
      const workspaces = await workspacesOf(request);
      return sendHtml(
        reply,
        renderPage(<NeedFormPage ctx={pageContext(request)} values={{}} errors={[]} workspaces={workspaces} />),
      );
    });
    formRoute(app, {
      url: `${DEMAND_PATH}/neu`,
      access: 'user',
      body: NeedFormSchema,
      render: async (request, input, errors) => (
        <NeedFormPage
          ctx={pageContext(request)}
          values={input as Record<string, string>}
          errors={errors}
          workspaces={await workspacesOf(request)}
        />
      ),
      handle: async (request, input) => {
        const orgId = /^\d{1,15}$/.test(input.org ?? '') ? Number(input.org) : 0;
        const need = demand.parseNeedForm(input, seams.knownStandard);
        const id = await demand.declareNeed(deps(), actorOf(request), orgId, need);
        return { redirect: `${needUrl(id)}?hinweis=erfasst` };
      },
    });

    const needPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      values: Record<string, string> = {},
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await demand.needView(deps(), actorOf(request), id);
      const q = request.query as { hinweis?: string } | undefined;
      return sendHtml(
        reply,
        renderPage(
          <NeedPage ctx={ctx} v={v} seams={seams} notice={noticeOf(ctx, q?.hinweis)} errors={errors} values={values} />,
        ),
        status,
      );
    };
    app.get(
      `${DEMAND_PATH}/:id`,
      { ...user, schema: { params: Params, querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => needPage(request, reply, positiveId(request.params.id)),
    );
    app.post(
      `${DEMAND_PATH}/:id/beitreten`,
      {
        ...user,
        schema: {
          params: Params,
          body: Form({ org: OptionalText(20), volumeEur: OptionalText(30), volumeNote: OptionalText(600) }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const body = request.body as Record<string, string | undefined>;
        try {
          const orgId = /^\d{1,15}$/.test(body.org ?? '') ? Number(body.org) : 0;
          // The volume is checked with the need form's rules (the other fields are the joined need's).
          const raw = (body.volumeEur ?? '').trim().replace(/[.\s]/g, '').replace(/€$/, '');
          if (raw !== '' && (!/^\d{1,10}$/.test(raw) || Number(raw) > demand.NEED_LIMITS.volumeEur)) {
            throw new ValidationError([
              fieldError('volumeEur', 'market.demand.err.volume', { value: body.volumeEur ?? '' }),
            ]);
          }
          const note = (body.volumeNote ?? '').trim();
          if (note.length > demand.NEED_LIMITS.volumeNote) {
            throw new ValidationError([
              fieldError('volumeNote', 'market.demand.err.tooLong', { max: demand.NEED_LIMITS.volumeNote }),
            ]);
          }
          const groupId = await demand.joinNeed(deps(), actorOf(request), id, orgId, {
            volumeEur: raw === '' ? null : Number(raw),
            volumeNote: note,
          });
          return reply.redirect(`${groupUrl(groupId)}?hinweis=beigetreten`, 303);
        } catch (err) {
          if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
            return needPage(request, reply, id, shown(request, err), body as Record<string, string>, err.status);
          }
          throw err;
        }
      },
    );
    app.post(`${DEMAND_PATH}/:id/zurueckziehen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      try {
        await demand.withdrawNeed(deps(), actorOf(request), id);
        return reply.redirect(`${DEMAND_PATH}?hinweis=zurueckgezogen`, 303);
      } catch (err) {
        if (err instanceof AppError && err.status === 409)
          return needPage(request, reply, id, shown(request, err), {}, 409);
        throw err;
      }
    });

    const groupPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await demand.groupView(deps(), actorOf(request), id);
      const q = request.query as { hinweis?: string } | undefined;
      return sendHtml(
        reply,
        renderPage(
          <GroupPage
            ctx={ctx}
            v={v}
            x={await extras(v)}
            seams={seams}
            notice={noticeOf(ctx, q?.hinweis)}
            errors={errors}
          />,
        ),
        status,
      );
    };
    app.get(
      `${DEMAND_PATH}/gruppen/:id`,
      { ...user, schema: { params: Params, querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => groupPage(request, reply, positiveId(request.params.id)),
    );
    app.post(
      `${DEMAND_PATH}/gruppen/:id/aendern`,
      {
        ...user,
        schema: {
          params: Params,
          body: Form({ rev: OptionalText(12), lead: OptionalText(20), status: OptionalText(20) }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const body = request.body as Record<string, string | undefined>;
        try {
          const status = body.status;
          if (status !== undefined && status !== 'forming' && status !== 'tendering' && status !== 'closed') {
            throw new ValidationError([fieldError('status', 'market.demand.err.unknownStatus', { value: status })]);
          }
          await demand.changeGroup(deps(), actorOf(request), id, Number(body.rev) || 0, {
            leadOrgId: /^\d{1,15}$/.test(body.lead ?? '') ? Number(body.lead) : undefined,
            status,
          });
          return reply.redirect(`${groupUrl(id)}?hinweis=geaendert`, 303);
        } catch (err) {
          if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
            return groupPage(request, reply, id, shown(request, err), err.status);
          }
          throw err;
        }
      },
    );
    app.get(`${DEMAND_PATH}/gruppen/:id/export`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const v = await demand.groupView(deps(), actorOf(request), positiveId(request.params.id));
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="beschaffungsgruppe-${v.group.id}.csv"`)
        .send(groupCsv(v, await extras(v), seams.standardName));
    });
  };
