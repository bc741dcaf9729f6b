/**
 * The routes of the atlas's pages: search, a project, its form (new, edit; conflicts shown with both versions),
 * submission, review, withdrawal, versions, attachments (multipart, this plugin's scope only), reuse requests,
 * attestation and confirmation, and the advisors' queue. Every state change is a plain form (post-redirect-get).
 */
import multipart, { type MultipartFile } from '@fastify/multipart';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ForbiddenError, fieldError, type ShownFieldError, ValidationError } from '../platform/errors.js';
import { localFieldErrors, localText, pageContext, sendHtml } from '../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, Query } from '../platform/http/forms.js';
import { renderPage } from '../platform/http/layout.js';
import { text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { exportRowOf } from './api.js';
import * as atlas from './atlas.service.js';
import {
  ATLAS_PATH,
  PracticeFormPage,
  PracticePage,
  practiceUrl,
  QueuePage,
  SearchPage,
  VersionsPage,
} from './atlas.views.js';
import { practiceJsonLd } from './export.js';
import { emptyPractice } from './model.js';
import { formField, formValuesOf, type PracticeFormValues, parsePracticeForm } from './practice-form.js';
import { type PracticeQuery, parsePracticeQuery, searchPractices } from './search.service.js';

type Actor = atlas.Actor;
const actorOf = (request: FastifyRequest): Actor => request.auth!.user;
const maybeActor = (request: FastifyRequest): Actor | null => request.auth?.user ?? null;

const Params = Type.Object({ id: IdParam });
const FileParams = Type.Object({ id: IdParam, file: IdParam });
const ReuseParams = Type.Object({ id: IdParam, reuse: IdParam });
const NOTICES = [
  'angelegt',
  'gespeichert',
  'eingereicht',
  'veroeffentlicht',
  'zurueck',
  'zurueckgezogen',
  'anhang',
  'angefragt',
  'bestaetigt',
  'entschieden',
] as const;

/** Form errors name content fields (`regions[1]`); the form's inputs have flat ids. */
function shownErrors(request: FastifyRequest, err: AppError): ShownFieldError[] {
  const shown = localFieldErrors(request, err.fieldErrors).map((e) => ({ ...e, field: formField(e.field) }));
  if (shown.length === 0 && err.detail) shown.push({ field: 'form', message: localText(request, err.detail) });
  return shown;
}

export const atlasPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    await app.register(multipart, {
      attachFieldsToBody: true,
      limits: { fileSize: atlas.ATTACHMENT_LIMITS.bytes, files: 1, fields: 5, parts: 6 },
      throwFileSizeLimit: true,
    });
    const { db } = d;
    const deps = (): atlas.AtlasDeps => ({
      db,
      mailer: d.mailer,
      publicUrl: d.config.publicUrl,
      t: d.i18n.translator('de'),
      now: d.clock,
    });
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };

    const detail = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      errors: ShownFieldError[] = [],
      status = 200,
    ) => {
      const ctx = pageContext(request);
      const v = await atlas.practiceView(db, maybeActor(request), id);
      const q = request.query as { hinweis?: string } | undefined;
      const notice =
        q?.hinweis && (NOTICES as readonly string[]).includes(q.hinweis)
          ? ctx.t(`atlas.notice.${q.hinweis as (typeof NOTICES)[number]}`)
          : null;
      const jsonLd = v.row.published
        ? JSON.stringify(
            practiceJsonLd(
              exportRowOf(v.row, new Map(v.regions.map((r) => [r.key, r.name])), 0),
              `${d.config.publicUrl}${practiceUrl(id)}`,
            ),
          ).replace(/</g, '\\u003c')
        : null;
      return sendHtml(
        reply,
        renderPage(<PracticePage ctx={ctx} v={v} notice={notice} errors={errors} jsonLd={jsonLd} />),
        status,
      );
    };
    const back = (reply: FastifyReply, id: number, hinweis: (typeof NOTICES)[number], anchor = '') =>
      reply.redirect(`${practiceUrl(id)}?hinweis=${hinweis}${anchor}`, 303);
    /** Run a state change of a project's page; a 400/409 shows the page again with the message. */
    const onDetail = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      run: () => Promise<FastifyReply>,
    ) => {
      try {
        return await run();
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          return detail(request, reply, id, shownErrors(request, err), err.status);
        }
        throw err;
      }
    };

    // ---- search
    app.get(
      ATLAS_PATH,
      { ...pub, schema: { querystring: Query({ q: OptionalText(500) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        let query: PracticeQuery = { q: '', filters: {}, limit: 20, offset: 0 };
        let errors: ShownFieldError[] = [];
        let results = null;
        try {
          query = parsePracticeQuery(request.query as Record<string, unknown>);
          results = await searchPractices(db, query);
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          errors = localFieldErrors(request, err.fieldErrors);
          query = { ...query, q: String((request.query as { q?: string }).q ?? '').slice(0, 200) };
        }
        const me = maybeActor(request);
        const canCreate = me ? (await atlas.ownWorkspaces(db, me)).length > 0 : false;
        return sendHtml(
          reply,
          renderPage(<SearchPage ctx={ctx} query={query} results={results} errors={errors} canCreate={canCreate} />),
          errors.length ? 400 : 200,
        );
      },
    );

    // ---- new and edit
    const formPage = (request: FastifyRequest, args: Omit<Parameters<typeof PracticeFormPage>[0], 'ctx'>) =>
      renderPage(<PracticeFormPage ctx={pageContext(request)} {...args} />);

    app.get(`${ATLAS_PATH}/neu`, user, async (request, reply) => {
      const ctx = pageContext(request);
      if ((await atlas.ownWorkspaces(db, actorOf(request))).length === 0) {
        throw new ForbiddenError(text('atlas.err.municipalMembersOnly'));
      }
      return sendHtml(
        reply,
        formPage(request, {
          title: ctx.t('atlas.new'),
          action: `${ATLAS_PATH}/neu`,
          values: formValuesOf(emptyPractice()),
          errors: [],
          revision: null,
          backHref: ATLAS_PATH,
        }),
      );
    });

    app.post(
      `${ATLAS_PATH}/neu`,
      { ...user, schema: { body: Form({ org: OptionalText(20) }) } },
      async (request, reply) => {
        const raw = request.body as PracticeFormValues;
        const { content, errors } = parsePracticeForm(raw);
        try {
          if (errors.length) throw new ValidationError(errors);
          const org = typeof raw.org === 'string' && /^\d{1,15}$/.test(raw.org) ? Number(raw.org) : null;
          const id = await atlas.createPractice(deps(), actorOf(request), org, content);
          return back(reply, id, 'angelegt');
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          const ctx = pageContext(request);
          return sendHtml(
            reply,
            formPage(request, {
              title: ctx.t('atlas.new'),
              action: `${ATLAS_PATH}/neu`,
              values: raw,
              errors: shownErrors(request, err),
              revision: null,
              backHref: ATLAS_PATH,
            }),
            400,
          );
        }
      },
    );

    app.get(`${ATLAS_PATH}/pruefung`, user, async (request, reply) => {
      const me = actorOf(request);
      const [rows, own] = await Promise.all([atlas.reviewQueue(db, me), atlas.ownPractices(db, me)]);
      return sendHtml(reply, renderPage(<QueuePage ctx={pageContext(request)} rows={rows} own={own} />));
    });

    app.get(
      `${ATLAS_PATH}/:id`,
      { ...pub, schema: { params: Params, querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => detail(request, reply, positiveId(request.params.id)),
    );

    app.get(`${ATLAS_PATH}/:id/bearbeiten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const { row } = await atlas.authorised(db, actorOf(request), id, atlas.ATLAS_ACTION.edit);
      const ctx = pageContext(request);
      return sendHtml(
        reply,
        formPage(request, {
          title: ctx.t('atlas.editTitle', { title: row.content.title }),
          action: `${practiceUrl(id)}/bearbeiten`,
          values: formValuesOf(row.content),
          errors: [],
          revision: row.revision,
          backHref: practiceUrl(id),
        }),
      );
    });

    app.post(
      `${ATLAS_PATH}/:id/bearbeiten`,
      { ...user, schema: { params: Params, body: Form({ rev: OptionalText(12), force: OptionalText(2) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const raw = request.body as PracticeFormValues;
        const ctx = pageContext(request);
        const rev = Number(raw.rev) || 0;
        const page = (errors: ShownFieldError[], conflict: Parameters<typeof PracticeFormPage>[0]['conflict'] = null) =>
          formPage(request, {
            title: ctx.t('atlas.editTitle', { title: String(raw.title ?? '') }),
            action: `${practiceUrl(id)}/bearbeiten`,
            values: raw,
            errors,
            revision: rev,
            conflict,
            backHref: practiceUrl(id),
          });
        const { content, errors } = parsePracticeForm(raw);
        try {
          if (errors.length) throw new ValidationError(errors);
          const out = await atlas.savePractice(deps(), actorOf(request), id, content, rev);
          if (!out.ok) {
            const c = out.conflict;
            return sendHtml(
              reply,
              page([], {
                savedTitle: c.saved.title,
                savedSummary: c.saved.summary,
                changedAt: c.changedAt,
                revision: c.revision,
              }),
              409,
            );
          }
          return back(reply, id, 'gespeichert');
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          return sendHtml(reply, page(shownErrors(request, err)), 400);
        }
      },
    );

    // ---- workflow
    app.post(`${ATLAS_PATH}/:id/einreichen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        await atlas.submitPractice(deps(), actorOf(request), id);
        return back(reply, id, 'eingereicht');
      });
    });

    app.post(
      `${ATLAS_PATH}/:id/pruefung`,
      {
        ...user,
        schema: {
          params: Params,
          body: Form({
            decision: Type.Union([Type.Literal('publish'), Type.Literal('changes')]),
            comment: OptionalText(5000),
          }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const comment = request.body.comment ?? '';
        return onDetail(request, reply, id, async () => {
          const publish = request.body.decision === 'publish';
          await atlas.reviewPractice(
            deps(),
            actorOf(request),
            id,
            publish ? { publish: true, note: comment } : { publish: false, comment },
          );
          return back(reply, id, publish ? 'veroeffentlicht' : 'zurueck');
        });
      },
    );

    app.post(`${ATLAS_PATH}/:id/zurueckziehen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        await atlas.withdrawPractice(deps(), actorOf(request), id);
        return back(reply, id, 'zurueckgezogen');
      });
    });

    app.get(`${ATLAS_PATH}/:id/versionen`, { ...pub, schema: { params: Params } }, async (request, reply) => {
      const { row, versions } = await atlas.versions(db, maybeActor(request), positiveId(request.params.id));
      return sendHtml(reply, renderPage(<VersionsPage ctx={pageContext(request)} row={row} versions={versions} />));
    });

    // ---- attachments
    app.post(
      `${ATLAS_PATH}/:id/anhaenge`,
      { config: { access: 'user', upload: true }, schema: { params: Params } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          // Who may not upload learns that first (not that the file is missing).
          await atlas.authorised(db, actorOf(request), id, atlas.ATLAS_ACTION.edit);
          const body = (request.body ?? {}) as Record<string, unknown>;
          const file = body.file as MultipartFile | undefined;
          if (!file || typeof file !== 'object' || !('toBuffer' in file))
            throw new ValidationError([fieldError('file', 'atlas.err.fileMissing')]);
          let bytes: Buffer;
          try {
            bytes = await file.toBuffer();
          } catch {
            throw new ValidationError([fieldError('file', 'atlas.err.fileTooLarge', { max: '10 MB' })]);
          }
          await atlas.addAttachment(deps(), actorOf(request), id, { filename: file.filename, bytes });
          return back(reply, id, 'anhang');
        });
      },
    );

    app.get(`${ATLAS_PATH}/:id/anhaenge/:file`, { ...pub, schema: { params: FileParams } }, async (request, reply) => {
      const f = await atlas.attachment(
        db,
        maybeActor(request),
        positiveId(request.params.id),
        positiveId(request.params.file),
      );
      return reply
        .header('content-type', f.mediaType)
        .header('content-disposition', `attachment; filename="${f.filename}"`)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cache-control', 'private, max-age=3600')
        .send(Buffer.from(f.bytes));
    });

    app.post(
      `${ATLAS_PATH}/:id/anhaenge/:file/loeschen`,
      { ...user, schema: { params: FileParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          await atlas.removeAttachment(deps(), actorOf(request), id, positiveId(request.params.file));
          return back(reply, id, 'gespeichert');
        });
      },
    );

    // ---- reuse
    app.post(
      `${ATLAS_PATH}/:id/nachnutzen`,
      { ...user, schema: { params: Params, body: Form({ org: OptionalText(20), message: OptionalText(6000) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          const org = request.body.org && /^\d{1,15}$/.test(request.body.org) ? Number(request.body.org) : null;
          await atlas.requestReuse(deps(), actorOf(request), id, org, request.body.message ?? '');
          return back(reply, id, 'angefragt', '#nachnutzung');
        });
      },
    );

    app.post(
      `${ATLAS_PATH}/:id/nachnutzung/:reuse/bestaetigen`,
      { ...user, schema: { params: ReuseParams, body: Form({ since: OptionalText(20) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          await atlas.attestReuse(
            deps(),
            actorOf(request),
            id,
            positiveId(request.params.reuse),
            (request.body.since ?? '').trim(),
          );
          return back(reply, id, 'bestaetigt', '#nachnutzung');
        });
      },
    );

    app.post(
      `${ATLAS_PATH}/:id/nachnutzung/:reuse/entscheiden`,
      {
        ...user,
        schema: {
          params: ReuseParams,
          body: Form({ decision: Type.Union([Type.Literal('confirm'), Type.Literal('decline')]) }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          await atlas.decideReuse(
            deps(),
            actorOf(request),
            id,
            positiveId(request.params.reuse),
            request.body.decision === 'confirm',
          );
          return back(reply, id, 'entschieden', '#nachnutzung');
        });
      },
    );
  };
