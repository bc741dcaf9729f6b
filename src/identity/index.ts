/** What other modules (and the composition root) may use of the identity module. */
import type { Authenticator } from '../platform/http/auth.js';
import type { ModuleDeps } from '../platform/module.js';
import { resolveApiToken } from './api-tokens.service.js';
import { resolveSession } from './identity.service.js';

export { identityDeps } from './identity.pages.js';
export type { IdentityDeps } from './identity.service.js';
export {
  actorById,
  createSession,
  createUserWithLoginLink,
  emailError,
  emailsOf,
  setActingOrganisation,
  verifiedUserIdByEmail,
} from './identity.service.js';
export { addressForms, rowsByUser, withoutSecrets } from './privacy.service.js';

/** How the HTTP layer recognises sessions and API tokens (given to the platform by the composition root). */
export function authenticator(d: ModuleDeps): Authenticator {
  const deps = {
    db: d.db,
    mailer: d.mailer,
    publicUrl: d.config.publicUrl,
    t: d.i18n.translator('de'),
    now: d.clock,
  };
  return {
    session: (token) => resolveSession(deps, token),
    apiToken: (token) => resolveApiToken({ db: d.db, now: d.clock }, token),
  };
}
