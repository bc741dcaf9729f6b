/**
 * What the solution market contributes to a workspace's home page: a provider workspace lists its solutions; a
 * municipal workspace's admins see the references providers ask them to confirm.
 */
import { loadPrincipal } from '../../organisations/index.js';
import type { Db } from '../../platform/db/db.js';
import { CsrfField } from '../../platform/http/layout.js';
import { formatDate } from '../../platform/i18n/i18n.js';
import type { WorkspaceSection } from '../../platform/module.js';
import { openReferencesOfOrg, solutionsOfOrg, solutionUrl } from './solutions.service.js';
import { WorkspaceSolutions } from './views.js';

export function solutionsWorkspaceSection(db: Db): WorkspaceSection {
  return {
    name: 'market.solutions.workspace',
    order: 65,
    render: async ({ org, ctx, user }) => {
      if (org.kind === 'provider') return <WorkspaceSolutions ctx={ctx} rows={await solutionsOfOrg(db, org.id)} />;
      if (org.kind !== 'region') return null;
      const open = await openReferencesOfOrg(db, org.id);
      if (open.length === 0) return null;
      const { t, lang } = ctx;
      const p = await loadPrincipal(db, user);
      const isAdmin = p.memberships.some((m) => m.orgId === org.id && m.role === 'admin');
      return (
        <section aria-labelledby="loesungen-referenzen">
          <h2 class="kern-heading-medium" id="loesungen-referenzen">
            {t('market.solutions.reference.workspaceTitle')}
          </h2>
          <p>{t('market.solutions.reference.workspaceIntro')}</p>
          <ul class="reuse-list">
            {open.map((r) => (
              <li key={r.id}>
                <a class="kern-link" href={`${solutionUrl(r.solutionId)}#referenzen`}>
                  {r.solutionName}
                </a>{' '}
                ({r.providerName}, {formatDate(lang, r.requestedAt)}){r.note ? <blockquote>{r.note}</blockquote> : null}
                {isAdmin ? (
                  <form
                    method="post"
                    action={`${solutionUrl(r.solutionId)}/referenzen/${r.id}/entscheiden`}
                    class="inline-form"
                  >
                    <CsrfField ctx={ctx} />
                    <button class="kern-btn kern-btn--primary" type="submit" name="decision" value="confirm">
                      <span class="kern-label">{t('market.solutions.reference.confirm')}</span>
                    </button>{' '}
                    <button class="kern-btn kern-btn--secondary" type="submit" name="decision" value="decline">
                      <span class="kern-label">{t('market.solutions.reference.decline')}</span>
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      );
    },
  };
}
