/**
 * `splade tokenize --model <dir|hub-id> --input <file> --output <file> [--task query|document|<route>] [--max-length N]`
 * Writes the model tokenizer's ids (a Router model: the tokenizer of the route --task takes, else of its first route) ([CLS] … [SEP]) of every input text as JSONL {"id"?, "ids"}, untruncated
 * unless --max-length is given. Input as for `splade encode` (JSONL with text, or one text per line).
 */
import { Command, Option } from "commander";
import { loadTokenizer, readTextRecords } from "../../encoder/index.js";
import { hubOptionsFromEnv } from "../../hub/index.js";
import { AtomicFileWriter } from "../../util/atomic-write.js";
import { positiveInteger } from "./encode.js";

interface TokenizeFlags {
  model: string;
  revision?: string;
  task?: string;
  input: string;
  output: string;
  maxLength?: number;
  format: "auto" | "jsonl" | "text";
}

export function registerTokenize(program: Command): void {
  program
    .command("tokenize")
    .description("Tokenize texts with a model's tokenizer (JSONL: id, ids)")
    .requiredOption("--model <model>", "model folder or Hugging Face Hub id (tokenizer.json or vocab.txt)")
    .option("--revision <rev>", "Hub branch, tag or commit (default main)")
    .option("--task <task>", "query or document: the Router route whose tokenizer to use (default: the first route's)")
    .requiredOption("--input <file>", "JSONL with a text field (and _id/id), or plain text with one text per line")
    .requiredOption("--output <file>", "JSONL token ids, one line per input record")
    .option("--max-length <n>", "truncate to n ids, [CLS] and [SEP] included", positiveInteger)
    .addOption(new Option("--format <format>", "input format").choices(["auto", "jsonl", "text"]).default("auto"))
    .action(async (flags: TokenizeFlags) => {
      const tokenizer = await loadTokenizer(flags.model, { ...hubOptionsFromEnv(process.env), revision: flags.revision }, flags.task);
      const writer = await AtomicFileWriter.open(flags.output);
      try {
        for await (const record of readTextRecords(flags.input, { format: flags.format })) {
          const ids = tokenizer.encode(record.text, flags.maxLength === undefined ? {} : { maxLength: flags.maxLength });
          const idPart = record.id === undefined ? "" : `"id":${JSON.stringify(record.id)},`;
          await writer.write(`{${idPart}"ids":[${ids.join(",")}]}\n`);
        }
        await writer.commit();
      } catch (error) {
        await writer.abort();
        throw error;
      }
    });
}
