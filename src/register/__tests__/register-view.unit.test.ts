import assert from 'node:assert/strict';
import { test } from 'node:test';
import { prng } from '../../assessment/demo.js';
import type { Level } from '../region.js';
import type { RegionRow, RegionWithForms } from '../register.repository.js';
import { RegisterView } from '../register-view.js';
import { searchForms } from '../search-normalize.js';

function region(key: string, name: string, extra: Partial<RegionRow> = {}): RegionWithForms {
  const level: Level = ({ 2: 'land', 3: 'regierungsbezirk', 5: 'kreis', 8: 'gemeinde', 9: 'gemeindeverband' } as const)[
    key.length as 2 | 3 | 5 | 8 | 9
  ];
  return {
    key,
    level,
    ars: key,
    parentKey: null,
    stateKey: key.slice(0, 2),
    kreisKey: key.length >= 5 ? key.slice(0, 5) : null,
    name,
    designationCode: null,
    seat: null,
    areaKm2: null,
    population: null,
    populationMale: null,
    populationFemale: null,
    postcode: null,
    multiplePostcodes: false,
    release: '2025-11-30',
    source: 'gv100ad',
    validFrom: '2025-11-30',
    validTo: null,
    successorKey: null,
    successorMethod: null,
    successorInferred: null,
    ...extra,
    ...searchForms(name),
  };
}

const view = (regions: RegionWithForms[]) => new RegisterView({ regions, releases: [], boundaryCounts: {} });

test('peers: closest population, then key, without the region itself — as ORDER BY abs(…), key LIMIT n', () => {
  const rand = prng(7);
  for (let round = 0; round < 200; round++) {
    const n = 1 + Math.floor(rand() * 40);
    const rows = Array.from({ length: n }, (_, i) =>
      region(`09${String(100000 + Math.floor(rand() * 900000)).slice(0, 6)}`.slice(0, 8), `G${i}`, {
        // few distinct values: many ties
        population: rand() < 0.1 ? null : Math.floor(rand() * 8) * 100,
        validTo: rand() < 0.1 ? '2024-12-31' : null,
      }),
    ).filter((r, i, all) => all.findIndex((o) => o.key === r.key) === i);
    const v = view(rows);
    const self = rows[Math.floor(rand() * rows.length)]!;
    const p = rand() < 0.5 ? self.population : Math.floor(rand() * 900);
    const limit = Math.floor(rand() * 8);
    const expected =
      p === null
        ? []
        : rows
            .filter((r) => r.validTo === null && r.population !== null && r.key !== self.key)
            .sort((a, b) => Math.abs(a.population! - p) - Math.abs(b.population! - p) || (a.key < b.key ? -1 : 1))
            .slice(0, limit)
            .map((r) => r.key);
    const got = v.peersOf({ ...self, population: p }, limit).map((r) => r.key);
    assert.deepEqual(got, expected, `round ${round}: p=${p} limit=${limit}`);
  }
});

test('lookups: ARS prefers the current region, parents stop at cycles and unknown keys, counts by key prefix', () => {
  const v = view([
    region('16', 'Thüringen'),
    region('16063', 'Wartburgkreis', { parentKey: '16' }),
    region('160635001', 'Verband', { parentKey: '16063' }),
    region('16063001', 'Alt', { ars: '160635001001', validTo: '2023-12-31', parentKey: '160635001' }),
    region('16063002', 'Älter', { ars: '160635001002', validTo: '2020-12-31', successorKey: '16063010' }),
    region('16063003', 'Neuer', { ars: '160635001002', validTo: '2022-12-31', successorKey: '16063010' }),
    region('16063010', 'Neu', { ars: '160635001010', parentKey: '160635001', population: 10 }),
    region('16063011', 'Schleife', { parentKey: '16063012' }),
    region('16063012', 'Schleife 2', { parentKey: '16063011' }),
    region('16063013', 'Waise', { parentKey: '16099' }),
  ]);
  assert.equal(v.regionByArs('160635001002')?.key, '16063003', 'the one that ended last');
  assert.deepEqual(
    v.parents(v.region('16063010')!).map((p) => p.key),
    ['16', '16063', '160635001'],
  );
  assert.deepEqual(
    v.parents(v.region('16063011')!).map((p) => p.key),
    ['16063011', '16063012'],
  );
  assert.deepEqual(v.parents(v.region('16063013')!), []);
  assert.deepEqual(v.descendantCounts('16'), { kreis: 1, gemeindeverband: 1, gemeinde: 4 });
  assert.deepEqual(v.descendantCounts('16063010'), {});
  assert.deepEqual(
    v.predecessorsOf('16063010').map((r) => r.key),
    ['16063002', '16063003'],
  );
  assert.deepEqual(
    v.childrenOf('160635001').map((r) => r.key),
    ['16063010'],
  );
  assert.deepEqual(v.countCurrentByLevel(), { land: 1, kreis: 1, gemeindeverband: 1, gemeinde: 4 });
  // The Gemeinden of a Kreis keep the order the rows came in (the database's name order).
  assert.deepEqual(
    v.gemeindenOfKreis('16063').map((r) => r.key),
    ['16063010', '16063011', '16063012', '16063013'],
  );
});
