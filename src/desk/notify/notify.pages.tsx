/**
 * Pages of notifications: the signed-in person's settings (`/beratung/benachrichtigungen`: a choice per kind, and
 * making all earlier unsubscribe links invalid) and the unsubscribe page of a mail's link (`/abmelden/{token}`),
 * public: the GET only shows what would be unsubscribed, the POST (a button, CSRF as every form) does it.
 */
import { Type } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ShownFieldError } from '../../platform/errors.js';
import { pageContext, sendHtml } from '../../platform/http/context.js';
import { Form, formRoute, OptionalText, Query, Radio, SubmitButton } from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, type PageContext, renderPage } from '../../platform/http/layout.js';
import type { ModuleDeps } from '../../platform/module.js';
import { DELIVERIES, NOTIFY_KINDS, type NotifyKind } from '../contract.js';
import { actorOf, deskPage } from '../pages.js';
import type { Preferences } from './model.js';
import * as svc from './notify.service.js';
import { TOKEN_PATTERN } from './token.js';

const Page = deskPage(null);

const NOTICES = { gespeichert: 'desk.notify.saved', ungueltig: 'desk.notify.invalidated' } as const;
const TokenParams = Type.Object({ token: Type.String({ pattern: TOKEN_PATTERN }) });

function SettingsPage(props: {
  ctx: PageContext;
  values: Partial<Record<NotifyKind, string>>;
  version: number;
  notice: string | null;
  errors: readonly ShownFieldError[];
}) {
  const { ctx, values, errors } = props;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('desk.notify.title')} notice={props.notice}>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{t('desk.notify.lead')}</p>
      <form method="post" action={svc.NOTIFY_PATH} class="form-narrow">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="version" value={String(props.version)} />
        {NOTIFY_KINDS.map((kind) => {
          const error = errors.find((e) => e.field === kind);
          return (
            <fieldset
              key={kind}
              class={`kern-fieldset${error ? ' kern-form-input--error' : ''}`}
              aria-describedby={error ? `${kind}-error` : undefined}
            >
              <legend class="kern-label">{t(`desk.notify.kind.${kind}`)}</legend>
              {error ? (
                <p class="kern-error" id={`${kind}-error`}>
                  {error.message}
                </p>
              ) : null}
              {DELIVERIES.map((delivery, i) => (
                <Radio
                  key={delivery}
                  name={kind}
                  // The first option carries the kind's id: the error summary links to it.
                  id={i === 0 ? kind : `${kind}-${delivery}`}
                  value={delivery}
                  current={values[kind]}
                  label={t(`desk.notify.delivery.${delivery}`)}
                />
              ))}
            </fieldset>
          );
        })}
        <SubmitButton label={t('desk.notify.save')} />
      </form>
      <section aria-labelledby="links">
        <h2 class="kern-heading-medium" id="links">
          {t('desk.notify.links')}
        </h2>
        <p>{t('desk.notify.linksLead')}</p>
        <form method="post" action={`${svc.NOTIFY_PATH}/links`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('desk.notify.invalidate')} secondary />
        </form>
      </section>
    </Page>
  );
}

function UnsubscribePage(props: { ctx: PageContext; token: string; view: svc.UnsubscribeView; done: boolean }) {
  const { ctx, view } = props;
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.notify.unsubscribeTitle')}
      notice={props.done ? t('desk.notify.unsubscribed') : null}
    >
      {props.done ? null : (
        <>
          <p>{view.scope === 'all' ? t('desk.notify.unsubscribeAllLead') : t('desk.notify.unsubscribeLead')}</p>
          <ul>
            {view.kinds.map((k) => (
              <li key={k}>{t(`desk.notify.kind.${k}`)}</li>
            ))}
          </ul>
          {view.done ? (
            <p>{t('desk.notify.unsubscribeAlready')}</p>
          ) : (
            <form method="post" action={`${svc.UNSUBSCRIBE_PATH}/${props.token}`}>
              <CsrfField ctx={ctx} />
              <SubmitButton label={t('desk.notify.unsubscribeConfirm')} />
            </form>
          )}
        </>
      )}
      <p>
        <a href={svc.NOTIFY_PATH}>{t('desk.notify.unsubscribeSettings')}</a>
      </p>
    </Page>
  );
}

function InvalidLinkPage({ ctx }: { ctx: PageContext }) {
  return (
    <Page ctx={ctx} title={ctx.t('desk.notify.unsubscribeInvalid')}>
      <p>{ctx.t('desk.notify.unsubscribeInvalidLead')}</p>
      <p>
        <a href={svc.NOTIFY_PATH}>{ctx.t('desk.notify.unsubscribeSettings')}</a>
      </p>
    </Page>
  );
}

/** The token is a secret of the link: never sent on as a referrer, never indexed. */
function privateLink(reply: FastifyReply) {
  reply.header('referrer-policy', 'no-referrer').header('x-robots-tag', 'noindex, nofollow');
}

export const notifyPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };
    const hinweis = (request: FastifyRequest) => (request.query as { hinweis?: string } | undefined)?.hinweis;

    const settingsPage = async (
      request: FastifyRequest,
      errors: ShownFieldError[] = [],
      typed: Record<string, string> | null = null,
    ) => {
      const ctx = pageContext(request);
      const v = await svc.settings(d.db, actorOf(request));
      const key = hinweis(request) as keyof typeof NOTICES | undefined;
      const values: Partial<Preferences> | Record<string, string> = typed
        ? Object.fromEntries(NOTIFY_KINDS.map((k) => [k, typed[k] ?? '']))
        : v.preferences;
      return (
        <SettingsPage
          ctx={ctx}
          values={values as Partial<Record<NotifyKind, string>>}
          // After a conflict the form shows the current version: saving again overwrites knowingly.
          version={v.version}
          notice={key && key in NOTICES && !typed ? ctx.t(NOTICES[key]) : null}
          errors={errors}
        />
      );
    };

    app.get(
      svc.NOTIFY_PATH,
      { ...user, schema: { querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => sendHtml(reply, renderPage(await settingsPage(request))),
    );
    formRoute(app, {
      url: svc.NOTIFY_PATH,
      access: 'user',
      body: Form({
        version: OptionalText(12),
        ...Object.fromEntries(NOTIFY_KINDS.map((k) => [k, OptionalText(20)])),
      }),
      render: (request, input, errors) => settingsPage(request, errors, input as Record<string, string>),
      handle: async (request, input) => {
        const form = input as Record<string, string | undefined>;
        const version = /^\d{1,9}$/.test(form.version ?? '') ? Number(form.version) : -1;
        await svc.saveSettings({ db: d.db, now: d.clock }, actorOf(request), form, version);
        return { redirect: `${svc.NOTIFY_PATH}?hinweis=gespeichert` };
      },
    });
    app.post(`${svc.NOTIFY_PATH}/links`, user, async (request, reply) => {
      await svc.invalidateLinks(d.db, actorOf(request));
      return reply.redirect(`${svc.NOTIFY_PATH}?hinweis=ungueltig`, 303);
    });

    // ---- unsubscribing by the link of a mail: no sign-in needed; GET never changes anything (mail scanners).
    const Params = { params: TokenParams, querystring: Query({ hinweis: OptionalText(40) }) };
    app.get<{ Params: { token: string }; Querystring: { hinweis?: string } }>(
      `${svc.UNSUBSCRIBE_PATH}/:token`,
      { ...pub, schema: Params },
      async (request, reply) => {
        privateLink(reply);
        const ctx = pageContext(request);
        const view = await svc.checkUnsubscribe(d.db, request.params.token);
        if (!view) return sendHtml(reply, renderPage(<InvalidLinkPage ctx={ctx} />), 404);
        const done = request.query.hinweis === 'abgemeldet' && view.done;
        return sendHtml(
          reply,
          renderPage(<UnsubscribePage ctx={ctx} token={request.params.token} view={view} done={done} />),
        );
      },
    );
    app.post<{ Params: { token: string } }>(
      `${svc.UNSUBSCRIBE_PATH}/:token`,
      { ...pub, schema: { params: TokenParams } },
      async (request, reply) => {
        privateLink(reply);
        if (!(await svc.unsubscribe({ db: d.db, now: d.clock }, request.params.token))) {
          return sendHtml(reply, renderPage(<InvalidLinkPage ctx={pageContext(request)} />), 404);
        }
        return reply.redirect(`${svc.UNSUBSCRIBE_PATH}/${request.params.token}?hinweis=abgemeldet`, 303);
      },
    );
  };
