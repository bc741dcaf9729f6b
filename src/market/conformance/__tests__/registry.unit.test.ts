import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fakeValidator } from '../../../../test/helpers/fake-validator.js';
import { ROOT } from '../../../platform/paths.js';
import { artefactOf, checkInputs, VALIDATORS } from '../registry.js';
import { type Artefact, type Fetcher, FetchRefused, type Validator } from '../types.js';

/**
 * `checkInputs` turns what a person names into the artefact a validator reads, and never crashes: a missing file,
 * a validator that throws or a standard without a validator become `could not be checked` with the reason.
 */

const DIR = path.join(ROOT, 'test/fixtures/market/check');
const noFetch: Fetcher = async (url) => {
  throw new FetchRefused('private-address', `${url}: nicht erlaubt.`);
};

/** A validator that records the artefacts it was given and answers conformant. */
function recorder(): Validator & { seen: Artefact[] } {
  const seen: Artefact[] = [];
  return {
    seen,
    standard: 'publiccode',
    validatorVersion: 'recorder/1',
    async check(artefact) {
      seen.push(artefact);
      return { input: 'egal', standard: 'gtfs', verdict: 'conformant', findings: [], validatorVersion: 'recorder/1' };
    },
  };
}

describe('checkInputs', () => {
  test('URL → url, folder → folder, file → bytes with its name and media type; input and standard as asked', async () => {
    const v = recorder();
    const inputs = ['https://example.org/publiccode.yml', path.join(DIR, 'folder'), path.join(DIR, 'ok.txt')];
    const reports = await checkInputs('publiccode', inputs, { fetch: noFetch, validators: { publiccode: v } });
    assert.deepEqual(v.seen[0], { kind: 'url', url: 'https://example.org/publiccode.yml' });
    assert.deepEqual(v.seen[1], { kind: 'folder', path: path.join(DIR, 'folder') });
    const file = v.seen[2]!;
    assert.equal(file.kind, 'bytes');
    assert.equal(file.kind === 'bytes' && file.name, 'ok.txt');
    assert.equal(file.kind === 'bytes' && file.mediaType, 'text/plain');
    assert.equal(file.kind === 'bytes' && Buffer.from(file.bytes).toString(), 'alles gut\n');
    assert.deepEqual(
      reports.map((r) => [r.input, r.standard, r.verdict]),
      inputs.map((i) => [i, 'publiccode', 'conformant']),
      'one report per input in order; input as typed, the standard asked for',
    );
  });

  test('a relative path is read from the working directory and reported as typed', async () => {
    const rel = path.relative(process.cwd(), path.join(DIR, 'bad.txt'));
    const [r] = await checkInputs('gtfs', [rel], { fetch: noFetch, validators: { gtfs: fakeValidator() } });
    assert.equal(r!.input, rel);
    assert.equal(r!.verdict, 'not conformant');
    assert.deepEqual(
      r!.findings.map((f) => [f.rule, f.severity, f.location]),
      [
        ['fake.error', 'error', 'bad.txt:1'],
        ['fake.warn', 'warning', 'bad.txt:2'],
      ],
    );
  });

  test('a missing file, another scheme, a throwing validator, a refusal: could not be checked, never a crash', async () => {
    const missing = path.join(DIR, 'gibt-es-nicht.zip');
    const throwing: Validator = {
      standard: 'oparl',
      validatorVersion: 'throws/1',
      async check(a) {
        if (a.kind === 'url') throw new FetchRefused('timeout', 'https://x.example/: keine Antwort.');
        throw new TypeError('undefined is not a function');
      },
    };
    const reports = await checkInputs(
      'oparl',
      [missing, 'ftp://example.org/feed.zip', path.join(DIR, 'ok.txt'), 'https://x.example/'],
      { fetch: noFetch, validators: { oparl: throwing } },
    );
    assert.deepEqual(
      reports.map((r) => r.verdict),
      Array(4).fill('could not be checked'),
    );
    assert.match(reports[0]!.reason!, /gibt-es-nicht\.zip“ existiert nicht/);
    assert.match(reports[1]!.reason!, /nur http\(s\)-URLs, Dateien und Ordner/);
    assert.equal(reports[2]!.reason, 'Das Prüfprogramm ist mit einem Fehler abgebrochen: undefined is not a function');
    assert.equal(reports[3]!.reason, 'https://x.example/: keine Antwort.');
    assert.ok(reports.every((r) => r.validatorVersion === 'throws/1'));
  });

  test('a standard without a validator says so for every input', async () => {
    const reports = await checkInputs('dcat-ap-de', ['a.ttl', 'b.ttl'], { fetch: noFetch, validators: {} });
    assert.equal(reports.length, 2);
    for (const r of reports) {
      assert.equal(r.verdict, 'could not be checked');
      assert.match(r.reason!, /Für den Standard dcat-ap-de ist kein Prüfprogramm eingebaut/);
    }
  });

  test('the fetcher given reaches the validator; the built-in registry is the default', async () => {
    const urls: string[] = [];
    const fetch: Fetcher = async (url) => {
      urls.push(url);
      return { url, status: 200, headers: {}, bytes: new TextEncoder().encode('WARN') };
    };
    const [r] = await checkInputs('gtfs', ['https://feed.example/gtfs'], {
      fetch,
      validators: { gtfs: fakeValidator() },
    });
    assert.deepEqual(urls, ['https://feed.example/gtfs']);
    assert.equal(r!.verdict, 'conformant', 'a warning alone does not make it not conformant');
    const saved = VALIDATORS.gtfs;
    try {
      VALIDATORS.gtfs = fakeValidator();
      const [fromRegistry] = await checkInputs('gtfs', [path.join(DIR, 'ok.txt')], { fetch });
      assert.equal(fromRegistry!.validatorVersion, 'fake/1.0.0');
    } finally {
      if (saved) VALIDATORS.gtfs = saved;
      else delete VALIDATORS.gtfs;
    }
  });
});

test('artefactOf: a folder is not read, a file is', async () => {
  assert.deepEqual(await artefactOf(path.join(DIR, 'folder')), { kind: 'folder', path: path.join(DIR, 'folder') });
  assert.equal(((await artefactOf('HTTPS://EXAMPLE.ORG/')) as Artefact).kind, 'url');
});
