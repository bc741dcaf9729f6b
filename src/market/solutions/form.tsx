/**
 * The form of a solution: what a browser sends (strings; checkboxes and multiple selects as repeated fields) turned
 * into `SolutionContent`, and the form itself (KERN pattern, works without JavaScript, keeps everything typed after
 * an error or a conflict).
 */
import { loadModel } from '../../assessment/index.js';
import type { ShownFieldError } from '../../platform/errors.js';
import { Field, Select, SubmitButton, TextArea } from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, type PageContext } from '../../platform/http/layout.js';
import {
  DATA_LOCATIONS,
  type DataLocation,
  emptySolution,
  LIMITS,
  OPERATING_MODELS,
  type OperatingModel,
  PRICE_MODELS,
  type PriceModel,
  type SolutionContent,
  standardChoices,
} from './model.js';

/** The form's fields as typed (every value a string; lists as repeated fields or one per line). */
export type SolutionFormValues = Record<string, string | string[]>;

const str = (raw: SolutionFormValues, k: string): string => {
  const v = raw[k];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).replace(/\r\n/g, '\n');
};
const many = (raw: SolutionFormValues, k: string): string[] => {
  const v = raw[k];
  return (Array.isArray(v) ? v : v ? [v] : []).map((s) => s.trim()).filter(Boolean);
};
const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The content from the posted form (validation is the model's; unknown list values are reported there). */
export function parseSolutionForm(raw: SolutionFormValues): SolutionContent {
  const c = emptySolution();
  c.name = str(raw, 'name').trim();
  c.summary = str(raw, 'summary').trim();
  c.problem = str(raw, 'problem').trim();
  c.sectors = many(raw, 'sectors');
  c.dataLocation = (str(raw, 'dataLocation').trim() || null) as DataLocation | null;
  c.hostingNote = str(raw, 'hostingNote').trim();
  c.operatingModels = many(raw, 'operatingModels') as OperatingModel[];
  c.licence = str(raw, 'licence').trim();
  c.openSource = str(raw, 'openSource') === 'ja';
  c.publiccodeUrl = str(raw, 'publiccodeUrl').trim();
  c.website = str(raw, 'website').trim();
  c.maintenance = str(raw, 'maintenance').trim();
  c.dependencies = lines(str(raw, 'dependencies'));
  c.priceModel = (str(raw, 'priceModel').trim() || null) as PriceModel | null;
  c.priceNote = str(raw, 'priceNote').trim();
  c.accessibilityUrl = str(raw, 'accessibilityUrl').trim();
  c.standards = many(raw, 'standards');
  const name = str(raw, 'contactName').trim();
  const email = str(raw, 'contactEmail').trim().toLowerCase();
  const phone = str(raw, 'contactPhone').trim();
  c.contact = name || email || phone ? { name, email, phone, visible: str(raw, 'contactVisible') === 'ja' } : null;
  return c;
}

/** The form values of saved content (to fill the form). */
export function solutionFormValues(c: SolutionContent): SolutionFormValues {
  return {
    name: c.name,
    summary: c.summary,
    problem: c.problem,
    sectors: c.sectors,
    dataLocation: c.dataLocation ?? '',
    hostingNote: c.hostingNote,
    operatingModels: c.operatingModels,
    licence: c.licence,
    openSource: c.openSource ? 'ja' : '',
    publiccodeUrl: c.publiccodeUrl,
    website: c.website,
    maintenance: c.maintenance,
    dependencies: c.dependencies.join('\n'),
    priceModel: c.priceModel ?? '',
    priceNote: c.priceNote,
    accessibilityUrl: c.accessibilityUrl,
    standards: c.standards,
    contactName: c.contact?.name ?? '',
    contactEmail: c.contact?.email ?? '',
    contactPhone: c.contact?.phone ?? '',
    contactVisible: c.contact?.visible ? 'ja' : '',
  };
}

/** Validation errors name fields of the content (`standards[2]`, `contact.email`); the form's ids are flat. */
export function formField(field: string): string {
  const base = field.replace(/\[\d+\]$/, '');
  const map: Record<string, string> = {
    'contact.name': 'contactName',
    'contact.email': 'contactEmail',
    'contact.phone': 'contactPhone',
  };
  return map[base] ?? base;
}

/** A group of checkboxes with its legend and error (the first box carries the group's id for the error link). */
export function Checkboxes(props: {
  id: string;
  legend: string;
  options: { value: string; label: string }[];
  selected: readonly string[];
  errors: readonly ShownFieldError[];
}) {
  const error = props.errors.find((e) => e.field === props.id);
  return (
    <fieldset
      class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`}
      aria-describedby={error ? `${props.id}-error` : undefined}
    >
      <legend class="kern-label">{props.legend}</legend>
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

function Check(props: { id: string; label: string; checked: boolean }) {
  return (
    <div class="kern-form-check">
      <input
        class="kern-form-check__checkbox"
        type="checkbox"
        id={props.id}
        name={props.id}
        value="ja"
        checked={props.checked}
      />
      <label class="kern-label" for={props.id}>
        {props.label}
      </label>
    </div>
  );
}

export function SolutionForm(props: {
  ctx: PageContext;
  action: string;
  values: SolutionFormValues;
  errors: readonly ShownFieldError[];
  revision: number | null;
  submitLabel: string;
  /** The actor's provider workspaces (a choice only on the new form with more than one). */
  workspaces?: { id: number; name: string }[];
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
  const standards = [...new Set([...standardChoices(), ...a('standards')])];
  return (
    <form method="post" action={props.action} class="solution-form" noValidate>
      <CsrfField ctx={ctx} />
      {props.revision !== null ? <input type="hidden" name="rev" value={String(props.revision)} /> : null}
      <ErrorSummary ctx={ctx} errors={errors} />
      {props.workspaces && props.workspaces.length > 1 ? (
        <Select
          id="org"
          label={t('market.solutions.form.workspace')}
          value={s('org')}
          options={props.workspaces.map((w) => ({ value: String(w.id), label: w.name }))}
          errors={errors}
        />
      ) : null}
      <h2 class="kern-heading-medium">{t('market.solutions.form.what')}</h2>
      <Field
        id="name"
        label={t('market.solutions.field.name')}
        value={s('name')}
        maxLength={LIMITS.name}
        required
        errors={errors}
      />
      <TextArea
        id="summary"
        label={t('market.solutions.field.summary')}
        hint={t('market.solutions.form.summaryHint', { max: LIMITS.summary })}
        value={s('summary')}
        maxLength={LIMITS.summary}
        rows={2}
        errors={errors}
      />
      <TextArea
        id="problem"
        label={t('market.solutions.field.problem')}
        value={s('problem')}
        maxLength={LIMITS.problem}
        rows={8}
        errors={errors}
      />
      <Checkboxes
        id="sectors"
        legend={t('market.solutions.field.sectors')}
        options={model.sectors.map((x) => ({ value: x.id, label: x.name[lang] }))}
        selected={a('sectors')}
        errors={errors}
      />
      <Field
        id="publiccodeUrl"
        label={t('market.solutions.field.publiccodeUrl')}
        hint={t('market.solutions.form.publiccodeHint')}
        type="url"
        value={s('publiccodeUrl')}
        errors={errors}
      />
      <Field id="website" label={t('market.solutions.field.website')} type="url" value={s('website')} errors={errors} />

      <h2 class="kern-heading-medium">{t('market.solutions.form.how')}</h2>
      <Checkboxes
        id="operatingModels"
        legend={t('market.solutions.field.operatingModels')}
        options={OPERATING_MODELS.map((x) => ({ value: x, label: t(`market.solutions.operating.${x}`) }))}
        selected={a('operatingModels')}
        errors={errors}
      />
      <Select
        id="dataLocation"
        label={t('market.solutions.field.dataLocation')}
        value={s('dataLocation')}
        options={[
          { value: '', label: t('market.solutions.form.choose') },
          ...DATA_LOCATIONS.map((x) => ({ value: x, label: t(`market.solutions.location.${x}`) })),
        ]}
        errors={errors}
      />
      <Field
        id="hostingNote"
        label={t('market.solutions.field.hostingNote')}
        value={s('hostingNote')}
        maxLength={LIMITS.line}
        errors={errors}
      />
      <Field
        id="licence"
        label={t('market.solutions.field.licence')}
        value={s('licence')}
        maxLength={LIMITS.line}
        errors={errors}
      />
      <Check id="openSource" label={t('market.solutions.field.openSource')} checked={s('openSource') === 'ja'} />
      <Field
        id="maintenance"
        label={t('market.solutions.field.maintenance')}
        value={s('maintenance')}
        maxLength={LIMITS.line}
        errors={errors}
      />
      <TextArea
        id="dependencies"
        label={t('market.solutions.field.dependencies')}
        hint={t('market.solutions.form.linesHint')}
        value={s('dependencies')}
        rows={3}
        errors={errors}
      />
      <Select
        id="priceModel"
        label={t('market.solutions.field.priceModel')}
        value={s('priceModel')}
        options={[
          { value: '', label: t('market.solutions.form.choose') },
          ...PRICE_MODELS.map((x) => ({ value: x, label: t(`market.solutions.price.${x}`) })),
        ]}
        errors={errors}
      />
      <TextArea
        id="priceNote"
        label={t('market.solutions.field.priceNote')}
        value={s('priceNote')}
        maxLength={LIMITS.note}
        rows={3}
        errors={errors}
      />

      <h2 class="kern-heading-medium">{t('market.solutions.form.standards')}</h2>
      <Checkboxes
        id="standards"
        legend={t('market.solutions.field.standards')}
        options={standards.map((x) => ({ value: x, label: x }))}
        selected={a('standards')}
        errors={errors}
      />
      <Field
        id="accessibilityUrl"
        label={t('market.solutions.field.accessibilityUrl')}
        type="url"
        value={s('accessibilityUrl')}
        errors={errors}
      />

      <h2 class="kern-heading-medium">{t('market.solutions.form.contact')}</h2>
      <Field
        id="contactName"
        label={t('market.solutions.field.contactName')}
        value={s('contactName')}
        autocomplete="name"
        errors={errors}
      />
      <Field
        id="contactEmail"
        label={t('market.solutions.field.contactEmail')}
        type="email"
        value={s('contactEmail')}
        autocomplete="email"
        errors={errors}
      />
      <Field
        id="contactPhone"
        label={t('market.solutions.field.contactPhone')}
        value={s('contactPhone')}
        autocomplete="tel"
        errors={errors}
      />
      <Check
        id="contactVisible"
        label={t('market.solutions.field.contactVisible')}
        checked={s('contactVisible') === 'ja'}
      />
      <p>
        <SubmitButton label={props.submitLabel} />
      </p>
    </form>
  );
}
