import { domainToASCII } from 'node:url';

/**
 * Rendering of one mail as an RFC 5322 message (CRLF line ends, RFC 2047 encoded headers,
 * quoted-printable UTF-8 bodies). The same text is written to DATA_DIR/outbox/*.eml and sent over SMTP.
 */

export class MailAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailAddressError';
  }
}

export interface Mailbox {
  name: string | null;
  address: string;
}

const CRLF = '\r\n';

/**
 * Validate an address and bring its domain into ASCII (IDNA). Non-ASCII local parts need SMTPUTF8,
 * which not every server offers, so they are refused.
 */
export function normalizeAddress(input: string): string {
  const value = input.trim();
  const match = /^([^\s@<>()",;:\\[\]]+)@([^\s@<>()",;:\\[\]]+)$/.exec(value);
  if (!match) throw new MailAddressError(`"${value}" is not an e-mail address`);
  const local = match[1]!;
  const domain = match[2]!;
  if (!/^[\x21-\x7e]+$/.test(local)) {
    throw new MailAddressError(`"${value}": only ASCII characters are supported before the @`);
  }
  const asciiDomain = domainToASCII(domain);
  if (!asciiDomain || asciiDomain.startsWith('.') || asciiDomain.endsWith('.')) {
    throw new MailAddressError(`"${value}": "${domain}" is not a valid domain`);
  }
  return `${local}@${asciiDomain}`;
}

/** Parse `address` or `Display Name <address>` (the name may be quoted). */
export function parseMailbox(input: string): Mailbox {
  const match = /^\s*(?:(.*?)\s*<([^<>]*)>|([^<>]*))\s*$/.exec(input);
  if (!match) throw new MailAddressError(`"${input}" is not a mailbox (use "Name <address>" or "address")`);
  let name = match[1]?.trim() || null;
  if (name?.startsWith('"') && name.endsWith('"') && name.length >= 2) {
    name = name.slice(1, -1).replace(/\\(.)/g, '$1').trim() || null;
  }
  if (name && /[\r\n]/.test(name)) throw new MailAddressError('a display name must not contain line breaks');
  return { name, address: normalizeAddress(match[2] ?? match[3] ?? '') };
}

// Characters that may stand for themselves inside a Q-encoded word in every header position (RFC 2047 5.3).
const Q_SAFE = /^[A-Za-z0-9!*+\-/]$/;
const MAX_ENCODED_WORD = 75;

function qToken(char: string): string {
  if (char === ' ') return '_';
  if (Q_SAFE.test(char)) return char;
  return [...Buffer.from(char, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function needsEncoding(value: string): boolean {
  return /[^\x20-\x7e]/.test(value) || value.includes('=?');
}

/**
 * A header value as RFC 2047 encoded words (`=?UTF-8?Q?…?=`) when it is not plain ASCII, each word at most
 * 75 characters and never splitting a character, folded with CRLF + space. `firstLineUsed` is the length of
 * `Name: ` before the value, so that the first line stays within 78 characters.
 */
export function encodeHeaderValue(value: string, firstLineUsed = 0): string {
  const clean = value.replace(/[\r\n\t]+/g, ' ');
  if (!needsEncoding(clean)) return clean;
  const prefix = '=?UTF-8?Q?';
  const suffix = '?=';
  const words: string[] = [];
  let budget = Math.max(Math.min(MAX_ENCODED_WORD, 78 - firstLineUsed), 20);
  let current = '';
  for (const char of clean) {
    const token = qToken(char);
    if (current && prefix.length + current.length + token.length + suffix.length > budget) {
      words.push(prefix + current + suffix);
      current = '';
      budget = MAX_ENCODED_WORD;
    }
    current += token;
  }
  words.push(prefix + current + suffix);
  return words.join(`${CRLF} `);
}

/** A mailbox for a From/To header: the display name quoted or encoded as needed. */
export function formatMailbox(mailbox: Mailbox, firstLineUsed = 0): string {
  if (!mailbox.name) return mailbox.address;
  let name: string;
  if (needsEncoding(mailbox.name)) name = encodeHeaderValue(mailbox.name, firstLineUsed);
  else if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]+$/.test(mailbox.name)) name = mailbox.name;
  else name = `"${mailbox.name.replace(/(["\\])/g, '\\$1')}"`;
  return `${name} <${mailbox.address}>`;
}

/** Quoted-printable (RFC 2045 6.7) of UTF-8 text: lines end in CRLF, at most 76 characters each. */
export function quotedPrintable(text: string): string {
  const out: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const bytes = Buffer.from(line, 'utf8');
    let current = '';
    bytes.forEach((b, i) => {
      const trailing = i === bytes.length - 1;
      const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !trailing);
      const token = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
      if (current.length + token.length > 75) {
        out.push(`${current}=`); // soft line break
        current = '';
      }
      current += token;
    });
    out.push(current);
  }
  return out.join(CRLF);
}

/** RFC 5322 date in UTC, e.g. `Tue, 14 Jan 2025 09:05:00 +0000`. */
export function formatDate(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

export function messageId(id: number, createdAt: Date, from: Mailbox): string {
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
  return `<outbox.${id}.${createdAt.getTime().toString(36)}@${domain}>`;
}

export interface RenderInput {
  from: Mailbox;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  date: Date;
  messageId: string;
  kind: string;
  /** One-click unsubscribe URL (RFC 2369 List-Unsubscribe; RFC 8058 List-Unsubscribe-Post for https). */
  listUnsubscribe?: string | null;
}

function header(name: string, value: string): string {
  return `${name}: ${value}`;
}

/** The complete message with CRLF line ends, ready for an .eml file or an SMTP DATA command. */
export function renderMessage(m: RenderInput): string {
  const lines = [
    header('From', formatMailbox(m.from, 'From: '.length)),
    header('To', formatMailbox({ name: null, address: m.to })),
    header('Subject', encodeHeaderValue(m.subject, 'Subject: '.length)),
    header('Date', formatDate(m.date)),
    header('Message-ID', m.messageId),
    header('MIME-Version', '1.0'),
    header('Auto-Submitted', 'auto-generated'),
    header('X-Kommunallotse-Kind', m.kind),
  ];
  const unsubscribe = m.listUnsubscribe?.replace(/[\s<>]/g, '');
  if (unsubscribe) {
    lines.push(header('List-Unsubscribe', `<${unsubscribe}>`));
    if (unsubscribe.startsWith('https://')) lines.push(header('List-Unsubscribe-Post', 'List-Unsubscribe=One-Click'));
  }
  const textPart = [
    header('Content-Type', 'text/plain; charset=utf-8'),
    header('Content-Transfer-Encoding', 'quoted-printable'),
    '',
    quotedPrintable(m.text),
  ];
  if (!m.html) return [...lines, ...textPart, ''].join(CRLF);
  // "=_" never occurs in quoted-printable text, so the boundary cannot collide with the parts.
  const boundary = `=_kl_${m.messageId.replace(/[^A-Za-z0-9]/g, '')}`;
  return [
    ...lines,
    header('Content-Type', `multipart/alternative; boundary="${boundary}"`),
    '',
    `--${boundary}`,
    ...textPart,
    `--${boundary}`,
    header('Content-Type', 'text/html; charset=utf-8'),
    header('Content-Transfer-Encoding', 'quoted-printable'),
    '',
    quotedPrintable(m.html),
    `--${boundary}--`,
    '',
  ].join(CRLF);
}
