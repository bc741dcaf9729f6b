import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../config.js';
import { de, en, formatDate, formatNumber, negotiateLang, translator } from '../i18n/messages.js';

test('every message key exists in German and English, none empty', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(de).sort());
  for (const [k, v] of Object.entries(en)) assert.ok(v.trim(), `en ${k}`);
  for (const [k, v] of Object.entries(de)) assert.ok(v.trim(), `de ${k}`);
});

test('translator fills placeholders', () => {
  assert.equal(translator('de')('search.results', { count: '1.234' }), '1.234 Treffer');
  assert.equal(translator('en')('search.results', { count: '1,234' }), '1,234 results');
});

test('Accept-Language negotiation: German by default, q-values honoured', () => {
  assert.equal(negotiateLang(undefined), 'de');
  assert.equal(negotiateLang('en-US,en;q=0.9'), 'en');
  assert.equal(negotiateLang('fr-FR, en;q=0.5, de;q=0.8'), 'de');
  assert.equal(negotiateLang('fr, it'), 'de');
  assert.equal(negotiateLang('de;q=0, en'), 'en');
});

test('number and date formats per language', () => {
  assert.equal(formatNumber('de', 1234567.891, 1), '1.234.567,9');
  assert.equal(formatNumber('en', 1234567.891, 1), '1,234,567.9');
  assert.equal(formatDate('de', '2025-11-30'), '30.11.2025');
  assert.equal(formatDate('en', '2025-11-30'), '30/11/2025');
});

test('config: defaults, and a clear error naming the variable', () => {
  const c = loadConfig({});
  assert.equal(c.port, 3000);
  assert.equal(c.databaseUrl, null);
  assert.match(c.dataDir, /data$/);
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x@y/z' }).databaseUrl, 'postgres://x@y/z');
  for (const [env, variable] of [
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ BASE_URL: 'ftp://x' }, 'BASE_URL'],
  ] as const) {
    assert.throws(
      () => loadConfig(env),
      (err: ConfigError) => err instanceof ConfigError && err.variable === variable,
    );
  }
});
