import { AppError, type FieldError } from '../errors.js';

/** One labelled input in the KERN pattern, with its error message linked for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'date';
  inputmode?: 'numeric';
  maxLength?: number;
  value?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  errors: FieldError[];
}) {
  const error = props.errors.find((e) => e.field === props.id);
  const described = [props.hint ? `${props.id}-hint` : null, error ? `${props.id}-error` : null].filter(Boolean);
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {error ? (
        <p class="kern-error" id={`${props.id}-error`}>
          {error.message}
        </p>
      ) : null}
      <input
        class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        type={props.type ?? 'text'}
        id={props.id}
        name={props.id}
        value={props.type === 'password' ? '' : (props.value ?? '')}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxLength={props.maxLength}
        required={props.required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described.length ? described.join(' ') : undefined}
      />
    </div>
  );
}

export function SubmitButton({ label, secondary }: { label: string; secondary?: boolean }) {
  return (
    <button class={`kern-btn ${secondary ? 'kern-btn--secondary' : 'kern-btn--primary'}`} type="submit">
      <span class="kern-label">{label}</span>
    </button>
  );
}

/** A relative path to continue to after a form, or the fallback (no open redirects). */
export function safeNext(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : fallback;
}

/** A form or query value as a string ('' when absent or not a string). */
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A positive whole number from a URL parameter or form field; anything else is a 404 with `message`. */
export function positiveId(v: unknown, message: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError(404, 'not-found', 'error.notFound', message);
  return n;
}
