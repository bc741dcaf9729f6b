/**
 * Pages of the events and trainings: the public list with filters and an event's page (registration, waiting
 * list, cancellation; for advisors editing, cancelling, attendance, materials), the registration page, "Meine
 * Veranstaltungen" with the calendar feed, the .ics files and the certificate of attendance. Plain forms
 * (post-redirect-get); errors show the form again with what was typed; a stale version answers 409.
 */
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { SIZE_CLASSES, stateName } from '../../assessment/index.js';
import { AppError, type ShownFieldError } from '../../platform/errors.js';
import { pageContext, sendHtml } from '../../platform/http/context.js';
import {
  Field,
  IdParam,
  OptionalText,
  positiveId,
  Query,
  Select,
  SubmitButton,
  TextArea,
} from '../../platform/http/forms.js';
import { CsrfField, ErrorSummary, type PageContext, renderPage } from '../../platform/http/layout.js';
import type { ModuleDeps } from '../../platform/module.js';
import type { DeskSeams } from '../contract.js';
import { actorOf, deskPage, maybeActor, shown, when } from '../pages.js';
import { renderCertificatePdf } from './certificate.js';
import * as svc from './events.service.js';
import {
  type EventFilter,
  type EventForm,
  FORMATS,
  LIMITS,
  parseFilter,
  STATE_KEYS,
  TARGET_ROLES,
  toBerlinLocal,
} from './model.js';

const Page = deskPage('desk.events.title');

const P = svc.EVENTS_PATH;
const NOTICES = [
  'angelegt',
  'gespeichert',
  'abgesagt',
  'angemeldet',
  'warteliste',
  'abgemeldet',
  'teilnahme',
  'material',
  'widerrufen',
] as const;
type Notice = (typeof NOTICES)[number];
const Params = Type.Object({ id: IdParam });
const MaterialParams = Type.Object({ id: IdParam, material: IdParam });
const FeedParams = Type.Object({ token: Type.String({ maxLength: 200 }) });
const FilterQuery = Query({
  zeit: OptionalText(20),
  format: OptionalText(20),
  land: OptionalText(4),
  groesse: OptionalText(20),
  rolle: OptionalText(20),
  hinweis: OptionalText(20),
});

const listCrumb = (ctx: PageContext) => ({ href: P, label: ctx.t('desk.events.title') });
const sizeLabel = (ctx: PageContext, id: string) => SIZE_CLASSES.find((c) => c.id === id)?.label[ctx.lang] ?? id;
const roleLabel = (ctx: PageContext, id: string) =>
  (TARGET_ROLES as readonly string[]).includes(id)
    ? ctx.t(`desk.events.role.${id as (typeof TARGET_ROLES)[number]}`)
    : id;

/** The target group in words ("alle" where nothing is chosen). */
function targetGroup(ctx: PageContext, ev: svc.EventRow) {
  const all = ctx.t('desk.events.everyone');
  return [
    { label: ctx.t('desk.events.sizeClasses'), value: ev.sizeClasses.map((s) => sizeLabel(ctx, s)).join(', ') || all },
    { label: ctx.t('desk.events.states'), value: ev.stateKeys.map((s) => stateName(ctx.t, s)).join(', ') || all },
    { label: ctx.t('desk.events.roles'), value: ev.targetRoles.map((r) => roleLabel(ctx, r)).join(', ') || all },
  ];
}

function placesText(ctx: PageContext, ev: svc.EventRow) {
  if (ev.status === 'cancelled') return ctx.t('desk.events.statusCancelled');
  const free = Math.max(0, ev.capacity - ev.registered);
  return free > 0
    ? ctx.t('desk.events.placesFree', { free, capacity: ev.capacity })
    : ctx.t('desk.events.placesFull', { capacity: ev.capacity, waiting: ev.waiting });
}

// ---------------------------------------------------------------------------------------------
// The list

function FilterForm({ ctx, f }: { ctx: PageContext; f: EventFilter }) {
  const { t } = ctx;
  return (
    <form method="get" action={P} class="filter-form">
      <Select
        id="zeit"
        label={t('desk.events.filter.when')}
        options={[
          { value: 'kommend', label: t('desk.events.filter.upcoming') },
          { value: 'vergangen', label: t('desk.events.filter.past') },
        ]}
        value={f.when === 'past' ? 'vergangen' : 'kommend'}
        errors={[]}
      />
      <Select
        id="format"
        label={t('desk.events.format')}
        options={[
          { value: '', label: t('desk.events.filter.any') },
          ...FORMATS.map((x) => ({ value: x, label: t(`desk.events.format.${x}`) })),
        ]}
        value={f.format ?? ''}
        errors={[]}
      />
      <Select
        id="land"
        label={t('desk.events.state')}
        options={[
          { value: '', label: t('desk.events.filter.any') },
          ...STATE_KEYS.map((k) => ({ value: k, label: stateName(t, k) })),
        ]}
        value={f.stateKey ?? ''}
        errors={[]}
      />
      <Select
        id="groesse"
        label={t('desk.events.sizeClass')}
        options={[
          { value: '', label: t('desk.events.filter.any') },
          ...SIZE_CLASSES.map((c) => ({ value: c.id, label: c.label[ctx.lang] })),
        ]}
        value={f.sizeClass ?? ''}
        errors={[]}
      />
      <Select
        id="rolle"
        label={t('desk.events.role')}
        options={[
          { value: '', label: t('desk.events.filter.any') },
          ...TARGET_ROLES.map((r) => ({ value: r, label: t(`desk.events.role.${r}`) })),
        ]}
        value={f.role ?? ''}
        errors={[]}
      />
      <SubmitButton label={t('desk.events.filter.apply')} secondary />
    </form>
  );
}

function ListPage({ ctx, v, notice }: { ctx: PageContext; v: svc.ListView; notice: string | null }) {
  const { t } = ctx;
  const caption = v.filter.when === 'past' ? t('desk.events.pastCaption') : t('desk.events.upcomingCaption');
  return (
    <Page ctx={ctx} title={t('desk.events.title')} notice={notice}>
      <p>{t('desk.events.lead')}</p>
      <p>
        {ctx.user ? (
          <a class="kern-link" href={`${P}/meine`}>
            {t('desk.events.mineTitle')}
          </a>
        ) : null}
        {v.isAdvisor ? (
          <>
            {' · '}
            <a class="kern-link" href={`${P}/neu`}>
              {t('desk.events.create')}
            </a>
          </>
        ) : null}
      </p>
      <h2 class="kern-heading-medium">{t('desk.events.filter.title')}</h2>
      <FilterForm ctx={ctx} f={v.filter} />
      <h2 class="kern-heading-medium">{caption}</h2>
      <p role="status">{t('desk.events.count', { n: v.rows.length })}</p>
      {v.rows.length ? (
        <div class="table-wrap">
          <table class="kern-table">
            <caption class="kern-table__caption">{caption}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('desk.events.eventTitle')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.events.startsAt')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.events.format')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.events.places')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {v.rows.map((ev) => (
                <tr class="kern-table__row" key={ev.id}>
                  <td class="kern-table__cell">
                    <a class="kern-link" href={svc.eventPath(ev.id)}>
                      {ev.title}
                    </a>
                  </td>
                  <td class="kern-table__cell">{when(ctx, ev.startsAt)}</td>
                  <td class="kern-table__cell">
                    {t(`desk.events.format.${ev.format}`)}
                    {ev.format === 'onsite' && ev.address ? `: ${ev.address}` : ''}
                  </td>
                  <td class="kern-table__cell">{placesText(ctx, ev)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('desk.events.none')}</p>
      )}
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// One event

function Facts({ facts }: { facts: { label: string; value: ComponentChildren }[] }) {
  return (
    <dl class="kern-description-list">
      {facts.map((f) => (
        <div class="kern-description-list-item" key={f.label}>
          <dt class="kern-description-list-item__key">{f.label}</dt>
          <dd class="kern-description-list-item__value">{f.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function RegistrationBox({
  ctx,
  v,
  errors,
}: {
  ctx: PageContext;
  v: svc.EventView;
  errors: readonly ShownFieldError[];
}) {
  const { t } = ctx;
  const { ev, mine } = v;
  const active = mine && mine.status !== 'cancelled' ? mine : null;
  return (
    <section aria-labelledby="registration-heading">
      <h2 class="kern-heading-medium" id="registration-heading">
        {t('desk.events.registration')}
      </h2>
      <ErrorSummary ctx={ctx} errors={errors} />
      <p>{placesText(ctx, ev)}</p>
      <p>{t('desk.events.deadline', { at: when(ctx, ev.registrationDeadline) })}</p>
      {active?.status === 'registered' ? (
        <p class="registration-state">
          <strong>{t('desk.events.youAreRegistered')}</strong>
        </p>
      ) : null}
      {active?.status === 'waiting' ? (
        <p class="registration-state">
          <strong>{t('desk.events.youAreWaiting', { position: v.position ?? 0 })}</strong>
        </p>
      ) : null}
      {active ? (
        <form method="post" action={`${svc.eventPath(ev.id)}/abmelden`}>
          <CsrfField ctx={ctx} />
          <SubmitButton
            label={t(active.status === 'waiting' ? 'desk.events.leaveWaiting' : 'desk.events.unregister')}
            secondary
          />
        </form>
      ) : v.open ? (
        ctx.user ? (
          <form method="post" action={`${svc.eventPath(ev.id)}/anmelden`}>
            <CsrfField ctx={ctx} />
            <SubmitButton
              label={t(
                ev.registered >= ev.capacity || ev.waiting > 0 ? 'desk.events.joinWaiting' : 'desk.events.register',
              )}
            />
          </form>
        ) : (
          <p>
            <a class="kern-btn kern-btn--primary" href={`${svc.eventPath(ev.id)}/anmelden`}>
              <span class="kern-label">{t('desk.events.registerSignIn')}</span>
            </a>
          </p>
        )
      ) : ev.status === 'scheduled' ? (
        <p>{t('desk.events.closed')}</p>
      ) : null}
      {active?.status === 'registered' && active.attended === true ? (
        <p>
          <a class="kern-link" href={`${svc.eventPath(ev.id)}/bescheinigung`}>
            {t('desk.events.certificate')}
          </a>
        </p>
      ) : null}
    </section>
  );
}

function AdvisorTools({
  ctx,
  v,
  errors,
  values,
}: {
  ctx: PageContext;
  v: svc.EventView;
  errors: readonly ShownFieldError[];
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const { ev } = v;
  const registered = v.registrations.filter((r) => r.status === 'registered');
  const waiting = v.registrations.filter((r) => r.status === 'waiting');
  return (
    <section aria-labelledby="advisor-heading">
      <h2 class="kern-heading-medium" id="advisor-heading">
        {t('desk.events.advisorTools')}
      </h2>
      {ev.status === 'scheduled' ? (
        <p>
          <a class="kern-link" href={`${svc.eventPath(ev.id)}/bearbeiten`}>
            {t('desk.events.edit')}
          </a>
        </p>
      ) : null}
      <h3 class="kern-heading-small">{t('desk.events.participants', { n: registered.length })}</h3>
      {registered.length ? (
        <form method="post" action={`${svc.eventPath(ev.id)}/teilnahme`}>
          <CsrfField ctx={ctx} />
          <fieldset class="kern-fieldset">
            <legend class="kern-label">{t('desk.events.attendance')}</legend>
            <div class="kern-fieldset__body">
              {registered.map((r) => (
                <div class="kern-form-check" key={r.id}>
                  <input
                    class="kern-form-check__checkbox"
                    type="checkbox"
                    id={`attended-${r.userId}`}
                    name="attended"
                    value={String(r.userId)}
                    checked={r.attended === true}
                    disabled={!v.started}
                  />
                  <label class="kern-label" for={`attended-${r.userId}`}>
                    {r.name}
                    {r.attended === true
                      ? ` (${t('desk.events.attended')})`
                      : r.attended === false
                        ? ` (${t('desk.events.absent')})`
                        : ''}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          {v.started ? (
            <SubmitButton label={t('desk.events.saveAttendance')} secondary />
          ) : (
            <p>{t('desk.events.attendanceLater')}</p>
          )}
        </form>
      ) : (
        <p>{t('desk.events.noParticipants')}</p>
      )}
      <h3 class="kern-heading-small">{t('desk.events.waitingList', { n: waiting.length })}</h3>
      {waiting.length ? (
        <ol>
          {waiting.map((r) => (
            <li key={r.id}>{r.name}</li>
          ))}
        </ol>
      ) : (
        <p>{t('desk.events.noWaiting')}</p>
      )}
      <h3 class="kern-heading-small">{t('desk.events.addMaterial')}</h3>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={`${svc.eventPath(ev.id)}/materialien`} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        <Select
          id="kind"
          label={t('desk.events.materialKind')}
          options={[
            { value: 'material', label: t('desk.events.kind.material') },
            { value: 'recording', label: t('desk.events.kind.recording') },
          ]}
          value={values.kind}
          errors={errors}
        />
        <Field
          id="materialTitle"
          label={t('desk.events.materialTitle')}
          value={values.materialTitle}
          maxLength={LIMITS.materialTitle}
          errors={errors}
        />
        <Field
          id="url"
          type="url"
          label={t('desk.events.materialUrl')}
          value={values.url}
          maxLength={LIMITS.url}
          errors={errors}
        />
        <SubmitButton label={t('desk.events.addMaterialSubmit')} secondary />
      </form>
      {ev.status === 'scheduled' ? (
        <>
          <h3 class="kern-heading-small">{t('desk.events.cancelEvent')}</h3>
          <form method="post" action={`${svc.eventPath(ev.id)}/absagen`}>
            <CsrfField ctx={ctx} />
            <input type="hidden" name="version" value={String(ev.version)} />
            <p>{t('desk.events.cancelEventHint')}</p>
            <SubmitButton label={t('desk.events.cancelEventSubmit')} secondary />
          </form>
        </>
      ) : null}
    </section>
  );
}

function EventPage(props: {
  ctx: PageContext;
  v: svc.EventView;
  notice: string | null;
  errors?: readonly ShownFieldError[];
  adviseErrors?: readonly ShownFieldError[];
  values?: Record<string, string>;
}) {
  const { ctx, v } = props;
  const { t } = ctx;
  const { ev } = v;
  const registered = v.mine?.status === 'registered';
  const location =
    ev.format === 'onsite' ? (
      ev.address
    ) : registered ? (
      <a class="kern-link" href={ev.joinUrl ?? '#'}>
        {ev.joinUrl}
      </a>
    ) : (
      t('desk.events.joinLinkHidden')
    );
  return (
    <Page ctx={ctx} title={ev.title} crumbs={[listCrumb(ctx), { label: ev.title }]} notice={props.notice}>
      {ev.status === 'cancelled' ? (
        <div class="kern-alert kern-alert--warning" role="status">
          <div class="kern-alert__body">
            <p>
              <strong>{t('desk.events.cancelledNotice')}</strong>
            </p>
          </div>
        </div>
      ) : null}
      <Facts
        facts={[
          { label: t('desk.events.startsAt'), value: when(ctx, ev.startsAt) },
          { label: t('desk.events.endsAt'), value: when(ctx, ev.endsAt) },
          { label: t('desk.events.format'), value: t(`desk.events.format.${ev.format}`) },
          { label: ev.format === 'onsite' ? t('desk.events.address') : t('desk.events.joinUrl'), value: location },
          ...targetGroup(ctx, ev),
        ]}
      />
      {ev.description
        ? ev.description.split(/\n{2,}/).map((para, i) => (
            <p key={String(i)} class="event-description">
              {para}
            </p>
          ))
        : null}
      <p>
        <a class="kern-link" href={`${svc.eventPath(ev.id)}.ics`}>
          {t('desk.events.ics')}
        </a>
      </p>
      <RegistrationBox ctx={ctx} v={v} errors={props.errors ?? []} />
      {v.materials.length ? (
        <section aria-labelledby="materials-heading">
          <h2 class="kern-heading-medium" id="materials-heading">
            {t('desk.events.materials')}
          </h2>
          <ul>
            {v.materials.map((m) => (
              <li key={m.id}>
                {t(`desk.events.kind.${m.kind}`)}:{' '}
                <a class="kern-link" href={m.url} rel="noopener noreferrer">
                  {m.title}
                </a>
                {v.isAdvisor ? (
                  <form
                    method="post"
                    action={`${svc.eventPath(ev.id)}/materialien/${m.id}/loeschen`}
                    class="inline-form"
                  >
                    <CsrfField ctx={ctx} />
                    <button class="kern-btn kern-btn--tertiary" type="submit">
                      <span class="kern-label">{t('desk.events.deleteMaterial', { title: m.title })}</span>
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {v.isAdvisor ? (
        <AdvisorTools ctx={ctx} v={v} errors={props.adviseErrors ?? []} values={props.values ?? {}} />
      ) : null}
    </Page>
  );
}

function RegisterPage({ ctx, v, errors }: { ctx: PageContext; v: svc.EventView; errors: readonly ShownFieldError[] }) {
  const { t } = ctx;
  const title = t('desk.events.registerTitle', { title: v.ev.title });
  return (
    <Page
      ctx={ctx}
      title={title}
      crumbs={[
        listCrumb(ctx),
        { href: svc.eventPath(v.ev.id), label: v.ev.title },
        { label: t('desk.events.registration') },
      ]}
    >
      <Facts
        facts={[
          { label: t('desk.events.startsAt'), value: when(ctx, v.ev.startsAt) },
          { label: t('desk.events.format'), value: t(`desk.events.format.${v.ev.format}`) },
        ]}
      />
      <RegistrationBox ctx={ctx} v={v} errors={errors} />
      <p>
        <a class="kern-link" href={svc.eventPath(v.ev.id)}>
          {t('desk.events.back')}
        </a>
      </p>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// The event form (create and edit)

function DateTimeField(props: {
  id: string;
  label: string;
  hint: string;
  value?: string;
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
      <input
        class={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        type="datetime-local"
        id={props.id}
        name={props.id}
        value={props.value ?? ''}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
      />
    </div>
  );
}

function Checkboxes(props: {
  name: string;
  legend: string;
  hint: string;
  options: readonly { value: string; label: string }[];
  selected: readonly string[];
  errors: readonly ShownFieldError[];
}) {
  const error = props.errors.find((e) => e.field === props.name);
  const described = [`${props.name}-hint`, error ? `${props.name}-error` : null].filter(Boolean).join(' ');
  return (
    <fieldset class={`kern-fieldset${error ? ' kern-fieldset--error' : ''}`} aria-describedby={described}>
      <legend class="kern-label">{props.legend}</legend>
      <div class="kern-hint" id={`${props.name}-hint`}>
        {props.hint}
      </div>
      {error ? (
        <p class="kern-error" id={`${props.name}-error`}>
          {error.message}
        </p>
      ) : null}
      <div class="kern-fieldset__body">
        {props.options.map((o, i) => {
          const id = i === 0 ? props.name : `${props.name}-${i}`;
          return (
            <div class="kern-form-check" key={o.value}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={id}
                name={props.name}
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

const asList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const asOne = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));

/** The form's values of an existing event. */
function formOf(ev: svc.EventRow): EventForm {
  return {
    title: ev.title,
    description: ev.description,
    format: ev.format,
    joinUrl: ev.joinUrl ?? '',
    address: ev.address ?? '',
    sizeClasses: ev.sizeClasses,
    stateKeys: ev.stateKeys,
    targetRoles: ev.targetRoles,
    startsAt: toBerlinLocal(ev.startsAt),
    endsAt: toBerlinLocal(ev.endsAt),
    registrationDeadline: toBerlinLocal(ev.registrationDeadline),
    capacity: String(ev.capacity),
    version: String(ev.version),
  };
}

function EventFormPage(props: {
  ctx: PageContext;
  values: EventForm;
  errors: readonly ShownFieldError[];
  edit: svc.EventRow | null;
}) {
  const { ctx, values: v, errors, edit } = props;
  const { t } = ctx;
  const title = edit ? t('desk.events.editTitle', { title: edit.title }) : t('desk.events.create');
  const action = edit ? `${svc.eventPath(edit.id)}/bearbeiten` : `${P}/neu`;
  const format = asOne(v.format) || 'online';
  return (
    <Page
      ctx={ctx}
      title={title}
      crumbs={[
        listCrumb(ctx),
        ...(edit ? [{ href: svc.eventPath(edit.id), label: edit.title }] : []),
        { label: edit ? t('desk.events.edit') : t('desk.events.create') },
      ]}
    >
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action={action} class="form-narrow" novalidate>
        <CsrfField ctx={ctx} />
        {edit ? <input type="hidden" name="version" value={asOne(v.version) || String(edit.version)} /> : null}
        <Field
          id="title"
          label={t('desk.events.eventTitle')}
          value={asOne(v.title)}
          maxLength={LIMITS.title}
          errors={errors}
          required
        />
        <TextArea
          id="description"
          label={t('desk.events.description')}
          value={asOne(v.description)}
          maxLength={LIMITS.description}
          rows={6}
          errors={errors}
        />
        <fieldset class="kern-fieldset" id="format">
          <legend class="kern-label">{t('desk.events.format')}</legend>
          <div class="kern-fieldset__body">
            {FORMATS.map((f) => (
              <div class="kern-form-check" key={f}>
                <input
                  class="kern-form-check__radio"
                  type="radio"
                  id={`format-${f}`}
                  name="format"
                  value={f}
                  checked={format === f}
                />
                <label class="kern-label" for={`format-${f}`}>
                  {t(`desk.events.format.${f}`)}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
        <Field
          id="joinUrl"
          type="url"
          label={t('desk.events.joinUrl')}
          hint={t('desk.events.joinUrlHint')}
          value={asOne(v.joinUrl)}
          maxLength={LIMITS.url}
          errors={errors}
        />
        <TextArea
          id="address"
          label={t('desk.events.address')}
          hint={t('desk.events.addressHint')}
          value={asOne(v.address)}
          maxLength={LIMITS.address}
          rows={3}
          errors={errors}
        />
        <DateTimeField
          id="startsAt"
          label={t('desk.events.startsAt')}
          hint={t('desk.events.timeHint')}
          value={asOne(v.startsAt)}
          errors={errors}
        />
        <DateTimeField
          id="endsAt"
          label={t('desk.events.endsAt')}
          hint={t('desk.events.timeHint')}
          value={asOne(v.endsAt)}
          errors={errors}
        />
        <DateTimeField
          id="registrationDeadline"
          label={t('desk.events.registrationDeadline')}
          hint={t('desk.events.timeHint')}
          value={asOne(v.registrationDeadline)}
          errors={errors}
        />
        <Field
          id="capacity"
          inputmode="numeric"
          label={t('desk.events.capacity')}
          value={asOne(v.capacity)}
          maxLength={6}
          errors={errors}
        />
        <Checkboxes
          name="sizeClasses"
          legend={t('desk.events.sizeClasses')}
          hint={t('desk.events.targetHint')}
          options={SIZE_CLASSES.map((c) => ({ value: c.id, label: c.label[ctx.lang] }))}
          selected={asList(v.sizeClasses)}
          errors={errors}
        />
        <Checkboxes
          name="stateKeys"
          legend={t('desk.events.states')}
          hint={t('desk.events.targetHint')}
          options={STATE_KEYS.map((k) => ({ value: k, label: stateName(t, k) }))}
          selected={asList(v.stateKeys)}
          errors={errors}
        />
        <Checkboxes
          name="targetRoles"
          legend={t('desk.events.roles')}
          hint={t('desk.events.targetHint')}
          options={TARGET_ROLES.map((r) => ({ value: r, label: t(`desk.events.role.${r}`) }))}
          selected={asList(v.targetRoles)}
          errors={errors}
        />
        <SubmitButton label={edit ? t('desk.events.save') : t('desk.events.createSubmit')} />
      </form>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Mine and the feed

function MinePage({
  ctx,
  v,
  token,
  notice,
}: {
  ctx: PageContext;
  v: svc.MineView;
  token: string | null;
  notice: string | null;
}) {
  const { t } = ctx;
  return (
    <Page
      ctx={ctx}
      title={t('desk.events.mineTitle')}
      crumbs={[listCrumb(ctx), { label: t('desk.events.mineTitle') }]}
      notice={notice}
    >
      {v.rows.length ? (
        <div class="table-wrap">
          <table class="kern-table">
            <caption class="kern-table__caption">{t('desk.events.mineTitle')}</caption>
            <thead class="kern-table__head">
              <tr class="kern-table__row">
                <th scope="col" class="kern-table__header">
                  {t('desk.events.eventTitle')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.events.startsAt')}
                </th>
                <th scope="col" class="kern-table__header">
                  {t('desk.events.registration')}
                </th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {v.rows.map((r) => (
                <tr class="kern-table__row" key={r.id}>
                  <td class="kern-table__cell">
                    <a class="kern-link" href={svc.eventPath(r.id)}>
                      {r.title}
                    </a>
                  </td>
                  <td class="kern-table__cell">{when(ctx, r.startsAt)}</td>
                  <td class="kern-table__cell">
                    {r.status === 'cancelled' ? t('desk.events.statusCancelled') : t(`desk.events.reg.${r.regStatus}`)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>{t('desk.events.noMine')}</p>
      )}
      <h2 class="kern-heading-medium">{t('desk.events.feedTitle')}</h2>
      <p>{t('desk.events.feedLead')}</p>
      {token ? (
        <div class="kern-alert kern-alert--info" role="status">
          <div class="kern-alert__body">
            <p>{t('desk.events.feedShownOnce')}</p>
            <p>
              <label class="kern-label" for="feed-url">
                {t('desk.events.feedUrl')}
              </label>
              <input class="kern-form-input__input" id="feed-url" type="text" readOnly value={token} />
            </p>
          </div>
        </div>
      ) : v.feedCreatedAt ? (
        <p>{t('desk.events.feedExists', { at: when(ctx, v.feedCreatedAt) })}</p>
      ) : (
        <p>{t('desk.events.feedNone')}</p>
      )}
      <form method="post" action={`${P}/feed`}>
        <CsrfField ctx={ctx} />
        <SubmitButton label={v.feedCreatedAt ? t('desk.events.feedRenew') : t('desk.events.feedCreate')} secondary />
      </form>
      {v.feedCreatedAt ? (
        <form method="post" action={`${P}/feed/widerrufen`}>
          <CsrfField ctx={ctx} />
          <SubmitButton label={t('desk.events.feedRevoke')} secondary />
        </form>
      ) : null}
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Routes

export function eventPages(d: ModuleDeps, seams: DeskSeams): FastifyPluginAsync {
  return async (plain: FastifyInstance) => {
    const app = plain.withTypeProvider<TypeBoxTypeProvider>();
    const deps = (): svc.EventDeps => ({
      db: d.db,
      now: d.clock,
      notifier: seams.notifier,
      t: d.i18n.translator('de'),
      publicUrl: d.config.publicUrl,
    });
    const user = { config: { access: 'user' as const } };
    const pub = { config: { access: 'public' as const } };
    const noticeOf = (ctx: PageContext, raw: string | undefined) =>
      raw && (NOTICES as readonly string[]).includes(raw) ? ctx.t(`desk.events.notice.${raw as Notice}`) : null;
    const hinweis = (request: FastifyRequest) => (request.query as { hinweis?: string } | undefined)?.hinweis;
    const body = (request: FastifyRequest) => (request.body ?? {}) as Record<string, string | string[] | undefined>;
    const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
    const version = (f: Record<string, string | string[] | undefined>) =>
      /^\d{1,9}$/.test(one(f.version)) ? Number(one(f.version)) : -1;
    const sendIcs = (reply: FastifyReply, ics: string, name: string) =>
      reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', `inline; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(ics);

    const eventPage = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      extra: {
        errors?: ShownFieldError[];
        adviseErrors?: ShownFieldError[];
        values?: Record<string, string>;
        status?: number;
      } = {},
    ) => {
      const ctx = pageContext(request);
      const v = await svc.eventView(deps(), maybeActor(request), id);
      return sendHtml(
        reply,
        renderPage(
          <EventPage
            ctx={ctx}
            v={v}
            notice={noticeOf(ctx, hinweis(request))}
            errors={extra.errors}
            adviseErrors={extra.adviseErrors}
            values={extra.values}
          />,
        ),
        extra.status ?? 200,
      );
    };
    /** Run a change of the event; a 400/409 shows the event page again with the summary. */
    const onEvent = async (
      request: FastifyRequest,
      reply: FastifyReply,
      id: number,
      run: () => Promise<Notice>,
      where: 'registration' | 'advise' = 'registration',
    ) => {
      try {
        const notice = await run();
        return reply.redirect(`${svc.eventPath(id)}?hinweis=${notice}`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          const errors = shown(request, err);
          const f = body(request);
          return eventPage(request, reply, id, {
            ...(where === 'advise' ? { adviseErrors: errors } : { errors }),
            values: { kind: one(f.kind), materialTitle: one(f.materialTitle), url: one(f.url) },
            status: err.status,
          });
        }
        throw err;
      }
    };

    app.get(P, { ...pub, schema: { querystring: FilterQuery } }, async (request, reply) => {
      const ctx = pageContext(request);
      const v = await svc.listView(d.db, maybeActor(request), parseFilter(request.query), d.clock());
      return sendHtml(reply, renderPage(<ListPage ctx={ctx} v={v} notice={noticeOf(ctx, request.query.hinweis)} />));
    });

    // ---- create and edit (advisors)
    app.get(`${P}/neu`, user, async (request, reply) => {
      await svc.requireAdvisor(d.db, actorOf(request));
      return sendHtml(
        reply,
        renderPage(
          <EventFormPage
            ctx={pageContext(request)}
            values={{ format: 'online', capacity: '30' }}
            errors={[]}
            edit={null}
          />,
        ),
      );
    });
    app.post(`${P}/neu`, user, async (request, reply) => {
      const f = body(request);
      try {
        const id = await svc.createEvent(deps(), actorOf(request), f);
        return reply.redirect(`${svc.eventPath(id)}?hinweis=angelegt`, 303);
      } catch (err) {
        if (err instanceof AppError && err.status === 400) {
          return sendHtml(
            reply,
            renderPage(
              <EventFormPage ctx={pageContext(request)} values={f} errors={shown(request, err)} edit={null} />,
            ),
            400,
          );
        }
        throw err;
      }
    });
    app.get(`${P}/:id/bearbeiten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const v = await svc.eventView(deps(), actorOf(request), id);
      if (!v.isAdvisor) await svc.requireAdvisor(d.db, actorOf(request)); // 403 for everybody else
      return sendHtml(
        reply,
        renderPage(<EventFormPage ctx={pageContext(request)} values={formOf(v.ev)} errors={[]} edit={v.ev} />),
      );
    });
    app.post(`${P}/:id/bearbeiten`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const f = body(request);
      try {
        await svc.updateEvent(deps(), actorOf(request), id, version(f), f);
        return reply.redirect(`${svc.eventPath(id)}?hinweis=gespeichert`, 303);
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          const ev = await svc.publicEvent(d.db, id);
          // After a conflict the form carries the current version, so saving again overwrites knowingly.
          const values = err.status === 409 ? { ...f, version: String(ev.version) } : f;
          return sendHtml(
            reply,
            renderPage(
              <EventFormPage ctx={pageContext(request)} values={values} errors={shown(request, err)} edit={ev} />,
            ),
            err.status,
          );
        }
        throw err;
      }
    });
    app.post(`${P}/:id/absagen`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onEvent(
        request,
        reply,
        id,
        async () => {
          await svc.cancelEvent(deps(), actorOf(request), id, version(body(request)));
          return 'abgesagt';
        },
        'advise',
      );
    });
    app.post(`${P}/:id/teilnahme`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const ids = (() => {
        const a = body(request).attended;
        return (Array.isArray(a) ? a : a ? [a] : []).filter((x) => /^\d{1,15}$/.test(x)).map(Number);
      })();
      return onEvent(
        request,
        reply,
        id,
        async () => {
          await svc.markAttendance(deps(), actorOf(request), id, ids);
          return 'teilnahme';
        },
        'advise',
      );
    });
    app.post(`${P}/:id/materialien`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      const f = body(request);
      return onEvent(
        request,
        reply,
        id,
        async () => {
          await svc.addMaterial(deps(), actorOf(request), id, {
            kind: one(f.kind),
            title: one(f.materialTitle),
            url: one(f.url),
          });
          return 'material';
        },
        'advise',
      );
    });
    app.post(
      `${P}/:id/materialien/:material/loeschen`,
      { ...user, schema: { params: MaterialParams } },
      async (request, reply) => {
        const id = positiveId(request.params.id);
        await svc.deleteMaterial(deps(), actorOf(request), id, positiveId(request.params.material));
        return reply.redirect(`${svc.eventPath(id)}?hinweis=material`, 303);
      },
    );

    // ---- mine and the feed
    app.get(
      `${P}/meine`,
      { ...user, schema: { querystring: Query({ hinweis: OptionalText(20) }) } },
      async (request, reply) => {
        const ctx = pageContext(request);
        const v = await svc.mineView(d.db, actorOf(request));
        return sendHtml(
          reply,
          renderPage(<MinePage ctx={ctx} v={v} token={null} notice={noticeOf(ctx, request.query.hinweis)} />),
        );
      },
    );
    app.post(`${P}/feed`, user, async (request, reply) => {
      const ctx = pageContext(request);
      const token = await svc.renewFeedToken(deps(), actorOf(request));
      const v = await svc.mineView(d.db, actorOf(request));
      const url = new URL(svc.feedPath(token), d.config.publicUrl).toString();
      reply.header('cache-control', 'no-store');
      return sendHtml(reply, renderPage(<MinePage ctx={ctx} v={v} token={url} notice={null} />));
    });
    app.post(`${P}/feed/widerrufen`, user, async (request, reply) => {
      await svc.revokeFeedToken(d.db, actorOf(request));
      return reply.redirect(`${P}/meine?hinweis=widerrufen`, 303);
    });
    app.get(`${P}/feed/:token.ics`, { ...pub, schema: { params: FeedParams } }, async (request, reply) =>
      sendIcs(reply, await svc.feedIcs(deps(), request.params.token), 'veranstaltungen.ics'),
    );

    // ---- one event
    app.get(
      `${P}/:id`,
      { ...pub, schema: { params: Params, querystring: Query({ hinweis: OptionalText(20) }) } },
      async (request, reply) => eventPage(request, reply, positiveId(request.params.id)),
    );
    app.get(`${P}/:id.ics`, { ...pub, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return sendIcs(reply, await svc.eventIcs(deps(), maybeActor(request), id), `veranstaltung-${id}.ics`);
    });
    app.get(`${P}/:id/anmelden`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const v = await svc.eventView(deps(), actorOf(request), positiveId(request.params.id));
      return sendHtml(reply, renderPage(<RegisterPage ctx={pageContext(request)} v={v} errors={[]} />));
    });
    app.post(`${P}/:id/anmelden`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      try {
        const status = await svc.register(deps(), actorOf(request), id);
        return reply.redirect(
          `${svc.eventPath(id)}?hinweis=${status === 'registered' ? 'angemeldet' : 'warteliste'}`,
          303,
        );
      } catch (err) {
        if (err instanceof AppError && (err.status === 400 || err.status === 409)) {
          const v = await svc.eventView(deps(), actorOf(request), id);
          return sendHtml(
            reply,
            renderPage(<RegisterPage ctx={pageContext(request)} v={v} errors={shown(request, err)} />),
            err.status,
          );
        }
        throw err;
      }
    });
    app.post(`${P}/:id/abmelden`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const id = positiveId(request.params.id);
      return onEvent(request, reply, id, async () => {
        await svc.cancelRegistration(deps(), actorOf(request), id);
        return 'abgemeldet';
      });
    });
    app.get(`${P}/:id/bescheinigung`, { ...user, schema: { params: Params } }, async (request, reply) => {
      const ctx = pageContext(request);
      const id = positiveId(request.params.id);
      const c = await svc.certificate(d.db, actorOf(request), id);
      const pdf = await renderCertificatePdf(c, ctx.t, ctx.lang, d.clock());
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="teilnahmebescheinigung-${id}.pdf"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    });
  };
}
