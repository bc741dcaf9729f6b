import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Fetcher, FetchRefused, type Report } from '../../types.js';
import { oparlValidator } from '../index.js';
import { type FixtureOptions, type Json, startOparlFixture, testFetch } from './oparl-fixture-server.js';

async function crawl(
  fixture: FixtureOptions,
  opts: { maxObjects?: number; deadlineMs?: number } = {},
): Promise<{ report: Report; base: string; requests: string[] }> {
  const server = await startOparlFixture(fixture);
  try {
    const report = await oparlValidator.check(
      { kind: 'url', url: server.url('/oparl') },
      { fetch: testFetch, politenessMs: 0, ...opts },
    );
    return { report, base: server.base, requests: server.requests };
  } finally {
    await server.close();
  }
}

const rules = (r: Report, severity = 'error') => r.findings.filter((f) => f.severity === severity).map((f) => f.rule);
const bytes = (o: unknown) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));
const single = (o: unknown, name = 'objekt.json') =>
  oparlValidator.check({ kind: 'bytes', name, bytes: bytes(o) }, { fetch: testFetch });

describe('oparl validator: crawl of a fixture endpoint', () => {
  it('judges the conformant 1.1 endpoint conformant, following pagination and all lists', async () => {
    const { report, requests } = await crawl({});
    assert.equal(report.verdict, 'conformant', JSON.stringify(report.findings, null, 1));
    assert.equal(report.standardVersion, '1.1');
    assert.equal(report.stats?.['objects.Person'], 6); // 5 listed on 3 pages + person/1 fetched as probe
    assert.ok(requests.includes('/body/1/person?page=3'));
    for (const t of [
      'Organization',
      'Meeting',
      'Paper',
      'AgendaItem',
      'Consultation',
      'File',
      'Location',
      'Membership',
    ])
      assert.ok((report.stats?.[`objects.${t}`] ?? 0) >= 1, t);
    assert.ok((report.stats?.embedded ?? 0) > 0);
    assert.equal(report.stats?.pages, 14);
    assert.equal(report.stats?.requests, requests.length);
    assert.ok(report.findings.every((f) => f.source || f.rule.startsWith('oparl.max') || f.rule === 'oparl.deadline'));
  });

  it('reports a missing required property with its location and section', async () => {
    const { report, base } = await crawl({
      mutate: (o) => {
        delete o['/paper/1']!.created;
      },
    });
    assert.equal(report.verdict, 'not conformant');
    const f = report.findings.find((x) => x.rule === 'oparl.required');
    assert.ok(f);
    assert.equal(f.location, `${base}/paper/1 $`);
    assert.match(f.message, /„created“/);
    assert.match(f.source ?? '', /§3\.1/);
  });

  it('reports a date-time without offset in an embedded object', async () => {
    const { report, base } = await crawl({
      mutate: (o) => {
        (o['/meeting/1']!.invitation as Json).modified = '2024-02-27T09:00:00';
      },
    });
    const f = report.findings.find((x) => x.rule === 'oparl.date-time');
    assert.ok(f, JSON.stringify(report.findings));
    assert.equal(f.location, `${base}/meeting/1 $.invitation.modified`);
    assert.match(f.message, /ohne Zeitzonenangabe/);
    assert.equal(report.verdict, 'not conformant');
  });

  it('reports a wrong type URL and a type from the wrong version', async () => {
    const { report } = await crawl({
      mutate: (o) => {
        o['/organization/1']!.type = 'https://schema.oparl.org/1.1/organisation';
        o['/paper/1']!.type = 'https://schema.oparl.org/1.0/Paper';
      },
    });
    assert.ok(rules(report).includes('oparl.type-url'));
    assert.ok(rules(report).includes('oparl.type-version'));
  });

  it('reports an id that is not the URL the object was fetched from', async () => {
    const { report } = await crawl({
      mutate: (o, _l, b) => {
        o['/organization/1']!.id = `${b}/organisation/0001`;
      },
    });
    const f = report.findings.find((x) => x.rule === 'oparl.id-url');
    assert.ok(f, JSON.stringify(report.findings));
    assert.equal(f.severity, 'error');
  });

  it('reports a broken reference as an error', async () => {
    const { report } = await crawl({
      mutate: (o, _l, b) => {
        (o['/meeting/1']!.participant as string[]).push(`${b}/person/999`);
      },
    });
    const f = report.findings.find((x) => x.rule === 'oparl.link-broken');
    assert.ok(f, JSON.stringify(report.findings));
    assert.match(f.message, /person\/999/);
    assert.equal(report.verdict, 'not conformant');
    assert.equal(report.stats?.['links.broken'], 1);
  });

  it('warns about a page with more than 100 objects (pagination recommended)', async () => {
    const { report } = await crawl({ persons: 101, pageSize: 200 });
    const f = report.findings.find((x) => x.rule === 'oparl.page-size');
    assert.ok(f);
    assert.equal(f.severity, 'warning');
    assert.equal(report.verdict, 'conformant');
  });

  it('detects a next link that loops back', async () => {
    const { report } = await crawl({ loop: true });
    assert.ok(rules(report).includes('oparl.pagination-loop'), JSON.stringify(report.findings));
  });

  it('reports missing pagination/links frame and a missing next link', async () => {
    const server = await startOparlFixture({});
    const page = { data: [], pagination: { currentPage: 1, totalPages: 3 }, links: { self: `${server.base}/x` } };
    await server.close();
    const r = await single(page, 'seite.json');
    assert.ok(rules(r).includes('oparl.pagination-next'));
    const r2 = await single({ data: [] }, 'seite.json');
    assert.equal(rules(r2).filter((x) => x === 'oparl.list-page').length, 2);
  });

  it('stops at the deadline when an answer is slow', async () => {
    const { report } = await crawl({ slow: { '/body/1/meeting': 3_000 } }, { deadlineMs: 800 });
    assert.ok(report.findings.some((f) => f.rule === 'oparl.deadline'));
    assert.notEqual(report.verdict, 'could not be checked');
  });

  it('cannot check an endpoint whose System answer exceeds the deadline', async () => {
    const { report } = await crawl({ slow: { '/oparl': 3_000 } }, { deadlineMs: 300 });
    assert.equal(report.verdict, 'could not be checked');
    assert.match(report.reason ?? '', /Zeitlimit/);
  });

  it('keeps to maxObjects', async () => {
    const { report } = await crawl({ persons: 40 }, { maxObjects: 10 });
    assert.ok((report.stats?.objects ?? 0) <= 10);
    assert.ok(report.findings.some((f) => f.rule === 'oparl.max-objects'));
  });

  it('spaces requests by politenessMs', async () => {
    const server = await startOparlFixture({ persons: 1 });
    const times: number[] = [];
    const timed: Fetcher = async (url, limits) => {
      times.push(Date.now());
      return testFetch(url, limits);
    };
    try {
      await oparlValidator.check({ kind: 'url', url: server.url('/oparl') }, { fetch: timed, politenessMs: 30 });
    } finally {
      await server.close();
    }
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! - times[i - 1]! >= 29, `gap ${i}`);
  });

  it('gives "could not be checked" for a refused or unreachable start URL', async () => {
    const refusing: Fetcher = async () => {
      throw new FetchRefused('private-address', 'Adresse 10.0.0.1 ist privat');
    };
    const r = await oparlValidator.check({ kind: 'url', url: 'http://10.0.0.1/oparl' }, { fetch: refusing });
    assert.equal(r.verdict, 'could not be checked');
    assert.match(r.reason ?? '', /privat/);
    const { report } = await crawl({ status: { '/oparl': 503 } });
    assert.equal(report.verdict, 'could not be checked');
    assert.match(report.reason ?? '', /503/);
  });

  it('reports a refused later list as an error finding', async () => {
    const { report } = await crawl({ status: { '/body/1/paper': 500 } });
    assert.ok(rules(report).includes('oparl.list-unreachable'));
  });

  it('reports a deleted object in a list fetched without modified_since', async () => {
    const { report } = await crawl({
      mutate: (o, l) => {
        o['/paper/2'] = {
          id: `${o['/paper/1']!.id.replace('/1', '/2')}`,
          type: 'https://schema.oparl.org/1.1/Paper',
          deleted: true,
          created: '2024-01-01T00:00:00+01:00',
          modified: '2024-02-01T00:00:00+01:00',
        };
        l['/body/1/paper']!.items.push('/paper/2');
      },
    });
    assert.deepEqual(rules(report), ['oparl.deleted-in-list']);
  });
});

describe('oparl validator: single objects (bytes)', () => {
  const file = {
    id: 'https://oparl.example.org/files/1',
    type: 'https://schema.oparl.org/1.1/File',
    accessUrl: 'https://oparl.example.org/files/1.pdf',
    date: '2024-01-02',
    created: '2024-01-02T10:00:00+01:00',
    modified: '2024-01-02T10:00:00+01:00',
  };

  it('accepts a complete object', async () => {
    const r = await single(file);
    assert.equal(r.verdict, 'conformant', JSON.stringify(r.findings));
    assert.equal(r.standardVersion, '1.1');
  });

  it('checks property types, dates, URLs and required properties', async () => {
    const r = await single({ ...file, size: '12 kB', date: '02.01.2024', accessUrl: 'datei.pdf' });
    assert.deepEqual(rules(r).sort(), ['oparl.date', 'oparl.property-type', 'oparl.url']);
    const r2 = await single({ ...file, accessUrl: undefined });
    assert.deepEqual(rules(r2), ['oparl.required']);
  });

  it('warns about date-times in another ISO form, null values and unprefixed extra properties', async () => {
    const r = await single({ ...file, modified: '2024-01-02T09:00:00Z', name: null, faxNumber: '0123', 'X:fax': '1' });
    assert.equal(r.verdict, 'conformant');
    assert.deepEqual(rules(r, 'warning').sort(), ['oparl.date-time-form', 'oparl.null', 'oparl.unknown-property']);
  });

  it('rejects a BOM and malformed JSON', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(file)]);
    const r = await oparlValidator.check({ kind: 'bytes', name: 'a.json', bytes: withBom }, { fetch: testFetch });
    assert.deepEqual(rules(r), ['oparl.json-encoding']);
    const r2 = await single('{"id": ');
    assert.equal(r2.verdict, 'not conformant');
    assert.deepEqual(rules(r2), ['oparl.json']);
  });

  it('allows a deleted object to drop everything but id, type, created and modified', async () => {
    const r = await single({
      id: file.id,
      type: file.type,
      deleted: true,
      created: file.created,
      modified: file.modified,
    });
    assert.equal(r.verdict, 'conformant');
    const r2 = await single({ id: file.id, type: file.type, deleted: true, created: file.created });
    assert.deepEqual(rules(r2), ['oparl.required']);
  });

  it('requires the 1.1 Body lists and created/modified on embedded objects in 1.1 but not in 1.0', async () => {
    const body = (v: string) => ({
      id: 'https://oparl.example.org/body/1',
      type: `https://schema.oparl.org/${v}/Body`,
      name: 'Stadt',
      organization: 'https://oparl.example.org/body/1/organization',
      person: 'https://oparl.example.org/body/1/person',
      meeting: 'https://oparl.example.org/body/1/meeting',
      paper: 'https://oparl.example.org/body/1/paper',
      legislativeTerm: [
        { id: 'https://oparl.example.org/term/1', type: `https://schema.oparl.org/${v}/LegislativeTerm`, name: 'WP' },
      ],
      created: '2020-01-01T00:00:00+01:00',
      modified: '2020-01-01T00:00:00+01:00',
    });
    const r10 = await single(body('1.0'));
    assert.equal(r10.verdict, 'conformant', JSON.stringify(r10.findings));
    const r11 = await single(body('1.1'));
    const missing = r11.findings
      .filter((f) => f.rule === 'oparl.required')
      .map((f) => f.message.split('„')[1]?.split('“')[0]);
    assert.deepEqual(missing.sort(), [
      'agendaItem',
      'consultation',
      'created',
      'file',
      'legislativeTermList',
      'locationList',
      'membership',
      'modified',
    ]);
  });

  it('checks geojson, Person.locationObject, System.oparlVersion and agenda order', async () => {
    const base = { created: file.created, modified: file.modified };
    const loc = await single({
      id: 'https://o.example/l/1',
      type: 'https://schema.oparl.org/1.1/Location',
      geojson: { type: 'Point', coordinates: [1, 2] },
      ...base,
    });
    assert.deepEqual(rules(loc), ['oparl.geojson']);
    const person = await single({
      id: 'https://o.example/p/1',
      type: 'https://schema.oparl.org/1.1/Person',
      location: 'https://o.example/l/2',
      locationObject: { id: 'https://o.example/l/1', type: 'https://schema.oparl.org/1.1/Location', ...base },
      ...base,
    });
    assert.deepEqual(rules(person), ['oparl.person-location']);
    const sys = await single({
      id: 'https://o.example/',
      type: 'https://schema.oparl.org/1.1/System',
      oparlVersion: 'https://schema.oparl.org/1.0/',
      body: 'https://o.example/b',
      ...base,
    });
    assert.deepEqual(rules(sys), ['oparl.oparl-version']);
    const meeting = await single({
      id: 'https://o.example/m/1',
      type: 'https://schema.oparl.org/1.1/Meeting',
      agendaItem: [{ id: 'https://o.example/a/1', type: 'https://schema.oparl.org/1.1/AgendaItem', order: 3, ...base }],
      ...base,
    });
    assert.deepEqual(rules(meeting, 'warning'), ['oparl.agenda-order']);
  });

  it('reports a deleted embedded object', async () => {
    const r = await single({
      id: 'https://o.example/m/1',
      type: 'https://schema.oparl.org/1.1/Meeting',
      invitation: { ...file, deleted: true },
      created: file.created,
      modified: file.modified,
    });
    assert.deepEqual(rules(r), ['oparl.deleted-embedded']);
  });
});
