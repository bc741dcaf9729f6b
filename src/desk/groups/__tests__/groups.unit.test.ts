import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { ValidationError } from '../../../platform/errors.js';
import {
  checkDocument,
  formatSize,
  isIsoDate,
  joinableOrgs,
  LIMITS,
  parseDecisionForm,
  parseGroupForm,
  parseInvitee,
  parseThreadForm,
  standingOf,
} from '../model.js';
import { renderTemplate, TEMPLATE_KINDS, templateFilename, templateOutline } from '../templates.js';

const PDF = Buffer.from('%PDF-1.4\n%test\n');
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return err.fieldErrors.map((e) => `${e.field}:${e.text.key}`);
  }
  assert.fail('expected a validation error');
};

describe('cooperation groups: standing of the actor', () => {
  const members = [
    { orgId: 1, state: 'member' as const },
    { orgId: 2, state: 'member' as const },
    { orgId: 3, state: 'invited' as const },
    { orgId: 4, state: 'requested' as const },
  ];
  test('a member of the lead workspace leads; a member of another member workspace does not', () => {
    assert.deepEqual(standingOf([1], 1, members), {
      memberOrgs: [1],
      invitedOrgs: [],
      requestedOrgs: [],
      isLead: true,
    });
    assert.equal(standingOf([2], 1, members).isLead, false);
    assert.deepEqual(standingOf([2], 1, members).memberOrgs, [2]);
  });
  test('invited and asking workspaces are not members', () => {
    assert.deepEqual(standingOf([3, 4, 9], 1, members), {
      memberOrgs: [],
      invitedOrgs: [3],
      requestedOrgs: [4],
      isLead: false,
    });
  });
  test('only workspaces that are not in the group at all may ask to join', () => {
    assert.deepEqual(joinableOrgs([1, 3, 4, 5], members), [5]);
  });
});

describe('cooperation groups: forms', () => {
  test('a group needs a title; region is digits or empty; listing is a checkbox', () => {
    assert.deepEqual(parseGroupForm({ title: ' Bürgerportal ', description: '', region: '16063', listed: '1' }), {
      title: 'Bürgerportal',
      description: '',
      regionKey: '16063',
      listed: true,
    });
    assert.equal(parseGroupForm({ title: 'Portal' }).listed, false);
    assert.deepEqual(
      fieldsOf(() => parseGroupForm({ title: 'ab', region: 'Gotha' })),
      ['title:desk.groups.err.title', 'region:desk.groups.err.region'],
    );
  });
  test('threads and decisions report every field at once, under the page’s field names', () => {
    assert.deepEqual(
      fieldsOf(() => parseThreadForm({ threadTitle: '', threadBody: '' })),
      ['threadTitle:desk.groups.err.title', 'threadBody:desk.groups.err.body'],
    );
    assert.deepEqual(
      fieldsOf(() => parseDecisionForm({ decisionTitle: 'x', decidedOn: '2027-02-30' })),
      ['decisionTitle:desk.groups.err.title', 'decidedOn:desk.groups.err.date'],
    );
    assert.deepEqual(parseDecisionForm({ decisionTitle: 'Ausschreibung', decidedOn: '2027-03-10' }), {
      title: 'Ausschreibung',
      body: '',
      decidedOn: '2027-03-10',
    });
  });
  test('dates are real calendar dates', () => {
    assert.equal(isIsoDate('2028-02-29'), true);
    assert.equal(isIsoDate('2027-02-29'), false);
    assert.equal(isIsoDate('10.03.2027'), false);
  });
  test('an invitee is a register key or a name', () => {
    assert.deepEqual(parseInvitee(' 16051 '), { key: '16051' });
    assert.deepEqual(parseInvitee('Erfurt'), { name: 'Erfurt' });
    assert.deepEqual(
      fieldsOf(() => parseInvitee('x')),
      ['invitee:desk.groups.err.invitee'],
    );
  });
});

describe('cooperation groups: documents', () => {
  test('a PDF is recognised by its bytes and gets a safe name', () => {
    const c = checkDocument({ filename: 'Protokoll März.pdf', bytes: PDF }, 0);
    assert.equal(c.mediaType, 'application/pdf');
    assert.equal(c.filename, 'Protokoll-Marz.pdf');
  });
  test('limits: empty, over 10 MB, over 100 MB per group, a type that is not allowed', () => {
    assert.deepEqual(
      fieldsOf(() => checkDocument(null, 0)),
      ['file:desk.groups.err.fileEmpty'],
    );
    const big = Buffer.alloc(LIMITS.fileBytes + 1, 0x20);
    big.write('%PDF-1.4');
    assert.deepEqual(
      fieldsOf(() => checkDocument({ filename: 'a.pdf', bytes: big }, 0)),
      ['file:desk.groups.err.fileTooLarge'],
    );
    assert.deepEqual(
      fieldsOf(() => checkDocument({ filename: 'a.pdf', bytes: PDF }, LIMITS.groupBytes - PDF.length + 1)),
      ['file:desk.groups.err.groupFull'],
    );
    assert.equal(
      checkDocument({ filename: 'a.pdf', bytes: PDF }, LIMITS.groupBytes - PDF.length).mediaType,
      'application/pdf',
    );
    assert.deepEqual(
      fieldsOf(() => checkDocument({ filename: 'tool.pdf', bytes: Buffer.from('MZ\u0090\u0000') }, 0)),
      ['file:desk.groups.err.fileType'],
    );
    assert.deepEqual(
      fieldsOf(() => checkDocument({ filename: 'page.html', bytes: Buffer.from('<html><script></script>') }, 0)),
      ['file:desk.groups.err.fileType'],
    );
  });
  test('sizes for people', () => {
    assert.equal(formatSize(300), '1 KB');
    assert.equal(formatSize(3.4 * 1024 * 1024, 'de'), '3,4 MB');
  });
});

describe('cooperation groups: agreement templates', () => {
  const input = {
    title: 'Gemeinsames Bürgerportal',
    description: 'Ein Portal für den Landkreis.',
    members: [
      { name: 'Eisenach', lead: true },
      { name: 'Gotha', lead: false },
    ],
    date: '10.03.2027',
  };
  test('both outlines have the agreed sections, the members, the legal basis and the note that it is not advice', () => {
    for (const kind of TEMPLATE_KINDS) {
      const o = templateOutline(kind, input);
      assert.equal(o.languageTag, 'de-DE');
      const ids = o.sections.map((s) => s.id);
      assert.deepEqual(ids, [
        'hinweis',
        'beteiligte',
        'gegenstand',
        'aufgaben',
        'kosten',
        'datenschutz',
        'laufzeit',
        'streit',
        'schluss',
      ]);
      const all = JSON.stringify(o);
      for (const s of [
        'Eisenach (federführend)',
        'Gotha',
        'Gemeinsames Bürgerportal',
        'KommZG',
        'GkG NRW',
        'KGG',
        'keine Rechtsberatung',
        'Art. 28 DSGVO',
      ])
        assert.ok(all.includes(s), `${kind} mentions ${s}`);
    }
  });
  test('the DOCX has real headings, the members and the German language', async () => {
    const docx = await renderTemplate('zweckverband', input);
    const files = unzipSync(new Uint8Array(docx));
    const xml = strFromU8(files['word/document.xml']!);
    assert.match(xml, /Eisenach \(federführend\)/);
    assert.match(xml, /Gotha/);
    assert.match(xml, /<w:pStyle w:val="Heading1"\/>/);
    assert.match(xml, /§ 5 Datenschutz und Auftragsverarbeitung/);
    const styles = strFromU8(files['word/styles.xml']!);
    assert.match(styles + xml, /w:lang [^>]*w:val="de-DE"/);
  });
  test('file names are ASCII slugs', () => {
    assert.equal(
      templateFilename('vereinbarung', 'Gemeinsames Bürgerportal (Kreis)'),
      'vereinbarung-gemeinsames-buergerportal-kreis.docx',
    );
  });
});

describe('cooperation groups: the actions’ rules', async () => {
  const { GROUP_ACTIONS } = await import('../groups.service.js');
  const { can } = await import('../../../platform/policy.js');
  const p = (orgId: number, kind: 'region' | 'provider' = 'region') => ({
    userId: 1,
    email: 'a@example.org',
    isPlatformAdmin: false,
    memberships: [{ orgId, kind, role: 'member' as const }],
    advisorScopes: [],
  });
  const group = { orgId: 1, memberOrgIds: [1, 2], invitedOrgIds: [3] };
  test('taking part: members of member workspaces only (not invited, not platform admins)', () => {
    assert.equal(can(p(2), GROUP_ACTIONS['cooperation.take-part'], group), true);
    assert.equal(can(p(3), GROUP_ACTIONS['cooperation.take-part'], group), false);
    assert.equal(can({ ...p(9), isPlatformAdmin: true }, GROUP_ACTIONS['cooperation.take-part'], group), false);
  });
  test('leading: members of the lead workspace; responding: members of an invited one; founding: municipal', () => {
    assert.equal(can(p(1), GROUP_ACTIONS['cooperation.lead'], group), true);
    assert.equal(can(p(2), GROUP_ACTIONS['cooperation.lead'], group), false);
    assert.equal(can(p(3), GROUP_ACTIONS['cooperation.respond'], group), true);
    assert.equal(can(p(2), GROUP_ACTIONS['cooperation.respond'], group), false);
    assert.equal(can(p(5), GROUP_ACTIONS['cooperation.found'], { orgId: 5 }), true);
    assert.equal(can(p(5, 'provider'), GROUP_ACTIONS['cooperation.found'], { orgId: 5 }), false);
  });
});
