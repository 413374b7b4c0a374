/**
 * Tokenizes a batch of training rows column by column, as sentence-transformers' MLMTransformer does in
 * training: each column (queries, positives, each negative) is one tokenizer call on the stripped texts,
 * padded to that column's longest row and truncated to max_seq_length.
 *
 * Shapes: B rows, T_c tokens of column c, k negatives.
 */
import type { BertTokenizer } from "../../tokenizer/index.js";
import { SpladeError } from "../../util/errors.js";
import type { MicroBatch, TokenizedColumn } from "../step-runner.js";
import type { TrainingRow } from "./rows.js";

export function columnTexts(rows: readonly TrainingRow[]): string[][] {
  const k = rows[0].negatives.length;
  return [rows.map((r) => r.query), rows.map((r) => r.positive), ...Array.from({ length: k }, (_, j) => rows.map((r) => r.negatives[j]))];
}

export function tokenizeColumn(tokenizer: BertTokenizer, texts: readonly string[], maxLength: number): TokenizedColumn {
  const e = tokenizer.encodeBatch(texts.map((t) => t.trim()), { maxLength });
  return { inputIds: e.inputIds, attentionMask: e.attentionMask, batchSize: e.batchSize, seqLen: e.seqLen };
}

export function tokenizeRows(tokenizer: BertTokenizer, rows: readonly TrainingRow[], options: { maxLength: number; labels: boolean }): MicroBatch {
  const batch: MicroBatch = { columns: columnTexts(rows).map((texts) => tokenizeColumn(tokenizer, texts, options.maxLength)) };
  if (options.labels) {
    const k = rows[0].negatives.length;
    const labels = new Float32Array(rows.length * k);
    rows.forEach((r, i) => {
      if (!r.label) throw new SpladeError("INVALID_ARGUMENT", `margin-mse needs a "label" (teacher margins) on every row; row "${r.query.slice(0, 40)}" has none`);
      labels.set(r.label, i * k);
    });
    batch.labels = labels;
  }
  return batch;
}
