/**
 * The conformance registry's figures on the public Lagebild: per Land, the municipalities (Gemeinden and Kreise with
 * a workspace) whose own OParl, DCAT-AP.de or GTFS endpoint is conformant by its latest check. Pure.
 *
 * No k-suppression, on purpose: every fact counted here is already public, with the municipality's name, on the
 * artefact's page, in `GET /api/v1/conformance` and on the municipality's profile (a registered endpoint and its
 * checks are public evidence, not an answer of a person or a self-assessment). Hiding a count below k would
 * protect nothing; the Digitalcheck's and the strategies' k-rules protect figures whose single facts are not public.
 */
import { type Static, Type } from '@fastify/type-provider-typebox';
import type { CheckStandard } from './types.js';

/** The standards a municipality runs as its own endpoint (publiccode.yml describes software, not a municipality). */
export const LAGEBILD_STANDARDS = ['oparl', 'dcat-ap-de', 'gtfs'] as const satisfies readonly CheckStandard[];
export type LagebildStandard = (typeof LAGEBILD_STANDARDS)[number];

const Counts = Type.Object({
  oparl: Type.Integer({ minimum: 0, description: 'municipalities with a conformant OParl endpoint' }),
  'dcat-ap-de': Type.Integer({ minimum: 0, description: 'municipalities with a conformant DCAT-AP.de catalogue' }),
  gtfs: Type.Integer({ minimum: 0, description: 'municipalities with a conformant GTFS feed' }),
});

export const CONFORMANCE_LAGEBILD_SCHEMA = Type.Object({
  includesDemo: Type.Boolean({ description: 'always false: checks are never demo data' }),
  total: Counts,
  byState: Type.Record(Type.String(), Counts, { description: 'by Land key (01..16)' }),
});
export type ConformanceLagebild = Static<typeof CONFORMANCE_LAGEBILD_SCHEMA>;

const zero = (): Record<LagebildStandard, number> => ({ oparl: 0, 'dcat-ap-de': 0, gtfs: 0 });

/**
 * From the counts per Land and standard (distinct regions) and the Länder to list (every Land appears, with zeros).
 * The national total counts each region once per standard: the sum of the Länder.
 */
export function conformanceLagebild(
  rows: readonly { stateKey: string; standard: CheckStandard; regions: number }[],
  states: readonly string[],
): ConformanceLagebild {
  const byState: Record<string, Record<LagebildStandard, number>> = {};
  for (const s of [...new Set([...states, ...rows.map((r) => r.stateKey)])].sort()) byState[s] = zero();
  const total = zero();
  for (const r of rows) {
    if (!(LAGEBILD_STANDARDS as readonly string[]).includes(r.standard)) continue;
    const k = r.standard as LagebildStandard;
    byState[r.stateKey]![k] += r.regions;
    total[k] += r.regions;
  }
  return { includesDemo: false, total, byState };
}
