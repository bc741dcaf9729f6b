import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import { AppError, type FieldError } from '../platform/errors.js';
import { clearSessionCookie, setSessionCookie } from '../platform/http/auth.js';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Field, SubmitButton, safeNext, str } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { hitAll, RateLimiter } from '../platform/http/rate-limit.js';
import * as identity from './identity.service.js';

/**
 * Limits of the sensitive forms (ASVS V2.2): per client IP and per account. Login: 10 attempts per
 * account and 30 per IP in 15 minutes; sign-up: 10 per IP and hour; reset: 5 per address, 20 per IP and hour.
 */
export function createLimits() {
  return {
    loginIp: new RateLimiter(30, 15 * 60_000),
    loginAccount: new RateLimiter(10, 15 * 60_000),
    signupIp: new RateLimiter(10, 3600_000),
    resetIp: new RateLimiter(20, 3600_000),
    resetAccount: new RateLimiter(5, 3600_000),
  };
}

type Body = Record<string, unknown>;

function Page(props: { ctx: PageContext; title: string; errors?: FieldError[]; children: ComponentChildren }) {
  return (
    <Layout
      ctx={props.ctx}
      title={props.errors?.length ? `${props.ctx.t('error.title')}: ${props.title}` : props.title}
    >
      <div class="form-narrow">
        <h1 class="kern-heading-large">{props.title}</h1>
        <ErrorSummary ctx={props.ctx} errors={props.errors ?? []} />
        {props.children}
      </div>
    </Layout>
  );
}

function Message({
  ctx,
  title,
  text,
  link,
}: {
  ctx: PageContext;
  title: string;
  text: string;
  link?: [string, string];
}) {
  return (
    <Page ctx={ctx} title={title}>
      <p>{text}</p>
      {link ? (
        <p>
          <a href={link[0]}>{link[1]}</a>
        </p>
      ) : null}
    </Page>
  );
}

/** A new password with the policy as hint (sign-up, reset, change). */
function NewPasswordField({ ctx, label, errors }: { ctx: PageContext; label: string; errors: FieldError[] }) {
  return (
    <Field
      id="password"
      type="password"
      label={label}
      hint={ctx.t('auth.passwordHint')}
      autocomplete="new-password"
      errors={errors}
    />
  );
}

function LoginPage({
  ctx,
  email,
  next,
  errors,
  oidcName,
}: {
  ctx: PageContext;
  email: string;
  next: string;
  errors: FieldError[];
  /** Label of the single sign-on provider; null when OIDC is not configured. */
  oidcName: string | null;
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.loginTitle')} errors={errors}>
      <form method="post" action="/anmelden" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="weiter" value={next} />
        <Field id="email" type="email" label={t('auth.email')} value={email} autocomplete="username" errors={errors} />
        <Field
          id="password"
          type="password"
          label={t('auth.password')}
          autocomplete="current-password"
          errors={errors}
        />
        <SubmitButton label={t('auth.loginSubmit')} />
      </form>
      {oidcName ? (
        <p>
          <a class="kern-btn kern-btn--secondary" href={`/anmelden/oidc?weiter=${encodeURIComponent(next)}`}>
            <span class="kern-label">{t('auth.oidcLogin', { name: oidcName })}</span>
          </a>
        </p>
      ) : null}
      <p>
        <a href="/passwort-vergessen">{t('auth.forgot')}</a>
      </p>
      <p>
        <a href="/registrieren">{t('auth.noAccount')}</a>
      </p>
    </Page>
  );
}

function SignupPage({ ctx, email, errors }: { ctx: PageContext; email: string; errors: FieldError[] }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.signupTitle')} errors={errors}>
      <p>{t('auth.signupLead')}</p>
      <form method="post" action="/registrieren" novalidate>
        <CsrfField ctx={ctx} />
        <Field id="email" type="email" label={t('auth.email')} value={email} autocomplete="email" errors={errors} />
        <NewPasswordField ctx={ctx} label={t('auth.password')} errors={errors} />
        <SubmitButton label={t('auth.signupSubmit')} />
      </form>
    </Page>
  );
}

function ForgotPage({ ctx, email, errors }: { ctx: PageContext; email: string; errors: FieldError[] }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.forgotTitle')} errors={errors}>
      <p>{t('auth.forgotLead')}</p>
      <form method="post" action="/passwort-vergessen" novalidate>
        <CsrfField ctx={ctx} />
        <Field id="email" type="email" label={t('auth.email')} value={email} autocomplete="email" errors={errors} />
        <SubmitButton label={t('auth.forgotSubmit')} />
      </form>
    </Page>
  );
}

function ResetPage({ ctx, token, errors }: { ctx: PageContext; token: string; errors: FieldError[] }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.resetTitle')} errors={errors}>
      <form method="post" action="/passwort-neu" novalidate>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <NewPasswordField ctx={ctx} label={t('auth.newPassword')} errors={errors} />
        <SubmitButton label={t('auth.resetSubmit')} />
      </form>
    </Page>
  );
}

function LinkLoginPage({ ctx, token }: { ctx: PageContext; token: string }) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.linkLoginTitle')}>
      <p>{t('auth.linkLoginLead')}</p>
      <form method="post" action="/anmelden/link">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <SubmitButton label={t('auth.linkLoginSubmit')} />
      </form>
    </Page>
  );
}

function AccountPage(props: {
  ctx: PageContext;
  user: identity.UserRow;
  sessions: number;
  errors: FieldError[];
  notice: string | null;
}) {
  const { ctx, user, errors } = props;
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('account.title')} errors={errors}>
      {props.notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{props.notice}</p>
          </div>
        </div>
      ) : null}
      <dl class="facts">
        <dt>{t('account.email')}</dt>
        <dd>
          {user.email} {user.emailVerifiedAt ? `(${t('account.verified')})` : ''}
        </dd>
        {user.isPlatformAdmin ? (
          <>
            <dt>{t('account.role')}</dt>
            <dd>{t('account.platformAdmin')}</dd>
          </>
        ) : null}
        <dt>{t('account.sessions')}</dt>
        <dd>{props.sessions}</dd>
      </dl>
      <h2 class="kern-heading-medium">{user.passwordHash ? t('account.changePassword') : t('account.setPassword')}</h2>
      <form method="post" action="/konto/passwort" novalidate>
        <CsrfField ctx={ctx} />
        {user.passwordHash ? (
          <Field
            id="current"
            type="password"
            label={t('auth.currentPassword')}
            autocomplete="current-password"
            errors={errors}
          />
        ) : null}
        <NewPasswordField ctx={ctx} label={t('auth.newPassword')} errors={errors} />
        <SubmitButton label={t('auth.resetSubmit')} />
      </form>
      <ul>
        <li>
          <a href="/organisationen">{t('org.title')}</a>
        </li>
        <li>
          <a href="/konto/tokens">{t('tokens.title')}</a>
        </li>
        <li>
          <a href="/konto/daten">{t('privacy.exportLink')}</a>
        </li>
        <li>
          <a href="/konto/loeschen">{t('privacy.deleteTitle')}</a>
        </li>
      </ul>
      <h2 class="kern-heading-medium">{t('account.logoutEverywhere')}</h2>
      <p>{t('account.logoutEverywhereHint')}</p>
      <form method="post" action="/konto/abmelden-ueberall">
        <CsrfField ctx={ctx} />
        <SubmitButton label={t('account.logoutEverywhere')} secondary />
      </form>
    </Page>
  );
}

function clientIp(request: FastifyRequest) {
  return request.ip;
}

function tooMany(reply: FastifyReply, retryAfterS: number) {
  reply.header('retry-after', String(retryAfterS));
}

export interface IdentityPageDeps {
  db: Db;
  config: Config;
  mailer: identity.MailSender;
  limits?: ReturnType<typeof createLimits>;
}

export function identityDeps(d: IdentityPageDeps, request?: FastifyRequest): identity.IdentityDeps {
  const baseUrl = d.config.baseUrl ?? (request ? `${request.protocol}://${request.host}` : 'http://localhost:3000');
  if (!request) return { db: d.db, mailer: d.mailer, baseUrl };
  return {
    db: d.db,
    mailer: d.mailer,
    baseUrl,
    audit: { requestId: String(request.id), actorUserId: request.auth?.user.id ?? null },
  };
}

export const identityPages =
  (d: IdentityPageDeps): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const limits = d.limits ?? createLimits();
    const deps = (request: FastifyRequest) => identityDeps(d, request);
    const pub = { config: { access: 'public' as const } };
    const user = { config: { access: 'user' as const } };
    const oidcName = d.config.oidc?.name ?? null;

    app.get('/anmelden', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const next = safeNext((request.query as Body).weiter, '/konto');
      return sendHtml(reply, renderPage(<LoginPage ctx={ctx} email="" next={next} errors={[]} oidcName={oidcName} />));
    });

    app.post('/anmelden', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const body = request.body as Body;
      const email = str(body.email).trim().slice(0, 254);
      const next = safeNext(body.weiter, '/konto');
      const render = (errors: FieldError[], status: number) =>
        sendHtml(
          reply,
          renderPage(<LoginPage ctx={ctx} email={email} next={next} errors={errors} oidcName={oidcName} />),
          status,
        );
      const limited = hitAll([
        [limits.loginIp, clientIp(request)],
        [limits.loginAccount, email ? email.toLowerCase() : null],
      ]);
      if (!limited.ok) {
        tooMany(reply, limited.retryAfterS);
        return render([{ field: 'email', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }], 429);
      }
      const result = await identity.checkCredentials(deps(request), email, str(body.password));
      if (!result.ok) {
        const message = result.reason === 'unverified' ? ctx.t('auth.unverified') : ctx.t('auth.loginFailed');
        return render([{ field: 'email', message }], 401);
      }
      if (request.auth) await identity.endSession(deps(request), request.auth.idHash);
      const session = await identity.createSession(deps(request), result.user.id);
      setSessionCookie(reply, request, session.token);
      limits.loginAccount.reset(email.toLowerCase());
      return reply.redirect(next, 303);
    });

    app.get('/anmelden/link', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const token = str((request.query as Body).token);
      if (!token || !(await identity.loginLinkValid(deps(request), token))) {
        return sendHtml(
          reply,
          renderPage(<Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />),
          410,
        );
      }
      return sendHtml(reply, renderPage(<LinkLoginPage ctx={ctx} token={token} />));
    });

    app.post('/anmelden/link', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const userId = await identity.useLoginLink(deps(request), str((request.body as Body).token));
      if (userId === null) {
        return sendHtml(
          reply,
          renderPage(<Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />),
          410,
        );
      }
      if (request.auth) await identity.endSession(deps(request), request.auth.idHash);
      const session = await identity.createSession(deps(request), userId);
      setSessionCookie(reply, request, session.token);
      return reply.redirect('/konto', 303);
    });

    app.post('/abmelden', user, async (request, reply) => {
      await identity.endSession(deps(request), request.auth!.idHash);
      clearSessionCookie(reply, request);
      return reply.redirect('/', 303);
    });

    app.get('/registrieren', pub, async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(reply, renderPage(<SignupPage ctx={ctx} email="" errors={[]} />));
    });

    app.post('/registrieren', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const body = request.body as Body;
      const email = str(body.email).trim().slice(0, 254);
      const limited = limits.signupIp.hit(clientIp(request));
      if (!limited.ok) {
        tooMany(reply, limited.retryAfterS);
        const errors = [{ field: 'email', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }];
        return sendHtml(reply, renderPage(<SignupPage ctx={ctx} email={email} errors={errors} />), 429);
      }
      try {
        await identity.signUp(deps(request), { email, password: str(body.password), lang: ctx.lang });
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return sendHtml(reply, renderPage(<SignupPage ctx={ctx} email={email} errors={err.fieldErrors} />), 400);
      }
      return reply.redirect('/registrieren/danke', 303);
    });

    app.get('/registrieren/danke', pub, async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(
        reply,
        renderPage(<Message ctx={ctx} title={ctx.t('auth.signupDoneTitle')} text={ctx.t('auth.signupDone')} />),
      );
    });

    app.get('/konto/bestaetigen', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const token = str((request.query as Body).token);
      const userId = token ? await identity.verifyEmail(deps(request), token) : null;
      if (userId === null) {
        return sendHtml(
          reply,
          renderPage(<Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />),
          410,
        );
      }
      return sendHtml(
        reply,
        renderPage(
          <Message
            ctx={ctx}
            title={ctx.t('auth.verifiedTitle')}
            text={ctx.t('auth.verified')}
            link={['/anmelden', ctx.t('auth.loginSubmit')]}
          />,
        ),
      );
    });

    app.get('/passwort-vergessen', pub, async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(reply, renderPage(<ForgotPage ctx={ctx} email="" errors={[]} />));
    });

    app.post('/passwort-vergessen', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const email = str((request.body as Body).email)
        .trim()
        .slice(0, 254);
      const limited = hitAll([
        [limits.resetIp, clientIp(request)],
        [limits.resetAccount, email ? email.toLowerCase() : null],
      ]);
      if (!limited.ok) {
        tooMany(reply, limited.retryAfterS);
        const errors = [{ field: 'email', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }];
        return sendHtml(reply, renderPage(<ForgotPage ctx={ctx} email={email} errors={errors} />), 429);
      }
      await identity.requestPasswordReset(deps(request), email, ctx.lang);
      return sendHtml(
        reply,
        renderPage(<Message ctx={ctx} title={ctx.t('auth.forgotTitle')} text={ctx.t('auth.forgotDone')} />),
      );
    });

    app.get('/passwort-neu', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const token = str((request.query as Body).token);
      if (!token || !(await identity.resetLinkValid(deps(request), token))) {
        return sendHtml(
          reply,
          renderPage(<Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />),
          410,
        );
      }
      return sendHtml(reply, renderPage(<ResetPage ctx={ctx} token={token} errors={[]} />));
    });

    app.post('/passwort-neu', pub, async (request, reply) => {
      const ctx = pageContext(request);
      const body = request.body as Body;
      const token = str(body.token);
      try {
        const ok = await identity.resetPassword(deps(request), token, str(body.password), ctx.lang);
        if (!ok) {
          return sendHtml(
            reply,
            renderPage(<Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />),
            410,
          );
        }
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return sendHtml(reply, renderPage(<ResetPage ctx={ctx} token={token} errors={err.fieldErrors} />), 400);
      }
      if (request.auth) clearSessionCookie(reply, request);
      return sendHtml(
        reply,
        renderPage(
          <Message
            ctx={ctx}
            title={ctx.t('auth.resetTitle')}
            text={ctx.t('auth.resetDone')}
            link={['/anmelden', ctx.t('auth.loginSubmit')]}
          />,
        ),
      );
    });

    const account = async (
      request: FastifyRequest,
      reply: FastifyReply,
      errors: FieldError[],
      notice: string | null,
    ) => {
      const ctx = pageContext(request);
      const u = request.auth!.user;
      const sessions = await identity.sessionCount(deps(request), u.id);
      return sendHtml(
        reply,
        renderPage(<AccountPage ctx={ctx} user={u} sessions={sessions} errors={errors} notice={notice} />),
        errors.length ? 400 : 200,
      );
    };

    app.get('/konto', user, async (request, reply) => {
      const changed = (request.query as Body).geaendert === '1';
      return account(request, reply, [], changed ? pageContext(request).t('account.passwordChanged') : null);
    });

    app.post('/konto/passwort', user, async (request, reply) => {
      const ctx = pageContext(request);
      const body = request.body as Body;
      try {
        await identity.changePassword(deps(request), request.auth!, str(body.current), str(body.password), ctx.lang);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return account(request, reply, err.fieldErrors, null);
      }
      return reply.redirect('/konto?geaendert=1', 303);
    });

    app.post('/konto/abmelden-ueberall', user, async (request, reply) => {
      await identity.endAllSessions(deps(request), request.auth!.user.id);
      clearSessionCookie(reply, request);
      return reply.redirect('/anmelden', 303);
    });
  };
