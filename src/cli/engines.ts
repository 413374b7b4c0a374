/**
 * The engines layer (OpenSearch and PostgreSQL clients), imported on first use: only `splade push` and
 * `splade search --engine` need it, and its clients cost ~0.1 s of start-up for every other command.
 */
export type Engines = typeof import("../engines/index.js");

let engines: Promise<Engines> | undefined;

export function loadEngines(): Promise<Engines> {
  return (engines ??= import("../engines/index.js"));
}
