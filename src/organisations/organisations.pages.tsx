import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { auditRoutes } from '../audit/index.js';
import { AppError, GoneError, type ShownFieldError } from '../platform/errors.js';
import { pageContext, requestLang, sendHtml } from '../platform/http/context.js';
import {
  Field,
  Form,
  formRoute,
  IdParam,
  OptionalText,
  positiveId,
  Query,
  SubmitButton,
} from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { getRegion, municipalityKey } from '../register/index.js';
import * as orgs from './organisations.service.js';

const iso = (d: Date) => new Date(d).toISOString();
const actor = (request: FastifyRequest): orgs.Actor => request.auth!.user;

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

/** "Ihr Antrag vom … wartet auf Entscheidung durch …" (the applicant's view of an open request). */
export function PendingText(props: {
  ctx: PageContext;
  since: Date;
  deciders: orgs.Deciders;
  regionKey: string | null;
}) {
  const { t } = props.ctx;
  const who =
    props.deciders === 'admins'
      ? t('org.decidersAdmins')
      : t('org.decidersAdvisors', { state: orgs.stateName((props.regionKey ?? '').slice(0, 2)) });
  return <>{t('org.pending', { date: formatDate(props.ctx.lang, iso(props.since)), who })}</>;
}

function OverviewPage(props: {
  ctx: PageContext;
  mine: Awaited<ReturnType<typeof orgs.myOrganisations>>;
  acting: number | null;
  queue: orgs.RequestRow[] | null;
  pending: Awaited<ReturnType<typeof orgs.pendingRequestsOf>>;
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
      {props.pending.length > 0 ? (
        <>
          <h2 class="kern-heading-medium">{t('org.pendingTitle')}</h2>
          <ul>
            {props.pending.map((r) => (
              <li key={r.id}>
                <a href={r.regionKey ? `/kommunen/${r.regionKey}` : `/organisationen/${r.orgId}`}>{r.orgName}</a>:{' '}
                <PendingText ctx={ctx} since={r.createdAt} deciders={r.deciders} regionKey={r.regionKey} />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 class="kern-heading-medium">{t('org.mine')}</h2>
      {props.mine.length === 0 ? (
        <p>
          {t('org.none')} <a href="/kommune-finden">{t('org.find.title')}</a>
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
                  {formatDate(ctx.lang, iso(r.createdAt))}){r.note ? ` – ${t('org.noteOf', { note: r.note })}` : ''}
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </Layout>
  );
}

function RequestPage(props: {
  ctx: PageContext;
  regionKey: string;
  name: string;
  note: string;
  errors: readonly ShownFieldError[];
}) {
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
  viewerId,
  notice,
  errors,
  children,
}: {
  /** The other modules' sections of the home page (see WorkspaceSection). */
  children?: ComponentChildren;
  ctx: PageContext;
  w: orgs.Workspace;
  /** The person looking (their own open request is not theirs to decide). */
  viewerId: number;
  notice: string | null;
  errors: readonly ShownFieldError[];
}) {
  const { t } = ctx;
  const base = `/organisationen/${w.org.id}`;
  const adminCount = w.members.filter((m) => m.role === 'admin').length;
  const soleAdmin = w.perms.role === 'admin' && adminCount === 1;
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
          <a href={`/kommunen/${w.org.regionKey}`}>{t('org.profileLink', { name: w.org.name })}</a>
        </p>
      ) : null}
      {children}
      {w.perms.canView ? <h2 class="kern-heading-medium">{t('org.members')}</h2> : null}
      <ul class="member-list">
        {w.members.map((m) => (
          <li key={m.userId}>
            {m.email} – {roleLabel(ctx, m.role)}
            {w.perms.canManage && m.role === 'admin' && adminCount === 1 ? (
              // The only admin is not demoted or removed: the workspace would be left without administration.
              <p class="kern-hint">{m.userId === viewerId ? t('org.soleAdmin') : t('org.err.lastAdminChange')}</p>
            ) : w.perms.canManage ? (
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
          {w.perms.canManage
            ? w.requests.map((r) =>
                r.userId === viewerId ? (
                  <p key={r.id}>{t('org.yourRequestOther')}</p>
                ) : (
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
                ),
              )
            : w.requests.map((r) => (
                <p key={r.id}>
                  <PendingText
                    ctx={ctx}
                    since={r.createdAt}
                    deciders={w.perms.hasAdmin ? 'admins' : 'advisors'}
                    regionKey={w.org.regionKey}
                  />
                </p>
              ))}
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
      {w.perms.role && soleAdmin && w.members.length > 1 ? (
        <p>{t('org.soleAdmin')}</p>
      ) : w.perms.role ? (
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
  errors: readonly ShownFieldError[];
}) {
  const { ctx } = props;
  const { t } = ctx;
  const kind = (k: string) =>
    k === 'region' ? t('org.kindRegion') : k === 'provider' ? t('org.kindProvider') : t('org.kindCentre');
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
            <a href={`/organisationen/${o.id}`}>{o.name}</a> – {kind(o.kind)},{' '}
            {t(o.members === 1 ? 'org.memberCountOne' : 'org.memberCount', { n: o.members })}, {o.admins}{' '}
            {t('org.roleAdmin')}
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">{t('org.addProvider')}</h2>
      <form method="post" action="/admin/organisationen" class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <Field id="name" label={t('org.providerName')} value={props.form.name} errors={props.errors} />
        <Field
          id="adminEmail"
          type="email"
          label={t('org.providerAdminEmail')}
          value={props.form.adminEmail}
          errors={props.errors}
        />
        <SubmitButton label={t('org.providerCreate')} />
      </form>
    </Layout>
  );
}

const OrgParams = Type.Object({ id: IdParam });
const RegionQuery = Query({ region: OptionalText(40) });

export const organisationPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const user = { config: { access: 'user' as const } };
    const deps = (request: FastifyRequest): orgs.OrgDeps => ({
      db: d.db,
      mailer: d.mailer,
      publicUrl: d.config.publicUrl,
      t: d.i18n.translator(requestLang(request)),
      now: d.clock,
      requestId: String(request.id),
    });
    const flush = () => d.mailer.deliverPending().catch(() => {});

    // What other modules show on a workspace's home page (the Digitalcheck: open check, results, publication).
    const sections = d.modules.flatMap((m) => m.workspaceSections?.(d) ?? []).sort((a, b) => a.order - b.order);
    const workspacePage = async (
      request: FastifyRequest,
      orgId: number,
      notice: string | null,
      errors: ShownFieldError[] = [],
    ) => {
      const w = await orgs.workspace(d.db, actor(request), orgId);
      const ctx = pageContext(request);
      const user = request.auth!.user;
      const parts = w.perms.canView ? await Promise.all(sections.map((s) => s.render({ org: w.org, ctx, user }))) : [];
      return (
        <WorkspacePage ctx={ctx} w={w} viewerId={user.id} notice={notice} errors={errors}>
          {parts}
        </WorkspacePage>
      );
    };

    app.get('/organisationen', user, async (request, reply) => {
      const a = actor(request);
      const [mine, acting, queue, pending] = await Promise.all([
        orgs.myOrganisations(d.db, a.id),
        orgs.actingOrg(d.db, request.auth!.idHash),
        orgs.advisorQueue(d.db, a),
        orgs.pendingRequestsOf(d.db, a.id),
      ]);
      return sendHtml(
        reply,
        renderPage(
          <OverviewPage
            ctx={pageContext(request)}
            mine={mine}
            acting={acting?.id ?? null}
            queue={queue}
            pending={pending}
          />,
        ),
      );
    });

    app.post(
      '/organisationen/handeln',
      { ...user, schema: { body: Form({ org: OptionalText(20) }) } },
      async (request, reply) => {
        const raw = request.body.org ?? '';
        await orgs.setActing(d.db, actor(request), request.auth!.idHash, raw ? positiveId(raw) : null);
        return reply.redirect('/organisationen', 303);
      },
    );

    app.get('/organisationen/beitreten', { ...user, schema: { querystring: RegionQuery } }, async (request, reply) => {
      const { region } = await getRegion(d.db, await municipalityKey(d.db, request.query.region ?? ''));
      // Members and applicants with an open request are not asked a second time: to the workspace page
      // (which tells an applicant that the request is open).
      const standing = await orgs.standingAt(d.db, actor(request).id, region.key);
      if (standing.kind !== 'none') return reply.redirect(`/organisationen/${standing.orgId}`, 303);
      return sendHtml(
        reply,
        renderPage(
          <RequestPage ctx={pageContext(request)} regionKey={region.key} name={region.name} note="" errors={[]} />,
        ),
      );
    });

    formRoute(app, {
      url: '/organisationen/beitreten',
      access: 'user',
      querystring: RegionQuery,
      body: Form({ note: OptionalText(4000) }),
      render: async (request, input, errors) => {
        const { region } = await getRegion(d.db, await municipalityKey(d.db, request.query.region ?? ''));
        return (
          <RequestPage
            ctx={pageContext(request)}
            regionKey={region.key}
            name={region.name}
            note={input.note ?? ''}
            errors={errors}
          />
        );
      },
      handle: async (request, input) => {
        try {
          const orgId = await orgs.requestAccess(
            deps(request),
            actor(request),
            request.query.region ?? '',
            input.note ?? '',
          );
          void flush();
          return { redirect: `/organisationen/${orgId}?beantragt=1` };
        } catch (err) {
          // Already a member: to the workspace.
          if (err instanceof AppError && err.status === 409 && typeof err.extra.orgId === 'number') {
            return { redirect: `/organisationen/${err.extra.orgId}` };
          }
          throw err;
        }
      },
    });

    app.get(
      '/organisationen/:id',
      {
        ...user,
        schema: { params: OrgParams, querystring: Query({ beantragt: OptionalText(5), erledigt: OptionalText(5) }) },
      },
      async (request, reply) => {
        const ctx = pageContext(request);
        const q = request.query;
        const notice = q.beantragt === '1' ? ctx.t('org.requestSent') : q.erledigt === '1' ? ctx.t('org.done') : null;
        return sendHtml(reply, renderPage(await workspacePage(request, positiveId(request.params.id), notice)));
      },
    );

    app.post(
      '/organisationen/:id/antraege/:rid',
      {
        ...user,
        schema: {
          params: Type.Object({ id: IdParam, rid: IdParam }),
          body: Form({ decision: OptionalText(20), role: OptionalText(20) }),
        },
      },
      async (request, reply) => {
        const orgId = positiveId(request.params.id);
        const body = request.body;
        const role = body.role === 'admin' ? 'admin' : body.role === 'member' ? 'member' : null;
        await orgs.decideRequest(
          deps(request),
          actor(request),
          orgId,
          positiveId(request.params.rid),
          body.decision === 'approve',
          role,
        );
        void flush();
        return reply.redirect(`/organisationen/${orgId}?erledigt=1`, 303);
      },
    );

    formRoute(app, {
      url: '/organisationen/:id/einladungen',
      access: 'user',
      params: OrgParams,
      body: Form({ email: OptionalText(1000), role: OptionalText(20) }),
      render: (request, _input, errors) => workspacePage(request, positiveId(request.params.id), null, errors),
      handle: async (request, input) => {
        const orgId = positiveId(request.params.id);
        await orgs.invite(
          deps(request),
          actor(request),
          orgId,
          input.email ?? '',
          input.role === 'admin' ? 'admin' : 'member',
        );
        void flush();
        return { redirect: `/organisationen/${orgId}?erledigt=1` };
      },
    });

    // Changing a member and leaving: a refusal (the only admin) shows on the workspace page with its reason.
    formRoute(app, {
      url: '/organisationen/:id/mitglieder/:uid',
      access: 'user',
      params: Type.Object({ id: IdParam, uid: IdParam }),
      body: Form({ action: Type.Union([Type.Literal('remove'), Type.Literal('admin'), Type.Literal('member')]) }),
      render: (request, _input, errors) => workspacePage(request, positiveId(request.params.id), null, errors),
      handle: async (request, input) => {
        const orgId = positiveId(request.params.id);
        await orgs.changeMember(deps(request), actor(request), orgId, positiveId(request.params.uid), input.action);
        return { redirect: `/organisationen/${orgId}?erledigt=1` };
      },
    });

    formRoute(app, {
      url: '/organisationen/:id/verlassen',
      access: 'user',
      params: OrgParams,
      body: Form({}),
      render: (request, _input, errors) => workspacePage(request, positiveId(request.params.id), null, errors),
      handle: async (request) => {
        await orgs.leave(deps(request), actor(request), positiveId(request.params.id));
        return { redirect: '/organisationen' };
      },
    });

    // The organisation's audit log for its administration (the audit module's views, authorised here).
    auditRoutes(app, d.db, '/organisationen/:id/protokoll', 'user', async (request) => {
      const t = pageContext(request).t;
      const orgId = positiveId((request.params as { id: string }).id);
      const org = await orgs.auditableOrganisation(d.db, actor(request), orgId);
      return {
        scope: {
          base: `/organisationen/${orgId}/protokoll`,
          heading: `${t('audit.title')}: ${org.name}`,
          crumbs: [
            { href: '/organisationen', label: t('org.title') },
            { href: `/organisationen/${orgId}`, label: org.name },
          ],
          organisation: false,
        },
        orgId,
      };
    });

    const admin = { config: { access: 'platform-admin' as const } };
    const adminPage = async (
      request: FastifyRequest,
      form: { name: string; adminEmail: string },
      errors: ShownFieldError[],
    ) => (
      <AdminOrganisationsPage
        ctx={pageContext(request)}
        list={await orgs.listOrganisations(d.db)}
        form={form}
        errors={errors}
      />
    );
    app.get('/admin/organisationen', admin, async (request, reply) =>
      sendHtml(reply, renderPage(await adminPage(request, { name: '', adminEmail: '' }, []))),
    );

    formRoute(app, {
      url: '/admin/organisationen',
      access: 'platform-admin',
      body: Form({ name: OptionalText(400), adminEmail: OptionalText(300) }),
      render: (request, input, errors) =>
        adminPage(request, { name: input.name ?? '', adminEmail: input.adminEmail ?? '' }, errors),
      handle: async (request, input) => {
        const id = await orgs.createProviderOrganisation(deps(request), actor(request), {
          name: input.name ?? '',
          adminEmail: input.adminEmail ?? '',
        });
        return { redirect: `/organisationen/${id}` };
      },
    });

    app.get(
      '/einladung',
      { ...user, schema: { querystring: Query({ token: OptionalText(200) }) } },
      async (request, reply) => {
        const token = request.query.token ?? '';
        const inv = token ? await orgs.invitation(deps(request), token) : null;
        if (!inv) throw new GoneError(text('org.err.invitationGone'));
        return sendHtml(
          reply,
          renderPage(<InvitationPage ctx={pageContext(request)} token={token} name={inv.orgName} />),
        );
      },
    );

    app.post(
      '/einladung',
      { ...user, schema: { body: Form({ token: OptionalText(200) }) } },
      async (request, reply) => {
        const orgId = await orgs.acceptInvitation(deps(request), actor(request), request.body.token ?? '');
        return reply.redirect(`/organisationen/${orgId}`, 303);
      },
    );
  };
