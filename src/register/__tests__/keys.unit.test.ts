import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createI18n } from '../../modules.js';
import { agsToArs, arsToAgs, isStateCode, kreisOf, levelOfKey, parseRegionKey } from '../keys.js';
import { baseName, fold, searchForms, translit } from '../search-normalize.js';

test('parseRegionKey: every level by its length', () => {
  assert.deepEqual(parseRegionKey('09'), { ok: true, kind: 'key', key: '09', level: 'land' });
  assert.deepEqual(parseRegionKey('091'), { ok: true, kind: 'key', key: '091', level: 'regierungsbezirk' });
  assert.deepEqual(parseRegionKey('0811'), { ok: true, kind: 'key', key: '0811', level: 'region' });
  assert.deepEqual(parseRegionKey('09162'), { ok: true, kind: 'key', key: '09162', level: 'kreis' });
  assert.deepEqual(parseRegionKey('09162000'), { ok: true, kind: 'key', key: '09162000', level: 'gemeinde' });
  assert.deepEqual(parseRegionKey('091620000'), {
    ok: true,
    kind: 'key',
    key: '091620000',
    level: 'gemeindeverband',
  });
  assert.deepEqual(parseRegionKey(' 091620000000 '), {
    ok: true,
    kind: 'ars',
    ars: '091620000000',
    ags: '09162000',
  });
});

test('parseRegionKey: malformed keys are refused with a reason', () => {
  for (const [input, pattern] of [
    ['', /nur aus Ziffern/],
    ['0916200A', /nur aus Ziffern/],
    ['09-162', /nur aus Ziffern/],
    ['00162000', /kein Länderschlüssel/],
    ['17162000', /kein Länderschlüssel/],
    ['091620', /nicht 6/],
    ['0916200', /nicht 7/],
    ['0916200000000', /nicht 13/],
  ] as const) {
    const r = parseRegionKey(input);
    assert.equal(r.ok, false, input);
    if (!r.ok) assert.match(createI18n().text('de', r.reason), pattern, input);
  }
});

test('AGS ⇄ ARS', () => {
  // Gemeinde Uder: ARS 160615051119 = Kreis 16061 + Verband 5051 + Gemeinde 119 → AGS 16061119
  assert.equal(arsToAgs('160615051119'), '16061119');
  assert.equal(agsToArs('16061119', '5051'), '160615051119');
  assert.equal(arsToAgs(agsToArs('09162000', '0000')), '09162000');
  assert.throws(() => arsToAgs('1606151119'), /12-digit/);
  assert.throws(() => agsToArs('1606111', '5051'), /8-digit/);
  assert.throws(() => agsToArs('16061119', '51'), /4-digit/);
  assert.equal(isStateCode('16'), true);
  assert.equal(isStateCode('00'), false);
  assert.equal(levelOfKey('123456'), null);
  assert.equal(kreisOf('16061119'), '16061');
  assert.equal(kreisOf('16'), null);
});

test('search forms: fold, transliteration and base name', () => {
  assert.equal(fold('München, Landeshauptstadt'), 'munchen landeshauptstadt');
  assert.equal(translit('München, Landeshauptstadt'), 'muenchen landeshauptstadt');
  assert.equal(fold('Cottbus/Chóśebuz, Stadt'), 'cottbus chosebuz stadt');
  assert.equal(fold('Großenhain'), 'grossenhain');
  assert.equal(translit('Großenhain'), 'grossenhain');
  assert.equal(fold('Halle (Saale)'), 'halle saale');
  assert.equal(baseName('Neustadt a.d.Aisch, St'), 'Neustadt a.d.Aisch');
  assert.deepEqual(searchForms('Ölbronn-Dürrn'), {
    nameFold: 'olbronn durrn',
    nameTranslit: 'oelbronn duerrn',
    baseFold: 'olbronn durrn',
    baseTranslit: 'oelbronn duerrn',
  });
});
