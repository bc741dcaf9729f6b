import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { Db } from '../platform/db/db.js';
import { requestLang } from '../platform/http/context.js';
import { problems } from '../platform/http/errors.js';
import { designationLabel } from './gv100ad.js';
import { displayName } from './names.js';
import type { RegionRow } from './register.repository.js';
import * as service from './register.service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Level = Type.Union(
  [
    Type.Literal('land'),
    Type.Literal('regierungsbezirk'),
    Type.Literal('region'),
    Type.Literal('kreis'),
    Type.Literal('gemeindeverband'),
    Type.Literal('gemeinde'),
  ],
  { description: 'Level in the administrative hierarchy' },
);

const RegionRef = Type.Object({ key: Type.String(), level: Level, name: Type.String() });

const RegionSummary = Type.Object({
  key: Type.String({ description: 'AGS for a Gemeinde (8 digits), otherwise the level key (2–5 or 9 digits)' }),
  level: Level,
  ars: Type.String({ description: 'Amtlicher Regionalschlüssel' }),
  name: Type.String({ description: 'Official name as in the GV100AD, e.g. "Altötting, St"' }),
  shortName: Type.String({ description: 'The name without its designation suffix, e.g. "Altötting"' }),
  designation: Nullable(Type.Object({ code: Type.String(), label: Type.String() })),
  population: Nullable(Type.Integer()),
  areaKm2: Nullable(Type.Number()),
  postcode: Nullable(Type.String()),
  kreis: Nullable(Type.Object({ key: Type.String(), name: Nullable(Type.String()) })),
  state: Type.Object({ key: Type.String(), name: Nullable(Type.String()) }),
  validTo: Nullable(Type.String({ format: 'date' })),
  successorKey: Nullable(Type.String()),
});

const RegionDetail = Type.Object({
  ...RegionSummary.properties,
  parentKey: Nullable(Type.String()),
  seat: Nullable(Type.String()),
  populationMale: Nullable(Type.Integer()),
  populationFemale: Nullable(Type.Integer()),
  densityPerKm2: Nullable(Type.Number()),
  multiplePostcodes: Type.Boolean(),
  parents: Type.Array(RegionRef, { description: 'From the Land down to the direct parent' }),
  childCounts: Type.Record(Type.String(), Type.Integer(), { description: 'Current regions below, by level' }),
  validity: Type.Object({
    from: Type.String({ format: 'date' }),
    to: Nullable(Type.String({ format: 'date' })),
    release: Type.String({ format: 'date', description: 'Gebietsstand of the data' }),
    source: Type.String(),
  }),
  successor: Nullable(
    Type.Object({
      key: Type.String(),
      name: Type.String(),
      level: Level,
      method: Nullable(Type.String()),
      inferred: Nullable(Type.Boolean()),
    }),
  ),
  end: Nullable(
    Type.Union(
      [
        Type.Object({
          kind: Type.Literal('date'),
          date: Type.String({ format: 'date', description: 'Effective date from the official list of changes' }),
        }),
        Type.Object({
          kind: Type.Literal('between'),
          from: Type.String({ format: 'date', description: 'The last release that still had the region' }),
          to: Type.String({ format: 'date', description: 'The first release that no longer had it' }),
        }),
      ],
      { description: 'What is known of the end of an ended region; null while current' },
    ),
  ),
  predecessors: Type.Array(RegionRef),
});

const KeyParam = Type.Object({
  key: Type.String({ description: 'AGS (8 digits), ARS (12 digits) or a level key (2, 3, 4, 5 or 9 digits)' }),
});

const SearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description: 'Name (case-, accent- and typo-tolerant, prefix while typing), AGS/ARS prefix or postcode',
    }),
  ),
  level: Type.Optional(Type.String({ description: 'One level or a comma-separated list' })),
  parent: Type.Optional(Type.String({ description: 'Key of the direct parent' })),
  state: Type.Optional(Type.String({ description: 'Land key, e.g. 09' })),
  minPopulation: Type.Optional(Type.Integer({ minimum: 0 })),
  maxPopulation: Type.Optional(Type.Integer({ minimum: 0 })),
  sort: Type.Optional(
    Type.Union(
      [
        Type.Literal('relevance'),
        Type.Literal('key'),
        Type.Literal('name'),
        Type.Literal('population'),
        Type.Literal('-population'),
      ],
      { description: 'Default: relevance with q, key without' },
    ),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ maxLength: 500, description: 'nextCursor of the previous page' })),
  includeEnded: Type.Optional(Type.Boolean({ description: 'Also list regions that no longer exist' })),
});

export function summary(r: service.SearchHit | RegionRow, lang: 'de' | 'en' = 'de') {
  const hit = r as Partial<service.SearchHit>;
  return {
    key: r.key,
    level: r.level,
    ars: r.ars,
    name: r.name,
    shortName: displayName(r.name),
    designation: r.designationCode
      ? { code: r.designationCode, label: designationLabel(r.level, r.designationCode, lang) ?? r.designationCode }
      : null,
    population: r.population,
    areaKm2: r.areaKm2,
    postcode: r.postcode,
    kreis: r.kreisKey && r.level !== 'kreis' ? { key: r.kreisKey, name: hit.kreisName ?? null } : null,
    state: { key: r.stateKey, name: hit.stateName ?? null },
    validTo: r.validTo,
    successorKey: r.successorKey,
  };
}

export const registerApi =
  (db: Db): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const errors = problems(400, 401, 404, 429);
    // Public routes: no token needed; a token sent must be valid (else 401).
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

    app.get(
      '/regions',
      {
        config: { access: 'public' },
        schema: {
          tags: ['register'],
          security,
          operationId: 'searchRegions',
          summary: 'Find regions',
          description:
            'Search by name, key prefix or postcode with filters. Exact key or name first, then larger places. ' +
            'Stable cursor pagination; total counts all matches.',
          querystring: SearchQuery,
          response: {
            200: Type.Object({
              total: Type.Integer(),
              items: Type.Array(RegionSummary),
              nextCursor: Nullable(Type.String()),
            }),
            ...errors,
          },
        },
      },
      async (request) => {
        const page = await service.searchRegions(db, request.query);
        const lang = requestLang(request);
        return { total: page.total, items: page.items.map((i) => summary(i, lang)), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/regions/:key',
      {
        config: { access: 'public' },
        schema: {
          tags: ['register'],
          security,
          operationId: 'getRegion',
          summary: 'One region',
          description:
            'A region with its parents, counts of regions below it, key figures, validity and successor. ' +
            'Keys of dissolved regions keep working and point to the successor.',
          params: KeyParam,
          response: { 200: RegionDetail, ...errors },
        },
      },
      async (request) => {
        const d = await service.getRegion(db, request.params.key);
        const r = d.region;
        const [kreis, state] = await Promise.all([
          r.kreisKey && r.level !== 'kreis' ? d.parents.find((p) => p.key === r.kreisKey) : undefined,
          d.parents.find((p) => p.key === r.stateKey),
        ]);
        return {
          ...summary(r, requestLang(request)),
          kreis: r.kreisKey && r.level !== 'kreis' ? { key: r.kreisKey, name: kreis?.name ?? null } : null,
          state: { key: r.stateKey, name: r.level === 'land' ? r.name : (state?.name ?? null) },
          parentKey: r.parentKey,
          seat: r.seat,
          populationMale: r.populationMale,
          populationFemale: r.populationFemale,
          densityPerKm2: r.population !== null && r.areaKm2 ? Math.round((r.population / r.areaKm2) * 10) / 10 : null,
          multiplePostcodes: r.multiplePostcodes,
          parents: d.parents,
          childCounts: d.childCounts,
          validity: { from: r.validFrom, to: r.validTo, release: r.release, source: r.source },
          successor: d.successor,
          end: d.end,
          predecessors: d.predecessors.map((p) => ({ key: p.key, level: p.level, name: p.name })),
        };
      },
    );

    app.get(
      '/regions/:key/children',
      {
        config: { access: 'public' },
        schema: {
          tags: ['register'],
          security,
          operationId: 'getRegionChildren',
          summary: 'Direct children of a region',
          params: KeyParam,
          response: { 200: Type.Object({ parent: RegionRef, items: Type.Array(RegionSummary) }), ...errors },
        },
      },
      async (request) => {
        const { region, children } = await service.getChildren(db, request.params.key);
        const lang = requestLang(request);
        return {
          parent: { key: region.key, level: region.level, name: region.name },
          items: children.map((c) => summary(c, lang)),
        };
      },
    );
  };
