/**
 * The recall–latency figure of the search benchmark (bench/search.ts --plot; files starting with "_" are not
 * benchmarks): for each corpus, the Pareto frontier of approximate search (recall@10 on x, mean single-thread
 * latency on a log y axis) and, as dashed lines at recall 1, exact BMP and exhaustive scoring. Plain SVG
 * written by hand: a dozen points per series need no plotting library.
 */
import type { ApproximatePoint } from "./_search-measure.js";

export interface PlotSeries {
  readonly label: string;
  readonly exact: { readonly bmp: { readonly mean: number }; readonly exhaustive: { readonly mean: number } };
  readonly frontier: readonly ApproximatePoint[];
}

const W = 720;
const H = 440;
const M = { left: 70, right: 190, top: 30, bottom: 50 };
const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"];

export function recallLatencySvg(series: readonly PlotSeries[]): string {
  const latencies = series.flatMap((s) => [...s.frontier.map((p) => p.mean), s.exact.bmp.mean, s.exact.exhaustive.mean]);
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...latencies)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...latencies)));
  const xMin = Math.min(0.8, ...series.flatMap((s) => s.frontier.map((p) => p.recall)));
  const x = (recall: number) => M.left + ((recall - xMin) / (1 - xMin)) * (W - M.left - M.right);
  const y = (ms: number) => H - M.bottom - ((Math.log10(ms) - Math.log10(yMin)) / (Math.log10(yMax) - Math.log10(yMin))) * (H - M.top - M.bottom);
  const out: string[] = [];
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
  out.push(`<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">mean latency per query, ms (1 thread, log scale)</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const path = s.frontier.map((p, j) => `${j === 0 ? "M" : "L"}${x(p.recall).toFixed(1)},${y(p.mean).toFixed(1)}`).join(" ");
    out.push(`<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`);
    for (const p of s.frontier) out.push(`<circle cx="${x(p.recall).toFixed(1)}" cy="${y(p.mean).toFixed(1)}" r="3" fill="${color}"/>`);
    for (const [name, ms, dash] of [["exact BMP", s.exact.bmp.mean, "6 3"], ["exhaustive", s.exact.exhaustive.mean, "2 3"]] as const) {
      out.push(`<line x1="${x(xMin).toFixed(1)}" x2="${x(1).toFixed(1)}" y1="${y(ms).toFixed(1)}" y2="${y(ms).toFixed(1)}" stroke="${color}" stroke-dasharray="${dash}" stroke-width="1"/>`);
      out.push(`<text x="${W - M.right + 6}" y="${(y(ms) + 4).toFixed(1)}" fill="${color}">${s.label}: ${name}</text>`);
    }
    out.push(`<text x="${W - M.right + 6}" y="${M.top + 16 * i}" fill="${color}" font-weight="bold">${s.label}: approximate</text>`);
  });
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}
