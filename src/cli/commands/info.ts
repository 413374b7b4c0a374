/**
 * `splade info --model <dir|hub-id> [--json]`: the model's routes and modules (a Router model lists each
 * route: inference-free SparseStaticEmbedding, MLMTransformer → SpladePooling, CSR's Transformer → Pooling →
 * SparseAutoEncoder), the main transformer's architecture and sizes, checkpoint formats, max_seq_length,
 * prompts and similarity, read from configuration files and checkpoint headers.
 */
import { Command } from "commander";
import { describeModel, type ModelInfo } from "../../encoder/index.js";
import { hubOptionsFromEnv } from "../../hub/index.js";

function formatInfo(info: ModelInfo): string {
  const prompts = Object.entries(info.prompts).map(([name, text]) => `${name}=${JSON.stringify(text)}`);
  const kind = info.router ? "sentence-transformers SparseEncoder with a Router" : info.sentenceTransformers ? "sentence-transformers SparseEncoder" : "plain masked-LM folder";
  const rows: Array<[string, string]> = [
    ["path", info.path],
    ["architecture", `${info.architecture} (${kind})`],
    ["sizes", `hidden ${info.hidden}, layers ${info.layers}, heads ${info.heads}, intermediate ${info.intermediate}, vocabulary ${info.vocabSize}`],
    ["parameters", `${info.parameters.toLocaleString("en-US")} (${info.dtypes.join(", ")}; ${info.formats.join(", ")})`],
    ["max_seq_length", `${info.maxSeqLength} (position embeddings: ${info.maxPositions})`],
    ["dimensions", String(info.dimensions)],
  ];
  if (info.pooling !== null) rows.push(["pooling", `SpladePooling(${info.pooling}, ${info.activation})`]);
  rows.push(["prompts", prompts.length > 0 ? prompts.join(", ") : "none"], ["default prompt", info.defaultPromptName ?? "none"], ["similarity", info.similarityFnName], ["lowercase", String(info.doLowerCase)]);
  for (const route of info.routes) {
    const title = info.router ? `route ${route.name}${route.name === info.defaultRoute ? " (default)" : ""}` : "modules";
    rows.push([title, `${route.kind}${route.kind === "static" ? " (inference-free: no network)" : ""}`]);
    for (const m of route.modules) rows.push(["", `${m.type} [${m.id === "" ? "." : m.id}] ${m.summary}`]);
  }
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n") + "\n";
}

export function registerInfo(program: Command): void {
  program
    .command("info")
    .description("Describe a sparse-encoder model: routes and modules, architecture, sizes, max_seq_length, prompts")
    .requiredOption("--model <model>", "model folder or Hugging Face Hub id")
    .option("--revision <rev>", "Hub branch, tag or commit (default main)")
    .option("--json", "print JSON instead of a table")
    .action(async (flags: { model: string; revision?: string; json?: boolean }) => {
      const info = await describeModel(flags.model, { ...hubOptionsFromEnv(process.env), revision: flags.revision });
      process.stdout.write(flags.json ? JSON.stringify(info, null, 2) + "\n" : formatInfo(info));
    });
}
