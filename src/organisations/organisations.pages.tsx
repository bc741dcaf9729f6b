import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/db.js';
import { AppError, type FieldError } from '../platform/errors.js';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Field, positiveId, SubmitButton, str } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate } from '../platform/i18n/messages.js';
import type { Mailer } from '../platform/mail/mailer.js';
import { getRegion } from '../register/register.service.js';
import * as orgs from './organisations.service.js';

type Body = Record<string, unknown>;
const iso = (d: Date) => new Date(d).toISOString();
const idParam = (v: unknown) => positiveId(v, 'Unbekannte Nummer.');
const actor = (request: FastifyRequest) => orgs.actorOf(request.auth!.user);

function roleLabel(ctx: PageContext, role: string) {
  return role === 'admin' ? ctx.t('org.roleAdmin') : ctx.t('org.roleMember');
}

function RoleSelect({ ctx, id, value }: { ctx: PageContext; id: string; value: string }) {
  return (
    <div class="kern-form-input">
      <label class="kern-label" for={id}>
        {ctx.t('org.role')}
      </label>
      <div class="kern-form-input__select-wrapper">
        <select class="kern-form-input__select" id={id} name="role">
          <option value="member" selected={value === 'member'}>
            {ctx.t('org.roleMember')}
          </option>
          <option value="admin" selected={value === 'admin'}>
            {ctx.t('org.roleAdmin')}
          </option>
        </select>
      </div>
    </div>
  );
}

function OverviewPage(props: {
  ctx: PageContext;
  mine: Awaited<ReturnType<typeof orgs.myOrganisations>>;
  acting: number | null;
  queue: orgs.RequestRow[] | null;
}) {
  const { ctx } = props;
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('org.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('org.title') }]}
    >
      <h1 class="kern-heading-large">{t('org.title')}</h1>
      <h2 class="kern-heading-medium">{t('org.mine')}</h2>
      {props.mine.length === 0 ? (
        <p>
          {t('org.none')} <a href="/kommunen">{t('nav.register')}</a>
        </p>
      ) : (
        <>
          <ul>
            {props.mine.map((o) => (
              <li key={o.id}>
                <a href={`/organisationen/${o.id}`}>{o.name}</a> ({roleLabel(ctx, o.role)})
              </li>
            ))}
          </ul>
          <form method="post" action="/organisationen/handeln" class="search-form">
            <CsrfField ctx={ctx} />
            <div class="kern-form-input">
              <label class="kern-label" for="org">
                {t('org.actAs')}
              </label>
              <div class="kern-form-input__select-wrapper">
                <select class="kern-form-input__select" id="org" name="org">
                  <option value="">{t('org.actNone')}</option>
                  {props.mine.map((o) => (
                    <option value={String(o.id)} selected={props.acting === o.id} key={o.id}>
                      {o.name}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            <SubmitButton label={t('org.actSubmit')} secondary />
          </form>
        </>
      )}
      {props.queue ? (
        <>
          <h2 class="kern-heading-medium">{t('org.advisorQueue')}</h2>
          {props.queue.length === 0 ? (
            <p>{t('admin.empty')}</p>
          ) : (
            <ul>
              {props.queue.map((r) => (
                <li key={r.id}>
                  <a href={`/organisationen/${r.orgId}`}>{r.orgName}</a>: {r.email} (
                  {formatDate(ctx.lang, iso(r.createdAt))})
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Layout>
  );
}

function RequestPage(props: { ctx: PageContext; regionKey: string; name: string; note: string; errors: FieldError[] }) {
  const { ctx } = props;
  const { t } = ctx;
  const title = t('org.requestTitle', { name: props.name });
  return (
    <Layout
      ctx={ctx}
      title={title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: `/kommunen/${props.regionKey}`, label: props.name },
        { label: t('org.request') },
      ]}
    >
      <div class="form-narrow">
        <h1 class="kern-heading-large">{title}</h1>
        <ErrorSummary ctx={ctx} errors={props.errors} />
        <p>{t('org.requestLead')}</p>
        <form method="post" action={`/organisationen/beitreten?region=${props.regionKey}`}>
          <CsrfField ctx={ctx} />
          <Field id="note" label={t('org.note')} hint={t('org.noteHint')} value={props.note} errors={props.errors} />
          <SubmitButton label={t('org.requestSubmit')} />
        </form>
      </div>
    </Layout>
  );
}

function WorkspacePage({
  ctx,
  w,
  notice,
  errors,
}: {
  ctx: PageContext;
  w: orgs.Workspace;
  notice: string | null;
  errors: FieldError[];
}) {
  const { t } = ctx;
  const base = `/organisationen/${w.org.id}`;
  return (
    <Layout
      ctx={ctx}
      title={w.org.name}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: '/organisationen', label: t('org.title') },
        { label: w.org.name },
      ]}
    >
      <h1 class="kern-heading-large">{w.org.name}</h1>
      <ErrorSummary ctx={ctx} errors={errors} />
      {notice ? (
        <div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__body">
            <p>{notice}</p>
          </div>
        </div>
      ) : null}
      {w.perms.advisor && !w.perms.role ? <p>{t('org.advisorNote')}</p> : null}
      {w.org.regionKey ? (
        <p>
          <a href={`/kommunen/${w.org.regionKey}`}>
            {t('nav.register')}: {w.org.regionKey}
          </a>
        </p>
      ) : null}
      {w.perms.canView ? <h2 class="kern-heading-medium">{t('org.members')}</h2> : null}
      <ul class="member-list">
        {w.members.map((m) => (
          <li key={m.userId}>
            {m.email} – {roleLabel(ctx, m.role)}
            {w.perms.canManage ? (
              <span class="member-actions">
                {(['admin', 'member', 'remove'] as const)
                  .filter((a) => a !== m.role)
                  .map((a) => (
                    <form method="post" action={`${base}/mitglieder/${m.userId}`} class="inline-form" key={a}>
                      <CsrfField ctx={ctx} />
                      <input type="hidden" name="action" value={a} />
                      <button type="submit" class="link-button">
                        {a === 'admin' ? t('org.makeAdmin') : a === 'member' ? t('org.makeMember') : t('org.remove')}
                        <span class="kern-sr-only">: {m.email}</span>
                      </button>
                    </form>
                  ))}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {w.requests.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{t('org.requests')}</h2>
          {w.perms.canManage ? (
            w.requests.map((r) => (
              <form method="post" action={`${base}/antraege/${r.id}`} class="request" key={r.id}>
                <CsrfField ctx={ctx} />
                <h3 class="kern-heading-small">{r.email}</h3>
                <dl class="facts">
                  <dt>{t('org.domain')}</dt>
                  <dd>{r.emailDomain}</dd>
                  <dt>{t('org.note')}</dt>
                  <dd>{r.note || '–'}</dd>
                </dl>
                <RoleSelect ctx={ctx} id={`role-${r.id}`} value={w.perms.hasAdmin ? 'member' : 'admin'} />
                <div class="search-form">
                  <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="approve">
                    <span class="kern-label">{t('org.approve')}</span>
                  </button>
                  <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="reject">
                    <span class="kern-label">{t('org.reject')}</span>
                  </button>
                </div>
              </form>
            ))
          ) : (
            <p>{t('org.yourRequest')}</p>
          )}
        </>
      ) : null}
      {w.perms.canManage ? (
        <>
          <h2 class="kern-heading-medium">{t('org.invite')}</h2>
          <form method="post" action={`${base}/einladungen`} class="form-narrow">
            <CsrfField ctx={ctx} />
            <Field id="email" type="email" label={t('auth.email')} errors={errors} />
            <RoleSelect ctx={ctx} id="invite-role" value="member" />
            <SubmitButton label={t('org.inviteSubmit')} />
          </form>
          {w.invitations.length > 0 ? (
            <>
              <h2 class="kern-heading-medium">{t('org.invitations')}</h2>
              <ul>
                {w.invitations.map((i) => (
                  <li key={i.id}>
                    {i.email} – {roleLabel(ctx, i.role)} ({formatDate(ctx.lang, iso(i.expiresAt))})
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
      {w.perms.canManage ? (
        <p>
          <a href={`${base}/protokoll`}>{t('audit.title')}</a>
        </p>
      ) : null}
      {w.perms.role ? (
        <form method="post" action={`${base}/verlassen`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('org.leave')} secondary />
        </form>
      ) : null}
    </Layout>
  );
}

function InvitationPage({ ctx, token, name }: { ctx: PageContext; token: string; name: string }) {
  const title = ctx.t('org.invitationTitle', { name });
  return (
    <Layout ctx={ctx} title={title}>
      <h1 class="kern-heading-large">{title}</h1>
      <form method="post" action="/einladung">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="token" value={token} />
        <SubmitButton label={ctx.t('org.invitationAccept')} />
      </form>
    </Layout>
  );
}

function AdminOrganisationsPage(props: {
  ctx: PageContext;
  list: Awaited<ReturnType<typeof orgs.listOrganisations>>;
  form: { name: string; adminEmail: string };
  errors: FieldError[];
}) {
  const { ctx } = props;
  const { t } = ctx;
  const kind = (k: string) =>
    k === 'region'
      ? t('nav.register')
      : k === 'provider'
        ? ctx.lang === 'en'
          ? 'Provider'
          : 'Anbieter'
        : ctx.lang === 'en'
          ? 'Competence centre'
          : 'Kompetenzzentrum';
  return (
    <Layout
      ctx={ctx}
      title={props.errors.length ? `${t('error.title')}: ${t('org.title')}` : t('org.title')}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: '/admin', label: t('admin.title') },
        { label: t('org.title') },
      ]}
    >
      <h1 class="kern-heading-large">{t('org.title')}</h1>
      <ErrorSummary ctx={ctx} errors={props.errors} />
      <ul>
        {props.list.map((o) => (
          <li key={o.id}>
            <a href={`/organisationen/${o.id}`}>{o.name}</a> – {kind(o.kind)}, {o.members} {t('org.members')},{' '}
            {o.admins} {t('org.roleAdmin')}
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">
        {ctx.lang === 'en' ? 'Add a provider organisation' : 'Anbieter-Organisation anlegen'}
      </h2>
      <form method="post" action="/admin/organisationen" class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <Field id="name" label={ctx.lang === 'en' ? 'Name' : 'Name'} value={props.form.name} errors={props.errors} />
        <Field
          id="adminEmail"
          type="email"
          label={
            ctx.lang === 'en'
              ? 'E-mail of its first administrator (existing account)'
              : 'E-Mail der ersten Administration (bestehendes Konto)'
          }
          value={props.form.adminEmail}
          errors={props.errors}
        />
        <SubmitButton label={ctx.lang === 'en' ? 'Create' : 'Anlegen'} />
      </form>
    </Layout>
  );
}

export interface OrgPageDeps {
  db: Db;
  config: Config;
  mailer: Mailer;
}

export const organisationPages =
  (d: OrgPageDeps): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const user = { config: { access: 'user' as const } };
    const deps = (request: FastifyRequest): orgs.OrgDeps => ({
      db: d.db,
      mailer: d.mailer,
      baseUrl: d.config.baseUrl ?? `${request.protocol}://${request.host}`,
      requestId: String(request.id),
    });
    const flush = () => d.mailer.deliverPending().catch(() => {});

    const showWorkspace = async (
      request: FastifyRequest,
      reply: FastifyReply,
      orgId: number,
      notice: string | null,
      errors: FieldError[] = [],
    ) => {
      const w = await orgs.workspace(d.db, actor(request), orgId);
      return sendHtml(
        reply,
        renderPage(<WorkspacePage ctx={pageContext(request)} w={w} notice={notice} errors={errors} />),
        errors.length ? 400 : 200,
      );
    };

    app.get('/organisationen', user, async (request, reply) => {
      const a = actor(request);
      const [mine, acting, queue] = await Promise.all([
        orgs.myOrganisations(d.db, a.userId),
        orgs.actingOrg(d.db, request.auth!.idHash),
        orgs.advisorQueue(d.db, a),
      ]);
      return sendHtml(
        reply,
        renderPage(<OverviewPage ctx={pageContext(request)} mine={mine} acting={acting?.id ?? null} queue={queue} />),
      );
    });

    app.post('/organisationen/handeln', user, async (request, reply) => {
      const raw = str((request.body as Body).org);
      await orgs.setActing(d.db, actor(request), request.auth!.idHash, raw ? idParam(raw) : null);
      return reply.redirect('/organisationen', 303);
    });

    app.get('/organisationen/beitreten', user, async (request, reply) => {
      const key = str((request.query as Body).region);
      const { region } = await getRegion(d.db, key);
      return sendHtml(
        reply,
        renderPage(
          <RequestPage ctx={pageContext(request)} regionKey={region.key} name={region.name} note="" errors={[]} />,
        ),
      );
    });

    app.post('/organisationen/beitreten', user, async (request, reply) => {
      const key = str((request.query as Body).region);
      const note = str((request.body as Body).note).slice(0, 4000);
      try {
        const orgId = await orgs.requestAccess(deps(request), actor(request), key, note);
        return reply.redirect(`/organisationen/${orgId}?beantragt=1`, 303);
      } catch (err) {
        if (err instanceof AppError && err.status === 409 && typeof err.extra.orgId === 'number') {
          return reply.redirect(`/organisationen/${err.extra.orgId}`, 303);
        }
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        const { region } = await getRegion(d.db, key);
        return sendHtml(
          reply,
          renderPage(
            <RequestPage
              ctx={pageContext(request)}
              regionKey={region.key}
              name={region.name}
              note={note}
              errors={err.fieldErrors}
            />,
          ),
          400,
        );
      }
    });

    app.get('/organisationen/:id', user, async (request, reply) => {
      const ctx = pageContext(request);
      const q = request.query as Body;
      const notice = q.beantragt === '1' ? ctx.t('org.requestSent') : q.erledigt === '1' ? ctx.t('org.done') : null;
      return showWorkspace(request, reply, idParam((request.params as Body).id), notice);
    });

    app.post('/organisationen/:id/antraege/:rid', user, async (request, reply) => {
      const orgId = idParam((request.params as Body).id);
      const body = request.body as Body;
      const role = body.role === 'admin' ? 'admin' : body.role === 'member' ? 'member' : null;
      await orgs.decideRequest(
        deps(request),
        actor(request),
        orgId,
        idParam((request.params as Body).rid),
        body.decision === 'approve',
        role,
      );
      return reply.redirect(`/organisationen/${orgId}?erledigt=1`, 303);
    });

    app.post('/organisationen/:id/einladungen', user, async (request, reply) => {
      const orgId = idParam((request.params as Body).id);
      const body = request.body as Body;
      try {
        await orgs.invite(
          deps(request),
          actor(request),
          orgId,
          str(body.email),
          body.role === 'admin' ? 'admin' : 'member',
          pageContext(request).lang,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        return showWorkspace(request, reply, orgId, null, err.fieldErrors);
      }
      void flush();
      return reply.redirect(`/organisationen/${orgId}?erledigt=1`, 303);
    });

    app.post('/organisationen/:id/mitglieder/:uid', user, async (request, reply) => {
      const orgId = idParam((request.params as Body).id);
      const action = str((request.body as Body).action);
      if (action !== 'remove' && action !== 'admin' && action !== 'member') {
        throw new AppError(400, 'validation', 'error.validation', 'Unbekannte Aktion.', [
          { field: 'action', message: 'remove, admin oder member' },
        ]);
      }
      await orgs.changeMember(deps(request), actor(request), orgId, idParam((request.params as Body).uid), action);
      return reply.redirect(`/organisationen/${orgId}?erledigt=1`, 303);
    });

    app.post('/organisationen/:id/verlassen', user, async (request, reply) => {
      await orgs.leave(deps(request), actor(request), idParam((request.params as Body).id));
      return reply.redirect('/organisationen', 303);
    });

    const admin = { config: { access: 'platform-admin' as const } };
    app.get('/admin/organisationen', admin, async (request, reply) => {
      const list = await orgs.listOrganisations(d.db);
      return sendHtml(
        reply,
        renderPage(
          <AdminOrganisationsPage
            ctx={pageContext(request)}
            list={list}
            form={{ name: '', adminEmail: '' }}
            errors={[]}
          />,
        ),
      );
    });

    app.post('/admin/organisationen', admin, async (request, reply) => {
      const body = request.body as Body;
      const form = { name: str(body.name).slice(0, 400), adminEmail: str(body.adminEmail).slice(0, 300) };
      try {
        const id = await orgs.createProviderOrganisation(deps(request), actor(request), form);
        return reply.redirect(`/organisationen/${id}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        const list = await orgs.listOrganisations(d.db);
        return sendHtml(
          reply,
          renderPage(
            <AdminOrganisationsPage ctx={pageContext(request)} list={list} form={form} errors={err.fieldErrors} />,
          ),
          400,
        );
      }
    });

    app.get('/einladung', user, async (request, reply) => {
      const token = str((request.query as Body).token);
      const inv = token ? await orgs.invitation(deps(request), token) : null;
      if (!inv) throw new AppError(410, 'gone', 'auth.linkInvalidTitle', pageContext(request).t('auth.linkInvalid'));
      return sendHtml(
        reply,
        renderPage(<InvitationPage ctx={pageContext(request)} token={token} name={inv.orgName} />),
      );
    });

    app.post('/einladung', user, async (request, reply) => {
      const orgId = await orgs.acceptInvitation(deps(request), actor(request), str((request.body as Body).token));
      return reply.redirect(`/organisationen/${orgId}`, 303);
    });
  };
