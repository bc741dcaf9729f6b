import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import type { Lang } from '../../platform/i18n/i18n.js';
import { documentFonts, printable, woffToSfnt } from '../document/fonts.js';
import { buildOutline } from '../document/outline.js';
import { renderOutlinePdf, renderStrategyPdf } from '../document/pdf.js';
import { documentFixture, FIXTURE_NAME, type FixtureOptions } from './document-fixture.js';

/**
 * The council PDF verified by its content: poppler's `pdftotext` extracts the text, `pdfinfo -struct` lists the
 * structure tree. Without poppler-utils the tests are skipped locally and fail under CI=true.
 */
const POPPLER = spawnSync('pdfinfo', ['-v']).error === undefined && spawnSync('pdftotext', ['-v']).error === undefined;
const skip = !POPPLER && process.env.CI !== 'true' ? 'pdfinfo/pdftotext not installed (poppler-utils)' : false;

/** The fixture's active measures in roadmap order (by start month, ties in the team's order), by hand. */
const ROADMAP_DE = [
  'Digitalbeauftragte(n) benennen', // month 0
  'Breitbandversorgung erheben und Markterkundung durchführen', // 1
  'Informationssicherheitsbeauftragte(n) benennen', // 2, listed before …
  'Steuerungsgruppe Digitalisierung einrichten', // … this one, also 2
  'Jährlichen Fortbildungsplan für digitale Kompetenzen aufstellen', // 4
  'Ratsinformationssystem mit öffentlichen Vorlagen und Beschlüssen', // 7
  'Alle Schulen mit Glasfaser anbinden', // 9
  'E-Rechnungen (XRechnung) empfangen und digital verarbeiten', // 13, listed after …
  'Ratsinformationen über OParl veröffentlichen', // … this one, 14
  'Digitalsprechstunde für Bürgerinnen und Bürger anbieten', // 20
  'Online-Beteiligungsplattform einsetzen', // 26
];
/** One-off 160,500 € plus running costs per year × years from the start year on: 78,500 €. */
const BUDGET_TOTAL_DE = '239.000 €';
const DROPPED_DE = 'Kita-Platz';

let dir = '';
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'strategy-pdf-'));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let counter = 0;
async function rendered(lang: Lang, options: FixtureOptions = {}, pdf?: Buffer) {
  const bytes = pdf ?? (await renderStrategyPdf(documentFixture(lang, options)));
  const file = path.join(dir, `strategy-${lang}-${counter++}.pdf`);
  fs.writeFileSync(file, bytes);
  const run = (cmd: 'pdfinfo' | 'pdftotext', args: string[]) =>
    execFileSync(cmd, [...args, file, ...(cmd === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8' });
  /** The text in content-stream order (= reading order), whitespace collapsed, no-break spaces as spaces. */
  const text = () =>
    run('pdftotext', ['-raw'])
      .replace(/\u00a0/g, ' ')
      .replace(/\s+/g, ' ');
  const page = (n: number) =>
    execFileSync('pdftotext', ['-raw', '-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' });
  return { pdf: bytes, run, text, page };
}

/** The elements of a `pdfinfo -struct` outline with their depth (attribute lines skipped). */
function structure(struct: string): { depth: number; type: string }[] {
  return struct
    .split('\n')
    .filter((line) => /^ *[A-Z][A-Za-z0-9]*( \((block|inline)\)|:)?$/.test(line))
    .map((line) => ({ depth: (line.length - line.trimStart().length) / 2, type: line.trim().split(/[ :]/)[0]! }));
}

/** The text of every element of `type` in `pdfinfo -struct-text` (the quoted line under it). */
function texts(structText: string, type: string): string[] {
  const lines = structText.split('\n');
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === `${type} (block)`) out.push(/^\s*"(.*)"$/.exec(lines[i + 1] ?? '')?.[1] ?? '');
  });
  return out;
}

/** The /Alt texts of the structure elements, decoded (PDF literal or hex strings, UTF-16BE with a BOM or not). */
function altTexts(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  return [...raw.matchAll(/\/Alt (<[0-9A-Fa-f]*>|\((?:\\[\s\S]|[^\\)])*\))/g)].map(([, s]) => {
    const bytes = s!.startsWith('<')
      ? Buffer.from(s!.slice(1, -1), 'hex')
      : Buffer.from(
          s!
            .slice(1, -1)
            .replace(/\\([0-7]{1,3}|[\s\S])/g, (_, e: string) =>
              /^[0-7]/.test(e) ? String.fromCharCode(Number.parseInt(e, 8)) : ({ n: '\n', r: '\r', t: '\t' }[e] ?? e),
            ),
          'latin1',
        );
    return bytes[0] === 0xfe && bytes[1] === 0xff
      ? Buffer.from(bytes.subarray(2)).swap16().toString('utf16le')
      : bytes.toString('latin1');
  });
}

/** The decompressed content streams of a PDF (every FlateDecode stream; pdfkit compresses page contents). */
function contentStreams(pdf: Buffer): string[] {
  const raw = pdf.toString('latin1');
  const out: string[] = [];
  for (const m of raw.matchAll(/\/Filter \/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = m.index! + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      out.push(zlib.inflateSync(pdf.subarray(start, end)).toString('latin1'));
    } catch {
      // not a content stream (e.g. trailing newline before endstream): inflate tolerates, others are skipped
    }
  }
  return out;
}

describe('the council document as PDF', () => {
  it('is tagged PDF 1.7 with its language, title and embedded fonts', async () => {
    const { pdf } = await rendered('de');
    const raw = pdf.toString('latin1');
    assert.equal(raw.slice(0, 8), '%PDF-1.7');
    assert.match(raw, /\/Lang \(de-DE\)/);
    assert.match(raw, /\/DisplayDocTitle true/);
    assert.match(raw, /\/MarkInfo/);
    assert.match(raw, /\/StructTreeRoot/);
    assert.match(raw, /\/FontFile2/, 'the font is embedded');
    assert.doesNotMatch(raw, /\/BaseFont \/Helvetica/, 'no standard font that is not embedded');
    assert.match((await rendered('en')).pdf.toString('latin1'), /\/Lang \(en-GB\)/);
  });

  it('names the municipality, its Land and the status on the title page', { skip }, async () => {
    const { run, text } = await rendered('de', { status: 'adopted' });
    const info = run('pdfinfo', []);
    assert.match(info, /^Tagged: +yes$/m);
    assert.match(info, new RegExp(`^Title: +Digitalstrategie ${FIXTURE_NAME}$`, 'm'));
    const all = text();
    const titlePage = all.slice(0, all.indexOf('Auf einen Blick'));
    assert.ok(titlePage.includes('Kommunallotse · Baden-Württemberg'), 'the header line, no coat of arms');
    assert.ok(titlePage.includes(`Gemeinde ${FIXTURE_NAME}`));
    assert.ok(titlePage.includes('Vom Gemeinderat beschlossen am 12.05.2026, Beschluss-Nr. GR 2026/031'));
    assert.ok(titlePage.includes('Stand 21.02.2026'));
    assert.ok(!titlePage.includes('Demodaten'));
    const demo = (await rendered('de', { isDemo: true })).text();
    assert.ok(demo.includes('Kommunallotse · Baden-Württemberg · Demodaten'), 'demo marked in the header');
    assert.ok(demo.includes('Demodaten: Diese Strategie beruht auf Beispieldaten.'), 'and on the title page');
    assert.ok(demo.includes('Status Entwurf'), 'a draft says so');
  });

  it('has the structure tree in reading order: H1, the sections as H2, a measure per H3, tables, figures', {
    skip,
  }, async () => {
    const { run, pdf } = await rendered('de');
    const tree = structure(run('pdfinfo', ['-struct']));
    assert.deepEqual(tree[0], { depth: 0, type: 'Document' });
    assert.equal(tree.filter((e) => e.depth === 0).length, 1, 'one root');
    const top = tree.filter((e) => e.depth === 1).map((e) => e.type);
    assert.deepEqual(top.slice(0, 5), ['P', 'P', 'H1', 'P', 'L'], 'header line, kicker, title, municipality, facts');
    const count = (type: string) => tree.filter((e) => e.type === type).length;
    assert.equal(count('H1'), 1);
    assert.equal(count('Figure'), 2, 'the bar chart and the Gantt chart');
    assert.equal(count('Table'), 7, 'phases, scores, peers, goals, roadmap, budget, indicators');
    assert.equal(count('Caption'), 7, 'every table has a caption');
    const structText = run('pdfinfo', ['-struct-text']);
    assert.deepEqual(texts(structText, 'H2'), [
      'Auf einen Blick',
      'Ausgangslage',
      'Vision und Ziele',
      'Maßnahmen und Begründung',
      'Roadmap',
      'Organisation und Steuerung',
      'Budget und Personal je Jahr',
      'Erfolgskontrolle und Indikatoren',
      'Quellen',
    ]);
    assert.deepEqual(
      texts(structText, 'H3'),
      ROADMAP_DE.map((title, i) => `${i + 1}. ${title}`),
      'the measures in roadmap order',
    );
    const withAttributes = run('pdfinfo', ['-struct']);
    assert.match(withAttributes, /TH:\n +\/Scope \/Column/);
    assert.match(withAttributes, /TH:\n +\/Scope \/Row/);
    assert.match(withAttributes, /Figure:\n +\/Placement \/Block\n +\/BBox \[/);
    // The budget table: a header row, three years, the totals.
    const budgetTable = structText.slice(structText.indexOf('"Personal und Budget je Jahr'));
    assert.ok(budgetTable.includes('"Summe"') && budgetTable.includes(`"${BUDGET_TOTAL_DE.replace(' ', '\u00a0')}"`));
    // Page numbers and the running header are artifacts: printed, but not in the structure tree.
    assert.ok(run('pdftotext', []).includes('Seite 2 von '));
    const pages = Number(/^Pages: +(\d+)$/m.exec(run('pdfinfo', []))![1]);
    const pagination = contentStreams(pdf).filter((c) => c.includes('/Artifact <<\n/Type /Pagination\n>> BDC'));
    assert.equal(pagination.length, pages, 'every page has its pagination artifact');
    assert.ok(!structText.includes('Seite 2 von'));
    assert.equal(structText.split('Kommunallotse · Baden-Württemberg').length - 1, 1, 'only the title page’s line');
    // Alternative texts: the charts in words.
    const alts = altTexts(pdf);
    assert.equal(alts.length, 2);
    assert.match(
      alts[0]!,
      /^Balkendiagramm der Punktzahl je Dimension.*Strategie & Steuerung 31;.*Teilhabe keine Angabe\.$/,
    );
    assert.match(alts[1]!, /^Gantt-Diagramm: 11 Maßnahmen über 36 Monate von März 2026 bis Februar 2029/);
    assert.match(alts[1]!, /Phase 1 \(März 2026 bis August 2026\): 5 Maßnahmen mit Beginn in dieser Phase\./);
  });

  it('prints the measures in roadmap order with their reasons, the budget total in German, the sources', {
    skip,
  }, async () => {
    const all = (await rendered('de')).text();
    const measures = all.slice(all.indexOf('Maßnahmen und Begründung'), all.indexOf('Zeitplan der Maßnahmen'));
    let at = -1;
    for (const [i, title] of ROADMAP_DE.entries()) {
      const next = measures.indexOf(`${i + 1}. ${title}`);
      assert.ok(next > at, `${i + 1}. ${title} after the one before`);
      at = next;
    }
    assert.ok(!all.includes(DROPPED_DE), 'a dropped measure is not in the document');
    // Reasons through explain(): question text, dimension and measure names.
    assert.ok(
      measures.includes(
        'Begründung weil Ihre Antwort zu Frage „Ist in Ihrer Verwaltung festgelegt, wer Digitalisierungsvorhaben koordiniert?“ Stufe 1 ist und vergleichbare Gemeinden im Median Stufe 3 erreichen',
      ),
    );
    assert.ok(
      measures.includes('Begründung weil „Digitalbeirat oder Netzwerk mit lokalen Akteuren einrichten“ darauf aufbaut'),
    );
    assert.ok(
      all.includes('weil vergleichbare Gemeinden in Daten & Interoperabilität im oberen Viertel Stufe 2 erreichen'),
    );
    // Start and end as calendar months, owner, cost.
    assert.ok(measures.includes('Zeitraum Dezember 2026 bis Mai 2028 (18 Monate)'), 'Glasfaser: months 9–26');
    assert.ok(measures.includes('Verantwortlich Hauptamt, Herr Öztürk'));
    assert.ok(measures.includes('Verantwortlich noch festzulegen'));
    assert.ok(measures.includes('Kosten einmalig 120.000 €, jährlich 4.000 €'));
    assert.ok(measures.includes('Standards bsi-wiba'));
    // Summary and budget.
    assert.ok(
      all.includes(`Budget über drei Jahre: ${BUDGET_TOTAL_DE}, davon einmalig 160.500 € und laufend 78.500 €`),
    );
    assert.ok(all.includes(`Summe 119,9 108 ${BUDGET_TOTAL_DE} 180.000 €`), 'totals row of the budget table');
    assert.ok(all.includes('Jahr 1 (2026) 63,3 36 162.500 € 60.000 €'));
    assert.ok(all.includes('Im Jahr 1 übersteigt das geplante Budget'), 'the capacity warning in words');
    assert.ok(all.includes('Stufe 2 „Im Aufbau“ mit 41 von 100 Punkten'), 'level name');
    assert.ok(all.includes('Kommunen mit 2.000 bis unter 5.000 Einwohnern in Baden- Württemberg 42 44 57'), 'peers');
    assert.ok(all.includes('Die Steuerung berichtet dem Gemeinderat halbjährlich'));
    assert.ok(all.includes('OParl-Initiative'), 'a source cited by a planned measure');
    assert.ok(all.includes('https://oparl.org'));
    assert.ok(all.includes('Digitalcheck – Reifegradmodell für Kommunen, Fassung 1'), 'the maturity model');
  });

  it('renders in English with English headings, numbers and months', { skip }, async () => {
    const { run, text } = await rendered('en');
    const all = text();
    const h2 = texts(run('pdfinfo', ['-struct-text']), 'H2');
    assert.deepEqual(h2.slice(0, 4), ['Summary', 'Where we stand', 'Vision and goals', 'Measures and rationale']);
    assert.ok(all.includes('Page 2 of '));
    assert.ok(all.includes('Budget over three years: €239,000'));
    assert.ok(all.includes('Period December 2026 to May 2028 (18 months)'));
    assert.ok(all.includes('1. Appoint a digital officer'), 'catalogue titles in English');
    assert.ok(!all.includes('Auf einen Blick'));
  });

  it('repeats the header row of a table that runs over a page, as an artifact', { skip }, async () => {
    const outline = buildOutline(documentFixture('de'));
    outline.sections = [
      {
        id: 'summary',
        heading: 'Lange Tabelle',
        newPage: false,
        blocks: [
          {
            kind: 'table',
            id: 'long',
            caption: 'Viele Zeilen',
            columns: [
              { header: 'Spalte Nummer', weight: 1 },
              { header: 'Spalte Wert', weight: 1, numeric: true },
            ],
            rows: Array.from({ length: 90 }, (_, i) => [`Zeile ${i + 1}`, String(i * 7)]),
            rowHeaders: true,
          },
        ],
      },
    ];
    const { run, page } = await rendered('de', {}, await renderOutlinePdf(outline));
    const pages = Number(/^Pages: +(\d+)$/m.exec(run('pdfinfo', []))![1]);
    assert.ok(pages >= 3, `title page and at least two pages of rows, got ${pages}`);
    for (let p = 2; p <= pages; p++) assert.ok(page(p).includes('Spalte Nummer Spalte Wert'), `header on page ${p}`);
    const tree = structure(run('pdfinfo', ['-struct']));
    assert.equal(tree.filter((e) => e.type === 'TR').length, 91, 'one tagged header row and the 90 rows');
    assert.equal(tree.filter((e) => e.type === 'TH').length, 2 + 90, 'column headers once, a row header per row');
  });
});

describe('the document font', () => {
  it('is Noto Sans unpacked from WOFF into TrueType, without the shaping tables', () => {
    const { regular, bold } = documentFonts();
    for (const font of [regular, bold]) {
      assert.equal(font.readUInt32BE(0), 0x00010000, 'a TrueType sfnt');
      const tags = Array.from({ length: font.readUInt16BE(4) }, (_, i) =>
        font.toString('latin1', 12 + i * 16, 16 + i * 16),
      );
      for (const t of ['cmap', 'glyf', 'head', 'hmtx', 'loca', 'name', 'post']) assert.ok(tags.includes(t), t);
      for (const t of ['GSUB', 'GPOS', 'GDEF']) assert.ok(!tags.includes(t), `${t} left out`);
    }
    assert.throws(() => woffToSfnt(Buffer.from('not a font at all, but long enough to have a header')), /not a WOFF/);
  });

  it('replaces characters the font lacks instead of printing empty boxes', () => {
    const has = (cp: number) => cp < 0x2000;
    assert.equal(printable('A → B ≥ C', has), 'A -> B >= C');
    assert.equal(printable('Chóśebuz ☃', has), 'Chóśebuz ?');
    assert.equal(printable('a\tb\nc', has), 'a b\nc');
  });
});
