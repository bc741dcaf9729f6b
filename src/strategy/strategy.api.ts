import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../platform/errors.js';
import { problems } from '../platform/http/errors.js';
import { text } from '../platform/i18n/i18n.js';
import { availableMeasureVersions, loadMeasures } from './measures.js';

/** The strategy module's JSON routes (under /api/v1). */
export const strategyApi = (): FastifyPluginAsync => async (plain: FastifyInstance) => {
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
};
