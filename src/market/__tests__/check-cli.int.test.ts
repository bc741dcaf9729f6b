import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT } from '../../platform/paths.js';

/**
 * `lotse check` as a child process (the sources through tsx, with the fake validator of test/helpers registered for
 * gtfs in that process): argument handling, the text and the --json output, the exit codes, CHECK_ALLOW_PRIVATE
 * for URLs, and that it runs without DATABASE_URL and creates nothing in DATA_DIR.
 */

const ENTRY = path.join(ROOT, 'test/helpers/check-cli.ts');
const FIX = path.join(ROOT, 'test/fixtures/market/check');

let dir: string;
let dataDir: string;
let server: http.Server;
let base: string;

function check(args: string[], extra: Record<string, string> = {}) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !['DATABASE_URL', 'TEST_DATABASE_URL', 'CHECK_ALLOW_PRIVATE'].includes(k)) env[k] = v;
  }
  Object.assign(env, { DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, extra);
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'check', ...args], { env, cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-check-'));
  dataDir = path.join(dir, 'data');
  server = http.createServer((req, res) => {
    if (req.url === '/feed') {
      res.writeHead(200);
      res.end('alles gut\n');
    } else if (req.url === '/bad-feed') {
      res.writeHead(200);
      res.end('ERROR\n');
    } else if (req.url === '/to-private') {
      res.writeHead(302, { location: 'http://10.0.0.1/feed' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('lotse check', () => {
  test('wrong use exits 2 with the usage: no standard, an unknown one (listing them), no input, an unknown option', async () => {
    const none = await check([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /usage: lotse check publiccode\|oparl\|dcat-ap-de\|gtfs URL\|FILE\|FOLDER… \[--json\]/);
    const unknown = await check(['netex', 'feed.zip']);
    assert.equal(unknown.code, 2);
    assert.match(
      unknown.stderr,
      /^lotse: unbekannter Standard „netex“ – einer von: publiccode, oparl, dcat-ap-de, gtfs\n/,
    );
    const noInput = await check(['gtfs']);
    assert.equal(noInput.code, 2);
    assert.match(noInput.stderr, /mindestens eine URL, Datei oder ein Ordner fehlt/);
    const option = await check(['gtfs', path.join(FIX, 'ok.txt'), '--frob']);
    assert.equal(option.code, 2);
    assert.match(option.stderr, /--frob/);
    assert.equal(option.stdout, '');
  });

  test('all conformant: exit 0 and a readable German text; a folder counts as one input', async () => {
    const r = await check(['gtfs', path.join(FIX, 'ok.txt'), path.join(FIX, 'warn.txt'), path.join(FIX, 'folder')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /ok\.txt \(gtfs\)\n {2}Ergebnis: konform \(0 Fehler, 0 Warnungen, 0 Hinweise\)\n/);
    assert.match(r.stdout, /warn\.txt \(gtfs\)\n {2}Ergebnis: konform \(0 Fehler, 1 Warnung, 0 Hinweise\)/);
    assert.match(r.stdout, / {2}Warnung fake\.warn – warn\.txt:1\n {6}Hier steht WARN\.\n/);
    assert.match(r.stdout, /3 Eingaben: 3 konform, 0 nicht konform, 0 nicht prüfbar\.\n$/);
  });

  test('--json: exactly one array, a report per input in order; exit 1 for a not conformant one', async () => {
    const inputs = [path.join(FIX, 'ok.txt'), path.join(FIX, 'bad.txt')];
    const r = await check(['gtfs', '--json', ...inputs]);
    assert.equal(r.code, 1, r.stderr);
    const reports = JSON.parse(r.stdout);
    assert.ok(Array.isArray(reports));
    assert.deepEqual(
      reports.map((x: { input: string; standard: string; verdict: string }) => [x.input, x.standard, x.verdict]),
      [
        [inputs[0], 'gtfs', 'conformant'],
        [inputs[1], 'gtfs', 'not conformant'],
      ],
    );
    assert.deepEqual(reports[1].findings[0], {
      rule: 'fake.error',
      severity: 'error',
      location: 'bad.txt:1',
      message: 'Hier steht ERROR.',
      source: 'Fake §1',
    });
    assert.equal(reports[1].validatorVersion, 'fake/1.0.0');
  });

  test('exit 2 when one could not be checked, also beside a not conformant one; a throwing validator is a reason', async () => {
    const missing = path.join(FIX, 'gibt-es-nicht.zip');
    const r = await check(['gtfs', path.join(FIX, 'bad.txt'), missing, path.join(FIX, 'throws.txt'), '--json']);
    assert.equal(r.code, 2, r.stderr);
    const [bad, gone, thrown] = JSON.parse(r.stdout);
    assert.equal(bad.verdict, 'not conformant');
    assert.equal(gone.verdict, 'could not be checked');
    assert.match(gone.reason, /existiert nicht/);
    assert.equal(thrown.verdict, 'could not be checked');
    assert.equal(thrown.reason, 'Das Prüfprogramm ist mit einem Fehler abgebrochen: kaputt in Zeile 1');
    const text = await check(['gtfs', missing]);
    assert.equal(text.code, 2);
    assert.match(
      text.stdout,
      /Ergebnis: konnte nicht geprüft werden\n {2}Grund: Die Datei oder der Ordner „.*gibt-es-nicht\.zip“ existiert nicht\./,
    );
  });

  test('the built-in validators judge real files: publiccode and dcat-ap-de, several inputs in one call', async () => {
    const M = path.join(ROOT, 'test/fixtures/market');
    const r = await check([
      'publiccode',
      path.join(M, 'publiccode/valid-0.7.yml'),
      path.join(M, 'publiccode/unknown-version.yml'),
      '--json',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const reports = JSON.parse(r.stdout) as {
      verdict: string;
      validatorVersion: string;
      findings: { rule: string }[];
    }[];
    assert.deepEqual(
      reports.map((x) => x.verdict),
      ['conformant', 'not conformant'],
    );
    assert.match(reports[0]!.validatorVersion, /^kommunallotse-publiccode\//);
    assert.ok(reports[1]!.findings.some((f) => f.rule.startsWith('publiccode.')));
    const d = await check(['dcat-ap-de', path.join(M, 'dcat/valid-catalog.ttl'), path.join(M, 'dcat/broken.ttl')]);
    assert.equal(d.code, 1, d.stderr);
    assert.match(d.stdout, /dcat\.parse/);
  });

  test('a local URL is refused unless CHECK_ALLOW_PRIVATE=true; a bad value of it stops with its name', async () => {
    const refused = await check(['gtfs', `${base}/feed`, '--json']);
    assert.equal(refused.code, 2, refused.stderr);
    const [r] = JSON.parse(refused.stdout);
    assert.equal(r.input, `${base}/feed`);
    assert.match(r.reason, /127\.0\.0\.1 \(Loopback.*CHECK_ALLOW_PRIVATE=true/);
    const allowed = await check(['gtfs', `${base}/feed`, `${base}/bad-feed`], { CHECK_ALLOW_PRIVATE: 'true' });
    assert.equal(allowed.code, 1, allowed.stderr);
    assert.match(allowed.stdout, /2 Eingaben: 1 konform, 1 nicht konform, 0 nicht prüfbar/);
    const bad = await check(['gtfs', `${base}/feed`], { CHECK_ALLOW_PRIVATE: 'vielleicht' });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /CHECK_ALLOW_PRIVATE/);
  });

  test('needs no database: runs without DATABASE_URL, with an unusable one too, and creates no data directory', async () => {
    const r = await check(['gtfs', path.join(FIX, 'ok.txt')], {
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
    });
    assert.equal(r.code, 0, r.stderr);
    const plain = await check(['gtfs', path.join(FIX, 'ok.txt')]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(fs.existsSync(dataDir), false, 'DATA_DIR was not created');
  });
});
