// Horizontal bar charts of term weights. A hit's chart shows its largest contributions and, when there are
// more terms, one "other terms" bar with the rest, so the bars always add up to the hit's score. Expansion
// terms (tokens the query text does not contain) get their own colour and a "+" mark.

export const DIGITS = 3;
export const format = (x) => x.toFixed(DIGITS);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** rows: [{label, value, expansion, title}], scaled so that `scale` is the full width. */
export function barChart(rows, scale, className = "") {
  const chart = el("div", `bars ${className}`.trim());
  for (const row of rows) {
    const line = el("div", `bar${row.expansion ? " expansion" : ""}${row.other ? " other" : ""}`);
    line.dataset.value = String(row.value);
    if (row.title) line.title = row.title;
    const label = el("span", "bar-label", row.label);
    if (row.expansion) label.prepend(el("span", "mark", "+"));
    const track = el("span", "bar-track");
    const fill = el("span", "bar-fill");
    fill.style.width = `${scale > 0 ? Math.max(0.5, (100 * row.value) / scale) : 0}%`;
    track.append(fill);
    line.append(label, track, el("span", "bar-value", format(row.value)));
    chart.append(line);
  }
  return chart;
}

/** The rows of a hit's chart: the `top` largest contributions, then the rest as one bar. */
export function contributionRows(terms, top = 8) {
  const rows = terms.slice(0, top).map((t) => ({
    label: t.token,
    value: t.contribution,
    expansion: t.expansion,
    title: `${t.token}: query ${t.queryWeight.toFixed(4)} × document ${t.documentWeight.toFixed(4)} = ${t.contribution.toFixed(4)}${t.expansion ? " (expansion)" : ""}`,
  }));
  const rest = terms.slice(top);
  if (rest.length > 0) {
    const value = rest.reduce((sum, t) => sum + t.contribution, 0);
    rows.push({ label: `${rest.length} other term${rest.length > 1 ? "s" : ""}`, value, other: true, title: rest.map((t) => `${t.token} ${t.contribution.toFixed(4)}`).join(", ") });
  }
  return rows;
}

/** The rows of the query's chart: every term by weight (the `top` first). */
export function queryRows(terms, top = 32) {
  return terms.slice(0, top).map((t) => ({ label: t.token, value: t.weight, expansion: t.expansion, title: `${t.token}: ${t.weight.toFixed(4)}${t.expansion ? " (expansion)" : ""}` }));
}
