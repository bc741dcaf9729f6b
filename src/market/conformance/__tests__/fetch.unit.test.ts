import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import { addressRange, createFetcher, isPublicAddress, type Resolver } from '../fetch.js';
import { FetchRefused } from '../types.js';

/**
 * The safe fetcher against a fixture server on 127.0.0.1: what it returns, and everything it refuses — schemes,
 * non-public addresses (also behind a redirect and after a second DNS answer), too many redirects, slow answers,
 * oversize answers (declared and streamed) and compressed answers that unpack beyond the limit.
 */

const BOMB = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024)); // 10 MB of zeros, about 10 KB compressed

let server: http.Server;
let base: string;
let port: number;
const open = new Set<http.ServerResponse>();

function handler(req: http.IncomingMessage, res: http.ServerResponse) {
  open.add(res);
  res.on('close', () => open.delete(res));
  const url = new URL(req.url ?? '/', 'http://x');
  const p = url.pathname;
  const redirect = (location: string, status = 302) => {
    res.writeHead(status, { location });
    res.end();
  };
  if (p === '/ok') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('hallo');
  } else if (p === '/echo') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.headers));
  } else if (p === '/missing') {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('nicht da');
  } else if (p.startsWith('/redirect/')) {
    const n = Number(p.slice('/redirect/'.length));
    redirect(n > 0 ? `/redirect/${n - 1}` : '/ok', [301, 302, 303, 307, 308][n % 5]);
  } else if (p === '/loop') redirect('/loop');
  else if (p === '/dir/relative') redirect('next');
  else if (p === '/dir/next') {
    res.writeHead(200);
    res.end('relativ');
  } else if (p === '/no-location') {
    res.writeHead(302);
    res.end('ohne Ziel');
  } else if (p === '/to-private') redirect('http://10.0.0.1/intern');
  else if (p === '/to-metadata') redirect('http://169.254.169.254/latest/meta-data/');
  else if (p === '/to-loopback6') redirect(`http://[::1]:${port}/ok`);
  else if (p === '/to-internal-name') redirect('http://intern.test/geheim');
  else if (p === '/to-file') redirect('file:///etc/passwd');
  else if (p === '/hang') {
    /* never answers */
  } else if (p === '/slow-body') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('a');
    const t = setInterval(() => res.write('a'), 50);
    res.on('close', () => clearInterval(t));
  } else if (p.startsWith('/slow-redirect/')) {
    const n = Number(p.slice('/slow-redirect/'.length));
    setTimeout(() => redirect(n > 0 ? `/slow-redirect/${n - 1}` : '/ok'), 150);
  } else if (p === '/declared-huge') {
    // Declares a gigabyte and sends a little, then waits: only an early refusal answers before the timeout.
    res.writeHead(200, { 'content-length': String(1024 * 1024 * 1024) });
    res.write('a'.repeat(100));
  } else if (p === '/endless') {
    // No Content-Length, never ends: only counting while streaming stops it before the timeout.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(16 * 1024, 97);
    const t = setInterval(() => res.write(chunk), 5);
    res.on('close', () => clearInterval(t));
  } else if (p === '/gzip-bomb') {
    res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': String(BOMB.length) });
    res.end(BOMB);
  } else if (p === '/gzip') {
    res.writeHead(200, { 'content-encoding': 'gzip' });
    res.end(zlib.gzipSync('gepackt mit gzip'));
  } else if (p === '/deflate') {
    res.writeHead(200, { 'content-encoding': 'deflate' });
    res.end(zlib.deflateSync('gepackt mit deflate'));
  } else if (p === '/br') {
    res.writeHead(200, { 'content-encoding': 'br' });
    res.end(zlib.brotliCompressSync('gepackt mit brotli'));
  } else if (p === '/bad-gzip') {
    res.writeHead(200, { 'content-encoding': 'gzip' });
    res.end('das ist kein gzip');
  } else if (p === '/compress') {
    res.writeHead(200, { 'content-encoding': 'compress' });
    res.end('x');
  } else {
    res.writeHead(500);
    res.end('unbekannt');
  }
}

before(async () => {
  server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  for (const res of open) res.destroy();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** The code of the FetchRefused a promise rejects with, and its message. */
async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FetchRefused, `expected FetchRefused, got ${String(err)}`);
    return { code: err.code, message: err.message };
  }
  assert.fail('the fetch should have been refused');
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('with private addresses allowed (the fixture server)', () => {
  const fetch = createFetcher({ allowPrivate: true, defaults: { timeoutMs: 5000 } });

  test('a plain answer: status, headers, bytes, final URL', async () => {
    const r = await fetch(`${base}/ok#fragment`);
    assert.equal(r.status, 200);
    assert.equal(text(r.bytes), 'hallo');
    assert.equal(r.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(r.url, `${base}/ok`);
  });

  test('sends its user agent and accepts compression', async () => {
    const r = await createFetcher({ allowPrivate: true, userAgent: 'Test/1' })(`${base}/echo`);
    const headers = JSON.parse(text(r.bytes));
    assert.equal(headers['user-agent'], 'Test/1');
    assert.equal(headers['accept-encoding'], 'gzip, deflate, br');
    assert.equal(headers.host, `127.0.0.1:${port}`);
  });

  test('a non-2xx answer is returned with its status and body (the validator decides)', async () => {
    const r = await fetch(`${base}/missing`);
    assert.equal(r.status, 404);
    assert.equal(text(r.bytes), 'nicht da');
    const none = await fetch(`${base}/no-location`);
    assert.equal(none.status, 302, 'a redirect status without Location is an answer');
  });

  test('gzip, deflate and br are decoded; an unknown or broken coding is refused', async () => {
    assert.equal(text((await fetch(`${base}/gzip`)).bytes), 'gepackt mit gzip');
    assert.equal(text((await fetch(`${base}/deflate`)).bytes), 'gepackt mit deflate');
    assert.equal(text((await fetch(`${base}/br`)).bytes), 'gepackt mit brotli');
    assert.equal((await refusal(fetch(`${base}/bad-gzip`))).code, 'network');
    assert.equal((await refusal(fetch(`${base}/compress`))).code, 'network');
  });

  test('redirects are followed up to the limit, every status, relative Location against the current URL', async () => {
    const r = await fetch(`${base}/redirect/4`);
    assert.equal(text(r.bytes), 'hallo');
    assert.equal(r.url, `${base}/ok`);
    assert.equal(text((await fetch(`${base}/redirect/2`, { maxRedirects: 3 })).bytes), 'hallo');
    const over = await refusal(fetch(`${base}/redirect/3`, { maxRedirects: 3 }));
    assert.equal(over.code, 'redirects');
    assert.match(over.message, /mehr als 3 Weiterleitungen/);
    assert.equal((await refusal(fetch(`${base}/loop`))).code, 'redirects');
    const rel = await fetch(`${base}/dir/relative`);
    assert.equal(rel.url, `${base}/dir/next`);
    assert.equal(text(rel.bytes), 'relativ');
  });

  test('a redirect to another scheme is refused', async () => {
    const r = await refusal(fetch(`${base}/to-file`));
    assert.equal(r.code, 'scheme');
    assert.match(r.message, /nur http:\/\/ und https:\/\//);
  });

  test('the timeout covers the whole fetch: no answer, a trickling body, a chain of slow redirects', async () => {
    const hang = await refusal(fetch(`${base}/hang`, { timeoutMs: 300 }));
    assert.equal(hang.code, 'timeout');
    assert.match(hang.message, /innerhalb von 0\.3 Sekunden/);
    assert.equal((await refusal(fetch(`${base}/slow-body`, { timeoutMs: 300 }))).code, 'timeout');
    // Each hop answers in 150 ms, well inside 400 ms; the five together do not.
    assert.equal((await refusal(fetch(`${base}/slow-redirect/4`, { timeoutMs: 400 }))).code, 'timeout');
  });

  test('too large: refused early by Content-Length, aborted while streaming, and after decoding', async () => {
    const declared = await refusal(fetch(`${base}/declared-huge`, { maxBytes: 1000, timeoutMs: 10_000 }));
    assert.equal(declared.code, 'too-large');
    assert.match(declared.message, /1024,0 MB groß/);
    const endless = await refusal(fetch(`${base}/endless`, { maxBytes: 100_000, timeoutMs: 10_000 }));
    assert.equal(endless.code, 'too-large');
    assert.match(endless.message, /schon übertragen/);
    const bomb = await refusal(fetch(`${base}/gzip-bomb`, { maxBytes: 1024 * 1024, timeoutMs: 10_000 }));
    assert.equal(bomb.code, 'too-large');
    assert.match(bomb.message, /entpackt/);
    // Within the limit the same answer is read whole.
    const whole = await fetch(`${base}/gzip-bomb`, { maxBytes: 11 * 1024 * 1024 });
    assert.equal(whole.bytes.length, 10 * 1024 * 1024);
  });

  test('a closed port is a network refusal', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const p = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    assert.equal((await refusal(fetch(`http://127.0.0.1:${p}/`))).code, 'network');
  });
});

describe('with private addresses refused (the default)', () => {
  const fetch = createFetcher({ allowPrivate: false, defaults: { timeoutMs: 5000 } });

  test('only http and https, without credentials', async () => {
    for (const url of ['ftp://example.org/x', 'file:///etc/passwd', 'data:text/plain,hallo', 'gopher://example.org/']) {
      assert.equal((await refusal(fetch(url))).code, 'scheme', url);
    }
    assert.equal((await refusal(fetch('keine url'))).code, 'scheme');
    const creds = await refusal(fetch('https://user:geheim@example.org/'));
    assert.equal(creds.code, 'scheme');
    assert.doesNotMatch(creds.message, /geheim/, 'the password is not repeated');
  });

  test('loopback, private, link-local and other special addresses, before any connection', async () => {
    const cases: [string, RegExp][] = [
      [`${base}/ok`, /127\.0\.0\.1 \(Loopback/],
      [`http://[::1]:${port}/ok`, /::1 \(Loopback/],
      ['http://10.1.2.3/', /privates Netz \(RFC 1918\)/],
      ['http://172.16.5.4/', /RFC 1918/],
      ['http://192.168.178.1/', /RFC 1918/],
      ['http://169.254.169.254/latest/meta-data/', /Link-Local/],
      ['http://100.64.0.1/', /Carrier-Grade-NAT/],
      ['http://0.0.0.0/', /unbestimmte Adresse/],
      ['http://224.0.0.1/', /Multicast/],
      ['http://255.255.255.255/', /Broadcast/],
      ['http://192.0.2.10/', /reservierter Bereich/],
      ['http://[fd00::1]/', /fc00::\/7/],
      ['http://[fe80::1]/', /Link-Local/],
      ['http://[::]/', /unbestimmte Adresse/],
      ['http://[ff02::1]/', /Multicast/],
      ['http://[::ffff:127.0.0.1]/', /Loopback/],
      ['http://[::ffff:10.0.0.1]/', /RFC 1918/],
      ['http://[64:ff9b::a00:1]/', /NAT64/],
      ['http://[2002:a00:1::]/', /6to4/],
      ['http://2130706433/', /127\.0\.0\.1/], // the URL parser reads a decimal host as 127.0.0.1
      ['http://0x7f.1/', /127\.0\.0\.1/],
    ];
    for (const [url, message] of cases) {
      const r = await refusal(fetch(url));
      assert.equal(r.code, 'private-address', url);
      assert.match(r.message, message, url);
      assert.match(r.message, /CHECK_ALLOW_PRIVATE=true/);
    }
  });

  test('a name that resolves to loopback (localhost, through the system resolver) is refused', async () => {
    const r = await refusal(fetch(`http://localhost:${port}/ok`));
    assert.equal(r.code, 'private-address');
  });

  test('a name with one private address among public ones is refused', async () => {
    const resolve: Resolver = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '10.0.0.7', family: 4 },
    ];
    const r = await refusal(createFetcher({ allowPrivate: false, resolve })('http://gemischt.test/'));
    assert.equal(r.code, 'private-address');
    assert.match(r.message, /10\.0\.0\.7/);
  });

  test('a name that does not resolve is a dns refusal', async () => {
    const resolve: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    const fetchNone = createFetcher({ allowPrivate: false, resolve });
    const r = await refusal(fetchNone('https://gibt-es-nicht.test/'));
    assert.equal(r.code, 'dns');
    assert.match(r.message, /ENOTFOUND/);
    const empty = createFetcher({ allowPrivate: false, resolve: async () => [] });
    assert.equal((await refusal(empty('https://leer.test/'))).code, 'dns');
  });

  describe('behind a host treated as public (the fixture, allowed by exact address)', () => {
    const names: Record<string, string> = { 'public.test': '127.0.0.1', 'intern.test': '192.168.1.20' };
    let lookups: string[] = [];
    const resolve: Resolver = async (host) => {
      lookups.push(host);
      const address = names[host];
      if (!address) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return [{ address, family: 4 }];
    };
    const pub = createFetcher({ allowPrivate: false, resolve, allowAddresses: ['127.0.0.1'] });
    const at = (p: string) => `http://public.test:${port}${p}`;

    test('the connection goes to the checked address, under the host name', async () => {
      lookups = [];
      // public.test exists for no system resolver: the answer can only come through the pinned address.
      const r = await pub(at('/echo'));
      assert.equal(r.status, 200);
      assert.equal(JSON.parse(text(r.bytes)).host, `public.test:${port}`);
      assert.deepEqual(lookups, ['public.test'], 'resolved once, not again by the connection');
    });

    test('a redirect to a private address, the metadata address, ::1 or a private name is refused', async () => {
      const cases: [string, RegExp][] = [
        ['/to-private', /10\.0\.0\.1 \(privates Netz/],
        ['/to-metadata', /169\.254\.169\.254 \(Link-Local/],
        ['/to-loopback6', /::1 \(Loopback/],
        ['/to-internal-name', /intern\.test führt zu 192\.168\.1\.20/],
      ];
      for (const [p, message] of cases) {
        const r = await refusal(pub(at(p)));
        assert.equal(r.code, 'private-address', p);
        assert.match(r.message, message, p);
      }
    });

    test('a second DNS answer (rebinding) is checked again at the next hop', async () => {
      let calls = 0;
      const rebinding: Resolver = async () => {
        calls++;
        return [{ address: calls === 1 ? '127.0.0.1' : '10.0.0.1', family: 4 }];
      };
      const f = createFetcher({ allowPrivate: false, resolve: rebinding, allowAddresses: ['127.0.0.1'] });
      const r = await refusal(f(at('/redirect/0')));
      assert.equal(r.code, 'private-address');
      assert.equal(calls, 2);
    });

    test('the exact address only: its neighbours stay refused', async () => {
      const f = createFetcher({ allowPrivate: false, allowAddresses: ['127.0.0.1'] });
      assert.equal((await f(`${base}/ok`)).status, 200);
      assert.equal((await refusal(f(`http://127.0.0.2:${port}/ok`))).code, 'private-address');
    });
  });
});

test('address ranges: public unicast only; IPv4-mapped IPv6 judged as its IPv4', () => {
  for (const a of ['93.184.215.14', '2a00:1450:4001:80b::200e', '::ffff:93.184.215.14', '8.8.8.8']) {
    assert.ok(isPublicAddress(a), a);
  }
  for (const a of ['127.0.0.1', '10.0.0.1', '::1', '::ffff:192.168.0.1', 'fc00::1', 'fe80::1', '100.127.255.255']) {
    assert.ok(!isPublicAddress(a), a);
  }
  assert.ok(!isPublicAddress('keine adresse'));
  assert.equal(addressRange('::ffff:169.254.169.254'), 'linkLocal');
});
