import fs from 'node:fs/promises';
import path from 'node:path';
import { recordAudit } from '../audit/index.js';
import type { Db } from '../platform/db/db.js';
import { fieldError, NotFoundError, ValidationError } from '../platform/errors.js';
import { text } from '../platform/i18n/i18n.js';
import { normaliseEmail } from '../platform/mail/address.js';
import { normalizeAddress } from '../platform/mail/eml.js';
import { mailIdsTo, mailsTo, scrubMails } from '../platform/mail/mail.repository.js';
import type { DataSubject, Module, PersonalDataHooks } from '../platform/module.js';
import type { IdentityDeps } from './identity.service.js';
import * as privacy from './privacy.repository.js';

/**
 * DSGVO: the data export (Art. 15, 20) and the erasure of an account (Art. 17). Every module declares what it
 * stores about a person (`Module.personalData`: export and erase hooks); this use case asks all of them. The
 * export names its groups after the tables, so a test can check that every table referring to an account is
 * covered. Unverified accounts are removed after 7 days by `purgeUnverified` (identity.service.ts).
 */

/** Keys of exported rows that never leave the database (hashes, secrets). */
const SECRET_KEY = /hash|secret/i;

export function withoutSecrets(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !SECRET_KEY.test(k)));
}

/** The forms an address can have in the outbox: as stored, and with an internationalised domain in ASCII. */
export function addressForms(email: string): string[] {
  const forms = new Set([email.toLowerCase()]);
  try {
    forms.add(normalizeAddress(email).toLowerCase());
  } catch {
    /* not deliverable: no mail can have gone to it in another form */
  }
  return [...forms];
}

/** What the identity module itself stores about a person besides the account row. */
export const identityPersonalData: PersonalDataHooks = {
  async export(db, s) {
    return {
      sessions: await privacy.sessionsOf(db, s.userId),
      one_time_tokens: await privacy.oneTimeTokensOf(db, s.userId),
      mail_outbox: await mailsTo(db, s.addresses),
      api_tokens: (await privacy.rowsOf(db, 'api_tokens', s.userId)).map(withoutSecrets),
      user_identities: await privacy.rowsOf(db, 'user_identities', s.userId),
      login_devices: (await privacy.rowsOf(db, 'login_devices', s.userId)).map(withoutSecrets),
    };
  },
  async erase(tx, s) {
    // Mails to the address lose address and text (the rows stay: the outbox is never thinned out otherwise);
    // sessions, one-time links, tokens, linked identities and devices go with the account (ON DELETE CASCADE).
    const mails = await scrubMails(tx, s.addresses);
    return { mailsErased: mails.length };
  },
};

export interface PersonalDataExport {
  about: string;
  exportedAt: string;
  account: privacy.AccountExport;
  [group: string]: unknown;
}

function hooksOf(modules: readonly Module[]): [string, PersonalDataHooks][] {
  return modules.flatMap((m) => (m.personalData ? [[m.name, m.personalData] as [string, PersonalDataHooks]] : []));
}

/** Everything the platform stores about a person, as one JSON-ready object (no hashes, no session ids). */
export async function exportPersonalData(
  d: IdentityDeps,
  modules: readonly Module[],
  userId: number,
): Promise<PersonalDataExport> {
  const account = await privacy.accountOf(d.db, userId);
  if (!account) throw new NotFoundError(text('privacy.accountGone'));
  const subject: DataSubject = { userId, addresses: addressForms(account.email) };
  const out: PersonalDataExport = {
    about:
      'Kommunallotse: alle personenbezogenen Daten zu Ihrem Konto (Art. 15 und 20 DSGVO) / ' +
      'all personal data of your account (Art. 15 and 20 GDPR). Passwords and secret link or session ' +
      'values are stored only as hashes and are not part of the export.',
    exportedAt: (d.now ? d.now() : new Date()).toISOString(),
    account,
  };
  for (const [, hooks] of hooksOf(modules)) {
    for (const [group, rows] of Object.entries(await hooks.export(d.db, subject))) out[group] = rows;
  }
  return out;
}

/**
 * Erase an account (Art. 17 DSGVO) after the person typed their own address as confirmation. In one
 * transaction every module erases or anonymises what it holds (a module may refuse, e.g. while the person is
 * the only admin of a workspace with other members: ConflictError, nothing is deleted), the deletion is
 * recorded in the audit log (by user id and counts, without the address), and the account row goes.
 * Afterwards the outbox's .eml copies of the erased mails are removed from `outboxDir`.
 */
export async function deleteAccount(
  d: IdentityDeps,
  modules: readonly Module[],
  userId: number,
  confirmation: string,
  opts: { outboxDir?: string | null } = {},
): Promise<{ counts: Record<string, number> }> {
  const { counts, mailIds } = await d.db.transaction(async (tx) => {
    const account = await privacy.accountOf(tx, userId);
    if (!account) throw new NotFoundError(text('privacy.accountGone'));
    const typed = normaliseEmail(confirmation);
    if (typed !== account.email) {
      throw new ValidationError([
        fieldError('confirm', !confirmation.trim() ? 'privacy.confirmMissing' : 'privacy.confirmWrong'),
      ]);
    }
    const subject: DataSubject = { userId, addresses: addressForms(account.email) };
    // Which mails are erased (for their .eml copies), before the hooks scrub them.
    const mailIds = await mailIdsTo(tx, subject.addresses);
    const counts: Record<string, number> = {};
    for (const [module, hooks] of hooksOf(modules)) {
      for (const [k, n] of Object.entries(await hooks.erase(tx, subject))) counts[`${module}.${k}`] = n;
    }
    await recordAudit(tx, {
      action: 'user.delete',
      entity: 'user',
      entityId: userId,
      actorUserId: d.audit?.actorUserId ?? userId,
      requestId: d.audit?.requestId ?? null,
      before: {
        verified: Boolean(account.emailVerifiedAt),
        passwordSet: account.passwordSet,
        platformAdmin: account.isPlatformAdmin,
        createdAt: account.createdAt,
      },
      // What the erasure did, as proof (Art. 5 (2) DSGVO); counts only.
      after: { deleted: true, ...counts },
    });
    await privacy.deleteUser(tx, userId);
    return { counts, mailIds };
  });
  if (opts.outboxDir) {
    const dir = opts.outboxDir;
    await Promise.all(
      mailIds.map((m) =>
        fs.rm(path.join(dir, `${m.id}-${m.kind}.eml`), { force: true }).catch(() => {
          /* best effort: the database copy is erased already */
        }),
      ),
    );
  }
  return { counts };
}

/** Used by other modules' hooks through the identity index: rows of a table by its `user_id`. */
export function rowsByUser(db: Db, table: string, userId: number) {
  return privacy.rowsOf(db, table, userId);
}
