import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeLocalPath } from '../http/redirect.js';

test('safeLocalPath keeps paths on this site', () => {
  for (const ok of ['/', '/kommunen', '/kommunen?q=M%C3%BCnchen', '/kommunen/09162000#karte', '/a/b?c=d&e=f']) {
    assert.equal(safeLocalPath(ok), ok);
  }
  assert.equal(safeLocalPath('/kommunen?q=München'), '/kommunen?q=M%C3%BCnchen', 'non-ASCII is encoded');
});

test('safeLocalPath refuses everything a browser could read as another host', () => {
  for (const bad of [
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example/',
    '/\n/evil.example',
    '/\r\nSet-Cookie: x=1',
    '/%5Cevil.example',
    '/%2F/evil.example',
    '/%09/evil.example',
    '/%0d%0aX: y',
    'https://evil.example/',
    'http:/evil.example',
    'javascript:alert(1)',
    'evil.example',
    '',
    ' /kommunen',
    '/\u2028evil',
    '/%E0%A4%A',
    `/${'a'.repeat(3000)}`,
  ]) {
    assert.equal(safeLocalPath(bad, '/konto'), '/konto', JSON.stringify(bad));
  }
  assert.equal(safeLocalPath(undefined, '/x'), '/x');
  assert.equal(safeLocalPath(['/a'] as unknown, '/x'), '/x');
});
