/**
 * Damaged GV100AD files through the whole import path: `importGv100ad` turns the parser's Gv100adError
 * into an ImportError naming file, line and field (and changes nothing); `lotse import gv100ad` prints it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDb, databaseKinds, type TestDb } from '../../../test/helpers/db.js';
import { fixtureBytes, patchLine } from '../../../test/helpers/gv100ad-bytes.js';
import { ImportError } from '../../platform/errors.js';
import { importGv100ad } from '../register.service.js';

/** release-a.txt with the "ö" of the seat "Röda" (line 31, Kreis Saaleland) as the ISO-8859-1 byte F6. */
const invalidByte = () => patchLine(fixtureBytes('release-a.txt'), 31, 'Röda', [0x52, 0xf6, 0x64, 0x61]);
/** release-a.txt with a NUL in the name of the Gemeinde Überach (line 9, position 27). */
const nulByte = () => patchLine(fixtureBytes('release-a.txt'), 9, 'berach', 'ber\0ch');

async function regionCount(t: TestDb): Promise<number> {
  const [r] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM regions');
  return r!.n;
}

for (const kind of databaseKinds()) {
  describe(`importing a damaged GV100AD file on ${kind}`, () => {
    let t: TestDb;
    before(async () => {
      t = await createTestDb(kind);
    });
    after(async () => {
      await t?.dispose();
    });

    const expectImportError = async (data: Uint8Array, line: number, field: string, reason: RegExp) => {
      const before = await regionCount(t);
      await assert.rejects(importGv100ad(t.db, { fileName: 'damaged.txt', data }), (err: unknown) => {
        assert.ok(err instanceof ImportError, `expected an ImportError, got ${String(err)}`);
        assert.equal(err.file, 'damaged.txt');
        assert.equal(err.line, line, err.describe());
        assert.equal(err.field, field);
        assert.match(err.reason, reason);
        assert.match(err.describe(), new RegExp(`^damaged\\.txt, Zeile ${line}, Feld ${field}: `));
        return true;
      });
      assert.equal(await regionCount(t), before);
    };

    test('an invalid UTF-8 byte: ImportError at its line and field', async () => {
      await expectImportError(invalidByte(), 31, 'Verwaltungssitz', /^ungültiges UTF-8-Byte 0xF6 an Stelle 74/);
    });

    test('a NUL byte: ImportError at its line and field, not a database error', async () => {
      await expectImportError(nulByte(), 9, 'Name', /^Steuerzeichen U\+0000 \(NUL\) an Stelle 27/);
    });
  });
}

describe('lotse import gv100ad with a damaged file', () => {
  const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-gv100ad-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const lotseImport = (file: string) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(ROOT, 'bin/lotse.js'), 'import', 'gv100ad', file], {
        env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '' },
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      child.on('close', (code) => resolve({ code, stderr }));
    });

  test('prints file, line and field of the invalid byte and of the NUL byte', async () => {
    const damaged = path.join(dir, 'damaged.txt');
    fs.writeFileSync(damaged, invalidByte());
    const invalid = await lotseImport(damaged);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /^lotse: damaged\.txt, Zeile 31, Feld Verwaltungssitz: ungültiges UTF-8-Byte 0xF6 /);
    assert.equal(invalid.stderr.trim().split('\n').length, 1);

    const withNul = path.join(dir, 'nul.txt');
    fs.writeFileSync(withNul, nulByte());
    const nul = await lotseImport(withNul);
    assert.equal(nul.code, 1);
    assert.match(nul.stderr, /^lotse: nul\.txt, Zeile 9, Feld Name: Steuerzeichen U\+0000 \(NUL\) an Stelle 27 /);
  });
});
