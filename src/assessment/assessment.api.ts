import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { csvLine } from '../platform/csv.js';
import type { Db } from '../platform/db/db.js';
import { problems } from '../platform/http/errors.js';
import { STATES } from '../register/index.js';
import type { Lagebild } from './lagebild.js';
import { currentLagebild } from './lagebild.service.js';
import { loadModel } from './model.js';

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
  (db: Db): FastifyPluginAsync =>
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
      '/lagebild',
      {
        config: { access: 'public' },
        schema: {
          tags: ['assessment'],
          operationId: 'getLagebild',
          summary: 'The national picture (Lagebild) as open data',
          description:
            'Participation by Land and size class; score aggregates (n, quartiles, median, Gini, quintile gap) for groups of ' +
            'at least 5 municipalities only; level distributions; divergence per Land and year. JSON by default; CSV with ' +
            'the header Accept: text/csv or ?format=csv.',
          querystring: Type.Object({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])) }),
          response: {
            200: Type.Unknown({ description: 'Lagebild document (JSON) or CSV table' }),
            ...problems(400, 429),
          },
        },
      },
      async (request, reply) => {
        const lb = await currentLagebild(db);
        const wantsCsv =
          request.query.format === 'csv' ||
          (request.query.format !== 'json' && String(request.headers.accept ?? '').includes('text/csv'));
        if (wantsCsv) {
          return reply
            .type('text/csv; charset=utf-8')
            .header('content-disposition', 'attachment; filename="lagebild.csv"')
            .send(lagebildCsv(lb));
        }
        return lb;
      },
    );
  };
