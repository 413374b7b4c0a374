/**
 * The recall–latency figure of the search benchmark (bench/search.ts --plot; files starting with "_" are not
 * benchmarks): for each corpus, the Pareto frontier of approximate search (recall@10 on x, mean single-thread
 * latency on a log y axis) and, as dashed lines at recall 1, exact BMP and exhaustive scoring. A run that also
 * measured one query split across threads (bench/search.ts `splits`) adds that frontier and its exact BMP mean,
 * drawn with hollow markers, for the fastest split variant (the calling thread + workers, k-th score shared).
 * Plain SVG written by hand: a dozen points per series need no plotting library.
 */
import { paretoFrontier, type ApproximatePoint } from "./_search-measure.js";

export interface SplitRun {
  readonly threads: number;
  readonly caller: boolean;
  readonly shareThreshold: boolean;
  readonly bmp: { readonly mean: number };
  readonly approximate: readonly ApproximatePoint[];
}

export interface PlotSeries {
  readonly label: string;
  readonly exact: { readonly bmp: { readonly mean: number }; readonly exhaustive: { readonly mean: number } };
  readonly frontier: readonly ApproximatePoint[];
  readonly splits?: readonly SplitRun[];
}

/** The split variant drawn: the calling thread + workers with the k-th score shared, else the first shared one. */
function drawnSplit(s: PlotSeries): { threads: number; bmpMean: number; frontier: ApproximatePoint[] } | null {
  const shared = (s.splits ?? []).filter((r) => r.shareThreshold);
  const run = shared.find((r) => r.caller) ?? shared[0];
  return run === undefined ? null : { threads: run.threads, bmpMean: run.bmp.mean, frontier: paretoFrontier(run.approximate) };
}

const W = 780;
const H = 440;
const M = { left: 70, right: 240, top: 30, bottom: 50 };
/** Least vertical distance between two labels on the right, px. */
const LABEL_GAP = 14;
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

export function recallLatencySvg(series: readonly PlotSeries[]): string {
  const splits = series.map(drawnSplit);
  const latencies = series.flatMap((s, i) => {
    const split = splits[i];
    return [...s.frontier.map((p) => p.mean), s.exact.bmp.mean, s.exact.exhaustive.mean, ...(split === null ? [] : [split.bmpMean, ...split.frontier.map((p) => p.mean)])];
  });
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...latencies)));
  // A decade more when the top line would run through the legend (top left).
  const top = Math.max(...latencies);
  const decade = 10 ** Math.ceil(Math.log10(top));
  const yMax = top > decade / 5 ? decade * 10 : decade;
  const xMin = Math.min(0.8, ...series.flatMap((s, i) => [...s.frontier, ...(splits[i]?.frontier ?? [])].map((p) => p.recall)));
  const x = (recall: number) => M.left + ((recall - xMin) / (1 - xMin)) * (W - M.left - M.right);
  const y = (ms: number) => H - M.bottom - ((Math.log10(ms) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - M.top - M.bottom);
  const out: string[] = [];
  const labels: Array<{ at: number; color: string; text: string }> = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  for (let e = Math.log10(yMin); e <= Math.log10(yMax); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v > yMax) break;
      out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
      out.push(`<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v >= 1 ? v : v.toFixed(-e)}</text>`);
    }
  }
  for (let r = Math.ceil(xMin * 20) / 20; r <= 1.0001; r += 0.05) {
    out.push(`<line x1="${x(r).toFixed(1)}" x2="${x(r).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x(r).toFixed(1)}" y="${H - M.bottom + 16}" text-anchor="middle">${Math.round(r * 100)}%</text>`);
  }
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">recall@10 against the exact top-10</text>`);
  out.push(`<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">mean latency per query, ms (log scale)</text>`);
  // One frontier: a line through its points, filled (one thread) or hollow (a split query).
  const curve = (points: readonly ApproximatePoint[], color: string, hollow: boolean) => {
    const path = points.map((p, j) => `${j === 0 ? "M" : "L"}${x(p.recall).toFixed(1)},${y(p.mean).toFixed(1)}`).join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="${hollow ? 1.5 : 2}"${hollow ? ' stroke-dasharray="5 2"' : ""}/>`);
    for (const p of points) out.push(`<circle cx="${x(p.recall).toFixed(1)}" cy="${y(p.mean).toFixed(1)}" r="3" fill="${hollow ? "white" : color}"${hollow ? ` stroke="${color}"` : ""}/>`);
  };
  // An exact search's mean: a dashed line across the plot, labelled on the right.
  const level = (ms: number, color: string, dash: string, text: string) => {
    out.push(`<line x1="${x(xMin).toFixed(1)}" x2="${x(1).toFixed(1)}" y1="${y(ms).toFixed(1)}" y2="${y(ms).toFixed(1)}" stroke="${color}" stroke-dasharray="${dash}" stroke-width="1"/>`);
    labels.push({ at: y(ms), color, text });
  };
  const legend: Array<{ color: string; text: string }> = [];
  const splitLegend: Array<{ color: string; text: string }> = [];
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    curve(s.frontier, color, false);
    level(s.exact.bmp.mean, color, "6 3", `${s.label}: exact BMP`);
    level(s.exact.exhaustive.mean, color, "2 3", `${s.label}: exhaustive`);
    legend.push({ color, text: `● ${s.label}: approximate, 1 thread` });
    const split = splits[i];
    if (split !== null) {
      curve(split.frontier, color, true);
      level(split.bmpMean, color, "1 2", `${s.label}, ${split.threads} threads: exact BMP`);
      splitLegend.push({ color, text: `○ ${s.label}: approximate, ${split.threads} threads per query` });
    }
  });
  [...legend, ...splitLegend].forEach(({ color, text }, j) => {
    out.push(`<text x="${M.left + 10}" y="${M.top + 16 * (j + 1)}" fill="${color}" font-weight="bold">${text}</text>`);
  });
  // The exact lines' labels, in line order, moved apart where lines lie closer than a label's height.
  labels.sort((a, b) => a.at - b.at);
  let last = -Infinity;
  for (const label of labels) {
    last = Math.max(label.at, last + LABEL_GAP);
    out.push(`<text x="${W - M.right + 6}" y="${(last + 4).toFixed(1)}" fill="${label.color}">${label.text}</text>`);
  }
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
