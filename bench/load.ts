/**
 * Load test: concurrent virtual users against the real server (child process) with the full 2025 register —
 * each signs in with e-mail and password (argon2id), views pages and saves Digitalcheck answers through the
 * HTML forms with their CSRF tokens, like a browser, then signs out and starts over. Page views, logins and
 * saves are reported separately, next to the bare route of the same run. See bench/README.md.
 */
import http from 'node:http';
import { checkContext, startCheck } from '../src/assessment/assessment.service.js';
import { prng } from '../src/assessment/demo.js';
import { insertUser } from '../src/identity/identity.repository.js';
import { createUserWithLoginLink } from '../src/identity/identity.service.js';
import { hashPassword } from '../src/identity/passwords.js';
import { createI18n } from '../src/modules.js';
import { type Actor, decideRequest, requestAccess } from '../src/organisations/organisations.service.js';
import type { Db } from '../src/platform/db/db.js';
import {
  type Backend,
  backends,
  cpuPerRequest,
  cpuSample,
  formatCpu,
  freePort,
  measureRoute,
  ms,
  percentile,
  prepareRegister,
  printEnvironment,
  printTable,
  type RouteLoad,
  round,
  serverEntry,
  skipNote,
  spawnServer,
  stopServer,
  waitForHealth,
  writeResult,
} from './common.js';

const USERS = Number(process.env.BENCH_LOAD_USERS ?? 50);
const DURATION_S = Number(process.env.BENCH_LOAD_DURATION ?? 60);
const WARMUP_S = Number(process.env.BENCH_LOAD_WARMUP ?? 5);
/** Pause of a virtual user between two requests (0: each user sends its next request at once). */
const THINK_MS = Number(process.env.BENCH_LOAD_THINK_MS ?? 0);
/** Actions (page view, or save = question page + POST + redirect) between login and logout. */
const ACTIONS = Number(process.env.BENCH_LOAD_ACTIONS ?? 10);
/** Share of the actions that save an answer (the rest are page views). */
const SAVE_SHARE = Number(process.env.BENCH_LOAD_SAVE_SHARE ?? 0.3);
const BARE_S = Number(process.env.BENCH_DURATION ?? 10);
const REQUEST_TIMEOUT_MS = 30_000;

type Kind = 'page' | 'login' | 'save' | 'logout';
const KIND_LABEL: Record<Kind, string> = {
  page: 'page views (GET)',
  login: 'logins (POST /anmelden, argon2id)',
  save: 'saves (POST answer form)',
  logout: 'logouts (POST /abmelden)',
};

/** Register pages a visitor opens between the Digitalcheck pages. */
const PROFILE_KEYS = ['09162000', '11000000', '02000000', '09184', '05315000', '08111000', '16063', '03241001', '09'];
const QUERIES = ['Neustadt', 'München', 'Berlin', 'Halle', 'Kiel', 'Ober'];

// ---------------------------------------------------------------------------------------------
// Seeding: one account with a password, its own Gemeinde workspace and a draft check per virtual user

interface Account {
  email: string;
  password: string;
  checkId: number;
  questions: string[];
}

async function seedAccounts(db: Db, n: number): Promise<Account[]> {
  const deps = {
    db,
    mailer: { send: async () => ({}) },
    publicUrl: 'http://localhost',
    t: createI18n().translator('de'),
  };
  const adminId = (await createUserWithLoginLink(deps, 'load-admin@example.org', true)).userId;
  const admin: Actor = { id: adminId, email: 'load-admin@example.org', isPlatformAdmin: true };
  // Distinct real Gemeinden of 2,000–50,000 inhabitants, spread over the key range.
  const candidates = await db.query<{ key: string }>(
    `SELECT key FROM regions WHERE level = 'gemeinde' AND valid_to IS NULL AND population BETWEEN 2000 AND 50000
     ORDER BY key`,
  );
  const step = Math.max(1, Math.floor(candidates.length / n));
  const accounts: Account[] = [];
  for (let i = 0; i < n; i++) {
    const email = `load-user-${String(i + 1).padStart(3, '0')}@example.org`;
    const password = `Lastprobe ${i + 1} mit einem langen Satz`;
    const userId = await insertUser(db, {
      email,
      passwordHash: await hashPassword(password),
      verified: true,
      isPlatformAdmin: false,
    });
    const actor: Actor = { id: userId, email, isPlatformAdmin: false };
    const orgId = await requestAccess(deps, actor, candidates[i * step]!.key, '');
    const [req] = await db.query<{ id: number }>(
      'SELECT id::int AS id FROM access_requests WHERE org_id = $1 AND user_id = $2',
      [orgId, userId],
    );
    await decideRequest(deps, admin, orgId, req!.id, true, 'admin');
    const checkId = await startCheck(db, actor, orgId);
    const ctx = await checkContext(db, actor, checkId);
    accounts.push({ email, password, checkId, questions: ctx.questions.map((q) => q.id) });
  }
  return accounts;
}

// ---------------------------------------------------------------------------------------------
// A small browser: one keep-alive connection, cookies, CSRF token from the last form

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

class Browser {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  private readonly cookies = new Map<string, string>();
  /** The client address the server sees (X-Forwarded-For, TRUST_PROXY=true): a new one per session. */
  ip = '10.0.0.1';

  constructor(private readonly port: number) {}

  reset() {
    this.cookies.clear();
  }

  close() {
    this.agent.destroy();
  }

  request(method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<Response> {
    const payload = form ? new URLSearchParams(form).toString() : null;
    const headers: Record<string, string> = { accept: 'text/html', 'x-forwarded-for': this.ip };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (payload !== null) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            this.store(res.headers['set-cookie']);
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      if (payload !== null) req.write(payload);
      req.end();
    });
  }

  private store(setCookie: string[] | undefined) {
    for (const line of setCookie ?? []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v] = a.trim().split('=');
        if (k?.toLowerCase() === 'max-age') return Number(v) <= 0;
        if (k?.toLowerCase() === 'expires') return new Date(v ?? '').getTime() < Date.now();
        return false;
      });
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function csrfOf(body: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(body);
  if (!m) throw new Error('no CSRF token on the page');
  return m[1]!;
}

// ---------------------------------------------------------------------------------------------
// Virtual users

interface Sample {
  kind: Kind;
  start: number;
  ms: number;
  ok: boolean;
}

interface Run {
  /** Measured window (performance.now()): requests that start inside it are counted. */
  from: number;
  to: number;
  samples: Sample[];
  errorMessages: Map<string, number>;
  sessions: number;
}

class UnexpectedStatus extends Error {}

async function virtualUser(port: number, account: Account, index: number, run: Run, stopAt: number) {
  const rand = prng(1000 + index);
  const browser = new Browser(port);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)]!;
  const think = () => (THINK_MS > 0 ? new Promise((r) => setTimeout(r, THINK_MS * (0.5 + rand()))) : null);
  const timed = async (
    kind: Kind,
    method: 'GET' | 'POST',
    path: string,
    expect: number,
    form?: Record<string, string>,
  ) => {
    const start = performance.now();
    let res: Response | null = null;
    let error: string | null = null;
    try {
      res = await browser.request(method, path, form);
      if (res.status !== expect) error = `${method} ${path.replace(/\d+/g, 'N')} → ${res.status}`;
    } catch (err) {
      error = `${method} ${path.replace(/\d+/g, 'N')}: ${(err as Error).message}`;
    }
    const elapsed = performance.now() - start;
    if (start >= run.from && start < run.to) {
      run.samples.push({ kind, start, ms: elapsed, ok: error === null });
      if (error) run.errorMessages.set(error, (run.errorMessages.get(error) ?? 0) + 1);
    }
    if (error) throw new UnexpectedStatus(error);
    await think();
    return res!;
  };
  const follow = async (res: Response) => timed('page', 'GET', String(res.headers.location), 200);

  let q = Math.floor(rand() * account.questions.length);
  try {
    while (performance.now() < stopAt) {
      try {
        browser.reset();
        browser.ip = `10.${(index >> 8) & 255}.${index & 255}.${(run.sessions++ % 250) + 1}`;
        const overview = `/digitalcheck/${account.checkId}`;
        const loginPage = await timed('page', 'GET', `/anmelden?weiter=${encodeURIComponent(overview)}`, 200);
        const login = await timed('login', 'POST', '/anmelden', 303, {
          _csrf: csrfOf(loginPage.body),
          weiter: overview,
          email: account.email,
          password: account.password,
        });
        let page = await follow(login);
        for (let a = 0; a < ACTIONS && performance.now() < stopAt; a++) {
          if (rand() < SAVE_SHARE) {
            const qid = account.questions[q++ % account.questions.length]!;
            const path = `/digitalcheck/${account.checkId}/frage/${qid}`;
            const form = await timed('page', 'GET', path, 200);
            const version = /name="version" value="(\d+)"/.exec(form.body)?.[1] ?? '0';
            const saved = await timed('save', 'POST', path, 303, {
              _csrf: csrfOf(form.body),
              version,
              value: String(Math.floor(rand() * 5)),
              comment: '',
              evidenceUrl: '',
            });
            page = await follow(saved);
          } else {
            const r = rand();
            const path =
              r < 0.25
                ? '/'
                : r < 0.6
                  ? `/kommunen/${pick(PROFILE_KEYS)}`
                  : r < 0.8
                    ? `/kommunen?q=${encodeURIComponent(pick(QUERIES))}`
                    : overview;
            page = await timed('page', 'GET', path, 200);
          }
        }
        await timed('logout', 'POST', '/abmelden', 303, { _csrf: csrfOf(page.body) });
      } catch (err) {
        if (!(err instanceof UnexpectedStatus)) {
          run.errorMessages.set(String(err), (run.errorMessages.get(String(err)) ?? 0) + 1);
        }
        await new Promise((r) => setTimeout(r, 100)); // then a new session
      }
    }
  } finally {
    browser.close();
  }
}

// ---------------------------------------------------------------------------------------------

interface ClassFigures {
  kind: Kind | 'all';
  requests: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
}

interface BackendResult {
  backend: Backend;
  bare: RouteLoad;
  classes: ClassFigures[];
  errorMessages: Record<string, number>;
  cpuMsPerRequest: ReturnType<typeof cpuPerRequest>;
}

function figures(kind: Kind | 'all', samples: Sample[], seconds: number): ClassFigures {
  const mine = kind === 'all' ? samples : samples.filter((s) => s.kind === kind);
  const ok = mine.filter((s) => s.ok).map((s) => s.ms);
  return {
    kind,
    requests: ok.length,
    reqPerSec: ok.length / seconds,
    p50: percentile(ok, 50),
    p95: percentile(ok, 95),
    p99: percentile(ok, 99),
    max: ok.length ? Math.max(...ok) : Number.NaN,
    errors: mine.length - ok.length,
  };
}

export async function runLoadBench(): Promise<void> {
  const loadAtStart = printEnvironment(
    `Load test: ${USERS} virtual users for ${DURATION_S} s (+ ${WARMUP_S} s warm-up), think time ${THINK_MS} ms, ` +
      `${ACTIONS} actions per session (${round(SAVE_SHARE * 100, 0)} % saves)`,
  );
  const entry = await serverEntry();
  const results: BackendResult[] = [];
  for (const kind of backends()) {
    console.log(`  ${kind}: preparing the register (2025 release) and ${USERS} accounts with workspaces …`);
    let accounts: Account[] = [];
    const prepared = await prepareRegister(kind, {
      seed: async (db) => {
        accounts = await seedAccounts(db, USERS);
      },
    });
    const port = await freePort();
    // TRUST_PROXY: every session comes from its own address (X-Forwarded-For), so that the login limit per
    // IP (30 in 15 minutes) does not throttle the virtual users; the limit per account resets on success.
    const child = spawnServer(port, prepared.target, { entry, env: { TRUST_PROXY: 'true' } });
    try {
      await waitForHealth(port, performance.now(), child);
      console.log(`  ${kind}: bare route GET /health, ${USERS} connections, ${BARE_S} s …`);
      const bare = await measureRoute(
        port,
        child.pid!,
        `GET /health (bare route, ${USERS} connections)`,
        [{ method: 'GET', path: '/health' }],
        { connections: USERS, durationS: BARE_S, warmupS: 1 },
      );
      console.log(`  ${kind}: ${USERS} virtual users …`);
      const start = performance.now();
      const run: Run = {
        from: start + WARMUP_S * 1000,
        to: start + (WARMUP_S + DURATION_S) * 1000,
        samples: [],
        errorMessages: new Map(),
        sessions: 0,
      };
      let before = cpuSample(child.pid!);
      const sampler = setTimeout(() => {
        before = cpuSample(child.pid!);
      }, WARMUP_S * 1000);
      let after = before;
      const ender = setTimeout(
        () => {
          after = cpuSample(child.pid!);
        },
        (WARMUP_S + DURATION_S) * 1000,
      );
      // Users arrive over the first second rather than all in the same millisecond.
      await Promise.all(
        accounts.map(async (a, i) => {
          await new Promise((r) => setTimeout(r, (i * 1000) / USERS));
          await virtualUser(port, a, i, run, run.to);
        }),
      );
      clearTimeout(sampler);
      clearTimeout(ender);
      const classes = (['page', 'login', 'save', 'logout', 'all'] as const).map((k) =>
        figures(k, run.samples, DURATION_S),
      );
      results.push({
        backend: kind,
        bare,
        classes,
        errorMessages: Object.fromEntries(run.errorMessages),
        cpuMsPerRequest: cpuPerRequest(before, after, run.samples.length),
      });
    } finally {
      await stopServer(child);
      await prepared.dispose();
    }
  }

  printTable(
    `Under load: ${USERS} virtual users, ${DURATION_S} s measured (latency per request, successful ones)`,
    results.flatMap((b) => [
      {
        backend: b.backend,
        what: b.bare.route,
        requests: b.bare.requests,
        'req/s': round(b.bare.reqPerSec, 0),
        p50: ms(b.bare.p50),
        p95: ms(b.bare.p95),
        p99: ms(b.bare.p99),
        max: ms(b.bare.max),
        errors: b.bare.errors + b.bare.timeouts + b.bare.non2xx,
        'CPU ms/req server|pg|load': formatCpu(b.bare.cpuMsPerRequest),
      },
      ...b.classes.map((c) => ({
        backend: b.backend,
        what: c.kind === 'all' ? 'all requests of the virtual users' : KIND_LABEL[c.kind],
        requests: c.requests,
        'req/s': round(c.reqPerSec, 1),
        p50: ms(c.p50),
        p95: ms(c.p95),
        p99: ms(c.p99),
        max: ms(c.max),
        errors: c.errors,
        'CPU ms/req server|pg|load': c.kind === 'all' ? formatCpu(b.cpuMsPerRequest) : '',
      })),
    ]),
  );
  for (const b of results) {
    const errs = Object.entries(b.errorMessages);
    if (errs.length) console.log(`\n  ${b.backend}: errors: ${errs.map(([m, n]) => `${n}× ${m}`).join('; ')}`);
  }
  skipNote('load');
  writeResult('load', {
    users: USERS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    thinkMs: THINK_MS,
    actionsPerSession: ACTIONS,
    saveShare: SAVE_SHARE,
    loadAtStart,
    results: results.map((b) => ({
      ...b,
      classes: b.classes.map((c) => ({
        ...c,
        reqPerSec: round(c.reqPerSec, 2),
        p50: round(c.p50, 2),
        p95: round(c.p95, 2),
        p99: round(c.p99, 2),
        max: round(c.max, 2),
      })),
    })),
  });
}
