// The search page: a query over the chosen indexes (several are fused with RRF), the query's own vector as
// bars, and for each hit its id, title, a snippet and the bars of its top contributing terms.
import { api, ApiError, setApiKey } from "./api.js";
import { barChart, contributionRows, format, queryRows } from "./bars.js";

const $ = (id) => document.getElementById(id);
const form = $("search-form");
const status = $("status");
const errorBox = $("error");
const results = $("results");
let served = [];

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function showError(error) {
  if (error instanceof ApiError && error.status === 401) $("key-row").hidden = false;
  errorBox.textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  errorBox.hidden = false;
}

function chosenIndexes() {
  return [...document.querySelectorAll("#indexes input:checked")].map((box) => box.value);
}

async function loadIndexes() {
  const box = $("indexes");
  try {
    served = (await api("GET", "/indexes")).indexes;
  } catch (error) {
    box.querySelector(".muted").textContent = "could not list the indexes";
    showError(error);
    return;
  }
  box.replaceChildren(el("legend", "", "indexes"));
  served.forEach((index, i) => {
    const label = el("label", "index");
    const input = el("input");
    input.type = "checkbox";
    input.value = index.name;
    input.checked = i === 0;
    label.append(input, ` ${index.name} `, el("span", "muted", `${index.model.name} · ${index.documents.toLocaleString()} docs`));
    box.append(label);
  });
}

/** Words of the text whose lowercase form is one of the query's whole-word tokens, marked. */
function snippet(text, queryTokens, length = 320) {
  const cut = text.length > length ? text.slice(0, text.lastIndexOf(" ", length) > 0 ? text.lastIndexOf(" ", length) : length) + " …" : text;
  const p = el("p", "snippet");
  for (const part of cut.split(/(\p{L}[\p{L}\p{N}]*)/u)) {
    if (queryTokens.has(part.toLowerCase())) p.append(el("mark", "", part));
    else p.append(part);
  }
  return p;
}

function renderQuery(queryVectors) {
  const section = $("query-vector");
  const bars = $("query-bars");
  bars.replaceChildren();
  for (const { index, terms } of queryVectors) {
    const block = el("div", "query-block");
    const expansions = terms.filter((t) => t.expansion).length;
    block.append(el("h3", "", `${index}: ${terms.length} terms${expansions ? `, ${expansions} of them expansions` : ""}`));
    const rows = queryRows(terms);
    block.append(barChart(rows, Math.max(...rows.map((r) => r.value), 0), "query"));
    bars.append(block);
  }
  section.hidden = queryVectors.length === 0;
}

function renderHit(hit, rank, fused, scales, queryTokens) {
  const li = el("li", "hit");
  li.dataset.id = hit.id;
  const head = el("div", "hit-head");
  head.append(el("span", "rank", `${rank}.`), el("span", "doc-id", hit.id), el("span", "title", hit.title ?? ""));
  const score = el("span", "score", format(hit.score));
  score.dataset.score = String(hit.score);
  score.title = fused ? "reciprocal-rank fusion score" : "dot product: the sum of the bars";
  head.append(score);
  li.append(head);
  if (hit.text) li.append(snippet(hit.text, queryTokens));
  for (const source of hit.explanation ?? []) {
    const block = el("div", "source");
    if (fused) block.append(el("div", "source-head", `${source.index}: rank ${source.rank}, score ${format(source.score)}`));
    block.dataset.index = source.index;
    block.append(barChart(contributionRows(source.terms), scales.get(source.index), "hit"));
    li.append(block);
  }
  return li;
}

async function search(event) {
  event?.preventDefault();
  const query = $("query").value.trim();
  if (!query) return;
  const indexes = chosenIndexes();
  errorBox.hidden = true;
  status.textContent = "searching…";
  let response;
  try {
    response = await api("POST", "/search", { query, k: Number($("k").value), explain: true, ...(indexes.length ? { indexes } : {}) });
  } catch (error) {
    status.textContent = "";
    showError(error);
    return;
  }
  const fused = (indexes.length || served.length) > 1;
  // Words to mark in snippets: the query's own whole-word tokens that weigh something (not "of", "the").
  const queryTokens = new Set(
    response.queryVectors.flatMap((v) => {
      const top = Math.max(0, ...v.terms.map((t) => t.weight));
      return v.terms.filter((t) => !t.expansion && !t.token.startsWith("##") && t.weight >= 0.1 * top).map((t) => t.token);
    }),
  );
  renderQuery(response.queryVectors);
  // One scale per index, so that bars compare across hits (scores of different indexes do not compare).
  const scales = new Map();
  for (const hit of response.hits) {
    for (const source of hit.explanation ?? []) {
      const largest = Math.max(0, ...contributionRows(source.terms).map((r) => r.value));
      scales.set(source.index, Math.max(scales.get(source.index) ?? 0, largest));
    }
  }
  results.replaceChildren(...response.hits.map((hit, i) => renderHit(hit, i + 1, fused, scales, queryTokens)));
  status.textContent = `${response.hits.length} hit${response.hits.length === 1 ? "" : "s"} in ${response.tookMs.toFixed(1)} ms${fused ? " (RRF over " + (indexes.length || served.length) + " indexes)" : ""}`;
}

form.addEventListener("submit", search);
$("save-key").addEventListener("click", () => {
  setApiKey($("api-key").value.trim());
  $("key-row").hidden = true;
  loadIndexes().then(() => search());
});
loadIndexes();
