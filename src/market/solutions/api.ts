/**
 * The solution market's JSON routes (under /api/v1), public and read-only: the published solutions with the filters
 * of the market page, and one solution with its confirmed references, reviews and checked conformance. The contact
 * person is never part of the open data; review authors are not named (the reviewing workspace is).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Db } from '../../platform/db/db.js';
import { NotFoundError } from '../../platform/errors.js';
import { problems } from '../../platform/http/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import type { Verdict } from '../conformance/types.js';
import * as service from './solutions.service.js';
import { solutionUrl } from './solutions.service.js';

const verdictList = (m: ReadonlyMap<string, Verdict>) =>
  [...m].sort(([a], [b]) => a.localeCompare(b)).map(([standard, verdict]) => ({ standard, verdict }));

function solutionJson(row: service.SolutionRow, publicUrl: string, extra: Record<string, unknown>) {
  return {
    id: row.id,
    url: `${publicUrl}${solutionUrl(row.id)}`,
    provider: { name: row.providerName, workspaceId: row.orgId },
    version: row.publishedVersion,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    firstPublishedAt: row.firstPublishedAt?.toISOString() ?? null,
    isDemo: row.isDemo,
    ...extra,
    content: { ...row.published!, contact: null },
  };
}

const filter = (description: string) => Type.Optional(Type.String({ maxLength: 100, description }));

export const solutionsApi =
  (db: Db, publicUrl: string, conformance: service.ConformanceSource = service.NO_CONFORMANCE): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

    app.get(
      '/solutions',
      {
        config: { access: 'public' },
        schema: {
          tags: ['market'],
          security,
          operationId: 'getSolutions',
          summary: 'Solutions of the market',
          description:
            'Published solutions by name, with confirmed references, ratings and checked conformance. Filters: sector ' +
            '(maturity-model sector id), standard (claimed by the provider), operatingModel (saas, on-premises, ' +
            'municipal-it, open-source), openSource (true/false), conformant (a standard id, or any: only solutions ' +
            'whose latest check by the platform is conformant).',
          querystring: Type.Object({
            sector: filter('Sector id of the maturity model, e.g. verwaltung'),
            standard: filter('Standard id the provider claims, e.g. oparl'),
            operatingModel: Type.Optional(
              Type.Union(
                [
                  Type.Literal('saas'),
                  Type.Literal('on-premises'),
                  Type.Literal('municipal-it'),
                  Type.Literal('open-source'),
                ],
                { description: 'How it can be run' },
              ),
            ),
            openSource: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
            conformant: filter('Standard id with a conformant check, or any'),
            limit: Type.Optional(Type.String({ maxLength: 4, description: '1..100, default 20' })),
            offset: Type.Optional(Type.String({ maxLength: 7, description: 'Skip this many, default 0' })),
          }),
          response: {
            200: Type.Unknown({
              description:
                '{ total, items: [{ id, url, provider, content, confirmedReferences, rating, conformance }] }',
            }),
            ...problems(400, 429),
          },
        },
      },
      async (request) => {
        const q = service.parseSolutionQuery(request.query as Record<string, unknown>);
        const { total, items } = await service.listSolutions(db, q, conformance);
        return {
          total,
          limit: q.limit,
          offset: q.offset,
          items: items.map((x) =>
            solutionJson(x.row, publicUrl, {
              confirmedReferences: x.confirmedReferences,
              rating: x.rating ? { count: x.rating.n, mean: Math.round(x.rating.mean * 100) / 100 } : null,
              conformance: verdictList(x.verdicts),
            }),
          ),
        };
      },
    );

    app.get(
      '/solutions/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['market'],
          security,
          operationId: 'getSolution',
          summary: 'A solution',
          description:
            'The published version of a solution with its confirmed references, its reviews (by workspace, with the ' +
            'provider’s answer) and the checked conformance (the contact person is not part of the open data).',
          params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'Number of the solution' }) }),
          response: { 200: Type.Unknown({ description: 'A published solution' }), ...problems(404, 429) },
        },
      },
      async (request) => {
        const id = Number(request.params.id);
        const found = await service.publishedSolution(db, id, conformance);
        if (!found) throw new NotFoundError(text('market.solutions.err.noSuchSolution', { id }));
        return solutionJson(found.row, publicUrl, {
          confirmedReferences: found.references.length,
          references: found.references.map((r) => ({
            regionKey: r.regionKey,
            name: r.municipalityName,
            confirmedAt: r.decidedAt?.toISOString() ?? null,
          })),
          reviews: found.reviews.map((r) => ({
            id: r.id,
            workspace: r.workspaceName,
            regionKey: r.regionKey,
            rating: r.rating,
            text: r.body,
            createdAt: r.createdAt.toISOString(),
            answer: r.answer,
            answeredAt: r.answeredAt?.toISOString() ?? null,
          })),
          conformance: verdictList(found.verdicts),
        });
      },
    );
  };
