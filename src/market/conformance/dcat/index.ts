/**
 * The `dcat-ap-de` conformance validator (issue 11): a DCAT-AP.de catalogue or dataset description in Turtle,
 * RDF/XML or JSON-LD, judged as the national portal GovData accepts it — the DCAT-AP.de 2.0 specification plus the
 * GovData Konventionenhandbuch — with our own SHACL shapes (`shapes/*.ttl`) run by `rdf-validate-shacl`.
 * A file that does not parse is `not conformant` with the parser's message; an unreachable URL or a JSON-LD file
 * that needs a remote context is `could not be checked`.
 */
import { DataFactory, Store } from 'n3';
import {
  type Artefact,
  FetchRefused,
  type Finding,
  type Report,
  type Validator,
  type ValidatorOptions,
  verdictOf,
} from '../types.js';
import { detectFormat, FORMAT_LABEL, parseRdf, type RdfFormat } from './parse.js';
import { runShapes } from './shacl.js';

export { detectFormat, parseRdf, sniffFormat } from './parse.js';
export { listRules, loadShapes, rulesetHash, runShapes } from './shacl.js';

export const DCAT_VALIDATOR_VERSION =
  'kommunallotse-dcat-ap-de/1.0.0 (DCAT-AP.de 2.0, GovData-Konventionenhandbuch 2.0)';

const DCAT = 'http://www.w3.org/ns/dcat#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const SYNTAX_SOURCE: Record<RdfFormat, string> = {
  turtle: 'W3C RDF 1.1 Turtle; DCAT-AP.de 2.0 Spezifikation, Serialisierungen',
  rdfxml: 'W3C RDF 1.1 XML Syntax; DCAT-AP.de 2.0 Spezifikation, Serialisierungen',
  jsonld: 'W3C JSON-LD 1.1; DCAT-AP.de 2.0 Spezifikation, Serialisierungen',
};

function base(input: string): Omit<Report, 'verdict' | 'findings'> {
  return { input, standard: 'dcat-ap-de', validatorVersion: DCAT_VALIDATOR_VERSION, standardVersion: '2.0' };
}

function cannotCheck(input: string, reason: string, findings: Finding[] = []): Report {
  return { ...base(input), verdict: 'could not be checked', reason, findings };
}

function countOf(store: Store, cls: string): number {
  return store.getSubjects(DataFactory.namedNode(RDF_TYPE), DataFactory.namedNode(DCAT + cls), null).length;
}

/** Check already-read bytes (a file or a fetched body) as DCAT-AP.de. */
export async function checkDcatBytes(
  input: string,
  bytes: Uint8Array,
  mediaType?: string,
  baseIRI?: string,
): Promise<Report> {
  const text = new TextDecoder('utf-8').decode(bytes);
  const format = detectFormat(input, text, mediaType);
  const iri = baseIRI ?? (/^https?:\/\//.test(input) ? input : `file:///${encodeURIComponent(input)}`);
  const parsed = await parseRdf(text, format, iri);
  if (!parsed.ok && parsed.kind === 'remote-context') {
    const reason = `Die JSON-LD-Datei verweist auf einen entfernten Kontext (${parsed.url}); der Validator lädt keine entfernten Kontexte. Bitte den Kontext in die Datei einbetten.`;
    return cannotCheck(input, reason, [
      {
        rule: 'dcat.jsonld-remote-context',
        severity: 'warning',
        location: parsed.url,
        message: reason,
        source: SYNTAX_SOURCE.jsonld,
      },
    ]);
  }
  if (!parsed.ok) {
    const findings: Finding[] = [
      {
        rule: 'dcat.parse',
        severity: 'error',
        location: parsed.line ? `${input}:${parsed.line}` : input,
        message: `Die Datei lässt sich nicht als ${FORMAT_LABEL[format]} lesen: ${parsed.message}`,
        source: SYNTAX_SOURCE[format],
      },
    ];
    return {
      ...base(input),
      verdict: 'not conformant',
      findings,
      stats: { triples: 0, datasets: 0, distributions: 0 },
    };
  }
  const store = new Store(parsed.quads);
  const stats = {
    triples: store.size,
    datasets: countOf(store, 'Dataset'),
    distributions: countOf(store, 'Distribution'),
  };
  const findings: Finding[] = [];
  if (countOf(store, 'Catalog') + stats.datasets + countOf(store, 'DataService') === 0) {
    findings.push({
      rule: 'dcat.no-dcat-resource',
      severity: 'error',
      location: input,
      message:
        'Die Datei beschreibt weder einen Katalog (dcat:Catalog) noch einen Datensatz (dcat:Dataset) noch einen Datenservice (dcat:DataService); es gibt nichts nach DCAT-AP.de zu prüfen.',
      source: 'DCAT-AP.de 2.0 Spezifikation, Klassen Katalog, Datensatz und Datenservice',
    });
  }
  findings.push(...(await runShapes(store)));
  return { ...base(input), verdict: verdictOf(findings), findings, stats };
}

async function check(artefact: Artefact, options: ValidatorOptions): Promise<Report> {
  if (artefact.kind === 'bytes') return checkDcatBytes(artefact.name, artefact.bytes, artefact.mediaType);
  if (artefact.kind === 'folder') {
    return cannotCheck(artefact.path, 'DCAT-AP.de wird als einzelne Datei oder URL geprüft, nicht als Ordner.');
  }
  let fetched: Awaited<ReturnType<ValidatorOptions['fetch']>>;
  try {
    fetched = await options.fetch(artefact.url);
  } catch (err) {
    if (err instanceof FetchRefused)
      return cannotCheck(artefact.url, `Abruf nicht möglich (${err.code}): ${err.message}`);
    return cannotCheck(artefact.url, `Abruf nicht möglich: ${(err as Error).message}`);
  }
  if (fetched.status < 200 || fetched.status >= 300) {
    return cannotCheck(artefact.url, `Der Server antwortete mit HTTP-Status ${fetched.status}.`);
  }
  const contentType = Object.entries(fetched.headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const report = await checkDcatBytes(artefact.url, fetched.bytes, contentType, fetched.url);
  return report;
}

export const dcatValidator: Validator = {
  standard: 'dcat-ap-de',
  validatorVersion: DCAT_VALIDATOR_VERSION,
  check,
};
