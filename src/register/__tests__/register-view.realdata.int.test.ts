import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import {
  DESTATIS_CHANGES_2024,
  DESTATIS_CHANGES_2025,
  GV100AD_2023,
  GV100AD_2025,
  LAENDER_GEOJSON,
  realDataAvailable,
} from '../../../test/helpers/shared-data.js';
import type { Db } from '../../platform/db/db.js';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { text } from '../../platform/i18n/i18n.js';
import { parseRegionKey } from '../keys.js';
import { endKnown } from '../names.js';
import type { Level } from '../region.js';
import * as repo from '../register.repository.js';
import {
  ensureEmbeddedDefault,
  getChildren,
  getPeers,
  getProfileChildren,
  getRegion,
  importBoundaries,
  importGv100ad,
  type RegionDetail,
  regionFacts,
  registerStatus,
  searchRegions,
} from '../register.service.js';
import { RegisterView } from '../register-view.js';

const available = realDataAvailable();

// ---------------------------------------------------------------------------------------------
// The SQL path: what the service answered before the register was held in memory, query by query.

async function sqlGetRegion(db: Db, rawKey: string): Promise<RegionDetail> {
  const parsed = parseRegionKey(rawKey);
  if (!parsed.ok) throw new ValidationError([{ field: 'key', text: parsed.reason }], text('register.key.invalid'));
  const region =
    parsed.kind === 'ars'
      ? ((await repo.regionByArs(db, parsed.ars)) ?? (await repo.regionByKey(db, parsed.ags)))
      : await repo.regionByKey(db, parsed.key);
  if (!region) throw new NotFoundError(text('register.key.unknown', { key: rawKey.trim().slice(0, 20) }));
  let cursor: string | null = region.parentKey;
  const seen = new Set<string>();
  const parents: { key: string; level: Level; name: string }[] = [];
  while (cursor && !seen.has(cursor) && parents.length < 6) {
    seen.add(cursor);
    const p = await repo.regionByKey(db, cursor);
    if (!p) break;
    parents.unshift({ key: p.key, level: p.level, name: p.name });
    cursor = p.parentKey;
  }
  const [childCounts, predecessors, successorNames] = await Promise.all([
    repo.descendantCounts(db, region.key),
    repo.predecessorsOf(db, region.key),
    repo.namesOf(db, region.successorKey ? [region.successorKey] : []),
  ]);
  const s = region.successorKey ? successorNames.get(region.successorKey) : undefined;
  return {
    region,
    parents,
    childCounts,
    successor:
      region.successorKey && s
        ? {
            key: region.successorKey,
            name: s.name,
            level: s.level,
            method: region.successorMethod,
            inferred: region.successorInferred,
          }
        : null,
    predecessors,
    release: { source: region.source, release: region.release },
    end: region.validTo
      ? endKnown(
          region.validTo,
          (await repo.listReleases(db)).map((r) => r.release),
        )
      : null,
  };
}

async function sqlProfileChildren(db: Db, region: repo.RegionRow) {
  if (region.validTo) return [];
  if (region.level === 'kreis') return repo.gemeindenOfKreis(db, region.key);
  return repo.childrenOf(db, region.key);
}

/** Outcome of a call: its value, or the class, status and message of what it threw. */
async function outcome<T>(fn: () => Promise<T>): Promise<{ value: T } | { error: string }> {
  try {
    return { value: await fn() };
  } catch (err) {
    if (err instanceof AppError) {
      return { error: `${err.constructor.name} ${err.status} ${err.message} ${JSON.stringify(err.fieldErrors)}` };
    }
    throw err;
  }
}

for (const kind of databaseKinds()) {
  describe(`in-memory register equals the SQL path on ${kind}`, {
    skip: !available && 'shared data not present',
  }, () => {
    let t: TestDb;
    let all: repo.RegionRow[];

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      await importGv100ad(t.db, { fileName: 'GV100AD_301123.txt', data: fs.readFileSync(GV100AD_2023) });
      await importGv100ad(t.db, {
        fileName: 'GV100AD_30112025.txt',
        data: fs.readFileSync(GV100AD_2025),
        changeLists: [DESTATIS_CHANGES_2024, DESTATIS_CHANGES_2025].map((p) => ({
          fileName: p.split('/').pop()!,
          data: fs.readFileSync(p),
        })),
      });
      // Boundaries count in registerStatus (the Länder suffice).
      await importBoundaries(t.db, 'VG5000_2021_Laender.geojson', fs.readFileSync(LAENDER_GEOJSON, 'utf8'));
      all = await t.db.query<repo.RegionRow>(
        'SELECT key, level, ars, valid_to AS "validTo", successor_key AS "successorKey" FROM regions ORDER BY key',
      );
    });
    after(async () => {
      await t?.dispose();
    });

    /**
     * Every Land, Regierungsbezirk and Region, every 4th Kreis, every ended region and every region with a
     * predecessor, and every 100th region besides: ≈ 400 regions. (The SQL path costs several scans of the
     * table per region: all 16,500 would take minutes.)
     */
    const sample = () => {
      const successors = new Set(all.map((r) => r.successorKey).filter(Boolean));
      return all.filter(
        (r, i) =>
          ['land', 'regierungsbezirk', 'region'].includes(r.level) ||
          (r.level === 'kreis' && i % 4 === 0) ||
          r.validTo ||
          successors.has(r.key) ||
          i % 100 === 0,
      );
    };

    test('getRegion, getChildren, getProfileChildren, getPeers and regionFacts for a sample of keys', async () => {
      const keys = sample();
      assert.ok(keys.length > 350, `${keys.length} regions sampled`);
      assert.ok(keys.filter((r) => r.validTo).length >= 30, 'ended regions are in the sample');
      for (const [i, { key }] of keys.entries()) {
        const mem = await getRegion(t.db, key);
        const sql = await sqlGetRegion(t.db, key);
        assert.deepStrictEqual(mem, sql, key);
        const children = await getChildren(t.db, key);
        assert.deepStrictEqual(children, { region: sql.region, children: await repo.childrenOf(t.db, key) }, key);
        assert.deepStrictEqual(
          await getProfileChildren(t.db, mem.region),
          await sqlProfileChildren(t.db, sql.region),
          key,
        );
        for (const limit of i % 10 === 0 ? [6, 1] : [6]) {
          assert.deepStrictEqual(
            await getPeers(t.db, mem.region, limit),
            await repo.peersOf(t.db, sql.region, limit),
            key,
          );
        }
        const r = sql.region;
        assert.deepStrictEqual(await regionFacts(t.db, key), {
          key: r.key,
          level: r.level,
          name: r.name,
          stateKey: r.stateKey,
          kreisKey: r.kreisKey,
          population: r.population,
          designationCode: r.designationCode,
          validTo: r.validTo,
          successorKey: r.successorKey,
        });
      }
    });

    test('ARS, unknown and malformed keys', async () => {
      const gemeinden = all.filter((r) => r.level === 'gemeinde');
      const arsKeys = gemeinden.filter((r, i) => r.validTo || i % 200 === 0).map((r) => r.ars);
      const misses = ['16063999', '091629999000', '09999', '160630220099', '0916200', 'abc', '99', ' 09162000 '];
      for (const key of [...arsKeys, ...misses]) {
        const mem = await outcome(() => getRegion(t.db, key));
        assert.deepStrictEqual(mem, await outcome(() => sqlGetRegion(t.db, key)), key);
        const facts = await regionFacts(t.db, key);
        if ('value' in mem) assert.equal(facts?.key, mem.value.region.key, key);
        else assert.equal(facts, null, key);
        assert.deepStrictEqual(
          await outcome(() => getChildren(t.db, key)),
          await outcome(async () => {
            const d = await sqlGetRegion(t.db, key);
            return { region: d.region, children: await repo.childrenOf(t.db, d.region.key) };
          }),
          key,
        );
      }
    });

    test('registerStatus and the search entries', async () => {
      assert.deepStrictEqual(await registerStatus(t.db), {
        releases: await repo.listReleases(t.db),
        counts: await repo.countCurrentByLevel(t.db),
        boundaries: await repo.boundaryCounts(t.db),
      });
      // The search index is built from the view now: its entries equal the former SQL (by key).
      const view = new RegisterView({
        regions: await repo.allRegionsByName(t.db),
        releases: await repo.listReleases(t.db),
        boundaryCounts: await repo.boundaryCounts(t.db),
      });
      const byKey = <T extends { key: string }>(list: T[]) => [...list].sort((a, b) => (a.key < b.key ? -1 : 1));
      assert.deepStrictEqual(byKey(view.searchEntries()), byKey(await repo.searchEntries(t.db)));
      assert.equal((await searchRegions(t.db, { q: 'München', level: 'gemeinde' })).items[0]?.key, '09162000');
    });

    test('a caller that changes a returned row does not change the register', async () => {
      const d = await getRegion(t.db, '09162000');
      d.region.name = 'changed';
      d.parents.length = 0;
      d.childCounts.gemeinde = 99;
      (await getProfileChildren(t.db, (await getRegion(t.db, '09184')).region))[0]!.name = 'changed';
      (await getPeers(t.db, d.region))[0]!.population = -1;
      (await registerStatus(t.db)).counts.gemeinde = 0;
      assert.deepStrictEqual(await getRegion(t.db, '09162000'), await sqlGetRegion(t.db, '09162000'));
      assert.deepStrictEqual(
        await getProfileChildren(t.db, (await getRegion(t.db, '09184')).region),
        await repo.gemeindenOfKreis(t.db, '09184'),
      );
      assert.deepStrictEqual(await getPeers(t.db, d.region), await repo.peersOf(t.db, d.region, 6));
      assert.deepStrictEqual((await registerStatus(t.db)).counts, await repo.countCurrentByLevel(t.db));
    });
  });
}
