import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { csvLine } from '../platform/csv.js';
import type { Db } from '../platform/db/db.js';
import { problems } from '../platform/http/errors.js';
import type { LagebildContribution } from '../platform/module.js';
import { STATES } from '../register/index.js';
import { publishedResult } from './assessment.service.js';
import type { Lagebild } from './lagebild.js';
import { currentLagebild } from './lagebild.service.js';
import { loadModel } from './model.js';
import { levelName } from './result.js';

/** The Lagebild as one CSV table: one row per group (national, Land, size class, sector, Kreis). */
export function lagebildCsv(lb: Lagebild): string {
  const header = [
    'group',
    'key',
    'name',
    'submitted',
    'municipalities',
    'n',
    'q1',
    'median',
    'q3',
    'gini',
    'quintile_gap',
  ];
  const rows: unknown[][] = [header];
  const agg = (a: Lagebild['scores']['national']) =>
    a ? [a.n, a.q1, a.median, a.q3, a.gini, a.quintileGap] : ['', '', '', '', '', ''];
  rows.push([
    'national',
    'DE',
    'Deutschland',
    lb.participation.total.submitted,
    lb.participation.total.municipalities,
    ...agg(lb.scores.national),
  ]);
  for (const [k, p] of Object.entries(lb.participation.byState)) {
    rows.push(['land', k, STATES[k]?.name ?? k, p.submitted, p.municipalities, ...agg(lb.scores.byState[k] ?? null)]);
  }
  for (const [k, p] of Object.entries(lb.participation.bySize)) {
    rows.push(['size_class', k, k, p.submitted, p.municipalities, ...agg(lb.scores.bySize[k] ?? null)]);
  }
  for (const [k, a] of Object.entries(lb.scores.bySector)) rows.push(['sector', k, k, '', '', ...agg(a)]);
  for (const [k, v] of Object.entries(lb.scores.byKreis))
    rows.push(['kreis', k, k, v.n, '', '', '', v.median ?? '', '', '', '']);
  return rows.map(csvLine).join('');
}

export const assessmentApi =
  (db: Db, contributions: readonly LagebildContribution[] = []): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/maturity-model',
      {
        config: { access: 'public' },
        schema: {
          tags: ['assessment'],
          operationId: 'getMaturityModel',
          summary: 'The current maturity model of the Digitalcheck',
          description:
            'Dimensions, sectors and questions with their five level descriptors, applicability, sources and (needsInput) ' +
            'who besides the digital officer usually has the facts.',
          response: { 200: Type.Unknown({ description: 'content/maturity-model/v<version>.json' }), ...problems(429) },
        },
      },
      async () => loadModel(),
    );
    app.get(
      '/published-results/:key',
      {
        config: { access: 'public' },
        schema: {
          tags: ['assessment'],
          operationId: 'getPublishedResult',
          summary: 'The published Digitalcheck result of a municipality',
          description:
            'The newest result the municipality has published (a withdrawn publication is not shown): overall level with ' +
            'its name, score, scores per dimension, submission date and model version. result is null when the ' +
            'municipality has no published result. Demo data is never published.',
          params: Type.Object({ key: Type.String({ pattern: '^[0-9]{2,12}$', description: 'Regional key (AGS)' }) }),
          response: {
            200: Type.Object({
              regionKey: Type.String(),
              result: Type.Union([
                Type.Null(),
                Type.Object({
                  modelVersion: Type.String(),
                  submittedAt: Type.String({ format: 'date-time' }),
                  level: Type.Union([Type.Integer({ minimum: 0, maximum: 4 }), Type.Null()]),
                  levelName: Type.Union([Type.String(), Type.Null()]),
                  levelNameEn: Type.Union([Type.String(), Type.Null()]),
                  score: Type.Union([Type.Number(), Type.Null()]),
                  dimensions: Type.Array(
                    Type.Object({
                      id: Type.String(),
                      name: Type.String(),
                      score: Type.Union([Type.Number(), Type.Null()]),
                    }),
                  ),
                }),
              ]),
            }),
            ...problems(400, 429),
          },
        },
      },
      async (request) => {
        const p = await publishedResult(db, request.params.key);
        if (!p) return { regionKey: request.params.key, result: null };
        const model = loadModel(p.modelVersion);
        const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
        return {
          regionKey: p.regionKey,
          result: {
            modelVersion: p.modelVersion,
            submittedAt: new Date(p.submittedAt).toISOString(),
            level: p.level,
            levelName: p.level === null ? null : levelName(model, p.level, 'de'),
            levelNameEn: p.level === null ? null : levelName(model, p.level, 'en'),
            score: round(p.overall),
            dimensions: p.byDimension.map((d) => ({
              id: d.dimension,
              name: model.dimensions.find((x) => x.id === d.dimension)?.name.de ?? d.dimension,
              score: round(d.score),
            })),
          },
        };
      },
    );
    app.get(
      '/lagebild',
      {
        config: { access: 'public' },
        schema: {
          tags: ['assessment'],
          operationId: 'getLagebild',
          summary: 'The national picture (Lagebild) as open data',
          description:
            'Participation by Land and size class; score aggregates (n, quartiles, median, Gini, quintile gap) for groups of ' +
            'at least 5 municipalities only; level distributions (with levelNames: the name of each level 0..4); divergence per ' +
            'Land and year; contributions: the figures of other modules, released with the Lagebild under the same rules ' +
            '(strategy: share of municipalities with an adopted digital strategy by Land and size class, measures done by ' +
            'sector and dimension). JSON by default; CSV (the Digitalcheck figures) with the header Accept: text/csv or ' +
            '?format=csv.',
          querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }),
          response: {
            200: {
              description: 'Lagebild document (JSON) or CSV table (the Digitalcheck figures)',
              content: {
                'application/json': {
                  schema: Type.Object(
                    {
                      contributions: Type.Optional(
                        Type.Object(
                          Object.fromEntries(
                            contributions.map((c) => [
                              c.name,
                              Type.Optional(c.schema ?? Type.Unknown({ description: `figures of ${c.name}` })),
                            ]),
                          ),
                          { description: 'Figures of other modules by name (absent before their first release)' },
                        ),
                      ),
                    },
                    { additionalProperties: true },
                  ),
                },
                'text/csv': { schema: Type.String() },
              },
            },
            ...problems(400, 429),
          },
        },
      },
      async (request, reply) => {
        const lb = await currentLagebild(db, contributions);
        const wantsCsv =
          request.query.format === 'csv' ||
          (request.query.format !== 'json' && String(request.headers.accept ?? '').includes('text/csv'));
        if (wantsCsv) {
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="lagebild.csv"')
            .send(lagebildCsv(lb));
        }
        // The names of the levels the distributions count (index = level 0..4), beside the numbers.
        const model = loadModel();
        const levelNames = model.levels.map((l, level) => ({ level, de: l.de, en: l.en }));
        return { ...lb, levelNames };
      },
    );
  };
