/**
 * The routes of the solution market's pages: the list with filters (plain GET form), a solution, its form (new, edit;
 * conflicts shown with both versions), submission, review, withdrawal, versions, references, reviews and answers,
 * the advisors' queue and the comparison (HTML, CSV, PDF). Every state change is a plain form (post-redirect-get).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ForbiddenError, type ShownFieldError, ValidationError } from '../../platform/errors.js';
import { localFieldErrors, localText, pageContext, sendHtml } from '../../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, Query } from '../../platform/http/forms.js';
import { renderPage } from '../../platform/http/layout.js';
import { text } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import { createFetcher } from '../conformance/fetch.js';
import { publiccodeToSolution } from '../conformance/publiccode/import.js';
import { FetchRefused } from '../conformance/types.js';
import { comparisonCsv, comparisonPdf, comparisonTable } from './compare.js';
import { formField, parseSolutionForm, type SolutionFormValues, solutionFormValues } from './form.js';
import { emptySolution, publiccodeFields } from './model.js';
import * as service from './solutions.service.js';
import { SOLUTIONS_PATH, solutionUrl } from './solutions.service.js';
import { ComparePage, ListPage, QueuePage, SolutionFormPage, SolutionPage, VersionsPage } from './views.js';

type Actor = service.Actor;
const actorOf = (request: FastifyRequest): Actor => request.auth!.user;
const maybeActor = (request: FastifyRequest): Actor | null => request.auth?.user ?? null;

const Params = Type.Object({ id: IdParam });
const RefParams = Type.Object({ id: IdParam, ref: IdParam });
const ReviewParams = Type.Object({ id: IdParam, review: IdParam });
const NOTICES = [
  'angelegt',
  'gespeichert',
  'eingereicht',
  'veroeffentlicht',
  'zurueck',
  'zurueckgezogen',
  'angefragt',
  'entschieden',
  'bewertet',
  'beantwortet',
  'uebernommen',
] as const;
type Notice = (typeof NOTICES)[number];

function shownErrors(request: FastifyRequest, err: AppError): ShownFieldError[] {
  const shown = localFieldErrors(request, err.fieldErrors).map((e) => ({ ...e, field: formField(e.field) }));
  if (shown.length === 0 && err.detail) shown.push({ field: 'form', message: localText(request, err.detail) });
  return shown;
}

const idOf = (v: unknown): number | null => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : null);

/** The pages; `conformance` is the seam of checked conformance (empty until the conformance part is merged). */
export const solutionsPages =
  (d: ModuleDeps, conformance: service.ConformanceSource = service.NO_CONFORMANCE): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const deps = (): service.SolutionDeps => ({
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
      const v = await service.solutionView(db, maybeActor(request), id, { conformance });
      const q = request.query as { hinweis?: string } | undefined;
      const notice =
        q?.hinweis && (NOTICES as readonly string[]).includes(q.hinweis)
          ? ctx.t(`market.solutions.notice.${q.hinweis as Notice}`)
          : null;
      return sendHtml(reply, renderPage(<SolutionPage ctx={ctx} v={v} notice={notice} errors={errors} />), status);
    };
    const back = (reply: FastifyReply, id: number, hinweis: Notice, anchor = '') =>
      reply.redirect(`${solutionUrl(id)}?hinweis=${hinweis}${anchor}`, 303);
    /** Run a state change of a solution's page; a 400/409 shows the page again with the message. */
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

    // ---- the market
    app.get(SOLUTIONS_PATH, { ...pub, schema: { querystring: Query({}) } }, async (request, reply) => {
      const ctx = pageContext(request);
      let query: service.SolutionQuery = {
        sector: null,
        standard: null,
        operatingModel: null,
        openSource: null,
        conformant: null,
        limit: 20,
        offset: 0,
      };
      let errors: ShownFieldError[] = [];
      let result = null;
      try {
        query = service.parseSolutionQuery(request.query as Record<string, unknown>);
        result = await service.listSolutions(db, query, conformance);
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        errors = localFieldErrors(request, err.fieldErrors);
      }
      const me = maybeActor(request);
      const canCreate = me ? (await service.providerWorkspaces(db, me)).length > 0 : false;
      return sendHtml(
        reply,
        renderPage(<ListPage ctx={ctx} query={query} result={result} errors={errors} canCreate={canCreate} />),
        errors.length ? 400 : 200,
      );
    });

    // ---- the comparison (HTML, CSV, PDF)
    app.get(
      `${SOLUTIONS_PATH}/vergleich`,
      {
        ...pub,
        schema: {
          querystring: Query({
            ids: Type.Optional(
              Type.Union([
                Type.String({ maxLength: 200 }),
                Type.Array(Type.String({ maxLength: 20 }), { maxItems: 10 }),
              ]),
            ),
            format: Type.Optional(Type.Union([Type.Literal('html'), Type.Literal('csv'), Type.Literal('pdf')])),
          }),
        },
      },
      async (request, reply) => {
        const ctx = pageContext(request);
        const raw = request.query.ids;
        const joined = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
        let ids: number[] = [];
        try {
          ids = service.parseCompareIds(joined);
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          return sendHtml(
            reply,
            renderPage(
              <ComparePage ctx={ctx} table={null} ids={[]} errors={localFieldErrors(request, err.fieldErrors)} />,
            ),
            400,
          );
        }
        const items = await service.compareSolutions(db, ids, conformance);
        const table = comparisonTable(items, ctx.t, ctx.lang, (id) => `${d.config.publicUrl}${solutionUrl(id)}`);
        const stamp = d.clock().toISOString().slice(0, 10);
        if (request.query.format === 'csv') {
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="loesungen-vergleich-${stamp}.csv"`)
            .send(comparisonCsv(table, ctx.t));
        }
        if (request.query.format === 'pdf') {
          const pdf = await comparisonPdf(table, {
            t: ctx.t,
            lang: ctx.lang,
            site: d.config.publicUrl,
            now: d.clock(),
          });
          return reply
            .header('content-type', 'application/pdf')
            .header('content-disposition', `attachment; filename="loesungen-vergleich-${stamp}.pdf"`)
            .send(pdf);
        }
        return sendHtml(reply, renderPage(<ComparePage ctx={ctx} table={table} ids={ids} />));
      },
    );

    // ---- new and edit
    const formPage = (request: FastifyRequest, args: Omit<Parameters<typeof SolutionFormPage>[0], 'ctx'>) =>
      renderPage(<SolutionFormPage ctx={pageContext(request)} {...args} />);
    const workspacesOf = async (me: Actor) => {
      const ws = await service.providerWorkspaces(db, me);
      if (ws.length === 0) throw new ForbiddenError(text('market.solutions.err.providersOnly'));
      const names = await Promise.all(ws.map(async (w) => (await service.workspaceName(db, w.orgId)) ?? ''));
      return ws.map((w, i) => ({ id: w.orgId, name: names[i]! }));
    };

    app.get(`${SOLUTIONS_PATH}/neu`, user, async (request, reply) => {
      const ctx = pageContext(request);
      const workspaces = await workspacesOf(actorOf(request));
      return sendHtml(
        reply,
        formPage(request, {
          title: ctx.t('market.solutions.new'),
          action: `${SOLUTIONS_PATH}/neu`,
          values: solutionFormValues(emptySolution()),
          errors: [],
          revision: null,
          backHref: SOLUTIONS_PATH,
          workspaces,
        }),
      );
    });

    app.post(
      `${SOLUTIONS_PATH}/neu`,
      { ...user, schema: { body: Form({ org: OptionalText(20) }) } },
      async (request, reply) => {
        const raw = request.body as SolutionFormValues;
        try {
          const id = await service.createSolution(deps(), actorOf(request), idOf(raw.org), parseSolutionForm(raw));
          return back(reply, id, 'angelegt');
        } catch (err) {
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          const ctx = pageContext(request);
          return sendHtml(
            reply,
            formPage(request, {
              title: ctx.t('market.solutions.new'),
              action: `${SOLUTIONS_PATH}/neu`,
              values: raw,
              errors: shownErrors(request, err),
              revision: null,
              backHref: SOLUTIONS_PATH,
              workspaces: await workspacesOf(actorOf(request)),
            }),
            400,
          );
        }
      },
    );

    app.get(`${SOLUTIONS_PATH}/pruefung`, user, async (request, reply) => {
      const me = actorOf(request);
      const [queue, own] = await Promise.all([service.reviewQueue(db, me), service.ownSolutions(db, me)]);
      return sendHtml(reply, renderPage(<QueuePage ctx={pageContext(request)} queue={queue} own={own} />));
    });

    app.get(
      `${SOLUTIONS_PATH}/:id`,
      { ...pub, schema: { params: Params, querystring: Query({ hinweis: OptionalText(40) }) } },
      async (request, reply) => detail(request, reply, positiveId(request.params.id)),
    );

    app.get(`${SOLUTIONS_PATH}/:id/bearbeiten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const { row } = await service.authorised(db, actorOf(request), id, service.SOLUTION_ACTION.edit);
      const ctx = pageContext(request);
      return sendHtml(
        reply,
        formPage(request, {
          title: ctx.t('market.solutions.editTitle', { name: row.content.name }),
          action: `${solutionUrl(id)}/bearbeiten`,
          values: solutionFormValues(row.content),
          errors: [],
          revision: row.revision,
          backHref: solutionUrl(id),
        }),
      );
    });

    app.post(
      `${SOLUTIONS_PATH}/:id/bearbeiten`,
      { ...user, schema: { params: Params, body: Form({ rev: OptionalText(12) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const raw = request.body as SolutionFormValues;
        const ctx = pageContext(request);
        const rev = Number(raw.rev) || 0;
        const page = (errors: ShownFieldError[], conflict: Parameters<typeof SolutionFormPage>[0]['conflict'] = null) =>
          formPage(request, {
            title: ctx.t('market.solutions.editTitle', { name: String(raw.name ?? '') }),
            action: `${solutionUrl(id)}/bearbeiten`,
            values: raw,
            errors,
            revision: rev,
            conflict,
            backHref: solutionUrl(id),
          });
        try {
          const out = await service.saveSolution(deps(), actorOf(request), id, parseSolutionForm(raw), rev);
          if (!out.ok) {
            const c = out.conflict;
            return sendHtml(
              reply,
              page([], {
                savedName: c.saved.name,
                savedSummary: c.saved.summary,
                changedAt: c.changedAt,
                revision: c.revision,
              }),
              409,
            );
          }
          return back(reply, id, 'gespeichert');
        } catch (err) {
          if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
          return sendHtml(reply, page(shownErrors(request, err)), err.status);
        }
      },
    );

    // ---- publiccode.yml: take over the details from the stored URL (fetched safely, 1 MB at most)
    const fetchPubliccode = createFetcher({ allowPrivate: d.config.check.allowPrivate });
    app.post(`${SOLUTIONS_PATH}/:id/publiccode`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        const actor = actorOf(request);
        const v = await service.solutionView(db, actor, id);
        if (!v.canEdit) throw new ForbiddenError();
        const url = v.content.publiccodeUrl;
        const fail = (detail: ReturnType<typeof text>) => new ValidationError([], detail);
        if (!url) throw fail(text('market.solutions.publiccode.noUrl'));
        let source: string;
        try {
          const got = await fetchPubliccode(url, { maxBytes: 1024 * 1024 });
          if (got.status < 200 || got.status > 299) {
            throw new FetchRefused('status', `${url}: der Server antwortet mit Status ${got.status}.`);
          }
          source = new TextDecoder('utf-8').decode(got.bytes);
        } catch (err) {
          if (err instanceof FetchRefused)
            throw fail(text('market.solutions.publiccode.refused', { reason: err.message }));
          throw err;
        }
        const mapped = publiccodeToSolution(source);
        if (!mapped?.publiccodeYmlVersion) throw fail(text('market.solutions.publiccode.notFile', { url }));
        await service.prefillFromPubliccode(deps(), actor, id, publiccodeFields(mapped, url));
        return back(reply, id, 'uebernommen');
      });
    });

    // ---- workflow
    app.post(`${SOLUTIONS_PATH}/:id/einreichen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        await service.submitSolution(deps(), actorOf(request), id);
        return back(reply, id, 'eingereicht');
      });
    });

    app.post(
      `${SOLUTIONS_PATH}/:id/pruefung`,
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
          await service.reviewSolution(
            deps(),
            actorOf(request),
            id,
            publish ? { publish: true, note: comment } : { publish: false, comment },
          );
          return back(reply, id, publish ? 'veroeffentlicht' : 'zurueck');
        });
      },
    );

    app.post(`${SOLUTIONS_PATH}/:id/zurueckziehen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onDetail(request, reply, id, async () => {
        await service.withdrawSolution(deps(), actorOf(request), id);
        return back(reply, id, 'zurueckgezogen');
      });
    });

    app.get(`${SOLUTIONS_PATH}/:id/versionen`, { ...pub, schema: { params: Params } }, async (request, reply) => {
      const { row, versions } = await service.versions(db, maybeActor(request), positiveId(request.params.id));
      return sendHtml(reply, renderPage(<VersionsPage ctx={pageContext(request)} row={row} versions={versions} />));
    });

    // ---- references
    app.post(
      `${SOLUTIONS_PATH}/:id/referenzen`,
      { ...user, schema: { params: Params, body: Form({ region: OptionalText(40), note: OptionalText(3000) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          await service.requestReference(
            deps(),
            actorOf(request),
            id,
            request.body.region ?? '',
            request.body.note ?? '',
          );
          return back(reply, id, 'angefragt', '#referenzen');
        });
      },
    );

    app.post(
      `${SOLUTIONS_PATH}/:id/referenzen/:ref/entscheiden`,
      {
        ...user,
        schema: {
          params: RefParams,
          body: Form({ decision: Type.Union([Type.Literal('confirm'), Type.Literal('decline')]) }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          await service.decideReference(
            deps(),
            actorOf(request),
            id,
            positiveId(request.params.ref),
            request.body.decision === 'confirm',
          );
          return back(reply, id, 'entschieden', '#referenzen');
        });
      },
    );

    // ---- reviews
    app.post(
      `${SOLUTIONS_PATH}/:id/bewertungen`,
      {
        ...user,
        schema: {
          params: Params,
          body: Form({ org: OptionalText(20), rating: OptionalText(2), body: OptionalText(6000) }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          const rating = /^\d$/.test(request.body.rating ?? '') ? Number(request.body.rating) : Number.NaN;
          await service.writeReview(deps(), actorOf(request), id, idOf(request.body.org), {
            rating,
            body: request.body.body ?? '',
          });
          return back(reply, id, 'bewertet', '#bewertungen');
        });
      },
    );

    app.post(
      `${SOLUTIONS_PATH}/:id/bewertungen/:review/antwort`,
      { ...user, schema: { params: ReviewParams, body: Form({ answer: OptionalText(6000) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        return onDetail(request, reply, id, async () => {
          await service.answerReview(
            deps(),
            actorOf(request),
            id,
            positiveId(request.params.review),
            request.body.answer ?? '',
          );
          return back(reply, id, 'beantwortet', '#bewertungen');
        });
      },
    );
  };
