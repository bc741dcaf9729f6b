import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { GV100AD_2023, GV100AD_2025, realDataAvailable } from '../../../test/helpers/shared-data.js';
import { createI18n } from '../../modules.js';
import { designationLabel } from '../gv100ad.js';
import { displayName, endKnown, splitName } from '../names.js';
import { endedText } from '../register.pages.js';

test('splitName: the designation suffix is cut and written out', () => {
  assert.deepEqual(splitName('Aachen, Stadt'), { short: 'Aachen', title: 'Stadt' });
  assert.deepEqual(splitName('Altötting, St'), { short: 'Altötting', title: 'Stadt' });
  assert.deepEqual(splitName('Abtswind, M'), { short: 'Abtswind', title: 'Markt' });
  assert.deepEqual(splitName('Aichach, GKSt'), { short: 'Aichach', title: 'Große Kreisstadt' });
  assert.deepEqual(splitName('Gutsbezirk Münsingen, gemfr. Gebiet'), {
    short: 'Gutsbezirk Münsingen',
    title: 'gemeindefreies Gebiet',
  });
  assert.deepEqual(splitName('Gelnhausen, Barbarossastadt, Kreisstadt'), {
    short: 'Gelnhausen',
    title: 'Barbarossastadt, Kreisstadt',
  });
  assert.deepEqual(splitName('Erkrath, Fundort des Neanderthalers, Stadt'), {
    short: 'Erkrath',
    title: 'Fundort des Neanderthalers, Stadt',
  });
  assert.deepEqual(splitName('Bitburg, Tor zur Eifel'), { short: 'Bitburg', title: 'Tor zur Eifel' });
  assert.deepEqual(splitName('Neustadt a.d.Aisch, St'), { short: 'Neustadt a.d.Aisch', title: 'Stadt' });
  // No suffix, and a comma that lists member municipalities (not a designation): the name stays whole.
  assert.deepEqual(splitName('Altötting'), { short: 'Altötting', title: null });
  assert.deepEqual(splitName('Oelsnitz/Vogtl., Bösenbrunn, Eichigt und Triebel/V'), {
    short: 'Oelsnitz/Vogtl., Bösenbrunn, Eichigt und Triebel/V',
    title: null,
  });
  assert.equal(displayName('Halle (Saale), Stadt'), 'Halle (Saale)');
});

test('designationLabel: Textkennzeichen written out, not abbreviated', () => {
  assert.equal(designationLabel('gemeinde', '63'), 'Stadt');
  assert.equal(designationLabel('gemeinde', '60'), 'Markt');
  assert.equal(designationLabel('gemeinde', '67'), 'Große Kreisstadt');
  assert.equal(designationLabel('gemeinde', '64'), 'Kreisangehörige Gemeinde');
  assert.equal(designationLabel('gemeindeverband', '52'), 'Samtgemeinde');
  assert.equal(designationLabel('kreis', '44'), 'Landkreis');
  assert.equal(designationLabel('gemeinde', '63', 'en'), 'Town');
});

test('splitName on the real releases: no name keeps an abbreviation, only listing names keep a comma', {
  skip: !realDataAvailable() && 'real data missing',
}, () => {
  for (const file of [GV100AD_2023, GV100AD_2025]) {
    const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    let withComma = 0;
    const kept: string[] = [];
    for (const line of lines) {
      const name = line.slice(22, 72).trim();
      if (!/^(40|50|60)/.test(line) || !name.includes(',')) continue;
      withComma++;
      const { short, title } = splitName(name);
      if (title === null) kept.push(name);
      else {
        assert.ok(short.length > 0 && !short.includes(','), name);
        assert.doesNotMatch(title, /^(St|M|GKSt)$|gemfr\./, `${name} → ${title}`);
      }
    }
    assert.ok(withComma > 3000, `${file}: ${withComma} names with a comma`);
    assert.deepEqual(kept, ['Oelsnitz/Vogtl., Bösenbrunn, Eichigt und Triebel/V'], file);
  }
});

test('endKnown: between two releases when inferred, the official date otherwise', () => {
  const releases = ['2018-09-30', '2025-11-30', '2023-11-30'];
  // The import gave the release date that no longer had the region: the end lies after the one before.
  assert.deepEqual(endKnown('2025-11-30', releases), { kind: 'between', from: '2023-11-30', to: '2025-11-30' });
  assert.deepEqual(endKnown('2023-11-30', releases), { kind: 'between', from: '2018-09-30', to: '2023-11-30' });
  // An official effective date is no release date.
  assert.deepEqual(endKnown('2024-01-01', releases), { kind: 'date', date: '2024-01-01' });
});

test('endedText: the wording in German and English', () => {
  const i18n = createI18n();
  const de = i18n.translator('de');
  const en = i18n.translator('en');
  const between = endKnown('2025-11-30', ['2018-09-30', '2025-11-30']);
  assert.match(endedText(de, 'de', between), /beendet zwischen 30\.09\.2018 und 30\.11\.2025/);
  assert.match(endedText(en, 'en', between), /ended between 30\/09\/2018 and 30\/11\/2025/);
  const official = endKnown('2024-01-01', ['2018-09-30', '2025-11-30']);
  assert.match(endedText(de, 'de', official), /beendet am 01\.01\.2024/);
  assert.doesNotMatch(endedText(de, 'de', official), /zwischen/);
  assert.match(endedText(en, 'en', official), /ended on 01\/01\/2024/);
});
