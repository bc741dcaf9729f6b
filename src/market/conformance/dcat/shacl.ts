/**
 * Our own DCAT-AP.de shapes (Turtle under `shapes/`), run with `rdf-validate-shacl` on an `n3` Store, and the
 * mapping of each SHACL validation result to a `Finding`: rule `dcat.<local name of the shape>`, severity from
 * sh:severity, location = focus node + path, the German sh:message, and the section from `kl:source`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DataFactory, Parser, type Quad, Store, type Term } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { ROOT } from '../../../platform/paths.js';
import type { Finding, Severity } from '../types.js';

export const SHAPES_DIR = path.join(ROOT, 'src/market/conformance/dcat/shapes');
/** The shape files that make up the rule set, in load order. */
export const SHAPE_FILES = ['spezifikation.ttl', 'konventionen.ttl'] as const;

export const KL = 'https://kommunallotse.de/def/dcat-ap-de-shapes#';
const SH = 'http://www.w3.org/ns/shacl#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

const PREFIXES: [string, string][] = [
  ['http://www.w3.org/ns/dcat#', 'dcat:'],
  ['http://purl.org/dc/terms/', 'dct:'],
  ['http://dcat-ap.de/def/dcatde/', 'dcatde:'],
  ['http://data.europa.eu/r5r/', 'dcatap:'],
  ['http://xmlns.com/foaf/0.1/', 'foaf:'],
  ['http://www.w3.org/2006/vcard/ns#', 'vcard:'],
  ['http://www.w3.org/ns/adms#', 'adms:'],
  ['http://www.w3.org/1999/02/22-rdf-syntax-ns#', 'rdf:'],
];

export interface ShapeInfo {
  /** `dcat.<local name>` */
  rule: string;
  source?: string;
  message?: string;
  comment?: string;
  severity: Severity;
  /** The path as written in the shape, compacted ("dct:title", "vcard:hasEmail|vcard:hasURL"). */
  path?: string;
}

interface LoadedShapes {
  quads: Quad[];
  info: Map<string, ShapeInfo>;
  hash: string;
}

let loaded: LoadedShapes | undefined;

export function compactIri(iri: string): string {
  for (const [ns, prefix] of PREFIXES) if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
  return `<${iri}>`;
}

function severityOf(term: Term | undefined): Severity {
  if (term?.value === `${SH}Warning`) return 'warning';
  if (term?.value === `${SH}Info`) return 'info';
  return 'error';
}

function literalDe(store: Store, subject: Term, predicate: string): string | undefined {
  const values = store.getObjects(subject, DataFactory.namedNode(predicate), null);
  const de = values.find((v) => v.termType === 'Literal' && (v as { language?: string }).language === 'de');
  return (de ?? values[0])?.value;
}

function listItems(store: Store, head: Term): Term[] {
  const items: Term[] = [];
  let cur: Term = head;
  for (let i = 0; i < 1000 && cur.value !== `${RDF}nil`; i++) {
    const first = store.getObjects(cur, DataFactory.namedNode(`${RDF}first`), null)[0];
    const rest = store.getObjects(cur, DataFactory.namedNode(`${RDF}rest`), null)[0];
    if (!first || !rest) break;
    items.push(first);
    cur = rest;
  }
  return items;
}

function pathLabel(store: Store, p: Term | undefined): string | undefined {
  if (!p) return undefined;
  if (p.termType === 'NamedNode') return compactIri(p.value);
  const alt = store.getObjects(p, DataFactory.namedNode(`${SH}alternativePath`), null)[0];
  if (alt)
    return listItems(store, alt)
      .map((t) => compactIri(t.value))
      .join('|');
  const inv = store.getObjects(p, DataFactory.namedNode(`${SH}inversePath`), null)[0];
  if (inv) return `^${compactIri(inv.value)}`;
  const seq = listItems(store, p);
  return seq.length ? seq.map((t) => compactIri(t.value)).join('/') : undefined;
}

/** Parse the shape files (once per process) and index each named shape's rule id, message and source. */
export function loadShapes(): LoadedShapes {
  if (loaded) return loaded;
  const quads: Quad[] = [];
  const hash = createHash('sha256');
  for (const file of SHAPE_FILES) {
    const text = fs.readFileSync(path.join(SHAPES_DIR, file), 'utf8');
    hash.update(text);
    quads.push(...new Parser({ baseIRI: KL }).parse(text));
  }
  const store = new Store(quads);
  const info = new Map<string, ShapeInfo>();
  const shapeSubjects = new Set<string>();
  for (const q of store.getQuads(null, DataFactory.namedNode(`${SH}path`), null, null))
    shapeSubjects.add(q.subject.value);
  for (const q of store.getQuads(
    null,
    DataFactory.namedNode(`${RDF}type`),
    DataFactory.namedNode(`${SH}NodeShape`),
    null,
  )) {
    shapeSubjects.add(q.subject.value);
  }
  for (const iri of shapeSubjects) {
    if (!iri.startsWith(KL)) continue;
    const node = DataFactory.namedNode(iri);
    info.set(iri, {
      rule: `dcat.${iri.slice(KL.length)}`,
      source: literalDe(store, node, `${KL}source`),
      message: literalDe(store, node, `${SH}message`),
      comment: literalDe(store, node, 'http://www.w3.org/2000/01/rdf-schema#comment'),
      severity: severityOf(store.getObjects(node, DataFactory.namedNode(`${SH}severity`), null)[0]),
      path: pathLabel(store, store.getObjects(node, DataFactory.namedNode(`${SH}path`), null)[0]),
    });
  }
  loaded = { quads, info, hash: hash.digest('hex').slice(0, 16) };
  return loaded;
}

/** sha256 (first 16 hex digits) over the shape files: the rule-set hash stored with each check. */
export function rulesetHash(): string {
  return loadShapes().hash;
}

/** The property shapes that carry a message (= the rules), for the docs and the tests. */
export function listRules(): ShapeInfo[] {
  return [...loadShapes().info.values()].filter((s) => s.message).sort((a, b) => a.rule.localeCompare(b.rule));
}

/** "<iri>", or for a blank node the subject and predicate that point to it ("<ds> dcat:contactPoint [ ]"). */
export function nodeLabel(data: Store, node: Term, depth = 0): string {
  if (node.termType === 'NamedNode') return `<${node.value}>`;
  if (node.termType === 'Literal') return JSON.stringify(node.value);
  const ref = depth < 3 ? data.getQuads(null, null, node, null)[0] : undefined;
  if (!ref) return '[ ]';
  return `${nodeLabel(data, ref.subject, depth + 1)} ${compactIri(ref.predicate.value)} [ ]`;
}

/** Run the shapes on `data` and map each result to a Finding. */
export async function runShapes(data: Store): Promise<Finding[]> {
  const shapes = loadShapes();
  const shapeStore = new Store(shapes.quads);
  const validator = new SHACLValidator(shapeStore);
  const report = await validator.validate(data);
  const findings: Finding[] = [];
  // One shape can fail on one value through several constraints (sh:nodeKind and sh:pattern): report it once.
  const seen = new Set<string>();
  for (const r of report.results) {
    const shapeIri = r.sourceShape?.termType === 'NamedNode' ? r.sourceShape.value : undefined;
    const info = shapeIri ? shapes.info.get(shapeIri) : undefined;
    const messages = r.message as Term[];
    const de = messages.find((m) => (m as { language?: string }).language === 'de') ?? messages[0];
    const p = r.path ? pathLabel(shapeStore, r.path as Term) : info?.path;
    const focus = nodeLabel(data, r.focusNode as Term);
    const value = r.value
      ? ` = ${r.value.termType === 'NamedNode' ? `<${r.value.value}>` : JSON.stringify(r.value.value)}`
      : '';
    const rule = info?.rule ?? `dcat.${shapeIri ? shapeIri.split(/[#/]/).pop() : 'shape'}`;
    const location = p ? `${focus} ${p}${value}` : `${focus}${value}`;
    if (seen.has(`${rule} ${location}`)) continue;
    seen.add(`${rule} ${location}`);
    findings.push({
      rule,
      severity: severityOf(r.severity as Term),
      location,
      message: de?.value ?? info?.message ?? 'Verletzung einer DCAT-AP.de-Regel.',
      ...(info?.source ? { source: info.source } : {}),
    });
  }
  return findings;
}
