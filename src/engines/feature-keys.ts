/**
 * Feature keys of an OpenSearch `rank_features` field: the vocabulary strings, escaped so that every token
 * can be both indexed and queried. What a live OpenSearch 2.19 node does with raw tokens (probed by
 * test/engines/opensearch-keys.test.ts, which keeps these facts true):
 *  - indexing accepts any string key, "", " ", "[CLS]", "." and "a.b" included (the rank_features parser
 *    reads the object's keys as feature names, dots and all);
 *  - querying goes through a field path `field.key`, and rank_feature (RankFeatureQueryBuilder) splits that
 *    path at its LAST dot to find the rank_features field: a key with a dot ("." , "...", "##.") names a
 *    field that does not exist, and the query silently matches nothing;
 *  - weights must be positive normal float32 values (0, negatives, subnormals are indexing errors), and are
 *    stored with 8 mantissa bits (opensearchStoredWeight).
 * Rule (invertible, ASCII-only escape): "%" → "%25", "." → "%2E"; nothing else changes. BERT's uncased
 * vocabulary has three tokens with a dot (".", "...", "##.") and two with a percent sign ("%", "##%").
 * Decoding accepts only those two escapes, so decode(encode(t)) = t and encode is injective.
 */
import { SpladeError } from "../util/errors.js";

/** Name of the rule, recorded in the target's metadata so that a future rule cannot be misread. */
export const FEATURE_KEY_SCHEME = "percent-dot-v1";

export function encodeFeatureKey(token: string): string {
  return token.replace(/%/g, "%25").replace(/\./g, "%2E");
}

export function decodeFeatureKey(key: string): string {
  if (key.includes(".")) throw new SpladeError("INVALID_ARGUMENT", `feature key "${key}" contains a raw "." (keys escape dots as %2E)`);
  return key.replace(/%(25|2E)|%/g, (match, code: string | undefined) => {
    if (code === undefined) throw new SpladeError("INVALID_ARGUMENT", `feature key "${key}" has a "%" that is not %25 or %2E`);
    return code === "25" ? "%" : ".";
  });
}

/** The id ↔ token lookups a vocabulary gives (BertTokenizer satisfies it). */
export interface TokenVocabulary {
  readonly vocabSize: number;
  idToToken(id: number): string;
  tokenToId(token: string): number | undefined;
}

/** Feature keys of a vocabulary: id → escaped token and back. */
export class FeatureKeys {
  private readonly keys: string[] = [];

  constructor(private readonly vocabulary: TokenVocabulary) {}

  get size(): number {
    return this.vocabulary.vocabSize;
  }

  key(id: number): string {
    const cached = this.keys[id];
    if (cached !== undefined) return cached;
    if (!Number.isInteger(id) || id < 0 || id >= this.vocabulary.vocabSize) {
      throw new SpladeError("INVALID_ARGUMENT", `term id ${id} is outside the vocabulary of ${this.vocabulary.vocabSize}`);
    }
    return (this.keys[id] = encodeFeatureKey(this.vocabulary.idToToken(id)));
  }

  id(key: string): number {
    const id = this.vocabulary.tokenToId(decodeFeatureKey(key));
    if (id === undefined) throw new SpladeError("NOT_FOUND", `feature key "${key}" is not a token of the vocabulary`);
    return id;
  }
}
