/**
 * IDF weights for the query side of an inference-free model, the way the opensearch inference-free models
 * start. The formula and conventions are those of opensearch-project's tuning sample, `get_idf.py`
 * (github.com/zhichao-aws/opensearch-sparse-model-tuning-sample), which writes the `idf.json` their Hub models
 * ship:
 *   each document is tokenized without special tokens and without truncation; its distinct ids, special ids
 *   ([CLS], [SEP], [PAD], [UNK], [MASK]) left out, count once toward df
 *   N = the number of documents with at least one such id
 *   idf(t) = ln(1 + (N − df(t) + 0.5) / (df(t) + 0.5))      (BM25's IDF, as Lucene computes it)
 *   only tokens with df > 0 get a weight; the others stay 0
 * and `SparseStaticEmbedding.from_json` (sentence-transformers) turns `{token: idf}` into the weight vector:
 * zeros, then weight[id(token)] = idf for each entry (`weightFromIdfJson`).
 *
 * Shapes: V vocabulary.
 */
import type { BertTokenizer } from "../tokenizer/index.js";
import { SpladeError } from "../util/errors.js";

/** The special tokens `tokenizer.all_special_ids` lists for BERT WordPiece tokenizers. */
const SPECIAL_TOKENS = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"];

export class DocumentFrequencies {
  private readonly df: Uint32Array;
  private readonly special: Set<number>;
  /** Documents with at least one non-special token. */
  documents = 0;

  constructor(private readonly tokenizer: BertTokenizer) {
    this.df = new Uint32Array(tokenizer.vocabSize);
    this.special = new Set(SPECIAL_TOKENS.map((t) => tokenizer.tokenToId(t)).filter((id): id is number => id !== undefined));
  }

  add(text: string): void {
    const ids = new Set(this.tokenizer.tokenizeToIds(text));
    for (const id of this.special) ids.delete(id);
    if (ids.size === 0) return;
    this.documents++;
    for (const id of ids) this.df[id]++;
  }

  /** idf per vocabulary id [V] (0 where df = 0). */
  idf(): Float32Array {
    if (this.documents === 0) throw new SpladeError("INVALID_ARGUMENT", "IDF: the corpus has no document with a non-special token");
    const n = this.documents;
    const out = new Float32Array(this.df.length);
    this.df.forEach((df, id) => {
      if (df > 0) out[id] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    });
    return out;
  }

  /** `{token: idf}` for the tokens with df > 0: the idf.json format. */
  idfJson(): Record<string, number> {
    const idf = this.idf();
    const out: Record<string, number> = {};
    idf.forEach((w, id) => {
      if (this.df[id] > 0) out[this.tokenizer.idToToken(id)] = w;
    });
    return out;
  }
}

/**
 * SparseStaticEmbedding.from_json: a weight [V] with idf.json's value at each token's id, 0 elsewhere. Upstream
 * sizes the vector to the largest id present + 1; here it is the vocabulary's size, so that query and
 * document vectors always share their dimension. A token missing from the vocabulary is an error (upstream maps
 * it to [UNK]'s id, silently).
 */
export function weightFromIdfJson(idf: unknown, tokenizer: BertTokenizer, path: string): Float32Array {
  if (typeof idf !== "object" || idf === null || Array.isArray(idf)) throw new SpladeError("INVALID_FILE", `${path}: expected an object {token: idf}`, { path });
  const weight = new Float32Array(tokenizer.vocabSize);
  for (const [token, value] of Object.entries(idf)) {
    const id = tokenizer.tokenToId(token);
    if (id === undefined) throw new SpladeError("INVALID_FILE", `${path}: token ${JSON.stringify(token)} is not in the tokenizer's vocabulary`, { path });
    if (typeof value !== "number" || !Number.isFinite(value)) throw new SpladeError("INVALID_FILE", `${path}: the weight of ${JSON.stringify(token)} must be a number`, { path });
    weight[id] = value;
  }
  return weight;
}
