/** The council document as a page: the HTML view inside the site's layout, with its downloads. */
import { Layout, type PageContext } from '../platform/http/layout.js';
import { StrategyDocumentView } from './document/document.js';
import type { StrategyDocumentInput } from './document-input.js';
import { Roadmap } from './roadmap.js';

export function renderStrategyDocument(
  ctx: PageContext,
  input: StrategyDocumentInput,
  opts: { publicKey?: string } = {},
) {
  const { t } = ctx;
  const base = `/strategie/${input.strategy.id}/dokument`;
  const other = input.lang === 'de' ? 'en' : 'de';
  const self = opts.publicKey ? `/kommunen/${opts.publicKey}/strategie` : base;
  return (
    <Layout
      ctx={ctx}
      title={input.title}
      breadcrumb={[
        { href: '/', label: t('nav.home') },
        opts.publicKey
          ? { href: `/kommunen/${opts.publicKey}`, label: input.region.name }
          : { href: `/strategie/${input.strategy.id}`, label: input.title },
        { label: t('strategy.page.doc') },
      ]}
    >
      <nav aria-label={t('strategy.page.doc.downloads')} class="document-downloads">
        <ul>
          <li>
            <a class="kern-link" href={`${base}.pdf?sprache=${input.lang}`}>
              {t('strategy.page.doc.pdf')}
            </a>
          </li>
          <li>
            <a class="kern-link" href={`${base}.docx?sprache=${input.lang}`}>
              {t('strategy.page.doc.docx')}
            </a>
          </li>
          <li>
            <a class="kern-link" href={`${self}?sprache=${other}`} hreflang={other}>
              {t('strategy.page.doc.otherLanguage')}
            </a>
          </li>
        </ul>
      </nav>
      <div lang={input.lang}>
        <StrategyDocumentView
          input={input}
          roadmap={
            <Roadmap
              ctx={{ lang: input.lang, t: input.t }}
              items={input.content.items}
              startMonth={input.content.startMonth}
              catalogue={input.catalogue}
            />
          }
        />
      </div>
    </Layout>
  );
}
