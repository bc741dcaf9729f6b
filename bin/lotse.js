#!/usr/bin/env node
// Entry point of the `lotse` command (and of `npm start`).
//
// The platform is written in TypeScript and has no separate build step: this script bundles src/cli.ts
// with esbuild into node_modules/.cache/lotse/ whenever a source file is newer than the bundle (about
// 100 ms), then runs the bundle with plain Node. Dependencies stay external. Running the bundle instead of
// a TypeScript loader keeps the start of the server well under two seconds.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'node_modules', '.cache', 'lotse');
const out = path.join(outDir, 'cli.mjs');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|tsx|json)$/.test(entry.name)) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

function bundleMtime() {
  try {
    return fs.statSync(out).mtimeMs;
  } catch {
    return -1;
  }
}

const sources = Math.max(newestSource(path.join(root, 'src')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
if (bundleMtime() < sources) {
  const esbuild = await import('esbuild');
  fs.mkdirSync(outDir, { recursive: true });
  const tmp = path.join(outDir, `cli.${process.pid}.mjs`);
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'cli.ts')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    sourcemap: 'inline',
    logLevel: 'error',
  });
  fs.renameSync(tmp, out); // atomic: a concurrent start never sees half a bundle
}
const { run } = await import(pathToFileURL(out).href);
await run();
