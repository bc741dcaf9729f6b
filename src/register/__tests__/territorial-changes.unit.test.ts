import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CellValue, Worksheet } from 'exceljs';
import ExcelJS from 'exceljs';
import {
  ChangeListError,
  detectChangeListKind,
  type OfficialLink,
  readBbsrGemeindeKeys,
  readBbsrKreisKeys,
  readDestatisChanges,
  readOfficialChanges,
} from '../territorial-changes.js';

// ---------------------------------------------------------------------------------------------------------
// Workbook builders (layouts as described in shared/data/gebietsaenderungen/SOURCE.md)
// ---------------------------------------------------------------------------------------------------------

type Cell = string | number | Date | null;

function setRow(ws: Worksheet, row: number, values: CellValue[]): void {
  values.forEach((value, i) => {
    if (value !== null && value !== undefined) ws.getCell(row, i + 1).value = value;
  });
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const DESTATIS_HEADER_3: CellValue[] = [
  'Kennziffer',
  'Regionaleinheit',
  'Amtlicher Regionalschlüssel (ARS)',
  'Amtlicher Gemeinde-schlüssel (AGS)',
  'Name',
  {
    richText: [{ text: 'Änderungs-art ' }, { font: { vertAlign: 'superscript', size: 10 }, text: '1)' }],
  },
  'Fläche qm',
  'Einwohner',
  'Amtlicher Regionalschlüssel (ARS)',
  'Amtlicher Gemeinde-schlüssel (AGS)',
  'Name',
  'juristisch',
  'statistisch',
];

/** Destatis layout: cover sheet, title row 1, header rows 2–3 (merged), blank row 4, data from row 5, footer. */
function destatisWorkbook(rows: Cell[][], header3: CellValue[] = DESTATIS_HEADER_3): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const cover = wb.addWorksheet('Deckblatt');
  cover.getCell('A9').value = 'Daten aus dem Gemeindeverzeichnis';
  cover.getCell('A10').value = 'Gebietsänderungen vom 01.01. bis 31.12.2024';
  const ws = wb.addWorksheet('Gebietsaenderungen');
  ws.getCell('A1').value = 'Gebietsänderungen vom 01.01. - 31.12.2024';
  ws.mergeCells('A1:M1');
  setRow(ws, 2, [
    'Kennziffer',
    'Regionaleinheit',
    'Abgebende / Aufgelöste Gemeinde',
    null,
    null,
    null,
    null,
    null,
    'Aufnehmende / Neugebildete Gemeinde',
    null,
    null,
    'Wirksamkeitsdatum',
  ]);
  setRow(
    ws,
    3,
    header3.map((h, i) => (i < 2 ? null : h)),
  );
  ws.mergeCells('A2:A3');
  ws.mergeCells('B2:B3');
  ws.mergeCells('C2:H2');
  ws.mergeCells('I2:K2');
  ws.mergeCells('L2:M2');
  rows.forEach((row, i) => {
    setRow(ws, 5 + i, row);
  });
  const footer = 5 + rows.length + 1;
  setRow(ws, footer, ['Bitte beachten Sie zur Erläuterung die im Tabellenkopf eingefügten Kommentare.']);
  setRow(ws, footer + 1, ['1) Änderungsart:']);
  setRow(ws, footer + 2, ['    1 = Auflösung']);
  setRow(ws, footer + 3, ['    2 = Teilausgliederung']);
  setRow(ws, footer + 4, ['    3 = Schlüsseländerung']);
  setRow(ws, footer + 5, ['    4 = Namensänderung']);
  setRow(ws, footer + 7, [
    '© Daten (im Auftrag der Herausgebergemeinschaft Statistische Ämter des Bundes und der Länder)',
  ]);
  setRow(ws, footer + 8, ['     Statistisches Bundesamt (Destatis), 2025']);
  return wb;
}

const J = '01.01.2024';

/** Covers the quirks of the real lists; comments say what each group must give. */
// biome-ignore format: one spreadsheet row per line
const DESTATIS_ROWS: Cell[][] = [
  // type 2 (Teilausgliederung): a piece and the remainder rows (old == new): no links
  ['14/2024/0005-R', 'Gemeinde', '147290050050', '14729050', 'Borna, Stadt', 2, 13738, 0, '147290220220', '14729220', 'Kitzscher, Stadt', J, J],
  ['14/2024/0005-R', 'Gemeinde', '147290050050', '14729050', 'Borna, Stadt', '2', '62432560', 19470, '147290050050', '14729050', 'Borna, Stadt', J, J],
  ['14/2024/0005-R', 'Gemeinde', '147290220220', '14729220', 'Kitzscher, Stadt', 2, 15097, 0, '147290050050', '14729050', 'Borna, Stadt', J, J],
  ['14/2024/0005-R', 'Gemeinde', '147290220220', '14729220', 'Kitzscher, Stadt', 2, 29023231, 5182, '147290220220', '14729220', 'Kitzscher, Stadt', J, J],
  // type 1 Gemeindeverband with two successors, no figures: two 9-digit links without share
  ['09/2024/0004-R', 'Gemeindeverband', '096729457', null, 'Großer Auersberg', 1, null, null, '096720163', null, 'Wildflecken, M', J, J],
  ['09/2024/0004-R', 'Gemeindeverband', '096729457', null, 'Großer Auersberg', 1, null, null, '096725606', null, 'Bad Brückenau (VGem)', J, J],
  // type 1 without inhabitants: area share
  ['09/2024/0004-R', 'Gemeinde', '096729457457', '09672457', 'Großer Auersberg', 1, 1902750, 0, '096720163163', '09672163', 'Wildflecken, M', J, J],
  ['09/2024/0004-R', 'Gemeinde', '096729457457', '09672457', 'Großer Auersberg', '1', '2769088', '0', '096725606145', '09672145', 'Riedenberg', J, J],
  // type 1 with three successors: population share (population as int and as text)
  ['16/2023/0019-R', 'Gemeinde', '160640073073', '16064073', 'Anrode', 1, 24622179, 1126, '160640071071', '16064071', 'Unstruttal', '01.01.2023', '01.01.2023'],
  ['16/2023/0019-R', 'Gemeinde', '160640073073', '16064073', 'Anrode', 1, 4808650, '313', '160640046046', '16064046', 'Mühlhausen/Thüringen, Stadt', '01.01.2023', '01.01.2023'],
  ['16/2023/0019-R', 'Gemeinde', '160640073073', '16064073', 'Anrode', 1, 23300105, 1699, '160610118118', '16061118', 'Dingelstädt, Stadt', '01.01.2023', '01.01.2023'],
  // type 3 that changes only the ARS (new Gemeindeverband), AGS stays: no link
  ['16/2024/0016-R', 'Gemeinde', '160615012002', '16061002', 'Asbach-Sickenberg', 3, null, null, '160615051002', '16061002', 'Asbach-Sickenberg', J, J],
  // merger written as type 1 + type 3; AGS as a number that lost its leading zero; the type-3 row has no new AGS
  ['07/2025/0004-R', 'Gemeinde', '072325005089', 7232089, 'Niedergeckler', 1, 1385049, 54, '072325005503', '07232503', 'Obergeckler', '01.01.2025', '01.01.2025'],
  ['07/2025/0004-R', 'Gemeinde', '072325005096', '07232096', 'Obergeckler', '3', null, null, '072325005503', null, 'Obergeckler', '01.01.2025', '01.01.2025'],
  // "3, 4" on a Gemeindeverband: key and name change
  ['01/2023/0005-R', 'Gemeindeverband', '010585830', null, 'Flintbek', '3, 4', null, null, '010585896', null, 'Eidertal', '01.06.2023', '01.06.2023'],
  // type 4 name change, juristisch date older than the list: no link
  ['08/2022/0005-R', 'Gemeinde', '081185002071', '08118071', 'Tamm', 4, null, null, '081185002071', '08118071', 'Tamm, Stadt', '01.03.2022', '01.06.2023'],
  // dissolved Gemeindeverband without a successor (2025-02 list): skipped
  ['09/2025/0001-R', 'Gemeindeverband', '094739453', null, 'Gellnhausen', 1, null, null, null, null, null, '01.01.2025', '01.01.2025'],
  // juristisch before statistisch: the statistisch date counts; AGS column empty, derived from the ARS
  ['09/2025/0002-R', 'Gemeinde', '094759452452', null, 'Gerlaser Forst', 1, 5832063, 0, '094750112112', null, 'Bad Steben, M', '20.12.2024', '01.01.2025'],
  // date given as a date cell
  ['16/2024/0013-R', 'Gemeinde', '160760004004', '16076004', 'Berga/Elster, Stadt', 1, 43522416, 3218, '160760094094', '16076094', 'Berga-Wünschendorf, Stadt', new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 0, 1))],
];

const BBSR_GEM_2020_HEADER = [
  'Gemeinden\n 31.12.2020',
  'Gemeindename 2020',
  'flächen-\nproportionaler\nUmsteige-schlüssel',
  'bevölkerungs- \nproportionaler \nUmsteige- \nschlüssel',
  'beschäftigten- \nproportionaler \nUmsteige- \nschlüssel',
  'Fläche am 31.12.2020 in km²',
  'Bevölkerung am 31.12.2020 in 100',
  'sozialvers.pflichtig Beschäftigte am Arbeitsort am 30.6.2020 in 100',
  'Gemeinden\n 31.12.2021',
  'Gemeindename 2021',
];

const BBSR_GEM_2022_HEADER = [
  'Gemeinden\n 31.12.2022',
  'Gemeinden Regionalschlüssel\n 31.12.2022',
  'Gemeindename 2022',
  'flächen-\nproportionaler\nUmsteige-schlüssel',
  'bevölkerungs- \nproportionaler \nUmsteige- \nschlüssel',
  'Fläche am 31.12.2022 in km²',
  'Bevölkerung am 31.12.2022',
  'Gemeinden\n 31.12.2023',
  'Gemeinden Regionalschlüssel\n 31.12.2023',
  'Gemeindename 2023',
];

function bbsrGemeindenWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const s2020 = wb.addWorksheet('2020');
  setRow(s2020, 1, BBSR_GEM_2020_HEADER);
  const rows2020: Cell[][] = [
    [1001000, 'Flensburg, Stadt', 1, 1, 1, 56.73, 899.3, 439.8, 1001000, 'Flensburg, Stadt'],
    [16056000, 'Eisenach, Stadt', 1, 1, 1, 104.17, 419.7, 218.3, 16063105, 'Eisenach, Stadt'],
    [12065251, 'Oberkrämer', 0.99, 0.990027888109524, 0.98994368463395, 102.6234, 117.2, 24.6, 12065251, 'Oberkrämer'],
    [12065251, 'Oberkrämer', 0.01, 0.009972111890476, 0.01005631536605, 1.0366, 1.2, 0.3, 12065332, 'Velten, Stadt'],
    [12065332, 'Velten, Stadt', 1, 1, 1, 23.7, 120.5, 40.1, 12065332, 'Velten, Stadt'],
    [3153006, 'Hahausen', 1, 1, 1, 10.1, 9.3, 1.2, 3153019, 'Langelsheim, Stadt'],
  ];
  rows2020.forEach((r, i) => {
    setRow(s2020, 2 + i, r);
  });
  const s2022 = wb.addWorksheet('2022');
  setRow(s2022, 1, BBSR_GEM_2022_HEADER);
  const rows2022: Cell[][] = [
    [9374451, 93749451451, 'Heinersreuther Forst', 0.674, 0.3333, 4.0, 0, 9374129, 93745326129, 'Kirchenthumbach, M'],
    [9374451, 93749451451, 'Heinersreuther Forst', 0.055, 0.3333, 0.3, 0, 9472180, 94725416180, 'Prebitz'],
    [9374451, 93749451451, 'Heinersreuther Forst', 0.271, 0.3333, 1.6, 0, 9472184, 94725416184, 'Schnabelwaid, M'],
    [16064073, 160640073073, 'Anrode', 0.4884, 0.3588, 24.6, 1126, 16064071, 160640071071, 'Unstruttal'],
    [16064073, 160640073073, 'Anrode', 0.0954, 0.0997, 4.8, 313, 16064046, 160640046046, 'Mühlhausen/Thüringen, Stadt'],
    [16064073, 160640073073, 'Anrode', 0.4622, 0.5414, 23.3, 1699, 16061118, 160610118118, 'Dingelstädt, Stadt'],
    [null, null, null, null, null, null, null, null, null, null],
  ];
  rows2022.forEach((r, i) => {
    setRow(s2022, 2 + i, r);
  });
  return wb;
}

function kreisHeader(from: number, to: number, withEmployment: boolean): string[] {
  return [
    `Kreise\n ${'31.12.'}${from}`,
    `Kreisname ${from}`,
    'flächen-\nproportionaler\nUmsteige-schlüssel',
    'bevölkerungs- \nproportionaler \nUmsteige- \nschlüssel',
    ...(withEmployment ? ['beschäftigten- \nproportionaler \nUmsteige- \nschlüssel'] : []),
    `Fläche am 31.12.${from} in km²`,
    `Bevölkerung am 31.12.${from} in 1000`,
    ...(withEmployment ? [`sozialvers.pflichtig Beschäftigte am Arbeitsort am 30.6.${from} in 1000`] : []),
    `Kreise\n 31.12.${to}`,
    `Kreisname ${to}`,
  ];
}

function bbsrKreiseWorkbook(): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  const sheets: [number, number, boolean, Cell[][]][] = [
    [
      1995,
      2021,
      false,
      [
        [1001000, 'KS Flensburg', 1, 1, 56.44, 86.6, 1001000, 'Flensburg, Stadt'],
        [3152000, 'Göttingen', 1, 1, 1117.3, 267.1, 3159000, 'Göttingen'],
        [16056000, 'KS Eisenach', 1, 1, 103.84, 44.1, 16063000, 'Wartburgkreis'],
      ],
    ],
    [
      // BBSR quirk: sheets 2007–2010 say "Kreise 31.12.2020" but map onto 2021
      2010,
      2020,
      true,
      [
        [13001000, 'Greifswald, Kreisfreie Stadt', 1, 1, 1, 50.5, 54.3, 20.1, 13075000, 'Vorpommern-Greifswald'],
        [3152000, 'Göttingen', 1, 1, 1, 1117.3, 259.5, 80.2, 3159000, 'Göttingen'],
        [16056000, 'Eisenach, Kreisfreie Stadt', 1, 1, 1, 103.84, 42.8, 22.1, 16063000, 'Wartburgkreis'],
      ],
    ],
    [
      2020,
      2021,
      true,
      [
        [1001000, 'Flensburg, Stadt', 1, 1, 1, 56.73, 89.9, 44, 1001000, 'Flensburg, Stadt'],
        [3159000, 'Göttingen', 1, 1, 1, 1755.4, 326.4, 120.1, 3159000, 'Göttingen'],
        [16056000, 'Eisenach, Stadt', 1, 1, 1, 1371.15, 42.2, 22.3, 16063000, 'Wartburgkreis'],
        [16063000, 'Wartburgkreis', 0.969, 0.974, 0.983, 1264.44, 123.4, 37, 16063000, 'Wartburgkreis'],
        [16063000, 'Wartburgkreis', 0.031, 0.026, 0.017, 40.41, 3.4, 0.6, 16066000, 'Schmalkalden-Meiningen'],
      ],
    ],
  ];
  for (const [from, to, employment, rows] of sheets) {
    const ws = wb.addWorksheet(String(from));
    setRow(ws, 1, kreisHeader(from, to, employment));
    rows.forEach((r, i) => {
      setRow(ws, 2 + i, r);
    });
  }
  return wb;
}

/** Links without `source`, sorted, for comparison. */
function plainLinks(links: OfficialLink[]): OfficialLink[] {
  return links.map(({ source: _source, ...rest }) => rest);
}

async function expectChangeListError(
  promise: Promise<unknown>,
  expected: { file: string; sheet?: string | null; row?: number | null; field?: string | null; reason: RegExp },
): Promise<ChangeListError> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ChangeListError, `expected ChangeListError, got ${String(caught)}`);
  assert.equal(caught.file, expected.file);
  if (expected.sheet !== undefined) assert.equal(caught.sheet, expected.sheet);
  if (expected.row !== undefined) assert.equal(caught.row, expected.row);
  if (expected.field !== undefined) assert.equal(caught.field, expected.field);
  assert.match(caught.reason, expected.reason);
  assert.ok(caught.message.startsWith(expected.file), caught.message);
  return caught;
}

// ---------------------------------------------------------------------------------------------------------
// Destatis
// ---------------------------------------------------------------------------------------------------------

describe('readDestatisChanges', () => {
  it('turns the rows into successor links, handling every quirk of the layout', async () => {
    const buf = await toBuffer(destatisWorkbook(DESTATIS_ROWS));
    const links = await readDestatisChanges(buf, '2024.xlsx');
    const anrode = 1126 + 313 + 1699;
    const auersberg = 1902750 + 2769088;
    // biome-ignore format: one link per line
    const expected: OfficialLink[] = [
      { oldKey: '096729457', newKey: '096720163', date: '2024-01-01', changeType: '1', name: 'Großer Auersberg', newName: 'Wildflecken, M', kennziffer: '09/2024/0004-R' },
      { oldKey: '096729457', newKey: '096725606', date: '2024-01-01', changeType: '1', name: 'Großer Auersberg', newName: 'Bad Brückenau (VGem)', kennziffer: '09/2024/0004-R' },
      { oldKey: '09672457', newKey: '09672163', share: 1902750 / auersberg, date: '2024-01-01', changeType: '1', name: 'Großer Auersberg', newName: 'Wildflecken, M', kennziffer: '09/2024/0004-R' },
      { oldKey: '09672457', newKey: '09672145', share: 2769088 / auersberg, date: '2024-01-01', changeType: '1', name: 'Großer Auersberg', newName: 'Riedenberg', kennziffer: '09/2024/0004-R' },
      { oldKey: '16064073', newKey: '16064071', share: 1126 / anrode, date: '2023-01-01', changeType: '1', name: 'Anrode', newName: 'Unstruttal', kennziffer: '16/2023/0019-R' },
      { oldKey: '16064073', newKey: '16064046', share: 313 / anrode, date: '2023-01-01', changeType: '1', name: 'Anrode', newName: 'Mühlhausen/Thüringen, Stadt', kennziffer: '16/2023/0019-R' },
      { oldKey: '16064073', newKey: '16061118', share: 1699 / anrode, date: '2023-01-01', changeType: '1', name: 'Anrode', newName: 'Dingelstädt, Stadt', kennziffer: '16/2023/0019-R' },
      { oldKey: '07232089', newKey: '07232503', share: 1, date: '2025-01-01', changeType: '1', name: 'Niedergeckler', newName: 'Obergeckler', kennziffer: '07/2025/0004-R' },
      { oldKey: '07232096', newKey: '07232503', share: 1, date: '2025-01-01', changeType: '3', name: 'Obergeckler', newName: 'Obergeckler', kennziffer: '07/2025/0004-R' },
      { oldKey: '010585830', newKey: '010585896', share: 1, date: '2023-06-01', changeType: '3,4', name: 'Flintbek', newName: 'Eidertal', kennziffer: '01/2023/0005-R' },
      { oldKey: '09475452', newKey: '09475112', share: 1, date: '2025-01-01', changeType: '1', name: 'Gerlaser Forst', newName: 'Bad Steben, M', kennziffer: '09/2025/0002-R' },
      { oldKey: '16076004', newKey: '16076094', share: 1, date: '2024-01-01', changeType: '1', name: 'Berga/Elster, Stadt', newName: 'Berga-Wünschendorf, Stadt', kennziffer: '16/2024/0013-R' },
    ];
    assert.deepEqual(plainLinks(links), expected);
    // provenance: file, sheet and row (Niedergeckler is data row 13, sheet row 17)
    assert.equal(links.find((l) => l.oldKey === '07232089')?.source, '2024.xlsx, Gebietsaenderungen, Zeile 17');
    const anrodeShares = links.filter((l) => l.oldKey === '16064073').reduce((s, l) => s + (l.share ?? 0), 0);
    assert.ok(Math.abs(anrodeShares - 1) < 1e-12);
  });

  it('accepts an ArrayBuffer and a Uint8Array as well as a Buffer', async () => {
    const buf = await toBuffer(destatisWorkbook(DESTATIS_ROWS.slice(12, 14)));
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    const fromAb = await readDestatisChanges(ab as ArrayBuffer, 'x.xlsx');
    const fromU8 = await readDestatisChanges(new Uint8Array(buf), 'x.xlsx');
    assert.deepEqual(plainLinks(fromAb), plainLinks(fromU8));
    assert.deepEqual(
      fromAb.map((l) => `${l.oldKey}>${l.newKey}`),
      ['07232089>07232503', '07232096>07232503'],
    );
  });

  it('an empty list (only header and footer) gives no links', async () => {
    assert.deepEqual(await readDestatisChanges(await toBuffer(destatisWorkbook([])), 'leer.xlsx'), []);
  });

  it('refuses broken data rows with sheet, row and field', async () => {
    const base: Cell[] = [...(DESTATIS_ROWS[12] as Cell[])];
    const variant = (col: number, value: Cell): Cell[] => base.map((v, i) => (i === col ? value : v));
    const cases: [Cell[], string, RegExp][] = [
      [variant(5, 5), 'Änderungsart', /"5" ist keine Änderungsart/],
      [variant(5, null), 'Änderungsart', /fehlt/],
      [variant(12, 'bald'), 'Wirksamkeitsdatum statistisch', /"bald" ist kein Datum/],
      [variant(12, '31.02.2025'), 'Wirksamkeitsdatum statistisch', /kein Datum/],
      [variant(3, '07232090'), 'AGS (abgebend)', /AGS 07232090 passt nicht zum ARS 072325005089/],
      [variant(2, '07232A005089'), 'ARS (abgebend)', /nicht nur aus Ziffern/],
      [variant(9, '0723250'), 'AGS (aufnehmend)', /hat 7 Ziffern, erwartet 8/],
      [variant(7, 'viele'), 'Einwohner', /"viele" ist keine Zahl/],
      [variant(1, 'Bezirk'), 'Regionaleinheit', /"Bezirk" ist keine bekannte Regionaleinheit/],
    ];
    for (const [row, field, reason] of cases) {
      const buf = await toBuffer(destatisWorkbook([DESTATIS_ROWS[0] as Cell[], row]));
      await expectChangeListError(readDestatisChanges(buf, '2025-02.xlsx'), {
        file: '2025-02.xlsx',
        sheet: 'Gebietsaenderungen',
        row: 6,
        field,
        reason,
      });
    }
  });

  it('refuses a changed header', async () => {
    const header = [...DESTATIS_HEADER_3];
    header[5] = 'Art';
    header[12] = 'Datum';
    const buf = await toBuffer(destatisWorkbook(DESTATIS_ROWS, header));
    await expectChangeListError(readDestatisChanges(buf, 'neu.xlsx'), {
      file: 'neu.xlsx',
      sheet: 'Gebietsaenderungen',
      row: 3,
      reason:
        /Spalte F "Abgebende \/ Aufgelöste Gemeinde \/ Art" statt Änderungsart; Spalte M "Wirksamkeitsdatum \/ Datum" statt statistisch/,
    });
  });

  it('refuses a BBSR file and bytes that are no xlsx', async () => {
    const bbsr = await toBuffer(bbsrGemeindenWorkbook());
    await expectChangeListError(readDestatisChanges(bbsr, 'ref.xlsx'), {
      file: 'ref.xlsx',
      reason: /kein Destatis-Layout; erwartet die Destatis-Liste.*Gefundene Blätter: "2020", "2022"/,
    });
    await expectChangeListError(readDestatisChanges(Buffer.from('Kennziffer;ARS;AGS\n'), 'liste.csv'), {
      file: 'liste.csv',
      sheet: null,
      row: null,
      reason: /keine lesbare xlsx-Datei/,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// BBSR
// ---------------------------------------------------------------------------------------------------------

describe('readBbsrGemeindeKeys', () => {
  it('pads integer keys, skips identities and partial transfers, takes the population key', async () => {
    const links = await readBbsrGemeindeKeys(await toBuffer(bbsrGemeindenWorkbook()), 'ref-gemeinden-ab-2020.xlsx');
    const p2020 = { from: '2020-12-31', to: '2021-12-31' };
    const p2022 = { from: '2022-12-31', to: '2023-12-31' };
    // biome-ignore format: one link per line
    const expected: OfficialLink[] = [
      { oldKey: '16056000', newKey: '16063105', share: 1, name: 'Eisenach, Stadt', newName: 'Eisenach, Stadt', period: p2020 },
      { oldKey: '03153006', newKey: '03153019', share: 1, name: 'Hahausen', newName: 'Langelsheim, Stadt', period: p2020 },
      // no inhabitants: BBSR splits the population key evenly, the area key is used instead
      { oldKey: '09374451', newKey: '09374129', share: 0.674, name: 'Heinersreuther Forst', newName: 'Kirchenthumbach, M', period: p2022 },
      { oldKey: '09374451', newKey: '09472180', share: 0.055, name: 'Heinersreuther Forst', newName: 'Prebitz', period: p2022 },
      { oldKey: '09374451', newKey: '09472184', share: 0.271, name: 'Heinersreuther Forst', newName: 'Schnabelwaid, M', period: p2022 },
      { oldKey: '16064073', newKey: '16064071', share: 0.3588, name: 'Anrode', newName: 'Unstruttal', period: p2022 },
      { oldKey: '16064073', newKey: '16064046', share: 0.0997, name: 'Anrode', newName: 'Mühlhausen/Thüringen, Stadt', period: p2022 },
      { oldKey: '16064073', newKey: '16061118', share: 0.5414, name: 'Anrode', newName: 'Dingelstädt, Stadt', period: p2022 },
    ];
    assert.deepEqual(plainLinks(links), expected);
    assert.ok(!links.some((l) => l.oldKey === '12065251'), 'Oberkrämer → Velten is a partial transfer');
  });
});

describe('readBbsrKreisKeys', () => {
  it('takes the first 5 digits, one link per ended Kreis from the latest sheet that lists it', async () => {
    const links = await readBbsrKreisKeys(await toBuffer(bbsrKreiseWorkbook()), 'ref-kreise.xlsx');
    assert.deepEqual(plainLinks(links), [
      {
        oldKey: '16056',
        newKey: '16063',
        share: 1,
        name: 'Eisenach, Stadt',
        newName: 'Wartburgkreis',
        period: { from: '2020-12-31', to: '2021-12-31' },
      },
      {
        oldKey: '13001',
        newKey: '13075',
        share: 1,
        name: 'Greifswald, Kreisfreie Stadt',
        newName: 'Vorpommern-Greifswald',
        period: { from: '2010-12-31', to: '2021-12-31' },
      },
      {
        oldKey: '03152',
        newKey: '03159',
        share: 1,
        name: 'Göttingen',
        newName: 'Göttingen',
        period: { from: '2010-12-31', to: '2021-12-31' },
      },
    ]);
    assert.equal(links[0]?.source, 'ref-kreise.xlsx, 2020, Zeile 4');
  });

  it('refuses a Gemeinde file', async () => {
    await expectChangeListError(readBbsrKreisKeys(await toBuffer(bbsrGemeindenWorkbook()), 'ref-gemeinden.xlsx'), {
      file: 'ref-gemeinden.xlsx',
      reason: /kein BBSR-Umstiegsschlüssel für Kreise/,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Detection and dispatch
// ---------------------------------------------------------------------------------------------------------

describe('detectChangeListKind and readOfficialChanges', () => {
  it('detects the three layouts from bytes or a workbook and dispatches', async () => {
    const destatis = destatisWorkbook(DESTATIS_ROWS);
    const gemeinden = bbsrGemeindenWorkbook();
    const kreise = bbsrKreiseWorkbook();
    assert.equal(await detectChangeListKind(destatis), 'destatis');
    assert.equal(await detectChangeListKind(await toBuffer(destatis)), 'destatis');
    assert.equal(await detectChangeListKind(await toBuffer(gemeinden)), 'bbsr-gemeinden');
    assert.equal(await detectChangeListKind(kreise), 'bbsr-kreise');

    const other = new ExcelJS.Workbook();
    setRow(other.addWorksheet('Tabelle1'), 1, ['AGS', 'Name', 'Einwohner']);
    assert.equal(await detectChangeListKind(other), null);

    assert.equal((await readOfficialChanges(await toBuffer(destatis), 'd.xlsx')).length, 12);
    assert.equal((await readOfficialChanges(await toBuffer(gemeinden), 'g.xlsx')).length, 8);
    assert.deepEqual(
      (await readOfficialChanges(await toBuffer(kreise), 'k.xlsx')).map((l) => l.oldKey),
      ['16056', '13001', '03152'],
    );

    const err = await expectChangeListError(readOfficialChanges(await toBuffer(other), 'tabelle.xlsx'), {
      file: 'tabelle.xlsx',
      sheet: null,
      row: null,
      field: null,
      reason: /unbekanntes Tabellenlayout; erwartet die Destatis-Liste.*oder erwartet einen BBSR-Umstiegsschlüssel/,
    });
    assert.match(err.message, /^tabelle\.xlsx: unbekanntes Tabellenlayout.*Gefundene Blätter: "Tabelle1"\.$/);
  });
});
