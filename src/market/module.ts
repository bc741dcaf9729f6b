import { defineMessages } from '../platform/i18n/i18n.js';
import { defineModule } from '../platform/module.js';
import { checkDe, checkEn } from './check-messages.js';
import { marketCommands } from './cli.js';

/**
 * Standards catalogue, solution market and machine-checked conformance (issue 11). So far only the command
 * `lotse check` and its texts; routes, tables and the other messages come with the other parts of the issue.
 */
export const market = defineModule({
  name: 'market',
  messages: defineMessages('market', checkDe, checkEn),
  access: {},
  cli: marketCommands,
});
