import { lagebildDenominators, loadModel } from '../assessment/index.js';
import type { Db } from '../platform/db/db.js';
import { type MeasureAxes, type StrategyLagebild, strategyLagebild } from './lagebild.js';
import * as repo from './lagebild.repository.js';
import { loadMeasures, type Measure } from './measures.js';

/** Sectors and dimensions of a measure, from the catalogue version a strategy names (unknown versions: null). */
function catalogueAxes(): MeasureAxes {
  const catalogues = new Map<string, Map<string, Measure>>();
  return (version, id) => {
    let byId = catalogues.get(version);
    if (!byId) {
      byId = new Map();
      try {
        for (const m of loadMeasures(version).measures) byId.set(m.id, m);
      } catch {
        // A strategy naming a catalogue this instance does not have: its done measures are not counted.
      }
      catalogues.set(version, byId);
    }
    const m = byId.get(id);
    return m ? { sectors: m.sectors, dimensions: m.dimensions } : null;
  };
}

/** The strategy figures of the Lagebild (adopted share, measures done), privacy-protected (lagebild.ts). */
export async function strategyLagebildFigures(db: Db): Promise<StrategyLagebild> {
  const [rows, denominators] = await Promise.all([repo.adoptedStrategies(db), lagebildDenominators(db)]);
  const model = loadModel();
  return strategyLagebild(
    rows.map((r) => ({
      regionKey: r.regionKey,
      stateKey: r.stateKey,
      sizeClass: r.sizeClass ?? '',
      isDemo: r.isDemo,
      catalogueVersion: r.catalogueVersion ?? '',
      done: r.done,
    })),
    denominators,
    catalogueAxes(),
    { sectors: model.sectors.map((s) => s.id), dimensions: model.dimensions.map((d) => d.id) },
  );
}
