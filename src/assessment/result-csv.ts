/**
 * The result of a check as one CSV table, in two formats:
 *
 * - `de` (default): for German spreadsheet programs (Excel, LibreOffice with German settings) — semicolon as
 *   separator, decimal comma, UTF-8 with byte order mark (so Excel detects the encoding), CRLF line ends.
 * - `intl`: RFC 4180 for programs and English spreadsheets — comma, decimal point, UTF-8 without BOM.
 *
 * One table with the same columns in every row, so it can be filtered and parsed as a whole: the column
 * "Abschnitt (section)" says what a row is — `gesamt` (overall), `dimension`, `sektor` (sector), `frage`
 * (question), `vergleich` (peer group). Column names are German (English with `lang = 'en'`) with the stable
 * id in brackets, e.g. "Stufe (level)". Scores and percentiles are rounded to one decimal. Level names stand
 * beside every level. Peer groups count their demo checks in "Demodaten (demo)" and say so in their name.
 */
import { csvCell } from '../platform/csv.js';
import type { Lang, MessageKey, Translate } from '../platform/i18n/i18n.js';
import type { CheckResult } from './assessment.service.js';
import { levelName, peerGroupName } from './result.js';
import { levelForScore } from './scoring.js';

export type CsvFormat = 'de' | 'intl';

/** Column ids in order; the header shows `t('csv.col.<id>') (<id>)`. */
export const RESULT_CSV_COLUMNS = [
  'section',
  'id',
  'name',
  'dimension',
  'level',
  'level_name',
  'score',
  'not_applicable',
  'next_level',
  'next_step',
  'comment',
  'evidence_url',
  'n',
  'q1',
  'median',
  'q3',
  'percentile',
  'demo',
  'model_version',
  'submitted',
] as const;

type Column = (typeof RESULT_CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number | null>>;

export function resultCsv(r: CheckResult, t: Translate, lang: Lang, format: CsvFormat = 'de'): string {
  const sep = format === 'de' ? ';' : ',';
  const num = (v: number | null | undefined) => {
    if (v === null || v === undefined || !Number.isFinite(v)) return '';
    const s = String(Math.round(v * 10) / 10);
    return format === 'de' ? s.replace('.', ',') : s;
  };
  const c = r.ctx;
  const model = c.model;
  const rows: Row[] = [];
  rows.push({
    section: 'gesamt',
    id: c.region.key,
    name: c.region.name,
    level: r.score.level,
    level_name: levelName(model, r.score.level, lang),
    score: num(r.score.overall),
    model_version: c.check.modelVersion,
    submitted: c.check.submittedAt ? new Date(c.check.submittedAt).toISOString().slice(0, 10) : '',
  });
  for (const d of r.guidance.dimensions) {
    rows.push({
      section: 'dimension',
      id: d.dimension,
      name: d.name,
      dimension: d.dimension,
      level: d.level,
      level_name: d.levelName,
      score: num(d.score),
      next_level: d.nextLevel,
      next_step: d.nextLevel === null ? '' : d.nextLevelName,
    });
  }
  for (const s of model.sectors) {
    const g = r.score.bySector[s.id];
    if (!g || g.score === null) continue;
    const level = levelForScore(g.score);
    rows.push({
      section: 'sektor',
      id: s.id,
      name: s.name[lang],
      level,
      level_name: levelName(model, level, lang),
      score: num(g.score),
    });
  }
  for (const q of c.questions) {
    const a = c.answers.get(q.id);
    const level = a && !a.notApplicable && a.level !== null ? a.level : null;
    const next = level !== null && level < 4 ? level + 1 : null;
    rows.push({
      section: 'frage',
      id: q.id,
      name: q.text[lang],
      dimension: q.dimension,
      level,
      level_name: level === null ? '' : levelName(model, level, lang),
      not_applicable: a?.notApplicable ? t('check.csv.yes') : t('check.csv.no'),
      next_level: next,
      next_step: next === null ? '' : q.levels[next]![lang],
      // Comments and evidence are the workspace's notes: not for advisors reading a published result.
      comment: c.isMember ? (a?.comment ?? '') : '',
      evidence_url: c.isMember ? (a?.evidenceUrl ?? '') : '',
    });
  }
  for (const p of r.peers) {
    const name = peerGroupName(t, lang, p);
    const cmp = p.comparison;
    rows.push({
      section: 'vergleich',
      id: p.kind,
      name: cmp && cmp.demo > 0 ? `${name} (${t('chart.box.demo', { demo: cmp.demo })})` : name,
      n: cmp?.peers.n ?? '',
      q1: num(cmp?.peers.q1),
      median: num(cmp?.peers.median),
      q3: num(cmp?.peers.q3),
      percentile: num(cmp?.percentile),
      demo: cmp?.demo ?? '',
    });
  }
  const header = RESULT_CSV_COLUMNS.map((col) => `${t(`check.csv.col.${col}` as MessageKey)} (${col})`);
  const line = (cells: readonly unknown[]) => `${cells.map((v) => csvCell(v, sep)).join(sep)}\r\n`;
  const body = [header, ...rows.map((row) => RESULT_CSV_COLUMNS.map((col) => row[col] ?? ''))].map(line).join('');
  return format === 'de' ? `\ufeff${body}` : body;
}
