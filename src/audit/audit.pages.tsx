import { Readable } from 'node:stream';
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Db } from '../platform/db/db.js';
import { type FieldError, fieldError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { sendProblem } from '../platform/http/errors.js';
import { Field, IdParam } from '../platform/http/forms.js';
import { ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import type { Lang, Translate } from '../platform/i18n/i18n.js';
import { type AuditFilter, type AuditListRow, auditCsv, listAudit } from './audit.service.js';

type Query = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The filter form's fields (query parameter = input name = id). */
export interface AuditFilterValues {
  aktion: string;
  akteur: string;
  organisation: string;
  von: string;
  bis: string;
}

function validDate(s: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/**
 * Read the filter of the audit views from a query string: `aktion`, `akteur` (actor id), `organisation`
 * (org id), `von`/`bis` (YYYY-MM-DD) and `vor` (keyset paging: entries older than this id). Invalid fields
 * come back as field errors. Organisation admins' views pass `organisation: false` and set orgId themselves.
 */
export function auditFilterFromQuery(
  query: Query,
  opts: { organisation?: boolean } = {},
): { values: AuditFilterValues; filter: AuditFilter; errors: FieldError[] } {
  const values: AuditFilterValues = {
    aktion: str(query.aktion).slice(0, 100),
    akteur: str(query.akteur).slice(0, 20),
    organisation: opts.organisation === false ? '' : str(query.organisation).slice(0, 20),
    von: str(query.von).slice(0, 10),
    bis: str(query.bis).slice(0, 10),
  };
  const errors: FieldError[] = [];
  const filter: AuditFilter = {};
  if (values.aktion) {
    if (/^[a-z0-9_.-]+$/.test(values.aktion)) filter.action = values.aktion;
    else errors.push(fieldError('aktion', 'audit.invalidAction'));
  }
  for (const [field, key] of [
    ['akteur', 'actorUserId'],
    ['organisation', 'orgId'],
  ] as const) {
    if (!values[field]) continue;
    if (/^\d{1,15}$/.test(values[field])) filter[key] = Number(values[field]);
    else errors.push(fieldError(field, 'audit.invalidNumber'));
  }
  for (const [field, key] of [
    ['von', 'from'],
    ['bis', 'to'],
  ] as const) {
    if (!values[field]) continue;
    if (validDate(values[field])) filter[key] = values[field];
    else errors.push(fieldError(field, 'audit.invalidDate'));
  }
  const before = str(query.vor);
  if (/^\d{1,15}$/.test(before)) filter.beforeId = Number(before);
  return { values, filter, errors };
}

const AuditQuery = Type.Object(
  {
    aktion: Type.Optional(Type.String({ maxLength: 200 })),
    akteur: Type.Optional(Type.String({ maxLength: 40 })),
    organisation: Type.Optional(Type.String({ maxLength: 40 })),
    von: Type.Optional(Type.String({ maxLength: 40 })),
    bis: Type.Optional(Type.String({ maxLength: 40 })),
    vor: Type.Optional(Type.String({ maxLength: 40 })),
  },
  { additionalProperties: true },
);

/** The query string of a filter (without paging), for links to the next page and the CSV export. */
export function auditQueryString(values: AuditFilterValues, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...values, ...extra })) if (v) params.set(k, v);
  const s = params.toString();
  return s ? `?${s}` : '';
}

const TIME_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  de: new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'medium' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'medium' }),
};

function formatValue(v: unknown): string {
  if (v === undefined) return '–';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** An account as the views name it: current e-mail and number, or "deleted account #id". */
function accountLabel(t: Translate, id: number | string | null, email: string | null) {
  if (id === null) return t('audit.system');
  return email ? `${email} (#${id})` : t('audit.deletedAccount', { id });
}

function Changes({ row }: { row: AuditListRow }) {
  const keys = [...new Set([...Object.keys(row.before ?? {}), ...Object.keys(row.after ?? {})])];
  if (keys.length === 0) return <span>–</span>;
  return (
    <ul class="audit-changes">
      {keys.map((k) => (
        <li key={k}>
          <code>{k}</code>: {row.before ? formatValue(row.before[k]) : '–'} →{' '}
          {row.after ? formatValue(row.after[k]) : '–'}
        </li>
      ))}
    </ul>
  );
}

/** The table of entries (shared with the organisation admins' view). */
export function AuditTable({ ctx, rows, captionId }: { ctx: PageContext; rows: AuditListRow[]; captionId: string }) {
  const { t } = ctx;
  if (rows.length === 0) return <p>{t('audit.empty')}</p>;
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-label={ctx.t('audit.title')}>
      <table class="kern-table" aria-labelledby={captionId}>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            <th scope="col" class="kern-table__cell">
              {t('audit.colAt')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('audit.colActor')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('audit.colOrg')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('audit.colAction')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('audit.colEntity')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('audit.colChange')}
            </th>
            <th scope="col" class="kern-table__cell">
              {t('audit.colRequest')}
            </th>
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((r) => (
            <tr class="kern-table__row" key={r.id} id={`eintrag-${r.id}`}>
              <td class="kern-table__cell">
                <time datetime={new Date(r.at).toISOString()}>{TIME_FORMATS[ctx.lang].format(new Date(r.at))}</time>
              </td>
              <td class="kern-table__cell">{accountLabel(t, r.actorUserId, r.actorEmail)}</td>
              <td class="kern-table__cell">{r.orgId === null ? '–' : `#${r.orgId}`}</td>
              <td class="kern-table__cell">
                <code>{r.action}</code>
              </td>
              <td class="kern-table__cell">
                {r.entity === 'user' && r.entityId !== null
                  ? accountLabel(t, r.entityId, r.entityEmail)
                  : `${r.entity}${r.entityId === null ? '' : ` #${r.entityId}`}`}
              </td>
              <td class="kern-table__cell">
                <Changes row={r} />
              </td>
              <td class="kern-table__cell">
                <code class="audit-request">{r.requestId ?? '–'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A filter input: the shared form field, filled from the filter values. */
function FilterField(props: {
  id: keyof AuditFilterValues;
  label: string;
  hint?: string;
  type?: 'text' | 'date';
  inputmode?: 'numeric';
  values: AuditFilterValues;
  errors: readonly ShownFieldError[];
}) {
  const { values, ...rest } = props;
  return <Field {...rest} value={values[props.id]} />;
}

/**
 * The filter form (GET) with the CSV link. `action` is the page's own path; without `organisation` the
 * organisation filter is hidden (the organisation admins' view is fixed to one organisation).
 */
export function AuditFilterForm(props: {
  ctx: PageContext;
  action: string;
  csvHref: string;
  values: AuditFilterValues;
  errors: readonly ShownFieldError[];
  organisation?: boolean;
}) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <>
      <form method="get" action={props.action} class="form-narrow" novalidate>
        <fieldset class="kern-fieldset">
          <legend class="kern-label">{t('audit.filters')}</legend>
          <div class="kern-fieldset__body">
            <FilterField
              id="aktion"
              label={t('audit.action')}
              hint={t('audit.actionHint')}
              values={values}
              errors={errors}
            />
            <FilterField id="akteur" label={t('audit.actor')} inputmode="numeric" values={values} errors={errors} />
            {props.organisation === false ? null : (
              <FilterField
                id="organisation"
                label={t('audit.org')}
                inputmode="numeric"
                values={values}
                errors={errors}
              />
            )}
            <FilterField
              id="von"
              type="date"
              label={t('audit.from')}
              hint={t('audit.dateHint')}
              values={values}
              errors={errors}
            />
            <FilterField
              id="bis"
              type="date"
              label={t('audit.to')}
              hint={t('audit.dateHint')}
              values={values}
              errors={errors}
            />
          </div>
        </fieldset>
        <button class="kern-btn kern-btn--primary" type="submit">
          <span class="kern-label">{t('audit.apply')}</span>
        </button>
      </form>
      <p>
        <a href={props.action}>{t('audit.reset')}</a>
        {' · '}
        <a href={props.csvHref} download>
          {t('audit.csv')}
        </a>
      </p>
    </>
  );
}

/** Where an audit view lives: the platform-wide one under /admin, or one organisation's. */
export interface AuditScope {
  base: string;
  heading: string;
  crumbs: { href: string; label: string }[];
  organisation: boolean;
}

function AuditPage(props: {
  ctx: PageContext;
  scope: AuditScope;
  values: AuditFilterValues;
  errors: readonly ShownFieldError[];
  rows: AuditListRow[];
  nextHref: string | null;
  paged: boolean;
}) {
  const { ctx, values, errors, scope } = props;
  const { t } = ctx;
  const title = errors.length ? `${t('error.title')}: ${scope.heading}` : scope.heading;
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[{ href: '/', label: t('nav.home') }, ...scope.crumbs, { label: t('audit.title') }]}
    >
      <h1 class="kern-heading-large" id="audit-title">
        {scope.heading}
      </h1>
      <p>{t('audit.lead')}</p>
      <ErrorSummary ctx={ctx} errors={errors} />
      <AuditFilterForm
        ctx={ctx}
        action={scope.base}
        csvHref={`${scope.base}.csv${auditQueryString(values)}`}
        values={values}
        errors={errors}
        organisation={scope.organisation}
      />
      {errors.length ? null : <AuditTable ctx={ctx} rows={props.rows} captionId="audit-title" />}
      <nav aria-label={t('audit.title')} class="pager">
        <ul>
          {props.paged ? (
            <li>
              <a href={`${scope.base}${auditQueryString(values)}`}>{t('audit.newest')}</a>
            </li>
          ) : null}
          {props.nextHref ? (
            <li>
              <a href={props.nextHref} rel="next">
                {t('audit.older')}
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
    </Layout>
  );
}

/** `kommunallotse-audit-YYYY-MM-DD.csv`, dated in German time. */
export function auditCsvFileName(now = new Date()): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(now);
  return `kommunallotse-audit-${day}.csv`;
}

/**
 * The audit view and its CSV export for one scope. `resolve` authorises the request and returns the scope
 * and the organisation to restrict to (null: all entries). The platform admins' log is mounted by the audit
 * module; the organisations module mounts each organisation's log for its admins.
 */
export function auditRoutes(
  app: FastifyInstance,
  db: Db,
  path: string,
  access: 'user' | 'platform-admin',
  resolve: (request: FastifyRequest) => Promise<{ scope: AuditScope; orgId: number | null }>,
) {
  const schema = {
    querystring: AuditQuery,
    ...(path.includes(':id') ? { params: Type.Object({ id: IdParam }) } : {}),
  };
  app.get(path, { config: { access }, schema }, async (request, reply) => {
    const ctx = pageContext(request);
    const { scope, orgId } = await resolve(request);
    const parsed = auditFilterFromQuery(request.query as Query, { organisation: scope.organisation });
    const { values } = parsed;
    const errors = localFieldErrors(request, parsed.errors);
    const filter = orgId === null ? parsed.filter : { ...parsed.filter, orgId };
    if (errors.length) {
      return sendHtml(
        reply,
        renderPage(
          <AuditPage ctx={ctx} scope={scope} values={values} errors={errors} rows={[]} nextHref={null} paged={false} />,
        ),
        400,
      );
    }
    const page = await listAudit(db, filter);
    const nextHref =
      page.nextBeforeId === null
        ? null
        : `${scope.base}${auditQueryString(values, { vor: String(page.nextBeforeId) })}`;
    return sendHtml(
      reply,
      renderPage(
        <AuditPage
          ctx={ctx}
          scope={scope}
          values={values}
          errors={[]}
          rows={page.rows}
          nextHref={nextHref}
          paged={filter.beforeId != null}
        />,
      ),
    );
  });

  app.get(`${path}.csv`, { config: { access }, schema }, async (request, reply) => {
    const { scope, orgId } = await resolve(request);
    const parsed = auditFilterFromQuery(request.query as Query, { organisation: scope.organisation });
    if (parsed.errors.length) {
      return sendProblem(request, reply, 400, 'validation', 'error.validation', null, {}, parsed.errors);
    }
    const { beforeId: _paging, ...all } = orgId === null ? parsed.filter : { ...parsed.filter, orgId };
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${auditCsvFileName()}"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(auditCsv(db, all)));
  });
}

export const auditPages =
  (db: Db): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    auditRoutes(app, db, '/admin/audit', 'platform-admin', async (request) => {
      const t = pageContext(request).t;
      return {
        scope: {
          base: '/admin/audit',
          heading: t('audit.title'),
          crumbs: [{ href: '/admin', label: t('audit.adminCrumb') }],
          organisation: true,
        },
        orgId: null,
      };
    });
  };
