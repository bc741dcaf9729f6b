import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError } from '../errors.js';
import type { MessageKey } from '../i18n/messages.js';
import { pageContext, sendHtml } from './context.js';
import { Layout, renderPage } from './layout.js';

export const PROBLEM_BASE = 'https://kommunallotse.de/probleme/';

/** A problem+json body (RFC 9457). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  requestId: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

function isApi(request: FastifyRequest) {
  return request.url.startsWith('/api/');
}

function fastifyFieldErrors(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => {
    const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
    const field = missing ?? (path || err.validationContext || 'request');
    return { field, message: `${field}: ${v.message ?? 'ungültig'}` };
  });
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  type: string,
  titleKey: MessageKey,
  detail?: string,
  extra: Record<string, unknown> = {},
) {
  const ctx = pageContext(request);
  if (isApi(request) || !request.headers.accept?.includes('text/html')) {
    const body: Problem = {
      type: PROBLEM_BASE + type,
      title: ctx.t(titleKey),
      status,
      ...(detail ? { detail } : {}),
      instance: request.url,
      requestId: String(request.id),
      ...extra,
    };
    return reply.code(status).type('application/problem+json; charset=utf-8').send(body);
  }
  const errors = (extra.errors as FieldError[] | undefined) ?? [];
  return sendHtml(
    reply,
    renderPage(
      <Layout ctx={ctx} title={ctx.t(titleKey)}>
        <h1 class="kern-heading-large">{ctx.t(titleKey)}</h1>
        {detail ? <p>{detail}</p> : null}
        {errors.length ? (
          <ul>
            {errors.map((e) => (
              <li key={e.field}>{e.message}</li>
            ))}
          </ul>
        ) : null}
        <p class="kern-body--small">
          {ctx.t('error.requestId')}: {String(request.id)}
        </p>
        <p>
          <a href="/">{ctx.t('error.back')}</a>
        </p>
      </Layout>,
    ),
    status,
  );
}

export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      return sendProblem(request, reply, err.status, err.type, err.titleKey as MessageKey, err.message, {
        ...(err.fieldErrors.length ? { errors: err.fieldErrors } : {}),
        ...err.extra,
      });
    }
    if (err.validation) {
      const errors = fastifyFieldErrors(err);
      return sendProblem(
        request,
        reply,
        400,
        'validation',
        'error.validation',
        errors.map((e) => e.message).join('; '),
        { errors },
      );
    }
    const status = err.statusCode ?? 500;
    if (status === 429) {
      return sendProblem(request, reply, 429, 'too-many-requests', 'error.tooMany', err.message);
    }
    if (status >= 400 && status < 500) {
      // Client errors from Fastify itself (bad JSON, wrong content type, body too large …): safe to name.
      return sendProblem(request, reply, status, `http-${status}`, 'error.validation', err.message);
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, 500, 'internal', 'error.internal');
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, 'not-found', 'error.notFound', `${request.method} ${request.url.split('?')[0]}`),
  );
}
