/**
 * `splade info --model <dir|hub-id> [--json]`: architecture, sizes, max_seq_length, pooling, prompts and
 * similarity of a SPLADE model, read from its configuration files and the safetensors header.
 */
import { Command } from "commander";
import { describeModel, type ModelInfo } from "../../encoder/index.js";
import { hubOptionsFromEnv } from "../../hub/index.js";

function formatInfo(info: ModelInfo): string {
  const prompts = Object.entries(info.prompts).map(([name, text]) => `${name}=${JSON.stringify(text)}`);
  const rows: Array<[string, string]> = [
    ["path", info.path],
    ["architecture", `${info.architecture} (${info.sentenceTransformers ? "sentence-transformers SparseEncoder" : "plain masked-LM folder"})`],
    ["sizes", `hidden ${info.hidden}, layers ${info.layers}, heads ${info.heads}, intermediate ${info.intermediate}, vocabulary ${info.vocabSize}`],
    ["parameters", `${info.parameters.toLocaleString("en-US")} (${info.dtypes.join(", ")})`],
    ["max_seq_length", `${info.maxSeqLength} (position embeddings: ${info.maxPositions})`],
    ["pooling", `SpladePooling(${info.pooling}, ${info.activation})`],
    ["prompts", prompts.length > 0 ? prompts.join(", ") : "none"],
    ["default prompt", info.defaultPromptName ?? "none"],
    ["similarity", info.similarityFnName],
    ["lowercase", String(info.doLowerCase)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}

export function registerInfo(program: Command): void {
  program
    .command("info")
    .description("Describe a SPLADE model: architecture, sizes, max_seq_length, pooling, prompts")
    .requiredOption("--model <model>", "SPLADE model folder or Hugging Face Hub id")
    .option("--revision <rev>", "Hub branch, tag or commit (default main)")
    .option("--json", "print JSON instead of a table")
    .action(async (flags: { model: string; revision?: string; json?: boolean }) => {
      const info = await describeModel(flags.model, { ...hubOptionsFromEnv(process.env), revision: flags.revision });
      process.stdout.write(flags.json ? JSON.stringify(info, null, 2) + "\n" : formatInfo(info));
    });
}
