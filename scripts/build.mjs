#!/usr/bin/env node
// Builds dist/cli.mjs, the JavaScript that bin/lotse.js runs: src/cli.ts and everything it imports,
// bundled by esbuild into one ES module, with dist/cli.mjs.map and dist/build.json (what it was built from).
// Runs at install (`prepare`, i.e. `npm install` / `npm ci` in the checkout) and by `npm run build`.
//
//   node scripts/build.mjs            build (needs esbuild, a dev dependency)
//   node scripts/build.mjs --prepare  the same, but without esbuild (npm ci --omit=dev) accept a current
//                                     shipped build instead of failing
//
// Dependencies stay external (loaded from node_modules at run time) except the pure ES-module packages
// in BUNDLED: loading typebox alone means resolving ~680 files one by one, about 0.3 s of every start.
// A package is only bundled when it does not locate files relative to itself; the build checks that and
// fails otherwise (see docs/adr/0007-build-at-install.md).
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLE, checkBundle, DIST, MANIFEST, MANIFEST_VERSION, ROOT, sha256 } from './bundle.mjs';

const ENTRY = 'src/cli.ts';

/** Packages compiled into the bundle. All must be ES modules that never look at their own location. */
const BUNDLED = [
  'typebox',
  '@fastify/type-provider-typebox',
  'preact',
  'preact-render-to-string',
  'openid-client',
  'oauth4webapi',
  'jose',
  'nodemailer',
];

/** Code that finds files next to itself: it would look beside dist/cli.mjs instead once bundled. */
const SELF_LOCATING = /\bimport\.meta\b|\b__dirname\b|\b__filename\b|\brequire\.resolve\b|\bcreateRequire\b/;

const packageName = (specifier) => specifier.match(/^(@[^/]+\/[^/]+|[^/]+)/)[1];

/**
 * esbuild plugin: bundle BUNDLED, keep every other package external. A bundled package may import an
 * external one only if Node, resolving it from dist/cli.mjs, finds the same file (no nested other version).
 */
const dependencies = {
  name: 'dependencies',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.kind === 'entry-point' || args.path.startsWith('node:')) return undefined;
      const name = packageName(args.path);
      if (BUNDLED.includes(name)) return undefined;
      if (args.importer.includes(`${path.sep}node_modules${path.sep}`)) {
        const resolve = (resolveDir) => build.resolve(args.path, { kind: args.kind, resolveDir, pluginData: 'inner' });
        const [there, here] = await Promise.all([resolve(args.resolveDir), resolve(ROOT)]);
        if (there.errors.length || here.errors.length || there.path !== here.path) {
          const text = `${name}, imported by the bundled ${args.importer}, resolves differently from dist/: bundle it too (BUNDLED) or keep the importer external`;
          return { errors: [{ text }] };
        }
      }
      return { external: true };
    });
  },
};

async function loadEsbuild() {
  try {
    return await import('esbuild');
  } catch (err) {
    if (err.code === 'ERR_MODULE_NOT_FOUND') return null;
    throw err;
  }
}

function fail(message) {
  console.error(`build: ${message}`);
  process.exit(1);
}

function writeAtomically(file, data) {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  return () => fs.renameSync(tmp, file); // a concurrent start never sees half a file
}

async function build(esbuild) {
  const t0 = performance.now();
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [ENTRY],
    outfile: BUNDLE,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    plugins: [dependencies],
  });

  const sources = {};
  const packages = {};
  const problems = [];
  // The entry first: bin/lotse.js takes its absence as "sources not installed".
  const inputs = Object.entries(result.metafile.inputs).sort(([a], [b]) => (a === ENTRY ? -1 : b === ENTRY ? 1 : 0));
  for (const [rel, input] of inputs) {
    const file = path.join(ROOT, rel);
    const inPackage = rel.match(/^(.*node_modules\/((?:@[^/]+\/)?[^/]+))\//); // the innermost package
    if (!inPackage) {
      const st = fs.statSync(file);
      sources[rel] = { bytes: st.size, mtimeMs: st.mtimeMs, sha256: sha256(file) };
      continue;
    }
    const [, dir, name] = inPackage;
    if (input.format !== 'esm' && !rel.endsWith('.json')) problems.push(`${rel} is not an ES module`);
    if (SELF_LOCATING.test(fs.readFileSync(file, 'utf8'))) problems.push(`${rel} locates files relative to itself`);
    packages[dir] ??= {
      name,
      version: JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')).version,
    };
  }
  if (problems.length) {
    fail(`cannot bundle (keep these packages external instead, see BUNDLED):\n  ${problems.join('\n  ')}`);
  }

  const js = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  const manifest = {
    version: MANIFEST_VERSION,
    entry: ENTRY,
    esbuild: esbuild.version,
    bundleBytes: js.contents.byteLength,
    sources,
    packages,
  };
  fs.mkdirSync(DIST, { recursive: true });
  const commits = [
    writeAtomically(`${BUNDLE}.map`, map.contents),
    writeAtomically(BUNDLE, js.contents),
    writeAtomically(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`),
  ];
  for (const commit of commits) commit();
  const kib = Math.round(js.contents.byteLength / 1024);
  console.log(
    `build: ${path.relative(ROOT, BUNDLE)} (${kib} KiB; ${Object.keys(sources).length} source files, ` +
      `${Object.keys(packages).length} packages bundled) in ${Math.round(performance.now() - t0)} ms`,
  );
}

const prepare = process.argv.includes('--prepare');
const esbuild = await loadEsbuild();
if (esbuild) {
  await build(esbuild);
} else if (prepare && checkBundle().ok) {
  console.log('build: esbuild is not installed (production install); using the shipped dist/cli.mjs');
} else {
  const state = checkBundle();
  fail(
    `esbuild is not installed (a dev dependency), so dist/cli.mjs cannot be built` +
      (state.ok ? '.' : `, and ${state.problem}.`) +
      ' Install with the dev dependencies (npm ci), or ship dist/ built elsewhere with `npm run build`.',
  );
}
