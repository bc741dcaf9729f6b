/**
 * The routes of the conformance registry's pages: the public list and artefact pages, the registration form (URL or
 * file upload: multipart, in this plugin's scope only, CSRF checked by the platform on the `_csrf` field),
 * "Jetzt erneut prüfen" and removal. Every state change is a plain form (post-redirect-get).
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ForbiddenError, fieldError, type ShownFieldError, ValidationError } from '../../platform/errors.js';
import { localFieldErrors, localText, pageContext, sendHtml } from '../../platform/http/context.js';
import { IdParam, OptionalText, positiveId, Query } from '../../platform/http/forms.js';
import { renderPage } from '../../platform/http/layout.js';
import { text } from '../../platform/i18n/i18n.js';
import {
  ArtefactPage,
  artefactUrl,
  CONFORMANCE_PATH,
  ListPage,
  type RegisterFormValues,
  RegisterPage,
} from './conformance.views.js';
import { isStandard } from './registry.model.js';
import { type ConformanceService, TooSoonError } from './registry.service.js';

const Params = Type.Object({ id: IdParam });
const NOTICES = ['registriert', 'pruefung', 'entfernt'] as const;
type Notice = (typeof NOTICES)[number];
const NOTICE_KEY = {
  registriert: 'market.conformance.notice.registered',
  pruefung: 'market.conformance.notice.recheck',
  entfernt: 'market.conformance.notice.removed',
} as const;

/** A form field as a string: urlencoded fields are strings, multipart fields objects with a value. */
function field(body: unknown, name: string, max = 2000): string {
  const v = (body as Record<string, unknown> | null | undefined)?.[name];
  const raw =
    typeof v === 'string' ? v : v && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : '';
  return typeof raw === 'string' ? raw.slice(0, max) : '';
}

function shownErrors(request: FastifyRequest, err: AppError): ShownFieldError[] {
  const shown = localFieldErrors(request, err.fieldErrors);
  if (shown.length === 0 && err.detail) shown.push({ field: 'form', message: localText(request, err.detail) });
  return shown;
}

export const conformancePages =
  (service: ConformanceService): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { settings } = service.deps;
    await app.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: settings.maxUploadBytes, files: 1, fields: 10, parts: 11 },
      throwFileSizeLimit: true,
    });
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };
    const maybeActor = (request: FastifyRequest) => request.auth?.user ?? null;
    const actorOf = (request: FastifyRequest) => request.auth!.user;

    const detail = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      opts: { errors?: ShownFieldError[]; status?: number; checkId?: number | null } = {},
    ) => {
      const ctx = pageContext(request);
      const v = await service.view(maybeActor(request), id, opts.checkId ?? null);
      const q = request.query as { hinweis?: string } | undefined;
      const notice =
        q?.hinweis && (NOTICES as readonly string[]).includes(q.hinweis)
          ? ctx.t(NOTICE_KEY[q.hinweis as Notice])
          : null;
      return sendHtml(
        reply,
        renderPage(<ArtefactPage ctx={ctx} v={v} notice={notice} errors={opts.errors ?? []} />),
        opts.status ?? 200,
      );
    };
    /** A state change of an artefact's page; 409 and 429 show the page again with the message. */
    const onDetail = async (request: FastifyRequest, reply: FastifyReply, id: number, run: () => Promise<Notice>) => {
      try {
        const notice = await run();
        return reply.redirect(`${artefactUrl(id)}?hinweis=${notice}`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 409 || err.status === 429)) {
          if (err instanceof TooSoonError) reply.header('retry-after', String(err.retryAfterS));
          return detail(request, reply, id, { errors: shownErrors(request, err), status: err.status });
        }
        throw err;
      }
    };

    app.get(
      CONFORMANCE_PATH,
      { ...pub, schema: { querystring: Query({ standard: OptionalText(20) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const standard = isStandard(request.query.standard) ? request.query.standard : null;
        const list = await service.list({ ...(standard ? { standard } : {}), limit: 100 });
        const me = maybeActor(request);
        const canRegister = me ? (await service.workspacesFor(me)).length > 0 : false;
        return sendHtml(
          reply,
          renderPage(
            <ListPage ctx={ctx} rows={list.rows} total={list.total} standard={standard} canRegister={canRegister} />,
          ),
        );
      },
    );

    const formPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      values: RegisterFormValues,
      errors: ShownFieldError[],
      status = 200,
    ) => {
      const workspaces = await service.workspacesFor(actorOf(request));
      if (workspaces.length === 0) throw new ForbiddenError(text('market.conformance.err.workspaceMembersOnly'));
      return sendHtml(
        reply,
        renderPage(
          <RegisterPage
            ctx={pageContext(request)}
            workspaces={workspaces}
            values={values}
            errors={errors}
            maxUploadMb={Math.round(settings.maxUploadBytes / 1024 / 1024)}
          />,
        ),
        status,
      );
    };

    app.get(
      `${CONFORMANCE_PATH}/neu`,
      { ...user, schema: { querystring: Query({ loesung: OptionalText(15) }) } },
      async (request, reply) => {
        const solution = /^\d{1,15}$/.test(request.query.loesung ?? '') ? request.query.loesung : undefined;
        return formPage(request, reply, solution ? { subject: 'solution', solution } : {}, []);
      },
    );

    app.post(`${CONFORMANCE_PATH}/neu`, { config: { access: 'user', upload: true } }, async (request, reply) => {
      const body = request.body;
      const values: RegisterFormValues = {
        org: field(body, 'org', 20),
        subject: field(body, 'subject', 20),
        solution: field(body, 'solution', 20),
        standard: field(body, 'standard', 20),
        url: field(body, 'url', 2100),
      };
      try {
        const raw = (body as Record<string, unknown> | undefined)?.file as MultipartFile | undefined;
        let file: { name: string; bytes: Uint8Array; mediaType: string | null } | null = null;
        if (raw && typeof raw === 'object' && 'toBuffer' in raw && raw.filename) {
          try {
            file = { name: raw.filename, bytes: await raw.toBuffer(), mediaType: raw.mimetype || null };
          } catch {
            throw new ValidationError([
              fieldError('file', 'market.conformance.err.fileTooLarge', {
                max: `${Math.round(settings.maxUploadBytes / 1024 / 1024)} MB`,
              }),
            ]);
          }
        }
        const orgId = /^\d{1,15}$/.test(values.org ?? '') ? Number(values.org) : null;
        const subject =
          values.subject === 'solution'
            ? {
                kind: 'solution' as const,
                solutionId: /^\d{1,15}$/.test(values.solution ?? '') ? Number(values.solution) : 0,
              }
            : { kind: 'region' as const };
        const id = await service.register(actorOf(request), {
          orgId,
          subject,
          standard: values.standard ?? '',
          url: values.url ?? '',
          file,
        });
        return reply.redirect(`${artefactUrl(id)}?hinweis=registriert`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
        return formPage(request, reply, values, shownErrors(request, err), err.status);
      }
    });

    app.get(
      `${CONFORMANCE_PATH}/:id`,
      {
        ...pub,
        schema: { params: Params, querystring: Query({ hinweis: OptionalText(40), pruefung: OptionalText(15) }) },
      },
      async (request, reply) => {
        const checkId = /^\d{1,15}$/.test(request.query.pruefung ?? '') ? Number(request.query.pruefung) : null;
        return detail(request, reply, positiveId(request.params.id), { checkId });
      },
    );

    app.post(`${CONFORMANCE_PATH}/:id/pruefen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        await service.recheck(actorOf(request), id);
        return 'pruefung';
      });
    });

    app.post(`${CONFORMANCE_PATH}/:id/entfernen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        await service.remove(actorOf(request), id);
        return 'entfernt';
      });
    });
  };
