import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { pageContext, sendHtml } from '../platform/http/context.js';
import { Layout, type PageContext, renderPage } from '../platform/http/layout.js';
import { formatDate, formatDateTime } from '../platform/i18n/i18n.js';
import type { OutboxRow } from '../platform/mail/mailer.js';
import type { ModuleDeps } from '../platform/module.js';
import { identityDeps } from './identity.pages.js';
import * as identity from './identity.service.js';

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : '');

/**
 * A mail's text with the secret of every one-time link hidden: the outbox shows platform admins what was
 * sent, but a live reset, verification, login or invitation link would let them take over the account.
 * Operators without SMTP find the complete mails in DATA_DIR/outbox/*.eml on the server.
 */
export function maskLinks(text: string): string {
  return text.replace(/([?&](?:token|code)=)[^\s&#]+/g, '$1[verborgen]');
}

function AdminPage({ ctx, users }: { ctx: PageContext; users: identity.UserRow[] }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('admin.title')}
      breadcrumb={[{ href: '/', label: t('nav.home') }, { label: t('admin.title') }]}
    >
      <h1 class="kern-heading-large">{t('admin.title')}</h1>
      <p>
        <a href="/admin/outbox">{t('admin.outbox')}</a> · <a href="/admin/organisationen">{t('org.title')}</a>
      </p>
      <p>
        <a href="/admin/audit">{t('audit.title')}</a>
      </p>
      <h2 class="kern-heading-medium" id="users">
        {t('admin.users')}
      </h2>
      <div class="table-wrap" role="region" tabindex={0} aria-label={t('admin.users')}>
        <table class="kern-table" aria-labelledby="users">
          <thead class="kern-table__header">
            <tr class="kern-table__row">
              <th scope="col" class="kern-table__cell">
                {t('admin.colEmail')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('admin.colCreated')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('admin.colVerified')}
              </th>
              <th scope="col" class="kern-table__cell">
                {t('admin.colAdmin')}
              </th>
            </tr>
          </thead>
          <tbody class="kern-table__body">
            {users.map((u) => (
              <tr class="kern-table__row" key={u.id}>
                <td class="kern-table__cell">{u.email}</td>
                <td class="kern-table__cell">{formatDate(ctx.lang, iso(u.createdAt))}</td>
                <td class="kern-table__cell">{u.emailVerifiedAt ? t('common.yes') : t('common.no')}</td>
                <td class="kern-table__cell">{u.isPlatformAdmin ? t('common.yes') : t('common.no')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

function OutboxPage({ ctx, mails }: { ctx: PageContext; mails: OutboxRow[] }) {
  const { t } = ctx;
  return (
    <Layout
      ctx={ctx}
      title={t('admin.outbox')}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        { href: '/admin', label: t('admin.title') },
        { label: t('admin.outbox') },
      ]}
    >
      <h1 class="kern-heading-large">{t('admin.outbox')}</h1>
      <p>{t('admin.outboxLead')}</p>
      {mails.length === 0 ? <p>{t('admin.empty')}</p> : null}
      {mails.map((m) => (
        <section class="outbox-mail" key={m.id} aria-labelledby={`mail-${m.id}`}>
          <h2 class="kern-heading-small" id={`mail-${m.id}`}>
            #{m.id} {m.subject}
          </h2>
          <dl class="facts">
            <dt>{t('admin.colTo')}</dt>
            <dd>{m.to}</dd>
            <dt>{t('admin.colStatus')}</dt>
            <dd>
              {m.status} ({t('admin.colAttempts')}: {m.attempts}){m.lastError ? ` – ${m.lastError}` : ''}
            </dd>
            <dt>{t('admin.colCreated')}</dt>
            <dd>
              <time dateTime={iso(m.createdAt)}>{formatDateTime(ctx.lang, new Date(m.createdAt))}</time>
            </dd>
          </dl>
          <pre class="mail-text">{maskLinks(m.text)}</pre>
        </section>
      ))}
    </Layout>
  );
}

export const adminPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (app: FastifyInstance) => {
    const admin = { config: { access: 'platform-admin' as const } };
    app.get('/admin', admin, async (request, reply) => {
      const users = await identity.listUsers(identityDeps(d, request), 0);
      return sendHtml(reply, renderPage(<AdminPage ctx={pageContext(request)} users={users} />));
    });
    app.get('/admin/outbox', admin, async (request, reply) => {
      const mails = await d.mailer.list({ limit: 100 });
      return sendHtml(reply, renderPage(<OutboxPage ctx={pageContext(request)} mails={mails} />));
    });
  };
