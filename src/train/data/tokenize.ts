/**
 * Tokenizes a batch of training rows column by column, as sentence-transformers' data collator does: each column
 * (queries, positives, each negative) is one tokenizer call of the module its route starts with, padded to that
 * column's longest row.
 *   MLMTransformer         texts stripped, [CLS] … [SEP], truncated to max_seq_length
 *   SparseStaticEmbedding  texts as given (not stripped), no special tokens, truncated to the tokenizer's
 *                          model_max_length (SparseStaticEmbedding.tokenize: add_special_tokens=False)
 *
 * Shapes: B rows, T_c tokens of column c, k negatives.
 */
import type { BertTokenizer } from "../../tokenizer/index.js";
import { SpladeError } from "../../util/errors.js";
import type { MicroBatch, TokenizedColumn } from "../step-runner.js";
import type { TrainingRow } from "./rows.js";

/** Tokenizes one column's texts. */
export type ColumnTokenizer = (texts: readonly string[]) => TokenizedColumn;

export function columnTexts(rows: readonly TrainingRow[]): string[][] {
  const k = rows[0].negatives.length;
  return [rows.map((r) => r.query), rows.map((r) => r.positive), ...Array.from({ length: k }, (_, j) => rows.map((r) => r.negatives[j]))];
}

export function tokenizeColumn(tokenizer: BertTokenizer, texts: readonly string[], maxLength: number): TokenizedColumn {
  const e = tokenizer.encodeBatch(texts.map((t) => t.trim()), { maxLength });
  return { inputIds: e.inputIds, attentionMask: e.attentionMask, batchSize: e.batchSize, seqLen: e.seqLen };
}

/** The MLM route's tokenization. */
export function mlmColumnTokenizer(tokenizer: BertTokenizer, maxLength: number): ColumnTokenizer {
  return (texts) => tokenizeColumn(tokenizer, texts, maxLength);
}

/** The SparseStaticEmbedding route's tokenization; a batch of empty texts still has one (masked) position. */
export function staticColumnTokenizer(tokenizer: BertTokenizer, maxLength: number): ColumnTokenizer {
  return (texts) => {
    const rows = texts.map((t) => {
      const ids = tokenizer.tokenizeToIds(t);
      return ids.length > maxLength ? ids.slice(0, maxLength) : ids;
    });
    const seqLen = Math.max(1, ...rows.map((r) => r.length));
    const inputIds = new BigInt64Array(rows.length * seqLen).fill(BigInt(tokenizer.padId)); // [B, T]
    const attentionMask = new BigInt64Array(rows.length * seqLen); // [B, T]
    rows.forEach((row, b) => {
      row.forEach((id, t) => {
        inputIds[b * seqLen + t] = BigInt(id);
        attentionMask[b * seqLen + t] = 1n;
      });
    });
    return { inputIds, attentionMask, batchSize: rows.length, seqLen };
  };
}

export interface TokenizeRowsOptions {
  maxLength: number;
  labels: boolean;
  /** One tokenizer per column (Router models); default: `tokenizer` with maxLength for every column. */
  columns?: readonly ColumnTokenizer[];
}

export function tokenizeRows(tokenizer: BertTokenizer, rows: readonly TrainingRow[], options: TokenizeRowsOptions): MicroBatch {
  const texts = columnTexts(rows);
  if (options.columns && options.columns.length !== texts.length) {
    throw new SpladeError("INVALID_ARGUMENT", `${options.columns.length} column tokenizers for ${texts.length} columns`);
  }
  const batch: MicroBatch = { columns: texts.map((t, c) => (options.columns ? options.columns[c](t) : tokenizeColumn(tokenizer, t, options.maxLength))) };
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
