#!/usr/bin/env node
// Runs one tier of the tests with node's test runner. Node 20's `node --test` does not expand glob
// patterns itself, so this script finds the files: unit and int tests live next to the code in
// src/**/__tests__/, e2e tests in test/e2e/.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const tier = process.argv[2];
const suffix = { unit: '.unit.test.ts', integration: '.int.test.ts', e2e: '.e2e.test.ts' }[tier];
if (!suffix) {
  console.error('usage: node test/run.mjs unit|integration|e2e');
  process.exit(2);
}

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') walk(p, out);
    else if (entry.isFile() && entry.name.endsWith(suffix)) out.push(p);
  }
  return out;
}

const files = walk(tier === 'e2e' ? 'test/e2e' : 'src').sort();
if (files.length === 0) {
  console.error(`no ${tier} tests found`);
  process.exit(1);
}
// Integration and e2e files each start databases, servers or browsers: one file at a time.
const concurrency = tier === 'unit' ? '2' : '1';
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
