/**
 * The one translation mechanism: every module has a `messages.ts` with a German and an English catalogue
 * (`defineMessages`), the composition root merges them into one `I18n`, and pages, mails, documents and
 * error answers translate keys through it. Keys are typed: each module's catalogue adds its keys to
 * `MessageRegistry` (declaration merging), so `t('unknown.key')` does not compile.
 *
 * Placeholders: `{name}`. The parity test checks that both languages have the same keys and placeholders.
 */

export type Lang = 'de' | 'en';
export const LANGS: readonly Lang[] = ['de', 'en'];

/** Extended by every module's messages.ts: `interface MessageRegistry extends Record<keyof typeof de, true> {}`. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in the modules' messages.ts
export interface MessageRegistry {}
export type MessageKey = keyof MessageRegistry & string;

export type Params = Record<string, string | number>;

/** A message reference: what services put into errors instead of sentences in one language. */
export interface Text {
  key: MessageKey;
  params?: Params;
}

export const text = (key: MessageKey, params?: Params): Text => (params ? { key, params } : { key });

export type Translate = (key: MessageKey, params?: Params) => string;

export interface Catalogue {
  /** The owning module (for error messages about duplicate keys). */
  module: string;
  de: Readonly<Record<string, string>>;
  en: Readonly<Record<string, string>>;
}

/** A module's catalogue; English must have exactly the German keys (checked by the compiler). */
export function defineMessages<K extends string>(
  module: string,
  de: Record<K, string>,
  en: Record<K, string>,
): Catalogue & { de: Record<K, string>; en: Record<K, string> } {
  return { module, de, en };
}

function interpolate(template: string, params?: Params): string {
  return params ? template.replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : template;
}

/** The placeholders of a message, e.g. ["count", "name"] for "{count} von {name}". */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export class I18n {
  private readonly dicts: Record<Lang, Map<string, string>> = { de: new Map(), en: new Map() };
  private readonly owner = new Map<string, string>();

  constructor(readonly catalogues: readonly Catalogue[]) {
    for (const c of catalogues) {
      for (const lang of LANGS) {
        for (const [key, value] of Object.entries(c[lang])) {
          const prev = this.owner.get(`${lang}:${key}`);
          if (prev !== undefined) throw new Error(`message key "${key}" is defined by both ${prev} and ${c.module}`);
          this.owner.set(`${lang}:${key}`, c.module);
          this.dicts[lang].set(key, value);
        }
      }
    }
  }

  has(key: string): boolean {
    return this.dicts.de.has(key);
  }

  translator(lang: Lang): Translate {
    const dict = this.dicts[lang];
    return (key, params) => interpolate(dict.get(key) ?? this.dicts.de.get(key) ?? key, params);
  }

  /** A message reference in one language. */
  text(lang: Lang, t: Text): string {
    return this.translator(lang)(t.key, t.params);
  }
}

/**
 * Pick the language from an Accept-Language header (RFC 9110 §12.5.4: q-values honoured, `de-DE` counts
 * as `de`), German by default. The one parser for pages, API answers and problem titles.
 */
export function negotiateLang(header: string | undefined): Lang {
  if (!header) return 'de';
  const prefs = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const value = q ? Number(q.slice(2)) : 1;
      return { tag: tag.toLowerCase().slice(0, 2), q: Number.isFinite(value) ? value : 0, i };
    })
    .filter((p) => p.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const p of prefs) if (p.tag === 'de' || p.tag === 'en') return p.tag;
  return 'de';
}

export function formatNumber(lang: Lang, n: number, digits = 0): string {
  return new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'de-DE', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}

const DATE_TIME = {
  de: new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' }),
  en: new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', dateStyle: 'medium', timeStyle: 'short' }),
};

/** A point in time in German (Berlin) time: 01.12.2025, 14:05 / 1 Dec 2025, 14:05. */
export function formatDateTime(lang: Lang, value: string | Date): string {
  return DATE_TIME[lang].format(typeof value === 'string' ? new Date(value) : value);
}

/** A date (ISO string or Date) as 30.11.2025 / 30/11/2025. */
export function formatDate(lang: Lang, value: string | Date): string {
  const iso = typeof value === 'string' ? value : value.toISOString();
  const [y, m, d] = iso.slice(0, 10).split('-');
  return lang === 'en' ? `${d}/${m}/${y}` : `${d}.${m}.${y}`;
}
