/**
 * Worker threads that run a module of this package: the built .js directly, or, from the TypeScript sources
 * (tests and benchmarks under tsx), the .ts after registering tsx's loader in the worker, which workers do not
 * inherit from `--import tsx` on Node 20.
 */
import { Worker, type WorkerOptions } from "node:worker_threads";

/** Starts a worker running module `name` (relative, no extension, e.g. "./search-worker") beside `from` (the caller's import.meta.url). */
export function startModuleWorker(from: string, name: string, options: WorkerOptions = {}): Worker {
  if (!from.endsWith(".ts")) return new Worker(new URL(`${name}.js`, from), options);
  const worker = new URL(`${name}.ts`, from).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  const code = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`;
  return new Worker(code, { ...options, eval: true });
}
