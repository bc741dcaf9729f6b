import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { ROOT } from '../../../../platform/paths.js';
import { type Fetcher, FetchRefused, type Report } from '../../types.js';
import {
  checkPubliccodeText,
  parseSpdxExpression,
  publiccodeToSolution,
  publiccodeValidator,
  rawUrlFor,
  resolveVersion,
} from '../index.js';

const FIX = path.join(ROOT, 'test/fixtures/market/publiccode');
const read = (name: string): string => fs.readFileSync(path.join(FIX, name), 'utf8');
const noFetch: Fetcher = async () => {
  throw new Error('no network in unit tests');
};
// biome-ignore lint/suspicious/noExplicitAny: test documents are mutated freely
type Doc = Record<string, any>;
const base = (name = 'valid-0.7.yml'): Doc => parse(read(name)) as Doc;
const check = (doc: Doc | string): Report => checkPubliccodeText(typeof doc === 'string' ? doc : stringify(doc), 't');
const rules = (r: Report, severity = 'error'): string[] =>
  r.findings.filter((f) => f.severity === severity).map((f) => `${f.rule} ${f.location}`);

/** One change to a conformant file → exactly the finding(s) named. */
function expectOnly(doc: Doc, expected: string[], severity = 'error'): Report {
  const r = check(doc);
  assert.deepEqual(rules(r, severity).sort(), [...expected].sort(), JSON.stringify(r.findings, null, 1));
  for (const f of r.findings) {
    assert.ok(f.source && f.source.length > 0, 'each finding names its section');
    assert.ok(f.message.length > 10);
  }
  return r;
}

describe('publiccode validator: verdicts and version dispatch', () => {
  it('accepts the handwritten conformant files for 0.7.0, 0.2 and 0.5.0', () => {
    for (const [f, v] of [
      ['valid-0.7.yml', '0.7.0'],
      ['valid-0.2.yml', '0.2.2'],
      ['solution-de-en.yml', '0.5.0'],
    ] as const) {
      const r = check(read(f));
      assert.equal(r.verdict, 'conformant', `${f}: ${JSON.stringify(r.findings)}`);
      assert.equal(r.standardVersion, v);
      assert.equal(r.standard, 'publiccode');
      assert.match(r.validatorVersion, /^kommunallotse-publiccode\//);
    }
  });

  it('resolves every published version, its short form and "0" = latest', () => {
    for (const [declared, release] of [
      ['0.2', '0.2.2'],
      ['0.2.0', '0.2.0'],
      ['0.2.1', '0.2.1'],
      ['0.3', '0.3.0'],
      ['0.3.0', '0.3.0'],
      ['0.4', '0.4.0'],
      ['0.4.0', '0.4.0'],
      ['0.5', '0.5.0'],
      ['0.6.0', '0.6.0'],
      ['0.7', '0.7.0'],
      ['0.7.0', '0.7.0'],
      ['0', '0.7.0'],
    ] as const)
      assert.equal(resolveVersion(declared)?.version, release, declared);
    for (const bad of ['0.8', '1.0', '0.1', 'latest', '0.4.1']) assert.equal(resolveVersion(bad), undefined, bad);
  });

  it('an unknown or missing version is an error and nothing else is judged', () => {
    const r = check(read('unknown-version.yml'));
    assert.equal(r.verdict, 'not conformant');
    assert.deepEqual(rules(r), ['publiccode.version-unknown $.publiccodeYmlVersion']);
    const d = base();
    delete d.publiccodeYmlVersion;
    assert.deepEqual(rules(check(d)), ['publiccode.version-missing $.publiccodeYmlVersion']);
  });

  it('judges by the declared version: categories mandatory up to 0.4.0, optional from 0.5.0', () => {
    const d = base();
    delete d.categories;
    d.publiccodeYmlVersion = '0.5.0';
    delete d.supports;
    d.organisation = { name: 'Stadt Beispiel' };
    expectOnly(d, []);
    d.publiccodeYmlVersion = '0.4.0';
    delete d.organisation;
    expectOnly(d, ['publiccode.required $.categories']);
  });

  it('releaseDate is mandatory in 0.2 only', () => {
    const d = base('valid-0.2.yml');
    delete d.releaseDate;
    expectOnly(d, ['publiccode.required $.releaseDate']);
    d.publiccodeYmlVersion = '0.3';
    expectOnly(d, []);
  });

  it('keys of newer releases are unknown in older ones (warning) and the category list is per release', () => {
    const d = base('valid-0.2.yml');
    d.categories = ['whistleblowing', 'other'];
    d.supports = [{ id: 'alias:gdpr' }];
    const r = expectOnly(d, ['publiccode.category $.categories[0]', 'publiccode.category $.categories[1]']);
    assert.deepEqual(rules(r, 'warning'), ['publiccode.unknown-key $.supports']);
    d.publiccodeYmlVersion = '0.3.0';
    delete d.supports;
    expectOnly(d, ['publiccode.category $.categories[1]']);
    d.publiccodeYmlVersion = '0.5.0';
    expectOnly(d, []);
  });
});

describe('publiccode validator: every rule', () => {
  const cases: [string, (d: Doc) => void, string[]][] = [
    [
      'required name',
      (d) => {
        delete d.name;
      },
      ['publiccode.required $.name'],
    ],
    [
      'required legal/license',
      (d) => {
        delete d.legal.license;
      },
      ['publiccode.required $.legal.license'],
    ],
    [
      'required localisation keys',
      (d) => {
        d.localisation = {};
      },
      ['publiccode.required $.localisation.localisationReady', 'publiccode.required $.localisation.availableLanguages'],
    ],
    [
      'type: name must be a string',
      (d) => {
        d.name = 42;
      },
      ['publiccode.type $.name'],
    ],
    [
      'type: localisationReady boolean',
      (d) => {
        d.localisation.localisationReady = 'ja';
      },
      ['publiccode.type $.localisation.localisationReady'],
    ],
    [
      'empty string',
      (d) => {
        d.name = '';
      },
      ['publiccode.empty $.name'],
    ],
    [
      'empty platforms',
      (d) => {
        d.platforms = [];
      },
      ['publiccode.empty $.platforms'],
    ],
    [
      'empty description',
      (d) => {
        d.description = {};
      },
      ['publiccode.empty $.description'],
    ],
    [
      'enum developmentStatus',
      (d) => {
        d.developmentStatus = 'alpha';
      },
      ['publiccode.enum $.developmentStatus'],
    ],
    [
      'enum softwareType (standalone is gone since 0.2)',
      (d) => {
        d.softwareType = 'standalone';
      },
      ['publiccode.enum $.softwareType'],
    ],
    [
      'enum maintenance/type',
      (d) => {
        d.maintenance.type = 'commercial';
      },
      ['publiccode.enum $.maintenance.type'],
    ],
    [
      'date releaseDate',
      (d) => {
        d.releaseDate = '2026-02-30';
      },
      ['publiccode.date $.releaseDate'],
    ],
    [
      'date format',
      (d) => {
        d.releaseDate = '01.03.2026';
      },
      ['publiccode.date $.releaseDate'],
    ],
    [
      'url',
      (d) => {
        d.url = 'git.example.org/x';
      },
      ['publiccode.url $.url'],
    ],
    [
      'http url landingURL',
      (d) => {
        d.landingURL = 'ftp://example.org/';
      },
      ['publiccode.url $.landingURL'],
    ],
    [
      'isBasedOn URL in a list',
      (d) => {
        d.isBasedOn = ['Bootstrap'];
      },
      ['publiccode.url $.isBasedOn[0]'],
    ],
    [
      'email',
      (d) => {
        d.maintenance.contacts[0].email = 'keine-adresse';
      },
      ['publiccode.email $.maintenance.contacts[0].email'],
    ],
    [
      'shortDescription ≤ 150',
      (d) => {
        d.description.de.shortDescription = 'x'.repeat(151);
      },
      ['publiccode.length $.description.de.shortDescription'],
    ],
    [
      'longDescription ≥ 150',
      (d) => {
        d.description.de.longDescription = 'Zu kurz.';
      },
      ['publiccode.length $.description.de.longDescription'],
    ],
    [
      'longDescription ≤ 10000',
      (d) => {
        d.description.de.longDescription = 'y'.repeat(10001);
      },
      ['publiccode.length $.description.de.longDescription'],
    ],
    [
      'genericName ≤ 35',
      (d) => {
        d.description.de.genericName = 'z'.repeat(36);
      },
      ['publiccode.length $.description.de.genericName'],
    ],
    [
      'longDescription for at least one language',
      (d) => {
        delete d.description.de.longDescription;
      },
      ['publiccode.required $.description.de.longDescription'],
    ],
    [
      'features for at least one language',
      (d) => {
        delete d.description.de.features;
      },
      ['publiccode.required $.description.de.features'],
    ],
    [
      'description key BCP 47',
      (d) => {
        d.description['deutsch!'] = { shortDescription: 'x' };
      },
      ["publiccode.language-tag $.description['deutsch!']"],
    ],
    [
      'availableLanguages BCP 47',
      (d) => {
        d.localisation.availableLanguages = ['de', 'de_DE'];
      },
      ['publiccode.language-tag $.localisation.availableLanguages[1]'],
    ],
    [
      'category list',
      (d) => {
        d.categories = ['government'];
      },
      ['publiccode.category $.categories[0]'],
    ],
    [
      'scope list',
      (d) => {
        d.intendedAudience.scope = ['kommunen'];
      },
      ['publiccode.scope $.intendedAudience.scope[0]'],
    ],
    [
      'country code',
      (d) => {
        d.intendedAudience.countries = ['DE', 'XX'];
      },
      ['publiccode.country-code $.intendedAudience.countries[1]'],
    ],
    [
      'SPDX unknown id',
      (d) => {
        d.legal.license = 'EUPL';
      },
      ['publiccode.licence-spdx $.legal.license'],
    ],
    [
      'SPDX bad syntax',
      (d) => {
        d.legal.license = 'MIT AND (Apache-2.0';
      },
      ['publiccode.licence-spdx $.legal.license'],
    ],
    [
      'SPDX unknown exception',
      (d) => {
        d.legal.license = 'GPL-2.0-only WITH Foo-exception';
      },
      ['publiccode.licence-spdx $.legal.license'],
    ],
    [
      'contract needs contractors',
      (d) => {
        d.maintenance = { type: 'contract' };
      },
      ['publiccode.maintenance-contractors $.maintenance.contractors'],
    ],
    [
      'contractors only with contract',
      (d) => {
        d.maintenance.contractors = [{ name: 'Firma', until: '2027-01-01' }];
      },
      ['publiccode.maintenance-contractors $.maintenance.contractors'],
    ],
    [
      'internal needs contacts',
      (d) => {
        delete d.maintenance.contacts;
      },
      ['publiccode.maintenance-contacts $.maintenance.contacts'],
    ],
    [
      'contractor until is a date',
      (d) => {
        d.maintenance = { type: 'contract', contractors: [{ name: 'F', until: 'bald' }] };
      },
      ['publiccode.date $.maintenance.contractors[0].until'],
    ],
    [
      'dependency needs a name',
      (d) => {
        d.dependsOn.open = [{ version: '1' }];
      },
      ['publiccode.required $.dependsOn.open[0].name'],
    ],
    [
      'inputTypes media type',
      (d) => {
        d.inputTypes = ['json'];
      },
      ['publiccode.media-type $.inputTypes[0]'],
    ],
    [
      'supports: unknown alias',
      (d) => {
        d.supports = [{ id: 'alias:ozg' }];
      },
      ['publiccode.alias $.supports[0].id'],
    ],
    [
      'supports: id must be a URI',
      (d) => {
        d.supports = [{ id: 'DSGVO' }];
      },
      ['publiccode.url $.supports[0].id'],
    ],
    [
      'organisation/uri mandatory in 0.7.0',
      (d) => {
        d.organisation = { name: 'Stadt' };
      },
      ['publiccode.required $.organisation.uri'],
    ],
    [
      'IT countryExtensionVersion must be 1.0 in 0.7.0',
      (d) => {
        d.IT = { countryExtensionVersion: '0.2' };
      },
      ['publiccode.enum $.IT.countryExtensionVersion'],
    ],
    [
      'IT countryExtensionVersion mandatory',
      (d) => {
        d.IT = { piattaforme: { spid: true } };
      },
      ['publiccode.required $.IT.countryExtensionVersion'],
    ],
    [
      'IT piattaforme are booleans',
      (d) => {
        d.IT = { countryExtensionVersion: '1.0', piattaforme: { spid: 'si' } };
      },
      ['publiccode.type $.IT.piattaforme.spid'],
    ],
    [
      'IT codiceIPA format',
      (d) => {
        d.IT = { countryExtensionVersion: '1.0', riuso: { codiceIPA: 'c h501' } };
      },
      ['publiccode.it-ipa $.IT.riuso.codiceIPA'],
    ],
    [
      'it and IT together',
      (d) => {
        d.it = { countryExtensionVersion: '1.0' };
        d.IT = { countryExtensionVersion: '1.0' };
      },
      ['publiccode.country-section $.IT'],
    ],
  ];
  for (const [name, change, expected] of cases)
    it(name, () => {
      const d = base();
      change(d);
      const r = expectOnly(d, expected);
      assert.equal(r.verdict, 'not conformant');
    });

  it('country codes: lower case in ≤ 0.3, upper case from 0.4 (lower case deprecated)', () => {
    const d = base('valid-0.2.yml');
    d.intendedAudience.countries = ['IT'];
    expectOnly(d, ['publiccode.country-code $.intendedAudience.countries[0]']);
    d.IT = d.it;
    delete d.it;
    d.intendedAudience.countries = ['it'];
    expectOnly(d, ['publiccode.country-section $.IT']);
    d.publiccodeYmlVersion = '0.4';
    d.intendedAudience.countries = ['it'];
    const r = expectOnly(d, []);
    assert.deepEqual(rules(r, 'warning'), [
      'publiccode.deprecated $.intendedAudience.countries[0]',
      'publiccode.deprecated $.description.it.genericName',
    ]);
  });

  it('warnings do not change the verdict: deprecated keys, deprecated SPDX ids, unknown keys, logo format, other countries', () => {
    const d = base();
    d.monochromeLogo = 'img/mono.svg';
    d.legal.repoOwner = 'Stadt Beispiel';
    d.description.de.genericName = 'Ratsinformationssystem';
    d.legal.license = 'GPL-2.0';
    d.logo = 'img/logo.gif';
    d.farbe = 'blau';
    d.DE = { foo: true };
    d.IT = { countryExtensionVersion: '1.0', piattaforme: { spid: true } };
    const r = expectOnly(d, []);
    assert.equal(r.verdict, 'conformant');
    assert.deepEqual(rules(r, 'warning').sort(), [
      'publiccode.country-section $.DE',
      'publiccode.deprecated $.IT',
      'publiccode.deprecated $.IT.countryExtensionVersion',
      'publiccode.deprecated $.IT.piattaforme.spid',
      'publiccode.deprecated $.description.de.genericName',
      'publiccode.deprecated $.legal.repoOwner',
      'publiccode.deprecated $.monochromeLogo',
      'publiccode.licence-deprecated $.legal.license',
      'publiccode.logo-format $.logo',
      'publiccode.unknown-key $.farbe',
    ]);
  });

  it('YAML errors carry line and column; duplicate keys are errors; a non-mapping document is an error', () => {
    const r = check(read('invalid-yaml.yml'));
    assert.equal(r.verdict, 'not conformant');
    assert.equal(r.findings[0]!.rule, 'publiccode.yaml-syntax');
    assert.match(r.findings[0]!.location, /^Zeile \d+, Spalte \d+$/);
    const dup = check('publiccodeYmlVersion: "0"\nname: a\nname: b\n');
    assert.equal(dup.findings[0]!.rule, 'publiccode.yaml-syntax');
    assert.match(dup.findings[0]!.location, /^Zeile 3, Spalte 1$/);
    assert.deepEqual(rules(check('- a\n- b\n')), ['publiccode.document $']);
  });

  it('a number where the standard says string is a type error (unquoted 0.4)', () => {
    const r = check(read('valid-0.7.yml').replace('publiccodeYmlVersion: "0.7.0"', 'publiccodeYmlVersion: 0.7'));
    assert.equal(r.standardVersion, '0.7.0');
    assert.deepEqual(rules(r), ['publiccode.type $.publiccodeYmlVersion']);
  });

  it('a %YAML 1.1 document is a deprecation warning, its timestamps are judged as dates', () => {
    const text = `%YAML 1.1\n---\n${read('valid-0.7.yml').replace('releaseDate: "2026-03-01"', 'releaseDate: 2026-03-01')}`;
    const r = check(text);
    assert.equal(r.verdict, 'conformant', JSON.stringify(r.findings));
    assert.deepEqual(rules(r, 'warning'), ['publiccode.deprecated %YAML']);
  });
});

describe('publiccode validator: artefacts', () => {
  it('bytes that are not UTF-8 are not conformant with the byte offset', async () => {
    const bytes = fs.readFileSync(path.join(FIX, 'invalid-encoding.yml'));
    const r = await publiccodeValidator.check({ kind: 'bytes', name: 'x.yml', bytes }, { fetch: noFetch });
    assert.equal(r.verdict, 'not conformant');
    assert.equal(r.findings[0]!.rule, 'publiccode.encoding');
    assert.equal(r.findings[0]!.location, 'Byte 37'); // 28 + 9 bytes before the Latin-1 ü
  });

  it('a folder with publiccode.yaml is checked, one without could not be checked', async () => {
    const ok = await publiccodeValidator.check(
      { kind: 'folder', path: path.join(FIX, 'folder-with') },
      { fetch: noFetch },
    );
    assert.equal(ok.verdict, 'conformant');
    const no = await publiccodeValidator.check(
      { kind: 'folder', path: path.join(FIX, 'folder-without') },
      { fetch: noFetch },
    );
    assert.equal(no.verdict, 'could not be checked');
    assert.match(no.reason!, /publiccode\.yml/);
  });

  it('a refused fetch could not be checked, with the reason', async () => {
    const refuse: Fetcher = async () => {
      throw new FetchRefused('private-address', 'Adresse 10.0.0.1 ist privat.');
    };
    const r = await publiccodeValidator.check(
      { kind: 'url', url: 'https://intern.example/publiccode.yml' },
      { fetch: refuse },
    );
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason!, /10\.0\.0\.1 ist privat/);
    assert.deepEqual(r.findings, []);
  });

  it('a URL is fetched through the fetcher, blob URLs by the fixed raw rule; HTTP errors could not be checked', async () => {
    const asked: string[] = [];
    const fetcher: Fetcher = async (url) => {
      asked.push(url);
      return { url, status: 200, headers: {}, bytes: new TextEncoder().encode(read('valid-0.7.yml')) };
    };
    const r = await publiccodeValidator.check(
      { kind: 'url', url: 'https://github.com/stadt/ratsportal/blob/main/publiccode.yml' },
      { fetch: fetcher },
    );
    assert.equal(r.verdict, 'conformant');
    assert.equal(r.input, 'https://github.com/stadt/ratsportal/blob/main/publiccode.yml');
    assert.deepEqual(asked, ['https://raw.githubusercontent.com/stadt/ratsportal/main/publiccode.yml']);
    const notFound: Fetcher = async (url) => ({ url, status: 404, headers: {}, bytes: new Uint8Array() });
    const nf = await publiccodeValidator.check(
      { kind: 'url', url: 'https://example.org/publiccode.yml' },
      { fetch: notFound },
    );
    assert.equal(nf.verdict, 'could not be checked');
    assert.match(nf.reason!, /HTTP 404/);
  });

  it('rawUrlFor maps only github.com and gitlab.com blob URLs', () => {
    assert.equal(
      rawUrlFor('https://gitlab.com/gruppe/unter/projekt/-/blob/v1.2/docs/publiccode.yml'),
      'https://gitlab.com/gruppe/unter/projekt/-/raw/v1.2/docs/publiccode.yml',
    );
    for (const same of [
      'https://github.com.evil.example/a/b/blob/main/publiccode.yml',
      'http://github.com/a/b/blob/main/publiccode.yml',
      'https://github.com/a/b/raw/main/publiccode.yml',
      'https://codeberg.org/a/b/src/branch/main/publiccode.yml',
      'https://user@github.com/a/b/blob/main/publiccode.yml',
    ])
      assert.equal(rawUrlFor(same), same);
  });
});

describe('SPDX expressions', () => {
  it('parses AND, OR, WITH, +, parentheses and LicenseRef-', () => {
    for (const ok of [
      'MIT',
      'mit',
      'EUPL-1.2 OR AGPL-3.0-or-later',
      '(MIT OR Apache-2.0) AND BSD-3-Clause',
      'GPL-2.0-or-later WITH Classpath-exception-2.0',
      'LGPL-2.1+',
      'LicenseRef-Stadt-1',
      'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2',
    ])
      assert.equal(parseSpdxExpression(ok).ok, true, ok);
    for (const bad of [
      '',
      'MIT OR',
      'AND MIT',
      '(MIT',
      'MIT)',
      'MIT and Apache-2.0',
      'MIT WITH',
      'Public Domain',
      'MIT WITH MIT',
    ])
      assert.equal(parseSpdxExpression(bad).ok, false, bad);
    assert.deepEqual(parseSpdxExpression('AGPL-3.0 OR MIT').deprecated, ['AGPL-3.0']);
    assert.deepEqual(parseSpdxExpression('mit').licences, ['MIT']);
  });
});

describe('publiccodeToSolution (import mapping)', () => {
  it('maps name, German description, licence, maintenance and dependencies', () => {
    const s = publiccodeToSolution(read('solution-de-en.yml'))!;
    assert.equal(s.name, 'Mobilitätsdaten-Plattform');
    assert.equal(s.descriptionLanguage, 'de');
    assert.match(s.description, /^Die Plattform veröffentlicht Fahrpläne/);
    assert.equal(s.shortDescription, 'Offene Mobilitätsdaten der Stadt.');
    assert.equal(s.licence, 'Apache-2.0');
    assert.equal(s.openSource, true);
    assert.deepEqual(s.maintenance, {
      type: 'contract',
      contractors: [
        { name: 'Beispiel Software GmbH', until: '2027-12-31', email: 'vertrag@beispiel-software.example' },
      ],
      contacts: [{ name: 'Max Muster', affiliation: 'Beispiel Software GmbH' }],
    });
    assert.deepEqual(s.dependencies, ['PostgreSQL 14–17', 'Redis', 'Kartendienst 3', 'Zählschleife']);
    assert.deepEqual(s.dependencyDetails[1], { kind: 'open', name: 'Redis', optional: true });
    assert.equal(s.dependencyDetails[2]!.kind, 'proprietary');
    assert.equal(s.url, 'https://github.com/stadt-beispiel/mobilitaet');
    assert.equal(s.landingURL, 'https://mobilitaet.stadt-beispiel.de');
    assert.deepEqual(s.platforms, ['web', 'android']);
    assert.equal(s.softwareType, 'standalone/web');
    assert.deepEqual(s.categories, ['data-visualization']);
  });

  it('falls back to English, then to the first language; name from `name` without localisedName', () => {
    const d = parse(read('solution-de-en.yml')) as Doc;
    delete d.description.de;
    d.description.it = { shortDescription: 'Piattaforma', longDescription: 'Italiano' };
    let s = publiccodeToSolution(stringify(d))!;
    assert.equal(s.descriptionLanguage, 'en');
    assert.equal(s.name, 'Mobilitaetsdaten');
    assert.match(s.description, /^The platform publishes/);
    delete d.description.en;
    s = publiccodeToSolution(stringify(d))!;
    assert.equal(s.descriptionLanguage, 'it');
    assert.equal(s.description, 'Italiano');
    d.description = { 'de-AT': { shortDescription: 'Nur kurz' } };
    s = publiccodeToSolution(stringify(d))!;
    assert.equal(s.descriptionLanguage, 'de-AT');
    assert.equal(s.description, 'Nur kurz');
  });

  it('a missing or invalid licence is not flagged open source; platforms as a string; bad input gives undefined', () => {
    const s = publiccodeToSolution(
      'name: X\nplatforms: web\nlegal:\n  license: proprietär\nmaintenance:\n  type: none\n',
    )!;
    assert.equal(s.openSource, false);
    assert.equal(s.licence, 'proprietär');
    assert.deepEqual(s.platforms, ['web']);
    assert.deepEqual(s.maintenance, { type: 'none' });
    assert.deepEqual(s.dependencies, []);
    assert.equal(publiccodeToSolution('name: X\n')!.openSource, false);
    assert.equal(publiccodeToSolution('- a'), undefined);
    assert.equal(publiccodeToSolution('a: [unclosed'), undefined);
  });
});
