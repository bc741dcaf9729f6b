/**
 * One measured run of bench/check-oparl.ts in its own process (so peak RSS belongs to one mode):
 * `node --import tsx bench/check-oparl-child.ts validate|crawl <system-url>` prints one JSON line.
 */

import { testFetch } from '../src/market/conformance/oparl/__tests__/oparl-fixture-server.js';
import { oparlValidator } from '../src/market/conformance/oparl/index.js';

/** The baseline: fetch and JSON.parse the System, the body list and every list page of each Body, nothing else. */
async function plainCrawl(start: string): Promise<{ objects: number; requests: number }> {
  let objects = 0;
  let requests = 0;
  const get = async (url: string) => {
    requests++;
    const r = await testFetch(url);
    return JSON.parse(new TextDecoder().decode(r.bytes)) as Record<string, unknown>;
  };
  const walk = async (first: string, onItem?: (o: Record<string, unknown>) => void) => {
    let url: string | undefined = first;
    const seen = new Set<string>();
    while (url && !seen.has(url)) {
      seen.add(url);
      const page = await get(url);
      for (const o of page.data as Record<string, unknown>[]) {
        objects++;
        onItem?.(o);
      }
      url = (page.links as Record<string, string> | undefined)?.next;
    }
  };
  const system = await get(start);
  objects++;
  const lists: string[] = [];
  await walk(String(system.body), (body) => {
    for (const k of [
      'organization',
      'person',
      'meeting',
      'paper',
      'agendaItem',
      'consultation',
      'file',
      'locationList',
      'legislativeTermList',
      'membership',
    ])
      if (typeof body[k] === 'string') lists.push(body[k] as string);
  });
  for (const l of lists) await walk(l);
  return { objects, requests };
}

const [mode, url] = process.argv.slice(2) as [string, string];
const t0 = performance.now();
let result: Record<string, unknown>;
if (mode === 'crawl') {
  result = await plainCrawl(url);
} else {
  const r = await oparlValidator.check(
    { kind: 'url', url },
    { fetch: testFetch, politenessMs: 0, maxObjects: 1_000_000, deadlineMs: 600_000 },
  );
  result = { objects: r.stats?.objects, requests: r.stats?.requests, verdict: r.verdict, findings: r.findings.length };
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ mode, ms, maxRssMb: process.resourceUsage().maxRSS / 1024, ...result }));
