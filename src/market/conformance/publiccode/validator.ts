/**
 * The `publiccode` conformance validator: a publiccode.yml file (bytes, URL or a folder holding one) judged against
 * the release it declares in `publiccodeYmlVersion`. Engines: `yaml` (YAML 1.2 parsing), `ajv` + `ajv-formats`
 * (our JSON Schema per release, schema.ts); the rules JSON Schema cannot say are in code below, each citing the
 * section of the standard (publiccodeyml/publiccode.yml, `docs/standard/`).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isMap, LineCounter, parseDocument } from 'yaml';
import {
  type Artefact,
  FetchRefused,
  type Finding,
  type Report,
  type Validator,
  type ValidatorOptions,
  verdictOf,
} from '../types.js';
import { isBcp47 } from './bcp47.js';
import { type JsonSchema, schemaFor } from './schema.js';
import { parseSpdxExpression } from './spdx.js';
import { resolveVersion, type VersionRules } from './versions.js';
import { CATEGORIES, ISO_3166_ALPHA2, SCOPES, SUPPORT_ALIASES } from './vocab.js';

export const PUBLICCODE_VALIDATOR_VERSION = 'kommunallotse-publiccode/1.0.0 (publiccode.yml 0.2–0.7.0)';

const addFormats = addFormatsModule as unknown as (ajv: Ajv, formats: string[]) => Ajv;

const ajv = new Ajv({ allErrors: true, verbose: true, strict: false });
addFormats(ajv, ['date', 'uri', 'email']);
ajv.addFormat('http-url', (s: string) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
});
ajv.addFormat('bcp47', isBcp47);

const compiled = new Map<string, { schema: JsonSchema; validate: ValidateFunction }>();
function compiledFor(r: VersionRules): { schema: JsonSchema; validate: ValidateFunction } {
  let c = compiled.get(r.version);
  if (!c) {
    const schema = schemaFor(r);
    c = { schema, validate: ajv.compile(schema) };
    compiled.set(r.version, c);
  }
  return c;
}

type Json = unknown;
type Obj = Record<string, Json>;
const isObj = (v: Json): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: Json): v is string => typeof v === 'string';

/** `$.a.b[0]` from ajv's `/a/b/0`; keys that are not identifiers are quoted (`$.description['it-IT']`). */
export function jsonPath(segments: readonly (string | number)[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number' || /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) out += `.${s}`;
    else out += `['${s.replace(/'/g, "\\'")}']`;
  }
  return out;
}
const pointerSegments = (p: string): string[] =>
  p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));

const TYPE_DE: Record<string, string> = {
  string: 'Zeichenkette',
  boolean: 'Wahrheitswert (true/false)',
  object: 'Abschnitt (Zuordnung)',
  array: 'Liste',
  number: 'Zahl',
};
const typeOf = (v: Json): string =>
  v === null ? 'null' : Array.isArray(v) ? 'Liste' : (TYPE_DE[typeof v] ?? typeof v);

const src = (r: VersionRules, section: string): string => `publiccode.yml ${r.version}, ${section}`;

function mapAjvError(e: ErrorObject, r: VersionRules): Finding | undefined {
  const segs = pointerSegments(e.instancePath);
  const parent = e.parentSchema as JsonSchema | undefined;
  const section = (parent?.description as string | undefined) ?? 'schema.core';
  const at = jsonPath(segs);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      const props = parent?.properties as Record<string, JsonSchema> | undefined;
      const sec = (props?.[missing]?.description as string | undefined) ?? section;
      return {
        rule: 'publiccode.required',
        severity: 'error',
        location: jsonPath([...segs, missing]),
        message: `Der Pflichtschlüssel „${missing}“ fehlt (Pflicht in publiccode.yml ${r.version}).`,
        source: src(r, sec),
      };
    }
    case 'type': {
      const wanted = String((e.params as { type: string | string[] }).type).split(',');
      const want = wanted.map((w) => TYPE_DE[w] ?? w).join(' oder ');
      return {
        rule: 'publiccode.type',
        severity: 'error',
        location: at,
        message: `Der Wert muss vom Typ ${want} sein, gefunden: ${typeOf(e.data)}.`,
        source: src(r, section),
      };
    }
    case 'enum': {
      const allowed = (e.params as { allowedValues: string[] }).allowedValues;
      return {
        rule: 'publiccode.enum',
        severity: 'error',
        location: at,
        message: `„${String(e.data)}“ ist kein zulässiger Wert; erlaubt sind: ${allowed.join(', ')}.`,
        source: src(r, section),
      };
    }
    case 'format': {
      const format = (e.params as { format: string }).format;
      if (e.propertyName !== undefined || format === 'bcp47') {
        const where = e.propertyName !== undefined ? jsonPath([...segs, e.propertyName]) : at;
        const value = e.propertyName ?? String(e.data);
        return {
          rule: 'publiccode.language-tag',
          severity: 'error',
          location: where,
          message: `„${value}“ ist kein gültiges Sprachkennzeichen nach BCP 47 (z. B. „de“, „en“, „it-IT“).`,
          source: src(r, section),
        };
      }
      const [rule, what] =
        format === 'date'
          ? ['publiccode.date', 'kein gültiges Datum im Format JJJJ-MM-TT (ISO 8601)']
          : format === 'email'
            ? ['publiccode.email', 'keine gültige E-Mail-Adresse']
            : format === 'http-url'
              ? ['publiccode.url', 'keine absolute http(s)-URL']
              : ['publiccode.url', 'keine absolute URL bzw. URI'];
      return {
        rule: rule!,
        severity: 'error',
        location: at,
        message: `„${String(e.data)}“ ist ${what}.`,
        source: src(r, format === 'date' ? `${section}; schema.core § Dates` : section),
      };
    }
    case 'maxLength':
    case 'minLength': {
      const limit = (e.params as { limit: number }).limit;
      const len = [...String(e.data)].length;
      if (e.keyword === 'minLength' && limit === 1)
        return {
          rule: 'publiccode.empty',
          severity: 'error',
          location: at,
          message: 'Der Wert darf nicht leer sein.',
          source: src(r, section),
        };
      return {
        rule: 'publiccode.length',
        severity: 'error',
        location: at,
        message:
          e.keyword === 'maxLength'
            ? `Der Text hat ${len} Zeichen, erlaubt sind höchstens ${limit}.`
            : `Der Text hat ${len} Zeichen, verlangt sind mindestens ${limit}.`,
        source: src(r, section),
      };
    }
    case 'minItems':
    case 'minProperties':
      return {
        rule: 'publiccode.empty',
        severity: 'error',
        location: at,
        message: 'Die Liste bzw. der Abschnitt darf nicht leer sein.',
        source: src(r, section),
      };
    case 'pattern':
      return {
        rule: segs.includes('codiceIPA') ? 'publiccode.it-ipa' : 'publiccode.media-type',
        severity: 'error',
        location: at,
        message: segs.includes('codiceIPA')
          ? `„${String(e.data)}“ ist kein Code im Format des IPA-Verzeichnisses (Buchstaben, Ziffern, Unterstrich).`
          : `„${String(e.data)}“ ist kein Medientyp nach RFC 6838 (z. B. „text/plain“).`,
        source: src(r, section),
      };
    default:
      return {
        rule: 'publiccode.schema',
        severity: 'error',
        location: at,
        message: `Der Wert verletzt die Regel „${e.keyword}“ des Schemas.`,
        source: src(r, section),
      };
  }
}

/** Keys the release does not define → warning (the standard defines no other keys; parsers may ignore them). */
function unknownKeys(schema: JsonSchema, data: Json, segs: (string | number)[], r: VersionRules, out: Finding[]): void {
  if (Array.isArray(data)) {
    const items = schema.items as JsonSchema | undefined;
    if (items)
      data.forEach((d, i) => {
        unknownKeys(items, d, [...segs, i], r, out);
      });
    return;
  }
  if (!isObj(data)) return;
  const props = schema.properties as Record<string, JsonSchema> | undefined;
  const additional = schema.additionalProperties as JsonSchema | undefined;
  for (const [k, v] of Object.entries(data)) {
    const sub = props?.[k] ?? additional;
    if (sub) {
      unknownKeys(sub, v, [...segs, k], r, out);
      continue;
    }
    if (!props) continue;
    if (segs.length === 0 && /^[A-Za-z]{2}$/.test(k)) continue; // country sections: countrySections()
    out.push({
      rule: 'publiccode.unknown-key',
      severity: 'warning',
      location: jsonPath([...segs, k]),
      message: `Der Schlüssel „${k}“ ist in publiccode.yml ${r.version} an dieser Stelle nicht definiert und wird ignoriert.`,
      source: src(r, (schema.description as string | undefined) ?? 'schema.core'),
    });
  }
}

function semanticRules(doc: Obj, r: VersionRules, out: Finding[]): void {
  const add = (rule: string, severity: Finding['severity'], location: string, message: string, section: string) =>
    out.push({ rule, severity, location, message, source: src(r, section) });

  // Controlled list of categories of this release (schema.core § Key `categories`, categories-list).
  if (Array.isArray(doc.categories)) {
    const list = CATEGORIES[r.categories];
    doc.categories.forEach((c, i) => {
      if (isStr(c) && !list.has(c))
        add(
          'publiccode.category',
          'error',
          jsonPath(['categories', i]),
          `„${c}“ steht nicht in der Kategorienliste von publiccode.yml ${r.version}.`,
          'categories-list § Valid categories',
        );
    });
  }

  const ia = doc.intendedAudience;
  if (isObj(ia)) {
    if (Array.isArray(ia.scope))
      ia.scope.forEach((s, i) => {
        if (isStr(s) && !SCOPES.has(s))
          add(
            'publiccode.scope',
            'error',
            jsonPath(['intendedAudience', 'scope', i]),
            `„${s}“ steht nicht in der Liste der Anwendungsbereiche (scope-list).`,
            'scope-list § Valid Tags',
          );
      });
    for (const k of ['countries', 'unsupportedCountries'] as const) {
      const list = ia[k];
      if (!Array.isArray(list)) continue;
      list.forEach((c, i) => {
        if (!isStr(c)) return;
        const loc = jsonPath(['intendedAudience', k, i]);
        const section = `schema.core § Key \`intendedAudience/${k}\``;
        if (!/^[A-Za-z]{2}$/.test(c) || !ISO_3166_ALPHA2.has(c.toUpperCase()))
          add('publiccode.country-code', 'error', loc, `„${c}“ ist kein Ländercode nach ISO 3166-1 alpha-2.`, section);
        else if (!r.upperCaseCountries && c !== c.toLowerCase())
          add(
            'publiccode.country-code',
            'error',
            loc,
            `In publiccode.yml ${r.version} stehen Ländercodes in Kleinbuchstaben („${c.toLowerCase()}“).`,
            section,
          );
        else if (r.upperCaseCountries && c !== c.toUpperCase())
          add(
            'publiccode.deprecated',
            'warning',
            loc,
            `Ländercodes in Kleinbuchstaben sind veraltet; besser „${c.toUpperCase()}“.`,
            section,
          );
      });
    }
  }

  // description: longDescription and features "mandatory (for at least one language)".
  if (isObj(doc.description) && Object.keys(doc.description).length > 0) {
    const langs = Object.values(doc.description).filter(isObj);
    for (const k of ['longDescription', 'features'] as const) {
      if (langs.length > 0 && !langs.some((l) => l[k] !== undefined))
        add(
          'publiccode.required',
          'error',
          jsonPath(['description', Object.keys(doc.description)[0]!, k]),
          `„${k}“ fehlt in allen Sprachen; mindestens eine Sprache muss den Schlüssel enthalten.`,
          `schema.core § Key \`description/[lang]/${k}\``,
        );
    }
  }

  // legal/license: a valid SPDX expression (schema.core § Key `legal/license`).
  if (isObj(doc.legal) && isStr(doc.legal.license)) {
    const res = parseSpdxExpression(doc.legal.license);
    const section = 'schema.core § Key `legal/license`';
    if (!res.ok)
      add(
        'publiccode.licence-spdx',
        'error',
        '$.legal.license',
        `„${doc.legal.license}“ ist kein gültiger SPDX-Lizenzausdruck: ${res.error}`,
        section,
      );
    for (const d of res.deprecated)
      add(
        'publiccode.licence-deprecated',
        'warning',
        '$.legal.license',
        `Die SPDX-Kennung „${d}“ ist veraltet (SPDX License List); eindeutiger ist z. B. „${d}-only“ oder „${d}-or-later“.`,
        section,
      );
  }

  // maintenance: contractors iff contract; contacts for internal/community.
  if (isObj(doc.maintenance) && isStr(doc.maintenance.type)) {
    const m = doc.maintenance;
    const has = (k: string) => Array.isArray(m[k]) && (m[k] as unknown[]).length > 0;
    if (m.type === 'contract' && !has('contractors'))
      add(
        'publiccode.maintenance-contractors',
        'error',
        '$.maintenance.contractors',
        'Bei Wartung „contract“ muss mindestens ein Auftragnehmer (contractors) angegeben sein.',
        'schema.core § Key `maintenance/contractors`',
      );
    if (m.type !== 'contract' && m.contractors !== undefined)
      add(
        'publiccode.maintenance-contractors',
        'error',
        '$.maintenance.contractors',
        `„contractors“ darf nur bei Wartung „contract“ stehen, nicht bei „${m.type}“.`,
        'schema.core § Key `maintenance/contractors`',
      );
    if ((m.type === 'internal' || m.type === 'community') && !has('contacts'))
      add(
        'publiccode.maintenance-contacts',
        'error',
        '$.maintenance.contacts',
        `Bei Wartung „${m.type}“ muss mindestens eine Kontaktperson (contacts) angegeben sein.`,
        'schema.core § Key `maintenance/contacts`',
      );
  }

  // logo formats: SVG, SVGZ, PNG (schema.core § Key `logo`) — a recommendation, hence a warning.
  for (const k of ['logo', 'monochromeLogo'] as const) {
    const v = doc[k];
    if (isStr(v) && !/\.(svg|svgz|png)$/i.test(v.split(/[?#]/)[0]!))
      add(
        'publiccode.logo-format',
        'warning',
        jsonPath([k]),
        `Das Logo sollte als SVG, SVGZ oder PNG vorliegen („${v}“).`,
        `schema.core § Key \`${k}\``,
      );
  }

  // supports (v0.7.0): alias:<name> must be in the list of aliases.
  if (r.supports && Array.isArray(doc.supports))
    doc.supports.forEach((s, i) => {
      if (isObj(s) && isStr(s.id) && s.id.startsWith('alias:') && !(s.id.slice(6) in SUPPORT_ALIASES))
        add(
          'publiccode.alias',
          'error',
          jsonPath(['supports', i, 'id']),
          `„${s.id}“ steht nicht in der Liste der Aliasse (${Object.keys(SUPPORT_ALIASES).join(', ')}).`,
          'aliases-list; schema.core § Key `supports`',
        );
    });

  countrySections(doc, r, add);
  deprecatedKeys(doc, r, add);
}

type Add = (rule: string, severity: Finding['severity'], location: string, message: string, section: string) => void;

function countrySections(doc: Obj, r: VersionRules, add: Add): void {
  const sections = Object.keys(doc).filter((k) => /^[A-Za-z]{2}$/.test(k));
  if (sections.includes('it') && sections.includes('IT'))
    add(
      'publiccode.country-section',
      'error',
      '$.IT',
      'Der italienische Abschnitt steht doppelt („it“ und „IT“); erlaubt ist einer.',
      'country § Country-specific sections',
    );
  for (const k of sections) {
    const loc = jsonPath([k]);
    if (k.toLowerCase() !== 'it') {
      add(
        'publiccode.country-section',
        'warning',
        loc,
        `Für „${k}“ definiert publiccode.yml ${r.version} keinen Länderabschnitt; er wird ignoriert.`,
        'country § Country-specific sections',
      );
      continue;
    }
    if (k === 'IT' && !r.upperCaseCountries) {
      add(
        'publiccode.country-section',
        'error',
        loc,
        `In publiccode.yml ${r.version} heißt der italienische Abschnitt „it“ (Kleinbuchstaben).`,
        'country § Country-specific sections',
      );
      continue;
    }
    if (k === 'it' && r.upperCaseCountries)
      add(
        'publiccode.deprecated',
        'warning',
        loc,
        'Der Abschnitt „it“ in Kleinbuchstaben ist veraltet; besser „IT“.',
        'country § Country-specific sections',
      );
    if (r.countrySectionsDeprecated)
      add(
        'publiccode.deprecated',
        'warning',
        loc,
        'Länderabschnitte sind veraltet und entfallen mit publiccode.yml 1.0; stattdessen „supports“ und „organisation“ verwenden.',
        'country § Country-specific sections (deprecated); schema.it § Italy',
      );
    const it = doc[k];
    if (isObj(it) && isStr(it.countryExtensionVersion) && !r.itExtensionVersions.includes(it.countryExtensionVersion))
      add(
        'publiccode.enum',
        'error',
        jsonPath([k, 'countryExtensionVersion']),
        `„${it.countryExtensionVersion}“ ist keine Version der italienischen Erweiterung; erlaubt: ${r.itExtensionVersions.join(', ')}.`,
        'schema.it § Key `countryExtensionVersion`',
      );
  }
}

function deprecatedKeys(doc: Obj, r: VersionRules, add: Add): void {
  const get = (v: Json, segs: string[]): Json => segs.reduce<Json>((o, s) => (isObj(o) ? o[s] : undefined), v);
  for (const p of r.deprecatedKeys) {
    const segs = p.split('.');
    const roots: (string | undefined)[] = segs[0] === 'IT' ? ['IT', 'it'] : [undefined];
    for (const root of roots) {
      const rest = root ? segs.slice(1) : segs;
      const base: Obj | undefined = root ? (isObj(doc[root]) ? (doc[root] as Obj) : undefined) : doc;
      if (!base) continue;
      const langIdx = rest.indexOf('[lang]');
      const hits: (string | number)[][] = [];
      if (langIdx >= 0) {
        const d = get(base, rest.slice(0, langIdx));
        if (isObj(d))
          for (const l of Object.keys(d))
            if (get(d[l], rest.slice(langIdx + 1)) !== undefined)
              hits.push([...rest.slice(0, langIdx), l, ...rest.slice(langIdx + 1)]);
      } else if (get(base, rest) !== undefined) hits.push(rest);
      for (const h of hits)
        add(
          'publiccode.deprecated',
          'warning',
          jsonPath(root ? [root, ...h] : h),
          `Der Schlüssel „${p.replace(/^IT\./, '').replace(/\./g, '/')}“ ist in publiccode.yml ${r.version} veraltet.`,
          p.startsWith('IT.')
            ? `schema.it § ${p.slice(3).replace(/\./g, '/')} (deprecated)`
            : `schema.core § Key \`${p.replace(/\./g, '/')}\` (deprecated)`,
        );
    }
  }
}

/** Judges publiccode.yml text (already decoded) against the release it declares. */
export function checkPubliccodeText(text: string, input: string): Report {
  const findings: Finding[] = [];
  const report = (extra: Partial<Report> = {}): Report => ({
    input,
    standard: 'publiccode',
    verdict: verdictOf(findings),
    findings,
    validatorVersion: PUBLICCODE_VALIDATOR_VERSION,
    ...extra,
  });

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors.slice(0, 20)) {
      const pos = lineCounter.linePos(e.pos[0]);
      findings.push({
        rule: 'publiccode.yaml-syntax',
        severity: 'error',
        location: `Zeile ${pos.line}, Spalte ${pos.col}`,
        message: `Die Datei ist kein gültiges YAML: ${e.message.split('\n')[0]}`,
        source: 'schema.core § Encoding (YAML 1.2)',
      });
    }
    return report();
  }
  if (!isMap(doc.contents)) {
    findings.push({
      rule: 'publiccode.document',
      severity: 'error',
      location: '$',
      message: 'Die Datei muss eine YAML-Zuordnung mit den Schlüsseln von publiccode.yml enthalten.',
      source: 'schema.core § Top-Level Keys and Sections',
    });
    return report();
  }
  const data = normaliseDates(doc.toJS({ maxAliasCount: 100 })) as Obj;

  const declared = data.publiccodeYmlVersion;
  if (declared === undefined || declared === null) {
    findings.push({
      rule: 'publiccode.version-missing',
      severity: 'error',
      location: '$.publiccodeYmlVersion',
      message:
        'Der Pflichtschlüssel „publiccodeYmlVersion“ fehlt; ohne ihn lässt sich die Datei keiner Version zuordnen.',
      source: 'schema.core § Key `publiccodeYmlVersion`',
    });
    return report();
  }
  const r = resolveVersion(String(declared));
  if (!r) {
    findings.push({
      rule: 'publiccode.version-unknown',
      severity: 'error',
      location: '$.publiccodeYmlVersion',
      message: `„${String(declared)}“ ist keine veröffentlichte Version von publiccode.yml (bekannt: 0.2 bis 0.7.0, „0“ = neueste 0.x).`,
      source: 'schema.core § Key `publiccodeYmlVersion`',
    });
    return report();
  }

  if (doc.directives?.yaml.explicit && doc.directives.yaml.version === '1.1')
    findings.push({
      rule: 'publiccode.deprecated',
      severity: 'warning',
      location: '%YAML',
      message: 'YAML 1.1 ist für publiccode.yml veraltet; die Datei sollte ein YAML-1.2-Dokument sein.',
      source: src(r, 'schema.core § Encoding'),
    });

  const { schema, validate } = compiledFor(r);
  if (!validate(data))
    for (const e of validate.errors ?? []) {
      if (e.keyword === 'propertyNames') continue; // its format error names the key itself
      const f = mapAjvError(e, r);
      if (f) findings.push(f);
    }
  unknownKeys(schema, data, [], r, findings);
  semanticRules(data, r, findings);

  const description = isObj(data.description) ? Object.keys(data.description).length : 0;
  return report({ standardVersion: r.version, stats: { keys: Object.keys(data).length, languages: description } });
}

/** YAML 1.1 timestamps (only with a `%YAML 1.1` directive) come back as Date: judge them as the text they were. */
function normaliseDates(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (Array.isArray(v)) return v.map(normaliseDates);
  if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normaliseDates(x)]));
  return v;
}

/** Offset (from 0) of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629 §4). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    let n = 0;
    let min = 0;
    if (c < 0x80) n = 0;
    else if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) [n, min] = [2, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, min] = [3, 0x10000];
    else return i;
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (let k = 1; k <= n; k++) {
      const t = b[i + k];
      if (t === undefined || (t & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (t & 0x3f);
    }
    if (n >= 2 && (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))) return i;
    i += n + 1;
  }
  return b.length;
}

/** Decodes UTF-8 strictly (schema.core § Encoding: "MUST be a UTF-8 encoded"). */
export function decodePubliccode(bytes: Uint8Array): { text: string } | { finding: Finding } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    const offset = firstInvalidUtf8(bytes);
    return {
      finding: {
        rule: 'publiccode.encoding',
        severity: 'error',
        location: `Byte ${offset}`,
        message: `Die Datei ist nicht UTF-8-kodiert (ungültige Bytefolge ab Byte ${offset}, von 0 an gezählt).`,
        source: 'schema.core § Encoding',
      },
    };
  }
}

/**
 * The one rule by which a browsable file URL becomes its raw URL (nothing else of the URL is used):
 * - `https://github.com/{owner}/{repo}/blob/{ref}/{path}` → `https://raw.githubusercontent.com/{owner}/{repo}/{ref}/{path}`
 * - `https://gitlab.com/{group…}/{project}/-/blob/{ref}/{path}` → the same with `/-/raw/` instead of `/-/blob/`.
 * Any other URL is fetched as given.
 */
export function rawUrlFor(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.protocol !== 'https:' || u.username || u.password || u.port) return url;
  if (u.hostname === 'github.com') {
    const m = /^\/([^/]+)\/([^/]+)\/blob\/(.+)$/.exec(u.pathname);
    if (m) return `https://raw.githubusercontent.com/${m[1]}/${m[2]}/${m[3]}`;
  }
  if (u.hostname === 'gitlab.com') {
    const m = /^(\/.+?)\/-\/blob\/(.+)$/.exec(u.pathname);
    if (m) return `https://gitlab.com${m[1]}/-/raw/${m[2]}`;
  }
  return url;
}

const MAX_BYTES = 1_000_000;

async function readArtefact(
  artefact: Artefact,
  options: ValidatorOptions,
): Promise<{ bytes: Uint8Array; input: string } | { input: string; reason: string }> {
  if (artefact.kind === 'bytes') return { bytes: artefact.bytes, input: artefact.name };
  if (artefact.kind === 'folder') {
    for (const name of ['publiccode.yml', 'publiccode.yaml']) {
      const file = path.join(artefact.path, name);
      try {
        return { bytes: new Uint8Array(await fs.readFile(file)), input: artefact.path };
      } catch {
        // try the next name
      }
    }
    return { input: artefact.path, reason: 'Der Ordner enthält keine Datei publiccode.yml oder publiccode.yaml.' };
  }
  const target = rawUrlFor(artefact.url);
  try {
    const res = await options.fetch(target, { maxBytes: MAX_BYTES });
    if (res.status < 200 || res.status > 299)
      return { input: artefact.url, reason: `Der Abruf von ${target} ergab HTTP ${res.status}.` };
    return { bytes: res.bytes, input: artefact.url };
  } catch (e) {
    if (e instanceof FetchRefused)
      return { input: artefact.url, reason: `Abruf von ${target} nicht möglich: ${e.message}` };
    return { input: artefact.url, reason: `Abruf von ${target} fehlgeschlagen: ${(e as Error).message}` };
  }
}

export const publiccodeValidator: Validator = {
  standard: 'publiccode',
  validatorVersion: PUBLICCODE_VALIDATOR_VERSION,
  async check(artefact, options) {
    const got = await readArtefact(artefact, options);
    if ('reason' in got)
      return {
        input: got.input,
        standard: 'publiccode',
        verdict: 'could not be checked',
        findings: [],
        validatorVersion: PUBLICCODE_VALIDATOR_VERSION,
        reason: got.reason,
      };
    const decoded = decodePubliccode(got.bytes);
    if ('finding' in decoded)
      return {
        input: got.input,
        standard: 'publiccode',
        verdict: 'not conformant',
        findings: [decoded.finding],
        validatorVersion: PUBLICCODE_VALIDATOR_VERSION,
      };
    return checkPubliccodeText(decoded.text, got.input);
  },
};
