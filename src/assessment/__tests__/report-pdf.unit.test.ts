import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { formatNumber, type Lang } from '../../platform/i18n/i18n.js';
import { renderResultPdf } from '../report-pdf.js';
import { REGION_NAME, sampleResult, translator } from './fixtures.js';

/**
 * The result PDF is really tagged: poppler's `pdfinfo -struct` lists its structure tree, `pdftotext` its text.
 * Without poppler-utils the test is skipped locally and fails under CI=true.
 */
const POPPLER = spawnSync('pdfinfo', ['-v']).error === undefined && spawnSync('pdftotext', ['-v']).error === undefined;
const IS_CI = process.env.CI === 'true';
const skip = !POPPLER && !IS_CI ? 'pdfinfo/pdftotext not installed (apt-get install poppler-utils); runs in CI' : false;

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'result-pdf-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function rendered(lang: Lang) {
  const r = sampleResult(lang);
  const pdf = await renderResultPdf(r, translator(lang), lang);
  const file = path.join(dir, `result-${lang}.pdf`);
  fs.writeFileSync(file, pdf);
  // pdftotext writes to the file named after the input ("-": standard output).
  const run = (cmd: 'pdfinfo' | 'pdftotext', args: string[]) =>
    execFileSync(cmd, [...args, file, ...(cmd === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  return { r, pdf, file, run };
}

/** The elements of a `pdfinfo -struct` outline with their depth (two spaces a level; attribute lines skipped). */
function outline(struct: string): { depth: number; type: string }[] {
  return struct
    .split('\n')
    .filter((line) => /^ *[A-Z][A-Za-z0-9]*( \((block|inline)\)|:)?$/.test(line))
    .map((line) => ({ depth: (line.length - line.trimStart().length) / 2, type: line.trim().split(/[ :]/)[0]! }));
}

describe('the result PDF', () => {
  it('has the title, language and tagging in its catalogue', async () => {
    const { pdf } = await rendered('de');
    const raw = pdf.toString('latin1');
    assert.equal(raw.slice(0, 8), '%PDF-1.7');
    assert.match(raw, /\/Lang \(de-DE\)/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.match(raw, /\/MarkInfo/);
    assert.match(raw, /\/StructTreeRoot/);
    const en = (await rendered('en')).pdf.toString('latin1');
    assert.match(en, /\/Lang \(en-GB\)/);
  });

  it('has a structure tree in reading order: Document › H1, P, H2, Table/TR/TH/TD, L/LI', { skip }, async () => {
    assert.ok(POPPLER, 'poppler-utils (pdfinfo, pdftotext) must be installed where CI=true');
    const { r, run } = await rendered('de');
    const info = run('pdfinfo', []);
    assert.match(info, /^Tagged: +yes$/m);
    assert.match(info, new RegExp(`^Title: +Digitalcheck – Ergebnis: ${REGION_NAME}$`, 'm'));
    const tree = outline(run('pdfinfo', ['-struct']));
    assert.deepEqual(tree[0], { depth: 0, type: 'Document' });
    assert.equal(tree.filter((e) => e.depth === 0).length, 1, 'one root');
    const top = tree.filter((e) => e.depth === 1).map((e) => e.type);
    assert.deepEqual(top, ['H1', 'P', 'P', 'H2', 'Table', 'H2', 'Table', 'H2', 'P', 'P', 'H2', 'L', 'P']);
    const count = (type: string) => tree.filter((e) => e.type === type).length;
    const dims = r.ctx.model.dimensions.length;
    const sectors = Object.values(r.score.bySector).filter((s) => s.score !== null).length;
    assert.equal(count('TR'), dims + 1 + sectors + 1, 'a header row and a row per dimension and sector');
    assert.equal(count('TD'), dims + sectors);
    assert.equal(count('TH'), 2 + dims + 2 + sectors, 'column headers and a row header per row');
    assert.equal(count('LI'), r.peers.length);
    // Header cells say what they head.
    const withAttributes = run('pdfinfo', ['-struct']);
    assert.match(withAttributes, /TH:\n +\/Scope \/Column/);
    assert.match(withAttributes, /TH:\n +\/Scope \/Row/);
    // The text of the tree, in order: title first, the first table's row header before its score.
    const text = run('pdfinfo', ['-struct-text']);
    const h1 = text.indexOf(`"Digitalcheck – Ergebnis: ${REGION_NAME}"`);
    const firstDim = text.indexOf(`"${r.ctx.model.dimensions[0]!.name.de}"`);
    assert.ok(h1 > 0 && firstDim > h1, 'title, then the table');
  });

  it('contains the municipality and its score as text, in German and in English', { skip }, async () => {
    assert.ok(POPPLER, 'poppler-utils (pdfinfo, pdftotext) must be installed where CI=true');
    for (const lang of ['de', 'en'] as const) {
      const { r, run } = await rendered(lang);
      const text = run('pdftotext', ['-layout']).replace(/\s+/g, ' ');
      const score = formatNumber(lang, r.score.overall!);
      assert.ok(text.includes(REGION_NAME), `${lang}: the name`);
      assert.ok(
        text.includes(lang === 'de' ? `Punktzahl ${score} / 100` : `score ${score} / 100`),
        `${lang}: the overall score ${score} in ${text.slice(0, 300)}`,
      );
      if (lang === 'en') {
        assert.match(text, /Comparison with similar municipalities/);
        assert.doesNotMatch(text, /Punktzahl|Vergleich|Stärken|keine Angabe/);
      }
    }
  });
});
