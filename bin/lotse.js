#!/usr/bin/env node
// Entry point of the `lotse` command (and of `npm start`).
//
// Runs dist/cli.mjs, the bundle that scripts/build.mjs writes at install (`prepare`) and on `npm run build`.
// It never builds or writes anything itself, so it works on a read-only installation and needs no esbuild.
// When src/ changed since the last build (or the bundle is missing) it says so and stops instead of running
// code that differs from the sources (docs/adr/0007-build-at-install.md).
import { pathToFileURL } from 'node:url';
import { BUNDLE, checkBundle, ROOT } from '../scripts/bundle.mjs';

const state = checkBundle();
if (!state.ok) {
  console.error(
    `lotse: ${state.problem}, so dist/cli.mjs does not match the sources.\n` +
      `Build it with \`npm run build\` in ${ROOT} (needs the dev dependencies), then start again.`,
  );
  process.exit(1);
}
const { run } = await import(pathToFileURL(BUNDLE).href);
await run();
