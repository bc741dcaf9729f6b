import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { ShownFieldError } from '../platform/errors.js';
import { clearSessionCookie, cookieOptions, setSessionCookie } from '../platform/http/auth.js';
import { pageContext, requestLang, sendHtml } from '../platform/http/context.js';
import { Field, Form, formRoute, OptionalText, Query, SubmitButton, safeNext } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import type { ModuleDeps } from '../platform/module.js';
import type { Limit } from '../platform/ratelimit/rate-limit.js';
import * as identity from './identity.service.js';

/**
 * Limits of the sensitive forms (ASVS V2.2), shared by all instances (rate_limit_windows). Login: 30 attempts
 * per client address and 10 per account and address in 15 minutes; beyond 50 attempts on one account in 15
 * minutes (someone guessing from many addresses), password logins to it succeed only from a device it signed in
 * on before — the attacker slows down, the owner is not locked out (and can always reset the password by mail).
 * Sign-up: 10 per address and hour; reset: 5 per e-mail address and 20 per client address and hour.
 */
export const LIMITS = {
  loginIp: { name: 'login-ip', max: 30, windowMs: 15 * 60_000 },
  loginAccountSource: { name: 'login-account-ip', max: 10, windowMs: 15 * 60_000 },
  loginAccount: { name: 'login-account', max: 50, windowMs: 15 * 60_000 },
  signupIp: { name: 'signup-ip', max: 10, windowMs: 3600_000 },
  resetIp: { name: 'reset-ip', max: 20, windowMs: 3600_000 },
  resetAccount: { name: 'reset-account', max: 5, windowMs: 3600_000 },
} as const satisfies Record<string, Limit>;

export const DEVICE_COOKIE = 'kl_device';

function Page(props: {
  ctx: PageContext;
  title: string;
  errors?: readonly ShownFieldError[];
  children: ComponentChildren;
}) {
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
function NewPasswordField({
  ctx,
  label,
  errors,
}: {
  ctx: PageContext;
  label: string;
  errors: readonly ShownFieldError[];
}) {
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
  errors: readonly ShownFieldError[];
  /** Label of the single sign-on provider; null when OIDC is not configured. */
  oidcName: string | null;
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.loginTitle')} errors={errors}>
      <form method="post" action="/anmelden" novalidate>
        <CsrfField ctx={ctx} />
        {next ? <input type="hidden" name="weiter" value={next} /> : null}
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
          <a
            class="kern-btn kern-btn--secondary"
            href={next ? `/anmelden/oidc?weiter=${encodeURIComponent(next)}` : '/anmelden/oidc'}
          >
            <span class="kern-label">{t('auth.oidcLogin', { name: oidcName })}</span>
          </a>
        </p>
      ) : null}
      <p>
        <a href="/passwort-vergessen">{t('auth.forgot')}</a>
      </p>
      <p>
        <a href={next ? `/registrieren?weiter=${encodeURIComponent(next)}` : '/registrieren'}>{t('auth.noAccount')}</a>
      </p>
    </Page>
  );
}

function SignupPage({
  ctx,
  email,
  next,
  errors,
}: {
  ctx: PageContext;
  email: string;
  /** Where the person wanted to go (kept through sign-up and verification); '' for none. */
  next: string;
  errors: readonly ShownFieldError[];
}) {
  const { t } = ctx;
  return (
    <Page ctx={ctx} title={t('auth.signupTitle')} errors={errors}>
      <p>{t('auth.signupLead')}</p>
      <form method="post" action="/registrieren" novalidate>
        <CsrfField ctx={ctx} />
        {next ? <input type="hidden" name="weiter" value={next} /> : null}
        <Field id="email" type="email" label={t('auth.email')} value={email} autocomplete="email" errors={errors} />
        <NewPasswordField ctx={ctx} label={t('auth.password')} errors={errors} />
        <SubmitButton label={t('auth.signupSubmit')} />
      </form>
    </Page>
  );
}

function ForgotPage({ ctx, email, errors }: { ctx: PageContext; email: string; errors: readonly ShownFieldError[] }) {
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

function ResetPage({ ctx, token, errors }: { ctx: PageContext; token: string; errors: readonly ShownFieldError[] }) {
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
  user: { email: string; emailVerified: boolean; isPlatformAdmin: boolean; hasPassword: boolean };
  sessions: number;
  errors: readonly ShownFieldError[];
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
          {user.email} {user.emailVerified ? `(${t('account.verified')})` : ''}
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
      <h2 class="kern-heading-medium">{user.hasPassword ? t('account.changePassword') : t('account.setPassword')}</h2>
      <form method="post" action="/konto/passwort" novalidate>
        <CsrfField ctx={ctx} />
        {user.hasPassword ? (
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

function tooMany(reply: FastifyReply, retryAfterS: number) {
  reply.header('retry-after', String(retryAfterS));
}

/** The identity use cases' dependencies for one request: mail texts in the person's language, audit context. */
export function identityDeps(d: ModuleDeps, request?: FastifyRequest): identity.IdentityDeps {
  const lang = request ? requestLang(request) : 'de';
  return {
    db: d.db,
    mailer: d.mailer,
    publicUrl: d.config.publicUrl,
    t: d.i18n.translator(lang),
    now: d.clock,
    ...(request ? { audit: { requestId: String(request.id), actorUserId: request.auth?.user.id ?? null } } : {}),
  };
}

const LoginForm = Form({ email: OptionalText(1000), password: OptionalText(1000), weiter: OptionalText(2000) });
const SignupForm = Form({ email: OptionalText(1000), password: OptionalText(1000), weiter: OptionalText(2000) });
const EmailForm = Form({ email: OptionalText(1000) });
const ResetForm = Form({ token: OptionalText(200), password: OptionalText(1000) });
const TokenForm = Form({ token: OptionalText(200) });
const PasswordChangeForm = Form({ current: OptionalText(1000), password: OptionalText(1000) });
const NextQuery = Query({ weiter: OptionalText(2000) });
const TokenQuery = Query({ token: OptionalText(200) });
const VerifyQuery = Query({ token: OptionalText(200), weiter: OptionalText(2000) });

/** Where a person goes after signing in without a return target: the first module's landing, else /konto. */
export async function landingFor(d: ModuleDeps, userId: number): Promise<string> {
  for (const m of d.modules) {
    const to = await m.landing?.(d, userId);
    if (to) return safeNext(to, '/konto');
  }
  return '/konto';
}

export const identityPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const deps = (request: FastifyRequest) => identityDeps(d, request);
    const pub = { config: { access: 'public' as const } };
    const user = { config: { access: 'user' as const } };
    const oidcName = d.config.oidc?.name ?? null;
    const linkInvalid = (request: FastifyRequest, reply: FastifyReply) => {
      const ctx = pageContext(request);
      return sendHtml(
        reply,
        renderPage(<Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />),
        410,
      );
    };
    /** Sign in: a fresh session (no fixation), and the browser remembered as a known device of the account. */
    const signIn = async (request: FastifyRequest, reply: FastifyReply, userId: number) => {
      if (request.auth) await identity.endSession(deps(request), request.auth.idHash);
      const session = await identity.createSession(deps(request), userId);
      setSessionCookie(reply, request, session.token);
      const device = await identity.rememberDevice(deps(request), userId);
      reply.setCookie(DEVICE_COOKIE, device, { ...cookieOptions(request), maxAge: identity.DEVICE_TTL_MS / 1000 });
    };

    app.get('/anmelden', { ...pub, schema: { querystring: NextQuery } }, async (request, reply) => {
      const ctx = pageContext(request);
      const next = safeNext(request.query.weiter, '');
      return sendHtml(reply, renderPage(<LoginPage ctx={ctx} email="" next={next} errors={[]} oidcName={oidcName} />));
    });

    app.post('/anmelden', { ...pub, schema: { body: LoginForm } }, async (request, reply) => {
      const ctx = pageContext(request);
      const email = (request.body.email ?? '').trim().slice(0, 254);
      const next = safeNext(request.body.weiter, '');
      const render = (errors: ShownFieldError[], status: number) =>
        sendHtml(
          reply,
          renderPage(<LoginPage ctx={ctx} email={email} next={next} errors={errors} oidcName={oidcName} />),
          status,
        );
      const account = email ? email.toLowerCase() : null;
      const limited = await d.limits.hit([
        [LIMITS.loginIp, request.ip],
        [LIMITS.loginAccountSource, account ? `${account}|${request.ip}` : null],
      ]);
      if (!limited.ok) {
        tooMany(reply, limited.retryAfterS);
        return render([{ field: 'email', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }], 429);
      }
      // Many attempts on this account from everywhere: only a known device of the account gets through.
      const global = await d.limits.hit([[LIMITS.loginAccount, account]]);
      if (!global.ok) {
        const userId = await identity.accountIdForLogin(deps(request), email);
        const known =
          userId !== null && (await identity.isKnownDevice(deps(request), userId, request.cookies[DEVICE_COOKIE]));
        if (!known) {
          tooMany(reply, global.retryAfterS);
          return render([{ field: 'email', message: ctx.t('auth.accountUnderAttack') }], 429);
        }
      }
      const result = await identity.checkCredentials(deps(request), email, request.body.password ?? '');
      if (!result.ok) {
        const message = result.reason === 'unverified' ? ctx.t('auth.unverified') : ctx.t('auth.loginFailed');
        return render([{ field: 'email', message }], 401);
      }
      await signIn(request, reply, result.user.id);
      if (account) await d.limits.reset(LIMITS.loginAccountSource, `${account}|${request.ip}`);
      // Without a target: the modules' landing ("Ihre Kommune finden" without a workspace); the platform's
      // administration works from its account page.
      const landing = result.user.isPlatformAdmin ? '/konto' : await landingFor(d, result.user.id);
      return reply.redirect(next || landing, 303);
    });

    app.get('/anmelden/link', { ...pub, schema: { querystring: TokenQuery } }, async (request, reply) => {
      const ctx = pageContext(request);
      const token = request.query.token ?? '';
      if (!token || !(await identity.loginLinkValid(deps(request), token))) return linkInvalid(request, reply);
      return sendHtml(reply, renderPage(<LinkLoginPage ctx={ctx} token={token} />));
    });

    app.post('/anmelden/link', { ...pub, schema: { body: TokenForm } }, async (request, reply) => {
      const userId = await identity.useLoginLink(deps(request), request.body.token ?? '');
      if (userId === null) return linkInvalid(request, reply);
      await signIn(request, reply, userId);
      return reply.redirect('/konto', 303);
    });

    app.post('/abmelden', user, async (request, reply) => {
      await identity.endSession(deps(request), request.auth!.idHash);
      clearSessionCookie(reply, request);
      return reply.redirect('/', 303);
    });

    app.get('/registrieren', { ...pub, schema: { querystring: NextQuery } }, async (request, reply) => {
      const ctx = pageContext(request);
      const next = safeNext(request.query.weiter, '');
      return sendHtml(reply, renderPage(<SignupPage ctx={ctx} email="" next={next} errors={[]} />));
    });

    formRoute(app, {
      url: '/registrieren',
      access: 'public',
      body: SignupForm,
      render: (request, input, errors) => (
        <SignupPage
          ctx={pageContext(request)}
          email={(input.email ?? '').trim().slice(0, 254)}
          next={safeNext(input.weiter, '')}
          errors={errors}
        />
      ),
      handle: async (request, input) => {
        const limited = await d.limits.hit([[LIMITS.signupIp, request.ip]]);
        if (!limited.ok) {
          const ctx = pageContext(request);
          const errors = [{ field: 'email', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }];
          return {
            page: (
              <SignupPage
                ctx={ctx}
                email={(input.email ?? '').trim().slice(0, 254)}
                next={safeNext(input.weiter, '')}
                errors={errors}
              />
            ),
            status: 429,
          };
        }
        // What the person must correct is checked now; the rest runs after the answer, which therefore looks
        // and takes the same whether or not the address already has an account.
        const prepared = await identity.prepareSignUp({ email: input.email ?? '', password: input.password ?? '' });
        const id = deps(request);
        const next = safeNext(input.weiter, '');
        d.tasks.run('sign-up', () => identity.completeSignUp(id, prepared, next).then(() => flush(d)));
        return { redirect: '/registrieren/danke' };
      },
    });

    app.get('/registrieren/danke', pub, async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(
        reply,
        renderPage(<Message ctx={ctx} title={ctx.t('auth.signupDoneTitle')} text={ctx.t('auth.signupDone')} />),
      );
    });

    app.get('/konto/bestaetigen', { ...pub, schema: { querystring: VerifyQuery } }, async (request, reply) => {
      const ctx = pageContext(request);
      const token = request.query.token ?? '';
      const next = safeNext(request.query.weiter, '');
      const userId = token ? await identity.verifyEmail(deps(request), token) : null;
      if (userId === null) return linkInvalid(request, reply);
      return sendHtml(
        reply,
        renderPage(
          <Message
            ctx={ctx}
            title={ctx.t('auth.verifiedTitle')}
            text={ctx.t('auth.verified')}
            link={[next ? `/anmelden?weiter=${encodeURIComponent(next)}` : '/anmelden', ctx.t('auth.loginSubmit')]}
          />,
        ),
      );
    });

    app.get('/passwort-vergessen', pub, async (request, reply) => {
      const ctx = pageContext(request);
      return sendHtml(reply, renderPage(<ForgotPage ctx={ctx} email="" errors={[]} />));
    });

    app.post('/passwort-vergessen', { ...pub, schema: { body: EmailForm } }, async (request, reply) => {
      const ctx = pageContext(request);
      const email = (request.body.email ?? '').trim().slice(0, 254);
      const limited = await d.limits.hit([
        [LIMITS.resetIp, request.ip],
        [LIMITS.resetAccount, email ? email.toLowerCase() : null],
      ]);
      if (!limited.ok) {
        tooMany(reply, limited.retryAfterS);
        const errors = [{ field: 'email', message: ctx.t('auth.tooMany', { seconds: limited.retryAfterS }) }];
        return sendHtml(reply, renderPage(<ForgotPage ctx={ctx} email={email} errors={errors} />), 429);
      }
      // The same answer, at the same time, for known and unknown addresses: the work runs after it.
      const id = deps(request);
      d.tasks.run('password-reset', () => identity.requestPasswordReset(id, email).then(() => flush(d)));
      return sendHtml(
        reply,
        renderPage(<Message ctx={ctx} title={ctx.t('auth.forgotTitle')} text={ctx.t('auth.forgotDone')} />),
      );
    });

    app.get('/passwort-neu', { ...pub, schema: { querystring: TokenQuery } }, async (request, reply) => {
      const ctx = pageContext(request);
      const token = request.query.token ?? '';
      if (!token || !(await identity.resetLinkValid(deps(request), token))) return linkInvalid(request, reply);
      return sendHtml(reply, renderPage(<ResetPage ctx={ctx} token={token} errors={[]} />));
    });

    formRoute(app, {
      url: '/passwort-neu',
      access: 'public',
      body: ResetForm,
      render: (request, input, errors) => (
        <ResetPage ctx={pageContext(request)} token={input.token ?? ''} errors={errors} />
      ),
      handle: async (request, input) => {
        const ctx = pageContext(request);
        const userId = await identity.resetPassword(deps(request), input.token ?? '', input.password ?? '');
        if (userId === null) {
          return {
            page: <Message ctx={ctx} title={ctx.t('auth.linkInvalidTitle')} text={ctx.t('auth.linkInvalid')} />,
            status: 410,
          };
        }
        // The link proved the address: the account's login throttle starts afresh.
        await d.limits.reset(LIMITS.loginAccount, (await identity.emailsOf(d.db, [userId])).get(userId) ?? '');
        return {
          page: (
            <Message
              ctx={ctx}
              title={ctx.t('auth.resetTitle')}
              text={ctx.t('auth.resetDone')}
              link={['/anmelden', ctx.t('auth.loginSubmit')]}
            />
          ),
        };
      },
    });

    const accountPage = async (request: FastifyRequest, errors: ShownFieldError[], notice: string | null) => {
      const ctx = pageContext(request);
      const u = request.auth!.user;
      const sessions = await identity.sessionCount(deps(request), u.id);
      return <AccountPage ctx={ctx} user={u} sessions={sessions} errors={errors} notice={notice} />;
    };

    app.get(
      '/konto',
      { ...user, schema: { querystring: Query({ geaendert: OptionalText(5) }) } },
      async (request, reply) => {
        const changed = request.query.geaendert === '1';
        const notice = changed ? pageContext(request).t('account.passwordChanged') : null;
        return sendHtml(reply, renderPage(await accountPage(request, [], notice)));
      },
    );

    formRoute(app, {
      url: '/konto/passwort',
      access: 'user',
      body: PasswordChangeForm,
      render: (request, _input, errors) => accountPage(request, errors, null),
      handle: async (request, input) => {
        await identity.changePassword(deps(request), request.auth!, input.current ?? '', input.password ?? '');
        return { redirect: '/konto?geaendert=1' };
      },
    });

    app.post('/konto/abmelden-ueberall', user, async (request, reply) => {
      await identity.endAllSessions(deps(request), request.auth!.user.id);
      clearSessionCookie(reply, request);
      return reply.redirect('/anmelden', 303);
    });
  };

/** Deliver mails written by a committed transaction now, without waiting for the worker. */
function flush(d: ModuleDeps) {
  return d.mailer.deliverPending().catch(() => {
    /* the worker retries; failures are recorded on the mail */
  });
}
