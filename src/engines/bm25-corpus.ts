/**
 * BM25 for a corpus pushed to an engine without a local index: engines store final document weights, and a
 * BM25 weight tf / (tf + k1·(1 − b + b·dl'/avgdl)) needs the collection's avgdl, and queries need N and df.
 * A first pass tokenizes the corpus (cheap next to encoding) for N, df and Σ dl; the push then computes each
 * document's impacts with the same float32 arithmetic as a one-segment local index (index/bm25.ts,
 * index/segment-builder.ts), so the engine scores what `splade index build` + `splade search` score.
 */
import type { SparseVector } from "../sparse/vector.js";
import { bm25AvgDocLength, bm25NormInverseTable, bm25TermImpact } from "../index/bm25.js";
import { corpusText, readCorpus } from "../app/text-files.js";
import { CORPUS_CHUNK } from "../app/index-corpus.js";
import type { DocumentEncoder } from "../app/document-encoder.js";
import type { Bm25Statistics } from "./target-meta.js";

export async function bm25CorpusStatistics(path: string, encoder: DocumentEncoder, options: { title: boolean }): Promise<{ statistics: Bm25Statistics; normInverse: Float32Array }> {
  const weighting = encoder.indexSettings.weighting;
  if (weighting?.kind !== "bm25") throw new Error("bm25CorpusStatistics: not a BM25 encoder");
  const df = new Array<number>(encoder.vocabSize).fill(0);
  let docCount = 0;
  let sumDocLength = 0;
  let chunk: string[] = [];
  const count = async () => {
    for (const tf of await encoder.encodeDocuments(chunk)) {
      for (let i = 0; i < tf.indices.length; i++) {
        df[tf.indices[i]]++;
        sumDocLength += tf.values[i];
      }
      docCount++;
    }
    chunk = [];
  };
  for await (const record of readCorpus(path)) {
    chunk.push(corpusText(record, options.title));
    if (chunk.length === CORPUS_CHUNK) await count();
  }
  if (chunk.length > 0) await count();
  const avgDocLength = bm25AvgDocLength(sumDocLength, docCount);
  return { statistics: { docCount, documentFrequency: df }, normInverse: bm25NormInverseTable(weighting, avgDocLength > 0 ? avgDocLength : 1) };
}

/** A term-frequency vector as BM25 impacts. */
export function bm25Impacts(tf: SparseVector, normInverse: Float32Array): SparseVector {
  let dl = 0;
  for (let i = 0; i < tf.values.length; i++) dl += tf.values[i];
  const values = new Float32Array(tf.values.length);
  for (let i = 0; i < values.length; i++) values[i] = bm25TermImpact(tf.values[i], dl, normInverse);
  return { indices: tf.indices, values };
}
