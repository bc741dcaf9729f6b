import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../platform/errors.js';
import type { CliCommand } from '../platform/module.js';
import { parsePracticesFile } from './import.js';
import { importPractices } from './import.service.js';

/** `lotse import practices FILE [--publish]`: all or nothing (docs/atlas-import.md). */
export const atlasCommands: readonly CliCommand[] = [
  {
    name: 'import practices',
    usage: 'import practices FILE [--publish]',
    summary: 'Praxisbeispiele aus JSON oder CSV importieren (alles oder nichts; gleiche externalId aktualisiert)',
    run: async (args, deps) => {
      const { values, positionals } = parseArgs({
        args,
        options: { publish: { type: 'boolean' } },
        allowPositionals: true,
      });
      const file = positionals[0];
      if (!file || positionals.length > 1) throw new UsageError('usage: lotse import practices FILE [--publish]');
      let bytes: Buffer;
      try {
        bytes = fs.readFileSync(file);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new UsageError(code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${code}`);
      }
      const records = parsePracticesFile(path.basename(file), bytes);
      const summary = await importPractices(deps.db, path.basename(file), records, {
        publish: values.publish === true,
        now: deps.clock(),
        actorUserId: null,
      });
      await deps.events.drain();
      process.stdout.write(
        `${summary.records} Praxisbeispiele gelesen: ${summary.inserted} neu, ${summary.updated} aktualisiert, ${summary.published} veröffentlicht${values.publish ? '' : ' (warten auf Prüfung)'}.\n`,
      );
      return 0;
    },
  },
];
