/**
 * The OParl object model as this validator reads it, written from the specification (OParl 1.1, chapters 2 and 3
 * and the normative property descriptions of `schema/strings.yml`; OParl 1.0 where it differs). From this table the
 * module builds its own JSON Schemas (see `schemaFor`), which ajv runs; the protocol rules live in code.
 *
 * Property kinds:
 *   s string · u URL · d date (yyyy-mm-dd) · dt date-time (yyyy-mm-ddThh:mm:ss±hh:mm) · i integer · b boolean ·
 *   g GeoJSON Feature · as array of strings · au array of URLs ·
 *   r:T URL of one object of type T · ar:T array of such URLs · l:T URL of an external object list of T ·
 *   e:T embedded object of T · ae:T array of embedded objects of T
 */

export const OPARL_TYPES = [
  'System',
  'Body',
  'LegislativeTerm',
  'Organization',
  'Person',
  'Membership',
  'Meeting',
  'AgendaItem',
  'Paper',
  'Consultation',
  'File',
  'Location',
] as const;
export type OparlType = (typeof OPARL_TYPES)[number];
export type OparlVersion = '1.0' | '1.1';

export type Kind =
  | { k: 's' | 'u' | 'd' | 'dt' | 'i' | 'b' | 'g' | 'as' | 'au' }
  | { k: 'r' | 'ar' | 'l' | 'e' | 'ae'; t: OparlType };

function parseKind(spec: string): Kind {
  const [k, t] = spec.split(':') as [string, string | undefined];
  if (t) return { k: k as 'r', t: t as OparlType };
  return { k: k as 's' };
}

/** OParl 1.1 §3.1: properties every object type has. */
const COMMON: Record<string, string> = {
  id: 'u',
  type: 's',
  license: 'u',
  keyword: 'as',
  created: 'dt',
  modified: 'dt',
  web: 'u',
  deleted: 'b',
};

/** OParl 1.1 §3 (schema), per object type; 1.0 extras in `EXTRA_1_0`. */
const PROPS: Record<OparlType, Record<string, string>> = {
  System: {
    oparlVersion: 's',
    otherOparlVersions: 'ar:System',
    body: 'l:Body',
    name: 's',
    contactEmail: 's',
    contactName: 's',
    website: 'u',
    vendor: 'u',
    product: 'u',
  },
  Body: {
    system: 'r:System',
    shortName: 's',
    name: 's',
    website: 'u',
    licenseValidSince: 'dt',
    oparlSince: 'dt',
    ags: 's',
    rgs: 's',
    equivalent: 'au',
    contactEmail: 's',
    contactName: 's',
    organization: 'l:Organization',
    person: 'l:Person',
    meeting: 'l:Meeting',
    paper: 'l:Paper',
    legislativeTerm: 'ae:LegislativeTerm',
    agendaItem: 'l:AgendaItem',
    consultation: 'l:Consultation',
    file: 'l:File',
    locationList: 'l:Location',
    legislativeTermList: 'l:LegislativeTerm',
    membership: 'l:Membership',
    classification: 's',
    location: 'e:Location',
    mainOrganization: 'r:Organization',
  },
  LegislativeTerm: { body: 'r:Body', name: 's', startDate: 'd', endDate: 'd' },
  Organization: {
    body: 'r:Body',
    name: 's',
    membership: 'ar:Membership',
    meeting: 'l:Meeting',
    consultation: 'l:Consultation',
    shortName: 's',
    post: 'as',
    subOrganizationOf: 'r:Organization',
    organizationType: 's',
    classification: 's',
    startDate: 'd',
    endDate: 'd',
    website: 'u',
    location: 'e:Location',
    externalBody: 'r:Body',
    memberCount: 'i',
    votingMemberCount: 'i',
  },
  Person: {
    body: 'r:Body',
    name: 's',
    familyName: 's',
    givenName: 's',
    formOfAddress: 's',
    affix: 's',
    title: 'as',
    gender: 's',
    phone: 'as',
    email: 'as',
    location: 'r:Location',
    locationObject: 'e:Location',
    status: 'as',
    membership: 'ae:Membership',
    image: 'e:File',
    life: 's',
    lifeSource: 's',
  },
  Membership: {
    person: 'r:Person',
    organization: 'r:Organization',
    role: 's',
    votingRight: 'b',
    startDate: 'd',
    endDate: 'd',
    onBehalfOf: 'r:Organization',
  },
  Meeting: {
    name: 's',
    meetingState: 's',
    cancelled: 'b',
    start: 'dt',
    end: 'dt',
    location: 'e:Location',
    organization: 'ar:Organization',
    participant: 'ar:Person',
    invitation: 'e:File',
    resultsProtocol: 'e:File',
    verbatimProtocol: 'e:File',
    auxiliaryFile: 'ae:File',
    agendaItem: 'ae:AgendaItem',
  },
  AgendaItem: {
    meeting: 'r:Meeting',
    number: 's',
    order: 'i',
    name: 's',
    public: 'b',
    consultation: 'r:Consultation',
    result: 's',
    resolutionText: 's',
    resolutionFile: 'e:File',
    auxiliaryFile: 'ae:File',
    start: 'dt',
    end: 'dt',
  },
  Paper: {
    body: 'r:Body',
    name: 's',
    reference: 's',
    date: 'd',
    paperType: 's',
    relatedPaper: 'ar:Paper',
    superordinatedPaper: 'ar:Paper',
    subordinatedPaper: 'ar:Paper',
    mainFile: 'e:File',
    auxiliaryFile: 'ae:File',
    location: 'ae:Location',
    originatorPerson: 'ar:Person',
    underDirectionOf: 'ar:Organization',
    originatorOrganization: 'ar:Organization',
    consultation: 'ae:Consultation',
  },
  Consultation: {
    paper: 'r:Paper',
    agendaItem: 'r:AgendaItem',
    meeting: 'r:Meeting',
    organization: 'ar:Organization',
    authoritative: 'b',
    role: 's',
  },
  File: {
    name: 's',
    fileName: 's',
    mimeType: 's',
    date: 'd',
    size: 'i',
    sha1Checksum: 's',
    sha512Checksum: 's',
    text: 's',
    accessUrl: 'u',
    downloadUrl: 'u',
    externalServiceUrl: 'u',
    masterFile: 'r:File',
    derivativeFile: 'ar:File',
    fileLicense: 'u',
    meeting: 'ar:Meeting',
    agendaItem: 'ar:AgendaItem',
    person: 'r:Person',
    paper: 'ar:Paper',
  },
  Location: {
    description: 's',
    geojson: 'g',
    streetAddress: 's',
    room: 's',
    postalCode: 's',
    subLocality: 's',
    locality: 's',
    bodies: 'ar:Body',
    organizations: 'ar:Organization',
    persons: 'ar:Person',
    meetings: 'ar:Meeting',
    papers: 'ar:Paper',
  },
};

/** OParl 1.0 names that 1.1 renamed (1.0 Location: `organization`, `meeting`). */
const EXTRA_1_0: Partial<Record<OparlType, Record<string, string>>> = {
  Location: { organization: 'ar:Organization', meeting: 'ar:Meeting' },
};

/** Types that OParl 1.0 only embeds (OParl 1.1 §4.1: "sechs Objekttypen … eingebettete Objekte"). */
export const EMBEDDED_ONLY_1_0: ReadonlySet<OparlType> = new Set([
  'LegislativeTerm',
  'Membership',
  'AgendaItem',
  'Consultation',
  'File',
  'Location',
]);

export interface RequiredProperty {
  name: string;
  source: string;
}

/**
 * Required properties of a type, each with the place of the specification that makes it required.
 * `standalone` = fetched on its own URL or listed in an external list (not embedded in another object).
 */
export function requiredProperties(type: OparlType, version: OparlVersion, standalone: boolean): RequiredProperty[] {
  const out: RequiredProperty[] = [
    { name: 'id', source: `OParl ${version} §3.1 „id“` },
    { name: 'type', source: `OParl ${version} §3.1 „type“` },
  ];
  // 1.1 §3.1 created/modified: "muss in allen Objekttypen angegeben werden … auch in Objekten, die intern
  // ausgegeben werden"; 1.0: only in types "die nicht in anderen Objekten intern ausgegeben werden".
  if (version === '1.1' || !EMBEDDED_ONLY_1_0.has(type)) {
    out.push({ name: 'created', source: `OParl ${version} §3.1 „created“` });
    out.push({ name: 'modified', source: `OParl ${version} §3.1 „modified“` });
  }
  const schema = (names: string[], why = `OParl ${version} §3 Schema, oparl:${type}`) => {
    for (const name of names) out.push({ name, source: why });
  };
  switch (type) {
    case 'System':
      schema(['oparlVersion', 'body']);
      break;
    case 'Body':
      schema(['name', 'organization', 'person', 'meeting', 'paper', 'legislativeTerm']);
      // strings.yml: Body.properties.agendaItem … legislativeTermList: "**ZWINGEND** … Neu in OParl 1.1."
      if (version === '1.1')
        schema(
          ['agendaItem', 'consultation', 'file', 'locationList', 'legislativeTermList', 'membership'],
          'OParl 1.1 §3 Schema, oparl:Body („ZWINGEND … Neu in OParl 1.1“)',
        );
      break;
    case 'File':
      schema(['accessUrl']);
      break;
    case 'AgendaItem':
      if (version === '1.1') schema(['order']);
      break;
    default:
  }
  // Back references that "nur dann ausgegeben werden muss, wenn das …-Objekt einzeln abgerufen wird" (1.1 schema).
  if (standalone && version === '1.1') {
    const back: Partial<Record<OparlType, string>> = {
      Membership: 'person',
      AgendaItem: 'meeting',
      LegislativeTerm: 'body',
      Consultation: 'paper',
    };
    const name = back[type];
    if (name) schema([name], `OParl 1.1 §3 Schema, oparl:${type}.${name} (Rückreferenz bei Einzelabruf)`);
  }
  return out;
}

/** OParl 1.1 §2.8: a deleted object keeps id, type and created, and modified is the time of deletion. */
export function requiredWhenDeleted(version: OparlVersion): RequiredProperty[] {
  return ['id', 'type', 'created', 'modified'].map((name) => ({
    name,
    source: `OParl ${version} §2.8 Gelöschte Objekte`,
  }));
}

const cache = new Map<string, Record<string, Kind>>();

/** All properties of a type (common ones first), as kinds. */
export function propertiesOf(type: OparlType, version: OparlVersion): Record<string, Kind> {
  const key = `${type}@${version}`;
  let props = cache.get(key);
  if (!props) {
    const specs = { ...COMMON, ...PROPS[type], ...(version === '1.0' ? (EXTRA_1_0[type] ?? {}) : {}) };
    props = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, parseKind(spec)]));
    cache.set(key, props);
  }
  return props;
}

export function isOparlType(name: string): name is OparlType {
  return (OPARL_TYPES as readonly string[]).includes(name);
}

/** The namespace URL of a type (OParl 1.1 §3.1 „type“). */
export function typeUrl(type: OparlType, version: OparlVersion): string {
  return `https://schema.oparl.org/${version}/${type}`;
}

/** Reads a type URL: version and type, or null. 1.0 is matched case-insensitively (1.1 made all names camel case). */
export function parseTypeUrl(value: string): { version: OparlVersion; type: OparlType; exact: boolean } | null {
  const m = /^https?:\/\/schema\.oparl\.org\/(1\.0|1\.1)\/([A-Za-z]+)$/.exec(value);
  if (!m) return null;
  const version = m[1] as OparlVersion;
  const type = OPARL_TYPES.find((t) => t.toLowerCase() === m[2]!.toLowerCase());
  if (!type) return null;
  return { version, type, exact: value === typeUrl(type, version) };
}

// ---------------------------------------------------------------------------------------------------------------
// JSON Schemas built from the table (run with ajv; formats registered in check-object.ts)

function schemaOfKind(kind: Kind): Record<string, unknown> {
  switch (kind.k) {
    case 's':
      return { type: 'string' };
    case 'u':
    case 'r':
    case 'l':
      return { type: 'string', format: 'oparl-url' };
    case 'd':
      return { type: 'string', format: 'oparl-date' };
    case 'dt':
      return { type: 'string', format: 'oparl-date-time' };
    case 'i':
      return { type: 'integer' };
    case 'b':
      return { type: 'boolean' };
    case 'g':
    case 'e':
      return { type: 'object' };
    case 'as':
      return { type: 'array', items: { type: 'string' } };
    case 'au':
    case 'ar':
      return { type: 'array', items: { type: 'string', format: 'oparl-url' } };
    case 'ae':
      return { type: 'array', items: { type: 'object' } };
  }
}

/**
 * The JSON Schema of one object type in one context. Embedded objects are not nested into the schema: the
 * validator checks each embedded object with the schema of its own type, so findings name the embedded object.
 */
export function schemaFor(
  type: OparlType,
  version: OparlVersion,
  standalone: boolean,
  deleted: boolean,
): Record<string, unknown> {
  const props = propertiesOf(type, version);
  const required = (deleted ? requiredWhenDeleted(version) : requiredProperties(type, version, standalone)).map(
    (r) => r.name,
  );
  return {
    type: 'object',
    required: [...new Set(required)],
    properties: Object.fromEntries(Object.entries(props).map(([name, kind]) => [name, schemaOfKind(kind)])),
  };
}
