/**
 * The house rules, checked over the source tree on every `npm test`:
 * - a module imports another module only through its `index.ts` (the composition root may also read the
 *   declarations in `module.ts`);
 * - `src/platform/` imports no module;
 * - the modules' dependencies have no cycle;
 * - SQL appears only in `*.repository.ts` files and the database layer (`src/platform/db/`);
 * - a repository writes only its own module's tables, and every table a module's migrations create is
 *   declared in its `tables`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { allMigrations, MODULES } from '../../modules.js';
import { ROOT } from '../paths.js';

const SRC = path.join(ROOT, 'src');
const PLATFORM_TABLES = new Set([
  'mail_outbox',
  'domain_events',
  'event_cursors',
  'rate_limit_windows',
  'schema_migrations',
]);

function sourceFiles(dir = SRC, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== '__tests__' && e.name !== 'assets' && e.name !== 'migrations') sourceFiles(p, out);
    } else if (/\.tsx?$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The top folder under src/ a file belongs to ('' for the composition root files). */
function moduleOf(file: string): string {
  const rel = path.relative(SRC, file).split(path.sep);
  return rel.length > 1 ? rel[0]! : '';
}

/** Relative imports of a file, resolved to .ts/.tsx files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(
    /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g,
  )) {
    const spec = m[1] ?? m[2]!;
    const base = path.resolve(path.dirname(file), spec).replace(/\.js$/, '');
    const target = [`${base}.ts`, `${base}.tsx`].find((f) => fs.existsSync(f));
    if (target) out.push(target);
  }
  return out;
}

const FILES = sourceFiles();
const MODULE_NAMES = new Set(MODULES.map((m) => m.name));

test('the modules are exactly the folders under src/ besides platform', () => {
  const folders = fs
    .readdirSync(SRC, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'platform')
    .map((e) => e.name)
    .sort();
  assert.deepEqual(folders, [...MODULE_NAMES].sort());
  for (const m of MODULE_NAMES) {
    assert.ok(fs.existsSync(path.join(SRC, m, 'index.ts')), `${m} has a public index.ts`);
    assert.ok(fs.existsSync(path.join(SRC, m, 'module.ts')), `${m} declares itself in module.ts`);
  }
});

test('a module uses another module only through its index.ts; platform uses no module', () => {
  const violations: string[] = [];
  for (const file of FILES) {
    const from = moduleOf(file);
    for (const target of importsOf(file)) {
      const to = moduleOf(target);
      if (to === from || to === 'platform' || to === '') {
        if (from === 'platform' && to !== 'platform')
          violations.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
        continue;
      }
      const name = path.basename(target);
      const allowed = name === 'index.ts' || (from === '' && name === 'module.ts');
      if (from === 'platform' || !allowed)
        violations.push(`${path.relative(SRC, file)} → ${path.relative(SRC, target)}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('the modules depend on each other without a cycle', () => {
  const deps = new Map<string, Set<string>>();
  for (const file of FILES) {
    const from = moduleOf(file);
    if (!MODULE_NAMES.has(from)) continue;
    for (const target of importsOf(file)) {
      const to = moduleOf(target);
      if (MODULE_NAMES.has(to) && to !== from) {
        if (!deps.has(from)) deps.set(from, new Set());
        deps.get(from)!.add(to);
      }
    }
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const cycle: string[] = [];
  const visit = (m: string, trail: string[]): boolean => {
    if (state.get(m) === 'done') return false;
    if (state.get(m) === 'visiting') {
      cycle.push(...trail.slice(trail.indexOf(m)), m);
      return true;
    }
    state.set(m, 'visiting');
    for (const d of deps.get(m) ?? []) if (visit(d, [...trail, m])) return true;
    state.set(m, 'done');
    return false;
  };
  for (const m of MODULE_NAMES) if (visit(m, [])) break;
  assert.deepEqual(cycle, [], `module cycle: ${cycle.join(' → ')}`);
});

const SQL =
  /\b(SELECT\s[\s\S]*?\bFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|LOCK\s+TABLE|ANALYZE\s+\w+|CREATE\s+(TABLE|INDEX))\b/;
const QUERY_CALL = /\.(query|exec)(<[^>]*>)?\(\s*[`'"]/;

test('SQL only in repositories and the database layer', () => {
  const offenders = FILES.filter((f) => {
    const rel = path.relative(SRC, f);
    if (f.endsWith('.repository.ts') || rel.startsWith(path.join('platform', 'db'))) return false;
    const text = fs.readFileSync(f, 'utf8');
    return QUERY_CALL.test(text) || [...text.matchAll(/`[^`]*`|'[^'\n]*'/g)].some((m) => SQL.test(m[0]));
  }).map((f) => path.relative(SRC, f));
  assert.deepEqual(offenders, []);
});

test('a repository writes only its own module’s tables', () => {
  const owner = new Map<string, string>();
  for (const m of MODULES) for (const t of m.tables ?? []) owner.set(t, m.name);
  for (const t of PLATFORM_TABLES) owner.set(t, 'platform');
  const violations: string[] = [];
  for (const file of FILES.filter((f) => f.endsWith('.repository.ts'))) {
    const mod = moduleOf(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)\b(?:\s+AS\s+\w+)?(?=[\s(])/g)) {
      const table = m[1]!;
      if (['SET', 'set'].includes(table)) continue;
      const o = owner.get(table);
      if (!o) violations.push(`${path.relative(SRC, file)} writes ${table}, which no module declares`);
      else if (o !== mod) violations.push(`${path.relative(SRC, file)} writes ${table} of ${o}`);
    }
  }
  assert.deepEqual(violations, []);
});

test('every table a migration creates is declared by the module whose folder holds it', () => {
  const declared = new Map<string, string>();
  for (const m of MODULES) for (const t of m.tables ?? []) declared.set(t, m.name);
  const problems: string[] = [];
  const created = new Set<string>();
  for (const mig of allMigrations()) {
    const folder = path.relative(SRC, mig.dir).split(path.sep)[0]!;
    for (const m of mig.sql.matchAll(/CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?([a-z_]+)/gi)) {
      const table = m[1]!;
      created.add(table);
      const owner = folder === 'platform' ? (PLATFORM_TABLES.has(table) ? 'platform' : undefined) : declared.get(table);
      if (owner !== folder)
        problems.push(`${mig.version} ${mig.name} creates ${table}, declared by ${owner ?? 'nobody'}`);
    }
  }
  for (const [t, m] of declared) if (!created.has(t)) problems.push(`${m} declares ${t}, which no migration creates`);
  assert.deepEqual(problems, []);
});
