/**
 * Per-parameter learning rates, as sentence-transformers' `learning_rate_mapping` (training_args.py; applied in
 * SentenceTransformerTrainer.get_optimizer_cls_and_kwargs, trainer.py): a mapping of parameter-name regular
 * expressions to learning rates. For each pattern in order, the parameters whose name it matches (`re.search`)
 * leave their current group and form a new group with that learning rate, so a parameter matched by several
 * patterns ends with the last. A pattern that matches nothing is an error. The schedule (warm-up, decay)
 * scales every group alike: HF's LambdaLR multiplies each group's initial lr by the same factor.
 *
 * Names are matched as upstream names them (see `upstreamNames`), e.g. the recipe of the inference-free
 * training docs, `{"SparseStaticEmbedding\\.weight": 1e-3}`. Group 0 is the base learning rate.
 */
import { SpladeError } from "../../util/errors.js";

/** Pattern → learning rate, in the order given. */
export type LearningRateMapping = Readonly<Record<string, number>>;

export interface LearningRateGroups {
  /** Group of each parameter (0 = the base learning rate). */
  groupOf: Map<string, number>;
  /** Number of groups, base included (1 + number of patterns). */
  count: number;
}

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern);
  } catch (cause) {
    throw new SpladeError("INVALID_ARGUMENT", `learning_rate_mapping: ${JSON.stringify(pattern)} is not a valid regular expression (${(cause as Error).message})`, { cause });
  }
}

/**
 * Assigns each parameter a group. `upstreamNames(param)` lists the names upstream gives the parameter (one per
 * sentence-transformers version whose naming differs); a pattern matches a parameter when it matches any.
 */
export function learningRateGroups(params: readonly string[], mapping: LearningRateMapping, upstreamNames: (param: string) => readonly string[]): LearningRateGroups {
  const groupOf = new Map(params.map((p) => [p, 0]));
  Object.entries(mapping).forEach(([pattern, lr], i) => {
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) {
      throw new SpladeError("INVALID_ARGUMENT", `learning_rate_mapping: the learning rate of ${JSON.stringify(pattern)} must be a non-negative number, got ${JSON.stringify(lr)}`);
    }
    const re = compile(pattern);
    const matching = params.filter((p) => upstreamNames(p).some((name) => re.test(name)));
    if (matching.length === 0) {
      const examples = params.slice(0, 3).map((p) => upstreamNames(p)[0]).join(", ");
      throw new SpladeError("INVALID_ARGUMENT", `learning_rate_mapping: no parameter matches ${JSON.stringify(pattern)} (names look like ${examples}, …)`);
    }
    for (const p of matching) groupOf.set(p, i + 1);
  });
  return { groupOf, count: 1 + Object.keys(mapping).length };
}

/** Each group's peak learning rate: the base first, then the mapping's in order. */
export function groupBaseLearningRates(baseLr: number, mapping: LearningRateMapping): number[] {
  return [baseLr, ...Object.values(mapping)];
}

/** Parses `--learning-rate-mapping` / `learning_rate_mapping` JSON: an object of pattern → learning rate. */
export function parseLearningRateMapping(json: string): LearningRateMapping {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new SpladeError("INVALID_ARGUMENT", `learning_rate_mapping: not valid JSON: ${json}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SpladeError("INVALID_ARGUMENT", `learning_rate_mapping: expected an object of pattern → learning rate, got ${json}`);
  for (const [pattern, lr] of Object.entries(value)) {
    if (typeof lr !== "number" || !Number.isFinite(lr) || lr < 0) throw new SpladeError("INVALID_ARGUMENT", `learning_rate_mapping: the learning rate of ${JSON.stringify(pattern)} must be a non-negative number`);
    compile(pattern);
  }
  return value as LearningRateMapping;
}
