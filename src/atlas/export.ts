/**
 * Open data of the atlas: the CSV export (the import's fields plus what only the platform knows, so that an
 * export can be re-imported) and one project as schema.org JSON-LD. Pure functions; the routes are the API's.
 */
import { csvCell, csvLine } from '../platform/csv.js';
import type { ImportField } from './import.js';
import type { PracticeContent } from './model.js';

/** A published practice project as the exports see it. */
export interface PracticeExportRow {
  id: string;
  externalId: string | null;
  content: PracticeContent;
  /** Register key → name, for the regions of `content.regions`. */
  regionNames: Record<string, string>;
  publishedAt: string | null;
  updatedAt: string;
  /** Attested reuses (claims are not counted). */
  reuses: number;
}

type ImportValue = string | number | string[] | null;

/** One project in the import's format (`{"practices": [ … ]}` holds a list of these). */
export function practiceRecord(row: PracticeExportRow): Record<ImportField, ImportValue> {
  const c = row.content;
  return {
    externalId: row.externalId ?? '',
    title: c.title,
    summary: c.summary,
    description: c.description,
    regions: [...c.regions],
    sectors: [...c.sectors],
    status: c.status,
    startYear: c.startYear,
    endYear: c.endYear,
    tags: [...c.tags],
    url: c.links.website,
    source: c.source,
    licence: c.licence,
  };
}

/** The CSV columns: `id`, the import's fields, then what the import ignores (see EXPORT_ONLY_FIELDS). */
export const CSV_COLUMNS = [
  'id',
  'externalId',
  'title',
  'summary',
  'description',
  'regions',
  'regionNames',
  'sectors',
  'status',
  'startYear',
  'endYear',
  'tags',
  'url',
  'source',
  'licence',
  'pageUrl',
  'publishedAt',
  'updatedAt',
  'reuses',
] as const;

export interface CsvOptions {
  /** `,` (default, RFC 4180) or `;` (what German Excel opens by double click). */
  separator?: ',' | ';';
  /** A UTF-8 byte order mark first, so that Excel reads the umlauts right. */
  bom?: boolean;
}

/**
 * The projects as CSV with a header row and CRLF line ends. Lists (`regions`, `regionNames`, `sectors`, `tags`)
 * are joined by `;`; `url` is the project's own website (as in the import), `pageUrl` its page on the platform.
 * Cells starting with = + - @ get csvCell's leading `'`, which the import removes again.
 */
export function practicesCsv(
  rows: readonly PracticeExportRow[],
  pageUrl: (id: string) => string,
  opts: CsvOptions = {},
): string {
  const sep = opts.separator ?? ',';
  const line = (cells: readonly unknown[]) =>
    sep === ',' ? csvLine(cells) : `${cells.map((cell) => csvCell(cell, sep)).join(sep)}\r\n`;
  const out = [(opts.bom ? '\ufeff' : '') + line(CSV_COLUMNS)];
  for (const row of rows) {
    const r = practiceRecord(row);
    const cells: Record<(typeof CSV_COLUMNS)[number], unknown> = {
      ...r,
      id: row.id,
      regions: row.content.regions.join(';'),
      regionNames: row.content.regions.map((k) => row.regionNames[k] ?? k).join(';'),
      sectors: row.content.sectors.join(';'),
      tags: row.content.tags.join(';'),
      pageUrl: pageUrl(row.id),
      publishedAt: row.publishedAt ?? '',
      updatedAt: row.updatedAt,
      reuses: row.reuses,
    };
    out.push(line(CSV_COLUMNS.map((col) => cells[col])));
  }
  return out.join('');
}

/**
 * One project as schema.org JSON-LD. `Project` is a subtype of `Organization` (https://schema.org/Project:
 * "Use properties from Organization"), so only Thing and Organization properties are used:
 * name, description, url, sameAs (https://schema.org/Thing); foundingDate, dissolutionDate, areaServed,
 * keywords, funding (a `Grant`), subjectOf (https://schema.org/Organization). `license` exists only on
 * CreativeWork (https://schema.org/license): the reuse licence is said of a CreativeWork about the project
 * (`subjectOf`; a `SoftwareSourceCode` with `codeRepository` when there is a repository).
 * A region is an `AdministrativeArea` whose `identifier` is a `PropertyValue` "AGS" (8-digit
 * Gemeindeschlüssel, and the 2/3/5-digit Land, Regierungsbezirk and Kreis keys) or "RS" (9- and 12-digit
 * Regionalschlüssel).
 */
export function practiceJsonLd(row: PracticeExportRow, pageUrl: string): Record<string, unknown> {
  const c = row.content;
  const ld: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'Project',
    '@id': pageUrl,
    name: c.title,
    description: c.summary,
    url: pageUrl,
  };
  if (c.startYear !== null) ld.foundingDate = String(c.startYear);
  if (c.endYear !== null) ld.dissolutionDate = String(c.endYear);
  ld.areaServed = c.regions.map((key) => ({
    '@type': 'AdministrativeArea',
    name: row.regionNames[key] ?? key,
    identifier: {
      '@type': 'PropertyValue',
      propertyID: key.length === 9 || key.length === 12 ? 'RS' : 'AGS',
      value: key,
    },
  }));
  if (c.tags.length > 0) ld.keywords = [...c.tags];
  if (c.funding !== '') ld.funding = { '@type': 'Grant', name: c.funding };
  const sameAs = [c.links.website, c.links.repository].filter((u) => u !== '');
  if (sameAs.length > 0) ld.sameAs = sameAs;
  if (c.licence !== '') {
    const license = /^https?:\/\//.test(c.licence) ? c.licence : { '@type': 'CreativeWork', name: c.licence };
    ld.subjectOf =
      c.links.repository !== ''
        ? { '@type': 'SoftwareSourceCode', name: c.title, codeRepository: c.links.repository, license }
        : { '@type': 'CreativeWork', name: c.title, license };
  }
  return ld;
}
