#!/usr/bin/env node
// Entry point of the `lotse` command (and of `npm start`).
//
// Runs dist/cli.mjs, the bundle that scripts/build.mjs writes at install (`prepare`) and on `npm run build`.
// It never builds or writes anything itself, so it works on a read-only installation and needs no esbuild.
// When src/ changed since the last build (or the bundle is missing) it says so and stops instead of running
// code that differs from the sources (docs/adr/0007-build-at-install.md).
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { BUNDLE, checkBundle, ROOT } from '../scripts/bundle.mjs';

const state = checkBundle();
if (!state.ok) {
  console.error(
    `lotse: the build in dist/ cannot run: ${state.problem}.\n` +
      `Build it with \`npm run build\` in ${ROOT} (needs the dev dependencies), then start again.`,
  );
  process.exit(1);
}
// A command on the embedded database: start compiling PGlite's WebAssembly now, on V8's background threads,
// while the bundle loads (about a tenth of a second less until ready). src/platform/db/db.ts picks it up.
const command = process.argv[2];
if (command && command !== 'help' && !command.startsWith('-') && !process.env.DATABASE_URL?.trim()) {
  globalThis[Symbol.for('kommunallotse.pgliteWasm')] = (async () => {
    const file = new URL('pglite.wasm', import.meta.resolve('@electric-sql/pglite'));
    return WebAssembly.compile(fs.readFileSync(file));
  })().catch(() => null);
}
const { run } = await import(pathToFileURL(BUNDLE).href);
await run();
