/**
 * The module contract. A module is one folder under `src/` with a public `index.ts` (what other modules may
 * use) and a declaration `module.ts` that says everything the platform needs to know about it: its routes,
 * its rows of the route × role table, its API token scopes, its actions, its messages, its navigation entries,
 * its personal data (export and erasure), its migrations and tables, its event subscriptions, its CLI
 * commands. The composition root (`src/app.ts`, `src/cli.ts`) loops over the list in `src/modules.ts`; adding a
 * module touches no other central file.
 */
import type { TSchema } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Config } from './config.js';
import type { Db } from './db/db.js';
import type { EventBus, Subscription } from './events/events.js';
import type { AuthUser } from './http/auth.js';
import type { PageContext } from './http/layout.js';
import type { Catalogue, I18n, MessageKey } from './i18n/i18n.js';
import type { Mailer } from './mail/mailer.js';
import type { Action } from './policy.js';
import type { RateLimits } from './ratelimit/rate-limit.js';

/** What a module's routes, jobs and commands are given (no global singletons: tests hand in their own). */
export interface ModuleDeps {
  config: Config;
  db: Db;
  mailer: Mailer;
  events: EventBus;
  limits: RateLimits;
  i18n: I18n;
  clock: () => Date;
  /** Work to run after the response has been sent (see http/tasks.ts). */
  tasks: Tasks;
  /** All modules of this platform (for cross-cutting use cases such as the personal-data export). */
  modules: readonly Module[];
}

export interface Tasks {
  /** Run `fn` in the background; errors are logged. */
  run(name: string, fn: () => Promise<unknown>): void;
  /** Wait until every task started so far has finished (tests, shutdown). */
  idle(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// The route × role table

/** The roles every route is called as by the access-table test. */
export const TEST_ROLES = ['anonymous', 'user', 'member', 'orgAdmin', 'advisor', 'platformAdmin'] as const;
export type TestRole = (typeof TEST_ROLES)[number];

/**
 * 'allow': the handler did its work (2xx, or a redirect other than to the login, or the row's `allowStatus`);
 * 'login': 303 to /anmelden for pages, 401 for the API; 'deny': 403; 'notFound': 404 (the thing does not exist
 * for this person, e.g. leaving a workspace one is not a member of); 'conflict': 409 (e.g. the only admin
 * leaving).
 */
export type Outcome = 'allow' | 'login' | 'deny' | 'notFound' | 'conflict';

export interface AccessRow {
  roles: Record<TestRole, Outcome>;
  /**
   * The sample request. Values starting with `$` are fixtures the access-table test resolves before each call
   * (`$org`, `$region`, `$check`, `$submittedCheck`, `$question`, `$request`, `$member`, `$selfEmail`,
   * `$token:<purpose>` …; see src/platform/__tests__/access-table.int.test.ts). A route whose handler needs a
   * particular input to succeed declares it here, so that "allow" means the handler really did its work.
   */
  params?: Record<string, string>;
  query?: Record<string, string>;
  form?: Record<string, string>;
  /** The status an allowed call answers with when it is not 2xx/3xx by design (e.g. 410 for a used link). */
  allowStatus?: number;
}

const row = (
  anonymous: Outcome,
  user: Outcome,
  member: Outcome,
  orgAdmin: Outcome,
  advisor: Outcome,
  platformAdmin: Outcome,
): Record<TestRole, Outcome> => ({ anonymous, user, member, orgAdmin, advisor, platformAdmin });

/** Common rows; modules add their own where the rule differs. */
export const ROWS = {
  public: row('allow', 'allow', 'allow', 'allow', 'allow', 'allow'),
  user: row('login', 'allow', 'allow', 'allow', 'allow', 'allow'),
  platformAdmin: row('login', 'deny', 'deny', 'deny', 'deny', 'allow'),
  custom: row,
} as const;

export const access = (roles: Record<TestRole, Outcome>, sample: Omit<AccessRow, 'roles'> = {}): AccessRow => ({
  roles,
  ...sample,
});

// ---------------------------------------------------------------------------------------------
// Declarations

export interface NavEntry {
  href: string;
  label: MessageKey;
  /** Position in the main navigation (lower first). */
  order: number;
  audience: 'everyone' | 'signed-in' | 'platform-admin';
  /** The main navigation (default) or the footer. */
  place?: 'main' | 'footer';
}

/** The person whose data is exported or erased: the account id and the address forms it is known by. */
export interface DataSubject {
  userId: number;
  addresses: readonly string[];
}

export interface PersonalDataHooks {
  /** Every row of the module about or by the person, grouped by a name the export shows (no secrets, no hashes). */
  export(db: Db, subject: DataSubject): Promise<Record<string, unknown[]>>;
  /**
   * Erase or anonymise the person's data inside the deletion transaction, before the account row goes.
   * Returns counts for the audit entry (no personal data).
   */
  erase(tx: Db, subject: DataSubject): Promise<Record<string, number>>;
}

/** The region a profile shows, as far as other modules need it (the register owns the full record). */
export interface ProfileRegion {
  key: string;
  level: string;
  name: string;
  stateKey: string;
  /** Set when the region no longer exists. */
  validTo: string | null;
}

/**
 * A part of a region's public profile (`/kommunen/:key`) that another module contributes, e.g. the workspace
 * and access request (organisations) or the published Digitalcheck result (assessment). Rendered on the
 * server for the person viewing the page; null when there is nothing to show.
 */
export interface ProfileSection {
  /** A stable name (tests, logs). */
  name: string;
  /** Position on the profile, lower first: below 100 above the key figures, from 100 below them. */
  order: number;
  render(args: {
    region: ProfileRegion;
    ctx: PageContext;
    /** The signed-in person, null when anonymous. */
    user: AuthUser | null;
  }): Promise<ComponentChildren | null>;
}

/** The workspace a workspace section is about, as far as other modules need it. */
export interface WorkspaceInfo {
  id: number;
  kind: string;
  regionKey: string | null;
  name: string;
}

/**
 * A part of a workspace's home page (`/organisationen/:id`) that another module contributes, e.g. the
 * Digitalcheck (open check with progress, past results, a new check from the last one's answers). Rendered on
 * the server for a person who may view the workspace; the section decides what it shows them (null: nothing).
 */
export interface WorkspaceSection {
  name: string;
  /** Position on the page, lower first (the members come after every section). */
  order: number;
  render(args: { org: WorkspaceInfo; ctx: PageContext; user: AuthUser }): Promise<ComponentChildren | null>;
}

/**
 * A part of the result page of a submitted Digitalcheck (`/digitalcheck/:id/ergebnis`) that another module
 * contributes, e.g. the strategy module's "Strategie entwerfen". Rendered for a person who may see the result.
 */
export interface ResultSection {
  name: string;
  order: number;
  render(args: {
    check: { id: number; orgId: number | null; regionKey: string; status: string };
    /** The person is a member of the check's workspace (advisors may read a published result too). */
    isMember: boolean;
    ctx: PageContext;
    user: AuthUser;
  }): Promise<ComponentChildren | null>;
}

/**
 * A part of a strategy's page (`/strategie/:id`) that another module contributes, e.g. the atlas's "Kommunen wie
 * Ihre". Rendered for a person who may see the strategy.
 */
export interface StrategySection {
  name: string;
  order: number;
  render(args: {
    strategy: {
      id: number;
      orgId: number | null;
      regionKey: string;
      checkId: number | null;
      measureIds: readonly string[];
    };
    ctx: PageContext;
    user: AuthUser | null;
  }): Promise<ComponentChildren | null>;
}

/** What every contribution to the Lagebild says about itself. */
export interface LagebildFigures {
  /** Demo data (lotse seed demo) is among the figures; the section and the open data say so. */
  includesDemo: boolean;
}

/**
 * Figures another module contributes to the public Lagebild (the assessment module's national picture), e.g. the
 * share of municipalities with an adopted digital strategy. The Lagebild release computes them inside its
 * transaction, stores them in the snapshot under `contributions[name]`, renders them as a section of `/lagebild`
 * and returns them in `GET /api/v1/lagebild` — as they are: `compute` returns figures that are already
 * privacy-protected and public (ADR 0006). A release happens when the figures differ from the stored ones, also
 * when no check changed; `events` names the domain events after which they may have changed.
 */
export interface LagebildContribution<T extends LagebildFigures = LagebildFigures> {
  /** A stable name, the key in the snapshot and in the open data (e.g. "strategy"). */
  name: string;
  /** Domain events after which the Lagebild is released again (subject to its schedule). */
  events: readonly string[];
  /** The public figures (deterministic: equal data must give equal JSON, else every release publishes anew). */
  compute(db: Db): Promise<T>;
  /** The section of /lagebild (an h2 and its content) from the stored figures; null: nothing to show. */
  render(data: T, ctx: PageContext): ComponentChildren | null;
  /** JSON schema of the figures (OpenAPI; the API serialises them with it). */
  schema?: TSchema;
}

interface CliCommandBase {
  /** The command word(s), e.g. "import gv100ad" or "seed demo". */
  name: string;
  usage: string;
  summary: string;
}

/** A command on the database: the CLI opens, migrates and initialises it (every module's `init`) first. */
export interface DatabaseCliCommand extends CliCommandBase {
  needsDatabase?: true;
  run(args: string[], deps: ModuleDeps): Promise<number>;
}

/** What a command without the database is given. */
export interface StandaloneCliContext {
  config: Config;
}

/**
 * A command that needs no database (e.g. `lotse check`): the CLI runs it without opening or migrating one, so
 * it works without DATABASE_URL and creates nothing in DATA_DIR. Module `init`s do not run for it.
 */
export interface StandaloneCliCommand extends CliCommandBase {
  needsDatabase: false;
  run(args: string[], ctx: StandaloneCliContext): Promise<number>;
}

export type CliCommand = DatabaseCliCommand | StandaloneCliCommand;

export interface Module {
  /** The folder name, e.g. "register". */
  name: string;
  messages: Catalogue;
  /** Folder of the module's numbered SQL migrations (numbers are platform-wide). */
  migrations?: string;
  /** Tables the module's migrations create; only the module's repositories write to them. */
  tables?: readonly string[];
  /** API token scopes: `<scope>:read` and `<scope>:write`, with the name shown on the token form. */
  tokenScopes?: Readonly<Record<string, MessageKey>>;
  /** Every action of the permission vocabulary this module owns (see policy.ts). */
  actions?: Readonly<Record<string, Action>>;
  nav?: readonly NavEntry[];
  /** The expected outcome of every route of the module for every test role (`'GET /kommunen/:key'` → row). */
  access: Readonly<Record<string, AccessRow>>;
  /**
   * Per API route (by its schema's `operationId`): an example GET request, shown on /api/docs with this
   * instance's live answer. The route's German and English texts are the messages `apidoc.<operationId>.summary`
   * and `.description`.
   */
  apiExamples?: Readonly<Record<string, string>>;
  /** OpenAPI tags of the module's API routes. */
  apiTags?: readonly { name: string; description: string }[];
  /** HTML pages (and their form posts). */
  pages?(deps: ModuleDeps): FastifyPluginAsync;
  /** Parts of the public region profile this module contributes. */
  profileSections?(deps: ModuleDeps): ProfileSection[];
  /** Parts of a workspace's home page this module contributes. */
  workspaceSections?(deps: ModuleDeps): WorkspaceSection[];
  /** Parts of a Digitalcheck's result page this module contributes. */
  resultSections?(deps: ModuleDeps): ResultSection[];
  /** Parts of a strategy's page this module contributes. */
  strategySections?(deps: ModuleDeps): StrategySection[];
  /** Figures this module contributes to the public Lagebild (page, open data), released with it. */
  lagebildFigures?(deps: ModuleDeps): LagebildContribution[];
  /**
   * Where a person lands after signing in without a return target (a local path), or null for no opinion; the
   * first module with an answer wins, else the account page. E.g. organisations: "Ihre Kommune finden" for a
   * person without a workspace.
   */
  landing?(deps: ModuleDeps, userId: number): Promise<string | null>;
  /** JSON routes, registered under /api/v1. */
  api?(deps: ModuleDeps): FastifyPluginAsync;
  personalData?: PersonalDataHooks;
  /** Reactions to domain events. */
  subscriptions?(deps: ModuleDeps): Subscription[];
  cli?: readonly CliCommand[];
  /** Run after migrations, before the server reports ready (e.g. load built-in data, warm an index). */
  init?(deps: ModuleDeps): Promise<void>;
  /** Server only, after init and before /health reports ready: fill in-memory caches (not for CLI commands). */
  warm?(deps: ModuleDeps): Promise<void>;
  /** Background work while the server runs; returns how to stop it. */
  start?(deps: ModuleDeps): (() => Promise<void>) | undefined;
}

export function defineModule(m: Module): Module {
  return m;
}
