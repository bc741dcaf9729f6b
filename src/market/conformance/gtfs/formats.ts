/**
 * Value formats of the GTFS Schedule Reference §Field Types and §Field Signs. Each check returns null when the
 * value is well-formed, else a German phrase saying what was expected. Timezones, currencies and language tags
 * are checked with the ICU data of the runtime (Intl), not with hand-written lists.
 */
import type { FieldType } from './schema.js';

const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const COLOR = /^[0-9A-Fa-f]{6}$/;
const DATE = /^(\d{4})(\d{2})(\d{2})$/;
/** §Field Types "Time": HH:MM:SS (H:MM:SS also accepted); hours may exceed 24 for service after midnight. */
const TIME = /^(\d{1,2}):([0-5]\d):([0-5]\d)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Seconds since "noon minus 12h" of a Time value, or null when it is not a well-formed time. */
export function parseTime(value: string): number | null {
  const m = TIME.exec(value);
  if (!m) return null;
  return Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}

export function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

const timezoneCache = new Map<string, boolean>();
/** §Field Types "Timezone": an IANA tz name, e.g. Europe/Berlin (never a space; case as in the tz database). */
export function isTimezone(value: string): boolean {
  let ok = timezoneCache.get(value);
  if (ok !== undefined) return ok;
  ok = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/.test(value);
  if (ok) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
    } catch {
      ok = false;
    }
  }
  timezoneCache.set(value, ok);
  return ok;
}

let currencies: Set<string> | null = null;
/** §Field Types "Currency code": ISO 4217 alphabetic code. */
export function isCurrency(value: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf('currency'));
  return currencies.has(value);
}

/** Minor-unit digits of an ISO 4217 currency (EUR 2, JPY 0), from ICU. */
export function currencyDigits(currency: string): number | null {
  if (!isCurrency(currency)) return null;
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? null;
}

const languageCache = new Map<string, boolean>();
/** §Field Types "Language code": a well-formed IETF BCP 47 tag. */
export function isLanguageTag(value: string): boolean {
  let ok = languageCache.get(value);
  if (ok !== undefined) return ok;
  try {
    ok = Intl.getCanonicalLocales(value).length === 1;
  } catch {
    ok = false;
  }
  languageCache.set(value, ok);
  return ok;
}

/** §Field Types "URL": fully qualified, with http:// or https://. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || /\s/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a non-empty value against its type; returns null when fine, else what was expected (German). Enum values
 * are checked by the caller, who knows the field's list.
 */
export function checkFormat(type: FieldType, value: string): string | null {
  switch (type) {
    case 'id':
    case 'text':
    case 'phone':
    case 'enum':
      return null;
    case 'url':
      return isHttpUrl(value) ? null : 'eine vollständige URL mit http:// oder https://';
    case 'email':
      return EMAIL.test(value) ? null : 'eine E-Mail-Adresse';
    case 'timezone':
      return isTimezone(value) ? null : 'eine Zeitzone der IANA-Datenbank wie Europe/Berlin';
    case 'language':
      return isLanguageTag(value) ? null : 'einen Sprachcode nach IETF BCP 47 wie de oder en-US';
    case 'currency':
      return isCurrency(value) ? null : 'einen Währungscode nach ISO 4217 wie EUR';
    case 'currency-amount':
      return FLOAT.test(value) && !/[eE]/.test(value) ? null : 'einen Dezimalbetrag wie 2.50';
    case 'color':
      return COLOR.test(value) ? null : 'eine Farbe aus sechs Hexadezimalziffern ohne # wie 0039A6';
    case 'date':
      return isValidDate(value) ? null : 'ein gültiges Datum im Format JJJJMMTT wie 20240913';
    case 'time':
      return parseTime(value) !== null ? null : 'eine Zeit im Format HH:MM:SS (Stunden über 24 erlaubt)';
    case 'local-time': {
      const s = parseTime(value);
      return s !== null && s <= 24 * 3600 ? null : 'eine Ortszeit im Format HH:MM:SS bis höchstens 24:00:00';
    }
    case 'latitude': {
      if (!FLOAT.test(value)) return 'eine geografische Breite in Dezimalgrad zwischen -90 und 90';
      const n = Number(value);
      return n >= -90 && n <= 90 ? null : 'eine geografische Breite in Dezimalgrad zwischen -90 und 90';
    }
    case 'longitude': {
      if (!FLOAT.test(value)) return 'eine geografische Länge in Dezimalgrad zwischen -180 und 180';
      const n = Number(value);
      return n >= -180 && n <= 180 ? null : 'eine geografische Länge in Dezimalgrad zwischen -180 und 180';
    }
    case 'float':
      return FLOAT.test(value) ? null : 'eine Gleitkommazahl';
    case 'non-negative-float':
      return FLOAT.test(value) && Number(value) >= 0 ? null : 'eine Gleitkommazahl größer oder gleich 0';
    case 'positive-float':
      return FLOAT.test(value) && Number(value) > 0 ? null : 'eine Gleitkommazahl größer als 0';
    case 'integer':
      return INTEGER.test(value) ? null : 'eine ganze Zahl';
    case 'non-negative-integer':
      return INTEGER.test(value) && Number(value) >= 0 ? null : 'eine ganze Zahl größer oder gleich 0';
    case 'positive-integer':
      return INTEGER.test(value) && Number(value) > 0 ? null : 'eine ganze Zahl größer als 0';
    case 'non-zero-integer':
      return INTEGER.test(value) && Number(value) !== 0 ? null : 'eine ganze Zahl ungleich 0';
  }
}
