/** The public JSON of the FAQ (under /api/v1): published, anonymised entries with the German search. */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { fieldError, ValidationError } from '../../platform/errors.js';
import { problems } from '../../platform/http/errors.js';
import { positiveId } from '../../platform/http/forms.js';
import type { ModuleDeps } from '../../platform/module.js';
import { CONTEXT_KINDS } from '../inquiries/index.js';
import * as svc from './knowledge.service.js';

const Entry = Type.Object({
  id: Type.Integer(),
  question: Type.String(),
  answer: Type.String(),
  sector: Type.String(),
  context: Type.Union([
    Type.Null(),
    Type.Object({ kind: Type.String({ enum: ['question', 'measure', 'practice', 'standard'] }), ref: Type.String() }),
  ]),
  url: Type.String({ description: 'Local path of the public page' }),
  publishedAt: Type.String({ format: 'date-time' }),
});

const json = (r: svc.PublicFaqRow) => ({
  id: r.id,
  question: r.question,
  answer: r.answer,
  sector: r.sector,
  context: r.contextKind && r.contextRef ? { kind: r.contextKind, ref: r.contextRef } : null,
  url: svc.faqPath(r.id),
  publishedAt: r.publishedAt.toISOString(),
});

export const knowledgeApi =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/faq',
      {
        config: { access: 'public' },
        schema: {
          tags: ['faq'],
          operationId: 'getFaq',
          summary: 'Published FAQ entries of the advisory desk',
          description:
            'Anonymised answers of the competence centre, published with the asking municipality’s consent. q searches ' +
            'with the German analysis of the practice search (stems, compound parts); sector filters; context and ref ' +
            'give the answers to where the question arose (context question, measure, practice or standard, ref its id). ' +
            'When nothing matches as typed, typos are corrected against the published entries and corrected names the query searched.',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200 })),
            sector: Type.Optional(Type.String({ maxLength: 60 })),
            context: Type.Optional(Type.Union(CONTEXT_KINDS.map((k) => Type.Literal(k)))),
            ref: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
          }),
          response: {
            200: Type.Object({
              total: Type.Integer(),
              page: Type.Integer(),
              /** The query with its typos corrected when nothing matched as typed (the items are its results). */
              corrected: Type.Union([Type.String(), Type.Null()]),
              items: Type.Array(Entry),
            }),
            ...problems(400, 429),
          },
        },
      },
      async (request) => {
        const page = request.query.page ?? 1;
        // a context needs its reference and a reference its context; a half is an error, not "everything"
        if ((request.query.context === undefined) !== (request.query.ref === undefined)) {
          const missing = request.query.context === undefined ? 'context' : 'ref';
          throw new ValidationError([fieldError(missing, 'desk.knowledge.err.contextPair')]);
        }
        const r = await svc.searchFaq(d.db, {
          q: request.query.q ?? '',
          sector: request.query.sector ?? null,
          context: svc.faqContext(request.query.context, request.query.ref),
          page,
          limit: request.query.limit ?? svc.PAGE_SIZE,
        });
        return { total: r.total, page, corrected: r.corrected, items: r.rows.map(json) };
      },
    );
    app.get(
      '/faq/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['faq'],
          operationId: 'getFaqEntry',
          summary: 'One published FAQ entry',
          description: 'A published FAQ entry (404 when it is not published).',
          params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
          response: { 200: Entry, ...problems(404, 429) },
        },
      },
      async (request) => json(await svc.publicEntry(d.db, positiveId(request.params.id))),
    );
  };
