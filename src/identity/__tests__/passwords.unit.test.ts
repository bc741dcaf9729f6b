import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createI18n } from '../../modules.js';
import {
  ARGON2_PARAMS,
  checkPasswordPolicy,
  DUMMY_HASH,
  hashPassword,
  isCommonPassword,
  loadCommonPasswords,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from '../passwords.js';

const GOOD = 'Drei Eulen tanzen im Rathaus';

// ---------------------------------------------------------------------------------------------
// Hashing

test('hash and verify round trip; wrong password is false', async () => {
  const h = await hashPassword(GOOD);
  assert.equal(await verifyPassword(h, GOOD), true);
  assert.equal(await verifyPassword(h, `${GOOD}!`), false);
  assert.equal(await verifyPassword(h, ''), false);
});

test('the hash is argon2id with the chosen parameters and a random salt', async () => {
  const a = await hashPassword(GOOD);
  const b = await hashPassword(GOOD);
  assert.ok(a.startsWith('$argon2id$v=19$'), a);
  assert.ok(
    a.includes(`$m=${ARGON2_PARAMS.memoryCost},t=${ARGON2_PARAMS.timeCost},p=${ARGON2_PARAMS.parallelism}$`),
    a,
  );
  assert.notEqual(a, b);
  assert.equal(needsRehash(a), false);
});

test('malformed or hostile hashes verify as false and never throw', async () => {
  for (const bad of [
    '',
    'not a hash',
    '$argon2id$',
    '$argon2id$v=19$m=65536,t=3,p=1$!!!$???',
    '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234', // bcrypt
    '$argon2id$v=19$m=4294967295,t=3,p=1$o1HbXCrmdMgLbHcmBf9Z4Q$2xWdzRB5dMvGhBB890rTY2X73mp2+3kvrxU+lFf+Gc0',
    '$argon2id$v=19$m=65536,t=100000,p=1$o1HbXCrmdMgLbHcmBf9Z4Q$2xWdzRB5dMvGhBB890rTY2X73mp2+3kvrxU+lFf+Gc0',
    null as unknown as string,
    undefined as unknown as string,
  ]) {
    assert.equal(await verifyPassword(bad, GOOD), false, String(bad));
  }
});

test('NFC and NFD forms of the same password verify alike', async () => {
  const nfc = 'Grüße aus Münster'.normalize('NFC');
  const nfd = nfc.normalize('NFD');
  assert.notEqual(nfc, nfd);
  const h = await hashPassword(nfd);
  assert.equal(await verifyPassword(h, nfc), true);
});

test('needsRehash: other parameters or algorithm, malformed hash', () => {
  assert.equal(needsRehash(DUMMY_HASH), false, 'DUMMY_HASH must be regenerated with ARGON2_PARAMS');
  // OWASP minimum profile, argon2i, and garbage
  assert.equal(
    needsRehash('$argon2id$v=19$m=19456,t=2,p=1$bsyQbmNJfufv/WBO49Q2sg$KV6yf+e2Rqk1+JDYo2Z8JImvB3gacWmclH+bMWUc9xw'),
    true,
  );
  assert.equal(
    needsRehash('$argon2i$v=19$m=65536,t=3,p=1$o1HbXCrmdMgLbHcmBf9Z4Q$2xWdzRB5dMvGhBB890rTY2X73mp2+3kvrxU+lFf+Gc0'),
    true,
  );
  assert.equal(needsRehash('garbage'), true);
});

test('verifyAgainstDummy is false and costs about as much as a real verification', async () => {
  const h = await hashPassword(GOOD);
  await verifyPassword(h, 'warm up the thread pool');
  // Fastest of 3 runs each: robust against other load on a shared test machine.
  const fastest = async (fn: () => Promise<boolean>) => {
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      assert.equal(await fn(), false);
      best = Math.min(best, performance.now() - t0);
    }
    return best;
  };
  const real = await fastest(() => verifyPassword(h, 'wrong password here'));
  const dummy = await fastest(() => verifyAgainstDummy('wrong password here'));
  // Same parameters, so the same work; generous bounds for a busy machine.
  assert.ok(dummy > real / 3 && dummy < real * 3, `dummy ${dummy.toFixed(1)} ms vs real ${real.toFixed(1)} ms`);
});

// ---------------------------------------------------------------------------------------------
// Policy

function code(pw: string, ctx = {}): string {
  const r = checkPasswordPolicy(pw, ctx);
  return r.ok ? 'ok' : r.code;
}

test('length: 11 characters refused, 12 accepted, 256 accepted, 257 refused', () => {
  assert.equal(MIN_PASSWORD_LENGTH, 12);
  assert.equal(MAX_PASSWORD_LENGTH, 256);
  assert.equal(code('kx7Tq9Lm2Wp'), 'too-short');
  assert.equal(code('kx7Tq9Lm2WpZ'), 'ok');
  const long = 'Zwei Eulen tanzen. '.repeat(14); // 266
  assert.equal(code(long.slice(0, 256)), 'ok');
  assert.equal(code(long.slice(0, 257)), 'too-long');
});

test('length counts Unicode code points after NFC', () => {
  // 11 emoji are 22 UTF-16 units but 11 code points: too short; 12 are enough.
  assert.equal(code('🦉🌳🏛🚲🎻🧭🍄🪁🦔🌋🧊'), 'too-short');
  assert.equal(code('🦉🌳🏛🚲🎻🧭🍄🪁🦔🌋🧊🐝'), 'ok');
  // "ü" decomposed is two code points, composed one: "Müllabfuhr!" (11) stays too short in NFD form.
  assert.equal(code('Müllabfuhr!'.normalize('NFD')), 'too-short');
  assert.equal(code('Müllabfuhr!x'.normalize('NFD')), 'ok');
});

test('messages in German and English', () => {
  const r = checkPasswordPolicy('kurz');
  assert.equal(r.ok, false);
  if (!r.ok) {
    const i18n = createI18n();
    assert.match(i18n.translator('de')(r.key, r.params), /mindestens 12 Zeichen/);
    assert.match(i18n.translator('en')(r.key, r.params), /at least 12 characters/);
  }
});

test('common passwords are refused: English and German list entries', () => {
  assert.equal(code('123456789012'), 'common');
  assert.equal(code('iloveyou1234'), 'common');
  assert.equal(code('BASEBALL2024'), 'common');
  assert.equal(code('passwortpasswort'), 'common');
  assert.equal(code('kommunallotse'), 'common');
  assert.equal(code('Kommunallotse2025!'), 'common');
  assert.equal(code('schatzilein!!'), 'common');
  assert.equal(code('Hallo123456789'), 'common');
  assert.equal(code('Borussia Dortmund 09'), 'common');
  assert.equal(code('qwertzuiopü1'), 'common');
});

test('common passwords with trailing (and leading) digits and punctuation stripped', () => {
  assert.equal(code('Passwort1234!'), 'common');
  assert.equal(code('Password2024!!'), 'common');
  assert.equal(code('2024Geheimnis!'), 'common');
  assert.equal(code('Sommer2025!!!'), 'common');
  assert.equal(code('München1860!!'), 'common'); // umlaut transliterated: "muenchen"
  assert.equal(code('P4ssw0rt12345'), 'common'); // letter substitutions undone
});

test('trivial patterns are refused', () => {
  assert.equal(code('aaaaaaaaaaaa'), 'common');
  assert.equal(code('abcabcabcabc'), 'common');
  assert.equal(code('abcdefghijklm'), 'common');
  assert.equal(code('987654321098'), 'common');
});

test('good passwords are accepted', () => {
  for (const pw of [
    GOOD,
    'correct horse battery staple',
    'Wir fahren morgen nach Bielefeld?',
    'kx7Tq9Lm2WpZ',
    'Passwort ist ein schlechtes Passwort',
  ]) {
    assert.equal(code(pw), 'ok', pw);
  }
  assert.equal(isCommonPassword(GOOD), false);
  assert.equal(isCommonPassword('Passwort1234!'), true);
});

test('passwords containing the e-mail local part (≥ 4 characters) are refused', () => {
  const ctx = { email: 'Jana.Schneider@beispiel-gemeinde.de' };
  assert.equal(code('jana.schneider2025', ctx), 'contains-email');
  assert.equal(code('Schneiderei-Ausverkauf!', ctx), 'contains-email'); // part "schneider"
  assert.equal(code('Jana ist toll, wirklich!', ctx), 'contains-email'); // part "jana"
  // Local part shorter than 4 characters: not checked.
  assert.equal(code('Ein Bob ist kein Baumeister', { email: 'bob@example.org' }), 'ok');
  assert.equal(code(GOOD, ctx), 'ok');
});

test('the user name plus digits is refused as common', () => {
  const r = checkPasswordPolicy('Heinrich-Mueller1970!', { name: 'Heinrich Müller' });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.code, 'common');
    assert.match(createI18n().translator('de')(r.key, r.params), /Namen/);
  }
  assert.equal(code('Heinrich mag Kirschkuchen', { name: 'Heinrich Müller' }), 'ok');
});

test('the common-password list loads lazily, is large and loads fast', () => {
  const info = loadCommonPasswords();
  assert.ok(info.size > 49_000, `size ${info.size}`);
  assert.ok(info.ms < 500, `load took ${info.ms} ms`); // ≈ 20 ms; generous bound for a busy CI machine
  assert.equal(loadCommonPasswords(), info, 'loaded once');
});
