/**
 * The GTFS Schedule rules across files: which files a feed needs, conditional presence of fields, references
 * between files, the order of stop times in a trip. Each rule cites the section of the GTFS Schedule Reference
 * (revised 2026-04-27) it comes from, in a comment and in `Finding.source`.
 */
import type { FeedSource } from './feed-source.js';
import type { FindingCollector } from './findings.js';
import { currencyDigits, parseTime } from './formats.js';
import { FILE_BY_NAME, FILES, isExtendedRouteType, NON_TABLE_FILES, ROUTE_TYPES, src } from './schema.js';
import { type RowHandler, readTable, type Table } from './tables.js';

interface TripInfo {
  route: string;
  shape: string;
  line: number;
}

/** Stop times of one trip, flat: [stop_sequence, arrival s, departure s, shape_dist_traveled, line, window] … */
const ST_WIDTH = 6;

class Feed {
  readonly present: Set<string>;
  readonly stats: Record<string, number> = {};
  agencyIds = new Set<string>();
  agencyCount = 0;
  readonly levels = new Set<string>();
  /** stop_id → location_type (0–4). */
  readonly stops = new Map<string, number>();
  readonly zones = new Set<string>();
  readonly locationGroups = new Set<string>();
  readonly locationIds = new Set<string>();
  readonly routes = new Map<string, { continuous: boolean }>();
  readonly routeNetworks = new Set<string>();
  readonly networks = new Set<string>();
  readonly services = new Set<string>();
  readonly calendarServices = new Set<string>();
  readonly shapes = new Set<string>();
  readonly bookingRules = new Set<string>();
  readonly trips = new Map<string, TripInfo>();
  readonly stopTimes = new Map<string, number[]>();
  readonly continuousTrips = new Set<string>();
  readonly fares = new Set<string>();
  readonly areas = new Set<string>();
  readonly timeframes = new Set<string>();
  readonly riderCategories = new Set<string>();
  readonly fareMedia = new Set<string>();
  readonly fareProducts = new Set<string>();
  readonly legGroups = new Set<string>();
  elevator = false;
  routesHaveNetworkId = false;

  constructor(
    readonly source: FeedSource,
    readonly c: FindingCollector,
  ) {
    this.present = new Set(source.names);
  }

  /** `Foreign ID` (§Field Types "ID"): the value must exist in the target file. */
  ref(
    ids: { has(v: string): boolean },
    value: string,
    at: string,
    field: string,
    target: string,
    section: string,
  ): boolean {
    if (value === '' || ids.has(value)) return true;
    this.c.add(
      'gtfs.foreign-key',
      'error',
      `${at} ${field}`,
      `Der Wert „${value}“ in ${field} verweist auf keinen Eintrag in ${target}.`,
      src(section),
    );
    return false;
  }

  cond(rule: 'required' | 'forbidden', at: string, field: string, why: string, section: string): void {
    this.c.add(
      rule === 'required' ? 'gtfs.conditional-required' : 'gtfs.conditional-forbidden',
      'error',
      `${at} ${field}`,
      rule === 'required'
        ? `Das Feld ${field} muss gefüllt sein, ${why}.`
        : `Das Feld ${field} muss leer sein, ${why}.`,
      src(section),
    );
  }

  async table(name: string, onRow: RowHandler, onHeader?: (t: Table) => void): Promise<Table | null> {
    if (!this.present.has(name)) return null;
    const spec = FILE_BY_NAME.get(name);
    if (!spec) return null;
    const t = await readTable(this.source, spec, this.c, onRow, onHeader);
    this.stats[`rows.${name}`] = t?.rows ?? 0;
    return t;
  }
}

const g = (rec: string[], i: number): string => (i < 0 ? '' : (rec[i] as string));

export async function validateFeed(source: FeedSource, c: FindingCollector): Promise<Record<string, number>> {
  const feed = new Feed(source, c);
  const has = (n: string): boolean => feed.present.has(n);
  feed.stats.files = source.names.length;

  // §Dataset Files: files the reference does not define.
  for (const n of source.names) {
    if (!FILE_BY_NAME.has(n) && !NON_TABLE_FILES.includes(n)) {
      c.add(
        'gtfs.unknown-file',
        'warning',
        n,
        `Die Datei ${n} ist in GTFS Schedule nicht definiert und wird nicht geprüft (Dateinamen unterscheiden Groß- und Kleinschreibung).`,
        src('Dataset Files'),
      );
    }
  }
  // §Dataset Files: required and conditionally required files.
  const missing = (file: string, why: string): void =>
    c.add('gtfs.required-file', 'error', file, `Die Datei ${file} fehlt${why}.`, src('Dataset Files'));
  for (const f of FILES) if (f.presence === 'required' && !has(f.name)) missing(f.name, '');
  if (!has('stops.txt') && !has('locations.geojson'))
    missing('stops.txt', '; sie ist Pflicht, wenn locations.geojson keine Bedarfszonen definiert');
  if (!has('calendar.txt') && !has('calendar_dates.txt'))
    missing('calendar.txt', ' und calendar_dates.txt ebenso; eine der beiden Dateien ist Pflicht');
  if (has('translations.txt') && !has('feed_info.txt'))
    missing('feed_info.txt', '; sie ist Pflicht, wenn translations.txt vorhanden ist');

  // §agency.txt
  const agencies: { line: number; id: string; tz: string }[] = [];
  await feed.table('agency.txt', (rec, line, t) => {
    const id = g(rec, t.col('agency_id'));
    agencies.push({ line, id, tz: g(rec, t.col('agency_timezone')) });
    if (id !== '') feed.agencyIds.add(id);
  });
  feed.agencyCount = agencies.length;
  if (agencies.length > 1) {
    const tz = agencies[0]?.tz;
    for (const a of agencies) {
      // agency_id: "Required when the dataset contains data for multiple transit agencies."
      if (a.id === '')
        feed.cond(
          'required',
          `agency.txt:${a.line}`,
          'agency_id',
          'wenn der Datensatz mehrere Verkehrsunternehmen enthält',
          'agency.txt',
        );
      // agency_timezone: "If multiple agencies are specified in the dataset, each must have the same agency_timezone."
      if (a.tz !== tz) {
        c.add(
          'gtfs.agency-timezone',
          'error',
          `agency.txt:${a.line} agency_timezone`,
          `Alle Verkehrsunternehmen müssen dieselbe agency_timezone haben; hier „${a.tz}“ statt „${tz}“.`,
          src('agency.txt'),
        );
      }
    }
  }
  const multiAgency = feed.agencyCount > 1;

  // §levels.txt
  await feed.table('levels.txt', (rec, _line, t) => {
    feed.levels.add(g(rec, t.col('level_id')));
  });

  // §stops.txt
  const parents: [line: number, type: number, parent: string][] = [];
  await feed.table('stops.txt', (rec, line, t) => {
    const at = `stops.txt:${line}`;
    const id = g(rec, t.col('stop_id'));
    const ltRaw = g(rec, t.col('location_type'));
    const lt = ltRaw === '' ? 0 : /^[0-4]$/.test(ltRaw) ? Number(ltRaw) : -1;
    feed.stops.set(id, lt);
    const zone = g(rec, t.col('zone_id'));
    if (zone !== '') feed.zones.add(zone);
    if (lt === 0 || lt === 1 || lt === 2) {
      // stop_name, stop_lat, stop_lon: "Required for locations which are stops (location_type=0), stations (1) or entrances/exits (2)."
      for (const f of ['stop_name', 'stop_lat', 'stop_lon']) {
        if (g(rec, t.col(f)) === '') feed.cond('required', at, f, `weil location_type ${lt} ist`, 'stops.txt');
      }
    }
    const parent = g(rec, t.col('parent_station'));
    // parent_station: "Required for location_type 2, 3, 4 … Forbidden for stations (location_type=1)."
    if (lt >= 2 && parent === '')
      feed.cond('required', at, 'parent_station', `weil location_type ${lt} ist`, 'stops.txt');
    if (lt === 1 && parent !== '')
      feed.cond(
        'forbidden',
        at,
        'parent_station',
        'weil es sich um eine Station (location_type 1) handelt',
        'stops.txt',
      );
    if (parent !== '' && lt !== 1) parents.push([line, lt, parent]);
    // stop_access: "Forbidden for location_type 1–4 … Forbidden if parent_station is empty."
    if (g(rec, t.col('stop_access')) !== '' && (lt !== 0 || parent === '')) {
      feed.cond(
        'forbidden',
        at,
        'stop_access',
        'außer bei Haltestellen (location_type 0) mit parent_station',
        'stops.txt',
      );
    }
    feed.ref(feed.levels, g(rec, t.col('level_id')), at, 'level_id', 'levels.txt', 'stops.txt');
  });
  for (const [line, lt, parent] of parents) {
    const at = `stops.txt:${line}`;
    if (!feed.ref(feed.stops, parent, at, 'parent_station', 'stops.txt', 'stops.txt')) continue;
    const pt = feed.stops.get(parent);
    // parent_station: stops, entrances and generic nodes have a station (1) as parent; boarding areas a platform (0).
    const want = lt === 4 ? 0 : 1;
    if (pt !== want) {
      c.add(
        'gtfs.parent-station-type',
        'error',
        `${at} parent_station`,
        lt === 4
          ? `Der Bahnsteigbereich verweist auf „${parent}“, das kein Bahnsteig (location_type 0) ist.`
          : `Die Elternstation „${parent}“ ist keine Station (location_type 1), sondern hat location_type ${pt}.`,
        src('stops.txt'),
      );
    }
  }

  // §location_groups.txt, §location_group_stops.txt, §locations.geojson
  await feed.table('location_groups.txt', (rec, _l, t) => {
    feed.locationGroups.add(g(rec, t.col('location_group_id')));
  });
  await feed.table('location_group_stops.txt', (rec, line, t) => {
    const at = `location_group_stops.txt:${line}`;
    feed.ref(
      feed.locationGroups,
      g(rec, t.col('location_group_id')),
      at,
      'location_group_id',
      'location_groups.txt',
      'location_group_stops.txt',
    );
    feed.ref(feed.stops, g(rec, t.col('stop_id')), at, 'stop_id', 'stops.txt', 'location_group_stops.txt');
  });
  if (has('locations.geojson')) await readLocations(feed);
  // stops.stop_id: "ID must be unique across all stops.stop_id, locations.geojson id, and location_groups.location_group_id values."
  for (const id of feed.locationGroups) {
    if (feed.stops.has(id) || feed.locationIds.has(id)) {
      c.add(
        'gtfs.location-id-unique',
        'error',
        'location_groups.txt',
        `Die ID „${id}“ wird auch in stops.txt oder locations.geojson verwendet.`,
        src('stops.txt'),
      );
    }
  }
  for (const id of feed.locationIds) {
    if (feed.stops.has(id)) {
      c.add(
        'gtfs.location-id-unique',
        'error',
        'locations.geojson',
        `Die ID „${id}“ wird auch in stops.txt verwendet.`,
        src('stops.txt'),
      );
    }
  }

  // §networks.txt, §routes.txt, §route_networks.txt
  await feed.table('networks.txt', (rec, _l, t) => {
    feed.networks.add(g(rec, t.col('network_id')));
  });
  await feed.table(
    'routes.txt',
    (rec, line, t) => {
      const at = `routes.txt:${line}`;
      const agency = g(rec, t.col('agency_id'));
      if (agency === '' && multiAgency)
        feed.cond('required', at, 'agency_id', 'wenn agency.txt mehrere Verkehrsunternehmen definiert', 'routes.txt');
      if (agency !== '' && has('agency.txt'))
        feed.ref(feed.agencyIds, agency, at, 'agency_id', 'agency.txt', 'routes.txt');
      // route_short_name / route_long_name: each is required if the other is empty.
      if (g(rec, t.col('route_short_name')) === '' && g(rec, t.col('route_long_name')) === '') {
        feed.cond(
          'required',
          at,
          'route_short_name',
          'wenn route_long_name leer ist (eines der beiden ist Pflicht)',
          'routes.txt',
        );
      }
      const type = g(rec, t.col('route_type'));
      if (type !== '' && !ROUTE_TYPES.includes(type)) {
        if (isExtendedRouteType(type)) {
          c.add(
            'gtfs.route-type-extended',
            'warning',
            `${at} route_type`,
            `route_type ${type} ist ein erweiterter Verkehrsmitteltyp (Google „Extended GTFS Route Types“), den die GTFS-Referenz nicht definiert; viele Nutzer verstehen ihn.`,
            src('routes.txt'),
          );
        } else {
          c.add(
            'gtfs.enum',
            'error',
            `${at} route_type`,
            `Der Wert „${type}“ ist für route_type nicht erlaubt; erlaubt sind ${ROUTE_TYPES.join(', ')}.`,
            src('routes.txt'),
          );
        }
      }
      const cp = g(rec, t.col('continuous_pickup'));
      const cd = g(rec, t.col('continuous_drop_off'));
      const network = g(rec, t.col('network_id'));
      if (network !== '') feed.networks.add(network);
      feed.routes.set(g(rec, t.col('route_id')), {
        continuous: (cp !== '' && cp !== '1') || (cd !== '' && cd !== '1'),
      });
    },
    (t) => {
      feed.routesHaveNetworkId = t.col('network_id') >= 0;
      // networks.txt / route_networks.txt: "Forbidden if network_id exists in routes.txt."
      for (const f of ['networks.txt', 'route_networks.txt']) {
        if (feed.routesHaveNetworkId && has(f)) {
          c.add(
            'gtfs.conditional-forbidden',
            'error',
            f,
            `Die Datei ${f} ist nicht erlaubt, weil routes.txt das Feld network_id hat.`,
            src('Dataset Files'),
          );
        }
      }
    },
  );
  await feed.table('route_networks.txt', (rec, line, t) => {
    const at = `route_networks.txt:${line}`;
    feed.ref(feed.networks, g(rec, t.col('network_id')), at, 'network_id', 'networks.txt', 'route_networks.txt');
    feed.ref(feed.routes, g(rec, t.col('route_id')), at, 'route_id', 'routes.txt', 'route_networks.txt');
  });

  // §calendar.txt, §calendar_dates.txt
  await feed.table('calendar.txt', (rec, line, t) => {
    const id = g(rec, t.col('service_id'));
    feed.services.add(id);
    feed.calendarServices.add(id);
    const start = g(rec, t.col('start_date'));
    const end = g(rec, t.col('end_date'));
    // start_date … end_date: the service interval; an end before the start is no interval.
    if (/^\d{8}$/.test(start) && /^\d{8}$/.test(end) && end < start) {
      c.add(
        'gtfs.calendar-range',
        'error',
        `calendar.txt:${line} end_date`,
        `end_date ${end} liegt vor start_date ${start}.`,
        src('calendar.txt'),
      );
    }
  });
  await feed.table('calendar_dates.txt', (rec, _l, t) => {
    feed.services.add(g(rec, t.col('service_id')));
  });

  // §shapes.txt (only the ids are kept)
  await feed.table('shapes.txt', (rec, _l, t) => {
    feed.shapes.add(g(rec, t.col('shape_id')));
  });

  // §booking_rules.txt
  await feed.table('booking_rules.txt', (rec, line, t) => {
    const at = `booking_rules.txt:${line}`;
    const v = (f: string): string => g(rec, t.col(f));
    feed.bookingRules.add(v('booking_rule_id'));
    const type = v('booking_type');
    const sec = 'booking_rules.txt';
    const req = (f: string, when: boolean, why: string, whyNot: string): void => {
      if (when && v(f) === '') feed.cond('required', at, f, why, sec);
      if (!when && v(f) !== '') feed.cond('forbidden', at, f, whyNot, sec);
    };
    req('prior_notice_duration_min', type === '1', 'wenn booking_type 1 ist', 'wenn booking_type nicht 1 ist');
    if ((type === '0' || type === '2') && v('prior_notice_duration_max') !== '')
      feed.cond('forbidden', at, 'prior_notice_duration_max', `wenn booking_type ${type} ist`, sec);
    req('prior_notice_last_day', type === '2', 'wenn booking_type 2 ist', 'wenn booking_type nicht 2 ist');
    req(
      'prior_notice_last_time',
      v('prior_notice_last_day') !== '',
      'wenn prior_notice_last_day gefüllt ist',
      'wenn prior_notice_last_day leer ist',
    );
    if (v('prior_notice_start_day') !== '' && (type === '0' || (type === '1' && v('prior_notice_duration_max') !== '')))
      feed.cond(
        'forbidden',
        at,
        'prior_notice_start_day',
        'bei booking_type 0 und bei booking_type 1 mit prior_notice_duration_max',
        sec,
      );
    req(
      'prior_notice_start_time',
      v('prior_notice_start_day') !== '',
      'wenn prior_notice_start_day gefüllt ist',
      'wenn prior_notice_start_day leer ist',
    );
    if (v('prior_notice_service_id') !== '') {
      if (type !== '2') feed.cond('forbidden', at, 'prior_notice_service_id', 'wenn booking_type nicht 2 ist', sec);
      else
        feed.ref(
          feed.calendarServices,
          v('prior_notice_service_id'),
          at,
          'prior_notice_service_id',
          'calendar.txt',
          sec,
        );
    }
  });

  // §trips.txt
  await feed.table('trips.txt', (rec, line, t) => {
    const at = `trips.txt:${line}`;
    const route = g(rec, t.col('route_id'));
    const service = g(rec, t.col('service_id'));
    const shape = g(rec, t.col('shape_id'));
    feed.trips.set(g(rec, t.col('trip_id')), { route, shape, line });
    feed.ref(feed.routes, route, at, 'route_id', 'routes.txt', 'trips.txt');
    feed.ref(feed.services, service, at, 'service_id', 'calendar.txt oder calendar_dates.txt', 'trips.txt');
    feed.ref(feed.shapes, shape, at, 'shape_id', 'shapes.txt', 'trips.txt');
  });

  // §stop_times.txt
  await feed.table('stop_times.txt', (rec, line, t) => readStopTime(feed, rec, line, t));
  checkTrips(feed);

  // §frequencies.txt
  await feed.table('frequencies.txt', (rec, line, t) => {
    const at = `frequencies.txt:${line}`;
    feed.ref(feed.trips, g(rec, t.col('trip_id')), at, 'trip_id', 'trips.txt', 'frequencies.txt');
    const s = parseTime(g(rec, t.col('start_time')));
    const e = parseTime(g(rec, t.col('end_time')));
    if (s !== null && e !== null && e <= s) {
      c.add(
        'gtfs.frequency-range',
        'error',
        `${at} end_time`,
        'end_time muss nach start_time liegen.',
        src('frequencies.txt'),
      );
    }
  });

  // §transfers.txt
  await feed.table('transfers.txt', (rec, line, t) => {
    const at = `transfers.txt:${line}`;
    const v = (f: string): string => g(rec, t.col(f));
    const type = v('transfer_type');
    const inSeat = type === '4' || type === '5';
    for (const side of ['from', 'to']) {
      const stop = v(`${side}_stop_id`);
      // from_stop_id/to_stop_id: "Required if transfer_type is empty, 0, 1, 2, or 3."
      if (!inSeat && stop === '')
        feed.cond('required', at, `${side}_stop_id`, `wenn transfer_type ${type || 'leer'} ist`, 'transfers.txt');
      feed.ref(feed.stops, stop, at, `${side}_stop_id`, 'stops.txt', 'transfers.txt');
      // from_trip_id/to_trip_id: "Required if transfer_type is 4 or 5."
      const trip = v(`${side}_trip_id`);
      if (inSeat && trip === '')
        feed.cond('required', at, `${side}_trip_id`, `wenn transfer_type ${type} ist`, 'transfers.txt');
      feed.ref(feed.trips, trip, at, `${side}_trip_id`, 'trips.txt', 'transfers.txt');
      feed.ref(feed.routes, v(`${side}_route_id`), at, `${side}_route_id`, 'routes.txt', 'transfers.txt');
    }
  });

  // §pathways.txt
  await feed.table('pathways.txt', (rec, line, t) => {
    const at = `pathways.txt:${line}`;
    feed.ref(feed.stops, g(rec, t.col('from_stop_id')), at, 'from_stop_id', 'stops.txt', 'pathways.txt');
    feed.ref(feed.stops, g(rec, t.col('to_stop_id')), at, 'to_stop_id', 'stops.txt', 'pathways.txt');
    if (g(rec, t.col('pathway_mode')) === '5') feed.elevator = true;
  });
  // levels.txt: "Required when describing pathways with elevators (pathway_mode=5)."
  if (feed.elevator && !has('levels.txt'))
    missing('levels.txt', '; sie ist Pflicht, wenn pathways.txt Aufzüge (pathway_mode 5) beschreibt');

  await readFares(feed, multiAgency);
  await readRest(feed);

  feed.stats.stops = feed.stops.size;
  feed.stats.routes = feed.routes.size;
  feed.stats.trips = feed.trips.size;
  return feed.stats;
}

function readStopTime(feed: Feed, rec: string[], line: number, t: Table): void {
  const at = `stop_times.txt:${line}`;
  const sec = 'stop_times.txt';
  const v = (f: string): string => g(rec, t.col(f));
  const trip = v('trip_id');
  const stop = v('stop_id');
  const group = v('location_group_id');
  const location = v('location_id');
  const arr = v('arrival_time');
  const dep = v('departure_time');
  const ws = v('start_pickup_drop_off_window');
  const we = v('end_pickup_drop_off_window');
  const window = ws !== '' || we !== '';

  feed.ref(feed.trips, trip, at, 'trip_id', 'trips.txt', sec);
  // stop_id: "Required if location_group_id AND location_id are NOT defined. Forbidden if … are defined."
  if (group === '' && location === '' && stop === '')
    feed.cond('required', at, 'stop_id', 'wenn weder location_group_id noch location_id gefüllt sind', sec);
  if (stop !== '' && (group !== '' || location !== ''))
    feed.cond('forbidden', at, 'stop_id', 'wenn location_group_id oder location_id gefüllt ist', sec);
  if (group !== '' && location !== '')
    feed.cond('forbidden', at, 'location_id', 'wenn location_group_id gefüllt ist', sec);
  if (stop !== '' && feed.ref(feed.stops, stop, at, 'stop_id', 'stops.txt', sec)) {
    // stop_id: "Referenced locations must be stops/platforms, i.e. their stops.location_type value must be 0 or empty."
    const lt = feed.stops.get(stop) ?? 0;
    if (lt > 0) {
      feed.c.add(
        'gtfs.stop-time-location-type',
        'error',
        `${at} stop_id`,
        `Die Haltestelle „${stop}“ hat location_type ${lt}; Haltezeiten dürfen nur auf Haltestellen oder Bahnsteige (location_type 0) verweisen.`,
        src(sec),
      );
    }
  }
  feed.ref(feed.locationGroups, group, at, 'location_group_id', 'location_groups.txt', sec);
  feed.ref(feed.locationIds, location, at, 'location_id', 'locations.geojson', sec);
  // start/end_pickup_drop_off_window: "Required if location_group_id or location_id is defined. Required if the other is defined."
  if (group !== '' || location !== '' || window) {
    if (ws === '')
      feed.cond(
        'required',
        at,
        'start_pickup_drop_off_window',
        'bei Bedarfsverkehr mit location_group_id, location_id oder end_pickup_drop_off_window',
        sec,
      );
    if (we === '')
      feed.cond(
        'required',
        at,
        'end_pickup_drop_off_window',
        'bei Bedarfsverkehr mit location_group_id, location_id oder start_pickup_drop_off_window',
        sec,
      );
  }
  if (window) {
    // arrival_time/departure_time: "Forbidden when start_pickup_drop_off_window or end_pickup_drop_off_window are defined."
    if (arr !== '')
      feed.cond(
        'forbidden',
        at,
        'arrival_time',
        'wenn ein Zeitfenster (start/end_pickup_drop_off_window) angegeben ist',
        sec,
      );
    if (dep !== '')
      feed.cond(
        'forbidden',
        at,
        'departure_time',
        'wenn ein Zeitfenster (start/end_pickup_drop_off_window) angegeben ist',
        sec,
      );
    const pu = v('pickup_type');
    const dr = v('drop_off_type');
    if (pu === '0' || pu === '3')
      feed.cond('forbidden', at, 'pickup_type', `mit dem Wert ${pu}, wenn ein Zeitfenster angegeben ist`, sec);
    if (dr === '0')
      feed.cond('forbidden', at, 'drop_off_type', 'mit dem Wert 0, wenn ein Zeitfenster angegeben ist', sec);
    for (const f of ['continuous_pickup', 'continuous_drop_off']) {
      const x = v(f);
      if (x !== '' && x !== '1')
        feed.cond('forbidden', at, f, 'mit einem anderen Wert als 1, wenn ein Zeitfenster angegeben ist', sec);
    }
    const s = parseTime(ws);
    const e = parseTime(we);
    if (s !== null && e !== null && e < s) {
      feed.c.add(
        'gtfs.stop-time-window',
        'error',
        `${at} end_pickup_drop_off_window`,
        'Das Zeitfenster endet vor seinem Beginn.',
        src(sec),
      );
    }
  }
  // arrival_time/departure_time: "Required for timepoint=1."
  if (v('timepoint') === '1') {
    if (arr === '') feed.cond('required', at, 'arrival_time', 'wenn timepoint 1 ist', sec);
    if (dep === '') feed.cond('required', at, 'departure_time', 'wenn timepoint 1 ist', sec);
  }
  const cp = v('continuous_pickup');
  const cd = v('continuous_drop_off');
  if ((cp !== '' && cp !== '1') || (cd !== '' && cd !== '1')) feed.continuousTrips.add(trip);
  feed.ref(feed.bookingRules, v('pickup_booking_rule_id'), at, 'pickup_booking_rule_id', 'booking_rules.txt', sec);
  feed.ref(feed.bookingRules, v('drop_off_booking_rule_id'), at, 'drop_off_booking_rule_id', 'booking_rules.txt', sec);

  const a = arr === '' ? Number.NaN : (parseTime(arr) ?? Number.NaN);
  const d = dep === '' ? Number.NaN : (parseTime(dep) ?? Number.NaN);
  // arrival_time ≤ departure_time at the same stop (a vehicle leaves after it arrives).
  if (a > d) {
    feed.c.add(
      'gtfs.arrival-after-departure',
      'error',
      `${at} departure_time`,
      `departure_time ${dep} liegt vor arrival_time ${arr}.`,
      src(sec),
    );
  }
  const seqRaw = v('stop_sequence');
  if (!/^\d+$/.test(seqRaw) || trip === '') return;
  const distRaw = v('shape_dist_traveled');
  const dist = distRaw === '' ? Number.NaN : Number(distRaw);
  let list = feed.stopTimes.get(trip);
  if (!list) {
    list = [];
    feed.stopTimes.set(trip, list);
  }
  list.push(Number(seqRaw), a, d, dist, line, window ? 1 : 0);
}

/** Per trip, in stop_sequence order (§stop_times.txt). */
function checkTrips(feed: Feed): void {
  const c = feed.c;
  const sec = 'stop_times.txt';
  if (!feed.present.has('stop_times.txt')) return;
  for (const [tripId, trip] of feed.trips) {
    const list = feed.stopTimes.get(tripId);
    const n = list ? list.length / ST_WIDTH : 0;
    // §Field Definitions trips.txt: "A trip is a sequence of two or more stops."
    if (n < 2) {
      c.add(
        'gtfs.trip-stop-count',
        'error',
        `trips.txt:${trip.line} trip_id`,
        `Die Fahrt „${tripId}“ hat ${n} Haltezeit${n === 1 ? '' : 'en'} in stop_times.txt; eine Fahrt besteht aus mindestens zwei Halten.`,
        src('Dataset Files'),
      );
    }
    // shape_id: "Required if the trip has a continuous pickup or drop-off behavior defined either in routes.txt or in stop_times.txt."
    if (trip.shape === '' && (feed.routes.get(trip.route)?.continuous || feed.continuousTrips.has(tripId))) {
      feed.cond(
        'required',
        `trips.txt:${trip.line}`,
        'shape_id',
        'wenn die Fahrt kontinuierliches Ein- oder Aussteigen (continuous_pickup/continuous_drop_off) hat',
        'trips.txt',
      );
    }
    if (!list || n === 0) continue;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((x, y) => (list[x * ST_WIDTH] as number) - (list[y * ST_WIDTH] as number));
    const at = (i: number): string => `stop_times.txt:${list[i * ST_WIDTH + 4]}`;
    // arrival_time: "Required for the first and last stop in a trip (defined by stop_times.stop_sequence)"; forbidden with windows.
    for (const i of new Set([order[0] as number, order[n - 1] as number])) {
      if (Number.isNaN(list[i * ST_WIDTH + 1]) && list[i * ST_WIDTH + 5] === 0) {
        feed.cond(
          'required',
          at(i),
          'arrival_time',
          `weil es der ${i === order[0] ? 'erste' : 'letzte'} Halt der Fahrt „${tripId}“ ist`,
          sec,
        );
      }
    }
    let last = Number.NaN;
    let lastDist = Number.NaN;
    for (const i of order) {
      const a = list[i * ST_WIDTH + 1] as number;
      const d = list[i * ST_WIDTH + 2] as number;
      const dist = list[i * ST_WIDTH + 3] as number;
      const first = Number.isNaN(a) ? d : a;
      // Times must not go back along the trip: "the time values in a trip always increase over the course of a trip".
      if (!Number.isNaN(first) && !Number.isNaN(last) && first < last) {
        c.add(
          'gtfs.stop-times-order',
          'error',
          `${at(i)} ${Number.isNaN(a) ? 'departure_time' : 'arrival_time'}`,
          `Die Zeit liegt vor der Abfahrt am vorigen Halt der Fahrt „${tripId}“.`,
          src('stops.txt (stop_timezone)'),
        );
      }
      const lastOfRow = Number.isNaN(d) ? a : d;
      if (!Number.isNaN(lastOfRow)) last = lastOfRow;
      // shape_dist_traveled: "Values used for shape_dist_traveled must increase along with stop_sequence."
      if (!Number.isNaN(dist)) {
        if (!Number.isNaN(lastDist) && dist < lastDist) {
          c.add(
            'gtfs.shape-dist-order',
            'error',
            `${at(i)} shape_dist_traveled`,
            `shape_dist_traveled ${dist} ist kleiner als am vorigen Halt der Fahrt „${tripId}“ (${lastDist}).`,
            src(sec),
          );
        }
        lastDist = dist;
      }
    }
  }
  for (const tripId of feed.stopTimes.keys()) if (!feed.trips.has(tripId)) feed.stopTimes.delete(tripId);
}

async function readLocations(feed: Feed): Promise<void> {
  const c = feed.c;
  const sec = 'locations.geojson';
  const parts: Uint8Array[] = [];
  for await (const chunk of feed.source.chunks('locations.geojson')) parts.push(chunk);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch (err) {
    c.add(
      'gtfs.geojson',
      'error',
      sec,
      `locations.geojson ist kein gültiges JSON (${(err as Error).message}).`,
      src(sec),
    );
    return;
  }
  const fc = doc as { type?: unknown; features?: unknown };
  // "The locations.geojson file must contain a FeatureCollection."
  if (fc?.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    c.add(
      'gtfs.geojson',
      'error',
      sec,
      'locations.geojson muss eine FeatureCollection mit features enthalten.',
      src(sec),
    );
    return;
  }
  feed.stats['rows.locations.geojson'] = fc.features.length;
  fc.features.forEach((f: { type?: unknown; id?: unknown; geometry?: { type?: unknown } } | null, i: number) => {
    const at = `${sec} features[${i}]`;
    // "Every GeoJSON Feature must have an id."; geometry type Polygon or MultiPolygon.
    if (f?.type !== 'Feature')
      c.add('gtfs.geojson', 'error', at, 'Jedes Element von features muss vom Typ „Feature“ sein.', src(sec));
    if (typeof f?.id !== 'string' || f.id === '')
      c.add('gtfs.geojson', 'error', at, 'Jedes Feature muss eine id haben.', src(sec));
    else if (feed.locationIds.has(f.id))
      c.add('gtfs.geojson', 'error', at, `Die id „${f.id}“ kommt mehrfach vor.`, src(sec));
    else feed.locationIds.add(f.id);
    const gt = f?.geometry?.type;
    if (gt !== 'Polygon' && gt !== 'MultiPolygon')
      c.add('gtfs.geojson', 'error', at, 'Die Geometrie muss ein Polygon oder MultiPolygon sein.', src(sec));
  });
}

async function readFares(feed: Feed, multiAgency: boolean): Promise<void> {
  const c = feed.c;
  // §fare_attributes.txt, §fare_rules.txt
  await feed.table(
    'fare_attributes.txt',
    (rec, line, t) => {
      const at = `fare_attributes.txt:${line}`;
      feed.fares.add(g(rec, t.col('fare_id')));
      const agency = g(rec, t.col('agency_id'));
      if (agency === '' && multiAgency)
        feed.cond(
          'required',
          at,
          'agency_id',
          'wenn agency.txt mehrere Verkehrsunternehmen definiert',
          'fare_attributes.txt',
        );
      feed.ref(feed.agencyIds, agency, at, 'agency_id', 'agency.txt', 'fare_attributes.txt');
    },
    (t) => {
      // transfers is Required (the column), although an empty value means unlimited transfers.
      if (t.col('transfers') < 0)
        c.add(
          'gtfs.required-column',
          'error',
          'fare_attributes.txt:1 transfers',
          'Das Pflichtfeld transfers fehlt in der Kopfzeile von fare_attributes.txt.',
          src('fare_attributes.txt'),
        );
    },
  );
  await feed.table('fare_rules.txt', (rec, line, t) => {
    const at = `fare_rules.txt:${line}`;
    const sec = 'fare_rules.txt';
    feed.ref(feed.fares, g(rec, t.col('fare_id')), at, 'fare_id', 'fare_attributes.txt', sec);
    feed.ref(feed.routes, g(rec, t.col('route_id')), at, 'route_id', 'routes.txt', sec);
    for (const f of ['origin_id', 'destination_id', 'contains_id'])
      feed.ref(feed.zones, g(rec, t.col(f)), at, f, 'stops.txt (zone_id)', sec);
  });
  // §areas.txt, §stop_areas.txt, §timeframes.txt, §rider_categories.txt, §fare_media.txt, §fare_products.txt
  await feed.table('areas.txt', (rec, _l, t) => {
    feed.areas.add(g(rec, t.col('area_id')));
  });
  await feed.table('stop_areas.txt', (rec, line, t) => {
    const at = `stop_areas.txt:${line}`;
    feed.ref(feed.areas, g(rec, t.col('area_id')), at, 'area_id', 'areas.txt', 'stop_areas.txt');
    feed.ref(feed.stops, g(rec, t.col('stop_id')), at, 'stop_id', 'stops.txt', 'stop_areas.txt');
  });
  await feed.table('timeframes.txt', (rec, line, t) => {
    const at = `timeframes.txt:${line}`;
    feed.timeframes.add(g(rec, t.col('timeframe_group_id')));
    feed.ref(
      feed.services,
      g(rec, t.col('service_id')),
      at,
      'service_id',
      'calendar.txt oder calendar_dates.txt',
      'timeframes.txt',
    );
    // start_time / end_time: each is required if the other is defined.
    const s = g(rec, t.col('start_time'));
    const e = g(rec, t.col('end_time'));
    if (s === '' && e !== '') feed.cond('required', at, 'start_time', 'wenn end_time gefüllt ist', 'timeframes.txt');
    if (e === '' && s !== '') feed.cond('required', at, 'end_time', 'wenn start_time gefüllt ist', 'timeframes.txt');
  });
  await feed.table('rider_categories.txt', (rec, _l, t) => {
    feed.riderCategories.add(g(rec, t.col('rider_category_id')));
  });
  await feed.table('fare_media.txt', (rec, _l, t) => {
    feed.fareMedia.add(g(rec, t.col('fare_media_id')));
  });
  await feed.table('fare_products.txt', (rec, line, t) => {
    const at = `fare_products.txt:${line}`;
    const sec = 'fare_products.txt';
    feed.fareProducts.add(g(rec, t.col('fare_product_id')));
    feed.ref(
      feed.riderCategories,
      g(rec, t.col('rider_category_id')),
      at,
      'rider_category_id',
      'rider_categories.txt',
      sec,
    );
    feed.ref(feed.fareMedia, g(rec, t.col('fare_media_id')), at, 'fare_media_id', 'fare_media.txt', sec);
    // amount: "The currency amount must contain the number of decimal places specified by ISO 4217 for the accompanying Currency code."
    const amount = g(rec, t.col('amount'));
    const digits = currencyDigits(g(rec, t.col('currency')));
    if (digits !== null && /^[+-]?\d*(\.\d*)?$/.test(amount) && amount !== '') {
      const places = amount.includes('.') ? amount.length - amount.indexOf('.') - 1 : 0;
      if (places !== digits) {
        c.add(
          'gtfs.currency-amount',
          'error',
          `${at} amount`,
          `Der Betrag „${amount}“ muss genau ${digits} Nachkommastellen haben, wie ISO 4217 für die Währung festlegt.`,
          src('Field Types'),
        );
      }
    }
  });
  // §fare_leg_rules.txt, §fare_leg_join_rules.txt, §fare_transfer_rules.txt
  await feed.table('fare_leg_rules.txt', (rec, line, t) => {
    const at = `fare_leg_rules.txt:${line}`;
    const sec = 'fare_leg_rules.txt';
    const leg = g(rec, t.col('leg_group_id'));
    if (leg !== '') feed.legGroups.add(leg);
    feed.ref(feed.networks, g(rec, t.col('network_id')), at, 'network_id', 'routes.txt oder networks.txt', sec);
    feed.ref(feed.areas, g(rec, t.col('from_area_id')), at, 'from_area_id', 'areas.txt', sec);
    feed.ref(feed.areas, g(rec, t.col('to_area_id')), at, 'to_area_id', 'areas.txt', sec);
    feed.ref(
      feed.timeframes,
      g(rec, t.col('from_timeframe_group_id')),
      at,
      'from_timeframe_group_id',
      'timeframes.txt',
      sec,
    );
    feed.ref(
      feed.timeframes,
      g(rec, t.col('to_timeframe_group_id')),
      at,
      'to_timeframe_group_id',
      'timeframes.txt',
      sec,
    );
    feed.ref(feed.fareProducts, g(rec, t.col('fare_product_id')), at, 'fare_product_id', 'fare_products.txt', sec);
  });
  await feed.table('fare_leg_join_rules.txt', (rec, line, t) => {
    const at = `fare_leg_join_rules.txt:${line}`;
    const sec = 'fare_leg_join_rules.txt';
    feed.ref(
      feed.networks,
      g(rec, t.col('from_network_id')),
      at,
      'from_network_id',
      'routes.txt oder networks.txt',
      sec,
    );
    feed.ref(feed.networks, g(rec, t.col('to_network_id')), at, 'to_network_id', 'routes.txt oder networks.txt', sec);
    const fs = g(rec, t.col('from_stop_id'));
    const ts = g(rec, t.col('to_stop_id'));
    // from_stop_id / to_stop_id: each is required if the other is defined.
    if (fs === '' && ts !== '') feed.cond('required', at, 'from_stop_id', 'wenn to_stop_id gefüllt ist', sec);
    if (ts === '' && fs !== '') feed.cond('required', at, 'to_stop_id', 'wenn from_stop_id gefüllt ist', sec);
    feed.ref(feed.stops, fs, at, 'from_stop_id', 'stops.txt', sec);
    feed.ref(feed.stops, ts, at, 'to_stop_id', 'stops.txt', sec);
  });
  await feed.table('fare_transfer_rules.txt', (rec, line, t) => {
    const at = `fare_transfer_rules.txt:${line}`;
    const sec = 'fare_transfer_rules.txt';
    const from = g(rec, t.col('from_leg_group_id'));
    const to = g(rec, t.col('to_leg_group_id'));
    feed.ref(feed.legGroups, from, at, 'from_leg_group_id', 'fare_leg_rules.txt (leg_group_id)', sec);
    feed.ref(feed.legGroups, to, at, 'to_leg_group_id', 'fare_leg_rules.txt (leg_group_id)', sec);
    feed.ref(feed.fareProducts, g(rec, t.col('fare_product_id')), at, 'fare_product_id', 'fare_products.txt', sec);
    // transfer_count: "Forbidden if from_leg_group_id does not equal to_leg_group_id. Required if [they are equal]."
    const count = g(rec, t.col('transfer_count'));
    if (from === to && count === '')
      feed.cond('required', at, 'transfer_count', 'wenn from_leg_group_id und to_leg_group_id gleich sind', sec);
    if (from !== to && count !== '')
      feed.cond('forbidden', at, 'transfer_count', 'wenn from_leg_group_id und to_leg_group_id verschieden sind', sec);
    // duration_limit_type: "Required if duration_limit is defined. Forbidden if duration_limit is empty."
    const limit = g(rec, t.col('duration_limit'));
    const limitType = g(rec, t.col('duration_limit_type'));
    if (limit !== '' && limitType === '')
      feed.cond('required', at, 'duration_limit_type', 'wenn duration_limit gefüllt ist', sec);
    if (limit === '' && limitType !== '')
      feed.cond('forbidden', at, 'duration_limit_type', 'wenn duration_limit leer ist', sec);
  });
}

async function readRest(feed: Feed): Promise<void> {
  // §translations.txt
  await feed.table('translations.txt', (rec, line, t) => {
    const at = `translations.txt:${line}`;
    const sec = 'translations.txt';
    const table = g(rec, t.col('table_name'));
    const recordId = g(rec, t.col('record_id'));
    const value = g(rec, t.col('field_value'));
    // field_value: "Forbidden if table_name is feed_info. Forbidden if record_id is defined. Required if record_id is empty."
    if (value !== '' && table === 'feed_info')
      feed.cond('forbidden', at, 'field_value', 'wenn table_name feed_info ist', sec);
    else if (value !== '' && recordId !== '')
      feed.cond('forbidden', at, 'field_value', 'wenn record_id gefüllt ist', sec);
    else if (value === '' && recordId === '' && table !== 'feed_info')
      feed.cond('required', at, 'field_value', 'wenn record_id leer ist', sec);
  });
  // §feed_info.txt
  await feed.table('feed_info.txt', (rec, line, t) => {
    const s = g(rec, t.col('feed_start_date'));
    const e = g(rec, t.col('feed_end_date'));
    if (/^\d{8}$/.test(s) && /^\d{8}$/.test(e) && e < s) {
      feed.c.add(
        'gtfs.calendar-range',
        'error',
        `feed_info.txt:${line} feed_end_date`,
        `feed_end_date ${e} liegt vor feed_start_date ${s}.`,
        src('feed_info.txt'),
      );
    }
  });
  // §attributions.txt
  await feed.table('attributions.txt', (rec, line, t) => {
    const at = `attributions.txt:${line}`;
    const sec = 'attributions.txt';
    const a = g(rec, t.col('agency_id'));
    const r = g(rec, t.col('route_id'));
    const tr = g(rec, t.col('trip_id'));
    feed.ref(feed.agencyIds, a, at, 'agency_id', 'agency.txt', sec);
    feed.ref(feed.routes, r, at, 'route_id', 'routes.txt', sec);
    feed.ref(feed.trips, tr, at, 'trip_id', 'trips.txt', sec);
    // "If one agency_id, route_id, or trip_id attribution is defined, the other ones must be empty."
    if ([a, r, tr].filter((x) => x !== '').length > 1)
      feed.cond(
        'forbidden',
        at,
        'route_id/trip_id',
        'wenn schon agency_id, route_id oder trip_id gefüllt ist (nur eines davon)',
        sec,
      );
  });
}
