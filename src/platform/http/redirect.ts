/**
 * The one safe-redirect helper: every redirect to a target that came with a request (`weiter`, `zurueck`,
 * the return address after single sign-on) goes through `safeLocalPath`. Only a path on this site is
 * accepted; everything a browser could read as another host is refused:
 * - `//evil.example`, `/\evil.example` (browsers treat `\` like `/`), `/%5Cevil.example` after decoding;
 * - control characters and whitespace anywhere (`/\t/evil.example` — browsers strip tabs and line breaks
 *   from URLs, leaving `//evil.example`), CR/LF (header injection);
 * - absolute URLs (`https://…`, `javascript:`), which do not start with `/`.
 * Non-ASCII characters are percent-encoded so the Location header stays valid.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused here
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;
const MAX_LENGTH = 2000;

export function safeLocalPath(value: unknown, fallback = '/'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return fallback;
  if (!value.startsWith('/')) return fallback;
  if (value.includes('\\') || CONTROL_OR_SPACE.test(value)) return fallback;
  if (value.startsWith('//')) return fallback;
  // What a browser or a proxy might decode once more must be safe too.
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return fallback;
  }
  if (decoded.startsWith('//') || decoded.includes('\\') || CONTROL_OR_SPACE.test(decoded)) return fallback;
  // Keep the path's own escapes, encode what a header may not carry (non-ASCII).
  return value.replace(/[^\u0021-\u007e]/gu, (c) => encodeURIComponent(c));
}
