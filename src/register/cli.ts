import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from '../platform/errors.js';
import type { CliCommand } from '../platform/module.js';
import { type ImportReport, importBoundaries, importGv100ad } from './register.service.js';

function readInput(file: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `file not found: ${file}` : `cannot read ${file}: ${code}`);
  }
}

export function formatReport(r: ImportReport): string {
  const lines: string[] = [];
  if (r.status === 'unchanged') {
    lines.push(`GV100AD ${r.fileName}: Gebietsstand ${r.release} ist bereits eingespielt – nichts geändert.`);
    return lines.join('\n');
  }
  lines.push(
    `GV100AD ${r.fileName}: Gebietsstand ${r.release}` +
      (r.previousRelease ? ` (vorher ${r.previousRelease})` : ' (erster amtlicher Stand)'),
  );
  lines.push(
    `Satzarten: ${Object.entries(r.countsByType)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ')}`,
  );
  const c = r.counts;
  lines.push(
    `Änderungen: ${c.added} neu, ${c.ended} beendet, ${c.renamed} umbenannt, ${c.reparented} umgegliedert, ` +
      `${c.updated} mit neuen Kennzahlen, ${c.unchanged} unverändert (${r.durationMs} ms)`,
  );
  const small = (n: number) => n <= 60;
  if (r.ended.length && small(r.ended.length)) {
    lines.push('Beendet:');
    for (const e of r.ended) {
      const succ = e.successorKey
        ? ` → ${e.successorKey} ${e.successorName ?? ''} (${e.method}${e.inferred ? ', abgeleitet' : ', amtlich'})`
        : ' → kein Nachfolger bestimmbar';
      lines.push(`  ${e.key} ${e.name} [${e.level}]${succ}`);
    }
  }
  if (r.added.length && small(r.added.length)) {
    lines.push('Neu:');
    for (const a of r.added) lines.push(`  ${a.key} ${a.name} [${a.level}]`);
  }
  if (r.renamed.length && small(r.renamed.length)) {
    lines.push('Umbenannt:');
    for (const n of r.renamed) lines.push(`  ${n.key} „${n.from}“ → „${n.to}“`);
  }
  if (r.reparented.length && small(r.reparented.length)) {
    lines.push('Umgegliedert:');
    for (const p of r.reparented) lines.push(`  ${p.key} ${p.name}: ${p.from} → ${p.to}`);
  }
  return lines.join('\n');
}

export const registerCommands: CliCommand[] = [
  {
    name: 'import gv100ad',
    usage: 'import gv100ad FILE [--changes LIST]… [--force] [--json]',
    summary:
      'update the register from a Destatis GV100AD release; LIST: Destatis Gebietsänderungen or BBSR Umsteigeschlüssel (.xlsx)',
    async run(args, deps) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          force: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          changes: { type: 'string', multiple: true, default: [] },
        },
      });
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('usage: lotse import gv100ad FILE [--changes LIST]…');
      const data = readInput(file);
      const changeLists = (values.changes ?? []).map((f) => ({ fileName: path.basename(f), data: readInput(f) }));
      const report = await importGv100ad(deps.db, {
        fileName: path.basename(file),
        data,
        force: values.force,
        changeLists,
      });
      console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
      return 0;
    },
  },
  {
    name: 'import boundaries',
    usage: 'import boundaries FILE [--json]',
    summary: 'import boundaries (GeoJSON, WGS84, key property ARS or AGS)',
    async run(args, deps) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { json: { type: 'boolean', default: false } },
      });
      const [file] = positionals;
      if (!file || positionals.length > 1) throw new UsageError('usage: lotse import boundaries FILE');
      const geojson = Buffer.from(readInput(file)).toString('utf8');
      const r = await importBoundaries(deps.db, path.basename(file), geojson);
      if (values.json) console.log(JSON.stringify(r, null, 2));
      else {
        console.log(
          `Grenzen ${r.fileName}: ${r.imported} Gebiete (${Object.entries(r.byLevel)
            .map(([l, n]) => `${l}: ${n}`)
            .join(', ')}), ${r.sourceVertices} → ${r.storedVertices} Stützpunkte`,
        );
        if (r.unmatched.length) console.log(`Nicht im Register: ${r.unmatched.join(', ')}`);
        for (const w of r.warnings) console.log(`Hinweis: ${w}`);
      }
      return 0;
    },
  },
];
