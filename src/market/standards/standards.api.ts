/**
 * The standards catalogue's JSON routes (under /api/v1), public and read-only: the catalogue with filters and the
 * centre's current recommendations, and one standard with its measures and recommendations (current and history).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Db } from '../../platform/db/db.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { problems } from '../../platform/http/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import type { Standard } from './catalogue.js';
import { standardHref } from './standards.pages.js';
import * as service from './standards.service.js';

/** A recommendation as the open data shows it (without the advisor's account). */
export function recommendationJson(r: service.RecommendationRow) {
  return {
    id: r.id,
    sector: r.sector,
    standards: r.standardIds,
    rationale: r.rationale,
    catalogueVersion: r.catalogueVersion,
    publishedAt: r.publishedAt.toISOString(),
    supersedes: r.supersedes,
    supersededAt: r.supersededAt ? r.supersededAt.toISOString() : null,
    current: r.supersededAt === null,
  };
}

function standardJson(s: Standard, publicUrl: string, recommendedIn: string[]) {
  return { ...s, url: `${publicUrl}${standardHref(s.id)}`, recommendedIn };
}

const Recommendation = Type.Object({
  id: Type.Integer(),
  sector: Type.String({ description: 'Sector id of the maturity model' }),
  standards: Type.Array(Type.String(), { description: 'Ids of the standards a municipality should require' }),
  rationale: Type.String(),
  catalogueVersion: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  supersedes: Type.Union([Type.Integer(), Type.Null()]),
  supersededAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  current: Type.Boolean(),
});

export const standardsApi =
  (db: Db, publicUrl: string): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

    app.get(
      '/standards',
      {
        config: { access: 'public' },
        schema: {
          tags: ['market'],
          security,
          operationId: 'getStandards',
          summary: 'The standards catalogue',
          description:
            'Every standard of the newest catalogue (id, name, owner, version with its as-of date, sectors, purpose, ' +
            'obligation and its basis, specification links, source, the platform check) with the sectors whose current ' +
            'recommendation names it, and the current recommendation of the competence centre per sector. ' +
            'sector and obligation (mandatory, recommended) filter the standards.',
          querystring: Type.Object({
            sector: Type.Optional(Type.String({ maxLength: 100, description: 'Sector id of the maturity model' })),
            obligation: Type.Optional(Type.String({ maxLength: 20, description: 'mandatory or recommended' })),
          }),
          response: {
            200: Type.Object({
              catalogue: Type.Object({
                version: Type.String(),
                published: Type.String(),
                title: Type.Object({ de: Type.String(), en: Type.String() }),
                note: Type.Object({ de: Type.String(), en: Type.String() }),
              }),
              total: Type.Integer(),
              items: Type.Array(Type.Unknown({ description: 'A standard (see content/standards/README.md)' })),
              recommendations: Type.Array(Recommendation),
            }),
            ...problems(400, 429),
          },
        },
      },
      async (request) => {
        const { catalogue, model } = service.currentCatalogue();
        const parsed = service.parseStandardsFilter(request.query, model);
        if (parsed.errors.length) throw new ValidationError(parsed.errors);
        const current = await service.currentRecommendations(db);
        const items = service.filterStandards(catalogue.standards, parsed.filter);
        return {
          catalogue: {
            version: catalogue.version,
            published: catalogue.published,
            title: catalogue.title,
            note: catalogue.note,
          },
          total: items.length,
          items: items.map((s) =>
            standardJson(
              s,
              publicUrl,
              current.filter((r) => r.standardIds.includes(s.id)).map((r) => r.sector),
            ),
          ),
          recommendations: current.map(recommendationJson),
        };
      },
    );

    app.get(
      '/standards/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['market'],
          security,
          operationId: 'getStandard',
          summary: 'One standard',
          description:
            'One standard of the newest catalogue with the measures of the measures catalogue that involve it and the ' +
            'recommendations of the competence centre that name it: the current ones and the superseded ones (history).',
          params: Type.Object({ id: Type.String({ maxLength: 200, description: 'Id of the standard, e.g. oparl' }) }),
          response: {
            200: Type.Unknown({
              description: '{ …standard, measures: [{ id, title, url }], recommendations: { current, history } }',
            }),
            ...problems(404, 429),
          },
        },
      },
      async (request) => {
        const { catalogue } = service.currentCatalogue();
        if (!catalogue.standards.some((s) => s.id === request.params.id))
          throw new NotFoundError(text('market.standards.err.noSuchStandard', { id: request.params.id.slice(0, 80) }));
        const v = await service.standardDetail(db, request.params.id);
        return {
          ...standardJson(
            v.standard,
            publicUrl,
            v.current.map((r) => r.sector),
          ),
          measures: v.measures.map((m) => ({
            id: m.id,
            title: m.title,
            url: `${publicUrl}/massnahmen/${encodeURIComponent(m.id)}`,
          })),
          recommendations: { current: v.current.map(recommendationJson), history: v.history.map(recommendationJson) },
        };
      },
    );
  };
