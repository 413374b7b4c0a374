/**
 * `splade init-model --output <dir> --vocab <vocab.txt> [--tokenizer-json <file>] [--architecture distilbert|bert]
 *   [--layers 1] [--dim 32] [--heads 4] [--ffn 4·dim] [--max-positions 512] [--seed 42]`
 * Writes a randomly initialised *ForMaskedLM folder (src/train/init-model.ts) that `splade train` can start
 * from, e.g. the SciFact recipe's 1-layer, 32-dim model with the bert-base-uncased vocabulary.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { initModelFolder } from "../../train/init-model.js";

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

interface InitFlags {
  output: string;
  vocab: string;
  tokenizerJson?: string;
  architecture: "distilbert" | "bert";
  layers: number;
  dim: number;
  heads: number;
  ffn?: number;
  maxPositions: number;
  seed: number;
}

export function registerInitModel(program: Command): void {
  program
    .command("init-model")
    .description("Write a randomly initialised masked-LM folder to train SPLADE from scratch")
    .requiredOption("--output <dir>", "folder to write")
    .requiredOption("--vocab <file>", "WordPiece vocab.txt (e.g. bert-base-uncased's)")
    .option("--tokenizer-json <file>", "a matching tokenizer.json to copy")
    .addOption(new Option("--architecture <kind>", "model type").choices(["distilbert", "bert"]).default("distilbert"))
    .option("--layers <n>", "transformer layers", int, 1)
    .option("--dim <n>", "hidden size", int, 32)
    .option("--heads <n>", "attention heads", int, 4)
    .option("--ffn <n>", "feed-forward size (default 4 × dim)", int)
    .option("--max-positions <n>", "max_position_embeddings", int, 512)
    .option("--seed <n>", "random seed", int, 42)
    .action((f: InitFlags) => {
      const config = initModelFolder(f.output, {
        architecture: f.architecture, layers: f.layers, dim: f.dim, heads: f.heads, ffn: f.ffn, maxPositions: f.maxPositions,
        vocab: f.vocab, tokenizerJson: f.tokenizerJson, seed: f.seed,
      });
      process.stdout.write(`wrote ${f.output} (${config.kind}, ${config.layers} layer(s), dim ${config.hidden}, vocabulary ${config.vocabSize})\n`);
    });
}
