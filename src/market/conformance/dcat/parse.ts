/**
 * Reading DCAT-AP.de files into RDF quads with well-kept parsers: `n3` (Turtle, N-Triples, N-Quads),
 * `rdfxml-streaming-parser` (RDF/XML) and `jsonld` (JSON-LD → N-Quads → `n3`). No network: JSON-LD contexts come
 * from the file itself or from the local copies in `KNOWN_CONTEXTS`; any other remote context is refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import jsonld from 'jsonld';
import { DataFactory, Parser, type Quad } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { ROOT } from '../../../platform/paths.js';

export type RdfFormat = 'turtle' | 'rdfxml' | 'jsonld';

export const FORMAT_LABEL: Record<RdfFormat, string> = { turtle: 'Turtle', rdfxml: 'RDF/XML', jsonld: 'JSON-LD' };

const MEDIA_TYPES: Record<string, RdfFormat> = {
  'text/turtle': 'turtle',
  'application/x-turtle': 'turtle',
  'application/n-triples': 'turtle',
  'application/n-quads': 'turtle',
  'text/n3': 'turtle',
  'application/rdf+xml': 'rdfxml',
  'application/xml': 'rdfxml',
  'text/xml': 'rdfxml',
  'application/ld+json': 'jsonld',
  'application/json': 'jsonld',
};

const EXTENSIONS: Record<string, RdfFormat> = {
  '.ttl': 'turtle',
  '.turtle': 'turtle',
  '.nt': 'turtle',
  '.nq': 'turtle',
  '.n3': 'turtle',
  '.rdf': 'rdfxml',
  '.xml': 'rdfxml',
  '.owl': 'rdfxml',
  '.jsonld': 'jsonld',
  '.json': 'jsonld',
};

/** What the content itself looks like: `<?xml`/`<rdf:RDF` → RDF/XML, `{`/`[` → JSON-LD, otherwise Turtle. */
export function sniffFormat(text: string): RdfFormat {
  const head = text.replace(/^\uFEFF/, '').trimStart();
  // An XML declaration, comment, doctype or element start tag; Turtle's `<http://…>` does not match.
  if (/^<(?:\?xml|!--|!DOCTYPE|[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?[\s>/])/.test(head)) return 'rdfxml';
  if (head.startsWith('{') || head.startsWith('[')) return 'jsonld';
  return 'turtle';
}

/**
 * The format of an artefact: the media type when it names an RDF syntax, else the file extension, else the content.
 * Generic types (`application/xml`, `application/json`, `text/plain`, `application/octet-stream`) and a missing or
 * unknown extension fall through to sniffing, so a mislabelled file is still read with the parser that fits.
 */
export function detectFormat(name: string, text: string, mediaType?: string): RdfFormat {
  const mt = mediaType?.split(';')[0]?.trim().toLowerCase();
  const sniffed = sniffFormat(text);
  const specific = mt && mt !== 'application/xml' && mt !== 'text/xml' && mt !== 'application/json';
  if (mt && specific && MEDIA_TYPES[mt]) return MEDIA_TYPES[mt];
  let ext = '';
  try {
    ext = path.extname(name.startsWith('http') ? new URL(name).pathname : name).toLowerCase();
  } catch {
    ext = path.extname(name).toLowerCase();
  }
  const byExt = EXTENSIONS[ext];
  // A ".json"/".xml" name or a generic media type says little; trust the content when it disagrees.
  if (byExt && ext !== '.json' && ext !== '.xml') return byExt;
  if (mt && MEDIA_TYPES[mt] && MEDIA_TYPES[mt] === sniffed) return sniffed;
  return sniffed;
}

export type ParseResult =
  | { ok: true; quads: Quad[] }
  | { ok: false; kind: 'syntax'; message: string; line?: number }
  | { ok: false; kind: 'remote-context'; message: string; url: string };

/** JSON-LD contexts the validator serves from local copies (written for this project, see the file). */
export const KNOWN_CONTEXTS: Record<string, string> = {
  'https://kommunallotse.de/ns/dcat-ap-de/2.0/context.jsonld': 'dcat-ap-de-context.jsonld',
};

const contextCache = new Map<string, unknown>();

function localContext(url: string): unknown | undefined {
  const file = KNOWN_CONTEXTS[url];
  if (!file) return undefined;
  let doc = contextCache.get(url);
  if (!doc) {
    doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'src/market/conformance/dcat/shapes', file), 'utf8'));
    contextCache.set(url, doc);
  }
  return doc;
}

/** Thrown by the document loader for any URL it does not serve locally. */
export class RemoteContextRefused extends Error {
  constructor(readonly url: string) {
    super(`Entfernter JSON-LD-Kontext wird nicht geladen: ${url}`);
    this.name = 'RemoteContextRefused';
  }
}

async function localDocumentLoader(url: string) {
  const document = localContext(url);
  if (document === undefined) throw new RemoteContextRefused(url);
  return { contextUrl: undefined, documentUrl: url, document };
}

function lineOf(message: string): number | undefined {
  const m = /line[: ]+(\d+)/i.exec(message) ?? /^(\d+):\d+:/.exec(message);
  return m ? Number(m[1]) : undefined;
}

function parseTurtle(text: string, baseIRI: string): ParseResult {
  try {
    const quads = new Parser({ baseIRI }).parse(text);
    return { ok: true, quads };
  } catch (err) {
    const e = err as Error & { context?: { line?: number } };
    const line = e.context?.line ?? lineOf(e.message);
    return { ok: false, kind: 'syntax', message: e.message, line };
  }
}

function parseRdfXml(text: string, baseIRI: string): Promise<ParseResult> {
  return new Promise((resolve) => {
    const quads: Quad[] = [];
    const parser = new RdfXmlParser({ baseIRI, dataFactory: DataFactory });
    let done = false;
    parser.on('data', (q: Quad) => quads.push(q));
    parser.on('error', (err: Error) => {
      if (done) return;
      done = true;
      resolve({ ok: false, kind: 'syntax', message: err.message, line: lineOf(err.message) });
    });
    parser.on('end', () => {
      if (done) return;
      done = true;
      resolve({ ok: true, quads });
    });
    parser.end(text);
  });
}

async function parseJsonLd(text: string, baseIRI: string): Promise<ParseResult> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    // Node's message carries a byte position; turn it into a line.
    const pos = /position (\d+)/.exec(message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    return { ok: false, kind: 'syntax', message, line };
  }
  try {
    const nquads = (await jsonld.toRDF(doc as jsonld.JsonLdDocument, {
      format: 'application/n-quads',
      base: baseIRI,
      documentLoader: localDocumentLoader as never,
    })) as unknown as string;
    const quads = new Parser({ format: 'application/n-quads' }).parse(nquads);
    return { ok: true, quads };
  } catch (err) {
    const refused = findRefusal(err);
    if (refused) return { ok: false, kind: 'remote-context', message: refused.message, url: refused.url };
    const e = err as Error & { details?: { cause?: Error } };
    return { ok: false, kind: 'syntax', message: e.details?.cause?.message ?? e.message };
  }
}

/** jsonld wraps loader errors (`jsonld.InvalidUrl` with `details.cause`); find ours inside. */
function findRefusal(err: unknown): RemoteContextRefused | undefined {
  let cur: unknown = err;
  for (let i = 0; i < 5 && cur; i++) {
    if (cur instanceof RemoteContextRefused) return cur;
    const c = cur as { details?: { cause?: unknown }; cause?: unknown };
    cur = c.details?.cause ?? c.cause;
  }
  return undefined;
}

/** Parse `text` in `format`; every quad ends up in the default graph (SHACL validates one data graph). */
export async function parseRdf(text: string, format: RdfFormat, baseIRI: string): Promise<ParseResult> {
  const result =
    format === 'turtle'
      ? parseTurtle(text, baseIRI)
      : format === 'rdfxml'
        ? await parseRdfXml(text, baseIRI)
        : await parseJsonLd(text, baseIRI);
  if (!result.ok) return result;
  const dg = DataFactory.defaultGraph();
  return {
    ok: true,
    quads: result.quads.map((q) =>
      q.graph.termType === 'DefaultGraph' ? q : DataFactory.quad(q.subject, q.predicate, q.object, dg),
    ),
  };
}
