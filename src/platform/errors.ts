/**
 * Application errors that services throw and the HTTP layer turns into answers
 * (problem+json for the API, an error page or form summary for HTML).
 * Titles are i18n keys; `detail` is already a human sentence.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    /** Stable problem type slug, e.g. "not-found"; the API turns it into a URI. */
    readonly type: string,
    readonly titleKey: string,
    message: string,
    readonly fieldErrors: FieldError[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export class NotFoundError extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(404, 'not-found', 'error.notFound', message, [], extra);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, fieldErrors: FieldError[]) {
    super(400, 'validation', 'error.validation', message, fieldErrors);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, extra: Record<string, unknown> = {}) {
    super(409, 'conflict', 'error.conflict', message, [], extra);
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
      [file, line !== null ? `Zeile ${line}` : null, field ? `Feld ${field}` : null].filter(Boolean).join(', ') +
        `: ${reason}`,
    );
  }
}
