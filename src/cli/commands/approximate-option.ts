/**
 * The `--approximate [knobs]` option of `splade search` and `splade eval`: approximate search with the default
 * knobs, or with some of them set as `name=value` pairs separated by commas (queryTerms=12,heapFactor=0.9;
 * index/approximate-search.ts documents each). The values are validated where they are resolved
 * (index/search.ts), which names the knob.
 */
import { InvalidArgumentError, Option } from "commander";
import type { ApproximateSearchOptions } from "../../index/approximate-search.js";

const KNOBS: ReadonlyArray<keyof ApproximateSearchOptions> = ["queryTerms", "heapFactor", "rescore", "docTerms"];

export type ApproximateFlag = true | Partial<ApproximateSearchOptions>;

export function parseApproximateKnobs(value: string): Partial<ApproximateSearchOptions> {
  const knobs: Record<string, number> = {};
  for (const pair of value.split(",").map((p) => p.trim()).filter((p) => p !== "")) {
    const [name, raw, ...rest] = pair.split("=");
    if (!KNOBS.includes(name as keyof ApproximateSearchOptions) || raw === undefined || rest.length > 0) {
      throw new InvalidArgumentError(`expected name=value pairs with names ${KNOBS.join(", ")}; got "${pair}"`);
    }
    const number = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(number)) throw new InvalidArgumentError(`${name} must be a number, got "${raw}"`);
    knobs[name] = number;
  }
  return knobs;
}

export function approximateOption(): Option {
  return new Option(
    "--approximate [knobs]",
    `approximate search: candidates from pruned, clustered lists, exact scores (optional knobs: ${KNOBS.map((k) => `${k}=…`).join(",")})`,
  ).argParser(parseApproximateKnobs);
}
