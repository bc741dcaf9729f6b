import assert from 'node:assert/strict';
import { test } from 'node:test';
import { berlinMonthStart, monthsBack } from '../knowledge.service.js';
import { correctQuery, documentTerms, queryWords, spelledIn, toTsQuery } from '../search.js';

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

test('typo correction: the nearest published term within the atlas distance; known words and short words stay', () => {
  const text = 'Wie führen wir ein Bürgerportal ein? Mit der Bürgerportal-Software und einer Schulung.';
  const terms = new Map<string, number>();
  for (const term of documentTerms(text)) terms.set(term, (terms.get(term) ?? 0) + 1);
  const fix = correctQuery('Bürgerprotal Schulung', terms);
  assert.ok(fix, 'a transposition is corrected');
  assert.equal(fix.corrections.length, 1, 'the known word stays');
  assert.equal(fix.corrections[0]!.from, 'Bürgerprotal');
  assert.equal(spelledIn(fix.corrections[0]!.to, text), 'Bürgerportal', 'shown as the entry writes it');
  assert.equal(correctQuery('Schulung', terms), null, 'nothing to correct');
  assert.equal(correctQuery('Glasfaserausbau', terms), null, 'too far from every term');
  assert.equal(correctQuery('ein', terms), null);
  assert.equal(correctQuery('Shu', terms), null, 'below four letters no correction');
  // two letters off in a long word (distance 2) is bridged, three are not
  assert.ok(correctQuery('Bürgrportl', terms));
  assert.equal(correctQuery('Bxrgrportl', terms), null);
  // ties go to the term more entries use
  const tie = (a: number, b: number) =>
    correctQuery(
      'purtal',
      new Map([
        ['portal', a],
        ['partal', b],
      ]),
    )?.corrections[0]?.to;
  assert.equal(tie(1, 5), 'partal');
  assert.equal(tie(5, 1), 'portal');
  assert.equal(tie(2, 2), 'partal', 'then alphabetical');
});
