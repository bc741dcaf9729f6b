/**
 * The seams between the parts of the advisory desk (issue 12): inquiries/, knowledge/ (FAQ, satisfaction,
 * dashboards), mentors/, events/, groups/ and notify/. Each part declares itself as a `DeskPart` (its routes,
 * access rows, actions, tables, personal data …) in `<part>/declaration.ts`; `module.ts` combines them into the
 * one `desk` module. Parts talk to each other only through the interfaces here, wired in module.ts.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Subscription } from '../platform/events/events.js';
import type {
  AccessRow,
  CliCommand,
  LagebildContribution,
  ModuleDeps,
  NavEntry,
  PersonalDataHooks,
  ProfileSection,
  ResultSection,
  StrategySection,
  WorkspaceSection,
} from '../platform/module.js';
import type { Action } from '../platform/policy.js';

/** What one part of the desk declares; module.ts merges every part's entries. */
export interface DeskPart {
  name: string;
  tables?: readonly string[];
  actions?: Readonly<Record<string, Action>>;
  access: Readonly<Record<string, AccessRow>>;
  nav?: readonly NavEntry[];
  apiExamples?: Readonly<Record<string, string>>;
  apiTags?: readonly { name: string; description: string }[];
  tokenScopes?: Readonly<Record<string, import('../platform/i18n/i18n.js').MessageKey>>;
  /** `seams` are the other parts' services, as far as this part needs them. */
  pages?(deps: ModuleDeps, seams: DeskSeams): FastifyPluginAsync;
  api?(deps: ModuleDeps, seams: DeskSeams): FastifyPluginAsync;
  profileSections?(deps: ModuleDeps, seams: DeskSeams): ProfileSection[];
  workspaceSections?(deps: ModuleDeps, seams: DeskSeams): WorkspaceSection[];
  resultSections?(deps: ModuleDeps, seams: DeskSeams): ResultSection[];
  strategySections?(deps: ModuleDeps, seams: DeskSeams): StrategySection[];
  lagebildFigures?(deps: ModuleDeps, seams: DeskSeams): LagebildContribution[];
  personalData?: PersonalDataHooks;
  subscriptions?(deps: ModuleDeps, seams: DeskSeams): Subscription[];
  /** Background work (escalation, reminders, digests); returns how to stop it. */
  start?(deps: ModuleDeps, seams: DeskSeams): (() => Promise<void>) | undefined;
  cli?: readonly CliCommand[];
}

/** The kinds a person chooses a delivery for (issue 12, "Benachrichtigungen"). */
export const NOTIFY_KINDS = ['inquiry', 'events', 'groups', 'mentoring'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** How a person wants a kind delivered. */
export const DELIVERIES = ['immediate', 'daily', 'weekly', 'none'] as const;
export type Delivery = (typeof DELIVERIES)[number];

/**
 * One notification to one account. The text says what happened and links to the page; it never carries the
 * content of a confidential attachment or an internal note. `link` is a local path (the notifier makes it
 * absolute with the configured public URL, never from a request).
 */
export interface Notification {
  userId: number;
  kind: NotifyKind;
  subject: string;
  /** Plain text, German (the platform's mail language); a few lines. */
  text: string;
  /** Local path of the page the notification is about, e.g. "/beratung/anfragen/12". */
  link: string;
  /**
   * Sent immediately whatever the person chose (an acknowledgement of one's own inquiry, a registration's
   * confirmation): the person's choice "none" still suppresses it only where `essential` is false.
   */
  essential?: boolean;
}

/**
 * Delivers notifications through the platform's mail outbox as each person chose (immediate, daily or weekly
 * digest, none), with a signed unsubscribe link in every mail. Implemented by notify/; parts only call it.
 */
export interface Notifier {
  notify(n: Notification): Promise<void>;
}

/** The desk's parts as the others may use them (filled in by module.ts). */
export interface DeskSeams {
  notifier: Notifier;
}
