/**
 * `lotse check STANDARD URL|FILE|FOLDER… [--json]`: the conformance checks on the command line, without a server
 * and without a database (docs/conformance/README.md).
 */
import { parseArgs } from 'node:util';
import type { CliCommand } from '../platform/module.js';
import { checkDe } from './check-messages.js';
import { createFetcher } from './conformance/fetch.js';
import { checkInputs } from './conformance/registry.js';
import { type CheckStandard, type Report, type Severity, STANDARD_IDS, type Verdict } from './conformance/types.js';

export const CHECK_USAGE = `check ${STANDARD_IDS.join('|')} URL|FILE|FOLDER… [--json]`;

/**
 * The exit code for a set of reports: 2 when any could not be checked (the answer is incomplete, so it must not read
 * as a clean "not conformant" or "conformant"; this wins over 1), else 1 when any is not conformant, else 0.
 */
export function exitCodeOf(reports: readonly Report[]): number {
  if (reports.some((r) => r.verdict === 'could not be checked')) return 2;
  if (reports.some((r) => r.verdict === 'not conformant')) return 1;
  return 0;
}

/** The JSON form of a report: the fields the issue names, plus standardVersion and reason when known. */
export function reportJson(r: Report) {
  return {
    input: r.input,
    standard: r.standard,
    verdict: r.verdict,
    findings: r.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      location: f.location,
      message: f.message,
      ...(f.source ? { source: f.source } : {}),
    })),
    validatorVersion: r.validatorVersion,
    ...(r.standardVersion ? { standardVersion: r.standardVersion } : {}),
    ...(r.reason ? { reason: r.reason } : {}),
  };
}

const VERDICT_DE: Record<Verdict, string> = {
  conformant: checkDe['market.check.verdict.conformant'],
  'not conformant': checkDe['market.check.verdict.notConformant'],
  'could not be checked': checkDe['market.check.verdict.couldNotBeChecked'],
};
const SEVERITY_DE: Record<Severity, string> = {
  error: checkDe['market.check.severity.error'],
  warning: checkDe['market.check.severity.warning'],
  info: checkDe['market.check.severity.info'],
};
const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The reports as German text for a person: per input a heading, the verdict line, then each finding. */
export function formatReports(reports: readonly Report[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${r.input} (${r.standard}${r.standardVersion ? ` ${r.standardVersion}` : ''})`);
    const bySeverity = (s: Severity) => r.findings.filter((f) => f.severity === s).length;
    const tally = [
      count(bySeverity('error'), 'Fehler', 'Fehler'),
      count(bySeverity('warning'), 'Warnung', 'Warnungen'),
      count(bySeverity('info'), 'Hinweis', 'Hinweise'),
    ].join(', ');
    out.push(`  Ergebnis: ${VERDICT_DE[r.verdict]}${r.verdict === 'could not be checked' ? '' : ` (${tally})`}`);
    if (r.reason) out.push(`  Grund: ${r.reason}`);
    out.push(`  Prüfprogramm: ${r.validatorVersion}`);
    const findings = [...r.findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
    for (const f of findings) {
      out.push(`  ${SEVERITY_DE[f.severity]} ${f.rule}${f.location ? ` – ${f.location}` : ''}`);
      out.push(`      ${f.message}${f.source ? ` (${f.source})` : ''}`);
    }
    out.push('');
  }
  const of = (v: Verdict) => reports.filter((r) => r.verdict === v).length;
  out.push(
    `${count(reports.length, 'Eingabe', 'Eingaben')}: ${of('conformant')} konform, ${of('not conformant')} nicht konform, ` +
      `${of('could not be checked')} nicht prüfbar.`,
  );
  return `${out.join('\n')}\n`;
}

/** Wrong use: one line on stderr and exit code 2 (1 would read as "not conformant"). */
function usageError(message: string): number {
  process.stderr.write(`lotse: ${message}\nusage: lotse ${CHECK_USAGE}\n`);
  return 2;
}

export const marketCommands: CliCommand[] = [
  {
    name: 'check',
    usage: CHECK_USAGE,
    summary:
      'Konformität prüfen (publiccode.yml, OParl, DCAT-AP.de, GTFS); Exit 0 konform, 1 nicht konform, 2 nicht prüfbar',
    needsDatabase: false,
    run: async (args, { config }) => {
      let parsed: ReturnType<typeof parseArgs<{ options: { json: { type: 'boolean' } }; allowPositionals: true }>>;
      try {
        parsed = parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: true, strict: true });
      } catch (err) {
        return usageError((err as Error).message);
      }
      const [standard, ...inputs] = parsed.positionals;
      if (!standard) return usageError(`welcher Standard? Einer von: ${STANDARD_IDS.join(', ')}`);
      if (!(STANDARD_IDS as readonly string[]).includes(standard)) {
        return usageError(`unbekannter Standard „${standard}“ – einer von: ${STANDARD_IDS.join(', ')}`);
      }
      if (inputs.length === 0) return usageError('mindestens eine URL, Datei oder ein Ordner fehlt');
      const fetch = createFetcher({ allowPrivate: config.check.allowPrivate });
      const reports = await checkInputs(standard as CheckStandard, inputs, { fetch });
      process.stdout.write(
        parsed.values.json ? `${JSON.stringify(reports.map(reportJson), null, 2)}\n` : formatReports(reports),
      );
      return exitCodeOf(reports);
    },
  },
];
