/**
 * The council document as an HTML view: the same outline as the PDF and the DOCX (outline.ts), as one
 * `<article>` for a page of the strategy module to place in its layout.
 *
 * Accessible: one h1 (the title), an h2 per section, an h3 per measure, in order; tables with a caption,
 * column headers (`th scope="col"`), row headers (`th scope="row"`) and totals in a `tfoot`; the bar chart is the
 * assessment's accessible SVG (`role="img"`, title, description) with the same numbers in the table after it.
 * The roadmap comes from the `roadmap` slot (the SVG Gantt chart with its table, roadmap.tsx); without one the
 * roadmap table stands alone. Printable: site.css hides the site's header, navigation and footer and keeps
 * headings with what follows; sections that start a new page in the PDF do so in print too.
 */
import { type ComponentChildren, Fragment } from 'preact';
import { BarChart } from '../../assessment/index.js';
import type { StrategyDocumentInput } from '../document-input.js';
import { type Block, buildOutline, type Fact, type TableBlock } from './outline.js';

const anchor = (id: string) => `doc-${id.replace(/[^A-Za-z0-9_-]/g, '-')}`;

function TableView({ b }: { b: TableBlock }) {
  const captionId = `${anchor(b.id)}-caption`;
  const headerCell = (text: string, i: number, scope: 'col' | 'row', numeric: boolean) => (
    <th scope={scope} class={numeric ? 'kern-table__cell num' : 'kern-table__cell'} key={i}>
      {text}
    </th>
  );
  const row = (cells: string[], key: number | string) => (
    <tr class="kern-table__row" key={key}>
      {cells.map((c, i) => {
        const numeric = b.columns[i]?.numeric ?? false;
        return b.rowHeaders && i === 0 ? (
          headerCell(c, i, 'row', numeric)
        ) : (
          <td class={numeric ? 'kern-table__cell num' : 'kern-table__cell'} key={i}>
            {c}
          </td>
        );
      })}
    </tr>
  );
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-labelledby={captionId}>
      <table class="kern-table" id={anchor(b.id)}>
        <caption id={captionId} class="chart-table__caption">
          {b.caption}
        </caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">{b.columns.map((c, i) => headerCell(c.header, i, 'col', c.numeric ?? false))}</tr>
        </thead>
        <tbody class="kern-table__body">{b.rows.map((r, i) => row(r, i))}</tbody>
        {b.totals ? <tfoot class="strategy-doc__totals">{row(b.totals, 'totals')}</tfoot> : null}
      </table>
    </div>
  );
}

function Facts({ facts }: { facts: Fact[] }) {
  return (
    <dl class="facts">
      {facts.map((f) => (
        <Fragment key={f.label}>
          <dt>{f.label}</dt>
          <dd>
            {/^https:\/\//.test(f.value) ? (
              <a class="kern-link" href={f.value}>
                {f.value}
              </a>
            ) : (
              f.value
            )}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

function BlockView({ b, input, roadmap }: { b: Block; input: StrategyDocumentInput; roadmap?: ComponentChildren }) {
  switch (b.kind) {
    case 'paragraph':
      return b.strong ? (
        <p>
          <strong>{b.text}</strong>
        </p>
      ) : (
        <p>{b.text}</p>
      );
    case 'list':
      return (
        <ul>
          {b.items.map((item, i) => (
            <li key={i}>
              {item.text}
              {item.url ? (
                <>
                  {': '}
                  <a class="kern-link" href={item.url}>
                    {item.url}
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      );
    case 'facts':
      return <Facts facts={b.facts} />;
    case 'table':
      // With a roadmap slot, its chart and table replace this one.
      return roadmap !== undefined && b.id === 'roadmap-table' ? null : <TableView b={b} />;
    case 'bars':
      return (
        <figure class="chart-figure" id={anchor(b.id)}>
          <figcaption class="chart-figure__caption">{b.title}</figcaption>
          <BarChart
            id={anchor(b.id)}
            title={b.title}
            description={b.alt}
            rows={b.bars.map((bar) => ({ label: bar.label, value: bar.value }))}
            t={input.t}
            lang={input.lang}
          />
        </figure>
      );
    case 'gantt':
      return roadmap !== undefined ? <div class="strategy-doc__roadmap">{roadmap}</div> : null;
    case 'subsection':
      return (
        <section class="strategy-doc__measure" aria-labelledby={anchor(b.id)}>
          <h3 class="kern-heading-small" id={anchor(b.id)}>
            {b.heading}
          </h3>
          {b.blocks.map((c, i) => (
            <BlockView key={i} b={c} input={input} roadmap={roadmap} />
          ))}
        </section>
      );
  }
}

/** The council document as HTML; `roadmap` is the Gantt chart (with its table) to show in the roadmap section. */
export function StrategyDocumentView({
  input,
  roadmap,
}: {
  input: StrategyDocumentInput;
  roadmap?: ComponentChildren;
}) {
  const o = buildOutline(input);
  const tp = o.titlePage;
  return (
    <article class="strategy-doc" lang={o.languageTag}>
      <header class="strategy-doc__title">
        <p class="strategy-doc__header">{o.header}</p>
        <p class="kern-label">{tp.kicker}</p>
        <h1 class="kern-heading-large">{tp.title}</h1>
        <p class="kern-body--large">{tp.municipality}</p>
        {tp.demo ? (
          <div class="kern-alert kern-alert--warning" role="note">
            <div class="kern-alert__body">
              <p>{tp.demo}</p>
            </div>
          </div>
        ) : null}
        <Facts facts={tp.facts} />
        <p>
          <strong>{tp.status}</strong>
        </p>
        <p>{tp.generated}</p>
      </header>
      {o.sections.map((s) => (
        <section
          key={s.id}
          class={s.newPage ? 'strategy-doc__section strategy-doc__section--new-page' : 'strategy-doc__section'}
          aria-labelledby={anchor(s.id)}
        >
          <h2 class="kern-heading-medium" id={anchor(s.id)}>
            {s.heading}
          </h2>
          {s.blocks.map((b, i) => (
            <BlockView key={i} b={b} input={input} roadmap={roadmap} />
          ))}
        </section>
      ))}
    </article>
  );
}
