/**
 * Encoding a file of texts into a JSONL file of vectors, streaming: records are read in chunks, each chunk is
 * encoded (length-sorted batches inside it; the previous chunk's write overlaps with it) and written in input
 * order as
 *   {"id"?: …, "indices": [ascending token ids], "values": [weights]}
 * through an AtomicFileWriter, so memory stays bounded by the chunk and a failed or interrupted run leaves
 * no partial output file (the previous file, if any, stays as it was).
 * Sharding (`shard: {index, count}`, 1-based index) encodes only the index-th of `count` contiguous, nearly
 * equal ranges of the records (a first pass counts them): shards are disjoint, cover every record, and
 * their outputs concatenated in shard order are byte for byte the unsharded output, so machines can each
 * encode one and push or merge theirs independently.
 */
import { AtomicFileWriter } from "../util/atomic-write.js";
import { check } from "../util/errors.js";
import type { SparseVector } from "../sparse/vector.js";
import type { EncodeOptions, SparseEncoder } from "./sparse-encoder.js";
import { chunked, readTextRecords, type ReadTextRecordsOptions, type TextRecord } from "./text-records.js";

/** Records per chunk: large enough for full length-sorted batches, small enough to bound memory. */
export const DEFAULT_CHUNK_RECORDS = 1024;

export interface EncodeFileOptions extends Omit<EncodeOptions, "onProgress">, ReadTextRecordsOptions {
  /**
   * "query" / "document": encodeQuery / encodeDocument (their prompts and Router routes); another name: encode()
   * through that Router route; default: encode() (the default prompt and route).
   */
  task?: string;
  chunkRecords?: number;
  /** Records written so far. */
  onProgress?: (written: number) => void;
  /** Encode only shard `index` (1-based) of `count`. */
  shard?: Shard;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Records [start, end) of shard `index` of `count` over `total` records. */
export function shardRange(shard: Shard, total: number): { start: number; end: number } {
  check(Number.isInteger(shard.count) && shard.count >= 1 && Number.isInteger(shard.index) && shard.index >= 1 && shard.index <= shard.count, `shard must be i/n with 1 ≤ i ≤ n, got ${shard.index}/${shard.count}`);
  return { start: Math.floor(((shard.index - 1) * total) / shard.count), end: Math.floor((shard.index * total) / shard.count) };
}

async function* shardOf(records: AsyncIterable<TextRecord>, range: { start: number; end: number }): AsyncGenerator<TextRecord> {
  let position = 0;
  for await (const record of records) {
    if (position >= range.end) return;
    if (position++ >= range.start) yield record;
  }
}

/** Shortest decimal that reads back as the same float32 (what numpy prints), for compact output. */
export function formatFloat32(x: number): string {
  for (let digits = 6; digits < 9; digits++) {
    const text = x.toPrecision(digits);
    if (Math.fround(Number(text)) === x) return String(Number(text));
  }
  return String(Number(x.toPrecision(9)));
}

export function vectorLine(vector: SparseVector, id?: string | number): string {
  const values = Array.from(vector.values, formatFloat32).join(",");
  const idPart = id === undefined ? "" : `"id":${JSON.stringify(id)},`;
  return `{${idPart}"indices":[${vector.indices.join(",")}],"values":[${values}]}\n`;
}

async function encodeRecords(encoder: SparseEncoder, records: TextRecord[], options: EncodeFileOptions): Promise<SparseVector[]> {
  const texts = records.map((r) => r.text);
  const encodeOptions: EncodeOptions = { batchSize: options.batchSize, maxActiveDims: options.maxActiveDims, prompt: options.prompt, promptName: options.promptName };
  if (options.task === "query") return encoder.encodeQuery(texts, encodeOptions);
  if (options.task === "document") return encoder.encodeDocument(texts, encodeOptions);
  return encoder.encode(texts, { ...encodeOptions, task: options.task });
}

/** Encodes every record of `input` into `output`; returns the number of vectors written. */
export async function encodeFile(encoder: SparseEncoder, input: string, output: string, options: EncodeFileOptions = {}): Promise<number> {
  let records: AsyncIterable<TextRecord> = readTextRecords(input, options);
  if (options.shard !== undefined) {
    let total = 0;
    for await (const _ of readTextRecords(input, options)) total++;
    records = shardOf(records, shardRange(options.shard, total));
  }
  const writer = await AtomicFileWriter.open(output);
  let written = 0;
  // The previous chunk's write proceeds on libuv's threads while the next chunk is encoded; a failed write
  // is rethrown before anything else is written.
  let pending: Promise<unknown> = Promise.resolve();
  const settle = async () => {
    const failure = await pending;
    if (failure !== undefined) throw (failure as { error: unknown }).error;
  };
  try {
    for await (const chunk of chunked(records, options.chunkRecords ?? DEFAULT_CHUNK_RECORDS)) {
      const vectors = await encodeRecords(encoder, chunk, options);
      const text = vectors.map((v, i) => vectorLine(v, chunk[i].id)).join("");
      await settle();
      pending = writer.write(text).then(
        () => {
          written += chunk.length;
          options.onProgress?.(written);
          return undefined;
        },
        (error: unknown) => ({ error }),
      );
    }
    await settle();
    await writer.commit();
  } catch (error) {
    await pending;
    await writer.abort();
    throw error;
  }
  return written;
}
