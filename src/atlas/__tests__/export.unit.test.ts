import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseCsv } from 'csv-parse/sync';
import { CSV_COLUMNS, type PracticeExportRow, practiceJsonLd, practiceRecord, practicesCsv } from '../export.js';
import { IMPORT_FIELDS, parsePracticesFile } from '../import.js';
import { emptyPractice, type PracticeContent } from '../model.js';

const pageUrl = (id: string) => `https://lotse.example/praxis/${id}`;

function row(
  id: string,
  over: Partial<PracticeContent> = {},
  extra: Partial<PracticeExportRow> = {},
): PracticeExportRow {
  const content: PracticeContent = {
    ...emptyPractice(),
    title: 'Digitaler Bauantrag',
    summary: 'Anträge online; Prüfung parallel, „schneller“ als auf Papier.',
    description: 'Erster Absatz mit "Zitat", Komma; Semikolon.\n\n- Punkt eins\n- Punkt zwei',
    regions: ['05774032', '05774'],
    sectors: ['verwaltung', 'wohnen-stadtentwicklung'],
    status: 'implementation',
    startYear: 2022,
    endYear: null,
    tags: ['Bauantrag', 'E-Akte', 'Größe'],
    links: { website: 'https://www.example.org/bauantrag', repository: '', publiccode: '' },
    source: 'Angaben des Projektteams',
    licence: 'CC-BY-4.0',
    ...over,
  };
  return {
    id,
    externalId: `ext:${id}`,
    content,
    regionNames: { '05774032': 'Paderborn, Stadt', '05774': 'Paderborn' },
    publishedAt: '2025-03-01T10:00:00.000Z',
    updatedAt: '2025-04-02T08:30:00.000Z',
    reuses: 2,
    ...extra,
  };
}

/** The content the import sets (everything else stays as in a new practice). */
const importable = (c: PracticeContent): PracticeContent => ({
  ...emptyPractice(),
  title: c.title,
  summary: c.summary,
  description: c.description,
  regions: c.regions,
  sectors: c.sectors,
  status: c.status,
  startYear: c.startYear,
  endYear: c.endYear,
  tags: c.tags,
  links: { website: c.links.website, repository: '', publiccode: '' },
  source: c.source,
  licence: c.licence,
});

const ROWS = [
  row('1'),
  row('2', {
    title: '=HYPERLINK("https://evil.example";"klick")',
    summary: '+49 30 123: Hotline für alle Fragen',
    description: '',
    tags: ['-minus', '@at'],
    startYear: 2019,
    endYear: 2023,
    status: 'ended',
    links: { website: '', repository: 'https://gitlab.opencode.de/x/y', publiccode: '' },
    licence: '',
    source: '',
  }),
];

describe('practicesCsv', () => {
  it('writes the header and one line per project, lists joined by ";", the platform page as pageUrl', () => {
    const text = practicesCsv([ROWS[0]!], pageUrl);
    const [header, first, ...rest] = parseCsv(text) as string[][];
    assert.equal(rest.length, 0);
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const cell = (name: (typeof CSV_COLUMNS)[number]) => first![CSV_COLUMNS.indexOf(name)];
    assert.equal(cell('id'), '1');
    assert.equal(cell('regions'), '05774032;05774');
    assert.equal(cell('regionNames'), 'Paderborn, Stadt;Paderborn');
    assert.equal(cell('url'), 'https://www.example.org/bauantrag');
    assert.equal(cell('pageUrl'), 'https://lotse.example/praxis/1');
    assert.equal(cell('publishedAt'), '2025-03-01T10:00:00.000Z');
    assert.equal(cell('reuses'), '2');
    assert.equal(cell('endYear'), '');
    assert.ok(text.endsWith('\r\n'));
    for (const f of IMPORT_FIELDS) assert.ok(header!.includes(f), `column ${f}`);
  });

  it('protects formula cells as csvCell does', () => {
    const text = practicesCsv([ROWS[1]!], pageUrl);
    assert.match(text, /"'=HYPERLINK\(""https:\/\/evil\.example"";""klick""\)"/);
    assert.match(text, /,'\+49 30 123: Hotline/);
  });

  for (const opts of [{}, { separator: ';' as const, bom: true }]) {
    it(`round-trips through the import (${JSON.stringify(opts)}): same content for the import's fields`, () => {
      const text = practicesCsv(ROWS, pageUrl, opts);
      assert.equal(text.startsWith('\ufeff'), opts.bom === true);
      const records = parsePracticesFile('export.csv', Buffer.from(text, 'utf8'));
      assert.equal(records.length, ROWS.length);
      records.forEach((r, i) => {
        assert.equal(r.externalId, ROWS[i]!.externalId);
        assert.deepEqual(r.content, importable(ROWS[i]!.content));
      });
      assert.equal(
        records[1]!.content.title,
        '=HYPERLINK("https://evil.example";"klick")',
        'the title comes back as text',
      );
    });
  }

  it('round-trips as JSON through practiceRecord', () => {
    const text = JSON.stringify({ practices: ROWS.map(practiceRecord) });
    const records = parsePracticesFile('export.json', Buffer.from(text));
    records.forEach((r, i) => {
      assert.deepEqual(r.content, importable(ROWS[i]!.content));
    });
  });
});

describe('practiceJsonLd', () => {
  it('is a schema.org Project with the page as @id and the regions as areas with their keys', () => {
    const ld = JSON.parse(JSON.stringify(practiceJsonLd(ROWS[0]!, pageUrl('1'))));
    assert.equal(ld['@context'], 'https://schema.org');
    assert.equal(ld['@type'], 'Project');
    assert.equal(ld['@id'], 'https://lotse.example/praxis/1');
    assert.equal(ld.url, 'https://lotse.example/praxis/1');
    assert.equal(ld.name, 'Digitaler Bauantrag');
    assert.equal(ld.description, ROWS[0]!.content.summary);
    assert.equal(ld.foundingDate, '2022');
    assert.equal('dissolutionDate' in ld, false);
    assert.deepEqual(ld.areaServed, [
      {
        '@type': 'AdministrativeArea',
        name: 'Paderborn, Stadt',
        identifier: { '@type': 'PropertyValue', propertyID: 'AGS', value: '05774032' },
      },
      {
        '@type': 'AdministrativeArea',
        name: 'Paderborn',
        identifier: { '@type': 'PropertyValue', propertyID: 'AGS', value: '05774' },
      },
    ]);
    assert.deepEqual(ld.keywords, ['Bauantrag', 'E-Akte', 'Größe']);
    assert.deepEqual(ld.sameAs, ['https://www.example.org/bauantrag']);
    assert.deepEqual(ld.subjectOf, {
      '@type': 'CreativeWork',
      name: 'Digitaler Bauantrag',
      license: { '@type': 'CreativeWork', name: 'CC-BY-4.0' },
    });
    assert.equal('funding' in ld, false);
  });

  it('carries the end year, funding, repository and a licence URL; a 9/12-digit key is a Regionalschlüssel', () => {
    const r = row('3', {
      startYear: 2018,
      endYear: 2021,
      funding: 'Modellprojekte Smart Cities',
      regions: ['081155003'],
      links: { website: '', repository: 'https://gitlab.opencode.de/x/y', publiccode: '' },
      licence: 'https://joinup.ec.europa.eu/licence/eupl-v12',
    });
    const ld = JSON.parse(JSON.stringify(practiceJsonLd(r, pageUrl('3'))));
    assert.equal(ld.dissolutionDate, '2021');
    assert.deepEqual(ld.funding, { '@type': 'Grant', name: 'Modellprojekte Smart Cities' });
    assert.equal(ld.areaServed[0].identifier.propertyID, 'RS');
    assert.equal(ld.areaServed[0].name, '081155003', 'the key when the name is not known');
    assert.deepEqual(ld.sameAs, ['https://gitlab.opencode.de/x/y']);
    assert.deepEqual(ld.subjectOf, {
      '@type': 'SoftwareSourceCode',
      name: 'Digitaler Bauantrag',
      codeRepository: 'https://gitlab.opencode.de/x/y',
      license: 'https://joinup.ec.europa.eu/licence/eupl-v12',
    });
  });
});
