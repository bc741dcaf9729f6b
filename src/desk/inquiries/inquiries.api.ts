/**
 * JSON routes of the inquiries (under /api/v1): a workspace's own inquiries with a token of scope desk:read or
 * desk:write — the municipality's view (never internal notes, never the advisors' history).
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { actorById } from '../../identity/index.js';
import type { Actor } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { NotFoundError, UnauthorizedError } from '../../platform/errors.js';
import { requireScope } from '../../platform/http/auth.js';
import { problems } from '../../platform/http/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { DeskSeams } from '../contract.js';
import * as svc from './inquiries.service.js';
import { CONTEXT_KINDS, parseInquiryForm } from './model.js';

async function tokenActor(db: Db, request: FastifyRequest, scope: string) {
  const auth = requireScope(request, scope);
  const actor = await actorById(db, auth.userId);
  if (!actor) throw new UnauthorizedError(text('error.invalidTokenDetail'));
  return actor;
}
const needs = (scope: string) => ({
  preValidation: async (request: FastifyRequest) => {
    requireScope(request, scope);
  },
});

function inquiryJson(r: svc.InquiryRow) {
  return {
    id: r.id,
    orgId: r.orgId,
    regionKey: r.regionKey,
    subject: r.subject,
    body: r.body,
    sector: r.sector,
    urgency: r.urgency,
    context: r.contextKind ? { kind: r.contextKind, ref: r.contextRef } : null,
    status: r.status,
    receivedAt: r.receivedAt.toISOString(),
    firstAnswerDueAt: r.firstAnswerDueAt.toISOString(),
    firstAnsweredAt: r.firstAnsweredAt?.toISOString() ?? null,
    closedAt: r.closedAt?.toISOString() ?? null,
    version: r.version,
  };
}

const InquiryJson = Type.Unknown({
  description:
    'An inquiry: id, orgId, regionKey, subject, body, sector, urgency (high, normal, low), context ({ kind, ref } or null), ' +
    'status (new, assigned, in_progress, waiting, answered, closed), receivedAt, firstAnswerDueAt, firstAnsweredAt, closedAt, version.',
});
const Id = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) });

export const inquiriesApi =
  (d: ModuleDeps, seams: DeskSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const deps = (): svc.InquiryDeps => ({ db, now: d.clock, notifier: seams.notifier, t: d.i18n.translator('de') });
    const security = [{ bearerAuth: [] }];

    /** The municipality's view of one inquiry: only for members of its workspace (else 404). */
    const ownView = async (actor: Actor, id: number) => {
      const v = await svc.inquiryView(deps(), actor, id);
      if (!v.isMember) throw new NotFoundError(text('desk.inquiries.err.notFound'));
      return {
        ...inquiryJson(v.row),
        messages: v.messages
          .filter((m) => !m.internal)
          .map((m) => ({ id: m.id, side: m.side, body: m.body, createdAt: m.createdAt.toISOString() })),
        attachments: v.attachments.map((a) => ({
          id: a.id,
          filename: a.filename,
          mediaType: a.mediaType,
          size: a.size,
        })),
      };
    };

    app.get(
      '/inquiries',
      {
        config: { access: 'public' },
        ...needs('desk:read'),
        schema: {
          tags: ['desk'],
          security,
          operationId: 'getInquiries',
          summary: 'The inquiries of your workspaces',
          description:
            'Every inquiry of the municipal workspaces the token’s account is a member of, newest first (scope desk:read).',
          response: { 200: Type.Unknown({ description: '{ items: inquiry[] }' }), ...problems(401, 403, 429) },
        },
      },
      async (request) => {
        const actor = await tokenActor(db, request, 'desk:read');
        return { items: (await svc.ownInquiries(db, actor)).map(inquiryJson) };
      },
    );

    app.get(
      '/inquiries/:id',
      {
        config: { access: 'public' },
        ...needs('desk:read'),
        schema: {
          tags: ['desk'],
          security,
          operationId: 'getInquiry',
          summary: 'One inquiry with its conversation',
          description:
            'An inquiry of your workspace with the messages of both sides and the attachments’ names (scope desk:read).',
          params: Id,
          response: { 200: InquiryJson, ...problems(401, 403, 404, 429) },
        },
      },
      async (request) => {
        const actor = await tokenActor(db, request, 'desk:read');
        return ownView(actor, Number(request.params.id));
      },
    );

    app.post(
      '/inquiries',
      {
        config: { access: 'public' },
        ...needs('desk:write'),
        schema: {
          tags: ['desk'],
          security,
          operationId: 'createInquiry',
          summary: 'Ask the competence centre',
          description:
            'A question of your municipal workspace to the centre (scope desk:write); routed to the advisors of its Land and sector, ' +
            'acknowledged by mail.',
          body: Type.Object(
            {
              orgId: Type.Integer({ minimum: 1 }),
              subject: Type.String({ maxLength: 400 }),
              body: Type.String({ maxLength: 40000 }),
              sector: Type.String({ maxLength: 60 }),
              urgency: Type.Optional(Type.Union([Type.Literal('high'), Type.Literal('normal'), Type.Literal('low')])),
              context: Type.Optional(
                Type.Object(
                  {
                    kind: Type.Union(CONTEXT_KINDS.map((k) => Type.Literal(k))),
                    ref: Type.String({ maxLength: 120 }),
                  },
                  { additionalProperties: false },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          response: { 201: InquiryJson, ...problems(400, 401, 403, 404, 429) },
        },
      },
      async (request, reply) => {
        const actor = await tokenActor(db, request, 'desk:write');
        const b = request.body;
        const input = parseInquiryForm({
          subject: b.subject,
          body: b.body,
          sector: b.sector,
          urgency: b.urgency ?? 'normal',
          kontext: b.context?.kind,
          ref: b.context?.ref,
        });
        const id = await svc.ask(deps(), actor, b.orgId, input);
        return reply.code(201).send(await ownView(actor, id));
      },
    );

    app.post(
      '/inquiries/:id/messages',
      {
        config: { access: 'public' },
        ...needs('desk:write'),
        schema: {
          tags: ['desk'],
          security,
          operationId: 'replyToInquiry',
          summary: 'Reply in an inquiry’s conversation',
          description:
            'A message of your workspace (scope desk:write); reopens an answered or closed inquiry. With `version`, a stale one is a 409.',
          params: Id,
          body: Type.Object(
            { body: Type.String({ maxLength: 40000 }), version: Type.Optional(Type.Integer({ minimum: 1 })) },
            { additionalProperties: false },
          ),
          response: { 201: InquiryJson, ...problems(400, 401, 403, 404, 409, 429) },
        },
      },
      async (request, reply) => {
        const actor = await tokenActor(db, request, 'desk:write');
        const id = Number(request.params.id);
        await ownView(actor, id); // only the workspace's own inquiries
        await svc.reply(deps(), actor, id, request.body.body, request.body.version ?? null, [], 'municipality');
        return reply.code(201).send(await ownView(actor, id));
      },
    );
  };
