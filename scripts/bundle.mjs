// Where the build (scripts/build.mjs) puts the bundle, and whether that bundle still matches the sources.
// Used by bin/lotse.js at every start, so it only reads: a stat per source file, a hash only of files whose
// modification time changed, a read of each bundled package's package.json (about 2 ms in all).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = path.join(ROOT, 'dist');
export const BUNDLE = path.join(DIST, 'cli.mjs');
/** What the bundle was built from: every source file with size, mtime and hash, and each bundled package's version. */
export const MANIFEST = path.join(DIST, 'build.json');
export const MANIFEST_VERSION = 1;

export function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function statOrNull(file) {
  try {
    return fs.statSync(file);
  } catch (err) {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Whether dist/cli.mjs can run as it is: `{ ok: true }`, or `{ ok: false, problem }` with one sentence
 * saying what is missing or which file changed since the last build.
 */
export function checkBundle() {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8'));
  } catch {
    return { ok: false, problem: fs.existsSync(BUNDLE) ? 'dist/build.json is missing' : 'dist/cli.mjs is missing' };
  }
  if (manifest.version !== MANIFEST_VERSION) return { ok: false, problem: 'dist/ was written by another build script' };
  const bundle = statOrNull(BUNDLE);
  if (!bundle || bundle.size !== manifest.bundleBytes)
    return { ok: false, problem: 'dist/cli.mjs is missing or incomplete' };

  // An installation may leave the TypeScript sources out (dist/ shipped without src/): nothing to compare then.
  const sources = Object.entries(manifest.sources);
  if (sources.length > 0 && statOrNull(path.join(ROOT, sources[0][0]))) {
    for (const [rel, recorded] of sources) {
      const st = statOrNull(path.join(ROOT, rel));
      if (!st) return { ok: false, problem: `${rel} was removed since the last build` };
      if (st.size === recorded.bytes && st.mtimeMs === recorded.mtimeMs) continue;
      // Touched (checkout, copy) but perhaps not changed: the content decides.
      if (st.size !== recorded.bytes || sha256(path.join(ROOT, rel)) !== recorded.sha256) {
        return { ok: false, problem: `${rel} changed since the last build` };
      }
    }
  }
  for (const [dir, recorded] of Object.entries(manifest.packages)) {
    let version = null;
    try {
      version = JSON.parse(fs.readFileSync(path.join(ROOT, dir, 'package.json'), 'utf8')).version;
    } catch {
      /* removed */
    }
    if (version !== recorded.version) {
      const now = version ? `is ${version} now` : 'is no longer installed';
      return { ok: false, problem: `the bundled package ${recorded.name} ${now} (built with ${recorded.version})` };
    }
  }
  return { ok: true };
}
