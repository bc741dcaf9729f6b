/**
 * The files and fields of a GTFS Schedule dataset, written from the GTFS Schedule Reference (revised 2026-04-27,
 * google/transit `gtfs/spec/en/reference.md`, read from ../shared/data/standards/gtfs/spec/reference.md):
 * §Dataset Files for the files and their presence, §Field Definitions for each file's primary key and fields,
 * §Field Types for the types. Conditional presence ("Conditionally Required/Forbidden") is marked `cond` here and
 * checked by code in validate.ts, each with its own rule.
 */

export type FieldType =
  | 'id'
  | 'text'
  | 'url'
  | 'email'
  | 'phone'
  | 'timezone'
  | 'language'
  | 'currency'
  | 'currency-amount'
  | 'color'
  | 'date'
  | 'time'
  | 'local-time'
  | 'latitude'
  | 'longitude'
  | 'float'
  | 'non-negative-float'
  | 'positive-float'
  | 'integer'
  | 'non-negative-integer'
  | 'positive-integer'
  | 'non-zero-integer'
  | 'enum';

export type Presence = 'required' | 'optional' | 'cond';

export interface FieldSpec {
  name: string;
  type: FieldType;
  presence: Presence;
  /** Allowed values of an enum field; '' (empty) is allowed when the field is optional or cond. */
  values?: readonly string[];
}

export type FilePresence = 'required' | 'optional' | 'cond';

export interface FileSpec {
  name: string;
  presence: FilePresence;
  /** Fields of the primary key; `'*'` = all fields; `'none'` = one row only. */
  primaryKey: readonly string[] | '*' | 'none';
  fields: readonly FieldSpec[];
}

/** Compact field notation: `name:type:presence[:v1|v2…]`, presence r = required, o = optional, c = conditional. */
function f(spec: string): FieldSpec {
  const [name, type, p, values] = spec.split(':') as [string, FieldType, string, string | undefined];
  const presence: Presence = p === 'r' ? 'required' : p === 'c' ? 'cond' : 'optional';
  return values === undefined ? { name, type, presence } : { name, type, presence, values: values.split('|') };
}

function file(
  name: string,
  presence: FilePresence,
  primaryKey: FileSpec['primaryKey'],
  fields: readonly string[],
): FileSpec {
  return { name, presence, primaryKey, fields: fields.map(f) };
}

const CONTINUOUS = '0|1|2|3';

export const FILES: readonly FileSpec[] = [
  // §agency.txt
  file(
    'agency.txt',
    'required',
    ['agency_id'],
    [
      'agency_id:id:c',
      'agency_name:text:r',
      'agency_url:url:r',
      'agency_timezone:timezone:r',
      'agency_lang:language:o',
      'agency_phone:phone:o',
      'agency_fare_url:url:o',
      'agency_email:email:o',
      'cemv_support:enum:o:0|1|2',
    ],
  ),
  // §stops.txt — required unless locations.geojson defines the zones (§Dataset Files)
  file(
    'stops.txt',
    'cond',
    ['stop_id'],
    [
      'stop_id:id:r',
      'stop_code:text:o',
      'stop_name:text:c',
      'tts_stop_name:text:o',
      'stop_desc:text:o',
      'stop_lat:latitude:c',
      'stop_lon:longitude:c',
      'zone_id:id:o',
      'stop_url:url:o',
      'location_type:enum:o:0|1|2|3|4',
      'parent_station:id:c',
      'stop_timezone:timezone:o',
      'wheelchair_boarding:enum:o:0|1|2',
      'level_id:id:o',
      'platform_code:text:o',
      'stop_access:enum:c:0|1',
    ],
  ),
  // §routes.txt
  file(
    'routes.txt',
    'required',
    ['route_id'],
    [
      'route_id:id:r',
      'agency_id:id:c',
      'route_short_name:text:c',
      'route_long_name:text:c',
      'route_desc:text:o',
      // route_type: checked in validate.ts (basic values error, extended 100–1702 warning)
      'route_type:enum:r',
      'route_url:url:o',
      'route_color:color:o',
      'route_text_color:color:o',
      'route_sort_order:non-negative-integer:o',
      `continuous_pickup:enum:c:${CONTINUOUS}`,
      `continuous_drop_off:enum:c:${CONTINUOUS}`,
      'network_id:id:c',
      'cemv_support:enum:o:0|1|2',
    ],
  ),
  // §trips.txt
  file(
    'trips.txt',
    'required',
    ['trip_id'],
    [
      'route_id:id:r',
      'service_id:id:r',
      'trip_id:id:r',
      'trip_headsign:text:o',
      'trip_short_name:text:o',
      'direction_id:enum:o:0|1',
      'block_id:id:o',
      'shape_id:id:c',
      'wheelchair_accessible:enum:o:0|1|2',
      'bikes_allowed:enum:o:0|1|2',
      'cars_allowed:enum:o:0|1|2',
      'safe_duration_factor:float:o',
      'safe_duration_offset:float:o',
    ],
  ),
  // §stop_times.txt
  file(
    'stop_times.txt',
    'required',
    ['trip_id', 'stop_sequence'],
    [
      'trip_id:id:r',
      'arrival_time:time:c',
      'departure_time:time:c',
      'stop_id:id:c',
      'location_group_id:id:c',
      'location_id:id:c',
      'stop_sequence:non-negative-integer:r',
      'stop_headsign:text:o',
      'start_pickup_drop_off_window:time:c',
      'end_pickup_drop_off_window:time:c',
      'pickup_type:enum:c:0|1|2|3',
      'drop_off_type:enum:c:0|1|2|3',
      `continuous_pickup:enum:c:${CONTINUOUS}`,
      `continuous_drop_off:enum:c:${CONTINUOUS}`,
      'shape_dist_traveled:non-negative-float:o',
      'timepoint:enum:o:0|1',
      'pickup_booking_rule_id:id:o',
      'drop_off_booking_rule_id:id:o',
    ],
  ),
  // §calendar.txt — required unless all dates are in calendar_dates.txt (§Dataset Files)
  file(
    'calendar.txt',
    'cond',
    ['service_id'],
    [
      'service_id:id:r',
      'monday:enum:r:0|1',
      'tuesday:enum:r:0|1',
      'wednesday:enum:r:0|1',
      'thursday:enum:r:0|1',
      'friday:enum:r:0|1',
      'saturday:enum:r:0|1',
      'sunday:enum:r:0|1',
      'start_date:date:r',
      'end_date:date:r',
    ],
  ),
  // §calendar_dates.txt
  file(
    'calendar_dates.txt',
    'cond',
    ['service_id', 'date'],
    ['service_id:id:r', 'date:date:r', 'exception_type:enum:r:1|2'],
  ),
  // §fare_attributes.txt
  file(
    'fare_attributes.txt',
    'optional',
    ['fare_id'],
    [
      'fare_id:id:r',
      'price:non-negative-float:r',
      'currency_type:currency:r',
      'payment_method:enum:r:0|1',
      // transfers: Required, but "empty - Unlimited transfers" is a valid value (§fare_attributes.txt)
      'transfers:enum:c:0|1|2',
      'agency_id:id:c',
      'transfer_duration:non-negative-integer:o',
    ],
  ),
  // §fare_rules.txt
  file('fare_rules.txt', 'optional', '*', [
    'fare_id:id:r',
    'route_id:id:o',
    'origin_id:id:o',
    'destination_id:id:o',
    'contains_id:id:o',
  ]),
  // §timeframes.txt
  file('timeframes.txt', 'optional', '*', [
    'timeframe_group_id:id:r',
    'start_time:local-time:c',
    'end_time:local-time:c',
    'service_id:id:r',
  ]),
  // §rider_categories.txt
  file(
    'rider_categories.txt',
    'optional',
    ['rider_category_id'],
    [
      'rider_category_id:id:r',
      'rider_category_name:text:r',
      // "`0` or empty - Category is not considered the default."
      'is_default_fare_category:enum:c:0|1',
      'eligibility_url:url:o',
    ],
  ),
  // §fare_media.txt
  file(
    'fare_media.txt',
    'optional',
    ['fare_media_id'],
    ['fare_media_id:id:r', 'fare_media_name:text:o', 'fare_media_type:enum:r:0|1|2|3|4'],
  ),
  // §fare_products.txt
  file(
    'fare_products.txt',
    'optional',
    ['fare_product_id', 'rider_category_id', 'fare_media_id'],
    [
      'fare_product_id:id:r',
      'fare_product_name:text:o',
      'rider_category_id:id:o',
      'fare_media_id:id:o',
      'amount:currency-amount:r',
      'currency:currency:r',
    ],
  ),
  // §fare_leg_rules.txt
  file(
    'fare_leg_rules.txt',
    'optional',
    ['network_id', 'from_area_id', 'to_area_id', 'from_timeframe_group_id', 'to_timeframe_group_id', 'fare_product_id'],
    [
      'leg_group_id:id:o',
      'network_id:id:o',
      'from_area_id:id:o',
      'to_area_id:id:o',
      'from_timeframe_group_id:id:o',
      'to_timeframe_group_id:id:o',
      'fare_product_id:id:r',
      'rule_priority:non-negative-integer:o',
    ],
  ),
  // §fare_leg_join_rules.txt
  file(
    'fare_leg_join_rules.txt',
    'optional',
    ['from_network_id', 'to_network_id', 'from_stop_id', 'to_stop_id'],
    ['from_network_id:id:r', 'to_network_id:id:r', 'from_stop_id:id:c', 'to_stop_id:id:c'],
  ),
  // §fare_transfer_rules.txt
  file(
    'fare_transfer_rules.txt',
    'optional',
    ['from_leg_group_id', 'to_leg_group_id', 'fare_product_id', 'transfer_count', 'duration_limit'],
    [
      'from_leg_group_id:id:o',
      'to_leg_group_id:id:o',
      'transfer_count:non-zero-integer:c',
      'duration_limit:positive-integer:o',
      'duration_limit_type:enum:c:0|1|2|3',
      'fare_transfer_type:enum:r:0|1|2',
      'fare_product_id:id:o',
    ],
  ),
  // §areas.txt
  file('areas.txt', 'optional', ['area_id'], ['area_id:id:r', 'area_name:text:o']),
  // §stop_areas.txt
  file('stop_areas.txt', 'optional', '*', ['area_id:id:r', 'stop_id:id:r']),
  // §networks.txt
  file('networks.txt', 'cond', ['network_id'], ['network_id:id:r', 'network_name:text:o']),
  // §route_networks.txt
  file('route_networks.txt', 'cond', ['route_id'], ['network_id:id:r', 'route_id:id:r']),
  // §shapes.txt
  file(
    'shapes.txt',
    'optional',
    ['shape_id', 'shape_pt_sequence'],
    [
      'shape_id:id:r',
      'shape_pt_lat:latitude:r',
      'shape_pt_lon:longitude:r',
      'shape_pt_sequence:non-negative-integer:r',
      'shape_dist_traveled:non-negative-float:o',
    ],
  ),
  // §frequencies.txt
  file(
    'frequencies.txt',
    'optional',
    ['trip_id', 'start_time'],
    [
      'trip_id:id:r',
      'start_time:time:r',
      'end_time:time:r',
      'headway_secs:positive-integer:r',
      'exact_times:enum:o:0|1',
    ],
  ),
  // §transfers.txt
  file(
    'transfers.txt',
    'optional',
    ['from_stop_id', 'to_stop_id', 'from_trip_id', 'to_trip_id', 'from_route_id', 'to_route_id'],
    [
      'from_stop_id:id:c',
      'to_stop_id:id:c',
      'from_route_id:id:o',
      'to_route_id:id:o',
      'from_trip_id:id:c',
      'to_trip_id:id:c',
      // "`0` or empty - Recommended transfer point" although the field is Required
      'transfer_type:enum:c:0|1|2|3|4|5',
      'min_transfer_time:non-negative-integer:o',
    ],
  ),
  // §pathways.txt
  file(
    'pathways.txt',
    'optional',
    ['pathway_id'],
    [
      'pathway_id:id:r',
      'from_stop_id:id:r',
      'to_stop_id:id:r',
      'pathway_mode:enum:r:1|2|3|4|5|6|7',
      'is_bidirectional:enum:r:0|1',
      'length:non-negative-float:o',
      'traversal_time:positive-integer:o',
      'stair_count:non-zero-integer:o',
      'max_slope:float:o',
      'min_width:positive-float:o',
      'signposted_as:text:o',
      'reversed_signposted_as:text:o',
    ],
  ),
  // §levels.txt — required when pathways use elevators (pathway_mode=5)
  file('levels.txt', 'cond', ['level_id'], ['level_id:id:r', 'level_index:float:r', 'level_name:text:o']),
  // §location_groups.txt
  file(
    'location_groups.txt',
    'optional',
    ['location_group_id'],
    ['location_group_id:id:r', 'location_group_name:text:o'],
  ),
  // §location_group_stops.txt
  file('location_group_stops.txt', 'optional', '*', ['location_group_id:id:r', 'stop_id:id:r']),
  // §booking_rules.txt
  file(
    'booking_rules.txt',
    'optional',
    ['booking_rule_id'],
    [
      'booking_rule_id:id:r',
      'booking_type:enum:r:0|1|2',
      'prior_notice_duration_min:integer:c',
      'prior_notice_duration_max:integer:c',
      'prior_notice_last_day:integer:c',
      'prior_notice_last_time:time:c',
      'prior_notice_start_day:integer:c',
      'prior_notice_start_time:time:c',
      'prior_notice_service_id:id:c',
      'message:text:o',
      'pickup_message:text:o',
      'drop_off_message:text:o',
      'phone_number:phone:o',
      'info_url:url:o',
      'booking_url:url:o',
    ],
  ),
  // §translations.txt
  file(
    'translations.txt',
    'optional',
    ['table_name', 'field_name', 'language', 'record_id', 'record_sub_id', 'field_value'],
    [
      'table_name:enum:r:agency|stops|routes|trips|stop_times|pathways|levels|feed_info|attributions',
      'field_name:text:r',
      'language:language:r',
      'translation:text:r',
      'record_id:id:c',
      'record_sub_id:id:c',
      'field_value:text:c',
    ],
  ),
  // §feed_info.txt — required if translations.txt is provided
  file('feed_info.txt', 'cond', 'none', [
    'feed_publisher_name:text:r',
    'feed_publisher_url:url:r',
    'feed_lang:language:r',
    'default_lang:language:o',
    'feed_start_date:date:o',
    'feed_end_date:date:o',
    'feed_version:text:o',
    'feed_contact_email:email:o',
    'feed_contact_url:url:o',
  ]),
  // §attributions.txt
  file(
    'attributions.txt',
    'optional',
    ['attribution_id'],
    [
      'attribution_id:id:o',
      'agency_id:id:o',
      'route_id:id:o',
      'trip_id:id:o',
      'organization_name:text:r',
      'is_producer:enum:o:0|1',
      'is_operator:enum:o:0|1',
      'is_authority:enum:o:0|1',
      'attribution_url:url:o',
      'attribution_email:email:o',
      'attribution_phone:phone:o',
    ],
  ),
];

export const FILE_BY_NAME: ReadonlyMap<string, FileSpec> = new Map(FILES.map((s) => [s.name, s]));

/** Files of the dataset that are not comma-separated tables (§Dataset Files, §locations.geojson). */
export const NON_TABLE_FILES: readonly string[] = ['locations.geojson'];

/** §routes.txt route_type: the values the reference defines. */
export const ROUTE_TYPES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '11', '12'];

/**
 * Google's "Extended GTFS Route Types" (100–1702, https://developers.google.com/transit/gtfs/reference/extended-route-types),
 * used by many European feeds (DELFI, bbnavi) but not part of the reference: a warning, not an error.
 */
export function isExtendedRouteType(value: string): boolean {
  if (!/^\d{3,4}$/.test(value)) return false;
  const n = Number(value);
  return n >= 100 && n <= 1702;
}

/** A short source string for a finding: "GTFS Schedule Reference §stops.txt". */
export function src(section: string): string {
  return `GTFS Schedule Reference §${section}`;
}
