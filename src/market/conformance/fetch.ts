/**
 * The safe fetcher of the conformance checks (issue 11): one HTTP(S) GET that cannot be turned into a tool to probe
 * the networks the platform runs in, and that cannot be made to read without end.
 *
 * - Only http: and https: URLs, without user name or password in them.
 * - The host is resolved with dns.lookup (every address); the request is refused when any address is not a public
 *   unicast address: loopback, RFC 1918, unique local fc00::/7, link-local 169.254/16 (with the cloud metadata
 *   address 169.254.169.254) and fe80::/10, unspecified, multicast, broadcast, carrier-grade NAT 100.64/10,
 *   reserved and documentation ranges, IPv4-mapped IPv6 (judged as the IPv4 inside), NAT64/6to4/Teredo (which can
 *   carry any IPv4 address) — ipaddr.js's `range()` names the range. `allowPrivate` (CHECK_ALLOW_PRIVATE) lifts
 *   only this address rule.
 * - The connection goes to the address that was checked: it is handed to node:http(s) through the `lookup` option,
 *   so a second DNS answer (DNS rebinding) cannot swap it; TLS still verifies the certificate for the host name.
 * - Redirects (301, 302, 303, 307, 308) are followed by hand, at most `maxRedirects`, each target checked again
 *   from the start (scheme, resolution, addresses); a relative Location is resolved against the current URL.
 * - `timeoutMs` covers the whole fetch — resolution, every redirect, headers and body.
 * - `maxBytes` bounds the body as sent (refused early when Content-Length is larger, aborted while streaming when
 *   more arrives) and again after gzip/deflate/br decoding (a small compressed answer that unpacks to gigabytes
 *   is aborted as soon as the decoded bytes pass the limit).
 * - An answer that is not 2xx (after redirects) is returned with its status and (bounded) body: whether a 404 is a
 *   finding or a reason for `could not be checked` is the validator's decision. `FetchRefused` with code `status`
 *   is for validators that want to say so.
 *
 * Everything refused throws `FetchRefused` with a code and a German sentence that names the URL and the reason.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import ipaddr from 'ipaddr.js';
import { type Fetched, type Fetcher, type FetchLimits, FetchRefused } from './types.js';

export const DEFAULT_FETCH_LIMITS: Readonly<FetchLimits> = {
  maxBytes: 20 * 1024 * 1024,
  timeoutMs: 15_000,
  maxRedirects: 5,
};

export const DEFAULT_USER_AGENT = 'Kommunallotse-Konformitaetspruefung/1.0';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Name resolution: every address of a host name. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface FetcherOptions {
  /** CHECK_ALLOW_PRIVATE: also non-public addresses (loopback, private networks …). */
  allowPrivate: boolean;
  userAgent?: string;
  /** Limits of every fetch unless a call gives its own. */
  defaults?: Partial<FetchLimits>;
  /** How host names are resolved (default: dns.lookup with all addresses). Tests answer with fixed addresses. */
  resolve?: Resolver;
  /**
   * Single addresses allowed although they are not public (exact match after normalisation), while every other
   * non-public address stays refused. For tests that serve a "public" fixture on 127.0.0.1 and check that a
   * redirect from it to a private address is still refused.
   */
  allowAddresses?: readonly string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** German names of the ranges ipaddr.js reports, for the refusal message. */
const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unbestimmte Adresse',
  broadcast: 'Broadcast',
  multicast: 'Multicast',
  linkLocal: 'Link-Local (z. B. Cloud-Metadaten 169.254.169.254)',
  loopback: 'Loopback (dieser Rechner)',
  carrierGradeNat: 'Carrier-Grade-NAT (100.64.0.0/10)',
  private: 'privates Netz (RFC 1918)',
  uniqueLocal: 'privates Netz (fc00::/7)',
  reserved: 'reservierter Bereich',
  benchmarking: 'Testnetz',
  amt: 'AMT-Relay',
  as112: 'AS112',
  as112v6: 'AS112',
  ipv4Mapped: 'IPv4-gemappte Adresse',
  rfc6145: 'IPv4-übersetzte Adresse',
  rfc6052: 'NAT64 (kann jede IPv4-Adresse erreichen)',
  '6to4': '6to4 (kann jede IPv4-Adresse erreichen)',
  teredo: 'Teredo (kann jede IPv4-Adresse erreichen)',
  orchid2: 'ORCHIDv2',
  deprecatedSiteLocal: 'Site-Local (veraltet)',
  deprecatedOrchid: 'ORCHID (veraltet)',
  discard: 'Discard-Präfix',
  droneRemoteIdProtocolEntityTags: 'DRIP',
};

/**
 * The range of an address as ipaddr.js names it ('unicast' for a public one); an IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d) is judged as the IPv4 address inside. Throws for a string that is not an address.
 */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().range();
  }
  return parsed.range();
}

/** Whether an address is a public unicast address (the only kind fetched unless private ones are allowed). */
export function isPublicAddress(address: string): boolean {
  try {
    return addressRange(address) === 'unicast';
  } catch {
    return false;
  }
}

/** An address in one spelling (IPv4-mapped IPv6 as its IPv4, IPv6 compressed), for comparisons. */
function normalise(address: string): string {
  const parsed = ipaddr.process(address);
  return parsed.kind() === 'ipv6' ? (parsed as ipaddr.IPv6).toRFC5952String() : parsed.toString();
}

const systemResolve: Resolver = async (hostname) => {
  const answers = await dns.promises.lookup(hostname, { all: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

function refuse(code: FetchRefused['code'], message: string): FetchRefused {
  return new FetchRefused(code, message);
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${bytes} Bytes`;
}

function parseUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    throw refuse('scheme', `„${raw}“ ist keine gültige URL.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse('scheme', `${url.href}: nur http:// und https:// werden abgerufen, nicht ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    throw refuse(
      'scheme',
      `${url.protocol}//${url.host}…: URLs mit Benutzername oder Passwort werden nicht abgerufen.`,
    );
  }
  url.hash = '';
  return url;
}

export function createFetcher(opts: FetcherOptions): Fetcher {
  const resolve = opts.resolve ?? systemResolve;
  const userAgent = opts.userAgent ?? DEFAULT_USER_AGENT;
  const allowed = new Set((opts.allowAddresses ?? []).map(normalise));
  const defaults: FetchLimits = { ...DEFAULT_FETCH_LIMITS, ...opts.defaults };

  /** The address to connect to, after checking every address of the host. */
  async function pick(url: URL): Promise<ResolvedAddress> {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: ResolvedAddress[];
    const literal = net.isIP(host);
    if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
    else {
      try {
        addresses = await resolve(host);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        throw refuse('dns', `${url.host}: der Rechnername lässt sich nicht auflösen (${code}).`);
      }
      if (addresses.length === 0) throw refuse('dns', `${url.host}: der Rechnername hat keine Adresse.`);
    }
    if (!opts.allowPrivate) {
      for (const a of addresses) {
        if (isPublicAddress(a.address) || allowed.has(normalise(a.address))) continue;
        let range = 'keine gültige Adresse';
        try {
          range = RANGE_NAMES[addressRange(a.address)] ?? addressRange(a.address);
        } catch {
          /* keep the default */
        }
        throw refuse(
          'private-address',
          `${url.host} führt zu ${a.address} (${range}); lokale und private Adressen werden nicht abgerufen ` +
            '(der Betrieb kann das mit CHECK_ALLOW_PRIVATE=true erlauben).',
        );
      }
    }
    return addresses[0]!;
  }

  /** One request to the pinned address; resolves with the response (headers read). */
  function request(url: URL, target: ResolvedAddress, signal: AbortSignal): Promise<http.IncomingMessage> {
    const lookup = ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
      if (options?.all) cb(null, [{ address: target.address, family: target.family }]);
      else cb(null, target.address, target.family);
    }) as unknown as net.LookupFunction;
    const mod = url.protocol === 'https:' ? https : http;
    return new Promise((resolveResponse, reject) => {
      const req = mod.request(
        url,
        {
          method: 'GET',
          agent: false,
          lookup,
          signal,
          headers: { 'user-agent': userAgent, accept: '*/*', 'accept-encoding': 'gzip, deflate, br' },
        },
        resolveResponse,
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** Decoders for a Content-Encoding header, in the order to apply them. */
  function decoders(url: URL, header: string | undefined): Transform[] {
    const codings = (header ?? '')
      .split(',')
      .map((c) => c.trim().toLowerCase())
      .filter((c) => c && c !== 'identity');
    return codings.reverse().map((c) => {
      if (c === 'gzip' || c === 'x-gzip') return zlib.createGunzip();
      if (c === 'deflate') return zlib.createInflate();
      if (c === 'br') return zlib.createBrotliDecompress();
      throw refuse('network', `${url.href}: die Inhaltskodierung „${c}“ wird nicht unterstützt.`);
    });
  }

  async function readBody(url: URL, res: http.IncomingMessage, limits: FetchLimits): Promise<Uint8Array> {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      res.destroy();
      throw refuse(
        'too-large',
        `${url.href}: die Antwort ist ${mb(declared)} groß, erlaubt sind höchstens ${mb(limits.maxBytes)}.`,
      );
    }
    const tooLarge = (what: string) =>
      refuse(
        'too-large',
        `${url.href}: die Antwort ist ${what} größer als erlaubt (höchstens ${mb(limits.maxBytes)}).`,
      );
    let raw = 0;
    let decoded = 0;
    const chunks: Buffer[] = [];
    const stages = decoders(url, res.headers['content-encoding'] as string | undefined);
    try {
      await pipeline([
        res,
        async function* countRaw(source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            raw += chunk.length;
            if (raw > limits.maxBytes) throw tooLarge('schon übertragen');
            yield chunk;
          }
        },
        ...stages,
        async (source: AsyncIterable<Buffer>) => {
          for await (const chunk of source) {
            decoded += chunk.length;
            if (decoded > limits.maxBytes) throw tooLarge('entpackt');
            chunks.push(chunk);
          }
        },
      ] as unknown as readonly NodeJS.ReadWriteStream[]);
    } catch (err) {
      if (err instanceof FetchRefused) throw err;
      throw err instanceof Error && stages.length > 0 && (err as NodeJS.ErrnoException).code?.startsWith('Z_')
        ? refuse('network', `${url.href}: die komprimierte Antwort lässt sich nicht entpacken (${err.message}).`)
        : err;
    }
    return new Uint8Array(Buffer.concat(chunks));
  }

  async function fetchAll(start: string, limits: FetchLimits, signal: AbortSignal): Promise<Fetched> {
    let url = parseUrl(start);
    for (let redirects = 0; ; redirects++) {
      const target = await pick(url);
      signal.throwIfAborted();
      let res: http.IncomingMessage;
      try {
        res = await request(url, target, signal);
      } catch (err) {
        if (signal.aborted) throw signal.reason;
        const e = err as NodeJS.ErrnoException;
        throw refuse('network', `${url.href}: keine Verbindung (${e.code ?? e.message}).`);
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (REDIRECTS.has(status) && location) {
        res.destroy();
        if (redirects >= limits.maxRedirects) {
          throw refuse(
            'redirects',
            `${start}: mehr als ${limits.maxRedirects} Weiterleitungen (zuletzt nach ${url.href}).`,
          );
        }
        url = parseUrl(location, url);
        continue;
      }
      const bytes = await readBody(url, res, limits);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) {
        if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      }
      return { url: url.href, status, headers, bytes };
    }
  }

  return async (url, callLimits) => {
    const limits: FetchLimits = { ...defaults, ...callLimits };
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          refuse('timeout', `${url}: keine vollständige Antwort innerhalb von ${limits.timeoutMs / 1000} Sekunden.`),
        ),
      limits.timeoutMs,
    );
    try {
      return await Promise.race([
        fetchAll(url, limits, controller.signal),
        // Resolution (dns.lookup) cannot be aborted; the deadline still holds for it.
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        }),
      ]);
    } catch (err) {
      if (controller.signal.aborted) throw controller.signal.reason;
      if (err instanceof FetchRefused) throw err;
      const e = err as NodeJS.ErrnoException;
      throw refuse('network', `${url}: der Abruf ist fehlgeschlagen (${e.code ?? e.message}).`);
    } finally {
      clearTimeout(timer);
    }
  };
}
