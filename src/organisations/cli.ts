import { parseArgs } from 'node:util';
import { createUserWithLoginLink } from '../identity/index.js';
import { UsageError } from '../platform/errors.js';
import type { CliCommand } from '../platform/module.js';
import { makeAdvisor } from './organisations.service.js';

/**
 * `lotse user create`: lives here because an advisor is a member of the competence centre's organisation
 * (identity creates the account, this module gives the role).
 */
export const organisationCommands: CliCommand[] = [
  {
    name: 'user create',
    usage: 'user create --email ADDRESS [--admin] [--advisor [--state LAND]]',
    summary:
      'create an account (platform admin with --admin, advisor of the competence centre with --advisor, for one ' +
      'Land with --state) and print a one-time login link; there is no default password',
    async run(args, d) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          email: { type: 'string' },
          admin: { type: 'boolean', default: false },
          advisor: { type: 'boolean', default: false },
          state: { type: 'string' },
        },
      });
      if (positionals.length || !values.email) {
        throw new UsageError('usage: lotse user create --email ADDRESS [--admin] [--advisor [--state LAND]]');
      }
      if (values.state && !/^(0[1-9]|1[0-6])$/.test(values.state)) {
        throw new UsageError(`--state must be a Land key 01–16, not "${values.state}"`);
      }
      const email = values.email;
      const result = await createUserWithLoginLink(
        // The link comes from the configured public URL (BASE_URL, or http://localhost:PORT), as the server's.
        { db: d.db, mailer: { send: async () => ({}) }, publicUrl: d.config.publicUrl, t: d.i18n.translator('de') },
        email,
        values.admin ?? false,
      );
      if (values.advisor) await makeAdvisor(d.db, result.userId, values.state ?? null);
      const roles = [
        values.admin ? 'Plattform-Admin' : null,
        values.advisor ? `Beratung${values.state ? ` für Land ${values.state}` : ''}` : null,
      ]
        .filter(Boolean)
        .join(', ');
      console.log(
        `${result.created ? 'Konto angelegt' : 'Konto vorhanden'}: ${email}${roles ? ` (${roles})` : ''}\n` +
          `Einmal-Anmeldelink (24 Stunden gültig, nur einmal verwendbar):\n${result.link}`,
      );
      return 0;
    },
  },
];
