/**
 * The gtfs validator on the 13 real and sample feeds in ../shared/data/standards/gtfs/originals (read in place,
 * never copied; see SOURCE.md there). Each verdict is explained by the rules that fire.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../platform/paths.js';
import { gtfsValidator } from '../conformance/gtfs/index.js';
import type { Fetcher } from '../conformance/types.js';

const ORIGINALS = path.resolve(ROOT, '../shared/data/standards/gtfs/originals');
const available = fs.existsSync(ORIGINALS);
if (!available && process.env.CI === 'true') throw new Error(`CI=true but ${ORIGINALS} is missing`);

const noFetch: Fetcher = async () => {
  throw new Error('no fetch');
};

/** Feed → expected verdict, and the rules of its findings as "severity rule" (each listed once). */
const EXPECTED: Record<string, { verdict: string; rules: string[]; why: string }> = {
  'google-transit_sample-feed-1': {
    verdict: 'conformant',
    rules: ['warning gtfs.empty-file'],
    why: 'the reference sample feed; its shapes.txt has no records',
  },
  transitfeed_good_feed: { verdict: 'conformant', rules: [], why: 'transitfeed’s good feed' },
  transitfeed_utf8bom: { verdict: 'conformant', rules: [], why: 'files with a UTF-8 BOM are acceptable' },
  transitfeed_only_calendar_dates: {
    verdict: 'conformant',
    rules: [],
    why: 'calendar.txt may be omitted when calendar_dates.txt has all dates',
  },
  caltrain_20160406: {
    verdict: 'conformant',
    rules: ['warning gtfs.value-whitespace'],
    why: 'route_short_name is a single space on every route (should be empty)',
  },
  transitfeed_bad_date_format: {
    verdict: 'not conformant',
    rules: ['error gtfs.field-format'],
    why: 'dates not in YYYYMMDD',
  },
  transitfeed_duplicate_stop_sequence: {
    verdict: 'not conformant',
    rules: ['error gtfs.duplicate-key'],
    why: 'two stop times of one trip share a stop_sequence (primary key trip_id, stop_sequence)',
  },
  transitfeed_invalid_route_agency: {
    verdict: 'not conformant',
    rules: ['error gtfs.foreign-key'],
    why: 'a route names an agency_id that agency.txt does not define',
  },
  transitfeed_missing_endpoint_times: {
    verdict: 'not conformant',
    rules: ['error gtfs.conditional-required'],
    why: 'first/last stops of two trips have no arrival_time',
  },
  transitfeed_missing_stop_times: {
    verdict: 'not conformant',
    rules: ['error gtfs.required-file'],
    why: 'stop_times.txt is missing',
  },
  transitfeed_undefined_stop: {
    verdict: 'not conformant',
    rules: ['error gtfs.foreign-key'],
    why: 'a stop time names a stop_id that stops.txt does not define',
  },
  'delfi-subset_ullingerc-spatial-search': {
    verdict: 'not conformant',
    rules: ['error gtfs.foreign-key', 'warning gtfs.route-type-extended', 'warning gtfs.unknown-column'],
    why: 'a cut-down subset: parent stations, levels, a frequencies trip and transfer stops were cut away; route_type 106 is extended; feed_contact_mail is misspelt',
  },
  'bbnavi_gtfs-flex': {
    verdict: 'not conformant',
    rules: [
      'error gtfs.foreign-key',
      'error gtfs.duplicate-key',
      'error gtfs.trip-stop-count',
      'error gtfs.conditional-required',
      'warning gtfs.unknown-column',
      'warning gtfs.route-type-extended',
    ],
    why: 'written for a pre-adoption GTFS-Flex draft, not the adopted reference: location_groups.txt lists stops per row (draft column location_id, so location_group_id repeats), stop_times.stop_id names location groups, the windows are spelt start_pickup_dropoff_window, and each trip has one stop time; also parent stations missing from the extract',
  },
};

describe('gtfs validator on real feeds', { skip: !available && 'shared data missing' }, () => {
  it('knows every feed folder', () => {
    assert.deepEqual(fs.readdirSync(ORIGINALS).sort(), Object.keys(EXPECTED).sort());
  });
  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: ${want.verdict} (${want.why})`, async () => {
      const r = await gtfsValidator.check({ kind: 'folder', path: path.join(ORIGINALS, name) }, { fetch: noFetch });
      const rules = [...new Set(r.findings.map((f) => `${f.severity} ${f.rule}`))].sort();
      assert.deepEqual(
        rules,
        [...want.rules].sort(),
        r.findings.map((f) => `${f.rule} ${f.location} ${f.message}`).join('\n'),
      );
      assert.equal(r.verdict, want.verdict);
      assert.ok((r.stats?.files ?? 0) >= 6);
    });
  }
  it('the flex feed: the findings that explain the verdict', async () => {
    const r = await gtfsValidator.check(
      { kind: 'folder', path: path.join(ORIGINALS, 'bbnavi_gtfs-flex') },
      { fetch: noFetch },
    );
    const at = (rule: string, location: string) => r.findings.some((f) => f.rule === rule && f.location === location);
    assert.ok(at('gtfs.unknown-column', 'stop_times.txt:1 start_pickup_dropoff_window'));
    assert.ok(at('gtfs.unknown-column', 'location_groups.txt:1 location_id'));
    assert.ok(at('gtfs.foreign-key', 'stop_times.txt:2 stop_id'));
    assert.ok(at('gtfs.duplicate-key', 'location_groups.txt:3'));
    // the duplicate keys of location_groups.txt exceed the cap of 100 and end in one summary
    assert.ok(r.findings.some((f) => f.rule === 'gtfs.duplicate-key' && /insgesamt \d+-mal/.test(f.message)));
  });
});
