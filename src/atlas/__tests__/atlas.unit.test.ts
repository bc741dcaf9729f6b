import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { safeFilename, sniffMediaType } from '../atlas.service.js';
import { atlasLagebild } from '../lagebild.js';
import { plainText, renderMarkdown } from '../markdown.js';
import { emptyPractice, validatePractice } from '../model.js';
import { formField, formValuesOf, parsePracticeForm } from '../practice-form.js';
import { largestGaps, tier } from '../recommend.js';

describe('Markdown of descriptions', () => {
  test('raw HTML is text, javascript: links are dropped, headings start below the page’s own', () => {
    const html = renderMarkdown(
      '# Titel\n\n<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)',
    );
    assert.ok(!html.includes('<script>'));
    assert.match(html, /&lt;script&gt;/);
    assert.ok(!html.includes('href="javascript:'));
    assert.match(html, /<a href="https:\/\/example.org" rel="nofollow noopener">ok<\/a>/);
    assert.match(html, /^<h3>Titel<\/h3>/);
    assert.ok(!renderMarkdown('![bild](https://example.org/a.png)').includes('<img'));
  });
  test('plain text keeps the words and drops the markup', () => {
    assert.equal(plainText('**Bauanträge** werden\n- online\n- geprüft'), 'Bauanträge werden online geprüft');
  });
});

describe('attachments', () => {
  test('the type comes from the content, not the name', () => {
    assert.equal(sniffMediaType(Buffer.from('%PDF-1.7\n')), 'application/pdf');
    assert.equal(sniffMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0])), 'image/png');
    assert.equal(sniffMediaType(Buffer.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
    assert.equal(sniffMediaType(Buffer.from('MZ\x90\x00')), null);
    assert.equal(sniffMediaType(Buffer.from('<svg onload=alert(1)>')), null);
  });
  test('file names are safe in a header and carry the extension of the detected type', () => {
    assert.equal(safeFilename('Bauplan Übersicht.exe', 'application/pdf'), 'Bauplan-Ubersicht.pdf');
    assert.equal(safeFilename('"; rm -rf /.png', 'image/png'), 'rm--rf.png');
    assert.equal(safeFilename('....', 'image/jpeg'), 'anhang.jpg');
  });
});

describe('the practice form', () => {
  test('lists, numbers and the contact are read; what cannot be read is a field error', () => {
    const { content, errors } = parsePracticeForm({
      title: ' Rufbus ',
      regions: '09162000, 09184',
      providers: 'Firma A\r\nFirma B\n',
      sectors: ['mobilitaet', 'energie-umwelt'],
      startYear: '2021',
      endYear: 'bald',
      costOneOff: '12.500 €',
      tags: 'Rufbus; On-Demand',
      contactEmail: 'Verkehr@Kommune.de',
      contactVisible: 'ja',
    });
    assert.equal(content.title, 'Rufbus');
    assert.deepEqual(content.regions, ['09162000', '09184']);
    assert.deepEqual(content.providers, ['Firma A', 'Firma B']);
    assert.deepEqual(content.sectors, ['mobilitaet', 'energie-umwelt']);
    assert.equal(content.startYear, 2021);
    assert.equal(content.costOneOff, 12500);
    assert.deepEqual(content.tags, ['Rufbus', 'On-Demand']);
    assert.deepEqual(content.contact, { name: '', email: 'verkehr@kommune.de', phone: '', visible: true });
    assert.deepEqual(
      errors.map((e) => e.field),
      ['endYear'],
    );
  });
  test('the saved content fills the form again unchanged', () => {
    const c = {
      ...emptyPractice(),
      title: 'A',
      regions: ['09162000'],
      tags: ['x', 'y'],
      indicators: ['62 %'],
      startYear: 2020,
    };
    assert.deepEqual(parsePracticeForm(formValuesOf(c)).content, c);
  });
  test('validation names nested fields; the form maps them to its inputs', () => {
    const c = {
      ...emptyPractice(),
      links: { website: 'javascript:alert(1)', repository: '', publiccode: '' },
      sectors: ['x'],
    };
    const fields = validatePractice(c, { complete: true }).map((e) => e.field);
    assert.deepEqual(fields, ['title', 'summary', 'regions', 'sectors[0]', 'links.website']);
    assert.equal(formField('links.website'), 'website');
    assert.equal(formField('sectors[0]'), 'sectors');
  });
});

describe('"Kommunen wie Ihre"', () => {
  test('the largest gaps are the lowest-scored dimensions below the top', () => {
    assert.deepEqual(largestGaps({ sg: 80, ps: 20, ic: null, di: 20, vs: 100, is: 55 }), ['di', 'ps']);
    assert.deepEqual(largestGaps({ sg: 100 }), []);
  });
  test('alike and in the same Land first, then alike nationwide, then the same Land, then the rest', () => {
    const me = { stateKey: '09', sizeClass: '5000-20000', regionType: 'gemeinde' };
    const p = (stateKey: string, sizeClass: string, regionKind: string) => ({ stateKey, sizeClass, regionKind });
    assert.equal(tier(p('09', '5000-20000', 'gemeinde'), me), 0);
    assert.equal(tier(p('05', '5000-20000', 'gemeinde'), me), 1);
    assert.equal(tier(p('09', '>500000', 'kreisfreie-stadt'), me), 2);
    assert.equal(tier(p('05', '5000-20000', 'kreis'), me), 3);
  });
});

describe('know-how transfer in the Lagebild', () => {
  const municipalities = { total: 100, byState: { '01': 30, '02': 30, '03': 40 } };
  test('a Land with 1..k−1 adopters is withheld, and one more so that the national total does not reveal it', () => {
    const f = atlasLagebild(
      [
        { stateKey: '01', projects: 3, reuses: 2, adopters: 2 },
        { stateKey: '02', projects: 9, reuses: 7, adopters: 6 },
        { stateKey: '03', projects: 4, reuses: 9, adopters: 8 },
      ],
      municipalities,
      false,
    );
    assert.equal(f.byState['01']!.adopters, null);
    assert.equal(f.suppressed['01'], 'primary');
    // 2 withheld adopters would be national (16) − 6 − 8: the smallest visible Land is withheld too.
    assert.equal(f.suppressed['02'], 'complementary');
    assert.equal(f.byState['02']!.share, null);
    assert.equal(f.byState['03']!.adopters, 8);
    assert.equal(f.byState['03']!.share, 0.2);
    // Projects are public pages and always shown.
    assert.equal(f.byState['01']!.projects, 3);
    assert.equal(f.total.adopters, 16);
  });
  test('below k nationally, nothing of the reuses is shown', () => {
    const f = atlasLagebild([{ stateKey: '01', projects: 1, reuses: 1, adopters: 1 }], municipalities, true);
    assert.equal(f.total.adopters, null);
    assert.equal(f.byState['01']!.reuses, null);
    assert.equal(f.includesDemo, true);
  });
});
