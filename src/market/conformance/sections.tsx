/**
 * What the conformance registry contributes to other pages: on a municipality's profile, the standards it
 * demonstrably runs (its own endpoints whose latest check is conformant, with the date of that check) and every
 * registered endpoint with its latest verdict.
 */

import { formatDate } from '../../platform/i18n/i18n.js';
import type { ProfileSection } from '../../platform/module.js';
import { artefactUrl, CONFORMANCE_PATH, STANDARD_NAMES, VerdictBadge } from './conformance.views.js';
import { pickBadge } from './registry.model.js';
import type { ConformanceService } from './registry.service.js';
import { STANDARD_IDS } from './types.js';

export function conformanceProfileSection(service: ConformanceService): ProfileSection {
  return {
    name: 'market.conformance',
    order: 140,
    render: async ({ region, ctx, user }) => {
      const { rows } = await service.list({ subjectKind: 'region', regionKey: region.key, limit: 200 });
      const { t, lang } = ctx;
      if (rows.length === 0) {
        return user ? (
          <section aria-labelledby="standards-geprueft">
            <h2 class="kern-heading-medium" id="standards-geprueft">
              {t('market.conformance.profile.title')}
            </h2>
            <p>
              {t('market.conformance.profile.none')}{' '}
              <a class="kern-link" href={`${CONFORMANCE_PATH}/neu`}>
                {t('market.conformance.register')}
              </a>
            </p>
          </section>
        ) : null;
      }
      const runs = STANDARD_IDS.flatMap((s) => {
        const b = pickBadge(
          rows
            .filter((r) => r.standard === s && r.latest)
            .map((r) => ({ verdict: r.latest!.verdict, checkedAt: r.latest!.checkedAt, artefactId: r.id })),
        );
        return b?.verdict === 'conformant' ? [{ standard: s, ...b }] : [];
      });
      return (
        <section aria-labelledby="standards-geprueft">
          <h2 class="kern-heading-medium" id="standards-geprueft">
            {t('market.conformance.profile.title')}
          </h2>
          {runs.length ? (
            <>
              <p>{t('market.conformance.profile.runs')}</p>
              <ul>
                {runs.map((r) => (
                  <li key={r.standard}>
                    <a class="kern-link" href={artefactUrl(r.artefactId)}>
                      {STANDARD_NAMES[r.standard]}
                    </a>{' '}
                    – {t('market.conformance.profile.lastCheck', { date: formatDate(lang, r.checkedAt) })}
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p>{t('market.conformance.profile.noneConformant')}</p>
          )}
          <h3 class="kern-heading-small">{t('market.conformance.profile.endpoints')}</h3>
          <ul class="conformance-list">
            {rows.map((r) => (
              <li key={String(r.id)}>
                <a class="kern-link" href={artefactUrl(r.id)}>
                  {STANDARD_NAMES[r.standard]}: {r.url ?? r.fileName}
                </a>{' '}
                {r.latest ? (
                  <>
                    <VerdictBadge ctx={ctx} verdict={r.latest.verdict} />{' '}
                    {t('market.conformance.checkedOn', { date: formatDate(lang, r.latest.checkedAt) })}
                  </>
                ) : (
                  t('market.conformance.running')
                )}
              </li>
            ))}
          </ul>
          <p class="kern-hint">{t('market.conformance.badgesOnlyFromChecks')}</p>
        </section>
      );
    },
  };
}
