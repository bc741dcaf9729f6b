import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/platform/config.js';
import { type ImportReport, importGv100ad } from '../../src/register/register.service.js';
import { type RunningServer, startServer } from '../../src/server.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:41234 (no trailing slash) */
  baseUrl: string;
  server: RunningServer;
  dataDir: string;
  /** Report of the real-data import, when one was requested. */
  imported: ImportReport | null;
  /** Stop the server, close the database and remove the temporary data directory. Idempotent. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Path of a GV100AD release to import into the running server's database after start. */
  gv100ad?: string;
  /** Further environment for the server's config (e.g. CHECK_ALLOW_PRIVATE for local fixture servers). */
  env?: Record<string, string>;
}

/** Start the real server (PGlite in a fresh temp dir, random port on 127.0.0.1) and wait until it is ready. */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'kl-e2e-'));
  let server: RunningServer | null = null;
  let closing: Promise<void> | null = null;
  const close = () => {
    closing ??= (async () => {
      try {
        await server?.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    })();
    return closing;
  };
  try {
    const port = await freePort();
    const config = loadConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT: '0',
      LAGEBILD_RELEASE_MINUTES: '0',
      ...opts.env,
    });
    server = await startServer(config);
    await server.ready;
    let imported: ImportReport | null = null;
    if (opts.gv100ad) {
      imported = await importGv100ad(server.db, {
        fileName: path.basename(opts.gv100ad),
        data: fs.readFileSync(opts.gv100ad),
      });
      await server.app.platform.events.drain();
    }
    const { port: bound } = server.app.server.address() as AddressInfo;
    return { baseUrl: `http://127.0.0.1:${bound}`, server, dataDir, imported, close };
  } catch (err) {
    await close().catch(() => {});
    throw err;
  }
}

/** A port nobody listens on right now (so BASE_URL can name it before the server starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
