import { parseArgs } from 'node:util';
import { UsageError } from '../platform/errors.js';
import type { CliCommand } from '../platform/module.js';
import { removeDemo, seedDemo } from './demo.js';

export const demoCommands: CliCommand[] = [
  {
    name: 'seed demo',
    usage: 'seed demo [--remove] [--share S]',
    summary:
      'create (or remove) clearly marked demo Digitalchecks for a sample of Gemeinden in every Land (share S, ' +
      'default 0.1), for a living Lagebild',
    async run(args, d) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { remove: { type: 'boolean', default: false }, share: { type: 'string' } },
      });
      if (positionals.length) throw new UsageError('usage: lotse seed demo [--remove] [--share 0.1]');
      const share = values.share === undefined ? undefined : Number(values.share);
      if (share !== undefined && !(share > 0 && share <= 1)) throw new UsageError('--share must be a number in (0, 1]');
      if (values.remove) {
        const n = await removeDemo(d.db);
        console.log(`Demodaten entfernt: ${n} Digitalchecks.`);
      } else {
        const r = await seedDemo(d.db, share === undefined ? {} : { share });
        console.log(
          `Demodaten angelegt: ${r.checks} Digitalchecks mit ${r.answers} Antworten (als Demo markiert; entfernen mit "lotse seed demo --remove").`,
        );
      }
      return 0;
    },
  },
];
