import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LOTSE as BIN, lotse, ROOT } from '../../../test/helpers/lotse.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/gv100ad');

async function waitFor(url: string, status: number, timeoutMs = 60_000) {
  const start = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === status) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - start > timeoutMs) throw new Error(`${url} did not answer ${status} in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('lotse command and server process', () => {
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-cli-'));
    env = { DATA_DIR: dir, LOG_LEVEL: 'warn', DATABASE_URL: '' };
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('failures exit non-zero with a one-line reason', async () => {
    const missing = await lotse(['import', 'gv100ad', path.join(dir, 'nope.txt')], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^lotse: file not found: .*nope\.txt\n$/);
    const unknown = await lotse(['frobnicate'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /^lotse: unknown command "frobnicate"/);
    const badConfig = await lotse(['migrate'], { ...env, PORT: 'eighty' });
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /PORT/);
    const noServer = await lotse(['migrate'], { ...env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    assert.equal(noServer.code, 1);
    assert.equal(noServer.stderr.trim().split('\n').length, 1);
    const bad = await lotse(['import', 'gv100ad', path.join(FIXTURES, 'bad-line.txt')], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /bad-line\.txt, Zeile 8, Feld Fläche/);
  });

  test('a running server holds the embedded database; a second process refuses; SIGTERM shuts down cleanly', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000);
    let server: ChildProcess | null = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    try {
      await waitFor(`http://127.0.0.1:${port}/health`, 200);
      // The line a person starting the platform looks for, with the address the server answers on.
      for (let i = 0; i < 50 && !stdout.includes('läuft auf'); i++) await new Promise((r) => setTimeout(r, 100));
      assert.match(stdout, new RegExp(`^Kommunallotse läuft auf http://localhost:${port} `, 'm'));
      assert.ok(fs.existsSync(path.join(dir, 'lotse.lock')));
      const second = await lotse(['import', 'gv100ad', path.join(FIXTURES, 'release-a.txt')], env);
      assert.equal(second.code, 1);
      assert.match(second.stderr, /in use by another process \(pid \d+\)/);
      const exited = new Promise<number | null>((resolve) => server!.on('exit', (code) => resolve(code)));
      server.kill('SIGTERM');
      assert.equal(await exited, 0);
      server = null;
      assert.equal(fs.existsSync(path.join(dir, 'lotse.lock')), false, 'the lock is released');
    } finally {
      server?.kill('SIGKILL');
    }
    // Now the CLI may open it: the embedded default (Länder, Kreise) is there from the server's first start,
    // so a partial fixture release is refused unless forced.
    const partial = await lotse(['import', 'gv100ad', path.join(FIXTURES, 'release-a.txt')], env);
    assert.equal(partial.code, 1);
    assert.match(partial.stderr, /unvollständig/);
    const forced = await lotse(['import', 'gv100ad', '--force', path.join(FIXTURES, 'release-a.txt')], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Gebietsstand 2023-12-31/);
    const again = await lotse(['import', 'gv100ad', path.join(FIXTURES, 'release-a.txt')], env);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /bereits eingespielt – nichts geändert/);
    const json = await lotse(['import', 'gv100ad', '--json', path.join(FIXTURES, 'release-b.txt')], env);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.release, '2024-12-31');
    assert.ok(report.ended.some((e: { key: string; successorKey: string }) => e.key === '16063001'));
  });
});
