/**
 * The atlas's figures on the public Lagebild: know-how transfer per Land. Pure: the repository counts per Land the
 * published projects, the confirmed reuses and the municipalities that reused something; this file protects them.
 *
 * Projects are public pages, so their count is shown as it is. Reuses name a municipality's decision: the number of
 * adopting municipalities (and with it the reuses and the share) is shown only for a Land with at least k of them
 * ('primary' otherwise), and when the withheld Länder together hold 1..k−1 adopters — which the national total minus
 * the visible Länder would reveal — the visible Land with the fewest adopters is withheld too ('complementary'),
 * until the residue is 0 or at least k. The national figures are withheld below k.
 */
import { type Static, Type } from '@fastify/type-provider-typebox';
import { K_MIN } from '../assessment/index.js';

export interface TransferFact {
  stateKey: string;
  projects: number;
  reuses: number;
  adopters: number;
}

const Withheld = Type.Union([Type.Literal('primary'), Type.Literal('complementary')]);
const Cell = Type.Object({
  projects: Type.Integer({ minimum: 0, description: 'published practice projects led from the Land' }),
  reuses: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'confirmed reuses by municipalities of the Land; null: withheld',
  }),
  adopters: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], {
    description: 'municipalities that reused something; null: withheld',
  }),
  municipalities: Type.Integer({ minimum: 0, description: 'Gemeinden in the register' }),
  share: Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
    description: 'adopters / municipalities; null: withheld',
  }),
});

export const ATLAS_LAGEBILD_SCHEMA = Type.Object({
  kMin: Type.Integer(),
  includesDemo: Type.Boolean({ description: 'demo projects or reuses (lotse seed demo) are among the figures' }),
  total: Cell,
  byState: Type.Record(Type.String(), Cell, { description: 'by Land key (01..16)' }),
  suppressed: Type.Record(Type.String(), Withheld),
});
export type AtlasLagebild = Static<typeof ATLAS_LAGEBILD_SCHEMA>;

const share = (n: number, of: number) => (of > 0 ? Math.round((n / of) * 10_000) / 10_000 : 0);

export function atlasLagebild(
  facts: readonly TransferFact[],
  municipalities: { total: number; byState: Record<string, number> },
  includesDemo: boolean,
  k = K_MIN,
): AtlasLagebild {
  const byKey = new Map(facts.map((f) => [f.stateKey, f]));
  const states = [...new Set([...Object.keys(municipalities.byState), ...byKey.keys()])].sort();
  const suppressed: Record<string, 'primary' | 'complementary'> = {};
  for (const s of states) {
    const a = byKey.get(s)?.adopters ?? 0;
    if (a > 0 && a < k) suppressed[s] = 'primary';
  }
  const residue = () => states.filter((s) => suppressed[s]).reduce((n, s) => n + (byKey.get(s)?.adopters ?? 0), 0);
  for (let r = residue(); r > 0 && r < k; r = residue()) {
    const next = states
      .filter((s) => !suppressed[s] && (byKey.get(s)?.adopters ?? 0) > 0)
      .sort((x, y) => byKey.get(x)!.adopters - byKey.get(y)!.adopters || x.localeCompare(y))[0];
    if (!next) break;
    suppressed[next] = 'complementary';
  }
  const cell = (f: Omit<TransferFact, 'stateKey'>, of: number, hidden: boolean) => ({
    projects: f.projects,
    reuses: hidden ? null : f.reuses,
    adopters: hidden ? null : f.adopters,
    municipalities: of,
    share: hidden ? null : share(f.adopters, of),
  });
  const sum = facts.reduce(
    (t, f) => ({ projects: t.projects + f.projects, reuses: t.reuses + f.reuses, adopters: t.adopters + f.adopters }),
    {
      projects: 0,
      reuses: 0,
      adopters: 0,
    },
  );
  return {
    kMin: k,
    includesDemo,
    total: cell(sum, municipalities.total, sum.adopters > 0 && sum.adopters < k),
    byState: Object.fromEntries(
      states.map((s) => [
        s,
        cell(byKey.get(s) ?? { projects: 0, reuses: 0, adopters: 0 }, municipalities.byState[s] ?? 0, s in suppressed),
      ]),
    ),
    suppressed,
  };
}
