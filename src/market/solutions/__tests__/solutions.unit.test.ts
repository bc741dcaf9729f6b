import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { comparisonCsv, comparisonTable } from '../compare.js';
import { parseSolutionForm, solutionFormValues } from '../form.js';
import { emptySolution, mergePubliccode, type SolutionContent, validateSolution } from '../model.js';
import { type ComparedSolution, parseCompareIds, parseSolutionQuery } from '../solutions.service.js';

const vocab = { sectors: new Set(['verwaltung', 'mobilitaet']), knownStandard: (id: string) => id !== 'erfunden' };
const complete = (): SolutionContent => ({
  ...emptySolution(),
  name: 'Ratsinformationssystem',
  summary: 'Sitzungen online.',
  problem: 'Gremienarbeit ohne Papier.',
  sectors: ['verwaltung'],
  operatingModels: ['saas'],
  priceModel: 'subscription',
});
const fields = (c: SolutionContent, complete: boolean) =>
  validateSolution(c, { complete }, vocab).map((e) => `${e.field}:${e.text.key}`);

test('a draft may be empty; submitting needs name, summary, problem, sector, operating and price model', () => {
  assert.deepEqual(fields(emptySolution(), false), []);
  assert.deepEqual(fields(emptySolution(), true), [
    'name:market.solutions.err.required',
    'summary:market.solutions.err.required',
    'problem:market.solutions.err.required',
    'sectors:market.solutions.err.required',
    'operatingModels:market.solutions.err.required',
    'priceModel:market.solutions.err.required',
  ]);
  assert.deepEqual(fields(complete(), true), []);
});

test('controlled lists, URLs, the open-source licence and the contact are checked', () => {
  const c = {
    ...complete(),
    sectors: ['verwaltung', 'raumfahrt'],
    operatingModels: ['saas', 'cloud'] as never,
    dataLocation: 'mars' as never,
    priceModel: 'gratis' as never,
    standards: ['oparl', 'erfunden', 'oparl'],
    website: 'javascript:alert(1)',
    openSource: true,
    licence: '',
    contact: { name: '', email: 'keine-adresse', phone: '', visible: true },
  };
  assert.deepEqual(fields(c, true), [
    'sectors[1]:market.solutions.err.unknownId',
    'dataLocation:market.solutions.err.oneOf',
    'operatingModels[1]:market.solutions.err.unknownId',
    'licence:market.solutions.err.required',
    'website:market.solutions.err.url',
    'priceModel:market.solutions.err.oneOf',
    'standards[1]:market.solutions.err.unknownId',
    'standards:market.solutions.err.duplicate',
    'contact.name:market.solutions.err.required',
    'contact.email:market.solutions.err.email',
  ]);
  // The standard predicate is the caller's: the same id passes with another catalogue.
  assert.deepEqual(
    validateSolution(
      { ...complete(), standards: ['erfunden'] },
      { complete: true },
      {
        ...vocab,
        knownStandard: () => true,
      },
    ),
    [],
  );
});

test('the form round-trips the content', () => {
  const c: SolutionContent = {
    ...complete(),
    dataLocation: 'germany',
    hostingNote: 'Frankfurt am Main',
    operatingModels: ['saas', 'on-premises'],
    openSource: true,
    licence: 'EUPL-1.2',
    dependencies: ['PostgreSQL', 'Keycloak'],
    standards: ['oparl'],
    contact: { name: 'Erika Muster', email: 'vertrieb@anbieter.example', phone: '', visible: true },
  };
  assert.deepEqual(parseSolutionForm(solutionFormValues(c)), c);
});

test('the publiccode.yml prefill fills what the file says and keeps what it does not', () => {
  const base = { ...complete(), licence: 'proprietär', maintenance: 'Vertrag' };
  const { content, filled } = mergePubliccode(base, {
    name: 'Decidim',
    licence: 'AGPL-3.0-or-later',
    openSource: true,
    dependencies: ['PostgreSQL'],
    maintenance: '',
    // not a publiccode field: ignored
    ...({ priceModel: 'free' } as object),
  });
  assert.deepEqual(filled, ['name', 'licence', 'openSource', 'dependencies']);
  assert.equal(content.name, 'Decidim');
  assert.equal(content.maintenance, 'Vertrag');
  assert.equal(content.priceModel, 'subscription');
  assert.equal(content.summary, base.summary);
});

test('list queries and comparison ids are read strictly', () => {
  assert.deepEqual(parseSolutionQuery({ sector: 'verwaltung', openSource: 'true', limit: '5' }, vocab), {
    sector: 'verwaltung',
    standard: null,
    operatingModel: null,
    openSource: true,
    conformant: null,
    limit: 5,
    offset: 0,
  });
  assert.throws(() => parseSolutionQuery({ operatingModel: 'cloud' }, vocab), /validation/i);
  assert.throws(() => parseSolutionQuery({ openSource: 'vielleicht' }, vocab));
  assert.throws(() => parseSolutionQuery({ limit: '500' }, vocab));
  assert.deepEqual(parseCompareIds('3,1, 2,3'), [3, 1, 2]);
  assert.throws(() => parseCompareIds('1,2,3,4,5'));
  assert.throws(() => parseCompareIds(''));
  assert.throws(() => parseCompareIds('1,x'));
});

test('the comparison CSV: semicolons, BOM, one column per solution, claims apart from checks, formula-safe', () => {
  const item = (
    id: number,
    c: Partial<SolutionContent>,
    verdicts: [string, 'conformant'][] = [],
  ): ComparedSolution => ({
    row: { id, providerName: id === 1 ? '=HYPERLINK("x")' : 'Anbieter B' } as ComparedSolution['row'],
    content: { ...complete(), ...c },
    references: [],
    rating: null,
    verdicts: new Map(verdicts),
  });
  const table = comparisonTable(
    [item(1, { name: 'A; B', standards: ['oparl'] }), item(2, { name: 'C', standards: [] }, [['gtfs', 'conformant']])],
    TEST_T,
    'de',
    (id) => `https://lotse.example/loesungen/${id}`,
  );
  const csv = comparisonCsv(table, TEST_T);
  assert.ok(csv.startsWith('\ufeffMerkmal;"A; B";C\r\n'));
  const lines = csv.slice(1).split('\r\n');
  assert.equal(
    lines.find((l) => l.startsWith('Anbieter;')),
    `Anbieter;"'=HYPERLINK(""x"")";Anbieter B`,
  );
  assert.equal(
    lines.find((l) => l.startsWith('Standards laut Anbieter;')),
    'Standards laut Anbieter;oparl;–',
  );
  assert.equal(
    lines.find((l) => l.startsWith('Geprüfte Konformität;')),
    'Geprüfte Konformität;Noch keine Prüfung durch die Plattform.;gtfs: konform (geprüft)',
  );
  assert.equal(
    lines.find((l) => l.startsWith('Bestätigte Referenzen;')),
    'Bestätigte Referenzen;0;0',
  );
});
