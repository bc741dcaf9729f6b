/**
 * The DCAT-AP.de validator on small handwritten fixtures (test/fixtures/market/dcat/): each shape once satisfied
 * (valid-catalog.ttl has no finding at all) and once violated (a one-line change of that file), the three syntaxes,
 * parse errors, the JSON-LD context rules and the URL cases with a fake Fetcher.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../../../platform/paths.js';
import { type Fetched, type Fetcher, FetchRefused, type Report } from '../../types.js';
import { checkDcatBytes, dcatValidator, detectFormat, listRules } from '../index.js';

const FIX = path.join(ROOT, 'test/fixtures/market/dcat');
const read = (f: string) => fs.readFileSync(path.join(FIX, f));
const VALID = read('valid-catalog.ttl').toString('utf8');

const noFetch: Fetcher = async () => {
  throw new Error('no network in this test');
};

async function checkText(text: string, name = 'probe.ttl'): Promise<Report> {
  return checkDcatBytes(name, new TextEncoder().encode(text));
}

/** Replace `from` in the valid catalogue (it must occur) by `to`. */
function mutate(from: string, to: string): string {
  assert.ok(VALID.includes(from), `fixture lacks ${from}`);
  return VALID.replace(from, to);
}

const DS = '<https://daten.musterstadt.example/datensatz/haltestellen>';
const DIST = '<https://daten.musterstadt.example/datensatz/haltestellen#csv>';
const CAT = '<https://daten.musterstadt.example/katalog>';

/** rule → [severity, changed Turtle, expected start of the location]. */
const CASES: Record<string, [string, string, string]> = {
  'dcat.catalog-title': ['error', mutate('dct:title "Offene Daten der Musterstadt"@de ;', ''), `${CAT} dct:title`],
  'dcat.catalog-description': ['error', mutate('dct:description "Der Datenkatalog der Musterstadt."@de ;', ''), CAT],
  'dcat.catalog-publisher': [
    'error',
    mutate('dct:publisher <https://musterstadt.example/#stadt> ;\n    dct:license', 'dct:license'),
    CAT,
  ],
  'dcat.catalog-publisher-max': [
    'error',
    mutate(
      'dct:publisher <https://musterstadt.example/#stadt> ;\n    dct:license',
      'dct:publisher <https://musterstadt.example/#stadt> , <https://musterstadt.example/#stadt2> ;\n    dct:license',
    ).concat('\n<https://musterstadt.example/#stadt2> <http://xmlns.com/foaf/0.1/name> "Zweite" .\n'),
    CAT,
  ],
  'dcat.catalog-dataset': [
    'error',
    mutate('dcat:dataset <https://daten.musterstadt.example/datensatz/haltestellen> .', '.'),
    CAT,
  ],
  'dcat.catalog-dataset-class': [
    'error',
    mutate(
      'dcat:dataset <https://daten.musterstadt.example/datensatz/haltestellen> .',
      'dcat:dataset <https://x.example/fehlt> .',
    ),
    `${CAT} dcat:dataset = <https://x.example/fehlt>`,
  ],
  'dcat.catalog-license-iri': [
    'error',
    mutate(
      'dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;\n    dcat:dataset',
      'dct:license "dl-de/by-2-0" ;\n    dcat:dataset',
    ),
    CAT,
  ],
  'dcat.dataset-title': ['error', mutate('dct:title "Haltestellen des Stadtbusses"@de ;', ''), `${DS} dct:title`],
  'dcat.dataset-description': [
    'error',
    mutate(
      'dct:description "Lage und Namen aller Haltestellen des Stadtbusses."@de ;',
      'dct:description <https://x.example/text> ;',
    ),
    DS,
  ],
  'dcat.dataset-publisher-max': [
    'error',
    mutate(
      'dct:publisher <https://musterstadt.example/#stadt> ;\n    dct:issued',
      'dct:publisher <https://musterstadt.example/#stadt> , <https://musterstadt.example/#stadt> , [ <http://xmlns.com/foaf/0.1/name> "B" ] ;\n    dct:issued',
    ),
    DS,
  ],
  'dcat.dataset-publisher-agent': [
    'error',
    mutate(
      'dct:publisher <https://musterstadt.example/#stadt> ;\n    dct:issued',
      'dct:publisher "Stadt Musterstadt" ;\n    dct:issued',
    ),
    `${DS} dct:publisher = "Stadt Musterstadt"`,
  ],
  'dcat.dataset-publisher': [
    'error',
    mutate('dct:publisher <https://musterstadt.example/#stadt> ;\n    dct:issued', 'dct:issued'),
    DS,
  ],
  'dcat.dataset-distribution-class': [
    'error',
    mutate(
      '<https://daten.musterstadt.example/datensatz/haltestellen#csv> a dcat:Distribution ;',
      '<https://daten.musterstadt.example/datensatz/haltestellen#csv>',
    ),
    `${DS} dcat:distribution`,
  ],
  'dcat.dataset-theme-list': [
    'error',
    mutate(
      'dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN>',
      'dcat:theme <https://x.example/thema/verkehr>',
    ),
    DS,
  ],
  'dcat.dataset-contact-point-kind': [
    'error',
    mutate('dcat:contactPoint [', 'dcat:contactPoint "verkehr@musterstadt.example" ; dcat:contactPoint ['),
    DS,
  ],
  'dcat.dataset-accrual-periodicity': [
    'error',
    mutate('<http://publications.europa.eu/resource/authority/frequency/ANNUAL>', '"jährlich"'),
    DS,
  ],
  'dcat.dataset-language': [
    'error',
    mutate(
      '<http://publications.europa.eu/resource/authority/language/DEU>',
      '<http://id.loc.gov/vocabulary/iso639-1/de>',
    ),
    DS,
  ],
  'dcat.dataset-political-geocoding-uri-iri': [
    'error',
    mutate('<http://dcat-ap.de/def/politicalGeocoding/municipalityKey/099999999>', '"099999999"'),
    DS,
  ],
  'dcat.dataset-political-geocoding-uri-list': [
    'warning',
    mutate('<http://dcat-ap.de/def/politicalGeocoding/municipalityKey/099999999>', '<https://x.example/gemeinde/42>'),
    DS,
  ],
  'dcat.dataset-political-geocoding-level': ['warning', mutate('Level/municipality>', 'Level/dorf>'), DS],
  'dcat.dataset-issued-datatype': ['error', mutate('"2024-03-01"^^xsd:date', '"1. März 2024"'), DS],
  'dcat.dataset-modified-datatype': ['error', mutate('"2025-01-15T10:00:00"^^xsd:dateTime', '"2025-01-15"'), DS],
  'dcat.dataset-contributor-id': [
    'error',
    mutate(
      'dcatde:contributorID <http://dcat-ap.de/def/contributors/openDataBund>',
      'dcatde:contributorID "openDataBund"',
    ),
    DS,
  ],
  'dcat.dataset-contributor-id-list': [
    'error',
    mutate('<http://dcat-ap.de/def/contributors/openDataBund>', '<http://dcat-ap.de/def/contributors/musterstadt>'),
    `${DS} dcatde:contributorID`,
  ],
  'dcat.dataset-theme': [
    'warning',
    mutate('dcat:theme <http://publications.europa.eu/resource/authority/data-theme/TRAN> ;', ''),
    DS,
  ],
  'dcat.dataset-keyword': ['warning', mutate('dcat:keyword "ÖPNV"@de , "Haltestellen"@de ;', ''), DS],
  'dcat.dataset-landing-page': [
    'warning',
    mutate('dcat:landingPage <https://daten.musterstadt.example/haltestellen.html> ;', ''),
    DS,
  ],
  'dcat.dataset-issued': ['warning', mutate('dct:issued "2024-03-01"^^xsd:date ;', ''), DS],
  'dcat.dataset-identifier': ['info', mutate('dct:identifier "musterstadt-haltestellen" ;', ''), DS],
  'dcat.dataset-modified': ['info', mutate('dct:modified "2025-01-15T10:00:00"^^xsd:dateTime ;', ''), DS],
  'dcat.dataset-distribution': [
    'info',
    mutate(' ;\n    dcat:distribution <https://daten.musterstadt.example/datensatz/haltestellen#csv> .', ' .'),
    DS,
  ],
  'dcat.contact-point-email-or-url': [
    'error',
    mutate('vcard:hasEmail <mailto:verkehr@musterstadt.example> ]', 'vcard:hasTelephone "+49 0000 0" ]'),
    `${DS} dcat:contactPoint [ ] vcard:hasEmail|vcard:hasURL`,
  ],
  'dcat.distribution-access-url': [
    'error',
    mutate('dcat:accessURL <https://daten.musterstadt.example/haltestellen.csv> ;', ''),
    `${DIST} dcat:accessURL`,
  ],
  'dcat.distribution-download-url': [
    'error',
    mutate(
      'dcat:downloadURL <https://daten.musterstadt.example/haltestellen.csv>',
      'dcat:downloadURL "haltestellen.csv"',
    ),
    DIST,
  ],
  'dcat.distribution-format-max': [
    'error',
    mutate('file-type/CSV>', 'file-type/CSV> , <http://publications.europa.eu/resource/authority/file-type/TSV>'),
    DIST,
  ],
  'dcat.distribution-media-type': [
    'error',
    mutate('<https://www.iana.org/assignments/media-types/text/csv>', '"text/csv"'),
    `${DIST} dcat:mediaType = "text/csv"`,
  ],
  'dcat.distribution-license-max': [
    'error',
    mutate(
      'dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;\n    dct:format',
      'dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> , <http://dcat-ap.de/def/licenses/cc-by/4.0> ;\n    dct:format',
    ),
    DIST,
  ],
  'dcat.distribution-license': [
    'error',
    mutate('dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;\n    dct:format', 'dct:format'),
    `${DIST} dct:license`,
  ],
  'dcat.distribution-license-list': [
    'error',
    mutate(
      'dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> ;\n    dct:format',
      'dct:license <https://creativecommons.org/licenses/by/4.0/> ;\n    dct:format',
    ),
    `${DIST} dct:license = <https://creativecommons.org/licenses/by/4.0/>`,
  ],
  'dcat.distribution-format': [
    'error',
    mutate('<http://publications.europa.eu/resource/authority/file-type/CSV>', '"CSV"'),
    DIST,
  ],
  'dcat.distribution-format-list': [
    'warning',
    mutate('file-type/CSV>', 'file-type/PARQUET>'),
    `${DIST} dct:format = <http://publications.europa.eu/resource/authority/file-type/PARQUET>`,
  ],
  'dcat.distribution-language': [
    'error',
    mutate('dct:title "Haltestellen als CSV"@de ;', 'dct:title "Haltestellen als CSV"@de ; dct:language "de" ;'),
    `${DIST} dct:language = "de"`,
  ],
  'dcat.distribution-title': ['warning', mutate('dct:title "Haltestellen als CSV"@de ;', ''), DIST],
  'dcat.data-service-title': [
    'error',
    mutate('dct:title "Haltestellen-WFS"@de ;', ''),
    '<https://daten.musterstadt.example/dienst/wfs>',
  ],
  'dcat.data-service-endpoint-url': [
    'error',
    mutate(
      'dcat:endpointURL <https://geo.musterstadt.example/wfs>',
      'dcat:endpointURL "https://geo.musterstadt.example/wfs"',
    ),
    '<https://daten.musterstadt.example/dienst/wfs>',
  ],
  'dcat.agent-name': [
    'error',
    mutate('<https://musterstadt.example/#stadt> a foaf:Organization ;\n    foaf:name "Stadt Musterstadt"@de .', ''),
    '<https://musterstadt.example/#stadt> foaf:name',
  ],
};

describe('dcat-ap-de validator: the shapes', () => {
  it('passes the handwritten catalogue without a single finding, and counts its contents', async () => {
    const r = await checkText(VALID, 'valid-catalog.ttl');
    assert.deepEqual(r.findings, []);
    assert.equal(r.verdict, 'conformant');
    assert.equal(r.standard, 'dcat-ap-de');
    assert.equal(r.standardVersion, '2.0');
    assert.deepEqual(r.stats, { triples: 39, datasets: 1, distributions: 1 });
  });

  it('has a violating case for every rule the shape files define', () => {
    const rules = listRules().map((s) => s.rule);
    assert.ok(rules.length >= 40, `only ${rules.length} rules`);
    assert.deepEqual([...rules].sort(), Object.keys(CASES).sort());
  });

  it('every rule carries a German message and the section it comes from', () => {
    for (const s of listRules()) {
      assert.ok(s.source && /DCAT-AP|Konventionenhandbuch/.test(s.source), `${s.rule} lacks a source`);
      assert.match(s.message ?? '', /MUSS|SOLL|DARF|empfohlen|benötigt/, `${s.rule} message`);
      assert.ok(s.comment, `${s.rule} lacks rdfs:comment`);
    }
  });

  it('the docs table lists every rule', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs/conformance/dcat-ap-de.md'), 'utf8');
    for (const s of listRules())
      assert.ok(doc.includes(`| \`${s.rule}\` | ${s.severity} |`), `${s.rule} missing in docs`);
  });

  for (const [rule, [severity, text, location]] of Object.entries(CASES)) {
    it(`${rule}: fires as ${severity} on a file that breaks it`, async () => {
      const r = await checkText(text);
      const hit = r.findings.filter((f) => f.rule === rule);
      assert.ok(hit.length >= 1, `${rule} did not fire; got ${r.findings.map((f) => f.rule).join(', ')}`);
      assert.equal(hit[0]?.severity, severity);
      assert.ok(hit[0]?.location.startsWith(location), `location ${hit[0]?.location}`);
      assert.ok(hit[0]?.source, 'source');
      assert.equal(r.verdict, severity === 'error' ? 'not conformant' : 'conformant');
    });
  }

  it('maps sh:message (German) and kl:source of the shape into the finding', async () => {
    const r = await checkText(CASES['dcat.dataset-publisher']?.[1] ?? '');
    const f = r.findings.find((x) => x.rule === 'dcat.dataset-publisher');
    assert.equal(f?.message, 'K36: dcat:Dataset: dct:publisher (Herausgeber) MUSS angegeben werden.');
    assert.equal(f?.source, 'GovData Konventionenhandbuch DCAT-AP.de 2.0, Konvention 36 (#konvention-36)');
    assert.equal(f?.location, `${DS} dct:publisher`);
  });

  it('a file without any DCAT resource is not conformant', async () => {
    const r = await checkText('<https://x.example/a> <https://x.example/b> "c" .');
    assert.equal(r.verdict, 'not conformant');
    assert.deepEqual(
      r.findings.map((f) => f.rule),
      ['dcat.no-dcat-resource'],
    );
  });
});

describe('dcat-ap-de validator: syntaxes and parse errors', () => {
  it('reads JSON-LD with the local DCAT-AP.de context and with an inline context', async () => {
    const a = await dcatValidator.check(
      { kind: 'bytes', name: 'valid-dataset.jsonld', bytes: read('valid-dataset.jsonld') },
      { fetch: noFetch },
    );
    assert.deepEqual(a.findings, []);
    assert.deepEqual(a.stats, { triples: 23, datasets: 1, distributions: 1 });
    const b = await dcatValidator.check(
      {
        kind: 'bytes',
        name: 'x',
        bytes: read('valid-dataset-inline-context.jsonld'),
        mediaType: 'application/ld+json',
      },
      { fetch: noFetch },
    );
    assert.equal(b.verdict, 'conformant');
    assert.equal(b.findings.filter((f) => f.severity === 'error').length, 0);
    assert.equal(b.stats?.datasets, 1);
  });

  it('reads RDF/XML', async () => {
    const r = await dcatValidator.check(
      { kind: 'bytes', name: 'valid-dataset.rdf', bytes: read('valid-dataset.rdf') },
      { fetch: noFetch },
    );
    assert.equal(r.verdict, 'conformant');
    assert.deepEqual(r.stats, { triples: 11, datasets: 1, distributions: 1 });
  });

  it('refuses a remote JSON-LD context: could not be checked, with the URL, and nothing is fetched', async () => {
    let fetched = 0;
    const counting: Fetcher = async () => {
      fetched++;
      throw new Error('must not be called');
    };
    const r = await dcatValidator.check(
      { kind: 'bytes', name: 'remote-context.jsonld', bytes: read('remote-context.jsonld') },
      { fetch: counting },
    );
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /https:\/\/example\.org\/contexts\/dcat\.jsonld/);
    assert.equal(r.findings[0]?.rule, 'dcat.jsonld-remote-context');
    assert.equal(fetched, 0);
  });

  for (const [file, label, line] of [
    ['broken.ttl', 'Turtle', 5],
    ['broken.rdf', 'RDF/XML', 4],
    ['broken.jsonld', 'JSON-LD', 4],
  ] as const) {
    it(`${file}: not conformant with the ${label} parser's message and line`, async () => {
      const r = await dcatValidator.check({ kind: 'bytes', name: file, bytes: read(file) }, { fetch: noFetch });
      assert.equal(r.verdict, 'not conformant');
      assert.equal(r.findings.length, 1);
      assert.equal(r.findings[0]?.rule, 'dcat.parse');
      assert.equal(r.findings[0]?.location, `${file}:${line}`);
      assert.ok(r.findings[0]?.message.startsWith(`Die Datei lässt sich nicht als ${label} lesen: `));
    });
  }

  it('detects the format from media type, extension and content', () => {
    assert.equal(detectFormat('a.ttl', '<?xml version="1.0"?>', 'text/turtle'), 'turtle');
    assert.equal(detectFormat('a.rdf', '@prefix x: <y> .'), 'rdfxml');
    assert.equal(detectFormat('a.jsonld', '<x> <y> <z> .'), 'jsonld');
    assert.equal(detectFormat('upload', '<rdf:RDF xmlns:rdf="…">'), 'rdfxml');
    assert.equal(detectFormat('upload', '<https://x.example/a> a <https://x.example/B> .'), 'turtle');
    assert.equal(detectFormat('upload', ' \n[{"@id":"x"}]'), 'jsonld');
    assert.equal(detectFormat('catalog.json', '<?xml version="1.0"?><rdf:RDF/>', 'application/json'), 'rdfxml');
    assert.equal(detectFormat('https://x.example/catalog.xml?x=1', '@prefix dcat: <x> .', 'application/xml'), 'turtle');
  });
});

describe('dcat-ap-de validator: URLs through the Fetcher', () => {
  const served = (body: Uint8Array, headers: Record<string, string>, status = 200): Fetcher =>
    (async (url: string): Promise<Fetched> => ({ url, status, headers, bytes: body })) as Fetcher;

  it('checks a fetched catalogue, with the content type from the answer', async () => {
    const r = await dcatValidator.check(
      { kind: 'url', url: 'https://daten.musterstadt.example/catalog' },
      { fetch: served(read('valid-dataset.rdf'), { 'Content-Type': 'application/rdf+xml; charset=utf-8' }) },
    );
    assert.equal(r.verdict, 'conformant');
    assert.equal(r.input, 'https://daten.musterstadt.example/catalog');
    assert.equal(r.stats?.datasets, 1);
  });

  it('FetchRefused → could not be checked with the reason', async () => {
    const refusing: Fetcher = async () => {
      throw new FetchRefused('private-address', 'Adresse 10.0.0.1 ist privat.');
    };
    const r = await dcatValidator.check({ kind: 'url', url: 'https://intern.example/' }, { fetch: refusing });
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /private-address.*10\.0\.0\.1/);
    assert.deepEqual(r.findings, []);
  });

  it('an HTTP error status → could not be checked', async () => {
    const r = await dcatValidator.check(
      { kind: 'url', url: 'https://x.example/c.ttl' },
      { fetch: served(new Uint8Array(), {}, 404) },
    );
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /404/);
  });

  it('a malformed fetched file is not conformant (not "could not be checked")', async () => {
    const r = await dcatValidator.check(
      { kind: 'url', url: 'https://x.example/c.ttl' },
      { fetch: served(read('broken.ttl'), { 'content-type': 'text/turtle' }) },
    );
    assert.equal(r.verdict, 'not conformant');
    assert.equal(r.findings[0]?.rule, 'dcat.parse');
  });

  it('a folder cannot be checked', async () => {
    const r = await dcatValidator.check({ kind: 'folder', path: FIX }, { fetch: noFetch });
    assert.equal(r.verdict, 'could not be checked');
  });
});
