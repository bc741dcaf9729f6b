/**
 * The one error module: errors that services throw and the HTTP layer turns into answers (problem+json for
 * the API, an error page or the form's error summary for HTML). They carry message references (`Text`),
 * never sentences in one language: the answer is translated for the person who asked.
 */
import { type MessageKey, type Params, type Text, text } from './i18n/i18n.js';

export type { Text };

/** One field's error: which field, and what is wrong (a message reference). */
export interface FieldError {
  field: string;
  text: Text;
}

/** A field error with its message already in the reader's language (what views show). */
export interface ShownFieldError {
  field: string;
  message: string;
}

export const fieldError = (field: string, key: MessageKey, params?: Params): FieldError => ({
  field,
  text: text(key, params),
});

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Stable problem type slug, e.g. "not-found"; the API turns it into a URI. */
    readonly type: string,
    readonly titleKey: MessageKey,
    /** The human explanation (problem `detail`); null when the title says it all. */
    readonly detail: Text | null,
    readonly fieldErrors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ? `${detail.key}${detail.params ? ` ${JSON.stringify(detail.params)}` : ''}` : type);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  constructor(detail: Text, extra: Record<string, unknown> = {}) {
    super(404, 'not-found', 'error.notFound', detail, [], extra);
  }
}

export class ValidationError extends AppError {
  constructor(fieldErrors: FieldError[], detail: Text | null = null) {
    super(400, 'validation', 'error.validation', detail, fieldErrors);
  }
}

export class ConflictError extends AppError {
  constructor(detail: Text, extra: Record<string, unknown> = {}) {
    super(409, 'conflict', 'error.conflict', detail, [], extra);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail: Text | null = null) {
    super(403, 'forbidden', 'error.forbidden', detail);
  }
}

export class UnauthorizedError extends AppError {
  constructor(detail: Text | null = null) {
    super(401, 'unauthorized', 'error.unauthorized', detail);
  }
}

export class GoneError extends AppError {
  constructor(detail: Text) {
    super(410, 'gone', 'error.gone', detail);
  }
}

/** A bad input file: which file, which line (or feature), which field, what is wrong. */
export class ImportError extends AppError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(
      422,
      'import',
      'error.import',
      text('error.importDetail', {
        where: [file, line !== null ? `Zeile ${line}` : null, field ? `Feld ${field}` : null]
          .filter(Boolean)
          .join(', '),
        reason,
      }),
    );
  }

  /** "file, Zeile 12, Feld name: reason" – for the command line. */
  describe(): string {
    return [this.file, this.line !== null ? `Zeile ${this.line}` : null, this.field ? `Feld ${this.field}` : null]
      .filter(Boolean)
      .join(', ')
      .concat(`: ${this.reason}`);
  }
}

/** What PostgreSQL says about a failed statement (pg's DatabaseError and PGlite's errors both carry `code`). */
interface DbErrorLike {
  code?: unknown;
  constraint?: unknown;
  column?: unknown;
}

/**
 * Map a database error to an answer a person can act on, or null when it is a real fault:
 * unique and exclusion violations (two people did the same thing at once) → 409; foreign-key and check
 * violations → 409 as well (the data changed under the request); invalid text encodings → 400.
 */
export function fromDbError(err: unknown): AppError | null {
  const e = err as DbErrorLike | null;
  const code = typeof e?.code === 'string' ? e.code : null;
  if (!code) return null;
  if (code === '23505' || code === '23P01') {
    return new ConflictError(text('error.concurrentChange'), { constraint: String(e?.constraint ?? '') });
  }
  if (code === '23503' || code === '23514') return new ConflictError(text('error.concurrentChange'));
  if (code === '22021' || code === '22P05' || code === '54000') {
    return new ValidationError([], text('error.badText'));
  }
  return null;
}

/** True for a unique violation (to re-read after a race). */
export function isUniqueViolation(err: unknown): boolean {
  return (err as DbErrorLike | null)?.code === '23505';
}

/** A command line used wrongly (the CLI prints it and exits 1). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
