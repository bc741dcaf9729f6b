/**
 * The one-click unsubscribe of RFC 8058 (`List-Unsubscribe-Post: List-Unsubscribe=One-Click`): the mail client
 * POSTs to the URL of the mail's `List-Unsubscribe` header. Under /api/ it needs no session and no CSRF token —
 * the signed token in the path is the proof — and the body (`List-Unsubscribe=One-Click`) is not needed.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { NotFoundError } from '../../platform/errors.js';
import { problems } from '../../platform/http/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import type { ModuleDeps } from '../../platform/module.js';
import * as svc from './notify.service.js';
import { TOKEN_PATTERN } from './token.js';

export const notifyApi =
  (d: ModuleDeps): FastifyPluginAsync =>
  async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    // RFC 8058 allows a multipart body too; its content is not needed, so it is read and ignored.
    app.addContentTypeParser('multipart/form-data', { bodyLimit: 4096 }, (_req, payload, done) => {
      payload.resume();
      payload.on('end', () => done(null, {}));
      payload.on('error', done);
    });
    app.post(
      '/unsubscribe/:token',
      {
        config: { access: 'public' },
        schema: {
          tags: ['desk'],
          operationId: 'unsubscribeOneClick',
          summary: 'Unsubscribe with one click',
          description:
            'The target of a notification mail’s List-Unsubscribe header (RFC 8058): turns the notifications the signed ' +
            'token names off. No sign-in and no token of the API are needed.',
          params: Type.Object({ token: Type.String({ pattern: TOKEN_PATTERN }) }),
          response: {
            200: Type.Object({ unsubscribed: Type.Literal(true) }),
            ...problems(404, 429),
          },
        },
      },
      async (request) => {
        if (!(await svc.unsubscribe({ db: d.db, now: d.clock }, request.params.token))) {
          throw new NotFoundError(text('desk.notify.unsubscribeInvalid'));
        }
        return { unsubscribed: true as const };
      },
    );
  };
