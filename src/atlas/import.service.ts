/**
 * The bulk import of practice projects (`lotse import practices FILE`): all or nothing. The file is parsed and
 * checked completely first (import.ts: the first bad record stops it with line or index, field and reason), then
 * the region keys are checked against the register, then every record is written in one transaction — inserted,
 * or updated when its `externalId` was imported before. With `publish` the projects are published at once,
 * otherwise they wait for an advisor's review.
 */
import { regionKindOf, sizeClassOf } from '../assessment/index.js';
import { recordAudit } from '../audit/index.js';
import type { Db } from '../platform/db/db.js';
import { ImportError } from '../platform/errors.js';
import { publish as publishEvent } from '../platform/events/events.js';
import * as repo from './atlas.repository.js';
import { ATLAS_EVENTS } from './events.js';
import { type ImportRecord, mergeImported } from './import.js';

const CHUNK = 1000;

export interface ImportSummary {
  records: number;
  inserted: number;
  updated: number;
  published: number;
}

export async function importPractices(
  db: Db,
  file: string,
  records: readonly ImportRecord[],
  opts: { publish: boolean; now: Date; actorUserId: number | null },
): Promise<ImportSummary> {
  const keys = [...new Set(records.flatMap((r) => r.content.regions))];
  const known = await repo.existingRegionKeys(db, keys);
  for (const r of records) {
    const i = r.content.regions.findIndex((k) => !known.has(k));
    if (i >= 0) {
      throw new ImportError(
        file,
        r.where.line ?? r.where.index,
        `regions[${i}]`,
        `Den Schlüssel „${r.content.regions[i]}“ gibt es im Gemeindeverzeichnis nicht (Datensatz ${r.externalId}).`,
      );
    }
  }
  const leads = [...new Set(records.map((r) => r.content.regions[0]!))];
  const facts = new Map((await repo.regionFacts(db, leads)).map((f) => [f.key, f]));
  return db.transaction(async (tx) => {
    const summary: ImportSummary = { records: records.length, inserted: 0, updated: 0, published: 0 };
    const changed: number[] = [];
    for (let i = 0; i < records.length; i += CHUNK) {
      const chunk = records.slice(i, i + CHUNK);
      // A re-import updates the fields of the import format and keeps the others (costs, contact, standards …).
      const existing = new Map(
        (
          await repo.practicesByExternalIds(
            tx,
            chunk.map((r) => r.externalId),
          )
        ).map((e) => [e.externalId, e.content]),
      );
      const rows = chunk.map((r) => {
        const f = facts.get(r.content.regions[0]!);
        const before = existing.get(r.externalId);
        return {
          externalId: r.externalId,
          content: before ? mergeImported(before, r.content) : r.content,
          sizeClass: f ? sizeClassOf(f.population) : null,
          regionKind: f ? regionKindOf({ level: f.level, designationCode: f.designationCode }) : null,
        };
      });
      const { saved, published } = await repo.upsertImported(tx, rows, opts.publish ? opts.now : null);
      summary.inserted += saved.filter((s) => s.inserted).length;
      summary.updated += saved.filter((s) => !s.inserted).length;
      summary.published += published.length;
      changed.push(...published);
    }
    if (changed.length > 0) {
      // Large imports rebuild the index instead of naming every id.
      await publishEvent(tx, ATLAS_EVENTS.practicesChanged, changed.length > 1000 ? { all: true } : { ids: changed });
    }
    await recordAudit(tx, {
      action: 'practice.import',
      entity: 'practice',
      entityId: null,
      actorUserId: opts.actorUserId,
      after: { file, ...summary },
    });
    return summary;
  });
}
