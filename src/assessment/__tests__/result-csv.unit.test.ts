import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RESULT_CSV_COLUMNS, resultCsv } from '../result-csv.js';
import { sampleResult, translator } from './fixtures.js';

/**
 * A small RFC 4180 reader (no CSV parser is a dependency of the project): fields separated by `sep`, records by
 * CRLF, quoted fields may hold the separator, quotes (doubled) and line breaks. Returns the records as arrays.
 */
function readCsv(text: string, sep: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      record.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else if (ch === '\n' || ch === '\r') {
      throw new Error(`bare line break at ${i} (records must end with CRLF)`);
    } else field += ch;
  }
  assert.equal(quoted, false, 'unterminated quote');
  if (field !== '' || record.length) records.push([...record, field]);
  return records;
}

function table(csv: string, sep: string) {
  const [header, ...rows] = readCsv(csv, sep);
  return { header: header!, rows: rows.map((r) => Object.fromEntries(RESULT_CSV_COLUMNS.map((c, i) => [c, r[i]!]))) };
}

describe('the result CSV', () => {
  const r = sampleResult('de');
  const t = translator('de');

  it('German format: BOM, semicolons, decimal comma, German column names with their ids', () => {
    const csv = resultCsv(r, t, 'de', 'de');
    assert.equal(csv.charCodeAt(0), 0xfeff, 'UTF-8 byte order mark');
    const body = csv.slice(1);
    const { header, rows } = table(body, ';');
    assert.equal(header.length, RESULT_CSV_COLUMNS.length);
    assert.equal(header[0], 'Abschnitt (section)');
    assert.ok(header.includes('Stufe (level)'));
    assert.ok(header.includes('Stufenname (level_name)'));
    assert.ok(header.includes('Punktzahl (score)'));
    assert.ok(header.includes('Demodaten (demo)'));
    for (const row of readCsv(body, ';')) assert.equal(row.length, RESULT_CSV_COLUMNS.length, 'every row complete');

    const overall = rows.find((x) => x.section === 'gesamt')!;
    assert.equal(overall.name, 'Langenberg');
    assert.equal(overall.level, String(r.score.level));
    assert.equal(overall.level_name, r.ctx.model.levels[r.score.level!]!.de);
    assert.equal(overall.model_version, '1');
    assert.equal(overall.submitted, '2026-03-02');
    // Rounded to one decimal, with a decimal comma.
    for (const row of rows.filter((x) => x.score)) assert.match(row.score!, /^\d+(,\d)?$/, row.id);
    const size = rows.find((x) => x.section === 'vergleich' && x.id === 'size')!;
    assert.equal(size.median, '39,5');
    assert.equal(size.percentile, '62,3');
    assert.equal(size.demo, '240', 'demo checks counted');
    assert.match(size.name!, /Kommunen \(unter 2\.000 Einwohner\) bundesweit \(darunter 240 Demodaten\)/);
    const state = rows.find((x) => x.section === 'vergleich' && x.id === 'state')!;
    assert.equal(state.name, 'Kommunen in Thüringen');
    assert.equal(state.n, '8');
    assert.equal(state.demo, '0');
  });

  it('names every level: dimensions, sectors and answers', () => {
    const { rows } = table(resultCsv(r, t, 'de', 'de').slice(1), ';');
    const names = r.ctx.model.levels.map((l) => l.de);
    const dims = rows.filter((x) => x.section === 'dimension');
    assert.equal(dims.length, r.ctx.model.dimensions.length);
    for (const row of [...dims, ...rows.filter((x) => x.section === 'sektor')]) {
      assert.equal(row.level_name, names[Number(row.level)], row.id);
    }
    const answers = rows.filter((x) => x.section === 'frage');
    assert.equal(answers.length, r.ctx.questions.length);
    for (const row of answers) {
      const a = r.ctx.answers.get(row.id!)!;
      if (a.notApplicable) {
        assert.equal(row.not_applicable, 'ja');
        assert.equal(row.level, '');
      } else {
        assert.equal(row.level, String(a.level));
        assert.equal(row.level_name, names[a.level!]);
        const q = r.ctx.questions.find((x) => x.id === row.id)!;
        assert.equal(row.next_step, a.level === 4 ? '' : q.levels[a.level! + 1]!.de, 'the next level’s descriptor');
      }
    }
  });

  it('international format: commas, decimal point, no BOM; text with separators and quotes survives', () => {
    const withComment = sampleResult('en');
    const first = withComment.ctx.questions[0]!.id;
    const a = withComment.ctx.answers.get(first)!;
    withComment.ctx.answers.set(first, { ...a, comment: 'Rat; Verwaltung, "Kämmerei"\r\nzweite Zeile' });
    const csv = resultCsv(withComment, translator('en'), 'en', 'intl');
    assert.notEqual(csv.charCodeAt(0), 0xfeff);
    const { header, rows } = table(csv, ',');
    assert.equal(header[4], 'Level (level)');
    const size = rows.find((x) => x.section === 'vergleich' && x.id === 'size')!;
    assert.equal(size.median, '39.5');
    assert.equal(rows.find((x) => x.id === first)!.comment, 'Rat; Verwaltung, "Kämmerei"\r\nzweite Zeile');
    // The same text in the German format too.
    const de = table(resultCsv(withComment, translator('de'), 'de', 'de').slice(1), ';');
    assert.equal(de.rows.find((x) => x.id === first)!.comment, 'Rat; Verwaltung, "Kämmerei"\r\nzweite Zeile');
  });

  it('leaves out the workspace’s comments for a reader who is not a member (an advisor)', () => {
    const adv = sampleResult('de');
    const first = adv.ctx.questions[0]!.id;
    adv.ctx.answers.set(first, { ...adv.ctx.answers.get(first)!, comment: 'intern' });
    adv.ctx.isMember = false;
    const { rows } = table(resultCsv(adv, t, 'de', 'de').slice(1), ';');
    assert.equal(rows.find((x) => x.id === first)!.comment, '');
  });
});
