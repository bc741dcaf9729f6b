import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, databaseKinds, type TestDb } from '../../../../test/helpers/db.js';
import { TEST_T } from '../../../../test/helpers/deps.js';
import { createUserWithLoginLink } from '../../../identity/identity.service.js';
import { ensureEmbeddedDefault } from '../../../register/register.service.js';
import * as repo from '../inquiries.repository.js';
import type { Status } from '../model.js';

/**
 * The queue counts without counting (migration 0028): `desk_queue_counts` is kept by a trigger, and the queue adds
 * up its groups. Here a few hundred inquiries in every combination are written, changed, handed between teams,
 * deleted, their team deleted (SET NULL) and their municipality erased (CASCADE); after every step the table must
 * equal a GROUP BY over desk_inquiries, and the queue's total, overdue count and first page must equal what a
 * brute-force filter over all rows gives, for every kind of scope.
 */
const STATUSES: Status[] = ['new', 'assigned', 'in_progress', 'waiting', 'answered', 'closed'];
const OPEN: Status[] = ['new', 'assigned', 'in_progress', 'waiting'];
const SECTORS = ['verwaltung', 'bildung', 'mobilitaet'];
const NOW = new Date('2026-06-15T10:00:00Z');

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Row {
  id: number;
  status: Status;
  state: string;
  sector: string;
  team: number | null;
  assignee: number | null;
  answered: Date | null;
  due: Date;
}

for (const kind of databaseKinds()) {
  describe(`queue counts on ${kind}`, () => {
    let t: TestDb;
    const users: number[] = [];
    const orgs: { id: number; region: string; state: string }[] = [];
    const teams: number[] = [];
    const rnd = random(20261203);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

    before(async () => {
      t = await createTestDb(kind);
      await ensureEmbeddedDefault(t.db);
      const deps = { db: t.db, mailer: { send: async () => ({ id: 0 }) }, publicUrl: 'http://localhost', t: TEST_T };
      for (let k = 0; k < 4; k++) users.push((await createUserWithLoginLink(deps, `a${k}@example.org`, false)).userId);
      for (const [region, state] of [
        ['03241', '03'],
        ['09162', '09'],
        ['16056', '16'],
        ['16051', '16'],
      ] as const) {
        const [o] = await t.db.query<{ id: number }>(
          "INSERT INTO organisations (kind, region_key, name) VALUES ('region', $1, $1) RETURNING id::int AS id",
          [region],
        );
        orgs.push({ id: o!.id, region, state });
      }
      for (const name of ['Team A', 'Team B', 'Team C']) {
        const [team] = await t.db.query<{ id: number }>(
          'INSERT INTO desk_teams (name) VALUES ($1) RETURNING id::int AS id',
          [name],
        );
        teams.push(team!.id);
      }
    });
    after(async () => {
      await t?.dispose();
    });

    /** Inquiries in random combinations: every column the counts group by, answered or not, due before or after now. */
    async function insert(n: number) {
      for (let k = 0; k < n; k++) {
        const org = pick(orgs);
        const status = pick(STATUSES);
        const answered = status === 'answered' || status === 'closed' || rnd() < 0.3;
        const due = new Date(NOW.getTime() + (rnd() - 0.5) * 10 * 86_400_000);
        await t.db.query(
          `INSERT INTO desk_inquiries (org_id, region_key, state_key, subject, body, sector, urgency, status, team_id,
             assignee_user_id, received_at, first_answer_due_at, first_answered_at)
           VALUES ($1, $2, $3, 'Frage', 'Text', $4, 'normal', $5, $6, $7, $8, $9, $10)`,
          [
            org.id,
            org.region,
            org.state,
            pick(SECTORS),
            status,
            rnd() < 0.2 ? null : pick(teams),
            rnd() < 0.3 ? null : pick(users),
            new Date(due.getTime() - 2 * 86_400_000),
            due,
            answered ? new Date(due.getTime() - 3_600_000) : null,
          ],
        );
      }
    }

    async function rows(): Promise<Row[]> {
      return t.db.query<Row>(
        `SELECT id::int AS id, status, state_key AS state, sector, team_id::int AS team,
           assignee_user_id::int AS assignee, first_answered_at AS answered, first_answer_due_at AS due
         FROM desk_inquiries ORDER BY id`,
      );
    }

    async function assertCountsExact(step: string) {
      const key = (r: { status: string; state: string; sector: string; team: number | null; answered: boolean }) =>
        `${r.status}|${r.state}|${r.sector}|${r.team ?? '-'}|${r.answered}`;
      const want = new Map<string, number>();
      for (const r of await rows()) {
        const k = key({ ...r, answered: r.answered !== null });
        want.set(k, (want.get(k) ?? 0) + 1);
      }
      const got = new Map<string, number>();
      for (const c of await t.db.query<{
        status: string;
        state: string;
        sector: string;
        team: number | null;
        answered: boolean;
        n: number;
      }>(
        `SELECT status, state_key AS state, sector, team_id::int AS team, answered, n::int AS n
         FROM desk_queue_counts WHERE n > 0`,
      )) {
        got.set(key(c), c.n);
      }
      assert.deepEqual(
        [...got.entries()].sort(),
        [...want.entries()].sort(),
        `${step}: desk_queue_counts equals the GROUP BY`,
      );
    }

    type Filter = Omit<repo.QueueFilter, 'now' | 'limit' | 'offset'>;
    const filters = (): [string, Filter][] => {
      const u = users[0]!;
      const base = { userId: u, teamIds: [] as number[], statuses: OPEN };
      return [
        ['centre-wide', { ...base, scopes: [{ stateKey: null, topic: null }] }],
        ['one Land', { ...base, scopes: [{ stateKey: '16', topic: null }] }],
        [
          'two Länder, all states',
          {
            ...base,
            scopes: [
              { stateKey: '16', topic: null },
              { stateKey: '03', topic: null },
            ],
            statuses: STATUSES,
          },
        ],
        ['a topic', { ...base, scopes: [{ stateKey: null, topic: 'bildung' }] }],
        ['a Land and topic pair', { ...base, scopes: [{ stateKey: '09', topic: 'verwaltung' }] }],
        ['team member without scope', { ...base, scopes: [], teamIds: [teams[0]!, teams[2]!] }],
        ['Land, team and assignee', { ...base, scopes: [{ stateKey: '03', topic: null }], teamIds: [teams[1]!] }],
        ['assignee only', { ...base, scopes: [] }],
        ['mine', { ...base, scopes: [{ stateKey: null, topic: null }], mine: true, statuses: STATUSES }],
        ['one team of a Land', { ...base, scopes: [{ stateKey: '16', topic: null }], teamId: teams[0]! }],
        ['answered only', { ...base, scopes: [{ stateKey: '16', topic: null }], statuses: ['answered'] }],
      ];
    };

    /** What the queue must show, by filtering every row in memory. */
    function bruteForce(all: Row[], f: Filter) {
      const everything = !f.mine && f.scopes.some((s) => s.stateKey === null && s.topic === null);
      const inScope = (r: Row) =>
        f.scopes.some(
          (s) => (s.stateKey === null || s.stateKey === r.state) && (s.topic === null || s.topic === r.sector),
        ) ||
        (r.team !== null && f.teamIds.includes(r.team));
      const visible = all.filter(
        (r) =>
          f.statuses.includes(r.status) &&
          (f.teamId == null || r.team === f.teamId) &&
          (everything || r.assignee === f.userId || (!f.mine && inScope(r))),
      );
      const ordered = [...visible].sort(
        (x, y) =>
          Number(x.answered !== null) - Number(y.answered !== null) || x.due.getTime() - y.due.getTime() || x.id - y.id,
      );
      return {
        total: visible.length,
        overdue: visible.filter((r) => r.answered === null && r.status !== 'closed' && r.due < NOW).length,
        first: ordered.slice(0, 20).map((r) => r.id),
        second: ordered.slice(20, 40).map((r) => r.id),
      };
    }

    async function assertQueues(step: string) {
      const all = await rows();
      for (const [name, f] of filters()) {
        const want = bruteForce(all, f);
        const p1 = await repo.queue(t.db, { ...f, now: NOW, limit: 20, offset: 0 });
        const p2 = await repo.queue(t.db, { ...f, now: NOW, limit: 20, offset: 20 });
        const got = {
          total: p1.total,
          overdue: p1.overdue,
          first: p1.rows.map((r) => r.id),
          second: p2.rows.map((r) => r.id),
        };
        assert.deepEqual(got, want, `${step}, ${name}`);
      }
    }

    test('after inserts the groups and every scope’s counts and pages are exact', async () => {
      await insert(300);
      await assertCountsExact('insert');
      await assertQueues('insert');
      const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM desk_queue_counts');
      assert.ok(n > 50 && n < 300, `inquiries are grouped (${n} groups for 300 inquiries)`);
    });

    test('after transitions, hand-overs between teams, answers and reopening', async () => {
      const all = await rows();
      for (const r of all.filter(() => rnd() < 0.5)) {
        const status = pick(STATUSES);
        await t.db.query(
          `UPDATE desk_inquiries SET status = $2, team_id = $3, assignee_user_id = $4, first_answered_at = $5,
             version = version + 1 WHERE id = $1`,
          [
            r.id,
            status,
            rnd() < 0.5 ? r.team : rnd() < 0.2 ? null : pick(teams),
            rnd() < 0.5 ? r.assignee : pick(users),
            status === 'answered' || status === 'closed' ? (r.answered ?? NOW) : rnd() < 0.5 ? null : r.answered,
          ],
        );
      }
      // updates that touch no counted column leave the groups alone
      await t.db.query("UPDATE desk_inquiries SET subject = 'Geändert', escalated_at = $1", [NOW]);
      // a bulk update of many rows in one statement
      await t.db.query("UPDATE desk_inquiries SET sector = 'bildung' WHERE sector = 'mobilitaet' AND id % 2 = 0");
      await assertCountsExact('update');
      await assertQueues('update');
    });

    test('after deletes, a team deleted (SET NULL) and a municipality erased (CASCADE)', async () => {
      await t.db.query('DELETE FROM desk_inquiries WHERE id % 7 = 0');
      await assertCountsExact('delete');
      await t.db.query('DELETE FROM desk_teams WHERE id = $1', [teams[1]]);
      await assertCountsExact('team deleted');
      await t.db.query('DELETE FROM organisations WHERE id = $1', [orgs[2]!.id]);
      await assertCountsExact('municipality erased');
      await assertQueues('after deletions');
      const [{ negative } = { negative: -1 }] = await t.db.query<{ negative: number }>(
        'SELECT count(*)::int AS negative FROM desk_queue_counts WHERE n < 0',
      );
      assert.equal(negative, 0);
    });

    test('inside a rolled-back transaction the groups roll back with the rows', async () => {
      const before = await t.db.query('SELECT * FROM desk_queue_counts ORDER BY 1, 2, 3, 4, 5');
      await assert.rejects(
        t.db.transaction(async (tx) => {
          await tx.query("UPDATE desk_inquiries SET status = 'closed'");
          throw new Error('abort');
        }),
        /abort/,
      );
      assert.deepEqual(await t.db.query('SELECT * FROM desk_queue_counts ORDER BY 1, 2, 3, 4, 5'), before);
      await assertCountsExact('rollback');
    });
  });
}
