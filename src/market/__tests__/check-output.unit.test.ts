import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../platform/config.js';
import { exitCodeOf, formatReports, reportJson } from '../cli.js';
import type { Report } from '../conformance/types.js';

/** What `lotse check` prints and exits with, from reports (the child-process test covers the command itself). */

const ok: Report = { input: 'ok.zip', standard: 'gtfs', verdict: 'conformant', findings: [], validatorVersion: 'v/1' };
const bad: Report = {
  input: 'https://example.org/publiccode.yml',
  standard: 'publiccode',
  verdict: 'not conformant',
  standardVersion: '0.4',
  validatorVersion: 'v/2',
  stats: { keys: 12 },
  findings: [
    { rule: 'p.warn', severity: 'warning', location: '$.name', message: 'Der Name ist lang.' },
    {
      rule: 'p.licence',
      severity: 'error',
      location: '$.legal.license',
      message: 'Die Lizenz ist kein SPDX-Ausdruck.',
      source: 'publiccode.yml 0.4 §legal.license',
    },
  ],
};
const failed: Report = {
  input: 'feed.zip',
  standard: 'gtfs',
  verdict: 'could not be checked',
  findings: [],
  validatorVersion: 'v/1',
  reason: 'Die Datei oder der Ordner „feed.zip“ existiert nicht.',
};

test('exit codes: 0 all conformant, 1 any not conformant, 2 any could not be checked (2 wins over 1)', () => {
  assert.equal(exitCodeOf([ok, ok]), 0);
  assert.equal(exitCodeOf([ok, bad]), 1);
  assert.equal(exitCodeOf([ok, failed]), 2);
  assert.equal(exitCodeOf([bad, failed, ok]), 2);
});

test('the text per input: heading, verdict with counts, reason, version, errors first with rule and location', () => {
  const out = formatReports([bad, failed]);
  const lines = out.split('\n');
  assert.equal(lines[0], 'https://example.org/publiccode.yml (publiccode 0.4)');
  assert.equal(lines[1], '  Ergebnis: nicht konform (1 Fehler, 1 Warnung, 0 Hinweise)');
  assert.equal(lines[2], '  Prüfprogramm: v/2');
  assert.equal(lines[3], '  Fehler p.licence – $.legal.license');
  assert.equal(lines[4], '      Die Lizenz ist kein SPDX-Ausdruck. (publiccode.yml 0.4 §legal.license)');
  assert.equal(lines[5], '  Warnung p.warn – $.name');
  assert.match(
    out,
    /feed\.zip \(gtfs\)\n {2}Ergebnis: konnte nicht geprüft werden\n {2}Grund: Die Datei oder der Ordner „feed\.zip“ existiert nicht\.\n/,
  );
  assert.match(out, /2 Eingaben: 0 konform, 1 nicht konform, 1 nicht prüfbar\.\n$/);
});

test('the JSON per report: the named fields (and standardVersion, reason, source when known), no stats', () => {
  assert.deepEqual(Object.keys(reportJson(ok)), ['input', 'standard', 'verdict', 'findings', 'validatorVersion']);
  const j = reportJson(bad);
  assert.deepEqual(Object.keys(j), ['input', 'standard', 'verdict', 'findings', 'validatorVersion', 'standardVersion']);
  assert.deepEqual(Object.keys(j.findings[0]!), ['rule', 'severity', 'location', 'message']);
  assert.equal(j.findings[1]!.source, 'publiccode.yml 0.4 §legal.license');
  assert.equal(reportJson(failed).reason, failed.reason);
});

test('CHECK_ALLOW_PRIVATE: off by default; true/1/yes or false/0/no; anything else stops the start', () => {
  assert.equal(loadConfig({}).check.allowPrivate, false);
  assert.equal(loadConfig({ CHECK_ALLOW_PRIVATE: 'true' }).check.allowPrivate, true);
  assert.equal(loadConfig({ CHECK_ALLOW_PRIVATE: 'YES' }).check.allowPrivate, true);
  assert.equal(loadConfig({ CHECK_ALLOW_PRIVATE: '0' }).check.allowPrivate, false);
  assert.equal(loadConfig({ CHECK_ALLOW_PRIVATE: '' }).check.allowPrivate, false);
  assert.throws(() => loadConfig({ CHECK_ALLOW_PRIVATE: 'vielleicht' }), ConfigError);
});
