import fs from 'node:fs/promises';
import path from 'node:path';
import { auditOfUser, recordAudit } from '../audit/audit.service.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import type { Lang } from '../platform/i18n/messages.js';
import { normalizeAddress } from '../platform/mail/eml.js';
import type { IdentityDeps } from './identity.service.js';
import * as privacy from './privacy.repository.js';
import { normaliseEmail } from './tokens.js';

/**
 * DSGVO: the data export (Art. 15, 20) and the erasure of an account (Art. 17). Unverified accounts are
 * removed after 7 days by `purgeUnverified` in identity.service.ts.
 */

/**
 * Tables of other modules that hold data about a person, exported when they exist (the export must not
 * break before their migrations ran). `$1` is the user id (`by: 'id'`) or the person's addresses
 * (`by: 'addresses'`). Rows naming other people (invitations a person sent hold the invitees' addresses) are
 * left out on purpose.
 */
const RELATED_TABLES = [
  { key: 'memberships', table: 'memberships', by: 'id', where: 't.user_id = $1' },
  { key: 'advisorScopes', table: 'advisor_scopes', by: 'id', where: 't.user_id = $1' },
  { key: 'accessRequests', table: 'access_requests', by: 'id', where: 't.user_id = $1' },
  { key: 'invitationsToYou', table: 'invitations', by: 'addresses', where: 'lower(t.email) = ANY($1::text[])' },
  { key: 'apiTokens', table: 'api_tokens', by: 'id', where: 't.user_id = $1' },
  { key: 'linkedIdentities', table: 'user_identities', by: 'id', where: 't.user_id = $1' },
] as const;

/** Keys of exported rows that never leave the database (hashes, secrets). */
const SECRET_KEY = /hash|secret/i;

function withoutSecrets(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !SECRET_KEY.test(k)));
}

/** The forms an address can have in the outbox: as entered, and with an internationalised domain in ASCII. */
function addressForms(email: string): string[] {
  const forms = new Set([email.toLowerCase()]);
  try {
    forms.add(normalizeAddress(email).toLowerCase());
  } catch {
    /* not deliverable: no mail can have gone to it in another form */
  }
  return [...forms];
}

export interface PersonalDataExport {
  about: string;
  exportedAt: string;
  account: privacy.AccountExport;
  sessions: Awaited<ReturnType<typeof privacy.sessionsOf>>;
  oneTimeLinks: Awaited<ReturnType<typeof privacy.oneTimeTokensOf>>;
  mails: Awaited<ReturnType<typeof privacy.mailsTo>>;
  auditLog: Awaited<ReturnType<typeof auditOfUser>>;
  [related: string]: unknown;
}

/** Everything the platform stores about a person, as one JSON-ready object (no hashes, no session ids). */
export async function exportPersonalData(d: IdentityDeps, userId: number): Promise<PersonalDataExport> {
  const account = await privacy.accountOf(d.db, userId);
  if (!account) throw new NotFoundError('Dieses Konto gibt es nicht mehr.');
  const addresses = addressForms(account.email);
  const out: PersonalDataExport = {
    about:
      'Kommunallotse: alle personenbezogenen Daten zu Ihrem Konto (Art. 15 und 20 DSGVO) / ' +
      'all personal data of your account (Art. 15 and 20 GDPR). Passwords and secret link or session ' +
      'values are stored only as hashes and are not part of the export.',
    exportedAt: (d.now ? d.now() : new Date()).toISOString(),
    account,
    sessions: await privacy.sessionsOf(d.db, userId),
    oneTimeLinks: await privacy.oneTimeTokensOf(d.db, userId),
    mails: await privacy.mailsTo(d.db, addresses),
    auditLog: await auditOfUser(d.db, userId),
  };
  for (const r of RELATED_TABLES) {
    if (!(await privacy.tableExists(d.db, r.table))) continue;
    const rows = await privacy.rowsAsJson(d.db, r.table, r.where, r.by === 'id' ? userId : addresses);
    out[r.key] = rows.map(withoutSecrets);
  }
  return out;
}

/**
 * Erase an account (Art. 17 DSGVO) after the person typed their own address as confirmation. In one
 * transaction: mails to the address lose address and text, invitations to it their address, the deletion is
 * recorded in the audit log (by user id and counts, without the address), and the account row goes, taking sessions,
 * one-time links, memberships and API tokens with it. What the person did for an organisation stays with the
 * organisation. Afterwards the outbox's .eml copies of those mails are removed from `outboxDir`.
 * A wrong confirmation throws a ValidationError and changes nothing.
 */
export async function deleteAccount(
  d: IdentityDeps,
  userId: number,
  confirmation: string,
  lang: Lang,
  opts: { outboxDir?: string | null } = {},
): Promise<{ mailsErased: number }> {
  const mails = await d.db.transaction(async (tx) => {
    const account = await privacy.accountOf(tx, userId);
    if (!account) throw new NotFoundError('Dieses Konto gibt es nicht mehr.');
    const typed = normaliseEmail(confirmation);
    if (typed !== account.email) {
      const message = !confirmation.trim()
        ? lang === 'en'
          ? 'Enter the e-mail address of your account to confirm.'
          : 'Geben Sie zur Bestätigung die E-Mail-Adresse Ihres Kontos ein.'
        : lang === 'en'
          ? 'This is not the e-mail address of your account. Nothing has been deleted.'
          : 'Das ist nicht die E-Mail-Adresse Ihres Kontos. Es wurde nichts gelöscht.';
      throw new ValidationError('Löschung nicht bestätigt.', [{ field: 'confirm', message }]);
    }
    const addresses = addressForms(account.email);
    const erased = await privacy.scrubMails(tx, addresses);
    const invitations = (await privacy.tableExists(tx, 'invitations'))
      ? await privacy.scrubInvitations(tx, addresses)
      : 0;
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
      after: { deleted: true, mailsErased: erased.length, invitationsErased: invitations },
    });
    await privacy.deleteUser(tx, userId);
    return erased;
  });
  if (opts.outboxDir) {
    const dir = opts.outboxDir;
    await Promise.all(
      mails.map((m) =>
        fs.rm(path.join(dir, `${m.id}-${m.kind}.eml`), { force: true }).catch(() => {
          /* best effort: the database copy is erased already */
        }),
      ),
    );
  }
  return { mailsErased: mails.length };
}
