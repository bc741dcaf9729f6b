import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderMessage } from '../../../platform/mail/eml.js';
import { absolute, DEFAULT_DELIVERY, defaults, digestCutoff, isLocalPath, route } from '../model.js';
import { isCurrent, signUnsubscribe, type UnsubscribeClaims, unsubscribeKey, verifyUnsubscribe } from '../token.js';

const key = unsubscribeKey('x'.repeat(43));
const claims: UnsubscribeClaims = { userId: 42, scope: 'events', issuedAt: 1_780_000_000, generation: 3 };

describe('unsubscribe tokens', () => {
  test('a signed token verifies to its claims', () => {
    const token = signUnsubscribe(key, claims);
    assert.match(token, /^42\.events\.1780000000\.3\.[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(verifyUnsubscribe(key, token), claims);
    assert.deepEqual(verifyUnsubscribe(key, signUnsubscribe(key, { ...claims, scope: 'all' }))?.scope, 'all');
  });

  test('a tampered token is refused: other user, kind, time, generation or mac', () => {
    const token = signUnsubscribe(key, claims);
    const [, , , , mac] = token.split('.');
    for (const forged of [
      `43.events.1780000000.3.${mac}`,
      `42.all.1780000000.3.${mac}`,
      `42.events.1780000001.3.${mac}`,
      `42.events.1780000000.4.${mac}`,
      `042.events.1780000000.3.${mac}`,
      `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`,
      `42.unknown.1780000000.3.${mac}`,
      token.slice(0, -2),
      `${token}.x`,
      '',
    ]) {
      assert.equal(verifyUnsubscribe(key, forged), null, forged);
    }
  });

  test('another secret (or the same secret used for something else) does not verify', () => {
    const token = signUnsubscribe(key, claims);
    assert.equal(verifyUnsubscribe(unsubscribeKey('y'.repeat(43)), token), null);
    // The key is derived (HKDF), not the secret itself: an HMAC with the raw secret is not a valid mac.
    assert.notDeepEqual(key, Buffer.from('x'.repeat(43)));
  });

  test('a raised generation makes earlier tokens invalid', () => {
    const c = verifyUnsubscribe(key, signUnsubscribe(key, claims))!;
    assert.equal(isCurrent(c, 3), true);
    assert.equal(isCurrent(c, 4), false);
  });
});

describe('delivery decision', () => {
  test('the default is an immediate mail for every kind', () => {
    assert.equal(DEFAULT_DELIVERY, 'immediate');
    assert.deepEqual(defaults(), {
      inquiry: 'immediate',
      events: 'immediate',
      groups: 'immediate',
      mentoring: 'immediate',
    });
  });

  test('each choice routes; essential notifications always go as a mail at once', () => {
    assert.equal(route({}, 'immediate'), 'mail');
    assert.equal(route({}, 'daily'), 'daily');
    assert.equal(route({}, 'weekly'), 'weekly');
    assert.equal(route({}, 'none'), 'drop');
    assert.equal(route({ essential: false }, 'none'), 'drop');
    for (const d of ['immediate', 'daily', 'weekly', 'none'] as const)
      assert.equal(route({ essential: true }, d), 'mail');
  });

  test('links are local paths only, made absolute with the public URL', () => {
    assert.equal(isLocalPath('/beratung/anfragen/12'), true);
    for (const bad of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'beratung', '/a b', '']) {
      assert.equal(isLocalPath(bad), false, bad);
    }
    assert.equal(absolute('https://lotse.example', '/a'), 'https://lotse.example/a');
    assert.equal(absolute('https://lotse.example/pfad/', '/a'), 'https://lotse.example/pfad/a');
  });
});

describe('digest times (Europe/Berlin)', () => {
  const at = (iso: string) => new Date(iso).toISOString();
  test('daily: from 07:00 local time; before it, yesterday 07:00', () => {
    // Summer time (UTC+2): 07:00 Berlin is 05:00 UTC.
    assert.equal(digestCutoff('daily', new Date('2026-06-03T05:00:00Z')).toISOString(), at('2026-06-03T05:00:00Z'));
    assert.equal(digestCutoff('daily', new Date('2026-06-03T04:59:59Z')).toISOString(), at('2026-06-02T05:00:00Z'));
    // Winter time (UTC+1): 06:00 UTC.
    assert.equal(digestCutoff('daily', new Date('2026-12-02T12:00:00Z')).toISOString(), at('2026-12-02T06:00:00Z'));
    // The day summer time begins (29 March 2026): still 07:00 local.
    assert.equal(digestCutoff('daily', new Date('2026-03-29T10:00:00Z')).toISOString(), at('2026-03-29T05:00:00Z'));
  });

  test('weekly: the latest Monday 07:00', () => {
    // Wednesday 3 June 2026 → Monday 1 June.
    assert.equal(digestCutoff('weekly', new Date('2026-06-03T12:00:00Z')).toISOString(), at('2026-06-01T05:00:00Z'));
    // Monday 8 June before 07:00 → Monday 1 June; after → 8 June.
    assert.equal(digestCutoff('weekly', new Date('2026-06-08T04:00:00Z')).toISOString(), at('2026-06-01T05:00:00Z'));
    assert.equal(digestCutoff('weekly', new Date('2026-06-08T05:30:00Z')).toISOString(), at('2026-06-08T05:00:00Z'));
    // Sunday 7 June → Monday 1 June.
    assert.equal(digestCutoff('weekly', new Date('2026-06-07T21:00:00Z')).toISOString(), at('2026-06-01T05:00:00Z'));
  });
});

describe('List-Unsubscribe headers (RFC 2369, RFC 8058)', () => {
  const base = {
    from: { name: null, address: 'noreply@lotse.example' },
    to: 'a@example.org',
    subject: 'Neu',
    text: 'x',
    date: new Date('2026-06-03T08:00:00Z'),
    messageId: '<1@lotse.example>',
    kind: 'desk-notification',
  };
  test('an https URL gets both headers; http only List-Unsubscribe; none without', () => {
    const https = renderMessage({ ...base, listUnsubscribe: 'https://lotse.example/api/v1/unsubscribe/t' });
    assert.match(https, /\r\nList-Unsubscribe: <https:\/\/lotse\.example\/api\/v1\/unsubscribe\/t>\r\n/);
    assert.match(https, /\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n/);
    const http = renderMessage({ ...base, listUnsubscribe: 'http://localhost/api/v1/unsubscribe/t' });
    assert.match(http, /List-Unsubscribe: <http:/);
    assert.doesNotMatch(http, /List-Unsubscribe-Post/);
    assert.doesNotMatch(renderMessage(base), /List-Unsubscribe/);
  });
});
