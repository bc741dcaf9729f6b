/**
 * The form of a practice project: what a browser sends (strings; checkboxes and multiple selects as repeated fields)
 * turned into `PracticeContent` with field errors for what cannot be read, and the form itself (KERN pattern,
 * works without JavaScript, keeps everything typed after an error or a conflict).
 */
import { loadModel } from '../assessment/index.js';
import { type FieldError, fieldError, type ShownFieldError } from '../platform/errors.js';
import { Field, Select, SubmitButton, TextArea } from '../platform/http/forms.js';
import { CsrfField, ErrorSummary, type PageContext } from '../platform/http/layout.js';
import { loadMeasures } from '../strategy/index.js';
import {
  emptyPractice,
  LIMITS,
  PRACTICE_STATUSES,
  type PracticeContent,
  type PracticeStatus,
  practiceVocabulary,
} from './model.js';

/** The form's fields as typed (every value a string; lists as typed, one per line or separated by commas). */
export type PracticeFormValues = Record<string, string | string[]>;

const str = (raw: PracticeFormValues, k: string): string => {
  const v = raw[k];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).replace(/\r\n/g, '\n');
};
const many = (raw: PracticeFormValues, k: string): string[] => {
  const v = raw[k];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
};
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const commaList = (s: string) =>
  s
    .split(/[,;\n]/)
    .map((l) => l.trim())
    .filter(Boolean);

function wholeNumber(
  s: string,
  field: string,
  errors: FieldError[],
  key: 'atlas.err.year' | 'atlas.err.cost',
): number | null {
  const v = s.replace(/[.\s€]/g, '').trim();
  if (v === '') return null;
  if (!/^\d{1,10}$/.test(v)) {
    errors.push(
      key === 'atlas.err.year'
        ? fieldError(field, key, { min: LIMITS.year.min, max: LIMITS.year.max })
        : fieldError(field, key),
    );
    return null;
  }
  return Number(v);
}

/** The content from the posted form, and the errors of fields that could not be read (numbers). */
export function parsePracticeForm(raw: PracticeFormValues): { content: PracticeContent; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const c = emptyPractice();
  c.title = str(raw, 'title').trim();
  c.summary = str(raw, 'summary').trim();
  c.description = str(raw, 'description').trim();
  c.regions = commaList(str(raw, 'regions'));
  c.providers = lines(str(raw, 'providers'));
  c.partners = lines(str(raw, 'partners'));
  c.sectors = many(raw, 'sectors');
  c.dimensions = many(raw, 'dimensions');
  c.status = (str(raw, 'status') || 'implementation') as PracticeStatus;
  c.startYear = wholeNumber(str(raw, 'startYear'), 'startYear', errors, 'atlas.err.year');
  c.endYear = wholeNumber(str(raw, 'endYear'), 'endYear', errors, 'atlas.err.year');
  c.costOneOff = wholeNumber(str(raw, 'costOneOff'), 'costOneOff', errors, 'atlas.err.cost');
  c.costPerYear = wholeNumber(str(raw, 'costPerYear'), 'costPerYear', errors, 'atlas.err.cost');
  c.funding = str(raw, 'funding').trim();
  c.standards = many(raw, 'standards');
  c.indicators = lines(str(raw, 'indicators'));
  c.lessons = str(raw, 'lessons').trim();
  c.tags = commaList(str(raw, 'tags'));
  const contactName = str(raw, 'contactName').trim();
  const contactEmail = str(raw, 'contactEmail').trim().toLowerCase();
  const contactPhone = str(raw, 'contactPhone').trim();
  const visible = str(raw, 'contactVisible') === 'ja';
  c.contact =
    contactName || contactEmail || contactPhone
      ? { name: contactName, email: contactEmail, phone: contactPhone, visible }
      : null;
  c.links = {
    website: str(raw, 'website').trim(),
    repository: str(raw, 'repository').trim(),
    publiccode: str(raw, 'publiccode').trim(),
  };
  c.licence = str(raw, 'licence').trim();
  c.source = str(raw, 'source').trim();
  c.measures = many(raw, 'measures');
  return { content: c, errors };
}

/** The form values of saved content (to fill the form). */
export function formValuesOf(c: PracticeContent): PracticeFormValues {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    title: c.title,
    summary: c.summary,
    description: c.description,
    regions: c.regions.join(', '),
    providers: c.providers.join('\n'),
    partners: c.partners.join('\n'),
    sectors: c.sectors,
    dimensions: c.dimensions,
    status: c.status,
    startYear: n(c.startYear),
    endYear: n(c.endYear),
    costOneOff: n(c.costOneOff),
    costPerYear: n(c.costPerYear),
    funding: c.funding,
    standards: c.standards,
    indicators: c.indicators.join('\n'),
    lessons: c.lessons,
    tags: c.tags.join(', '),
    contactName: c.contact?.name ?? '',
    contactEmail: c.contact?.email ?? '',
    contactPhone: c.contact?.phone ?? '',
    contactVisible: c.contact?.visible ? 'ja' : '',
    website: c.links.website,
    repository: c.links.repository,
    publiccode: c.links.publiccode,
    licence: c.licence,
    source: c.source,
    measures: c.measures,
  };
}

/** Validation errors name fields of the content (`regions[2]`, `links.website`); the form's ids are flat. */
export function formField(field: string): string {
  const base = field.replace(/\[\d+\]$/, '');
  const map: Record<string, string> = {
    'links.website': 'website',
    'links.repository': 'repository',
    'links.publiccode': 'publiccode',
    'contact.name': 'contactName',
    'contact.email': 'contactEmail',
    'contact.phone': 'contactPhone',
  };
  return map[base] ?? base;
}

function Checkboxes(props: {
  id: string;
  legend: string;
  hint?: string;
  options: { value: string; label: string }[];
  selected: readonly string[];
  errors: readonly ShownFieldError[];
}) {
  const error = props.errors.find((e) => e.field === props.id);
  const described = [props.hint ? `${props.id}-hint` : null, error ? `${props.id}-error` : null].filter(Boolean);
  return (
    <fieldset
      class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      aria-describedby={described.length ? described.join(' ') : undefined}
    >
      <legend class="kern-label">{props.legend}</legend>
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
      <div class="kern-fieldset__body">
        {props.options.map((o, i) => {
          const id = i === 0 ? props.id : `${props.id}-${o.value}`;
          return (
            <div class="kern-form-check" key={o.value}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={id}
                name={props.id}
                value={o.value}
                checked={props.selected.includes(o.value)}
              />
              <label class="kern-label" for={id}>
                {o.label}
              </label>
            </div>
          );
        })}
      </div>
    </fieldset>
  );
}

function MultiSelect(props: {
  id: string;
  label: string;
  hint: string;
  options: { value: string; label: string }[];
  selected: readonly string[];
  errors: readonly ShownFieldError[];
}) {
  const error = props.errors.find((e) => e.field === props.id);
  const described = [`${props.id}-hint`, error ? `${props.id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={`kern-form-input${error ? ' kern-form-input--error' : ''}`}>
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
      <div class="kern-hint" id={`${props.id}-hint`}>
        {props.hint}
      </div>
      {error ? (
        <p class="kern-error" id={`${props.id}-error`}>
          {error.message}
        </p>
      ) : null}
      <select
        class="kern-form-input__select multi-select"
        id={props.id}
        name={props.id}
        multiple
        size={8}
        aria-describedby={described}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={props.selected.includes(o.value)} key={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function PracticeForm(props: {
  ctx: PageContext;
  action: string;
  values: PracticeFormValues;
  errors: readonly ShownFieldError[];
  revision: number | null;
  submitLabel: string;
  force?: boolean;
}) {
  const { ctx, values: v, errors } = props;
  const { t, lang } = ctx;
  const s = (k: string) => {
    const x = v[k];
    return Array.isArray(x) ? (x[0] ?? '') : (x ?? '');
  };
  const a = (k: string) => {
    const x = v[k];
    return Array.isArray(x) ? x : x ? [x] : [];
  };
  const model = loadModel();
  const vocab = practiceVocabulary();
  const measures = loadMeasures().measures;
  return (
    <form method="post" action={props.action} class="practice-form" noValidate>
      <CsrfField ctx={ctx} />
      {props.revision !== null ? <input type="hidden" name="rev" value={String(props.revision)} /> : null}
      {props.force ? <input type="hidden" name="force" value="1" /> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      <h2 class="kern-heading-medium">{t('atlas.form.what')}</h2>
      <Field
        id="title"
        label={t('atlas.field.title')}
        value={s('title')}
        maxLength={LIMITS.title}
        required
        errors={errors}
      />
      <TextArea
        id="summary"
        label={t('atlas.field.summary')}
        hint={t('atlas.form.summaryHint', { max: LIMITS.summary })}
        value={s('summary')}
        maxLength={LIMITS.summary}
        rows={3}
        errors={errors}
      />
      <TextArea
        id="description"
        label={t('atlas.field.description')}
        hint={t('atlas.form.descriptionHint')}
        value={s('description')}
        maxLength={LIMITS.description}
        rows={10}
        errors={errors}
      />
      <Select
        id="status"
        label={t('atlas.field.status')}
        value={s('status') || 'implementation'}
        options={PRACTICE_STATUSES.map((x) => ({ value: x, label: t(`atlas.status.${x}`) }))}
        errors={errors}
      />
      <Field
        id="startYear"
        label={t('atlas.field.startYear')}
        inputmode="numeric"
        value={s('startYear')}
        maxLength={4}
        errors={errors}
      />
      <Field
        id="endYear"
        label={t('atlas.field.endYear')}
        inputmode="numeric"
        value={s('endYear')}
        maxLength={4}
        errors={errors}
      />
      <Field
        id="tags"
        label={t('atlas.field.tags')}
        hint={t('atlas.form.commaHint')}
        value={s('tags')}
        errors={errors}
      />

      <h2 class="kern-heading-medium">{t('atlas.form.where')}</h2>
      <Field
        id="regions"
        label={t('atlas.field.regions')}
        hint={t('atlas.form.regionsHint')}
        value={s('regions')}
        errors={errors}
      />
      <TextArea
        id="providers"
        label={t('atlas.field.providers')}
        hint={t('atlas.form.linesHint')}
        value={s('providers')}
        rows={3}
        errors={errors}
      />
      <TextArea
        id="partners"
        label={t('atlas.field.partners')}
        hint={t('atlas.form.linesHint')}
        value={s('partners')}
        rows={3}
        errors={errors}
      />
      <Checkboxes
        id="sectors"
        legend={t('atlas.field.sectors')}
        options={model.sectors.map((x) => ({ value: x.id, label: x.name[lang] }))}
        selected={a('sectors')}
        errors={errors}
      />
      <Checkboxes
        id="dimensions"
        legend={t('atlas.field.dimensions')}
        options={model.dimensions.map((x) => ({ value: x.id, label: x.name[lang] }))}
        selected={a('dimensions')}
        errors={errors}
      />

      <h2 class="kern-heading-medium">{t('atlas.form.how')}</h2>
      <MultiSelect
        id="standards"
        label={t('atlas.field.standards')}
        hint={t('atlas.form.multiHint')}
        options={[...vocab.standards].sort().map((x) => ({ value: x, label: x }))}
        selected={a('standards')}
        errors={errors}
      />
      <MultiSelect
        id="measures"
        label={t('atlas.field.measures')}
        hint={t('atlas.form.multiHint')}
        options={measures.map((m) => ({ value: m.id, label: m.title[lang] }))}
        selected={a('measures')}
        errors={errors}
      />
      <Field
        id="costOneOff"
        label={t('atlas.field.costOneOff')}
        inputmode="numeric"
        value={s('costOneOff')}
        errors={errors}
      />
      <Field
        id="costPerYear"
        label={t('atlas.field.costPerYear')}
        inputmode="numeric"
        value={s('costPerYear')}
        errors={errors}
      />
      <Field
        id="funding"
        label={t('atlas.field.funding')}
        value={s('funding')}
        maxLength={LIMITS.line}
        errors={errors}
      />
      <TextArea
        id="indicators"
        label={t('atlas.field.indicators')}
        hint={t('atlas.form.linesHint')}
        value={s('indicators')}
        rows={3}
        errors={errors}
      />
      <TextArea
        id="lessons"
        label={t('atlas.field.lessons')}
        value={s('lessons')}
        maxLength={LIMITS.lessons}
        rows={5}
        errors={errors}
      />

      <h2 class="kern-heading-medium">{t('atlas.form.more')}</h2>
      <Field id="website" label={t('atlas.field.website')} type="url" value={s('website')} errors={errors} />
      <Field id="repository" label={t('atlas.field.repository')} type="url" value={s('repository')} errors={errors} />
      <Field id="publiccode" label={t('atlas.field.publiccode')} type="url" value={s('publiccode')} errors={errors} />
      <Field
        id="licence"
        label={t('atlas.field.licence')}
        hint={t('atlas.form.licenceHint')}
        value={s('licence')}
        maxLength={LIMITS.line}
        errors={errors}
      />
      <Field id="source" label={t('atlas.field.source')} value={s('source')} maxLength={LIMITS.line} errors={errors} />
      <Field
        id="contactName"
        label={t('atlas.field.contactName')}
        value={s('contactName')}
        autocomplete="name"
        errors={errors}
      />
      <Field
        id="contactEmail"
        label={t('atlas.field.contactEmail')}
        type="email"
        value={s('contactEmail')}
        autocomplete="email"
        errors={errors}
      />
      <Field
        id="contactPhone"
        label={t('atlas.field.contactPhone')}
        value={s('contactPhone')}
        autocomplete="tel"
        errors={errors}
      />
      <div class="kern-form-check">
        <input
          class="kern-form-check__checkbox"
          type="checkbox"
          id="contactVisible"
          name="contactVisible"
          value="ja"
          checked={s('contactVisible') === 'ja'}
        />
        <label class="kern-label" for="contactVisible">
          {t('atlas.field.contactVisible')}
        </label>
      </div>
      <p>
        <SubmitButton label={props.submitLabel} />
      </p>
    </form>
  );
}
