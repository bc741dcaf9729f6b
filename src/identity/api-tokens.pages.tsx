import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, NotFoundError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { Field, Form, OptionalText, Query, SubmitButton } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import * as tokens from './api-tokens.service.js';

/** Token creation: 10 per account and 30 per client address in an hour (429 with Retry-After beyond). */
export const TOKEN_LIMITS = {
  createAccount: { name: 'token-create-account', max: 10, windowMs: 3600_000 },
  createIp: { name: 'token-create-ip', max: 30, windowMs: 3600_000 },
};

/** What the form shows: as typed, so nothing is lost on an error. */
interface FormValues {
  name: string;
  scopes: string[];
  expiryDays: string;
}

const EMPTY_FORM: FormValues = { name: '', scopes: [], expiryDays: String(tokens.DEFAULT_EXPIRY_DAYS) };
const date = (lang: PageContext['lang'], d: Date) => formatDate(lang, new Date(d).toISOString());

function scopeLabel(ctx: PageContext, catalogue: tokens.ScopeCatalogue, scope: string) {
  const [module = '', access] = scope.split(':');
  const accessLabel = access === 'write' ? ctx.t('tokens.accessWrite') : ctx.t('tokens.accessRead');
  const name = catalogue.names[module];
  return `${name ? ctx.t(name) : module}: ${accessLabel}`;
}

function breadcrumb(ctx: PageContext, last?: string) {
  return [
    { href: '/', label: ctx.t('nav.home') },
    { href: '/konto', label: ctx.t('account.title') },
    { href: '/konto/tokens', label: ctx.t('tokens.title') },
    ...(last ? [{ label: last }] : []),
  ];
}

/** The scope checkboxes: one fieldset with a legend; the error summary links to the first box. */
function ScopesFieldset({
  ctx,
  catalogue,
  selected,
  errors,
}: {
  ctx: PageContext;
  catalogue: tokens.ScopeCatalogue;
  selected: string[];
  errors: readonly ShownFieldError[];
}) {
  const error = errors.find((e) => e.field === 'scopes');
  const described = ['scopes-hint', error ? 'scopes-error' : null].filter(Boolean).join(' ');
  return (
    <fieldset class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} aria-describedby={described}>
      <legend class="kern-label">{ctx.t('tokens.scopes')}</legend>
      <div class="kern-hint" id="scopes-hint">
        {ctx.t('tokens.scopesHint')}
      </div>
      {error ? (
        <p class="kern-error" id="scopes-error">
          {error.message}
        </p>
      ) : null}
      <div class="kern-fieldset__body">
        {catalogue.all.map((scope, i) => {
          const id = i === 0 ? 'scopes' : `scopes-${scope.replace(':', '-')}`;
          return (
            <div class="kern-form-check" key={scope}>
              <input
                class={`kern-form-check__checkbox${error ? ' kern-form-check__checkbox--error' : ''}`}
                type="checkbox"
                id={id}
                name="scopes"
                value={scope}
                checked={selected.includes(scope)}
              />
              <label class="kern-label" for={id}>
                {scopeLabel(ctx, catalogue, scope)} (<code>{scope}</code>)
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

/** A whole number of days: a text input with a numeric keyboard (no spinner, no silent rounding). */
function DaysField({ ctx, value, errors }: { ctx: PageContext; value: string; errors: readonly ShownFieldError[] }) {
  const error = errors.find((e) => e.field === 'expiryDays');
  const described = ['expiryDays-hint', error ? 'expiryDays-error' : null].filter(Boolean).join(' ');
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for="expiryDays">
        {ctx.t('tokens.expiryDays')}
      </label>
      <div class="kern-hint" id="expiryDays-hint">
        {ctx.t('tokens.expiryDaysHint')}
      </div>
      {error ? (
        <p class="kern-error" id="expiryDays-error">
          {error.message}
        </p>
      ) : null}
      <input
        class={`kern-form-input__input kern-form-input__input--width-4${error ? ' kern-form-input__input--error' : ''}`}
        type="text"
        inputmode="numeric"
        id="expiryDays"
        name="expiryDays"
        value={value}
        autocomplete="off"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
      />
    </div>
  );
}

function StatusBadge({ ctx, status }: { ctx: PageContext; status: tokens.TokenStatus }) {
  const variant = status === 'active' ? 'success' : status === 'revoked' ? 'danger' : 'warning';
  const label =
    status === 'active'
      ? ctx.t('tokens.statusActive')
      : status === 'revoked'
        ? ctx.t('tokens.statusRevoked')
        : ctx.t('tokens.statusExpired');
  return (
    <span class={`kern-badge kern-badge--${variant}`}>
      <span class="kern-label">{label}</span>
    </span>
  );
}

function TokenTable({ ctx, list, now }: { ctx: PageContext; list: tokens.ApiTokenRow[]; now: Date }) {
  const { t } = ctx;
  const cols = [
    t('tokens.colName'),
    t('tokens.colPrefix'),
    t('tokens.colScopes'),
    t('tokens.colCreated'),
    t('tokens.colExpires'),
    t('tokens.colLastUsed'),
    t('tokens.colStatus'),
    t('tokens.colActions'),
  ];
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-label={ctx.t('tokens.title')}>
      <table class="kern-table" aria-labelledby="token-list">
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            {cols.map((c) => (
              <th scope="col" class="kern-table__cell" key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {list.map((tok) => {
            const status = tokens.tokenStatus(tok, now);
            return (
              <tr class="kern-table__row" key={tok.id}>
                <th scope="row" class="kern-table__cell">
                  {tok.name}
                </th>
                <td class="kern-table__cell">
                  <code>{tok.prefix}…</code>
                </td>
                <td class="kern-table__cell">
                  {tok.scopes.map((s, i) => (
                    <span key={s}>
                      {i > 0 ? ', ' : ''}
                      <code>{s}</code>
                    </span>
                  ))}
                </td>
                <td class="kern-table__cell">{date(ctx.lang, tok.createdAt)}</td>
                <td class="kern-table__cell">{date(ctx.lang, tok.expiresAt)}</td>
                <td class="kern-table__cell">
                  {tok.lastUsedAt ? date(ctx.lang, tok.lastUsedAt) : t('tokens.neverUsed')}
                </td>
                <td class="kern-table__cell">
                  <StatusBadge ctx={ctx} status={status} />
                </td>
                <td class="kern-table__cell">
                  {status === 'active' ? (
                    <form method="post" action={`/konto/tokens/${tok.id}/widerrufen`} class="inline-form">
                      <CsrfField ctx={ctx} />
                      <button
                        class="kern-btn kern-btn--secondary"
                        type="submit"
                        aria-label={t('tokens.revokeLabel', { name: tok.name })}
                      >
                        <span class="kern-label">{t('tokens.revoke')}</span>
                      </button>
                    </form>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function TokensPage(props: {
  ctx: PageContext;
  catalogue: tokens.ScopeCatalogue;
  list: tokens.ApiTokenRow[];
  now: Date;
  form: FormValues;
  errors: readonly ShownFieldError[];
  notice: string | null;
}) {
  const { ctx, errors, form } = props;
  const { t } = ctx;
  const title = t('tokens.title');
  return (
    <Layout ctx={ctx} title={errors.length ? `${t('error.title')}: ${title}` : title} breadcrumb={breadcrumb(ctx)}>
      <h1 class="kern-heading-large">{title}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{props.notice}</p>
          </div>
        </div>
      ) : null}
      <p>{t('tokens.lead')}</p>
      <p>
        <a href="/api/docs">{t('tokens.apiDocs')}</a>
      </p>
      <h2 class="kern-heading-medium" id="token-list">
        {t('tokens.listTitle')}
      </h2>
      {props.list.length ? <TokenTable ctx={ctx} list={props.list} now={props.now} /> : <p>{t('tokens.empty')}</p>}
      <h2 class="kern-heading-medium" id="token-create">
        {t('tokens.createTitle')}
      </h2>
      <div class="form-narrow">
        <form method="post" action="/konto/tokens" novalidate aria-labelledby="token-create">
          <CsrfField ctx={ctx} />
          <Field id="name" label={t('tokens.name')} hint={t('tokens.nameHint')} value={form.name} errors={errors} />
          <ScopesFieldset ctx={ctx} catalogue={props.catalogue} selected={form.scopes} errors={errors} />
          <DaysField ctx={ctx} value={form.expiryDays} errors={errors} />
          <SubmitButton label={t('tokens.createSubmit')} />
        </form>
      </div>
    </Layout>
  );
}

function CreatedPage({
  ctx,
  catalogue,
  token,
  row,
}: {
  ctx: PageContext;
  catalogue: tokens.ScopeCatalogue;
  token: string;
  row: tokens.ApiTokenRow;
}) {
  const { t } = ctx;
  const title = t('tokens.createdTitle');
  return (
    <Layout ctx={ctx} title={title} breadcrumb={breadcrumb(ctx, title)}>
      <h1 class="kern-heading-large">{title}</h1>
      <div class="kern-alert kern-alert--warning">
        <div class="kern-alert__header">
          <h2 class="kern-title">{t('tokens.onceTitle')}</h2>
        </div>
        <div class="kern-alert__body">
          <p>{t('tokens.onceText')}</p>
        </div>
      </div>
      <div class="form-narrow">
        <div class="kern-form-input">
          <label class="kern-label" for="token">
            {t('tokens.secret')}
          </label>
          <input
            class="kern-form-input__input"
            type="text"
            id="token"
            value={token}
            readonly
            autocomplete="off"
            spellcheck={false}
          />
        </div>
      </div>
      <dl class="facts">
        <dt>{t('tokens.colName')}</dt>
        <dd>{row.name}</dd>
        <dt>{t('tokens.colScopes')}</dt>
        <dd>{row.scopes.map((s) => scopeLabel(ctx, catalogue, s)).join('; ')}</dd>
        <dt>{t('tokens.colExpires')}</dt>
        <dd>{date(ctx.lang, row.expiresAt)}</dd>
      </dl>
      <p>{t('tokens.usage')}</p>
      <pre class="mail-text">
        <code>{`Authorization: Bearer ${token}`}</code>
      </pre>
      <p>
        <a href="/konto/tokens">{t('tokens.back')}</a>
      </p>
    </Layout>
  );
}

function formValues(body: { name?: unknown; scopes?: unknown; expiryDays?: unknown }): FormValues {
  const raw = Array.isArray(body.scopes) ? body.scopes : [body.scopes];
  return {
    name: typeof body.name === 'string' ? body.name.slice(0, 500) : '',
    scopes: raw.filter((s): s is string => typeof s === 'string'),
    expiryDays: typeof body.expiryDays === 'string' ? body.expiryDays.slice(0, 20) : '',
  };
}

const TokenBody = Form({
  name: OptionalText(500),
  scopes: Type.Optional(
    Type.Union([Type.String({ maxLength: 100 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })]),
  ),
  expiryDays: OptionalText(20),
});

export const apiTokenPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const catalogue = tokens.scopeCatalogue(d.modules);
    const deps: tokens.ApiTokenDeps = { db: d.db, now: d.clock };
    const now = d.clock;
    const user = { config: { access: 'user' as const } };

    const listPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      opts: { form?: FormValues; errors?: ShownFieldError[]; notice?: string | null; status?: number } = {},
    ) => {
      const ctx = pageContext(request);
      const list = await tokens.listApiTokens(deps, request.auth!.user.id);
      const page = (
        <TokensPage
          ctx={ctx}
          catalogue={catalogue}
          list={list}
          now={now()}
          form={opts.form ?? EMPTY_FORM}
          errors={opts.errors ?? []}
          notice={opts.notice ?? null}
        />
      );
      return sendHtml(reply, renderPage(page), opts.status ?? 200);
    };

    app.get(
      '/konto/tokens',
      { ...user, schema: { querystring: Query({ widerrufen: OptionalText(5) }) } },
      async (request, reply) => {
        const revoked = request.query.widerrufen === '1';
        return listPage(request, reply, { notice: revoked ? pageContext(request).t('tokens.revoked') : null });
      },
    );

    app.post('/konto/tokens', { ...user, schema: { body: TokenBody } }, async (request, reply) => {
      const ctx = pageContext(request);
      const body = request.body;
      const form = formValues(body);
      const userId = request.auth!.user.id;
      const limited = await d.limits.hit([
        [TOKEN_LIMITS.createIp, request.ip],
        [TOKEN_LIMITS.createAccount, String(userId)],
      ]);
      if (!limited.ok) {
        reply.header('retry-after', String(limited.retryAfterS));
        const errors = [{ field: 'name', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }];
        return listPage(request, reply, { form, errors, status: 429 });
      }
      let input: tokens.TokenInput;
      try {
        input = tokens.parseTokenInput(
          { name: body.name, scopes: body.scopes, expiryDays: body.expiryDays },
          catalogue,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return listPage(request, reply, { form, errors: localFieldErrors(request, err.fieldErrors), status: 400 });
      }
      const { token, row } = await tokens.createApiToken(deps, userId, input);
      // The token is in this answer only: nobody (no cache, no back button) may keep a copy.
      return reply
        .code(201)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(renderPage(<CreatedPage ctx={ctx} catalogue={catalogue} token={token} row={row} />));
    });

    app.post(
      '/konto/tokens/:id/widerrufen',
      { ...user, schema: { params: Type.Object({ id: Type.String({ maxLength: 40 }) }) } },
      async (request, reply) => {
        const id = request.params.id;
        const ok = /^[1-9]\d{0,15}$/.test(id) && (await tokens.revokeApiToken(deps, request.auth!.user.id, Number(id)));
        if (!ok) throw new NotFoundError(text('tokens.notFound'));
        return reply.redirect('/konto/tokens?widerrufen=1', 303);
      },
    );
  };
