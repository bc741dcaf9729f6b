/**
 * The comparison of up to four solutions (`/loesungen/vergleich`) as one table, independent of the output: the page,
 * the CSV for Excel (semicolon, UTF-8 with BOM, as the other German CSV exports) and the tagged PDF (the strategy
 * module's outline layout) show the same rows. Providers' claims and the platform's checks are separate rows; a
 * standard is "conformant" only from a check (the conformance seam), never from a claim.
 */
import { loadModel } from '../../assessment/index.js';
import { csvCell } from '../../platform/csv.js';
import { formatDate, formatNumber, type Lang, type Translate } from '../../platform/i18n/i18n.js';
import { type DocumentOutline, LANGUAGE_TAG, renderOutlinePdf } from '../../strategy/index.js';
import type { ComparedSolution } from './solutions.service.js';

export const COMPARE_ROWS = [
  'provider',
  'summary',
  'sectors',
  'claims',
  'conformance',
  'references',
  'rating',
  'priceModel',
  'operatingModels',
  'licence',
  'dataLocation',
  'accessibility',
  'url',
] as const;
export type CompareRow = (typeof COMPARE_ROWS)[number];

export interface ComparisonTable {
  /** The solutions' names (column heads). */
  names: string[];
  rows: { id: CompareRow; label: string; cells: string[] }[];
}

/** The comparison's rows in the reader's language (`url` is the public address of an entry). */
export function comparisonTable(
  items: readonly ComparedSolution[],
  t: Translate,
  lang: Lang,
  url: (id: number) => string,
): ComparisonTable {
  const sectors = new Map(loadModel().sectors.map((s) => [s.id, s.name[lang]]));
  const none = t('market.solutions.none');
  const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : none);
  const cell = (x: ComparedSolution, row: CompareRow): string => {
    const c = x.content;
    switch (row) {
      case 'provider':
        return x.row.providerName;
      case 'summary':
        return c.summary || none;
      case 'sectors':
        return list(c.sectors.map((s) => sectors.get(s) ?? s));
      case 'claims':
        return list(c.standards);
      case 'conformance': {
        const checked = [...x.verdicts].sort(([a], [b]) => a.localeCompare(b));
        if (checked.length === 0) return t('market.solutions.conformance.none');
        return checked.map(([std, v]) => `${std}: ${t(`market.solutions.verdict.${v}`)}`).join('; ');
      }
      case 'references':
        return x.references.length
          ? `${formatNumber(lang, x.references.length)}: ${x.references.map((r) => r.municipalityName).join(', ')}`
          : '0';
      case 'rating':
        return x.rating
          ? t('market.solutions.ratingLine', {
              mean: formatNumber(lang, Math.round(x.rating.mean * 10) / 10),
              n: formatNumber(lang, x.rating.n),
            })
          : none;
      case 'priceModel':
        return c.priceModel
          ? `${t(`market.solutions.price.${c.priceModel}`)}${c.priceNote ? ` (${c.priceNote})` : ''}`
          : none;
      case 'operatingModels':
        return list(c.operatingModels.map((m) => t(`market.solutions.operating.${m}`)));
      case 'licence':
        return `${c.licence || none}${c.openSource ? ' (Open Source)' : ''}`;
      case 'dataLocation':
        return (
          [c.dataLocation ? t(`market.solutions.location.${c.dataLocation}`) : '', c.hostingNote]
            .filter(Boolean)
            .join(', ') || none
        );
      case 'accessibility':
        return c.accessibilityUrl || none;
      case 'url':
        return url(x.row.id);
    }
  };
  return {
    names: items.map((x) => x.content.name),
    rows: COMPARE_ROWS.map((id) => ({
      id,
      label: t(`market.solutions.compare.row.${id}`),
      cells: items.map((x) => cell(x, id)),
    })),
  };
}

/** The comparison as CSV for German spreadsheet programs: semicolons, CRLF, UTF-8 with BOM, formula-safe cells. */
export function comparisonCsv(table: ComparisonTable, t: Translate): string {
  const sep = ';';
  const line = (cells: readonly string[]) => `${cells.map((c) => csvCell(c, sep)).join(sep)}\r\n`;
  const body = [
    line([t('market.solutions.compare.criterion'), ...table.names]),
    ...table.rows.map((r) => line([r.label, ...r.cells])),
  ].join('');
  return `\ufeff${body}`;
}

/** The comparison as a tagged PDF (title page with the solutions, then the table with row and column headers). */
export async function comparisonPdf(
  table: ComparisonTable,
  opts: { t: Translate; lang: Lang; site: string; now: Date },
): Promise<Buffer> {
  const { t, lang } = opts;
  const title = t('market.solutions.compare.title');
  const provider = table.rows.find((r) => r.id === 'provider')!;
  const outline: DocumentOutline = {
    lang,
    languageTag: LANGUAGE_TAG[lang],
    title,
    subject: t('market.solutions.compare.pdfSubject'),
    author: 'Kommunallotse',
    header: `Kommunallotse · ${t('market.solutions.compare.pdfKicker')}`,
    page: (page, pages) => t('market.solutions.compare.page', { page, pages }),
    titlePage: {
      kicker: t('market.solutions.compare.pdfKicker'),
      title,
      municipality: t('market.solutions.compare.caption', { n: table.names.length }),
      facts: table.names.map((name, i) => ({ label: name, value: provider.cells[i] ?? '' })),
      status: t('market.solutions.compare.intro'),
      demo: null,
      generated: t('market.solutions.compare.generated', { date: formatDate(lang, opts.now), site: opts.site }),
    },
    sections: [
      {
        id: 'comparison',
        heading: t('market.solutions.compare.caption', { n: table.names.length }),
        newPage: true,
        blocks: [
          {
            kind: 'table',
            id: 'comparison-table',
            caption: t('market.solutions.compare.caption', { n: table.names.length }),
            columns: [
              { header: t('market.solutions.compare.criterion'), weight: 1.1 },
              ...table.names.map((name) => ({ header: name, weight: 1.6 })),
            ],
            rows: table.rows.map((r) => [r.label, ...r.cells]),
            rowHeaders: true,
          },
        ],
      },
    ],
  };
  return renderOutlinePdf(outline);
}
