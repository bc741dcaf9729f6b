import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorById } from '../identity/index.js';
import type { Db } from '../platform/db/db.js';
import { ConflictError, NotFoundError, UnauthorizedError } from '../platform/errors.js';
import { requireScope } from '../platform/http/auth.js';
import { problems } from '../platform/http/errors.js';
import { text } from '../platform/i18n/i18n.js';
import { availableMeasureVersions, loadMeasures } from './measures.js';
import { capacityReport } from './schedule.js';
import * as strategy from './strategy.service.js';

/** The person behind the request's token with `scope`, or null for a call without a token. */
async function tokenActor(db: Db, request: FastifyRequest, scope: string, required: boolean) {
  if (!request.apiToken && !required) return null;
  const auth = requireScope(request, scope);
  const actor = await actorById(db, auth.userId);
  if (!actor) throw new UnauthorizedError(text('error.invalidTokenDetail'));
  return actor;
}

/** For routes that need a token with `scope`: refused (401/403) before the body is validated. */
const needs = (scope: string) => ({
  preValidation: async (request: FastifyRequest) => {
    requireScope(request, scope);
  },
});

/** A strategy as the API shows it: its facts and its content, with the capacity per year. */
function strategyJson(row: strategy.StrategyRow) {
  return {
    id: row.id,
    regionKey: row.regionKey,
    status: row.status,
    revision: row.revision,
    checkId: row.checkId,
    previousId: row.previousId,
    submittedOn: row.submittedOn,
    adoptedOn: row.adoptedOn,
    decisionNumber: row.decisionNumber,
    councilUrl: row.councilUrl,
    published: row.published,
    isDemo: row.isDemo,
    updatedAt: row.updatedAt.toISOString(),
    content: row.content,
    capacity: capacityReport(row.content.items, row.content.capacity, row.content.startMonth),
  };
}

const StrategyResponse = Type.Unknown({
  description:
    'A strategy: id, regionKey, status (draft, submitted, adopted, superseded), revision (send it back with every change), ' +
    'checkId, adoption facts, published, isDemo, content (goals, items, capacity, governance; see the OpenAPI description) ' +
    'and capacity (staff and budget per year against the capacity, warnings).',
});

/** The strategy module's JSON routes (under /api/v1). */
export const strategyApi =
  (db: Db): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // Public routes: no token needed; a token sent must be valid (else 401).
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];
    app.get(
      '/measures',
      {
        config: { access: 'public' },
        schema: {
          tags: ['strategy'],
          security,
          operationId: 'getMeasures',
          summary: 'The measures catalogue',
          description:
            'Every measure a municipality can carry out, with the dimensions, sectors and questions of the maturity model ' +
            'it concerns, prerequisites, effort, cost, duration, sizes and types, standards, funding and sources.',
          querystring: Type.Object({
            version: Type.Optional(
              Type.String({ maxLength: 10, description: 'Catalogue edition, e.g. 1 (default: newest)' }),
            ),
          }),
          response: {
            200: Type.Unknown({ description: 'content/measures/v<version>.json, validated' }),
            ...problems(400, 401, 404, 429),
          },
        },
      },
      async (request) => {
        const versions = availableMeasureVersions();
        const wanted = request.query.version;
        if (wanted !== undefined && !versions.includes(wanted)) {
          throw new NotFoundError(text('measures.err.version', { versions: versions.join(', ') }));
        }
        return loadMeasures(wanted);
      },
    );

    app.get(
      '/strategies',
      {
        config: { access: 'public' },
        ...needs('strategy:read'),
        schema: {
          tags: ['strategy'],
          security: [{ bearerAuth: [] }],
          operationId: 'getStrategies',
          summary: 'The strategies of your workspaces',
          description:
            'Every strategy of the workspaces the token’s account is a member of, newest first (scope strategy:read).',
          response: { 200: Type.Unknown({ description: '{ items: strategy[] }' }), ...problems(401, 403, 429) },
        },
      },
      async (request) => {
        const actor = (await tokenActor(db, request, 'strategy:read', true))!;
        const rows = await strategy.strategiesOfActor(db, actor);
        return { items: rows.map(strategyJson) };
      },
    );

    const Id = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) });
    app.get(
      '/strategies/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['strategy'],
          security,
          operationId: 'getStrategy',
          summary: 'One strategy',
          description:
            'A published strategy for everyone; a strategy in work only with a token (scope strategy:read) of a member of its workspace.',
          params: Id,
          response: { 200: StrategyResponse, ...problems(401, 403, 404, 429) },
        },
      },
      async (request) => {
        const actor = await tokenActor(db, request, 'strategy:read', false);
        const v = await strategy.strategyView(db, actor, Number(request.params.id));
        return strategyJson(v.row);
      },
    );

    app.get(
      '/published-strategies/:key',
      {
        config: { access: 'public' },
        schema: {
          tags: ['strategy'],
          security,
          operationId: 'getPublishedStrategy',
          summary: 'The published strategy of a municipality',
          description: 'The newest adopted strategy a municipality published (404 when it published none).',
          params: Type.Object({ key: Type.String({ pattern: '^[0-9]{2,12}$' }) }),
          response: { 200: StrategyResponse, ...problems(400, 401, 404, 429) },
        },
      },
      async (request) => {
        const row = await strategy.publishedStrategy(db, request.params.key);
        if (!row) throw new NotFoundError(text('strategy.err.noPublished'));
        return strategyJson(row);
      },
    );

    app.post(
      '/strategies',
      {
        config: { access: 'public' },
        ...needs('strategy:write'),
        schema: {
          tags: ['strategy'],
          security: [{ bearerAuth: [] }],
          operationId: 'createStrategy',
          summary: 'Draft a strategy from a submitted check',
          description:
            'Makes the complete draft from a submitted Digitalcheck of your workspace (scope strategy:write). When the workspace ' +
            'already has a strategy in work, that one is returned with 200 instead of 201.',
          body: Type.Object({ checkId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
          response: { 200: StrategyResponse, 201: StrategyResponse, ...problems(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const actor = (await tokenActor(db, request, 'strategy:write', true))!;
        const out = await strategy.createDraft(db, actor, request.body.checkId, new Date());
        const v = await strategy.strategyView(db, actor, out.id);
        return reply.code(out.existing ? 200 : 201).send(strategyJson(v.row));
      },
    );

    const Item = Type.Object({
      id: Type.String({ pattern: '^[0-9]{1,15}$' }),
      measureId: Type.String({ pattern: '^[a-z0-9-]{1,80}$' }),
    });
    const conflictOrRow = async (actor: strategy.Actor, id: number, out: strategy.EditOutcome) => {
      if (!out.ok) {
        throw new ConflictError(
          text('strategy.err.apiConflict', { revisions: out.conflict.map((c) => c.revision).join(', ') }),
          {
            revision: out.current.revision,
            conflictingRevisions: out.conflict.map((c) => c.revision),
          },
        );
      }
      return strategyJson((await strategy.strategyView(db, actor, id)).row);
    };

    app.post(
      '/strategies/:id/items',
      {
        config: { access: 'public' },
        ...needs('strategy:write'),
        schema: {
          tags: ['strategy'],
          security: [{ bearerAuth: [] }],
          operationId: 'addStrategyItem',
          summary: 'Add a measure to a draft',
          description:
            'Adds a catalogue measure at its earliest fit (scope strategy:write). 409 when a colleague changed the same since `revision`.',
          params: Id,
          body: Type.Object(
            { measureId: Type.String({ maxLength: 80 }), revision: Type.Integer({ minimum: 1 }) },
            { additionalProperties: false },
          ),
          response: { 200: StrategyResponse, ...problems(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request) => {
        const actor = (await tokenActor(db, request, 'strategy:write', true))!;
        const id = Number(request.params.id);
        const out = await strategy.editStrategy(db, actor, id, request.body.revision, {
          kind: 'add',
          measureId: request.body.measureId,
        });
        return conflictOrRow(actor, id, out);
      },
    );

    const Fields = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 8000 }), Type.Number()]));
    /** A change of one measure (its plan or its implementation) from a JSON body of fields and the revision. */
    const itemRoute = (
      url: string,
      doc: { operationId: string; summary: string; description: string },
      edit: (raw: Record<string, string>, measureId: string, v: strategy.StrategyView) => strategy.Edit,
    ) =>
      app.post(
        url,
        {
          config: { access: 'public' },
          ...needs('strategy:write'),
          schema: {
            tags: ['strategy'],
            security: [{ bearerAuth: [] }],
            ...doc,
            params: Item,
            body: Type.Intersect([Type.Object({ revision: Type.Integer({ minimum: 1 }) }), Fields]),
            response: { 200: StrategyResponse, ...problems(400, 401, 403, 404, 409, 429) },
          },
        },
        async (request) => {
          const actor = (await tokenActor(db, request, 'strategy:write', true))!;
          const id = Number(request.params.id);
          const v = await strategy.strategyView(db, actor, id);
          const raw = Object.fromEntries(Object.entries(request.body).map(([k, x]) => [k, String(x)]));
          const out = await strategy.editStrategy(
            db,
            actor,
            id,
            request.body.revision,
            edit(raw, request.params.measureId, v),
          );
          return conflictOrRow(actor, id, out);
        },
      );

    itemRoute(
      '/strategies/:id/items/:measureId',
      {
        operationId: 'updateStrategyItem',
        summary: 'Change a measure of a draft',
        description:
          'The plan of one measure: owner, start ("YYYY-MM"), durationMonths, effortDays, costOneOff, costPerYear — all of them, ' +
          'with the `revision` the change is based on (scope strategy:write). 400 names each wrong field; 409 when a colleague changed this measure since.',
      },
      (raw, measureId, v) => ({
        kind: 'item',
        measureId,
        fields: strategy.parseItemFields(raw, v.row.content.startMonth),
      }),
    );
    itemRoute(
      '/strategies/:id/items/:measureId/progress',
      {
        operationId: 'updateStrategyProgress',
        summary: 'Record the implementation of a measure',
        description:
          'status (planned, in_progress, done, dropped), note, actualStart and actualEnd ("YYYY-MM" or empty), with the `revision` ' +
          '(scope strategy:write). Works on adopted strategies too: their plan is frozen, their implementation is not.',
      },
      (raw, measureId) => ({ kind: 'progress', measureId, fields: strategy.parseProgressFields(raw) }),
    );
  };
