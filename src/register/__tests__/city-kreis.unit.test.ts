import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cityOfKreis } from '../region.js';

const kreis = (key: string, designationCode: string | null, validTo: string | null = null) => ({
  key,
  level: 'kreis',
  designationCode,
  validTo,
});
const gemeinde = (key: string, designationCode: string | null = '61') => ({ key, level: 'gemeinde', designationCode });

test('a kreisfreie Stadt, a Stadtkreis or a city-state Kreis with one Gemeinde is that Gemeinde', () => {
  assert.equal(cityOfKreis(kreis('09162', '41'), [gemeinde('09162000')])?.key, '09162000');
  assert.equal(cityOfKreis(kreis('08111', '42'), [gemeinde('08111000', '62')])?.key, '08111000');
  assert.equal(cityOfKreis(kreis('11000', '41'), [gemeinde('11000000', null)])?.key, '11000000');
});

test('a Landkreis, a Kreis with several Gemeinden, an ended Kreis or a foreign Gemeinde are not', () => {
  assert.equal(cityOfKreis(kreis('09184', '44'), [gemeinde('09184119', '64')]), null);
  assert.equal(cityOfKreis(kreis('09162', '41'), [gemeinde('09162000'), gemeinde('09162001')]), null);
  assert.equal(cityOfKreis(kreis('16056', '41', '2021-07-01'), [gemeinde('16056000')]), null);
  assert.equal(cityOfKreis(kreis('09162', '41'), [gemeinde('09163000')]), null);
  assert.equal(cityOfKreis(kreis('09162', '41'), []), null);
});
