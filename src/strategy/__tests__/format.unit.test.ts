import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { I18n } from '../../platform/i18n/i18n.js';
import { daysRange, eurRange, firstSentence, formatEur, formatYearMonth, monthsRange } from '../format.js';
import { messages } from '../messages.js';

const i18n = new I18n([messages]);
const de = i18n.translator('de');
const en = i18n.translator('en');

describe('formatting of ranges, amounts and months', () => {
  it('writes ranges in German and English, one value once, nothing as "keine"', () => {
    assert.equal(daysRange(de, 'de', { min: 3, max: 10 }), '3–10 Personentage');
    assert.equal(daysRange(de, 'de', { min: 1, max: 1 }), '1 Personentag');
    assert.equal(daysRange(en, 'en', { min: 1500, max: 2000 }), '1,500–2,000 person-days');
    assert.equal(eurRange(de, 'de', { min: 0, max: 5000 }), '0–5.000\u00a0€');
    assert.equal(eurRange(de, 'de', { min: 5000, max: 5000 }), '5.000\u00a0€');
    assert.equal(eurRange(de, 'de', { min: 0, max: 0 }), 'keine');
    assert.equal(eurRange(en, 'en', { min: 0, max: 5000 }), '€0–5,000');
    assert.equal(eurRange(en, 'en', { min: 0, max: 0 }), 'none');
    assert.equal(monthsRange(de, 'de', { min: 2, max: 4 }), '2–4 Monate');
    assert.equal(monthsRange(de, 'de', { min: 1, max: 1 }), '1 Monat');
    assert.equal(monthsRange(en, 'en', { min: 6, max: 18 }), '6–18 months');
    assert.equal(formatEur(de, 'de', 12_499.6), '12.500\u00a0€');
    assert.equal(formatEur(en, 'en', 1200), '€1,200');
    assert.equal(formatYearMonth('2027-03'), '03/2027');
  });

  it('takes the first sentence, not cut at abbreviations', () => {
    assert.equal(firstSentence('Eins ist klar. Zwei folgt.'), 'Eins ist klar.');
    assert.equal(
      firstSentence('Ein Satz von Kennzahlen (z. B. Anteil Online-Anträge) wird erhoben. Nur was gemessen wird.'),
      'Ein Satz von Kennzahlen (z. B. Anteil Online-Anträge) wird erhoben.',
    );
    assert.equal(firstSentence('Rund ca. 20 Dienste, vgl. Anlage. Danach mehr.'), 'Rund ca. 20 Dienste, vgl. Anlage.');
    assert.equal(firstSentence('Tools, e.g. Matrix, are used. Then more.'), 'Tools, e.g. Matrix, are used.');
    assert.equal(firstSentence('Described with publiccode.yml. Others reuse it.'), 'Described with publiccode.yml.');
    assert.equal(firstSentence('Nur ein Satz ohne Ende'), 'Nur ein Satz ohne Ende');
    assert.equal(firstSentence('Wirklich? Ja.'), 'Wirklich?');
  });
});
