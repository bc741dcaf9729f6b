/** The certificate of attendance as a tagged PDF, laid out by the strategy's outline renderer (pdfkit). */

import { formatDate, formatDateTime, type Lang, type Translate } from '../../platform/i18n/i18n.js';
import { type DocumentOutline, LANGUAGE_TAG, renderOutlinePdf } from '../../strategy/index.js';
import type { CertificateData } from './events.service.js';

export function certificateOutline(c: CertificateData, t: Translate, lang: Lang, now: Date): DocumentOutline {
  const { ev } = c;
  const title = t('desk.events.cert.title');
  const minutes = Math.round((ev.endsAt.getTime() - ev.startsAt.getTime()) / 60_000);
  const facts = [
    { label: t('desk.events.cert.participant'), value: c.name },
    { label: t('desk.events.eventTitle'), value: ev.title },
    { label: t('desk.events.startsAt'), value: formatDateTime(lang, ev.startsAt) },
    { label: t('desk.events.endsAt'), value: formatDateTime(lang, ev.endsAt) },
    { label: t('desk.events.cert.duration'), value: t('desk.events.cert.minutes', { n: minutes }) },
    {
      label: t('desk.events.format'),
      value:
        ev.format === 'onsite'
          ? `${t('desk.events.format.onsite')}: ${ev.address ?? ''}`
          : t('desk.events.format.online'),
    },
  ];
  return {
    lang,
    languageTag: LANGUAGE_TAG[lang],
    title: `${title}: ${ev.title}`,
    subject: title,
    author: 'Kommunallotse',
    header: `Kommunallotse · ${t('desk.events.cert.kicker')}`,
    page: (page, pages) => t('desk.events.cert.page', { page, pages }),
    titlePage: {
      kicker: t('desk.events.cert.kicker'),
      title,
      municipality: c.name,
      facts,
      status: t('desk.events.cert.statement', { name: c.name, title: ev.title, date: formatDate(lang, ev.startsAt) }),
      demo: null,
      generated: t('desk.events.cert.generated', { date: formatDate(lang, now) }),
    },
    sections: [],
  };
}

export function renderCertificatePdf(c: CertificateData, t: Translate, lang: Lang, now: Date): Promise<Buffer> {
  return renderOutlinePdf(certificateOutline(c, t, lang, now));
}
