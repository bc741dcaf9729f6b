/**
 * Strategies written straight into the database for tests and benchmarks of the Lagebild (the strategy service
 * makes them in the application; here only the rows the Lagebild reads matter). Plain SQL, one statement.
 */
import type { Db } from '../../src/platform/db/db.js';
import type { MeasureStatus, PlanItem, StrategyContent } from '../../src/strategy/plan.js';

export interface TestStrategy {
  regionKey: string;
  status: 'draft' | 'submitted' | 'adopted' | 'superseded';
  /** Demo strategies belong to no workspace; others get the region's workspace (created when missing). */
  isDemo?: boolean;
  stateKey?: string | null;
  sizeClass?: string | null;
  /** Measure ids with their status; the content's other fields are plausible defaults. */
  items?: readonly { measureId: string; status: MeasureStatus }[];
  catalogueVersion?: string;
  /** The whole content instead (items and catalogueVersion are then ignored). */
  content?: StrategyContent;
}

const item = (measureId: string, status: MeasureStatus, i: number): PlanItem => ({
  measureId,
  startMonth: i * 2,
  durationMonths: 6,
  effortDays: 10,
  costOneOff: 5_000,
  costPerYear: 1_000,
  owner: '',
  status,
  note: '',
  actualStart: status === 'planned' ? null : '2026-01',
  actualEnd: status === 'done' ? '2026-06' : null,
  reason: { key: 'lagebild.strategy.title', params: {} },
});

/** A plausible strategy content with the given items. */
export function testContent(
  items: readonly { measureId: string; status: MeasureStatus }[],
  catalogueVersion = '1',
): StrategyContent {
  return {
    title: '',
    vision: '',
    startMonth: '2026-01',
    capacity: { staffDaysPerMonth: 3, budgetPerYear: 30_000 },
    governance: { steering: '', reportingCycle: 'halfyearly' },
    goals: [],
    items: items.map((x, i) => item(x.measureId, x.status, i)),
    catalogueVersion,
    modelVersion: '1',
  };
}

/** Insert the strategies (in the given order, so later ones are newer); returns their ids. */
export async function insertStrategies(db: Db, rows: readonly TestStrategy[]): Promise<number[]> {
  const real = [...new Set(rows.filter((r) => !r.isDemo).map((r) => r.regionKey))];
  if (real.length > 0) {
    await db.query(
      `INSERT INTO organisations (kind, region_key, name)
       SELECT 'region', r.key, left(r.name, 200) FROM regions r WHERE r.key = ANY($1::text[])
       ON CONFLICT (region_key) DO NOTHING`,
      [real],
    );
  }
  const ids = await db.query<{ id: number }>(
    `INSERT INTO strategies (org_id, region_key, status, content, submitted_on, adopted_on, decision_number, is_demo,
       state_key, size_class)
     SELECT CASE WHEN x.is_demo THEN NULL ELSE (SELECT o.id FROM organisations o WHERE o.region_key = x.region_key) END,
       x.region_key, x.status, x.content,
       CASE WHEN x.status <> 'draft' THEN DATE '2026-03-01' END,
       CASE WHEN x.status IN ('adopted', 'superseded') THEN DATE '2026-04-01' END,
       CASE WHEN x.status IN ('adopted', 'superseded') THEN 'GR-' || x.ord END,
       x.is_demo, x.state_key, x.size_class
     FROM jsonb_to_recordset($1::jsonb) AS x(ord int, region_key text, status text, content jsonb, is_demo boolean,
       state_key text, size_class text)
     ORDER BY x.ord
     RETURNING id::int AS id`,
    [
      JSON.stringify(
        rows.map((r, ord) => ({
          ord,
          region_key: r.regionKey,
          status: r.status,
          content: r.content ?? testContent(r.items ?? [], r.catalogueVersion),
          is_demo: r.isDemo ?? false,
          state_key: r.stateKey === undefined ? r.regionKey.slice(0, 2) : r.stateKey,
          size_class: r.sizeClass ?? null,
        })),
      ),
    ],
  );
  return ids.map((r) => r.id);
}
