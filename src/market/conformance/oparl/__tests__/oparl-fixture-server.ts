/**
 * A small OParl 1.1 endpoint on 127.0.0.1 for the validator's tests and bench: the handwritten objects of
 * test/fixtures/market/oparl/endpoint-1.1.json, paginated lists built from them, and generated persons. Variants
 * (broken objects, loops, slow answers) are made with the options.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { ROOT } from '../../../../platform/paths.js';
import { type Fetcher, FetchRefused } from '../../types.js';

export const FIXTURE = path.join(ROOT, 'test/fixtures/market/oparl/endpoint-1.1.json');

// biome-ignore lint/suspicious/noExplicitAny: fixture objects are mutated freely by the tests
export type Json = Record<string, any>;

export interface FixtureOptions {
  /** Generated persons in the body's person list (default 5). */
  persons?: number;
  /** Objects per list page (default 2). */
  pageSize?: number;
  /** Change the objects (paths → objects, BASE already filled in) before serving. */
  mutate?: (
    objects: Record<string, Json>,
    lists: Record<string, { type: string; items: string[] }>,
    base: string,
  ) => void;
  /** The last page of the person list points back to its first page. */
  loop?: boolean;
  /** Answer these paths (without query) only after the given delay in ms. */
  slow?: Record<string, number>;
  /** Answer these paths (without query) with this status and a small body. */
  status?: Record<string, number>;
}

export interface FixtureServer {
  base: string;
  url(p: string): string;
  requests: string[];
  close(): Promise<void>;
}

export function personObject(base: string, n: number): Json {
  const p: Json = {
    id: `${base}/person/${n}`,
    type: 'https://schema.oparl.org/1.1/Person',
    body: `${base}/body/1`,
    name: `Person ${n}`,
    familyName: `Muster${n}`,
    givenName: 'Alex',
    created: '2020-11-05T12:00:00+01:00',
    modified: '2023-01-10T08:00:00+01:00',
  };
  if (n === 1)
    p.membership = [
      {
        id: `${base}/membership/1`,
        type: 'https://schema.oparl.org/1.1/Membership',
        organization: `${base}/organization/1`,
        role: 'Vorsitzende',
        votingRight: true,
        startDate: '2020-11-05',
        created: '2020-11-05T12:00:00+01:00',
        modified: '2020-11-05T12:00:00+01:00',
      },
    ];
  return p;
}

export async function startOparlFixture(options: FixtureOptions = {}): Promise<FixtureServer> {
  const raw = fs.readFileSync(FIXTURE, 'utf8');
  const requests: string[] = [];
  let objects: Record<string, Json> = {};
  let lists: Record<string, { type: string; items: string[] }> = {};
  const pageSize = options.pageSize ?? 2;

  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    requests.push(`${u.pathname}${u.search}`);
    const send = () => {
      const status = options.status?.[u.pathname];
      if (status) {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: status }));
        return;
      }
      const obj = objects[u.pathname];
      if (obj) {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify(obj));
        return;
      }
      const list = lists[u.pathname];
      if (!list) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"type":"https://schema.oparl.org/1.1/Error","message":"not found"}');
        return;
      }
      const page = Number(u.searchParams.get('page') ?? 1);
      const totalPages = Math.max(1, Math.ceil(list.items.length / pageSize));
      const own = (n: number) => `${base}${u.pathname}?page=${n}`;
      const links: Json = { first: own(1), self: own(page), last: own(totalPages) };
      if (page > 1) links.prev = own(page - 1);
      if (page < totalPages) links.next = own(page + 1);
      else if (options.loop && u.pathname.endsWith('/person')) links.next = own(1);
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(
        JSON.stringify({
          data: list.items.slice((page - 1) * pageSize, page * pageSize).map((p) => objects[p]),
          pagination: { totalElements: list.items.length, elementsPerPage: pageSize, currentPage: page, totalPages },
          links,
        }),
      );
    };
    const delay = options.slow?.[u.pathname];
    if (delay) setTimeout(send, delay);
    else send();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fixture = JSON.parse(raw.replaceAll('{{BASE}}', base)) as { objects: typeof objects; lists: typeof lists };
  objects = fixture.objects;
  lists = fixture.lists;
  const persons = options.persons ?? 5;
  for (let n = 1; n <= persons; n++) {
    objects[`/person/${n}`] = personObject(base, n);
    lists['/body/1/person']!.items.push(`/person/${n}`);
  }
  options.mutate?.(objects, lists, base);
  return {
    base,
    url: (p) => `${base}${p}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A tiny Fetcher over global fetch for tests (the platform's safe fetcher is another module). */
export const testFetch: Fetcher = async (url, limits) => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(limits?.timeoutMs ?? 15_000) });
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => {
      headers[k] = v;
    });
    return {
      url: res.url,
      status: res.status,
      headers,
      bytes: new Uint8Array(await res.arrayBuffer()),
    };
  } catch (err) {
    const e = err as Error;
    if (e.name === 'TimeoutError') throw new FetchRefused('timeout', `Zeitüberschreitung bei ${url}`);
    throw new FetchRefused('network', `${url}: ${e.message}`);
  }
};
