import {
  type Static,
  type TObject,
  type TSchema,
  Type,
  type TypeBoxTypeProvider,
} from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { AppError, NotFoundError, type ShownFieldError } from '../errors.js';
import { text } from '../i18n/i18n.js';
import type { Access } from './auth.js';
import { localFieldErrors, localText, sendHtml } from './context.js';
import { schemaFieldErrors } from './errors.js';
import { renderPage } from './layout.js';
import { safeLocalPath } from './redirect.js';

/** What a labelled control of a form has around it: its error, hint and the ids that describe it. */
function fieldState(props: { id: string; hint?: string; errors: readonly ShownFieldError[] }) {
  const error = props.errors.find((e) => e.field === props.id);
  const described = [props.hint ? `${props.id}-hint` : null, error ? `${props.id}-error` : null].filter(Boolean);
  return {
    error,
    aria: {
      'aria-invalid': error ? ('true' as const) : undefined,
      'aria-describedby': described.length ? described.join(' ') : undefined,
    },
  };
}

/** The KERN frame of a control: label, hint and error message (linked for screen readers), then the control. */
function FieldFrame(props: {
  id: string;
  label: string;
  hint?: string;
  error: ShownFieldError | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={`kern-form-input${props.error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      {props.hint ? (
        <div class="kern-hint" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p class="kern-error" id={`${props.id}-error`}>
          {props.error.message}
        </p>
      ) : null}
      {props.children}
    </div>
  );
}

/** One labelled input in the KERN pattern, with its error message linked for screen readers. */
export function Field(props: {
  id: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'date' | 'url';
  inputmode?: 'numeric';
  maxLength?: number;
  value?: string;
  hint?: string;
  autocomplete?: string;
  required?: boolean;
  errors: readonly ShownFieldError[];
}) {
  const { error, aria } = fieldState(props);
  return (
    <FieldFrame id={props.id} label={props.label} hint={props.hint} error={error}>
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
        {...aria}
      />
    </FieldFrame>
  );
}

/** A labelled select in the KERN pattern, with its error linked for screen readers. */
export function Select(props: {
  id: string;
  label: string;
  options: readonly { value: string; label: string; group?: string }[];
  value?: string;
  hint?: string;
  errors: readonly ShownFieldError[];
  /** The name sent with the form (default: the id). */
  name?: string;
}) {
  const { error, aria } = fieldState(props);
  const groups: { group: string | undefined; options: typeof props.options }[] = [];
  for (const o of props.options) {
    const last = groups[groups.length - 1];
    if (last && last.group === o.group) (last.options as { value: string; label: string }[]).push(o);
    else groups.push({ group: o.group, options: [o] });
  }
  const option = (o: { value: string; label: string }) => (
    <option value={o.value} selected={props.value === o.value} key={o.value}>
      {o.label}
    </option>
  );
  return (
    <FieldFrame id={props.id} label={props.label} hint={props.hint} error={error}>
      <div class="kern-form-input__select-wrapper">
        <select class="kern-form-input__select" id={props.id} name={props.name ?? props.id} {...aria}>
          {groups.map((g) =>
            g.group === undefined ? (
              g.options.map(option)
            ) : (
              <optgroup label={g.group} key={g.group}>
                {g.options.map(option)}
              </optgroup>
            ),
          )}
        </select>
      </div>
    </FieldFrame>
  );
}

/** A labelled multi-line text field in the KERN pattern. */
export function TextArea(props: {
  id: string;
  label: string;
  value?: string;
  hint?: string;
  maxLength?: number;
  rows?: number;
  errors: readonly ShownFieldError[];
}) {
  const { error, aria } = fieldState(props);
  return (
    <FieldFrame id={props.id} label={props.label} hint={props.hint} error={error}>
      <textarea
        class="kern-form-input__input"
        id={props.id}
        name={props.id}
        rows={props.rows ?? 4}
        maxLength={props.maxLength}
        {...aria}
      >
        {props.value ?? ''}
      </textarea>
    </FieldFrame>
  );
}

/** One radio button of a group (`name`) with its label; checked when `current` is its value. */
export function Radio(props: { name: string; value: string; id: string; current: string | undefined; label: string }) {
  return (
    <div class="kern-form-check">
      <input
        class="kern-form-check__radio"
        type="radio"
        id={props.id}
        name={props.name}
        value={props.value}
        checked={props.current === props.value}
      />
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
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

/** A relative path to continue to after a form, or the fallback (no open redirects; see redirect.ts). */
export const safeNext = safeLocalPath;

/** A positive whole number from a URL parameter or form field; anything else is a 404. */
export function positiveId(v: unknown): number {
  const n = typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new NotFoundError(text('error.noSuchId', { id: String(v).slice(0, 40) }));
  return n;
}

// ---------------------------------------------------------------------------------------------
// Schemas of page routes

/** A text field of a form (strings only, as HTML forms send them). */
export const FormText = (opts: { maxLength: number; minLength?: number }) => Type.String(opts);
export const OptionalText = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
/** An id in a URL path. */
export const IdParam = Type.String({ pattern: '^[0-9]{1,15}$' });
/** A form: the fields it reads; other fields (`_csrf`, buttons) are allowed and ignored. */
export const Form = <P extends Record<string, TSchema>>(fields: P) =>
  Type.Object(fields, { additionalProperties: true });
export const Query = <P extends Record<string, TSchema>>(fields: P) =>
  Type.Object(fields, { additionalProperties: true });

/** What a form handler answers: go somewhere (post-redirect-get) or show a page. */
export type FormResult = { redirect: string } | { page: VNode; status?: number };

export interface FormRouteOptions<B extends TObject, P extends TObject, Q extends TObject> {
  url: string;
  access: Access;
  body: B;
  params?: P;
  querystring?: Q;
  /** Validate and call one service function; throw AppErrors for what the person must correct. */
  handle(
    request: FastifyRequest<{ Body: Static<B>; Params: Static<P>; Querystring: Static<Q> }>,
    input: Static<B>,
  ): Promise<FormResult>;
  /**
   * The form again, with the error summary and everything the person typed (passwords excepted: the Field
   * component never renders them back).
   */
  render(
    request: FastifyRequest<{ Body: Static<B>; Params: Static<P>; Querystring: Static<Q> }>,
    input: Static<B>,
    errors: ShownFieldError[],
  ): Promise<VNode> | VNode;
}

/** The form's declared fields as strings (first value of a repeated field, '' when absent). */
function formValues(schema: TObject, body: unknown): Record<string, string> {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of Object.keys(schema.properties)) {
    const v = raw[key];
    out[key] = typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
  }
  return out;
}

/**
 * The one request pipeline of a form post: the schema validates the fields, one service call does the work,
 * and on a validation error (schema or service) or a conflict the form is shown again with the error summary
 * and the person's input — nothing typed is lost. Other errors go to the error handler.
 */
export function formRoute<B extends TObject, P extends TObject = TObject, Q extends TObject = TObject>(
  plain: FastifyInstance,
  opts: FormRouteOptions<B, P, Q>,
): void {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  type Req = FastifyRequest<{ Body: Static<B>; Params: Static<P>; Querystring: Static<Q> }>;
  const rerender = async (request: Req, reply: FastifyReply, errors: ShownFieldError[], status: number) => {
    const input = formValues(opts.body, request.body) as Static<B>;
    return sendHtml(reply, renderPage(await opts.render(request, input, errors)), status);
  };
  app.route({
    method: 'POST',
    url: opts.url,
    config: { access: opts.access },
    attachValidation: true,
    schema: {
      body: opts.body,
      ...(opts.params ? { params: opts.params } : {}),
      ...(opts.querystring ? { querystring: opts.querystring } : {}),
    },
    handler: async (req, reply) => {
      const request = req as unknown as Req;
      const invalid = (request as { validationError?: FastifyError }).validationError;
      if (invalid) {
        // A malformed path or query is not something the person typed: answer as the API would.
        if (invalid.validationContext !== 'body') throw invalid;
        return rerender(request, reply, localFieldErrors(request, schemaFieldErrors(invalid)), 400);
      }
      let result: FormResult;
      try {
        result = await opts.handle(request, request.body as Static<B>);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409 || err.status === 422)) {
          const errors = localFieldErrors(request, err.fieldErrors);
          if (errors.length === 0 && err.detail)
            errors.push({ field: 'form', message: localText(request, err.detail) });
          return rerender(request, reply, errors, err.status);
        }
        throw err;
      }
      if ('redirect' in result) return reply.redirect(result.redirect, 303);
      return sendHtml(reply, renderPage(result.page), result.status ?? 200);
    },
  });
}
