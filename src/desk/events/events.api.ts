/**
 * The public JSON routes of the events (under /api/v1): the list with the page's filters and one event. Never the
 * join link of an online event (registered participants see it on the page), never who registered.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { problems } from '../../platform/http/errors.js';
import { positiveId } from '../../platform/http/forms.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { DeskSeams } from '../contract.js';
import * as svc from './events.service.js';
import { FORMATS, parseFilter, SIZE_CLASS_IDS, STATE_KEYS, TARGET_ROLES } from './model.js';

const EventJson = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  format: Type.Union([Type.Literal('online'), Type.Literal('onsite')]),
  address: Type.Union([Type.String(), Type.Null()], { description: 'The address of an event on site' }),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  registrationDeadline: Type.String({ format: 'date-time' }),
  capacity: Type.Integer(),
  registered: Type.Integer({ description: 'Places taken' }),
  waiting: Type.Integer({ description: 'People on the waiting list' }),
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
  targetGroup: Type.Object({
    sizeClasses: Type.Array(Type.String(), { description: 'Population size classes; empty: every size' }),
    states: Type.Array(Type.String(), { description: 'Keys of the Länder (01–16); empty: every Land' }),
    roles: Type.Array(Type.String(), { description: `Target roles (${TARGET_ROLES.join(', ')}); empty: everyone` }),
  }),
  url: Type.String({ description: 'The event page' }),
  ics: Type.String({ description: 'The event as iCalendar' }),
});

function eventJson(r: svc.EventRow, publicUrl: string) {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    format: r.format,
    address: r.format === 'onsite' ? r.address : null,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    registrationDeadline: r.registrationDeadline.toISOString(),
    capacity: r.capacity,
    registered: r.registered,
    waiting: r.waiting,
    status: r.status,
    targetGroup: { sizeClasses: r.sizeClasses, states: r.stateKeys, roles: r.targetRoles },
    url: new URL(svc.eventPath(r.id), publicUrl).toString(),
    ics: new URL(`${svc.eventPath(r.id)}.ics`, publicUrl).toString(),
  };
}

export const eventsApiExamples = { getEvents: '/api/v1/events?when=upcoming' };

export const eventsApi =
  (d: ModuleDeps, _seams: DeskSeams): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const security: Record<string, string[]>[] = [{}, { bearerAuth: [] }];
    app.get(
      '/events',
      {
        config: { access: 'public' },
        schema: {
          tags: ['events'],
          security,
          operationId: 'getEvents',
          summary: 'Events and trainings of the competence centre',
          description:
            'Upcoming (by start) or past (newest first) events, at most 200. Filters: when (upcoming, past), format ' +
            '(online, onsite), land (01–16), groesse (a size class), rolle (a target role). An event whose target ' +
            'group leaves a dimension empty matches every value of that filter. Unknown filter values are ignored.',
          querystring: Type.Object({
            when: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')])),
            format: Type.Optional(Type.String({ maxLength: 20, description: FORMATS.join(', ') })),
            land: Type.Optional(Type.String({ maxLength: 4, description: STATE_KEYS.join(', ') })),
            groesse: Type.Optional(Type.String({ maxLength: 20, description: SIZE_CLASS_IDS.join(', ') })),
            rolle: Type.Optional(Type.String({ maxLength: 20, description: TARGET_ROLES.join(', ') })),
          }),
          response: {
            200: Type.Object({ total: Type.Integer(), items: Type.Array(EventJson) }),
            ...problems(400, 429),
          },
        },
      },
      async (request) => {
        const rows = await svc.publicList(d.db, parseFilter(request.query), d.clock());
        return { total: rows.length, items: rows.map((r) => eventJson(r, d.config.publicUrl)) };
      },
    );
    app.get(
      '/events/:id',
      {
        config: { access: 'public' },
        schema: {
          tags: ['events'],
          security,
          operationId: 'getEvent',
          summary: 'One event',
          params: Type.Object({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) }),
          response: { 200: EventJson, ...problems(400, 404, 429) },
        },
      },
      async (request) => eventJson(await svc.publicEvent(d.db, positiveId(request.params.id)), d.config.publicUrl),
    );
  };
