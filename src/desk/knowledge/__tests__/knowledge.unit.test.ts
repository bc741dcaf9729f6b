import assert from 'node:assert/strict';
import { test } from 'node:test';
import { berlinMonthStart, monthsBack } from '../knowledge.service.js';
import { documentTerms, queryWords, toTsQuery } from '../search.js';

test('search terms: inflections meet ("digitalisieren" and "Digitalisierung"), compounds keep their parts', () => {
  const doc = documentTerms('Die Digitalisierung der Bürgerportale und die E-Akte');
  assert.ok(doc.includes('digitalisier'));
  assert.ok(doc.includes('burgerportal') && doc.includes('portal') && doc.includes('burger'));
  assert.ok(doc.includes('akte'));
  assert.deepEqual(queryWords('digitalisieren'), [[['digitalisier']]]);
  assert.equal(
    toTsQuery(queryWords('Bürgerportal digitalisieren'), 'and'),
    "(('burgerportal') | ('burger' & 'portal')) & (('digitalisier'))",
  );
  assert.deepEqual(queryWords('der die das und'), [], 'stop words only: no query');
  assert.ok(!toTsQuery(queryWords("x' OR '1'='1"), 'or').includes("''"), 'no quote gets into the tsquery');
});

test('months of the period in Europe/Berlin, across the change to summer time', () => {
  assert.equal(berlinMonthStart('2026-01').toISOString(), '2025-12-31T23:00:00.000Z');
  assert.equal(berlinMonthStart('2026-04').toISOString(), '2026-03-31T22:00:00.000Z');
  const p = monthsBack(new Date('2026-06-15T10:00:00Z'), 3);
  assert.deepEqual(p.months, ['2026-04', '2026-05', '2026-06']);
  assert.equal(p.from.toISOString(), '2026-03-31T22:00:00.000Z');
  // the first hour of a month in Berlin is still the previous month in UTC
  assert.deepEqual(monthsBack(new Date('2026-06-30T22:30:00Z'), 1).months, ['2026-07']);
  assert.equal(monthsBack(new Date('2026-01-10T00:00:00Z'), 12).months[0], '2025-02');
});
