import fs from 'node:fs';
import type { Artefact, Finding, Report, Validator, ValidatorOptions } from '../../src/market/conformance/types.js';
import { verdictOf } from '../../src/market/conformance/types.js';

/**
 * A tiny validator for tests of the check machinery (registry, `lotse check`), not of any standard: a line with
 * ERROR is an error finding, WARN a warning; THROW makes it throw; a folder is checked file by file; a URL is
 * fetched through the safe fetcher it is given (a refusal becomes `could not be checked`, a non-2xx answer too).
 */
export const fakeValidator = (standard: Validator['standard'] = 'gtfs'): Validator => ({
  standard,
  validatorVersion: 'fake/1.0.0',
  async check(artefact: Artefact, options: ValidatorOptions): Promise<Report> {
    const input = artefact.kind === 'url' ? artefact.url : artefact.kind === 'folder' ? artefact.path : artefact.name;
    const texts: [string, string][] = [];
    if (artefact.kind === 'bytes') texts.push([artefact.name, Buffer.from(artefact.bytes).toString('utf8')]);
    else if (artefact.kind === 'folder') {
      for (const f of fs.readdirSync(artefact.path).sort()) {
        texts.push([f, fs.readFileSync(`${artefact.path}/${f}`, 'utf8')]);
      }
    } else {
      try {
        const got = await options.fetch(artefact.url);
        if (got.status !== 200) {
          return {
            input,
            standard,
            verdict: 'could not be checked',
            findings: [],
            validatorVersion: 'fake/1.0.0',
            reason: `HTTP ${got.status}`,
          };
        }
        texts.push([got.url, Buffer.from(got.bytes).toString('utf8')]);
      } catch (err) {
        return {
          input,
          standard,
          verdict: 'could not be checked',
          findings: [],
          validatorVersion: 'fake/1.0.0',
          reason: (err as Error).message,
        };
      }
    }
    const findings: Finding[] = [];
    for (const [name, text] of texts) {
      text.split('\n').forEach((line, i) => {
        if (line.includes('THROW')) throw new Error(`kaputt in Zeile ${i + 1}`);
        if (line.includes('ERROR'))
          findings.push({
            rule: 'fake.error',
            severity: 'error',
            location: `${name}:${i + 1}`,
            message: 'Hier steht ERROR.',
            source: 'Fake §1',
          });
        if (line.includes('WARN'))
          findings.push({
            rule: 'fake.warn',
            severity: 'warning',
            location: `${name}:${i + 1}`,
            message: 'Hier steht WARN.',
          });
      });
    }
    return {
      input,
      standard,
      verdict: verdictOf(findings),
      findings,
      validatorVersion: 'fake/1.0.0',
      stats: { files: texts.length },
    };
  },
});
