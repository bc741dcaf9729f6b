/**
 * The gtfs validator on small handwritten feeds (test/fixtures/market/gtfs/): a valid feed with most optional
 * files (`valid/`), a valid on-demand feed (`flex/`), and, per rule, a copy of one of them with one fault put in
 * before it is zipped here with fflate.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { strToU8, zipSync } from 'fflate';
import { ROOT } from '../../platform/paths.js';
import { checkGtfs, gtfsValidator } from '../conformance/gtfs/index.js';
import { type Fetcher, FetchRefused, type Report } from '../conformance/types.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/market/gtfs');
type Files = Record<string, string | Uint8Array>;

function fixture(name: string): Files {
  const dir = path.join(FIXTURES, name);
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

/** A copy of a fixture with files replaced (string), changed (function) or removed (null). */
function feed(name: string, changes: Record<string, string | null | ((s: string) => string)> = {}): Files {
  const files = fixture(name);
  for (const [file, change] of Object.entries(changes)) {
    if (change === null) delete files[file];
    else if (typeof change === 'function') {
      const before = files[file] as string;
      const after = change(before);
      assert.notEqual(after, before, `the change to ${file} must change something`);
      files[file] = after;
    } else files[file] = change;
  }
  return files;
}

/** A table with one more column: `value(row, index)` gives each data row's value. */
function addColumn(table: string, name: string, value: (row: string, i: number) => string = () => ''): string {
  const [head, ...rows] = table.trim().split(/\r?\n/);
  return `${[`${head},${name}`, ...rows.map((r, i) => `${r},${value(r, i)}`)].join('\n')}\n`;
}

function zip(files: Files): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? strToU8(v) : v])),
  );
}

const noFetch: Fetcher = async () => {
  throw new Error('no fetch in this test');
};

async function check(files: Files): Promise<Report> {
  return gtfsValidator.check({ kind: 'bytes', name: 'feed.zip', bytes: zip(files) }, { fetch: noFetch });
}

function has(report: Report, rule: string, location?: string): void {
  const hit = report.findings.find((f) => f.rule === rule && (location === undefined || f.location === location));
  assert.ok(
    hit,
    `expected ${rule}${location ? ` at ${location}` : ''}; got:\n${report.findings.map((f) => `  ${f.rule} ${f.location} ${f.message}`).join('\n')}`,
  );
  assert.ok(hit.source?.startsWith('GTFS Schedule Reference §'), `finding ${rule} cites its section`);
  assert.match(
    hit.message,
    /[äöüßÄÖÜ]|\b(der|die|das|ist|muss|fehlt|hat|liegt|nicht|kein|keinen|wird|darf|endet)\b/i,
    'the message is German',
  );
}

async function notConformant(files: Files, rule: string, location?: string): Promise<Report> {
  const r = await check(files);
  assert.equal(r.verdict, 'not conformant', `verdict with ${rule}`);
  has(r, rule, location);
  return r;
}

describe('gtfs validator: valid feeds', () => {
  it('the valid fixture is conformant, as a folder and as a ZIP, with stats', async () => {
    const folder = await gtfsValidator.check(
      { kind: 'folder', path: path.join(FIXTURES, 'valid') },
      { fetch: noFetch },
    );
    assert.equal(folder.verdict, 'conformant', JSON.stringify(folder.findings, null, 1));
    assert.deepEqual(folder.findings, []);
    assert.equal(folder.standard, 'gtfs');
    assert.match(folder.validatorVersion, /^kommunallotse-gtfs\/\d+\.\d+\.\d+ \(GTFS Schedule Reference 2026-04-27\)$/);
    assert.equal(folder.stats?.files, 17);
    assert.equal(folder.stats?.['rows.stop_times.txt'], 7);
    assert.equal(folder.stats?.['rows.agency.txt'], 2);
    const zipped = await check(fixture('valid'));
    assert.equal(zipped.verdict, 'conformant');
    assert.deepEqual(zipped.stats, folder.stats);
  });

  it('the on-demand (GTFS-Flex) fixture is conformant', async () => {
    const r = await check(fixture('flex'));
    assert.equal(r.verdict, 'conformant', JSON.stringify(r.findings, null, 1));
  });

  it('accepts a BOM, CRLF line ends, quoted fields with commas and quotes, H:MM:SS and hours beyond 24', async () => {
    const r = await check(
      feed('valid', {
        'agency.txt': (s) => `\uFEFF${s.replace(/\n/g, '\r\n')}`,
        'routes.txt': (s) => s.replace('Hauptbahnhof – Dorf', '"Hauptbahnhof, ""Dorf"" und zurück"'),
      }),
    );
    assert.equal(r.verdict, 'conformant', JSON.stringify(r.findings, null, 1));
  });

  it('files in one subfolder of the ZIP are still checked, with an error for the subfolder', async () => {
    const files = Object.fromEntries(Object.entries(fixture('valid')).map(([k, v]) => [`gtfs/${k}`, v]));
    const r = await notConformant(files, 'gtfs.zip-subfolder', 'gtfs/');
    assert.equal(r.findings.length, 1);
    assert.equal(r.stats?.['rows.stop_times.txt'], 7);
  });

  it('an extended route type (100–1702) is a warning; the feed stays conformant', async () => {
    const r = await check(feed('valid', { 'routes.txt': (s) => s.replace(',3,0039A6', ',700,0039A6') }));
    assert.equal(r.verdict, 'conformant');
    has(r, 'gtfs.route-type-extended', 'routes.txt:2 route_type');
  });

  it('unknown files and columns are warnings', async () => {
    const r = await check(
      feed('valid', {
        'notes.txt': 'x\n1\n',
        'trips.txt': (s) => addColumn(s, 'Wagen', () => 'x'),
      }),
    );
    assert.equal(r.verdict, 'conformant', JSON.stringify(r.findings, null, 1));
    has(r, 'gtfs.unknown-file', 'notes.txt');
    has(r, 'gtfs.unknown-column', 'trips.txt:1 Wagen');
  });
});

describe('gtfs validator: files (§Dataset Files, §File Requirements)', () => {
  it('required files: agency, routes, trips, stop_times', async () => {
    for (const f of ['agency.txt', 'routes.txt', 'trips.txt', 'stop_times.txt']) {
      await notConformant(feed('valid', { [f]: null }), 'gtfs.required-file', f);
    }
  });
  it('stops.txt is required unless locations.geojson exists', async () => {
    await notConformant(feed('valid', { 'stops.txt': null }), 'gtfs.required-file', 'stops.txt');
    const r = await check(
      feed('flex', {
        'stops.txt': null,
        'location_groups.txt': null,
        'location_group_stops.txt': null,
        'stop_times.txt': (s) =>
          s
            .split('\n')
            .filter((l) => !l.includes('RB1_GRUPPE'))
            .join('\n')
            .replace(',C,,,', ',,,FLAECHE_OST,'),
        'trips.txt': (s) => s.replace('RB1,WERKTAG,RB1_GRUPPE\n', ''),
      }),
    );
    assert.equal(r.verdict, 'conformant', JSON.stringify(r.findings, null, 1));
  });
  it('calendar.txt or calendar_dates.txt; either alone is enough', async () => {
    await notConformant(
      feed('valid', { 'calendar.txt': null, 'calendar_dates.txt': null }),
      'gtfs.required-file',
      'calendar.txt',
    );
    const onlyDates = await check(
      feed('valid', {
        'calendar.txt': null,
        'calendar_dates.txt': (s) => `${s}WERKTAG,20250102,1\nWOCHENENDE,20250104,1\n`,
      }),
    );
    assert.equal(onlyDates.verdict, 'conformant', JSON.stringify(onlyDates.findings, null, 1));
  });
  it('feed_info.txt is required with translations.txt; levels.txt with elevators', async () => {
    await notConformant(feed('valid', { 'feed_info.txt': null }), 'gtfs.required-file', 'feed_info.txt');
    await notConformant(
      feed('valid', { 'levels.txt': null, 'stops.txt': (s) => s.replace(/,L0,/g, ',,') }),
      'gtfs.required-file',
      'levels.txt',
    );
  });
  it('an empty file, a header without records, a CSV syntax error', async () => {
    await notConformant(feed('valid', { 'routes.txt': '' }), 'gtfs.empty-file', 'routes.txt');
    await notConformant(
      feed('valid', { 'agency.txt': (s) => `${s.split('\n')[0]}\n` }),
      'gtfs.empty-file',
      'agency.txt',
    );
    const warn = await check(feed('valid', { 'attributions.txt': (s) => `${s.split('\n')[0]}\n` }));
    assert.equal(warn.verdict, 'conformant');
    has(warn, 'gtfs.empty-file', 'attributions.txt');
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace('Hauptbahnhof – Dorf', '"Hauptbahnhof" Dorf') }),
      'gtfs.csv-syntax',
    );
  });
  it('rows with another number of fields than the header; line breaks inside values', async () => {
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace(',1,https', ',1,https,zuviel') }),
      'gtfs.csv-format',
      'routes.txt:2',
    );
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace('Hauptbahnhof – Dorf', '"Hauptbahnhof\nDorf"') }),
      'gtfs.csv-format',
      'routes.txt:4 route_long_name',
    );
  });
  it('header: duplicate, missing required, spaces (warning); values with spaces (warning), not UTF-8 (warning)', async () => {
    await notConformant(
      feed('valid', { 'levels.txt': 'level_id,level_index,level_index\nL0,0,0\n' }),
      'gtfs.duplicate-column',
      'levels.txt:1 level_index',
    );
    await notConformant(
      feed('valid', { 'levels.txt': 'level_id,level_name\nL0,EG\n' }),
      'gtfs.required-column',
      'levels.txt:1 level_index',
    );
    const spaced = await check(
      feed('valid', { 'levels.txt': 'level_id, level_index,level_name\nL0,0, Erdgeschoss\n' }),
    );
    assert.equal(spaced.verdict, 'conformant', JSON.stringify(spaced.findings, null, 1));
    has(spaced, 'gtfs.header-whitespace', 'levels.txt:1 level_index');
    has(spaced, 'gtfs.value-whitespace', 'levels.txt:2 level_name');
    const latin1 = feed('valid');
    latin1['levels.txt'] = Uint8Array.from([
      ...strToU8('level_id,level_index,level_name\nL0,0,Stra'),
      0xdf,
      0x65,
      0x0a,
    ]);
    const enc = await check(latin1);
    assert.equal(enc.verdict, 'conformant');
    has(enc, 'gtfs.encoding', 'levels.txt:2 level_name');
  });
});

describe('gtfs validator: fields (§Field Definitions, §Field Types)', () => {
  it('an empty required field', async () => {
    await notConformant(
      feed('valid', { 'agency.txt': (s) => s.replace('https://rvb.example/', '') }),
      'gtfs.required-field',
      'agency.txt:3 agency_url',
    );
  });
  it('enum values', async () => {
    await notConformant(
      feed('valid', { 'trips.txt': (s) => s.replace('Marktplatz,0,', 'Marktplatz,2,') }),
      'gtfs.enum',
      'trips.txt:2 direction_id',
    );
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace(',3,0039A6', ',8,0039A6') }),
      'gtfs.enum',
      'routes.txt:2 route_type',
    );
    await notConformant(
      feed('valid', { 'calendar_dates.txt': (s) => s.replace('20251225,2', '20251225,3') }),
      'gtfs.enum',
      'calendar_dates.txt:2 exception_type',
    );
  });
  const formats: [string, string, (s: string) => string, string][] = [
    ['Time', 'stop_times.txt', (s) => s.replace('8:05:00', '8:5:00'), 'stop_times.txt:3 arrival_time'],
    [
      'Time minutes',
      'stop_times.txt',
      (s) => s.replace('23:50:00,23:50:00', '23:60:00,23:60:00'),
      'stop_times.txt:4 arrival_time',
    ],
    [
      'Date',
      'calendar.txt',
      (s) => s.replace('20250101,20251231\nWOCHENENDE', '2025-01-01,20251231\nWOCHENENDE'),
      'calendar.txt:2 start_date',
    ],
    [
      'Date (no 30 February)',
      'calendar_dates.txt',
      (s) => s.replace('20251226', '20250230'),
      'calendar_dates.txt:4 date',
    ],
    ['Color', 'routes.txt', (s) => s.replace('0039A6', '#0039A6'), 'routes.txt:2 route_color'],
    ['Latitude', 'stops.txt', (s) => s.replace('52.401000', '92.401000'), 'stops.txt:6 stop_lat'],
    ['Longitude', 'stops.txt', (s) => s.replace('13.201000', '13.2.1'), 'stops.txt:6 stop_lon'],
    ['URL', 'agency.txt', (s) => s.replace('https://rvb.example/', 'www.rvb.example'), 'agency.txt:3 agency_url'],
    ['Timezone', 'agency.txt', (s) => s.replaceAll('Europe/Berlin', 'Europa/Berlin'), 'agency.txt:2 agency_timezone'],
    ['Language code', 'agency.txt', (s) => s.replace(',de,', ',deutsch!,'), 'agency.txt:2 agency_lang'],
    [
      'Email',
      'agency.txt',
      (s) => s.replace('info@stadtwerke-beispielstadt.example', 'info(at)swb'),
      'agency.txt:2 agency_email',
    ],
    [
      'Currency code',
      'fare_attributes.txt',
      (s) => s.replace('2.90,EUR', '2.90,EURO'),
      'fare_attributes.txt:2 currency_type',
    ],
    ['Non-negative float', 'fare_attributes.txt', (s) => s.replace('2.90', '-2.90'), 'fare_attributes.txt:2 price'],
    [
      'Non-negative integer',
      'stop_times.txt',
      (s) => s.replace('T2,,,DORF,7', 'T2,,,DORF,7.5'),
      'stop_times.txt:5 stop_sequence',
    ],
    ['Positive integer', 'frequencies.txt', (s) => s.replace(',600,', ',0,'), 'frequencies.txt:2 headway_secs'],
    ['Float', 'levels.txt', (s) => s.replace('L0,0,', 'L0,erdgeschoss,'), 'levels.txt:2 level_index'],
  ];
  for (const [what, file, change, location] of formats) {
    it(`format: ${what}`, async () => {
      await notConformant(feed('valid', { [file]: change }), 'gtfs.field-format', location);
    });
  }
  it('format: Currency amount has the decimals of ISO 4217', async () => {
    const products = 'fare_product_id,fare_product_name,amount,currency\nTAG,Tageskarte,7.5,EUR\nYEN,Ticket,300,JPY\n';
    await notConformant(
      feed('valid', { 'fare_products.txt': products }),
      'gtfs.currency-amount',
      'fare_products.txt:2 amount',
    );
    const ok = await check(feed('valid', { 'fare_products.txt': products.replace('7.5', '7.50') }));
    assert.equal(ok.verdict, 'conformant', JSON.stringify(ok.findings, null, 1));
  });
  it('duplicate primary keys: single, composite, and feed_info (one row only)', async () => {
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace('R5,RVB', '1,RVB') }),
      'gtfs.duplicate-key',
      'routes.txt:3',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T2,,,DORF,7', 'T2,,,DORF,5') }),
      'gtfs.duplicate-key',
      'stop_times.txt:5',
    );
    await notConformant(
      feed('valid', { 'calendar_dates.txt': (s) => `${s}FEST,20251226,2\n` }),
      'gtfs.duplicate-key',
      'calendar_dates.txt:5',
    );
    await notConformant(
      feed('valid', { 'feed_info.txt': (s) => s + s.split('\n')[1] }),
      'gtfs.duplicate-key',
      'feed_info.txt:3',
    );
  });
});

describe('gtfs validator: conditions and references', () => {
  it('agency_id when several agencies, in agency, routes and fare_attributes; one timezone', async () => {
    await notConformant(
      feed('valid', { 'agency.txt': (s) => s.replace('RVB,', ',') }),
      'gtfs.conditional-required',
      'agency.txt:3 agency_id',
    );
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace('R5,RVB', 'R5,') }),
      'gtfs.conditional-required',
      'routes.txt:3 agency_id',
    );
    await notConformant(
      feed('valid', { 'fare_attributes.txt': (s) => s.replace('1,0,SWB,', '1,0,,') }),
      'gtfs.conditional-required',
      'fare_attributes.txt:3 agency_id',
    );
    await notConformant(
      feed('valid', { 'agency.txt': (s) => s.replace('/,Europe/Berlin,de-DE', '/,Europe/Vienna,de-DE') }),
      'gtfs.agency-timezone',
      'agency.txt:3 agency_timezone',
    );
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace('R5,RVB', 'R5,XYZ') }),
      'gtfs.foreign-key',
      'routes.txt:3 agency_id',
    );
  });
  it('stops: name and coordinates, parent_station presence and type, stop_access, level_id', async () => {
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace('Marktplatz,52.516275', ',52.516275') }),
      'gtfs.conditional-required',
      'stops.txt:5 stop_name',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace('Eingang Nord,52.520300,13.404900', 'Eingang Nord,,13.404900') }),
      'gtfs.conditional-required',
      'stops.txt:4 stop_lat',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace(',2,HBF,', ',2,,') }),
      'gtfs.conditional-required',
      'stops.txt:4 parent_station',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace(',1,,1,,', ',1,MARKT,1,,') }),
      'gtfs.conditional-forbidden',
      'stops.txt:2 parent_station',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace(',0,HBF,1,', ',0,MARKT,1,') }),
      'gtfs.parent-station-type',
      'stops.txt:3 parent_station',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace(',0,HBF,1,', ',0,NIRGENDS,1,') }),
      'gtfs.foreign-key',
      'stops.txt:3 parent_station',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => s.replace(',0,HBF,1,L0', ',0,HBF,1,L9') }),
      'gtfs.foreign-key',
      'stops.txt:3 level_id',
    );
    await notConformant(
      feed('valid', { 'stops.txt': (s) => addColumn(s, 'stop_access', () => '1') }),
      'gtfs.conditional-forbidden',
      'stops.txt:2 stop_access',
    );
  });
  it('routes need a short or a long name; network_id forbids networks.txt', async () => {
    await notConformant(
      feed('valid', { 'routes.txt': (s) => s.replace('R5,RVB,,Hauptbahnhof – Dorf', 'R5,RVB,,') }),
      'gtfs.conditional-required',
      'routes.txt:3 route_short_name',
    );
    await notConformant(
      feed('valid', {
        'routes.txt': (s) => addColumn(s, 'network_id', () => 'N1'),
        'networks.txt': 'network_id,network_name\nN1,Stadt\n',
      }),
      'gtfs.conditional-forbidden',
      'networks.txt',
    );
  });
  it('trips reference routes, services and shapes; stop_times reference trips and stops', async () => {
    await notConformant(
      feed('valid', { 'trips.txt': (s) => s.replace('R5,FEST', 'R6,FEST') }),
      'gtfs.foreign-key',
      'trips.txt:4 route_id',
    );
    await notConformant(
      feed('valid', { 'trips.txt': (s) => s.replace('R5,FEST', 'R5,OSTERN') }),
      'gtfs.foreign-key',
      'trips.txt:4 service_id',
    );
    await notConformant(
      feed('valid', { 'trips.txt': (s) => s.replace(',S1,', ',S2,') }),
      'gtfs.foreign-key',
      'trips.txt:2 shape_id',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T3,25:30:00,25:30:00,DORF', 'T3,25:30:00,25:30:00,DORFX') }),
      'gtfs.foreign-key',
      'stop_times.txt:8 stop_id',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => `${s}T9,10:00:00,10:00:00,DORF,1,,,,,\n` }),
      'gtfs.foreign-key',
      'stop_times.txt:9 trip_id',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T3,25:00:00,25:00:00,HBF_1', 'T3,25:00:00,25:00:00,HBF') }),
      'gtfs.stop-time-location-type',
      'stop_times.txt:7 stop_id',
    );
  });
  it('shape_id is required for continuous stopping', async () => {
    await notConformant(
      feed('valid', {
        'stop_times.txt': (s) => addColumn(s, 'continuous_pickup', (r) => (r.startsWith('T2,23:50') ? '0' : '')),
      }),
      'gtfs.conditional-required',
      'trips.txt:3 shape_id',
    );
  });
  it('stop times: first and last arrival, timepoint, arrival ≤ departure, order, shape distance, at least two stops', async () => {
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T2,24:20:00,24:21:00', 'T2,,24:21:00') }),
      'gtfs.conditional-required',
      'stop_times.txt:6 arrival_time',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T1,8:05:00,08:06:00', 'T1,8:05:00,') }),
      'gtfs.conditional-required',
      'stop_times.txt:3 departure_time',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('8:05:00,08:06:00', '8:07:00,08:06:00') }),
      'gtfs.arrival-after-departure',
      'stop_times.txt:3 departure_time',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T2,24:20:00,24:21:00', 'T2,23:40:00,23:41:00') }),
      'gtfs.stop-times-order',
      'stop_times.txt:6 arrival_time',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace(',1.5,1', ',0,1').replace(',1,0,1', ',1,2,1') }),
      'gtfs.shape-dist-order',
      'stop_times.txt:3 shape_dist_traveled',
    );
    await notConformant(
      feed('valid', { 'stop_times.txt': (s) => s.replace('T3,25:30:00,25:30:00,DORF,2,,,,,\n', '') }),
      'gtfs.trip-stop-count',
      'trips.txt:4 trip_id',
    );
    // Rows out of order in the file are fine: the order is stop_sequence's.
    const shuffled = await check(
      feed('valid', {
        'stop_times.txt': (s) => {
          const [head, ...rows] = s.trim().split('\n');
          return `${[head, ...rows.reverse()].join('\n')}\n`;
        },
      }),
    );
    assert.equal(shuffled.verdict, 'conformant', JSON.stringify(shuffled.findings, null, 1));
  });
  it('calendar and feed_info date ranges; frequencies start before end', async () => {
    await notConformant(
      feed('valid', {
        'calendar.txt': (s) =>
          s.replace('WERKTAG,1,1,1,1,1,0,0,20250101,20251231', 'WERKTAG,1,1,1,1,1,0,0,20250101,20241231'),
      }),
      'gtfs.calendar-range',
      'calendar.txt:2 end_date',
    );
    await notConformant(
      feed('valid', { 'feed_info.txt': (s) => s.replace('20250101,20251231', '20250101,20241231') }),
      'gtfs.calendar-range',
      'feed_info.txt:2 feed_end_date',
    );
    await notConformant(
      feed('valid', { 'frequencies.txt': (s) => s.replace('06:00:00,09:00:00', '09:00:00,06:00:00') }),
      'gtfs.frequency-range',
      'frequencies.txt:2 end_time',
    );
  });
  it('fares, transfers, pathways, translations, attributions', async () => {
    await notConformant(
      feed('valid', { 'fare_rules.txt': (s) => s.replace('EZ,1', 'EX,1') }),
      'gtfs.foreign-key',
      'fare_rules.txt:2 fare_id',
    );
    await notConformant(
      feed('valid', { 'fare_rules.txt': (s) => s.replace('Z1,Z1', 'Z1,Z9') }),
      'gtfs.foreign-key',
      'fare_rules.txt:3 destination_id',
    );
    await notConformant(
      feed('valid', { 'transfers.txt': (s) => s.replace('HBF,HBF', 'HBF,') }),
      'gtfs.conditional-required',
      'transfers.txt:2 to_stop_id',
    );
    await notConformant(
      feed('valid', { 'transfers.txt': (s) => s.replace('T2,T3', 'T2,') }),
      'gtfs.conditional-required',
      'transfers.txt:3 to_trip_id',
    );
    await notConformant(
      feed('valid', { 'transfers.txt': (s) => s.replace('T2,T3', 'T2,T7') }),
      'gtfs.foreign-key',
      'transfers.txt:3 to_trip_id',
    );
    await notConformant(
      feed('valid', { 'pathways.txt': (s) => s.replace('HBF_E,HBF_1', 'HBF_E,HBF_2') }),
      'gtfs.foreign-key',
      'pathways.txt:2 to_stop_id',
    );
    await notConformant(
      feed('valid', { 'translations.txt': (s) => s.replace(',,,Marktplatz', ',,,') }),
      'gtfs.conditional-required',
      'translations.txt:3 field_value',
    );
    await notConformant(
      feed('valid', { 'translations.txt': (s) => s.replace('HBF,,', 'HBF,,Hauptbahnhof') }),
      'gtfs.conditional-forbidden',
      'translations.txt:2 field_value',
    );
    await notConformant(
      feed('valid', { 'attributions.txt': (s) => s.replace('A1,SWB,,', 'A1,SWB,1,') }),
      'gtfs.conditional-forbidden',
      'attributions.txt:2 route_id/trip_id',
    );
  });
  it('fares v2: areas, timeframes, products, leg and transfer rules', async () => {
    const v2 = {
      'areas.txt': 'area_id,area_name\nINNEN,Innenstadt\n',
      'stop_areas.txt': 'area_id,stop_id\nINNEN,MARKT\nAUSSEN,DORF\n',
      'timeframes.txt': 'timeframe_group_id,start_time,end_time,service_id\nTAG,06:00:00,,WERKTAG\n',
      'fare_products.txt': 'fare_product_id,amount,currency\nEINZEL,3.00,EUR\n',
      'fare_leg_rules.txt':
        'leg_group_id,from_area_id,to_area_id,from_timeframe_group_id,fare_product_id\nL1,INNEN,INNEN,TAG,EINZEL\n',
      'fare_transfer_rules.txt':
        'from_leg_group_id,to_leg_group_id,transfer_count,duration_limit,duration_limit_type,fare_transfer_type\nL1,L1,,3600,,0\n',
    };
    const r = await notConformant(feed('valid', v2), 'gtfs.foreign-key', 'stop_areas.txt:3 area_id');
    has(r, 'gtfs.conditional-required', 'timeframes.txt:2 end_time');
    has(r, 'gtfs.conditional-required', 'fare_transfer_rules.txt:2 transfer_count');
    has(r, 'gtfs.conditional-required', 'fare_transfer_rules.txt:2 duration_limit_type');
    assert.equal(r.findings.length, 4, JSON.stringify(r.findings, null, 1));
  });
  it('on-demand: stop or location group or location, windows, times forbidden with windows, booking rules', async () => {
    await notConformant(
      feed('flex', { 'stop_times.txt': (s) => s.replace('RB1_FLAECHE,2,C,,,', 'RB1_FLAECHE,2,C,ZONE_WEST,,') }),
      'gtfs.conditional-forbidden',
      'stop_times.txt:5 stop_id',
    );
    await notConformant(
      feed('flex', {
        'stop_times.txt': (s) => s.replace('RB1_GRUPPE,1,,ZONE_WEST,,,,08:00:00,', 'RB1_GRUPPE,1,,ZONE_WEST,,,,,'),
      }),
      'gtfs.conditional-required',
      'stop_times.txt:2 start_pickup_drop_off_window',
    );
    await notConformant(
      feed('flex', {
        'stop_times.txt': (s) => s.replace('RB1_GRUPPE,1,,ZONE_WEST,,,,', 'RB1_GRUPPE,1,,ZONE_WEST,,08:00:00,,'),
      }),
      'gtfs.conditional-forbidden',
      'stop_times.txt:2 arrival_time',
    );
    await notConformant(
      feed('flex', {
        'stop_times.txt': (s) =>
          s.replace('20:00:00,2,2,SAME_DAY,SAME_DAY\nRB1_GRUPPE', '20:00:00,0,2,SAME_DAY,SAME_DAY\nRB1_GRUPPE'),
      }),
      'gtfs.conditional-forbidden',
      'stop_times.txt:2 pickup_type',
    );
    await notConformant(
      feed('flex', {
        'stop_times.txt': (s) =>
          s.replace('RB1_GRUPPE,1,,ZONE_WEST,,,,08:00:00,20:00:00', 'RB1_GRUPPE,1,,ZONE_WEST,,,,20:00:00,08:00:00'),
      }),
      'gtfs.stop-time-window',
      'stop_times.txt:2 end_pickup_drop_off_window',
    );
    await notConformant(
      feed('flex', { 'stop_times.txt': (s) => s.replace(',FLAECHE_OST,', ',FLAECHE_WEST,') }),
      'gtfs.foreign-key',
      'stop_times.txt:4 location_id',
    );
    await notConformant(
      feed('flex', { 'stop_times.txt': (s) => s.replace(',2,1,DAY_BEFORE,', ',2,1,DAY_AFTER,') }),
      'gtfs.foreign-key',
      'stop_times.txt:4 pickup_booking_rule_id',
    );
    await notConformant(
      feed('flex', { 'location_group_stops.txt': (s) => s.replace('ZONE_WEST,C', 'ZONE_WEST,D') }),
      'gtfs.foreign-key',
      'location_group_stops.txt:4 stop_id',
    );
    await notConformant(
      feed('flex', { 'booking_rules.txt': (s) => s.replace('SAME_DAY,1,60,', 'SAME_DAY,1,,') }),
      'gtfs.conditional-required',
      'booking_rules.txt:2 prior_notice_duration_min',
    );
    await notConformant(
      feed('flex', { 'booking_rules.txt': (s) => s.replace('REALTIME,0,,', 'REALTIME,0,30,') }),
      'gtfs.conditional-forbidden',
      'booking_rules.txt:4 prior_notice_duration_min',
    );
    await notConformant(
      feed('flex', { 'booking_rules.txt': (s) => s.replace(',1,17:00:00,', ',1,,') }),
      'gtfs.conditional-required',
      'booking_rules.txt:3 prior_notice_last_time',
    );
    await notConformant(
      feed('flex', { 'booking_rules.txt': (s) => s.replace('60,,,,,', '60,,,,WERKTAG,') }),
      'gtfs.conditional-forbidden',
      'booking_rules.txt:2 prior_notice_service_id',
    );
  });
  it('locations.geojson: a FeatureCollection of polygons with unique ids', async () => {
    await notConformant(
      feed('flex', { 'locations.geojson': '{"type":"Feature"' }),
      'gtfs.geojson',
      'locations.geojson',
    );
    await notConformant(
      feed('flex', { 'locations.geojson': (s) => s.replace('"Polygon"', '"Point"') }),
      'gtfs.geojson',
      'locations.geojson features[0]',
    );
    await notConformant(
      feed('flex', {
        'locations.geojson': (s) => s.replace('FLAECHE_OST', 'A'),
        'stop_times.txt': (s) => s.replace('FLAECHE_OST', 'A'),
      }),
      'gtfs.location-id-unique',
      'locations.geojson',
    );
  });
});

describe('gtfs validator: containers, limits, URLs', () => {
  it('a file that is no ZIP, a truncated ZIP: not conformant with the reason', async () => {
    for (const bytes of [strToU8('agency_id,agency_name\n'), zip(fixture('valid')).subarray(0, 300)]) {
      const r = await gtfsValidator.check({ kind: 'bytes', name: 'feed.zip', bytes }, { fetch: noFetch });
      assert.equal(r.verdict, 'not conformant');
      has(r, 'gtfs.zip-invalid', 'feed.zip');
      assert.match(r.reason ?? '', /ZIP/);
    }
  });
  it('unsafe entry paths are reported and skipped', async () => {
    const files = { ...fixture('valid'), '../../etc/passwd': 'root\n' };
    const r = await notConformant(files, 'gtfs.zip-path', '../../etc/passwd');
    assert.equal(r.findings.length, 1);
  });
  it('too many entries: could not be checked', async () => {
    const files: Files = { ...fixture('valid') };
    for (let i = 0; i < 200; i++) files[`extra-${i}.txt`] = 'x\n';
    const r = await check(files);
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /mehr als 200 Einträge/);
  });
  it('a zip bomb (more uncompressed bytes than allowed) is not unpacked: could not be checked', async () => {
    const files: Files = { ...fixture('valid'), 'shapes.txt': new Uint8Array(8 * 1024 * 1024) };
    const bytes = zip(files);
    assert.ok(bytes.length < 64 * 1024, 'the bomb is small when zipped');
    const r = await checkGtfs(
      { kind: 'bytes', name: 'bomb.zip', bytes },
      { fetch: noFetch },
      { maxUncompressedBytes: 4 * 1024 * 1024 },
    );
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /entpackt \d+ Bytes, mehr als die Grenze/);
    // An archive whose central directory declares 4 GB for one entry is refused before anything is inflated.
    const liar = zip(fixture('valid'));
    const view = new DataView(liar.buffer, liar.byteOffset, liar.byteLength);
    for (let o = 0; o + 4 <= liar.length; o++) {
      if (view.getUint32(o, true) === 0x02014b50) view.setUint32(o + 24, 0xfffffff0, true);
    }
    const r2 = await gtfsValidator.check({ kind: 'bytes', name: 'liar.zip', bytes: liar }, { fetch: noFetch });
    assert.equal(r2.verdict, 'could not be checked');
  });
  it('findings are capped per rule, with a summary', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => `X${i},1,1,1,1,1,0,0,2025-01-01,20251231`).join('\n');
    const r = await check(feed('valid', { 'calendar.txt': (s) => `${s}${rows}\n` }));
    const hits = r.findings.filter((f) => f.rule === 'gtfs.field-format');
    assert.equal(hits.length, 101);
    assert.match(hits[100]?.message ?? '', /insgesamt 150-mal/);
    assert.equal(hits[100]?.severity, 'error');
  });
  it('a URL: fetched through the Fetcher; refused or failing fetches are could not be checked', async () => {
    const bytes = zip(fixture('valid'));
    let asked: unknown;
    const ok: Fetcher = async (url, limits) => {
      asked = limits;
      return { url, status: 200, headers: {}, bytes };
    };
    const r = await gtfsValidator.check({ kind: 'url', url: 'https://example.org/gtfs.zip' }, { fetch: ok });
    assert.equal(r.verdict, 'conformant');
    assert.equal(r.input, 'https://example.org/gtfs.zip');
    assert.ok((asked as { maxBytes: number }).maxBytes > 20 * 1024 * 1024, 'GTFS asks for a larger body limit');
    const refused: Fetcher = async () => {
      throw new FetchRefused('private-address', 'Die Adresse 10.0.0.1 ist privat.');
    };
    const no = await gtfsValidator.check({ kind: 'url', url: 'http://intern/gtfs.zip' }, { fetch: refused });
    assert.equal(no.verdict, 'could not be checked');
    assert.match(no.reason ?? '', /10\.0\.0\.1 ist privat/);
    const status: Fetcher = async (url) => ({ url, status: 404, headers: {}, bytes: new Uint8Array() });
    const gone = await gtfsValidator.check({ kind: 'url', url: 'https://example.org/x.zip' }, { fetch: status });
    assert.equal(gone.verdict, 'could not be checked');
    assert.match(gone.reason ?? '', /404/);
  });
  it('a folder that does not exist: could not be checked', async () => {
    const r = await gtfsValidator.check({ kind: 'folder', path: path.join(FIXTURES, 'nicht-da') }, { fetch: noFetch });
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /lässt sich nicht lesen/);
  });
});
