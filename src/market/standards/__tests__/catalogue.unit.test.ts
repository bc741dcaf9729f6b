import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { loadModel } from '../../../assessment/index.js';
import type { Principal } from '../../../platform/policy.js';
import { can } from '../../../platform/policy.js';
import { loadMeasures } from '../../../strategy/index.js';
import { centreAdvisor, STANDARDS_ACTION } from '../actions.js';
import { clearStandardsCache, loadStandards, STANDARDS_DIR, StandardsError, validateStandards } from '../catalogue.js';
import { filterStandards, parseStandardsFilter, validateRecommendation } from '../standards.service.js';

const model = loadModel();
const shipped = () => JSON.parse(fs.readFileSync(path.join(STANDARDS_DIR, 'v1.json'), 'utf8'));

/** The problems of a catalogue as "subject | field | message" lines. */
function problemsOf(json: unknown): string[] {
  try {
    validateStandards(json, model);
  } catch (err) {
    assert.ok(err instanceof StandardsError, String(err));
    return err.problems.map((p) => `${p.subject} | ${p.field} | ${p.message}`);
  }
  return [];
}

/** The shipped file with one standard changed by `edit`. */
function withStandard(id: string, edit: (s: Record<string, unknown>) => void) {
  const c = shipped();
  const s = c.standards.find((x: { id: string }) => x.id === id);
  assert.ok(s, id);
  edit(s);
  return c;
}

test('the shipped catalogue loads: 30–60 standards, sorted, each with sectors, a source and an https link', () => {
  const c = loadStandards();
  assert.equal(c.version, '1');
  assert.ok(c.standards.length >= 30 && c.standards.length <= 60, `${c.standards.length} standards`);
  const ids = c.standards.map((s) => s.id);
  assert.deepEqual(ids, [...ids].sort());
  for (const s of c.standards) {
    assert.ok(s.sectors.length > 0);
    assert.ok(s.source.url.startsWith('https://'));
    assert.ok(s.purpose.de.length >= 80, `${s.id}: a paragraph, not a phrase`);
  }
  assert.ok(Object.isFrozen(c) && Object.isFrozen(c.standards[0]));
  assert.equal(loadStandards('1'), c, 'cached');
});

test('every standard the measures catalogue names exists in the standards catalogue', () => {
  const known = new Set(loadStandards().standards.map((s) => s.id));
  const used = new Set(loadMeasures().measures.flatMap((m) => m.standards));
  assert.ok(used.size >= 39);
  assert.deepEqual(
    [...used].filter((id) => !known.has(id)),
    [],
  );
});

test('the catalogue covers the standards issue 11 names', () => {
  const known = new Set(loadStandards().standards.map((s) => s.id));
  for (const id of [
    'xmeld',
    'xpersonenstand',
    'xoev-xbau',
    'xinneres',
    'fim',
    'xrechnung',
    'ozg',
    'efa',
    'oparl',
    'dcat-ap-de',
    'gtfs',
    'netex',
    'ogc-api-features',
    'ogc-wms',
    'ogc-wfs',
    'ogc-sensorthings',
    'inspire',
    'ngsi-ld',
    'din-spec-91357',
    'iso-37120',
    'iso-37122',
    'bitv-2-0',
    'wcag-2-1',
    'bsi-grundschutz',
    'bsi-c5',
    'openapi',
    'openid-connect',
    'publiccode-yml',
  ]) {
    assert.ok(known.has(id), id);
  }
  // The standards the platform checks itself carry their check.
  const checks = Object.fromEntries(loadStandards().standards.map((s) => [s.id, s.check]));
  assert.deepEqual(
    [checks['publiccode-yml'], checks.oparl, checks['dcat-ap-de'], checks.gtfs],
    ['publiccode', 'oparl', 'dcat-ap-de', 'gtfs'],
  );
});

test('an unknown sector names the standard and the field', () => {
  const problems = problemsOf(
    withStandard('oparl', (s) => {
      s.sectors = ['verwaltung', 'rathaus'];
    }),
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0]!, /^standard "oparl" \| sectors\[1\] \| unknown sector "rathaus"/);
});

test('a sector listed twice and no sector at all are refused', () => {
  assert.match(
    problemsOf(
      withStandard('oparl', (s) => {
        s.sectors = ['verwaltung', 'verwaltung'];
      }),
    ).join('\n'),
    /standard "oparl" \| sectors\[1\] \| sector "verwaltung" listed twice/,
  );
  assert.match(
    problemsOf(
      withStandard('oparl', (s) => {
        s.sectors = [];
      }),
    ).join('\n'),
    /standard "oparl" \| sectors \| must name at least one sector/,
  );
});

test('a duplicate id is refused', () => {
  const c = shipped();
  c.standards.push({ ...c.standards[0] });
  const problems = problemsOf(c);
  assert.deepEqual(problems, [`standard "${c.standards[0].id}" | id | duplicate id "${c.standards[0].id}"`]);
});

test('an id that is not kebab-case is refused', () => {
  assert.match(
    problemsOf(
      withStandard('oparl', (s) => {
        s.id = 'OParl 1.1';
      }),
    ).join('\n'),
    /standard "OParl 1.1" \| id \| "OParl 1.1" is not a valid id/,
  );
});

test('a missing source is refused, and so is a source without title', () => {
  assert.deepEqual(
    problemsOf(
      withStandard('gtfs', (s) => {
        delete s.source;
      }),
    ),
    ['standard "gtfs" | source | missing'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('gtfs', (s) => {
        s.source = { url: 'https://gtfs.org' };
      }),
    ),
    ['standard "gtfs" | source.title | missing'],
  );
});

test('a URL that is not https, or not a URL, is refused in specifications and source', () => {
  assert.deepEqual(
    problemsOf(
      withStandard('gtfs', (s) => {
        s.specifications = [{ title: 'Reference', url: 'http://gtfs.org/schedule/reference/' }];
        s.source = { title: 'gtfs.org', url: 'gtfs.org' };
      }),
    ),
    [
      'standard "gtfs" | specifications[0].url | "http://gtfs.org/schedule/reference/" is not an https URL',
      'standard "gtfs" | source.url | "gtfs.org" is not an https URL',
    ],
  );
  assert.match(
    problemsOf(
      withStandard('gtfs', (s) => {
        s.specifications = [{ title: 'Local', url: 'https://localhost/x' }];
      }),
    ).join('\n'),
    /specifications\[0\]\.url \| "https:\/\/localhost\/x" is not an https URL/,
  );
});

test('no specification, or the same link twice, is refused', () => {
  assert.deepEqual(
    problemsOf(
      withStandard('gtfs', (s) => {
        s.specifications = [];
      }),
    ),
    ['standard "gtfs" | specifications | must link at least one specification { title, url }'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('gtfs', (s) => {
        s.specifications = [
          { title: 'A', url: 'https://gtfs.org' },
          { title: 'B', url: 'https://gtfs.org' },
        ];
      }),
    ),
    ['standard "gtfs" | specifications[1].url | "https://gtfs.org" listed twice'],
  );
});

test('an unknown check or obligation, or an obligation without its basis, is refused', () => {
  assert.deepEqual(
    problemsOf(
      withStandard('netex', (s) => {
        s.check = 'netex';
      }),
    ),
    ['standard "netex" | check | must be one of publiccode, oparl, dcat-ap-de, gtfs, none, found "netex"'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('netex', (s) => {
        s.obligation = { status: 'required', basis: { de: 'x', en: 'y' } };
      }),
    ),
    ['standard "netex" | obligation.status | must be one of mandatory, recommended, found "required"'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('netex', (s) => {
        s.obligation = { status: 'mandatory' };
      }),
    ),
    ['standard "netex" | obligation.basis | missing'],
  );
});

test('a missing German purpose, a missing owner and an unknown field are refused', () => {
  const problems = problemsOf(
    withStandard('xmeld', (s) => {
      s.purpose = { de: ' ', en: 'Registers' };
      delete s.owner;
      s.maintainer = 'KoSIT';
    }),
  );
  assert.deepEqual(problems.sort(), [
    'standard "xmeld" | maintainer | unknown field',
    'standard "xmeld" | owner | missing',
    'standard "xmeld" | purpose.de | missing or empty German text',
  ]);
});

test('version: present (null allowed), as-of date valid and not after the publication', () => {
  assert.deepEqual(
    problemsOf(
      withStandard('xmeld', (s) => {
        delete s.version;
      }),
    ),
    ['standard "xmeld" | version | missing (null when the standard has no version number)'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('xmeld', (s) => {
        s.version = '';
      }),
    ),
    ['standard "xmeld" | version | must be a non-empty string'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('xmeld', (s) => {
        s.versionAsOf = '2026-02-30';
      }),
    ),
    ['standard "xmeld" | versionAsOf | must be an ISO date "YYYY-MM-DD"'],
  );
  assert.deepEqual(
    problemsOf(
      withStandard('xmeld', (s) => {
        s.versionAsOf = '2027-01-01';
      }),
    ),
    ['standard "xmeld" | versionAsOf | 2027-01-01 is after the catalogue\'s publication (2026-12-01)'],
  );
});

test('the catalogue level: model version, publication date, empty list', () => {
  const c = shipped();
  c.modelVersion = '2';
  c.published = '1.12.2026';
  c.standards = [];
  assert.deepEqual(problemsOf(c), [
    'catalogue | published | must be an ISO date "YYYY-MM-DD"',
    'catalogue | modelVersion | must name the maturity model version it was checked against ("1"), found "2"',
    'catalogue | standards | must be a non-empty array',
  ]);
  assert.deepEqual(problemsOf([]), ['catalogue | (root) | must be a JSON object']);
});

test('loading: the error message lists every problem; missing, unparsable and misnamed files are refused', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standards-'));
  try {
    assert.throws(() => loadStandards(undefined, { dir }), /no catalogue file v<n>\.json/);
    assert.throws(() => loadStandards('x', { dir }), /not a catalogue version/);
    assert.throws(() => loadStandards('3', { dir }), /catalogue file .*v3\.json not found/);
    fs.writeFileSync(path.join(dir, 'v1.json'), '{ "version": ');
    assert.throws(() => loadStandards('1', { dir }), /is not valid JSON/);
    const bad = withStandard('oparl', (s) => {
      s.sectors = ['rathaus'];
      s.check = 'x';
    });
    fs.writeFileSync(path.join(dir, 'v1.json'), JSON.stringify(bad));
    assert.throws(
      () => loadStandards('1', { dir }),
      (err: Error) =>
        err instanceof StandardsError &&
        err.message.startsWith('standards catalogue v1: 2 problems') &&
        err.message.includes('- standard "oparl", field "sectors[0]": unknown sector "rathaus"') &&
        err.message.includes('- standard "oparl", field "check"'),
    );
    const misnamed = shipped();
    fs.writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(misnamed));
    assert.throws(() => loadStandards('2', { dir }), /file v2\.json declares version "1"/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    clearStandardsCache();
  }
});

// ---------------------------------------------------------------------------------------------
// Who may recommend

const principal = (scopes: Principal['advisorScopes'], isPlatformAdmin = false): Principal => ({
  userId: 1,
  email: 'x@example.org',
  isPlatformAdmin,
  memberships: [],
  advisorScopes: scopes,
});

test('advisors of the centre may recommend; Land advisors, platform admins and others may not', () => {
  const r = { topic: 'mobilitaet', stateKey: null };
  assert.equal(can(principal([{ stateKey: null, topic: null }]), STANDARDS_ACTION.recommend, r), true);
  assert.equal(can(principal([{ stateKey: '16', topic: null }]), STANDARDS_ACTION.recommend, r), false);
  assert.equal(can(principal([], true), STANDARDS_ACTION.recommend, r), false);
  assert.equal(can(principal([]), STANDARDS_ACTION.recommend, r), false);
  assert.equal(can(null, STANDARDS_ACTION.recommend, r), false);
  // A Land advisor is not a centre advisor even when the resource names their Land.
  assert.equal(centreAdvisor(principal([{ stateKey: '16', topic: null }]), { ...r, stateKey: '16' }), false);
  // A centre advisor for one topic: that sector only; "any sector" (topic null) lets them see the form.
  const mobility = principal([{ stateKey: null, topic: 'mobilitaet' }]);
  assert.equal(can(mobility, STANDARDS_ACTION.recommend, r), true);
  assert.equal(can(mobility, STANDARDS_ACTION.recommend, { topic: 'verwaltung', stateKey: null }), false);
  assert.equal(can(mobility, STANDARDS_ACTION.recommend, { topic: null, stateKey: null }), true);
});

// ---------------------------------------------------------------------------------------------
// Recommendation input and filters

test('a recommendation needs a known sector, known standards (deduplicated) and a rationale', () => {
  const c = loadStandards();
  const fields = (input: Parameters<typeof validateRecommendation>[0]) => {
    try {
      validateRecommendation(input, c, model);
      return [];
    } catch (err) {
      return (err as { fieldErrors: { field: string; text: { key: string } }[] }).fieldErrors.map(
        (e) => `${e.field}:${e.text.key}`,
      );
    }
  };
  assert.deepEqual(fields({ sector: '', standards: [], rationale: ' ' }), [
    'sector:market.standards.err.sectorMissing',
    'standards:market.standards.err.standardsMissing',
    'rationale:market.standards.err.rationaleMissing',
  ]);
  assert.deepEqual(fields({ sector: 'rathaus', standards: ['xrechnung', 'xyz'], rationale: 'x'.repeat(5001) }), [
    'sector:market.standards.err.sector',
    'standards:market.standards.err.unknownStandard',
    'rationale:market.standards.err.rationaleLong',
  ]);
  assert.deepEqual(
    validateRecommendation(
      { sector: ' verwaltung ', standards: ['xrechnung', 'xrechnung', ' peppol'], rationale: ' Weil.\r\nSo. ' },
      c,
      model,
    ),
    { sector: 'verwaltung', standards: ['xrechnung', 'peppol'], rationale: 'Weil.\nSo.' },
  );
});

test('the filter: sector and obligation, unknown values are field errors', () => {
  const c = loadStandards();
  const ok = parseStandardsFilter({ sector: 'mobilitaet', obligation: 'mandatory' }, model);
  assert.deepEqual(ok.errors, []);
  const shown = filterStandards(c.standards, ok.filter);
  assert.ok(shown.length > 0);
  assert.ok(shown.every((s) => s.sectors.includes('mobilitaet') && s.obligation.status === 'mandatory'));
  assert.ok(shown.some((s) => s.id === 'netex'));
  assert.ok(!shown.some((s) => s.id === 'gtfs'), 'GTFS is recommended, not mandatory');
  const bad = parseStandardsFilter({ sector: 'mond', obligation: 'vielleicht' }, model);
  assert.deepEqual(
    bad.errors.map((e) => `${e.field}:${e.text.key}`),
    ['sector:market.standards.err.sector', 'obligation:market.standards.err.obligation'],
  );
  assert.equal(filterStandards(c.standards, {}).length, c.standards.length);
});
