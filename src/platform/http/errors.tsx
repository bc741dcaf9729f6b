import { Type } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldError, fieldError, fromDbError, type ShownFieldError } from '../errors.js';
import type { MessageKey, Text } from '../i18n/i18n.js';
import { localFieldErrors, localText, pageContext, sendHtml } from './context.js';
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
  errors?: ShownFieldError[];
  [extra: string]: unknown;
}

/** The one schema of problem answers, for every API route's error responses. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI of the problem type' }),
    title: Type.String({ description: 'Short summary in the language of Accept-Language' }),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'One entry per invalid field',
      }),
    ),
  },
  { additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' },
);

/** Error responses of an API route: `{ 400: ProblemSchema, … }`. */
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, ProblemSchema])) as Record<number, typeof ProblemSchema>;

function isApi(request: FastifyRequest) {
  return request.url.startsWith('/api/');
}

/**
 * Field errors of a failed schema validation, in the reader's language. The messages say which field and what
 * is wrong (required, too long, not a number, not one of the allowed values), never the validator's jargon.
 */
export function schemaFieldErrors(err: FastifyError): FieldError[] {
  return (err.validation ?? []).map((v) => {
    const path = (v.instancePath || '').replace(/^\//, '').replace(/\//g, '.');
    const params = (v.params ?? {}) as Record<string, unknown>;
    const missing = typeof params.missingProperty === 'string' ? params.missingProperty : undefined;
    const field = missing ?? (path || err.validationContext || 'request');
    switch (v.keyword) {
      case 'required':
        return fieldError(field, 'form.required', { field });
      case 'maxLength':
        return fieldError(field, 'form.tooLong', { field, max: Number(params.limit) });
      case 'minLength':
        return fieldError(field, Number(params.limit) <= 1 ? 'form.required' : 'form.tooShort', {
          field,
          min: Number(params.limit),
        });
      case 'maximum':
        return fieldError(field, 'form.tooLarge', { field, max: Number(params.limit) });
      case 'minimum':
        return fieldError(field, 'form.tooSmall', { field, min: Number(params.limit) });
      case 'type':
        return fieldError(
          field,
          params.type === 'integer' || params.type === 'number' ? 'form.notNumber' : 'form.invalid',
          {
            field,
          },
        );
      case 'pattern':
      case 'format':
      case 'enum':
      case 'const':
      case 'anyOf':
        return fieldError(field, 'form.invalid', { field });
      case 'additionalProperties':
        return fieldError(String(params.additionalProperty ?? field), 'form.unknownField', {
          field: String(params.additionalProperty ?? field),
        });
      default:
        return fieldError(field, 'form.invalid', { field });
    }
  });
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  type: string,
  titleKey: MessageKey,
  detail?: Text | null,
  extra: Record<string, unknown> = {},
  fieldErrors: readonly FieldError[] = [],
) {
  const ctx = pageContext(request);
  const errors = localFieldErrors(request, fieldErrors);
  const detailText = detail ? localText(request, detail) : undefined;
  if (isApi(request) || !request.headers.accept?.includes('text/html')) {
    const body: Problem = {
      type: PROBLEM_BASE + type,
      title: ctx.t(titleKey),
      status,
      ...(detailText ? { detail: detailText } : {}),
      instance: request.url.split('?')[0],
      requestId: String(request.id),
      ...(errors.length ? { errors } : {}),
      ...extra,
    };
    return reply
      .code(status)
      .type('application/problem+json; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(body);
  }
  return sendHtml(
    reply,
    renderPage(
      <Layout ctx={ctx} title={ctx.t(titleKey)}>
        <h1 class="kern-heading-large">{ctx.t(titleKey)}</h1>
        {detailText ? <p>{detailText}</p> : null}
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

export function sendAppError(request: FastifyRequest, reply: FastifyReply, err: AppError) {
  return sendProblem(request, reply, err.status, err.type, err.titleKey, err.detail, err.extra, err.fieldErrors);
}

export function installErrorHandlers(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) return sendAppError(request, reply, err);
    const mapped = fromDbError(err);
    if (mapped) {
      request.log.info({ code: (err as { code?: string }).code }, 'database constraint answered as client error');
      return sendAppError(request, reply, mapped);
    }
    if (err.validation) {
      return sendProblem(request, reply, 400, 'validation', 'error.validation', null, {}, schemaFieldErrors(err));
    }
    const status = err.statusCode ?? 500;
    if (status === 429) return sendProblem(request, reply, 429, 'too-many-requests', 'error.tooMany');
    if (status >= 400 && status < 500) {
      // Client errors from Fastify itself (bad JSON, wrong content type, body too large …): safe to name.
      return sendProblem(request, reply, status, `http-${status}`, 'error.validation', {
        key: 'error.httpClient',
        params: { message: err.message },
      });
    }
    request.log.error({ err }, 'unhandled error');
    return sendProblem(request, reply, 500, 'internal', 'error.internal');
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, 404, 'not-found', 'error.notFound', {
      key: 'error.noSuchPath',
      params: { path: `${request.method} ${request.url.split('?')[0]}` },
    }),
  );
}
