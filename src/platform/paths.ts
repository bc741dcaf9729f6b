import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root (the folder with this package's package.json), found by walking up from this
 * module. Works both from the TypeScript sources (tests, tsx) and from the bundle dist/cli.mjs that
 * scripts/build.mjs writes (one level below the root).
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'kommunallotse') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('kommunallotse package root not found');
    dir = parent;
  }
}

export const ROOT = findRoot();
/** The platform's own migrations (mail outbox, domain events, rate limits); modules keep theirs in their folder. */
export const PLATFORM_MIGRATIONS_DIR = path.join(ROOT, 'src/platform/migrations');
export const ASSETS_DIR = path.join(ROOT, 'src/platform/http/assets');
/** The KERN design system's stylesheet and fonts (served under /assets/kern/). */
export const KERN_DIR = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@kern-ux/native/package.json')),
  'dist',
);
