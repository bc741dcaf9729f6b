/**
 * Benchmarks of Kommunallotse: `node --import tsx bench/run.ts [import|search|startup|argon2|lagebild|lagebild-strategies|register|load|pages|strategy|strategy-documents|atlas|atlas-engine|check-gtfs|check-dcat|check-oparl|desk|all]`
 * (or `npm run bench -- <name>`). PostgreSQL rows need BENCH_DATABASE_URL; see bench/README.md.
 */
import { benchArgon2 } from './argon2.js';
import { runAtlasBench } from './atlas.js';
import { runAtlasEngineBench } from './atlas-engine.js';
import { runCheckDcatBench } from './check-dcat.js';
import { runCheckGtfsBench } from './check-gtfs.js';
import { runCheckOparlBench } from './check-oparl.js';
import { runDeskBench } from './desk.js';
import { runImportBench } from './import.js';
import { runLagebildBench } from './lagebild.js';
import { runLagebildStrategiesBench } from './lagebild-strategies.js';
import { runLoadBench } from './load.js';
import { runPagesBench } from './pages.js';
import { runRegisterBench } from './register.js';
import { runSearchBench } from './search.js';
import { runStartupBench } from './startup.js';
import { runStrategyBench } from './strategy.js';
import { runStrategyDocumentsBench } from './strategy-documents.js';

const BENCHES: Record<string, () => Promise<void>> = {
  import: runImportBench,
  search: runSearchBench,
  startup: runStartupBench,
  argon2: benchArgon2,
  lagebild: runLagebildBench,
  'lagebild-strategies': runLagebildStrategiesBench,
  register: runRegisterBench,
  load: runLoadBench,
  pages: runPagesBench,
  strategy: runStrategyBench,
  'strategy-documents': runStrategyDocumentsBench,
  atlas: runAtlasBench,
  'atlas-engine': runAtlasEngineBench,
  'check-gtfs': runCheckGtfsBench,
  'check-dcat': runCheckDcatBench,
  'check-oparl': runCheckOparlBench,
  desk: runDeskBench,
};

async function main(): Promise<number> {
  const arg = process.argv[2] ?? 'all';
  const names = arg === 'all' ? Object.keys(BENCHES) : [arg];
  for (const name of names) {
    const bench = BENCHES[name];
    if (!bench) {
      console.error(`unknown benchmark "${name}" – use one of: ${Object.keys(BENCHES).join(', ')}, all`);
      return 2;
    }
    await bench();
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
