/**
 * A small parser for SPDX licence expressions (SPDX Specification 2.3, Annex D "SPDX License Expressions"):
 *
 *   compound   = or-expr
 *   or-expr    = and-expr *("OR" and-expr)
 *   and-expr   = with-expr *("AND" with-expr)
 *   with-expr  = simple ["WITH" exception-id]
 *   simple     = license-id ["+"] / ["DocumentRef-" idstring ":"] "LicenseRef-" idstring / "(" compound ")"
 *
 * Precedence WITH > AND > OR (Annex D.4). Operators are matched case-sensitively, licence and exception ids
 * case-insensitively (Annex D.2). Ids come from the embedded SPDX License List (spdx-ids.ts).
 */
import { SPDX_DEPRECATED_IDS, SPDX_EXCEPTION_IDS, SPDX_LICENCE_IDS } from './spdx-ids.js';

const lower = (list: readonly string[]): Map<string, string> => new Map(list.map((id) => [id.toLowerCase(), id]));
const LICENCES = lower(SPDX_LICENCE_IDS);
const DEPRECATED = lower(SPDX_DEPRECATED_IDS);
const EXCEPTIONS = lower(SPDX_EXCEPTION_IDS);

export interface SpdxResult {
  ok: boolean;
  /** German reason when not ok. */
  error?: string;
  /** Licence ids (canonical spelling) and LicenseRef-s used. */
  licences: string[];
  /** Deprecated licence ids used (valid, but the SPDX list advises against them). */
  deprecated: string[];
}

class SpdxError extends Error {}

const IDSTRING = /^[A-Za-z0-9.-]+$/;
const REF = /^(DocumentRef-[A-Za-z0-9.-]+:)?LicenseRef-[A-Za-z0-9.-]+$/;

export function parseSpdxExpression(expression: string): SpdxResult {
  const licences: string[] = [];
  const deprecated: string[] = [];
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const next = (): string => {
    const t = tokens[pos++];
    if (t === undefined) throw new SpdxError('Der Ausdruck endet unerwartet.');
    return t;
  };

  const simple = (): void => {
    const t = next();
    if (t === '(') {
      orExpr();
      if (next() !== ')') throw new SpdxError('Eine schließende Klammer fehlt.');
      return;
    }
    if (t === ')' || t === 'AND' || t === 'OR' || t === 'WITH') throw new SpdxError(`„${t}“ steht an falscher Stelle.`);
    if (REF.test(t)) {
      licences.push(t);
      return;
    }
    const id = t.endsWith('+') ? t.slice(0, -1) : t;
    if (!IDSTRING.test(id)) throw new SpdxError(`„${t}“ ist keine gültige SPDX-Kennung.`);
    const known = LICENCES.get(id.toLowerCase());
    const old = DEPRECATED.get(id.toLowerCase());
    if (known) licences.push(known);
    else if (old) {
      licences.push(old);
      deprecated.push(old);
    } else throw new SpdxError(`„${id}“ steht nicht in der SPDX License List.`);
  };
  const withExpr = (): void => {
    simple();
    if (peek() === 'WITH') {
      pos++;
      const ex = next();
      if (!EXCEPTIONS.has(ex.toLowerCase()) && !/^(DocumentRef-[A-Za-z0-9.-]+:)?AdditionRef-[A-Za-z0-9.-]+$/.test(ex))
        throw new SpdxError(`„${ex}“ ist keine Ausnahme der SPDX License Exceptions List.`);
    }
  };
  const andExpr = (): void => {
    withExpr();
    while (peek() === 'AND') {
      pos++;
      withExpr();
    }
  };
  function orExpr(): void {
    andExpr();
    while (peek() === 'OR') {
      pos++;
      andExpr();
    }
  }

  try {
    if (tokens.length === 0) throw new SpdxError('Der Ausdruck ist leer.');
    orExpr();
    if (pos < tokens.length) throw new SpdxError(`„${tokens[pos]}“ steht an falscher Stelle.`);
    return { ok: true, licences, deprecated };
  } catch (e) {
    if (e instanceof SpdxError) return { ok: false, error: e.message, licences, deprecated };
    throw e;
  }
}
