/** A table of figures: caption, a header row, one row per group (row headers), numbers right-aligned; scrolls on narrow screens. */
export function FigureTable({
  id,
  caption,
  columns,
  rows,
}: {
  id: string;
  caption: string;
  columns: readonly string[];
  rows: readonly { key: string; name: string; cells: readonly string[] }[];
}) {
  const cid = `${id}-caption`;
  return (
    <div class="table-wrap" role="region" tabindex={0} aria-labelledby={cid}>
      <table class="kern-table" id={id}>
        <caption id={cid} class="chart-table__caption">
          {caption}
        </caption>
        <thead class="kern-table__header">
          <tr class="kern-table__row">
            {columns.map((c, i) => (
              <th scope="col" class={i === 0 ? 'kern-table__cell' : 'kern-table__cell num'} key={c}>
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody class="kern-table__body">
          {rows.map((r) => (
            <tr class="kern-table__row" key={r.key}>
              <th scope="row" class="kern-table__cell">
                {r.name}
              </th>
              {r.cells.map((c, i) => (
                <td class="kern-table__cell num" key={String(i)}>
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
