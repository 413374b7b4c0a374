/**
 * The `splade` command line: parses arguments with commander, runs one command, maps errors to exit codes.
 * Each command lives in commands/<name>.ts and registers itself on the program here. A reader that closes
 * stdout early (`| head`) ends the command quietly with exit code 0 (stdout.ts).
 */
import { Command, CommanderError } from "commander";
import { exitCodeFor, messageFor } from "./exit-codes.js";
import { exitQuietlyWhenStdoutCloses } from "./stdout.js";
// command imports (one line each)
import { registerIndex } from "./commands/index.js";
import { registerSearch } from "./commands/search.js";
import { registerEncode } from "./commands/encode.js";
import { registerTokenize } from "./commands/tokenize.js";
import { registerInfo } from "./commands/info.js";
import { registerMineNegatives } from "./commands/mine-negatives.js";
import { registerInitModel } from "./commands/init-model.js";
import { registerTrain } from "./commands/train.js";
import { registerEvalRun } from "./commands/eval-run.js";
import { registerEval } from "./commands/eval.js";
import { registerServe } from "./commands/serve.js";
import { registerPush } from "./commands/push.js";

export function buildProgram(): Command {
  const program = new Command("splade")
    .description("Learned sparse retrieval (SPLADE): encode, index, search, evaluate and train.")
    .version("0.1.0")
    .showHelpAfterError()
    .exitOverride();
  // command registrations (one line each)
  registerIndex(program);
  registerSearch(program);
  registerEncode(program);
  registerTokenize(program);
  registerInfo(program);
  registerMineNegatives(program);
  registerInitModel(program);
  registerTrain(program);
  registerEvalRun(program);
  registerEval(program);
  registerServe(program);
  registerPush(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyWhenStdoutCloses();
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    process.stderr.write(messageFor(error) + "\n");
    return exitCodeFor(error);
  }
}
