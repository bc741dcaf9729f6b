/**
 * Checks of one OParl object (and the objects embedded in it) and of one list page, without any fetching: the
 * crawler (index.ts) and the single-object check (`bytes`) share them. The schema part runs the module's own JSON
 * Schemas (model.ts) with ajv; the protocol rules are code. Every finding cites its section of the specification.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { Finding, Severity } from '../types.js';
import {
  isOparlType,
  type Kind,
  type OparlType,
  type OparlVersion,
  parseTypeUrl,
  propertiesOf,
  requiredProperties,
  requiredWhenDeleted,
  schemaFor,
  typeUrl,
} from './model.js';

// ---------------------------------------------------------------------------------------------------------------
// Formats (OParl 1.1 §2.4 „Datums- und Zeitangaben“ and §2.3 URLs)

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** What the spec prescribes: yyyy-mm-ddThh:mm:ss±hh:mm. */
const DATE_TIME_STRICT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})[+-](\d{2}):(\d{2})$/;
/** ISO 8601 / RFC 3339 with an offset, but not the spec's form (Z, fractions of seconds): a warning. */
const DATE_TIME_LOOSE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
/** A date-time without any offset: the error the spec rules out ("mit Zeitzone"). */
const DATE_TIME_NO_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?$/;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[m - 1]!;
}

export function isOparlDate(s: string): boolean {
  const m = DATE.exec(s);
  return !!m && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Valid date-time with an offset (the hard rule); `isStrictDateTime` tells whether it has exactly the spec's form. */
export function isOparlDateTime(s: string): boolean {
  const m = DATE_TIME_LOOSE.exec(s);
  if (!m || !validDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  return Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 60;
}

export function isStrictDateTime(s: string): boolean {
  return DATE_TIME_STRICT.test(s) && isOparlDateTime(s);
}

export function isOparlUrl(s: string): boolean {
  if (!/^https?:\/\//i.test(s)) return false;
  try {
    new URL(s);
    return true;
  } catch {
    return false;
  }
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('oparl-url', isOparlUrl);
ajv.addFormat('oparl-date', isOparlDate);
ajv.addFormat('oparl-date-time', isOparlDateTime);

const validators = new Map<string, ValidateFunction>();
function validatorFor(type: OparlType, version: OparlVersion, standalone: boolean, deleted: boolean): ValidateFunction {
  const key = `${type}|${version}|${standalone}|${deleted}`;
  let v = validators.get(key);
  if (!v) {
    v = ajv.compile(schemaFor(type, version, standalone, deleted));
    validators.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Context and sink

export interface ObjectContext {
  /** Where findings point: the object's URL (its id) or the URL of the response that holds it. */
  base: string;
  /** JSON path of the object within `base` ("$" for the object itself). */
  path: string;
  /** The endpoint's version; null = take it from the object's `type` (single-object check). */
  version: OparlVersion | null;
  /** The type the context demands (list of persons → Person), if any. */
  expectedType?: OparlType;
  /** Fetched on its own URL or listed in an external list (not embedded). */
  standalone: boolean;
  /** Embedded in another object (deleted objects are not allowed there, §2.5). */
  embedded: boolean;
  /** The URL the object was fetched from, when it is a whole response (for `id` = URL). */
  fetchedFrom?: string;
  /** Whether an id ≠ fetched URL is an error (false for the start URL the user typed). */
  idMismatchIsError?: boolean;
  /** In an external list fetched without `modified_since` (deleted objects must not appear, §2.5 Filter). */
  inListWithoutModifiedSince?: boolean;
}

export type LinkKind = 'reference' | 'embedded' | 'list';

export interface CheckSink {
  findings: Finding[];
  /** Each object checked (embedded ones with `embedded` true). */
  onObject?(type: OparlType, embedded: boolean): void;
  /** URL-valued references (r:, ar:), ids of embedded objects and object lists other than Body's, for sampling. */
  onLink?(url: string, expected: OparlType, kind: LinkKind, location: string): void;
}

function finding(rule: string, severity: Severity, location: string, message: string, source: string): Finding {
  return { rule: `oparl.${rule}`, severity, location, message, source };
}

function at(ctx: ObjectContext, rel = ''): string {
  return `${ctx.base} ${ctx.path}${rel}`;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonPath(instancePath: string): string {
  if (!instancePath) return '';
  return instancePath
    .split('/')
    .slice(1)
    .map((seg) => {
      const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
      return /^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
    })
    .join('');
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let cur = obj;
  for (const seg of instancePath.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}

const KIND_DE: Record<Kind['k'], string> = {
  s: 'eine Zeichenkette',
  u: 'eine URL',
  r: 'eine URL',
  l: 'eine URL (Objektliste)',
  d: 'ein Datum',
  dt: 'ein Zeitpunkt',
  i: 'eine ganze Zahl',
  b: 'ein Wahrheitswert',
  g: 'ein GeoJSON-Objekt',
  e: 'ein eingebettetes Objekt',
  as: 'eine Liste von Zeichenketten',
  au: 'eine Liste von URLs',
  ar: 'eine Liste von URLs',
  ae: 'eine Liste eingebetteter Objekte',
};

const S_JSON = (v: OparlVersion) => `OParl ${v} §2.4 JSON-Ausgabe`;
const S_DATES = (v: OparlVersion) => `OParl ${v} §2.4 JSON-Ausgabe, Datums- und Zeitangaben`;
const S_NULL = (v: OparlVersion) => `OParl ${v} §2.4 JSON-Ausgabe, null-Werte und leere Listen`;
const S_URLS = (v: OparlVersion) => `OParl ${v} §2.3 URLs`;
const S_TYPE = (v: OparlVersion) => `OParl ${v} §3.1 „type“`;
const S_SCHEMA = (v: OparlVersion, t: OparlType) => `OParl ${v} §3 Schema, oparl:${t}`;
const S_EMBED = (v: OparlVersion) => `OParl ${v} §2.5 Objektlisten und Paginierung, Interne Ausgabe von Objekten`;
const S_DELETED = (v: OparlVersion) => `OParl ${v} §2.8 Gelöschte Objekte`;
const S_FILTER = (v: OparlVersion) => `OParl ${v} §2.5 Objektlisten und Paginierung, Filter`;
const S_VENDOR = (v: OparlVersion) => `OParl ${v} §3 Schema, Herstellerspezifische Erweiterungen`;

// ---------------------------------------------------------------------------------------------------------------
// One object

export interface ObjectResult {
  type?: OparlType;
  version?: OparlVersion;
  id?: string;
  deleted: boolean;
}

/** Checks one object and, recursively, the objects embedded in it. Never throws. */
export function checkObject(value: unknown, ctx: ObjectContext, sink: CheckSink): ObjectResult {
  const out: ObjectResult = { deleted: false };
  const v0: OparlVersion = ctx.version ?? '1.1';
  if (!isObj(value)) {
    sink.findings.push(
      finding('object', 'error', at(ctx), 'Hier wird ein OParl-Objekt (JSON-Objekt) erwartet.', S_JSON(v0)),
    );
    return out;
  }

  // type URL (§3.1 „type“): the version comes from here when the context does not give one.
  let type: OparlType | undefined;
  let version: OparlVersion = v0;
  const rawType = value.type;
  if (typeof rawType === 'string') {
    const parsed = parseTypeUrl(rawType);
    if (!parsed) {
      sink.findings.push(
        finding(
          'type-url',
          'error',
          at(ctx, '.type'),
          `„${rawType}“ ist keine OParl-Typ-URL (erwartet z. B. ${typeUrl(ctx.expectedType ?? 'Body', v0)}).`,
          S_TYPE(v0),
        ),
      );
    } else {
      type = parsed.type;
      version = ctx.version ?? parsed.version;
      if (ctx.version && parsed.version !== ctx.version) {
        sink.findings.push(
          finding(
            'type-version',
            'error',
            at(ctx, '.type'),
            `Die Typ-URL „${rawType}“ gehört zu OParl ${parsed.version}, der Endpunkt erklärt OParl ${ctx.version}.`,
            S_TYPE(ctx.version),
          ),
        );
      } else if (!parsed.exact) {
        sink.findings.push(
          finding(
            'type-url',
            parsed.version === '1.1' ? 'error' : 'warning',
            at(ctx, '.type'),
            `Die Typ-URL „${rawType}“ weicht in der Schreibweise von ${typeUrl(parsed.type, parsed.version)} ab.`,
            S_TYPE(parsed.version),
          ),
        );
      }
    }
  } else if (rawType !== undefined && rawType !== null) {
    sink.findings.push(
      finding('type-url', 'error', at(ctx, '.type'), '„type“ muss eine Typ-URL (Zeichenkette) sein.', S_TYPE(v0)),
    );
  }
  if (!type && ctx.expectedType) type = ctx.expectedType;
  if (type && ctx.expectedType && type !== ctx.expectedType) {
    sink.findings.push(
      finding(
        'type-expected',
        'error',
        at(ctx, '.type'),
        `An dieser Stelle wird ein Objekt vom Typ oparl:${ctx.expectedType} erwartet, nicht oparl:${type}.`,
        S_SCHEMA(version, ctx.expectedType),
      ),
    );
  }
  out.version = version;
  if (typeof value.id === 'string') out.id = value.id;

  if (!type) {
    // Without a known type only id and type can be judged.
    if (value.type === undefined || value.type === null)
      sink.findings.push(
        finding('required', 'error', at(ctx), 'Die Pflichteigenschaft „type“ fehlt.', S_TYPE(version)),
      );
    return out;
  }
  out.type = type;
  sink.onObject?.(type, ctx.embedded);

  const deleted = value.deleted === true;
  out.deleted = deleted;
  const required = deleted
    ? requiredWhenDeleted(version)
    : requiredProperties(type, version, ctx.standalone && !ctx.embedded);
  const requiredNames = new Set(required.map((r) => r.name));
  const props = propertiesOf(type, version);

  // null, "" and [] (§2.4 „null-Werte und leere Listen“) — handled before the schema so they are reported once.
  const forSchema: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(value)) {
    if (v === null) {
      if (requiredNames.has(name))
        sink.findings.push(
          finding(
            'null',
            'error',
            at(ctx, `.${name}`),
            `Die Pflichteigenschaft „${name}“ darf nicht null sein.`,
            S_NULL(version),
          ),
        );
      else
        sink.findings.push(
          finding(
            'null',
            'warning',
            at(ctx, `.${name}`),
            `„${name}“ hat den Wert null; Eigenschaften ohne Daten sollten weggelassen werden.`,
            S_NULL(version),
          ),
        );
      continue;
    }
    if (!requiredNames.has(name) && (v === '' || (Array.isArray(v) && v.length === 0)))
      sink.findings.push(
        finding(
          'empty',
          'info',
          at(ctx, `.${name}`),
          `„${name}“ ist leer; leere nicht obligatorische Eigenschaften sollten weggelassen werden.`,
          S_NULL(version),
        ),
      );
    forSchema[name] = v;
  }

  // The module's JSON Schema (required properties, property types, formats) run with ajv.
  const validate = validatorFor(type, version, ctx.standalone && !ctx.embedded, deleted);
  if (!validate(forSchema)) {
    for (const e of validate.errors ?? []) {
      const f = fromAjv(e, forSchema, ctx, type, version, required);
      if (f && !(f.rule === 'oparl.required' && value[e.params.missingProperty as string] === null))
        sink.findings.push(f);
    }
  }

  // Protocol rules in code.
  if (typeof value.id === 'string' && ctx.fetchedFrom && value.id !== ctx.fetchedFrom) {
    sink.findings.push(
      finding(
        'id-url',
        ctx.idMismatchIsError === false ? 'warning' : 'error',
        at(ctx, '.id'),
        `Die id „${value.id}“ ist nicht die URL, unter der das Objekt abgerufen wurde (${ctx.fetchedFrom}).`,
        `OParl ${version} §3.1 „id“, §2.3 URL-Kanonisierung`,
      ),
    );
  }
  if (deleted && ctx.embedded)
    sink.findings.push(
      finding(
        'deleted-embedded',
        'error',
        at(ctx),
        'Ein gelöschtes Objekt (deleted: true) darf nicht intern in einem anderen Objekt ausgegeben werden.',
        S_EMBED(version),
      ),
    );
  if (deleted && ctx.inListWithoutModifiedSince)
    sink.findings.push(
      finding(
        'deleted-in-list',
        'error',
        at(ctx),
        'Gelöschte Objekte dürfen in einer Liste ohne den Filter modified_since nicht ausgegeben werden.',
        S_FILTER(version),
      ),
    );
  for (const [name, v] of Object.entries(value)) {
    const kind = props[name];
    if (!kind) {
      if (!name.includes(':'))
        sink.findings.push(
          finding(
            'unknown-property',
            'warning',
            at(ctx, `.${name}`),
            `„${name}“ ist keine Eigenschaft von oparl:${type}; herstellerspezifische Eigenschaften brauchen ein Präfix („Hersteller:${name}“).`,
            S_VENDOR(version),
          ),
        );
      continue;
    }
    // date-time with an offset but not in the spec's form (Z, fractions): a warning, the hard rule passed.
    if (kind.k === 'dt' && typeof v === 'string' && isOparlDateTime(v) && !isStrictDateTime(v))
      sink.findings.push(
        finding(
          'date-time-form',
          'warning',
          at(ctx, `.${name}`),
          `„${v}“ hat nicht die Form yyyy-mm-ddThh:mm:ss±hh:mm (z. B. 1969-07-21T02:56:00+00:00).`,
          S_DATES(version),
        ),
      );
    if (kind.k === 'e' && isObj(v)) embedded(v, `.${name}`, kind.t);
    if (kind.k === 'ae' && Array.isArray(v))
      v.forEach((item, i) => {
        if (isObj(item)) embedded(item, `.${name}[${i}]`, kind.t);
      });
    if (kind.k === 'r' && typeof v === 'string' && isOparlUrl(v))
      sink.onLink?.(v, kind.t, 'reference', at(ctx, `.${name}`));
    if (kind.k === 'ar' && Array.isArray(v))
      v.forEach((u, i) => {
        if (typeof u === 'string' && isOparlUrl(u)) sink.onLink?.(u, kind.t, 'reference', at(ctx, `.${name}[${i}]`));
      });
    if (kind.k === 'l' && type !== 'Body' && type !== 'System' && typeof v === 'string' && isOparlUrl(v))
      sink.onLink?.(v, kind.t, 'list', at(ctx, `.${name}`));
  }

  // System.oparlVersion: "Wert: `https://schema.oparl.org/1.1/`" (1.0: `https://schema.oparl.org/1.0/`).
  if (
    type === 'System' &&
    typeof value.oparlVersion === 'string' &&
    value.oparlVersion !== `https://schema.oparl.org/${version}/`
  )
    sink.findings.push(
      finding(
        'oparl-version',
        'error',
        at(ctx, '.oparlVersion'),
        `„oparlVersion“ ist „${value.oparlVersion}“, erwartet wird https://schema.oparl.org/${version}/.`,
        S_SCHEMA(version, 'System'),
      ),
    );
  // Location.geojson: "muss … ein vollständiges Feature-Objekt" (schema strings, Location.geojson).
  if (type === 'Location' && isObj(value.geojson) && value.geojson.type !== 'Feature')
    sink.findings.push(
      finding(
        'geojson',
        'error',
        at(ctx, '.geojson'),
        '„geojson“ muss ein vollständiges GeoJSON-Objekt vom Typ „Feature“ sein.',
        S_SCHEMA(version, 'Location'),
      ),
    );
  // Person.locationObject (1.1): "dann muss auch die Eigenschaft location ausgegeben werden und auf das gleiche
  // Location-Objekt verweisen".
  if (type === 'Person' && isObj(value.locationObject)) {
    const locId = value.locationObject.id;
    if (typeof value.location !== 'string' || (typeof locId === 'string' && locId !== value.location))
      sink.findings.push(
        finding(
          'person-location',
          'error',
          at(ctx, '.location'),
          'Wenn „locationObject“ ausgegeben wird, muss „location“ auf dasselbe Location-Objekt verweisen.',
          S_SCHEMA(version, 'Person'),
        ),
      );
  }
  // Meeting.agendaItem: AgendaItem.order "entspricht der Position in Meeting:agendaItem" (1.1).
  if (type === 'Meeting' && version === '1.1' && Array.isArray(value.agendaItem))
    value.agendaItem.forEach((item, i) => {
      if (isObj(item) && typeof item.order === 'number' && item.order !== i)
        sink.findings.push(
          finding(
            'agenda-order',
            'warning',
            at(ctx, `.agendaItem[${i}].order`),
            `„order“ ist ${item.order}, der Tagesordnungspunkt steht aber an Position ${i} von „agendaItem“.`,
            S_SCHEMA(version, 'AgendaItem'),
          ),
        );
    });
  return out;

  function embedded(child: Record<string, unknown>, rel: string, childType: OparlType): void {
    const r = checkObject(
      child,
      {
        base: ctx.base,
        path: `${ctx.path}${rel}`,
        version,
        expectedType: childType,
        standalone: false,
        embedded: true,
      },
      sink,
    );
    // OParl 1.1 §3: "Grundsätzlich muss jedes Objekt unter seiner ID abrufbar sein" — sampled by the crawler.
    if (r.id && isOparlUrl(r.id)) sink.onLink?.(r.id, childType, 'embedded', at(ctx, rel));
  }
}

function fromAjv(
  e: ErrorObject,
  obj: Record<string, unknown>,
  ctx: ObjectContext,
  type: OparlType,
  version: OparlVersion,
  required: { name: string; source: string }[],
): Finding | null {
  const path = jsonPath(e.instancePath);
  const top = e.instancePath.split('/')[1] ?? '';
  const kind = propertiesOf(type, version)[top];
  switch (e.keyword) {
    case 'required': {
      const name = e.params.missingProperty as string;
      const src = required.find((r) => r.name === name)?.source ?? S_SCHEMA(version, type);
      return finding('required', 'error', at(ctx), `Die Pflichteigenschaft „${name}“ von oparl:${type} fehlt.`, src);
    }
    case 'type':
      return finding(
        'property-type',
        'error',
        at(ctx, path),
        `„${path.slice(1)}“ muss ${kind ? (path.includes('[') ? 'ein Element der passenden Art' : KIND_DE[kind.k]) : `vom Typ ${e.params.type}`} sein.`,
        S_SCHEMA(version, type),
      );
    case 'format': {
      const value = String(valueAt(obj, e.instancePath));
      const fmt = e.params.format as string;
      if (fmt === 'oparl-date')
        return finding(
          'date',
          'error',
          at(ctx, path),
          `„${value}“ ist kein Datum der Form yyyy-mm-dd.`,
          S_DATES(version),
        );
      if (fmt === 'oparl-date-time')
        return finding(
          'date-time',
          'error',
          at(ctx, path),
          DATE_TIME_NO_OFFSET.test(value)
            ? `„${value}“ ist ein Zeitpunkt ohne Zeitzonenangabe; verlangt ist yyyy-mm-ddThh:mm:ss±hh:mm.`
            : `„${value}“ ist kein Zeitpunkt der Form yyyy-mm-ddThh:mm:ss±hh:mm.`,
          S_DATES(version),
        );
      return finding('url', 'error', at(ctx, path), `„${value}“ ist keine gültige http(s)-URL.`, S_URLS(version));
    }
    default:
      return finding(
        'schema',
        'error',
        at(ctx, path),
        `Schemaverletzung: ${e.message ?? e.keyword}.`,
        S_SCHEMA(version, type),
      );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One list page (OParl 1.1 §2.5 „Paginierung“)

export interface PageResult {
  items: unknown[];
  next?: string;
  elementsPerPage?: number;
  isLast: boolean;
}

const S_PAGES = (v: OparlVersion) => `OParl ${v} §2.5 Objektlisten und Paginierung, Paginierung`;
/** Above this many objects per page the spec recommends pagination ("Bei Listen mit mehr als 100 Einträgen"). */
export const PAGE_RECOMMENDED_MAX = 100;

export function isListPage(value: unknown): value is Record<string, unknown> {
  return isObj(value) && Array.isArray(value.data) && value.type === undefined;
}

/** Checks the frame of a list page (data, pagination, links); the items are checked by the caller. */
export function checkListPage(value: unknown, pageUrl: string, version: OparlVersion, sink: CheckSink): PageResult {
  const f = (rule: string, sev: Severity, rel: string, msg: string) =>
    sink.findings.push(finding(rule, sev, `${pageUrl} $${rel}`, msg, S_PAGES(version)));
  if (!isObj(value)) {
    f('list-page', 'error', '', 'Eine Listenseite muss ein JSON-Objekt mit „data“, „pagination“ und „links“ sein.');
    return { items: [], isLast: true };
  }
  const items = Array.isArray(value.data) ? value.data : [];
  if (!Array.isArray(value.data)) f('list-page', 'error', '.data', 'Jede Listenseite muss „data“ (Array) enthalten.');
  const pagination = isObj(value.pagination) ? value.pagination : undefined;
  const links = isObj(value.links) ? value.links : undefined;
  if (!pagination) f('list-page', 'error', '.pagination', 'Jede Listenseite muss „pagination“ (Objekt) enthalten.');
  if (!links) f('list-page', 'error', '.links', 'Jede Listenseite muss „links“ (Objekt) enthalten.');
  if (pagination)
    for (const key of ['totalElements', 'elementsPerPage', 'currentPage', 'totalPages']) {
      const n = pagination[key];
      if (n !== undefined && !(Number.isInteger(n) && (n as number) >= 0))
        f('pagination', 'error', `.pagination.${key}`, `„${key}“ muss eine nicht negative ganze Zahl sein.`);
    }
  let next: string | undefined;
  if (links)
    for (const key of ['first', 'prev', 'self', 'next', 'last', 'web']) {
      const u = links[key];
      if (u === undefined) continue;
      if (typeof u !== 'string' || !isOparlUrl(u)) {
        f('url', 'error', `.links.${key}`, `„links.${key}“ muss eine gültige http(s)-URL sein.`);
        continue;
      }
      if (key === 'next') next = u;
    }
  const cur = pagination?.currentPage;
  const total = pagination?.totalPages;
  const byNumbers = typeof cur === 'number' && typeof total === 'number' ? cur >= total : undefined;
  const bySelf =
    links && typeof links.last === 'string' && typeof links.self === 'string' ? links.last === links.self : undefined;
  const isLast = next === undefined;
  if (next === undefined && (byNumbers === false || bySelf === false))
    f(
      'pagination-next',
      'error',
      '.links.next',
      '„links.next“ fehlt, obwohl dies laut „pagination“ bzw. „links.last“ nicht die letzte Listenseite ist.',
    );
  if (items.length > PAGE_RECOMMENDED_MAX)
    f(
      'page-size',
      'warning',
      '.data',
      `Die Listenseite enthält ${items.length} Objekte; bei mehr als ${PAGE_RECOMMENDED_MAX} Einträgen wird Paginierung empfohlen.`,
    );
  const epp = pagination?.elementsPerPage;
  return { items, next, isLast, ...(typeof epp === 'number' ? { elementsPerPage: epp } : {}) };
}

export { isObj };
export const SOURCES = { S_DELETED, S_PAGES, S_JSON, S_FILTER };
export { isOparlType };
