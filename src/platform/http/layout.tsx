import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ComponentChildren } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { ShownFieldError } from '../errors.js';
import type { Lang, Translate } from '../i18n/i18n.js';
import type { NavEntry } from '../module.js';
import { ASSETS_DIR, KERN_DIR } from '../paths.js';

/** What every page needs to know about the request it answers. */
export interface PageContext {
  lang: Lang;
  t: Translate;
  /** Path and query of the current request, for the language switch. */
  url: string;
  requestId: string;
  /** The signed-in person, null when anonymous. */
  user: { email: string; isPlatformAdmin: boolean; actingFor: string | null } | null;
  /** CSRF token every state-changing form of this page carries in `_csrf`. */
  csrfToken: string;
  /** The main navigation (declared by the modules). */
  nav: readonly NavEntry[];
}

/** The hidden CSRF field of a state-changing form. */
export function CsrfField({ ctx }: { ctx: PageContext }) {
  return <input type="hidden" name="_csrf" value={ctx.csrfToken} />;
}

export interface Crumb {
  href?: string;
  label: string;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  breadcrumb?: Crumb[];
  children: ComponentChildren;
}

/**
 * The version in the stylesheet URLs, which are cached as immutable for a year: a hash of the stylesheets'
 * content, so that every change reaches the browsers without anyone remembering to bump a number.
 */
export const ASSET_VERSION = (() => {
  const hash = createHash('sha256');
  for (const file of [path.join(ASSETS_DIR, 'site.css'), path.join(KERN_DIR, 'kern.min.css')]) {
    hash.update(fs.readFileSync(file));
  }
  return hash.digest('hex').slice(0, 10);
})();

/** The navigation entries this person sees, in order. */
function navFor(ctx: PageContext, place: 'main' | 'footer' = 'main'): NavEntry[] {
  return ctx.nav
    .filter((n) => (n.place ?? 'main') === place)
    .filter(
      (n) =>
        n.audience === 'everyone' ||
        (n.audience === 'signed-in' && ctx.user) ||
        (n.audience === 'platform-admin' && ctx.user?.isPlatformAdmin),
    )
    .sort((a, b) => a.order - b.order);
}

function isCurrent(url: string, href: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === href || path.startsWith(`${href}/`);
}

function langSwitchHref(ctx: PageContext): string {
  const other = ctx.lang === 'de' ? 'en' : 'de';
  return `/sprache?lang=${other}&zurueck=${encodeURIComponent(ctx.url)}`;
}

export function Layout({ ctx, title, breadcrumb, children }: LayoutProps) {
  const { t } = ctx;
  const other = ctx.lang === 'de' ? 'en' : 'de';
  return (
    <html lang={ctx.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === t('site.name') ? title : `${title} – ${t('site.name')}`}</title>
        <link rel="stylesheet" href={`/assets/kern/kern.min.css?v=${ASSET_VERSION}`} />
        <link rel="stylesheet" href={`/assets/site.css?v=${ASSET_VERSION}`} />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      </head>
      <body class="kern-body">
        <a class="skip-link" href="#inhalt">
          {t('nav.skip')}
        </a>
        <header class="site-header">
          <div class="kern-container site-header__inner">
            <a class="site-brand" href="/">
              <span class="site-brand__name">{t('site.name')}</span>
              <span class="site-brand__tagline">{t('site.tagline')}</span>
            </a>
            <nav aria-label={t('nav.main')} class="site-nav">
              <ul>
                {navFor(ctx).map((n) => (
                  <li key={n.href}>
                    <a href={n.href} aria-current={isCurrent(ctx.url, n.href) ? 'page' : undefined}>
                      {t(n.label)}
                    </a>
                  </li>
                ))}
                {ctx.user ? (
                  <li>
                    <form method="post" action="/abmelden" class="inline-form">
                      <CsrfField ctx={ctx} />
                      <button type="submit" class="link-button">
                        {t('nav.logout')}
                      </button>
                    </form>
                  </li>
                ) : (
                  <li>
                    <a href="/anmelden">{t('nav.login')}</a>
                  </li>
                )}
                <li>
                  <a href={langSwitchHref(ctx)} hreflang={other} lang={other}>
                    {t('nav.switchTo')}
                  </a>
                </li>
              </ul>
            </nav>
          </div>
        </header>
        {ctx.user?.actingFor ? (
          <p class="kern-container acting-for">
            {t('nav.actingFor')}: <strong>{ctx.user.actingFor}</strong>
          </p>
        ) : null}
        {breadcrumb && breadcrumb.length > 0 ? (
          <nav aria-label={t('nav.breadcrumb')} class="kern-container breadcrumb">
            <ol>
              {breadcrumb.map((c, i) => (
                <li key={c.href ?? c.label}>
                  {c.href && i < breadcrumb.length - 1 ? (
                    <a href={c.href}>{c.label}</a>
                  ) : (
                    <span aria-current="page">{c.label}</span>
                  )}
                </li>
              ))}
            </ol>
          </nav>
        ) : null}
        <main id="inhalt" class="kern-container site-main" tabindex={-1}>
          {children}
        </main>
        <footer class="site-footer">
          <div class="kern-container">
            <nav aria-label={t('footer.label')}>
              <ul>
                {navFor(ctx, 'footer').map((n) => (
                  <li key={n.href}>
                    <a href={n.href}>{t(n.label)}</a>
                  </li>
                ))}
              </ul>
            </nav>
            <p class="kern-body--small">{t('footer.licence')}</p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** Error summary at the top of a form (GOV.UK / KERN pattern): each message links to its field. */
export function ErrorSummary({ ctx, errors }: { ctx: PageContext; errors: readonly ShownFieldError[] }) {
  if (errors.length === 0) return null;
  return (
    <div class="kern-alert kern-alert--danger error-summary" role="alert" tabindex={-1}>
      <div class="kern-alert__header">
        <h2 class="kern-title">{ctx.t('error.summary')}</h2>
      </div>
      <div class="kern-alert__body">
        <ul>
          {errors.map((e) => (
            <li key={e.field}>{e.field === 'form' ? e.message : <a href={`#${e.field}`}>{e.message}</a>}</li>
          ))}
        </ul>
      </div>
    </div>
  );
}

export function renderPage(node: preact.VNode): string {
  return `<!DOCTYPE html>${renderToString(node)}`;
}
