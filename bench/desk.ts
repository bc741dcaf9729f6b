/**
 * Benchmark of the advisory desk (issue 12; target: the advisors' queue and the centre's dashboard p95 ≤ 50 ms
 * on PostgreSQL with 50,000 inquiries and 200 advisors; PGlite beside it). The register of the 2025 release is
 * imported, 5,000 Gemenden get a workspace, 200 advisors are spread over the 16 Länder teams (12 each) and a
 * national team (8), and 50,000 inquiries of the last 365 days are written in one statement: about a fifth still
 * open, the rest answered or closed, with a first answer, a close and (for half the closed ones) a rating.
 * The server is then started on the database and loaded over HTTP with signed-in advisors' sessions, with
 * `/health` as the baseline of the same run. See bench/README.md.
 */
import type { Request } from 'autocannon';
import { loadModel } from '../src/assessment/index.js';
import { computeFigures } from '../src/desk/index.js';
import { createSession } from '../src/identity/index.js';
import { createI18n } from '../src/modules.js';
import type { Db } from '../src/platform/db/db.js';
import { SESSION_COOKIE } from '../src/platform/http/auth.js';
import {
  assertRealData,
  type Backend,
  backends,
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
  verdict,
  waitForHealth,
  writeResult,
} from './common.js';

const INQUIRIES = Number(process.env.BENCH_DESK_INQUIRIES ?? 50_000);
const WORKSPACES = 5_000;
const ADVISORS_PER_LAND = 12;
const NATIONAL_ADVISORS = 8;
const TARGET_MS = 50;
const CONNECTIONS = 10;
const DURATION_S = Number(process.env.BENCH_DESK_SECONDS ?? 15);
const WARMUP_S = 3;
const FIGURE_RUNS = 30;

interface Seeded {
  /** The dashboard's figures computed in process without the page's cache: p50/p95 ms over FIGURE_RUNS. */
  figures: { scope: string; p50: number; p95: number }[];
  inquiries: number;
  advisors: number;
  open: number;
  /** Cookie values: an advisor of Bayern (team member and scope) and a national advisor. */
  bayern: string;
  national: string;
}

/** Everything the benchmark needs, in a handful of set-based statements. */
export async function seed(db: Db): Promise<Seeded> {
  const sectors = loadModel().sectors.map((s) => s.id);
  await db.query(`INSERT INTO organisations (kind, name) VALUES ('centre', 'Kompetenzzentrum (Benchmark)')
                  ON CONFLICT DO NOTHING`);
  const [centre] = await db.query<{ id: number }>(`SELECT id::int AS id FROM organisations WHERE kind = 'centre'`);
  const states = await db.query<{ key: string }>(
    `SELECT key FROM regions WHERE level = 'land' AND valid_to IS NULL ORDER BY key`,
  );
  // Advisors: 12 per Land with that Land as scope and in its team, 8 national ones without a scope limit.
  await db.query(
    `INSERT INTO users (email, email_verified_at, display_name)
     SELECT 'berater-' || s.key || '-' || n || '@zentrum.example', now(), 'Berater ' || s.key || '/' || n
       FROM unnest($1::text[]) AS s(key), generate_series(1, $2::int) AS n
     UNION ALL
     SELECT 'berater-bund-' || n || '@zentrum.example', now(), 'Berater Bund ' || n FROM generate_series(1, $3::int) AS n`,
    [states.map((s) => s.key), ADVISORS_PER_LAND, NATIONAL_ADVISORS],
  );
  await db.query(
    `INSERT INTO memberships (org_id, user_id, role)
     SELECT $1, id, 'member' FROM users WHERE email LIKE 'berater-%@zentrum.example'`,
    [centre!.id],
  );
  await db.query(
    `INSERT INTO advisor_scopes (user_id, state_key, topic)
     SELECT id, CASE WHEN email LIKE 'berater-bund-%' THEN NULL ELSE substring(email FROM 9 FOR 2) END, NULL
       FROM users WHERE email LIKE 'berater-%@zentrum.example'`,
  );
  await db.query(
    `INSERT INTO desk_teams (name, is_national) SELECT 'Team ' || key, false FROM unnest($1::text[]) AS s(key)
     UNION ALL SELECT 'Bundesweit', true`,
    [states.map((s) => s.key)],
  );
  await db.query(
    `INSERT INTO desk_team_members (team_id, user_id)
     SELECT t.id, u.id FROM users u
       JOIN desk_teams t ON (t.is_national AND u.email LIKE 'berater-bund-%')
                         OR t.name = 'Team ' || substring(u.email FROM 9 FOR 2)
      WHERE u.email LIKE 'berater-%@zentrum.example'`,
  );
  await db.query(
    `INSERT INTO desk_routing_rules (state_key, sector, team_id)
     SELECT substring(name FROM 6 FOR 2), NULL, id FROM desk_teams WHERE NOT is_national`,
  );
  // Workspaces of 5,000 Gemeinden (every second one by key, so that all Länder have some).
  await db.query(
    `INSERT INTO organisations (kind, region_key, name)
     SELECT 'region', key, name FROM (
       SELECT key, name, row_number() OVER (ORDER BY key) AS rn FROM regions
        WHERE level = 'gemeinde' AND valid_to IS NULL) g
      WHERE rn % 2 = 0 AND rn <= $1 * 2`,
    [WORKSPACES],
  );
  await db.query(
    `INSERT INTO users (email, email_verified_at, display_name)
     SELECT 'digital-' || region_key || '@gemeinde.example', now(), 'Digitalbeauftragte ' || name
       FROM organisations WHERE kind = 'region'`,
  );
  await db.query(
    `INSERT INTO memberships (org_id, user_id, role)
     SELECT o.id, u.id, 'admin' FROM organisations o JOIN users u ON u.email = 'digital-' || o.region_key || '@gemeinde.example'`,
  );
  // The inquiries: workspace, sector, urgency and age spread deterministically over the series.
  await db.query(
    `WITH ws AS (
       SELECT o.id, o.region_key, substring(o.region_key FROM 1 FOR 2) AS state_key, u.id AS author,
              row_number() OVER (ORDER BY o.id) - 1 AS i
         FROM organisations o JOIN memberships m ON m.org_id = o.id JOIN users u ON u.id = m.user_id
        WHERE o.kind = 'region'),
     n AS (SELECT (SELECT count(*) FROM ws) AS c),
     raw AS (
       SELECT g, ws.*, $2::text[] AS sectors,
              now() - ((g * 7919) % 525600) * interval '1 minute' AS received,
              CASE WHEN g % 10 < 2 THEN (ARRAY['new','assigned','in_progress','waiting'])[1 + g % 4]
                   WHEN g % 10 < 4 THEN 'answered' ELSE 'closed' END AS status
         FROM generate_series(0, $1::int - 1) AS g, n JOIN ws ON true
        WHERE ws.i = (g * 31) % n.c)
     INSERT INTO desk_inquiries (org_id, region_key, state_key, author_user_id, subject, body, sector, urgency,
                                 status, team_id, assignee_user_id, received_at, first_answer_due_at,
                                 first_answered_at, closed_at, rating, rating_comment, rated_at)
     SELECT r.id, r.region_key, r.state_key, r.author,
            'Frage ' || r.g || ' zur Digitalisierung', 'Wie gehen andere Kommunen bei Vorhaben ' || r.g || ' vor?',
            r.sectors[1 + r.g % array_length(r.sectors, 1)], (ARRAY['high','normal','normal','low'])[1 + r.g % 4],
            r.status, t.id,
            CASE WHEN r.status = 'new' THEN NULL ELSE
              (SELECT m.user_id FROM desk_team_members m WHERE m.team_id = t.id
                ORDER BY m.user_id OFFSET r.g % 12 LIMIT 1) END,
            r.received, r.received + interval '2 days',
            CASE WHEN r.status IN ('answered', 'closed') THEN r.received + ((r.g % 96) + 1) * interval '1 hour' END,
            CASE WHEN r.status = 'closed' THEN r.received + ((r.g % 400) + 100) * interval '1 hour' END,
            CASE WHEN r.status = 'closed' AND r.g % 2 = 0 THEN 1 + r.g % 5 END,
            CASE WHEN r.status = 'closed' AND r.g % 2 = 0 THEN 'Danke für die Hilfe.' END,
            CASE WHEN r.status = 'closed' AND r.g % 2 = 0 THEN r.received + interval '30 days' END
       FROM raw r JOIN desk_teams t ON t.name = 'Team ' || r.state_key`,
    [INQUIRIES, sectors],
  );
  await db.query(
    `INSERT INTO desk_inquiry_messages (inquiry_id, author_user_id, side, body, created_at)
     SELECT id, author_user_id, 'municipality', body, received_at FROM desk_inquiries
     UNION ALL
     SELECT id, assignee_user_id, 'advisor', 'Hier ist unsere Antwort.', first_answered_at
       FROM desk_inquiries WHERE first_answered_at IS NOT NULL`,
  );
  // What autovacuum does soon after such a batch of inserts (the visibility map lets the queue's index-only
  // scans skip the heap).
  await db.query('VACUUM ANALYZE');
  const [counts] = await db.query<{ n: number; open: number; advisors: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE status NOT IN ('answered', 'closed'))::int AS open,
            (SELECT count(*)::int FROM advisor_scopes) AS advisors FROM desk_inquiries`,
  );
  const deps = {
    db,
    mailer: { send: async () => ({}) },
    publicUrl: 'http://127.0.0.1',
    t: createI18n().translator('de'),
  };
  const idOf = async (email: string) =>
    (await db.query<{ id: number }>('SELECT id::int AS id FROM users WHERE email = $1', [email]))[0]!.id;
  const bayern = (await createSession(deps, await idOf('berater-09-1@zentrum.example'))).token;
  const national = (await createSession(deps, await idOf('berater-bund-1@zentrum.example'))).token;
  // The dashboard's figures without the page's cache: what the first request of a filter waits for, and what
  // the background computation after FIGURES_TTL_MS costs (no request waits for that one).
  const figures: Seeded['figures'] = [];
  for (const [scope, stateKey] of [
    ['all Länder, 12 months', null],
    ['Bayern, 12 months', '09'],
  ] as const) {
    await computeFigures(db, new Date(), { stateKey, months: 12 }); // warm-up
    const times: number[] = [];
    for (let i = 0; i < FIGURE_RUNS; i++) {
      const t0 = performance.now();
      await computeFigures(db, new Date(), { stateKey, months: 12 });
      times.push(performance.now() - t0);
    }
    figures.push({ scope, p50: percentile(times, 50), p95: percentile(times, 95) });
  }
  return { inquiries: counts!.n, open: counts!.open, advisors: counts!.advisors, bayern, national, figures };
}

/** The routes measured, each as one signed-in advisor would call it. */
function routes(s: Seeded): { name: string; path: string; cookie: string | null }[] {
  return [
    { name: 'baseline: /health', path: '/health', cookie: null },
    { name: 'queue, advisor of Bayern (open)', path: '/beratung/eingang', cookie: s.bayern },
    { name: 'queue, Bayern, all states', path: '/beratung/eingang?status=all', cookie: s.bayern },
    { name: 'queue, national advisor (open)', path: '/beratung/eingang', cookie: s.national },
    { name: 'dashboard, all Länder (page cache)', path: '/beratung/zahlen', cookie: s.national },
    { name: 'dashboard, Bayern (page cache)', path: '/beratung/zahlen?land=09', cookie: s.bayern },
  ];
}

export async function runDeskBench(): Promise<void> {
  assertRealData();
  const load = printEnvironment(
    `desk: advisors' queue and dashboard with ${INQUIRIES.toLocaleString('en')} inquiries (target p95 ≤ ${TARGET_MS} ms)`,
  );
  const entry = await serverEntry();
  const results: Record<string, unknown>[] = [];
  const rows: Record<string, string | number>[] = [];
  skipNote('desk');
  for (const kind of backends() as Backend[]) {
    let seeded: Seeded | null = null;
    const t0 = performance.now();
    const prep = await prepareRegister(kind, {
      seed: async (db) => {
        seeded = await seed(db);
      },
    });
    const s = seeded as Seeded | null;
    if (!s) throw new Error('seeding did not run');
    const prepareS = round((performance.now() - t0) / 1000, 1);
    console.log(`  ${kind}: ${s.inquiries} inquiries (${s.open} open), ${s.advisors} advisors, ready in ${prepareS} s`);
    for (const f of s.figures) {
      rows.push({
        database: kind,
        route: `figures in process, no cache: ${f.scope}`,
        KiB: '–',
        'req/s': '–',
        p50: ms(f.p50),
        p95: ms(f.p95),
        'server CPU ms/req': '–',
        // in parentheses: not a request's time (the page answers from its figures while computing fresh ones)
        target: `(${verdict(f.p95, TARGET_MS)})`,
      });
      results.push({ kind, figures: f });
    }
    const port = await freePort();
    const child = spawnServer(port, prep.target, { entry });
    try {
      await waitForHealth(port, performance.now(), child);
      for (const r of routes(s)) {
        const headers: Record<string, string> = r.cookie ? { cookie: `${SESSION_COOKIE}=${r.cookie}` } : {};
        const check = await fetch(`http://127.0.0.1:${port}${r.path}`, { headers });
        const bytes = (await check.arrayBuffer()).byteLength;
        if (check.status !== 200) throw new Error(`${r.path} answered ${check.status}`);
        const requests: Request[] = [{ method: 'GET', path: r.path, headers }];
        const m: RouteLoad = await measureRoute(port, child.pid!, r.path, requests, {
          connections: CONNECTIONS,
          durationS: DURATION_S,
          warmupS: WARMUP_S,
        });
        const baseline = r.cookie === null;
        rows.push({
          database: kind,
          route: r.name,
          KiB: round(bytes / 1024, 1),
          'req/s': round(m.reqPerSec, 0),
          p50: ms(m.p50),
          p95: ms(m.p95),
          'server CPU ms/req': m.cpuMsPerRequest.server ?? '–',
          target: baseline ? '–' : kind === 'postgres' ? verdict(m.p95, TARGET_MS) : `(${verdict(m.p95, TARGET_MS)})`,
        });
        results.push({ kind, ...r, cookie: undefined, bytes, ...m });
      }
    } finally {
      await stopServer(child);
      await prep.dispose();
    }
  }
  printTable(`${CONNECTIONS} connections, ${DURATION_S} s per route`, rows);
  writeResult('desk', { load, inquiries: INQUIRIES, workspaces: WORKSPACES, results });
}
