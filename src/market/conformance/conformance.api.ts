/**
 * The conformance registry's JSON routes (under /api/v1), public and read-only: the registered artefacts with their
 * latest verdict, and one artefact with the findings of its latest check and its history. An uploaded file is
 * named by its name, size and SHA-256 only; its bytes are never served.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { fieldError, ValidationError } from '../../platform/errors.js';
import { problems } from '../../platform/http/errors.js';
import type { ArtefactRow, CheckRow } from './conformance.repository.js';
import { artefactUrl } from './conformance.views.js';
import type { ConformanceService } from './registry.service.js';
import { STANDARD_IDS } from './types.js';

export function artefactJson(a: ArtefactRow, publicUrl: string, latest: CheckRow | null, running: boolean) {
  return {
    id: a.id,
    url: `${publicUrl}${artefactUrl(a.id)}`,
    subject:
      a.subjectKind === 'region'
        ? { kind: 'region' as const, regionKey: a.regionKey, name: a.regionName }
        : { kind: 'solution' as const, solutionId: a.solutionId },
    standard: a.standard,
    input: a.url
      ? { kind: 'url' as const, url: a.url }
      : { kind: 'file' as const, name: a.fileName, size: a.fileSize, sha256: a.fileSha256 },
    status: a.status,
    registeredAt: a.createdAt.toISOString(),
    removedAt: a.removedAt?.toISOString() ?? null,
    nextCheckAt: a.status === 'active' ? a.nextCheckAt.toISOString() : null,
    running,
    latest: latest ? checkJson(latest) : null,
  };
}

export function checkJson(c: CheckRow) {
  return {
    id: c.id,
    checkedAt: c.checkedAt.toISOString(),
    verdict: c.verdict,
    reason: c.reason,
    standard: c.standard,
    standardVersion: c.standardVersion,
    validatorVersion: c.validatorVersion,
    input: c.input,
    trigger: c.trigger,
    durationMs: c.durationMs,
    findingsTotal: c.findingsTotal,
    errors: c.errors,
    warnings: c.warnings,
    stats: c.stats,
  };
}

const Subject = /^(region:[0-9]{2,12}|solution:[0-9]{1,15})$/;

export const conformanceApi =
  (service: ConformanceService, publicUrl: string): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];

    app.get(
      '/conformance',
      {
        config: { access: 'public' },
        schema: {
          tags: ['market'],
          security,
          operationId: 'getConformanceArtefacts',
          summary: 'Registered artefacts and their checked conformance',
          description:
            'Active artefacts (endpoint URLs or uploaded files) with the standard they claim and the verdict of their latest ' +
            'check (conformant, not conformant, could not be checked). Filter by subject (region:<key> or solution:<id>) ' +
            'and standard. Verdicts come only from checks the platform ran.',
          querystring: Type.Object({
            subject: Type.Optional(
              Type.String({ maxLength: 30, description: 'region:<region key> or solution:<solution id>' }),
            ),
            standard: Type.Optional(Type.Union(STANDARD_IDS.map((s) => Type.Literal(s)))),
            limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1..200, default 50' })),
            offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
          }),
          response: { 200: Type.Unknown({ description: '{ total, items }' }), ...problems(400, 429) },
        },
      },
      async (request) => {
        const q = request.query;
        const filter: Parameters<ConformanceService['list']>[0] = {};
        if (q.subject) {
          if (!Subject.test(q.subject))
            throw new ValidationError([fieldError('subject', 'market.conformance.err.subject')]);
          const [kind, value] = q.subject.split(':') as ['region' | 'solution', string];
          filter.subjectKind = kind;
          if (kind === 'region') filter.regionKey = value;
          else filter.solutionId = Number(value);
        }
        if (q.standard) filter.standard = q.standard;
        if (q.limit) filter.limit = Number(q.limit);
        if (q.offset) filter.offset = Number(q.offset);
        const { total, rows } = await service.list(filter);
        return { total, items: rows.map((r) => artefactJson(r, publicUrl, r.latest, r.running)) };
      },
    );

    app.get(
      '/conformance/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['market'],
          security,
          operationId: 'getConformanceArtefact',
          summary: 'A registered artefact with its findings and history',
          description:
            'The artefact, the latest check with every stored finding (rule, severity, location, message, source) and the ' +
            'history of its checks, newest first.',
          params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'Number of the artefact' }) }),
          response: {
            200: Type.Unknown({ description: 'An artefact with findings and history' }),
            ...problems(404, 429),
          },
        },
      },
      async (request) => {
        const v = await service.view(null, Number(request.params.id));
        return {
          ...artefactJson(v.artefact, publicUrl, v.latest, v.running),
          findings: v.latest?.findings ?? [],
          history: v.history.map(checkJson),
        };
      },
    );
  };
