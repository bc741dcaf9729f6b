import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ValidationError } from '../../../platform/errors.js';
import {
  afterAssignment,
  afterMunicipalReply,
  canTransition,
  chooseRule,
  nextAssignee,
  parseContext,
  parseInquiryForm,
  STATUSES,
  safeFilename,
  sniffMediaType,
} from '../model.js';

describe('routing rule choice', () => {
  const rules = [
    { id: 1, stateKey: null, sector: null, teamId: 10 },
    { id: 2, stateKey: null, sector: 'mobilitaet', teamId: 20 },
    { id: 3, stateKey: '09', sector: null, teamId: 30 },
    { id: 4, stateKey: '09', sector: 'mobilitaet', teamId: 40 },
    { id: 5, stateKey: '06', sector: 'bildung', teamId: 50 },
  ];
  test('Land and sector beat Land, Land beats sector, sector beats the catch-all', () => {
    assert.equal(chooseRule(rules, '09', 'mobilitaet')?.id, 4);
    assert.equal(chooseRule(rules, '09', 'bildung')?.id, 3);
    assert.equal(chooseRule(rules, '16', 'mobilitaet')?.id, 2);
    assert.equal(chooseRule(rules, '16', 'bildung')?.id, 1);
    assert.equal(chooseRule(rules, '06', 'bildung')?.id, 5);
    // Both the Land's rule and the sector's rule match: the Land's wins.
    assert.equal(
      chooseRule(
        rules.filter((r) => r.id !== 4),
        '09',
        'mobilitaet',
      )?.id,
      3,
    );
  });
  test('the order of the rules does not matter', () => {
    assert.equal(chooseRule([...rules].reverse(), '09', 'mobilitaet')?.id, 4);
    assert.equal(chooseRule([...rules].reverse(), '09', 'bildung')?.id, 3);
  });
  test('no rule matches: null (the national team takes it)', () => {
    assert.equal(chooseRule(rules.slice(2), '16', 'bildung'), null);
    assert.equal(chooseRule([], '16', 'bildung'), null);
  });
});

describe('round robin', () => {
  const team = [
    { userId: 7, available: true },
    { userId: 3, available: true },
    { userId: 5, available: false },
    { userId: 9, available: true },
  ];
  test('the available member after the last one, in id order, wrapping around', () => {
    assert.equal(nextAssignee(team, null), 3);
    assert.equal(nextAssignee(team, 3), 7, 'skips the absent 5');
    assert.equal(nextAssignee(team, 7), 9);
    assert.equal(nextAssignee(team, 9), 3, 'wraps');
    assert.equal(nextAssignee(team, 5), 7, 'the last one is absent now');
    assert.equal(nextAssignee(team, 42), 3, 'the last one left the team');
  });
  test('four inquiries go to three available members in turn', () => {
    let last: number | null = null;
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      last = nextAssignee(team, last);
      got.push(last!);
    }
    assert.deepEqual(got, [3, 7, 9, 3]);
  });
  test('nobody available: null (the inquiry stays new for the team)', () => {
    assert.equal(nextAssignee([{ userId: 1, available: false }], null), null);
    assert.equal(nextAssignee([], 1), null);
  });
});

describe('state machine', () => {
  test('advisor transitions', () => {
    assert.ok(canTransition('new', 'in_progress', 'advisor'));
    assert.ok(canTransition('assigned', 'waiting', 'advisor'));
    assert.ok(canTransition('in_progress', 'answered', 'advisor'));
    assert.ok(canTransition('waiting', 'in_progress', 'advisor'));
    assert.ok(canTransition('answered', 'closed', 'advisor'));
    assert.ok(canTransition('closed', 'in_progress', 'advisor'));
    assert.ok(!canTransition('new', 'answered', 'advisor'), 'an answer needs a message');
    assert.ok(!canTransition('new', 'assigned', 'advisor'), 'assigned only with an assignee');
    assert.ok(!canTransition('closed', 'answered', 'advisor'));
    for (const s of STATUSES) assert.ok(!canTransition(s, s, 'advisor'), `${s} to itself`);
  });
  test('the municipality may only close an answered inquiry; the system only assigns new ones', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        assert.equal(canTransition(from, to, 'municipality'), from === 'answered' && to === 'closed', `${from}→${to}`);
        assert.equal(canTransition(from, to, 'system'), from === 'new' && to === 'assigned');
      }
    }
  });
  test('a reply of the municipality reopens answered and closed, and ends waiting', () => {
    assert.equal(afterMunicipalReply('answered'), 'in_progress');
    assert.equal(afterMunicipalReply('closed'), 'in_progress');
    assert.equal(afterMunicipalReply('waiting'), 'in_progress');
    assert.equal(afterMunicipalReply('new'), 'new');
    assert.equal(afterMunicipalReply('assigned'), 'assigned');
    assert.equal(afterAssignment('new'), 'assigned');
    assert.equal(afterAssignment('waiting'), 'waiting');
  });
});

describe('attachments by their bytes', () => {
  const zip = (...names: string[]) =>
    Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(26), ...names.map((n) => Buffer.from(n))]);
  test('signatures, whatever the name says', () => {
    assert.equal(sniffMediaType(Buffer.from('%PDF-1.7\n'), 'x.txt'), 'application/pdf');
    assert.equal(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]), 'a'), 'image/png');
    assert.equal(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'a.pdf'), 'image/jpeg');
    assert.equal(
      sniffMediaType(zip('[Content_Types].xml', 'word/document.xml'), 'a.zip'),
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    assert.equal(
      sniffMediaType(zip('[Content_Types].xml', 'xl/workbook.xml'), 'a'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    assert.equal(
      sniffMediaType(zip('mimetypeapplication/vnd.oasis.opendocument.text'), 'a'),
      'application/vnd.oasis.opendocument.text',
    );
    assert.equal(sniffMediaType(zip('evil.exe'), 'a.docx'), null, 'some other ZIP');
  });
  test('CSV and TXT: valid UTF-8 text without control characters, by extension', () => {
    assert.equal(sniffMediaType(Buffer.from('a;b\r\nÄ;1\n'), 'liste.CSV'), 'text/csv');
    assert.equal(sniffMediaType(Buffer.from('Hallo\tWelt'), 'notiz.txt'), 'text/plain');
    assert.equal(sniffMediaType(Buffer.from('Hallo'), 'notiz.html'), null);
    assert.equal(sniffMediaType(Buffer.from([0x4d, 0x5a, 0x00, 0x01]), 'prog.txt'), null, 'binary');
    assert.equal(sniffMediaType(Buffer.from([0xc3, 0x28]), 'x.csv'), null, 'invalid UTF-8');
  });
  test('safe file names carry the recognised type’s extension', () => {
    assert.equal(safeFilename('Übersicht Haushalt 2026.exe', 'application/pdf'), 'Ubersicht-Haushalt-2026.pdf');
    assert.equal(safeFilename('"; rm -rf', 'text/plain'), 'rm--rf.txt');
    assert.equal(safeFilename('...', 'image/png'), 'anhang.png');
  });
});

describe('the question form', () => {
  test('every error at once', () => {
    assert.throws(
      () => parseInquiryForm({ subject: 'x', body: 'kurz', sector: 'raumfahrt', urgency: 'sofort' }),
      (err: unknown) =>
        err instanceof ValidationError &&
        JSON.stringify(err.fieldErrors.map((e) => e.field)) === '["subject","body","sector","urgency"]',
    );
  });
  test('a valid question with a context; a malformed context is dropped', () => {
    const q = parseInquiryForm({
      subject: '  Ausschreibung ',
      body: 'Wie schreiben wir aus?',
      sector: 'verwaltung',
      kontext: 'measure',
      ref: 'digitalbeauftragte-benennen',
    });
    assert.deepEqual(q, {
      subject: 'Ausschreibung',
      body: 'Wie schreiben wir aus?',
      sector: 'verwaltung',
      urgency: 'normal',
      context: { kind: 'measure', ref: 'digitalbeauftragte-benennen' },
    });
    assert.equal(parseContext('measure', '../../etc'), null);
    assert.equal(parseContext('anything', 'x'), null);
  });
});
