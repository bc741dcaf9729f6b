import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createI18n, MODULES } from '../../modules.js';
import { ConfigError, loadConfig, missingOperatorSettings } from '../config.js';
import { type Catalogue, formatDate, formatNumber, I18n, negotiateLang, placeholders } from '../i18n/i18n.js';
import { messages as platformMessages } from '../messages.js';

test('translator fills placeholders', () => {
  const i18n = createI18n();
  assert.equal(i18n.translator('de')('search.results', { count: '1.234' }), '1.234 Treffer');
  assert.equal(i18n.translator('en')('search.results', { count: '1,234' }), '1,234 results');
});

/** Problems of one catalogue: keys in one language only, empty texts, placeholders that differ. */
function catalogueProblems(c: Catalogue): string[] {
  const problems: string[] = [];
  const names = (s: string) => [...new Set(placeholders(s))].join(',');
  for (const key of Object.keys(c.en)) if (!(key in c.de)) problems.push(`${key}: English only`);
  for (const [key, de] of Object.entries(c.de)) {
    const en = c.en[key];
    if (en === undefined) {
      problems.push(`${key}: German only`);
      continue;
    }
    if (!de.trim()) problems.push(`${key}: empty in German`);
    if (!en.trim()) problems.push(`${key}: empty in English`);
    if (names(de) !== names(en))
      problems.push(`${key}: placeholders {${names(de)}} in German, {${names(en)}} in English`);
  }
  return problems;
}

test('every catalogue: the same keys in German and English, no empty text, the same placeholders', () => {
  const catalogues = [platformMessages, ...MODULES.map((m) => m.messages)];
  assert.equal(catalogues.length, MODULES.length + 1);
  for (const c of catalogues) {
    assert.ok(Object.keys(c.de).length > 0, `${c.module}: no messages`);
    assert.deepEqual(catalogueProblems(c), [], `catalogue of ${c.module}`);
  }
});

test('the parity check finds what it should', () => {
  assert.deepEqual(
    catalogueProblems({
      module: 'x',
      de: { a: 'A {n}', b: '', c: 'C' },
      en: { a: 'A {count}', b: 'B', d: 'D' },
    }),
    ['d: English only', 'a: placeholders {n} in German, {count} in English', 'b: empty in German', 'c: German only'],
  );
});

test('two modules cannot define the same message key', () => {
  assert.throws(
    () =>
      new I18n([
        { module: 'a', de: { 'x.y': 'A' }, en: { 'x.y': 'A' } },
        { module: 'b', de: { 'x.y': 'B' }, en: { 'x.y': 'B' } },
      ]),
    /"x.y" is defined by both a and b/,
  );
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

test('config: the operator details for imprint, privacy and accessibility contact; missing ones are named', () => {
  const unset = loadConfig({});
  assert.deepEqual(missingOperatorSettings(unset.operator), [
    'OPERATOR_NAME',
    'OPERATOR_ADDRESS',
    'OPERATOR_EMAIL',
    'PRIVACY_CONTACT',
    'ACCESSIBILITY_CONTACT',
  ]);
  const set = loadConfig({
    OPERATOR_NAME: 'Landkreis Beispiel',
    OPERATOR_ADDRESS: 'Musterstraße 1 | 12345 Musterstadt',
    OPERATOR_EMAIL: 'digital@landkreis-beispiel.de',
    PRIVACY_CONTACT: 'datenschutz@landkreis-beispiel.de',
    ACCESSIBILITY_CONTACT: ' barrierefrei@landkreis-beispiel.de ',
  });
  assert.deepEqual(missingOperatorSettings(set.operator), []);
  assert.equal(set.operator.accessibilityContact, 'barrierefrei@landkreis-beispiel.de');
  assert.equal(set.operator.phone, null);
  assert.deepEqual(missingOperatorSettings(loadConfig({ ...{ OPERATOR_NAME: 'X' }, PRIVACY_CONTACT: '  ' }).operator), [
    'OPERATOR_ADDRESS',
    'OPERATOR_EMAIL',
    'PRIVACY_CONTACT',
    'ACCESSIBILITY_CONTACT',
  ]);
  assert.throws(
    () => loadConfig({ OPERATOR_EMAIL: 'keine Adresse' }),
    (err: ConfigError) => err instanceof ConfigError && err.variable === 'OPERATOR_EMAIL',
  );
});

test('config: links come from BASE_URL; without it only on a loopback address (http://localhost:PORT)', () => {
  const local = loadConfig({ PORT: '4201' });
  assert.equal(local.host, '127.0.0.1', 'listens on this machine only by default');
  assert.equal(local.publicUrl, 'http://localhost:4201');
  assert.equal(loadConfig({ HOST: '::1' }).publicUrl, 'http://localhost:3000');
  assert.throws(
    () => loadConfig({ HOST: '0.0.0.0' }),
    (err: ConfigError) => err.variable === 'BASE_URL' && /mail/.test(err.message),
  );
  const prod = loadConfig({ HOST: '0.0.0.0', BASE_URL: 'https://lotse.example.de/' });
  assert.equal(prod.publicUrl, 'https://lotse.example.de');
  assert.equal(loadConfig({ BASE_URL: 'https://example.de/lotse/' }).publicUrl, 'https://example.de/lotse');
  for (const bad of [
    'https://user:pw@example.de',
    'https://example.de/?x=1',
    'https://example.de/#a',
    'lotse.example.de',
  ]) {
    assert.throws(
      () => loadConfig({ BASE_URL: bad }),
      (err: ConfigError) => err.variable === 'BASE_URL',
      bad,
    );
  }
});

test('config: TRUST_PROXY is a number of hops or a list of proxy addresses, never "trust everything"', () => {
  assert.equal(loadConfig({}).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
  assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, 1, 'true means one proxy in front');
  assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  assert.deepEqual(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy, ['10.0.0.1', '192.168.0.0/16']);
  for (const bad of ['maybe', '99', 'proxy.example.de']) {
    assert.throws(
      () => loadConfig({ TRUST_PROXY: bad }),
      (err: ConfigError) => err.variable === 'TRUST_PROXY',
      bad,
    );
  }
});
