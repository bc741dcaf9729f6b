import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import type { Lang } from '../../platform/i18n/i18n.js';
import { renderStrategyDocx } from '../document/docx.js';
import { documentFixture, FIXTURE_NAME, type FixtureOptions } from './document-fixture.js';

/**
 * The council DOCX verified by its content: the file is unzipped (node:zlib) and `word/document.xml` read
 * paragraph by paragraph with its style, as Word and LibreOffice see it.
 */

/** The files of a ZIP archive (central directory, stored or deflated entries). */
function unzip(buf: Buffer): Map<string, Buffer> {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'a ZIP archive (end of central directory found)');
  const entries = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const files = new Map<string, Buffer>();
  for (let i = 0; i < entries; i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50, 'central directory entry');
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buf.readUInt32LE(at + 42);
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(data, data + size);
    files.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLength + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
  }
  return files;
}

const decode = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

interface Para {
  style: string | null;
  text: string;
}

/** The paragraphs of a WordprocessingML part: style id and text (tabs as "\t", breaks as "\n"). */
function paragraphs(xml: string): Para[] {
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map(([p]) => ({
    style: /<w:pStyle w:val="([^"]+)"/.exec(p)?.[1] ?? null,
    text: decode(
      [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:tab\/>|<w:br\/>/g)]
        .map((m) => (m[0] === '<w:tab/>' ? '\t' : m[0] === '<w:br/>' ? '\n' : m[1]!))
        .join(''),
    ).replace(/\u00a0/g, ' '),
  }));
}

async function rendered(lang: Lang, options: FixtureOptions = {}) {
  const docx = await renderStrategyDocx(documentFixture(lang, options));
  const files = unzip(docx);
  const part = (name: string) => {
    const f = files.get(name);
    assert.ok(f, `${name} in the package`);
    return f.toString('utf8');
  };
  const document = part('word/document.xml');
  const paras = paragraphs(document);
  return { docx, files, part, document, paras, text: paras.map((p) => p.text).join('\n') };
}

const ROADMAP_DE = [
  'Digitalbeauftragte(n) benennen',
  'Breitbandversorgung erheben und Markterkundung durchführen',
  'Informationssicherheitsbeauftragte(n) benennen',
  'Steuerungsgruppe Digitalisierung einrichten',
  'Jährlichen Fortbildungsplan für digitale Kompetenzen aufstellen',
  'Ratsinformationssystem mit öffentlichen Vorlagen und Beschlüssen',
  'Alle Schulen mit Glasfaser anbinden',
  'E-Rechnungen (XRechnung) empfangen und digital verarbeiten',
  'Ratsinformationen über OParl veröffentlichen',
  'Digitalsprechstunde für Bürgerinnen und Bürger anbieten',
  'Online-Beteiligungsplattform einsetzen',
];

describe('the council document as DOCX', () => {
  it('is a WordprocessingML package with title, creator and the document language', async () => {
    const { docx, files, part } = await rendered('de');
    assert.equal(docx.toString('latin1', 0, 2), 'PK');
    for (const name of ['[Content_Types].xml', '_rels/.rels', 'word/document.xml', 'word/styles.xml']) {
      assert.ok(files.has(name), name);
    }
    assert.match(part('[Content_Types].xml'), /wordprocessingml\.document\.main\+xml/);
    const core = part('docProps/core.xml');
    assert.match(core, new RegExp(`<dc:title>Digitalstrategie ${FIXTURE_NAME}</dc:title>`));
    assert.match(core, /<dc:creator>Kommunallotse<\/dc:creator>/);
    assert.match(part('word/styles.xml'), /<w:rPrDefault><w:rPr>.*<w:lang w:val="de-DE"\/>/);
    assert.match((await rendered('en')).part('word/styles.xml'), /<w:lang w:val="en-GB"\/>/);
  });

  it('uses real heading styles: the title Heading 1, the sections Heading 2, the measures Heading 3 in roadmap order', async () => {
    const { paras, part } = await rendered('de');
    const styled = (s: string) => paras.filter((p) => p.style === s).map((p) => p.text);
    assert.deepEqual(styled('Heading1'), [`Digitalstrategie ${FIXTURE_NAME}`]);
    assert.deepEqual(styled('Heading2'), [
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
      styled('Heading3'),
      ROADMAP_DE.map((t, i) => `${i + 1}. ${t}`),
    );
    const styles = part('word/styles.xml');
    for (const [id, level] of [
      ['Heading1', 0],
      ['Heading2', 1],
      ['Heading3', 2],
    ] as const) {
      assert.match(
        styles,
        new RegExp(`<w:style w:type="paragraph" w:styleId="${id}">.*?<w:outlineLvl w:val="${level}"/>`),
      );
    }
    assert.deepEqual(
      styled('Caption'),
      [
        'Maßnahmen je Phase',
        'Punktzahl je Dimension',
        'Stufe und Punktzahl je Dimension',
        'Vergleich mit ähnlichen Kommunen',
        'Ziele je Dimension bis Februar 2029',
        'Zeitplan der Maßnahmen',
        'Roadmap als Tabelle',
        'Personal und Budget je Jahr gegenüber der Kapazität',
        'Erfolgsindikatoren je Maßnahme',
      ],
      'a caption before every table',
    );
  });

  it('has the name, the facts of every measure with its reason, the budget total in German, the sources', async () => {
    const { text } = await rendered('de', { status: 'adopted' });
    assert.ok(text.includes(`Gemeinde ${FIXTURE_NAME}`));
    assert.ok(text.includes('Kommunallotse · Baden-Württemberg'));
    assert.ok(text.includes('Status\tVom Gemeinderat beschlossen am 12.05.2026, Beschluss-Nr. GR 2026/031'));
    assert.ok(text.includes('Budget über drei Jahre: 239.000 €, davon einmalig 160.500 € und laufend 78.500 €'));
    assert.ok(
      text.includes(
        'Begründung\tweil Ihre Antwort zu Frage „Ist in Ihrer Verwaltung festgelegt, wer Digitalisierungsvorhaben koordiniert?“ Stufe 1 ist',
      ),
    );
    assert.ok(text.includes('Zeitraum\tDezember 2026 bis Mai 2028 (18 Monate)'));
    assert.ok(text.includes('Im Jahr 1 übersteigt das geplante Budget'));
    assert.ok(!text.includes('Kita-Platz'), 'a dropped measure is not in the document');
    assert.ok(
      text.includes(
        'OParl – Standard für offene Schnittstellen von Ratsinformationssystemen (OParl-Initiative): https://oparl.org',
      ),
    );
    // Titles of the roadmap table in order.
    const table = text.slice(text.indexOf('Roadmap als Tabelle'));
    let at = -1;
    for (const [i, title] of ROADMAP_DE.entries()) {
      const next = table.indexOf(`${i + 1}. ${title}`);
      assert.ok(next > at, `${i + 1}. ${title} in order`);
      at = next;
    }
  });

  it('repeats table header rows, keeps rows together and gives each table its alternative text', async () => {
    const { document } = await rendered('de');
    const tables = [...document.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)].map((m) => m[0]);
    assert.equal(tables.length, 9, 'seven data tables, the bar chart and the Gantt chart');
    for (const t of tables) {
      const caption = /<w:tblCaption w:val="([^"]+)"\/>/.exec(t)?.[1];
      assert.ok(caption, 'alternative text (title)');
      assert.match(t, /<w:tblDescription w:val="[^"]+"\/>/);
    }
    const data = tables.filter((t) => !/w:tblCaption w:val="(Punktzahl je Dimension|Zeitplan der Maßnahmen)"/.test(t));
    for (const t of data) {
      const firstRow = /<w:tr>[\s\S]*?<\/w:tr>/.exec(t)![0];
      assert.match(firstRow, /<w:trPr>.*<w:tblHeader\/>/, 'the header row repeats on every page');
      assert.equal((t.match(/<w:tblHeader\/>/g) ?? []).length, 1, 'only the header row');
      assert.equal((t.match(/<w:tr>/g) ?? []).length, (t.match(/<w:cantSplit\/>/g) ?? []).length, 'no row splits');
    }
  });

  it('draws the Gantt chart as shaded month cells: one row per measure over 36 months, the phases marked', async () => {
    const { document } = await rendered('de');
    const gantt = [...document.matchAll(/<w:tbl>[\s\S]*?<\/w:tbl>/g)]
      .map((m) => m[0])
      .find((t) => t.includes('w:tblCaption w:val="Zeitplan der Maßnahmen"'))!;
    assert.match(
      /<w:tblDescription w:val="([^"]+)"/.exec(gantt)![1]!,
      /^Gantt-Diagramm: 11 Maßnahmen über 36 Monate von März 2026 bis Februar 2029/,
    );
    assert.equal((gantt.match(/<w:gridCol /g) ?? []).length, 37, 'a label column and 36 months');
    const rows = [...gantt.matchAll(/<w:tr>[\s\S]*?<\/w:tr>/g)].map((m) => m[0]);
    assert.equal(rows.length, 2 + 11, 'years and phases (repeated on every page), a row per measure');
    assert.match(rows[0]!, /<w:tblHeader\/>/);
    assert.match(rows[1]!, /<w:tblHeader\/>/);
    assert.ok(rows[1]!.includes('Phase 1') && rows[1]!.includes('Phase 3'));
    /** The months of a row: per cell its span and whether it is the (dark) bar. */
    const months = (row: string) =>
      [...row.matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].slice(1).map((c) => ({
        span: Number(/<w:gridSpan w:val="(\d+)"/.exec(c[0])?.[1] ?? 1),
        bar: /w:fill="08519C"/.test(c[0]),
      }));
    rows.slice(2).forEach((row, i) => {
      const cells = months(row);
      assert.equal(
        cells.reduce((s, c) => s + c.span, 0),
        36,
        `row ${i + 1} covers 36 months`,
      );
      assert.equal(cells.filter((c) => c.bar).length, 1, `row ${i + 1} has one bar`);
    });
    // Alle Schulen mit Glasfaser anbinden: months 9 to 26 (0-based), so 9 months before the bar and 18 in it.
    const glasfaser = rows[2 + 6]!;
    assert.ok(glasfaser.includes('7. Alle Schulen mit Glasfaser anbinden'));
    const cells = months(glasfaser);
    const barAt = cells.findIndex((c) => c.bar);
    assert.equal(
      cells.slice(0, barAt).reduce((s, c) => s + c.span, 0),
      9,
    );
    assert.equal(cells[barAt]!.span, 18);
  });

  it('has the header line and the page numbers as fields, not on the title page', async () => {
    const { part, document } = await rendered('de');
    assert.match(document, /<w:titlePg\/>/);
    const defaultFooter = /<w:footerReference w:type="default" r:id="(rId\d+)"\/>/.exec(document)![1]!;
    const rels = part('word/_rels/document.xml.rels');
    const file = new RegExp(
      `Id="${defaultFooter}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${defaultFooter}"`,
    ).exec(rels)!;
    const footer = part(`word/${file[1] ?? file[2]}`);
    assert.match(footer, /Seite <\/w:t>[\s\S]*PAGE[\s\S]* von <\/w:t>[\s\S]*NUMPAGES/);
    const defaultHeader = /<w:headerReference w:type="default" r:id="(rId\d+)"\/>/.exec(document)![1]!;
    const h = new RegExp(`Id="${defaultHeader}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="${defaultHeader}"`).exec(
      rels,
    )!;
    assert.ok(paragraphs(part(`word/${h[1] ?? h[2]}`))[0]!.text.startsWith('Kommunallotse · Baden-Württemberg\t'));
  });

  it('renders in English with English headings and money', async () => {
    const { paras, text } = await rendered('en', { isDemo: true });
    const h2 = paras.filter((p) => p.style === 'Heading2').map((p) => p.text);
    assert.deepEqual(h2.slice(0, 4), ['Summary', 'Where we stand', 'Vision and goals', 'Measures and rationale']);
    assert.ok(text.includes('Budget over three years: €239,000'));
    assert.ok(text.includes('Demo data: this strategy is based on sample data.'));
    assert.ok(text.includes('1. Appoint a digital officer'));
    assert.ok(!text.includes('Auf einen Blick'));
  });
});
