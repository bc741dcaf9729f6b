import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditCsvFileName, auditFilterFromQuery, auditQueryString } from '../audit.pages.js';
import { changedFields, csvCell, csvLine, hasChanges, REDACTED, scrubFields } from '../audit.service.js';

test('changedFields keeps only the fields that differ', () => {
  assert.deepEqual(
    changedFields(
      { name: 'Neustadt', role: 'member', verified: true, tags: ['a', 'b'], meta: { x: 1, y: 2 } },
      { name: 'Neustadt a. d. W.', role: 'member', verified: true, tags: ['a', 'b'], meta: { y: 2, x: 1 } },
    ),
    { before: { name: 'Neustadt' }, after: { name: 'Neustadt a. d. W.' } },
  );
  // nested values and arrays are compared by value, object key order does not matter
  assert.deepEqual(changedFields({ tags: ['a'] }, { tags: ['a', 'b'] }), {
    before: { tags: ['a'] },
    after: { tags: ['a', 'b'] },
  });
  // dates compare by instant
  const d = new Date('2025-01-01T00:00:00Z');
  assert.deepEqual(changedFields({ at: d }, { at: new Date(d.getTime()) }), { before: {}, after: {} });
  // null vs. a value is a change; a field on one side only appears on that side
  assert.deepEqual(changedFields({ a: null, gone: 1 }, { a: 0, added: 2 }), {
    before: { a: null, gone: 1 },
    after: { a: 0, added: 2 },
  });
  // undefined counts as absent
  assert.deepEqual(changedFields({ a: 1, b: undefined }, { a: 1 }), { before: {}, after: {} });
});

test('changedFields: creation and deletion keep the whole record; hasChanges', () => {
  assert.deepEqual(changedFields(null, { a: 1, b: undefined }), { before: null, after: { a: 1 } });
  assert.deepEqual(changedFields({ a: 1 }, null), { before: { a: 1 }, after: null });
  assert.equal(hasChanges(changedFields({ a: 1 }, { a: 1 })), false);
  assert.equal(hasChanges(changedFields({ a: 1 }, { a: 2 })), true);
  assert.equal(hasChanges(changedFields(null, {})), true);
});

test('scrubFields keeps e-mail addresses, passwords, hashes and tokens out of the log', () => {
  assert.deepEqual(
    scrubFields({
      email: 'anna@example.org',
      passwordHash: '$argon2id$…',
      passwordSet: true,
      emailVerified: false,
      tokenHash: 'abc',
      note: 'Kontakt: info@stadt.example.de',
      name: 'Stadt Neustadt',
      nested: { contact: 'x@y.de', count: 3, list: ['a@b.de', 'ok'] },
      at: new Date('2025-05-01T12:00:00Z'),
      missing: undefined,
      empty: null,
    }),
    {
      email: REDACTED,
      passwordHash: REDACTED,
      passwordSet: true,
      emailVerified: false,
      tokenHash: REDACTED,
      note: REDACTED,
      name: 'Stadt Neustadt',
      nested: { contact: REDACTED, count: 3, list: [REDACTED, 'ok'] },
      at: '2025-05-01T12:00:00.000Z',
      empty: null,
    },
  );
});

test('csvCell: RFC 4180 quoting', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell(42), '42');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('cr\rlf'), '"cr\rlf"');
  assert.equal(csvCell(new Date('2025-01-02T03:04:05Z')), '2025-01-02T03:04:05.000Z');
  assert.equal(csvLine(['a', 'b,c', null]), 'a,"b,c",\r\n');
});

test('csvCell: formula injection is defused with a leading single quote', () => {
  assert.equal(csvCell('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
  assert.equal(csvCell('+1+1'), "'+1+1");
  assert.equal(csvCell('-2+3'), "'-2+3");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell('\tcmd'), "'\tcmd");
  assert.equal(csvCell('a=b'), 'a=b', 'only a leading character matters');
  assert.equal(csvCell('=a,b'), `"'=a,b"`);
});

test('csvCell: numbers are not formulas and stay as they are', () => {
  assert.equal(csvCell(-5), '-5');
  assert.equal(csvCell(-12.5), '-12.5');
  assert.equal(csvCell(-0.000001), '-0.000001');
  assert.equal(csvCell(-1e21), '-1e+21');
  assert.equal(csvCell(-5n), '-5');
  assert.equal(csvCell('-3'), '-3');
  assert.equal(csvCell('-12.5'), '-12.5');
  assert.equal(csvLine([-5, '-12.5', 'x']), '-5,-12.5,x\r\n');
  // anything else that starts like a formula keeps the guard, numbers among them or not
  assert.equal(csvCell(Number.NEGATIVE_INFINITY), "'-Infinity");
  for (const text of ['-2+3', '-1e3', '-3,5', '- 3', '-.5', '-3.', '-', '--3', '-3 ', '+3', '+1.5', '-A1', '-0x10']) {
    assert.equal(csvCell(text).replace(/^"/, '')[0], "'", text);
  }
});

test('auditFilterFromQuery: valid filters, field errors for invalid ones', () => {
  const ok = auditFilterFromQuery({
    aktion: ' user.signup ',
    akteur: '12',
    organisation: '7',
    von: '2025-01-31',
    bis: '2025-02-28',
    vor: '99',
  });
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(ok.filter, {
    action: 'user.signup',
    actorUserId: 12,
    orgId: 7,
    from: '2025-01-31',
    to: '2025-02-28',
    beforeId: 99,
  });
  const bad = auditFilterFromQuery({ aktion: 'DROP TABLE', akteur: 'x', von: '2025-02-30', bis: '31.01.2025' });
  assert.deepEqual(
    bad.errors.map((e) => e.field),
    ['aktion', 'akteur', 'von', 'bis'],
  );
  assert.deepEqual(auditFilterFromQuery({ vor: 'abc', organisation: '5' }, { organisation: false }).filter, {});
  assert.equal(
    auditQueryString(ok.values, { vor: '5' }),
    '?aktion=user.signup&akteur=12&organisation=7&von=2025-01-31&bis=2025-02-28&vor=5',
  );
  assert.equal(auditQueryString({ aktion: '', akteur: '', organisation: '', von: '', bis: '' }), '');
  assert.equal(auditCsvFileName(new Date('2025-06-30T22:30:00Z')), 'kommunallotse-audit-2025-07-01.csv');
});
