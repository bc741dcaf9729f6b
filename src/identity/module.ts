import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { access, defineModule, ROWS } from '../platform/module.js';
import { ROOT } from '../platform/paths.js';
import { adminPages } from './admin.pages.js';
import { apiTokenPages } from './api-tokens.pages.js';
import { identityDeps, identityPages } from './identity.pages.js';
import * as service from './identity.service.js';
import { messages } from './messages.js';
import { oidcPages } from './oidc.pages.js';
import { privacyPages } from './privacy.pages.js';
import { identityPersonalData } from './privacy.service.js';

/** Accounts, sessions, passwords, one-time links, single sign-on, API tokens, personal data, administration. */
export const identity = defineModule({
  name: 'identity',
  messages,
  migrations: path.join(ROOT, 'src/identity/migrations'),
  tables: ['users', 'sessions', 'one_time_tokens', 'api_tokens', 'user_identities', 'login_devices'],
  nav: [
    { href: '/admin', label: 'nav.admin', order: 80, audience: 'platform-admin' },
    { href: '/konto', label: 'nav.account', order: 95, audience: 'signed-in' },
    { href: '/datenschutz', label: 'footer.privacy', order: 30, audience: 'everyone', place: 'footer' },
  ],
  access: {
    'GET /anmelden': access(ROWS.public, { query: { weiter: '/kommunen' } }),
    'POST /anmelden': access(ROWS.public, { form: { email: '$loginEmail', password: '$loginPassword' } }),
    'GET /anmelden/link': access(ROWS.public, { query: { token: '$token:login-link' } }),
    'POST /anmelden/link': access(ROWS.public, { form: { token: '$token:login-link' } }),
    // Single sign-on is not configured in the access-table app (it answers 404 then, by design); the
    // configured flow is tested against a real provider in oidc.int.test.ts.
    'GET /anmelden/oidc': access(ROWS.public, { allowStatus: 404 }),
    'GET /anmelden/oidc/callback': access(ROWS.public, { allowStatus: 404 }),
    'POST /abmelden': access(ROWS.user),
    'GET /registrieren': access(ROWS.public),
    'POST /registrieren': access(ROWS.public, {
      form: { email: '$newEmail', password: 'Drei Wörter sind besser als eins' },
    }),
    'GET /registrieren/danke': access(ROWS.public),
    'GET /konto/bestaetigen': access(ROWS.public, { query: { token: '$token:verify-email' } }),
    'GET /passwort-vergessen': access(ROWS.public),
    'POST /passwort-vergessen': access(ROWS.public, { form: { email: '$loginEmail' } }),
    'GET /passwort-neu': access(ROWS.public, { query: { token: '$token:password-reset' } }),
    'POST /passwort-neu': access(ROWS.public, {
      form: { token: '$token:password-reset', password: 'Ein neues langes Kennwort 2026' },
    }),
    'GET /konto': access(ROWS.user),
    'POST /konto/passwort': access(ROWS.user, { form: { current: '', password: 'Ein neues langes Kennwort 2026' } }),
    'POST /konto/abmelden-ueberall': access(ROWS.user),
    'GET /konto/tokens': access(ROWS.user),
    'POST /konto/tokens': access(ROWS.user, { form: { name: 'Test', scopes: 'register:read', expiryDays: '30' } }),
    'POST /konto/tokens/:id/widerrufen': access(ROWS.user, { params: { id: '$ownApiToken' } }),
    'GET /admin': access(ROWS.platformAdmin),
    'GET /admin/outbox': access(ROWS.platformAdmin),
    'GET /datenschutz': access(ROWS.public),
    'GET /konto/daten': access(ROWS.user),
    'GET /konto/loeschen': access(ROWS.user),
    // A wrong confirmation: the handler refuses and deletes nothing (the deletion itself is tested in
    // privacy.int.test.ts; here it would remove the test's accounts).
    'POST /konto/loeschen': access(ROWS.user, { form: { confirm: 'jemand-anders@example.org' }, allowStatus: 400 }),
    'GET /konto/geloescht': access(ROWS.public),
  },
  tokenScopes: {},
  pages: (d) => async (app: FastifyInstance) => {
    await app.register(identityPages(d));
    await app.register(apiTokenPages(d));
    await app.register(oidcPages(d));
    await app.register(adminPages(d));
    await app.register(privacyPages(d));
  },
  personalData: identityPersonalData,
  start: (d) => {
    // Remove accounts unverified for 7 days, expired device cookies and ended rate-limit windows, hourly.
    const deps = identityDeps(d);
    const tidy = () =>
      Promise.all([service.purgeUnverified(deps), service.pruneDevices(deps), d.limits.prune()]).catch(() => {
        /* retried in an hour */
      });
    void tidy();
    const timer = setInterval(tidy, 3600_000);
    timer.unref();
    return async () => clearInterval(timer);
  },
});
