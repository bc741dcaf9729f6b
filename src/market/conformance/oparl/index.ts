/**
 * The `oparl` conformance validator (issue 11). An endpoint URL is crawled from its System object: the body list,
 * then each Body's external object lists (organization, person, meeting, paper and the 1.1 lists), page by page,
 * round-robin over the lists so a bounded crawl sees every type; afterwards a sample of the references, the ids of
 * embedded objects and further object lists is fetched to see that they resolve. Everything is bounded by
 * `maxObjects`, spaced by `politenessMs` and cut at `deadlineMs`; all fetching goes through `options.fetch`.
 * A single OParl object (or one list page) given as bytes is checked as far as one object can be.
 */
import {
  type Artefact,
  type Fetched,
  FetchRefused,
  type Finding,
  type Report,
  type Validator,
  type ValidatorOptions,
  verdictOf,
} from '../types.js';
import {
  type CheckSink,
  checkListPage,
  checkObject,
  isListPage,
  isObj,
  isOparlUrl,
  type LinkKind,
  type PageResult,
  SOURCES,
} from './check-object.js';
import { type OparlType, type OparlVersion, parseTypeUrl, propertiesOf } from './model.js';

export const OPARL_VALIDATOR_VERSION = 'kommunallotse-oparl/1.0.0 (OParl 1.0, 1.1)';

export const OPARL_DEFAULTS = {
  maxObjects: 500,
  politenessMs: 100,
  deadlineMs: 120_000,
  /** One request at most (the safe fetcher's default), shortened to what is left of the deadline. */
  requestTimeoutMs: 15_000,
  /** Findings kept per rule; the rest is summarised in one `oparl.truncated` finding. */
  findingsPerRule: 200,
} as const;

export const oparlValidator: Validator = {
  standard: 'oparl',
  validatorVersion: OPARL_VALIDATOR_VERSION,
  async check(artefact: Artefact, options: ValidatorOptions): Promise<Report> {
    try {
      if (artefact.kind === 'bytes') return checkBytes(artefact.name, artefact.bytes);
      if (artefact.kind === 'url') return await new Crawl(options).run(artefact.url);
      return report(artefact.path, [], {
        verdict: 'could not be checked',
        reason: 'OParl wird als Endpunkt-URL oder als einzelnes Objekt (JSON-Datei) geprüft, nicht als Ordner.',
      });
    } catch (err) {
      // The contract: never throw. An exception here is a bug of the validator, reported as such.
      const input = artefact.kind === 'url' ? artefact.url : artefact.kind === 'bytes' ? artefact.name : artefact.path;
      return report(input, [], {
        verdict: 'could not be checked',
        reason: `Interner Fehler des Validators: ${err instanceof Error ? err.message : String(err)}`,
      });
    }
  },
};

function report(input: string, findings: Finding[], extra: Partial<Report> = {}): Report {
  return {
    input,
    standard: 'oparl',
    verdict: verdictOf(findings),
    findings: truncate(findings),
    validatorVersion: OPARL_VALIDATOR_VERSION,
    ...extra,
  };
}

function truncate(findings: Finding[]): Finding[] {
  const count = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    const n = (count.get(f.rule) ?? 0) + 1;
    count.set(f.rule, n);
    if (n <= OPARL_DEFAULTS.findingsPerRule) out.push(f);
  }
  for (const [rule, n] of count)
    if (n > OPARL_DEFAULTS.findingsPerRule)
      out.push({
        rule: 'oparl.truncated',
        severity: 'info',
        location: rule,
        message: `Weitere ${n - OPARL_DEFAULTS.findingsPerRule} Befunde der Regel ${rule} sind nicht einzeln aufgeführt.`,
      });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON decoding (OParl 1.1 §2.4: UTF-8 without BOM)

type Decoded = { ok: true; json: unknown } | { ok: false; message: string };

function decodeJson(bytes: Uint8Array, location: string, findings: Finding[]): Decoded {
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    findings.push({
      rule: 'oparl.json-encoding',
      severity: 'error',
      location,
      message: 'Die JSON-Ausgabe beginnt mit einem Byte Order Mark (BOM); verlangt ist UTF-8 ohne BOM.',
      source: SOURCES.S_JSON('1.1'),
    });
    body = bytes.subarray(3);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return { ok: false, message: 'Die Antwort ist kein gültiges UTF-8.' };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (err) {
    return { ok: false, message: `Die Antwort ist kein gültiges JSON (${(err as Error).message}).` };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// A single object or list page given as bytes

function checkBytes(name: string, bytes: Uint8Array): Report {
  const findings: Finding[] = [];
  const stats: Record<string, number> = { objects: 0, embedded: 0, pages: 0, requests: 0 };
  const sink: CheckSink = {
    findings,
    onObject: (t, embedded) => {
      countObject(stats, t, embedded);
      if (!embedded) stats.objects = (stats.objects ?? 0) + 1;
    },
  };
  const decoded = decodeJson(bytes, name, findings);
  if (!decoded.ok) {
    findings.push({
      rule: 'oparl.json',
      severity: 'error',
      location: name,
      message: decoded.message,
      source: SOURCES.S_JSON('1.1'),
    });
    return report(name, findings, { stats });
  }
  const json = decoded.json;
  let version: OparlVersion | undefined;
  if (isListPage(json)) {
    const items = json.data as unknown[];
    const first = items.find((i) => isObj(i) && typeof i.type === 'string');
    const listVersion: OparlVersion = (isObj(first) && parseTypeUrl(String(first.type))?.version) || '1.1';
    version = listVersion;
    stats.pages = 1;
    const base =
      typeof json.links === 'object' && isObj(json.links) && typeof json.links.self === 'string'
        ? json.links.self
        : name;
    checkListPage(json, base, listVersion, sink);
    items.forEach((item, i) => {
      const id = isObj(item) && typeof item.id === 'string' && isOparlUrl(item.id) ? item.id : undefined;
      checkObject(
        item,
        { base: id ?? base, path: id ? '$' : `$.data[${i}]`, version: listVersion, standalone: true, embedded: false },
        sink,
      );
    });
  } else {
    const id = isObj(json) && typeof json.id === 'string' && isOparlUrl(json.id) ? json.id : undefined;
    const r = checkObject(
      json,
      { base: id ?? name, path: '$', version: null, standalone: true, embedded: false },
      sink,
    );
    version = r.version;
  }
  return report(name, findings, { stats, ...(version ? { standardVersion: version } : {}) });
}

function countObject(stats: Record<string, number>, type: OparlType, embedded: boolean): void {
  const key = embedded ? `embedded.${type}` : `objects.${type}`;
  stats[key] = (stats[key] ?? 0) + 1;
  if (embedded) stats.embedded = (stats.embedded ?? 0) + 1;
}

// ---------------------------------------------------------------------------------------------------------------
// The crawl

type Got =
  | { ok: true; fetched: Fetched; json: unknown }
  | { ok: false; stopped: true }
  | { ok: false; stopped: false; message: string; status?: number; malformed?: boolean; refused?: FetchRefused };

interface ListState {
  name: string;
  type: OparlType;
  /** Next page to fetch, or undefined when done. */
  url: string | undefined;
  /** Where the list was named (for findings about the list as a whole). */
  from: string;
  seen: Set<string>;
  ids: Set<string>;
  firstElementsPerPage?: number;
  previous?: PageResult & { url: string };
}

interface Link {
  type: OparlType;
  kind: LinkKind;
  location: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Crawl {
  private readonly findings: Finding[] = [];
  private readonly stats: Record<string, number> = {
    objects: 0,
    embedded: 0,
    pages: 0,
    requests: 0,
    'links.checked': 0,
    'links.broken': 0,
  };
  /** Ids of the objects checked on their own (listed or fetched). */
  private readonly checked = new Set<string>();
  private readonly links = new Map<string, Link>();
  /** The first object of each list, fetched on its own URL afterwards (OParl 1.1 §3: every object under its id). */
  private readonly probes = new Map<string, Link>();
  private readonly maxObjects: number;
  private readonly listBudget: number;
  private readonly maxPages: number;
  private readonly politenessMs: number;
  private readonly deadlineMs: number;
  private readonly deadline: number;
  private lastRequest = 0;
  private halted: 'deadline' | 'maxObjects' | null = null;
  private version: OparlVersion = '1.1';
  private readonly sink: CheckSink;

  constructor(private readonly options: ValidatorOptions) {
    this.maxObjects = Math.max(1, options.maxObjects ?? OPARL_DEFAULTS.maxObjects);
    // A tenth of the budget (at most 50 objects) is kept for sampling the links after the lists.
    this.listBudget = this.maxObjects - Math.min(50, Math.floor(this.maxObjects / 10));
    this.maxPages = Math.max(50, this.maxObjects);
    this.politenessMs = Math.max(0, options.politenessMs ?? OPARL_DEFAULTS.politenessMs);
    this.deadlineMs = options.deadlineMs ?? OPARL_DEFAULTS.deadlineMs;
    this.deadline = Date.now() + this.deadlineMs;
    this.sink = {
      findings: this.findings,
      onObject: (t, embedded) => countObject(this.stats, t, embedded),
      onLink: (url, type, kind, location) => {
        if (!this.links.has(url)) this.links.set(url, { type, kind, location });
      },
    };
  }

  private finish(input: string, extra: Partial<Report> = {}): Report {
    if (this.halted === 'deadline')
      this.findings.push({
        rule: 'oparl.deadline',
        severity: 'warning',
        location: input,
        message: `Das Zeitlimit von ${Math.round(this.deadlineMs / 1000)} s ist erreicht; ${this.stats.objects} Objekte wurden geprüft, der Rest blieb ungeprüft.`,
      });
    if (this.halted === 'maxObjects')
      this.findings.push({
        rule: 'oparl.max-objects',
        severity: 'info',
        location: input,
        message: `Die Prüfung endete planmäßig nach ${this.stats.objects} Objekten (Grenze ${this.maxObjects}); weitere Objekte blieben ungeprüft.`,
      });
    return report(input, this.findings, { stats: this.stats, standardVersion: this.version, ...extra });
  }

  private error(rule: string, location: string, message: string, source: string): void {
    this.findings.push({ rule: `oparl.${rule}`, severity: 'error', location, message, source });
  }

  /** One polite, deadline-bounded GET through the safe fetcher, decoded as JSON. */
  private async get(url: string): Promise<Got> {
    if (this.halted === 'deadline') return { ok: false, stopped: true };
    const wait = this.lastRequest + this.politenessMs - Date.now();
    if (Date.now() + Math.max(0, wait) >= this.deadline) {
      this.halted = 'deadline';
      return { ok: false, stopped: true };
    }
    if (wait > 0) await sleep(wait);
    const remaining = this.deadline - Date.now();
    const timeoutMs = Math.max(1, Math.min(OPARL_DEFAULTS.requestTimeoutMs, remaining));
    this.stats.requests = (this.stats.requests ?? 0) + 1;
    let fetched: Fetched;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      // The race keeps the deadline even if a fetcher ignored its timeout.
      const overdue = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new FetchRefused('timeout', 'deadline')), timeoutMs + 50);
      });
      fetched = await Promise.race([this.options.fetch(url, { timeoutMs }), overdue]);
    } catch (err) {
      this.lastRequest = Date.now();
      const refused = err instanceof FetchRefused ? err : undefined;
      if (refused?.code === 'timeout' && timeoutMs < OPARL_DEFAULTS.requestTimeoutMs) {
        this.halted = 'deadline';
        return { ok: false, stopped: true };
      }
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, stopped: false, message, ...(refused ? { refused } : {}) };
    } finally {
      clearTimeout(timer);
    }
    this.lastRequest = Date.now();
    if (fetched.status !== 200)
      return { ok: false, stopped: false, message: `HTTP-Status ${fetched.status}`, status: fetched.status };
    const decoded = decodeJson(fetched.bytes, url, this.findings);
    if (!decoded.ok) return { ok: false, stopped: false, message: decoded.message, malformed: true };
    return { ok: true, fetched, json: decoded.json };
  }

  async run(startUrl: string): Promise<Report> {
    const got = await this.get(startUrl);
    if (!got.ok) {
      if (got.stopped)
        return this.finish(startUrl, {
          verdict: 'could not be checked',
          reason: `Der Endpunkt hat nicht innerhalb des Zeitlimits (${Math.round(this.deadlineMs / 1000)} s) geantwortet.`,
        });
      if (got.malformed) {
        this.error('json', startUrl, got.message, SOURCES.S_JSON('1.1'));
        return this.finish(startUrl);
      }
      return this.finish(startUrl, {
        verdict: 'could not be checked',
        reason: `Der Endpunkt ${startUrl} ist nicht abrufbar: ${got.message}.`,
      });
    }
    const system = got.json;
    const systemType = isObj(system) && typeof system.type === 'string' ? parseTypeUrl(system.type) : null;
    if (!isObj(system) || systemType?.type !== 'System') {
      // OParl 1.1 §2.10: the endpoint is an oparl:System object.
      this.error(
        'endpoint',
        `${got.fetched.url} $`,
        'Der OParl-Endpunkt muss ein Objekt vom Typ oparl:System ausgeben.',
        'OParl 1.1 §2.10 OParl-Endpunkt',
      );
      return this.finish(startUrl);
    }
    this.version = systemType.version;
    this.checkStandalone(system, got.fetched, 'System', false);
    this.stats.objects = (this.stats.objects ?? 0) + 1;

    const lists: ListState[] = [];
    if (typeof system.body === 'string' && isOparlUrl(system.body)) {
      const bodies: ListState = this.newList('body', 'Body', system.body, `${got.fetched.url} $.body`);
      // The body list first and whole (bounded): it names all other lists.
      while (bodies.url && !this.halted) await this.page(bodies, (body) => this.addBodyLists(body, lists));
      // Then one page of each list in turn.
      while (!this.halted && lists.some((l) => l.url)) {
        for (const list of lists) {
          if (this.halted) break;
          if (list.url) await this.page(list);
        }
      }
    }
    if (this.halted !== 'deadline') await this.sampleLinks();
    return this.finish(startUrl);
  }

  private newList(name: string, type: OparlType, url: string, from: string): ListState {
    return { name, type, url, from, seen: new Set(), ids: new Set() };
  }

  private addBodyLists(body: Record<string, unknown>, lists: ListState[]): void {
    const props = propertiesOf('Body', this.version);
    const id = typeof body.id === 'string' ? body.id : '?';
    for (const [name, kind] of Object.entries(props)) {
      if (kind.k !== 'l') continue;
      const url = body[name];
      if (typeof url === 'string' && isOparlUrl(url) && !lists.some((l) => l.seen.has(url) || l.url === url))
        lists.push(this.newList(name, kind.t, url, `${id} $.${name}`));
    }
  }

  private checkStandalone(obj: unknown, fetched: Fetched, type: OparlType, idMismatchIsError = true): void {
    const r = checkObject(
      obj,
      {
        base: fetched.url,
        path: '$',
        version: this.version,
        expectedType: type,
        standalone: true,
        embedded: false,
        fetchedFrom: fetched.url,
        idMismatchIsError,
      },
      this.sink,
    );
    if (r.id) this.checked.add(r.id);
  }

  /** Fetches and checks the next page of a list; `onItem` sees each checked item (used for the bodies). */
  private async page(list: ListState, onItem?: (item: Record<string, unknown>) => void): Promise<void> {
    const url = list.url!;
    list.url = undefined;
    if ((this.stats.pages ?? 0) >= this.maxPages || (this.stats.objects ?? 0) >= this.listBudget) {
      this.halted = 'maxObjects';
      return;
    }
    list.seen.add(url);
    const got = await this.get(url);
    if (!got.ok) {
      if (got.stopped) return;
      this.error(
        'list-unreachable',
        list.seen.size === 1 ? list.from : `${list.previous?.url ?? url} $.links.next`,
        `Die Objektliste „${list.name}“ ist unter ${url} nicht abrufbar: ${got.message}.`,
        SOURCES.S_PAGES(this.version),
      );
      return;
    }
    this.stats.pages = (this.stats.pages ?? 0) + 1;
    const page = checkListPage(got.json, got.fetched.url, this.version, this.sink);
    // "elementsPerPage … muss auf allen Listenseiten bis auf die letzte gleich sein."
    if (list.previous && !list.previous.isLast && list.firstElementsPerPage !== undefined) {
      const prev = list.previous.elementsPerPage;
      if (prev !== undefined && prev !== list.firstElementsPerPage)
        this.error(
          'pagination',
          `${list.previous.url} $.pagination.elementsPerPage`,
          `„elementsPerPage“ ist ${prev}, auf der ersten Listenseite ${list.firstElementsPerPage}; nur die letzte Seite darf abweichen.`,
          SOURCES.S_PAGES(this.version),
        );
    }
    if (list.firstElementsPerPage === undefined && page.elementsPerPage !== undefined)
      list.firstElementsPerPage = page.elementsPerPage;
    list.previous = { ...page, url: got.fetched.url };

    const modifiedSince = new URL(got.fetched.url).searchParams.has('modified_since');
    for (const [i, item] of page.items.entries()) {
      if ((this.stats.objects ?? 0) >= this.listBudget) {
        this.halted = 'maxObjects';
        return;
      }
      this.stats.objects = (this.stats.objects ?? 0) + 1;
      const id = isObj(item) && typeof item.id === 'string' && isOparlUrl(item.id) ? item.id : undefined;
      if (id && list.ids.has(id))
        this.findings.push({
          rule: 'oparl.list-duplicate',
          severity: 'warning',
          location: `${got.fetched.url} $.data[${i}]`,
          message: `Das Objekt ${id} steht mehrfach in der Liste „${list.name}“; die Sortierung muss stabil sein.`,
          source: SOURCES.S_PAGES(this.version),
        });
      if (id) list.ids.add(id);
      if (id && i === 0 && list.seen.size === 1)
        this.probes.set(id, { type: list.type, kind: 'reference', location: `${got.fetched.url} $.data[0].id` });
      const r = checkObject(
        item,
        {
          base: id ?? got.fetched.url,
          path: id ? '$' : `$.data[${i}]`,
          version: this.version,
          expectedType: list.type,
          standalone: true,
          embedded: false,
          inListWithoutModifiedSince: !modifiedSince,
        },
        this.sink,
      );
      if (r.id) this.checked.add(r.id);
      if (onItem && isObj(item) && !r.deleted) onItem(item);
    }
    if (page.next) {
      if (list.seen.has(page.next))
        this.error(
          'pagination-loop',
          `${got.fetched.url} $.links.next`,
          `„links.next“ verweist auf die bereits abgerufene Listenseite ${page.next}; die Paginierung läuft im Kreis.`,
          SOURCES.S_PAGES(this.version),
        );
      else list.url = page.next;
    }
  }

  /** Fetches a sample of the referenced objects, embedded objects' ids and further lists (round-robin by type). */
  private async sampleLinks(): Promise<void> {
    const groups = new Map<string, [string, Link][]>();
    for (const [url, link] of this.probes) groups.set(`probe:${url}`, [[url, link]]);
    for (const [url, link] of this.links) {
      if (this.checked.has(url)) continue;
      const key = `${link.kind}:${link.type}`;
      const g = groups.get(key) ?? [];
      if (g.length === 0) groups.set(key, g);
      g.push([url, link]);
    }
    const queues = [...groups.values()];
    for (let round = 0; queues.some((q) => q.length > round); round++) {
      for (const q of queues) {
        const entry = q[round];
        if (!entry) continue;
        if ((this.stats.objects ?? 0) >= this.maxObjects) {
          this.halted = 'maxObjects';
          return;
        }
        if (this.halted === 'deadline') return;
        const [url, link] = entry;
        if (this.checked.has(url) && !this.probes.has(url)) continue;
        this.probes.delete(url);
        await this.sampleLink(url, link);
      }
    }
  }

  private async sampleLink(url: string, link: Link): Promise<void> {
    const got = await this.get(url);
    if (!got.ok && got.stopped) return;
    this.stats['links.checked'] = (this.stats['links.checked'] ?? 0) + 1;
    if (!got.ok) {
      this.stats['links.broken'] = (this.stats['links.broken'] ?? 0) + 1;
      const what =
        link.kind === 'embedded'
          ? `Das eingebettete Objekt ist unter seiner id ${url} nicht abrufbar`
          : link.kind === 'list'
            ? `Die Objektliste ${url} ist nicht abrufbar`
            : `Der Verweis auf ${url} (oparl:${link.type}) ist nicht abrufbar`;
      this.error(
        'link-broken',
        link.location,
        `${what}: ${got.message}.`,
        link.kind === 'embedded'
          ? `OParl ${this.version} §3 Schema, Die Objekte`
          : `OParl ${this.version} §2.5 Objektlisten und Paginierung`,
      );
      if (got.status === 410 || got.status === 404)
        this.findings.push({
          rule: 'oparl.deleted-status',
          severity: 'info',
          location: link.location,
          message:
            'Gelöschte Objekte dürfen nicht einfach verschwinden: sie bleiben mit HTTP 200 und „deleted: true“ abrufbar.',
          source: SOURCES.S_DELETED(this.version),
        });
      return;
    }
    if (link.kind === 'list') {
      this.stats.pages = (this.stats.pages ?? 0) + 1;
      const page = checkListPage(got.json, got.fetched.url, this.version, this.sink);
      for (const [i, item] of page.items.entries()) {
        if ((this.stats.objects ?? 0) >= this.maxObjects) return;
        this.stats.objects = (this.stats.objects ?? 0) + 1;
        const id = isObj(item) && typeof item.id === 'string' && isOparlUrl(item.id) ? item.id : undefined;
        checkObject(
          item,
          {
            base: id ?? got.fetched.url,
            path: id ? '$' : `$.data[${i}]`,
            version: this.version,
            expectedType: link.type,
            standalone: true,
            embedded: false,
          },
          this.sink,
        );
        if (id) this.checked.add(id);
      }
      return;
    }
    this.stats.objects = (this.stats.objects ?? 0) + 1;
    this.checkStandalone(got.json, got.fetched, link.type);
  }
}
