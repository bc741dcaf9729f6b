import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { lotse } from '../../../test/helpers/lotse.js';

/**
 * `lotse import practices FILE [--publish]` as an operator runs it (the built command on the embedded database): a
 * bad record stops the import with file, line, field and reason and changes nothing; a good file imports, the same
 * file again updates instead of duplicating.
 */

describe('lotse import practices', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-practices-'));
    env = { DATA_DIR: path.join(dir, 'data'), LOG_LEVEL: 'warn', DATABASE_URL: '' };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a bad line stops everything with its line and field; a good file imports; again it updates', async () => {
    const csv = (rows: string[]) =>
      `externalId;title;summary;regions;sectors;status;startYear;tags\r\n${rows.join('\r\n')}\r\n`;
    const bad = path.join(dir, 'praxis.csv');
    fs.writeFileSync(
      bad,
      csv([
        'k-1;Rufbus im Wartburgkreis;Ein Rufbus fährt nach Bestellung.;16063;mobilitaet;operation;2021;Rufbus',
        'k-2;Bürgerbüro online;Termine und Anträge online.;16056;verwaltung;betrieb;2022;Bürgerbüro',
      ]),
    );
    const failed = await lotse(['import', 'practices', bad, '--publish'], env);
    assert.equal(failed.code, 1, failed.stderr);
    assert.match(failed.stderr, /praxis\.csv, Zeile 3, Feld status/);
    fs.writeFileSync(
      bad,
      csv([
        'k-1;Rufbus im Wartburgkreis;Ein Rufbus fährt nach Bestellung.;16063;mobilitaet;operation;2021;Rufbus',
        'k-2;Bürgerbüro online;Termine und Anträge online.;16056;verwaltung;operation;2022;Bürgerbüro',
      ]),
    );
    const ok = await lotse(['import', 'practices', bad, '--publish'], env);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /2 Praxisbeispiele gelesen: 2 neu, 0 aktualisiert, 2 veröffentlicht/);
    const again = await lotse(['import', 'practices', bad], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /2 Praxisbeispiele gelesen: 0 neu, 2 aktualisiert, 0 veröffentlicht \(warten auf Prüfung\)/,
    );
  });
});
