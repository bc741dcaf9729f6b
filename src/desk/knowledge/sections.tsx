/**
 * What the knowledge part contributes to other pages: on a strategy, the published answers of the centre to
 * questions asked about the measures it plans (the FAQ entries' context), each linked, with a link to all answers
 * on that measure.
 */
import type { Db } from '../../platform/db/db.js';
import { formatDate } from '../../platform/i18n/i18n.js';
import type { StrategySection } from '../../platform/module.js';
import { measureTitle } from '../../strategy/index.js';
import { faqContextPath, firstLine } from './knowledge.pages.js';
import * as svc from './knowledge.service.js';

/** How many answers the strategy page shows at most (newest first). */
export const STRATEGY_ANSWERS = 5;

export function faqStrategySection(db: Db): StrategySection {
  return {
    name: 'desk.knowledge',
    order: 72,
    render: async ({ strategy, ctx }) => {
      const rows = await svc.answersForMeasures(db, strategy.measureIds, STRATEGY_ANSWERS);
      if (rows.length === 0) return null;
      const { t, lang } = ctx;
      const title = (id: string) => measureTitle(id, lang);
      const measures = [...new Set(rows.map((r) => r.contextRef).filter((r): r is string => r !== null))];
      return (
        <section aria-labelledby="faq-massnahmen">
          <h2 class="kern-heading-medium" id="faq-massnahmen">
            {t('desk.knowledge.measureAnswersTitle')}
          </h2>
          <p>{t('desk.knowledge.measureAnswersLead')}</p>
          <ul>
            {rows.map((r) => (
              <li key={r.id}>
                <a class="kern-link" href={svc.faqPath(r.id)}>
                  {firstLine(r.question)}
                </a>{' '}
                ({r.contextRef ? title(r.contextRef) : ''} · {formatDate(lang, r.publishedAt)})
              </li>
            ))}
          </ul>
          <ul>
            {measures.map((m) => (
              <li key={m}>
                <a class="kern-link" href={faqContextPath('measure', m)}>
                  {t('desk.knowledge.measureAnswersMore', { measure: title(m) })}
                </a>
              </li>
            ))}
          </ul>
        </section>
      );
    },
  };
}
