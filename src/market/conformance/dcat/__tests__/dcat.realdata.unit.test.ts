/**
 * The DCAT-AP.de validator on real files in ../shared/data/standards/dcat-ap-de (read there, never copied): the
 * reference examples of DCAT-AP.de 2.0, the 3.0 draft example, the UAG example, and three records harvested by
 * GovData (Destatis, Bremen, Potsdam), each with the verdict we expect and why. Then a comparison with the official
 * DCAT-AP.de 2.0 shapes ("Spezifikation + Konventionen" profile), run with the same engine on the same files.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Parser, type Quad, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { ROOT } from '../../../../platform/paths.js';
import type { Report } from '../../types.js';
import { checkDcatBytes, detectFormat, parseRdf } from '../index.js';

const STD = path.resolve(ROOT, '../shared/data/standards/dcat-ap-de');
const available = fs.existsSync(path.join(STD, 'SOURCE.md'));
if (!available && process.env.CI === 'true') throw new Error(`CI=true but ${STD} is missing`);

const FILES = {
  ttlAdvanced: 'originals/spec-v2.0-examples/dcat_ap_de-RefImp_TTL_ADVANCED.ttl',
  rdfAdvanced: 'originals/spec-v2.0-examples/dcat_ap_de-RefImp_RDF_ADVANCED.rdf',
  jsonldAdvanced: 'originals/spec-v2.0-examples/dcat_ap_de-RefImp_JSONLD_ADVANCED.jsonld',
  ttlSimple: 'originals/spec-v2.0-examples/dcat_ap_de-RefImp_TTL_SIMPLE.ttl',
  rdfSimple: 'originals/spec-v2.0-examples/dcat_ap_de-RefImp_RDF_SIMPLE.rdf',
  jsonldSimple: 'originals/spec-v2.0-examples/dcat_ap_de-RefImp_JSONLD_SIMPLE.jsonld',
  dataService: 'originals/spec-v2.0-examples/ex-23-dataservice.rdf',
  draft3: 'originals/spec-v3.0-draft/DataService.ttl',
  uag: 'originals/uag-2024/2024-02-22_UAG_Beispieldatensatz_v1.ttl',
  destatis: 'originals/real-portal-extracts/destatis-catalog-original-input.rdf',
  bremen: 'originals/real-portal-extracts/bremen-catalog-dataset-extracted.ttl',
  potsdam: 'originals/real-portal-extracts/brandenburg-catalog-dataset-extracted.ttl',
} as const;
type Key = keyof typeof FILES;

const cache = new Map<Key, Report>();
async function check(key: Key): Promise<Report> {
  let r = cache.get(key);
  if (!r) {
    const file = FILES[key];
    r = await checkDcatBytes(path.basename(file), fs.readFileSync(path.join(STD, file)));
    cache.set(key, r);
  }
  return r;
}
const errorRules = (r: Report) =>
  [...new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule))].sort();
const allRules = (r: Report) =>
  r.findings
    .map((f) => `${f.severity} ${f.rule}`)
    .sort()
    .join('\n');

describe('dcat-ap-de on real files', { skip: !available && 'shared data missing' }, () => {
  it('the ADVANCED reference example is conformant, and its three syntaxes give the same findings', async () => {
    const [ttl, rdf, jsonld] = [await check('ttlAdvanced'), await check('rdfAdvanced'), await check('jsonldAdvanced')];
    for (const r of [ttl, rdf, jsonld]) {
      assert.equal(r.verdict, 'conformant', r.input);
      assert.deepEqual(r.stats, { triples: 119, datasets: 2, distributions: 3 });
    }
    // Only recommendations remain (landing page, issued date, identifier and modified date for duplicate detection).
    assert.equal(allRules(rdf), allRules(ttl));
    assert.equal(allRules(jsonld), allRules(ttl));
    assert.deepEqual([...new Set(ttl.findings.map((f) => f.severity))].sort(), ['info', 'warning']);
  });

  it('the SIMPLE reference example lacks only what the Konventionen add: the dataset publisher (K36)', async () => {
    // SIMPLE shows the minimum of the specification, where dct:publisher of a dataset is recommended;
    // GovData's Konvention 36 makes it mandatory, so the file is not conformant as GovData accepts it.
    for (const key of ['ttlSimple', 'rdfSimple', 'jsonldSimple'] as const) {
      const r = await check(key);
      assert.equal(r.verdict, 'not conformant');
      assert.deepEqual(errorRules(r), ['dcat.dataset-publisher']);
      assert.deepEqual(r.stats, { triples: 21, datasets: 1, distributions: 1 });
    }
  });

  it('example 23 (a data service) is a specification example, not a GovData delivery', async () => {
    // No contributorID (K12/13), no dataset publisher (K36), one distribution without a licence (K31).
    const r = await check('dataService');
    assert.equal(r.verdict, 'not conformant');
    assert.deepEqual(errorRules(r), [
      'dcat.dataset-contributor-id',
      'dcat.dataset-contributor-id-list',
      'dcat.dataset-publisher',
      'dcat.distribution-license',
    ]);
  });

  it('the 3.0 draft example and the UAG example do not parse as Turtle', async () => {
    // DataService.ttl: "@prefix skos: <…>" on line 12 lacks its final dot, so line 13 is a syntax error.
    const draft = await check('draft3');
    assert.equal(draft.verdict, 'not conformant');
    assert.equal(draft.findings.length, 1);
    assert.equal(draft.findings[0]?.rule, 'dcat.parse');
    assert.equal(draft.findings[0]?.location, 'DataService.ttl:13');
    assert.match(draft.findings[0]?.message ?? '', /Turtle.*dot/);
    // The UAG file starts with a plain-text line ("Stand: …") before the prefixes.
    const uag = await check('uag');
    assert.equal(uag.verdict, 'not conformant');
    assert.equal(uag.findings[0]?.location, '2024-02-22_UAG_Beispieldatensatz_v1.ttl:1');
  });

  it('Destatis (as harvested): old DCAT-AP.de 1.0.1 namespace and literals where IRIs belong', async () => {
    const r = await check('destatis');
    assert.equal(r.verdict, 'not conformant');
    assert.deepEqual(r.stats, { triples: 3323, datasets: 135, distributions: 135 });
    // contributorID is written in the 1.0.1 namespace (http://dcat-ap.de/def/dcatde/1.0.1/) and as a literal, so
    // under 2.0 every dataset lacks it; dct:language is a literal string, not an IRI; the catalogue node has only
    // its datasets (no title, description, publisher).
    assert.deepEqual(errorRules(r), [
      'dcat.catalog-description',
      'dcat.catalog-publisher',
      'dcat.catalog-title',
      'dcat.dataset-contributor-id',
      'dcat.dataset-contributor-id-list',
      'dcat.dataset-language',
      'dcat.distribution-language',
    ]);
    assert.equal(r.findings.filter((f) => f.rule === 'dcat.dataset-contributor-id').length, 135);
  });

  it('Bremen: untyped date, distributions without accessURL, two licences of which one is not from the list', async () => {
    const r = await check('bremen');
    assert.equal(r.verdict, 'not conformant');
    assert.deepEqual(errorRules(r), [
      'dcat.dataset-issued-datatype',
      'dcat.distribution-access-url',
      'dcat.distribution-license-list',
      'dcat.distribution-license-max',
    ]);
    assert.equal(r.findings.filter((f) => f.rule === 'dcat.distribution-access-url').length, 2);
  });

  it('Potsdam: free-text publisher, format, licence and media types; own theme and language IRIs', async () => {
    const r = await check('potsdam');
    assert.equal(r.verdict, 'not conformant');
    assert.deepEqual(errorRules(r), [
      'dcat.agent-name',
      'dcat.dataset-contributor-id',
      'dcat.dataset-contributor-id-list',
      'dcat.dataset-language',
      'dcat.dataset-publisher-agent',
      'dcat.dataset-theme-list',
      'dcat.distribution-format',
      'dcat.distribution-license-list',
      'dcat.distribution-media-type',
    ]);
    const fmt = r.findings.find((f) => f.rule === 'dcat.distribution-format');
    assert.match(fmt?.location ?? '', /dct:format = "csv"$/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Comparison with the official shapes
// ---------------------------------------------------------------------------------------------------------------

const OFFICIAL_PROFILE = [
  'dcat-ap-de-imports.ttl',
  'dcat-ap-spec-german-messages.ttl',
  'dcat-ap-spec-german-additions.ttl',
  'dcat-ap-de-deprecated.ttl',
  'dcat-ap-konventionen.ttl',
  'dcat-ap_2.1.1_shacl_shapes.ttl',
];

async function readAny(file: string): Promise<Quad[]> {
  const text = fs.readFileSync(file, 'utf8');
  const r = await parseRdf(text, detectFormat(file, text), `file://${file}`);
  if (!r.ok) throw new Error(`${file}: ${r.message}`);
  return r.quads;
}

/**
 * "Class property" of a violation, from its German message ("dcat:Dataset: dct:language MUSS …" →
 * "dcat:Dataset dct:language"); both rule sets phrase their messages this way.
 */
function kindOf(message: string): string {
  const m = /(dcat:\w+|foaf:Agent|spdx:Checksum|dct:PeriodOfTime|adms:Identifier)(?: \([^)]*\))?: (\S+?):?\s/.exec(
    message,
  );
  return m ? `${m[1]} ${m[2]}` : message.slice(0, 40);
}

/**
 * Kinds only the official shapes report, and why. The official shapes test controlled vocabularies through
 * `skos:inScheme` of the value, so the vocabulary must sit in the data graph; /work/shared has the contributor,
 * licence, file-type and data-theme lists plus FOAF, vCard and ORG (loaded here), but not the EU language, frequency
 * and planned-availability lists, the ADMS publisher types or the DCAT-AP.de hash algorithms. Every value of those
 * properties is then a violation, even a correct one. Our shapes check the form of those IRIs (sh:pattern) instead.
 */
const OFFICIAL_ONLY: Partial<Record<Key, string[]>> = {
  ttlAdvanced: [
    'dcat:Catalog dct:language',
    'dcat:Dataset dct:accrualPeriodicity',
    'dcat:Distribution dct:language',
    'spdx:Checksum spdx:algorithm',
  ],
  rdfAdvanced: [
    'dcat:Catalog dct:language',
    'dcat:Dataset dct:accrualPeriodicity',
    'dcat:Distribution dct:language',
    'spdx:Checksum spdx:algorithm',
  ],
  jsonldAdvanced: [
    'dcat:Catalog dct:language',
    'dcat:Dataset dct:accrualPeriodicity',
    'dcat:Distribution dct:language',
    'spdx:Checksum spdx:algorithm',
  ],
  dataService: ['dcat:DataService dcatap:availability'],
  // Bremen also writes language/GER (the EU code for German is DEU): the official shapes with the language list
  // would flag it rightly; ours accept any three capitals (we ship no language list) – a known gap.
  bremen: [
    'dcat:Dataset dct:accrualPeriodicity',
    'dcat:Dataset dct:language',
    'dcat:Distribution dct:language',
    'foaf:Agent dct:type',
  ],
};
/**
 * Kinds only our shapes report, and why: Potsdam's publisher is the literal "t173385"; the official shapes report it
 * once (dct:publisher is no foaf:Agent), ours also say that this agent has no foaf:name.
 */
const MINE_ONLY: Partial<Record<Key, string[]>> = {
  potsdam: ['foaf:Agent foaf:name'],
};

describe('dcat-ap-de compared with the official DCAT-AP.de 2.0 shapes', {
  skip: !available && 'shared data missing',
}, () => {
  it('reports the same kinds of violations on every parseable real file, except the differences explained above', async () => {
    const shapes = new Store();
    for (const f of OFFICIAL_PROFILE)
      shapes.addQuads(new Parser().parse(fs.readFileSync(path.join(STD, 'shacl/v2.0', f), 'utf8')));
    const vocab: Quad[] = [];
    for (const f of [
      'dcat-ap-de-contributors_20251021.rdf',
      'dcat-ap-de-licenses.rdf',
      'eu-filetypes-skos-ap-act.ttl',
      'eu-data-theme-skos-ap-act.ttl',
      'foaf_0_1.rdf',
      'vcard.ttl',
      'org.ttl',
    ]) {
      vocab.push(...(await readAny(path.join(STD, 'vocab', f))));
    }
    const table: string[] = [];
    for (const key of Object.keys(FILES) as Key[]) {
      if (key === 'draft3' || key === 'uag') continue; // neither parses; no engine can judge them
      const data = new Store(await readAny(path.join(STD, FILES[key])));
      data.addQuads(vocab);
      // owl:imports are not fetched: the import graph is empty, the vocabularies are in the data graph instead.
      const official = await new SHACLValidator(shapes, { importGraph: () => new Store() }).validate(data);
      const officialViolations = official.results.filter((r) => r.severity?.value.endsWith('#Violation'));
      const officialKinds = new Set(
        officialViolations.map((r) => {
          const msgs = r.message as { value: string; language?: string }[];
          return kindOf((msgs.find((m) => m.language === 'de') ?? msgs[0])?.value ?? '');
        }),
      );
      const mine = await check(key);
      const mineErrors = mine.findings.filter((f) => f.severity === 'error');
      const mineKinds = new Set(mineErrors.map((f) => kindOf(f.message)));
      const officialOnly = [...officialKinds].filter((k) => !mineKinds.has(k)).sort();
      const mineOnly = [...mineKinds].filter((k) => !officialKinds.has(k)).sort();
      assert.deepEqual(officialOnly, [...(OFFICIAL_ONLY[key] ?? [])].sort(), `${key}: official only`);
      assert.deepEqual(mineOnly, [...(MINE_ONLY[key] ?? [])].sort(), `${key}: ours only`);
      // Same verdict wherever the official shapes have no vocabulary gap.
      if (!OFFICIAL_ONLY[key]) assert.equal(officialViolations.length === 0, mineErrors.length === 0, key);
      table.push(`${key}: official ${officialViolations.length} violations, ours ${mineErrors.length} errors`);
    }
    // Counts differ by design: e.g. Destatis – ours report dct:language once per distribution (135), the official
    // nested shape reports each distinct literal value once; Potsdam – ours report each free-text value once per rule.
    assert.equal(table.length, 10);
  });
});
