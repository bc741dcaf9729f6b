/**
 * The official OParl 1.1 example objects, the spec chapter's standalone examples and two real OParl 1.0 responses
 * (Gemeinde Hürtgenwald, SD.NET RIM, cached 2021) checked as single objects, read in place from
 * ../shared/data/standards/oparl (CC BY-SA / public output; never copied into the project). Each expected verdict
 * is explained next to it. The test also compares this module's required-property lists with the official schemas.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../../../../platform/paths.js';
import { oparlValidator } from '../index.js';
import { OPARL_TYPES, requiredProperties } from '../model.js';
import { testFetch } from './oparl-fixture-server.js';

const DIR = path.resolve(ROOT, '../shared/data/standards/oparl');
const present = fs.existsSync(DIR);
if (!present && process.env.CI === 'true') throw new Error(`CI=true but ${DIR} is missing`);

/** file → [verdict, the error rules expected (sorted, with repetitions)] */
const EXPECTED: Record<string, [string, string[]]> = {
  // Complete and well-formed.
  'originals/spec-examples/System-01.json': ['conformant', []],
  'originals/spec-examples/File-01.json': ['conformant', []],
  'originals/spec-examples/Organization-01.json': ['conformant', []],
  'originals/spec-examples/Person-01.json': ['conformant', []],
  // Lacks `legislativeTermList`, which strings.yml marks "ZWINGEND … Neu in OParl 1.1".
  'originals/spec-examples/Body-01.json': ['not conformant', ['oparl.required']],
  // Lacks `created` and `modified`, required for every object in 1.1 (§3.1).
  'originals/spec-examples/Location-01.json': ['not conformant', ['oparl.required', 'oparl.required']],
  // The embedded AgendaItem lacks `order`, required in the 1.1 schema.
  'originals/spec-examples/Meeting-01.json': ['not conformant', ['oparl.required']],
  // Paper.location[0].geojson is a bare Point; the spec asks for a complete Feature.
  'originals/spec-examples/Paper-01.json': ['not conformant', ['oparl.geojson']],
  // The chapter's standalone File lacks `created` (1.1 §3.1).
  'originals/spec-text/3-00_example2a_File-standalone.json': ['not conformant', ['oparl.required']],
  // Declared as File (a copy-paste slip in the spec text) though it is a Location: created, modified, accessUrl missing.
  'originals/spec-text/3-00_example2b_Location-standalone.json': [
    'not conformant',
    ['oparl.required', 'oparl.required', 'oparl.required'],
  ],
  // OParl 1.0: System and Body are not embedded types, so created and modified are required (1.0 §3.1).
  'originals/real-huertgenwald-oparl-1.0/system.json': ['not conformant', ['oparl.required', 'oparl.required']],
  // The body list page: the Body lacks created, modified and legislativeTerm (required in 1.0 too).
  'originals/real-huertgenwald-oparl-1.0/body.json': [
    'not conformant',
    ['oparl.required', 'oparl.required', 'oparl.required'],
  ],
};

describe('oparl validator on the real files', { skip: !present && 'shared data missing' }, () => {
  for (const [file, [verdict, errors]] of Object.entries(EXPECTED)) {
    it(`${file} → ${verdict}`, async () => {
      const r = await oparlValidator.check(
        { kind: 'bytes', name: file, bytes: fs.readFileSync(path.join(DIR, file)) },
        { fetch: testFetch },
      );
      assert.equal(r.verdict, verdict, JSON.stringify(r.findings, null, 1));
      assert.deepEqual(
        r.findings
          .filter((f) => f.severity === 'error')
          .map((f) => f.rule)
          .sort(),
        errors,
      );
      assert.equal(r.standardVersion, file.includes('1.0') ? '1.0' : '1.1');
    });
  }

  it('requires at least what the official schemas require, and says where the rest comes from', () => {
    for (const version of ['1.0', '1.1'] as const) {
      for (const type of OPARL_TYPES) {
        const file = path.join(DIR, `schema-${version}`, `${type}.json`);
        if (!fs.existsSync(file)) continue;
        const official = (JSON.parse(fs.readFileSync(file, 'utf8')) as { required: string[] }).required;
        const ours = requiredProperties(type, version, false);
        for (const name of official)
          assert.ok(
            ours.some((r) => r.name === name),
            `${version} ${type}.${name}`,
          );
        // Every addition is one of the spec-text rules: created/modified (§3.1) or the 1.1 Body lists (ZWINGEND).
        for (const r of ours.filter((x) => !official.includes(x.name)))
          assert.match(r.source, /§3\.1 „(created|modified)“|ZWINGEND/, `${version} ${type}.${r.name}`);
      }
    }
  });
});
