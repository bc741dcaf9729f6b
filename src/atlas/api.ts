/**
 * The atlas's JSON routes (under /api/v1), all public and read-only: the search with facets (JSON, or CSV with
 * `format=csv`), suggestions while typing, one project (JSON) and its JSON-LD (schema.org Project).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Db } from '../platform/db/db.js';
import { NotFoundError } from '../platform/errors.js';
import { problems } from '../platform/http/errors.js';
import { text } from '../platform/i18n/i18n.js';
import * as repo from './atlas.repository.js';
import { practiceUrl } from './atlas.views.js';
import { type PracticeExportRow, practiceJsonLd, practicesCsv } from './export.js';
import { practiceJson } from './practice-json.js';
import { FACETS } from './search/engine.js';
import { parsePracticeQuery, searchPractices, searchPracticesJson, suggestPractices } from './search.service.js';

/** A published project as the open data shows it. */
export function exportRowOf(
  row: repo.PracticeRow,
  names: ReadonlyMap<string, string>,
  reuses: number,
): PracticeExportRow {
  const content = row.published ?? row.content;
  return {
    id: String(row.id),
    externalId: row.externalId,
    content,
    regionNames: Object.fromEntries(content.regions.map((k) => [k, names.get(k) ?? k])),
    publishedAt: row.publishedAt ? row.publishedAt.toISOString() : null,
    updatedAt: row.updatedAt.toISOString(),
    reuses,
  };
}

const filterParams = Object.fromEntries(
  FACETS.map((f) => [
    f,
    Type.Optional(
      Type.Union([Type.String({ maxLength: 500 }), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 30 })]),
    ),
  ]),
);

export const atlasApi =
  (db: Db, publicUrl: string): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];
    const namesOf = async (rows: readonly repo.PracticeRow[]) =>
      new Map(
        (await repo.regionFacts(db, [...new Set(rows.flatMap((r) => (r.published ?? r.content).regions))])).map((r) => [
          r.key,
          r.name,
        ]),
      );

    app.get(
      '/practices',
      {
        config: { access: 'public' },
        schema: {
          tags: ['atlas'],
          security,
          operationId: 'getPractices',
          summary: 'Search the practice projects',
          description:
            'Published practice projects ranked for q (German analysis: inflection, compounds, synonyms, typos), with the total, ' +
            'facet counts (sector, dimension, state, sizeClass, status, standard, measure) and a cursor for the next page. ' +
            'Filters take one or more ids (repeated or comma-separated). format=csv answers the same hits as CSV.',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 500, description: 'Search words in German' })),
            ...filterParams,
            limit: Type.Optional(Type.String({ maxLength: 4, description: '1..100, default 20' })),
            cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
            format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          }),
          response: {
            200: Type.Unknown({ description: '{ total, items, facets, corrected, nextCursor }, or CSV' }),
            ...problems(400, 429),
          },
        },
      },
      async (request, reply) => {
        const query = parsePracticeQuery(request.query as Record<string, unknown>);
        if (request.query.format !== 'csv') {
          // From the index's pre-serialised items (ADR 0016): no rows read, nothing serialised but the frame.
          const body = await searchPracticesJson(db, query, publicUrl);
          return reply.header('content-type', 'application/json; charset=utf-8').send(body);
        }
        const results = await searchPractices(db, query);
        const names = await namesOf(results.hits.map((h) => h.row));
        const csv = practicesCsv(
          results.hits.map((h) => exportRowOf(h.row, names, h.confirmedReuses)),
          (id) => `${publicUrl}${practiceUrl(Number(id))}`,
          { bom: true },
        );
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="praxisbeispiele.csv"')
          .send(csv);
      },
    );

    app.get(
      '/practices/suggestions',
      {
        config: { access: 'public' },
        schema: {
          tags: ['atlas'],
          security,
          operationId: 'getPracticeSuggestions',
          summary: 'Suggestions while typing',
          description:
            'Completions of the beginning of a search word (at least 2 characters) from the published projects.',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200, description: 'The beginning of a word' })),
          }),
          response: { 200: Type.Unknown({ description: '{ suggestions: string[] }' }), ...problems(400, 429) },
        },
      },
      async (request) => ({ suggestions: await suggestPractices(db, request.query.q ?? '') }),
    );

    const Id = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'Number of the project' }) });
    const published = async (raw: string) => {
      const id = Number(raw);
      const row = await repo.practiceById(db, id);
      if (!row?.published) throw new NotFoundError(text('atlas.err.noSuchPractice', { id }));
      return row;
    };

    app.get(
      '/practices/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['atlas'],
          security,
          operationId: 'getPractice',
          summary: 'A practice project',
          description:
            'The published version of a project with its confirmed reuses (the contact person is not part of the open data).',
          params: Id,
          response: { 200: Type.Unknown({ description: 'A published practice project' }), ...problems(404, 429) },
        },
      },
      async (request) => {
        const row = await published(request.params.id);
        const reuses = await repo.reusesOfPractice(db, row.id);
        const confirmed = reuses.filter((u) => u.status === 'confirmed');
        return practiceJson(row, publicUrl, confirmed.length, {
          reuses: reuses
            .filter((u) => u.status === 'attested' || u.status === 'confirmed')
            .map((u) => ({
              regionKey: u.adopterRegionKey,
              name: u.adopterName,
              status: u.status,
              inUseSince: u.inUseSince,
            })),
        });
      },
    );

    app.get(
      '/practices/:id/jsonld',
      {
        config: { access: 'public' },
        schema: {
          tags: ['atlas'],
          security,
          operationId: 'getPracticeJsonLd',
          summary: 'A practice project as JSON-LD',
          description: 'The published version of a project as a schema.org Project (application/ld+json).',
          params: Id,
          response: { 200: Type.Unknown({ description: 'schema.org Project' }), ...problems(404, 429) },
        },
      },
      async (request, reply) => {
        const row = await published(request.params.id);
        const confirmed = (await repo.confirmedCounts(db, [row.id])).get(row.id) ?? 0;
        const doc = practiceJsonLd(
          exportRowOf(row, await namesOf([row]), confirmed),
          `${publicUrl}${practiceUrl(row.id)}`,
        );
        return reply.header('content-type', 'application/ld+json; charset=utf-8').send(JSON.stringify(doc));
      },
    );
  };
