/**
 * A published practice project as the JSON API shows it, and the same item pre-serialised for the search's list
 * (ADR 0016): the index keeps each published project's JSON in memory, split around the parts that differ per
 * request (its URL, confirmed reuses, score and matched words), so that a page of hits is answered by joining
 * bytes instead of reading and serialising 20 rows. Pure.
 */
import type { PracticeRow } from './atlas.repository.js';
import { practiceUrl } from './atlas.views.js';

export function practiceJson(row: PracticeRow, publicUrl: string, reuses: number, extra: Record<string, unknown> = {}) {
  const c = row.published!;
  return {
    id: row.id,
    url: `${publicUrl}${practiceUrl(row.id)}`,
    externalId: row.externalId,
    version: row.publishedVersion,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    firstPublishedAt: row.firstPublishedAt?.toISOString() ?? null,
    confirmedReuses: reuses,
    isDemo: row.isDemo,
    sizeClass: row.sizeClass,
    ...extra,
    // The contact person is shown only to signed-in members of municipal workspaces, never in open data.
    content: { ...c, contact: null },
  };
}

/** The constant parts of a project's list item (see `listItemJson`). */
export interface ItemParts {
  /** `,"externalId":…,"firstPublishedAt":…` */
  pre: string;
  /** `,"isDemo":…,"sizeClass":…` */
  mid: string;
  /** `,"content":{…}}` as UTF-8 (off the JavaScript heap). */
  content: Buffer;
}

/** Null for a project without a published version. */
export function itemParts(row: PracticeRow): ItemParts | null {
  if (!row.published) return null;
  const j = practiceJson(row, '', 0);
  const pre = JSON.stringify({
    externalId: j.externalId,
    version: j.version,
    publishedAt: j.publishedAt,
    firstPublishedAt: j.firstPublishedAt,
  });
  const mid = JSON.stringify({ isDemo: j.isDemo, sizeClass: j.sizeClass });
  return {
    pre: `,${pre.slice(1, -1)}`,
    mid: `,${mid.slice(1, -1)}`,
    content: Buffer.from(`,"content":${JSON.stringify(j.content)}}`),
  };
}

/**
 * One list item: byte for byte `JSON.stringify(practiceJson(row, publicUrl, reuses, { score, matched }))`.
 * Returned as chunks for one `Buffer.concat` of the whole page.
 */
export function listItemJson(
  id: number,
  parts: ItemParts,
  publicUrl: string,
  reuses: number,
  score: number,
  matched: readonly string[],
): Buffer[] {
  const head =
    `{"id":${id},"url":${JSON.stringify(`${publicUrl}${practiceUrl(id)}`)}${parts.pre}` +
    `,"confirmedReuses":${reuses}${parts.mid},"score":${JSON.stringify(score)},"matched":${JSON.stringify(matched)}`;
  return [Buffer.from(head), parts.content];
}
