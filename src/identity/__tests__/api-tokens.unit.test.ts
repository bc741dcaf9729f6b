import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { createI18n, MODULES } from '../../modules.js';
import { hashToken } from '../../platform/crypto.js';
import type { Db } from '../../platform/db/db.js';
import { AppError, ValidationError } from '../../platform/errors.js';
import { bearerToken, InsufficientScopeError, requireScope } from '../../platform/http/auth.js';
import {
  hasScope,
  looksLikeApiToken,
  newApiToken,
  parseTokenInput,
  resolveApiToken,
  scopeCatalogue,
  tokenStatus,
} from '../api-tokens.service.js';
import type { ApiTokenRow } from '../tokens.repository.js';

describe('API token format', () => {
  test('klt_ and 43 base64url characters, different every time', () => {
    const a = newApiToken();
    const b = newApiToken();
    assert.match(a, /^klt_[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, b);
    assert.ok(looksLikeApiToken(a));
    assert.equal(looksLikeApiToken(a.slice(0, -1)), false);
    assert.equal(looksLikeApiToken(`${a}x`), false);
    assert.equal(looksLikeApiToken(a.replace('klt_', 'kls_')), false);
    assert.equal(looksLikeApiToken(`klt_${'+'.repeat(43)}`), false);
  });

  test('only the SHA-256 is stored: 64 hex characters', () => {
    assert.match(hashToken(newApiToken()), /^[0-9a-f]{64}$/);
  });
});

const catalogue = scopeCatalogue(MODULES);

describe('scopes', () => {
  test('every scope a module declares gets read and write, with a name', () => {
    const declared = MODULES.flatMap((m) => Object.keys(m.tokenScopes ?? {}));
    assert.equal(catalogue.all.length, declared.length * 2);
    assert.deepEqual(catalogue.all.slice(0, 2), ['register:read', 'register:write']);
    assert.ok(catalogue.all.includes('register:read'));
    assert.equal((catalogue.all as string[]).includes('register:admin'), false);
    assert.equal((catalogue.all as string[]).includes('admin:write'), false);
    const i18n = createI18n();
    for (const key of Object.values(catalogue.names)) assert.ok(i18n.has(key), key);
  });

  test('a module that declares a scope gets it on the form', () => {
    const c = scopeCatalogue([
      { tokenScopes: { register: 'register.scope' } },
      { tokenScopes: { desk: 'register.scope' } },
    ]);
    assert.deepEqual(c.all, ['register:read', 'register:write', 'desk:read', 'desk:write']);
  });

  test('write includes read, not the other way round, and never another module', () => {
    assert.ok(hasScope(['register:read'], 'register:read'));
    assert.ok(hasScope(['register:write'], 'register:read'));
    assert.ok(hasScope(['register:write'], 'register:write'));
    assert.equal(hasScope(['register:read'], 'register:write'), false);
    assert.equal(hasScope([], 'register:read'), false);
    assert.equal(hasScope(['other:write'], 'register:read'), false);
  });
});

describe('parseTokenInput', () => {
  const ok = { name: ' Abgleich ', scopes: 'register:read', expiryDays: '90' };
  const fields = (raw: Record<string, unknown>) => {
    try {
      parseTokenInput(raw as never, catalogue);
    } catch (err) {
      assert.ok(err instanceof ValidationError);
      return err.fieldErrors.map((e) => e.field);
    }
    return [];
  };

  test('accepts a valid form: name trimmed, scopes in canonical order', () => {
    assert.deepEqual(parseTokenInput(ok, catalogue), { name: 'Abgleich', scopes: ['register:read'], expiryDays: 90 });
    assert.deepEqual(parseTokenInput({ ...ok, scopes: ['register:write', 'register:read'] }, catalogue).scopes, [
      'register:read',
      'register:write',
    ]);
    assert.equal(parseTokenInput({ ...ok, expiryDays: ' 365 ' }, catalogue).expiryDays, 365);
    assert.equal(parseTokenInput({ ...ok, expiryDays: '1' }, catalogue).expiryDays, 1);
    assert.equal(parseTokenInput({ ...ok, name: 'a\u0000b\nc' }, catalogue).name, 'a b c');
    assert.equal(parseTokenInput({ ...ok, name: 'n'.repeat(100) }, catalogue).name.length, 100);
  });

  test('names every wrong field', () => {
    assert.deepEqual(fields({}), ['name', 'scopes', 'expiryDays']);
    assert.deepEqual(fields({ ...ok, name: '   ' }), ['name']);
    assert.deepEqual(fields({ ...ok, name: 'n'.repeat(101) }), ['name']);
    assert.deepEqual(fields({ ...ok, scopes: [] }), ['scopes']);
    assert.deepEqual(fields({ ...ok, scopes: ['register:read', 'register:delete'] }), ['scopes']);
    for (const days of ['0', '366', '400', '-1', '1.5', '1e2', 'abc', '', '00000000000000001']) {
      assert.deepEqual(fields({ ...ok, expiryDays: days }), ['expiryDays'], days);
    }
    assert.deepEqual(fields({ ...ok, expiryDays: 30 }), ['expiryDays'], 'form values are strings');
  });

  test('messages follow the language', () => {
    const i18n = createI18n();
    assert.throws(
      () => parseTokenInput({ ...ok, scopes: [] }, catalogue),
      (err: ValidationError) =>
        /Select at least one permission/.test(i18n.text('en', err.fieldErrors[0]!.text)) &&
        /mindestens eine Berechtigung/i.test(i18n.text('de', err.fieldErrors[0]!.text)),
    );
  });
});

describe('tokenStatus', () => {
  const at = new Date('2026-01-10T12:00:00Z');
  test('revoked before expired before active', () => {
    assert.equal(tokenStatus({ expiresAt: new Date('2026-02-01'), revokedAt: null }, at), 'active');
    assert.equal(tokenStatus({ expiresAt: at, revokedAt: null }, at), 'expired');
    assert.equal(tokenStatus({ expiresAt: new Date('2025-01-01'), revokedAt: new Date('2024-12-01') }, at), 'revoked');
  });
});

describe('resolveApiToken', () => {
  const at = new Date('2026-01-10T12:00:00Z');
  function fakeDb(row: Partial<ApiTokenRow> | null) {
    const calls: string[] = [];
    const db = {
      kind: 'pglite',
      async query(sql: string) {
        calls.push(sql.trim().split(/\s+/)[0]!);
        if (sql.includes('SELECT') && row) {
          return [
            {
              id: 7,
              userId: 3,
              name: 'x',
              prefix: 'klt_abcd',
              scopes: ['register:read'],
              createdAt: new Date('2026-01-01'),
              expiresAt: new Date('2026-02-01'),
              lastUsedAt: null,
              revokedAt: null,
              ...row,
            },
          ];
        }
        return [];
      },
    } as unknown as Db;
    return { db, calls };
  }

  test('a malformed token never reaches the database', async () => {
    const { db, calls } = fakeDb({});
    assert.equal(await resolveApiToken({ db, now: () => at }, 'klt_short'), null);
    assert.deepEqual(calls, []);
  });

  test('active: identity returned; last use recorded at most once a minute', async () => {
    const fresh = fakeDb({ lastUsedAt: new Date(at.getTime() - 30_000) });
    assert.deepEqual(await resolveApiToken({ db: fresh.db, now: () => at }, newApiToken()), {
      tokenId: 7,
      userId: 3,
      scopes: ['register:read'],
    });
    assert.deepEqual(fresh.calls, ['SELECT'], 'used 30 s ago: no write');
    const stale = fakeDb({ lastUsedAt: new Date(at.getTime() - 120_000) });
    await resolveApiToken({ db: stale.db, now: () => at }, newApiToken());
    assert.deepEqual(stale.calls, ['SELECT', 'UPDATE']);
    const never = fakeDb({});
    await resolveApiToken({ db: never.db, now: () => at }, newApiToken());
    assert.deepEqual(never.calls, ['SELECT', 'UPDATE']);
  });

  test('unknown, expired and revoked tokens resolve to null without a write', async () => {
    for (const row of [null, { expiresAt: at }, { revokedAt: new Date('2026-01-05') }]) {
      const f = fakeDb(row);
      assert.equal(await resolveApiToken({ db: f.db, now: () => at }, newApiToken()), null);
      assert.deepEqual(f.calls, ['SELECT']);
    }
  });
});

describe('Bearer header and requireScope', () => {
  test('bearerToken reads the credentials of the Bearer scheme only', () => {
    assert.equal(bearerToken('Bearer klt_abc'), 'klt_abc');
    assert.equal(bearerToken('bearer   klt_abc  '), 'klt_abc');
    assert.equal(bearerToken('Bearer'), '');
    assert.equal(bearerToken('Bearer a b'), 'a b');
    assert.equal(bearerToken('Basic dXNlcjpwdw=='), null);
    assert.equal(bearerToken('Bearerklt_abc'), null);
    assert.equal(bearerToken(undefined), null);
  });

  const request = (apiToken: { tokenId: number; userId: number; scopes: string[] } | null) =>
    ({ apiToken }) as unknown as FastifyRequest;

  test('no token: 401; too few scopes: 403 insufficient_scope; enough: the identity', () => {
    assert.throws(
      () => requireScope(request(null), 'register:read'),
      (err: AppError) => err instanceof AppError && err.status === 401,
    );
    assert.throws(
      () => requireScope(request({ tokenId: 1, userId: 2, scopes: ['register:read'] }), 'register:write'),
      (err: AppError) =>
        err instanceof InsufficientScopeError && err.status === 403 && err.extra.requiredScope === 'register:write',
    );
    const token = { tokenId: 1, userId: 2, scopes: ['register:write'] };
    assert.equal(requireScope(request(token), 'register:read'), token);
    assert.equal(requireScope(request(token), 'register:write'), token);
  });
});
