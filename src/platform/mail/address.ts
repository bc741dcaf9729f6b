import { domainToASCII, domainToUnicode } from 'node:url';

export type EmailCheck = { ok: true; email: string } | { ok: false; problem: 'invalid' | 'non-ascii-local' };

/**
 * Check and normalise an e-mail address for storage and lookup: trimmed, lower case, the domain in its Unicode
 * form (so "müller.de" and "xn--mller-kva.de" are the same address; mails go out with the ASCII form).
 * An internationalised domain is accepted; a non-ASCII part before the @ is refused with its own reason,
 * because delivering it needs SMTPUTF8, which many mail servers of municipalities do not offer.
 */
export function checkEmail(input: string): EmailCheck {
  const value = input.trim().toLowerCase().normalize('NFC');
  if (value.length > 254) return { ok: false, problem: 'invalid' };
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return { ok: false, problem: 'invalid' };
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (/[\s@<>()",;:\\[\]]/.test(local) || /[\s@<>()",;:\\[\]]/.test(domain)) return { ok: false, problem: 'invalid' };
  if (!/^[\x21-\x7e]+$/.test(local)) return { ok: false, problem: 'non-ascii-local' };
  const ascii = domainToASCII(domain);
  if (!ascii?.includes('.') || ascii.startsWith('.') || ascii.endsWith('.') || ascii.includes('..')) {
    return { ok: false, problem: 'invalid' };
  }
  return { ok: true, email: `${local}@${domainToUnicode(ascii)}` };
}

/** The normalised address, or null when it is not one the platform can use. */
export function normaliseEmail(input: string): string | null {
  const r = checkEmail(input);
  return r.ok ? r.email : null;
}
