/**
 * `splade init-model --output <dir> --vocab <vocab.txt> [--tokenizer-json <file>] [--architecture distilbert|bert]
 *   [--layers 1] [--dim 32] [--heads 4] [--ffn 4·dim] [--max-positions 512] [--seed 42] [--init-std 0.02]
 *   [--embedding-std <init-std>] [--vocab-bias 0]
 *   [--inference-free (--idf-corpus <BEIR folder|corpus.jsonl> [--title] | --idf-json <idf.json>) [--freeze-query-weights]]`
 * Writes a randomly initialised *ForMaskedLM folder (src/train/init-model.ts) that `splade train` can start
 * from, e.g. the SciFact recipe's 1-layer, 32-dim model with the bert-base-uncased vocabulary
 * (`--embedding-std 0.3 --init-std 0.1 --vocab-bias -3`, BENCHMARKS.md). With
 * --inference-free, an inference-free SPLADE Router instead (src/train/init-inference-free.ts): that MLM as the
 * document side and, as the query side, IDF weights computed on a corpus (src/train/idf.ts) or read from an
 * opensearch-style idf.json.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { corpusText, readCorpus } from "../../app/text-files.js";
import { BertTokenizer } from "../../tokenizer/index.js";
import { DocumentFrequencies, weightFromIdfJson } from "../../train/idf.js";
import { initInferenceFreeFolder } from "../../train/init-inference-free.js";
import { initModelFolder, type InitModelOptions } from "../../train/init-model.js";
import { SpladeError } from "../../util/errors.js";
import { readJsonFile } from "../../util/text-file.js";

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

function std(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError("expected a finite number ≥ 0");
  return n;
}

function finite(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError("expected a finite number");
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
  initStd: number;
  embeddingStd?: number;
  vocabBias: number;
  inferenceFree?: boolean;
  idfCorpus?: string;
  idfJson?: string;
  title?: boolean;
  freezeQueryWeights?: boolean;
}

/** The query weights of --inference-free: IDF on --idf-corpus, or --idf-json as SparseStaticEmbedding.from_json reads it. */
async function queryWeights(f: InitFlags, tokenizer: BertTokenizer): Promise<{ weight: Float32Array; what: string }> {
  if ((f.idfCorpus === undefined) === (f.idfJson === undefined)) throw new SpladeError("INVALID_ARGUMENT", "--inference-free needs exactly one of --idf-corpus and --idf-json");
  if (f.idfJson !== undefined) return { weight: weightFromIdfJson(readJsonFile(f.idfJson), tokenizer, f.idfJson), what: f.idfJson };
  const path = existsSync(f.idfCorpus!) && statSync(f.idfCorpus!).isDirectory() ? join(f.idfCorpus!, "corpus.jsonl") : f.idfCorpus!;
  const df = new DocumentFrequencies(tokenizer);
  for await (const record of readCorpus(path)) df.add(corpusText(record, f.title ?? false));
  return { weight: df.idf(), what: `IDF of ${df.documents} documents in ${path}` };
}

export function registerInitModel(program: Command): void {
  program
    .command("init-model")
    .description("Write a randomly initialised masked-LM folder (or an inference-free SPLADE Router) to train SPLADE from scratch")
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
    .option("--init-std <x>", "std of the Linear and Embedding weights (transformers' initializer_range)", std, 0.02)
    .option("--embedding-std <x>", "std of the word embeddings, also the tied MLM decoder (default: --init-std)", std)
    .option("--vocab-bias <x>", "initial value of the MLM head's vocabulary bias (negative: sparse vectors at init)", finite, 0)
    .option("--inference-free", "write an inference-free SPLADE Router: IDF query weights + this MLM for documents")
    .option("--idf-corpus <path>", "with --inference-free: BEIR folder or corpus.jsonl to compute the IDF on")
    .option("--title", "with --idf-corpus: documents are \"title text\"")
    .option("--idf-json <file>", "with --inference-free: query weights from an idf.json {token: weight} instead")
    .option("--freeze-query-weights", "with --inference-free: SparseStaticEmbedding frozen (not trained)")
    .action(async (f: InitFlags) => {
      const model: InitModelOptions = {
        architecture: f.architecture, layers: f.layers, dim: f.dim, heads: f.heads, ffn: f.ffn, maxPositions: f.maxPositions,
        vocab: f.vocab, tokenizerJson: f.tokenizerJson, seed: f.seed, initStd: f.initStd, embeddingStd: f.embeddingStd, vocabBias: f.vocabBias,
      };
      if (!f.inferenceFree) {
        if (f.idfCorpus !== undefined || f.idfJson !== undefined || f.freezeQueryWeights) throw new SpladeError("INVALID_ARGUMENT", "--idf-corpus, --idf-json and --freeze-query-weights need --inference-free");
        const config = initModelFolder(f.output, model);
        process.stdout.write(`wrote ${f.output} (${config.kind}, ${config.layers} layer(s), dim ${config.hidden}, vocabulary ${config.vocabSize})\n`);
        return;
      }
      const tokenizer = f.tokenizerJson ? BertTokenizer.fromFile(f.tokenizerJson) : BertTokenizer.fromVocabFile(f.vocab, { doLowerCase: true });
      const { weight, what } = await queryWeights(f, tokenizer);
      const config = initInferenceFreeFolder(f.output, { model, queryWeight: weight, frozen: f.freezeQueryWeights ?? false });
      const nonZero = weight.reduce((n, w) => n + (w !== 0 ? 1 : 0), 0);
      process.stdout.write(
        `wrote ${f.output}: inference-free SPLADE Router (query: ${nonZero} weighted tokens from ${what}${f.freezeQueryWeights ? ", frozen" : ""}; document: ${config.kind}, ${config.layers} layer(s), dim ${config.hidden}, vocabulary ${config.vocabSize})\n`,
      );
    });
}
