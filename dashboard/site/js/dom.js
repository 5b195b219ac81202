/**
 * The only way the dashboard puts anything on the page. Strings become text
 * nodes and attribute values; nothing is ever parsed as markup, so a host
 * name like `<img onerror=…>` shows as those characters.
 */

/**
 * An element with attributes and children. `null`, `undefined` and `false`
 * attributes and children are left out; `true` sets an empty attribute.
 * @param {string} tag
 * @param {Record<string, unknown>} [attributes]
 * @param {...unknown} children
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);

  for (const [name, value] of Object.entries(attributes)) {
    // Handlers are attached with addEventListener, never as attributes.
    if (/^on/i.test(name)) throw new Error(`refusing attribute ${name}`);
    if (value === undefined || value === null || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children as nodes or text. */
export function append(parent, children) {
  for (const child of children.flat(Number.POSITIVE_INFINITY)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * A data table: a caption, one header row of `scope="col"` cells, and rows
 * whose first cell is a `scope="row"` header. A column marked `numeric`
 * aligns right. With no rows, one cell spanning the table says `empty`.
 * @param {{caption: string, columns: {label: string, numeric?: boolean}[],
 *   rows: {cells: unknown[], attributes?: Record<string, unknown>}[],
 *   empty: string, id?: string}} spec
 */
export function table(spec) {
  const numeric = spec.columns.map((c) => (c.numeric ? 'num' : null));
  const head = h(
    'tr',
    {},
    spec.columns.map((c, i) =>
      h('th', { scope: 'col', class: numeric[i] }, c.label),
    ),
  );
  const body =
    spec.rows.length === 0
      ? [
          h(
            'tr',
            {},
            h(
              'td',
              { colspan: spec.columns.length, class: 'empty' },
              spec.empty,
            ),
          ),
        ]
      : spec.rows.map((row) =>
          h(
            'tr',
            row.attributes ?? {},
            row.cells.map((cell, i) =>
              i === 0
                ? h('th', { scope: 'row' }, cell)
                : h('td', { class: numeric[i] }, cell),
            ),
          ),
        );

  // The box scrolls sideways on narrow screens; as a named, focusable
  // region it scrolls from the keyboard too.
  const captionId = `${spec.id}-caption`;
  return h(
    'div',
    {
      class: 'table-wrap',
      role: 'region',
      'aria-labelledby': captionId,
      tabindex: 0,
    },
    h(
      'table',
      { id: spec.id },
      h('caption', { id: captionId }, spec.caption),
      h('thead', {}, head),
      h('tbody', {}, body),
    ),
  );
}

/** A verdict or severity word as a coloured badge (text, not colour alone). */
export function badge(word, kind = word) {
  return h('span', { class: `badge badge-${kind}` }, word);
}
