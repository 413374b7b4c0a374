/**
 * `splade encode --model <dir|hub-id> --input <file> --output <file> [--task query|document|<route>] [--title]
 *   [--batch-size N] [--max-active-dims N] [--threads N] [--quantize int8] [--shard i/n]`
 * Encodes a JSONL file ({"text", "_id"|"id"?, "title"?} per line) or a plain text file (one text per line)
 * into JSONL vectors {"id"?, "indices", "values"} in input order, streaming with bounded memory; the output
 * appears only when every line is encoded. A progress bar goes to stderr on a terminal.
 */
import { Command, InvalidArgumentError, Option } from "commander";
import { encodeFile, SparseEncoder } from "../../encoder/index.js";
import { DEFAULT_BATCH_SIZE } from "../../encoder/defaults.js";
import { encoderOptionsFromEnv } from "../env-options.js";
import { countNonBlankLines } from "../../util/jsonl.js";
import { createProgress } from "../progress.js";

interface EncodeFlags {
  model: string;
  revision?: string;
  input: string;
  output: string;
  task?: string;
  title?: boolean;
  format: "auto" | "jsonl" | "text";
  batchSize: number;
  maxActiveDims?: number;
  threads?: number;
  quantize?: "int8";
  shard?: { index: number; count: number };
}

export function shardSpec(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) throw new InvalidArgumentError("expected i/n with 1 ≤ i ≤ n (e.g. 2/4)");
  return { index, count };
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a positive integer");
  return n;
}

export function registerEncode(program: Command): void {
  program
    .command("encode")
    .description("Encode texts (JSONL or one per line) into SPLADE vectors (JSONL: id, indices, values)")
    .requiredOption("--model <model>", "SPLADE model folder or Hugging Face Hub id")
    .option("--revision <rev>", "Hub branch, tag or commit (default main)")
    .requiredOption("--input <file>", "JSONL with a text field (and _id/id, title), or plain text with one text per line")
    .requiredOption("--output <file>", "JSONL vectors, one per input record, in input order")
    .option("--task <task>", "query or document: the model's prompt and Router route for them (encodeQuery / encodeDocument); another name: that Router route")
    .option("--title", "JSONL: prepend a record's title and a space to its text (BEIR)")
    .addOption(new Option("--format <format>", "input format").choices(["auto", "jsonl", "text"]).default("auto"))
    .option("--batch-size <n>", "texts per batch", positiveInteger, DEFAULT_BATCH_SIZE)
    .option("--max-active-dims <n>", "keep only the n largest weights of every vector", positiveInteger)
    .option("--threads <n>", "onnxruntime threads (default: all cores)", positiveInteger)
    .addOption(new Option("--quantize <type>", "int8 dynamic quantization (faster, approximate)").choices(["int8"]))
    .option("--shard <i/n>", "encode only the i-th of n contiguous shares of the input (1-based; concatenated in order they equal the whole output)", shardSpec)
    .action(async (flags: EncodeFlags) => {
      const encoder = await SparseEncoder.fromPretrained(flags.model, {
        ...encoderOptionsFromEnv(process.env),
        revision: flags.revision,
        threads: flags.threads,
        quantize: flags.quantize,
      });
      const progress = createProgress("encode");
      const total = process.stderr.isTTY && flags.shard === undefined ? await countNonBlankLines(flags.input) : undefined;
      try {
        const count = await encodeFile(encoder, flags.input, flags.output, {
          task: flags.task,
          title: flags.title,
          format: flags.format,
          batchSize: flags.batchSize,
          maxActiveDims: flags.maxActiveDims,
          shard: flags.shard,
          onProgress: (written) => progress.update(written, total),
        });
        progress.stop();
        process.stderr.write(`encoded ${count} texts into ${flags.output}\n`);
      } finally {
        progress.stop();
        await encoder.release();
      }
    });
}
