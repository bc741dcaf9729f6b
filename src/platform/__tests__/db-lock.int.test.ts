import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DatabaseLockedError, openPglite } from '../db/db.js';

const DB_MODULE = fileURLToPath(new URL('../db/db.ts', import.meta.url));

/** A Node process (through tsx, like the tests) that opens `dir` and reports on stdout; kept alive until killed. */
function spawnOpener(dir: string): { child: ChildProcess; result: Promise<string> } {
  const script = `
    const { openPglite } = await import(${JSON.stringify(DB_MODULE)});
    try {
      await openPglite(${JSON.stringify(dir)});
      console.log('opened');
      setInterval(() => {}, 1000);
    } catch (err) {
      console.log(err.name + ': ' + err.message);
      process.exit(3);
    }`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const result = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => resolve(out.trim() || `exited with ${code}`));
    child.on('error', reject);
  });
  return { child, result };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A live process that is certainly not lotse. */
function spawnSleep(): ChildProcess {
  return spawn('sleep', ['60'], { stdio: 'ignore' });
}

describe('lock file of the embedded database', () => {
  let template: string;
  let dir: string;
  const children: ChildProcess[] = [];
  const lockPath = () => path.join(dir, 'lotse.lock');

  // One created data directory (initdb takes seconds), copied for every test.
  before(async () => {
    template = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-lock-template-'));
    await (await openPglite(template)).close();
  });
  after(() => fs.rmSync(template, { recursive: true, force: true }));
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lotse-lock-'));
    fs.cpSync(template, dir, { recursive: true });
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.kill('SIGKILL');
      await exited(c);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a stale lock whose PID now belongs to a live process that is not lotse does not block the open', async () => {
    // As left behind by a crash: the lock names a PID that, after a reboot or PID wrap-around, belongs
    // to some other process (here: a `sleep`), in the plain-PID format of earlier versions.
    const sleep = spawnSleep();
    children.push(sleep);
    fs.writeFileSync(lockPath(), String(sleep.pid));
    const db = await openPglite(dir);
    try {
      assert.equal(JSON.parse(fs.readFileSync(lockPath(), 'utf8')).pid, process.pid, 'the lock is ours now');
      assert.deepEqual(await db.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await db.close();
    }
    assert.equal(fs.existsSync(lockPath()), false, 'the lock is released');
  });

  test('a lock left by a killed process whose PID is now taken by another live process is taken over', async () => {
    // A real holder that crashes (SIGKILL: no cleanup), then its PID in the lock replaced by the PID of a
    // live process, as if the PID had been reused: a `sleep`, and a Node process (the test runner's parent).
    const holder = spawnOpener(dir);
    children.push(holder.child);
    assert.equal(await holder.result, 'opened');
    holder.child.kill('SIGKILL');
    await exited(holder.child);
    const left = JSON.parse(fs.readFileSync(lockPath(), 'utf8'));
    assert.equal(left.pid, holder.child.pid);

    const sleep = spawnSleep();
    children.push(sleep);
    for (const pid of [sleep.pid!, process.ppid]) {
      fs.writeFileSync(lockPath(), JSON.stringify({ ...left, pid }));
      const db = await openPglite(dir);
      await db.close();
    }
  });

  test('a second open of the same directory is refused while the first holds it', async () => {
    const db = await openPglite(dir);
    try {
      // Another process: the clear message naming this process.
      const second = spawnOpener(dir);
      children.push(second.child);
      const message = await second.result;
      assert.match(message, /^DatabaseLockedError: .*in use by another process \(pid (\d+)\)/);
      assert.equal(Number(/\(pid (\d+)\)/.exec(message)![1]), process.pid);
      // The same process a second time (two PGlite instances on one directory corrupt it just the same).
      const again = await openPglite(dir).then(
        (d) => d,
        (err: unknown) => err as Error,
      );
      if (!(again instanceof Error)) await again.close();
      assert.ok(again instanceof DatabaseLockedError, 'a second open in the same process is refused');
      assert.match(again.message, /already open in this process/);
    } finally {
      await db.close();
    }
    // Released: now another process may open it.
    const third = spawnOpener(dir);
    children.push(third.child);
    assert.equal(await third.result, 'opened');
  });
});
