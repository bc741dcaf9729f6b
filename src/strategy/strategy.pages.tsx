/**
 * The routes of the workspace's strategy pages: the overview (every part a plain form, saved at once;
 * conflicting edits shown with both values), a measure's plan and implementation, the settings, versions and
 * their diff, the council document (HTML, PDF, DOCX), submission, adoption, publication, and the public page
 * of a published strategy. The pages are in strategy.views.tsx and strategy-edit.views.tsx.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { myOrganisations } from '../organisations/index.js';
import { AppError, NotFoundError, type ShownFieldError } from '../platform/errors.js';
import { localFieldErrors, pageContext, sendHtml } from '../platform/http/context.js';
import { Form, IdParam, OptionalText, positiveId, Query } from '../platform/http/forms.js';
import { type PageContext, renderPage } from '../platform/http/layout.js';
import { type Lang, text } from '../platform/i18n/i18n.js';
import type { ModuleDeps } from '../platform/module.js';
import { renderStrategyDocument } from './document.js';
import type { StrategyDocumentInput } from './document-input.js';
import * as strategy from './strategy.service.js';
import { type ConflictInfo, measureTitle, StrategyLandingPage, StrategyPage, strategyUrl } from './strategy.views.js';
import { DiffPage, ItemPage, SettingsPage, VersionsPage } from './strategy-edit.views.js';

type Actor = strategy.Actor;
const actorOf = (request: FastifyRequest): Actor => request.auth!.user;
const maybeActor = (request: FastifyRequest): Actor | null => request.auth?.user ?? null;

// ---------------------------------------------------------------------------------------------
// Routes

const Params = Type.Object({ id: IdParam });
const ItemParams = Type.Object({ id: IdParam, measure: Type.String({ maxLength: 80, pattern: '^[a-z0-9-]+$' }) });
const Rev = { rev: OptionalText(12) };
const revOf = (body: { rev?: string }) => Number(body.rev ?? '') || 0;

function docLang(ctx: PageContext, wanted: string | undefined): Lang {
  return wanted === 'en' || wanted === 'de' ? wanted : ctx.lang;
}

export const strategyPages =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };

    const view = (request: FastifyRequest, id: number) => strategy.strategyView(db, maybeActor(request), id);
    /** Other modules' parts of the strategy page (e.g. the atlas's "Kommunen wie Ihre"). */
    const sectionsOf = async (request: FastifyRequest, v: strategy.StrategyView) => {
      const id = v.row.id;
      const ctx = pageContext(request);
      const parts = d.modules.flatMap((m) => m.strategySections?.(d) ?? []).sort((a, b) => a.order - b.order);
      const s = {
        id,
        orgId: v.row.orgId,
        regionKey: v.row.regionKey,
        checkId: v.row.checkId,
        measureIds: v.row.content.items.map((i) => i.measureId),
      };
      return Promise.all(parts.map((p) => p.render({ strategy: s, ctx, user: request.auth?.user ?? null })));
    };

    const overview = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      extra: {
        notice?: string | null;
        conflict?: ConflictInfo | null;
        errors?: ShownFieldError[];
        typed?: Record<string, string>;
      } = {},
      status = 200,
    ) => {
      const v = await view(request, id);
      return sendHtml(
        reply,
        renderPage(
          <StrategyPage ctx={pageContext(request)} v={v} sections={await sectionsOf(request, v)} {...extra} />,
        ),
        status,
      );
    };

    /** Run an edit from the overview: saved → back to the overview; conflict → the overview with both. */
    const editFromOverview = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      rev: number,
      edit: strategy.Edit,
      retry: ConflictInfo['retry'],
      /** What the person tried, in words (only needed, and only computed, for a conflict). */
      attempt: (v: strategy.StrategyView) => string,
      anchor: string,
    ) => {
      try {
        const out = await strategy.editStrategy(db, actorOf(request), id, rev, edit);
        if (!out.ok) {
          const last = out.conflict[out.conflict.length - 1]!;
          const v = await view(request, id);
          const conflict = { by: last.by, at: last.at, attempt: attempt(v), retry };
          return sendHtml(
            reply,
            renderPage(<StrategyPage ctx={pageContext(request)} v={v} conflict={conflict} />),
            409,
          );
        }
      } catch (err) {
        if (err instanceof AppError && err.status === 400) {
          return overview(request, reply, id, { errors: localFieldErrors(request, err.fieldErrors) }, 400);
        }
        throw err;
      }
      return reply.redirect(`${strategyUrl(id)}?gespeichert=1#${anchor}`, 303);
    };

    app.get('/strategie', pub, async (request, reply) => {
      const me = maybeActor(request);
      let workspaces: { id: number; name: string; strategies: strategy.StrategyRow[] }[] | null = null;
      if (me) {
        const orgs = (await myOrganisations(db, me.id)).filter((o) => o.kind === 'region');
        workspaces = await Promise.all(
          orgs.map(async (o) => ({ id: o.id, name: o.name, strategies: await strategy.strategiesOfOrg(db, me, o.id) })),
        );
      }
      return sendHtml(reply, renderPage(<StrategyLandingPage ctx={pageContext(request)} workspaces={workspaces} />));
    });

    app.get(
      '/strategie/:id',
      { ...pub, schema: { params: Params, querystring: Query({ gespeichert: OptionalText(20) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const saved = request.query.gespeichert;
        const notice =
          saved === 'entwurf'
            ? ctx.t('strategy.page.notice.drafted')
            : saved === 'vorhanden'
              ? ctx.t('strategy.page.notice.existing')
              : saved
                ? ctx.t('strategy.page.notice.saved')
                : null;
        return overview(request, reply, positiveId(request.params.id), { notice });
      },
    );

    app.post('/digitalcheck/:id/strategie', { ...user, schema: { params: Params } }, async (request, reply) => {
      const out = await strategy.createDraft(db, actorOf(request), positiveId(request.params.id), d.clock());
      return reply.redirect(`${strategyUrl(out.id)}?gespeichert=${out.existing ? 'vorhanden' : 'entwurf'}`, 303);
    });

    app.post(
      '/strategie/:id/ziele',
      { ...user, schema: { params: Params, body: Form({ ...Rev }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const v = await view(request, id);
        const raw = request.body as Record<string, string>;
        let targets: Record<string, number>;
        try {
          targets = strategy.parseGoals(raw, v.row.content);
        } catch (err) {
          if (err instanceof AppError && err.status === 400) {
            return overview(request, reply, id, { errors: localFieldErrors(request, err.fieldErrors) }, 400);
          }
          throw err;
        }
        const fields = Object.fromEntries(Object.entries(targets).map(([k, n]) => [`goal-${k}`, String(n)]));
        return editFromOverview(
          request,
          reply,
          id,
          revOf(request.body),
          { kind: 'goals', targets },
          { action: `${strategyUrl(id)}/ziele`, fields },
          () => pageContext(request).t('strategy.page.attempt.goals'),
          'ziele',
        );
      },
    );

    /** Move, remove or add a measure from the overview (a one-button form with the measure's id). */
    const measureEdit = (
      url: string,
      edit: (measureId: string, direction: 'up' | 'down') => strategy.Edit,
      attempt: 'strategy.page.attempt.move' | 'strategy.page.attempt.remove' | 'strategy.page.attempt.add',
      anchor: (measureId: string) => string,
    ) =>
      app.post(
        `/strategie/:id/${url}`,
        {
          ...user,
          schema: { params: Params, body: Form({ ...Rev, measure: OptionalText(80), direction: OptionalText(5) }) },
        },
        async (request, reply) => {
          const id = positiveId(request.params.id);
          const measureId = request.body.measure ?? '';
          const direction = request.body.direction === 'up' ? 'up' : 'down';
          const ctx = pageContext(request);
          return editFromOverview(
            request,
            reply,
            id,
            revOf(request.body),
            edit(measureId, direction),
            {
              action: `${strategyUrl(id)}/${url}`,
              fields: url === 'reihenfolge' ? { measure: measureId, direction } : { measure: measureId },
            },
            (v) => ctx.t(attempt, { title: measureTitle(v, measureId, ctx.lang) }),
            anchor(measureId),
          );
        },
      );
    measureEdit(
      'reihenfolge',
      (measureId, direction) => ({ kind: 'move', measureId, direction }),
      'strategy.page.attempt.move',
      (m) => `m-${m}`,
    );
    measureEdit(
      'entfernen',
      (measureId) => ({ kind: 'remove', measureId }),
      'strategy.page.attempt.remove',
      () => 'massnahmen',
    );
    // An id not in the catalogue is refused by the service with a field error on "measure".
    measureEdit(
      'hinzufuegen',
      (measureId) => ({ kind: 'add', measureId }),
      'strategy.page.attempt.add',
      (m) => `m-${m}`,
    );

    // A measure: its plan (draft only) and its implementation.
    const itemOf = (v: strategy.StrategyView, measureId: string) => {
      const item = v.row.content.items.find((i) => i.measureId === measureId);
      if (!item) throw new NotFoundError(text('strategy.err.noSuchItem'));
      return item;
    };

    app.get(
      '/strategie/:id/massnahmen/:measure',
      { ...pub, schema: { params: ItemParams } },
      async (request, reply) => {
        const v = await view(request, positiveId(request.params.id));
        return sendHtml(
          reply,
          renderPage(<ItemPage ctx={pageContext(request)} v={v} item={itemOf(v, request.params.measure)} />),
        );
      },
    );

    const itemPost =
      (which: 'plan' | 'progress') =>
      async (
        request: FastifyRequest<{ Params: { id: string; measure: string }; Body: Record<string, string> }>,
        reply: FastifyReply,
      ) => {
        const id = positiveId(request.params.id);
        const measureId = request.params.measure;
        const raw = (request.body ?? {}) as Record<string, string>;
        const rerender = async (
          errors: ShownFieldError[],
          conflict: { by: string | null; at: Date } | null,
          status: number,
        ) => {
          const v = await view(request, id);
          return sendHtml(
            reply,
            renderPage(
              <ItemPage
                ctx={pageContext(request)}
                v={v}
                item={itemOf(v, measureId)}
                typed={raw}
                errors={errors}
                conflict={conflict}
                which={which}
              />,
            ),
            status,
          );
        };
        try {
          const v = await view(request, id);
          itemOf(v, measureId);
          const edit: strategy.Edit =
            which === 'plan'
              ? { kind: 'item', measureId, fields: strategy.parseItemFields(raw, v.row.content.startMonth) }
              : { kind: 'progress', measureId, fields: strategy.parseProgressFields(raw) };
          const out = await strategy.editStrategy(db, actorOf(request), id, revOf(raw), edit);
          if (!out.ok) {
            const last = out.conflict[out.conflict.length - 1]!;
            return rerender([], { by: last.by, at: last.at }, 409);
          }
        } catch (err) {
          if (err instanceof AppError && err.status === 400)
            return rerender(localFieldErrors(request, err.fieldErrors), null, 400);
          throw err;
        }
        return reply.redirect(`${strategyUrl(id)}?gespeichert=1#m-${measureId}`, 303);
      };
    const ItemBody = Form({
      ...Rev,
      owner: OptionalText(400),
      start: OptionalText(20),
      durationMonths: OptionalText(20),
      effortDays: OptionalText(20),
      costOneOff: OptionalText(30),
      costPerYear: OptionalText(30),
    });
    const ProgressBody = Form({
      ...Rev,
      status: OptionalText(20),
      note: OptionalText(8000),
      actualStart: OptionalText(20),
      actualEnd: OptionalText(20),
    });
    app.post(
      '/strategie/:id/massnahmen/:measure',
      { ...user, schema: { params: ItemParams, body: ItemBody } },
      itemPost('plan') as never,
    );
    app.post(
      '/strategie/:id/massnahmen/:measure/umsetzung',
      { ...user, schema: { params: ItemParams, body: ProgressBody } },
      itemPost('progress') as never,
    );

    // Settings
    app.get('/strategie/:id/einstellungen', { ...user, schema: { params: Params } }, async (request, reply) => {
      const v = await view(request, positiveId(request.params.id));
      if (!v.canEdit) throw new NotFoundError(text('strategy.err.notDraft'));
      return sendHtml(reply, renderPage(<SettingsPage ctx={pageContext(request)} v={v} />));
    });
    const SettingsBody = Form({
      ...Rev,
      title: OptionalText(400),
      vision: OptionalText(8000),
      startMonth: OptionalText(20),
      staffDaysPerMonth: OptionalText(20),
      budgetPerYear: OptionalText(30),
      steering: OptionalText(4000),
      reportingCycle: OptionalText(20),
    });
    app.post(
      '/strategie/:id/einstellungen',
      { ...user, schema: { params: Params, body: SettingsBody } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const raw = (request.body ?? {}) as Record<string, string>;
        const rerender = async (
          errors: ShownFieldError[],
          conflict: { by: string | null; at: Date } | null,
          status: number,
        ) =>
          sendHtml(
            reply,
            renderPage(
              <SettingsPage
                ctx={pageContext(request)}
                v={await view(request, id)}
                typed={raw}
                errors={errors}
                conflict={conflict}
              />,
            ),
            status,
          );
        try {
          const fields = strategy.parseSettings(raw);
          const out = await strategy.editStrategy(db, actorOf(request), id, revOf(raw), { kind: 'settings', fields });
          if (!out.ok) {
            const last = out.conflict[out.conflict.length - 1]!;
            return rerender([], { by: last.by, at: last.at }, 409);
          }
        } catch (err) {
          if (err instanceof AppError && err.status === 400)
            return rerender(localFieldErrors(request, err.fieldErrors), null, 400);
          throw err;
        }
        return reply.redirect(`${strategyUrl(id)}?gespeichert=1#kapazitaet`, 303);
      },
    );

    // Versions
    app.get('/strategie/:id/versionen', { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const { row, revisions } = await strategy.history(db, actorOf(request), id);
      const v = await view(request, id);
      return sendHtml(
        reply,
        renderPage(<VersionsPage ctx={pageContext(request)} row={row} revisions={revisions} v={v} />),
      );
    });
    app.get(
      '/strategie/:id/vergleich',
      { ...user, schema: { params: Params, querystring: Query({ a: OptionalText(12), b: OptionalText(12) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const a = positiveId(request.query.a ?? '');
        const b = positiveId(request.query.b ?? '');
        const pair = await strategy.revisionPair(db, actorOf(request), id, Math.min(a, b), Math.max(a, b));
        const v = await view(request, id);
        return sendHtml(
          reply,
          renderPage(<DiffPage ctx={pageContext(request)} row={pair.row} a={pair.a} b={pair.b} v={v} />),
        );
      },
    );

    // The council document
    const DocQuery = Query({ sprache: OptionalText(5) });
    const docInput = async (request: FastifyRequest) => {
      const ctx = pageContext(request);
      const lang = docLang(ctx, (request.query as { sprache?: string }).sprache);
      const id = positiveId((request.params as { id: string }).id);
      return strategy.documentInput(db, maybeActor(request), id, lang, d.i18n.translator(lang), d.clock());
    };
    app.get(
      '/strategie/:id/dokument',
      { ...pub, schema: { params: Params, querystring: DocQuery } },
      async (request, reply) => {
        const input = await docInput(request);
        return sendHtml(reply, renderPage(renderStrategyDocument(pageContext(request), input)));
      },
    );
    /** The council document as a file (PDF or DOCX), named after the region, the strategy and the language. */
    const documentFile = (
      ext: 'pdf' | 'docx',
      type: string,
      render: (input: StrategyDocumentInput) => Promise<Buffer>,
    ) =>
      app.get(
        `/strategie/:id/dokument.${ext}`,
        { ...pub, schema: { params: Params, querystring: DocQuery } },
        async (request, reply) => {
          const input = await docInput(request);
          return reply
            .type(type)
            .header(
              'content-disposition',
              `attachment; filename="digitalstrategie-${input.region.key}-${input.strategy.id}-${input.lang}.${ext}"`,
            )
            .header('cache-control', 'no-store')
            .send(await render(input));
        },
      );
    // Loaded on first use: pdfkit, its fonts and docx cost start-up time otherwise.
    documentFile('pdf', 'application/pdf', async (input) =>
      (await import('./document/pdf.js')).renderStrategyPdf(input),
    );
    documentFile('docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', async (input) =>
      (await import('./document/docx.js')).renderStrategyDocx(input),
    );

    // Decisions (workspace admins)
    const decision = (url: string, run: (request: FastifyRequest, id: number) => Promise<string>) =>
      app.post(url, { ...user, schema: { params: Params } }, async (request, reply) => {
        const id = positiveId((request.params as { id: string }).id);
        return reply.redirect(await run(request, id), 303);
      });
    decision('/strategie/:id/vorlegen', async (request, id) => {
      await strategy.submitToCouncil(db, actorOf(request), id, d.clock().toISOString().slice(0, 10));
      return `${strategyUrl(id)}?gespeichert=1#beschluss`;
    });
    decision('/strategie/:id/entwurf', async (request, id) => {
      await strategy.backToDraft(db, actorOf(request), id);
      return `${strategyUrl(id)}?gespeichert=1#beschluss`;
    });
    decision('/strategie/:id/neue-fassung', async (request, id) => {
      const out = await strategy.newVersion(db, actorOf(request), id);
      return `${strategyUrl(out.id)}?gespeichert=${out.existing ? 'vorhanden' : '1'}`;
    });
    app.post(
      '/strategie/:id/veroeffentlichen',
      { ...user, schema: { params: Params, body: Form({ published: OptionalText(10) }) } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        await strategy.setPublished(db, actorOf(request), id, request.body.published !== 'false');
        return reply.redirect(`${strategyUrl(id)}?gespeichert=1#beschluss`, 303);
      },
    );
    app.post(
      '/strategie/:id/beschliessen',
      {
        ...user,
        schema: {
          params: Params,
          body: Form({
            adoptedOn: OptionalText(20),
            decisionNumber: OptionalText(200),
            councilUrl: OptionalText(2000),
          }),
        },
      },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        const raw = (request.body ?? {}) as Record<string, string>;
        try {
          const f = strategy.parseAdoption(raw, d.clock().toISOString().slice(0, 10));
          await strategy.adopt(db, actorOf(request), id, f);
        } catch (err) {
          if (err instanceof AppError && err.status === 400) {
            return overview(
              request,
              reply,
              id,
              { errors: localFieldErrors(request, err.fieldErrors), typed: raw },
              400,
            );
          }
          throw err;
        }
        return reply.redirect(`${strategyUrl(id)}?gespeichert=1#beschluss`, 303);
      },
    );

    // The published strategy of a region
    app.get(
      '/kommunen/:key/strategie',
      {
        ...pub,
        schema: { params: Type.Object({ key: Type.String({ pattern: '^[0-9]{2,12}$' }) }), querystring: DocQuery },
      },
      async (request, reply) => {
        const row = await strategy.publishedStrategy(db, request.params.key);
        if (!row) throw new NotFoundError(text('strategy.err.noPublished'));
        const ctx = pageContext(request);
        const lang = docLang(ctx, request.query.sprache);
        const input = await strategy.documentInputOf(db, row, lang, d.i18n.translator(lang), d.clock());
        return sendHtml(reply, renderPage(renderStrategyDocument(ctx, input, { publicKey: request.params.key })));
      },
    );
  };
