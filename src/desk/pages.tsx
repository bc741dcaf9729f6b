/** What the desk's page files share: the page frame, form-error display and the small parsers of form values. */
import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Actor } from '../organisations/index.js';
import type { AppError, ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, localText } from '../platform/http/context.js';
import { Layout, type PageContext } from '../platform/http/layout.js';
import type { MessageKey } from '../platform/i18n/i18n.js';
import { formatDateTime } from '../platform/i18n/i18n.js';
import { STATES } from '../register/index.js';

export const actorOf = (request: FastifyRequest): Actor => request.auth!.user;
/** The signed-in person, or null on a public page. */
export const maybeActor = (request: FastifyRequest): Actor | null => request.auth?.user ?? null;
/** Date and time in the page's language. */
export const when = (ctx: PageContext, d: Date) => formatDateTime(ctx.lang, d);
/** The Länder's keys "01"–"16" (the register's list), for filters and forms. */
export const STATE_KEYS: readonly string[] = Object.keys(STATES);
/** A positive id from a form or query value, or 0. */
export const idOf = (v: string | undefined) => (/^\d{1,15}$/.test(v ?? '') ? Number(v) : 0);
/** The `version` a form was made from, or -1 (which never matches: the edit answers 409). */
export const versionOf = (f: Record<string, string>) => (/^\d{1,9}$/.test(f.version ?? '') ? Number(f.version) : -1);

/** An error's field messages in the request's language; an error without fields shows its detail. */
export function shown(request: FastifyRequest, err: AppError): ShownFieldError[] {
  const s = localFieldErrors(request, err.fieldErrors);
  if (s.length === 0 && err.detail) s.push({ field: 'form', message: localText(request, err.detail) });
  return s;
}

export interface DeskPageProps {
  ctx: PageContext;
  title: string;
  /** The document's <title> where it must differ from the heading (a search: each query its own title). */
  docTitle?: string;
  /** After "Start"; without, the part's own name (`section`). */
  crumbs?: { href?: string; label: string }[];
  notice?: string | null;
  children: ComponentChildren;
}

/** The page frame of one part of the desk: heading, breadcrumb (default: the part's name), a success notice. */
export function deskPage(section: MessageKey | null) {
  return function Page(props: DeskPageProps) {
    const { ctx } = props;
    const fallback = [{ label: section ? ctx.t(section) : props.title }];
    return (
      <Layout
        ctx={ctx}
        title={props.docTitle ?? props.title}
        breadcrumb={[{ href: '/', label: ctx.t('nav.home') }, ...(props.crumbs ?? fallback)]}
      >
        <h1 class="kern-heading-large">{props.title}</h1>
        {props.notice ? (
          <div class="kern-alert kern-alert--success" role="status">
            <div class="kern-alert__body">
              <p>{props.notice}</p>
            </div>
          </div>
        ) : null}
        {props.children}
      </Layout>
    );
  };
}
